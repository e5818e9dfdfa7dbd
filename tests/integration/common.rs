//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The good fixtures: every file with an `.expected.json` beside it.
pub fn good_fixtures() -> Vec<(PathBuf, Value)> {
    let dir = fixtures();
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let file = expected["records"]["source"]["file"]
            .as_str()
            .unwrap_or(stem)
            .to_string();
        out.push((dir.join(file), expected));
    }
    out
}

/// The first difference between two JSON values, as `path: expected X, got Y`. Strings that
/// both read as decimals compare as decimals; other strings compare after trimming.
pub fn first_difference(path: &str, expected: &Value, got: &Value) -> Option<String> {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (k, ev) in e {
                let gv = g.get(k).unwrap_or(&Value::Null);
                if let Some(d) = first_difference(&format!("{path}.{k}"), ev, gv) {
                    return Some(d);
                }
            }
            g.keys()
                .find(|k| !e.contains_key(*k))
                .map(|k| format!("{path}.{k}: not expected, got {}", g[k]))
        }
        (Value::Array(e), Value::Array(g)) => {
            for (i, (ev, gv)) in e.iter().zip(g).enumerate() {
                if let Some(d) = first_difference(&format!("{path}[{i}]"), ev, gv) {
                    return Some(d);
                }
            }
            (e.len() != g.len())
                .then(|| format!("{path}: expected {} items, got {}", e.len(), g.len()))
        }
        (Value::String(e), Value::String(g)) => {
            let same = match (Decimal::from_str(e), Decimal::from_str(g)) {
                (Ok(a), Ok(b)) => a == b && e.contains('.') == g.contains('.'),
                _ => e.trim() == g.trim(),
            };
            (!same).then(|| format!("{path}: expected {e:?}, got {g:?}"))
        }
        (e, g) => (e != g).then(|| format!("{path}: expected {e}, got {g}")),
    }
}
