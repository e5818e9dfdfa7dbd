//! Helpers shared by the integration tests.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

/// Run jixiao in `dir` and return its output; on a failed expectation the caller prints it
/// all with [`show`].
pub fn jixiao(args: &[&str], dir: &Path) -> Output {
    Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(dir)
        // The language and the templates come from the arguments here, never from the
        // tester's environment.
        .env_remove("JIXIAO_LANG")
        .env_remove("JIXIAO_TEMPLATES")
        .args(args)
        .output()
        .unwrap()
}

/// The command, its status, standard output and standard error, for a failed assertion.
pub fn show(args: &[&str], out: &Output) -> String {
    format!(
        "jixiao {}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Run jixiao in `dir`, insist on the exit status and on no panic, and return the output.
pub fn run(args: &[&str], dir: &Path, status: i32) -> Output {
    let out = jixiao(args, dir);
    assert_eq!(out.status.code(), Some(status), "{}", show(args, &out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        show(args, &out)
    );
    out
}

/// [`run`], with standard output read as JSON.
pub fn run_json(args: &[&str], dir: &Path, status: i32) -> Value {
    let out = run(args, dir, status);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", show(args, &out)))
}

/// The text of a part of an xlsx zip (`xl/workbook.xml`), if the zip has it.
pub fn xlsx_part(xlsx: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

/// An attribute's value in an XML tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// The height (`ht`) of a row in a sheet's XML, 1-based as Excel numbers rows.
pub fn row_height(sheet_xml: &str, row: usize) -> f64 {
    let key = format!("<row r=\"{row}\"");
    let start = sheet_xml
        .find(&key)
        .unwrap_or_else(|| panic!("no row {row}"));
    let tag = &sheet_xml[start..start + sheet_xml[start..].find('>').unwrap()];
    attr(tag, "ht").map_or(15.0, |h| h.parse().unwrap())
}

/// The widths of a sheet's columns from its `<cols>`, 0-based.
pub fn column_widths(sheet_xml: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for col in sheet_xml.split("<col ").skip(1) {
        let tag = &col[..col.find('>').unwrap()];
        let (min, max): (usize, usize) = (
            attr(tag, "min").unwrap().parse().unwrap(),
            attr(tag, "max").unwrap().parse().unwrap(),
        );
        let width: f64 = attr(tag, "width").unwrap().parse().unwrap();
        out.resize(max, 8.43);
        for w in &mut out[min - 1..max] {
            *w = width;
        }
    }
    out
}

/// The fewest lines a text can take in a column `width` characters wide: a CJK character is
/// two columns, and a line holds at most `width` columns. Whatever the estimator, a row must be
/// at least this tall (15 points a line of 11 pt 宋体).
pub fn fewest_lines(text: &str, width: f64) -> usize {
    text.split('\n')
        .map(|line| {
            let cols: usize = line
                .chars()
                .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
                .sum();
            ((cols as f64 / width).ceil() as usize).max(1)
        })
        .sum()
}

/// Every row of a list sheet is at least as tall as its longest text needs.
pub fn assert_rows_fit(bytes: &[u8], part: &str, range: &calamine::Range<calamine::Data>) {
    let xml = xlsx_part(bytes, part).unwrap();
    let widths = column_widths(&xml);
    for (r, row) in range.rows().enumerate() {
        let need = row
            .iter()
            .zip(&widths)
            .map(|(v, w)| fewest_lines(&v.to_string(), *w))
            .max()
            .unwrap_or(1);
        let ht = row_height(&xml, r + 1);
        assert!(
            ht >= need as f64 * 15.0,
            "{part} row {}: {ht} pt for {need} lines: {row:?}",
            r + 1
        );
    }
}

/// Every sheet prints its page numbers in the footer, in the workbook's language.
pub fn assert_footer(bytes: &[u8], part: &str, lang: jixiao::messages::Lang) {
    let xml = xlsx_part(bytes, part).unwrap();
    let footer = match lang {
        jixiao::messages::Lang::Zh => "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>",
        jixiao::messages::Lang::En => "<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>",
    };
    assert!(xml.contains(footer), "{part}: no page numbers");
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The folders of good fixtures: the Guangzhou, Zhanjiang and Ministry forms, and the forms of
/// other provinces' layouts (`provinces/`, read with the built-in templates of issue 24).
pub const GOOD_FOLDERS: &[&str] = &["", "provinces"];

/// The good fixtures: every file with an `.expected.json` beside it, with its expected JSON.
pub fn good_fixtures() -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    for folder in GOOD_FOLDERS {
        out.extend(good_fixtures_in(&fixtures().join(folder)));
    }
    out
}

/// The good fixtures of one folder.
pub fn good_fixtures_in(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
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
        // All records of one expected file come from one file (tests/fixtures/README.md).
        let file = expected_records(&expected)
            .first()
            .and_then(|r| r["source"]["file"].as_str())
            .unwrap_or(stem)
            .to_string();
        out.push((dir.join(file), expected));
    }
    out
}

/// The kinds of record jixiao reads: department forms and, since issue 13, project forms
/// (`"kind": "project"`, docs/FORM.md §1.6). A kind of form not read yet would be left out of the
/// comparisons, and a fixture holding no other would wait ([`pending`]).
pub const KINDS_READ: &[&str] = &["department", "project"];

/// The expected records of a fixture: its one record, or its array (one per form, in sheet
/// order).
pub fn expected_records(expected: &Value) -> Vec<Value> {
    match &expected["records"] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    }
}

/// The expected records of the kinds jixiao reads ([`KINDS_READ`]), in order.
pub fn records_read(expected: &Value) -> Vec<Value> {
    expected_records(expected)
        .into_iter()
        .filter(|r| KINDS_READ.contains(&r["kind"].as_str().unwrap_or("")))
        .collect()
}

/// Why a fixture is not held to its expectations yet: it holds only forms of a kind not read
/// so far (project forms, issue 13).
pub fn pending(expected: &Value) -> Option<&'static str> {
    records_read(expected)
        .is_empty()
        .then_some("only forms of a kind not read yet")
}

/// What the `check` report entries of one fixture file break of its expected file:
/// `must_find` (each found in some entry), `must_not_find` (none anywhere, or none on that
/// field), `no_errors` and `no_warnings` (over every entry). One line per problem.
pub fn broken_expectations(entries: &[&Value], expected: &Value) -> Vec<String> {
    let findings: Vec<&Value> = entries
        .iter()
        .flat_map(|e| e["findings"].as_array().unwrap())
        .collect();
    let matches = |m: &Value, f: &&Value| {
        f["code"] == m["code"] && (m["field"].is_null() || f["field"] == m["field"])
    };
    let mut out = Vec::new();
    for m in expected["must_find"].as_array().unwrap() {
        if !findings.iter().any(|f| matches(m, f)) {
            out.push(format!("missing {m}"));
        }
    }
    for m in expected["must_not_find"].as_array().into_iter().flatten() {
        for f in findings.iter().filter(|f| matches(m, f)) {
            out.push(format!("must not find {m}: {} at {}", f["code"], f["cell"]));
        }
    }
    for (key, severity) in [("no_errors", "error"), ("no_warnings", "warning")] {
        if expected[key] == true {
            for f in findings.iter().filter(|f| f["severity"] == severity) {
                out.push(format!(
                    "{key}: {} {} at {}",
                    f["code"], f["field"], f["cell"]
                ));
            }
        }
    }
    out
}

/// Every difference between two JSON values, as `(path, description)`, compared as
/// [`first_difference`] compares.
pub fn differences(path: &str, expected: &Value, got: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect_differences(path, expected, got, &mut out);
    out
}

fn collect_differences(path: &str, expected: &Value, got: &Value, out: &mut Vec<(String, String)>) {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (k, ev) in e {
                let gv = g.get(k).unwrap_or(&Value::Null);
                collect_differences(&format!("{path}.{k}"), ev, gv, out);
            }
            for k in g.keys().filter(|k| !e.contains_key(*k)) {
                let p = format!("{path}.{k}");
                out.push((p.clone(), format!("{p}: not expected, got {}", g[k])));
            }
        }
        (Value::Array(e), Value::Array(g)) if e.len() == g.len() => {
            for (i, (ev, gv)) in e.iter().zip(g).enumerate() {
                collect_differences(&format!("{path}[{i}]"), ev, gv, out);
            }
        }
        _ => {
            if let Some(d) = first_difference(path, expected, got) {
                out.push((path.to_string(), d));
            }
        }
    }
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

