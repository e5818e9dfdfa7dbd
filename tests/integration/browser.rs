//! Issue 9: the page of `jixiao serve` in a real browser, Debian's headless Chromium driven by
//! playwright-core through the scripts of tests/browser/ (README.md there says what each one
//! asserts):
//! - `e2e.mjs` against the real server: it uploads a folder (the fixtures and the XSS form)
//!   through 选择文件夹 and checks what the page shows against `jixiao check --format json` of
//!   the same folder; the consolidated workbook it downloads is read back here;
//! - the same with the server on the network (`--listen 0.0.0.0:0`), where the page must carry
//!   the printed token on every request;
//! - `edges.mjs`: the page's edges (token, limits, error sentences, cancel, a thousand rows)
//!   against the mock server it starts itself (python3).
//!
//! A machine without node, Chromium or playwright-core (`npm ci` in tests/browser) skips them,
//! saying why on standard error; under `CI=true` that is a failure (`.ci/run` installs them).
//! Screenshots go to target/browser, target/browser-token and target/browser-edges.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};

use calamine::{Reader, Xlsx};
use serde_json::Value;

use super::common::{fixtures, run};
use super::serve::{cells, Server};

/// e2e.mjs and edges.mjs: the exit status of "no browser or no playwright-core here".
const EXIT_NO_BROWSER: i32 = 3;

/// One browser at a time: two Chromiums and two servers at once on a small machine would only
/// make each slower.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

fn one_browser() -> MutexGuard<'static, ()> {
    ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The browser cannot run here: a failure under CI, elsewhere a line on the terminal (written
/// past the test harness's capture, so that a skip is seen, not only a pass).
fn skip(test: &str, reason: &str) {
    assert!(
        !under_ci(),
        "CI=true and the browser test cannot run: {reason}"
    );
    let _ = writeln!(std::io::stderr(), "{test}: SKIPPED: {reason}");
}

/// `node tests/browser/SCRIPT ARGS` from the repository: whether it ran (`false`: skipped, see
/// [`skip`]); a failure of the script fails the test with everything it printed.
fn node(test: &str, script: &str, args: &[String]) -> bool {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::null())
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            skip(
                test,
                &format!("node cannot be started ({e}); install Node.js 20 or newer"),
            );
            return false;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(EXIT_NO_BROWSER) {
        skip(test, stderr.trim());
        return false;
    }
    assert!(
        out.status.success(),
        "node tests/browser/{script} {}\nstatus: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        args.join(" "),
        out.status.code()
    );
    println!("{stdout}");
    true
}

/// Copy a folder's files and folders into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Put `name` (a path in the repository) into the folder as `as_name`.
fn add(dir: &Path, name: &str, as_name: &str) {
    let to = dir.join(as_name);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(repo().join(name), to).unwrap();
}

