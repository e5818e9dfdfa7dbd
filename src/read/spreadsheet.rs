//! xlsx / xlsm / xlsb / xls / ods → [`Workbook`] through calamine (ODS through `ods`).
//!
//! calamine is never handed bytes it has not been checked against: `.xlsx` and `.xlsb` go
//! through the `package` check (long texts cut in a copy, oversized parts and records refused),
//! `.xls` through the `cfb` and `biff` pre-passes (what it would allocate, estimated and bounded;
//! far cells withheld). xlsx and xlsb are then read as cell streams: rows arrive in order, so
//! reading a sheet stops once it passes [`MAX_ROWS`], and cells beyond [`MAX_COLS`] are dropped
//! as they come. Nothing is ever allocated by a sheet's declared dimension.
//!
//! What calamine makes possible for number formats: xlsx exposes each cell's style id and the
//! styles' format codes, so percent cells are known; `.xls` percent cells come from the `biff`
//! pass; xlsb exposes no number formats, so its percent cells read as plain numbers.

use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{
    Data, DataRef, Dimensions, Reader, SheetType, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
};
use rust_decimal::Decimal;

use super::number::{decimal_from_f64, is_percent_format};
use super::{
    biff, ods, package, CellValue, Format, ReadError, Sheet, Span, Workbook, MAX_COLS, MAX_ROWS,
};

/// Cells dropped for lying beyond [`MAX_COLS`] before a sheet's reading stops. A form never gets
/// near it; a sheet XML that inflates to one endless row does.
const MAX_DROPPED_CELLS: u64 = 4 * MAX_ROWS as u64 * MAX_COLS as u64;

/// Worksheet XML larger than this (uncompressed) is not scanned a second time for its merged
/// ranges when its cell stream was cut: that scan would have to parse the whole part.
const MAX_MERGE_SCAN_BYTES: u64 = 64 * 1024 * 1024;

thread_local! {
    /// Set while this thread runs a [`guarded`] call.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, turning a panic into `None`. The panic message that Rust prints by default is
/// silenced for these calls only (it would be noise beside the clear message the file gets);
/// a panic anywhere else still prints as usual.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    result.ok()
}

pub fn read(file: &str, format: Format, bytes: &[u8]) -> Result<Workbook, ReadError> {
    // calamine has panicked on malformed input before; a panic must become a message, not a
    // crash of a batch run.
    let sheets = guarded(|| match format {
        Format::Xlsx => read_xlsx(file, bytes),
        Format::Xlsb => read_xlsb(file, bytes),
        Format::Xls => read_xls(file, bytes),
        Format::Ods => ods::read(file, bytes),
        other => Err(ReadError::from_format(file, other)),
    })
    .unwrap_or_else(|| {
        Err(ReadError::corrupt(
            file,
            format!("malformed {format:?} structure"),
        ))
    })?;
    let mut sheets = sheets;
    for sheet in &mut sheets {
        super::formula::evaluate(sheet);
    }
    if sheets.iter().all(Sheet::is_blank) {
        return Err(ReadError::NoSheets {
            file: file.to_string(),
        });
    }
    Ok(Workbook {
        file: file.to_string(),
        format,
        sheets,
    })
}

fn number(f: f64, percent: bool) -> CellValue {
    match decimal_from_f64(f) {
        Some(d) if percent => CellValue::Percent(d),
        Some(d) => CellValue::Number(d),
        None => CellValue::Text(format!("{f}")),
    }
}

/// An integer cell, exactly: every `i64` fits a `Decimal`, while `f64` loses digits past 2^53.
fn integer(i: i64, percent: bool) -> CellValue {
    let d = Decimal::from(i);
    if percent {
        CellValue::Percent(d)
    } else {
        CellValue::Number(d)
    }
}

fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() || (h, mi, s) != (0, 0, 0) {
        if dt.is_duration() || (y, mo, d) == (1899, 12, 31) || (y, mo, d) == (1900, 1, 0) {
            return format!("{h:02}:{mi:02}:{s:02}");
        }
        return format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    }
    format!("{y:04}-{mo:02}-{d:02}")
}

