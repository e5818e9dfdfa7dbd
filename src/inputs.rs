//! The edge where inputs come from the file system: which files a command's arguments name
//! (folders searched for spreadsheets, a run's own outputs left out), reading each one,
//! bounded, into bytes for a [`Process`] ([`crate::pipeline::process`] in this process, or a
//! worker process, `crate::worker`), and the text of the template files a run is given.
//! Everything past this module works on bytes in memory.
//! Which of these files a batch reads is decided above it (`crate::app`).
//!
//! Only regular files are read. A file is opened without blocking (a FIFO put in a form's
//! place must not hang a batch), the opened handle is checked, not the path (it may have been
//! replaced since), and reading stops one byte past [`MAX_FILE_BYTES`] however large the file
//! says it is (`/proc` files say 0).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Problem, Thing};
use crate::pipeline::{self, Config, Failure, Outcome, Processed};
use crate::read::{ReadError, MAX_FILE_BYTES};

/// What puts the bytes of one input through the pipeline.
pub trait Process: Sync {
    /// [`pipeline::process`]'s contract: the forms of the input, or why none.
    fn process(&self, file: &str, bytes: &[u8]) -> Outcome;
}

/// In this process (library callers, tests, systems without worker processes).
impl Process for Config {
    fn process(&self, file: &str, bytes: &[u8]) -> Outcome {
        pipeline::process(file, bytes, self)
    }
}

/// In a worker process of a pool, under its limits.
#[cfg(unix)]
impl Process for crate::worker::Session<'_> {
    fn process(&self, file: &str, bytes: &[u8]) -> Outcome {
        crate::worker::Session::process(self, file, bytes)
    }
}

/// What reads the inputs of a run, or a server's uploads: a pool of worker processes
/// (`crate::worker`) where they can run, this process otherwise. Each caller's files are read
/// on a rayon pool of its own with twice as many threads as workers: while one thread waits
/// for a worker's answer, another reads its next file and decodes the last answer, so that no
/// worker stands idle between two files.
pub struct Readers {
    #[cfg(unix)]
    pool: Option<crate::worker::Pool>,
    threads: Option<rayon::ThreadPool>,
}

impl Readers {
    /// Up to `workers` worker processes. When they cannot be started, the files are read in
    /// this process, and the error says why.
    pub fn start(workers: usize) -> (Readers, Option<std::io::Error>) {
        #[cfg(unix)]
        {
            use crate::worker::{Limits, Pool};
            match Pool::start(Limits::with_workers(workers)) {
                Ok(pool) => {
                    let threads = rayon::ThreadPoolBuilder::new()
                        .num_threads(2 * pool.limits().workers)
                        .thread_name(|i| format!("jixiao-reader-{i}"))
                        .build()
                        .ok();
                    let readers = Readers {
                        pool: Some(pool),
                        threads,
                    };
                    (readers, None)
                }
                Err(e) => (Readers::in_process(), Some(e)),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = workers;
            (Readers::in_process(), None)
        }
    }

    /// Files read in this process, on rayon's global pool.
    pub fn in_process() -> Readers {
        Readers {
            #[cfg(unix)]
            pool: None,
            threads: None,
        }
    }

    /// Call `f` with what reads files with `config` (a session of the pool, or `config`
    /// itself, [`Process`]), on the readers' threads.
    pub fn run<R: Send>(&self, config: &Config, f: impl FnOnce(&dyn Process) -> R + Send) -> R {
        let go = || {
            #[cfg(unix)]
            if let Some(pool) = &self.pool {
                return f(&pool.session(config));
            }
            f(config)
        };
        match &self.threads {
            Some(threads) => threads.install(go),
            None => go(),
        }
    }
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(unix)]
        let workers = self.pool.as_ref().map(|p| p.limits());
        #[cfg(not(unix))]
        let workers: Option<()> = None;
        f.debug_struct("Readers")
            .field("workers", &workers)
            .finish()
    }
}

/// Extensions searched for inside folders (docs/OUTPUT.md §2). Files named explicitly are read
/// whatever their extension: the content decides.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"];

