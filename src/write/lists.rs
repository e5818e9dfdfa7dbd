//! The list sheets both workbooks share: a fixed header, one row per item, frozen and
//! filtered, printed with the header on every page; and the two lists every workbook carries,
//! 校验结果 (findings by level: errors, warnings, infos, then the corrections) and 修改记录
//! (changes). A row names its rule (`指标值符号不规范`) and its place on the form
//! (`第1项指标“外出招商次数”·年度指标值`, [`crate::place::field_name`]) in the officer's words,
//! the code last for reference. The `convert` workbook numbers the rows and links each
//! finding to its cell on its 申报表 (with several forms, a 表单 column names the form's sheet);
//! the `merge` workbook leads each row with its file, sheet and department. 校验结果 has the
//! legend of the level colours beside the list.

use std::borrow::Cow;

use rust_xlsxwriter::{
    ColNum, Format, FormatAlign, FormatBorder, FormatUnderline, RowNum, Url, Worksheet,
};

use crate::messages::{write as m, Lang, Level, Text};
use crate::model::{Change, Declaration, FieldPath, Finding};
use crate::place::field_name;
use crate::template::Template;

use super::form::{self, body_format, cell_of, text_base, CellMap, Fill};
use super::{sheet_cell, WriteError};

/// What leads each row of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// `序号` (the `convert` workbook of one form).
    Number,
    /// `序号` and the form's 申报表 sheet (`convert` of a workbook with several forms).
    NumberAndForm,
    /// The file, the sheet it was read from, the department and the project (`merge`).
    FileSheetDepartment,
}

/// The columns of the two lists in one kind of workbook.
pub(super) struct Lists {
    findings_header: &'static [Text],
    findings_widths: &'static [f64],
    changes_header: &'static [Text],
    changes_widths: &'static [f64],
    lead: Lead,
    /// Whether its sheets have [`row_default`] as their default row height ([`set_row_default`]).
    row_default: bool,
}

/// The lists of the `convert` workbook of one form.
pub(super) const CONVERT: Lists = Lists {
    findings_header: &m::FINDINGS_HEADER,
    findings_widths: &[7.0, 10.0, 20.0, 13.0, 13.0, 28.0, 42.0, 32.0, 18.0],
    changes_header: &m::CHANGES_HEADER,
    changes_widths: &[7.0, 13.0, 32.0, 28.0, 28.0, 20.0, 18.0],
    lead: Lead::Number,
    row_default: false,
};

/// The lists of the `convert` workbook of several forms: a 表单 column after 序号.
pub(super) const CONVERT_SEVERAL: Lists = Lists {
    findings_header: &m::FORMS_FINDINGS_HEADER,
    findings_widths: &[7.0, 20.0, 10.0, 20.0, 16.0, 13.0, 28.0, 40.0, 30.0, 18.0],
    changes_header: &m::FORMS_CHANGES_HEADER,
    changes_widths: &[7.0, 20.0, 16.0, 32.0, 26.0, 26.0, 20.0, 18.0],
    lead: Lead::NumberAndForm,
    row_default: false,
};

/// The lists of the `merge` workbook.
pub(super) const MERGE: Lists = Lists {
    findings_header: &m::MERGE_FINDINGS_HEADER,
    findings_widths: &[
        20.0, 14.0, 22.0, 18.0, 10.0, 20.0, 14.0, 28.0, 42.0, 32.0, 18.0,
    ],
    changes_header: &m::MERGE_CHANGES_HEADER,
    changes_widths: &[20.0, 14.0, 22.0, 18.0, 14.0, 28.0, 26.0, 26.0, 20.0, 18.0],
    lead: Lead::FileSheetDepartment,
    row_default: true,
};

/// The two lists of a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum List {
    /// 校验结果.
    Findings,
    /// 修改记录.
    Changes,
}

impl Lists {
    fn columns(&self, list: List) -> (&'static [Text], &'static [f64]) {
        match list {
            List::Findings => (self.findings_header, self.findings_widths),
            List::Changes => (self.changes_header, self.changes_widths),
        }
    }

    /// The header of `list` in `lang` ([`list_header`]; 校验结果 with the legend's header and
    /// widths), so that its rows can be written before their number is known; the widths of
    /// its rows are returned (the legend's after the list's). The autofilter and the print area
    /// come once the length is known ([`Lists::finish`]).
    pub(super) fn header(
        &self,
        ws: &mut Worksheet,
        list: List,
        lang: Lang,
    ) -> Result<Vec<f64>, WriteError> {
        let (header, widths) = self.columns(list);
        let mut widths = list_header(ws, &words(header, lang), widths, lang)?;
        plain_rows(ws);
        if let Some(height) = self.row_default() {
            set_row_default(ws, height);
        }
        if list == List::Findings {
            let columns = header.len() as ColNum;
            widths.extend(LEGEND_WIDTHS);
            for (k, w) in LEGEND_WIDTHS.iter().enumerate() {
                ws.set_column_width(columns + k as ColNum, *w)?;
            }
            Legend::new(lang).header(ws, columns)?;
        }
        Ok(widths)
    }

