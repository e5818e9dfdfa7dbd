//! `jixiao check IN...`: the findings of every form, as text for a person or as the
//! `jixiao.report/1` document; the exit status says whether any form has an open error.

use std::io::Write;

use crate::cli::{CheckArgs, FormatArg};
use crate::inputs::{self, Skip};
use crate::model::Status;
use crate::report::Report;

use super::{config, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao check IN...`.
pub(super) fn run(args: &CheckArgs) -> Result<u8, UsageError> {
    let lang = args.common.lang.into();
    let config = config(&args.common)?;
    let paths = inputs::collect(&args.inputs, Skip::Nothing);
    if let Some(none) = inputs::nothing_found(&args.inputs, &paths) {
        return Err(UsageError(none.message(lang)));
    }
    let processed = inputs::process_all(&paths, &args.inputs, &config);
    let report = Report::of(processed, &config.templates, lang);
    let text = match args.format {
        FormatArg::Json => report.to_json_string(lang),
        FormatArg::Text => {
            use std::io::IsTerminal;
            report.to_text(lang, std::io::stdout().is_terminal())
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let bad = report.results.iter().any(|r| r.status() != Status::Pass);
    Ok(if bad { EXIT_PROBLEM } else { EXIT_OK })
}
