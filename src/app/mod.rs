//! The application layer: the batch, written once for both doors (the command line of
//! `src/cmd/` and the page of `src/serve/`). A door parses what it was given (arguments, a
//! request), builds a [`Batch`] and a [`Config`], calls one verb ([`check`], [`convert`],
//! [`merge`], [`template`]) and presents the typed result it gets back (text or JSON, files on
//! disk or a download, an exit status or an HTTP status). Everything in between is here:
//!
//! - **What is read**: the files a command line names, folders searched
//!   ([`Batch::of_paths`], through [`crate::inputs::collect`]), or the files of an upload
//!   ([`Batch::of_files`]; a template file among them is a template for that batch, not a
//!   form, [`templates`]).
//! - **What is skipped, and why**: every rule that leaves an input out is listed at
//!   [`Batch`]. One of them needs the file read: jixiao's own outputs that hold no form (a
//!   consolidated workbook beside the forms) are left out after reading, each with a
//!   [`Skipped`] note, never counted as an unreadable form.
//! - **Duplicates**: a department sent twice is flagged in `check` ([`check::check`]) and in
//!   `merge` (as it streams, [`crate::consolidate`]).
//! - **Naming**: the outputs of `convert` ([`convert::Naming`]).
//! - **Templates**: which templates a run has ([`templates`]).
//!
//! Below it stand the stages ([`crate::pipeline`]) and the writers ([`crate::write`]); it
//! imports no door, and no stage or writer imports it. docs/ARCHITECTURE.md draws the layers.

pub mod check;
pub mod convert;
pub mod merge;
pub mod template;
pub mod templates;

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::inputs::{self, NothingFound, Process, Readers, Skip};
use crate::messages::Lang;
use crate::pipeline::{Config, Failure, Processed};
use crate::read::ReadError;
use crate::template::Template;
use crate::write::mark::OwnKind;

/// What a verb runs with besides its inputs.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    /// The templates and the options of the run.
    pub config: &'a Config,
    /// What puts each input through the pipeline: worker processes, or this process.
    pub readers: &'a Readers,
    /// Set when the run is given up (a request over its time limit, a client gone): the
    /// inputs not yet read are left, and the verb answers [`Cancelled`].
    pub cancel: &'a AtomicBool,
    /// The language of the sentences the results hold (a report's messages).
    pub lang: Lang,
}

/// The run was given up before every input was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// A file given to a batch in memory: the page's upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The name it is shown by (a relative path, `部门A/某局.xlsx`); never opened as a path.
    pub name: String,
    /// Its bytes, or why there are none (over the upload's per-file limit).
    pub bytes: Result<Vec<u8>, ReadError>,
}

/// The inputs of one run, in the order they are read and reported.
///
/// The rules that leave a file out, all of them:
///
/// 1. Inside a folder named on the command line, only spreadsheets, the documents a department
///    may send instead of one, no `~$` lock file and no symlinked folder
///    ([`crate::inputs::collect`]; the page's folder picker takes the same files, from the
///    extensions `/api/info` gives it). A file named itself is always read.
/// 2. Inside a folder, the run's own output (`merge -o 汇总.xlsx` in the folder it merges, a
///    `convert -o DIR` beside the forms): the [`Skip`] the door gives [`Batch::of_paths`].
/// 3. Among the files of an upload, a template file (`.toml`): a template for the batch, not
///    a form ([`Batch::of_files`]).
/// 4. After reading, one of jixiao's own outputs that holds no form (a consolidated
///    workbook, an indicator table, a report; [`OwnKind::is_form`]): left out with a
///    [`Skipped`] note, in every verb and through both doors ([`skipped`]).
#[derive(Debug)]
pub struct Batch {
    inputs: Inputs,
}

#[derive(Debug)]
enum Inputs {
    /// Files found from the paths named on the command line, named below them.
    Paths {
        paths: Vec<PathBuf>,
        named: Vec<PathBuf>,
    },
    Files(Vec<File>),
}

impl Batch {
    /// The files the paths `named` give (folders searched, the run's own output `skip` left
    /// out, rules 1 and 2 at [`Batch`]); [`NothingFound`] when none of them exists, which
    /// every command refuses before writing anything.
    pub fn of_paths(named: &[PathBuf], skip: Skip) -> Result<Batch, NothingFound> {
        let paths = inputs::collect(named, skip);
        if let Some(none) = inputs::nothing_found(named, &paths) {
            return Err(none);
        }
        Ok(Batch {
            inputs: Inputs::Paths {
                paths,
                named: named.to_vec(),
            },
        })
    }

