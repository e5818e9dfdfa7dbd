//! `jixiao check IN...`: the findings of every form, as text for a person or as the
//! `jixiao.report/1` document; the exit status says whether any form has an open error.

use crate::cli::{CheckArgs, FormatArg};
use crate::inputs::{self, Skip};
use crate::report;

use super::{
    config, lang, output, skip_own_outputs, with_workers, UsageError, EXIT_OK, EXIT_PROBLEM,
};

/// `jixiao check IN...`.
pub(super) fn run(args: &CheckArgs) -> Result<u8, UsageError> {
    let lang = lang(args.common.lang);
    let config = config(&args.common)?;
    let paths = inputs::collect(&args.inputs, Skip::Nothing);
    let processed = with_workers(&config, lang, |p| inputs::process_all(&paths, p));
    let processed = skip_own_outputs(processed, |p| p.outcome.as_ref().err(), lang);
    let results = report::results(&processed, lang);
    let text = match args.format {
        FormatArg::Json => report::to_json_string(&results, lang),
        FormatArg::Text => {
            use std::io::IsTerminal;
            report::to_text(&results, lang, std::io::stdout().is_terminal())
        }
    };
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Err(e) = output::stdout(text.as_bytes()) {
        return Ok(output::stdout_failed(&e, lang));
    }
    let bad = results.iter().any(|r| !r.read || r.counts().errors > 0);
    Ok(if bad { EXIT_PROBLEM } else { EXIT_OK })
}
