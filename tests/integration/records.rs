//! Issues 2 and 11: every fixture converts to the records of its `.expected.json`, one per
//! form in sheet order.

use serde_json::Value;

use jixiao::inputs::process_path;
use jixiao::pipeline::Config;

use crate::common::{differences, first_difference, good_fixtures, pending, records_read};

/// The records of the forms in `path`, in order, as JSON, or why there are none.
fn convert(path: &std::path::Path) -> Result<Vec<Value>, String> {
    let processed = process_path(path, &Config::default());
    let forms = processed
        .outcome
        .map_err(|e| e.message(Default::default()))?;
    Ok(forms
        .iter()
        .map(|f| serde_json::to_value(&f.declaration).unwrap())
        .collect())
}

/// Every fixture converts to the records of its expected file: as many records as the officer
/// counts forms, in sheet order, each exactly as expected. All are tried and every one that
/// differs is named, with its differences.
#[test]
fn every_fixture_converts_to_its_expected_records() {
    let fixtures = good_fixtures();
    let names: Vec<String> = fixtures
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "compound-units-health.xls",
            "compound-units.xlsx",
            "dept-and-projects.xlsx",
            "errors-budget.xlsx",
            "errors-indicators.xlsx",
            "flat-export.csv",
            "formula-amounts.xlsx",
            "formula-no-value.xlsx",
            "formula-uncached.xlsx",
            "hidden-draft.xlsx",
            "instructions-table.xlsx",
            "onesheet-askew.xlsx",
            "onesheet-beside.xlsx",
            "onesheet-stacked.xlsx",
            "panyu-gbk.csv",
            "panyu-lo.xlsx",
            "panyu-messy.xlsx",
            "panyu.ods",
            "panyu.xls",
            "panyu.xlsx",
            "period-defects.xlsx",
            "project-annual-exceeds.xlsx",
            "project-health.xlsx",
            "project-library.xlsx",
            "project-qingshan.xls",
            "project-reading.ods",
            "project-unbalanced.xlsx",
            "split-explained.ods",
            "split-explained.xlsx",
            "split-sign-unit.ods",
            "split-sign-unit.xlsx",
            "stamp-line.xlsx",
            "units-workbook.xls",
            "units-workbook.xlsx",
            "zhanjiang.xlsx",
            "fj-dept-ningde.xls",
            "gs-project-jiayuguan.xlsx",
            "hb-project-ezhou.xlsx",
            "hn-dept-clean.xlsx",
            "hn-dept-yueyang.xlsx",
            "hn-project-xiangtan.ods",
        ],
        "the known fixtures"
    );
    let mut failures = Vec::new();
    for ((path, expected), name) in fixtures.iter().zip(&names) {
        if pending(expected).is_some() {
            continue;
        }
        let want = Value::Array(records_read(expected));
        let got = match convert(path) {
            Ok(records) => Value::Array(records),
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for (_, diff) in differences("records", &want, &got) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Since issue 13 every kind of form is read: no fixture waits, and every record kind an
/// expected file names is one jixiao reads.
#[test]
fn no_fixture_waits() {
    let waiting: Vec<String> = good_fixtures()
        .iter()
        .filter(|(_, e)| pending(e).is_some())
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(waiting.is_empty(), "{waiting:?}");
    for (path, expected) in good_fixtures() {
        assert_eq!(
            records_read(&expected),
            crate::common::expected_records(&expected),
            "{}",
            path.display()
        );
    }
}

/// The keys of every object of a JSON text, in the order they are written, as `depth key`: a
/// `serde_json::Value` sorts its keys, so the order is read off the text.
fn keys_in_order(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            s.push(c);
                            s.extend(chars.next());
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    out.push(format!("{depth} {s}"));
                }
            }
            _ => {}
        }
    }
    out
}