    /// Files in memory, in the order given. The template files among them (rule 3 at
    /// [`Batch`], [`templates::is_template_file`]) are no input: they are loaded into
    /// `templates` for this batch, before the ones there and replacing those of the same id
    /// ([`templates::add_uploaded`]); one that is no template is the error.
    pub fn of_files(
        files: Vec<File>,
        templates: &mut Vec<Template>,
    ) -> Result<Batch, templates::TemplateFileError> {
        let (given, files): (Vec<File>, Vec<File>) = files
            .into_iter()
            .partition(|f| templates::is_template_file(&f.name));
        templates::add_uploaded(templates, given)?;
        Ok(Batch {
            inputs: Inputs::Files(files),
        })
    }

    /// How many inputs the batch has.
    pub fn len(&self) -> usize {
        match &self.inputs {
            Inputs::Paths { paths, .. } => paths.len(),
            Inputs::Files(files) => files.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The files on disk the batch reads, for a door that writes beside them: an output is
    /// never written over one ([`crate::write::check_output`]). None for files in memory.
    pub fn paths(&self) -> &[PathBuf] {
        match &self.inputs {
            Inputs::Paths { paths, .. } => paths,
            Inputs::Files(_) => &[],
        }
    }

    /// Input `i` read and put through the pipeline by `process`, named as the batch shows it
    /// (a path below the folder named, [`inputs::relative_name`]; an upload's name).
    fn process_one(&self, i: usize, process: &(impl Process + ?Sized)) -> Processed {
        match &self.inputs {
            Inputs::Paths { paths, named } => {
                let path = &paths[i];
                inputs::process_named(path, inputs::relative_name(path, named), process)
            }
            Inputs::Files(files) => {
                let f = &files[i];
                let outcome = match &f.bytes {
                    Ok(bytes) => process.process(&f.name, bytes),
                    Err(e) => Err(Failure::Read(e.clone())),
                };
                Processed {
                    file: f.name.clone(),
                    outcome,
                }
            }
        }
    }

    /// Inputs `range` in parallel, in order; `None` once `cancel` is set.
    fn process_range(
        &self,
        range: std::ops::Range<usize>,
        process: &(impl Process + ?Sized),
        cancel: &AtomicBool,
    ) -> Option<Vec<Processed>> {
        range
            .into_par_iter()
            .map(|i| (!cancel.load(Ordering::Relaxed)).then(|| self.process_one(i, process)))
            .collect()
    }

    /// Every input read and put through the pipeline, in parallel, in order, and the rule of
    /// [`skipped`] applied: what each input gave, and the ones left out.
    fn read(&self, run: &Run) -> Result<Read, Cancelled> {
        let processed = run
            .readers
            .run(run.config, |p| {
                self.process_range(0..self.len(), p, run.cancel)
            })
            .ok_or(Cancelled)?;
        let mut read = Read::default();
        for p in processed {
            match skipped(&p) {
                Some(s) => read.skipped.push(s),
                None => read.processed.push(p),
            }
        }
        Ok(read)
    }

    /// [`Batch::read`] as a stream, for a consumer that writes each input out as it comes
    /// (`merge`), so that memory stays flat however many inputs: chunks of [`CHUNK`] are put
    /// through the pipeline on the readers' threads while `each` takes the outcomes of the
    /// chunk before, one at a time, in order, on a thread of its own. `each` stops the batch
    /// with [`ControlFlow::Break`].
    fn read_in_order(
        &self,
        run: &Run,
        mut each: impl FnMut(Processed) -> ControlFlow<()> + Send,
    ) -> Result<(), Cancelled> {
        run.readers.run(run.config, |process| {
            std::thread::scope(|s| {
                // One chunk waits while the consumer works through the one before. The sender
                // is this closure's: it goes when the closure ends, however it ends, and the
                // consumer's loop with it, before the scope waits for the consumer.
                let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Processed>>(1);
                s.spawn(move || {
                    'chunks: for chunk in rx {
                        for p in chunk {
                            if each(p).is_break() {
                                break 'chunks;
                            }
                        }
                    }
                });
                let n = self.len();
                for start in (0..n).step_by(CHUNK) {
                    let Some(chunk) =
                        self.process_range(start..n.min(start + CHUNK), process, run.cancel)
                    else {
                        return Err(Cancelled);
                    };
                    // The consumer has stopped: leave the rest.
                    if tx.send(chunk).is_err() {
                        break;
                    }
                }
                Ok(())
            })
        })
    }
}

/// Inputs processed at once by [`Batch::read_in_order`]: enough to keep every thread busy
/// between two hand-overs, few enough that the outcomes waiting to be consumed stay small
/// (three chunks at most: one consumed, one waiting, one being processed).
const CHUNK: usize = 64;

/// What a batch gave: each input's outcome in order, and the inputs left out.
#[derive(Debug, Default)]
struct Read {
    processed: Vec<Processed>,
    skipped: Vec<Skipped>,
}

/// An input left out of a batch after it was read, and why: one of jixiao's own outputs that
/// holds no form. A door says it (a line on standard error, a note on the page); it is no
/// unreadable input, and no entry of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The input's name, as the batch shows it.
    pub file: String,
    /// What kind of output of jixiao's it is.
    pub kind: OwnKind,
}

