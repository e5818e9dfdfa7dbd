//! The one error type for "this input cannot be read". Findings about a form's content are data
//! (`check::Finding`), not errors.

use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Thing};

use super::{Document, Format};

/// Why an input could not be read. Every variant names the file; [`ReadError::message`] gives
/// the sentence a finance officer sees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    /// The file could not be opened or read from disk.
    Io { file: String, error: OsError },
    /// A folder was given where a file was expected.
    IsDirectory { file: String },
    /// Not a regular file: a device (`/dev/zero`), a pipe (FIFO) or a socket. Never read.
    NotRegular { file: String },
    /// Larger than the per-file limit (`limit` bytes): [`super::MAX_FILE_BYTES`] for a file
    /// on disk, `serve --max-file-mb` for an upload. Nothing of it was read.
    TooLarge {
        file: String,
        bytes: u64,
        limit: u64,
    },
    /// Zero bytes.
    Empty { file: String },
    /// An encrypted (password-protected) OOXML workbook.
    Encrypted { file: String },
    /// An HTML page saved with a spreadsheet extension.
    Html { file: String },
    /// An XML Spreadsheet 2003 file saved with a spreadsheet extension.
    Xml2003 { file: String },
    /// A zip, OLE or ODS container that is truncated or damaged.
    Corrupt { file: String, detail: String },
    /// Bytes that are no known format.
    UnknownFormat { file: String },
    /// A document that is no spreadsheet (a Word file, a PDF…).
    Document { file: String, kind: Document },
    /// Text in a known envelope that does not hold what it should (`what`: "JSON", "UTF-8"…).
    NotAForm { file: String, what: String },
    /// JSON that is not a declaration record.
    BadJson { file: String, problem: JsonProblem },
    /// A workbook with no sheet holding any cell.
    NoSheets { file: String },
}

/// What is wrong with a JSON input that should hold declaration records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum JsonProblem {
    /// Not JSON: the parser stopped near this line and column (from 1).
    Syntax { line: usize, column: usize },
    /// JSON cut short: the text ends inside a value.
    Truncated,
    /// JSON, but not a record: no `"format": "jixiao.declaration/1"`.
    NotARecord,
    /// Record `record` (from 1) lacks `key`.
    Missing { record: usize, key: String },
    /// Record `record` holds a value of the wrong form: serde's own words as `detail` (they name
    /// the value and what was expected).
    Value { record: usize, detail: String },
}

impl JsonProblem {
    /// The problem of record `record` (from 1) that serde reported as `err`.
    pub fn of_record(record: usize, err: &serde_json::Error) -> JsonProblem {
        let text = err.to_string();
        let missing = text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        match missing {
            Some(key) => JsonProblem::Missing {
                record,
                key: key.to_string(),
            },
            None => JsonProblem::Value {
                record,
                detail: text,
            },
        }
    }
}

impl ReadError {
    pub fn io(file: &str, err: std::io::Error) -> ReadError {
        ReadError::Io {
            file: file.to_string(),
            error: OsError::of(&err),
        }
    }

    pub fn corrupt(file: &str, detail: impl ToString) -> ReadError {
        ReadError::Corrupt {
            file: file.to_string(),
            detail: detail.to_string(),
        }
    }