/// Where a record's form is, as reports and workbooks name it: its sheet, and its
/// `source.range` when the sheet holds several forms (`Sheet1!A26:F45`); `""` for none.
pub fn place(record: &Value) -> String {
    let sheet = record["source"]["sheet"].as_str().unwrap_or("");
    match record["source"]["range"].as_str() {
        Some(range) => format!("{sheet}!{range}"),
        None => sheet.to_string(),
    }
}

/// The findings of a report entry (docs/RECORDS.md §2), in order.
pub fn findings(entry: &Value) -> impl Iterator<Item = &Value> {
    entry["findings"].as_array().into_iter().flatten()
}

/// The findings of a report entry with `key` equal to `value` (`"code"`, `"severity"`…).
pub fn findings_where<'a>(entry: &'a Value, key: &str, value: &str) -> Vec<&'a Value> {
    findings(entry).filter(|f| f[key] == value).collect()
}

/// The codes of a report entry's findings, in order.
pub fn codes(entry: &Value) -> Vec<&Value> {
    findings(entry).map(|f| &f["code"]).collect()
}

/// A district's template file: `gz-dept-overall` as `my-district`, which also knows 部门名称
/// written 预算单位名称.
pub fn my_district_template() -> String {
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/gz-dept-overall.toml"),
    )
    .unwrap();
    builtin
        .replace("id = \"gz-dept-overall\"", "id = \"my-district\"")
        .replace("\"部门名称\" = [", "\"部门名称\" = [\"预算单位名称\", ")
}

/// A form whose department label only [`my_district_template`] knows (UTF-8 CSV).
pub fn my_district_form() -> Vec<u8> {
    let original = std::fs::read(fixtures().join("panyu-gbk.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&original);
    text.replacen("部门名称,", "预算单位名称,", 1).into_bytes()
}
