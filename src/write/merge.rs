//! The consolidated workbook of `jixiao merge` (OUTPUT.md §2): many departments' records as
//! 汇总, 指标明细, 重点任务, 校验结果 and 修改记录, then, with `--forms`, each department's
//! 申报表 on a sheet of its own.
//!
//! The writer takes what it writes: one [`Row`] per input (its record, findings and changes,
//! borrowed) and the run's templates; it knows no command and no configuration. Every row of a
//! sheet is built from them as the sheet is written. Formats, list sheets and status words are
//! those of [`super::book`], so a merged workbook looks like the `convert` one.
//!
//! The totals row of 汇总 holds `SUM` formulas whose stored results are summed as decimals (one
//! conversion at the end), so a reader that does not recalculate shows `926.61`, not a float sum.

use std::collections::HashSet;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell as cell;
use rust_xlsxwriter::{ColNum, Format, FormatAlign, Formula, RowNum, Workbook, Worksheet};

use crate::messages::{write as m, Lang};
use crate::model::{Change, Counts, Declaration, Finding, Money, Status};
use crate::template::Template;

use super::book::{count_format, money_format, status_word};
use super::csv::{kind_word, number_text, op_word};
use super::form::{self, body_format, money_number};
use super::lists::{self, list_row, list_sheet, text_format};
use super::{sheet_name, WriteError};

/// The 一级指标 counted in the 产出 | 效益 | 满意度 columns of 汇总.
const LEVEL1_COLUMNS: [&str; 3] = ["产出指标", "效益指标", "满意度指标"];

/// Columns of 汇总 (see [`m::MERGE_SUMMARY_HEADER`]).
mod col {
    use rust_xlsxwriter::ColNum;
    pub const NUMBER: ColNum = 0;
    pub const FILE: ColNum = 1;
    pub const DEPARTMENT: ColNum = 2;
    pub const TEMPLATE: ColNum = 3;
    pub const YEAR: ColNum = 4;
    pub const BASIC: ColNum = 5;
    pub const PROJECT: ColNum = 6;
    pub const EXPENDITURE: ColNum = 7;
    pub const APPROPRIATION: ColNum = 8;
    pub const OTHER_FUNDS: ColNum = 9;
    pub const INCOME: ColNum = 10;
    pub const BALANCED: ColNum = 11;
    pub const TASKS: ColNum = 12;
    pub const TASK_FUNDS: ColNum = 13;
    pub const INDICATORS: ColNum = 14;
    /// 产出, 效益, 满意度 follow.
    pub const LEVEL1: ColNum = 15;
    pub const ERRORS: ColNum = 18;
    pub const WARNINGS: ColNum = 19;
    pub const STATUS: ColNum = 20;
    /// Columns summed in the totals row as money, and as counts.
    pub const MONEY: [ColNum; 7] = [
        BASIC,
        PROJECT,
        EXPENDITURE,
        APPROPRIATION,
        OTHER_FUNDS,
        INCOME,
        TASK_FUNDS,
    ];
    pub const COUNTS: [ColNum; 7] = [
        TASKS,
        INDICATORS,
        LEVEL1,
        LEVEL1 + 1,
        LEVEL1 + 2,
        ERRORS,
        WARNINGS,
    ];
}

const SUMMARY_WIDTHS: [f64; 21] = [
    6.0, 24.0, 30.0, 16.0, 7.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 8.0, 7.0, 11.0, 7.0, 6.0, 6.0,
    6.0, 6.0, 6.0, 8.0,
];
const INDICATOR_WIDTHS: [f64; 10] = [24.0, 11.0, 18.0, 28.0, 14.0, 14.0, 6.0, 10.0, 8.0, 6.0];
const TASK_WIDTHS: [f64; 5] = [24.0, 20.0, 44.0, 12.0, 44.0];

/// One row of the consolidated workbook: a form, or an input that gave none.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The input's name in the 文件 column (its path below the folder named).
    pub file: &'a str,
    /// The form's record; `None` for an input that gave no form.
    pub declaration: Option<&'a Declaration>,
    /// The form's findings, or those that stand for the failure (`file-unreadable`, …).
    pub findings: &'a [Finding],
    pub changes: &'a [Change],
}

impl<'a> Row<'a> {
    pub fn status(&self) -> Status {
        match self.declaration {
            Some(_) => Status::of_form(self.findings),
            None => Status::Unreadable,
        }
    }

