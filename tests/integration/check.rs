//! Issue 3: `jixiao check` finds what each fixture must show, and a folder run keeps going.

use serde_json::Value;

use crate::common::{
    broken_expectations, codes, findings, findings_where, fixtures, good_fixtures, jixiao, pending,
    records_read, run_json, show,
};

/// `check … --format json` in a temporary folder, insisting on `status`.
fn check_json(args: &[&str], status: i32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    run_json(args, dir.path(), status)
}

/// Every fixture's expectations hold over every report entry of its file (one per form):
/// each `must_find` is reported, no `must_not_find` is, and the fixtures that must be clean
/// are. The report has one entry per form the officer counts, each with its sheet (and range).
#[test]
fn every_fixture_reports_its_must_find() {
    let mut failures = Vec::new();
    for (path, expected) in good_fixtures() {
        if pending(&expected).is_some() {
            continue;
        }
        let p = path.display().to_string();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let args = ["check", p.as_str(), "--format", "json"];
        // A form with an error finding exits 1.
        let status = if expected["no_errors"] == true { 0 } else { 1 };
        let report = check_json(&args, status);
        let shown = format!("{}: {report}", path.display());
        assert_eq!(report["format"], "jixiao.report/1");
        let entries: Vec<&Value> = report["files"].as_array().unwrap().iter().collect();
        let sheets: Vec<&Value> = entries.iter().map(|e| &e["sheet"]).collect();
        // The entry names the form's sheet, and where on it the form is when the sheet holds
        // several (docs/RECORDS.md §2).
        let want: Vec<Value> = records_read(&expected)
            .iter()
            .map(
                |r| match (&r["source"]["sheet"], r["source"]["range"].as_str()) {
                    (Value::String(sheet), Some(range)) => Value::from(format!("{sheet}!{range}")),
                    (sheet, _) => sheet.clone(),
                },
            )
            .collect();
        assert_eq!(sheets, want.iter().collect::<Vec<_>>(), "{shown}");
        for e in &entries {
            assert_eq!(e["read"], true, "{shown}");
            assert_eq!(e["file"].as_str(), Some(name.as_str()), "{shown}");
        }
        failures.extend(
            broken_expectations(&entries, &expected)
                .into_iter()
                .map(|b| format!("{name}: {b}")),
        );
        // Every finding has its message, its suggestion and a cell when it names a field
        // (a section such as `tasks` included: its cell is the section's first).
        for f in entries
            .iter()
            .flat_map(|e| e["findings"].as_array().unwrap())
        {
            assert!(!f["message"].as_str().unwrap().is_empty());
            assert!(!f["suggestion"].as_str().unwrap().is_empty());
            if f["field"].is_string() {
                assert!(f["cell"].is_string(), "no cell: {f}\n{shown}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The written 申报表 marks what check finds in 实施周期指标值 (docs/CHECKS.md: every target check on
/// both columns): the period cells of `period-defects` carry their findings' colour and note.
#[test]
fn period_findings_are_marked_on_the_written_form() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("period-defects.xlsx").display().to_string();
    crate::common::run(&["convert", &input, "-o", "out.xlsx"], dir.path(), 0);
    let bytes = std::fs::read(dir.path().join("out.xlsx")).unwrap();
    let comments = crate::common::xlsx_part(&bytes, "xl/comments1.xml").unwrap();
    // Each note on its 实施周期指标值 cell (column E of the written form), none on 年度指标值.
    for (cell, message) in [
        (
            "E18",
            "三级指标“科技项目验收通过率”的实施周期指标值“XX%”是模板中的占位内容，尚未填写",
        ),
        (
            "E19",
            "三级指标“补助资金拨付及时率”的实施周期指标值“90%-80%”下限90大于上限80",
        ),
        ("E20", "三级指标“科技创新券兑付金额”的实施周期指标值为空"),
        (
            "E21",
            "三级指标“带动企业研发投入”的实施周期指标值“30亿元”没有计算符号",
        ),
    ] {
        let note = format!(r#"<comment ref="{cell}""#);
        let at = comments
            .find(&note)
            .unwrap_or_else(|| panic!("{cell}\n{comments}"));
        let end = comments[at..].find("</comment>").unwrap() + at;
        assert!(
            comments[at..end].contains(message),
            "{cell}: {message}\n{comments}"
        );
    }
    assert!(!comments.contains(r#"<comment ref="F"#), "{comments}");
}

/// The Panyu form's known defects (docs/FORM.md §4), with their cells and words.
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
        "重点工作任务拟投入的资金合计373.32万元，少于项目支出485.96万元，还有112.64万元未列入任务"
    );
    // `30亿元` in both target columns: each cell gets its finding (docs/CHECKS.md).
    let no_op: Vec<(&Value, &Value)> = findings
        .iter()
        .filter(|f| f["code"] == "target-no-operator")
        .map(|f| (&f["field"], &f["cell"]))
        .collect();
    assert_eq!(
        no_op,
        [
            (
                &Value::from("indicators[7].period"),
                &Value::from("Sheet1!E23")
            ),
            (
                &Value::from("indicators[7].annual"),
                &Value::from("Sheet1!F23")
            )
        ]
    );
    let changes = report["files"][0]["changes"].as_array().unwrap();
    let first = &changes[0];
    assert_eq!(first["code"], "target-symbol");
    assert_eq!(first["field"], "indicators[0].period");
    assert_eq!(first["cell"], "Sheet1!E16");
    assert_eq!(first["before"], "≧12次");
    assert_eq!(first["after"], "≥12次");
    assert!(findings.iter().all(|f| f["severity"] != "error"), "{shown}");
}

/// A folder of good and bad fixtures: every good form is reported (a workbook of three forms
/// gives three entries), every bad file once as `file-unreadable`, and the exit status is 1.
#[test]
fn a_folder_of_good_and_bad_files() {
    let dir = fixtures().display().to_string();
    let report = check_json(&["check", dir.as_str(), "--format", "json"], 1);
    let shown = report.to_string();
    let files = report["files"].as_array().unwrap();
    let fixtures_all = good_fixtures();
    let good: usize = fixtures_all
        .iter()
        .map(|(_, e)| records_read(e).len())
        .sum();
    // Fixtures of a kind of form not read yet (none since issue 13) are unreadable, like bad
    // files.
    let waiting = fixtures_all
        .iter()
        .filter(|(_, e)| pending(e).is_some())
        .count();
    // Inputs only, as a folder search finds them: not the scripts, notes and ignore files; the
    // documents sent instead of a spreadsheet (a Word file, a PDF) are each a row of their own.
    let count = |dir: &str| {
        let entries = std::fs::read_dir(fixtures().join(dir)).unwrap().flatten();
        let is_input = |p: &std::path::Path| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                jixiao::inputs::EXTENSIONS.contains(&e) || jixiao::inputs::DOCUMENTS.contains(&e)
            })
        };
        entries.filter(|e| is_input(&e.path())).count()
    };
    let bad = count("bad") + count("regress") + count("make") + count("documents");
    // The expected JSON files are JSON inputs too, but not records: they are unreadable.
    let read: Vec<&Value> = files.iter().filter(|f| f["read"] == true).collect();
    assert_eq!(read.len(), good, "{shown}");
    let unreadable: Vec<&Value> = files.iter().filter(|f| f["read"] == false).collect();
    // One finding says why: file-unreadable, or template-unknown for a file that holds no form.
    for f in &unreadable {
        let codes = codes(f);
        assert!(
            codes == ["file-unreadable"] || codes == ["template-unknown"],
            "{f}"
        );
        assert!(!f["error"].as_str().unwrap().is_empty());
    }
    let bad_names: Vec<&str> = unreadable
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .filter(|n| !n.ends_with(".expected.json"))
        .collect();
    assert_eq!(bad_names.len(), bad + waiting, "{bad_names:?}");
}

/// Text output: header per file, errors first, each line `级别 单元格 规则：说明 → 建议 [代码]`,
/// a totals line; exit 1 for an error. Issue 12: each count is the number of lines under its
/// word (错误 / 警告 / 提示 / 已修正).
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
        "errors-budget.xlsx  模板 区级，六列  错误 5，警告 2，提示 1，已修正 0"
    );
    assert_eq!(
        lines[1],
        "  错误 Sheet1!C8 金额不是数字：“其他事业发展性支出”填写为“待定”，不是数字 → 请填写数字（金额以万元为单位，人数、单位数填整数），没有则填 0 [amount-not-number]"
    );
    assert!(
        lines[1..6].iter().all(|l| l.starts_with("  错误")),
        "{text}"
    );
    assert!(
        lines[6..8].iter().all(|l| l.starts_with("  警告")),
        "{text}"
    );
    assert!(lines[8].starts_with("  提示 "), "{text}");
    assert_eq!(lines[9], "", "{text}");
    assert_eq!(
        *lines.last().unwrap(),
        "合计：文件 1 个，其中 0 个无法读取；读取申报表 1 份，错误 5，警告 2，提示 1，已修正 0"
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

/// Hidden sheets are not what the officer sees (fixture hidden-draft): the visible form is the
/// one entry and the hidden draft is said in one info line. A workbook whose only form is on a
/// hidden sheet is read anyway, with a warning that says where it was.
#[test]
fn hidden_sheets_are_said_not_dropped() {
    let p = fixtures().join("hidden-draft.xlsx").display().to_string();
    let report = check_json(&["check", p.as_str(), "--format", "json"], 0);
    let entries = report["files"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{report}");
    assert_eq!(entries[0]["sheet"], "2025年度申报表");
    let notes = findings_where(&entries[0], "code", "sheet-hidden-skipped");
    assert_eq!(notes.len(), 1, "{report}");
    assert_eq!(notes[0]["severity"], "info");
    assert_eq!(
        notes[0]["message"],
        "隐藏的工作表“2024年度（旧）”中也有一份申报表，打开文件时看不到它，未读取"
    );

    // The Panyu form copied, cell by cell, onto a hidden sheet behind a visible cover.
    use calamine::{Data, Reader};
    let mut panyu: calamine::Xlsx<_> =
        calamine::open_workbook(fixtures().join("panyu.xlsx")).unwrap();
    let cells = panyu.worksheet_range("Sheet1").unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("封面")
        .unwrap()
        .write_string(0, 0, "申报材料")
        .unwrap();
    let hidden = wb.add_worksheet().set_name("申报表").unwrap();
    for (r, c, v) in cells.used_cells() {
        let (r, c) = (r as u32, c as u16);
        match v {
            Data::String(s) => hidden.write_string(r, c, s).unwrap(),
            Data::Float(f) => hidden.write_number(r, c, *f).unwrap(),
            Data::Int(i) => hidden.write_number(r, c, *i as f64).unwrap(),
            _ => hidden,
        };
    }
    hidden.set_hidden(true);
    let dir = tempfile::tempdir().unwrap();
    wb.save(dir.path().join("hidden.xlsx")).unwrap();
    let report = run_json(&["check", "hidden.xlsx", "--format", "json"], dir.path(), 0);
    let entries = report["files"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{report}");
    assert_eq!(entries[0]["sheet"], "申报表");
    let warning = findings(&entries[0])
        .find(|f| f["code"] == "form-sheet-hidden")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["message"],
        "申报表所在的工作表“申报表”是隐藏的，打开文件时看不到它"
    );
}

/// docs/RECORDS.md §2: in a folder, `file` is the path below the folder named, so two forms of one
/// name in two subfolders stay apart: in the JSON report, the text report and its messages,
/// and in `source.file` of the records `convert` writes.
#[test]
fn files_in_a_folder_are_named_by_their_path_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(d.join("in").join(sub)).unwrap();
        std::fs::copy(
            fixtures().join("panyu.xlsx"),
            d.join("in").join(sub).join("表.xlsx"),
        )
        .unwrap();
    }
    std::fs::copy(fixtures().join("bad/empty.xlsx"), d.join("in/a/空.xlsx")).unwrap();
    let report = run_json(&["check", "in", "--format", "json"], d, 1);
    let files: Vec<_> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a/空.xlsx", "a/表.xlsx", "b/表.xlsx"], "{report}");
    assert_eq!(
        report["files"][0]["error"], "a/空.xlsx：文件是空的（0 字节）",
        "{report}"
    );

    let args = ["check", "in"];
    let out = jixiao(&args, d);
    let text = String::from_utf8_lossy(&out.stdout);
    for header in [
        "a/空.xlsx  无法读取  错误 1，警告 0，提示 0，已修正 0\n  错误 — 文件无法读取：a/空.xlsx：文件是空的（0 字节） → ",
        "\na/表.xlsx  广州番禺经济技术开发区管理委员会  模板",
        "\nb/表.xlsx  广州番禺经济技术开发区管理委员会  模板",
    ] {
        assert!(
            text.contains(header),
            "no {header:?}\n{}",
            show(&args, &out)
        );
    }

    let records = run_json(&["convert", "in", "-o", "-"], d, 1);
    let sources: Vec<_> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["a/表.xlsx", "b/表.xlsx"], "{records}");
}

