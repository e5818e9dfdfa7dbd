//! The page's preview of a corrected form (`POST /api/check?preview=1`): the 申报表 as a grid
//! of cells in the official layout, with the marks and notes of the xlsx form.
//!
//! It is built from `write::form::marked_form`, the same placed and marked cells the xlsx
//! writer draws, so the preview cannot drift from the workbook: only the representation
//! differs (JSON here, rust_xlsxwriter calls there).

use rust_decimal::RoundingStrategy;
use serde::Serialize;

use crate::messages::{write as m, Lang};
use crate::model::{Change, Column, Declaration, FieldPath, Finding, TableKind};
use crate::template::Template;

use super::form::{marked_form, Content, Fill, Role};

/// The 申报表 of one form as the page draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// The sheet name of the form in the corrected workbook.
    pub sheet: &'static str,
    /// Column widths in Excel character units.
    pub widths: Vec<f64>,
    /// Every row of the form, top to bottom.
    pub rows: Vec<PreviewRow>,
}

/// One row: its height in points and the cells that start in it (a cell covered by a merge
/// that starts above or to the left is omitted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    pub height: f64,
    pub cells: Vec<PreviewCell>,
}

/// One cell, or the top-left of a merged range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewCell {
    /// Zero-based position on the 申报表 sheet.
    pub row: u32,
    pub col: u16,
    pub rowspan: u32,
    pub colspan: u16,
    /// The text as the workbook shows it (money with two decimals).
    pub text: String,
    /// `title`, `subtitle` (a line of the heading under the title: `（2024年度）`), `label` (a
    /// label of the layout, or a category centred like one), `value`, `money` (a number) or
    /// `target` (an indicator's 指标值).
    pub role: &'static str,
    /// The field path the cell shows (`indicators[0].annual`), or the section a section label
    /// stands for (`budget`).
    pub field: Option<FieldPath>,
    /// Where the value was in the input file (`Sheet1!F16`), when known.
    pub source: Option<String>,
    /// `error`, `warning` or `changed`: the cell's fill in the workbook.
    pub mark: Option<&'static str>,
    /// The cell's note in the workbook: the original value and the findings' messages, one a
    /// line.
    pub note: Option<String>,
}

