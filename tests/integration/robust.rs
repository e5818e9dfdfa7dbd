//! Issue 10, the second wall: inputs are read in worker processes with memory and time limits,
//! so that a file that exhausts memory, or never finishes, costs only itself. The real binary,
//! under an address-space cap (`prlimit --as=1G`) where the machine has prlimit (CI must).
//!
//! Two kinds of proof: real hostile files (the fuzzers' finds in `tests/fixtures/regress/`,
//! mutated `.xls` files), whose outcome may change as the first wall in `src/read/` grows
//! (memory limit today, a read error tomorrow: both are clean), and the debug builds' test hook
//! (`JIXIAO_WORKER_FAULT`, `src/worker.rs`), which kills a worker deterministically on a named
//! file, by memory or by time.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use crate::common::{fixtures, show};

const ONE_GIB: &str = "--as=1073741824";

/// The jixiao binary, run in `dir` with `envs`, under `prlimit --as=1G` when `capped`. A guard
/// of ten minutes stops a hang (the test then fails: nothing may hang).
fn jixiao_with(args: &[&str], dir: &Path, envs: &[(&str, &str)], capped: Option<&Path>) -> Output {
    let bin = env!("CARGO_BIN_EXE_jixiao");
    let mut cmd = match capped {
        Some(prlimit) => {
            let mut c = assert_cmd::Command::new(prlimit);
            c.arg(ONE_GIB).arg(bin);
            c
        }
        None => assert_cmd::Command::new(bin),
    };
    cmd.args(args)
        .current_dir(dir)
        .timeout(Duration::from_secs(600));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// `prlimit`, if this machine has it. Under `CI=true` it must (util-linux).
fn prlimit() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("prlimit"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must have prlimit (util-linux)"
        );
        eprintln!("skipped: no prlimit on this machine; the address-space cap is not tried");
    }
    found
}

/// Exit status 0 or 1, never a signal (134 abort, 137 kill) or a panic (101).
fn assert_clean_exit(args: &[&str], out: &Output) {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        show(args, out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{}", show(args, out));
    assert!(!stderr.contains("memory allocation"), "{}", show(args, out));
}

/// The `.xls` files of the fixtures that are not forms: the regression files and the bad ones.
fn hostile_xls() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for sub in ["regress", "bad"] {
        for e in std::fs::read_dir(fixtures().join(sub)).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".xls") {
                out.push((name, e.path()));
            }
        }
    }
    out.sort();
    out
}

/// Regression (issue 10): a damaged `.xls` made calamine ask for ~1 TB (exit 134) or follow a
/// looping FAT chain until the OOM killer came, and a `merge` of a thousand forms wrote nothing.
/// Under a 1 GiB address-space cap, the hostile files of the fixtures and 120 mutants of
/// `panyu.xls` give a report with one entry per file and a merge with one row per file; the
/// good form is read; every run exits 0 or 1.
#[test]
fn hostile_and_mutated_xls_under_an_address_space_cap() {
    let Some(prlimit) = prlimit() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut names = Vec::new();
    for (name, path) in hostile_xls() {
        std::fs::copy(path, d.join(&name)).unwrap();
        names.push(name);
    }
    for m in crate::mutants::mutants(10, 0, 120)
        .into_iter()
        .filter(|m| m.name.ends_with(".xls"))
    {
        std::fs::write(d.join(&m.name), &m.bytes).unwrap();
        names.push(m.name);
    }
    std::fs::copy(fixtures().join("panyu.xls"), d.join("good.xls")).unwrap();
    names.push("good.xls".into());
    assert!(names.len() > 120, "{}", names.len());

    let args = ["check", ".", "--format", "json"];
    let out = jixiao_with(&args, d, &[], Some(&prlimit));
    assert_clean_exit(&args, &out);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    // One entry per form: a workbook of several forms has several.
    let mut reported: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    reported.sort();
    reported.dedup();
    names.sort();
    assert_eq!(reported, names);
    for f in files {
        if f["read"] == false {
            let error = f["error"].as_str().unwrap();
            assert!(error.starts_with(f["file"].as_str().unwrap()), "{f}");
        }
    }
    let good = files.iter().find(|f| f["file"] == "good.xls").unwrap();
    assert_eq!(good["read"], true, "{good}");

    let args = ["merge", ".", "-o", "汇总.xlsx", "--quiet"];
    let out = jixiao_with(&args, d, &[], Some(&prlimit));
    assert_clean_exit(&args, &out);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let rows = crate::mutants::summary_rows(&d.join("汇总.xlsx"));
    // A row per form: in 汇总 for department forms and unreadable files, in 项目汇总 for
    // project forms.
    let mut in_book: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    in_book.extend(crate::mutants::project_files(&d.join("汇总.xlsx")));
    in_book.sort();
    in_book.dedup();
    assert_eq!(in_book, names);
    let good = rows.iter().find(|r| r[0] == "good.xls").unwrap();
    assert_eq!(good[1], "广州番禺经济技术开发区管理委员会");
}

