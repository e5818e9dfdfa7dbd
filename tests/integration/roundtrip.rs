//! Issue 4: the written workbook reads back as the same record, with nothing left to fix.

use serde_json::Value;

use crate::common::{first_difference, good_fixtures, jixiao, pending, run_json, show};

/// A record for comparison across a round trip: where it was read from differs, and the
/// written workbook holds the corrected target text, which is what its `raw` then is.
fn comparable(mut record: Value) -> Value {
    record.as_object_mut().unwrap().remove("source");
    for table in ["indicators", "period_indicators"] {
        for ind in record[table].as_array_mut().into_iter().flatten() {
            for key in ["period", "annual"] {
                if ind[key].is_object() {
                    let text = ind[key]["text"].clone();
                    ind[key]["raw"] = text;
                }
            }
        }
    }
    record
}

/// Records as a list: `convert -o -` writes one object for one form, an array for several.
fn as_list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        one => vec![one],
    }
}

#[test]
fn every_fixture_round_trips_through_the_written_workbook() {
    for (path, expected) in good_fixtures() {
        if pending(&expected).is_some() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let input = path.display().to_string();
        let args = ["convert", input.as_str(), "-o", "out.xlsx"];
        let out = jixiao(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));

        let first = as_list(run_json(
            &["convert", input.as_str(), "-o", "-"],
            dir.path(),
            0,
        ));
        let second = as_list(run_json(&["convert", "out.xlsx", "-o", "-"], dir.path(), 0));
        assert_eq!(first.len(), second.len(), "{}: forms", path.display());
        for (a, b) in first.iter().zip(&second) {
            // One form is on 申报表; each of several on its own 申报表-单位名.
            let sheet = b["source"]["sheet"].as_str().unwrap();
            if first.len() == 1 {
                assert_eq!(sheet, "申报表");
            } else {
                assert!(sheet.starts_with("申报表-"), "{sheet}");
            }
            if let Some(diff) =
                first_difference("record", &comparable(a.clone()), &comparable(b.clone()))
            {
                panic!("{}: {diff}", path.display());
            }
        }

        // Nothing left to correct: no change and no fixed finding on the second reading.
        // Read back, the form keeps its error findings, and so check's exit status.
        let status = if expected["no_errors"] == true { 0 } else { 1 };
        let report = run_json(
            &["check", "out.xlsx", "--format", "json"],
            dir.path(),
            status,
        );
        let entries = report["files"].as_array().unwrap();
        assert_eq!(entries.len(), first.len(), "{}", path.display());
        for file in entries {
            assert_eq!(
                file["changes"].as_array().unwrap().len(),
                0,
                "{}: {}",
                path.display(),
                file["changes"]
            );
            let fixed: Vec<&Value> = file["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["fixed"] == true)
                .collect();
            assert!(fixed.is_empty(), "{}: {fixed:?}", path.display());
        }
    }
}

/// The blank form of each variant reads back as that variant, with only the findings of its
/// empty required fields.
#[test]
fn blank_template_reads_back_with_only_empty_field_findings() {
    let department = [
        "department-empty",
        "goal-empty",
        "indicators-empty",
        "tasks-empty",
        "year-missing",
    ];
    // A project form: its 项目名称, 主管部门, 年度目标 and annual indicators; no tasks.
    let project = [
        "department-empty",
        "goal-empty",
        "indicators-empty",
        "project-name-empty",
        "year-missing",
    ];
    for (variant, want) in [
        ("gz-dept-overall", &department),
        ("zj-dept-overall", &department),
        ("mof-project", &project),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let args = ["template", "--variant", variant, "-o", "blank.xlsx"];
        let out = jixiao(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
        // The empty required fields are errors.
        let report = run_json(&["check", "blank.xlsx", "--format", "json"], dir.path(), 1);
        let file = &report["files"][0];
        assert_eq!(file["template"], variant);
        let mut codes: Vec<&str> = file["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        codes.sort();
        assert_eq!(&codes, want, "{variant}");
    }
}

/// Never write over an input; refuse an existing output without --force.
#[test]
fn output_safety() {
    let dir = tempfile::tempdir().unwrap();
    let src = crate::common::fixtures().join("panyu.xlsx");
    std::fs::copy(&src, dir.path().join("panyu.xlsx")).unwrap();
    let before = std::fs::read(dir.path().join("panyu.xlsx")).unwrap();

    let args = ["convert", "panyu.xlsx", "-o", "panyu.xlsx", "--force"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert_eq!(
        std::fs::read(dir.path().join("panyu.xlsx")).unwrap(),
        before
    );

    let args = ["convert", "panyu.xlsx", "-o", "out.xlsx"];
    assert_eq!(jixiao(&args, dir.path()).status.code(), Some(0));
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let args = ["convert", "panyu.xlsx", "-o", "out.xlsx", "--force"];
    assert_eq!(jixiao(&args, dir.path()).status.code(), Some(0));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

/// The indicator CSV: a BOM, one row per indicator plus the header.
#[test]
fn indicator_csv() {
    let dir = tempfile::tempdir().unwrap();
    let src = crate::common::fixtures()
        .join("panyu.xlsx")
        .display()
        .to_string();
    let args = ["convert", src.as_str(), "-o", "out.csv"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let bytes = std::fs::read(dir.path().join("out.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + 8);
    assert!(text.lines().nth(1).unwrap().contains("外出招商次数"));
}

/// `convert form.json -o form.xlsx` builds the workbook from a record, and it reads back as
/// that record.
#[test]
fn a_json_record_becomes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let src = crate::common::fixtures()
        .join("zhanjiang.xlsx")
        .display()
        .to_string();
    let record = run_json(&["convert", src.as_str(), "-o", "-"], dir.path(), 0);
    std::fs::write(
        dir.path().join("form.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
    let args = ["convert", "form.json", "-o", "form.xlsx"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let back = run_json(&["convert", "form.xlsx", "-o", "-"], dir.path(), 0);
    if let Some(diff) = first_difference("record", &comparable(record), &comparable(back)) {
        panic!("{diff}");
    }
}

/// Issue 12: a workbook written in English (sheets `Form`, `Summary`, `Findings`, `Changes`,
/// English headers, the legend under the form) reads back as the same records, whether it
/// holds one form or several, of a department or of a project.
#[test]
fn an_english_workbook_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sheets) in [
        ("panyu.xlsx", vec!["Form"]),
        (
            "units-workbook.xlsx",
            vec![
                "Form-广州市海珠区水务局",
                "Form-广州市海珠区河涌管理所",
                "Form-广州市海珠区排水设施管理所",
            ],
        ),
        ("project-unbalanced.xlsx", vec!["Form"]),
    ] {
        let input = crate::common::fixtures().join(name).display().to_string();
        let args = [
            "convert",
            input.as_str(),
            "-o",
            "en.xlsx",
            "--lang",
            "en",
            "--force",
        ];
        let out = jixiao(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
        let first = as_list(run_json(
            &["convert", input.as_str(), "-o", "-"],
            dir.path(),
            0,
        ));
        let second = as_list(run_json(&["convert", "en.xlsx", "-o", "-"], dir.path(), 0));
        let read: Vec<&str> = second
            .iter()
            .map(|r| r["source"]["sheet"].as_str().unwrap())
            .collect();
        assert_eq!(read, sheets, "{name}");
        for (a, b) in first.iter().zip(&second) {
            if let Some(diff) =
                first_difference("record", &comparable(a.clone()), &comparable(b.clone()))
            {
                panic!("{name}: {diff}");
            }
        }
    }
}
