//! `jixiao merge` end to end: the real binary on copies of the fixtures in a temporary folder,
//! the workbook read back with calamine (cached formula results included) and, for what calamine
//! does not show (formula text), from the zipped XML.
//!
//! The inputs are copies, not `tests/fixtures` itself: merge also reads `.json` records, and the
//! fixtures folder holds `.expected.json` files that are not records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use calamine::{Data, DataType, Reader, Xlsx};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{
    expected_records, fixtures, good_fixtures, records_read, run, show, xlsx_part,
};

/// The sheets of a merge of department forms only.
const SHEETS: [&str; 5] = ["汇总", "指标明细", "重点任务", "校验结果", "修改记录"];
/// The sheets of a merge with project forms among its inputs: 项目汇总 beside 汇总.
const SHEETS_WITH_PROJECTS: [&str; 6] = [
    "汇总",
    "项目汇总",
    "指标明细",
    "重点任务",
    "校验结果",
    "修改记录",
];
/// Columns of 校验结果: 文件 | 工作表 | 部门 | 项目 | 级别 | 规则 | 位置 | 字段 | 说明 | 建议 | 代码,
/// the code last, for reference.
const LEVEL: usize = 4;
const RULE: usize = 5;
const FIELD: usize = 7;
const CODE: usize = 10;
/// The status column of 汇总 (after 错误 | 警告 | 提示 | 已修正) and of 项目汇总.
const STATUS: usize = 23;
const PROJECT_STATUS: usize = 16;

/// `in/` with every good spreadsheet fixture and `in/bad/` with every bad one.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("in");
    let bad = good.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    // The good fixtures of every folder, side by side (their names do not clash).
    let good_files = crate::common::GOOD_FOLDERS
        .iter()
        .flat_map(|f| std::fs::read_dir(fixtures().join(f)).unwrap().flatten());
    for entry in good_files {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let spreadsheet = path.extension().is_some_and(|e| {
            jixiao::inputs::EXTENSIONS.contains(&e.to_string_lossy().as_ref()) && e != "json"
        });
        if path.is_file() && spreadsheet {
            std::fs::copy(&path, good.join(&name)).unwrap();
        }
    }
    for entry in std::fs::read_dir(fixtures().join("bad")).unwrap().flatten() {
        std::fs::copy(entry.path(), bad.join(entry.file_name())).unwrap();
    }
    dir
}

/// Every file below `dir`, sorted as paths (the order merge promises), relative to `dir`.
fn sorted_files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    found.sort();
    found
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

type Sheet = Vec<Vec<Data>>;

