//! The consolidated workbook of `jixiao merge` (docs/OUTPUT.md §2): many departments' records as
//! 汇总 (department forms), 项目汇总 (project forms, when there are any), 指标明细, 重点任务,
//! 校验结果 and 修改记录, then, with `--forms`, each form's 申报表 on a sheet of its own. A
//! workbook that holds several forms (docs/FORM.md §1.4) gives a row per form; every sheet names the
//! file and the sheet each row comes from (文件, 工作表), and the lists name a project form's
//! project beside its department (项目).
//!
//! The book is written as the batch streams by ([`MergeBook`]): each form's rows go to the list
//! sheets (and its 申报表 to its sheet) as soon as it is added, and of the form only its 汇总
//! line is kept (`Line`: a few texts, the figures, the status). What only the whole batch can
//! say (a department named by two forms) comes at [`MergeBook::finish`]: those findings close
//! 校验结果 in a block of their own, are counted on the summaries, which are written last
//! (though they are the first sheets), and mark the department on the forms' sheets, which are
//! kept in memory for it. The writer knows no command and no configuration; formats, list
//! sheets and status words are those of [`super::book`], so a merged workbook looks like the
//! `convert` one.
//!
//! The totals row of each summary holds `SUM` formulas whose stored results are summed as
//! decimals (one conversion at the end), so a reader that does not recalculate shows `926.61`,
//! not a float sum.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Seek, Write};
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::utility::row_col_to_cell as cell;
use rust_xlsxwriter::{
    ColNum, Format, FormatAlign, Formula, RowNum, Workbook, Worksheet, XlsxError,
};

use crate::messages::{write as m, Lang, Text};
use crate::model::{
    Body, Change, Counts, Declaration, FieldPath, Finding, Money, RecordKind, Status,
};
use crate::template::Template;

use super::book::{balance_formula, count_format, money_format, status_word};
use super::csv::{budget_system_cells, kind_word, number_text, op_word, target_text};
use super::form::{self, body_format, money_number, Kept};
use super::lists::{
    self, list_filter, list_header, list_row, row_default, set_row_default, text_format, words,
    List, ListFormats,
};
use super::{sheet_name, WriteError};

/// At most this many forms get a 申报表 sheet of their own (`--forms`): a workbook of thousands
/// of sheets takes Excel and WPS minutes to open and is no longer something to page through
/// (LibreOffice refuses more than 10,000), and each sheet is held in memory until the book is
/// saved. The forms past it are in 汇总 and the lists like every other; 汇总 says how many have
/// no sheet ([`Finished::left_out`]).
pub const MAX_FORM_SHEETS: usize = 1000;

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
            places: &[],
            drawn: None,
        }
    }
}

/// What the summaries keep of a row once its rows are written: which summary it is on, the
/// texts that lead its row there and in the lists, its figures and its status. A few hundred
/// bytes, where the form it stands for is tens of kilobytes.
#[derive(Debug, Clone)]
struct Line {
    summary: Summary,
    file: String,
    sheet: String,
    department: String,
    project: String,
    /// The text cells of its summary row besides 文件, with their columns.
    texts: Vec<(String, ColNum)>,
    /// A department form's year and whether its budget balances (汇总's 年度 and 是否平衡).
    budget: Option<(Option<i32>, bool)>,
    figures: Figures,
    status: Status,
    /// The place of its department in the officer's words: the field of the findings made at
    /// the end of the batch (`department-duplicate`), when its record is gone.
    places: Vec<(FieldPath, String)>,
}

impl Line {
    fn of(row: &Row, templates: &[Template], lang: Lang) -> Line {
        let summary = if row.is_project() {
            Summary::Projects
        } else {
            Summary::Departments
        };
        let texts = row
            .declaration
            .map(|d| summary.texts(d, templates))
            .unwrap_or_default();
        let budget = row
            .declaration
            .and_then(|d| Some((d.year, d.as_department()?.budget.balanced())));
        let places = row
            .declaration
            .filter(|d| d.kind() == RecordKind::Department)
            .map(|d| {
                let template = Template::for_record(templates, &d.template, d.kind());
                let path = FieldPath::Department;
                vec![(path, crate::place::field_name(d, &template, path, lang))]
            })
            .unwrap_or_default();
        Line {
            summary,
            file: row.file.to_string(),
            sheet: row.sheet().to_string(),
            department: row.department().to_string(),
            project: row.project().to_string(),
            texts: texts.into_iter().map(|(t, c)| (t.to_string(), c)).collect(),
            budget,
            figures: summary.figures(row),
            status: row.status(),
            places,
        }
    }