/// Documents a department may send instead of its spreadsheet (a Word or WPS text, a PDF, a
/// presentation, a WPS spreadsheet of its own format). Inside folders they are taken too, so
/// that each is a row that says what it is and how to save it as `.xlsx`
/// (`read::Document`), not a department missing from the batch without a word.
pub const DOCUMENTS: &[&str] = &["doc", "docx", "wps", "pdf", "ppt", "pptx", "dps", "et"];

/// An output to leave out of the files found in folders, so that a second run does not take
/// the first run's output for an input (and then refuse to write over it).
#[derive(Debug, Clone, Copy)]
pub enum Skip<'a> {
    /// Nothing is written beside the inputs (`check`, `-o -`).
    Nothing,
    /// One output file.
    File(&'a Path),
    /// A folder of outputs, each with this extension.
    Folder(&'a Path, &'a str),
}

/// Files named, and the spreadsheet files inside folders named (recursively), in sorted order
/// within each folder; a missing path is kept so that it is reported like any unreadable input.
///
/// Of the files found in folders, the output is left out: the output file, and everything
/// below an output folder, or, when the output folder is where the inputs are
/// (`convert in -o in`), the files there of the output's kind. A file named explicitly is
/// always kept: writing over it is refused later, as writing over any input is.
pub fn collect(inputs: &[PathBuf], skip: Skip) -> Vec<PathBuf> {
    let skip_file = match skip {
        Skip::File(p) => p.canonicalize().ok(),
        _ => None,
    };
    let skip_dir = match skip {
        Skip::Folder(p, ext) => p.canonicalize().ok().map(|d| (d, ext)),
        _ => None,
    };
    let mut out = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            out.push(input.clone());
            continue;
        }
        let mut found = Vec::new();
        walk(input, &mut found);
        if skip_file.is_some() || skip_dir.is_some() {
            let root = input.canonicalize().ok();
            found.retain(|f| {
                let Ok(f) = f.canonicalize() else { return true };
                if skip_file.as_ref() == Some(&f) {
                    return false;
                }
                match &skip_dir {
                    Some((dir, ext)) if root.as_ref().is_some_and(|r| r.starts_with(dir)) => {
                        !(f.parent() == Some(dir.as_path())
                            && f.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
                    }
                    Some((dir, _)) => !f.starts_with(dir),
                    None => true,
                }
            });
        }
        found.sort();
        out.extend(found);
    }
    out
}

/// Why the paths named on the command line gave no file to read: each one that does not exist,
/// each folder with no spreadsheet in it. A run with nothing to read is a usage error, the
/// same in every command, and writes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NothingFound(Vec<Empty>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Empty {
    /// `path` was named; `missing` is the first part of it that does not exist.
    Missing { missing: PathBuf, whole: bool },
    /// A folder with no file of [`EXTENSIONS`] in it, nor in its subfolders.
    NoForms(PathBuf),
    /// A folder that cannot be listed (no permission, say).
    Unlisted(PathBuf, OsError),
}

impl NothingFound {
    /// One sentence in `lang` that says what was looked for and where.
    pub fn message(&self, lang: Lang) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| match e {
                Empty::Missing { missing, whole } => {
                    // A named path with an extension was meant to be a file; a part of a path,
                    // or a name without one, a folder.
                    let file = *whole && missing.extension().is_some();
                    let thing = if file { Thing::File } else { Thing::Folder };
                    let not_found = OsError {
                        problem: Problem::NotFound,
                        detail: String::new(),
                    };
                    not_found.message(lang, &missing.display().to_string(), Access::Read, thing)
                }
                Empty::Unlisted(dir, error) => error.message(
                    lang,
                    &dir.display().to_string(),
                    Access::Read,
                    Thing::Folder,
                ),
                Empty::NoForms(dir) => messages::cli::NO_FORMS_IN_FOLDER.render(
                    lang,
                    &[
                        ("dir", &dir.display().to_string()),
                        ("extensions", &extensions_list()),
                    ],
                ),
            })
            .collect();
        parts.join(messages::cli::JOIN_SENTENCES.get(lang))
    }
}

/// `.xlsx .xlsm .xls …`
fn extensions_list() -> String {
    EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`NothingFound`] when `found` (what [`collect`] made of `named`) holds no file that exists;
