//! `jixiao merge IN... -o OUT`: many departments' forms into one consolidated workbook, JSON
//! array or indicator CSV (OUTPUT.md §2).
//!
//! Files are read, located, normalized and checked in parallel (rayon); only the records are
//! kept, never the grids. The order of the result is the sorted order of the inputs whatever the
//! scheduling, and one unreadable input never stops the others: it gets its row and its finding.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{MergeArgs, OutputKind};
use crate::inputs::{self, Process, Skip};
use crate::messages::{self, Lang};
use crate::model::{FieldPath, Finding, Status};
use crate::pipeline::{Checked, Failure};
use crate::write::merge::Row;

use super::{
    config, csv_encoding, lang, output, output_kind, records_json, skip_own_outputs, with_workers,
    UsageError, EXIT_OK, EXIT_PROBLEM,
};

/// Progress is shown from this many inputs on (and only on a terminal).
const PROGRESS_FROM: usize = 20;

/// One row of the result: a form, or an input that gave none.
struct Entry {
    /// The input's path relative to what was named on the command line, for the 文件 column.
    file: String,
    result: Result<Checked, Unread>,
}

/// An input that gave no form, with the findings that stand for it in the workbook.
struct Unread {
    failure: Failure,
    findings: Vec<Finding>,
}

impl Entry {
    fn row(&self) -> Row<'_> {
        match &self.result {
            Ok(c) => Row {
                file: &self.file,
                declaration: Some(&c.declaration),
                findings: &c.findings,
                changes: &c.changes,
            },
            Err(u) => Row {
                file: &self.file,
                declaration: None,
                findings: &u.findings,
                changes: &[],
            },
        }
    }
}

/// Process every input in parallel and flatten to entries in input order, with the
/// `department-duplicate` findings added. jixiao's own outputs among the inputs are left out
/// with a note.
fn entries(
    paths: &[PathBuf],
    roots: &[PathBuf],
    process: &dyn Process,
    progress: &ProgressBar,
    lang: Lang,
) -> Vec<Entry> {
    let processed: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let mut r = inputs::process_path(p, process);
            // The findings carry their cells already; of the cell map, which served the checker,
            // only the department's is needed again (for duplicates across inputs). Dropping
            // the rest keeps a batch of thousands of forms small.
            if let Ok(forms) = &mut r.outcome {
                for c in forms {
                    c.declaration
                        .cells
                        .retain(|field, _| *field == FieldPath::Department);
                }
            }
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();
    let processed = skip_own_outputs(
        processed.into_iter().zip(paths).collect(),
        |(p, _)| p.outcome.as_ref().err(),
        lang,
    );
    let mut out = Vec::with_capacity(processed.len());
    for (p, path) in processed {
        let file = inputs::relative_name(path, roots);
        match p.outcome {
            Ok(forms) => out.extend(forms.into_iter().map(|c| Entry {
                file: file.clone(),
                result: Ok(c),
            })),
            Err(failure) => out.push(Entry {
                file,
                result: Err(Unread {
                    findings: failure.findings(lang),
                    failure,
                }),
            }),
        }
    }
    add_duplicates(&mut out);
    out
}

/// Flag departments named by more than one input.
fn add_duplicates(entries: &mut [Entry]) {
    let read: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].result.is_ok())
        .collect();
    let decls: Vec<_> = read
        .iter()
        .filter_map(|i| entries[*i].result.as_ref().ok())
        .map(|c| &c.declaration)
        .collect();
    let found = crate::check::check_across(&decls);
    for (k, finding) in found {
        if let Ok(c) = &mut entries[read[k]].result {
            c.findings.push(finding);
        }
    }
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
    let lang = lang(args.common.lang);
    let config = config(&args.common)?;
    let paths = inputs::collect(&args.inputs, Skip::File(&args.output));
    if paths.is_empty() {
        return Err(UsageError(messages::cli::NO_INPUTS.get(lang).to_string()));
    }
    let kind = output_kind(&args.output)
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
    let forms: Vec<&Checked> = entries
        .iter()
        .filter_map(|e| e.result.as_ref().ok())
        .collect();
    let bytes = match kind {
        OutputKind::Xlsx => {
            let rows: Vec<Row> = entries.iter().map(Entry::row).collect();
            match crate::write::merge::merge_workbook(&rows, &config.templates, args.forms, lang) {
                Ok(b) => b,
                Err(e) => {
                    output::note(&e.message(lang));
                    return Ok(EXIT_PROBLEM);
                }
            }
        }
        OutputKind::Json => records_json(&forms, true).into_bytes(),
        OutputKind::Csv => {
            let decls: Vec<_> = forms.iter().map(|c| &c.declaration).collect();
            crate::write::indicators_csv(&decls, csv_encoding(args.encoding))
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