/// Every sheet of a workbook, in order, as rows of cells from A1.
fn read_book(path: &Path) -> Vec<(String, Sheet)> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let (h, w) = range
                .end()
                .map(|(r, c)| (r as usize + 1, c as usize + 1))
                .unwrap_or((0, 0));
            let rows = (0..h)
                .map(|r| {
                    (0..w)
                        .map(|c| {
                            range
                                .get_value((r as u32, c as u32))
                                .cloned()
                                .unwrap_or(Data::Empty)
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn sheet<'a>(book: &'a [(String, Sheet)], name: &str) -> &'a Sheet {
    &book.iter().find(|(n, _)| n == name).unwrap().1
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn decimal(v: &Value) -> Decimal {
    v.as_str()
        .map(|s| Decimal::from_str(s).unwrap())
        .unwrap_or_default()
}

fn float(d: Decimal) -> f64 {
    d.to_string().parse().unwrap()
}

/// The records merge reads from `in/`, through `merge -o all.json`.
fn records(dir: &Path) -> Vec<Value> {
    run(&["merge", "in", "-o", "all.json"], dir, 1);
    let v: Value = serde_json::from_slice(&std::fs::read(dir.join("all.json")).unwrap()).unwrap();
    v.as_array().unwrap().clone()
}

/// What a summary should hold for the files below `in/`, in sorted path order: per file, the
/// (sheet, name) of each form read of `kind` (a department form's department on 汇总, a project
/// form's project on 项目汇总), and for 汇总 one row without a form for a file that gives none
/// (a bad file).
fn expected_rows(files: &[String], kind: &str) -> Vec<(String, Option<(String, String)>)> {
    let fixtures = good_fixtures();
    let mut out = Vec::new();
    for file in files {
        let name = Path::new(file).file_name().unwrap().to_string_lossy();
        let records = fixtures
            .iter()
            .find(|(p, _)| p.file_name().unwrap().to_string_lossy() == name)
            .map(|(_, e)| records_read(e));
        let Some(records) = records else {
            if kind == "department" {
                out.push((file.clone(), None));
            }
            continue;
        };
        for r in records.iter().filter(|r| r["kind"] == kind) {
            let sheet = crate::common::place(r);
            let name = match kind {
                "project" => &r["project"]["name"],
                _ => &r["department"],
            };
            out.push((
                file.clone(),
                Some((sheet, name.as_str().unwrap().to_string())),
            ));
        }
    }
    out
}

/// Every form gets its 汇总 row (a workbook of three forms, three rows, each with its sheet),
/// in sorted path order, the totals are the exact decimal sums, every finding `check` reports
/// is in 校验结果, and the detail sheets have a row per item.
#[test]
fn merge_of_all_fixtures() {
    let dir = inputs();
    let d = dir.path();
    run(&["merge", "in", "-o", "all.xlsx"], d, 1);
    let book = read_book(&d.join("all.xlsx"));
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, SHEETS_WITH_PROJECTS);

    // 汇总: one row per department form in sorted order, then the totals.
    let files = sorted_files(&d.join("in"));
    let rows = expected_rows(&files, "department");
    let summary = sheet(&book, "汇总");
    assert_eq!(text(&summary[0][0]), "序号");
    assert_eq!(text(&summary[0][2]), "工作表");
    assert_eq!(text(&summary[0][STATUS]), "状态");
    let levels: Vec<String> = summary[0][19..23].iter().map(text).collect();
    assert_eq!(levels, ["错误", "警告", "提示", "已修正"]);
    assert_eq!(summary.len(), rows.len() + 2, "header, rows, totals");
    for (i, (file, form)) in rows.iter().enumerate() {
        let row = &summary[i + 1];
        assert_eq!(row[0], Data::Float((i + 1) as f64));
        assert_eq!(&text(&row[1]), file, "汇总 row {}", i + 2);
        let status = text(&row[STATUS]);
        match form {
            None => {
                assert_eq!(status, "无法读取", "{file}");
                assert_eq!(row[6], Data::Empty, "{file}: no money");
            }
            Some((sheet, department)) => {
                assert!(status == "通过" || status == "需修改", "{file}: {status}");
                assert_eq!(&text(&row[2]), sheet, "{file}");
                assert_eq!(&text(&row[3]), department, "{file}");
                // 模板: the template's name, as the convert workbook shows it.
                let template =
                    if file.starts_with("zhanjiang") || file.starts_with("split-explained") {
                        "市级部门整体预算绩效目标表（市级，五列）"
                    } else if file.starts_with("fj-dept") {
                        "部门整体支出绩效目标表（福建，五列）"
                    } else if file.starts_with("hn-dept") {
                        "整体绩效目标表（湖南，九列）"
                    } else {
                        "部门整体预算绩效目标申报表（区级，六列）"
                    };
                assert_eq!(text(&row[4]), template, "{file}");
            }
        }
    }

    // Totals: cached results equal the decimal sums of the records' amounts.
    let all_records = records(d);
    let (projects, records): (Vec<Value>, Vec<Value>) = all_records
        .iter()
        .cloned()
        .partition(|r| r["kind"] == "project");
    assert_eq!(
        records.len(),
        rows.iter().filter(|(_, f)| f.is_some()).count()
    );
    let sum = |f: &dyn Fn(&Value) -> Decimal| records.iter().map(f).sum::<Decimal>();
    let b = |k: &'static str| move |r: &Value| decimal(&r["budget"][k]);
    let expected_money = [
        (6, sum(&b("basic"))),
        (7, sum(&b("project"))),
        (
            8,
            sum(&|r| decimal(&r["budget"]["basic"]) + decimal(&r["budget"]["project"])),
        ),
        (9, sum(&b("appropriation"))),
        (10, sum(&b("other_funds"))),
        (
            11,
            sum(&|r| decimal(&r["budget"]["appropriation"]) + decimal(&r["budget"]["other_funds"])),
        ),
        (
            14,
            sum(&|r| {
                r["tasks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| decimal(&t["funds"]))
                    .sum()
            }),
        ),
    ];
    let totals = &summary[rows.len() + 1];
    assert_eq!(text(&totals[0]), "合计");
    for (c, want) in expected_money {
        assert_eq!(
            totals[c],
            Data::Float(float(want)),
            "汇总!{}{}: expected {want}, got {:?}",
            (b'A' + c as u8) as char,
            rows.len() + 2,
            totals[c]
        );
    }
    let tasks: usize = records
        .iter()
        .map(|r| r["tasks"].as_array().unwrap().len())
        .sum();
    let indicators: usize = records
        .iter()
        .map(|r| r["indicators"].as_array().unwrap().len())
        .sum();
    assert_eq!(totals[13], Data::Float(tasks as f64));
    assert_eq!(totals[15], Data::Float(indicators as f64));
    let xml = xlsx_part(
        &std::fs::read(d.join("all.xlsx")).unwrap(),
        "xl/worksheets/sheet1.xml",
    )
    .unwrap();
    let last = rows.len() + 1;
    for col in [
        "G", "H", "I", "J", "K", "L", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W",
    ] {
        assert!(
            xml.contains(&format!("<f>SUM({col}2:{col}{last})</f><v>")),
            "no stored SUM over column {col}"
        );
    }

    // 项目汇总: a row per project form in sorted order, with its figures, then the totals.
    let project_rows = expected_rows(&files, "project");
    let summary = sheet(&book, "项目汇总");
    assert_eq!(text(&summary[0][3]), "项目名称");
    assert_eq!(text(&summary[0][PROJECT_STATUS]), "状态");
    assert_eq!(
        summary.len(),
        project_rows.len() + 2,
        "header, rows, totals"
    );
    for (i, ((file, form), record)) in project_rows.iter().zip(&projects).enumerate() {
        let row = &summary[i + 1];
        let (sheet, name) = form.as_ref().unwrap();
        assert_eq!(row[0], Data::Float((i + 1) as f64));
        assert_eq!(&text(&row[1]), file, "项目汇总 row {}", i + 2);
        assert_eq!(&text(&row[2]), sheet, "{file}");
        assert_eq!(&text(&row[3]), name, "{file}");
        let p = &record["project"];
        assert_eq!(text(&row[4]), p["department"].as_str().unwrap(), "{file}");
        assert_eq!(text(&row[5]), p["implementer"].as_str().unwrap(), "{file}");
        assert_eq!(text(&row[6]), p["period"].as_str().unwrap(), "{file}");
        for (c, key) in [
            (7, "annual_total"),
            (8, "annual_appropriation"),
            (9, "annual_other"),
            (10, "period_total"),
        ] {
            let want = match record["funds"][key].as_str() {
                Some(m) => Data::Float(float(Decimal::from_str(m).unwrap())),
                None => Data::Empty,
            };
            assert_eq!(row[c], want, "{file} {key}");
        }
        let n = record["indicators"].as_array().unwrap().len();
        assert_eq!(row[11], Data::Float(n as f64), "{file}");
        let status = text(&row[PROJECT_STATUS]);
        assert!(status == "通过" || status == "需修改", "{file}: {status}");
    }
    let totals = &summary[project_rows.len() + 1];
    assert_eq!(text(&totals[0]), "合计");
    let funds = |k: &'static str| projects.iter().map(|r| decimal(&r["funds"][k])).sum();
    for (c, want) in [
        (7, funds("annual_total")),
        (8, funds("annual_appropriation")),
        (9, funds("annual_other")),
        (10, funds("period_total")),
    ] {
        assert_eq!(
            totals[c],
            Data::Float(float(want)),
            "项目汇总 totals, column {c}"
        );
    }
    let xml = xlsx_part(
        &std::fs::read(d.join("all.xlsx")).unwrap(),
        "xl/worksheets/sheet2.xml",
    )
    .unwrap();
    let last = project_rows.len() + 1;
    for col in ["H", "I", "J", "K", "L", "M", "N", "O", "P"] {
        assert!(
            xml.contains(&format!("<f>SUM({col}2:{col}{last})</f><v>")),
            "项目汇总: no stored SUM over column {col}"
        );
    }

    // 指标明细 and 重点任务: a row per item of every read form, a project form's two blocks
    // included, its project beside its department.
    let project_indicators: usize = projects
        .iter()
        .map(|r| {
            r["indicators"].as_array().unwrap().len()
                + r["period_indicators"].as_array().unwrap().len()
        })
        .sum();
    let list = sheet(&book, "指标明细");
    assert_eq!(list.len(), indicators + project_indicators + 1);
    assert_eq!(text(&list[0][3]), "项目");
    for r in &projects {
        let name = r["project"]["name"].as_str().unwrap();
        let rows = list.iter().filter(|row| text(&row[3]) == name).count();
        let n = r["indicators"].as_array().unwrap().len()
            + r["period_indicators"].as_array().unwrap().len();
        assert_eq!(rows, n, "指标明细 rows of {name}");
    }
    assert_eq!(sheet(&book, "重点任务").len(), tasks + 1);
    // Numbers stay numbers in those rows of text: an indicator's value, a task's funds.
    assert!(
        sheet(&book, "指标明细")[1..]
            .iter()
            .any(|r| matches!(r[10], Data::Float(_)) && matches!(r[14], Data::Float(_))),
        "指标明细: no numeric value"
    );
    assert!(
        sheet(&book, "重点任务")[1..]
            .iter()
            .any(|r| matches!(r[5], Data::Float(_))),
        "重点任务: no funds"
    );
    // The lists' text cells have the workbook's default style (宋体, wrapped, no border of
    // their own: no `s`), and the sheets print their gridlines; 汇总 keeps its borders.
    let bytes = std::fs::read(d.join("all.xlsx")).unwrap();
    let workbook = xlsx_part(&bytes, "xl/workbook.xml").unwrap();
    assert!(workbook.contains("<sheet name=\"指标明细\" sheetId=\"3\" r:id=\"rId3\"/>"));
    let list = xlsx_part(&bytes, "xl/worksheets/sheet3.xml").unwrap();
    assert!(
        list.contains("<c r=\"A2\" t=\"s\">"),
        "指标明细!A2 has a style"
    );
    assert!(list.contains("<printOptions gridLines=\"1\"/>"));
    let styles = xlsx_part(&bytes, "xl/styles.xml").unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let plain = &xfs[xfs.find("<xf ").unwrap()..xfs.find("</xf>").unwrap()];
    assert!(plain.contains("wrapText=\"1\""), "style 0: {plain}");
    let summary = xlsx_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert!(summary.contains("<c r=\"B2\" s=\""), "汇总!B2 has no style");
    assert!(!summary.contains("<printOptions gridLines"));

    // 校验结果: what check reports, file by file (both name a file by its path in the folder,
    // `bad/empty.xlsx`), each finding with its level (已修正 for a corrected one), its rule and
    // its place in the officer's words, its message and, last, its code: department duplicates
    // included, which both find across the batch.
    let out = run(&["check", "in", "--format", "json"], d, 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    type Line = [String; 6];
    let mut want: BTreeMap<(String, String), Vec<Line>> = BTreeMap::new();
    let mut counts: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    for f in report["files"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap().to_string();
        let sheet = f["sheet"].as_str().unwrap_or("").to_string();
        let c = &f["counts"];
        let n = |k: &str| c[k].as_u64().unwrap();
        counts.insert(
            (file.clone(), sheet.clone()),
            vec![n("errors"), n("warnings"), n("infos"), n("corrections")],
        );
        let lines = want.entry((file, sheet)).or_default();
        for finding in f["findings"].as_array().unwrap() {
            let level = match (finding["fixed"].as_bool().unwrap(), &finding["severity"]) {
                (true, _) => "已修正",
                (false, s) if s == "error" => "错误",
                (false, s) if s == "warning" => "警告",
                _ => "提示",
            };
            let s = |k: &str| finding[k].as_str().unwrap_or("").to_string();
            lines.push([
                level.to_string(),
                s("rule"),
                s("place"),
                s("message"),
                s("suggestion"),
                s("code"),
            ]);
        }
    }
    let findings = sheet(&book, "校验结果");
    let header: Vec<String> = findings[0][..=CODE].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "文件",
            "工作表",
            "部门",
            "项目",
            "级别",
            "规则",
            "位置",
            "字段",
            "说明",
            "建议",
            "代码"
        ]
    );
    let mut got: BTreeMap<(String, String), Vec<Line>> = BTreeMap::new();
    let mut duplicates = 0;
    for row in &findings[1..] {
        let key = (text(&row[0]), text(&row[1]));
        let code = text(&row[CODE]);
        duplicates += usize::from(code == "department-duplicate");
        if !code.is_empty() {
            let line = [LEVEL, RULE, FIELD, 8, 9, CODE].map(|c| text(&row[c]));
            got.entry(key).or_default().push(line);
        }
    }
    // Listed by level within a form: errors, warnings, infos, then the corrections (the
    // department duplicates, known at the end, close the list in a block of their own).
    let order = ["错误", "警告", "提示", "已修正"];
    for lines in got.values() {
        let ranks: Vec<usize> = lines
            .iter()
            .filter(|l| l[5] != "department-duplicate")
            .map(|l| order.iter().position(|w| *w == l[0]).unwrap())
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }
    assert_eq!(want.len(), rows.len() + project_rows.len());
    for (file, mut lines) in want {
        lines.sort();
        let mut have = got.remove(&file).unwrap_or_default();
        have.sort();
        assert_eq!(lines, have, "校验结果 of {file:?}");
    }
    assert!(duplicates > 0, "the fixtures name some departments twice");
    // The counts of 汇总 and 项目汇总 are the report's.
    for (name, first) in [("汇总", 19), ("项目汇总", 12)] {
        let summary = sheet(&book, name);
        for row in &summary[1..summary.len() - 1] {
            let key = (text(&row[1]), text(&row[2]));
            let want = counts[&key].clone();
            let have: Vec<u64> = row[first..first + 4]
                .iter()
                .map(|d| match d {
                    Data::Float(f) => *f as u64,
                    other => panic!("{name} {key:?}: {other:?}"),
                })
                .collect();
            assert_eq!(have, want, "{name} counts of {key:?}");
        }
    }
    assert!(got.is_empty(), "findings of unknown files: {got:?}");
    assert_eq!(
        all_records.len() + rows.iter().filter(|(_, f)| f.is_none()).count(),
        report["files"].as_array().unwrap().len(),
        "a report entry per form and per unreadable file"
    );
    // An unreadable input's row says why, in one line: it cannot be read, or it holds no form.
    let unreadable = sheet(&book, "校验结果")
        .iter()
        .filter(|r| ["file-unreadable", "template-unknown"].contains(&text(&r[CODE]).as_str()))
        .count();
    assert_eq!(unreadable, rows.iter().filter(|(_, f)| f.is_none()).count());
}

/// docs/OUTPUT.md §2, issues 11 and 13: merge of the fixtures never has fewer rows than the forms
/// an officer counts in them. Every form the expected files list has its own row with its
/// sheet, a department form's on 汇总 and a project form's on 项目汇总; a file that gives no
/// form has one row that says so; and a form of a kind not read (none since issue 13) would
/// have its line in 校验结果 naming its sheet.
#[test]
fn merge_has_a_row_for_every_form_an_officer_counts() {
    let dir = inputs();
    let d = dir.path();
    run(&["merge", "in", "-o", "all.xlsx", "--quiet"], d, 1);
    let book = read_book(&d.join("all.xlsx"));
    let body = |name: &str| {
        let summary = sheet(&book, name);
        summary[1..summary.len() - 1].to_vec()
    };
    let rows: Vec<Vec<Data>> = body("汇总").into_iter().chain(body("项目汇总")).collect();
    let notes: Vec<String> = sheet(&book, "校验结果")[1..]
        .iter()
        .filter(|r| text(&r[CODE]) == "sheet-partial-skipped")
        .map(|r| format!("{} {}", text(&r[0]), text(&r[8])))
        .collect();
    let mut counted = 0;
    for (path, expected) in good_fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let forms = expected_records(&expected);
        counted += forms.len();
        let sheets: Vec<String> = rows
            .iter()
            .filter(|r| text(&r[1]) == name)
            .map(|r| text(&r[2]))
            .collect();
        let read = records_read(&expected);
        if read.is_empty() {
            assert_eq!(sheets.len(), 1, "{name}: one row that says it gave no form");
            continue;
        }
        // Department forms first (汇总), then project forms (项目汇总), each in sheet order.
        let mut by_kind = read.clone();
        by_kind.sort_by_key(|r| r["kind"] == "project");
        let want: Vec<String> = by_kind.iter().map(crate::common::place).collect();
        assert_eq!(sheets, want, "{name}: a row per form, in sheet order");
        for unread in forms.iter().filter(|r| !read.contains(r)) {
            let sheet = unread["source"]["sheet"].as_str().unwrap();
            assert!(
                notes
                    .iter()
                    .any(|n| n.starts_with(&name) && n.contains(sheet)),
                "{name}: the form on {sheet} is not said anywhere: {notes:?}"
            );
        }
    }
    // Nothing else: the bad files' rows and a row per form read or per file without one.
    let bad = std::fs::read_dir(d.join("in/bad")).unwrap().count();
    let per_file: usize = good_fixtures()
        .iter()
        .map(|(_, e)| records_read(e).len().max(1))
        .sum();
    assert_eq!(
        rows.len(),
        per_file + bad,
        "{counted} forms counted in the fixtures"
    );
}

/// The same inputs give the same workbook content (the zip bytes may differ by timestamps).
#[test]
fn merge_is_deterministic() {
    let dir = inputs();
    let d = dir.path();
    run(&["merge", "in", "-o", "a.xlsx", "--forms"], d, 1);
    run(&["merge", "in", "-o", "b.xlsx", "--forms"], d, 1);
    let (a, b) = (read_book(&d.join("a.xlsx")), read_book(&d.join("b.xlsx")));
    assert_eq!(a.len(), b.len());
    for ((na, sa), (nb, sb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert_eq!(sa.len(), sb.len(), "{na}: rows");
        for (r, (ra, rb)) in sa.iter().zip(sb).enumerate() {
            for (c, (x, y)) in ra.iter().zip(rb).enumerate() {
                assert_eq!(x, y, "{na}!R{}C{}", r + 1, c + 1);
            }
        }
    }
}

/// `--forms`: a sheet per read form, after the five, named after its department and its file:
/// legal, unique and showing that department.
#[test]
fn forms_get_a_sheet_each() {
    let dir = inputs();
    let d = dir.path();
    // A department no sheet name can hold as it is: too long, with forbidden characters.
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("panyu.expected.json")).unwrap(),
    )
    .unwrap();
    let mut record = v["records"].clone();
    let long = format!("{}[一]:二*三?四/五\\六", "很长的部门名称".repeat(6));
    record["department"] = Value::String(long.clone());
    std::fs::write(d.join("in/long.json"), record.to_string()).unwrap();

    let records = records(d);
    run(&["merge", "in", "-o", "forms.xlsx", "--forms"], d, 1);
    let book = read_book(&d.join("forms.xlsx"));
    let lists = SHEETS_WITH_PROJECTS.len();
    assert_eq!(book.len(), lists + records.len());
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..lists], SHEETS_WITH_PROJECTS);
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(seen.insert(name.to_lowercase()), "{name} twice");
    }
    for ((name, cells), record) in book[lists..].iter().zip(&records) {
        // A department form shows its department; a project form its project.
        let department = record["department"]
            .as_str()
            .or(record["project"]["name"].as_str())
            .unwrap();
        if department.trim().is_empty() {
            continue;
        }
        assert!(
            cells.iter().flatten().any(|c| text(c) == department),
            "sheet {name} does not show {department}"
        );
    }
    assert!(names.iter().any(|n| n.starts_with("很长的部门名称")));
    // A sheet says which unit and which file: the copies of Panyu differ by their file, the
    // forms of one workbook by their unit.
    assert!(names.contains(&"广州番禺经济技术开发区管理委员会（panyu）"));
    assert!(names.contains(&"广州番禺经济技术开发区管理委员会（panyu-lo）"));
    assert!(names.contains(&"广州市海珠区河涌管理所（units-workbook）"));
    assert!(names.contains(&"广州市海珠区排水设施管理所（units-workbook）"));
    // A project form's sheet is named after its project.
    assert!(names.contains(&"长者饭堂助餐配餐服务（dept-and-projects）"));
}

