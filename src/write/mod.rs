//! The last stage of the pipeline: a [`Declaration`](crate::model::Declaration) with its findings
//! and changes becomes files a finance officer opens, prints and sends back (docs/OUTPUT.md).
//!
//! - [`form`] draws the 申报表 sheet from the template's layout data,
//! - [`book`] builds the `convert` workbook (申报表 — one per form of the input —, 汇总, 校验结果,
//!   修改记录),
//! - [`merge`] builds the consolidated workbook of many forms from borrowed rows,
//! - `lists` writes the list sheets both workbooks share (校验结果, 修改记录),
//! - [`csv`] writes the indicator table,
//! - [`blank`] writes the blank official form of a variant,
//! - [`preview`] gives the page the corrected 申报表 as a grid (the same placed and marked cells
//!   as [`form`] draws),
//! - [`output`] is the one switch from the format asked for (json, xlsx, csv) to its writer, for
//!   one form or a consolidation, and zips several outputs,
//! - [`check_output`] says early whether an output may be written, and [`write_output`] puts
//!   bytes on disk safely (never over an input, never half-written).
//!
//! Everything here builds bytes in memory from what it is given (records, findings, changes,
//! templates): no writer knows a command or a run's configuration. Only [`check_output`] and
//! [`write_output`] touch the file system.

pub mod blank;
pub mod book;
pub mod csv;
pub mod form;
mod lists;
pub mod merge;
pub mod output;
pub mod preview;

use std::collections::HashSet;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Thing};

pub use blank::blank_form;
pub use book::{write_declaration_workbook, write_forms_workbook, FormParts};
pub use csv::{indicators_csv, CsvEncoding};
pub use form::{write_form, CellMap};

/// Why a file could not be written. Content problems are findings, never this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The spreadsheet library refused to build the workbook (a limit of the xlsx format was
    /// exceeded, for instance). `detail` is the library's own sentence.
    Xlsx { detail: String },
    /// The output path names one of the inputs.
    IsInput { file: String },
    /// The output exists and overwriting was not asked for (`--force`).
    Exists { file: String },
    /// The output path is a folder or has no file name.
    NotAFile { file: String },
    /// Creating, writing or renaming the file failed.
    Io { file: String, error: OsError },
    /// The folder the output goes to cannot be used (it does not exist, say).
    Folder { dir: String, error: OsError },
    /// The zip library refused to build an archive of outputs.
    Zip { detail: String },
}

impl WriteError {
    /// Writing `file` failed with `err`.
    pub fn io(file: &str, err: &std::io::Error) -> WriteError {
        WriteError::Io {
            file: file.to_string(),
            error: OsError::of(err),
        }
    }

    /// The output folder `dir` cannot be used, as `err` says.
    pub fn folder(dir: &str, err: &std::io::Error) -> WriteError {
        WriteError::Folder {
            dir: dir.to_string(),
            error: OsError::of(err),
        }
    }