    /// The default row height of its sheets, when set.
    fn row_default(&self) -> Option<f64> {
        self.row_default.then(row_default)
    }

    /// Close `list` after its `rows` rows: 校验结果's legend rows below the last finding (when
    /// the findings are fewer than the legend's rows), the print area (the list without its
    /// legend) and the autofilter.
    pub(super) fn finish(
        &self,
        ws: &mut Worksheet,
        list: List,
        rows: RowNum,
        widths: &[f64],
        fmts: &ListFormats,
    ) -> Result<(), WriteError> {
        let columns = self.columns(list).0.len() as ColNum;
        if list == List::Findings {
            ws.set_print_area(0, 0, rows, columns - 1)?;
            for r in rows + 1..=Legend::ROWS {
                let mut cells = Vec::new();
                fmts.legend.extend_row(r, &mut cells);
                list_row(
                    ws,
                    r,
                    columns + 1,
                    &cells[1..],
                    widths,
                    self.row_default(),
                    &[],
                )?;
            }
        }
        list_filter(ws, columns as usize, rows as usize)
    }
}

/// The legend beside 校验结果: a gap, each level's word in its colour, what it means.
const LEGEND_WIDTHS: [f64; 3] = [2.0, 10.0, 40.0];

/// One form's part of the lists.
pub(super) struct Form<'a> {
    /// The file, the sheet it was read from, the department and (for a project form) the
    /// project that lead its rows in the `merge` lists.
    pub file: &'a str,
    pub sheet: std::borrow::Cow<'a, str>,
    pub department: &'a str,
    pub project: &'a str,
    pub findings: &'a [Finding],
    pub changes: &'a [Change],
    /// The form's record and the template it is drawn on, which name the places of its
    /// findings and changes; `None` for an input that gave no form.
    pub record: Option<(&'a Declaration, Cow<'a, Template>)>,
    /// The places of fields already named, for a form whose record is no longer at hand
    /// (`merge`'s findings made at the end of the batch: the form was written long before).
    pub places: &'a [(FieldPath, String)],
    /// Where its fields were drawn, and on which sheet, to link each finding to (`convert`).
    pub drawn: Option<(&'a str, &'a CellMap)>,
}

impl Form<'_> {
    /// The place of a field in the form's words; nothing without a record or a field.
    fn place(&self, field: Option<FieldPath>, lang: Lang) -> String {
        match (self.record.as_ref(), field) {
            (Some((decl, template)), Some(path)) => field_name(decl, template, path, lang),
            (None, Some(path)) => self
                .places
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, place)| place.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

pub(super) fn header_format() -> Format {
    body_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(0xD9D9D9)
}

/// The fill of a level's cell in 校验结果 (and its legend): the colour its cells have on the
/// 申报表; none for 提示, which colours no cell there.
fn level_fill(level: Level) -> Option<Fill> {
    match level {
        Level::Error => Some(Fill::Error),
        Level::Warning => Some(Fill::Warning),
        Level::Info => None,
        Level::Fixed => Some(Fill::Changed),
    }
}

/// A list sheet: its header (frozen, bold, as tall as its longest label needs, repeated on
/// every printed page), widths, an autofilter over all rows, A4 landscape one page wide,
/// page numbers in the footer. Returns the widths as set: a column is widened to hold its
/// header's longest word, which would otherwise break in the middle (`Appropriation` in a
/// column made for `财政拨款`).
pub(super) fn list_sheet(
    ws: &mut Worksheet,
    header: &[&str],
    widths: &[f64],
    rows: usize,
    lang: Lang,
) -> Result<Vec<f64>, WriteError> {
    let widths = list_header(ws, header, widths, lang)?;
    list_filter(ws, header.len(), rows)?;
    Ok(widths)
}

/// A list sheet's header row and everything of [`list_sheet`] but the autofilter, which needs
/// the number of rows ([`list_filter`]), so that a list can be written before its length is
/// known. Returns the widths as set.
pub(super) fn list_header(
    ws: &mut Worksheet,
    header: &[&str],
    widths: &[f64],
    lang: Lang,
) -> Result<Vec<f64>, WriteError> {
    let bold = header_format();
    let widths: Vec<f64> = header
        .iter()
        .zip(widths)
        .map(|(h, w)| w.max(form::longest_word(h) as f64 + 3.0))
        .collect();
    for (c, (h, w)) in header.iter().zip(&widths).enumerate() {
        ws.write_string_with_format(0, c as ColNum, *h, &bold)?;
        ws.set_column_width(c as ColNum, *w)?;
    }
    ws.set_row_height(0, header_height(header, &widths))?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, lang);
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    Ok(widths)
}

