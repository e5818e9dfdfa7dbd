//! Issue 2: every fixture converts to the records of its `.expected.json`.

use jixiao::inputs::process_path;
use jixiao::pipeline::Config;

use crate::common::{first_difference, good_fixtures};

/// The record of the one form in `path`, or why there is none.
fn convert(path: &std::path::Path) -> Result<serde_json::Value, String> {
    let processed = process_path(path, &Config::default());
    let forms = processed
        .outcome
        .map_err(|e| e.message(Default::default()))?;
    if forms.len() != 1 {
        return Err(format!("{} forms, expected 1", forms.len()));
    }
    Ok(serde_json::to_value(&forms[0].declaration).unwrap())
}

fn converted(path: &std::path::Path) -> serde_json::Value {
    convert(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture converts to the records of its expected file. All are tried and every one
/// that differs is named, with its first difference.
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
            "errors-budget.xlsx",
            "errors-indicators.xlsx",
            "panyu-gbk.csv",
            "panyu-lo.xlsx",
            "panyu-messy.xlsx",
            "panyu.ods",
            "panyu.xls",
            "panyu.xlsx",
            "zhanjiang.xlsx",
        ],
        "the known fixtures"
    );
    let failures: Vec<String> = fixtures
        .iter()
        .zip(&names)
        .filter_map(|((path, expected), name)| {
            let diff = match convert(path) {
                Ok(got) => first_difference("records", &expected["records"], &got)?,
                Err(e) => e,
            };
            Some(format!("{name}: {diff}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A JSON record is an input too, and converting it again gives the same record.
#[test]
fn json_record_converts_to_itself() {
    for (path, _) in good_fixtures() {
        let first = converted(&path);
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("form.json");
        std::fs::write(&json, serde_json::to_string(&first).unwrap()).unwrap();
        let second = converted(&json);
        if let Some(diff) = first_difference("records", &first, &second) {
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
    assert_eq!(converted(&json)["year"], 2024);
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
