//! The commands, one file each: arguments → [`Config`] → library calls → output → exit status.
//! This is the only place (with the web server, [`crate::serve`], which `serve` starts) that
//! prints or decides an exit status; nothing below it imports it. Files are found and read
//! through [`crate::inputs`], every form goes through [`crate::pipeline`] (in worker
//! processes, `crate::worker`, on unix), and every output is built by [`crate::write`] as bytes
//! and put on disk by [`crate::write::write_output`]. Standard output and error are written
//! through `output`: no print here panics.

mod check;
mod convert;
mod merge;
mod output;
mod serve;
mod template;
pub mod usage;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command, Common};
use crate::inputs::{self, Process};
use crate::messages::{self, Lang};
use crate::pipeline::{Config, Failure, Processed};
use crate::template::Template;

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
/// ([`crate::os_error::Problem::SizeLimit`]) and removes it.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Call `f` with what puts the inputs' bytes through the pipeline: a pool of worker processes
/// with the run's configuration ([`inputs::Readers`]), or this process on systems without them
/// or when they cannot be started (said on standard error).
fn with_workers<R: Send>(
    config: &Config,
    lang: Lang,
    f: impl FnOnce(&dyn Process) -> R + Send,
) -> R {
    let (readers, failed) = inputs::Readers::start(rayon::current_num_threads());
    if let Some(e) = failed {
        output::note(&messages::worker::NO_WORKERS.render(lang, &[("detail", &e.to_string())]));
    }
    readers.run(config, f)
}

/// Leave out the inputs that are jixiao's own outputs and hold no form (a consolidated
/// workbook beside the forms), each with one note: they are not failed forms.
fn skip_own_outputs<T>(
    items: Vec<T>,
    failure: impl Fn(&T) -> Option<&Failure>,
    lang: Lang,
) -> Vec<T> {
    items
        .into_iter()
        .filter(|item| match failure(item) {
            Some(f @ Failure::OwnOutput { .. }) => {
                output::note(&f.message(lang));
                false
            }
            _ => true,
        })
        .collect()
}

/// The run configuration from the shared options.
fn config(common: &Common) -> Result<Config, UsageError> {
    Ok(Config {
        templates: templates(common.template.as_deref(), common.lang.into())?,
        year: common.year,
        min_satisfaction: common.min_satisfaction,
    })
}

/// The built-in templates and the one of `--template` ([`inputs::templates`]); why not, in
/// `lang`.
fn templates(extra: Option<&Path>, lang: Lang) -> Result<Vec<Template>, UsageError> {
    inputs::templates(extra).map_err(|e| UsageError(e.message(lang)))
}

/// Say on standard error why each input that gave no form gave none; whether any did.
fn report_failures<'a>(processed: impl IntoIterator<Item = &'a Processed>, lang: Lang) -> bool {
    let mut failed = false;
    for p in processed {
        if let Err(f) = &p.outcome {
            output::note(&f.message(lang));
            failed = true;
        }
    }
    failed
}
