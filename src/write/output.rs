//! Output bytes of checked forms, in memory: the one set of calls behind both `jixiao convert` /
//! `jixiao merge` (which then put the bytes on disk) and the web server's downloads (which send
//! them). Nothing here touches the file system.

use std::collections::HashSet;
use std::io::Write as _;

use crate::cli::OutputKind;
use crate::merge::Entry;
use crate::messages::Lang;
use crate::pipeline::{Checked, Config};

use super::{CsvEncoding, WriteError};

/// The extension of a file of `kind`.
pub fn extension(kind: OutputKind) -> &'static str {
    match kind {
        OutputKind::Json => "json",
        OutputKind::Xlsx => "xlsx",
        OutputKind::Csv => "csv",
    }
}

/// Records as JSON: one object, or an array when `array`.
pub fn records_json(forms: &[&Checked], array: bool) -> String {
    let decls: Vec<_> = forms.iter().map(|f| &f.declaration).collect();
    let result = if array || decls.len() != 1 {
        serde_json::to_string_pretty(&decls)
    } else {
        serde_json::to_string_pretty(decls[0])
    };
    result.expect("records serialize")
}

/// The bytes of one output file holding `forms` (`convert`): the records as JSON (an array
/// when `array`), the corrected workbook of the first form, or the indicator CSV of all.
pub fn form_output(
    kind: OutputKind,
    forms: &[&Checked],
    array: bool,
    config: &Config,
    encoding: CsvEncoding,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    Ok(match kind {
        OutputKind::Json => records_json(forms, array).into_bytes(),
        OutputKind::Xlsx => {
            let f = forms[0];
            let template = config.template(&f.declaration.template);
            super::write_declaration_workbook(
                &f.declaration,
                &template,
                &f.findings,
                &f.changes,
                lang,
            )?
        }
        OutputKind::Csv => {
            let decls: Vec<_> = forms.iter().map(|f| &f.declaration).collect();
            super::indicators_csv(&decls, encoding)
        }
    })
}

/// Where the consolidated workbook keeps its long list sheets while it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spill {
    /// rust_xlsxwriter's low-memory mode: rows go to an anonymous temporary file (deleted when
    /// closed, never visible by name) as they are written. The command line's choice: memory
    /// stays flat for tens of thousands of forms.
    TempFile,
    /// Every cell in memory until the workbook is zipped: nothing of an upload touches the
    /// disk. The web server's choice; its request size limit bounds the memory.
    Memory,
}

/// The bytes of the consolidated output of `entries` (`merge`): the workbook (with each
/// form's 申报表 when `forms`), the records of the forms read as a JSON array, or the
/// indicator CSV.
pub fn merge_output(
    kind: OutputKind,
    entries: &[Entry],
    config: &Config,
    forms: bool,
    encoding: CsvEncoding,
    spill: Spill,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let read = || entries.iter().filter_map(|e| e.result.as_ref().ok());
    Ok(match kind {
        OutputKind::Xlsx => super::merge::merge_workbook_with(entries, config, forms, spill, lang)?,
        OutputKind::Json => records_json(&read().collect::<Vec<_>>(), true).into_bytes(),
        OutputKind::Csv => {
            let decls: Vec<_> = read().map(|c| &c.declaration).collect();
            super::indicators_csv(&decls, encoding)
        }
    })
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
