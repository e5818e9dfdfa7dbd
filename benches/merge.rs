//! Macro benchmark of `jixiao merge` (issue: "Consolidate many departments into one workbook,
//! fast"). See `benches/README.md`.
//!
//! 1. Generates N varied forms into a folder with the generator the tests share
//!    (`tests/support/forms.rs`), deterministically (seeded PRNG): both template
//!    variants, shifted and padded layouts, label variants, amounts stored as text, blank rows
//!    in the tables, 1–6 tasks and 5–20 indicators, some deliberate errors and duplicates; mostly
//!    `.xlsx`, the rest `.csv` (UTF-8 and GBK), `.ods` and `.json`.
//! 2. Times the release binary: `jixiao merge DIR -o out.xlsx --quiet --force`.
//! 3. Times calamine alone opening and reading every cell of the same files (the baseline cost of
//!    reading), and prints the ratio merge / read-only.
//!
//! ```text
//! cargo bench --bench merge -- 1000 [--keep DIR] [--runs K] [--out xlsx|json] [--seed S]
//! ```
//!
//! Environment equivalents: `JIXIAO_BENCH_N`, `JIXIAO_BENCH_KEEP`, `JIXIAO_BENCH_RUNS`,
//! `JIXIAO_BENCH_OUT`, `JIXIAO_BENCH_SEED`. Run without `--bench` and without arguments (as
//! `cargo test --benches` does) it is a quick smoke test of a dozen forms.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

#[path = "../tests/support/forms.rs"]
mod forms;

use forms::{generate, generate_one, seeds, Generated, Kind, KINDS};

// ---------------------------------------------------------------------------------------------
// Options

#[derive(Debug, Clone)]
struct Options {
    n: usize,
    keep: Option<PathBuf>,
    runs: usize,
    /// Output extension of the timed merge: `xlsx` (what users run) or `json`.
    out: String,
    seed: u64,
    smoke: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut o = Options {
        n: 200,
        keep: env("JIXIAO_BENCH_KEEP").map(PathBuf::from),
        runs: env("JIXIAO_BENCH_RUNS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        out: env("JIXIAO_BENCH_OUT").unwrap_or_else(|| "xlsx".into()),
        seed: env("JIXIAO_BENCH_SEED")
            .and_then(|v| v.parse().ok())
            .unwrap_or(2024),
        smoke: false,
    };
    let mut n_given: Option<usize> = env("JIXIAO_BENCH_N").and_then(|v| v.parse().ok());
    let mut bench_flag = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            // `cargo bench` passes `--bench`; `cargo test --benches` does not.
            "--bench" => bench_flag = true,
            "--keep" => o.keep = it.next().map(PathBuf::from),
            "--runs" => o.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--out" => o.out = it.next().cloned().unwrap_or_else(|| "xlsx".into()),
            "--seed" => o.seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(o.seed),
            s if s.parse::<usize>().is_ok() => n_given = s.parse().ok(),
            // Filters and flags of the libtest harness (`cargo bench -- name`) are ignored.
            _ => {}
        }
    }
    o.runs = o.runs.max(1);
    if o.out != "json" {
        o.out = "xlsx".into();
    }
    match n_given {
        Some(n) => o.n = n.max(1),
        None if !bench_flag => {
            o.smoke = true;
            o.n = 12;
        }
        None => {}
    }
    o
}

const MARKER: &str = ".jixiao-bench";

/// Generate into `dir`, or reuse what an earlier run with the same N and seed left there.
fn generate_or_reuse(dir: &Path, n: usize, seed: u64) -> (Generated, bool) {
    let marker = dir.join(MARKER);
    let stamp = format!("n={n} seed={seed} generator=1\n");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(stamp.as_str()) {
        // Regenerating only in memory is cheap next to writing; it gives the kinds and counts.
        let seeds = seeds();
        let made: Vec<_> = (0..n)
            .into_par_iter()
            .map(|i| {
                let (name, bytes, kind, expect) = generate_one(i, n, seed, &seeds);
                ((dir.join(name), kind), expect, bytes.len() as u64)
            })
            .collect();
        if made.iter().all(|((p, _), _, _)| p.is_file()) {
            let bytes = made.iter().map(|m| m.2).sum();
            let (files, expects) = made.into_iter().map(|(f, e, _)| (f, e)).unzip();
            return (
                Generated {
                    files,
                    expects,
                    bytes,
                },
                true,
            );
        }
    }
    std::fs::create_dir_all(dir).expect("create the forms folder");
    let _ = std::fs::remove_file(&marker);
    let g = generate(dir, n, seed);
    std::fs::write(&marker, stamp).expect("write the marker");
    (g, false)
}

