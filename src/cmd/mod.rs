//! The commands, one file each: arguments → [`Config`] → library calls → output → exit status.
//! This is the only place (with the web server, [`crate::serve`], which `serve` starts) that
//! prints or decides an exit status; nothing below it imports it. Files are found and read
//! through [`crate::inputs`], every form goes through [`crate::pipeline`], and every output is
//! built by [`crate::write`] as bytes and put on disk by [`crate::write::write_output`].

mod check;
mod convert;
mod merge;
mod serve;
mod template;
pub mod usage;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command, Common};
use crate::inputs;
use crate::messages::Lang;
use crate::pipeline::{Config, Processed};
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
    let result = match cli.command {
        Command::Convert(args) => convert::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Serve(args) => serve::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(msg)) => {
            eprintln!("jixiao: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
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
fn report_failures(processed: &[Processed], lang: Lang) -> bool {
    let mut failed = false;
    for p in processed {
        if let Err(f) = &p.outcome {
            eprintln!("{}", f.message(lang));
            failed = true;
        }
    }
    failed
}
