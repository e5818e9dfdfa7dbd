//! `jixiao check IN...`: the findings of every form, as text for a person or as the
//! `jixiao.report/1` document; the exit status says whether any form has an open error.

use crate::cli::{CheckArgs, FormatArg};
use jixiao::app::{self, Batch};
use jixiao::inputs::Skip;
use jixiao::model::Status;

use super::{config, never, output, say_skipped, with_run, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao check IN...`.
pub(super) fn run(args: &CheckArgs) -> Result<u8, UsageError> {
    let lang = args.common.lang.into();
    let config = config(&args.common)?;
    let batch = Batch::of_paths(&args.inputs, Skip::Nothing)
        .map_err(|none| UsageError(none.message(lang)))?;
    let checks = with_run(&config, lang, |run| app::check::check(&batch, run, false))
        .unwrap_or_else(|c| never(c));
    say_skipped(&checks.skipped, lang);
    let report = checks.report;
    let mut text = match args.format {
        FormatArg::Json => report.to_json_string(lang),
        FormatArg::Text => {
            use std::io::IsTerminal;
            report.to_text(lang, std::io::stdout().is_terminal())
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Err(e) = output::stdout(text.as_bytes()) {
        return Ok(output::stdout_failed(&e, lang));
    }
    let bad = report.results.iter().any(|r| r.status() != Status::Pass);
    Ok(if bad { EXIT_PROBLEM } else { EXIT_OK })
}