    fn department(&self) -> &'a str {
        self.declaration.map_or("", |d| d.department.as_str())
    }

    /// Its part of 校验结果 and 修改记录.
    fn lists(&self) -> lists::Form<'a> {
        lists::Form {
            file: self.file,
            department: self.department(),
            findings: self.findings,
            changes: self.changes,
            map: None,
        }
    }
}

/// The consolidated workbook of many rows, as xlsx bytes. `templates` draw the `--forms` sheets
/// and name the variants in 汇总 ([`Template::for_record`], [`Template::name_of`]).
pub fn merge_workbook(
    entries: &[Row],
    templates: &[Template],
    forms: bool,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    wb.set_properties(&super::mark::properties(super::mark::OwnKind::Merge));
    // The consolidated book of hundreds of forms is mostly compression time at the default
    // level; level 1 costs a slightly larger file and halves the time to write it.
    wb.set_zip_compression_level(1);
    summary_sheet(streamed(&mut wb, m::SHEET_SUMMARY)?, entries, templates)?;
    indicators_sheet(streamed(&mut wb, m::SHEET_INDICATORS)?, entries)?;
    tasks_sheet(streamed(&mut wb, m::SHEET_TASKS)?, entries)?;
    let lists: Vec<lists::Form> = entries.iter().map(Row::lists).collect();
    let ws = streamed(&mut wb, m::SHEET_FINDINGS)?;
    lists::findings_sheet(ws, &lists::MERGE, &lists, lang)?;
    lists::changes_sheet(streamed(&mut wb, m::SHEET_CHANGES)?, &lists::MERGE, &lists)?;
    if forms {
        let mut used: HashSet<String> = [
            m::SHEET_SUMMARY,
            m::SHEET_INDICATORS,
            m::SHEET_TASKS,
            m::SHEET_FINDINGS,
            m::SHEET_CHANGES,
        ]
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
        for e in entries {
            let Some(d) = e.declaration else { continue };
            let name = sheet_name(&form_sheet_title(e.file, d), &mut used);
            let template = Template::for_record(templates, &d.template);
            let ws = named(&mut wb, &name)?;
            form::write_form(ws, d, &template, e.findings, e.changes, lang)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// A list sheet, written row by row in order: its rows go to a temporary file as they are
/// finished (rust_xlsxwriter's low-memory mode), so a batch of thousands of forms does not hold
/// every cell in memory. Shared strings are kept, as repeated categories and words are many.
fn streamed<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, WriteError> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(name)?;
    Ok(ws)
}

fn named<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, WriteError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    Ok(ws)
}

/// A form's sheet is named after its department, or after its file when the form names none.
fn form_sheet_title(file: &str, decl: &Declaration) -> String {
    let department = decl.department.trim();
    if !department.is_empty() {
        return department.to_string();
    }
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string())
}

/// A money cell: the number with `0.00`, or blank with the same format when empty.
fn put_money(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: Option<Money>,
    fmt: &Format,
) -> Result<(), WriteError> {
    match value {
        Some(v) => ws.write_number_with_format(row, col, money_number(v), fmt)?,
        None => ws.write_blank(row, col, fmt)?,
    };
    Ok(())
}

/// The figures of a 汇总 row, in the order of [`col::MONEY`] and [`col::COUNTS`]; `None` is a
/// blank cell (an unreadable input has no budget and no tasks, but has its error).
struct Figures {
    money: [Option<Money>; col::MONEY.len()],
    counts: [Option<usize>; col::COUNTS.len()],
}

/// The one place the figures of a row are computed: its cells and the totals both use them.
fn row_figures(e: &Row) -> Figures {
    let open = Counts::of(e.findings);
    let (errors, warnings) = (Some(open.errors), Some(open.warnings));
    let Some(d) = e.declaration else {
        return Figures {
            money: [None; col::MONEY.len()],
            counts: [None, None, None, None, None, errors, warnings],
        };
    };
    let b = &d.budget;
    Figures {
        money: [
            b.basic,
            b.project,
            b.expenditure(),
            b.appropriation,
            b.other_funds,
            b.income(),
            task_funds(d),
        ],
        counts: [
            Some(d.tasks.len()),
            Some(d.indicators.len()),
            Some(level1_count(d, LEVEL1_COLUMNS[0])),
            Some(level1_count(d, LEVEL1_COLUMNS[1])),
            Some(level1_count(d, LEVEL1_COLUMNS[2])),
            errors,
            warnings,
        ],
    }
}

