//! OpenDocument spreadsheets (`.ods`, LibreOffice / WPS) → sheets, by streaming `content.xml`.
//!
//! calamine reads ODS into a dense `Range` and expands `number-rows-repeated` and
//! `number-columns-repeated` up to a million rows (a cell limit of 10⁸), and it drops merged
//! ranges. Reading `content.xml` here as a stream keeps memory bounded by [`MAX_ROWS`] ×
//! [`MAX_COLS`] whatever the repeat counts say, keeps the merges
//! (`number-columns-spanned` / `number-rows-spanned`), sees percent cells
//! (`office:value-type="percentage"`) and hidden sheets (a table whose automatic style says
//! `<style:table-properties table:display="false"/>`, as LibreOffice writes a hidden sheet).

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use rust_decimal::Decimal;

use super::cut::{CutReader, Cutter};
use super::number::decimal_from_f64;
use super::{CellValue, ReadError, Sheet, Span, MAX_CELL_CHARS, MAX_COLS, MAX_ROWS};

/// Decompressed `content.xml` read at most. A filled form is well under a megabyte; past this a
/// zip bomb or a padded file is cut, and its sheets marked truncated.
const MAX_CONTENT_BYTES: u64 = 256 * 1024 * 1024;

/// Characters collected of one cell's text: one more than a cell may hold, so that
/// `Sheet::set` sees the text is too long, cuts it to [`MAX_CELL_CHARS`] and records the cell.
/// `<text:s text:c="1024"/>` repeated would otherwise make one cell hundreds of megabytes.
const KEPT_CHARS: usize = MAX_CELL_CHARS + 1;

/// A reader that reports end of input after `left` bytes, remembering that it cut.
struct Capped<R> {
    inner: R,
    left: u64,
    cut: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            self.cut = self.inner.read(&mut [0u8; 1])? > 0;
            return Ok(0);
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

impl PendingCell {
    /// Add content text, up to [`KEPT_CHARS`]. A typed cell's value is in its attributes;
    /// its text (a formatted copy) is not kept at all.
    fn push_text(&mut self, s: &str) {
        if !self.text_is_value || self.cut {
            return;
        }
        let room = KEPT_CHARS - self.chars;
        let mut taken = 0;
        for (i, (at, _)) in s.char_indices().enumerate() {
            if i == room {
                self.text.push_str(&s[..at]);
                self.chars += taken;
                self.cut = true;
                return;
            }
            taken = i + 1;
        }
        self.text.push_str(s);
        self.chars += taken;
    }

