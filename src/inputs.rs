//! The edge where inputs come from the file system: which files a command's arguments name
//! (folders searched for spreadsheets, a run's own outputs left out), reading each one,
//! bounded, into bytes for [`crate::pipeline::process`], and the template file a run is given
//! (`--template`). Everything past this module works on bytes in memory.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::pipeline::{self, Config, Failure, Processed};
use crate::read::{ReadError, MAX_FILE_BYTES};
use crate::template::{Template, TemplateError};

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

/// The name an input of a batch is reported by (RECORDS.md §2: `file`): its path below the
/// folder named on the command line, folders joined by `/` whatever the system (`区县/表.xlsx`,
/// as the web server names a folder upload's files), so that `a/表.xlsx` and `b/表.xlsx` stay
/// apart; or, for a file named itself, its file name.
pub fn relative_name(path: &Path, roots: &[PathBuf]) -> String {
    for root in roots {
        if root.is_dir() {
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
    }
    display_name(path)
}

/// The bytes of a file, opened read-only and never modified. A folder, or a file larger than
/// [`MAX_FILE_BYTES`], is refused before anything is read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_file_as(path, &display_name(path))
}

/// [`read_file`], its errors naming the file `file`.
fn read_file_as(path: &Path, file: &str) -> Result<Vec<u8>, ReadError> {
    let file = file.to_string();
    let meta = std::fs::metadata(path).map_err(|e| ReadError::io(&file, e))?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory { file });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            file,
            bytes: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    std::fs::read(path).map_err(|e| ReadError::io(&file, e))
}

/// Read a file and put it through the pipeline, named by its file name.
pub fn process_path(path: &Path, config: &Config) -> Processed {
    process_named(path, display_name(path), config)
}

/// Read a file and put it through the pipeline; `file` names it in messages, the report and
/// `source.file`.
pub fn process_named(path: &Path, file: String, config: &Config) -> Processed {
    let outcome = match read_file_as(path, &file) {
        Ok(bytes) => pipeline::process(&file, &bytes, config),
        Err(e) => Err(Failure::Read(e)),
    };
    Processed { file, outcome }
}

/// [`process_named`] for the files [`collect`] found for the command line's `inputs`, in
/// parallel, in the order given, each named by [`relative_name`].
pub fn process_all(paths: &[PathBuf], inputs: &[PathBuf], config: &Config) -> Vec<Processed> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|p| process_named(p, relative_name(p, inputs), config))
        .collect()
}

/// Files processed at once by [`process_in_order`]: enough to keep every thread busy between
/// two hand-overs, few enough that the outcomes waiting to be consumed stay small (three
/// chunks at most: one consumed, one waiting, one being processed).
const CHUNK: usize = 64;

/// [`process_all`] as a stream: the outcomes handed to `each` one at a time, in the order of
/// `paths`, while the files after them are being processed, so that a consumer that writes
/// each outcome out (`merge`) holds only a few chunks of [`CHUNK`] outcomes whatever the
/// number of files. `each` stops the batch by returning [`ControlFlow::Break`].
///
/// The chunks go through [`process_all`], whatever it runs on; only the hand-over is here.
pub fn process_in_order(
    paths: &[PathBuf],
    inputs: &[PathBuf],
    config: &Config,
    mut each: impl FnMut(Processed) -> ControlFlow<()>,
) {
    // One chunk waits while the consumer works through the one before.
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::scope(|s| {
        s.spawn(move || {
            for chunk in paths.chunks(CHUNK) {
                // The consumer has stopped: leave the rest.
                if tx.send(process_all(chunk, inputs, config)).is_err() {
                    break;
                }
            }
        });
        'chunks: for chunk in rx {
            for p in chunk {
                if each(p).is_break() {
                    break 'chunks;
                }
            }
        }
    });
}

/// The built-in templates, with a template file (`--template`) first; a built-in one of the
/// same id is replaced by the file, not kept behind it.
pub fn templates(extra: Option<&Path>) -> Result<Vec<Template>, TemplateError> {
    let mut templates = Template::builtin();
    if let Some(path) = extra {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError {
            file: file.clone(),
            detail: e.to_string(),
        })?;
        let t = Template::parse(&file, &text)?;
        templates.retain(|b| b.id != t.id);
        templates.insert(0, t);
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `template --template FILE` kept the built-in of the same id behind the file.
    #[test]
    fn a_template_file_replaces_the_builtin_of_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gz.toml");
        let builtin = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/gz-dept-overall.toml"),
        )
        .unwrap();
        std::fs::write(&path, builtin).unwrap();
        let all = templates(Some(&path)).unwrap();
        assert_eq!(all.len(), Template::builtin().len());
        assert_eq!(all.iter().filter(|t| t.id == "gz-dept-overall").count(), 1);
        assert_eq!(all[0].id, "gz-dept-overall");
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