/// An xlsx like `panyu.xlsx` whose part `part` is rewritten by `edit`.
fn panyu_with(part: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let bytes = std::fs::read(fixtures().join("panyu.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut edit = Some(edit);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == part {
            let edit = edit.take().unwrap();
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    assert!(edit.is_none(), "no part {part}");
    w.finish().unwrap().into_inner()
}

/// Regression (issue 10, item 6): a text longer than a cell holds is cut while reading (the
/// reader keeps 32,767 characters, `read::Sheet::cut_cells`), and the form said 通过 as if
/// nothing was lost. Now the field at the cut cell is `text-too-long`, at its cell, and the
/// record holds the first 32,767 characters.
#[test]
fn a_text_cut_while_reading_is_reported_at_its_cell() {
    let long = "很".repeat(40_000);
    let xlsx = panyu_with("xl/worksheets/sheet1.xml", |xml| {
        assert_eq!(xml.matches("广州番禺经济技术开发区管理委员会").count(), 1);
        xml.replace("广州番禺经济技术开发区管理委员会", &long)
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long.xlsx"), xlsx).unwrap();
    // A warning: panyu has no error, so the run passes with it.
    let report = run_json(&["check", "long.xlsx", "--format", "json"], dir.path(), 0);
    let entry = &report["files"][0];
    assert_eq!(entry["status"], "pass", "{entry}");
    let found = findings_where(entry, "code", "text-too-long");
    assert_eq!(
        found,
        [
            &serde_json::json!({"code": "text-too-long", "severity": "warning",
            "field": "department", "cell": "Sheet1!B2",
            "message": "“部门名称”的文字超过 Excel 单元格的上限 32767 字，只保留了前 32767 字",
            "suggestion": "请精简这段文字，详细内容可另附说明材料",
            "fixed": false, "rule": "文字超过单元格上限", "place": "部门名称"})
        ]
    );
    assert_eq!(entry["counts"]["warnings"], 5, "panyu's 4 and this one");
    let records = run_json(&["convert", "long.xlsx", "-o", "-"], dir.path(), 0);
    assert_eq!(records["department"], "很".repeat(32_767));
}

/// Panyu with 基本支出 (C4) written as `formula` and no saved result, as openpyxl and report
/// generators write it.
fn panyu_formula_c4(formula: &str) -> Vec<u8> {
    panyu_with("xl/worksheets/sheet1.xml", |xml| {
        let cell = r#"<c r="C4" s="1" t="n"><v>440.65</v></c>"#;
        assert_eq!(xml.matches(cell).count(), 1);
        xml.replace(
            cell,
            &format!(r#"<c r="C4" s="1"><f>{formula}</f><v /></c>"#),
        )
    })
}

/// Regression (new-user trial): 基本支出 written `=300.45+140.2` with no saved result was read
/// as empty without a word, and the form was reported unbalanced by 440.65. Now the formula is
/// worked out, the record holds 440.65, and the correction is said at the cell.
#[test]
fn a_formula_without_its_result_is_worked_out_and_said() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("formula.xlsx"),
        panyu_formula_c4("300.45+140.2"),
    )
    .unwrap();
    let report = run_json(
        &["check", "formula.xlsx", "--format", "json"],
        dir.path(),
        0,
    );
    let entry = &report["files"][0];
    let codes = codes(entry);
    assert!(
        !codes.contains(&&Value::from("budget-unbalanced")),
        "{entry}"
    );
    let found = findings_where(entry, "code", "formula-evaluated");
    assert_eq!(
        found,
        [
            &serde_json::json!({"code": "formula-evaluated", "severity": "info",
            "field": "budget.basic", "cell": "Sheet1!C4",
            "message": "“基本支出”的公式 =300.45+140.2 没有保存计算结果，已按公式算得 440.65",
            "suggestion": "请核对算得的数值；今后请在 Excel 或 WPS 中打开此文件、保存后再报送",
            "fixed": true, "rule": "公式没有保存结果", "place": "预算整体情况·基本支出"})
        ]
    );
    let change = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "formula-evaluated")
        .unwrap();
    assert_eq!(
        change,
        &serde_json::json!({"code": "formula-evaluated", "field": "budget.basic",
            "cell": "Sheet1!C4", "before": "=300.45+140.2", "after": "440.65",
            "place": "预算整体情况·基本支出", "rule": "公式没有保存结果"})
    );
    let records = run_json(&["convert", "formula.xlsx", "-o", "-"], dir.path(), 0);
    assert_eq!(records["budget"]["basic"], "440.65");
}

/// A formula jixiao does not work out is an error at its cell naming the formula, the record
/// holds null, and no sum is claimed as if the cell were zero.
#[test]
fn a_formula_that_cannot_be_worked_out_is_an_error_not_a_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vlookup.xlsx"),
        panyu_formula_c4("VLOOKUP(A4,明细!A:C,3,0)"),
    )
    .unwrap();
    let report = run_json(
        &["check", "vlookup.xlsx", "--format", "json"],
        dir.path(),
        1,
    );
    let entry = &report["files"][0];
    let errors = findings_where(entry, "severity", "error");
    assert_eq!(
        errors,
        [
            &serde_json::json!({"code": "formula-no-value", "severity": "error",
            "field": "budget.basic", "cell": "Sheet1!C4",
            "message": "“基本支出”是公式 =VLOOKUP(A4,明细!A:C,3,0)，文件中没有保存计算结果，无法读出其数值",
            "suggestion": "请在 Excel 或 WPS 中打开此文件，确认这个公式能算出结果（没有除以 0、循环引用等错误）并保存后再报送",
            "fixed": false, "rule": "公式没有计算结果", "place": "预算整体情况·基本支出"})
        ],
        "{entry}"
    );
    let codes = codes(entry);
    for quiet in [
        "budget-unbalanced",
        "budget-level-unbalanced",
        "amount-not-number",
    ] {
        assert!(!codes.contains(&&Value::from(quiet)), "{quiet}: {entry}");
    }
    let text = jixiao(&["check", "vlookup.xlsx", "--lang", "en"], dir.path());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("\"基本支出\" is the formula =VLOOKUP(A4,明细!A:C,3,0) and the file holds no result for it, so its value cannot be read"),
        "{text}"
    );
    // convert writes the record whatever it holds; its status is no verdict.
    let records = run_json(&["convert", "vlookup.xlsx", "-o", "-"], dir.path(), 0);
    assert_eq!(records["budget"]["basic"], Value::Null, "{records}");
}