    /// The columns of its summary row that get a value (or a blank of their own format).
    fn columns(&self, shape: &Shape) -> Vec<ColNum> {
        let mut out = vec![col::NUMBER, col::FILE, shape.status];
        out.extend(self.texts.iter().map(|(_, c)| *c));
        if self.budget.is_some() {
            out.extend([col::YEAR, col::BALANCED]);
        }
        out.extend(shape.money);
        let counted = shape.counts.iter().zip(&self.figures.counts);
        out.extend(counted.filter(|(_, n)| n.is_some()).map(|(c, _)| *c));
        out
    }

    /// A finding made after the row was added: counted with the others.
    fn add_late(&mut self, f: &Finding) {
        let c = Counts::of([f]);
        // 错误, 警告, 提示, 已修正 are the last four count columns of both summaries.
        let levels = [c.errors, c.warnings, c.infos, c.corrections];
        let first = self.figures.counts.len() - levels.len();
        for (n, add) in self.figures.counts[first..].iter_mut().zip(levels) {
            *n = Some(n.unwrap_or(0) + add);
        }
        if self.status == Status::Pass && c.errors > 0 {
            self.status = Status::Fix;
        }
    }

    /// Its part of 校验结果, for `findings` made after it was added.
    fn lists<'a>(&'a self, findings: &'a [Finding]) -> lists::Form<'a> {
        lists::Form {
            file: &self.file,
            sheet: self.sheet.as_str().into(),
            department: &self.department,
            project: &self.project,
            findings,
            changes: &[],
            record: None,
            places: &self.places,
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

/// The consolidated workbook being written, one [`Row`] at a time in the batch's order
/// ([`MergeBook::add`]), then finished with what only the whole batch can say
/// ([`MergeBook::finish`]).
pub struct MergeBook<'a> {
    wb: Workbook,
    /// The run's templates: they draw the `--forms` sheets and name the variants in 汇总
    /// ([`Template::for_record`], [`Template::name_of`]).
    templates: &'a [Template],
    forms: bool,
    spill: Spill,
    lang: Lang,
    fmts: Formats,
    list_fmts: ListFormats,
    /// The list sheets, each with its last row written.
    indicators: ListSheet,
    tasks: ListSheet,
    findings: ListSheet,
    changes: ListSheet,
    /// What the summaries keep of each row added, in order.
    lines: Vec<Line>,
    sheets: FormSheets,
}

/// A list sheet of the book: its index among the book's sheets, its columns' widths as set
/// (a column is widened to hold its header's longest word, [`list_header`]) and its last row
/// written (the header is row 0). In low-memory mode rows must come in order, one counter a
/// sheet.
struct ListSheet {
    index: usize,
    widths: Vec<f64>,
    rows: RowNum,
}

/// The writer of a form's rows of one list (`lists::findings_rows`, `lists::changes_rows`).
type ListRows = fn(
    &mut Worksheet,
    &lists::Lists,
    &lists::Form,
    &mut RowNum,
    &[f64],
    &ListFormats,
    Lang,
) -> Result<(), WriteError>;

impl ListSheet {
    /// `form`'s rows of this list, after the rows written so far.
    fn add(
        &mut self,
        wb: &mut Workbook,
        write: ListRows,
        form: &lists::Form,
        fmts: &ListFormats,
        lang: Lang,
    ) -> Result<(), WriteError> {
        let ws = wb.worksheet_from_index(self.index)?;
        write(
            ws,
            &lists::MERGE,
            form,
            &mut self.rows,
            &self.widths,
            fmts,
            lang,
        )
    }
}

/// The `--forms` sheets: their names so far, how many may be written ([`MAX_FORM_SHEETS`]),
/// how many were written and left out, and the department cell of each department form's sheet
/// (by row number), to be marked when the department turns out to be named by another form too.
struct FormSheets {
    used: HashSet<String>,
    max: usize,
    written: usize,
    left_out: usize,
    kept: HashMap<usize, (usize, Kept)>,
}

/// What a finished book says of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Finished {
    /// Forms with a 申报表 sheet (`--forms`).
    pub form_sheets: usize,
    /// Forms left without one, past [`MAX_FORM_SHEETS`].
    pub left_out: usize,
}

impl<'a> MergeBook<'a> {
    /// An empty book: the summary, list and (with `forms`) form sheets to come, the list sheets
    /// kept where `spill` says.
    pub fn new(
        templates: &'a [Template],
        forms: bool,
        spill: Spill,
        lang: Lang,
    ) -> Result<MergeBook<'a>, WriteError> {
        let mut wb = super::workbook(super::mark::OwnKind::Merge)?;
        // The consolidated book of hundreds of forms is mostly compression time at the default
        // level; level 1 costs a slightly larger file and halves the time to write it.
        wb.set_zip_compression_level(1);
        let name = |t: Text| t.get(lang);
        // 汇总 comes first but is written last, when every row is known; 项目汇总 is put after
        // it at the end, when there are project forms.
        list(&mut wb, name(m::SHEET_SUMMARY), spill)?;
        let mut sheet = |title: Text, header: &[&str], widths: &[f64]| {
            let index = wb.worksheets().len();
            let ws = list(&mut wb, name(title), spill)?;
            let widths = list_header(ws, header, widths, lang)?;
            lists::plain_rows(ws);
            set_row_default(ws, row_default());
            Ok::<_, WriteError>(ListSheet {
                index,
                widths,
                rows: 0,
            })
        };
        let indicators = sheet(
            m::SHEET_INDICATORS,
            &indicators_header(lang),
            &INDICATOR_WIDTHS,
        )?;
        let tasks = sheet(m::SHEET_TASKS, &tasks_header(lang), &TASK_WIDTHS)?;
        let mut lists_sheet = |title: Text, which: List| {
            let index = wb.worksheets().len();
            let ws = list(&mut wb, name(title), spill)?;
            let widths = lists::MERGE.header(ws, which, lang)?;
            Ok::<_, WriteError>(ListSheet {
                index,
                widths,
                rows: 0,
            })
        };
        let findings = lists_sheet(m::SHEET_FINDINGS, List::Findings)?;
        let changes = lists_sheet(m::SHEET_CHANGES, List::Changes)?;
        let used = [
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
        Ok(MergeBook {
            wb,
            templates,
            forms,
            spill,
            lang,
            fmts: Formats::new(),
            list_fmts: ListFormats::new(lang),
            indicators,
            tasks,
            findings,
            changes,
            lines: Vec::new(),
            sheets: FormSheets {
                used,
                max: MAX_FORM_SHEETS,
                written: 0,
                left_out: 0,
                kept: HashMap::new(),
            },
        })
    }

