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
//! - [`mark`] marks every workbook as jixiao's and recognises jixiao's outputs,
//! - [`check_output`] says early whether an output may be written, and [`write_output`] puts
//!   bytes on disk safely: never over an input, never over a file jixiao did not write, never
//!   half-written ([`Staged`] does the same for an output written as it is made: `merge`).
//!
//! Everything here builds bytes from what it is given (records, findings, changes, templates),
//! in memory or into a writer it is handed: no writer knows a command or a run's
//! configuration. Only [`check_output`], [`write_output`] and [`Staged`] touch the file system
//! by name.
//!
//! Writing goes to a temporary file beside the output, renamed over it when complete. The
//! temporary file is named `.~jixiao-NAME-PID-XXXXXX.tmp`, so that a person who finds one after
//! a killed run knows what it is, and the next run that writes in that folder deletes it once
//! its process is gone ([`STALE_AFTER`]). A full disk, a file size limit (`ulimit -f`: the
//! commands ignore SIGXFSZ so that the write fails instead of killing the run) or a quota is a
//! [`WriteError::Io`] that says so ([`crate::os_error`]).

pub mod blank;
pub mod book;
pub mod csv;
pub mod form;
mod lists;
pub mod mark;
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
    /// The output path is a device, a pipe or a socket: never replaced.
    NotRegular { file: String },
    /// The output exists and jixiao did not write it ([`mark`]): `--force` replaces only
    /// jixiao's own outputs.
    NotOurs { file: String },
    /// Creating, writing or renaming the file failed: a full disk, a file size limit
    /// ([`crate::os_error::Problem::SizeLimit`]), a quota included; nothing was replaced.
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
            WriteError::NotRegular { file } => m::ERR_NOT_REGULAR.render(lang, &[("file", file)]),
            WriteError::NotOurs { file } => m::ERR_NOT_OURS.render(lang, &[("file", file)]),
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

/// The default row height and column width, in pixels, of a workbook whose default font is
/// Calibri 11 pt (rust_xlsxwriter's and Excel 2007's): kept, so that column widths mean what
/// they always did.
const PLAIN_ROW_PX: u32 = 20;
const PLAIN_COLUMN_PX: u32 = 64;

/// A new workbook of `kind`: marked as jixiao's ([`mark`]), its default cell format
/// [`form::plain_format`].
fn workbook(kind: mark::OwnKind) -> Result<rust_xlsxwriter::Workbook, WriteError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(&mark::properties(kind));
    wb.set_default_format(&form::plain_format(), PLAIN_ROW_PX, PLAIN_COLUMN_PX)?;
    Ok(wb)
}

/// Whether `path` may be written (docs/OUTPUT.md §4): not one of `inputs` (compared as canonical
/// paths, so `./a.xlsx` and `a.xlsx` are the same file), not a folder, in a folder that
/// exists, and not an existing file unless `force` — and then only a regular file jixiao
/// wrote ([`mark::recognise`]), or an empty one: whatever the flags, a department's file is
/// never replaced. The commands ask this before reading anything, so that a wrong output is
/// said at once and not after the whole batch; [`write_output`] asks it again when writing.
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
    let Ok(meta) = std::fs::symlink_metadata(&target) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(WriteError::NotAFile { file });
    }
    if !meta.is_file() {
        return Err(WriteError::NotRegular { file });
    }
    if !force {
        return Err(WriteError::Exists { file });
    }
    if meta.len() > 0 && !written_by_us(&target) {
        return Err(WriteError::NotOurs { file });
    }
    Ok(())
}

/// Whether the file at `path` is one of jixiao's outputs. Opened as inputs are
/// (`crate::inputs`): without blocking, a regular file; of any size, as outputs can be larger
/// than inputs may be, and read only as far as its mark ([`mark::recognise_file`]).
fn written_by_us(path: &Path) -> bool {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let Ok(mut handle) = options.open(path) else {
        return false;
    };
    handle.metadata().is_ok_and(|m| m.is_file()) && mark::recognise_file(&mut handle).is_some()
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
/// no half-written file ([`Staged`]; a killed run leaves a temporary file the next run removes).
pub fn write_output(
    path: &Path,
    bytes: &[u8],
    force: bool,
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    let mut staged = Staged::new(path, force, inputs)?;
    staged
        .file()
        .write_all(bytes)
        .map_err(|e| WriteError::io(&staged.name(), &e))?;
    staged.commit()
}

/// An output file being written: a temporary file in the output's folder
/// (`.~jixiao-NAME-PID-XXXXXX.tmp`), written as the output is made, and renamed over the output
/// by [`Staged::commit`] only once complete. An interrupted or failed run leaves no
/// half-written output: the temporary file is deleted when dropped (and a killed run's is
/// removed by the next run that writes in that folder).
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    force: bool,
}

