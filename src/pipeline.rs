//! The pipeline glued together for one input: read → locate → normalize → check. Pure apart
//! from [`process_path`], which reads the file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::locate::{self, NotAForm};
use crate::messages::{self, Lang};
use crate::model::{Change, Code, Declaration, Finding, Hole};
use crate::normalize;
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
}

impl Failure {
    /// The sentence for a person, naming the file.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Read(e) => e.message(lang),
            Failure::Internal { file } => messages::cli::INTERNAL.render(lang, &[("file", file)]),
            Failure::NotAForm(n) => not_a_form(n, lang).message(lang),
        }
    }

    /// The findings that stand for the failure in a report: `file-unreadable` (nothing could
    /// be taken from the file), after `template-unknown` (what it lacks) for a spreadsheet that
    /// is not the form.
    pub fn findings(&self, lang: Lang) -> Vec<Finding> {
        match self {
            Failure::Read(_) | Failure::Internal { .. } => {
                vec![Finding::new(Code::FileUnreadable).param(Hole::Error, self.message(lang))]
            }
            Failure::NotAForm(n) => vec![
                not_a_form(n, lang),
                Finding::new(Code::FileUnreadable).param(
                    Hole::Error,
                    messages::report::NO_FORM.render(lang, &[("file", &n.file)]),
                ),
            ],
        }
    }
}

fn not_a_form(n: &NotAForm, lang: Lang) -> Finding {
    Finding::new(Code::TemplateUnknown)
        .param(Hole::File, n.file.clone())
        .param(Hole::Variant, n.closest_name.clone())
        .param(Hole::Missing, n.missing.join(lang.pick("、", ", ")))
}

/// The result of one input file: one form (or several, for a JSON array), or why none.
#[derive(Debug, Clone)]
pub struct Processed {
    pub path: PathBuf,
    /// The file name shown in messages.
    pub file: String,
    pub outcome: Result<Vec<Checked>, Failure>,
}

/// Read, locate, normalize and check a file.
pub fn process_path(path: &Path, config: &Config) -> Processed {
    let file = read::display_name(path);
    // A bug that panics on one file must not end a batch of hundreds: the file is reported
    // and the others go on. (The panic message is printed, so the bug can be reported.)
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read::read_path(path)
            .map_err(Failure::Read)
            .and_then(|input| process_input(input, config))
    }))
    .unwrap_or_else(|_| Err(Failure::Internal { file: file.clone() }));
    Processed {
        path: path.to_path_buf(),
        file,
        outcome,
    }
}

/// Locate, normalize and check what was read. A JSON record is typed already: it goes to the
/// checker as it is, with `--year` where it states no year.
pub fn process_input(input: Input, config: &Config) -> Result<Vec<Checked>, Failure> {
    let check_opts = crate::check::CheckOptions {
        min_satisfaction: config.min_satisfaction,
    };
    let check = |declaration: Declaration, changes: Vec<Change>, mut findings: Vec<Finding>| {
        let template = config.template(&declaration.template);
        findings.extend(crate::check::check(&declaration, &template, &check_opts));
        Checked {
            declaration,
            changes,
            findings,
        }
    };
    match input {
        Input::Workbook(wb) => {
            let raw = locate::locate(&wb, &config.templates).map_err(Failure::NotAForm)?;
            let template = config.template(&raw.template);
            let opts = normalize::Options { year: config.year };
            let n = normalize::normalize(&raw, &template, &opts);
            Ok(vec![check(n.declaration, n.changes, n.findings)])
        }
        Input::Records(records) => Ok(records
            .into_iter()
            .map(|mut d| {
                d.year = d.year.or(config.year);
                check(d, Vec::new(), Vec::new())
            })
            .collect()),
    }
}
