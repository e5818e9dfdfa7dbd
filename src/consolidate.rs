//! A batch of processed inputs as a consolidation sees it (`jixiao merge`, `POST /api/merge`):
//! one [`Entry`] per form or per input that gave none, named as the batch shows it, with the
//! findings only the whole batch can make (`department-duplicate`), and the [`Row`]s the merge
//! writer takes.

use crate::check::check_across;
use crate::messages::Lang;
use crate::model::{FieldPath, Finding};
use crate::pipeline::{Checked, Failure, Outcome, Processed};
use crate::write::merge::Row;

/// One row of a consolidation: a form, or an input that gave none.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The input's name in the 文件 column (its path below the folder named, or the upload's
    /// name).
    pub file: String,
    pub result: Result<Checked, Unread>,
}

/// An input that gave no form, with the findings that stand for it in the workbook.
#[derive(Debug, Clone)]
pub struct Unread {
    pub failure: Failure,
    pub findings: Vec<Finding>,
}

impl Entry {
    /// What the merge writer takes of it.
    pub fn row(&self) -> Row<'_> {
        match &self.result {
            Ok(c) => Row {
                file: &self.file,
                declaration: Some(&c.declaration),
                findings: &c.findings,
                changes: &c.changes,
            },
            Err(u) => Row {
                file: &self.file,
                declaration: None,
                findings: &u.findings,
                changes: &[],
            },
        }
    }
}

/// Drop what a consolidation no longer needs of a processed input: the findings carry their
/// cells already; of the cell map, which served the checker, only the department's is needed
/// again (for duplicates across inputs). Done as each input is processed, it keeps a batch of
/// thousands of forms small.
pub fn slim(outcome: &mut Outcome) {
    if let Ok(forms) = outcome {
        for c in forms {
            c.declaration
                .cells
                .retain(|field, _| *field == FieldPath::Department);
        }
    }
}

/// The entries of processed inputs, in the order given: one per form, one per input that gave
/// none (with its findings in `lang`), and the `department-duplicate` findings added.
pub fn entries(processed: Vec<Processed>, lang: Lang) -> Vec<Entry> {
    let mut out = Vec::with_capacity(processed.len());
    for p in processed {
        match p.outcome {
            Ok(forms) => out.extend(forms.into_iter().map(|c| Entry {
                file: p.file.clone(),
                result: Ok(c),
            })),
            Err(failure) => out.push(Entry {
                file: p.file,
                result: Err(Unread {
                    findings: failure.findings(lang),
                    failure,
                }),
            }),
        }
    }
    add_duplicates(&mut out);
    out
}

/// Flag departments named by more than one input.
fn add_duplicates(entries: &mut [Entry]) {
    let read: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].result.is_ok())
        .collect();
    let decls: Vec<_> = read
        .iter()
        .filter_map(|i| entries[*i].result.as_ref().ok())
        .map(|c| &c.declaration)
        .collect();
    let found = check_across(&decls);
    for (k, finding) in found {
        if let Ok(c) = &mut entries[read[k]].result {
            c.findings.push(finding);
        }
    }
}