    /// Write one row (a form, or an input that gave none) to the lists and, with `--forms`,
    /// its 申报表 to a sheet of its own; keep its line of the summaries. Rows are numbered in
    /// the order added, from 0: [`MergeBook::finish`] names them so.
    pub fn add(&mut self, row: &Row) -> Result<(), WriteError> {
        let number = self.lines.len();
        let lang = self.lang;
        self.lines.push(Line::of(row, self.templates, lang));
        if let Some(d) = row.declaration {
            let ws = self.wb.worksheet_from_index(self.indicators.index)?;
            indicator_rows(ws, &mut self.indicators, row, d, &self.fmts, lang)?;
            let ws = self.wb.worksheet_from_index(self.tasks.index)?;
            task_rows(ws, &mut self.tasks, row, &self.fmts)?;
        }
        let form = row.lists(self.templates);
        let (wb, fmts) = (&mut self.wb, &self.list_fmts);
        (self.findings).add(wb, lists::findings_rows, &form, fmts, lang)?;
        (self.changes).add(wb, lists::changes_rows, &form, fmts, lang)?;
        if let (true, Some(d)) = (self.forms, row.declaration) {
            self.form_sheet(number, row, d)?;
        }
        Ok(())
    }

    /// The 申报表 of a form on a sheet of its own, while fewer than [`MAX_FORM_SHEETS`] are.
    /// Held in memory (not streamed): its department cell may be marked again at the end.
    fn form_sheet(&mut self, number: usize, row: &Row, d: &Declaration) -> Result<(), WriteError> {
        if self.sheets.written == self.sheets.max {
            self.sheets.left_out += 1;
            return Ok(());
        }
        let title = form_sheet_title(row.file, d, self.lang);
        let name = sheet_name(&title, &mut self.sheets.used);
        let template = Template::for_record(self.templates, &d.template, d.kind());
        let index = self.wb.worksheets().len();
        let ws = named(&mut self.wb, &name)?;
        let marked = form::marked_form(d, &template, row.findings, row.changes, self.lang);
        form::draw(ws, &marked.layout, &marked.marks, self.lang)?;
        if d.kind() == RecordKind::Department {
            if let Some(kept) = Kept::of(&marked, FieldPath::Department) {
                self.sheets.kept.insert(number, (index, kept));
            }
        }
        self.sheets.written += 1;
        Ok(())
    }

