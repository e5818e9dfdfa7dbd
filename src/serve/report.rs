//! The `jixiao.report/1` document `/api/check` answers with (RECORDS.md §2): one entry per
//! form, with what the page's results table needs (sheet, department, status, counts) and,
//! on `?preview=1`, the corrected form as a grid ([`crate::write::preview`]).
//!
//! Findings are rendered by [`crate::report::FindingDoc`], the command line's report, with the
//! rule name added.

use serde::Serialize;

use crate::messages::{serve as m, Lang};
use crate::model::{Change, Finding, Severity, REPORT_FORMAT};
use crate::pipeline::{Checked, Config, Failure};
use crate::report::FindingDoc;
use crate::write::preview::Preview;

/// The name the tool gives itself in reports: `jixiao 0.1.0`.
pub fn tool() -> String {
    format!("jixiao {}", env!("CARGO_PKG_VERSION"))
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub tool: String,
    pub summary: Summary,
    pub files: Vec<Entry>,
}

/// The totals of `check`'s text output.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Files uploaded.
    pub files: usize,
    /// Forms read (a file may hold several).
    pub forms: usize,
    /// Files that gave no form.
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub corrections: usize,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub corrections: usize,
}

/// One form, or one file that gave none.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub file: String,
    pub sheet: Option<String>,
    /// The variant's id (`gz-dept-overall`).
    pub template: Option<String>,
    /// The variant's name, for a person (`部门整体预算绩效目标申报表（区级，六列）`).
    pub kind: Option<String>,
    /// The department the form names; `null` when it names none.
    pub department: Option<String>,
    /// `pass` (no open error), `fix` or `unreadable`.
    pub status: &'static str,
    pub counts: Counts,
    pub read: bool,
    pub error: Option<String>,
    pub findings: Vec<FindingEntry>,
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<Preview>,
}

#[derive(Debug, Serialize)]
pub struct FindingEntry {
    #[serde(flatten)]
    pub finding: FindingDoc,
    /// The rule's name for a person (`指标值符号不规范`).
    pub rule: &'static str,
}

impl FindingEntry {
    fn new(f: &Finding, lang: Lang) -> FindingEntry {
        FindingEntry {
            finding: FindingDoc::new(f, lang),
            rule: m::rule(f.code).map(|t| t.get(lang)).unwrap_or(f.code),
        }
    }
}

/// Open findings of a severity: a corrected one counts as a correction (as in `check`).
fn open(findings: &[Finding], severity: Severity) -> usize {
    findings
        .iter()
        .filter(|f| !f.fixed && f.severity() == severity)
        .count()
}

/// The entry of one form read.
pub fn form_entry(file: &str, c: &Checked, config: &Config, preview: bool, lang: Lang) -> Entry {
    let d = &c.declaration;
    let template = config.template(&d.template);
    let counts = Counts {
        errors: open(&c.findings, Severity::Error),
        warnings: open(&c.findings, Severity::Warning),
        infos: open(&c.findings, Severity::Info),
        corrections: c.changes.len(),
    };
    Entry {
        file: file.to_string(),
        sheet: d.source.sheet.clone(),
        template: Some(d.template.clone()),
        kind: Some(template.name.clone()),
        department: Some(d.department.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        status: if counts.errors == 0 { "pass" } else { "fix" },
        counts,
        read: true,
        error: None,
        findings: c
            .findings
            .iter()
            .map(|f| FindingEntry::new(f, lang))
            .collect(),
        changes: c.changes.clone(),
        preview: preview
            .then(|| crate::write::preview::preview(d, &template, &c.findings, &c.changes, lang)),
    }
}

/// The entry of a file that gave no form.
pub fn failure_entry(file: &str, failure: &Failure, lang: Lang) -> Entry {
    Entry {
        file: file.to_string(),
        sheet: None,
        template: None,
        kind: None,
        department: None,
        status: "unreadable",
        counts: Counts::default(),
        read: false,
        error: Some(failure.message(lang)),
        findings: crate::report::failure_findings(failure, lang)
            .iter()
            .map(|f| FindingEntry::new(f, lang))
            .collect(),
        changes: Vec::new(),
        preview: None,
    }
}

/// The report of a batch: entries in upload order, the summary over them.
pub fn report(entries: Vec<Entry>, files: usize) -> Report {
    let mut summary = Summary {
        files,
        ..Summary::default()
    };
    for e in &entries {
        if e.read {
            summary.forms += 1;
        } else {
            summary.unreadable += 1;
        }
        summary.errors += e.counts.errors;
        summary.warnings += e.counts.warnings;
        summary.infos += e.counts.infos;
        summary.corrections += e.counts.corrections;
    }
    Report {
        format: REPORT_FORMAT,
        tool: tool(),
        summary,
        files: entries,
    }
}
