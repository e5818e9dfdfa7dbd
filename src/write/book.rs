//! The `convert` workbook (docs/OUTPUT.md §1): 申报表, 汇总, 校验结果, 修改记录, in that order. A
//! workbook that held several forms (docs/FORM.md §1.4) gives one 申报表 sheet per form, named
//! `申报表-单位名`, and the shared sheets say which form each row is about: 汇总 has a column
//! per form, 校验结果 and 修改记录 a 表单 column. 申报表 is drawn by [`super::form`]; its cell
//! map lets 汇总 compute with formulas over it and lets 校验结果 link each finding to its cell.

use std::collections::{BTreeMap, HashSet};

use rust_xlsxwriter::{ColNum, Format, FormatAlign, Formula, RowNum, Worksheet};

use crate::category::FRAMEWORK;
use crate::messages::{write as m, Lang, Level, Text};
use crate::model::{
    Body, BudgetField, Change, Column, Counts, Declaration, DepartmentBody, FieldPath, Finding,
    FundsField, IndicatorView, Money, ProjectBody, RecordKind, Status,
};
use crate::template::Template;

use super::form::{self, body_format, money_number, CellMap};
use super::lists::{self, text_format};
use super::{sheet_cell, sheet_name, WriteError};

/// One form to write: its record, the template that draws it, its findings and its changes.
#[derive(Debug, Clone, Copy)]
pub struct FormParts<'a> {
    pub declaration: &'a Declaration,
    pub template: &'a Template,
    pub findings: &'a [Finding],
    pub changes: &'a [Change],
}

/// The corrected, standardized workbook of one declaration, as xlsx bytes.
pub fn write_declaration_workbook(
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    write_forms_workbook(
        &[FormParts {
            declaration: decl,
            template,
            findings,
            changes,
        }],
        lang,
    )
}

/// The corrected, standardized workbook of the forms of one input, as xlsx bytes: one 申报表
/// sheet per form (named `申报表` for one form, `申报表-单位名` for several), then the shared
/// 汇总, 校验结果 and 修改记录.
pub fn write_forms_workbook(forms: &[FormParts], lang: Lang) -> Result<Vec<u8>, WriteError> {
    let mut wb = super::workbook(super::mark::OwnKind::Form)?;
    let names = form_sheet_names(forms, lang);
    let mut maps = Vec::with_capacity(forms.len());
    for (f, name) in forms.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        maps.push(form::write_form(
            ws,
            f.declaration,
            f.template,
            f.findings,
            f.changes,
            lang,
        )?);
    }
    let drawn: Vec<Drawn> = forms
        .iter()
        .zip(&names)
        .zip(&maps)
        .map(|((parts, sheet), map)| Drawn { parts, sheet, map })
        .collect();
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_SUMMARY.get(lang))?;
        summary_sheet(ws, &drawn, lang)?;
    }
    let several = forms.len() > 1;
    let kind = if several {
        &lists::CONVERT_SEVERAL
    } else {
        &lists::CONVERT
    };
    let lists: Vec<lists::Form> = drawn
        .iter()
        .map(|d| lists::Form {
            file: "",
            sheet: "".into(),
            department: "",
            project: "",
            findings: d.parts.findings,
            changes: d.parts.changes,
            record: Some((
                d.parts.declaration,
                std::borrow::Cow::Borrowed(d.parts.template),
            )),
            places: &[],
            drawn: Some((d.sheet, d.map)),
        })
        .collect();
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_FINDINGS.get(lang))?;
        lists::findings_sheet(ws, kind, &lists, lang)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_CHANGES.get(lang))?;
        lists::changes_sheet(ws, kind, &lists, lang)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The 申报表 sheet of each form: `申报表` for one; for several `申报表-{name}`, the name being
/// the department (a project form's project: [`Declaration::name`]), or the sheet it was read
/// from when it names none (with the form's range when the sheet holds several:
/// [`crate::model::Source::place`]); legal and unique.
fn form_sheet_names(forms: &[FormParts], lang: Lang) -> Vec<String> {
    if forms.len() == 1 {
        return vec![m::SHEET_FORM.get(lang).to_string()];
    }
    let mut used: HashSet<String> = [m::SHEET_SUMMARY, m::SHEET_FINDINGS, m::SHEET_CHANGES]
        .iter()
        .map(|s| s.get(lang).to_lowercase())
        .collect();
    forms
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let who = (f.declaration.sheet_label())
                .map_or_else(|| (i + 1).to_string(), |w| w.into_owned());
            sheet_name(&m::SHEET_FORM_OF.render(lang, &[("name", &who)]), &mut used)
        })
        .collect()
}