/// The cells of a read form's 汇总 row that are not figures: department, template, year,
/// balanced.
fn summary_row(
    ws: &mut Worksheet,
    r: RowNum,
    d: &Declaration,
    templates: &[Template],
    fmts: &Formats,
) -> Result<(), WriteError> {
    let b = &d.budget;
    ws.write_string_with_format(
        r,
        col::DEPARTMENT,
        form::cell_text(&d.department),
        &fmts.text,
    )?;
    ws.write_string_with_format(
        r,
        col::TEMPLATE,
        Template::name_of(templates, &d.template),
        &fmts.text,
    )?;
    match d.year {
        Some(y) => ws.write_number_with_format(r, col::YEAR, y as f64, &fmts.center)?,
        None => ws.write_blank(r, col::YEAR, &fmts.center)?,
    };
    let balanced = if b.balanced() { m::YES } else { m::NO };
    // Rounded: Excel adds binary floats (see the `convert` 汇总).
    let f = Formula::new(format!(
        "=IF(ROUND({}-{},6)=0,\"{}\",\"{}\")",
        cell(r, col::EXPENDITURE),
        cell(r, col::INCOME),
        m::YES,
        m::NO
    ))
    .set_result(balanced);
    ws.write_formula_with_format(r, col::BALANCED, f, &fmts.center)?;
    Ok(())
}

/// The figures of a row: amounts (the two totals as formulas over the row, with the record's
/// exact sums stored) and counts.
fn figure_cells(
    ws: &mut Worksheet,
    r: RowNum,
    figures: &Figures,
    fmts: &Formats,
) -> Result<(), WriteError> {
    let sum2 = |a: ColNum, z: ColNum, value: Money| {
        Formula::new(format!("={}+{}", cell(r, a), cell(r, z))).set_result(value.display())
    };
    for (&c, value) in col::MONEY.iter().zip(figures.money) {
        let parts = match c {
            col::EXPENDITURE => Some((col::BASIC, col::PROJECT)),
            col::INCOME => Some((col::APPROPRIATION, col::OTHER_FUNDS)),
            _ => None,
        };
        match (parts, value) {
            (Some((a, z)), Some(v)) => {
                ws.write_formula_with_format(r, c, sum2(a, z, v), &fmts.money)?;
            }
            _ => put_money(ws, r, c, value, &fmts.money)?,
        }
    }
    for (&c, n) in col::COUNTS.iter().zip(figures.counts) {
        if let Some(n) = n {
            ws.write_number_with_format(r, c, n as f64, &fmts.count)?;
        }
    }
    Ok(())
}

/// 任务资金合计: the sum of the tasks' funds, blank when no task states any.
fn task_funds(d: &Declaration) -> Option<Money> {
    Money::total(d.tasks.iter().map(|t| t.funds))
}

fn level1_count(d: &Declaration, level1: &str) -> usize {
    d.indicators.iter().filter(|i| i.level1 == level1).count()
}

/// The formats of the summary, made once.
struct Formats {
    text: Format,
    center: Format,
    money: Format,
    count: Format,
}

/// What the totals row sums: the money columns as exact decimals (`None` once a column's sum
/// leaves the decimal range), the counts as integers.
struct Totals {
    money: [Option<Decimal>; col::MONEY.len()],
    counts: [u64; col::COUNTS.len()],
}

impl Default for Totals {
    fn default() -> Totals {
        Totals {
            money: [Some(Decimal::ZERO); col::MONEY.len()],
            counts: [0; col::COUNTS.len()],
        }
    }
}

impl Totals {
    fn add(&mut self, figures: &Figures) {
        for (t, v) in self.money.iter_mut().zip(figures.money) {
            *t = t.and_then(|t| t.checked_add(v.map(|v| v.0).unwrap_or_default()));
        }
        for (t, v) in self.counts.iter_mut().zip(figures.counts) {
            *t += v.unwrap_or_default() as u64;
        }
    }
}

