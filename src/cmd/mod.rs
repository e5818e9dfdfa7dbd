//! The commands, one file each: arguments → a [`Batch`](jixiao::app::Batch) and a [`Config`] →
//! one verb of [`jixiao::app`] → what it gave, printed or put on disk → exit status. This is
//! the only place (with the web server, `crate::serve`, which `serve` starts) that prints or
//! decides an exit status; nothing below it imports it. What is read, skipped and named is the
//! application layer's; what is here is the command line's: its arguments, its words on
//! standard output and error, and where the outputs go on disk
//! ([`jixiao::write::write_output`]). Standard output and error are written through `output`:
//! no print here panics.

mod check;
mod convert;
mod merge;
mod output;
#[cfg(feature = "serve")]
mod serve;
mod template;
pub mod usage;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use crate::cli::{Cli, Command, Common};
use jixiao::app::{self, Cancelled, Run, Skipped};
use jixiao::messages::Lang;
use jixiao::pipeline::Config;
use jixiao::template::Template;

/// Exit status: every input read, no error finding.
pub const EXIT_OK: u8 = 0;
/// Exit status: an input could not be read, or (for `check`) a form has an error.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit status: the command line or the environment was wrong (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;

/// A problem with the invocation rather than with an input.
#[derive(Debug)]
pub struct UsageError(pub String);

/// The program: the command line parsed in the officer's language ([`usage::parse`]), then
/// run.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env = std::env::var_os(usage::LANG_VAR);
    match usage::parse(args, env.as_deref()) {
        usage::Parsed::Run(cli) => run(cli),
        usage::Parsed::Exit(code) => ExitCode::from(code),
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    ignore_file_size_signal();
    let result = match cli.command {
        Command::Convert(args) => convert::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Template(args) => template::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
    };
    let code = match result {
        Ok(code) => code,
        Err(UsageError(msg)) => {
            output::note(&format!("jixiao: {msg}"));
            EXIT_USAGE
        }
    };
    if code == EXIT_OK && output::stderr_failed() {
        return ExitCode::from(EXIT_PROBLEM);
    }
    ExitCode::from(code)
}

/// A file size limit (`ulimit -f`) sends SIGXFSZ, which kills the process and leaves its
/// temporary file. Ignored, the write fails with EFBIG instead, and the run says so
/// ([`jixiao::os_error::Problem::SizeLimit`]) and removes it.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Never set: a command runs to its end (Ctrl+C ends the process).
static NOT_CANCELLED: AtomicBool = AtomicBool::new(false);

/// Call `f` with the run of a command: the configuration, and a pool of worker processes to
/// read the inputs in ([`app::start_readers`]), or this process on systems without them or
/// when they cannot be started (said on standard error).
fn with_run<R>(config: &Config, lang: Lang, f: impl FnOnce(&Run) -> R) -> R {
    let (readers, said) = app::start_readers(rayon::current_num_threads(), lang);
    if let Some(said) = said {
        output::note(&said);
    }
    f(&Run {
        config,
        readers: &readers,
        cancel: &NOT_CANCELLED,
        lang,
    })
}

/// A command is never cancelled ([`NOT_CANCELLED`]).
fn never(_: Cancelled) -> ! {
    unreachable!("a command's run is never cancelled")
}

/// Say on standard error each input the batch left out ([`app::skipped`]): they are no
/// failed forms.
fn say_skipped(skipped: &[Skipped], lang: Lang) {
    for s in skipped {
        output::note(&s.message(lang));
    }
}

/// The run configuration from the shared options.
fn config(common: &Common) -> Result<Config, UsageError> {
    let lang = common.lang.into();
    Ok(Config {
        templates: templates(&common.template, common.templates.as_deref(), lang)?,
        year: common.year,
        min_satisfaction: common.min_satisfaction,
    })
}

/// The templates of a run ([`app::templates::templates`]) given `--template FILE`...,
/// `--templates DIR` and the environment ([`app::templates::TEMPLATES_VAR`]); why not, in
/// `lang`.
fn templates(
    files: &[PathBuf],
    folder: Option<&Path>,
    lang: Lang,
) -> Result<Vec<Template>, UsageError> {
    let env_folder = std::env::var_os(app::templates::TEMPLATES_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let sources = app::templates::Sources {
        files: files.to_vec(),
        folder: folder.map(Path::to_path_buf),
        env_folder,
    };
    app::templates::templates(&sources).map_err(|e| UsageError(e.message(lang)))
}
