//! The edge where inputs come from the file system: which files a command's arguments name
//! (folders searched for spreadsheets, a run's own outputs left out), and reading each one,
//! bounded, into bytes for a [`Process`]: [`crate::pipeline::process`] in this process, or a
//! worker process (`crate::worker`). Everything past this module works on bytes in memory.
//!
//! Only regular files are read. A file is opened without blocking (a FIFO put in a form's
//! place must not hang a batch), the opened handle is checked, not the path (it may have been
//! replaced since), and reading stops one byte past [`MAX_FILE_BYTES`] however large the file
//! says it is (`/proc` files say 0).

use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Extensions searched for inside folders (OUTPUT.md §2). Files named explicitly are read
/// whatever their extension: the content decides.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"];

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
        } else if path.is_file() && has_input_extension(&path) && !is_lock_file(&path) {
            out.push(path);
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
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

/// The name shown for an input of a batch: its path below the folder named on the command
/// line, or its file name.
pub fn relative_name(path: &Path, roots: &[PathBuf]) -> String {
    for root in roots {
        if root.is_dir() {
            if let Ok(rel) = path.strip_prefix(root) {
                return rel.display().to_string();
            }
        }
    }
    display_name(path)
}

/// The bytes of a file, opened read-only and never modified. Only a regular file is read: a
/// folder, a device or a pipe is refused (checked on the opened handle), and so is a file of
/// more than [`MAX_FILE_BYTES`], counted in bytes actually read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_file_within(path, MAX_FILE_BYTES)
}

fn read_file_within(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = display_name(path);
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
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            file,
            bytes: meta.len(),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    handle.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            file,
            bytes: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Read a file and put it through the pipeline, in this process or as `process` does.
pub fn process_path(path: &Path, process: &(impl Process + ?Sized)) -> Processed {
    let file = display_name(path);
    let outcome = match read_file(path) {
        Ok(bytes) => process.process(&file, &bytes),
        Err(e) => Err(Failure::Read(e)),
    };
    Processed { file, outcome }
}

/// [`process_path`] for many files, in parallel, in the order given.
pub fn process_all(paths: &[PathBuf], process: &(impl Process + ?Sized)) -> Vec<Processed> {
    use rayon::prelude::*;
    paths.par_iter().map(|p| process_path(p, process)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(display_name(Path::new("a/b/申报表.xlsx")), "申报表.xlsx");
        assert_eq!(display_name(Path::new("..")), "..");
    }

    #[test]
    fn names_are_relative_to_the_folder_named() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("区县").join("a.xlsx");
        assert_eq!(
            relative_name(&sub, &[dir.path().to_path_buf()]),
            format!("区县{}a.xlsx", std::path::MAIN_SEPARATOR)
        );
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
        assert_eq!(read_file_within(&path, 100).unwrap().len(), 100);
        assert_eq!(
            read_file_within(&path, 99),
            Err(ReadError::TooLarge {
                file: "big.csv".into(),
                bytes: 100
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
            read_file_within(Path::new("/proc/self/maps"), 10),
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
