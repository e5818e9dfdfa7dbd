//! jixiao (绩效): reads department budget performance target forms (部门整体预算绩效目标申报表)
//! in whatever shape they arrive, and turns them into typed, checked, corrected records.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! read      bytes → Workbook (cells with absolute positions, merges)
//! locate    Workbook + Template → RawForm (each field's cell and raw value)
//! normalize RawForm → Declaration + Changes (every correction recorded)
//! check     Declaration → Findings
//! write     Declaration + Findings + Changes → workbook, JSON, CSV
//! ```

pub mod app;
pub mod category;
pub mod check;
pub mod cli;
pub mod locate;
pub mod merge;
pub mod messages;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod serve;
pub mod target;
pub mod template;
pub mod text;
pub mod write;
