//! The consolidated workbook of `jixiao merge` (docs/OUTPUT.md §2): many departments' records as
//! 汇总 (department forms), 项目汇总 (project forms, when there are any), 指标明细, 重点任务,
//! 校验结果 and 修改记录, then, with `--forms`, each form's 申报表 on a sheet of its own. A
//! workbook that holds several forms (docs/FORM.md §1.4) gives a row per form; every sheet names the
//! file and the sheet each row comes from (文件, 工作表), and the lists name a project form's
//! project beside its department (项目).
//!
//! The writer takes what it writes: one [`Row`] per input (its record, findings and changes,
//! borrowed) and the run's templates; it knows no command and no configuration. Every row of a
//! sheet is built from them as the sheet is written. Formats, list sheets and status words are
//! those of [`super::book`], so a merged workbook looks like the `convert` one.
//!
//! The totals row of each summary holds `SUM` formulas whose stored results are summed as
//! decimals (one conversion at the end), so a reader that does not recalculate shows `926.61`,
//! not a float sum.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell as cell;
use rust_xlsxwriter::{ColNum, Format, FormatAlign, Formula, RowNum, Workbook, Worksheet};

use crate::messages::{write as m, Lang, Text};
use crate::model::{Body, Change, Counts, Declaration, Finding, Money, RecordKind, Status};
use crate::template::Template;

use super::book::{balance_formula, count_format, money_format, status_word};
use super::csv::{budget_system_cells, kind_word, number_text, op_word, target_text};
use super::form::{self, body_format, money_number};
use super::lists::{self, list_row, list_sheet, text_format, words};
use super::{sheet_name, WriteError};

/// The 一级指标 counted in the 产出 | 效益 | 满意度 columns of 汇总.
const LEVEL1_COLUMNS: [&str; 3] = ["产出指标", "效益指标", "满意度指标"];

/// Columns of 汇总 (see [`m::MERGE_SUMMARY_HEADER`]); 序号 and 文件 lead 项目汇总 too.
mod col {
    use rust_xlsxwriter::ColNum;
    pub const NUMBER: ColNum = 0;
    pub const FILE: ColNum = 1;
    pub const SHEET: ColNum = 2;
    pub const DEPARTMENT: ColNum = 3;
    pub const TEMPLATE: ColNum = 4;
    pub const YEAR: ColNum = 5;
    pub const BASIC: ColNum = 6;
    pub const PROJECT: ColNum = 7;
    pub const EXPENDITURE: ColNum = 8;
    pub const APPROPRIATION: ColNum = 9;
    pub const OTHER_FUNDS: ColNum = 10;
    pub const INCOME: ColNum = 11;
    pub const BALANCED: ColNum = 12;
    pub const TASKS: ColNum = 13;
    pub const TASK_FUNDS: ColNum = 14;
    pub const INDICATORS: ColNum = 15;
    /// 产出, 效益, 满意度 follow.
    pub const LEVEL1: ColNum = 16;
    /// 错误, 警告, 提示, 已修正: the counts of every report.
    pub const ERRORS: ColNum = 19;
    pub const WARNINGS: ColNum = 20;
    pub const INFOS: ColNum = 21;
    pub const CORRECTIONS: ColNum = 22;
    pub const STATUS: ColNum = 23;
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
    pub const COUNTS: [ColNum; 9] = [
        TASKS,
        INDICATORS,
        LEVEL1,
        LEVEL1 + 1,
        LEVEL1 + 2,
        ERRORS,
        WARNINGS,
        INFOS,
        CORRECTIONS,
    ];
}

/// Columns of 项目汇总 (see [`m::MERGE_PROJECTS_HEADER`]).
mod pcol {
    use rust_xlsxwriter::ColNum;
    pub const SHEET: ColNum = 2;
    pub const NAME: ColNum = 3;
    pub const DEPARTMENT: ColNum = 4;
    pub const IMPLEMENTER: ColNum = 5;
    pub const PERIOD: ColNum = 6;
    pub const ANNUAL_TOTAL: ColNum = 7;
    pub const APPROPRIATION: ColNum = 8;
    pub const OTHER: ColNum = 9;
    pub const PERIOD_TOTAL: ColNum = 10;
    pub const INDICATORS: ColNum = 11;
    pub const ERRORS: ColNum = 12;
    pub const WARNINGS: ColNum = 13;
    pub const INFOS: ColNum = 14;
    pub const CORRECTIONS: ColNum = 15;
    pub const STATUS: ColNum = 16;
    pub const MONEY: [ColNum; 4] = [ANNUAL_TOTAL, APPROPRIATION, OTHER, PERIOD_TOTAL];
    pub const COUNTS: [ColNum; 5] = [INDICATORS, ERRORS, WARNINGS, INFOS, CORRECTIONS];
}

