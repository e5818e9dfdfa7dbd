//! A batch of processed inputs consolidated as it streams by (`jixiao merge`,
//! `POST /api/merge`). Inputs come one at a time in the batch's order, however they were
//! processed; each gives a row per form, or one row when it gave none (with the findings that
//! stand for its failure), named as the batch shows it, and its rows go to the output at once
//! ([`MergeOutput`]). Only what the batch as a whole can say waits for its end: the
//! `department-duplicate` findings ([`Across`], which keeps a department, a file name and a
//! cell per form) and the counts of the closing line ([`Tally`]).

use std::io::{Seek, Write};

use crate::check::Across;
use crate::messages::Lang;
use crate::model::{Severity, Status};
use crate::pipeline::Processed;
use crate::write::merge::{Finished, Row};
use crate::write::output::MergeOutput;
use crate::write::WriteError;

/// A consolidation under way: its output, and what it keeps for the end.
pub struct Consolidation<'a, W: Write + Seek + Send> {
    output: MergeOutput<'a, W>,
    across: Across,
    tally: Tally,
    lang: Lang,
}

/// What a consolidation counted: its rows by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub pass: usize,
    pub fix: usize,
    pub unreadable: usize,
    /// What the workbook says of itself (its `--forms` sheets).
    pub finished: Finished,
}

impl Tally {
    /// Rows: forms, and inputs that gave none.
    pub fn rows(&self) -> usize {
        self.pass + self.fix + self.unreadable
    }
}

impl<'a, W: Write + Seek + Send> Consolidation<'a, W> {
    /// A consolidation into `output`; the findings that stand for a failure are in `lang`.
    pub fn new(output: MergeOutput<'a, W>, lang: Lang) -> Consolidation<'a, W> {
        Consolidation {
            output,
            across: Across::default(),
            tally: Tally::default(),
            lang,
        }
    }

    /// The next input of the batch: its rows written to the output.
    pub fn add(&mut self, p: Processed) -> Result<(), WriteError> {
        match p.outcome {
            Ok(forms) => {
                for c in &forms {
                    self.across.add(self.tally.rows(), &c.declaration);
                    self.row(&Row {
                        file: &p.file,
                        declaration: Some(&c.declaration),
                        findings: &c.findings,
                        changes: &c.changes,
                    })?;
                }
            }
            Err(failure) => {
                let findings = failure.findings(self.lang);
                self.row(&Row {
                    file: &p.file,
                    declaration: None,
                    findings: &findings,
                    changes: &[],
                })?;
            }
        }
        Ok(())
    }

    fn row(&mut self, row: &Row) -> Result<(), WriteError> {
        self.output.add(row)?;
        match row.status() {
            Status::Pass => self.tally.pass += 1,
            Status::Fix => self.tally.fix += 1,
            Status::Unreadable => self.tally.unreadable += 1,
        }
        Ok(())
    }

    /// The end of the batch: the `department-duplicate` findings given to the output, which
    /// is finished and given back, with the counts.
    pub fn finish(self) -> Result<(W, Tally), WriteError> {
        let late = self.across.findings();
        // Warnings: no row changes status.
        debug_assert!(late.iter().all(|(_, f)| f.severity() != Severity::Error));
        let (out, finished) = self.output.finish(&late)?;
        Ok((
            out,
            Tally {
                finished,
                ..self.tally
            },
        ))
    }
}