    /// Finish the book and write it to `out`. `late` are the findings only the whole batch
    /// could make (`department-duplicate`), each with the number of its row ([`add`] order):
    /// they are listed after every other in 校验结果 (a row's own findings were written when it
    /// was added), counted on its summary line, and mark its 申报表 sheet. Then the summaries,
    /// every row known, and the autofilters, every list's length known.
    ///
    /// [`add`]: MergeBook::add
    pub fn finish<W: Write + Seek + Send>(
        mut self,
        late: &[(usize, Finding)],
        out: W,
        file: &str,
    ) -> Result<Finished, WriteError> {
        let lang = self.lang;
        for (number, f) in late {
            let line = &mut self.lines[*number];
            line.add_late(f);
            let form = line.lists(std::slice::from_ref(f));
            let (wb, fmts) = (&mut self.wb, &self.list_fmts);
            (self.findings).add(wb, lists::findings_rows, &form, fmts, lang)?;
            if let Some((index, kept)) = self.sheets.kept.get_mut(number) {
                kept.remark(self.wb.worksheet_from_index(*index)?, f, lang)?;
            }
        }
        let filters = [
            (&self.indicators, INDICATOR_WIDTHS.len()),
            (&self.tasks, TASK_WIDTHS.len()),
        ];
        for (sheet, columns) in filters {
            let ws = self.wb.worksheet_from_index(sheet.index)?;
            list_filter(ws, columns, sheet.rows as usize)?;
        }
        for (sheet, list) in [
            (&self.findings, List::Findings),
            (&self.changes, List::Changes),
        ] {
            let ws = self.wb.worksheet_from_index(sheet.index)?;
            let fmts = &self.list_fmts;
            lists::MERGE.finish(ws, list, sheet.rows, &sheet.widths, fmts)?;
        }

        let (projects, departments): (Vec<&Line>, Vec<&Line>) = self
            .lines
            .iter()
            .partition(|l| l.summary == Summary::Projects);
        let ws = self.wb.worksheet_from_index(0)?;
        summary_sheet(ws, Summary::Departments, &departments, &self.fmts, lang)?;
        let finished = Finished {
            form_sheets: self.sheets.written,
            left_out: self.sheets.left_out,
        };
        if finished.left_out > 0 {
            left_out_note(ws, departments.len() as RowNum + 3, finished, lang)?;
        }
        if !projects.is_empty() {
            let ws = list(&mut self.wb, m::SHEET_PROJECTS.get(lang), self.spill)?;
            summary_sheet(ws, Summary::Projects, &projects, &self.fmts, lang)?;
            // Created last, shown second: right after 汇总.
            let sheets = self.wb.worksheets_mut();
            if let Some(ws) = sheets.pop() {
                sheets.insert(1, ws);
            }
        }
        self.wb.save_to_writer(out).map_err(|e| match e {
            XlsxError::IoError(e) => WriteError::io(file, &e),
            e => e.into(),
        })?;
        Ok(finished)
    }
}

/// The line under 汇总 that says how many forms have no 申报表 sheet, and where to get one.
fn left_out_note(
    ws: &mut Worksheet,
    r: RowNum,
    finished: Finished,
    lang: Lang,
) -> Result<(), WriteError> {
    let total = finished.form_sheets + finished.left_out;
    let text = m::FORM_SHEETS_LEFT_OUT.render(
        lang,
        &[
            ("max", &finished.form_sheets.to_string()),
            ("total", &total.to_string()),
            ("left", &finished.left_out.to_string()),
        ],
    );
    let fmt = Format::new().set_font_name(form::FONT).set_bold();
    ws.write_string_with_format(r, 0, text, &fmt)?;
    Ok(())
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
    match decl.sheet_label() {
        Some(who) => m::FORM_SHEET_OF.render(lang, &[("name", &who), ("file", &stem)]),
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

    /// The text cells of a read form's row, with their columns.
    fn texts<'a>(
        self,
        d: &'a Declaration,
        templates: &'a [Template],
    ) -> Vec<(Cow<'a, str>, ColNum)> {
        // Its place: `Sheet1`, or `Sheet1!A26:F45` for one of several forms on a sheet.
        let sheet = d.source.place().unwrap_or_default();
        match &d.body {
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
        }
    }
}

/// The text cells of a line's summary row, and the 年度 and balance formula of a department
/// form's.
fn text_cells(
    ws: &mut Worksheet,
    r: RowNum,
    line: &Line,
    fmts: &Formats,
    lang: Lang,
) -> Result<(), WriteError> {
    for (text, c) in &line.texts {
        ws.write_string_with_format(r, *c, form::cell_text(text), &fmts.text)?;
    }
    if let Some((year, balanced)) = line.budget {
        match year {
            Some(y) => ws.write_number_with_format(r, col::YEAR, y as f64, &fmts.center)?,
            None => ws.write_blank(r, col::YEAR, &fmts.center)?,
        };
        let (exp, inc) = ((r, col::EXPENDITURE), (r, col::INCOME));
        let f = balance_formula(exp, inc, balanced, lang);
        ws.write_formula_with_format(r, col::BALANCED, f, &fmts.center)?;
    }
    Ok(())
}

/// The figures of a summary row, in the order of its shape's money and count columns; `None`
/// is a blank cell (an unreadable input has no budget and no tasks, but has its error).
#[derive(Debug, Clone)]
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

/// The formats of the summary, and of the numbers in the lists (which have no borders: their
/// text cells are plain, [`lists::Cell`]), made once.
struct Formats {
    text: Format,
    center: Format,
    money: Format,
    count: Format,
    list_number: Format,
    list_money: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            text: text_format(),
            center: body_format().set_align(FormatAlign::Center),
            money: money_format(),
            count: count_format(),
            list_number: form::plain_number_format("General"),
            list_money: form::plain_number_format(form::MONEY_FORMAT),
        }
    }
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