/// A list whose rows are [`Cell`]s, without borders of their own: its gridlines are printed
/// instead. (The summaries have borders.)
pub(super) fn plain_rows(ws: &mut Worksheet) {
    ws.set_print_gridlines(true);
}

/// The autofilter of a list sheet of `columns` columns over its header and `rows` rows.
pub(super) fn list_filter(
    ws: &mut Worksheet,
    columns: usize,
    rows: usize,
) -> Result<(), WriteError> {
    ws.autofilter(0, 0, rows as RowNum, (columns - 1) as ColNum)?;
    Ok(())
}

/// The height of a header row: its labels in their widths, less the room the filter button
/// takes.
pub(super) fn header_height(header: &[&str], widths: &[f64]) -> f64 {
    form::row_height_for(
        header
            .iter()
            .zip(widths)
            .map(|(h, w)| (*h, (w - 1.0).max(2.0))),
    )
}

/// What every sheet prints: A4, one page wide, page numbers in the footer.
pub(super) fn print_setup(ws: &mut Worksheet, lang: Lang) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer(m::FOOTER.get(lang));
}

/// A list cell: its text, and its format, or `None` for the workbook's default
/// ([`form::plain_format`]: 宋体, wrapped, no border), which costs rust_xlsxwriter no lookup of
/// a format and leaves an empty cell unwritten. Most cells of the lists are plain.
pub(super) type Cell<'a> = (&'a str, Option<&'a Format>);

/// One row of a list sheet: `cells` as text from column `first` on, and the row as tall as the
/// tallest of those texts needs in its column's width (`widths` are the sheet's, from column
/// 0). A cell the caller fills otherwise (a link) is given with its text: written, then
/// written over; the columns in `own` the caller writes itself (a number), and only their
/// text, as shown, is given, for the height. A row of the sheet's default height (`default`,
/// see [`set_row_default`]) is left at it.
pub(super) fn list_row(
    ws: &mut Worksheet,
    r: RowNum,
    first: ColNum,
    cells: &[Cell],
    widths: &[f64],
    default: Option<f64>,
    own: &[ColNum],
) -> Result<(), WriteError> {
    for (k, (s, f)) in cells.iter().enumerate() {
        let c = first + k as ColNum;
        if own.contains(&c) {
            continue;
        }
        match f {
            Some(f) => ws.write_string_with_format(r, c, form::cell_text(s), f)?,
            // An empty string with no format is no cell at all.
            None => ws.write_string(r, c, form::cell_text(s))?,
        };
    }
    let texts = cells
        .iter()
        .zip(&widths[first as usize..])
        .map(|((s, _), w)| (*s, *w));
    let height = form::row_height_for(texts);
    if Some(height) != default {
        ws.set_row_height(r, height)?;
    }
    Ok(())
}

/// The height most rows of the `merge` lists have: two lines, the names that lead them (file,
/// sheet, department) mostly wrapping in their columns (three rows in four on the fixtures and
/// on generated batches).
pub(super) fn row_default() -> f64 {
    form::lines_height(2)
}

/// Make `height` the default row height of a list sheet, so that only its rows of another
/// height carry one of their own ([`list_row`]): rust_xlsxwriter keeps every row's own height
/// in memory until the workbook is saved, low-memory mode or not (about 200 bytes a row: 70 MB
/// for the lists of 10,000 forms). The header row has its own height ([`list_header`]).
pub(super) fn set_row_default(ws: &mut Worksheet, height: f64) {
    ws.set_default_row_height(height);
}

/// Text cells of the lists and the summaries: the body format, left-aligned.
pub(super) fn text_format() -> Format {
    body_format().set_align(FormatAlign::Left)
}

/// The words of a header in `lang`.
pub(super) fn words(header: &[Text], lang: Lang) -> Vec<&'static str> {
    header.iter().map(|t| t.get(lang)).collect()
}