const SUMMARY_WIDTHS: [f64; 24] = [
    6.0, 24.0, 16.0, 30.0, 18.0, 7.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 8.0, 8.0, 11.0, 8.0, 7.0,
    7.0, 7.0, 7.0, 7.0, 7.0, 8.0, 12.0,
];
const PROJECTS_WIDTHS: [f64; 17] = [
    6.0, 24.0, 16.0, 30.0, 26.0, 26.0, 20.0, 12.0, 11.0, 11.0, 12.0, 8.0, 7.0, 7.0, 7.0, 8.0, 12.0,
];
const INDICATOR_WIDTHS: [f64; 16] = [
    20.0, 14.0, 24.0, 24.0, 11.0, 18.0, 28.0, 14.0, 14.0, 6.0, 10.0, 8.0, 6.0, 9.0, 14.0, 10.0,
];
const TASK_WIDTHS: [f64; 7] = [20.0, 14.0, 24.0, 20.0, 44.0, 12.0, 44.0];

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
        self.declaration.map_or("", |d| d.department())
    }

    /// A project form's project (nothing for a department form).
    fn project(&self) -> &'a str {
        self.declaration.map_or("", |d| d.project_name())
    }

    /// Whether the row is a project form's: it stands on 项目汇总, not on 汇总.
    pub fn is_project(&self) -> bool {
        self.declaration
            .is_some_and(|d| d.kind() == RecordKind::Project)
    }

    /// The sheet the form was read from, with the form's range when the sheet holds several
    /// ([`crate::model::Source::place`]); nothing for CSV, JSON or an unreadable input.
    fn sheet(&self) -> Cow<'a, str> {
        self.declaration
            .and_then(|d| d.source.place())
            .unwrap_or_default()
    }

    /// Its part of 校验结果 and 修改记录; `templates` name the places of its findings.
    fn lists(&self, templates: &'a [Template]) -> lists::Form<'a> {
        lists::Form {
            file: self.file,
            sheet: self.sheet(),
            department: self.department(),
            project: self.project(),
            findings: self.findings,
            changes: self.changes,
            record: self
                .declaration
                .map(|d| (d, Template::for_record(templates, &d.template, d.kind()))),
            drawn: None,
        }
    }
}

/// Where the consolidated workbook keeps its long list sheets while it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spill {
    /// rust_xlsxwriter's low-memory mode: rows go to an anonymous temporary file (deleted when
    /// closed, never visible by name) as they are written. The command line's choice: memory
    /// stays flat for tens of thousands of forms.
    TempFile,
    /// Every cell in memory until the workbook is zipped: nothing of an upload touches the
    /// disk. The web server's choice; its request size limit bounds the memory.
    Memory,
}