impl Staged {
    /// [`check_output`], then the temporary file beside `path`.
    pub fn new(path: &Path, force: bool, inputs: &[PathBuf]) -> Result<Staged, WriteError> {
        check_output(path, force, inputs)?;
        let file = path.display().to_string();
        let dir = output_dir(path);
        remove_stale_once(&dir);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Opened here rather than by `tempfile_in`, whose errors carry the temporary path (noise
        // to the reader) and hide the system's error number. Created as an ordinary document
        // (0666 less the umask), not private: it becomes the output.
        let tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(&name))
            .suffix(TEMP_SUFFIX)
            .make_in(&dir, |path| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
            })
            .map_err(|e| WriteError::io(&file, &e))?;
        Ok(Staged {
            tmp,
            path: path.to_path_buf(),
            force,
        })
    }

    /// The output's name in messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The temporary file, to write the output to.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// Put the complete file in place: on disk, renamed over the output (only when `force`;
    /// else never over a file another process created meanwhile).
    pub fn commit(self) -> Result<(), WriteError> {
        let file = self.name();
        let io = |e: std::io::Error| WriteError::io(&file, &e);
        self.tmp.as_file().sync_all().map_err(io)?;
        // On an error the temporary file is dropped, which deletes it.
        if self.force {
            self.tmp.persist(&self.path).map_err(|e| io(e.error))?;
        } else {
            // Another process may have created the file meanwhile: still never overwrite.
            self.tmp.persist_noclobber(&self.path).map_err(|e| {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    WriteError::Exists { file: file.clone() }
                } else {
                    io(e.error)
                }
            })?;
        }
        Ok(())
    }
}

/// Temporary files are `.~jixiao-NAME-PID-XXXXXX.tmp`.
const TEMP_PREFIX: &str = ".~jixiao-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file older than this is stale even if a process of its number is alive (the
/// number was reused): writing one output takes seconds.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

fn temp_prefix(name: &str) -> String {
    format!("{TEMP_PREFIX}{name}-{}-", std::process::id())
}

/// The process number in the name of one of our temporary files.
fn temp_pid(file_name: &str) -> Option<u32> {
    let inner = file_name
        .strip_prefix(TEMP_PREFIX)?
        .strip_suffix(TEMP_SUFFIX)?;
    // NAME may hold dashes; PID and the random part may not.
    let mut parts = inner.rsplitn(3, '-');
    let _random = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    parts.next()?;
    Some(pid)
}

/// Whether the process `pid` is running.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 checks that the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        // Cannot tell: only the age decides.
        pid == std::process::id()
    }
}

/// Remove our stale temporary files from `dir` (only ours: `.~jixiao-…-PID-….tmp`; only stale:
/// their process is gone or they are older than [`STALE_AFTER`]), once per folder per run.
/// Failing to remove one is not an error: it was there before this run.
fn remove_stale_once(dir: &Path) {
    use std::sync::{Mutex, OnceLock};
    static DONE: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let first = DONE
        .get_or_init(Default::default)
        .lock()
        .map(|mut done| done.insert(key))
        .unwrap_or(false);
    if first {
        remove_stale(dir);
    }
}

/// The stale temporary files of ours in `dir` that were removed.
pub fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if (old || !alive(pid)) && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
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
        // Regression (issue 10): `--force` replaced any file; now only one jixiao wrote.
        assert_eq!(
            check_output(&out, true, &inputs),
            Err(WriteError::NotOurs {
                file: out.display().to_string()
            })
        );
        std::fs::write(
            &out,
            crate::write::blank_form(
                &crate::template::Template::builtin()[0],
                crate::messages::Lang::Zh,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(check_output(&out, true, &inputs), Ok(()));
        std::fs::write(&out, b"").unwrap();
        assert_eq!(
            check_output(&out, true, &inputs),
            Ok(()),
            "an empty file holds nothing"
        );
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

    /// Regression (issue 10): `/dev/null --force` would have been renamed over.
    #[cfg(unix)]
    #[test]
    fn a_device_is_never_an_output() {
        assert_eq!(
            check_output(Path::new("/dev/null"), true, &[]),
            Err(WriteError::NotRegular {
                file: "/dev/null".into()
            })
        );
    }

    #[test]
    fn temporary_files_say_whose_they_are() {
        let prefix = temp_prefix("汇总-2024.xlsx");
        let name = format!("{prefix}Ab12Cd{TEMP_SUFFIX}");
        assert!(name.starts_with(".~jixiao-汇总-2024.xlsx-"), "{name}");
        assert_eq!(temp_pid(&name), Some(std::process::id()));
        assert_eq!(temp_pid(".tmpAb12Cd"), None);
        assert_eq!(temp_pid(".~jixiao-x-notapid-Ab12Cd.tmp"), None);
        assert_eq!(temp_pid(".~jixiao-12-Ab12Cd.tmp"), None, "no name");
    }

    /// Only ours, only stale: a temporary file of a live process (this one), a file of another
    /// program and a file of ours whose process is gone; only the last is removed.
    #[cfg(unix)]
    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir
            .path()
            .join(format!("{}Ab12Cd{TEMP_SUFFIX}", temp_prefix("a.xlsx")));
        let other = dir.path().join(".tmpAb12Cd");
        // A process that has ended: a child, reaped.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir
            .path()
            .join(format!("{TEMP_PREFIX}a.xlsx-{gone}-Xy34Zw{TEMP_SUFFIX}"));
        for p in [&live, &other, &stale] {
            std::fs::write(p, b"partial").unwrap();
        }
        assert_eq!(remove_stale(dir.path()), vec![stale.clone()]);
        assert!(live.exists() && other.exists() && !stale.exists());
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
        let e = WriteError::NotOurs {
            file: "a.xlsx".into(),
        };
        assert_eq!(
            e.to_string(),
            "a.xlsx：文件已存在，且不是 jixiao 生成的，即使加了 --force 也不会覆盖。请换一个输出文件名"
        );
        assert_eq!(
            e.message(Lang::En),
            "a.xlsx: the file exists and jixiao did not write it; it is not overwritten, even with --force. Choose another output name"
        );
        let e = WriteError::io("a.xlsx", &std::io::Error::from_raw_os_error(27));
        assert_eq!(
            e.to_string(),
            "a.xlsx 超过了系统允许的文件大小上限（如 ulimit -f），无法写入"
        );
    }
}