    /// The error for a sniffed format that cannot be read as a form.
    pub fn from_format(file: &str, format: Format) -> ReadError {
        let file = file.to_string();
        match format {
            Format::Empty => ReadError::Empty { file },
            Format::Encrypted => ReadError::Encrypted { file },
            Format::Html => ReadError::Html { file },
            Format::Xml2003 => ReadError::Xml2003 { file },
            Format::Document(kind) => ReadError::Document { file, kind },
            _ => ReadError::UnknownFormat { file },
        }
    }

    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            ReadError::Io { file, .. }
            | ReadError::IsDirectory { file }
            | ReadError::NotRegular { file }
            | ReadError::TooLarge { file, .. }
            | ReadError::Empty { file }
            | ReadError::Encrypted { file }
            | ReadError::Html { file }
            | ReadError::Xml2003 { file }
            | ReadError::Corrupt { file, .. }
            | ReadError::UnknownFormat { file }
            | ReadError::Document { file, .. }
            | ReadError::NotAForm { file, .. }
            | ReadError::BadJson { file, .. }
            | ReadError::NoSheets { file } => file,
        }
    }

    /// The sentence for a person, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use messages::read as m;
        match self {
            ReadError::Io { file, error } => error.message(lang, file, Access::Read, Thing::File),
            ReadError::IsDirectory { file } => {
                messages::os::IS_FOLDER.render(lang, &[("path", file)])
            }
            ReadError::NotRegular { file } => m::NOT_REGULAR.render(lang, &[("file", file)]),
            ReadError::TooLarge { file, bytes, limit } => m::TOO_LARGE.render(
                lang,
                &[
                    ("file", file),
                    ("mb", &megabytes(*bytes)),
                    ("limit", &(limit >> 20).to_string()),
                ],
            ),
            ReadError::Empty { file } => m::EMPTY.render(lang, &[("file", file)]),
            ReadError::Encrypted { file } => m::ENCRYPTED.render(lang, &[("file", file)]),
            ReadError::Html { file } => m::HTML.render(lang, &[("file", file)]),
            ReadError::Xml2003 { file } => m::XML2003.render(lang, &[("file", file)]),
            ReadError::Corrupt { file, detail } => {
                m::CORRUPT.render(lang, &[("file", file), ("detail", detail)])
            }
            ReadError::UnknownFormat { file } => m::UNKNOWN_FORMAT.render(lang, &[("file", file)]),
            ReadError::Document { file, kind } => {
                let text = match kind {
                    Document::Word => m::WORD,
                    Document::Presentation => m::PRESENTATION,
                    Document::Pdf => m::PDF,
                    Document::OtherOffice => m::OTHER_OFFICE,
                };
                text.render(lang, &[("file", file)])
            }
            ReadError::NotAForm { file, what } => {
                m::NOT_A_FORM.render(lang, &[("file", file), ("what", what)])
            }
            ReadError::BadJson { file, problem } => match problem {
                JsonProblem::Syntax { line, column } => m::JSON_SYNTAX.render(
                    lang,
                    &[
                        ("file", file),
                        ("line", &line.to_string()),
                        ("column", &column.to_string()),
                    ],
                ),
                JsonProblem::Truncated => m::JSON_TRUNCATED.render(lang, &[("file", file)]),
                JsonProblem::NotARecord => m::JSON_NOT_A_RECORD.render(lang, &[("file", file)]),
                JsonProblem::Missing { record, key } => m::JSON_MISSING.render(
                    lang,
                    &[
                        ("file", file),
                        ("record", &record.to_string()),
                        ("key", key),
                    ],
                ),
                JsonProblem::Value { record, detail } => m::JSON_VALUE.render(
                    lang,
                    &[
                        ("file", file),
                        ("record", &record.to_string()),
                        ("detail", detail),
                    ],
                ),
            },
            ReadError::NoSheets { file } => m::NO_SHEETS.render(lang, &[("file", file)]),
        }
    }
}

/// A size in megabytes (MiB) with one decimal, rounded up: a file just over the 64 MB limit
/// shows as 64.1 MB, never as 64.0.
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).div_ceil(1 << 20);
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_says_megabytes() {
        let e = ReadError::TooLarge {
            file: "大.xlsx".into(),
            bytes: super::super::MAX_FILE_BYTES + 1,
            limit: super::super::MAX_FILE_BYTES,
        };
        assert_eq!(
            e.message(Lang::Zh),
            "大.xlsx：文件过大（64.1 MB），超过每个文件 64 MB 的上限，未读取"
        );
        assert_eq!(
            e.message(Lang::En),
            "大.xlsx: the file is too large (64.1 MB); the limit is 64 MB a file, so it was not read"
        );
        assert_eq!(megabytes(300 * 1024 * 1024), "300.0");
        // No overflow on any size.
        let _ = megabytes(u64::MAX);
    }
}