/// `-o all.csv`: the indicator table of every read form, UTF-8 with a BOM.
#[test]
fn merge_to_csv() {
    let dir = inputs();
    let d = dir.path();
    let records = records(d);
    run(&["merge", "in", "-o", "all.csv"], d, 1);
    let bytes = std::fs::read(d.join("all.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text[3..].starts_with("部门,项目,一级指标,"));
    // Every indicator row, a project form's mid-term block included.
    let indicators: usize = records
        .iter()
        .map(|r| {
            r["indicators"].as_array().unwrap().len()
                + r["period_indicators"].as_array().map_or(0, Vec::len)
        })
        .sum();
    // Records end with CRLF; a quoted field may hold a bare LF, never a CRLF.
    assert_eq!(text.matches("\r\n").count(), indicators + 1);
    // The JSON output is an array of declaration records.
    // A record with a template's own fields is /2 (docs/RECORDS.md §1.2).
    assert!(records.iter().all(|r| {
        let extras = r.get("extra").is_some() || r.get("tables").is_some();
        r["format"]
            == if extras {
                "jixiao.declaration/2"
            } else {
                "jixiao.declaration/1"
            }
    }));
}

/// Two copies of one form under different names: both flagged as the same department.
#[test]
fn a_department_twice_is_flagged_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("a.xlsx")).unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("b.xlsx")).unwrap();
    run(&["merge", "a.xlsx", "b.xlsx", "-o", "m.xlsx"], d, 0);
    let book = read_book(&d.join("m.xlsx"));
    let flagged: Vec<String> = sheet(&book, "校验结果")[1..]
        .iter()
        .filter(|r| text(&r[CODE]) == "department-duplicate")
        .map(|r| text(&r[0]))
        .collect();
    assert_eq!(flagged, ["a.xlsx", "b.xlsx"]);
}

