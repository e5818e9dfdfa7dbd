//! The pipeline glued together for one input: read → locate → normalize → check. Pure apart
//! from [`process_path`], which reads the file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::locate::{self, NotAForm};
use crate::messages::{self, Lang};
use crate::model::{Change, Declaration, Finding};
use crate::normalize::{self, raw_from_declaration};
use crate::read::{self, Input, ReadError};
use crate::template::Template;

/// Everything a run needs to know besides its inputs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Candidate variants, preferred first.
    pub templates: Vec<Template>,
    /// The budget year when the title gives none.
    pub year: Option<i32>,
    /// Satisfaction targets below this percentage are suspicious.
    pub min_satisfaction: Decimal,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            templates: Template::builtin(),
            year: None,
            min_satisfaction: Decimal::from(80),
        }
    }
}

impl Config {
    /// The variant a record names, for drawing it: one of the run's candidates, or the
    /// preferred one when the record names a variant this run does not know.
    pub fn template(&self, id: &str) -> Cow<'_, Template> {
        match self
            .templates
            .iter()
            .find(|t| t.id == id)
            .or(self.templates.first())
        {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(Template::builtin().remove(0)),
        }
    }
}

/// One form read, corrected and checked.
#[derive(Debug, Clone)]
pub struct Checked {
    pub declaration: Declaration,
    pub changes: Vec<Change>,
    /// Findings of the normalizer and of the checker, in form order within each.
    pub findings: Vec<Finding>,
}

/// Why an input gave no form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Read(ReadError),
    NotAForm(NotAForm),
    /// The program itself failed on this file (a bug): the batch goes on without it.
    Internal {
        file: String,
    },
    /// An upload larger than the server's per-file limit (`serve --max-file-mb`): not read.
    OverLimit {
        file: String,
        bytes: u64,
        limit: u64,
    },
}

impl Failure {
    /// The sentence for a person, naming the file.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Read(e) => e.message(lang),
            Failure::Internal { file } => messages::cli::INTERNAL.render(lang, &[("file", file)]),
            Failure::NotAForm(n) => not_a_form(n, lang).message(lang),
            Failure::OverLimit { file, bytes, limit } => messages::serve::FILE_OVER_LIMIT.render(
                lang,
                &[
                    ("file", file),
                    ("mb", &read::megabytes(*bytes)),
                    ("limit", &(limit >> 20).to_string()),
                ],
            ),
        }
    }

    /// The findings that stand for the failure in a report: `file-unreadable` (nothing could
    /// be taken from the file), after `template-unknown` (what it lacks) for a spreadsheet that
    /// is not the form.
    pub fn findings(&self, lang: Lang) -> Vec<Finding> {
        match self {
            Failure::Read(_) | Failure::Internal { .. } | Failure::OverLimit { .. } => {
                vec![Finding::new("file-unreadable").param("error", self.message(lang))]
            }
            Failure::NotAForm(n) => vec![
                not_a_form(n, lang),
                Finding::new("file-unreadable").param(
                    "error",
                    messages::report::NO_FORM.render(lang, &[("file", &n.file)]),
                ),
            ],
        }
    }
}

fn not_a_form(n: &NotAForm, lang: Lang) -> Finding {
    Finding::new("template-unknown")
        .param("file", n.file.clone())
        .param("variant", n.closest_name.clone())
        .param("missing", n.missing.join(lang.pick("、", ", ")))
}

/// The result of one input file: one form (or several, for a JSON array), or why none.
#[derive(Debug, Clone)]
pub struct Processed {
    pub path: PathBuf,
    /// The file name shown in messages.
    pub file: String,
    pub outcome: Result<Vec<Checked>, Failure>,
}

/// Read, locate, normalize and check a file: its bytes from disk, then [`process_bytes`].
pub fn process_path(path: &Path, config: &Config) -> Processed {
    let file = read::display_name(path);
    let outcome = match read::load(path) {
        Ok(bytes) => process_bytes(&file, &bytes, config),
        Err(e) => Err(Failure::Read(e)),
    };
    Processed {
        path: path.to_path_buf(),
        file,
        outcome,
    }
}

/// The in-memory entry point shared by the command line and the web server: the bytes of one
/// input and the name it is shown by (never opened: a web upload's name is only a label) →
/// its forms, read, located, normalized and checked, or why none.
pub fn process_bytes(file: &str, bytes: &[u8], config: &Config) -> Result<Vec<Checked>, Failure> {
    // A bug that panics on one file must not end a batch of hundreds: the file is reported
    // and the others go on. (The panic message is printed, so the bug can be reported.)
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read::read_bytes(file, bytes)
            .map_err(Failure::Read)
            .and_then(|input| process_input(input, config))
    }))
    .unwrap_or_else(|_| {
        Err(Failure::Internal {
            file: file.to_string(),
        })
    })
}

/// Locate, normalize and check what was read.
pub fn process_input(input: Input, config: &Config) -> Result<Vec<Checked>, Failure> {
    let opts = normalize::Options { year: config.year };
    let check_opts = crate::check::CheckOptions {
        min_satisfaction: config.min_satisfaction,
    };
    let raws = match input {
        Input::Workbook(wb) => {
            vec![locate::locate(&wb, &config.templates).map_err(Failure::NotAForm)?]
        }
        Input::Records(records) => records.iter().map(raw_from_declaration).collect(),
    };
    Ok(raws
        .iter()
        .map(|raw| {
            let template = config.template(&raw.template);
            let n = normalize::normalize(raw, &template, &opts);
            let mut findings = n.findings;
            findings.extend(crate::check::check(&n.declaration, &template, &check_opts));
            Checked {
                declaration: n.declaration,
                changes: n.changes,
                findings,
            }
        })
        .collect())
}
