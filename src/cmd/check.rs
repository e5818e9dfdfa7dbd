//! `jixiao check IN...`: the findings of every form, as text for a person or as the
//! `jixiao.report/1` document; the exit status says whether any form has an open error.

use crate::cli::{CheckArgs, FormatArg};
use crate::inputs::{self, Skip};
use crate::model::Status;
use crate::report::Report;

use super::{config, output, skip_own_outputs, with_workers, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao check IN...`.
pub(super) fn run(args: &CheckArgs) -> Result<u8, UsageError> {
    let lang = args.common.lang.into();
    let config = config(&args.common)?;
    let paths = inputs::collect(&args.inputs, Skip::Nothing);
    if let Some(none) = inputs::nothing_found(&args.inputs, &paths) {
        return Err(UsageError(none.message(lang)));
    }
    let processed = with_workers(&config, lang, |p| {
        inputs::process_all(&paths, &args.inputs, p)
    });
    let mut processed = skip_own_outputs(processed, |p| p.outcome.as_ref().err(), lang);
    crate::pipeline::flag_duplicates(&mut processed);
    let report = Report::of(processed, &config.templates, lang);
    let text = match args.format {
        FormatArg::Json => report.to_json_string(lang),
        FormatArg::Text => {
            use std::io::IsTerminal;
            report.to_text(lang, std::io::stdout().is_terminal())
        }
    };
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Err(e) = output::stdout(text.as_bytes()) {
        return Ok(output::stdout_failed(&e, lang));
    }
    let bad = report.results.iter().any(|r| r.status() != Status::Pass);
    Ok(if bad { EXIT_PROBLEM } else { EXIT_OK })
}