/// Regression (issue 10): the fuzzers' finds (fuzz/README.md) each exhausted memory in
/// calamine's OLE code (a looping sector chain, a DIFAT larger than the file). Each is a file
/// the run cannot read, said in a sentence: over the memory limit of its worker, or damaged,
/// once the readers' own checks catch it first.
#[test]
fn the_fuzzers_finds_are_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let capped = prlimit();
    for (name, path) in hostile_xls()
        .into_iter()
        .filter(|(n, _)| n.starts_with("fuzz-"))
    {
        let input = path.display().to_string();
        let args = ["check", input.as_str()];
        let out = jixiao_with(&args, dir.path(), &[], capped.as_deref());
        assert_clean_exit(&args, &out);
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let memory =
            format!("{name}：文件损坏或过于复杂，读取时超出内存限制（1024 MB），无法读取。");
        let damaged = format!("{name}：文件已损坏或不完整，无法读取。");
        assert!(
            stdout.contains(&memory) || stdout.contains(&damaged),
            "{}",
            show(&args, &out)
        );
    }
}

/// Three forms, `a`, `b` and `c`, in a temporary folder.
fn three_forms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, fixture) in [
        ("a.xlsx", "panyu.xlsx"),
        ("b.xlsx", "zhanjiang.xlsx"),
        ("c.xlsx", "errors-budget.xlsx"),
    ] {
        std::fs::copy(fixtures().join(fixture), dir.path().join(name)).unwrap();
    }
    dir
}

/// A worker that exhausts its memory (the debug hook makes it allocate without bound on
/// `b.xlsx`; its address-space limit stops it, and the allocation failure aborts it) costs only
/// that file: `merge` still writes its workbook, with `a` and `c` read and `b` unreadable, in
/// order; the one sentence about `b` says why; the next file gets a fresh worker.
#[cfg(debug_assertions)]
#[test]
fn a_worker_out_of_memory_costs_only_its_file() {
    let dir = three_forms();
    let d = dir.path();
    let fault = [("JIXIAO_WORKER_FAULT", "alloc:b.xlsx")];
    let args = ["merge", ".", "-o", "汇总.xlsx"];
    let out = jixiao_with(&args, d, &fault, prlimit().as_deref());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "b.xlsx：文件损坏或过于复杂，读取时超出内存限制（1024 MB），无法读取。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件\n\
         已汇总申报表 2 份：通过 1，需修改 1；无法读取的文件 1 个 → 汇总.xlsx\n",
        "{}",
        show(&args, &out)
    );
    let rows = crate::mutants::summary_rows(&d.join("汇总.xlsx"));
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("a.xlsx", "通过"),
            ("b.xlsx", "无法读取"),
            ("c.xlsx", "需修改")
        ]
    );
    assert_eq!(rows[0][1], "广州番禺经济技术开发区管理委员会");
}

/// A worker that never finishes a file is killed at the time limit (1 second here, through the
/// debug hook `JIXIAO_WORKER_SECONDS`); the report says so for that file and reads the others.
#[cfg(debug_assertions)]
#[test]
fn a_worker_that_hangs_is_stopped() {
    let dir = three_forms();
    let hook = [
        ("JIXIAO_WORKER_FAULT", "hang:b.xlsx"),
        ("JIXIAO_WORKER_SECONDS", "1"),
    ];
    let args = ["check", ".", "--format", "json"];
    let out = jixiao_with(&args, dir.path(), &hook, None);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let read: Vec<(&str, bool)> = files
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["read"] == true))
        .collect();
    assert_eq!(
        read,
        [("a.xlsx", true), ("b.xlsx", false), ("c.xlsx", true)]
    );
    assert_eq!(
        files[1]["error"],
        "b.xlsx：文件损坏或过于复杂，读取超过 1 秒仍未完成，已停止。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件"
    );
}
