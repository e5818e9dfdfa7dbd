//! jixiao (绩效): reads department budget performance target forms (部门整体预算绩效目标申报表)
//! in whatever shape they arrive, and turns them into typed, checked, corrected records.
//!
//! The pipeline, one module per stage, behind [`pipeline::process`] (bytes and a file name in,
//! forms with their findings and changes out):
//!
//! ```text
//! read      bytes → Workbook (cells with absolute positions, merges), or typed JSON records
//! locate    Workbook + Template → RawForm (each field's cell and raw value)
//! normalize RawForm → Declaration + Changes (every correction recorded)
//! check     Declaration → Findings
//! write     Declaration + Findings + Changes → workbook, JSON, CSV
//! ```
//!
//! Above the stages, [`cmd`] holds the commands (the only code that prints or decides an exit
//! status) and [`inputs`] finds and reads their files. Below them, [`model`] holds the records
//! and [`messages`] every sentence and the check catalogue; `messages` imports nothing of the
//! crate, and no stage imports a command.

pub mod category;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod inputs;
pub mod locate;
pub mod messages;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod target;
pub mod template;
pub mod text;
#[cfg(unix)]
pub mod worker;
pub mod write;
