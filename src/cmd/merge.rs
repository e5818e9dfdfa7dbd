//! `jixiao merge IN... -o OUT`: many departments' forms into one consolidated workbook, JSON
//! array or indicator CSV (docs/OUTPUT.md §2), as the batch streams by
//! ([`jixiao::app::merge`]). The output is written into a temporary file beside it, renamed
//! over it once complete; a progress bar on a terminal, and a line on standard error for each
//! input that gave no form or was left out, as it comes.

use std::io::BufWriter;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::MergeArgs;
use jixiao::app::merge::{MergeError, MergeOptions, Step};
use jixiao::app::{self, Batch, Cancelled};
use jixiao::consolidate::Tally;
use jixiao::inputs::Skip;
use jixiao::messages::{self, Lang};
use jixiao::write::merge::Spill;
use jixiao::write::output::OutputKind;
use jixiao::write::Staged;

use super::{config, never, output, with_run, UsageError, EXIT_OK, EXIT_PROBLEM};

/// Progress is shown from this many inputs on (and only on a terminal).
const PROGRESS_FROM: usize = 20;

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
    let batch = Batch::of_paths(&args.inputs, Skip::File(&args.output))
        .map_err(|none| UsageError(none.message(lang)))?;
    let kind = OutputKind::of_path(&args.output)
        .ok_or_else(|| UsageError(messages::cli::MERGE_OUTPUT.get(lang).to_string()))?;
    // Said before any input is read: the output is written as they are.
    let mut staged = match Staged::new(&args.output, args.force, batch.paths()) {
        Ok(s) => s,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    let bar = progress_bar(batch.len(), args.quiet);
    let name = staged.name();
    let options = MergeOptions {
        kind,
        forms: args.forms,
        encoding: args.encoding.into(),
        spill: Spill::TempFile,
    };
    let merged = with_run(&config, lang, |run| {
        let out = BufWriter::new(staged.file());
        let merged = app::merge::merge(&batch, run, &options, out, &name, |step| {
            bar.inc(1);
            match step {
                Step::Read => {}
                Step::Failed(f) => bar.suspend(|| output::note(&f.message(lang))),
                Step::Skipped(s) => bar.suspend(|| output::note(&s.message(lang))),
            }
        });
        bar.finish_and_clear();
        // Finished is flushed: the buffer goes with nothing left in it.
        merged.map(|(_, tally)| tally)
    });
    let tally = match merged {
        Ok(tally) => staged.commit().map(|()| tally),
        Err(MergeError::Write(e)) => Err(e),
        Err(MergeError::Cancelled) => never(Cancelled),
    };
    let tally = match tally {
        Ok(t) => t,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if tally.finished.left_out > 0 {
        output::note(&left_out_line(&tally, lang));
    }
    if !args.quiet {
        output::note(&summary_line(&tally, &args.output, lang));
    }
    Ok(if tally.unreadable > 0 {
        EXIT_PROBLEM
    } else {
        EXIT_OK
    })
}

/// `--forms：共 10000 份申报表，只为前 1000 份各写了一个工作表…`: said even with `--quiet`, as
/// the workbook lacks what was asked for.
fn left_out_line(tally: &Tally, lang: Lang) -> String {
    let f = tally.finished;
    messages::cli::FORM_SHEETS_LEFT_OUT.render(
        lang,
        &[
            ("total", &(f.form_sheets + f.left_out).to_string()),
            ("max", &f.form_sheets.to_string()),
            ("left", &f.left_out.to_string()),
        ],
    )
}

/// `已汇总申报表 24 份：通过 20，需修改 4；无法读取的文件 1 个 → 汇总.xlsx`: what a merge did,
/// in one line. Forms and files are counted apart: an unreadable file gave no form.
fn summary_line(tally: &Tally, output: &Path, lang: Lang) -> String {
    messages::cli::MERGED.render(
        lang,
        &[
            ("forms", &(tally.pass + tally.fix).to_string()),
            ("pass", &tally.pass.to_string()),
            ("fix", &tally.fix.to_string()),
            ("unreadable", &tally.unreadable.to_string()),
            ("file", &output.display().to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao::write::merge::{Finished, MAX_FORM_SHEETS};

    /// What stderr says when `--forms` gave fewer sheets than forms.
    #[test]
    fn the_forms_left_out_are_counted_on_stderr() {
        let tally = Tally {
            pass: 9_000,
            fix: 1_000,
            unreadable: 0,
            finished: Finished {
                form_sheets: MAX_FORM_SHEETS,
                left_out: 10_000 - MAX_FORM_SHEETS,
            },
        };
        assert_eq!(
            left_out_line(&tally, Lang::Zh),
            "--forms：共 10000 份申报表，只为前 1000 份各写了一个工作表，其余 9000 份没有\
             （工作表过多时 Excel 和 WPS 难以打开）；所有表的数据仍在“汇总”（项目申报表在“项目汇总”）和各清单中。\
             要每份的申报表，请用 jixiao convert"
        );
    }
}