    /// The sentence for the user, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use messages::write as m;
        match self {
            WriteError::Xlsx { detail } => m::ERR_XLSX.render(lang, &[("detail", detail)]),
            WriteError::IsInput { file } => m::ERR_IS_INPUT.render(lang, &[("file", file)]),
            WriteError::Exists { file } => m::ERR_EXISTS.render(lang, &[("file", file)]),
            WriteError::NotAFile { file } => m::ERR_NOT_A_FILE.render(lang, &[("file", file)]),
            WriteError::Io { file, error } => error.message(lang, file, Access::Write, Thing::File),
            WriteError::Folder { dir, error } => {
                error.message(lang, dir, Access::Write, Thing::Folder)
            }
            WriteError::Zip { detail } => m::ERR_ZIP.render(lang, &[("detail", detail)]),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}

impl std::error::Error for WriteError {}

impl From<rust_xlsxwriter::XlsxError> for WriteError {
    fn from(e: rust_xlsxwriter::XlsxError) -> WriteError {
        WriteError::Xlsx {
            detail: e.to_string(),
        }
    }
}

/// Whether `path` may be written (docs/OUTPUT.md §4): not one of `inputs` (compared as canonical
/// paths, so `./a.xlsx` and `a.xlsx` are the same file), not a folder, in a folder that
/// exists, and not an existing file unless `force`. The commands ask this before reading
/// anything, so that a wrong output is said at once and not after the whole batch;
/// [`write_output`] asks it again when writing.
pub fn check_output(path: &Path, force: bool, inputs: &[PathBuf]) -> Result<(), WriteError> {
    let file = path.display().to_string();
    let name = path
        .file_name()
        .ok_or_else(|| WriteError::NotAFile { file: file.clone() })?;
    // The output may not exist yet: canonicalize its folder and append the name.
    let dir = output_dir(path);
    let target = dir
        .canonicalize()
        .map_err(|e| WriteError::folder(&dir.display().to_string(), &e))?
        .join(name);
    let target = target.canonicalize().unwrap_or(target);
    if inputs
        .iter()
        .filter_map(|i| i.canonicalize().ok())
        .any(|i| i == target)
    {
        return Err(WriteError::IsInput { file });
    }
    if target.is_dir() {
        return Err(WriteError::NotAFile { file });
    }
    if !force && target.exists() {
        return Err(WriteError::Exists { file });
    }
    Ok(())
}

/// The folder an output goes to (`.` for a bare file name).
fn output_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Write `bytes` to `path` safely: [`check_output`] first, then to a temporary file in the
/// output's folder that is renamed over `path` only when complete, so an interrupted run leaves
/// no half-written file.
pub fn write_output(
    path: &Path,
    bytes: &[u8],
    force: bool,
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    check_output(path, force, inputs)?;
    let file = path.display().to_string();
    let io = |e: std::io::Error| WriteError::io(&file, &e);
    let dir = output_dir(path);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // A temporary file is private (0600); the output is an ordinary document others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    // On an error the temporary file is dropped, which deletes it.
    if force {
        tmp.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Another process may have created the file meanwhile: still never overwrite.
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists { file: file.clone() }
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(())
}

/// A sheet name Excel accepts, made from any text (a department name): none of `[]:*?/\`, no
/// leading or trailing `'`, at most 31 characters, not empty, and not one of `used`. `used`
/// holds the names taken so far in lower case, since Excel compares them without case; the
/// new name is added to it. A set, so that thousands of `--forms` sheets are not each
/// compared with every earlier one.
pub fn sheet_name(text: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() {
        "Sheet".to_string()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    loop {
        let key = name.to_lowercase();
        // `History` is reserved by Excel.
        if key != "history" && used.insert(key) {
            return name;
        }
        let suffix = format!("({n})");
        let keep = 31 - suffix.chars().count();
        name = base.chars().take(keep).collect::<String>() + &suffix;
        n += 1;
    }
}

/// `'申报表'!E4`: a cell reference to another sheet for formulas and internal links, the name
/// always quoted (a `'` in it doubled), which Excel reads whatever the name.
pub fn sheet_cell(sheet: &str, row: u32, col: u16) -> String {
    format!(
        "'{}'!{}",
        sheet.replace('\'', "''"),
        rust_xlsxwriter::utility::row_col_to_cell(row, col)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("广州番禺", &mut used), "广州番禺");
        assert_eq!(sheet_name("广州番禺", &mut used), "广州番禺(2)");
        assert_eq!(sheet_name("a/b:c*d?[e]\\", &mut used), "a_b_c_d__e__");
        assert_eq!(sheet_name("  ", &mut used), "Sheet");
        assert_eq!(sheet_name("'quoted'", &mut used), "quoted");
        assert_eq!(sheet_name("History", &mut used), "History(2)");
        let long = "很".repeat(40);
        let a = sheet_name(&long, &mut used);
        let b = sheet_name(&long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert_ne!(a, b);
        assert_eq!(sheet_name("ABC", &mut used), "ABC");
        assert_eq!(sheet_name("abc", &mut used), "abc(2)");
        assert!(used.contains("abc(2)"), "kept in lower case");
    }

    #[test]
    fn an_output_is_checked_before_anything_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        std::fs::write(&input, b"x").unwrap();
        let inputs = [input.clone()];
        let out = dir.path().join("out.xlsx");
        assert_eq!(check_output(&out, false, &inputs), Ok(()));
        std::fs::write(&out, b"y").unwrap();
        assert!(matches!(
            check_output(&out, false, &inputs),
            Err(WriteError::Exists { .. })
        ));
        assert_eq!(check_output(&out, true, &inputs), Ok(()));
        assert!(matches!(
            check_output(&input, true, &inputs),
            Err(WriteError::IsInput { .. })
        ));
        assert!(matches!(
            check_output(dir.path(), true, &inputs),
            Err(WriteError::NotAFile { .. })
        ));
        assert!(matches!(
            check_output(&dir.path().join("no/such/x.xlsx"), true, &inputs),
            Err(WriteError::Folder { .. })
        ));
    }

    #[test]
    fn sheet_cells_are_quoted() {
        assert_eq!(sheet_cell("申报表", 3, 4), "'申报表'!E4");
        assert_eq!(sheet_cell("it's", 0, 0), "'it''s'!A1");
    }

    #[test]
    fn error_messages_word_for_word() {
        let e = WriteError::Exists {
            file: "out.xlsx".into(),
        };
        assert_eq!(e.to_string(), "out.xlsx：文件已存在。要覆盖请加 --force");
        assert_eq!(
            e.message(Lang::En),
            "out.xlsx: the file exists. Add --force to overwrite it"
        );
        let e = WriteError::IsInput {
            file: "a.xlsx".into(),
        };
        assert_eq!(
            e.to_string(),
            "a.xlsx：这是输入文件之一，不能被输出覆盖。请换一个输出文件名"
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(WriteError::io("x", &denied).to_string(), "没有权限写入 x");
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            WriteError::folder("newdir/sub", &missing).message(Lang::En),
            "the folder newdir/sub does not exist"
        );
        let e = WriteError::Xlsx {
            detail: "too long".into(),
        };
        assert_eq!(e.to_string(), "无法生成工作簿（too long）");
    }
}