/// A form as drawn: its parts, its 申报表 sheet and where each field landed there.
struct Drawn<'a> {
    parts: &'a FormParts<'a>,
    sheet: &'a str,
    map: &'a CellMap,
}

pub(super) fn money_format() -> Format {
    form::number_format(form::MONEY_FORMAT)
}

pub(super) fn count_format() -> Format {
    form::number_format("0")
}

/// The status word of a form: `通过`, `需修改`, `无法读取`.
pub fn status_word(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Pass => m::STATUS_PASS.get(lang),
        Status::Fix => m::STATUS_FIX.get(lang),
        Status::Unreadable => m::STATUS_UNREADABLE.get(lang),
    }
}

/// `'申报表'!C4+'申报表'!C5` over the fields that were written on `sheet`; `None` when one is
/// missing.
fn sum_formula(sheet: &str, map: &CellMap, fields: &[FieldPath]) -> Option<String> {
    let cells: Option<Vec<String>> = fields
        .iter()
        .map(|f| map.get(f).map(|&(r, c)| sheet_cell(sheet, r, c)))
        .collect();
    cells.map(|c| c.join("+"))
}

/// A money figure of 汇总: a formula with its value stored, or the value alone.
fn write_money_figure(
    ws: &mut Worksheet,
    (row, col): (RowNum, ColNum),
    formula: Option<String>,
    value: Option<Money>,
) -> Result<(), WriteError> {
    let value = value.unwrap_or_default();
    match formula {
        Some(f) => {
            let f = Formula::new(format!("={f}")).set_result(value.display());
            ws.write_formula_with_format(row, col, f, &money_format())?;
        }
        None => {
            ws.write_number_with_format(row, col, money_number(value), &money_format())?;
        }
    }
    Ok(())
}

/// 汇总: the forms' figures, a label per row and a column per form (`内容` for one form, the
/// form's 申报表 sheet for several), the sums as formulas over each 申报表. Department forms and
/// project forms say different things: a workbook holding both gives a table of each, the
/// project forms' below the department forms'. Labels, words and the header follow `lang`.
fn summary_sheet(ws: &mut Worksheet, forms: &[Drawn], lang: Lang) -> Result<(), WriteError> {
    ws.set_column_width(0, LABEL_WIDTH)?;
    let several = forms.len() > 1;
    let width = if several { 34.0 } else { 60.0 };
    // The height each row needs for its longest text, over every form's column.
    let mut heights: BTreeMap<RowNum, f64> = BTreeMap::new();
    let mut top: RowNum = 0;
    for kind in RecordKind::ALL {
        let of_kind: Vec<&Drawn> = forms
            .iter()
            .filter(|f| f.parts.declaration.kind() == kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let header = lists::header_format();
        let first = m::SUMMARY_HEADER[0].get(lang);
        ws.write_string_with_format(top, 0, first, &header)?;
        fit(&mut heights, top, first, LABEL_WIDTH);
        let mut bottom = top;
        for (k, f) in of_kind.iter().enumerate() {
            let col = (k + 1) as ColNum;
            ws.set_column_width(col, width)?;
            let title = if several {
                f.sheet
            } else {
                m::SUMMARY_HEADER[1].get(lang)
            };
            ws.write_string_with_format(top, col, title, &header)?;
            fit(&mut heights, top, title, width);
            let mut sheet = Summary {
                ws: &mut *ws,
                row: top + 1,
                col,
                width,
                heights: &mut heights,
                lang,
                label: body_format().set_align(FormatAlign::Center),
                text: text_format(),
                counts: count_format(),
            };
            let d = f.parts.declaration;
            match &d.body {
                Body::Department(body) => {
                    sheet.identity(d, f.parts.template)?;
                    sheet.budget(body, f.sheet, f.map)?;
                    sheet.tasks(body, f.sheet, f.map)?;
                    sheet
                        .indicators(&d.indicators().iter().map(|i| i.view()).collect::<Vec<_>>())?;
                }
                Body::Project(body) => {
                    sheet.project(d, body, f.parts.template)?;
                    sheet.funds(body, f.sheet, f.map)?;
                    sheet
                        .indicators(&d.indicators().iter().map(|i| i.view()).collect::<Vec<_>>())?;
                    sheet.count(m::SUMMARY_PERIOD_INDICATORS, body.period_indicators.len())?;
                }
            }
            sheet.findings(f.parts.findings)?;
            bottom = bottom.max(sheet.row);
        }
        // A blank row between the tables.
        top = bottom + 1;
    }
    for (row, height) in heights {
        ws.set_row_height(row, height)?;
    }
    lists::print_setup(ws, lang);
    ws.set_repeat_rows(0, 0)?;
    if several {
        ws.set_landscape();
        ws.set_freeze_panes(1, 1)?;
    }
    Ok(())
}

/// The width of the label column of 汇总.
const LABEL_WIDTH: f64 = 32.0;

/// 汇总 being written, one form's column at a time: a label per row (the same for every form),
/// the form's figure beside it.
struct Summary<'a> {
    ws: &'a mut Worksheet,
    /// The next row.
    row: RowNum,
    /// The form's column, and its width.
    col: ColNum,
    width: f64,
    /// The height each row of text needs so far.
    heights: &'a mut BTreeMap<RowNum, f64>,
    lang: Lang,
    label: Format,
    text: Format,
    counts: Format,
}