/// The consolidated workbook of many rows, as xlsx bytes. `templates` draw the `--forms` sheets
/// and name the variants in 汇总 ([`Template::for_record`], [`Template::name_of`]); `spill`
/// says where the list sheets are kept while they are written.
pub fn merge_workbook(
    entries: &[Row],
    templates: &[Template],
    forms: bool,
    spill: Spill,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    wb.set_properties(&super::mark::properties(super::mark::OwnKind::Merge));
    // The consolidated book of hundreds of forms is mostly compression time at the default
    // level; level 1 costs a slightly larger file and halves the time to write it.
    wb.set_zip_compression_level(1);
    let (projects, others): (Vec<&Row>, Vec<&Row>) = entries.iter().partition(|e| e.is_project());
    let name = |t: Text| t.get(lang);
    summary_sheet(
        list(&mut wb, name(m::SHEET_SUMMARY), spill)?,
        Summary::Departments,
        &others,
        templates,
        lang,
    )?;
    if !projects.is_empty() {
        summary_sheet(
            list(&mut wb, name(m::SHEET_PROJECTS), spill)?,
            Summary::Projects,
            &projects,
            templates,
            lang,
        )?;
    }
    let ws = list(&mut wb, name(m::SHEET_INDICATORS), spill)?;
    indicators_sheet(ws, entries, lang)?;
    tasks_sheet(list(&mut wb, name(m::SHEET_TASKS), spill)?, entries, lang)?;
    let lists: Vec<lists::Form> = entries.iter().map(|e| e.lists(templates)).collect();
    let ws = list(&mut wb, name(m::SHEET_FINDINGS), spill)?;
    lists::findings_sheet(ws, &lists::MERGE, &lists, lang)?;
    let ws = list(&mut wb, name(m::SHEET_CHANGES), spill)?;
    lists::changes_sheet(ws, &lists::MERGE, &lists, lang)?;
    if forms {
        let mut used: HashSet<String> = [
            m::SHEET_SUMMARY,
            m::SHEET_PROJECTS,
            m::SHEET_INDICATORS,
            m::SHEET_TASKS,
            m::SHEET_FINDINGS,
            m::SHEET_CHANGES,
        ]
        .iter()
        .map(|s| s.get(lang).to_lowercase())
        .collect();
        for e in entries {
            let Some(d) = e.declaration else { continue };
            let name = sheet_name(&form_sheet_title(e.file, d, lang), &mut used);
            let template = Template::for_record(templates, &d.template, d.kind());
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

/// A list sheet, [`streamed`] or held in memory as `spill` says.
fn list<'a>(
    wb: &'a mut Workbook,
    name: &str,
    spill: Spill,
) -> Result<&'a mut Worksheet, WriteError> {
    match spill {
        Spill::TempFile => streamed(wb, name),
        Spill::Memory => named(wb, name),
    }
}

fn named<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, WriteError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    Ok(ws)
}

/// A form's sheet says which unit (or project) and which file it comes from: `{name}（{file}）`,
/// the name being the form's department (a project form's project: [`Declaration::name`]) or,
/// when it names none, the sheet it was read from (with its range when the sheet holds several
/// forms: [`crate::model::Source::place`]), and the file its name without extension.
/// Two forms of one workbook differ by their name (or sheet); one department sent twice, by its
/// file. ([`sheet_name`] keeps the name legal, unique and at most 31 characters: a long name
/// leaves less of the file.)
fn form_sheet_title(file: &str, decl: &Declaration, lang: Lang) -> String {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let place = decl.source.place().unwrap_or_default();
    let who = [decl.name().trim(), place.as_ref()]
        .into_iter()
        .find(|s| !s.is_empty());
    match who {
        Some(who) => m::FORM_SHEET_OF.render(lang, &[("name", who), ("file", &stem)]),
        None => stem,
    }
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

/// The two summaries of the merge workbook: 汇总 of the department forms (and the inputs that
/// gave no form), 项目汇总 of the project forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Summary {
    Departments,
    Projects,
}

/// The columns of a summary: its header and widths, the columns of money and of counts (in
/// the order of [`Figures`], each summed in the totals row), a money column that is the sum of
/// two others of its row, the last column the totals row's 合计 spans, and the status column.
struct Shape {
    header: &'static [Text],
    widths: &'static [f64],
    money: &'static [ColNum],
    counts: &'static [ColNum],
    sums: &'static [(ColNum, (ColNum, ColNum))],
    label_end: ColNum,
    status: ColNum,
}

impl Summary {
    fn shape(self) -> Shape {
        match self {
            Summary::Departments => Shape {
                header: &m::MERGE_SUMMARY_HEADER,
                widths: &SUMMARY_WIDTHS,
                money: &col::MONEY,
                counts: &col::COUNTS,
                sums: &[
                    (col::EXPENDITURE, (col::BASIC, col::PROJECT)),
                    (col::INCOME, (col::APPROPRIATION, col::OTHER_FUNDS)),
                ],
                label_end: col::YEAR,
                status: col::STATUS,
            },
            Summary::Projects => Shape {
                header: &m::MERGE_PROJECTS_HEADER,
                widths: &PROJECTS_WIDTHS,
                money: &pcol::MONEY,
                counts: &pcol::COUNTS,
                sums: &[],
                label_end: pcol::PERIOD,
                status: pcol::STATUS,
            },
        }
    }

