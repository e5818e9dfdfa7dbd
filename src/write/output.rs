//! Output bytes of checked forms, in memory: the one switch from the format asked for (`--to`,
//! an output's extension, the server's `to=`) to the writer that makes it. `jixiao convert` and
//! `jixiao merge` put these bytes on disk ([`super::write_output`]); the web server sends them,
//! one file or a [`zip()`] of several named by [`OutputNames`].
//!
//! Like every writer it takes what it writes (records, findings, changes, the run's templates)
//! and touches no file.

use std::collections::HashSet;
use std::io::{Seek, Write};
use std::path::Path;

use crate::messages::Lang;
use crate::model::{Change, Declaration, Finding};
use crate::template::Template;

use super::csv::IndicatorsCsv;
use super::merge::{Finished, MergeBook, Row, Spill};
use super::{CsvEncoding, WriteError};

/// The format of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// The records (docs/RECORDS.md §1).
    Json,
    /// The corrected workbook (one form), or the consolidated one.
    Xlsx,
    /// The indicator table.
    Csv,
}

impl OutputKind {
    pub const ALL: [OutputKind; 3] = [OutputKind::Json, OutputKind::Xlsx, OutputKind::Csv];

    /// The extension of a file of this kind, which is also its name on the command line and
    /// in the web API (`--to xlsx`, `to=xlsx`).
    pub fn extension(self) -> &'static str {
        match self {
            OutputKind::Json => "json",
            OutputKind::Xlsx => "xlsx",
            OutputKind::Csv => "csv",
        }
    }

    /// The kind of an output file, by its extension (any case).
    pub fn of_path(path: &Path) -> Option<OutputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        OutputKind::ALL.into_iter().find(|k| k.extension() == ext)
    }
}

/// One checked form, as the writers take it.
#[derive(Debug, Clone, Copy)]
pub struct Form<'a> {
    pub declaration: &'a Declaration,
    pub findings: &'a [Finding],
    pub changes: &'a [Change],
}

/// Records as JSON: one object, or an array when `array` (or when there is not exactly one).
pub fn records_json(decls: &[&Declaration], array: bool) -> String {
    if array || decls.len() != 1 {
        let mut w = RecordsJson::new(Vec::new()).expect("JSON into memory");
        for d in decls {
            w.add(d).expect("records serialize");
        }
        String::from_utf8(w.finish().expect("JSON into memory")).expect("JSON is UTF-8")
    } else {
        serde_json::to_string_pretty(decls[0]).expect("records serialize")
    }
}

/// A JSON array of records written to `out` as it goes, one record at a time, exactly as
/// `serde_json::to_string_pretty` writes the whole array: nothing but the record being written
/// is held, whatever the number of forms (`merge -o OUT.json`).
pub struct RecordsJson<W: Write> {
    out: W,
    /// Records written so far.
    count: usize,
}

impl<W: Write> RecordsJson<W> {
    pub fn new(out: W) -> std::io::Result<RecordsJson<W>> {
        Ok(RecordsJson { out, count: 0 })
    }

    /// One more record of the array.
    pub fn add(&mut self, d: &Declaration) -> std::io::Result<()> {
        // Pretty JSON has line breaks only between tokens (a break inside a string is written
        // `\n`): a record one level down is the record with every line indented once more.
        let record = serde_json::to_string_pretty(d)?;
        self.out
            .write_all(if self.count == 0 { b"[" } else { b"," })?;
        for line in record.split('\n') {
            self.out.write_all(b"\n  ")?;
            self.out.write_all(line.as_bytes())?;
        }
        self.count += 1;
        Ok(())
    }

