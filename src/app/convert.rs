//! `convert`: a batch → its output files, in memory, each holding the forms of one input (or,
//! asked for, of every input), named by the batch's rule. `jixiao convert` writes them to a
//! file, a folder or standard output; `POST /api/convert` sends one, or a zip of them.
//!
//! One output per input file, never per form: a workbook that holds several forms (docs/FORM.md
//! §1.4) gives one `.json` (an array of its records), one `.xlsx` (a 申报表 sheet per form) or
//! one `.csv` (every form's indicators), so that what goes back to a department is one file
//! for the one file it sent.

use crate::messages::{self, Lang};
use crate::pipeline::{Checked, Config, Failure};
use crate::write::output::{form_output, Form, OutputKind, OutputNames};
use crate::write::{CsvEncoding, WriteError};

use super::{Batch, Cancelled, Run, Skipped};

/// What to make of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertOptions {
    /// The format of every output.
    pub kind: OutputKind,
    /// The encoding of a CSV output.
    pub encoding: CsvEncoding,
    pub shape: Shape,
    /// Only the forms of this sheet: a report entry's `sheet` (`Sheet1!A27:F49`, one of the
    /// forms a sheet holds) or a sheet's name (all of its forms). Needs a batch of one input.
    pub sheet: Option<String>,
}

/// How the forms of a batch are gathered into outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every form in one output (`convert -o FILE`, `-o -`), as a JSON array when the batch
    /// has several inputs or forms. Several inputs go only into JSON.
    Whole,
    /// One output per input that gave a form, named as [`Naming`] says.
    PerInput(Naming),
    /// A download: when one input gave forms and no other failed, its output alone, named
    /// `某局-修正.xlsx` (without its folders); otherwise one per input as
    /// [`Naming::Corrected`] names them.
    Download,
}

/// How the outputs of one per input are named. Two inputs of the same name (`a/x.xlsx`,
/// `b/x.xlsx`) get `x.json` and `x-2.json`, compared without case ([`OutputNames`]): never one
/// written over the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `某局.json`: the input's file name, without its folders, with the output's extension
    /// (`convert -o DIR`: one folder of outputs).
    Folder,
    /// `部门A/某局-修正.xlsx`: with its folders, and `-修正` (`-corrected`), so that a
    /// download saved beside the department's own `某局.xlsx` is never taken for it.
    Corrected,
}

/// Why a batch was not converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// Several inputs asked into one output that is not JSON.
    SeveralNeedFolder,
    /// A sheet asked for, with a batch of more than one input.
    SheetNeedsOneFile,
    /// The input holds forms, none of them on the sheet asked for.
    NoSuchSheet {
        file: String,
        sheet: String,
    },
    Cancelled,
}

impl ConvertError {
    /// The sentence in `lang`, with what to do.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ConvertError::SeveralNeedFolder => messages::cli::SEVERAL_NEED_DIR.get(lang).into(),
            ConvertError::SheetNeedsOneFile => {
                messages::serve::SHEET_NEEDS_ONE_FILE.get(lang).into()
            }
            ConvertError::NoSuchSheet { file, sheet } => {
                messages::serve::NO_SUCH_SHEET.render(lang, &[("file", file), ("sheet", sheet)])
            }
            ConvertError::Cancelled => String::new(),
        }
    }
}

impl From<Cancelled> for ConvertError {
    fn from(_: Cancelled) -> ConvertError {
        ConvertError::Cancelled
    }
}

impl ConvertOptions {
    /// Whether these options can convert `batch`, said before anything is read (and before a
    /// door checks where it writes).
    pub fn validate(&self, batch: &Batch) -> Result<(), ConvertError> {
        if self.shape == Shape::Whole && batch.len() > 1 && self.kind != OutputKind::Json {
            return Err(ConvertError::SeveralNeedFolder);
        }
        if self.sheet.is_some() && batch.len() != 1 {
            return Err(ConvertError::SheetNeedsOneFile);
        }
        Ok(())
    }
}

/// What a conversion made: the outputs, to be built ([`Conversion::bytes`]) and put where the
/// door puts them, and the inputs that gave none.
#[derive(Debug)]
pub struct Conversion<'a> {
    /// In the batch's order. [`Shape::Whole`]: exactly one, even without a form.
    pub outputs: Vec<Output>,
    /// The inputs that gave no form, in order, for the door to say.
    pub failures: Vec<Failure>,
    /// The inputs left out ([`super::skipped`]).
    pub skipped: Vec<Skipped>,
    /// The names given to the outputs, for a door that adds a file beside them (the page's
    /// zip names the uploads left out in one).
    pub names: OutputNames,
    options: ConvertOptions,
    config: &'a Config,
    lang: Lang,
}

/// One output file: its name and the forms it holds.
#[derive(Debug)]
pub struct Output {
    /// Its name, by [`Naming`]; empty for the one output of [`Shape::Whole`], which the door
    /// names (`-o FILE`).
    pub name: String,
    /// The input its forms come from; `None` for the output of [`Shape::Whole`].
    pub input: Option<String>,
    pub forms: Vec<Checked>,
    /// A JSON output is an array of records, not one record.
    array: bool,
}

