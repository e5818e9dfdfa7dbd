//! Target values: `≧12次` → [`Target`] (FORM.md §3.1, RECORDS.md §1).
use crate::model::Target;
use crate::read::CellValue;

/// Parse a target written as text.
pub fn parse(raw: &str) -> Target {
    let _ = raw;
    todo!("target helper")
}

/// Parse a target from a cell (a percent-formatted number 0.98 reads as `98%`).
pub fn from_cell(value: &CellValue) -> Target {
    parse(&value.display())
}
