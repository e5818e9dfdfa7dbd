//! One integration test binary, a module per feature, so the suite links once.

mod browser;
mod check;
mod cli;
mod common;
mod docs;
mod generated;
mod layout;
mod merge;
mod read;
mod records;
mod roundtrip;
mod serve;
mod usage;
mod write;

/// The form generator the merge benchmark uses too.
#[path = "../support/forms.rs"]
mod forms;
