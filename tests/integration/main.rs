//! One integration test binary, a module per feature, so the suite links once.

// The page and its HTTP API need the server: the `serve` feature (on by default).
#[cfg(feature = "serve")]
mod browser;
mod check;
mod cli;
mod common;
mod docs;
#[cfg(feature = "serve")]
mod doors;
#[cfg(unix)]
mod faults;
mod generated;
mod layout;
mod merge;
#[cfg(unix)]
mod mutants;
mod read;
mod records;
#[cfg(unix)]
mod robust;
mod roundtrip;
#[cfg(feature = "serve")]
mod serve;
mod templates;
mod usage;
mod write;

/// The form generator the merge benchmark uses too.
#[path = "../support/forms.rs"]
mod forms;
