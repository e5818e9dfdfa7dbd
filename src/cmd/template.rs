//! `jixiao template [--variant NAME] -o OUT.xlsx`: the blank official form of a variant.

use crate::cli::TemplateArgs;
use crate::messages;

use super::{templates, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao template [--variant NAME] -o OUT.xlsx`.
pub(super) fn run(args: &TemplateArgs) -> Result<u8, UsageError> {
    let lang = args.lang.into();
    let templates = templates(args.template.as_deref(), lang)?;
    let Some(t) = templates.iter().find(|t| t.id == args.variant) else {
        let known: Vec<&str> = templates.iter().map(|t| t.id.as_str()).collect();
        return Err(UsageError(messages::cli::UNKNOWN_VARIANT.render(
            lang,
            &[("variant", &args.variant), ("known", &known.join(", "))],
        )));
    };
    let written = crate::write::blank_form(t, lang)
        .and_then(|bytes| crate::write::write_output(&args.output, &bytes, args.force, &[]));
    match written {
        Ok(()) => Ok(EXIT_OK),
        Err(e) => {
            eprintln!("{}", e.message(lang));
            Ok(EXIT_PROBLEM)
        }
    }
}