/// `None` when there is something to read. A missing path beside files that exist is not
/// this: it is reported like any unreadable input, and the others are read.
pub fn nothing_found(named: &[PathBuf], found: &[PathBuf]) -> Option<NothingFound> {
    if found.iter().any(|p| p.exists()) {
        return None;
    }
    let empty = named
        .iter()
        .map(|path| {
            if path.is_dir() {
                return match std::fs::read_dir(path) {
                    Ok(_) => Empty::NoForms(path.clone()),
                    Err(e) => Empty::Unlisted(path.clone(), OsError::of(&e)),
                };
            }
            // The first part of the path that is missing: `newdir` of `newdir/sub/a.xlsx`.
            let missing = path
                .ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .take_while(|a| !a.exists())
                .last()
                .unwrap_or(path);
            Empty::Missing {
                whole: missing == path.as_path(),
                missing: missing.to_path_buf(),
            }
        })
        .collect();
    Some(NothingFound(empty))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Follow no symlinked folders: a link loop must not hang a batch.
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        if path.is_dir() && !is_link {
            walk(&path, out);
        } else if path.is_file()
            && (has_extension(&path, EXTENSIONS) || has_extension(&path, DOCUMENTS))
            && !is_lock_file(&path)
        {
            out.push(path);
        }
    }
}

/// Whether `path`'s extension, in any case, is one of `list`.
fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| list.contains(&e.to_ascii_lowercase().as_str()))
}

/// `~$name.xlsx`: the lock file Excel and WPS leave beside an open workbook.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}

/// The name a file is called by in messages and `source.file`: its file name without folders,
/// or the whole path when it has none (`..`).
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The name an input of a batch is reported by (docs/RECORDS.md §2: `file`): its path below the
/// folder named on the command line, folders joined by `/` whatever the system (`区县/表.xlsx`,
/// as the web server names a folder upload's files), so that `a/表.xlsx` and `b/表.xlsx` stay
/// apart; or, for a file named itself, its file name.
pub fn relative_name(path: &Path, roots: &[PathBuf]) -> String {
    // No file system call: a file named itself strips to nothing (and is shown by its name),
    // and nothing lies below a file, so only a folder gives a path. The batch asks this of
    // every input.
    for root in roots {
        if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            if !parts.is_empty() {
                return parts.join("/");
            }
        }
    }
    display_name(path)
}

/// The bytes of a file, opened read-only and never modified. Only a regular file is read: a
/// folder, a device or a pipe is refused (checked on the opened handle), and so is a file of
/// more than [`MAX_FILE_BYTES`], counted in bytes actually read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_file_as(path, &display_name(path), MAX_FILE_BYTES)
}

/// [`read_file`] with at most `limit` bytes, its errors naming the file `file`.
fn read_file_as(path: &Path, file: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = file.to_string();
    let io = |e| ReadError::io(&file, e);
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO blocks until a writer comes, unless non-blocking.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let opened = options.open(path);
    // Windows opens no folder for reading: say what it is rather than "access denied".
    if opened.is_err() && path.is_dir() {
        return Err(ReadError::IsDirectory { file });
    }
    let handle = opened.map_err(io)?;
    let meta = handle.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory { file });
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular { file });
    }
    let too_large = |bytes| ReadError::TooLarge {
        file: file.clone(),
        bytes,
        limit,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    handle.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Read a file and put it through the pipeline, in this process or as `process` does, named
/// by its file name.
pub fn process_path(path: &Path, process: &(impl Process + ?Sized)) -> Processed {
    process_named(path, display_name(path), process)
}

/// Read a file and put it through the pipeline as `process` does; `file` names it in
/// messages, the report and `source.file`.
pub fn process_named(path: &Path, file: String, process: &(impl Process + ?Sized)) -> Processed {
    let outcome = match read_file_as(path, &file, MAX_FILE_BYTES) {
        Ok(bytes) => process.process(&file, &bytes),
        Err(e) => Err(Failure::Read(e)),
    };
    Processed { file, outcome }
}

/// [`process_named`] for the files [`collect`] found for the command line's `inputs`, in
/// parallel, in the order given, each named by [`relative_name`].
pub fn process_all(
    paths: &[PathBuf],
    inputs: &[PathBuf],
    process: &(impl Process + ?Sized),
) -> Vec<Processed> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|p| process_named(p, relative_name(p, inputs), process))
        .collect()
}

