//! Issue 10, an unlucky machine: the real binary with its output folder read-only, standard
//! output or error full, a file size limit, killed while writing, an input that turns into a
//! FIFO or disappears, an output path that names an input. For each: the message, the exit
//! status, the inputs byte for byte, no partial destination, no stray file.
//!
//! Unix only; nothing needs root (as root, the read-only folder is tried as user `nobody`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::{fixtures, run, show};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jixiao")
}

/// Every file of a folder (not below) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// Two forms and a file that is not one, in a temporary folder.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), dir.path().join("a.xlsx")).unwrap();
    std::fs::copy(fixtures().join("zhanjiang.xlsx"), dir.path().join("b.xlsx")).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Regression (issue 10): `merge DIR -o DIR/a.xlsx --force` dropped a.xlsx from the inputs and
/// wrote over it. An input is never an output, whatever the flags: named as the output of a
/// merge over its folder, or of a convert of itself, it stays byte for byte.
#[test]
fn an_input_is_never_an_output() {
    let dir = inputs();
    let d = dir.path();
    let before = snapshot(d);
    for output in ["a.xlsx", "./a.xlsx"] {
        let args = ["merge", ".", "-o", output, "--force"];
        let out = run(&args, d, 1);
        assert_eq!(
            stderr(&out),
            format!("{output}：文件已存在，且不是 jixiao 生成的，即使加了 --force 也不会覆盖。请换一个输出文件名\n"),
            "{}",
            show(&args, &out)
        );
    }
    let args = ["convert", "a.xlsx", "-o", "a.xlsx", "--force"];
    let out = run(&args, d, 1);
    assert_eq!(
        stderr(&out),
        "a.xlsx：这是输入文件之一，不能被输出覆盖。请换一个输出文件名\n",
        "{}",
        show(&args, &out)
    );
    assert_eq!(snapshot(d), before, "inputs untouched, nothing added");
}

/// The output folder cannot be written: the message names the file and the system's reason,
/// the status is 1, nothing is left in the folder. As root (whom permissions do not stop) the
/// command runs as `nobody` through setpriv (util-linux).
#[test]
fn a_read_only_output_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = inputs();
    let d = dir.path();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = d.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(d);
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let Some(setpriv) = which("setpriv") else {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "CI needs setpriv"
            );
            eprintln!("skipped: running as root without setpriv, a folder cannot be read-only");
            return;
        };
        let mut c = Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin()]);
        c
    } else {
        Command::new(bin())
    };
    let args = ["merge", ".", "-o", "ro/汇总.xlsx"];
    let out = cmd.args(args).current_dir(d).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert!(
        stderr(&out) == "没有权限写入 ro/汇总.xlsx\n",
        "{}",
        show(&args, &out)
    );
    assert!(names(&ro).is_empty(), "{:?}", names(&ro));
    assert_eq!(snapshot(d), before);
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|p| p.join(program))
        .find(|p| p.is_file())
}

/// `/dev/full`, the device every write to fails with "no space".
fn dev_full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
}

/// Regression (issue 10): with standard output full, `convert -o -`, `check` and
/// `template -o -` exited 0 having written nothing. Now the failure is said and the status is 1.
#[test]
fn standard_output_full() {
    let dir = inputs();
    let d = dir.path();
    for args in [
        &["convert", "a.xlsx", "-o", "-"][..],
        &["check", "b.xlsx"],
        &["template", "-o", "-"],
    ] {
        let Some(full) = dev_full() else {
            eprintln!("skipped: no /dev/full");
            return;
        };
        let out = Command::new(bin())
            .args(args)
            .current_dir(d)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", show(args, &out));
        assert_eq!(
            stderr(&out),
            "输出不完整：磁盘已满，无法写入 标准输出。请腾出空间后重试\n",
            "{}",
            show(args, &out)
        );
    }
    assert_eq!(names(d), ["a.xlsx", "b.xlsx"]);
}

/// Regression (issue 10): with standard error full, `merge` panicked (`failed printing to
/// stderr`, status 101) before writing its output when an input was bad. Now the workbook is
/// written, and the status is 1: something had to be said and was not.
#[test]
fn standard_error_full() {
    let dir = inputs();
    let d = dir.path();
    std::fs::write(d.join("bad.xlsx"), b"PK\x03\x04 not a workbook").unwrap();
    for bad in [true, false] {
        if !bad {
            std::fs::remove_file(d.join("bad.xlsx")).unwrap();
        }
        let Some(full) = dev_full() else {
            eprintln!("skipped: no /dev/full");
            return;
        };
        let args = ["merge", ".", "-o", "汇总.xlsx", "--force"];
        let out = Command::new(bin())
            .args(args)
            .current_dir(d)
            .stderr(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        let rows = crate::mutants::summary_rows(&d.join("汇总.xlsx"));
        assert_eq!(rows.len(), if bad { 3 } else { 2 });
    }
}

/// `jixiao check … | head`: the reader stopped reading. The run ends quietly with 141, the
/// status of a program killed by SIGPIPE, and says nothing.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = inputs();
    let args = ["check", ".", "--format", "json"];
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before anything is written: the write fails, however small the output.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", show(&args, &out));
    assert_eq!(stderr(&out), "");
}