    /// The one place the figures of a row are computed: its cells and the totals both use
    /// them. An input that gave no form has only its findings' counts.
    fn figures(self, e: &Row) -> Figures {
        let c = Counts::of(e.findings);
        // 错误, 警告, 提示, 已修正 are the last four count columns of both summaries.
        let levels = [c.errors, c.warnings, c.infos, c.corrections].map(Some);
        let shape = self.shape();
        let Some(d) = e.declaration else {
            let mut counts = vec![None; shape.counts.len() - levels.len()];
            counts.extend(levels);
            return Figures {
                money: vec![None; shape.money.len()],
                counts,
            };
        };
        let level1 = |l1: &str| Some(d.indicators().iter().filter(|i| i.level1 == l1).count());
        match &d.body {
            Body::Department(body) => {
                let b = &body.budget;
                Figures {
                    money: vec![
                        b.basic,
                        b.project,
                        b.expenditure(),
                        b.appropriation,
                        b.other_funds,
                        b.income(),
                        Money::total(body.tasks.iter().map(|t| t.funds)),
                    ],
                    counts: [
                        Some(body.tasks.len()),
                        Some(body.indicators.len()),
                        level1(LEVEL1_COLUMNS[0]),
                        level1(LEVEL1_COLUMNS[1]),
                        level1(LEVEL1_COLUMNS[2]),
                    ]
                    .into_iter()
                    .chain(levels)
                    .collect(),
                }
            }
            Body::Project(p) => Figures {
                money: vec![
                    p.funds.annual_total,
                    p.funds.annual_appropriation,
                    p.funds.annual_other,
                    p.funds.period_total,
                ],
                counts: std::iter::once(Some(p.indicators.len()))
                    .chain(levels)
                    .collect(),
            },
        }
    }

    /// The text cells of a read form's row (and the balance formula of 汇总); the texts and
    /// their column widths, for the row's height.
    fn texts<'a>(
        self,
        ws: &mut Worksheet,
        r: RowNum,
        d: &'a Declaration,
        templates: &'a [Template],
        fmts: &Formats,
        lang: Lang,
    ) -> Result<Vec<(Cow<'a, str>, ColNum)>, WriteError> {
        let sheet = d.source.place().unwrap_or_default();
        let texts: Vec<(Cow<str>, ColNum)> = match &d.body {
            Body::Project(p) => vec![
                (sheet, pcol::SHEET),
                (p.project.name.as_str().into(), pcol::NAME),
                (p.project.department.as_str().into(), pcol::DEPARTMENT),
                (p.project.implementer.as_str().into(), pcol::IMPLEMENTER),
                (p.project.period.as_str().into(), pcol::PERIOD),
            ],
            Body::Department(_) => vec![
                (sheet, col::SHEET),
                (d.department().into(), col::DEPARTMENT),
                (
                    Template::name_of(templates, &d.template).into(),
                    col::TEMPLATE,
                ),
            ],
        };
        for (text, c) in &texts {
            ws.write_string_with_format(r, *c, form::cell_text(text), &fmts.text)?;
        }
        if let Body::Department(body) = &d.body {
            match d.year {
                Some(y) => ws.write_number_with_format(r, col::YEAR, y as f64, &fmts.center)?,
                None => ws.write_blank(r, col::YEAR, &fmts.center)?,
            };
            let (exp, inc) = ((r, col::EXPENDITURE), (r, col::INCOME));
            let f = balance_formula(exp, inc, body.budget.balanced(), lang);
            ws.write_formula_with_format(r, col::BALANCED, f, &fmts.center)?;
        }
        Ok(texts)
    }
}

/// The figures of a summary row, in the order of its shape's money and count columns; `None`
/// is a blank cell (an unreadable input has no budget and no tasks, but has its error).
struct Figures {
    money: Vec<Option<Money>>,
    counts: Vec<Option<usize>>,
}

