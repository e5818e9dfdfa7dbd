//! The list sheets both workbooks share: a fixed header, one row per item, frozen and
//! filtered; and the two lists every workbook carries, 校验结果 (findings, errors first) and
//! 修改记录 (changes). The `convert` workbook numbers their rows and links each finding to its
//! cell on its 申报表 (with several forms, a 表单 column names the form's sheet); the `merge`
//! workbook leads each row with its file, sheet and department.

use rust_xlsxwriter::{ColNum, Format, FormatAlign, FormatUnderline, RowNum, Url, Worksheet};

use crate::messages::{write as m, Lang};
use crate::model::{Change, Finding, Severity};

use super::form::{self, body_format, cell_of, finding_text, CellMap};
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
    findings_header: &'static [&'static str],
    findings_widths: &'static [f64],
    changes_header: &'static [&'static str],
    changes_widths: &'static [f64],
    lead: Lead,
}

/// The lists of the `convert` workbook of one form.
pub(super) const CONVERT: Lists = Lists {
    findings_header: &m::FINDINGS_HEADER,
    findings_widths: &[6.0, 8.0, 24.0, 14.0, 14.0, 22.0, 50.0, 40.0],
    changes_header: &m::CHANGES_HEADER,
    changes_widths: &[6.0, 14.0, 24.0, 36.0, 36.0, 20.0],
    lead: Lead::Number,
};

/// The lists of the `convert` workbook of several forms: a 表单 column after 序号.
pub(super) const CONVERT_SEVERAL: Lists = Lists {
    findings_header: &m::FORMS_FINDINGS_HEADER,
    findings_widths: &[6.0, 20.0, 8.0, 22.0, 18.0, 26.0, 20.0, 42.0, 34.0],
    changes_header: &m::FORMS_CHANGES_HEADER,
    changes_widths: &[6.0, 20.0, 14.0, 24.0, 32.0, 32.0, 20.0],
    lead: Lead::NumberAndForm,
};

/// The lists of the `merge` workbook.
pub(super) const MERGE: Lists = Lists {
    findings_header: &m::MERGE_FINDINGS_HEADER,
    findings_widths: &[20.0, 16.0, 24.0, 20.0, 6.0, 22.0, 12.0, 20.0, 46.0, 36.0],
    changes_header: &m::MERGE_CHANGES_HEADER,
    changes_widths: &[20.0, 16.0, 24.0, 20.0, 12.0, 22.0, 30.0, 30.0, 18.0],
    lead: Lead::FileSheetDepartment,
};

/// One form's part of the lists.
pub(super) struct Form<'a> {
    /// The file, the sheet it was read from, the department and (for a project form) the
    /// project that lead its rows in the `merge` lists.
    pub file: &'a str,
    pub sheet: &'a str,
    pub department: &'a str,
    pub project: &'a str,
    pub findings: &'a [Finding],
    pub changes: &'a [Change],
    /// Where its fields were drawn, and on which sheet, to link each finding to (`convert`).
    pub drawn: Option<(&'a str, &'a CellMap)>,
}

pub(super) fn header_format() -> Format {
    body_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(0xD9D9D9)
}

pub(super) fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => m::SEVERITY_ERROR.get(lang),
        Severity::Warning => m::SEVERITY_WARNING.get(lang),
        Severity::Info => m::SEVERITY_INFO.get(lang),
    }
}

/// A list sheet: fixed header (frozen, with an autofilter over all rows), widths, landscape.
pub(super) fn list_sheet(
    ws: &mut Worksheet,
    header: &[&str],
    widths: &[f64],
    rows: usize,
) -> Result<(), WriteError> {
    for (c, (h, w)) in header.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as ColNum, *h, &header_format())?;
        ws.set_column_width(c as ColNum, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows as RowNum, (header.len() - 1) as ColNum)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// One row of a list sheet: `cells` as text from column `first` on, and the row as tall as the
/// tallest of those texts needs in its column's width (`widths` are the sheet's, from column
/// 0). A cell the caller fills otherwise (a number, a link) is given as `""`: a blank with its
/// format, written over afterwards.
pub(super) fn list_row(
    ws: &mut Worksheet,
    r: RowNum,
    first: ColNum,
    cells: &[(&str, &Format)],
    widths: &[f64],
) -> Result<(), WriteError> {
    for (k, (s, f)) in cells.iter().enumerate() {
        ws.write_string_with_format(r, first + k as ColNum, form::cell_text(s), f)?;
    }
    let texts = cells
        .iter()
        .zip(&widths[first as usize..])
        .map(|((s, _), w)| (*s, *w));
    ws.set_row_height(r, form::row_height_for(texts))?;
    Ok(())
}