/// Regression (issue 10): a file size limit (`ulimit -f`) killed the run with SIGXFSZ and left
/// a partial `.tmpXXXXXX`. Now the write fails with a sentence, status 1, no output and no
/// temporary file; an earlier output of jixiao's that `--force` would replace stays whole.
#[test]
fn a_file_size_limit() {
    let dir = inputs();
    let d = dir.path();
    let before = snapshot(d);
    let limited = |args: &[&str]| {
        // 4 blocks (2 or 4 KB, as the shell counts them): the records of a form do not fit.
        Command::new("sh")
            .arg("-c")
            .arg("ulimit -f 4 && exec \"$0\" \"$@\"")
            .arg(bin())
            .args(args)
            .current_dir(d)
            .output()
            .unwrap()
    };
    let args = ["merge", ".", "-o", "all.json"];
    let out = limited(&args);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert_eq!(
        stderr(&out),
        "all.json 超过了系统允许的文件大小上限（如 ulimit -f），无法写入\n",
        "{}",
        show(&args, &out)
    );
    assert_eq!(snapshot(d), before, "no output, no temporary file");

    // An earlier, small output of jixiao's stays as it was.
    run(&["merge", "a.xlsx", "-o", "all.json"], d, 0);
    let earlier = std::fs::read(d.join("all.json")).unwrap();
    let args = ["merge", ".", "-o", "all.json", "--force"];
    let out = limited(&args);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert_eq!(std::fs::read(d.join("all.json")).unwrap(), earlier);
    assert_eq!(names(d), ["a.xlsx", "all.json", "b.xlsx"]);
}

/// A run killed while it writes leaves at most its temporary file, named so that a person
/// and the next run know it: `.~jixiao-NAME-PID-XXXXXX.tmp`. The next run that writes in that
/// folder removes ours whose process is gone; it leaves another program's file and a live
/// process's alone. The destination is never partial.
#[test]
fn a_run_killed_while_writing() {
    let dir = inputs();
    let d = dir.path();
    // What a run killed by SIGKILL leaves: a temporary file of a process that is gone.
    let mut gone = Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    let stale = format!(".~jixiao-汇总.xlsx-{gone_pid}-AbC123.tmp");
    let live = format!(".~jixiao-汇总.xlsx-{}-XyZ789.tmp", std::process::id());
    let other = ".tmpQw3rTy".to_string();
    for name in [&stale, &live, &other] {
        std::fs::write(d.join(name), b"PK\x03\x04 partial").unwrap();
    }
    run(&["merge", ".", "-o", "汇总.xlsx", "--quiet"], d, 0);
    assert_eq!(
        names(d),
        [
            other.as_str(),
            live.as_str(),
            "a.xlsx",
            "b.xlsx",
            "汇总.xlsx"
        ],
        "the stale file of ours is gone, the others stay"
    );
    assert_eq!(crate::mutants::summary_rows(&d.join("汇总.xlsx")).len(), 2);
    std::fs::remove_file(d.join(&live)).unwrap();
    std::fs::remove_file(d.join(&other)).unwrap();

    // A real kill, at whatever moment it lands: before, during or after the write. Many forms
    // make the write long enough to be caught in the middle most of the time.
    for i in 0..150 {
        std::fs::copy(d.join("a.xlsx"), d.join(format!("f{i:03}.xlsx"))).unwrap();
    }
    std::fs::remove_file(d.join("汇总.xlsx")).unwrap();
    let inputs_before = snapshot(d);
    let mut child = Command::new(bin())
        .args(["merge", ".", "-o", "汇总.xlsx", "--quiet"])
        .current_dir(d)
        .spawn()
        .unwrap();
    let mut caught_writing = false;
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        if names(d).iter().any(|n| n.starts_with(".~jixiao-")) {
            caught_writing = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    child.wait().unwrap();
    eprintln!("killed while writing: {caught_writing}");
    match std::fs::read(d.join("汇总.xlsx")) {
        // Finished before the kill: complete.
        Ok(_) => assert_eq!(
            crate::mutants::summary_rows(&d.join("汇总.xlsx")).len(),
            152
        ),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
    }
    let mut after = snapshot(d);
    after.retain(|n, _| !n.starts_with(".~jixiao-") && n != "汇总.xlsx");
    assert_eq!(after, inputs_before, "inputs untouched");
    // The next run cleans up and writes a whole workbook.
    run(
        &["merge", ".", "-o", "汇总.xlsx", "--quiet", "--force"],
        d,
        0,
    );
    assert!(
        !names(d).iter().any(|n| n.starts_with(".~jixiao-")),
        "{:?}",
        names(d)
    );
    assert_eq!(
        crate::mutants::summary_rows(&d.join("汇总.xlsx")).len(),
        152
    );
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the path it is given.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// Regression (issue 10): `check /dev/zero` read without bound and a FIFO blocked for ever.
/// Only regular files are read: a device or a FIFO named on the command line is one sentence
/// and status 1; a FIFO inside a folder is not an input; a missing file is said.
#[test]
fn not_a_regular_file() {
    let dir = inputs();
    let d = dir.path();
    mkfifo(&d.join("pipe.xlsx"));
    let guard = |args: &[&str]| {
        assert_cmd::Command::new(bin())
            .args(args)
            .current_dir(d)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap()
    };
    for (input, name) in [("/dev/zero", "zero"), ("pipe.xlsx", "pipe.xlsx")] {
        let args = ["check", input];
        let out = guard(&args);
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!(
                "{name}：不是普通文件（是设备、管道或套接字），没有读取"
            )),
            "{}",
            show(&args, &out)
        );
    }
    let args = ["merge", ".", "-o", "汇总.xlsx", "--quiet"];
    let out = guard(&args);
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    assert_eq!(crate::mutants::summary_rows(&d.join("汇总.xlsx")).len(), 2);
    let args = ["check", "a.xlsx", "gone.xlsx"];
    let out = guard(&args);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("文件 gone.xlsx 不存在"),
        "{}",
        show(&args, &out)
    );
}