/// docs/RECORDS.md §1 and §1.1: a record's keys come in the contract's order (`kind` right after
/// `format`, a project's `project`, `funds`, `goals`, `indicators`, `period_indicators`), as
/// the expected files write them.
#[test]
fn records_keep_the_key_order_of_the_expected_files() {
    let mut compared = Vec::new();
    for (path, expected) in good_fixtures() {
        let text = std::fs::read_to_string(crate::common::fixtures().join(format!(
                "{}.expected.json",
                path.file_name().unwrap().to_string_lossy().split('.').next().unwrap()
            )));
        // Two expected files may name one fixture (`panyu-xls` for `panyu.xls`): compare the
        // written order with the first expected file found for it.
        let Ok(text) = text else { continue };
        if crate::common::expected_records(&expected)
            != crate::common::expected_records(&serde_json::from_str(&text).unwrap())
        {
            continue;
        }
        let depth = if expected["records"].is_array() { 1 } else { 0 };
        // The expected file's keys inside `records`, one level deeper than ours.
        let want: Vec<String> = keys_in_order(&text)
            .into_iter()
            .skip(1)
            .take_while(|k| !k.starts_with("1 "))
            .map(|k| {
                let (d, key) = k.split_once(' ').unwrap();
                format!("{} {key}", d.parse::<usize>().unwrap() - 1 - depth)
            })
            .collect();
        let processed = process_path(&path, &Config::default());
        let decls: Vec<_> = processed
            .outcome
            .unwrap()
            .into_iter()
            .map(|c| c.declaration)
            .collect();
        let written = jixiao::write::output::records_json(&decls.iter().collect::<Vec<_>>(), false);
        let got: Vec<String> = keys_in_order(&written)
            .into_iter()
            .map(|k| {
                let (d, key) = k.split_once(' ').unwrap();
                format!("{} {key}", d.parse::<usize>().unwrap() - depth)
            })
            .collect();
        assert!(want.len() > 20, "{}: {want:?}", path.display());
        assert_eq!(got, want, "{}", path.display());
        compared.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    // Every project fixture among them.
    for name in [
        "project-library.xlsx",
        "project-qingshan.xls",
        "dept-and-projects.xlsx",
    ] {
        assert!(
            compared.iter().any(|c| c == name),
            "{name} not compared: {compared:?}"
        );
    }
}

/// A JSON record is an input too, and converting it again gives the same record; a JSON array
/// of a workbook's records gives them all back, in order.
#[test]
fn json_record_converts_to_itself() {
    for (path, expected) in good_fixtures() {
        if pending(&expected).is_some() {
            continue;
        }
        let first = convert(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("form.json");
        let written = match first.as_slice() {
            [one] => one.clone(),
            several => Value::Array(several.to_vec()),
        };
        std::fs::write(&json, serde_json::to_string(&written).unwrap()).unwrap();
        let second = convert(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(diff) = first_difference("records", &Value::Array(first), &Value::Array(second))
        {
            panic!("{}: {diff}", path.display());
        }
    }
}

/// Regression: a year given with --year survives a JSON round trip even though the title has
/// none (the record's `year` used to be dropped when the record was read back).
#[test]
fn a_year_from_the_command_line_stays_with_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        year: Some(2024),
        ..Config::default()
    };
    let first = process_path(&crate::common::fixtures().join("panyu.xlsx"), &config);
    let record = &first.outcome.unwrap()[0].declaration;
    assert_eq!(record.year, Some(2024));
    let json = dir.path().join("form.json");
    std::fs::write(&json, serde_json::to_string(record).unwrap()).unwrap();
    assert_eq!(convert(&json).unwrap()[0]["year"], 2024);
}

/// A JSON record is typed already and goes to the checker as it is: the corrections made when
/// it was converted are in it, and are not reported again (they were while JSON records went
/// back through the normalizer). What is still open is found again, field for field.
#[test]
fn a_json_record_is_checked_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::default();
    let first = process_path(&crate::common::fixtures().join("panyu.xlsx"), &config);
    let first = &first.outcome.unwrap()[0];
    assert!(!first.changes.is_empty());
    let json = dir.path().join("form.json");
    std::fs::write(&json, serde_json::to_string(&first.declaration).unwrap()).unwrap();
    let second = process_path(&json, &config);
    let second = &second.outcome.unwrap()[0];
    assert!(second.changes.is_empty(), "{:?}", second.changes);
    let open = |c: &jixiao::pipeline::Checked| -> Vec<(String, Option<String>)> {
        c.findings
            .iter()
            .filter(|f| f.is_open())
            .map(|f| (f.code.to_string(), f.field.map(|p| p.to_string())))
            .collect()
    };
    assert_eq!(open(second), open(first));
    assert!(second.findings.iter().all(|f| f.is_open()));
}
