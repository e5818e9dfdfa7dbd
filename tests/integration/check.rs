//! Issue 3: `jixiao check` finds what each fixture must show, and a folder run keeps going.

use serde_json::Value;

use crate::common::{fixtures, good_fixtures, jixiao, run_json, show};

/// `check … --format json` in a temporary folder, insisting on `status`.
fn check_json(args: &[&str], status: i32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    run_json(args, dir.path(), status)
}

/// Every `must_find` of every fixture is reported (same code, same field where given), and the
/// fixtures that must be clean are.
#[test]
fn every_fixture_reports_its_must_find() {
    for (path, expected) in good_fixtures() {
        let p = path.display().to_string();
        let args = ["check", p.as_str(), "--format", "json"];
        // A form with an error finding exits 1.
        let status = if expected["no_errors"] == true { 0 } else { 1 };
        let report = check_json(&args, status);
        let shown = format!("{}: {report}", path.display());
        assert_eq!(report["format"], "jixiao.report/1");
        let file = &report["files"][0];
        assert_eq!(file["read"], true, "{shown}");
        let findings = file["findings"].as_array().unwrap();
        for m in expected["must_find"].as_array().unwrap() {
            let found = findings.iter().any(|f| {
                f["code"] == m["code"] && (m["field"].is_null() || f["field"] == m["field"])
            });
            assert!(found, "{}: missing {m}\n{shown}", path.display());
        }
        let count = |sev: &str| findings.iter().filter(|f| f["severity"] == sev).count();
        if expected["no_errors"] == true {
            assert_eq!(count("error"), 0, "{}\n{shown}", path.display());
        }
        if expected["no_warnings"] == true {
            assert_eq!(count("warning"), 0, "{}\n{shown}", path.display());
        }
        // Every finding has its message, its suggestion and a cell when it names a field
        // (a section such as `tasks` included: its cell is the section's first).
        for f in findings {
            assert!(!f["message"].as_str().unwrap().is_empty());
            assert!(!f["suggestion"].as_str().unwrap().is_empty());
            if f["field"].is_string() {
                assert!(f["cell"].is_string(), "no cell: {f}\n{shown}");
            }
        }
    }
}

/// The Panyu form's known defects (FORM.md §4), with their cells and words.
#[test]
fn panyu_findings_at_their_cells() {
    let p = fixtures().join("panyu.xlsx").display().to_string();
    let report = check_json(&["check", p.as_str(), "--format", "json"], 0);
    let shown = report.to_string();
    let findings = report["files"][0]["findings"].as_array().unwrap().clone();
    let get = |code: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("{code}\n{shown}"))
            .clone()
    };
    let dup = get("indicator-duplicate");
    assert_eq!(dup["field"], "indicators[6].name");
    assert_eq!(dup["cell"], "Sheet1!D22");
    assert_eq!(
        dup["message"],
        "三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19）"
    );
    let gap = get("task-funds-uncovered");
    assert_eq!(
        gap["message"],
        "重点工作任务拟投入的资金合计373.32，少于项目支出485.96，还有112.64未列入任务"
    );
    let no_op = get("target-no-operator");
    assert_eq!(no_op["cell"], "Sheet1!F23");
    let changes = report["files"][0]["changes"].as_array().unwrap();
    let first = &changes[0];
    assert_eq!(first["code"], "target-symbol");
    assert_eq!(first["field"], "indicators[0].period");
    assert_eq!(first["cell"], "Sheet1!E16");
    assert_eq!(first["before"], "≧12次");
    assert_eq!(first["after"], "≥12次");
    assert!(findings.iter().all(|f| f["severity"] != "error"), "{shown}");
}

/// A folder of good and bad fixtures: every good form is reported, every bad file once as
/// `file-unreadable`, and the exit status is 1.
#[test]
fn a_folder_of_good_and_bad_files() {
    let dir = fixtures().display().to_string();
    let report = check_json(&["check", dir.as_str(), "--format", "json"], 1);
    let shown = report.to_string();
    let files = report["files"].as_array().unwrap();
    let good = good_fixtures().len();
    let count = |dir: &str| std::fs::read_dir(fixtures().join(dir)).unwrap().count();
    let bad = count("bad") + count("regress");
    // The expected JSON files are JSON inputs too, but not records: they are unreadable.
    let read: Vec<&Value> = files.iter().filter(|f| f["read"] == true).collect();
    assert_eq!(read.len(), good, "{shown}");
    let unreadable: Vec<&Value> = files.iter().filter(|f| f["read"] == false).collect();
    for f in &unreadable {
        let n = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["code"] == "file-unreadable")
            .count();
        assert_eq!(n, 1, "{f}");
        assert!(!f["error"].as_str().unwrap().is_empty());
    }
    let bad_names: Vec<&str> = unreadable
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .filter(|n| !n.ends_with(".expected.json"))
        .collect();
    assert_eq!(bad_names.len(), bad, "{bad_names:?}");
}

/// Text output: header per file, errors first, a totals line; exit 1 for an error.
#[test]
fn text_report_for_a_person() {
    let p = fixtures().join("errors-budget.xlsx").display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let args = ["check", p.as_str()];
    let out = jixiao(&args, dir.path());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "errors-budget.xlsx  模板 gz-dept-overall  错误 5，警告 2，提示 1，修正 0"
    );
    assert_eq!(
        lines[1],
        "  错误 amount-not-number Sheet1!C8 “其他事业发展性支出”填写为“待定”，不是数字 → 请填写数字（金额以万元为单位，人数、单位数填整数），没有则填 0"
    );
    assert!(
        lines[1..6].iter().all(|l| l.starts_with("  错误")),
        "{text}"
    );
    assert!(
        lines[6..8].iter().all(|l| l.starts_with("  警告")),
        "{text}"
    );
    assert_eq!(
        *lines.last().unwrap(),
        "合计：文件 1 个，其中 0 个无法读取；已读取的申报表中错误 5，警告 2，提示 1，修正 0"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

/// Every finding the fixtures give, the failures' too, fills exactly the holes its catalogue
/// entry declares, so no message renders with a `{hole}` left in it. Read in worker processes:
/// `regress/` holds files that exhaust memory in process.
#[cfg(unix)]
#[test]
fn every_finding_of_the_fixtures_fills_its_holes() {
    use jixiao::inputs::process_path;
    use jixiao::messages::Lang;
    use jixiao::pipeline::Config;
    let pool = crate::mutants::pool();
    let session = pool.session(&Config::default());
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["", "bad", "regress"] {
        let dir = crate::common::fixtures().join(dir);
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_file() && !e.path().to_string_lossy().ends_with(".expected.json") {
                files.push(e.path());
            }
        }
    }
    let mut seen = 0;
    for path in files {
        let findings: Vec<jixiao::model::Finding> = match process_path(&path, &session).outcome {
            Ok(forms) => forms.into_iter().flat_map(|c| c.findings).collect(),
            Err(failure) => failure.findings(Lang::Zh),
        };
        for f in findings {
            let mut filled: Vec<_> = f.params.iter().map(|(h, _)| *h).collect();
            filled.sort();
            filled.dedup();
            let mut declared = f.code.def().holes.to_vec();
            declared.sort();
            assert_eq!(filled, declared, "{}: {}", path.display(), f.code);
            assert!(
                !f.message(Lang::En).contains('{'),
                "{}",
                f.message(Lang::En)
            );
            seen += 1;
        }
    }
    assert!(seen > 100, "{seen} findings");
}
