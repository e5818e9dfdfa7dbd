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
use serde::{Deserialize, Serialize};

use crate::locate::{self, NotAForm};
use crate::messages::{self, Lang};
use crate::model::{CellRef, Change, Code, Declaration, FieldPath, Finding, Hole, RecordKind};
use crate::normalize;
use crate::read::{self, Input, ReadError};
use crate::template::Template;
use crate::write::mark::{self, OwnKind};
use crate::write::output::Form;

/// Everything a run needs to know besides its inputs. Serde sends it to worker processes
/// (`crate::worker`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Candidate variants, preferred first.
    pub templates: Vec<Template>,
    /// The budget year when the title gives none.
    pub year: Option<i32>,
    /// Satisfaction targets below this percentage are suspicious.
    pub min_satisfaction: Decimal,
}

impl Config {
    /// The budget years a run may be given (`--year`, `?year=`).
    pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
    /// The percentages `--min-satisfaction` (`?min_satisfaction=`) may be.
    pub const SATISFACTION: std::ops::RangeInclusive<i64> = 0..=100;
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

/// One form read, corrected and checked. Serde keeps everything, the declaration's cell map
/// included ([`crate::model::with_cells`]): a worker process sends it whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checked {
    #[serde(with = "crate::model::with_cells")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    Read(ReadError),
    NotAForm(NotAForm),
    /// The program itself failed on this file (a bug): the batch goes on without it.
    Internal {
        file: String,
    },
    /// Reading the file went over a limit of the worker process that read it, or that process
    /// died (`crate::worker`): the file is damaged or too complex. The batch goes on without it.
    Limit {
        file: String,
        limit: Limit,
    },
    /// One of jixiao's own outputs that is no form (a consolidated workbook, an indicator
    /// table, a report; [`OwnKind::is_form`]). A batch leaves it out with a note
    /// (`crate::app::skipped`); it is not counted as a failed form.
    OwnOutput {
        file: String,
        kind: OwnKind,
    },
}

/// Which limit a worker process reading a file went over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Limit {
    /// Its memory (address space): an allocation failed, or the system killed it for memory.
    Memory { megabytes: u64 },
    /// The time allowed for one file.
    Time { seconds: u64 },
    /// It ended otherwise (a signal, an exit status, a reply it should not have sent).
    Crash { detail: String },
}

impl Failure {
    /// The sentence for a person, naming the file.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Read(e) => e.message(lang),
            Failure::Internal { file } => messages::cli::INTERNAL.render(lang, &[("file", file)]),
            Failure::NotAForm(n) => not_a_form(n, lang).message(lang),
            Failure::Limit { file, limit } => {
                use messages::worker as m;
                match limit {
                    Limit::Memory { megabytes } => {
                        m::MEMORY.render(lang, &[("file", file), ("mb", &megabytes.to_string())])
                    }
                    Limit::Time { seconds } => {
                        m::TIME.render(lang, &[("file", file), ("seconds", &seconds.to_string())])
                    }
                    Limit::Crash { detail } => {
                        m::CRASH.render(lang, &[("file", file), ("detail", detail)])
                    }
                }
            }
            Failure::OwnOutput { file, kind } => own_output_message(file, *kind, lang),
        }
    }

    /// The file the failure is about, as named to [`process`].
    pub fn file(&self) -> &str {
        match self {
            Failure::Read(e) => e.file(),
            Failure::NotAForm(n) => &n.file,
            Failure::Internal { file }
            | Failure::Limit { file, .. }
            | Failure::OwnOutput { file, .. } => file,
        }
    }

    /// The findings that stand for the failure in a report: `file-unreadable` (nothing could
    /// be taken from the file), after `template-unknown` (what it lacks) for a spreadsheet that
    /// is not the form.
    pub fn findings(&self, lang: Lang) -> Vec<Finding> {
        match self {
            Failure::Read(_)
            | Failure::Internal { .. }
            | Failure::Limit { .. }
            | Failure::OwnOutput { .. } => {
                vec![Finding::new(Code::FileUnreadable).param(Hole::Error, self.message(lang))]
            }
            // One finding for one problem: template-unknown says what the file lacks.
            Failure::NotAForm(n) => vec![not_a_form(n, lang)],
        }
    }
}

/// `汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过`: the note that says an input
/// left out of a batch is an output of jixiao's of `kind` (`crate::app::Skipped`).
pub fn own_output_message(file: &str, kind: OwnKind, lang: Lang) -> String {
    messages::worker::OWN_OUTPUT.render(
        lang,
        &[("file", file), ("what", own_kind_name(kind).get(lang))],
    )
}

/// What an output of `kind` is called in a sentence.
fn own_kind_name(kind: OwnKind) -> messages::Text {
    use messages::worker as m;
    match kind {
        OwnKind::Merge => m::KIND_MERGE,
        OwnKind::Indicators => m::KIND_INDICATORS,
        OwnKind::Report => m::KIND_REPORT,
        OwnKind::Form | OwnKind::Template | OwnKind::Records => m::KIND_FORM,
    }
}

