//! First stage of the pipeline: bytes → [`Workbook`] (sheets of cells with absolute positions and
//! merged ranges). Nothing here knows about the form; `locate` does that.
//!
//! The format is decided from the file's first bytes, never from its extension, so a `.xls`
//! renamed `.xlsx` still reads and an HTML page saved as `.xls` is named for what it is.
//! Reading is bounded (see [`MAX_ROWS`], [`MAX_COLS`]): a stray cell at `XFD1048576` or a sheet
//! that inflates to hundreds of megabytes never makes the reader allocate by declared size.
//! It works on bytes in memory; `crate::inputs` reads files, within [`MAX_FILE_BYTES`].

use rust_decimal::Decimal;

mod biff;
mod cfb;
mod csv;
mod error;
mod number;
mod ods;
mod sniff;
mod spreadsheet;

pub use error::ReadError;
pub use sniff::{sniff, Document, Format};

/// Rows read from one sheet at most. A real form has well under 200 rows; 5,000 leaves room for
/// forms padded with blank rows while bounding time and memory on hostile files.
pub const MAX_ROWS: u32 = 5_000;
/// Columns read from one sheet at most (the official forms use 5 or 6).
pub const MAX_COLS: u32 = 64;
/// Largest input file accepted, in bytes. Real forms are tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The value of one cell, as the file stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    Empty,
    Text(String),
    /// A number cell, already the shortest decimal that reads back as the same `f64`
    /// (`440.65`, not `440.64999999999998`).
    Number(Decimal),
    /// A number cell with a percent number format: the stored value (0.98 for `98%`).
    Percent(Decimal),
    Bool(bool),
    /// A date or time cell, as ISO text (`2024-12-31`).
    Date(String),
    /// A formula error such as `#DIV/0!`.
    Error(String),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The text of the cell as a person reads it: numbers as their shortest decimal, a percent
    /// cell as `98%`. A percent too large to scale by 100 (above ~7.9e26, only in a hostile
    /// file) shows as its stored number.
    pub fn display(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.clone(),
            CellValue::Number(d) => d.normalize().to_string(),
            CellValue::Percent(d) => match d.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) => format!("{}%", p.normalize()),
                None => d.normalize().to_string(),
            },
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date(s) => s.clone(),
            CellValue::Error(e) => e.clone(),
        }
    }
}

/// A rectangle of cells, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Span {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        row >= self.first_row
            && row <= self.last_row
            && col >= self.first_col
            && col <= self.last_col
    }
}

/// One sheet: its cells (absolute positions) and its merged ranges.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// `rows[r][c]`; rows and columns beyond the last non-empty cell are absent.
    rows: Vec<Vec<CellValue>>,
    pub merges: Vec<Span>,
    /// False for formats that carry no merge information (ODS through calamine, CSV).
    pub has_merge_info: bool,
    /// True when values were dropped: cells holding something beyond [`MAX_ROWS`] ×
    /// [`MAX_COLS`], text cut at a cell's length limit, or a document whose reading stopped
    /// before its end. Blank cells dropped beyond the bounds (formatting only) do not count.
    pub truncated: bool,
}

impl Sheet {
    pub fn new(name: impl Into<String>) -> Sheet {
        Sheet {
            name: name.into(),
            ..Sheet::default()
        }
    }

    /// Put a cell. Cells outside the bounds are dropped and, unless blank, mark the sheet
    /// truncated; empty values allocate nothing.
    pub fn set(&mut self, row: u32, col: u32, value: CellValue) {
        if value.is_empty() {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            self.truncated = true;
            return;
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, CellValue::Empty);
        }
        cells[c] = value;
    }

    pub fn get(&self, row: u32, col: u32) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        self.rows
            .get(row as usize)
            .and_then(|cells| cells.get(col as usize))
            .unwrap_or(&EMPTY)
    }

    /// Number of rows up to the last one that holds a cell.
    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    /// Number of columns up to the rightmost cell of any row.
    pub fn width(&self) -> u32 {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0) as u32
    }

    /// The non-empty cells of a row, left to right.
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = (u32, &CellValue)> {
        self.rows
            .get(row as usize)
            .into_iter()
            .flat_map(|cells| cells.iter().enumerate())
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| (c as u32, v))
    }

    /// The merged range whose top-left or interior holds this cell.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Span> {
        self.merges.iter().find(|m| m.contains(row, col))
    }

    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(CellValue::is_empty))
    }
}

/// Everything read from one input file.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The file name as given (no directories), for messages and `source.file`.
    pub file: String,
    pub format: Format,
    pub sheets: Vec<Sheet>,
}

/// What an input turned out to hold.
#[derive(Debug, Clone)]
pub enum Input {
    /// A spreadsheet or delimited text: cells to locate the form in.
    Workbook(Workbook),
    /// A JSON declaration record (docs/RECORDS.md §1), or several.
    Records(Vec<crate::model::Declaration>),
}

/// Read an input held in memory; `file` names it in messages.
pub fn read_bytes(file: &str, bytes: &[u8]) -> Result<Input, ReadError> {
    let format = sniff(bytes);
    match format {
        Format::Json => records_from_json(file, bytes).map(Input::Records),
        Format::Csv => csv::read(file, bytes).map(Input::Workbook),
        Format::Xlsx | Format::Xls | Format::Xlsb | Format::Ods => {
            spreadsheet::read(file, format, bytes).map(Input::Workbook)
        }
        other => Err(ReadError::from_format(file, other)),
    }
}

/// Parse a JSON declaration or an array of them.
pub fn records_from_json(
    file: &str,
    bytes: &[u8],
) -> Result<Vec<crate::model::Declaration>, ReadError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |_| ReadError::NotAForm {
            file: file.to_string(),
            what: "JSON".into(),
        },
    )?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ReadError::BadJson {
        file: file.to_string(),
        detail: e.to_string(),
    })?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            serde_json::from_value(item).map_err(|e| ReadError::BadJson {
                file: file.to_string(),
                detail: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards the truncated flag: a value beyond the bounds marks the sheet, a blank (only
    /// formatted) cell there does not, since nothing of the form is lost.
    #[test]
    fn set_marks_truncated_only_for_values() {
        let mut s = Sheet::new("S");
        s.set(0, MAX_COLS, CellValue::Empty);
        s.set(MAX_ROWS, 0, CellValue::Text("  ".into()));
        assert!(!s.truncated);
        s.set(0, 0, CellValue::Text("a".into()));
        assert!(!s.truncated);
        s.set(MAX_ROWS, 0, CellValue::Number(Decimal::ONE));
        assert!(s.truncated);
        let mut s = Sheet::new("S");
        s.set(0, MAX_COLS, CellValue::Text("far".into()));
        assert!(s.truncated);
        assert!(s.is_blank());
    }

    /// Guards `display` against overflow: a percent cell above ~7.9e26 cannot be scaled by 100
    /// and once panicked; it shows its stored number instead.
    #[test]
    fn huge_percent_displays_without_panic() {
        assert_eq!(
            CellValue::Percent(Decimal::MAX).display(),
            Decimal::MAX.to_string()
        );
        assert_eq!(
            CellValue::Percent(Decimal::MIN).display(),
            Decimal::MIN.to_string()
        );
        assert_eq!(CellValue::Percent(Decimal::new(98, 2)).display(), "98%");
    }
}