/// The preview of a checked form, drawn on `template`.
pub fn preview(
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> Preview {
    let form = marked_form(decl, template, findings, changes, lang);
    let mut rows: Vec<PreviewRow> = form
        .layout
        .heights
        .iter()
        .map(|&height| PreviewRow {
            height,
            cells: Vec::new(),
        })
        .collect();
    for p in &form.layout.cells {
        let Some(row) = rows.get_mut(p.row as usize) else {
            continue;
        };
        let mark = form.marks.get(&(p.row, p.col));
        let is_target = matches!(
            p.field,
            Some(FieldPath::Column(
                TableKind::Indicators | TableKind::PeriodIndicators,
                _,
                Column::Annual | Column::Period
            ))
        );
        let role = match (p.role, &p.content) {
            (Role::Title, _) => "title",
            (Role::Subtitle, _) => "subtitle",
            (Role::Label | Role::Category, _) => "label",
            (Role::Value, Content::Money(_) | Content::Int(_)) => "money",
            (Role::Value, _) if is_target => "target",
            (Role::Value, _) => "value",
        };
        row.cells.push(PreviewCell {
            row: p.row,
            col: p.col,
            rowspan: p.last_row - p.row + 1,
            colspan: p.last_col - p.col + 1,
            text: text(&p.content),
            role,
            source: p.field.and_then(|f| decl.cell_of(f)).map(|c| c.to_string()),
            field: p.field,
            mark: mark.and_then(|m| m.fill).map(|f| match f {
                Fill::Error => "error",
                Fill::Warning => "warning",
                Fill::Changed => "changed",
            }),
            note: mark
                .filter(|m| !m.notes.is_empty())
                .map(|m| m.notes.join("\n")),
        });
    }
    for row in &mut rows {
        row.cells.sort_by_key(|c| c.col);
    }
    Preview {
        sheet: m::SHEET_FORM.get(lang),
        widths: form.layout.widths,
        rows,
    }
}

/// A cell's text as the workbook's number formats show it: money with two to six decimals
/// (`0.00####`, [`super::form::MONEY_FORMAT`]; rounded half away from zero, as Excel does),
/// counts `0`.
fn text(content: &Content) -> String {
    match content {
        Content::Text(s) => s.clone(),
        Content::Money(Some(m)) => {
            let shown =
                m.0.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero);
            crate::model::Money(shown.normalize()).display()
        }
        Content::Int(Some(i)) => i.to_string(),
        Content::Money(None) | Content::Int(None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{process, Config};

    /// Money as the workbook's `0.00####` shows it: two decimals at least, every digit kept.
    #[test]
    fn money_keeps_its_digits() {
        let money = |s: &str| {
            text(&Content::Money(Some(crate::model::Money(
                s.parse().unwrap(),
            ))))
        };
        assert_eq!(money("46"), "46.00");
        assert_eq!(money("440.65"), "440.65");
        assert_eq!(money("1000.1234"), "1000.1234");
        assert_eq!(money("33.3333333333333"), "33.333333");
        assert_eq!(money("0.0000005"), "0.000001");
        assert_eq!(text(&Content::Money(None)), "");
    }

    fn panyu() -> (crate::pipeline::Checked, Template) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/panyu.xlsx");
        let bytes = std::fs::read(path).unwrap();
        let config = Config::default();
        let mut forms = process("panyu.xlsx", &bytes, &config).unwrap();
        let c = forms.remove(0);
        let t = config.template(&c.declaration).into_owned();
        (c, t)
    }

    fn cell(p: &Preview, row: u32, col: u16) -> &PreviewCell {
        p.rows[row as usize]
            .cells
            .iter()
            .find(|c| c.col == col)
            .unwrap_or_else(|| panic!("no cell at {row},{col}"))
    }

    #[test]
    fn the_panyu_correction_is_marked_with_its_original_value() {
        let (c, t) = panyu();
        let p = preview(&c.declaration, &t, &c.findings, &c.changes, Lang::Zh);
        assert_eq!(p.sheet, "申报表");
        assert_eq!(p.widths, t.widths);
        assert_eq!(p.rows.len(), 23);
        let f16 = cell(&p, 15, 5);
        assert_eq!(
            f16,
            &PreviewCell {
                row: 15,
                col: 5,
                rowspan: 1,
                colspan: 1,
                text: "≥12次".into(),
                role: "target",
                field: Some(FieldPath::indicator(0, Column::Annual)),
                source: Some("Sheet1!F16".into()),
                mark: Some("changed"),
                note: Some("原值：≧12次\n指标值写作“≧12次”，已规范为“≥12次”（已自动修正）".into()),
            }
        );
        let title = cell(&p, 0, 0);
        assert_eq!((title.role, title.colspan, title.rowspan), ("title", 6, 1));
        let basic = cell(&p, 3, 2);
        assert_eq!((basic.text.as_str(), basic.role), ("440.65", "money"));
        assert_eq!(
            basic.field.map(|f| f.to_string()).as_deref(),
            Some("budget.basic")
        );
        let level1 = cell(&p, 15, 1);
        assert_eq!((level1.text.as_str(), level1.rowspan), ("产出指标", 5));
        // Covered cells are omitted: no cell of column B starts in rows 17 to 20.
        for r in 16..20 {
            assert!(p.rows[r].cells.iter().all(|c| c.col != 1), "row {r}");
        }
        // Every grid cell below the title is covered by exactly one preview cell.
        for r in 1..23u32 {
            for col in 0..6u16 {
                let n = p
                    .rows
                    .iter()
                    .flat_map(|row| &row.cells)
                    .filter(|c| {
                        (c.row..c.row + c.rowspan).contains(&r)
                            && (c.col..c.col + c.colspan).contains(&col)
                    })
                    .count();
                assert_eq!(n, 1, "{r},{col}");
            }
        }
    }

    /// Issue 12: the page marks a cell in the colours the workbook fills it with.
    #[test]
    fn the_page_uses_the_workbooks_colours() {
        use crate::write::form::{FILL_CHANGED, FILL_ERROR, FILL_WARNING};
        let css = include_str!("../serve/assets/app.css");
        for (var, fill) in [
            ("--cell-error", FILL_ERROR),
            ("--cell-warning", FILL_WARNING),
            ("--cell-changed", FILL_CHANGED),
        ] {
            let line = format!("{var}: #{fill:06x};");
            assert!(css.contains(&line), "app.css lacks {line}");
        }
    }

    /// The preview and the corrected workbook come from one layout: every preview cell's text
    /// is what the workbook's 申报表 holds at the same address, and the marked cells are the
    /// ones with a note.
    #[test]
    fn the_preview_is_the_workbook_form() {
        use calamine::{Data, Reader, Xlsx};
        let (c, t) = panyu();
        let p = preview(&c.declaration, &t, &c.findings, &c.changes, Lang::Zh);
        let bytes = crate::write::write_declaration_workbook(
            &c.declaration,
            &t,
            &c.findings,
            &c.changes,
            Lang::Zh,
        )
        .unwrap();
        let mut wb = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = wb.worksheet_range("申报表").unwrap();
        let mut compared = 0;
        for pc in p.rows.iter().flat_map(|r| &r.cells) {
            let shown = match range.get_value((pc.row, pc.col as u32)) {
                None | Some(Data::Empty) => String::new(),
                Some(Data::Float(f)) => format!("{f:.2}"),
                Some(Data::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            };
            let expected = if pc.role == "money" && !pc.text.is_empty() {
                format!("{:.2}", pc.text.parse::<f64>().unwrap())
            } else {
                pc.text.clone()
            };
            assert_eq!(shown, expected, "{},{}", pc.row, pc.col);
            compared += 1;
        }
        assert!(compared > 60, "{compared}");
        let noted = p
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.note.is_some())
            .count();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/comments1.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(noted > 0);
        assert_eq!(noted, xml.matches("<comment ").count());
    }
}