    /// Add `n` copies of `c`, up to [`KEPT_CHARS`].
    fn push_repeated(&mut self, c: char, n: usize) {
        if !self.text_is_value || self.cut {
            return;
        }
        let room = KEPT_CHARS - self.chars;
        if n > room {
            self.cut = true;
        }
        let n = n.min(room);
        self.text.extend(std::iter::repeat_n(c, n));
        self.chars += n;
    }
}

/// The cell being read.
#[derive(Default)]
struct PendingCell {
    value: Option<CellValue>,
    /// Whether the content text is the value (strings, errors, cells with no type).
    text_is_value: bool,
    is_error: bool,
    text: String,
    /// Characters in `text`, to apply [`KEPT_CHARS`] without recounting.
    chars: usize,
    /// Whether text was cut at [`KEPT_CHARS`].
    cut: bool,
    paragraphs: usize,
    repeat: u32,
    covered: bool,
    span: (u32, u32),
}

struct State {
    sheets: Vec<Sheet>,
    sheet: Option<Sheet>,
    /// `table:table` elements open: 1 inside a sheet, more inside a table nested in a cell, whose
    /// rows and cells are not part of the grid.
    table_depth: usize,
    row: u32,
    col: u32,
    row_repeat: u32,
    /// Cells of the current row, placed once the row's repeat count is applied.
    row_cells: Vec<(u32, CellValue)>,
    cell: Option<PendingCell>,
    in_paragraph: usize,
    in_annotation: usize,
    /// The table style being read in `office:automatic-styles`, if any.
    table_style: Option<String>,
    /// Table styles that hide their table.
    hidden_styles: std::collections::HashSet<String>,
}

pub(super) fn read(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    read_capped(file, bytes, MAX_CONTENT_BYTES)
}

/// [`read`] with `content.xml` cut after `cap` bytes.
fn read_capped(file: &str, bytes: &[u8], cap: u64) -> Result<Vec<Sheet>, ReadError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::corrupt(file, e))?;
    if is_encrypted(&mut zip) {
        return Err(ReadError::Encrypted {
            file: file.to_string(),
        });
    }
    let content = zip
        .by_name("content.xml")
        .map_err(|e| ReadError::corrupt(file, format!("content.xml: {e}")))?;
    let mut capped = Capped {
        inner: content,
        left: cap,
        cut: false,
    };
    // Long texts are cut before the XML parser buffers them: one cell of 60 MB took 60 MB.
    let cutter = Cutter::new(&["table-cell", "covered-table-cell"], "", u64::MAX);
    let mut xml = Reader::from_reader(BufReader::new(CutReader::new(&mut capped, cutter)));
    let config = xml.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;

    let mut st = State {
        sheets: Vec::new(),
        sheet: None,
        table_depth: 0,
        row: 0,
        col: 0,
        row_repeat: 1,
        row_cells: Vec::new(),
        cell: None,
        in_paragraph: 0,
        in_annotation: 0,
        table_style: None,
        hidden_styles: Default::default(),
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            // Cut at the cap, the XML usually ends inside a tag: the document is cut short, not
            // damaged.
            Err(_) if xml.get_ref().get_ref().get_ref().cut => break,
            Err(e) => return Err(ReadError::corrupt(file, format!("content.xml: {e}"))),
        };
        match event {
            Event::Start(e) => st.start(&e),
            Event::End(e) => st.end(e.name().as_ref()),
            Event::Text(t) if st.collects_text() => st.push_text(&t.xml10_content()),
            Event::CData(t) if st.collects_text() => st.push_text(&t),
            Event::GeneralRef(r) if st.collects_text() => {
                let resolved = quick_xml::escape::resolve_xml_entity(&r)
                    .map(str::to_string)
                    .or_else(|| r.resolve_char_ref().ok().flatten().map(String::from));
                if let Some(s) = resolved {
                    st.push_text(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A document cut short (zip bomb, truncated content) keeps what was read.
    if let Some(mut sheet) = st.sheet.take() {
        sheet.truncated = true;
        st.sheets.push(sheet);
    }
    if capped.cut {
        // What follows the cut is unknown: the sheet being read, or sheets not reached.
        if let Some(last) = st.sheets.last_mut() {
            last.truncated = true;
        }
    }
    Ok(st.sheets)
}

/// An encrypted ODS still has a readable zip directory; its manifest names the encryption.
fn is_encrypted<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> bool {
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    manifest
        .take(4 * 1024 * 1024)
        .read_to_string(&mut text)
        .is_ok()
        && text.contains("encryption-data")
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

impl State {
    fn collects_text(&self) -> bool {
        self.in_paragraph > 0 && self.in_annotation == 0 && self.table_depth <= 1
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.name();
        if name.as_ref() == "table:table" {
            self.table_depth += 1;
            if self.table_depth == 1 {
                let name = attr(e, "table:name").unwrap_or_default();
                let hidden = attr(e, "table:style-name")
                    .is_some_and(|style| self.hidden_styles.contains(&style));
                self.sheet = Some(Sheet {
                    has_merge_info: true,
                    hidden,
                    ..Sheet::after(name, &self.sheets)
                });
                self.row = 0;
            }
            return;
        }
        // Everything inside a table nested in a cell is skipped, its text included.
        if self.table_depth > 1 {
            return;
        }
        match name.as_ref() {
            // The automatic styles come before the body: a table's style is known when the
            // table starts.
            "style:style" if attr(e, "style:family").as_deref() == Some("table") => {
                self.table_style = attr(e, "style:name");
            }
            "style:table-properties" => {
                if let Some(style) = &self.table_style {
                    if attr(e, "table:display").as_deref() == Some("false") {
                        self.hidden_styles.insert(style.clone());
                    }
                }
            }
            "table:table-row" if self.sheet.is_some() => {
                self.col = 0;
                self.row_repeat = count(e, "table:number-rows-repeated");
                self.row_cells.clear();
            }
            name @ ("table:table-cell" | "table:covered-table-cell") if self.sheet.is_some() => {
                let mut cell = PendingCell {
                    repeat: count(e, "table:number-columns-repeated"),
                    covered: name == "table:covered-table-cell",
                    span: (
                        count(e, "table:number-rows-spanned"),
                        count(e, "table:number-columns-spanned"),
                    ),
                    ..PendingCell::default()
                };
                let value_type = attr(e, "office:value-type");
                let number = || attr(e, "office:value").and_then(|v| parse_number(&v));
                cell.value = match value_type.as_deref() {
                    Some("float" | "currency") => number().map(CellValue::Number),
                    Some("percentage") => number().map(CellValue::Percent),
                    Some("date") => attr(e, "office:date-value").map(|d| {
                        CellValue::Date(
                            d.strip_suffix("T00:00:00").map(str::to_string).unwrap_or(d),
                        )
                    }),
                    Some("time") => attr(e, "office:time-value").map(CellValue::Date),
                    Some("boolean") => attr(e, "office:boolean-value")
                        .map(|b| CellValue::Bool(b.eq_ignore_ascii_case("true"))),
                    Some("string") => attr(e, "office:string-value").map(CellValue::Text),
                    _ => None,
                };
                cell.text_is_value = cell.value.is_none();
                cell.is_error = attr(e, "calcext:value-type").as_deref() == Some("error");
                self.cell = Some(cell);
            }
            "office:annotation" => self.in_annotation += 1,
            "text:p" | "text:h" => {
                self.in_paragraph += 1;
                if self.in_annotation == 0 {
                    if let Some(cell) = self.cell.as_mut() {
                        if cell.paragraphs > 0 {
                            cell.push_text("\n");
                        }
                        cell.paragraphs += 1;
                    }
                }
            }
            "text:s" if self.collects_text() => {
                let n = count(e, "text:c").min(1024) as usize;
                if let Some(cell) = self.cell.as_mut() {
                    cell.push_repeated(' ', n);
                }
            }
            "text:tab" if self.collects_text() => self.push_text("\t"),
            "text:line-break" if self.collects_text() => self.push_text("\n"),
            _ => {}
        }
    }

    fn push_text(&mut self, s: &str) {
        if let Some(cell) = self.cell.as_mut() {
            cell.push_text(s);
        }
    }

    fn end(&mut self, name: &str) {
        if name == "table:table" {
            if self.table_depth == 1 {
                if let Some(sheet) = self.sheet.take() {
                    self.sheets.push(sheet);
                }
            }
            self.table_depth = self.table_depth.saturating_sub(1);
            return;
        }
        if self.table_depth > 1 {
            return;
        }
        match name {
            "style:style" => self.table_style = None,
            "table:table-row" if self.sheet.is_some() => self.end_row(),
            "table:table-cell" | "table:covered-table-cell" => self.end_cell(),
            "office:annotation" => self.in_annotation = self.in_annotation.saturating_sub(1),
            "text:p" | "text:h" => self.in_paragraph = self.in_paragraph.saturating_sub(1),
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else { return };
        let Some(sheet) = self.sheet.as_mut() else {
            return;
        };
        let value = match cell.value {
            _ if cell.covered => CellValue::Empty,
            Some(v) => v,
            None if cell.is_error => CellValue::Error(cell.text),
            None if cell.text_is_value && !cell.text.is_empty() => CellValue::Text(cell.text),
            None => CellValue::Empty,
        };
        if !cell.covered
            && (cell.span.0 > 1 || cell.span.1 > 1)
            && self.row < MAX_ROWS
            && self.col < MAX_COLS
        {
            sheet.merges.push(Span {
                first_row: self.row,
                first_col: self.col,
                last_row: self.row.saturating_add(cell.span.0 - 1),
                last_col: self.col.saturating_add(cell.span.1 - 1),
            });
        }
        if !value.is_empty() {
            if self.col.saturating_add(cell.repeat) > MAX_COLS || self.row >= MAX_ROWS {
                sheet.truncated = true;
            }
            let end = self.col.saturating_add(cell.repeat).min(MAX_COLS);
            if self.row < MAX_ROWS {
                for c in self.col..end {
                    self.row_cells.push((c, value.clone()));
                }
            }
        }
        self.col = self.col.saturating_add(cell.repeat);
    }

    fn end_row(&mut self) {
        let Some(sheet) = self.sheet.as_mut() else {
            return;
        };
        if !self.row_cells.is_empty() {
            if self.row.saturating_add(self.row_repeat) > MAX_ROWS {
                sheet.truncated = true;
            }
            let end = self.row.saturating_add(self.row_repeat).min(MAX_ROWS);
            for r in self.row..end {
                for (c, v) in &self.row_cells {
                    sheet.set(r, *c, v.clone());
                }
            }
        }
        self.row_cells.clear();
        self.row = self.row.saturating_add(self.row_repeat);
    }
}

/// `office:value` as the `f64` it stands for, then its shortest decimal, like any spreadsheet
/// number; `None` when it is not a finite number a `Decimal` can hold.
fn parse_number(v: &str) -> Option<Decimal> {
    v.trim().parse::<f64>().ok().and_then(decimal_from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An ODS package holding only `content.xml` with these `<table:table>` elements: all the
    /// reader opens.
    fn ods(tables: &str) -> Vec<u8> {
        ods_with_styles("", tables)
    }

    /// [`ods`] with these automatic styles before the body.
    fn ods_with_styles(styles: &str, tables: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
        .expect("write");
        zip.finish().expect("finish").into_inner()
    }

    /// Guards the cell text cap: 200 `<text:s text:c="1024"/>` in one cell (a few kilobytes of
    /// XML) once became 204,800 characters; a hostile file repeats it into hundreds of megabytes.
    /// The cell keeps its first MAX_CELL_CHARS characters and is listed as cut.
    #[test]
    fn cell_text_is_capped() {
        let spaces = r#"<text:s text:c="1024"/>"#.repeat(200);
        let bytes = ods(&format!(
            r#"<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>a{spaces}b</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="5"><text:p>5{spaces}</text:p></table:table-cell></table:table-row></table:table>"#
        ));
        let sheets = read("cap.ods", &bytes).expect("reads");
        let s = &sheets[0];
        let CellValue::Text(t) = s.get(0, 0) else {
            panic!("A1 is {:?}", s.get(0, 0))
        };
        assert_eq!(t.chars().count(), MAX_CELL_CHARS);
        assert!(t.starts_with("a "));
        assert_eq!(s.cut_cells, [(0, 0)]);
        assert!(!s.truncated);
        assert_eq!(s.get(0, 1), &CellValue::Number(Decimal::from(5)));
    }

    /// A typed cell's value comes from its attributes: its display text is never collected.
    #[test]
    fn typed_cell_collects_no_text() {
        let mut cell = PendingCell {
            text_is_value: false,
            ..PendingCell::default()
        };
        cell.push_text("12.50");
        cell.push_repeated(' ', 1024);
        assert!(cell.text.is_empty());
    }

    /// Guards a cut `content.xml` (the zip-bomb cap): the XML then ends inside a tag, which once
    /// made the whole file "damaged"; the cells read before the cut are kept, marked truncated.
    #[test]
    fn content_cut_at_the_cap_keeps_what_was_read() {
        let rows = r#"<table:table-row><table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row>"#.repeat(50);
        let bytes = ods(&format!(
            r#"<table:table table:name="S"><table:table-row><table:table-cell><text:p>部门名称</text:p></table:table-cell></table:table-row>{rows}</table:table>"#
        ));
        let sheets = read_capped("cut.ods", &bytes, 2_000).expect("reads");
        let s = &sheets[0];
        assert!(s.truncated);
        assert_eq!(s.get(0, 0), &CellValue::Text("部门名称".into()));
        assert_eq!(s.get(1, 0), &CellValue::Number(Decimal::from(7)));
        let whole = read("whole.ods", &bytes).expect("reads");
        assert!(!whole[0].truncated);
        assert_eq!(whole[0].height(), 51);
    }

    /// Blank cells repeated far to the right and down (formatting) are not dropped content.
    #[test]
    fn repeated_blank_cells_do_not_truncate() {
        let bytes = ods(
            r#"<table:table table:name="S"><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
        );
        let sheets = read("blank.ods", &bytes).expect("reads");
        assert!(!sheets[0].truncated);
        assert_eq!((sheets[0].height(), sheets[0].width()), (1, 1));
    }

    /// A sheet LibreOffice hides has a table style with `table:display="false"`; the others,
    /// and a table whose style says nothing of display, are visible.
    #[test]
    fn hidden_sheets_are_known() {
        let styles = r#"<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style><style:style style:name="ce1" style:family="table-cell"><style:table-properties table:display="false"/></style:style>"#;
        let table = |name: &str, style: &str| {
            format!(
                r#"<table:table table:name="{name}" table:style-name="{style}"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
            )
        };
        let tables = [
            table("旧表", "ta2"),
            table("申报表", "ta1"),
            table("其他", "ce1"),
            table("无样式", "none"),
        ]
        .concat();
        let sheets = read("h.ods", &ods_with_styles(styles, &tables)).expect("reads");
        let hidden: Vec<(&str, bool)> =
            sheets.iter().map(|s| (s.name.as_str(), s.hidden)).collect();
        assert_eq!(
            hidden,
            [
                ("旧表", true),
                ("申报表", false),
                ("其他", false),
                ("无样式", false)
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            parse_number(" 440.65 "),
            Decimal::from_str_exact("440.65").ok()
        );
        assert_eq!(parse_number("1E2"), Some(Decimal::from(100)));
        assert_eq!(parse_number("1e400"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn cap_cuts_at_a_char_boundary() {
        let mut cell = PendingCell {
            text_is_value: true,
            ..PendingCell::default()
        };
        cell.push_repeated(' ', KEPT_CHARS - 1);
        cell.push_text("名称");
        assert!(cell.cut);
        assert_eq!(cell.chars, KEPT_CHARS);
        assert_eq!(cell.text.chars().count(), KEPT_CHARS);
        assert!(cell.text.ends_with(" 名"));
    }

    /// Guards nested tables: a `table:table` inside A1 once closed and pushed the outer sheet
    /// and reset its position, so B1 and A2 were lost or misplaced.
    #[test]
    fn table_nested_in_a_cell_is_skipped() {
        let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
        let inner = format!(
            r#"<table:table table:name="inner"><table:table-row>{}{}</table:table-row><table:table-row>{}</table:table-row></table:table>"#,
            cell("x"),
            cell("y"),
            cell("z")
        );
        let bytes = ods(&format!(
            r#"<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>A1</text:p>{inner}</table:table-cell>{}</table:table-row><table:table-row>{}</table:table-row></table:table><table:table table:name="T"><table:table-row>{}</table:table-row></table:table>"#,
            cell("B1"),
            cell("A2"),
            cell("T1")
        ));
        let sheets = read("nested.ods", &bytes).expect("reads");
        let names: Vec<_> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["S", "T"]);
        let s = &sheets[0];
        let text = |v: &str| CellValue::Text(v.to_string());
        assert_eq!(s.get(0, 0), &text("A1"));
        assert_eq!(s.get(0, 1), &text("B1"));
        assert_eq!(s.get(1, 0), &text("A2"));
        assert_eq!((s.height(), s.width()), (2, 2));
        assert!(!s.truncated);
        assert_eq!(sheets[1].get(0, 0), &text("T1"));
    }
}