/// A department sent twice is known only once the whole batch is read: the merge writes each
/// form's rows as it is checked, so the two `department-duplicate` findings close 校验结果 in a
/// block of their own (after the third file's findings), are counted in the 警告 of both rows of
/// 汇总, and mark the department's cell of both `--forms` sheets (its note).
#[test]
fn a_department_twice_is_listed_last_counted_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("a.xlsx")).unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("b.xlsx")).unwrap();
    std::fs::copy(fixtures().join("zhanjiang.xlsx"), d.join("c.xlsx")).unwrap();
    // The same forms with no duplicate: what each row counts on its own.
    run(&["merge", "a.xlsx", "c.xlsx", "-o", "alone.xlsx"], d, 0);
    run(
        &[
            "merge", "a.xlsx", "b.xlsx", "c.xlsx", "-o", "m.xlsx", "--forms",
        ],
        d,
        0,
    );
    let alone = read_book(&d.join("alone.xlsx"));
    let book = read_book(&d.join("m.xlsx"));

    let findings = &sheet(&book, "校验结果")[1..];
    let rows: Vec<(String, String)> = findings
        .iter()
        .filter(|r| !text(&r[0]).is_empty())
        .map(|r| (text(&r[0]), text(&r[CODE])))
        .collect();
    let n = rows.len();
    assert_eq!(
        rows[n - 2..],
        [
            ("a.xlsx".to_string(), "department-duplicate".to_string()),
            ("b.xlsx".to_string(), "department-duplicate".to_string())
        ]
    );
    assert!(
        rows[..n - 2].iter().any(|(file, _)| file == "c.xlsx"),
        "c.xlsx's findings come before the block"
    );
    assert!(rows[..n - 2]
        .iter()
        .all(|(_, code)| code != "department-duplicate"));
    // Its level, rule and place in the officer's words, like every other row.
    let last = &findings[n - 1];
    assert_eq!(text(&last[LEVEL]), "警告");
    assert_eq!(text(&last[RULE]), "部门重复");
    assert_eq!(text(&last[FIELD]), "部门名称");
    let message = text(&last[8]);
    assert!(message.contains("a.xlsx"), "{message}");

    // 汇总: one warning more on both rows of the department; the third row as it was.
    const WARNINGS: usize = 20;
    let summary = sheet(&book, "汇总");
    let summary_alone = sheet(&alone, "汇总");
    let warnings = |s: &Sheet, r: usize| s[r][WARNINGS].as_f64().unwrap();
    assert_eq!(warnings(summary, 1), warnings(summary_alone, 1) + 1.0);
    assert_eq!(warnings(summary, 2), warnings(summary_alone, 1) + 1.0);
    assert_eq!(warnings(summary, 3), warnings(summary_alone, 2));
    // The totals row counts them too.
    assert_eq!(
        warnings(summary, 4),
        warnings(summary_alone, 3) + warnings(summary_alone, 1) + 2.0
    );

    // Both department cells carry the finding in their note: each names the other file.
    let bytes = std::fs::read(d.join("m.xlsx")).unwrap();
    let notes: String = (1..=20)
        .filter_map(|k| xlsx_part(&bytes, &format!("xl/comments{k}.xml")))
        .collect();
    let a_message = text(&findings[n - 2][8]);
    assert!(notes.contains(&a_message), "{a_message} not in the notes");
    assert!(notes.contains(&message), "{message} not in the notes");
}