/// Text cells of the lists and the summaries: the body format, left-aligned.
pub(super) fn text_format() -> Format {
    body_format().set_align(FormatAlign::Left)
}

/// 校验结果: each form's findings, errors first, then warnings, then infos (the checker's order
/// within each).
pub(super) fn findings_sheet(
    ws: &mut Worksheet,
    lists: &Lists,
    forms: &[Form],
    lang: Lang,
) -> Result<(), WriteError> {
    let rows = forms.iter().map(|f| f.findings.len()).sum();
    list_sheet(ws, lists.findings_header, lists.findings_widths, rows)?;
    let text = text_format();
    let center = body_format().set_align(FormatAlign::Center);
    let link = center
        .clone()
        .set_font_color(0x0563C1)
        .set_underline(FormatUnderline::Single);
    let mut r: RowNum = 0;
    for form in forms {
        let mut sorted: Vec<&Finding> = form.findings.iter().collect();
        sorted.sort_by_key(|f| f.severity());
        for f in sorted {
            r += 1;
            let message = finding_text(f, lang);
            let suggestion = f.suggestion(lang);
            let field = f.field.map(|p| p.to_string()).unwrap_or_default();
            let mut cells = lead(ws, r, lists, form, &text, &center)?;
            cells.extend([
                (severity_word(f.severity(), lang), &center),
                (f.code.as_str(), &text),
                (f.cell.as_deref().unwrap_or(""), &center),
            ]);
            // 本表位置: where the finding is on its 申报表, a link written over the blank.
            let here = form
                .drawn
                .map(|(_, map)| f.field.and_then(|p| cell_of(map, p)));
            let here_col = first_col(lists) + cells.len() as ColNum;
            if here.is_some() {
                cells.push(("", &center));
            }
            cells.extend([(&*field, &text), (&*message, &text), (&*suggestion, &text)]);
            list_row(ws, r, first_col(lists), &cells, lists.findings_widths)?;
            if let (Some(Some((row, col))), Some((sheet, _))) = (here, form.drawn) {
                let target = sheet_cell(sheet, row, col);
                let shown = crate::model::CellRef::new(sheet, row, col as u32).to_string();
                let url = Url::new(format!("internal:{target}")).set_text(shown);
                ws.write_url_with_format(r, here_col, url, &link)?;
            }
        }
    }
    Ok(())
}

/// 修改记录: each form's changes, in the normalizer's order.
pub(super) fn changes_sheet(
    ws: &mut Worksheet,
    lists: &Lists,
    forms: &[Form],
) -> Result<(), WriteError> {
    let rows = forms.iter().map(|f| f.changes.len()).sum();
    list_sheet(ws, lists.changes_header, lists.changes_widths, rows)?;
    let text = text_format();
    let center = body_format().set_align(FormatAlign::Center);
    let mut r: RowNum = 0;
    for form in forms {
        for c in form.changes {
            r += 1;
            let field = c.field.to_string();
            let mut cells = lead(ws, r, lists, form, &text, &center)?;
            cells.extend([
                (c.cell.as_deref().unwrap_or(""), &center),
                (&*field, &text),
                (&*c.before, &text),
                (&*c.after, &text),
                (c.code.as_str(), &text),
            ]);
            list_row(ws, r, first_col(lists), &cells, lists.changes_widths)?;
        }
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
    form: &Form<'a>,
    text: &'a Format,
    center: &Format,
) -> Result<Vec<(&'a str, &'a Format)>, WriteError> {
    let mut cells = Vec::with_capacity(9);
    match lists.lead {
        Lead::Number => {
            ws.write_number_with_format(r, 0, r as f64, center)?;
        }
        Lead::NumberAndForm => {
            ws.write_number_with_format(r, 0, r as f64, center)?;
            cells.push((form.drawn.map_or("", |(sheet, _)| sheet), text));
        }
        Lead::FileSheetDepartment => {
            cells.extend([
                (form.file, text),
                (form.sheet, text),
                (form.department, text),
                (form.project, text),
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
        }
    }
}
