//! `jixiao merge IN... -o OUT`: many departments' forms into one consolidated workbook, JSON
//! array or indicator CSV (docs/OUTPUT.md §2).
//!
//! Files are read, located, normalized and checked in parallel (rayon); only the records are
//! kept, never the grids. The order of the result is the sorted order of the inputs whatever the
//! scheduling, and one unreadable input never stops the others: it gets its row and its finding.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::MergeArgs;
use crate::consolidate::{self, Entry};
use crate::inputs::{self, Process, Skip};
use crate::messages::{self, Lang};
use crate::model::Status;
use crate::pipeline::Processed;
use crate::write::merge::{Row, Spill};
use crate::write::output::{merge_output, OutputKind};

use super::{config, output, skip_own_outputs, with_workers, UsageError, EXIT_OK, EXIT_PROBLEM};

/// Progress is shown from this many inputs on (and only on a terminal).
const PROGRESS_FROM: usize = 20;

/// Process every input in parallel, slimmed as it is done ([`consolidate::slim`]), each named
/// by its path below the folder named; then the entries in input order. jixiao's own outputs
/// among the inputs are left out with a note.
fn entries(
    paths: &[PathBuf],
    roots: &[PathBuf],
    process: &dyn Process,
    progress: &ProgressBar,
    lang: Lang,
) -> Vec<Entry> {
    let processed: Vec<Processed> = paths
        .par_iter()
        .map(|p| {
            let mut r = inputs::process_named(p, inputs::relative_name(p, roots), process);
            consolidate::slim(&mut r.outcome);
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();
    let processed = skip_own_outputs(processed, |p| p.outcome.as_ref().err(), lang);
    consolidate::entries(processed, lang)
}

fn progress_bar(n: usize, quiet: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if quiet || n < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} {msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// `jixiao merge IN... -o OUT`.
pub(super) fn run(args: &MergeArgs) -> Result<u8, UsageError> {
    let lang = args.common.lang.into();
    let config = config(&args.common)?;
    let paths = inputs::collect(&args.inputs, Skip::File(&args.output));
    if let Some(none) = inputs::nothing_found(&args.inputs, &paths) {
        return Err(UsageError(none.message(lang)));
    }
    let kind = OutputKind::of_path(&args.output)
        .ok_or_else(|| UsageError(messages::cli::MERGE_OUTPUT.get(lang).to_string()))?;
    if let Err(e) = crate::write::check_output(&args.output, args.force, &paths) {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    let bar = progress_bar(paths.len(), args.quiet);
    let entries = with_workers(&config, lang, |p| {
        entries(&paths, &args.inputs, p, &bar, lang)
    });
    for e in &entries {
        if let Err(u) = &e.result {
            output::note(&u.failure.message(lang));
        }
    }
    let rows: Vec<Row> = entries.iter().map(Entry::row).collect();
    let written = merge_output(
        kind,
        &rows,
        &config.templates,
        args.forms,
        args.encoding.into(),
        Spill::TempFile,
        lang,
    );
    let bytes = match written {
        Ok(b) => b,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if let Err(e) = crate::write::write_output(&args.output, &bytes, args.force, &paths) {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    if !args.quiet {
        output::note(&summary_line(&entries, &args.output, lang));
    }
    let failed = entries.iter().any(|e| e.result.is_err());
    Ok(if failed { EXIT_PROBLEM } else { EXIT_OK })
}

/// `已汇总 25 份：通过 20，需修改 4，无法读取 1 → 汇总.xlsx`: what a merge did, in one line.
fn summary_line(entries: &[Entry], output: &Path, lang: Lang) -> String {
    let count = |s: Status| {
        entries
            .iter()
            .filter(|e| e.row().status() == s)
            .count()
            .to_string()
    };
    messages::cli::MERGED.render(
        lang,
        &[
            ("n", &entries.len().to_string()),
            ("pass", &count(Status::Pass)),
            ("fix", &count(Status::Fix)),
            ("unreadable", &count(Status::Unreadable)),
            ("file", &output.display().to_string()),
        ],
    )
}