impl Skipped {
    /// `汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过`.
    pub fn message(&self, lang: Lang) -> String {
        crate::pipeline::own_output_message(&self.file, self.kind, lang)
    }
}

/// The rule that leaves an input out once read (rule 4 at [`Batch`]): one of jixiao's own
/// outputs that holds no form, as the pipeline recognised it ([`Failure::OwnOutput`]).
pub fn skipped(p: &Processed) -> Option<Skipped> {
    match &p.outcome {
        Err(Failure::OwnOutput { kind, .. }) => Some(Skipped {
            file: p.file.clone(),
            kind: *kind,
        }),
        _ => None,
    }
}

/// The readers of a run that starts its own (a command): up to `workers` worker processes;
/// when they cannot be started, this process, and the sentence that says so.
pub fn start_readers(workers: usize, lang: Lang) -> (Readers, Option<String>) {
    let (readers, failed) = Readers::start(workers);
    let said = failed
        .map(|e| crate::messages::worker::NO_WORKERS.render(lang, &[("detail", &e.to_string())]));
    (readers, said)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::read(dir.join(name)).unwrap()
    }

    fn run<T>(config: &Config, f: impl FnOnce(&Run) -> T) -> T {
        let readers = Readers::in_process();
        let cancel = AtomicBool::new(false);
        f(&Run {
            config,
            readers: &readers,
            cancel: &cancel,
            lang: Lang::Zh,
        })
    }

    /// Regression (issue 18): the page read a consolidated workbook of jixiao's among the
    /// uploads as an unreadable form, where the command line leaves it out with a note.
    #[test]
    fn own_outputs_are_left_out_with_a_note_whatever_the_door() {
        let config = Config::default();
        let merged = {
            use crate::write::merge::{MergeBook, Spill};
            let book = MergeBook::new(&config.templates, false, Spill::Memory, Lang::Zh).unwrap();
            let mut out = std::io::Cursor::new(Vec::new());
            book.finish(&[], &mut out, "汇总.xlsx").unwrap();
            out.into_inner()
        };
        let files = vec![
            File {
                name: "panyu.xlsx".into(),
                bytes: Ok(fixture("panyu.xlsx")),
            },
            File {
                name: "上月/汇总.xlsx".into(),
                bytes: Ok(merged),
            },
        ];
        let batch = Batch::of_files(files, &mut Vec::new()).unwrap();
        let read = run(&config, |r| batch.read(r)).unwrap();
        assert_eq!(read.processed.len(), 1);
        assert_eq!(read.processed[0].file, "panyu.xlsx");
        assert_eq!(
            read.skipped,
            [Skipped {
                file: "上月/汇总.xlsx".into(),
                kind: OwnKind::Merge
            }]
        );
        assert_eq!(
            read.skipped[0].message(Lang::Zh),
            "上月/汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过"
        );
    }

    /// A cancelled run reads nothing more and says so.
    #[test]
    fn a_cancelled_run_stops() {
        let config = Config::default();
        let files = (0..3)
            .map(|i| File {
                name: format!("{i}.xlsx"),
                bytes: Ok(fixture("panyu.xlsx")),
            })
            .collect();
        let batch = Batch::of_files(files, &mut Vec::new()).unwrap();
        let readers = Readers::in_process();
        let cancel = AtomicBool::new(true);
        let r = Run {
            config: &config,
            readers: &readers,
            cancel: &cancel,
            lang: Lang::Zh,
        };
        assert_eq!(batch.read(&r).unwrap_err(), Cancelled);
        assert_eq!(
            batch.read_in_order(&r, |_| ControlFlow::Continue(())),
            Err(Cancelled)
        );
    }

    /// The stream hands every outcome over in the batch's order, across chunks.
    #[test]
    fn the_stream_keeps_the_order_across_chunks() {
        let config = Config::default();
        let bytes = fixture("flat-export.csv");
        let files = (0..CHUNK * 2 + 3)
            .map(|i| File {
                name: format!("{i:03}.csv"),
                bytes: Ok(bytes.clone()),
            })
            .collect();
        let batch = Batch::of_files(files, &mut Vec::new()).unwrap();
        let mut seen = Vec::new();
        run(&config, |r| {
            batch.read_in_order(r, |p| {
                seen.push(p.file);
                ControlFlow::Continue(())
            })
        })
        .unwrap();
        let expected: Vec<String> = (0..CHUNK * 2 + 3).map(|i| format!("{i:03}.csv")).collect();
        assert_eq!(seen, expected);
    }
}