    /// The output, the array closed.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out
            .write_all(if self.count == 0 { b"[]" } else { b"\n]" })?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The bytes of one output file holding `forms` (`convert`): the records as JSON (an array
/// when `array`), the corrected workbook with a 申报表 sheet per form (each drawn on its
/// variant among `templates`; with no form, the blank form), or the indicator CSV of all.
pub fn form_output(
    kind: OutputKind,
    forms: &[Form],
    array: bool,
    templates: &[Template],
    encoding: CsvEncoding,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let decls: Vec<&Declaration> = forms.iter().map(|f| f.declaration).collect();
    Ok(match (kind, forms.first()) {
        (OutputKind::Xlsx, Some(_)) => {
            // One workbook per input: a 申报表 sheet for each of its forms.
            let templates: Vec<_> = forms
                .iter()
                .map(|f| {
                    let d = f.declaration;
                    Template::for_record(templates, &d.template, d.kind())
                })
                .collect();
            let parts: Vec<super::FormParts> = forms
                .iter()
                .zip(&templates)
                .map(|(f, template)| super::FormParts {
                    declaration: f.declaration,
                    template,
                    findings: f.findings,
                    changes: f.changes,
                })
                .collect();
            super::write_forms_workbook(&parts, lang)?
        }
        (OutputKind::Xlsx, None) => super::blank_form(
            &Template::for_record(templates, "", crate::model::RecordKind::Department),
            lang,
        )?,
        (OutputKind::Json, _) => records_json(&decls, array).into_bytes(),
        (OutputKind::Csv, _) => super::indicators_csv(&decls, encoding),
    })
}

/// The consolidated output of `merge` (`POST /api/merge`) being written to `W` as the batch
/// streams by, one [`Row`] at a time: the workbook ([`MergeBook`], with each form's 申报表 when
/// `forms`, its list sheets kept where `spill` says), the records of the forms read as a JSON
/// array, or their indicator CSV.
pub struct MergeOutput<'a, W: Write + Seek + Send> {
    sink: Sink<'a, W>,
    /// The output's name in a write error's message.
    file: String,
}

enum Sink<'a, W: Write + Seek + Send> {
    Xlsx(Box<MergeBook<'a>>, W),
    Json(RecordsJson<W>),
    Csv(Box<IndicatorsCsv<W>>),
}

impl<'a, W: Write + Seek + Send> MergeOutput<'a, W> {
    /// An output of `kind` to `out`, called `file` in the message of an error writing it.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: OutputKind,
        out: W,
        file: &str,
        templates: &'a [Template],
        forms: bool,
        encoding: CsvEncoding,
        spill: Spill,
        lang: Lang,
    ) -> Result<MergeOutput<'a, W>, WriteError> {
        let io = |e| WriteError::io(file, &e);
        let sink = match kind {
            OutputKind::Xlsx => Sink::Xlsx(
                Box::new(MergeBook::new(templates, forms, spill, lang)?),
                out,
            ),
            OutputKind::Json => Sink::Json(RecordsJson::new(out).map_err(io)?),
            OutputKind::Csv => Sink::Csv(Box::new(IndicatorsCsv::new(out, encoding).map_err(io)?)),
        };
        Ok(MergeOutput {
            sink,
            file: file.to_string(),
        })
    }

    /// One row: a form, or an input that gave none (only the workbook shows those).
    pub fn add(&mut self, row: &Row) -> Result<(), WriteError> {
        let io = |e| WriteError::io(&self.file, &e);
        match (&mut self.sink, row.declaration) {
            (Sink::Xlsx(book, _), _) => book.add(row),
            (Sink::Json(w), Some(d)) => w.add(d).map_err(io),
            (Sink::Csv(w), Some(d)) => w.add(d).map_err(io),
            (_, None) => Ok(()),
        }
    }

    /// Finish the output with the findings only the whole batch could make (`late`, by row
    /// number, which only the workbook shows) and give back `W`, written to its end and
    /// flushed.
    pub fn finish(self, late: &[(usize, Finding)]) -> Result<(W, Finished), WriteError> {
        let io = |e| WriteError::io(&self.file, &e);
        match self.sink {
            Sink::Xlsx(book, mut out) => {
                let finished = book.finish(late, &mut out, &self.file)?;
                out.flush().map_err(io)?;
                Ok((out, finished))
            }
            Sink::Json(w) => Ok((w.finish().map_err(io)?, Finished::default())),
            Sink::Csv(w) => Ok((w.finish().map_err(io)?, Finished::default())),
        }
    }
}

/// The file names given out in one folder (or one zip). Compared without case: on Windows and
/// macOS `X.json` and `x.json` are one file.
#[derive(Debug, Default)]
pub struct OutputNames(HashSet<String>);

impl OutputNames {
    /// `base.ext`, or `base-2.ext`, `base-3.ext`… when taken.
    pub fn claim(&mut self, base: &str, ext: &str) -> String {
        let mut name = format!("{base}.{ext}");
        let mut n = 2;
        while !self.0.insert(name.to_lowercase()) {
            name = format!("{base}-{n}.{ext}");
            n += 1;
        }
        name
    }
}

/// A zip archive of named files, in memory, in the given order. Names are used as given:
/// callers pass relative names without `..` (see [`OutputNames`]).
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, WriteError> {
    let err = |e: &dyn std::fmt::Display| WriteError::Zip {
        detail: e.to_string(),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The outputs are mostly xlsx files, already deflated: store those, deflate the text.
    for (name, bytes) in files {
        let method = if bytes.starts_with(b"PK") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zip.start_file(name.as_str(), options)
            .map_err(|e| err(&e))?;
        zip.write_all(bytes).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clashing_output_name_gets_a_number() {
        let mut names = OutputNames::default();
        assert_eq!(names.claim("x", "json"), "x.json");
        assert_eq!(names.claim("x", "json"), "x-2.json");
        assert_eq!(names.claim("X", "json"), "X-3.json");
        assert_eq!(names.claim("x-2", "json"), "x-2-2.json");
        assert_eq!(names.claim("x", "xlsx"), "x.xlsx");
    }

    #[test]
    fn the_kind_of_a_file_is_its_extension() {
        assert_eq!(
            OutputKind::of_path(Path::new("a/汇总.XLSX")),
            Some(OutputKind::Xlsx)
        );
        assert_eq!(
            OutputKind::of_path(Path::new("a.csv")),
            Some(OutputKind::Csv)
        );
        assert_eq!(OutputKind::of_path(Path::new("a.xls")), None);
        assert_eq!(OutputKind::of_path(Path::new("json")), None);
    }

    #[test]
    fn a_zip_reads_back_entry_by_entry() {
        let files = vec![
            ("a/表.json".to_string(), b"{\"a\":1}".to_vec()),
            ("b.xlsx".to_string(), b"PK\x03\x04 not really".to_vec()),
        ];
        let bytes = zip(&files).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        for (name, content) in &files {
            let mut f = archive.by_name(name).unwrap();
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut back).unwrap();
            assert_eq!(&back, content);
        }
    }
}
