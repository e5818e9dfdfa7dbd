//! `merge`: a batch → one consolidated output (docs/OUTPUT.md §2), written as the batch streams
//! by: the workbook, the records of every form as one JSON array, or their indicator CSV.
//! `jixiao merge` writes it into a temporary file beside its output; `POST /api/merge` into
//! memory.
//!
//! Inputs are read a chunk at a time in parallel (`Batch::read_in_order`) and consolidated
//! in the batch's order whatever the scheduling ([`Consolidation`]): each form's rows go to the
//! output as soon as its chunk is done, and only its 汇总 line is kept, so memory stays flat
//! however many forms. One unreadable input never stops the others: it gets its row and its
//! finding. What [`super::skipped`] leaves out gets no row.

use std::io::{Seek, Write};
use std::ops::ControlFlow;

use crate::consolidate::{Consolidation, Tally};
use crate::pipeline::Failure;
use crate::write::merge::Spill;
use crate::write::output::{MergeOutput, OutputKind};
use crate::write::{CsvEncoding, WriteError};

use super::{skipped, Batch, Cancelled, Run, Skipped};

/// What to consolidate into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeOptions {
    pub kind: OutputKind,
    /// A 申报表 sheet for every form too (`--forms`, `forms=1`).
    pub forms: bool,
    /// The encoding of a CSV output.
    pub encoding: CsvEncoding,
    /// Where the workbook keeps its long list sheets while it is built: a temporary file
    /// beside nothing of the inputs' (the command line), or memory (the page: nothing of an
    /// upload touches the disk).
    pub spill: Spill,
}

/// One input consolidated, as it happens: for a door that shows progress and says what it
/// left out as it goes (the command line's standard error).
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A form or more, added.
    Read,
    /// An input that gave no form: added as a row with its reason.
    Failed(&'a Failure),
    /// An input left out, with no row.
    Skipped(&'a Skipped),
}

/// Why a consolidation did not finish.
#[derive(Debug)]
pub enum MergeError {
    /// The output could not be written.
    Write(WriteError),
    Cancelled,
}

impl From<WriteError> for MergeError {
    fn from(e: WriteError) -> MergeError {
        MergeError::Write(e)
    }
}

/// Consolidate `batch` into `out`, named `name` in the message of an error writing it; each
/// input is told to `each` once consolidated. The output is finished and given back, with
/// what it counted.
pub fn merge<W: Write + Seek + Send>(
    batch: &Batch,
    run: &Run,
    options: &MergeOptions,
    out: W,
    name: &str,
    mut each: impl FnMut(Step) + Send,
) -> Result<(W, Tally), MergeError> {
    let output = MergeOutput::new(
        options.kind,
        out,
        name,
        &run.config.templates,
        options.forms,
        options.encoding,
        options.spill,
        run.lang,
    )?;
    let mut consolidation = Consolidation::new(output, run.lang);
    let mut failed = Ok(());
    batch
        .read_in_order(run, |p| {
            if let Some(s) = skipped(&p) {
                each(Step::Skipped(&s));
                return ControlFlow::Continue(());
            }
            match &p.outcome {
                Err(f) => each(Step::Failed(f)),
                Ok(_) => each(Step::Read),
            }
            failed = consolidation.add(p);
            if failed.is_ok() {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        })
        .map_err(|Cancelled| MergeError::Cancelled)?;
    failed?;
    Ok(consolidation.finish()?)
}
