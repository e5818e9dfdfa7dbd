//! Standard output and standard error without panics. `println!` and `eprintln!` panic when the
//! write fails (`> /dev/full`, `2> /dev/full`); these say what failed instead, and the exit
//! status remembers it.
//!
//! - Standard output failing is the command's result lost: a full disk is said on standard
//!   error and the status is [`EXIT_PROBLEM`](super::EXIT_PROBLEM); a closed pipe (`jixiao check
//!   . | head`: the reader stopped reading) ends quietly with [`EXIT_PIPE`], 141, the status a
//!   shell shows for a program killed by SIGPIPE (Rust programs ignore the signal and see the
//!   error instead; the worker processes' pipes need it ignored).
//! - Standard error failing leaves nowhere to say anything: the line is lost, and a run that
//!   would have ended with status 0 ends with [`EXIT_PROBLEM`](super::EXIT_PROBLEM), since
//!   something it had to say was not said.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use jixiao::messages::{self, Lang};
use jixiao::os_error::{Access, OsError, Thing};

/// Exit status after standard output was closed by its reader.
pub const EXIT_PIPE: u8 = 141;

static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// A line on standard error.
pub fn note(line: &str) {
    let mut err = io::stderr().lock();
    let written = err
        .write_all(line.as_bytes())
        .and_then(|()| err.write_all(b"\n"))
        .and_then(|()| err.flush());
    if written.is_err() {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// Whether a line could not be written to standard error.
pub fn stderr_failed() -> bool {
    STDERR_FAILED.load(Ordering::Relaxed)
}

/// Bytes on standard output, flushed.
pub fn stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// The exit status after standard output failed with `e`, the failure said where it can be.
pub fn stdout_failed(e: &io::Error, lang: Lang) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return EXIT_PIPE;
    }
    let what = messages::cli::STDOUT.get(lang);
    let reason = OsError::of(e).message(lang, what, Access::Write, Thing::File);
    note(&messages::cli::STDOUT_FAILED.render(lang, &[("reason", &reason)]));
    super::EXIT_PROBLEM
}