/// 汇总 or 项目汇总: a row per line (numbered, with its file, texts, figures and status), then
/// the totals row.
fn summary_sheet(
    ws: &mut Worksheet,
    summary: Summary,
    lines: &[&Line],
    fmts: &Formats,
    lang: Lang,
) -> Result<(), WriteError> {
    let shape = summary.shape();
    let header = words(shape.header, lang);
    let widths = lists::list_sheet(ws, &header, shape.widths, lines.len(), lang)?;
    let mut totals = Totals::new(&shape);
    for (i, line) in lines.iter().enumerate() {
        let r = (i + 1) as RowNum;
        totals.add(&line.figures);
        // Every cell of the row gets the bordered body format, blank or not: a blank first where
        // nothing else is written.
        let written = line.columns(&shape);
        for c in 0..shape.widths.len() as ColNum {
            let fmt = if shape.money.contains(&c) {
                &fmts.money
            } else {
                &fmts.text
            };
            if !written.contains(&c) {
                ws.write_blank(r, c, fmt)?;
            }
        }
        ws.write_number_with_format(r, col::NUMBER, (i + 1) as f64, &fmts.center)?;
        ws.write_string_with_format(r, col::FILE, form::cell_text(&line.file), &fmts.text)?;
        text_cells(ws, r, line, fmts, lang)?;
        figure_cells(ws, r, &shape, &line.figures, fmts)?;
        let status = status_word(line.status, lang);
        ws.write_string_with_format(r, shape.status, status, &fmts.center)?;
        let texts = std::iter::once((line.file.as_str(), col::FILE))
            .chain(line.texts.iter().map(|(t, c)| (t.as_str(), *c)));
        let heights = texts.map(|(t, c)| (t, widths[c as usize]));
        ws.set_row_height(r, form::row_height_for(heights))?;
    }
    let r = (lines.len() + 1) as RowNum;
    totals_row(ws, r, &shape, &totals, fmts, lang)
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
    number: &Format,
) -> Result<(), WriteError> {
    if value.is_empty() {
        return Ok(());
    }
    match value.parse::<Decimal>() {
        // Not money, but the writer's one decimal→float conversion serves any decimal.
        Ok(v) => ws.write_number_with_format(r, c, money_number(Money(v)), number)?,
        Err(_) => ws.write_string(r, c, form::cell_text(value))?,
    };
    Ok(())
}