fn not_a_form(n: &NotAForm, lang: Lang) -> Finding {
    Finding::new(Code::TemplateUnknown)
        .param(Hole::File, n.file.clone())
        .param(Hole::Variant, n.closest_name.clone())
        .param(Hole::Missing, n.missing.join(lang.pick("、", ", ")))
        .param(
            Hole::Labels,
            match n.unknown.is_empty() {
                true => lang.pick("（无）", "(none)").to_string(),
                false => n.unknown.join(lang.pick("、", ", ")),
            },
        )
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

/// Add `department-duplicate` to every department form of a batch whose department another
/// form names too (docs/CHECKS.md): what a check of a batch reports (`crate::app::check`).
/// (`merge` finds them as it streams, `crate::consolidate`.)
pub fn flag_duplicates(processed: &mut [Processed]) {
    let mut across = crate::check::Across::default();
    let mut at = Vec::new();
    for (i, p) in processed.iter().enumerate() {
        for (j, c) in p.outcome.iter().flatten().enumerate() {
            across.add(at.len(), &c.declaration);
            at.push((i, j));
        }
    }
    for (n, f) in across.findings() {
        let (i, j) = at[n];
        if let Ok(forms) = &mut processed[i].outcome {
            forms[j].findings.push(f);
        }
    }
}

/// Read, locate, normalize and check the bytes of one input; `file` names it in messages and
/// in `source.file`. A bug that panics on one input becomes [`Failure::Internal`] for it, so
/// that a batch of hundreds goes on (the panic message is printed, so it can be reported).
///
/// One of jixiao's own outputs that holds no form (a consolidated workbook found beside the
/// forms) is [`Failure::OwnOutput`] ([`mark::recognise`]).
pub fn process(file: &str, bytes: &[u8], config: &Config) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(kind) = mark::recognise(bytes).filter(|k| !k.is_form()) {
            return Err(Failure::OwnOutput {
                file: file.to_string(),
                kind,
            });
        }
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

/// The cells whose text the reader cut, in every sheet of a workbook; none for JSON records.
fn cut_cells(input: &Input) -> Vec<CellRef> {
    let Input::Workbook(wb) = input else {
        return Vec::new();
    };
    (wb.sheets.iter())
        .flat_map(|s| {
            let sheet: std::sync::Arc<str> = s.name.as_str().into();
            (s.cut_cells.iter()).map(move |&(row, col)| CellRef::new(sheet.clone(), row, col))
        })
        .collect()
}

/// The fields whose value the normalizer found unknown (a formula with no result, an amount
/// it could not read, an error value: [`Code::leaves_value_unknown`]), and every other field
/// read from the same cell: the checker judges none of them, nor a sum across them.
fn unknown_fields(declaration: &Declaration, findings: &[Finding]) -> Vec<FieldPath> {
    let cells: Vec<&CellRef> = (findings.iter())
        .filter(|f| f.code.leaves_value_unknown())
        .filter_map(|f| f.field.and_then(|p| declaration.cell_of(p)))
        .collect();
    if cells.is_empty() {
        return Vec::new();
    }
    (declaration.cells.iter())
        .filter(|(_, c)| cells.contains(c))
        .map(|(p, _)| *p)
        .collect()
}

/// Locate, normalize and check what was read. A JSON record is typed already: it goes to the
/// checker as it is, with `--year` where it states no year.
pub fn process_input(input: Input, config: &Config) -> Outcome {
    // The cells whose text the reader cut: the checker reports the fields at them.
    let cut = cut_cells(&input);
    let check_opts = crate::check::CheckOptions {
        min_satisfaction: config.min_satisfaction,
        cut,
        no_value: Vec::new(),
    };
    let check = |declaration: Declaration, changes: Vec<Change>, mut findings: Vec<Finding>| {
        let template = config.template(&declaration);
        let opts = crate::check::CheckOptions {
            no_value: unknown_fields(&declaration, &findings),
            ..check_opts.clone()
        };
        findings.extend(crate::check::check(&declaration, &template, &opts));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An amount that could not be read (`待定`, a number in 元) is unknown, not zero: no sum
    /// that adds it is judged. A wrong number is.
    #[test]
    fn an_unread_amount_is_not_summed_as_zero() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let csv = std::fs::read_to_string(dir.join("flat-export.csv")).unwrap();
        let codes = |appropriation: &str| -> Vec<Code> {
            let text = csv.replace(
                "财政拨款,\"10,050.00\"",
                &format!("财政拨款,{appropriation}"),
            );
            assert_ne!(text, csv);
            let forms = process("a.csv", text.as_bytes(), &Config::default()).unwrap();
            forms[0].findings.iter().map(|f| f.code).collect()
        };
        for unread in ["待定", "\"100,500,000元\""] {
            let found = codes(unread);
            assert!(
                found.iter().any(|c| c.leaves_value_unknown()),
                "{unread}: {found:?}"
            );
            assert!(
                !found.contains(&Code::BudgetUnbalanced),
                "{unread}: {found:?}"
            );
        }
        assert!(codes("1.00").contains(&Code::BudgetUnbalanced));
    }

    /// Two forms of one department in a batch are both flagged, each naming the other file.
    #[test]
    fn a_department_sent_twice_is_flagged_in_both() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let bytes = std::fs::read(dir.join("flat-export.csv")).unwrap();
        let config = Config::default();
        let mut batch: Vec<Processed> = ["a.csv", "b.csv"]
            .iter()
            .map(|f| Processed {
                file: f.to_string(),
                outcome: process(f, &bytes, &config),
            })
            .collect();
        flag_duplicates(&mut batch);
        for (p, other) in batch.iter().zip(["b.csv", "a.csv"]) {
            let forms = p.outcome.as_ref().unwrap();
            let dup: Vec<&Finding> = (forms[0].findings.iter())
                .filter(|f| f.code == Code::DepartmentDuplicate)
                .collect();
            assert_eq!(dup.len(), 1, "{}", p.file);
            assert!(dup[0].message(Lang::Zh).contains(other), "{}", p.file);
        }
    }

    /// What a worker process sends back is what the pipeline gave: every fixture's outcome
    /// (forms with findings, changes and the cell map; read errors; not-a-form) reads back
    /// equal, field for field. Not `regress/`: some of its files are read safely only in a
    /// worker process (tests/integration/robust.rs reads them there).
    #[test]
    fn outcomes_round_trip_through_serde() {
        let config = Config::default();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut files: Vec<_> = ["", "bad"]
            .iter()
            .flat_map(|sub| std::fs::read_dir(dir.join(sub)).unwrap().flatten())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let mut forms = 0;
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let outcome = process(&name, &std::fs::read(&path).unwrap(), &config);
            let wire = serde_json::to_vec(&outcome).unwrap();
            let back: Outcome = serde_json::from_slice(&wire).unwrap();
            match (&outcome, &back) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.len(), b.len(), "{name}");
                    for (a, b) in a.iter().zip(b) {
                        assert_eq!(a.declaration, b.declaration, "{name}");
                        assert_eq!(a.declaration.cells, b.declaration.cells, "{name}");
                        assert_eq!(a.findings, b.findings, "{name}");
                        assert_eq!(a.changes, b.changes, "{name}");
                        forms += 1;
                    }
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{name}"),
                _ => panic!("{name}: {outcome:?} came back as {back:?}"),
            }
        }
        assert!(forms >= 8, "the fixtures hold forms: {forms}");
    }

    /// The configuration a worker receives reads back the same: the templates' layouts,
    /// labels and aliases, the year and the threshold.
    #[test]
    fn a_configuration_round_trips_through_serde() {
        let config = Config {
            year: Some(2025),
            min_satisfaction: Decimal::new(855, 1),
            ..Config::default()
        };
        let back: Config = serde_json::from_slice(&serde_json::to_vec(&config).unwrap()).unwrap();
        assert_eq!(back.year, Some(2025));
        assert_eq!(back.min_satisfaction, Decimal::new(855, 1));
        assert_eq!(back.templates.len(), config.templates.len());
        for (a, b) in config.templates.iter().zip(&back.templates) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.blocks, b.blocks);
            assert_eq!(a.aliases, b.aliases);
            assert_eq!(a.field_labels(), b.field_labels());
        }
    }

    #[test]
    fn limits_and_own_outputs_say_what_happened() {
        let f = |limit| Failure::Limit {
            file: "a.xls".into(),
            limit,
        };
        assert_eq!(
            f(Limit::Memory { megabytes: 1024 }).message(Lang::Zh),
            "a.xls：文件损坏或过于复杂，读取时超出内存限制（1024 MB），无法读取。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件"
        );
        assert_eq!(
            f(Limit::Time { seconds: 60 }).message(Lang::En),
            "a.xls: the file is damaged or too complex: reading it took over 60 seconds and was stopped. Open it in Excel or WPS and save it again, or ask the sender for a complete copy"
        );
        assert_eq!(
            f(Limit::Crash {
                detail: "signal 11".into()
            })
            .message(Lang::Zh),
            "a.xls：读取此文件的进程意外终止，文件可能已损坏。请把这个文件反馈给 jixiao 的维护人员"
        );
        assert_eq!(
            f(Limit::Crash {
                detail: "signal 11".into()
            })
            .message(Lang::En),
            "a.xls: the process reading this file ended unexpectedly (signal 11); the file may be damaged. Please send the file to the jixiao maintainers"
        );
        let own = Failure::OwnOutput {
            file: "汇总.xlsx".into(),
            kind: OwnKind::Merge,
        };
        assert_eq!(
            own.message(Lang::Zh),
            "汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过"
        );
        assert_eq!(
            own.message(Lang::En),
            "汇总.xlsx: this is a consolidated workbook jixiao wrote, not a form; skipped"
        );
        assert_eq!(own.file(), "汇总.xlsx");
    }
}
