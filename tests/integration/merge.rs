//! `jixiao merge` end to end: the real binary on copies of the fixtures in a temporary folder,
//! the workbook read back with calamine (cached formula results included) and, for what calamine
//! does not show (formula text), from the zipped XML.
//!
//! The inputs are copies, not `tests/fixtures` itself: merge also reads `.json` records, and the
//! fixtures folder holds `.expected.json` files that are not records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{fixtures, run, show, xlsx_part};

const SHEETS: [&str; 5] = ["汇总", "指标明细", "重点任务", "校验结果", "修改记录"];

/// `in/` with every good spreadsheet fixture and `in/bad/` with every bad one.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("in");
    let bad = good.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && !name.ends_with(".json") {
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

/// Every input gets its 汇总 row in sorted path order, the totals are the exact decimal sums,
/// every finding `check` reports is in 校验结果, and the detail sheets have a row per item.
#[test]
fn merge_of_all_fixtures() {
    let dir = inputs();
    let d = dir.path();
    run(&["merge", "in", "-o", "all.xlsx"], d, 1);
    let book = read_book(&d.join("all.xlsx"));
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, SHEETS);

    // 汇总: one row per input in sorted order, then the totals.
    let files = sorted_files(&d.join("in"));
    let summary = sheet(&book, "汇总");
    assert_eq!(text(&summary[0][0]), "序号");
    assert_eq!(text(&summary[0][20]), "状态");
    assert_eq!(summary.len(), files.len() + 2, "header, rows, totals");
    for (i, file) in files.iter().enumerate() {
        let row = &summary[i + 1];
        assert_eq!(row[0], Data::Float((i + 1) as f64));
        assert_eq!(&text(&row[1]), file, "汇总 row {}", i + 2);
        let status = text(&row[20]);
        if file.starts_with("bad") {
            assert_eq!(status, "无法读取", "{file}");
            assert_eq!(row[5], Data::Empty, "{file}: no money");
        } else {
            assert!(status == "通过" || status == "需修改", "{file}: {status}");
            // 模板: the template's name, as the convert workbook shows it.
            let template = if file.starts_with("zhanjiang") {
                "市级部门整体预算绩效目标表（市级，五列）"
            } else {
                "部门整体预算绩效目标申报表（区级，六列）"
            };
            assert_eq!(text(&row[3]), template, "{file}");
        }
    }

    // Totals: cached results equal the decimal sums of the records' amounts.
    let records = records(d);
    assert_eq!(
        records.len(),
        files.iter().filter(|f| !f.starts_with("bad")).count()
    );
    let sum = |f: &dyn Fn(&Value) -> Decimal| records.iter().map(f).sum::<Decimal>();
    let b = |k: &'static str| move |r: &Value| decimal(&r["budget"][k]);
    let expected_money = [
        (5, sum(&b("basic"))),
        (6, sum(&b("project"))),
        (
            7,
            sum(&|r| decimal(&r["budget"]["basic"]) + decimal(&r["budget"]["project"])),
        ),
        (8, sum(&b("appropriation"))),
        (9, sum(&b("other_funds"))),
        (
            10,
            sum(&|r| decimal(&r["budget"]["appropriation"]) + decimal(&r["budget"]["other_funds"])),
        ),
        (
            13,
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
    let totals = &summary[files.len() + 1];
    assert_eq!(text(&totals[0]), "合计");
    for (c, want) in expected_money {
        assert_eq!(
            totals[c],
            Data::Float(float(want)),
            "汇总!{}{}: expected {want}, got {:?}",
            (b'A' + c as u8) as char,
            files.len() + 2,
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
    assert_eq!(totals[12], Data::Float(tasks as f64));
    assert_eq!(totals[14], Data::Float(indicators as f64));
    let xml = xlsx_part(
        &std::fs::read(d.join("all.xlsx")).unwrap(),
        "xl/worksheets/sheet1.xml",
    )
    .unwrap();
    let last = files.len() + 1;
    for col in [
        "F", "G", "H", "I", "J", "K", "M", "N", "O", "P", "Q", "R", "S", "T",
    ] {
        assert!(
            xml.contains(&format!("<f>SUM({col}2:{col}{last})</f><v>")),
            "no stored SUM over column {col}"
        );
    }

    // 指标明细 and 重点任务: a row per item of every read form.
    assert_eq!(sheet(&book, "指标明细").len(), indicators + 1);
    assert_eq!(sheet(&book, "重点任务").len(), tasks + 1);
    // Numbers stay numbers in those rows of text: an indicator's value, a task's funds.
    assert!(
        sheet(&book, "指标明细")[1..]
            .iter()
            .any(|r| matches!(r[7], Data::Float(_))),
        "指标明细: no numeric value"
    );
    assert!(
        sheet(&book, "重点任务")[1..]
            .iter()
            .any(|r| matches!(r[3], Data::Float(_))),
        "重点任务: no funds"
    );

    // 校验结果: the codes check reports, file by file; merge adds only department duplicates.
    let out = run(&["check", "in", "--format", "json"], d, 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report["files"].as_array().unwrap() {
        let codes = want
            .entry(f["file"].as_str().unwrap().to_string())
            .or_default();
        for finding in f["findings"].as_array().unwrap() {
            codes.push(finding["code"].as_str().unwrap().to_string());
        }
    }
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &sheet(&book, "校验结果")[1..] {
        let file = text(&row[0]);
        let name = Path::new(&file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let code = text(&row[3]);
        if code != "department-duplicate" {
            got.entry(name).or_default().push(code);
        }
    }
    assert_eq!(want.len(), files.len());
    for (file, mut codes) in want {
        codes.sort();
        let mut have = got.remove(&file).unwrap_or_default();
        have.sort();
        assert_eq!(codes, have, "校验结果 of {file}");
    }
    assert!(got.is_empty(), "findings of unknown files: {got:?}");
    // An unreadable input's row says why.
    let unreadable = sheet(&book, "校验结果")
        .iter()
        .filter(|r| text(&r[3]) == "file-unreadable")
        .count();
    assert_eq!(
        unreadable,
        files.iter().filter(|f| f.starts_with("bad")).count()
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

/// `--forms`: a sheet per read form, after the five, named after its department: legal,
/// unique (the panyu copies share a department) and showing that department.
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
    assert_eq!(book.len(), SHEETS.len() + records.len());
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..5], SHEETS);
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(seen.insert(name.to_lowercase()), "{name} twice");
    }
    for ((name, cells), record) in book[5..].iter().zip(&records) {
        let department = record["department"].as_str().unwrap();
        if department.trim().is_empty() {
            continue;
        }
        assert!(
            cells.iter().flatten().any(|c| text(c) == department),
            "sheet {name} does not show {department}"
        );
    }
    assert!(names.iter().any(|n| n.starts_with("很长的部门名称")));
    assert!(names.contains(&"广州番禺经济技术开发区管理委员会(2)"));
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
    assert!(text[3..].starts_with("部门,一级指标,"));
    let indicators: usize = records
        .iter()
        .map(|r| r["indicators"].as_array().unwrap().len())
        .sum();
    // Records end with CRLF; a quoted field may hold a bare LF, never a CRLF.
    assert_eq!(text.matches("\r\n").count(), indicators + 1);
    // The JSON output is an array of declaration records.
    assert!(records
        .iter()
        .all(|r| r["format"] == "jixiao.declaration/1"));
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
        .filter(|r| text(&r[3]) == "department-duplicate")
        .map(|r| text(&r[0]))
        .collect();
    assert_eq!(flagged, ["a.xlsx", "b.xlsx"]);
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
        Some("已汇总 3 份：通过 1，需修改 1，无法读取 1 → m.xlsx"),
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
        "1 merged: 1 pass, 0 to fix, 0 unreadable → e.json"
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
    assert_eq!(text(&summary[1][2]), "巨额测试局");
}