impl Output {
    /// The forms as the writers take them.
    pub fn forms(&self) -> Vec<Form<'_>> {
        self.forms.iter().map(Checked::form).collect()
    }
}

impl Conversion<'_> {
    /// The bytes of `output`: its records as JSON, its corrected workbook (a 申报表 sheet per
    /// form, each on its variant), or its indicator CSV ([`form_output`]).
    pub fn bytes(&self, output: &Output) -> Result<Vec<u8>, WriteError> {
        let o = &self.options;
        let forms = output.forms();
        let templates = &self.config.templates;
        form_output(
            o.kind,
            &forms,
            output.array,
            templates,
            o.encoding,
            self.lang,
        )
    }
}

/// Convert the forms of `batch`: read every input (what [`super::skipped`] leaves out left
/// out), keep the forms of [`ConvertOptions::sheet`] when one is asked, and gather them into
/// outputs as [`Shape`] says, named as [`Naming`] says.
pub fn convert<'a>(
    batch: &Batch,
    run: &Run<'a>,
    options: &ConvertOptions,
) -> Result<Conversion<'a>, ConvertError> {
    options.validate(batch)?;
    let read = batch.read(run)?;
    let sheet = options.sheet.as_deref();
    let mut given: Vec<(String, Vec<Checked>)> = Vec::new();
    let mut failures = Vec::new();
    for p in read.processed {
        match p.outcome {
            Ok(forms) => {
                let held = forms.len();
                let picked: Vec<Checked> = forms
                    .into_iter()
                    .filter(|c| {
                        let source = &c.declaration.source;
                        sheet.is_none()
                            || source.place().as_deref() == sheet
                            || source.sheet.as_deref() == sheet
                    })
                    .collect();
                if picked.is_empty() && held > 0 {
                    return Err(ConvertError::NoSuchSheet {
                        file: p.file,
                        sheet: sheet.unwrap_or_default().to_string(),
                    });
                }
                if !picked.is_empty() {
                    given.push((p.file, picked));
                }
            }
            Err(f) => failures.push(f),
        }
    }
    let ext = options.kind.extension();
    let lang = run.lang;
    let mut names = OutputNames::default();
    let outputs = match options.shape {
        Shape::Whole => {
            let forms: Vec<Checked> = given.into_iter().flat_map(|(_, f)| f).collect();
            vec![Output {
                name: String::new(),
                input: None,
                array: batch.len() > 1 || forms.len() > 1,
                forms,
            }]
        }
        Shape::Download if given.len() == 1 && failures.is_empty() => {
            let (file, forms) = given.remove(0);
            vec![Output {
                name: corrected_name(&file, ext, lang, false),
                input: Some(file),
                array: forms.len() > 1,
                forms,
            }]
        }
        Shape::PerInput(_) | Shape::Download => {
            let naming = match options.shape {
                Shape::PerInput(n) => n,
                _ => Naming::Corrected,
            };
            given
                .into_iter()
                .map(|(file, forms)| {
                    let base = match naming {
                        Naming::Folder => stem(base_name(&file)).to_string(),
                        Naming::Corrected => corrected_base(&file, lang, true),
                    };
                    Output {
                        name: names.claim(&base, ext),
                        input: Some(file),
                        array: forms.len() > 1,
                        forms,
                    }
                })
                .collect()
        }
    };
    Ok(Conversion {
        outputs,
        failures,
        skipped: read.skipped,
        names,
        options: options.clone(),
        config: run.config,
        lang,
    })
}

/// `某局-修正.xlsx` (`某局-corrected.xlsx` in English) for the input `部门A/某局.xlsx`, with its
/// folders (`部门A/某局-修正.xlsx`) when `folders`: the name of the download that mends it.
pub fn corrected_name(file: &str, ext: &str, lang: Lang, folders: bool) -> String {
    format!("{}.{ext}", corrected_base(file, lang, folders))
}

fn corrected_base(file: &str, lang: Lang, folders: bool) -> String {
    let stem = if folders {
        stem(file)
    } else {
        stem(base_name(file))
    };
    format!("{stem}-{}", messages::serve::CORRECTED_SUFFIX.get(lang))
}

/// The last part of an input's name (`部门A/某局.xlsx` → `某局.xlsx`).
fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A name without its extension (`部门A/某局.xlsx` → `部门A/某局`); a name that is all
/// extension (`.xlsx`) stays whole.
fn stem(name: &str) -> &str {
    let base = base_name(name);
    match base.rfind('.') {
        Some(i) if i > 0 => &name[..name.len() - (base.len() - i)],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_keep_their_folders() {
        assert_eq!(stem("部门A/某局.xlsx"), "部门A/某局");
        assert_eq!(stem("a.b/c"), "a.b/c");
        assert_eq!(stem("x.tar.gz"), "x.tar");
        assert_eq!(stem(".xlsx"), ".xlsx");
        assert_eq!(base_name("a/b/c.csv"), "c.csv");
    }

    #[test]
    fn a_download_is_named_after_what_it_mends() {
        assert_eq!(
            corrected_name("部门A/某局.xlsx", "xlsx", Lang::Zh, false),
            "某局-修正.xlsx"
        );
        assert_eq!(
            corrected_name("部门A/某局.xlsx", "json", Lang::En, true),
            "部门A/某局-corrected.json"
        );
    }
}
