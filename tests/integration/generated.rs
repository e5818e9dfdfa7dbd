//! Generated forms (`tests/support/forms.rs`, the generator of the merge benchmark) of every
//! kind and shape read back as generated, and merge over them.

use crate::common::run;
use crate::forms::{generate, read_back, Kind};

/// Forty forms: every format and both variants, read back with their department, tasks and
/// indicators; merged, every one is a row of the summary line.
#[test]
fn generated_forms_read_back_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    std::fs::create_dir(&forms).unwrap();
    let g = generate(&forms, 40, 2024);
    for kind in [
        Kind::Xlsx,
        Kind::CsvUtf8,
        Kind::CsvGbk,
        Kind::Ods,
        Kind::Json,
    ] {
        assert!(g.files.iter().any(|(_, k)| *k == kind), "no {kind:?}");
    }
    let failures: Vec<String> = g
        .files
        .iter()
        .zip(&g.expects)
        .filter_map(|((path, _), expect)| read_back(path, expect).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Two deliberate duplicates are warnings, and some forms carry deliberate errors: the
    // merge reads every one (exit 0) and counts 40.
    let out = run(&["merge", "forms", "-o", "all.json"], dir.path(), 0);
    let line = String::from_utf8_lossy(&out.stderr);
    assert!(line.starts_with("已汇总申报表 40 份："), "{line}");
    assert!(line.contains("无法读取的文件 0 个"), "{line}");
    let all: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("all.json")).unwrap()).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 40);
}
