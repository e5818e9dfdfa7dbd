//! `template`: the blank official form of a variant, as workbook bytes (`jixiao template`,
//! `GET /api/template`).

use crate::messages::{self, Lang};
use crate::template::Template;
use crate::write::WriteError;

/// The variant a blank form is of when none is named: the district form of six columns, as
/// `jixiao template` documents it.
pub const DEFAULT_VARIANT: &str = "gz-dept-overall";

/// Why no blank form was made.
#[derive(Debug)]
pub enum TemplateError {
    /// No template of the run has this id; `known` are the ids it has.
    UnknownVariant { variant: String, known: Vec<String> },
    /// The workbook could not be made.
    Write(WriteError),
}

impl TemplateError {
    /// The sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TemplateError::UnknownVariant { variant, known } => messages::cli::UNKNOWN_VARIANT
                .render(lang, &[("variant", variant), ("known", &known.join(", "))]),
            TemplateError::Write(e) => e.message(lang),
        }
    }
}

/// The template `variant` (by default [`DEFAULT_VARIANT`]) among `templates`.
pub fn find<'a>(
    templates: &'a [Template],
    variant: Option<&str>,
) -> Result<&'a Template, TemplateError> {
    let variant = variant.unwrap_or(DEFAULT_VARIANT);
    templates
        .iter()
        .find(|t| t.id == variant)
        .ok_or_else(|| TemplateError::UnknownVariant {
            variant: variant.to_string(),
            known: templates.iter().map(|t| t.id.clone()).collect(),
        })
}

/// The blank form of `template`, its words in `lang` (the form itself stays Chinese).
pub fn blank(template: &Template, lang: Lang) -> Result<Vec<u8>, TemplateError> {
    crate::write::blank_form(template, lang).map_err(TemplateError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 18): the page gave the first template of the run when no variant was
    /// named (a `--template` file, when one was given), the command line `gz-dept-overall`.
    #[test]
    fn the_default_variant_is_the_command_lines() {
        let mut templates = Template::builtin();
        let mut other = templates[1].clone();
        other.id = "my-district".into();
        templates.insert(0, other);
        assert_eq!(find(&templates, None).unwrap().id, "gz-dept-overall");
        let e = find(&templates, Some("none")).unwrap_err();
        assert!(e
            .message(Lang::Zh)
            .starts_with("没有名为 none 的模板（可用：my-district, "));
    }
}
