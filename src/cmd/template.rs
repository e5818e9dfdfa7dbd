//! `jixiao template [--variant NAME] -o OUT.xlsx`: the blank official form of a variant, to a
//! file or (`-o -`) to standard output.

use crate::cli::TemplateArgs;
use jixiao::app;
use jixiao::messages;
use jixiao::write::output::OutputKind;

use super::{output, templates, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao template [--variant NAME] -o OUT.xlsx`.
pub(super) fn run(args: &TemplateArgs) -> Result<u8, UsageError> {
    let lang = args.lang.into();
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && OutputKind::of_path(&args.output) != Some(OutputKind::Xlsx) {
        let file = args.output.display().to_string();
        return Err(UsageError(
            messages::cli::TEMPLATE_OUTPUT.render(lang, &[("file", &file)]),
        ));
    }
    let templates = templates(&args.template, args.templates.as_deref(), lang)?;
    let t = app::template::find(&templates, Some(&args.variant))
        .map_err(|e| UsageError(e.message(lang)))?;
    let bytes = match app::template::blank(t, lang) {
        Ok(bytes) => bytes,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if to_stdout {
        return Ok(match output::stdout(&bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => output::stdout_failed(&e, lang),
        });
    }
    match jixiao::write::write_output(&args.output, &bytes, args.force, &[]) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) => {
            output::note(&e.message(lang));
            Ok(EXIT_PROBLEM)
        }
    }
}
