//! One integration test binary, a module per feature, so the suite links once.

mod check;
mod cli;
mod common;
mod faults;
mod generated;
mod layout;
mod merge;
mod mutants;
mod read;
mod records;
mod robust;
mod roundtrip;
mod write;

/// The form generator the merge benchmark uses too.
#[path = "../support/forms.rs"]
mod forms;