/// The header of 指标明细 in `lang`: 文件 and 工作表, then the columns of the indicator CSV.
fn indicators_header(lang: Lang) -> Vec<&'static str> {
    [m::LIST_FILE, m::LIST_SHEET]
        .into_iter()
        .chain(m::INDICATORS_HEADER)
        .map(|t| t.get(lang))
        .collect()
}

/// The header of 重点任务 in `lang`: 文件 and 工作表, then the task's columns.
fn tasks_header(lang: Lang) -> Vec<&'static str> {
    [m::LIST_FILE, m::LIST_SHEET]
        .into_iter()
        .chain(m::TASKS_HEADER)
        .map(|t| t.get(lang))
        .collect()
}

/// A form's rows of 指标明细 after row `r` (left on the last written): one per indicator (a
/// project form's annual block, then its mid-term block), led by its file and sheet, with the
/// columns of the indicator CSV (the target split as 符号 | 数值 | 单位 | 类型, and as the
/// budget system's 计算符号 | 指标值 | 计量单位).
fn indicator_rows(
    ws: &mut Worksheet,
    sheet: &mut ListSheet,
    e: &Row,
    d: &Declaration,
    fmts: &Formats,
    lang: Lang,
) -> Result<(), WriteError> {
    /// 数值 and 指标值: numbers where they are numbers.
    const NUMBER: ColNum = 10;
    const VALUE: ColNum = 14;
    let empty = crate::model::Target::empty();
    let sheet_name = e.sheet();
    for i in d.indicator_rows() {
        sheet.rows += 1;
        let r = sheet.rows;
        let a = i.main_target().unwrap_or(&empty);
        let number = number_text(a);
        let budget = budget_system_cells(a);
        list_row(
            ws,
            r,
            0,
            &[
                (e.file, None),
                (&*sheet_name, None),
                (d.department(), None),
                (d.project_name(), None),
                (i.level1, None),
                (i.level2, None),
                (i.name, None),
                (target_text(i.period), None),
                (target_text(i.annual), None),
                (op_word(a, lang), None),
                (&number, None),
                (a.unit.as_deref().unwrap_or(""), None),
                (kind_word(a.kind, lang), None),
                (budget.sign, None),
                (&budget.value, None),
                (budget.unit, None),
            ],
            &sheet.widths,
            Some(row_default()),
            &[NUMBER, VALUE],
        )?;
        // 数值 and 指标值 hold numbers as numbers.
        put_value(ws, r, NUMBER, &number, &fmts.list_number)?;
        put_value(ws, r, VALUE, &budget.value, &fmts.list_number)?;
    }
    Ok(())
}