/// The streamed JSON and CSV outputs are, byte for byte, what the writers make of the whole
/// batch at once (`records_json`, `indicators_csv` over every form read, in order).
#[test]
fn streamed_json_and_csv_are_the_whole_outputs() {
    use jixiao::write::output::records_json;
    use jixiao::write::{indicators_csv, CsvEncoding};
    let dir = inputs();
    let d = dir.path();
    run(&["merge", "in", "-o", "all.json"], d, 1);
    run(&["merge", "in", "-o", "all.csv"], d, 1);
    run(&["merge", "in", "-o", "gbk.csv", "--encoding", "gbk"], d, 1);
    let roots = [d.join("in")];
    let out = d.join("all.json");
    let paths = jixiao::inputs::collect(&roots, jixiao::inputs::Skip::File(&out));
    let processed =
        jixiao::inputs::process_all(&paths, &roots, &jixiao::pipeline::Config::default());
    let decls: Vec<&jixiao::model::Declaration> = processed
        .iter()
        .filter_map(|p| p.outcome.as_ref().ok())
        .flatten()
        .map(|c| &c.declaration)
        .collect();
    assert!(decls.len() > 20, "{} forms", decls.len());
    let json = std::fs::read_to_string(d.join("all.json")).unwrap();
    assert_eq!(json, records_json(&decls, true));
    // And that is serde_json's own pretty array.
    assert_eq!(json, serde_json::to_string_pretty(&decls).unwrap());
    let csv = std::fs::read_to_string(d.join("all.csv")).unwrap();
    let whole = indicators_csv(&decls, CsvEncoding::Utf8Bom);
    assert_eq!(csv, String::from_utf8(whole).unwrap());
    let gbk = std::fs::read(d.join("gbk.csv")).unwrap();
    let whole = indicators_csv(&decls, CsvEncoding::Gbk);
    assert!(gbk == whole, "the GBK table differs");
}