/// Regression (a new user's trial): a unit's form pasted under the department's on one sheet
/// vanished, errors and all. Each is now an entry of its own, named by its place on the sheet,
/// and the unit's unbalanced budget is reported at its own cell, word for word.
#[test]
fn two_forms_on_one_sheet_are_two_entries() {
    let p = fixtures()
        .join("onesheet-stacked.xlsx")
        .display()
        .to_string();
    let report = check_json(
        &["check", p.as_str(), "--format", "json", "--lang", "en"],
        1,
    );
    let entries = report["files"].as_array().unwrap();
    let places: Vec<&str> = entries
        .iter()
        .map(|e| e["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["Sheet1!A1:F23", "Sheet1!A26:F45"], "{report}");
    assert_eq!(entries[1]["department"], "广州市海珠区河涌管理所");
    let errors: Vec<(&Value, &Value)> = findings_where(&entries[1], "severity", "error")
        .into_iter()
        .map(|f| (&f["cell"], &f["message"]))
        .collect();
    assert_eq!(
        errors,
        [(
            &Value::from("Sheet1!C29"),
            &Value::from(
                "基本支出 + 项目支出 = 2092.35 万元, but 财政拨款 + 其他资金 = 1992.35 万元: a difference of 100.00 万元"
            )
        )],
        "{report}"
    );
    assert_eq!(entries[0]["counts"]["errors"], 0, "{report}");
}

/// Forms placed askew on one sheet: the first is read, within its own rows and columns, and
/// the second is named where it starts, in both languages.
#[test]
fn a_second_form_askew_is_said_where_it_starts() {
    let p = fixtures().join("onesheet-askew.xlsx").display().to_string();
    for (lang, message, suggestion) in [
        (
            "zh",
            "工作表“Sheet1”中从 I26 单元格起还有一份申报表，无法与前一份分开（两者行列交错，或这一份不完整），因此没有读取",
            "请把每份申报表放在单独的工作表中后重新报送",
        ),
        (
            "en",
            "The sheet \"Sheet1\" holds another form from cell I26 that could not be read apart from the form before it (their rows and columns overlap, or it is incomplete), so it was not read",
            "Put each form on a sheet of its own and submit again",
        ),
    ] {
        let report = check_json(&["check", p.as_str(), "--format", "json", "--lang", lang], 0);
        let entries = report["files"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{report}");
        assert_eq!(entries[0]["sheet"], "Sheet1");
        let findings = entries[0]["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{report}");
        let f = &findings[0];
        assert_eq!(f["code"], "sheet-second-form");
        assert_eq!(f["severity"], "warning");
        assert_eq!(f["cell"], "Sheet1!I26");
        assert_eq!(f["message"], message);
        assert_eq!(f["suggestion"], suggestion);
    }
}

/// A department that sent a Word file or a PDF instead of its spreadsheet is a row in a folder
/// check, saying what the file is and how to save it as `.xlsx`, not left out in silence.
#[test]
fn a_document_in_a_folder_is_a_row_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    std::fs::create_dir(&forms).unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), forms.join("panyu.xlsx")).unwrap();
    std::fs::copy(
        fixtures().join("documents/print.pdf"),
        forms.join("某局.pdf"),
    )
    .unwrap();
    std::fs::write(forms.join("说明.txt"), "not a form").unwrap();
    let p = forms.display().to_string();
    let report = check_json(&["check", p.as_str(), "--format", "json"], 1);
    let files: Vec<(&str, &Value)> = (report["files"].as_array().unwrap().iter())
        .map(|f| (f["file"].as_str().unwrap(), &f["error"]))
        .collect();
    assert_eq!(
        files,
        [
            ("panyu.xlsx", &Value::Null),
            (
                "某局.pdf",
                &Value::from("某局.pdf：这是 PDF 文件，其中的表格无法直接读取。请向报送单位索取原始的表格文件；或用 WPS 的“PDF 转 Excel”转换后，“另存为 .xlsx”再处理")
            ),
        ]
    );
}