fn summary_sheet(
    ws: &mut Worksheet,
    entries: &[Row],
    templates: &[Template],
) -> Result<(), WriteError> {
    list_sheet(ws, &m::MERGE_SUMMARY_HEADER, &SUMMARY_WIDTHS, entries.len())?;
    // Two lines: the narrow count columns wrap their headers (重点任务数).
    ws.set_row_height(0, form::lines_height(2))?;
    let fmts = Formats {
        text: text_format(),
        center: body_format().set_align(FormatAlign::Center),
        money: money_format(),
        count: count_format(),
    };
    let mut totals = Totals::default();
    for (i, e) in entries.iter().enumerate() {
        let r = (i + 1) as RowNum;
        let figures = row_figures(e);
        totals.add(&figures);
        // Every cell of the row gets the bordered body format, blank or not.
        for (c, _) in SUMMARY_WIDTHS.iter().enumerate() {
            let c = c as ColNum;
            let fmt = if col::MONEY.contains(&c) {
                &fmts.money
            } else {
                &fmts.text
            };
            ws.write_blank(r, c, fmt)?;
        }
        ws.write_number_with_format(r, col::NUMBER, (i + 1) as f64, &fmts.center)?;
        ws.write_string_with_format(r, col::FILE, form::cell_text(e.file), &fmts.text)?;
        if let Some(d) = e.declaration {
            summary_row(ws, r, d, templates, &fmts)?;
        }
        figure_cells(ws, r, &figures, &fmts)?;
        ws.write_string_with_format(r, col::STATUS, status_word(e.status()), &fmts.center)?;
        ws.set_row_height(
            r,
            form::row_height_for([
                (e.file, SUMMARY_WIDTHS[col::FILE as usize]),
                (e.department(), SUMMARY_WIDTHS[col::DEPARTMENT as usize]),
            ]),
        )?;
    }
    totals_row(ws, (entries.len() + 1) as RowNum, &totals, &fmts)?;
    Ok(())
}

/// The totals row below the entries (outside the autofilter, so sorting leaves it last).
fn totals_row(
    ws: &mut Worksheet,
    r: RowNum,
    totals: &Totals,
    fmts: &Formats,
) -> Result<(), WriteError> {
    let bold = |f: &Format| f.clone().set_bold();
    let label = bold(&fmts.center);
    ws.merge_range(r, col::NUMBER, r, col::YEAR, m::TOTAL, &label)?;
    for c in col::YEAR + 1..=col::STATUS {
        ws.write_blank(r, c, &label)?;
    }
    // `SUM(F2:F1)` would be the header cell: with no entry the totals are plain zeros.
    let sum = |c: ColNum, result: String| {
        Formula::new(format!("=SUM({}:{})", cell(1, c), cell(r - 1, c))).set_result(result)
    };
    let money = bold(&fmts.money);
    for (c, total) in col::MONEY.iter().zip(totals.money) {
        // A sum beyond the decimal range is left for the spreadsheet to compute.
        let shown = total.map(|t| Money(t).display()).unwrap_or_default();
        if r > 1 {
            ws.write_formula_with_format(r, *c, sum(*c, shown), &money)?;
        } else {
            ws.write_number_with_format(
                r,
                *c,
                money_number(Money(total.unwrap_or_default())),
                &money,
            )?;
        }
    }
    let counts = bold(&fmts.count);
    for (c, total) in col::COUNTS.iter().zip(totals.counts) {
        if r > 1 {
            ws.write_formula_with_format(r, *c, sum(*c, total.to_string()), &counts)?;
        } else {
            ws.write_number_with_format(r, *c, total as f64, &counts)?;
        }
    }
    Ok(())
}

fn indicators_sheet(ws: &mut Worksheet, entries: &[Row]) -> Result<(), WriteError> {
    let decls: Vec<&Declaration> = entries.iter().filter_map(|e| e.declaration).collect();
    let rows = decls.iter().map(|d| d.indicators.len()).sum();
    list_sheet(ws, &m::INDICATORS_HEADER, &INDICATOR_WIDTHS, rows)?;
    let text = text_format();
    let center = body_format().set_align(FormatAlign::Center);
    let right = body_format().set_align(FormatAlign::Right);
    let mut r: RowNum = 0;
    for d in decls {
        for i in &d.indicators {
            r += 1;
            let a = &i.annual;
            let period = i.period.as_ref().map(|t| t.text.as_str()).unwrap_or("");
            // Not money, but the writer's one decimal→float conversion serves any decimal.
            let value = number_text(a);
            let number = value
                .parse::<Decimal>()
                .ok()
                .map(|v| money_number(Money(v)));
            let value_cell: (&str, &Format) = match number {
                Some(_) => ("", &right),
                None => (&value, &center),
            };
            list_row(
                ws,
                r,
                0,
                &[
                    (&d.department, &text),
                    (&i.level1, &center),
                    (&i.level2, &center),
                    (&i.name, &text),
                    (period, &text),
                    (&a.text, &text),
                    (op_word(a), &center),
                    value_cell,
                    (a.unit.as_deref().unwrap_or(""), &center),
                    (kind_word(a.kind), &center),
                ],
                &INDICATOR_WIDTHS,
            )?;
            if let Some(n) = number {
                ws.write_number_with_format(r, 7, n, &right)?;
            }
        }
    }
    Ok(())
}