/// The text of a small file the run is given besides its inputs (a template file), read as it
/// is: UTF-8, whole.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

/// The files directly in `dir` (not in its subfolders) whose extension, in any case, is `ext`,
/// in name order: a folder of template files.
pub fn files_with_extension(dir: &Path, ext: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && has_extension(p, &[ext]))
        .collect();
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_read_says_what_was_looked_for_and_where() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("empty/sub")).unwrap();
        std::fs::write(d.join("empty/sub/notes.txt"), "x").unwrap();
        let rel = |p: &str| d.join(p);
        let said = |named: &[&str], lang| {
            let named: Vec<PathBuf> = named.iter().map(|p| rel(p)).collect();
            let found = collect(&named, Skip::Nothing);
            nothing_found(&named, &found)
                .map(|n| n.message(lang).replace(&format!("{}/", d.display()), ""))
        };
        assert_eq!(
            said(&["empty"], Lang::Zh).unwrap(),
            "在文件夹 empty 中没有找到申报表文件（.xlsx .xlsm .xls .xlsb .ods .csv .json）"
        );
        assert_eq!(
            said(&["newdir/sub"], Lang::Zh).unwrap(),
            "文件夹 newdir 不存在"
        );
        assert_eq!(
            said(&["empty/sub2", "a.xlsx"], Lang::Zh).unwrap(),
            "文件夹 empty/sub2 不存在；文件 a.xlsx 不存在"
        );
        assert_eq!(
            said(&["empty"], Lang::En).unwrap(),
            "no form file (.xlsx .xlsm .xls .xlsb .ods .csv .json) in the folder empty"
        );
        std::fs::write(d.join("a.xlsx"), "x").unwrap();
        assert_eq!(said(&["a.xlsx", "missing.xlsx"], Lang::Zh), None);
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name(Path::new("a/b/申报表.xlsx")), "申报表.xlsx");
        assert_eq!(display_name(Path::new("..")), "..");
    }

    #[test]
    fn names_are_relative_to_the_folder_named() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("区县").join("a.xlsx");
        let root = [dir.path().to_path_buf()];
        assert_eq!(relative_name(&sub, &root), "区县/a.xlsx");
        assert_eq!(relative_name(&dir.path().join("b.csv"), &root), "b.csv");
        assert_eq!(relative_name(&sub, &[]), "a.xlsx");
    }

    /// Regression (issue 10): `check /dev/zero` read without bound (the size check used the
    /// metadata length, 0), and a FIFO blocked for ever.
    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        assert_eq!(
            read_file(Path::new("/dev/zero")),
            Err(ReadError::NotRegular {
                file: "zero".into()
            })
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.xlsx");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the path it is given.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(
            read_file(&fifo),
            Err(ReadError::NotRegular {
                file: "a.xlsx".into()
            })
        );
    }

    /// A file over the limit is refused, by its size before reading.
    #[test]
    fn reading_stops_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        assert_eq!(read_file_as(&path, "big.csv", 100).unwrap().len(), 100);
        assert_eq!(
            read_file_as(&path, "big.csv", 99),
            Err(ReadError::TooLarge {
                file: "big.csv".into(),
                bytes: 100,
                limit: 99,
            })
        );
    }

    /// A `/proc` file says it is 0 bytes long and has content: reading is bounded by what is
    /// read, not by what the metadata says.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_says_it_is_empty_is_still_bounded() {
        let meta = std::fs::metadata("/proc/self/maps").unwrap();
        assert_eq!(meta.len(), 0);
        assert!(matches!(
            read_file_as(Path::new("/proc/self/maps"), "maps", 10),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_folder_or_a_missing_file_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_file(dir.path()),
            Err(ReadError::IsDirectory { .. })
        ));
        let p = process_path(&dir.path().join("none.xlsx"), &Config::default());
        assert_eq!(p.file, "none.xlsx");
        assert!(matches!(p.outcome, Err(Failure::Read(_))));
    }
}