impl Summary<'_> {
    /// Write the next row's label; its row and the form's cell in it.
    fn label(&mut self, label: Text) -> Result<(RowNum, ColNum), WriteError> {
        self.label_text(label.get(self.lang))
    }

    fn label_text(&mut self, s: &str) -> Result<(RowNum, ColNum), WriteError> {
        self.ws
            .write_string_with_format(self.row, 0, s, &self.label)?;
        fit(self.heights, self.row, s, LABEL_WIDTH);
        self.row += 1;
        Ok((self.row - 1, self.col))
    }

    fn count(&mut self, label: Text, n: usize) -> Result<(), WriteError> {
        self.count_text(label.get(self.lang), n)
    }

    fn count_text(&mut self, label: &str, n: usize) -> Result<(), WriteError> {
        let (r, c) = self.label_text(label)?;
        self.ws
            .write_number_with_format(r, c, n as f64, &self.counts)?;
        Ok(())
    }

    /// A row of text: its label, and the form's text beside it.
    fn text_row(&mut self, label: Text, text: &str) -> Result<(), WriteError> {
        let (r, c) = self.label(label)?;
        let text = form::cell_text(text);
        self.ws
            .write_string_with_format(r, c, text.as_ref(), &self.text)?;
        fit(self.heights, r, &text, self.width);
        Ok(())
    }

    /// 部门名称, 模板, 年度.
    fn identity(&mut self, decl: &Declaration, template: &Template) -> Result<(), WriteError> {
        self.text_row(m::SUMMARY_DEPARTMENT, decl.department())?;
        self.template_and_year(decl, template)
    }

    /// 项目名称, 主管部门, 实施单位, 项目期, 模板, 年度.
    fn project(
        &mut self,
        decl: &Declaration,
        p: &ProjectBody,
        template: &Template,
    ) -> Result<(), WriteError> {
        self.text_row(m::SUMMARY_PROJECT, &p.project.name)?;
        self.text_row(m::SUMMARY_PROJECT_DEPARTMENT, &p.project.department)?;
        self.text_row(m::SUMMARY_IMPLEMENTER, &p.project.implementer)?;
        self.text_row(m::SUMMARY_PROJECT_PERIOD, &p.project.period)?;
        self.template_and_year(decl, template)
    }

    /// 模板, 年度.
    fn template_and_year(
        &mut self,
        decl: &Declaration,
        template: &Template,
    ) -> Result<(), WriteError> {
        self.text_row(m::SUMMARY_TEMPLATE, &template.name)?;
        let (r, c) = self.label(m::SUMMARY_YEAR)?;
        match decl.year {
            Some(y) => {
                // A year is a word here, not a figure: left, like the texts above it.
                let left = self.text.clone().set_num_format("0");
                self.ws.write_number_with_format(r, c, y as f64, &left)?
            }
            None => self.ws.write_blank(r, c, &self.text)?,
        };
        Ok(())
    }

    /// 支出合计, 收入合计 and whether they balance, as formulas over the form's 申报表.
    fn budget(&mut self, d: &DepartmentBody, sheet: &str, map: &CellMap) -> Result<(), WriteError> {
        let b = &d.budget;
        let budget =
            |f: &[BudgetField]| f.iter().map(|f| FieldPath::Budget(*f)).collect::<Vec<_>>();
        let exp = self.label(m::SUMMARY_EXPENDITURE)?;
        let sum = sum_formula(
            sheet,
            map,
            &budget(&[BudgetField::Basic, BudgetField::Project]),
        );
        write_money_figure(self.ws, exp, sum, b.expenditure())?;
        let inc = self.label(m::SUMMARY_INCOME)?;
        let sum = sum_formula(
            sheet,
            map,
            &budget(&[BudgetField::Appropriation, BudgetField::OtherFunds]),
        );
        write_money_figure(self.ws, inc, sum, b.income())?;
        self.balanced(exp, inc, b.balanced())
    }

    /// A project's funds: the year's total and its sources' sum, whether they balance, and the
    /// same for the mid-term column, as formulas over the form's 申报表.
    fn funds(&mut self, p: &ProjectBody, sheet: &str, map: &CellMap) -> Result<(), WriteError> {
        use FundsField::*;
        let f = &p.funds;
        let funds = |fs: &[FundsField]| fs.iter().map(|x| FieldPath::Funds(*x)).collect::<Vec<_>>();
        for (total, sources, total_label, sources_label) in [
            (
                AnnualTotal,
                [AnnualAppropriation, AnnualOther],
                m::SUMMARY_ANNUAL_TOTAL,
                m::SUMMARY_ANNUAL_SOURCES,
            ),
            (
                PeriodTotal,
                [PeriodAppropriation, PeriodOther],
                m::SUMMARY_PERIOD_TOTAL,
                m::SUMMARY_PERIOD_SOURCES,
            ),
        ] {
            let at = self.label(total_label)?;
            let value = f.get(total);
            write_money_figure(
                self.ws,
                at,
                sum_formula(sheet, map, &funds(&[total])),
                value,
            )?;
            let sum_at = self.label(sources_label)?;
            let sum = Money::total(sources.map(|s| f.get(s)));
            write_money_figure(
                self.ws,
                sum_at,
                sum_formula(sheet, map, &funds(&sources)),
                sum,
            )?;
            let balanced = value.unwrap_or_default() == sum.unwrap_or_default();
            self.balanced(at, sum_at, balanced)?;
        }
        Ok(())
    }

    /// 是否平衡: whether two figures of the sheet are equal, as a formula with its result.
    fn balanced(
        &mut self,
        a: (RowNum, ColNum),
        b: (RowNum, ColNum),
        balanced: bool,
    ) -> Result<(), WriteError> {
        let (r, c) = self.label(m::SUMMARY_BALANCED)?;
        let f = balance_formula(a, b, balanced, self.lang);
        self.ws.write_formula_with_format(r, c, f, &self.text)?;
        Ok(())
    }

    /// 重点任务数 and 任务资金合计.
    fn tasks(&mut self, d: &DepartmentBody, sheet: &str, map: &CellMap) -> Result<(), WriteError> {
        self.count(m::SUMMARY_TASKS, d.tasks.len())?;
        let at = self.label(m::SUMMARY_TASK_FUNDS)?;
        let task_funds = Money::total(d.tasks.iter().map(|t| t.funds));
        write_money_figure(self.ws, at, task_funds_formula(d, sheet, map), task_funds)
    }

    /// 指标数 and the count under each 一级指标 of the framework, of the year's indicators.
    fn indicators(&mut self, indicators: &[IndicatorView]) -> Result<(), WriteError> {
        self.count(m::SUMMARY_INDICATORS, indicators.len())?;
        let mut known = 0;
        for (level1, _) in FRAMEWORK {
            let n = indicators.iter().filter(|i| i.level1 == *level1).count();
            known += n;
            let label = m::SUMMARY_LEVEL1.render(self.lang, &[("level1", level1)]);
            self.count_text(&label, n)?;
        }
        self.count(m::SUMMARY_OTHER_LEVEL1, indicators.len() - known)
    }

    /// The findings by level (错误, 警告, 提示, 已修正: the words and counts of every report)
    /// and 状态.
    fn findings(&mut self, findings: &[Finding]) -> Result<(), WriteError> {
        let counts = Counts::of(findings);
        for (level, label) in Level::ALL.into_iter().zip(COUNT_LABELS) {
            self.count(label, counts.get(level))?;
        }
        let (r, c) = self.label(m::COL_STATUS)?;
        let word = status_word(Status::of_form(findings), self.lang);
        let bold = self.text.clone().set_bold();
        self.ws.write_string_with_format(r, c, word, &bold)?;
        Ok(())
    }
}