/// Inputs that turn into a FIFO or disappear while a merge runs: the run never blocks, says
/// what it could not read, and still writes every other form. Where the change lands (before
/// the folder is searched, or after) decides whether the file is an input at all: both are
/// clean.
#[test]
fn inputs_replaced_or_deleted_mid_batch() {
    let dir = inputs();
    let d = dir.path();
    for i in 0..120 {
        std::fs::copy(d.join("a.xlsx"), d.join(format!("f{i:03}.xlsx"))).unwrap();
    }
    let mut child = assert_cmd::Command::new(bin());
    child
        .args(["merge", ".", "-o", "汇总.xlsx", "--quiet"])
        .current_dir(d)
        .timeout(Duration::from_secs(300));
    let changer = {
        let d = d.to_path_buf();
        std::thread::spawn(move || {
            std::fs::remove_file(d.join("f100.xlsx")).unwrap();
            std::fs::remove_file(d.join("f110.xlsx")).unwrap();
            mkfifo(&d.join("f110.xlsx"));
        })
    };
    let out = child.output().unwrap();
    changer.join().unwrap();
    let args = ["merge", ".", "-o", "汇总.xlsx", "--quiet"];
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        show(&args, &out)
    );
    let rows = crate::mutants::summary_rows(&d.join("汇总.xlsx"));
    let read = rows.iter().filter(|r| r[2] != "无法读取").count();
    assert_eq!(read, 120, "every form that stayed a file is read: {rows:?}");
    for line in stderr(&out).lines() {
        assert!(
            line == "文件 f100.xlsx 不存在"
                || line == "f110.xlsx：不是普通文件（是设备、管道或套接字），没有读取",
            "{}",
            show(&args, &out)
        );
    }
}

/// jixiao's own outputs found among the inputs (issue 10, issue 12): last month's consolidated
/// workbook, an indicator table and a report are skipped with one note each, not counted as
/// failed forms; a blank template (which a department fills in) is read as the form it is.
#[test]
fn own_outputs_among_the_inputs() {
    let dir = inputs();
    let d = dir.path();
    run(&["merge", ".", "-o", "上月汇总.xlsx", "--quiet"], d, 0);
    run(&["merge", ".", "-o", "指标.csv", "--quiet"], d, 0);
    let report = run(&["check", "a.xlsx", "--format", "json"], d, 0);
    std::fs::write(d.join("report.json"), &report.stdout).unwrap();
    run(&["template", "-o", "空白表.xlsx"], d, 0);
    let before = snapshot(d);
    let args = ["merge", ".", "-o", "汇总.xlsx"];
    // Every form read (the blank one has errors to fix): status 0.
    let out = run(&args, d, 0);
    assert_eq!(
        stderr(&out),
        "report.json：这是 jixiao 生成的校验报告，不是申报表，已跳过\n\
         上月汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过\n\
         指标.csv：这是 jixiao 生成的指标表（CSV），不是申报表，已跳过\n\
         已汇总申报表 3 份：通过 2，需修改 1；无法读取的文件 0 个 → 汇总.xlsx\n",
        "{}",
        show(&args, &out)
    );
    let rows = crate::mutants::summary_rows(&d.join("汇总.xlsx"));
    let files: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(files, ["a.xlsx", "b.xlsx", "空白表.xlsx"]);
    let mut after = snapshot(d);
    after.remove("汇总.xlsx");
    assert_eq!(after, before);
}