fn from_data_ref(v: DataRef<'_>, percent: bool) -> CellValue {
    match v {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => integer(i, percent),
        DataRef::Float(f) => number(f, percent),
        DataRef::String(s) => CellValue::Text(s),
        DataRef::SharedString(s) => CellValue::Text(s.to_string()),
        DataRef::Bool(b) => CellValue::Bool(b),
        DataRef::DateTime(dt) => CellValue::Date(date_text(&dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Date(s),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}

fn from_data(v: &Data, percent: bool) -> CellValue {
    match v {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => integer(*i, percent),
        Data::Float(f) => number(*f, percent),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => CellValue::Date(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Date(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

fn span(d: &Dimensions) -> Span {
    Span {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

/// A worksheet of a workbook: its index in workbook order (the order of the `biff` pass), its
/// name, and whether the workbook hides it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Worksheet {
    index: usize,
    name: String,
    hidden: bool,
}

/// The worksheets of a workbook, in workbook order. Chart, dialog, macro and VBA sheets hold no
/// cells of a form and are skipped here, by their declared type, so that any error reading a
/// worksheet is real damage. A hidden or very hidden sheet is read, and says it is hidden.
fn worksheets(sheets: &[calamine::Sheet]) -> Vec<Worksheet> {
    sheets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.typ == SheetType::WorkSheet)
        .map(|(index, s)| Worksheet {
            index,
            name: s.name.clone(),
            hidden: s.visible != calamine::SheetVisible::Visible,
        })
        .collect()
}

/// Put a streamed cell; `false` once the sheet's reading should stop.
///
/// A value beyond the bounds marks the sheet truncated; a blank (formatted) cell there is only
/// counted. Reading stops at the first value below [`MAX_ROWS`] (rows come in order: nothing
/// below can be kept), or after [`MAX_DROPPED_CELLS`] dropped cells, which marks the sheet too:
/// what follows was not seen.
fn place(sheet: &mut Sheet, dropped: &mut u64, (row, col): (u32, u32), value: CellValue) -> bool {
    if row < MAX_ROWS && col < MAX_COLS {
        sheet.set(row, col, value);
        return true;
    }
    if !value.is_empty() {
        sheet.truncated = true;
        if row >= MAX_ROWS {
            return false;
        }
    }
    *dropped += 1;
    if *dropped >= MAX_DROPPED_CELLS {
        sheet.truncated = true;
        return false;
    }
    true
}

fn xlsx_error(file: &str, e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::Encrypted {
            file: file.to_string(),
        },
        other => ReadError::corrupt(file, other),
    }
}

fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    // Nothing reaches calamine before the `package` check has bounded what it will buffer.
    let checked = package::check_xlsx(bytes).map_err(|why| ReadError::corrupt(file, why))?;
    let bytes = checked.bytes.as_deref().unwrap_or(bytes);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(file, e))?;
    let mut sheets = Vec::new();
    // Styles are workbook-wide: which style ids show a percent is worked out once, from the
    // first sheet's reader (calamine exposes the styles only there).
    let mut percent_styles: Option<Vec<bool>> = None;
    // The cells of the sheet being read that came with no value, and whether each shows a
    // percent.
    let mut no_value = HashMap::new();
    for Worksheet { name, hidden, .. } in worksheets(book.sheets_metadata()) {
        let mut sheet = Sheet {
            has_merge_info: true,
            hidden,
            ..Sheet::after(name.clone(), &sheets)
        };
        let mut cut_early = false;
        {
            let mut cells = book
                .worksheet_cells_reader(&name)
                .map_err(|e| xlsx_error(file, e))?;
            let percent_styles = percent_styles.get_or_insert_with(|| {
                cells
                    .styles()
                    .iter()
                    .map(|s| {
                        s.number_format
                            .as_ref()
                            .is_some_and(|f| is_percent_format(&f.format_code))
                    })
                    .collect()
            });
            let mut dropped = 0;
            while let Some((cell, style)) = cells
                .next_cell_with_style_id()
                .map_err(|e| xlsx_error(file, e))?
            {
                let percent = percent_styles.get(style).copied().unwrap_or(false);
                let pos = cell.get_position();
                // A cell element with content but no value: a formula without its result,
                // most likely (the second pass below says).
                if matches!(cell.get_value(), DataRef::Empty)
                    && pos.0 < MAX_ROWS
                    && pos.1 < MAX_COLS
                {
                    no_value.insert(pos, percent);
                }
                let value = from_data_ref(cell.get_value().clone(), percent);
                if !place(&mut sheet, &mut dropped, pos, value) {
                    cut_early = true;
                    break;
                }
            }
        }
        if !no_value.is_empty() {
            formulas_without_values(&mut book, &name, &mut sheet, &no_value)
                .map_err(|e| xlsx_error(file, e))?;
            no_value.clear();
        }
        let too_costly = cut_early && largest_part(bytes, "xl/worksheets/") > MAX_MERGE_SCAN_BYTES;
        if too_costly || !checked.merges {
            sheet.has_merge_info = false;
        } else {
            let merges = book
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| xlsx_error(file, e))?;
            sheet.set_merges(merges.iter().map(span).collect());
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// The formulas of the cells in `no_value` (read with no value): a second pass over the sheet's
/// cells, made only when the first met such a cell, and ending where the first ended (rows
/// come in order). A cell with a formula is noted in the sheet ([`Sheet::set_formula`]).
fn formulas_without_values<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    sheet: &mut Sheet,
    no_value: &HashMap<(u32, u32), bool>,
) -> Result<(), XlsxError> {
    let mut cells = book.worksheet_cells_reader(name)?;
    let mut left = no_value.len();
    while let Some(cell) = cells.next_cell_with_formula()? {
        if left == 0 || cell.pos.0 >= MAX_ROWS {
            break;
        }
        if let Some(&percent) = no_value.get(&cell.pos) {
            left -= 1;
            if let (DataRef::Empty, Some(formula)) = (&cell.value, &cell.formula) {
                sheet.set_formula(cell.pos.0, cell.pos.1, formula, percent);
            }
        }
    }
    Ok(())
}

/// The largest uncompressed size of the zip entries under `prefix`, names compared as calamine
/// compares them (`xl\worksheets\` is `xl/worksheets/`).
fn largest_part(bytes: &[u8], prefix: &str) -> u64 {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return u64::MAX;
    };
    let mut largest = 0;
    for i in 0..zip.len() {
        if let Ok(entry) = zip.by_index_raw(i) {
            let name = entry
                .name()
                .map(|n| n.replace('\\', "/").to_ascii_lowercase());
            if name.is_ok_and(|n| n.starts_with(prefix)) {
                largest = largest.max(entry.size());
            }
        }
    }
    largest
}

fn read_xlsb(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let err = |e: XlsbError| match e {
        XlsbError::Password => ReadError::Encrypted {
            file: file.to_string(),
        },
        other => ReadError::corrupt(file, other),
    };
    package::check_xlsb(bytes).map_err(|why| ReadError::corrupt(file, why))?;
    let mut book: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(err)?;
    let mut sheets = Vec::new();
    for Worksheet { name, hidden, .. } in worksheets(book.sheets_metadata()) {
        // calamine exposes no merged ranges for xlsb.
        let mut sheet = Sheet {
            hidden,
            ..Sheet::after(name.clone(), &sheets)
        };
        let mut cells = book.worksheet_cells_reader(&name).map_err(err)?;
        let mut dropped = 0;
        while let Some(cell) = cells.next_cell().map_err(err)? {
            let pos = cell.get_position();
            if !place(
                &mut sheet,
                &mut dropped,
                pos,
                from_data_ref(cell.get_value().clone(), false),
            ) {
                break;
            }
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn read_xls(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    // Nothing reaches calamine before the `biff` pass has checked what it will allocate.
    let scan = biff::scan(bytes).map_err(|refusal| match refusal {
        biff::Refusal::Encrypted => ReadError::Encrypted {
            file: file.to_string(),
        },
        biff::Refusal::Damaged(why) => ReadError::corrupt(file, why),
    })?;
    let bytes = scan.patched.as_deref().unwrap_or(bytes);
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => ReadError::Encrypted {
            file: file.to_string(),
        },
        other => ReadError::corrupt(file, other),
    })?;
    let mut sheets = Vec::new();
    // `index`: the order of the BoundSheet records the `biff` pass indexed.
    for Worksheet {
        index,
        name,
        hidden,
    } in worksheets(book.sheets_metadata())
    {
        let mut sheet = Sheet {
            has_merge_info: true,
            hidden,
            ..Sheet::after(name.clone(), &sheets)
        };
        sheet.truncated = scan.truncated.contains(&index);
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::corrupt(file, e))?;
        if let Some((r0, c0)) = range.start() {
            for (row, col, value) in range.used_cells() {
                let (row, col) = (r0 + row as u32, c0 + col as u32);
                let percent = scan.percent.contains(&(index, row, col));
                sheet.set(row, col, from_data(value, percent));
            }
        }
        sheet.set_merges(
            book.merge_cells_by_sheet_name(&name)
                .unwrap_or_default()
                .iter()
                .map(span)
                .collect(),
        );
        sheets.push(sheet);
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn number_out_of_range_stays_text() {
        assert_eq!(number(1e300, false), CellValue::Text(format!("{}", 1e300)));
        assert_eq!(
            number(0.98, true),
            CellValue::Percent(Decimal::from_str("0.98").unwrap())
        );
    }

    /// Guards the one rule for sheets without cells: only worksheets are read, each with its
    /// workbook index (the `biff` pass's) and whether it is hidden, whatever the format.
    #[test]
    fn only_worksheets_are_read() {
        use calamine::SheetVisible::{Hidden, VeryHidden, Visible};
        let sheet = |name: &str, typ, visible| calamine::Sheet {
            name: name.into(),
            typ,
            visible,
        };
        let meta = [
            sheet("图表", SheetType::ChartSheet, Visible),
            sheet("旧表", SheetType::WorkSheet, Hidden),
            sheet("申报表", SheetType::WorkSheet, Visible),
            sheet("Dialog1", SheetType::DialogSheet, Visible),
            sheet("Macro1", SheetType::MacroSheet, Visible),
            sheet("说明", SheetType::WorkSheet, VeryHidden),
        ];
        let ws = |index, name: &str, hidden| Worksheet {
            index,
            name: name.to_string(),
            hidden,
        };
        assert_eq!(
            worksheets(&meta),
            vec![
                ws(1, "旧表", true),
                ws(2, "申报表", false),
                ws(5, "说明", true)
            ]
        );
    }

    /// Guards integer cells: they once went through `f64`, which turns 2^53 + 1 into 2^53.
    #[test]
    fn integers_are_exact() {
        let big = (1i64 << 53) + 1;
        assert_eq!(
            from_data(&Data::Int(big), false),
            CellValue::Number(Decimal::from(big))
        );
        assert_eq!(
            from_data_ref(DataRef::Int(i64::MIN), false),
            CellValue::Number(Decimal::from(i64::MIN))
        );
        assert_eq!(
            from_data(&Data::Int(1), true),
            CellValue::Percent(Decimal::ONE)
        );
    }
}
