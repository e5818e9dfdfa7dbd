//! Issue 2: every fixture converts to the records of its `.expected.json`.

use jixiao::pipeline::{process_path, Config};

use crate::common::{first_difference, good_fixtures};

fn converted(path: &std::path::Path) -> serde_json::Value {
    let processed = process_path(path, &Config::default());
    let forms = processed
        .outcome
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message(Default::default())));
    assert_eq!(forms.len(), 1);
    serde_json::to_value(&forms[0].declaration).unwrap()
}

fn assert_fixture(name: &str) {
    let (path, expected) = good_fixtures()
        .into_iter()
        .find(|(p, _)| p.file_name().unwrap() == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    let got = converted(&path);
    if let Some(diff) = first_difference("records", &expected["records"], &got) {
        panic!("{name}: {diff}");
    }
}

#[test]
fn panyu_xlsx() {
    assert_fixture("panyu.xlsx");
}

#[test]
fn panyu_xls() {
    assert_fixture("panyu.xls");
}

#[test]
fn panyu_ods() {
    assert_fixture("panyu.ods");
}

#[test]
fn panyu_libreoffice() {
    assert_fixture("panyu-lo.xlsx");
}

#[test]
fn panyu_messy() {
    assert_fixture("panyu-messy.xlsx");
}

#[test]
fn panyu_gbk_csv() {
    assert_fixture("panyu-gbk.csv");
}

#[test]
fn zhanjiang() {
    assert_fixture("zhanjiang.xlsx");
}

#[test]
fn errors_budget() {
    assert_fixture("errors-budget.xlsx");
}

#[test]
fn errors_indicators() {
    assert_fixture("errors-indicators.xlsx");
}

/// Every fixture with an expected file is covered by a test above.
#[test]
fn every_fixture_has_a_test() {
    let names: Vec<String> = good_fixtures()
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 9, "{names:?}");
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