// ---------------------------------------------------------------------------------------------
// Reading only: calamine (and plain decoding) over the same files

/// Open and read every cell of every file; returns the number of non-empty cells (so that the
/// work cannot be optimized away).
fn read_only(files: &[(PathBuf, Kind)]) -> u64 {
    use calamine::{open_workbook_auto, Data, Reader};
    files
        .par_iter()
        .map(|(path, kind)| match kind {
            Kind::Xlsx | Kind::Ods => {
                let mut book = open_workbook_auto(path).expect("calamine opens a generated form");
                let mut cells = 0u64;
                for name in book.sheet_names() {
                    let range = book.worksheet_range(&name).expect("a sheet");
                    for cell in range.used_cells() {
                        cells += u64::from(!matches!(cell.2, Data::Empty));
                    }
                }
                cells
            }
            Kind::CsvUtf8 | Kind::CsvGbk => {
                let bytes = std::fs::read(path).expect("read");
                let text = match std::str::from_utf8(
                    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes),
                ) {
                    Ok(s) => s.to_string(),
                    Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
                };
                text.lines().count() as u64
            }
            Kind::Json => {
                let bytes = std::fs::read(path).expect("read");
                let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                v.as_object().map_or(0, |o| o.len() as u64)
            }
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Timing merge

/// `target/release/jixiao` beside this bench executable (`target/release/deps/merge-…`).
/// `cargo bench` builds the package's binaries in the same profile before running benches.
fn release_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = format!("jixiao{}", std::env::consts::EXE_SUFFIX);
    exe.ancestors()
        .skip(1)
        .take(3)
        .map(|d| d.join(&name))
        .find(|p| p.is_file())
}

enum How {
    Binary(PathBuf),
    Library,
}

/// Run merge once; `Ok(elapsed)` when the output was written.
fn merge_once(how: &How, dir: &Path, out: &Path) -> Result<Duration, String> {
    let _ = std::fs::remove_file(out);
    let args = [
        "merge".as_ref(),
        dir.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
        "--force".as_ref(),
    ];
    let start = Instant::now();
    let stderr = match how {
        How::Binary(bin) => {
            let o = Command::new(bin)
                .args(args)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
            String::from_utf8_lossy(&o.stderr).into_owned()
        }
        How::Library => library_merge(dir, out).err().unwrap_or_default(),
    };
    let elapsed = start.elapsed();
    if out.is_file() {
        Ok(elapsed)
    } else if stderr.trim().is_empty() {
        Err("no output written".into())
    } else {
        Err(stderr)
    }
}

/// `merge DIR -o OUT --force` through the library's application layer, as the command calls
/// it, but reading in this process (the bench executable is no worker). `Err`: why not.
fn library_merge(dir: &Path, out: &Path) -> Result<(), String> {
    use jixiao::app::merge::{MergeError, MergeOptions};
    use jixiao::app::{self, Batch, Run};
    let lang = jixiao::messages::Lang::Zh;
    let named = [dir.to_path_buf()];
    let batch =
        Batch::of_paths(&named, jixiao::inputs::Skip::File(out)).map_err(|e| e.message(lang))?;
    let kind = jixiao::write::output::OutputKind::of_path(out).ok_or("not .xlsx, .json or .csv")?;
    let config = jixiao::pipeline::Config::default();
    let readers = jixiao::inputs::Readers::in_process();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let run = Run {
        config: &config,
        readers: &readers,
        cancel: &cancel,
        lang,
    };
    let options = MergeOptions {
        kind,
        forms: false,
        encoding: jixiao::write::CsvEncoding::Utf8Bom,
        spill: jixiao::write::merge::Spill::TempFile,
    };
    let mut staged =
        jixiao::write::Staged::new(out, true, batch.paths()).map_err(|e| e.message(lang))?;
    let name = staged.name();
    let written = std::io::BufWriter::new(staged.file());
    match app::merge::merge(&batch, &run, &options, written, &name, |_| {}) {
        Ok(_) => {}
        Err(MergeError::Write(e)) => return Err(e.message(lang)),
        Err(MergeError::Cancelled) => return Err("cancelled".into()),
    }
    staged.commit().map_err(|e| e.message(lang))
}

fn best(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

/// Check a sample of the forms through the library: the right department and counts read back.
fn sanity(g: &Generated, sample: usize) -> (usize, usize, Vec<String>) {
    let step = (g.files.len() / sample.max(1)).max(1);
    let mut checked = 0;
    let mut bad = Vec::new();
    for ((path, _), expect) in g.files.iter().zip(&g.expects).step_by(step) {
        checked += 1;
        if let Err(e) = forms::read_back(path, expect) {
            bad.push(e);
        }
    }
    (checked, checked - bad.len(), bad)
}

fn main() {
    let o = options();
    let temp;
    let dir = match &o.keep {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::tempdir().expect("a temporary folder");
            temp.path().join("forms")
        }
    };
    let work = tempfile::tempdir().expect("a temporary folder");

    let start = Instant::now();
    let (g, reused) = generate_or_reuse(&dir, o.n, o.seed);
    let gen_time = start.elapsed();
    println!(
        "jixiao merge benchmark: N = {} forms, {:.1} MB, {} in {:.2} s ({})",
        o.n,
        g.bytes as f64 / 1e6,
        if reused { "reused" } else { "generated" },
        gen_time.as_secs_f64(),
        dir.display()
    );

    let (checked, ok, bad) = sanity(&g, if o.smoke { o.n } else { 40 });
    println!("sanity: {ok}/{checked} sampled forms read back with their department, tasks and indicators");
    for b in bad.iter().take(5) {
        println!("  mismatch: {b}");
    }

    let how = match release_binary() {
        Some(bin) if !o.smoke => How::Binary(bin),
        _ => How::Library,
    };
    let how_text = match &how {
        How::Binary(b) => b.display().to_string(),
        How::Library => "the library in-process (jixiao::app::merge)".into(),
    };

    // Reading only first: it also warms the page cache for both measurements.
    let mut read_times = Vec::new();
    let mut cells = 0;
    for _ in 0..o.runs {
        let s = Instant::now();
        cells = read_only(&g.files);
        read_times.push(s.elapsed());
    }

    // A merge that fails is fatal: timing another output instead would report numbers for a
    // command nobody asked about.
    let out_ext = o.out.clone();
    let mut merge_times = Vec::new();
    for _ in 0..o.runs {
        let out = work.path().join(format!("merged.{out_ext}"));
        match merge_once(&how, &dir, &out) {
            Ok(t) => merge_times.push(t),
            Err(stderr) => {
                eprintln!("merge -o .{out_ext} failed:\n{}", stderr.trim_end());
                std::process::exit(1);
            }
        }
    }

    let merge_s = best(&merge_times).as_secs_f64();
    let read_s = best(&read_times).as_secs_f64();
    let threads = rayon::current_num_threads();
    let mut by_kind = String::new();
    for (kind, label) in KINDS {
        let c = g.files.iter().filter(|f| f.1 == kind).count();
        if c > 0 {
            let _ = write!(
                by_kind,
                "{}{label} {c}",
                if by_kind.is_empty() { "" } else { ", " }
            );
        }
    }
    println!(
        "merge: {how_text}, output .{out_ext}; {threads} threads; best of {} run(s)",
        o.runs
    );
    println!();
    println!("| N | files by format | merge s | forms/s | read-only s | ratio merge/read |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {:.3} | {:.0} | {:.3} | {:.2} |",
        o.n,
        by_kind,
        merge_s,
        o.n as f64 / merge_s,
        read_s,
        merge_s / read_s
    );
    println!();
    println!(
        "(read-only touched {cells} non-empty cells/lines/keys; the aim is a ratio under 1.5)"
    );
    let shown = if o.keep.is_some() {
        dir.display().to_string()
    } else {
        "<dir>".into()
    };
    println!("peak memory: /usr/bin/time -v target/release/jixiao merge {shown} -o out.{out_ext} --quiet --force");
    if o.keep.is_none() {
        println!("             (generate a folder to keep with: cargo bench --bench merge -- {} --keep DIR)", o.n);
    }
    if o.smoke {
        assert_eq!(ok, checked, "generated forms must read back: {bad:?}");
    }
}
