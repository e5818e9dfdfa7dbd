//! The in-memory entry point: the bytes of one input and its file name → [`Outcome`], the forms
//! it holds, each read → located → normalized → checked, or why it gave none. No file system:
//! the commands (`crate::inputs` reads files for them) and the web server call the same
//! function with bytes they hold.
//!
//! ```
//! use jixiao::pipeline::{process, Config};
//! let csv = "部门名称,某局\n".as_bytes();
//! let outcome = process("某局.csv", csv, &Config::default());
//! // One line of labels is not a form: the failure says what it lacks.
//! assert!(outcome.is_err());
//! ```

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::locate::{self, NotAForm};
use crate::messages::{self, Lang};
use crate::model::{Change, Code, Declaration, Finding, Hole, RecordKind};
use crate::normalize;
use crate::read::{self, Input, ReadError};
use crate::template::Template;
use crate::write::output::Form;

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
    /// The variant a record names, for checking and drawing it ([`Template::for_record`]).
    pub fn template(&self, d: &Declaration) -> Cow<'_, Template> {
        Template::for_record(&self.templates, &d.template, d.kind())
    }

    /// The variant that located a form (one of the run's).
    fn located(&self, id: &str) -> Cow<'_, Template> {
        match self.templates.iter().find(|t| t.id == id) {
            Some(t) => Cow::Borrowed(t),
            None => Template::for_record(&self.templates, id, RecordKind::Department),
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

impl Checked {
    /// The form as the writers take it.
    pub fn form(&self) -> Form<'_> {
        Form {
            declaration: &self.declaration,
            findings: &self.findings,
            changes: &self.changes,
        }
    }
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

/// What one input gave: its forms (several for a workbook with a form on each of several
/// sheets, or a JSON array of records), in order, or why none.
pub type Outcome = Result<Vec<Checked>, Failure>;

/// One input's outcome with the name it is shown by.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The file name shown in messages and reports.
    pub file: String,
    pub outcome: Outcome,
}

/// Read, locate, normalize and check the bytes of one input; `file` names it in messages and
/// in `source.file`. A bug that panics on one input becomes [`Failure::Internal`] for it, so
/// that a batch of hundreds goes on (the panic message is printed, so it can be reported).
pub fn process(file: &str, bytes: &[u8], config: &Config) -> Outcome {
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

/// Locate, normalize and check what was read. A JSON record is typed already: it goes to the
/// checker as it is, with `--year` where it states no year.
pub fn process_input(input: Input, config: &Config) -> Outcome {
    let check_opts = crate::check::CheckOptions {
        min_satisfaction: config.min_satisfaction,
    };
    let check = |declaration: Declaration, changes: Vec<Change>, mut findings: Vec<Finding>| {
        let template = config.template(&declaration);
        findings.extend(crate::check::check(&declaration, &template, &check_opts));
        Checked {
            declaration,
            changes,
            findings,
        }
    };
    match input {
        Input::Workbook(wb) => {
            let forms = locate::locate(&wb, &config.templates).map_err(Failure::NotAForm)?;
            let opts = normalize::Options { year: config.year };
            Ok(forms
                .iter()
                .map(|raw| {
                    let template = config.located(&raw.template);
                    let n = normalize::normalize(raw, &template, &opts);
                    check(n.declaration, n.changes, n.findings)
                })
                .collect())
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
