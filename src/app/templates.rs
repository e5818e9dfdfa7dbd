//! Which templates a run has: the built-in ones, and the template files it is given
//! (`--template FILE`).

use std::path::Path;

use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Thing};
use crate::template::{Template, TemplateError};

/// Why the template file of `--template` gave no template.
#[derive(Debug)]
pub enum TemplateFileError {
    /// The id of a built-in template where a file is expected (`--template gz-dept-overall`).
    IsAnId(String),
    /// The file could not be read.
    Unreadable { file: String, error: OsError },
    /// The file is no template.
    Bad(TemplateError),
}

impl TemplateFileError {
    /// The sentence in `lang`, with what to do next.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TemplateFileError::IsAnId(id) => {
                messages::template::IS_AN_ID.render(lang, &[("id", id)])
            }
            TemplateFileError::Unreadable { file, error } => {
                let reason = error.message(lang, file, Access::Read, Thing::File);
                messages::template::UNREADABLE.render(lang, &[("reason", &reason)])
            }
            TemplateFileError::Bad(e) => {
                messages::template::BAD.render(lang, &[("file", &e.file), ("detail", &e.detail)])
            }
        }
    }
}

/// The built-in templates, with a template file (`--template`) first; a built-in one of the
/// same id is replaced by the file, not kept behind it. A built-in template's id given where
/// a file is expected is told what the id is for ([`TemplateFileError::IsAnId`]).
pub fn templates(extra: Option<&Path>) -> Result<Vec<Template>, TemplateFileError> {
    let mut templates = Template::builtin();
    if let Some(path) = extra {
        let file = path.display().to_string();
        let text = crate::inputs::read_text(path).map_err(|e| {
            if !path.exists() && templates.iter().any(|t| t.id == file) {
                return TemplateFileError::IsAnId(file.clone());
            }
            TemplateFileError::Unreadable {
                file: file.clone(),
                error: OsError::of(&e),
            }
        })?;
        let t = Template::parse(&file, &text).map_err(TemplateFileError::Bad)?;
        templates.retain(|b| b.id != t.id);
        templates.insert(0, t);
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `template --template FILE` kept the built-in of the same id behind the file.
    #[test]
    fn a_template_file_replaces_the_builtin_of_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gz.toml");
        let builtin = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/gz-dept-overall.toml"),
        )
        .unwrap();
        std::fs::write(&path, builtin).unwrap();
        let all = templates(Some(&path)).unwrap();
        assert_eq!(all.len(), Template::builtin().len());
        assert_eq!(all.iter().filter(|t| t.id == "gz-dept-overall").count(), 1);
        assert_eq!(all[0].id, "gz-dept-overall");
    }
}
