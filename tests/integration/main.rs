//! One integration test binary, a module per feature, so the suite links once.

mod check;
mod cli;
mod common;
mod merge;
mod read;
mod records;
mod roundtrip;
mod serve;
mod write;
