//! jixiao (绩效): reads department budget performance target forms (部门整体预算绩效目标申报表)
//! and project forms (项目支出绩效目标申报表) in whatever shape they arrive, and turns them into
//! typed, checked, corrected records.
//!
//! The pipeline, one module per stage, behind [`pipeline::process`] (bytes and a file name in,
//! forms with their findings and changes out):
//!
//! ```text
//! read      bytes → Workbook (cells with absolute positions, merges), or typed JSON records
//! locate    Workbook + Templates → RawForms, one per sheet holding a form (each field's cell and raw value)
//! normalize RawForm → Declaration + Changes (every correction recorded)
//! check     Declaration → Findings
//! write     Declaration + Findings + Changes → workbook, JSON, CSV
//! ```
//!
//! Above the stages stands the application layer, [`app`]: the batch (what is read, what is
//! skipped and why, duplicates, the outputs' names, the templates of a run) and one function
//! per verb, `check`, `convert`, `merge` and `template`, each taking the inputs, the
//! configuration and a cancel flag and giving back typed results (the [`report`], the output
//! files, the tally of [`consolidate`]). [`inputs`] finds and reads files for it.
//!
//! Above that stand two doors, in the binary and not in this library: `src/cmd/` holds the
//! commands and `src/serve/` the web server of `jixiao serve` (the only code that prints or
//! decides an exit status or an HTTP answer; the server only with the `serve` feature, on by
//! default). They parse what they are given, call a verb and present what it gives. A library
//! user (`jixiao = { default-features = false }`) gets the engine without either. Below everything,
//! [`model`] holds the records and [`messages`] every sentence and the check catalogue;
//! `messages` imports nothing of the crate, and no stage imports the application layer or a
//! door (docs/ARCHITECTURE.md).

pub mod app;
pub mod category;
pub mod check;
pub mod consolidate;
pub mod docs;
pub mod draft;
pub mod inputs;
pub mod locate;
pub mod messages;
pub mod model;
pub mod normalize;
pub mod os_error;
pub mod pipeline;
pub mod place;
pub mod read;
pub mod report;
pub mod target;
pub mod template;
pub mod text;
pub mod trial;
#[cfg(unix)]
pub mod worker;
pub mod write;
