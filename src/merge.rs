//! `jixiao merge`: many departments' forms into one consolidated workbook (OUTPUT.md §2).
//!
//! Files are read, located, normalized and checked in parallel (rayon); only the records are
//! kept, never the grids, so memory grows with the number of forms and not with their files.
//! The order of the result is the sorted order of the inputs whatever the scheduling, and one
//! unreadable input never stops the others: it gets its row and its finding.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::app::{self, UsageError, EXIT_OK, EXIT_PROBLEM};
use crate::cli::MergeArgs;
use crate::messages::{self, Lang};
use crate::pipeline::{self, Checked, Config, Failure};
use crate::write::output::{merge_output, Spill};

/// Progress is shown from this many inputs on (and only on a terminal).
const PROGRESS_FROM: usize = 20;

/// One row of the consolidated workbook: a form, or an input that gave none.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The input's path relative to what was named on the command line, for the 文件 column.
    pub file: String,
    pub result: Result<Checked, Failure>,
}

impl Entry {
    pub fn is_read(&self) -> bool {
        self.result.is_ok()
    }
}

/// The name shown for an input: its path below the folder named, or its file name.
fn display_name(path: &std::path::Path, roots: &[PathBuf]) -> String {
    for root in roots {
        if root.is_dir() {
            if let Ok(rel) = path.strip_prefix(root) {
                return rel.display().to_string();
            }
        }
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Process every input in parallel and flatten to entries in input order, with the
/// `department-duplicate` findings added.
pub fn entries(
    paths: &[PathBuf],
    roots: &[PathBuf],
    config: &Config,
    progress: &ProgressBar,
) -> Vec<Entry> {
    let processed: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let mut r = pipeline::process_path(p, config);
            keep_for_merge(&mut r.outcome);
            progress.inc(1);
            (display_name(&r.path, roots), r.outcome)
        })
        .collect();
    progress.finish_and_clear();
    entries_from(processed)
}

/// Drop what a consolidation no longer needs of a processed input: the findings carry their
/// cells already; of the cell map, which served the checker, only the department's is needed
/// again (for duplicates across inputs). Keeps a batch of thousands of forms small.
pub fn keep_for_merge(outcome: &mut Result<Vec<Checked>, Failure>) {
    if let Ok(forms) = outcome {
        for c in forms {
            c.declaration.cells.retain(|field, _| field == "department");
        }
    }
}

/// The entries of processed inputs, each named by its display name, in the order given: one
/// per form, one per input that gave none, with the `department-duplicate` findings added.
/// Shared by `merge` and the web server's `/api/merge`.
pub fn entries_from(processed: Vec<(String, Result<Vec<Checked>, Failure>)>) -> Vec<Entry> {
    let mut out = Vec::with_capacity(processed.len());
    for (file, outcome) in processed {
        match outcome {
            Ok(forms) => out.extend(forms.into_iter().map(|c| Entry {
                file: file.clone(),
                result: Ok(c),
            })),
            Err(f) => out.push(Entry {
                file,
                result: Err(f),
            }),
        }
    }
    add_duplicates(&mut out);
    out
}

/// Flag departments named by more than one input.
fn add_duplicates(entries: &mut [Entry]) {
    let index: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].is_read())
        .collect();
    let decls: Vec<_> = index
        .iter()
        .map(|i| {
            &entries[*i]
                .result
                .as_ref()
                .expect("filtered to read entries")
                .declaration
        })
        .collect();
    let found = crate::check::check_across(&decls);
    for (k, finding) in found {
        if let Ok(c) = &mut entries[index[k]].result {
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
pub fn run(args: &MergeArgs) -> Result<u8, UsageError> {
    let lang = app::lang(args.common.lang);
    let config = app::config(&args.common)?;
    let paths = app::collect_inputs(&args.inputs, app::Skip::File(&args.output));
    if paths.is_empty() {
        return Err(UsageError(messages::cli::NO_INPUTS.get(lang).to_string()));
    }
    let kind = app::output_kind(&args.output)
        .ok_or_else(|| UsageError(messages::cli::MERGE_OUTPUT.get(lang).to_string()))?;
    if let Err(e) = crate::write::check_output(&args.output, args.force, &paths) {
        eprintln!("{}", e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    let bar = progress_bar(paths.len(), args.quiet);
    let entries = entries(&paths, &args.inputs, &config, &bar);
    for e in &entries {
        if let Err(f) = &e.result {
            eprintln!("{}", f.message(lang));
        }
    }
    let written = merge_output(
        kind,
        &entries,
        &config,
        args.forms,
        app::csv_encoding(args.encoding),
        Spill::TempFile,
        lang,
    );
    let bytes = match written {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if let Err(e) = crate::write::write_output(&args.output, &bytes, args.force, &paths) {
        eprintln!("{}", e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    if !args.quiet {
        eprintln!("{}", summary_line(&entries, &args.output, lang));
    }
    let failed = entries.iter().any(|e| !e.is_read());
    Ok(if failed { EXIT_PROBLEM } else { EXIT_OK })
}

/// `已汇总 25 份：通过 20，需修改 4，无法读取 1 → 汇总.xlsx`: what a merge did, in one line.
fn summary_line(entries: &[Entry], output: &std::path::Path, lang: Lang) -> String {
    let (mut pass, mut fix, mut unreadable) = (0, 0, 0);
    for e in entries {
        match &e.result {
            Ok(c) if crate::write::book::status(&c.findings) == messages::write::STATUS_PASS => {
                pass += 1
            }
            Ok(_) => fix += 1,
            Err(_) => unreadable += 1,
        }
    }
    messages::cli::MERGED.render(
        lang,
        &[
            ("n", &entries.len().to_string()),
            ("pass", &pass.to_string()),
            ("fix", &fix.to_string()),
            ("unreadable", &unreadable.to_string()),
            ("file", &output.display().to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_folder_named() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("区县").join("a.xlsx");
        assert_eq!(
            display_name(&sub, &[dir.path().to_path_buf()]),
            format!("区县{}a.xlsx", std::path::MAIN_SEPARATOR)
        );
        assert_eq!(display_name(&sub, &[]), "a.xlsx");
    }
}