/// The figures of a row: amounts (a sum of two as a formula over the row, with the record's
/// exact sum stored) and counts.
fn figure_cells(
    ws: &mut Worksheet,
    r: RowNum,
    shape: &Shape,
    figures: &Figures,
    fmts: &Formats,
) -> Result<(), WriteError> {
    for (&c, value) in shape.money.iter().zip(&figures.money) {
        let parts = shape.sums.iter().find(|(s, _)| *s == c).map(|(_, p)| *p);
        match (parts, value) {
            (Some((a, z)), Some(v)) => {
                let f =
                    Formula::new(format!("={}+{}", cell(r, a), cell(r, z))).set_result(v.display());
                ws.write_formula_with_format(r, c, f, &fmts.money)?;
            }
            _ => put_money(ws, r, c, *value, &fmts.money)?,
        }
    }
    for (&c, n) in shape.counts.iter().zip(&figures.counts) {
        if let Some(n) = n {
            ws.write_number_with_format(r, c, *n as f64, &fmts.count)?;
        }
    }
    Ok(())
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
    money: Vec<Option<Decimal>>,
    counts: Vec<u64>,
}

impl Totals {
    fn new(shape: &Shape) -> Totals {
        Totals {
            money: vec![Some(Decimal::ZERO); shape.money.len()],
            counts: vec![0; shape.counts.len()],
        }
    }

    fn add(&mut self, figures: &Figures) {
        for (t, v) in self.money.iter_mut().zip(&figures.money) {
            *t = t.and_then(|t| t.checked_add(v.map(|v| v.0).unwrap_or_default()));
        }
        for (t, v) in self.counts.iter_mut().zip(&figures.counts) {
            *t += v.unwrap_or_default() as u64;
        }
    }
}

/// 汇总 or 项目汇总: a row per entry (numbered, with its file, texts, figures and status), then
/// the totals row.
fn summary_sheet(
    ws: &mut Worksheet,
    summary: Summary,
    entries: &[&Row],
    templates: &[Template],
    lang: Lang,
) -> Result<(), WriteError> {
    let shape = summary.shape();
    let header = words(shape.header, lang);
    let widths = list_sheet(ws, &header, shape.widths, entries.len(), lang)?;
    let fmts = Formats {
        text: text_format(),
        center: body_format().set_align(FormatAlign::Center),
        money: money_format(),
        count: count_format(),
    };
    let mut totals = Totals::new(&shape);
    for (i, e) in entries.iter().enumerate() {
        let r = (i + 1) as RowNum;
        let figures = summary.figures(e);
        totals.add(&figures);
        // Every cell of the row gets the bordered body format, blank or not.
        for c in 0..shape.widths.len() as ColNum {
            let fmt = if shape.money.contains(&c) {
                &fmts.money
            } else {
                &fmts.text
            };
            ws.write_blank(r, c, fmt)?;
        }
        ws.write_number_with_format(r, col::NUMBER, (i + 1) as f64, &fmts.center)?;
        ws.write_string_with_format(r, col::FILE, form::cell_text(e.file), &fmts.text)?;
        let mut texts: Vec<(Cow<str>, ColNum)> = vec![(e.file.into(), col::FILE)];
        if let Some(d) = e.declaration {
            texts.extend(summary.texts(ws, r, d, templates, &fmts, lang)?);
        }
        figure_cells(ws, r, &shape, &figures, &fmts)?;
        let status = status_word(e.status(), lang);
        ws.write_string_with_format(r, shape.status, status, &fmts.center)?;
        let heights = texts.iter().map(|(t, c)| (t.as_ref(), widths[*c as usize]));
        ws.set_row_height(r, form::row_height_for(heights))?;
    }
    let r = (entries.len() + 1) as RowNum;
    totals_row(ws, r, &shape, &totals, &fmts, lang)
}