/// An existing output is kept unless --force.
#[test]
fn an_existing_output_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("a.xlsx")).unwrap();
    std::fs::write(d.join("m.xlsx"), b"keep me").unwrap();
    let out = run(&["merge", "a.xlsx", "-o", "m.xlsx"], d, 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("文件已存在"));
    assert_eq!(std::fs::read(d.join("m.xlsx")).unwrap(), b"keep me");
    // Regression (issue 10): `--force` replaced any file; it replaces only one jixiao wrote.
    let args = ["merge", "a.xlsx", "-o", "m.xlsx", "--force"];
    let out = run(&args, d, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "m.xlsx：文件已存在，且不是 jixiao 生成的，即使加了 --force 也不会覆盖。请换一个输出文件名\n",
        "{}",
        show(&args, &out)
    );
    assert_eq!(std::fs::read(d.join("m.xlsx")).unwrap(), b"keep me");
    std::fs::remove_file(d.join("m.xlsx")).unwrap();
    run(&["merge", "a.xlsx", "-o", "m.xlsx"], d, 0);
    run(&args, d, 0);
    assert_eq!(read_book(&d.join("m.xlsx")).len(), SHEETS.len());
}

/// Regression: an existing output was found only after every input had been read; now it is
/// the one thing said, before any input's message.
#[test]
fn an_existing_output_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixtures().join("bad/truncated.xlsx"), d.join("bad.xlsx")).unwrap();
    for (command, output) in [("merge", "m.xlsx"), ("convert", "c.json")] {
        std::fs::write(d.join(output), b"keep me").unwrap();
        let args = [command, "bad.xlsx", "-o", output];
        let out = run(&args, d, 1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{}", show(&args, &out));
        assert!(stderr.contains("文件已存在"), "{}", show(&args, &out));
    }
}

