//! `check`: a batch → its report (`jixiao.report/1`, [`Report`]), the same whichever door
//! asked: `jixiao check` prints it as text or JSON, `POST /api/check` answers with it.

use rayon::prelude::*;

use crate::pipeline::{flag_duplicates, Checked};
use crate::report::{FileResult, Report};
use crate::template::Template;
use crate::write::preview::{self, Preview};

use super::{Batch, Cancelled, Run, Skipped};

/// What a check gave.
#[derive(Debug)]
pub struct Checks {
    /// One entry per form, one per input that gave none, in the batch's order.
    pub report: Report,
    /// The inputs left out ([`super::skipped`]), for the door to say.
    pub skipped: Vec<Skipped>,
    /// With `previews` asked, one per entry of the report: the corrected form as the page
    /// draws it ([`crate::write::preview`]), `None` for an input not read. Empty otherwise.
    pub previews: Vec<Option<Preview>>,
}

/// Check every input of `batch`: read each (in parallel, in the readers of `run`), leave out
/// what [`super::skipped`] leaves out, flag the departments the batch names twice
/// ([`flag_duplicates`]), and make the report, with each form's preview when `previews`.
pub fn check(batch: &Batch, run: &Run, previews: bool) -> Result<Checks, Cancelled> {
    let read = batch.read(run)?;
    let mut processed = read.processed;
    flag_duplicates(&mut processed);
    let inputs = processed.len();
    let (templates, lang) = (&run.config.templates, run.lang);
    // The previews are drawn from the forms before they become results.
    let (results, shown): (Vec<FileResult>, Vec<Option<Preview>>) = processed
        .into_par_iter()
        .flat_map_iter(|p| match p.outcome {
            Ok(forms) => forms
                .into_iter()
                .map(|c| {
                    let shown = previews.then(|| form_preview(&c, templates, lang));
                    (FileResult::of_form(&p.file, c, templates, lang), shown)
                })
                .collect::<Vec<_>>(),
            Err(f) => vec![(FileResult::of_failure(&p.file, &f, lang), None)],
        })
        .unzip();
    Ok(Checks {
        report: Report { inputs, results },
        skipped: read.skipped,
        previews: if previews { shown } else { Vec::new() },
    })
}

/// The preview of a checked form, on its variant.
fn form_preview(c: &Checked, templates: &[Template], lang: crate::messages::Lang) -> Preview {
    let d = &c.declaration;
    let template = Template::for_record(templates, &d.template, d.kind());
    preview::preview(&c.declaration, &template, &c.findings, &c.changes, lang)
}