/// The totals row below the entries (outside the autofilter, so sorting leaves it last).
fn totals_row(
    ws: &mut Worksheet,
    r: RowNum,
    shape: &Shape,
    totals: &Totals,
    fmts: &Formats,
    lang: Lang,
) -> Result<(), WriteError> {
    let bold = |f: &Format| f.clone().set_bold();
    let label = bold(&fmts.center);
    ws.merge_range(
        r,
        col::NUMBER,
        r,
        shape.label_end,
        m::TOTAL.get(lang),
        &label,
    )?;
    for c in shape.label_end + 1..=shape.status {
        ws.write_blank(r, c, &label)?;
    }
    // `SUM(F2:F1)` would be the header cell: with no entry the totals are plain zeros.
    let sum = |c: ColNum, result: String| {
        Formula::new(format!("=SUM({}:{})", cell(1, c), cell(r - 1, c))).set_result(result)
    };
    let money = bold(&fmts.money);
    for (c, total) in shape.money.iter().zip(&totals.money) {
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
    for (c, total) in shape.counts.iter().zip(&totals.counts) {
        if r > 1 {
            ws.write_formula_with_format(r, *c, sum(*c, total.to_string()), &counts)?;
        } else {
            ws.write_number_with_format(r, *c, *total as f64, &counts)?;
        }
    }
    Ok(())
}

/// A decimal written as a number in a list of text (an indicator's value): right-aligned, as a
/// number, so that it sums and sorts; text otherwise.
fn put_value(
    ws: &mut Worksheet,
    r: RowNum,
    c: ColNum,
    value: &str,
    fmts: (&Format, &Format),
) -> Result<(), WriteError> {
    match value.parse::<Decimal>() {
        // Not money, but the writer's one decimal→float conversion serves any decimal.
        Ok(v) => ws.write_number_with_format(r, c, money_number(Money(v)), fmts.0)?,
        Err(_) => ws.write_string_with_format(r, c, form::cell_text(value), fmts.1)?,
    };
    Ok(())
}

/// 指标明细: one row per indicator of every form (a project form's annual block, then its
/// mid-term block), led by its file and sheet, with the columns of the indicator CSV (the
/// target split as 符号 | 数值 | 单位 | 类型, and as the budget system's 计算符号 | 指标值 |
/// 计量单位).
fn indicators_sheet(ws: &mut Worksheet, entries: &[Row], lang: Lang) -> Result<(), WriteError> {
    let rows = entries
        .iter()
        .filter_map(|e| e.declaration)
        .map(|d| d.indicator_rows().len())
        .sum();
    let header: Vec<&str> = [m::LIST_FILE, m::LIST_SHEET]
        .into_iter()
        .chain(m::INDICATORS_HEADER)
        .map(|t| t.get(lang))
        .collect();
    let widths = list_sheet(ws, &header, &INDICATOR_WIDTHS, rows, lang)?;
    let text = text_format();
    let center = body_format().set_align(FormatAlign::Center);
    let right = form::number_format("General");
    let empty = crate::model::Target::empty();
    let mut r: RowNum = 0;
    for e in entries {
        let Some(d) = e.declaration else { continue };
        for i in d.indicator_rows() {
            r += 1;
            let a = i.main_target().unwrap_or(&empty);
            let number = number_text(a);
            let budget = budget_system_cells(a);
            list_row(
                ws,
                r,
                0,
                &[
                    (e.file, &text),
                    (&e.sheet(), &text),
                    (d.department(), &text),
                    (d.project_name(), &text),
                    (i.level1, &center),
                    (i.level2, &center),
                    (i.name, &text),
                    (target_text(i.period), &text),
                    (target_text(i.annual), &text),
                    (op_word(a, lang), &center),
                    (&number, &center),
                    (a.unit.as_deref().unwrap_or(""), &center),
                    (kind_word(a.kind, lang), &center),
                    (budget.sign, &center),
                    (&budget.value, &center),
                    (budget.unit, &center),
                ],
                &widths,
            )?;
            // 数值 and 指标值 hold numbers as numbers.
            put_value(ws, r, 10, &number, (&right, &center))?;
            put_value(ws, r, 14, &budget.value, (&right, &center))?;
        }
    }
    Ok(())
}

/// 重点任务: one row per task of every department form, led by its file and sheet.
fn tasks_sheet(ws: &mut Worksheet, entries: &[Row], lang: Lang) -> Result<(), WriteError> {
    fn tasks<'a>(e: &Row<'a>) -> Option<&'a Vec<crate::model::Task>> {
        e.declaration
            .and_then(Declaration::as_department)
            .map(|d| &d.tasks)
    }
    let rows = entries.iter().filter_map(tasks).map(Vec::len).sum();
    let header: Vec<&str> = [m::LIST_FILE, m::LIST_SHEET]
        .into_iter()
        .chain(m::TASKS_HEADER)
        .map(|t| t.get(lang))
        .collect();
    let widths = list_sheet(ws, &header, &TASK_WIDTHS, rows, lang)?;
    let text = text_format();
    let money = money_format();
    let mut r: RowNum = 0;
    for e in entries {
        for t in tasks(e).into_iter().flatten() {
            r += 1;
            list_row(
                ws,
                r,
                0,
                &[
                    (e.file, &text),
                    (&e.sheet(), &text),
                    (e.department(), &text),
                    (&t.name, &text),
                    (&t.content, &text),
                    ("", &money),
                    (&t.outcome, &text),
                ],
                &widths,
            )?;
            put_money(ws, r, 5, t.funds, &money)?;
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
        let h = m::MERGE_SUMMARY_HEADER.map(|t| t.zh);
        assert_eq!(h.len(), SUMMARY_WIDTHS.len());
        assert_eq!(h[col::SHEET as usize], "工作表");
        assert_eq!(h[col::BASIC as usize], "基本支出");
        assert_eq!(h[col::EXPENDITURE as usize], "支出合计");
        assert_eq!(h[col::INCOME as usize], "收入合计");
        assert_eq!(h[col::TASK_FUNDS as usize], "任务资金合计");
        assert_eq!(h[col::LEVEL1 as usize], "产出");
        assert_eq!(h[col::LEVEL1 as usize + 2], "满意度");
        assert_eq!(h[col::ERRORS as usize], "错误");
        assert_eq!(h[col::CORRECTIONS as usize], "已修正");
        assert_eq!(h[col::STATUS as usize], "状态");
        // The level columns are the words of every report, in their order.
        let levels = [col::ERRORS, col::WARNINGS, col::INFOS, col::CORRECTIONS];
        for (level, c) in crate::messages::Level::ALL.into_iter().zip(levels) {
            assert_eq!(h[c as usize], level.word().zh);
        }
        let p = m::MERGE_PROJECTS_HEADER.map(|t| t.zh);
        assert_eq!(p.len(), PROJECTS_WIDTHS.len());
        assert_eq!(p[pcol::ERRORS as usize], "错误");
        assert_eq!(p[pcol::INFOS as usize], "提示");
        assert_eq!(p[pcol::STATUS as usize], "状态");
        assert_eq!(INDICATOR_WIDTHS.len(), 2 + m::INDICATORS_HEADER.len());
        assert_eq!(TASK_WIDTHS.len(), 2 + m::TASKS_HEADER.len());
    }

    #[test]
    fn level1_columns_are_framework_categories() {
        let first = col::LEVEL1 as usize;
        for (l1, header) in LEVEL1_COLUMNS
            .iter()
            .zip(&m::MERGE_SUMMARY_HEADER[first..first + 3])
        {
            assert!(FRAMEWORK.iter().any(|(f, _)| f == l1), "{l1}");
            assert!(l1.starts_with(header.zh), "{l1} under {}", header.zh);
        }
    }

    #[test]
    fn an_unreadable_input_has_only_its_finding_counts() {
        use crate::model::{Code, Hole};
        let unreadable = [
            Finding::new(Code::TemplateUnknown),
            Finding::new(Code::FileUnreadable).param(Hole::Error, "x.xlsx：…"),
        ];
        let e = Row {
            file: "x.xlsx",
            declaration: None,
            findings: &unreadable,
            changes: &[],
        };
        assert_eq!(e.status(), Status::Unreadable);
        let f = Summary::Departments.figures(&e);
        assert!(f.money.iter().all(Option::is_none));
        let counted: Vec<(ColNum, usize)> = col::COUNTS
            .iter()
            .zip(f.counts)
            .filter_map(|(c, n)| Some((*c, n?)))
            .collect();
        // Its two errors, as the report counts them.
        assert_eq!(
            counted,
            [
                (col::ERRORS, 2),
                (col::WARNINGS, 0),
                (col::INFOS, 0),
                (col::CORRECTIONS, 0)
            ]
        );
    }

    #[test]
    fn an_empty_merge_still_writes_a_workbook() {
        let bytes =
            merge_workbook(&[], &Template::builtin(), true, Spill::TempFile, Lang::Zh).unwrap();
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
        let title = |d: &Declaration, lang| form_sheet_title("区/b.xlsx", d, lang);
        assert_eq!(title(&decl, Lang::Zh), "b");
        let mut unit = decl.clone();
        unit.source.sheet = Some("单位1".into());
        assert_eq!(title(&unit, Lang::Zh), "单位1（b）");
        assert_eq!(title(&unit, Lang::En), "单位1 (b)");
        unit.as_department_mut().unwrap().department = "海珠区河涌管理所".into();
        assert_eq!(title(&unit, Lang::Zh), "海珠区河涌管理所（b）");
    }
}
