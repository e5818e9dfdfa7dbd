//! First stage of the pipeline: bytes → [`Workbook`] (sheets of cells with absolute positions and
//! merged ranges). Nothing here knows about the form; `locate` does that.
//!
//! The format is decided from the file's first bytes, never from its extension, so a `.xls`
//! renamed `.xlsx` still reads and an HTML page saved as `.xls` is named for what it is.
//! Reading is bounded (see [`MAX_ROWS`], [`MAX_COLS`], [`MAX_CELL_CHARS`], [`MAX_TEXT_BYTES`],
//! [`MAX_CELL_SLOTS`]): a stray cell at `XFD1048576`, a sheet that inflates to hundreds of
//! megabytes, a cell of 60 MB of text or a damaged `.xls` never makes the reader allocate by a
//! size the file declares. A text cut at [`MAX_CELL_CHARS`] is listed in [`Sheet::cut_cells`].
//! It works on bytes in memory; `crate::inputs` reads files, within [`MAX_FILE_BYTES`].

use crate::model::{DECLARATION_FORMAT, DECLARATION_FORMAT_2};
use rust_decimal::Decimal;

mod biff;
mod cfb;
mod csv;
mod cut;
mod error;
mod formula;
mod number;
mod ods;
mod package;
mod sniff;
mod spreadsheet;

pub use error::{JsonProblem, ReadError};
pub use formula::{FormulaCell, Why as FormulaWhy, MAX_FORMULA_CHARS};
pub use sniff::{sniff, Document, Format};

/// Rows read from one sheet at most. A real form has well under 200 rows; 5,000 leaves room for
/// forms padded with blank rows while bounding time and memory on hostile files.
pub const MAX_ROWS: u32 = 5_000;
/// Columns read from one sheet at most (the official forms use 5 or 6).
pub const MAX_COLS: u32 = 64;
/// Largest input file accepted, in bytes. Real forms are tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Characters kept of one cell's text: Excel's own limit. A longer text is cut to it and the
/// cell listed in [`Sheet::cut_cells`].
pub const MAX_CELL_CHARS: usize = 32_767;
/// Bytes of cell text one workbook holds at most, all sheets together. A form holds well under
/// a megabyte; 20,000 cells each holding one long shared string would otherwise be 2 GB.
pub const MAX_TEXT_BYTES: usize = 64 << 20;
/// Cell slots (and row headers) one workbook holds at most, all sheets together: 64 MB of
/// cells. One sheet within [`MAX_ROWS`] x [`MAX_COLS`] is 320,000 at most; a workbook of a
/// thousand full sheets is not a form.
pub const MAX_CELL_SLOTS: usize = 2_000_000;

/// The value of one cell, as the file stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    Empty,
    Text(String),
    /// A number cell, as a spreadsheet shows it: rounded to 15 significant digits, no needless
    /// zeros (`440.65`, not `440.64999999999998`; a formula's `1485.9600000000003` is `1485.96`).
    Number(Decimal),
    /// A number cell with a percent number format: the stored value (0.98 for `98%`).
    Percent(Decimal),
    Bool(bool),
    /// A date or time cell, as ISO text (`2024-12-31`).
    Date(String),
    /// A formula error such as `#DIV/0!`.
    Error(String),
    /// A formula whose result the file does not hold and jixiao could not work out: not empty
    /// (the officer sees a value there), but no value either. Its text is in
    /// [`Sheet::formulas`], counted once against the sheet's text budget there.
    Formula,
}