fn tasks_sheet(ws: &mut Worksheet, entries: &[Row]) -> Result<(), WriteError> {
    let decls: Vec<&Declaration> = entries.iter().filter_map(|e| e.declaration).collect();
    let rows = decls.iter().map(|d| d.tasks.len()).sum();
    list_sheet(ws, &m::TASKS_HEADER, &TASK_WIDTHS, rows)?;
    let text = text_format();
    let money = money_format();
    let mut r: RowNum = 0;
    for d in decls {
        for t in &d.tasks {
            r += 1;
            list_row(
                ws,
                r,
                0,
                &[
                    (&d.department, &text),
                    (&t.name, &text),
                    (&t.content, &text),
                    ("", &money),
                    (&t.outcome, &text),
                ],
                &TASK_WIDTHS,
            )?;
            put_money(ws, r, 3, t.funds, &money)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::FRAMEWORK;

    #[test]
    fn columns_match_the_headers() {
        let h = m::MERGE_SUMMARY_HEADER;
        assert_eq!(h.len(), SUMMARY_WIDTHS.len());
        assert_eq!(h[col::BASIC as usize], "基本支出");
        assert_eq!(h[col::EXPENDITURE as usize], "支出合计");
        assert_eq!(h[col::INCOME as usize], "收入合计");
        assert_eq!(h[col::TASK_FUNDS as usize], "任务资金合计");
        assert_eq!(h[col::LEVEL1 as usize], "产出");
        assert_eq!(h[col::LEVEL1 as usize + 2], "满意度");
        assert_eq!(h[col::ERRORS as usize], "错误");
        assert_eq!(h[col::STATUS as usize], "状态");
        assert_eq!(INDICATOR_WIDTHS.len(), m::INDICATORS_HEADER.len());
        assert_eq!(TASK_WIDTHS.len(), m::TASKS_HEADER.len());
    }

    #[test]
    fn level1_columns_are_framework_categories() {
        for (l1, header) in LEVEL1_COLUMNS.iter().zip(&m::MERGE_SUMMARY_HEADER[15..18]) {
            assert!(FRAMEWORK.iter().any(|(f, _)| f == l1), "{l1}");
            assert!(l1.starts_with(header), "{l1} under {header}");
        }
    }

    #[test]
    fn an_unreadable_input_has_only_its_finding_counts() {
        use crate::model::{Code, Hole};
        let unreadable = [Finding::new(Code::FileUnreadable).param(Hole::Error, "x.xlsx：…")];
        let e = Row {
            file: "x.xlsx",
            declaration: None,
            findings: &unreadable,
            changes: &[],
        };
        assert_eq!(e.status(), Status::Unreadable);
        let f = row_figures(&e);
        assert!(f.money.iter().all(Option::is_none));
        let counted: Vec<(ColNum, usize)> = col::COUNTS
            .iter()
            .zip(f.counts)
            .filter_map(|(c, n)| Some((*c, n?)))
            .collect();
        assert_eq!(counted, [(col::ERRORS, 1), (col::WARNINGS, 0)]);
    }

    #[test]
    fn an_empty_merge_still_writes_a_workbook() {
        let bytes = merge_workbook(&[], &Template::builtin(), true, Lang::Zh).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }

    #[test]
    fn form_sheets_fall_back_to_the_file_stem() {
        let decl: Declaration = serde_json::from_value(serde_json::json!({
            "format": "jixiao.declaration/1", "template": "gz-dept-overall",
            "source": {"file": "a.xlsx", "sheet": null}, "title": "", "year": null,
            "department": "  ", "basic_info": null, "budget": {}, "overall_goal": "",
            "tasks": [], "other_tasks": null, "indicators": []
        }))
        .unwrap();
        assert_eq!(form_sheet_title("区/b.xlsx", &decl), "b");
    }
}