/// 校验结果: each form's findings by level (errors, warnings, infos, corrections; the checker's
/// order within each), the 级别 cell in its level's colour, and the legend of the colours
/// beside the list (not printed: the words say the level on paper).
pub(super) fn findings_sheet(
    ws: &mut Worksheet,
    lists: &Lists,
    forms: &[Form],
    lang: Lang,
) -> Result<(), WriteError> {
    let widths = lists.header(ws, List::Findings, lang)?;
    let fmts = ListFormats::new(lang);
    let mut r: RowNum = 0;
    for form in forms {
        findings_rows(ws, lists, form, &mut r, &widths, &fmts, lang)?;
    }
    lists.finish(ws, List::Findings, r, &widths, &fmts)
}

/// The formats of the list rows and the legend, made once per workbook.
pub(super) struct ListFormats {
    center: Format,
    link: Format,
    /// Its formats of the level words serve the list rows too.
    legend: Legend,
}

impl ListFormats {
    pub(super) fn new(lang: Lang) -> ListFormats {
        let center = text_base().set_align(FormatAlign::Center);
        ListFormats {
            link: center
                .clone()
                .set_font_color(0x0563C1)
                .set_underline(FormatUnderline::Single),
            center,
            legend: Legend::new(lang),
        }
    }
}

/// One form's rows of 校验结果 after row `r`, which is left on the last row written: its
/// findings by level (errors, warnings, infos, corrections; the checker's order within each),
/// with the legend's cells on the rows it stands beside. `widths` are the sheet's
/// ([`Lists::header`]).
pub(super) fn findings_rows(
    ws: &mut Worksheet,
    lists: &Lists,
    form: &Form,
    r: &mut RowNum,
    widths: &[f64],
    fmts: &ListFormats,
    lang: Lang,
) -> Result<(), WriteError> {
    let mut sorted: Vec<&Finding> = form.findings.iter().collect();
    sorted.sort_by_key(|f| f.level());
    for f in sorted {
        *r += 1;
        let r = *r;
        // 级别 says 已修正: the message needs no mark of it (the form's note does).
        let message = f.message(lang);
        let suggestion = f.suggestion(lang);
        let place = form.place(f.field, lang);
        let level = f.level();
        let mut cells = lead(ws, r, lists, form, &fmts.center)?;
        cells.extend([
            (
                level.word().get(lang),
                Some(&fmts.legend.levels[level as usize]),
            ),
            (f.code.def().rule.get(lang), None),
            (f.cell.as_deref().unwrap_or(""), None),
        ]);
        // 本表位置: where the finding is on its 申报表, a link written over its text. With
        // several forms the 表单 column names the sheet, and the link shows the cell alone.
        let here = form
            .drawn
            .map(|(sheet, map)| (sheet, f.field.and_then(|p| cell_of(map, p))));
        let shown = match here {
            Some((sheet, Some((row, col)))) => match lists.lead {
                Lead::NumberAndForm => rust_xlsxwriter::utility::row_col_to_cell(row, col),
                _ => crate::model::CellRef::new(sheet, row, col as u32).to_string(),
            },
            _ => String::new(),
        };
        let here_col = first_col(lists) + cells.len() as ColNum;
        if here.is_some() {
            cells.push((&shown, None));
        }
        cells.extend([
            (&*place, None),
            (&*message, None),
            (&*suggestion, None),
            (f.code.as_str(), None),
        ]);
        fmts.legend.extend_row(r, &mut cells);
        list_row(
            ws,
            r,
            first_col(lists),
            &cells,
            widths,
            lists.row_default(),
            &[],
        )?;
        if let Some((sheet, Some((row, col)))) = here {
            let target = sheet_cell(sheet, row, col);
            let url = Url::new(format!("internal:{target}")).set_text(&shown);
            ws.write_url_with_format(r, here_col, url, &fmts.link)?;
        }
    }
    Ok(())
}

/// The format of a 级别 cell: centred, in its level's colour, framed in the grey of the
/// gridlines (which Excel does not draw over a filled cell: a run of one level would be one
/// block of colour).
fn level_format(level: Level) -> Format {
    let f = text_base()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_border_color(GRIDLINE_GREY);
    match level_fill(level) {
        Some(fill) => f.set_background_color(fill.color()),
        None => f,
    }
}

/// The colour of Excel's gridlines.
const GRIDLINE_GREY: u32 = 0xD4D4D4;

/// The legend beside 校验结果, in the columns right of the list after a gap: a header row
/// (`图例 | 含义`), then a row per level, each level's word in its colour and what it means.
struct Legend {
    lang: Lang,
    levels: Vec<Format>,
}

impl Legend {
    /// The legend's last row.
    const ROWS: RowNum = Level::ALL.len() as RowNum;

