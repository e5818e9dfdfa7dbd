//! One integration test binary, a module per feature, so the suite links once.

mod browser;
mod check;
mod cli;
mod common;
mod docs;
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
mod serve;
mod usage;
mod write;

/// The form generator the merge benchmark uses too.
#[path = "../support/forms.rs"]
mod forms;