impl CellValue {
    /// Bytes of text the value holds, for the workbook's budget.
    fn text_len(&self) -> usize {
        match self {
            CellValue::Text(t) | CellValue::Date(t) | CellValue::Error(t) => t.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The text of the cell as a person reads it: numbers as their shortest decimal, a percent
    /// cell as `98%`, a [`CellValue::Formula`] as nothing. A percent too large to scale by 100 (above ~7.9e26, only in a hostile
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
            // What Excel would show is not known: nothing, as the normalizer reads it (it says
            // why at the field).
            CellValue::Formula => String::new(),
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
    /// True when the workbook hides the sheet (Excel's hidden and very hidden sheets, an ODS
    /// table whose style says `table:display="false"`): an officer who opens the file does not
    /// see it.
    pub hidden: bool,
    /// True when values were dropped: cells holding something beyond [`MAX_ROWS`] ×
    /// [`MAX_COLS`], cells past the workbook's [`MAX_TEXT_BYTES`] or [`MAX_CELL_SLOTS`], or a
    /// document whose reading stopped before its end. Blank cells dropped beyond the bounds
    /// (formatting only) do not count.
    pub truncated: bool,
    /// `(row, col)` of the cells whose text was longer than [`MAX_CELL_CHARS`] characters and
    /// was cut to that many, in the order they were read. Their text is kept, cut; the sheet
    /// is not marked truncated for them.
    pub cut_cells: Vec<(u32, u32)>,
    /// The formula cells whose file holds no result (openpyxl and report generators write them
    /// so), in the order read, each with the value worked out (`read/formula.rs`) or why there is
    /// none. Their cells hold that value, or [`CellValue::Formula`]. Within the sheet's bounds
    /// and budgets, like its cells.
    pub formulas: Vec<FormulaCell>,
    /// What this sheet may take of the workbook's budgets, and what it has taken.
    room: Room,
    used: Budget,
}

/// Text bytes and cell slots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Budget {
    text: usize,
    slots: usize,
}

/// A sheet's share of the workbook's budgets: by default all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Room(Budget);

impl Default for Room {
    fn default() -> Room {
        Room(Budget {
            text: MAX_TEXT_BYTES,
            slots: MAX_CELL_SLOTS,
        })
    }
}

impl Sheet {
    /// The first (or only) sheet of a workbook: it may take the whole of the workbook's budgets.
    /// A sheet of texts, a row per slice (`""` an empty cell): for tests that lay a form out.
    #[cfg(test)]
    pub(crate) fn of_texts(rows: &[&[&str]]) -> Sheet {
        let mut s = Sheet::new("Sheet1");
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    s.set(r as u32, c as u32, CellValue::Text(v.to_string()));
                }
            }
        }
        s
    }

    pub fn new(name: impl Into<String>) -> Sheet {
        Sheet {
            name: name.into(),
            ..Sheet::default()
        }
    }

    /// The next sheet of a workbook that already holds `before`: it may take what they left.
    pub fn after(name: impl Into<String>, before: &[Sheet]) -> Sheet {
        let mut sheet = Sheet::new(name);
        for s in before {
            sheet.room.0.text = sheet.room.0.text.saturating_sub(s.used.text);
            sheet.room.0.slots = sheet.room.0.slots.saturating_sub(s.used.slots);
        }
        sheet
    }

    /// Put a cell. Cells outside the bounds are dropped and, unless blank, mark the sheet
    /// truncated; empty values allocate nothing. A text longer than [`MAX_CELL_CHARS`] is cut
    /// to it and the cell listed in [`Sheet::cut_cells`]. A cell the workbook's budgets cannot
    /// take is dropped and marks the sheet truncated.
    pub fn set(&mut self, row: u32, col: u32, mut value: CellValue) {
        if value.is_empty() {
            return;
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            self.truncated = true;
            return;
        }
        let (r, c) = (row as usize, col as usize);
        let mut cut = false;
        if let CellValue::Text(text) = &mut value {
            if let Some((at, _)) = text.char_indices().nth(MAX_CELL_CHARS) {
                text.truncate(at);
                text.shrink_to_fit();
                cut = true;
            }
        }
        let text = value.text_len();
        let slots = (r + 1).saturating_sub(self.rows.len())
            + (c + 1).saturating_sub(self.rows.get(r).map_or(0, Vec::len));
        // A value put over another gives that one's text back.
        let replaced = self
            .rows
            .get(r)
            .and_then(|cells| cells.get(c))
            .map_or(0, CellValue::text_len);
        let text_after = self.used.text - replaced + text;
        if text_after > self.room.0.text || self.used.slots + slots > self.room.0.slots {
            self.truncated = true;
            return;
        }
        if cut {
            self.cut_cells.push((row, col));
        }
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, CellValue::Empty);
        }
        self.used.text = text_after;
        self.used.slots += slots;
        cells[c] = value;
    }

    /// Note a formula cell whose file holds no result, to be worked out once the sheet is read
    /// (`read/formula.rs`); `percent` when its number format shows a percent. Dropped (and
    /// the sheet marked truncated) beyond the bounds or budgets, like a cell; a formula longer
    /// than [`MAX_FORMULA_CHARS`] is kept cut to it (it is not worked out).
    pub fn set_formula(&mut self, row: u32, col: u32, formula: &str, percent: bool) {
        if row >= MAX_ROWS || col >= MAX_COLS {
            self.truncated = true;
            return;
        }
        let formula = match formula.char_indices().nth(MAX_FORMULA_CHARS + 1) {
            Some((at, _)) => &formula[..at],
            None => formula,
        };
        if self.used.text + formula.len() > self.room.0.text
            || self.used.slots + 1 > self.room.0.slots
        {
            self.truncated = true;
            return;
        }
        self.used.text += formula.len();
        self.used.slots += 1;
        self.formulas.push(FormulaCell {
            row,
            col,
            formula: formula.to_string(),
            percent,
            value: Err(FormulaWhy::Unsupported),
        });
    }

    /// Keep these merged ranges when the workbook's budget of cell slots can take them (one slot
    /// each); otherwise the sheet goes without merge information.
    pub fn set_merges(&mut self, merges: Vec<Span>) {
        if self.used.slots + merges.len() > self.room.0.slots {
            self.merges.clear();
            self.has_merge_info = false;
            return;
        }
        self.used.slots += merges.len();
        self.merges = merges;
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

    /// The part of the sheet inside `span`, every cell at its own address (a form to the right
    /// of another keeps its `H4`): the rest is empty. A merged range is kept when its top-left
    /// cell lies inside, cut at the span's edges; the sheet's name, visibility, truncation and
    /// the cut cells inside go with it. The part takes no more than the sheet holds.
    pub fn crop(&self, span: Span) -> Sheet {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .take(span.last_row.saturating_add(1) as usize)
            .map(|(r, cells)| {
                if (r as u32) < span.first_row {
                    return Vec::new();
                }
                let end = cells.len().min(span.last_col.saturating_add(1) as usize);
                let mut out: Vec<CellValue> = Vec::with_capacity(end);
                for (c, v) in cells.iter().enumerate().take(end) {
                    out.push(if (c as u32) < span.first_col {
                        CellValue::Empty
                    } else {
                        v.clone()
                    });
                }
                out
            })
            .collect();
        let merges = self
            .merges
            .iter()
            .filter(|m| span.contains(m.first_row, m.first_col))
            .map(|m| Span {
                last_row: m.last_row.min(span.last_row),
                last_col: m.last_col.min(span.last_col),
                ..*m
            })
            .collect();
        Sheet {
            name: self.name.clone(),
            rows,
            merges,
            has_merge_info: self.has_merge_info,
            hidden: self.hidden,
            truncated: self.truncated,
            cut_cells: (self.cut_cells.iter())
                .filter(|&&(r, c)| span.contains(r, c))
                .copied()
                .collect(),
            formulas: (self.formulas.iter())
                .filter(|f| span.contains(f.row, f.col))
                .cloned()
                .collect(),
            room: self.room,
            used: self.used,
        }
    }

    /// The smallest span holding every non-empty cell of the sheet inside `within`; `None`
    /// when there is none.
    pub fn used_span(&self, within: Span) -> Option<Span> {
        let mut used: Option<Span> = None;
        for row in within.first_row..=within.last_row.min(self.height().saturating_sub(1)) {
            for (col, _) in self.row_cells(row) {
                if !within.contains(row, col) {
                    continue;
                }
                let s = used.get_or_insert(Span {
                    first_row: row,
                    first_col: col,
                    last_row: row,
                    last_col: col,
                });
                s.first_col = s.first_col.min(col);
                s.last_col = s.last_col.max(col);
                s.last_row = row;
            }
        }
        used
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
    let bad = |problem| ReadError::BadJson {
        file: file.to_string(),
        problem,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad(match e.is_eof() {
            true => JsonProblem::Truncated,
            false => JsonProblem::Syntax {
                line: e.line(),
                column: e.column(),
            },
        })
    })?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let format = item.get("format").and_then(|f| f.as_str());
            if format != Some(DECLARATION_FORMAT) && format != Some(DECLARATION_FORMAT_2) {
                return Err(bad(JsonProblem::NotARecord));
            }
            serde_json::from_value(item).map_err(|e| bad(JsonProblem::of_record(i + 1, &e)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;

    /// A JSON input that holds no record says why in the officer's words, not serde's: where
    /// the text breaks, that it is cut short, that it is no jixiao record, which key a record
    /// lacks; only a wrongly typed value keeps serde's words, inside the sentence.
    #[test]
    fn json_that_is_no_record_says_why() {
        let said = |text: &str, lang| match records_from_json("r.json", text.as_bytes()) {
            Ok(_) => panic!("{text} read"),
            Err(e) => e.message(lang),
        };
        assert_eq!(
            said("{\"a\": 1}}", Lang::Zh),
            "r.json：JSON 格式有误，在第 1 行第 9 列附近"
        );
        assert_eq!(
            said("{\"a\": 1}}", Lang::En),
            "r.json: the JSON is malformed near line 1, column 9"
        );
        assert_eq!(
            said("[{\"a\": ", Lang::Zh),
            "r.json：JSON 内容不完整，文件在中途就结束了"
        );
        assert_eq!(
            said("{\"must_find\": []}", Lang::Zh),
            "r.json：这个 JSON 文件不是 jixiao 写出的申报表记录（记录应以 \"format\": \"jixiao.declaration/1\" 开头）"
        );
        let expected = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/panyu.expected.json"
        ))
        .unwrap();
        let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
        let panyu = expected["records"].to_string();
        assert!(records_from_json("r.json", panyu.as_bytes()).is_ok());
        let mut second: serde_json::Value = serde_json::from_str(&panyu).unwrap();
        second.as_object_mut().unwrap().remove("source");
        let two = format!("[{panyu}, {second}]");
        assert_eq!(said(&two, Lang::Zh), "r.json：第 2 条记录缺少“source”一项");
        assert_eq!(said(&two, Lang::En), "r.json: record 2 has no \"source\"");
        let mut year: serde_json::Value = serde_json::from_str(&panyu).unwrap();
        year["year"] = "明年".into();
        assert_eq!(
            said(&year.to_string(), Lang::Zh),
            "r.json：第 1 条记录中有一项的值不合格式（invalid type: string \"明年\", expected i32）"
        );
    }

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

    /// Guards the cell text bound: a text past MAX_CELL_CHARS characters keeps that many and
    /// the cell is listed; a text of exactly that many is untouched.
    #[test]
    fn long_text_is_cut_and_listed() {
        let mut s = Sheet::new("S");
        s.set(0, 0, CellValue::Text("名".repeat(MAX_CELL_CHARS)));
        s.set(2, 1, CellValue::Text("名".repeat(MAX_CELL_CHARS + 5)));
        assert_eq!(s.cut_cells, [(2, 1)]);
        assert_eq!(s.get(2, 1), &CellValue::Text("名".repeat(MAX_CELL_CHARS)));
        assert_eq!(s.get(0, 0), &CellValue::Text("名".repeat(MAX_CELL_CHARS)));
        assert!(!s.truncated);
    }

    /// Guards the workbook's budgets: they span its sheets (a sheet started after others takes
    /// what they left), a cell past them is dropped and marks its sheet, and a replaced cell
    /// gives its text's room back.
    #[test]
    fn budgets_span_the_workbook() {
        let long = CellValue::Text("a".repeat(MAX_CELL_CHARS));
        let fit = (MAX_TEXT_BYTES / MAX_CELL_CHARS) as u32;
        let mut first = Sheet::new("A");
        for i in 0..fit {
            first.set(i % MAX_ROWS, i / MAX_ROWS, long.clone());
        }
        assert!(!first.truncated);
        first.set(MAX_ROWS - 1, MAX_COLS - 1, long.clone());
        assert!(first.truncated);
        assert!(first.get(MAX_ROWS - 1, MAX_COLS - 1).is_empty());

        let left = MAX_TEXT_BYTES - fit as usize * MAX_CELL_CHARS;
        let mut second = Sheet::after("B", std::slice::from_ref(&first));
        second.set(0, 0, CellValue::Text("x".repeat(left)));
        assert!(!second.truncated);
        second.set(1, 0, CellValue::Text("y".into()));
        assert!(second.truncated);
        second.set(0, 0, CellValue::Text("z".into()));
        second.truncated = false;
        second.set(1, 0, CellValue::Text("y".repeat(left - 1)));
        assert!(!second.truncated);

        // Merged ranges take slots: past the budget the sheet has no merge information.
        let mut third = Sheet::after("C", &[first, second]);
        third.has_merge_info = true;
        let span = Span {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 1,
        };
        third.set_merges(vec![span; 3]);
        assert_eq!(third.merges.len(), 3);
        third.set_merges(vec![span; MAX_CELL_SLOTS]);
        assert!(third.merges.is_empty() && !third.has_merge_info);
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