/// Regression: a second `merge in -o in/all.xlsx` read the first run's output as an input and
/// then refused to write over "an input". Named explicitly, it is still an input.
#[test]
fn an_earlier_output_in_the_input_folder_is_not_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("in/a.xlsx")).unwrap();
    run(&["merge", "in", "-o", "in/all.xlsx"], d, 0);
    run(&["merge", "in", "-o", "in/all.xlsx", "--force"], d, 0);
    let book = read_book(&d.join("in/all.xlsx"));
    assert_eq!(
        sheet(&book, "汇总").len(),
        1 + 1 + 1,
        "header, a.xlsx, totals"
    );
    let args = ["merge", "in", "in/all.xlsx", "-o", "in/all.xlsx", "--force"];
    let out = run(&args, d, 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("这是输入文件之一"),
        "{}",
        show(&args, &out)
    );
}

/// Regression: a merge that succeeded printed nothing at all. It now ends with one line of
/// counts (not with --quiet).
#[test]
fn a_merge_ends_with_a_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["panyu.xlsx", "errors-budget.xlsx", "bad/truncated.xlsx"] {
        let to = d.join(Path::new(name).file_name().unwrap());
        std::fs::copy(fixtures().join(name), to).unwrap();
    }
    let args = [
        "merge",
        "panyu.xlsx",
        "errors-budget.xlsx",
        "truncated.xlsx",
        "-o",
        "m.xlsx",
    ];
    let out = run(&args, d, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("已汇总申报表 2 份：通过 1，需修改 1；无法读取的文件 1 个 → m.xlsx"),
        "{}",
        show(&args, &out)
    );
    let args = [
        "merge",
        "panyu.xlsx",
        "-o",
        "q.xlsx",
        "--quiet",
        "--lang",
        "en",
    ];
    let out = run(&args, d, 0);
    assert_eq!(out.stderr, b"", "{}", show(&args, &out));
    let args = ["merge", "panyu.xlsx", "-o", "e.json", "--lang", "en"];
    let out = run(&args, d, 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "merged forms 1: 1 pass, 0 to fix; unreadable files 0 → e.json"
    );
}