/// The labels of the level counts of the summaries, in the order of [`Level::ALL`].
pub(super) const COUNT_LABELS: [Text; 4] = [
    m::COUNT_ERRORS,
    m::COUNT_WARNINGS,
    m::COUNT_INFOS,
    m::COUNT_CORRECTIONS,
];

/// `=IF(ROUND(B5-B6,6)=0,"是","否")`: whether two figures of a row or column are equal, with
/// its result stored. Rounded: Excel adds binary floats, and 440.65 + 485.96 need not equal
/// 926.61 exactly.
pub(super) fn balance_formula(
    a: (RowNum, ColNum),
    b: (RowNum, ColNum),
    balanced: bool,
    lang: Lang,
) -> Formula {
    let cell = |(r, c): (RowNum, ColNum)| rust_xlsxwriter::utility::row_col_to_cell(r, c);
    let (yes, no) = (m::YES.get(lang), m::NO.get(lang));
    Formula::new(format!(
        "=IF(ROUND({}-{},6)=0,\"{yes}\",\"{no}\")",
        cell(a),
        cell(b),
    ))
    .set_result(if balanced { yes } else { no })
}

/// Make row `row` tall enough for `text` in a column `width` wide.
fn fit(heights: &mut BTreeMap<RowNum, f64>, row: RowNum, text: &str, width: f64) {
    let h = form::row_height_for([(text, width)]);
    let slot = heights.entry(row).or_insert(h);
    *slot = slot.max(h);
}

