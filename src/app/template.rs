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

/// What `template --check FILE.toml [--against FORM]...` says: the template's outline
/// ([`crate::trial::outline`]), then what it finds in each sample; whether every sample gave
/// a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub lines: Vec<String>,
    pub all_read: bool,
}

/// Load and check a template file, and try it on `samples`: a sample that cannot be read, or
/// gives no form with this template, says why in its line. An invalid template is the error.
pub fn check(
    path: &std::path::Path,
    samples: &[std::path::PathBuf],
    lang: Lang,
) -> Result<Checked, super::templates::TemplateFileError> {
    let template = super::templates::template_file(path)?;
    let mut lines = crate::trial::outline(&path.display().to_string(), &template, lang);
    let mut all_read = true;
    for sample in samples {
        let name = crate::inputs::display_name(sample);
        match crate::inputs::read_file(sample) {
            Ok(bytes) => {
                let found = crate::trial::against(&name, &bytes, &template, lang);
                all_read &= found.read;
                lines.extend(found.lines);
            }
            Err(e) => {
                lines.push(e.message(lang));
                all_read = false;
            }
        }
    }
    Ok(Checked { lines, all_read })
}

/// Why no template was drafted from a form.
#[derive(Debug)]
pub enum DraftError {
    /// The form could not be read.
    Read(crate::read::ReadError),
    /// It holds no sheet with text (or is JSON records).
    NoSheet { file: String },
}

impl DraftError {
    /// The sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DraftError::Read(e) => e.message(lang),
            DraftError::NoSheet { file } => {
                messages::template_check::NO_SHEET.render(lang, &[("file", file)])
            }
        }
    }
}

/// `template --from FORM`: a draft template ([`crate::draft`]) named `id`, from the first sheet
/// of a form that holds text, its labels known through the run's `templates`.
pub fn draft_from(
    path: &std::path::Path,
    id: &str,
    templates: &[Template],
) -> Result<crate::draft::Draft, DraftError> {
    let file = crate::inputs::display_name(path);
    let bytes = crate::inputs::read_file(path).map_err(DraftError::Read)?;
    let no_sheet = || DraftError::NoSheet { file: file.clone() };
    match crate::read::read_bytes(&file, &bytes).map_err(DraftError::Read)? {
        crate::read::Input::Workbook(wb) => {
            crate::draft::draft(&wb, id, templates).ok_or_else(no_sheet)
        }
        crate::read::Input::Records(_) => Err(no_sheet()),
    }
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