/// `jixiao check --format json DIR` (exit 1: the fixtures have problems), saved as
/// `expect.json` beside the folder for e2e.mjs's `--expect`, and the lines it wrote on standard
/// error (an input it left out, each), which the page must show too (`--skipped`).
fn expectation(work: &Path, dir: &Path) -> (Value, PathBuf, Vec<String>) {
    let d = dir.display().to_string();
    let args = ["check", "--format", "json", &d];
    let out = run(&args, work, 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = work.join("expect.json");
    std::fs::write(&path, report.to_string()).unwrap();
    let notes = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect();
    (report, path, notes)
}

/// e2e.mjs against `server`, uploading `dir`; whether it ran.
fn e2e(
    test: &str,
    server: &Server,
    dir: &Path,
    expect: &Path,
    merged: &Path,
    shots: &str,
    extra: &[String],
) -> bool {
    let mut args: Vec<String> = vec![
        server.base.clone(),
        dir.display().to_string(),
        "--expect".into(),
        expect.display().to_string(),
        "--merged".into(),
        merged.display().to_string(),
        "--shots".into(),
        repo().join(shots).display().to_string(),
    ];
    if let Some(token) = &server.token {
        args.extend(["--token".to_string(), token.clone()]);
    }
    args.extend(extra.iter().cloned());
    node(test, "e2e.mjs", &args)
}

/// e2e.mjs's `--skipped` for each line `check` wrote on standard error.
fn skipped_args(notes: &[String]) -> Vec<String> {
    notes
        .iter()
        .flat_map(|n| ["--skipped".to_string(), n.clone()])
        .collect()
}

/// Whether a report entry is a project form's (on 项目汇总, not on 汇总).
fn is_project(e: &Value) -> bool {
    e["kind"] == "project"
}

/// The summaries of the consolidated workbook the page downloaded have one row per entry of
/// the report (docs/RECORDS.md §2 and docs/OUTPUT.md §2): 汇总 a row per department form and per
/// unreadable file, 项目汇总 (issue 13) a row per project form, each with the same file, name,
/// status and sheet; then the total row. A form read has the report's errors and warnings
/// (`department-duplicate` among them, in the report as in the workbook, when its department
/// sends more than one department form); an unreadable file's counts are the merge's own (its
/// `file-unreadable` finding is an error there), so they are not compared.
fn assert_summary_rows(merged: &Path, report: &Value) {
    let bytes = std::fs::read(merged).unwrap();
    let entries = report["files"].as_array().unwrap();
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let forms_of = |department: &Value| {
        entries
            .iter()
            .filter(|e| e["read"] == true && !is_project(e) && e["department"] == *department)
            .count()
    };
    for e in entries
        .iter()
        .filter(|e| e["read"] == true && !is_project(e))
    {
        let flagged =
            (e["findings"].as_array().unwrap().iter()).any(|f| f["code"] == "department-duplicate");
        let twice = e["department"].is_string() && forms_of(&e["department"]) > 1;
        assert_eq!(flagged, twice, "department-duplicate of {}", e["file"]);
    }
    for (sheet, name, projects) in [("汇总", "部门名称", false), ("项目汇总", "项目名称", true)]
    {
        let of_sheet: Vec<&Value> = entries
            .iter()
            .filter(|e| is_project(e) == projects)
            .collect();
        if of_sheet.is_empty() {
            continue;
        }
        let grid = cells(&bytes, sheet);
        let header = &grid[0];
        let col = |name: &str| header.iter().position(|h| h == name);
        let names = ["文件", name, "状态", "错误", "警告", "工作表"];
        let cols: Vec<usize> = names
            .iter()
            .map(|n| col(n).unwrap_or_else(|| panic!("{sheet} has no column {n}: {header:?}")))
            .collect();
        let mut got: Vec<Vec<String>> = grid[1..]
            .iter()
            .filter(|r| r[0].parse::<u32>().is_ok())
            .map(|r| {
                let mut row: Vec<String> = cols.iter().map(|&c| r[c].clone()).collect();
                if row[2] == "无法读取" {
                    row[3].clear();
                    row[4].clear();
                }
                row
            })
            .collect();
        assert_eq!(
            grid.len(),
            got.len() + 2,
            "{sheet}: a header, the forms, a total row: {grid:?}"
        );
        let mut want: Vec<Vec<String>> = of_sheet
            .iter()
            .map(|e| {
                let status = match e["status"].as_str().unwrap() {
                    "pass" => "通过",
                    "fix" => "需修改",
                    "unreadable" => "无法读取",
                    other => panic!("status {other}"),
                };
                let department = &e["department"];
                // The report counts department duplicates, as the workbook does.
                let warnings = e["counts"]["warnings"].as_u64().unwrap();
                let shown = if projects { &e["project"] } else { department };
                let mut row = vec![
                    text(&e["file"]),
                    text(shown),
                    status.to_string(),
                    e["counts"]["errors"].to_string(),
                    warnings.to_string(),
                    text(&e["sheet"]),
                ];
                if e["read"] == false {
                    row[3].clear();
                    row[4].clear();
                }
                row
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{sheet} against the report");
    }
}

/// The whole page on the fixtures folder: rows, statuses, the Panyu form's ≧12次 correction,
/// every download, English, the XSS department as text; the consolidated workbook read back.
#[test]
fn the_page_checks_the_fixtures_folder_in_a_real_browser() {
    let _one = one_browser();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("fixtures");
    copy_dir(&fixtures(), &dir);
    add(
        &dir,
        "tests/browser/fixtures/xss-department.csv",
        "xss-department.csv",
    );
    // Last month's consolidated workbook among the forms: the page leaves it out as `check`
    // does, and says so in the same words (issue 18).
    std::fs::create_dir_all(dir.join("上月")).unwrap();
    let one = dir.join("zhanjiang.xlsx").display().to_string();
    let last = dir.join("上月/汇总.xlsx").display().to_string();
    run(&["merge", &one, "-o", &last, "--quiet"], work.path(), 0);
    let (report, expect, skipped) = expectation(work.path(), &dir);
    assert_eq!(
        skipped,
        ["上月/汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过"]
    );
    let server = Server::start(&[]);
    let merged = work.path().join("merged.xlsx");
    let test = "the_page_checks_the_fixtures_folder_in_a_real_browser";
    let shots = "target/browser";
    let extra = skipped_args(&skipped);
    if !e2e(test, &server, &dir, &expect, &merged, shots, &extra) {
        return;
    }
    assert_summary_rows(&merged, &report);
}

/// A server on the network: the page opened with `?token=` carries the token on every request
/// (e2e.mjs fails on any error message or console error, a 401 among them). Files in a folder
/// with a Chinese name; the consolidated workbook with one sheet per form.
#[test]
fn the_page_carries_the_token_of_a_server_on_the_network() {
    let _one = one_browser();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("申报表");
    add(&dir, "tests/fixtures/panyu.xlsx", "panyu.xlsx");
    add(&dir, "tests/fixtures/zhanjiang.xlsx", "湛江/zhanjiang.xlsx");
    add(&dir, "tests/fixtures/bad/empty.xlsx", "bad/empty.xlsx");
    add(
        &dir,
        "tests/browser/fixtures/xss-department.csv",
        "xss-department.csv",
    );
    let (report, expect, skipped) = expectation(work.path(), &dir);
    let server = Server::start(&["--listen", "0.0.0.0:0"]);
    assert!(server.token.is_some(), "no token in the printed address");
    let merged = work.path().join("merged.xlsx");
    let test = "the_page_carries_the_token_of_a_server_on_the_network";
    let mut extra = skipped_args(&skipped);
    extra.push("--merge-forms".to_string());
    if !e2e(
        test,
        &server,
        &dir,
        &expect,
        &merged,
        "target/browser-token",
        &extra,
    ) {
        return;
    }
    assert_summary_rows(&merged, &report);
    let bytes = std::fs::read(&merged).unwrap();
    let sheets = Xlsx::new(Cursor::new(bytes)).unwrap().sheet_names();
    assert_eq!(
        sheets.len(),
        5 + 3,
        "five lists and one sheet per form: {sheets:?}"
    );
}

/// The page's edges against the mock server (tests/browser/edges.mjs).
#[test]
fn the_page_at_its_edges_against_the_mock_server() {
    let _one = one_browser();
    let shots = repo().join("target/browser-edges").display().to_string();
    node(
        "the_page_at_its_edges_against_the_mock_server",
        "edges.mjs",
        &["--shots".to_string(), shots],
    );
}