/// A department form's rows of 重点任务 after row `r` (left on the last written): one per
/// task, led by its file and sheet.
fn task_rows(
    ws: &mut Worksheet,
    sheet: &mut ListSheet,
    e: &Row,
    fmts: &Formats,
) -> Result<(), WriteError> {
    let Some(body) = e.declaration.and_then(Declaration::as_department) else {
        return Ok(());
    };
    /// 拟投入的资金, as money.
    const FUNDS: ColNum = 5;
    let sheet_name = e.sheet();
    for t in &body.tasks {
        sheet.rows += 1;
        let r = sheet.rows;
        list_row(
            ws,
            r,
            0,
            &[
                (e.file, None),
                (&*sheet_name, None),
                (e.department(), None),
                (&t.name, None),
                (&t.content, None),
                ("", None),
                (&t.outcome, None),
            ],
            &sheet.widths,
            Some(row_default()),
            &[FUNDS],
        )?;
        put_money(ws, r, FUNDS, t.funds, &fmts.list_money)?;
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
        let templates = Template::builtin();
        let book = MergeBook::new(&templates, true, Spill::TempFile, Lang::Zh).unwrap();
        let mut out = std::io::Cursor::new(Vec::new());
        assert_eq!(
            book.finish(&[], &mut out, "m.xlsx"),
            Ok(Finished::default())
        );
        assert!(out.into_inner().starts_with(b"PK"));
    }

    /// The `--forms` cap, at a cap of 2 (the real one is [`MAX_FORM_SHEETS`]): the forms past
    /// it get no sheet, are in 汇总 and the lists like the others, and 汇总 says how many.
    #[test]
    fn forms_past_the_cap_get_no_sheet_and_the_summary_says_so() {
        use calamine::{Data, Reader, Xlsx};
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/panyu.expected.json")).unwrap();
        let panyu: Declaration = serde_json::from_value(v["records"].clone()).unwrap();
        let forms: Vec<Declaration> = ["甲局", "乙局", "丙局"]
            .iter()
            .map(|name| {
                let mut d = panyu.clone();
                d.as_department_mut().unwrap().department = name.to_string();
                d
            })
            .collect();
        let templates = Template::builtin();
        let mut book = MergeBook::new(&templates, true, Spill::Memory, Lang::Zh).unwrap();
        book.sheets.max = 2;
        for (k, d) in forms.iter().enumerate() {
            let file = format!("{k}.xlsx");
            let row = Row {
                file: &file,
                declaration: Some(d),
                findings: &[],
                changes: &[],
            };
            book.add(&row).unwrap();
        }
        let mut out = std::io::Cursor::new(Vec::new());
        let finished = book.finish(&[], &mut out, "m.xlsx").unwrap();
        assert_eq!(
            finished,
            Finished {
                form_sheets: 2,
                left_out: 1
            }
        );
        out.set_position(0);
        let mut wb: Xlsx<_> = Xlsx::new(out).unwrap();
        let names = wb.sheet_names();
        assert_eq!(
            names,
            [
                "汇总",
                "指标明细",
                "重点任务",
                "校验结果",
                "修改记录",
                "甲局（0）",
                "乙局（1）"
            ]
        );
        let summary = wb.worksheet_range("汇总").unwrap();
        let cell = |r: u32, c: u32| summary.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        // Every form has its row, the third too, then the totals row; the note two rows below.
        assert_eq!(cell(3, col::DEPARTMENT as u32), Data::String("丙局".into()));
        assert_eq!(cell(4, 0), Data::String("合计".into()));
        assert_eq!(
            cell(6, 0),
            Data::String(
                "注：共 3 份申报表，只有前 2 份（按文件顺序）各有自己的工作表，其余 1 份没有；\
                 它们的数据仍在“汇总”（项目申报表在“项目汇总”）和各清单中。要每份的申报表，可用 jixiao convert 逐份生成。"
                    .into()
            )
        );
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
