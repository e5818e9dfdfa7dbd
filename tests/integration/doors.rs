//! Issue 18: one batch, two doors. Every fixture folder (tests/fixtures, each of its
//! subfolders, samples/) goes through `jixiao check --format json DIR` and through
//! `POST /api/check` with the same files, and both must give the same `jixiao.report/1`
//! document, entry for entry, and leave out the same inputs with the same sentences.
//!
//! The files uploaded are the ones the command line reads from the folder
//! (`jixiao::inputs::collect`), each named as the command line names it (its path below the
//! folder, `/`-separated: `jixiao::inputs::relative_name`), as the page names the files of a
//! folder it is given. Which files the page itself takes from a folder is the browser test's
//! (tests/integration/browser.rs), which compares what the page shows with `check` too.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::common::{fixtures, jixiao, run, show};
use super::serve::{assert_report, json, Server};

/// Every folder of fixtures: tests/fixtures and every folder below it, and samples/.
fn folders() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        out.push(dir.to_path_buf());
        let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        subs.sort();
        for sub in subs {
            walk(&sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&fixtures(), &mut out);
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"));
    out
}

/// `check --format json DIR ARGS` through both doors, compared. `query` is the request's
/// parameters that say what `args` say on the command line. Returns the report.
fn same_through_both_doors(server: &Server, dir: &Path, args: &[&str], query: &str) -> Value {
    let d = dir.display().to_string();
    let mut cli = vec!["check", d.as_str(), "--format", "json"];
    cli.extend(args);
    let out = jixiao(&cli, dir);
    // 0 or 1: whether a form has an error; 2 only for a folder with nothing to read.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        show(&cli, &out)
    );
    let by_cli: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", show(&cli, &out)));
    // What the command line says on standard error: the inputs it left out, one a line.
    let said: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect();

    let roots = [dir.to_path_buf()];
    let files: Vec<(String, Vec<u8>)> =
        jixiao::inputs::collect(&roots, jixiao::inputs::Skip::Nothing)
            .iter()
            .map(|p| {
                let name = jixiao::inputs::relative_name(p, &roots);
                (name, std::fs::read(p).unwrap())
            })
            .collect();
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (status, mut by_page) = json(server.post(&format!("/api/check?{query}"), &files));
    assert_eq!(status, 200, "{d}: {by_page}");
    assert_report(&by_page, &d);

    // The one legitimate difference: what the command line writes on standard error, the
    // page's answer holds under `skipped` (the page has no standard error). The sentences
    // must be the same; the key is then taken away and the rest must be equal.
    let skipped: Vec<String> = by_page
        .as_object_mut()
        .unwrap()
        .remove("skipped")
        .map(|s| {
            s.as_array()
                .unwrap()
                .iter()
                .map(|e| e["message"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(skipped, said, "{d}: left out by the page and by check");
    if by_page != by_cli {
        panic!("{d}: {}", first_difference(&by_cli, &by_page, ""));
    }
    by_cli
}

/// Where two JSON values first differ, as `files[3].findings[0].message: check "…", page "…"`.
fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) if p != q => return first_difference(p, q, &path),
                    (Some(_), Some(_)) => {}
                    (p, q) => return format!("{path}: check {p:?}, page {q:?}"),
                }
            }
            format!("{at}: equal")
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{at}[{i}]"));
                }
            }
            format!("{at}: check has {} items, page {}", x.len(), y.len())
        }
        _ => format!("{at}: check {a}, page {b}"),
    }
}

/// Every fixture folder gives the same report through `check` and `/api/check`.
#[test]
fn every_fixture_folder_gives_the_same_report_through_both_doors() {
    // The command line reads files up to 64 MB; so does this server.
    let server = Server::start(&["--max-file-mb", "64"]);
    let mut forms = 0;
    for dir in folders() {
        let has_inputs =
            !jixiao::inputs::collect(std::slice::from_ref(&dir), jixiao::inputs::Skip::Nothing)
                .is_empty();
        if !has_inputs {
            // Nothing to read (tests/fixtures/make holds scripts): a usage error of check's,
            // and an upload with no file is refused; neither has a report.
            continue;
        }
        let report = same_through_both_doors(&server, &dir, &[], "");
        forms += report["summary"]["forms"].as_u64().unwrap();
    }
    assert!(forms > 40, "the folders hold forms: {forms}");
    // The options too, and the other language.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    same_through_both_doors(
        &server,
        &samples,
        &["--lang", "en", "--year", "2024", "--min-satisfaction", "85"],
        "lang=en&year=2024&min_satisfaction=85",
    );
}

/// Regression (issue 18): panyu.xlsx beside a 汇总.xlsx that `jixiao merge` wrote (and an
/// indicator table and a report of jixiao's) gave `files: 1, unreadable: 0` through `check`
/// and `files: 2, unreadable: 1` through `/api/check`.
#[test]
fn own_outputs_beside_the_forms_are_left_out_through_both_doors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixtures().join("panyu.xlsx"), d.join("panyu.xlsx")).unwrap();
    run(&["merge", "panyu.xlsx", "-o", "汇总.xlsx", "--quiet"], d, 0);
    run(&["merge", "panyu.xlsx", "-o", "指标.csv", "--quiet"], d, 0);
    let report = run(&["check", "panyu.xlsx", "--format", "json"], d, 0);
    std::fs::write(d.join("report.json"), &report.stdout).unwrap();
    let server = Server::start(&[]);
    let v = same_through_both_doors(&server, d, &[], "");
    assert_eq!(v["summary"]["files"], 1, "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
}