/// Regression: amounts whose sum leaves the decimal range (a JSON record can hold them) made
/// `+` panic in the writer and aborted the whole merge. Now the workbook is written and the
/// overflowing sums are left blank.
#[test]
fn amounts_beyond_the_decimal_range_do_not_stop_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let panyu = fixtures().join("panyu.xlsx").display().to_string();
    let mut record = crate::common::run_json(&["convert", &panyu, "-o", "-"], dir.path(), 0);
    record["department"] = Value::from("巨额测试局");
    for field in ["basic", "project", "appropriation"] {
        record["budget"][field] = Value::from("79228162514264337593543950335");
    }
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/huge.json"), record.to_string()).unwrap();
    std::fs::copy(
        fixtures().join("panyu.xlsx"),
        dir.path().join("in/panyu.xlsx"),
    )
    .unwrap();
    run(&["merge", "in", "-o", "all.xlsx", "--quiet"], dir.path(), 0);
    let book = read_book(&dir.path().join("all.xlsx"));
    let summary = sheet(&book, "汇总");
    assert_eq!(summary.len(), 4, "a header, two rows and the totals");
    assert_eq!(text(&summary[1][3]), "巨额测试局");
}

/// Issue 12: the consolidated workbook in the officer's language: sheet names, headers, status
/// words and the totals label in English with `--lang en` (the forms' own sheets keep the
/// official Chinese form); every row as tall as its text needs (汇总's wrapped 模板 was
/// clipped); every sheet printed with page numbers, the lists with their header on each page;
/// 校验结果 with the legend of its colours.
#[test]
fn the_consolidated_workbook_speaks_the_officers_language() {
    use crate::common::{assert_footer, assert_rows_fit};
    use jixiao::messages::Lang;
    let dir = inputs();
    let d = dir.path();
    for (lang, names) in [
        (
            Lang::Zh,
            [
                "汇总",
                "项目汇总",
                "指标明细",
                "重点任务",
                "校验结果",
                "修改记录",
            ],
        ),
        (
            Lang::En,
            [
                "Summary",
                "Projects",
                "Indicators",
                "Tasks",
                "Findings",
                "Changes",
            ],
        ),
    ] {
        let code = if lang == Lang::En { "en" } else { "zh" };
        let out = format!("m-{code}.xlsx");
        run(
            &["merge", "in", "-o", &out, "--forms", "--lang", code],
            d,
            1,
        );
        let bytes = std::fs::read(d.join(&out)).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let sheets = wb.sheet_names();
        assert_eq!(sheets[..6], names);
        let summary = wb.worksheet_range(names[0]).unwrap();
        let header: Vec<String> = summary.rows().next().unwrap().iter().map(text).collect();
        let words = match lang {
            Lang::Zh => ["错误", "警告", "提示", "已修正", "状态"],
            Lang::En => ["Errors", "Warnings", "Notes", "Corrected", "Status"],
        };
        assert_eq!(header[19..], words);
        let statuses: Vec<String> = summary
            .rows()
            .skip(1)
            .map(|r| text(&r[STATUS]))
            .filter(|s| !s.is_empty())
            .collect();
        let known = match lang {
            Lang::Zh => ["通过", "需修改", "无法读取"],
            Lang::En => ["Pass", "To fix", "Unreadable"],
        };
        assert!(
            statuses.iter().all(|s| known.contains(&s.as_str())),
            "{statuses:?}"
        );
        let total = summary.rows().next_back().unwrap();
        assert_eq!(
            text(&total[0]),
            if lang == Lang::En { "Total" } else { "合计" }
        );
        let findings = wb.worksheet_range(names[4]).unwrap();
        let legend: Vec<String> = (0..5)
            .map(|r| {
                findings
                    .get_value((r, CODE as u32 + 2))
                    .map(text)
                    .unwrap_or_default()
            })
            .collect();
        let want = match lang {
            Lang::Zh => ["图例", "错误", "警告", "提示", "已修正"],
            Lang::En => ["Legend", "error", "warning", "note", "corrected"],
        };
        assert_eq!(legend, want);

        let workbook = xlsx_part(&bytes, "xl/workbook.xml").unwrap();
        for (i, name) in sheets.iter().enumerate() {
            let part = format!("xl/worksheets/sheet{}.xml", i + 1);
            assert_footer(&bytes, &part, lang);
            let range = wb.worksheet_range(name).unwrap();
            if i < 6 {
                // The lists: the header repeated on every printed page, each row tall enough.
                let titles = format!(
                    "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{name}!$1:$1</definedName>"
                );
                assert!(workbook.contains(&titles), "{titles}");
                assert_rows_fit(&bytes, &part, &range);
            } else {
                // A form's sheet: the official Chinese form under a name of the language.
                // Its first label under the title (a year line may stand between): the
                // layout's name of the department, the unit or the project.
                let labels: Vec<String> = (1..3)
                    .map(|r| range.get_value((r, 0)).map(text).unwrap_or_default())
                    .collect();
                assert!(
                    labels.iter().any(|l| l.contains("名称")),
                    "{name}: {labels:?}"
                );
            }
        }
        let form_sheet = sheets
            .iter()
            .find(|s| s.contains("panyu-messy"))
            .unwrap()
            .clone();
        let want = match lang {
            Lang::Zh => "广州番禺经济技术开发区管理委员会（panyu-messy）",
            Lang::En => "广州番禺经济技术开发区管理委员会 (panyu-messy)",
        };
        assert_eq!(form_sheet, want.chars().take(31).collect::<String>());
    }
}