    fn new(lang: Lang) -> Legend {
        Legend {
            lang,
            levels: Level::ALL.iter().map(|l| level_format(*l)).collect(),
        }
    }

    fn header(&self, ws: &mut Worksheet, columns: ColNum) -> Result<(), WriteError> {
        let bold = header_format();
        ws.write_string_with_format(0, columns + 1, m::LEGEND.get(self.lang), &bold)?;
        ws.write_string_with_format(0, columns + 2, m::LEGEND_MEANING.get(self.lang), &bold)?;
        Ok(())
    }

    /// Add the legend's cells of row `r` (1 to [`Legend::ROWS`]) after a row's cells: the gap,
    /// the level's word, its meaning.
    fn extend_row<'a>(&'a self, r: RowNum, cells: &mut Vec<Cell<'a>>) {
        let Some(level) = (r as usize).checked_sub(1).and_then(|i| Level::ALL.get(i)) else {
            return;
        };
        let meaning = match level {
            Level::Error => m::LEGEND_ERROR,
            Level::Warning => m::LEGEND_WARNING,
            Level::Info => m::LEGEND_INFO,
            Level::Fixed => m::LEGEND_FIXED,
        };
        cells.extend([
            ("", None),
            (
                level.word().get(self.lang),
                Some(&self.levels[*level as usize]),
            ),
            (meaning.get(self.lang), None),
        ]);
    }
}

/// 修改记录: each form's changes, in the normalizer's order, each with its place and rule.
pub(super) fn changes_sheet(
    ws: &mut Worksheet,
    lists: &Lists,
    forms: &[Form],
    lang: Lang,
) -> Result<(), WriteError> {
    let widths = lists.header(ws, List::Changes, lang)?;
    let fmts = ListFormats::new(lang);
    let mut r: RowNum = 0;
    for form in forms {
        changes_rows(ws, lists, form, &mut r, &widths, &fmts, lang)?;
    }
    lists.finish(ws, List::Changes, r, &widths, &fmts)
}

/// One form's rows of 修改记录 after row `r`, which is left on the last row written.
pub(super) fn changes_rows(
    ws: &mut Worksheet,
    lists: &Lists,
    form: &Form,
    r: &mut RowNum,
    widths: &[f64],
    fmts: &ListFormats,
    lang: Lang,
) -> Result<(), WriteError> {
    for c in form.changes {
        *r += 1;
        let place = form.place(Some(c.field), lang);
        let mut cells = lead(ws, *r, lists, form, &fmts.center)?;
        cells.extend([
            (c.cell.as_deref().unwrap_or(""), None),
            (&*place, None),
            (&*c.before, None),
            (&*c.after, None),
            (c.code.def().rule.get(lang), None),
            (c.code.as_str(), None),
        ]);
        list_row(
            ws,
            *r,
            first_col(lists),
            &cells,
            widths,
            lists.row_default(),
            &[],
        )?;
    }
    Ok(())
}

/// The column the text cells of a list row start at: after the 序号 of a numbered list.
fn first_col(lists: &Lists) -> ColNum {
    match lists.lead {
        Lead::Number | Lead::NumberAndForm => 1,
        Lead::FileSheetDepartment => 0,
    }
}

/// What leads row `r`: its number, written at once (a numbered list), then the form's 申报表
/// sheet, or the form's file, sheet and department, returned as the row's first text cells.
fn lead<'a>(
    ws: &mut Worksheet,
    r: RowNum,
    lists: &Lists,
    form: &'a Form<'_>,
    center: &Format,
) -> Result<Vec<Cell<'a>>, WriteError> {
    let mut cells = Vec::with_capacity(14);
    match lists.lead {
        Lead::Number => {
            ws.write_number_with_format(r, 0, r as f64, center)?;
        }
        Lead::NumberAndForm => {
            ws.write_number_with_format(r, 0, r as f64, center)?;
            cells.push((form.drawn.map_or("", |(sheet, _)| sheet), None));
        }
        Lead::FileSheetDepartment => {
            cells.extend([
                (form.file, None),
                (&form.sheet, None),
                (form.department, None),
                (form.project, None),
            ]);
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_headers() {
        for lists in [&CONVERT, &CONVERT_SEVERAL, &MERGE] {
            assert_eq!(lists.findings_widths.len(), lists.findings_header.len());
            assert_eq!(lists.changes_widths.len(), lists.changes_header.len());
            // The code is the last column of both lists, for reference.
            assert_eq!(lists.findings_header.last().unwrap().zh, "代码");
            assert_eq!(lists.changes_header.last().unwrap().zh, "代码");
        }
    }
}