/// `SUM('申报表'!D11:D13)` over the tasks' funds on `sheet` (a list of cells when they are not
/// one run of a column); `None` when a task's funds were not written.
fn task_funds_formula(d: &DepartmentBody, sheet: &str, map: &CellMap) -> Option<String> {
    let cells: Vec<(RowNum, ColNum)> = (0..d.tasks.len())
        .map(|k| map.get(&FieldPath::task(k, Column::Funds)).copied())
        .collect::<Option<_>>()?;
    let (&first, &last) = (cells.first()?, cells.last()?);
    let one_column =
        cells.iter().all(|c| c.1 == first.1) && cells.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    Some(if one_column {
        format!(
            "SUM({}:{})",
            sheet_cell(sheet, first.0, first.1),
            rust_xlsxwriter::utility::row_col_to_cell(last.0, last.1)
        )
    } else {
        let parts: Vec<String> = cells
            .iter()
            .map(|&(r, c)| sheet_cell(sheet, r, c))
            .collect();
        format!("SUM({})", parts.join(","))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counts_unfixed_errors_only() {
        let status = |f: &[Finding]| status_word(Status::of_form(f), Lang::Zh);
        assert_eq!(status(&[]), "通过");
        let e = Finding::new(crate::model::Code::FileUnreadable);
        assert_eq!(status(std::slice::from_ref(&e)), "需修改");
        assert_eq!(status(&[e.fixed(true)]), "通过");
    }

    #[test]
    fn sums_need_every_cell() {
        use BudgetField::*;
        let b = FieldPath::Budget;
        let mut map = CellMap::new();
        map.insert(FieldPath::Budget(Basic), (3, 2));
        map.insert(FieldPath::Budget(Project), (4, 2));
        assert_eq!(
            sum_formula("申报表", &map, &[b(Basic), b(Project)]).as_deref(),
            Some("'申报表'!C4+'申报表'!C5")
        );
        assert_eq!(
            sum_formula("申报表-某所", &map, &[b(Basic)]).as_deref(),
            Some("'申报表-某所'!C4")
        );
        assert_eq!(sum_formula("申报表", &map, &[b(Basic), b(Transfer)]), None);
    }
}
