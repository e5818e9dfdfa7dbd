//! The `convert` workbook of one form (OUTPUT.md §1): 申报表, 汇总, 校验结果, 修改记录, in that
//! order. 申报表 is drawn by [`super::form`]; its cell map lets 汇总 compute with formulas over
//! it and lets 校验结果 link each finding to its cell.

use rust_xlsxwriter::{ColNum, Format, FormatAlign, Formula, RowNum, Workbook, Worksheet};

use crate::category::FRAMEWORK;
use crate::messages::{self, write as m, Lang};
use crate::model::{
    BudgetField, Change, Column, Counts, Declaration, FieldPath, Finding, Money, Status,
};
use crate::template::Template;

use super::form::{self, body_format, money_number, CellMap};
use super::lists::{self, text_format};
use super::{sheet_cell, WriteError};

/// The corrected, standardized workbook of one declaration, as xlsx bytes.
pub fn write_declaration_workbook(
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    wb.set_properties(&super::mark::properties(super::mark::OwnKind::Form));
    let map = {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_FORM)?;
        form::write_form(ws, decl, template, findings, changes, lang)?
    };
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_SUMMARY)?;
        summary_sheet(ws, decl, template, findings, changes, &map)?;
    }
    let form = [lists::Form {
        file: "",
        department: "",
        findings,
        changes,
        map: Some(&map),
    }];
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_FINDINGS)?;
        lists::findings_sheet(ws, &lists::CONVERT, &form, lang)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(m::SHEET_CHANGES)?;
        lists::changes_sheet(ws, &lists::CONVERT, &form)?;
    }
    Ok(wb.save_to_buffer()?)
}

pub(super) fn money_format() -> Format {
    body_format()
        .set_align(FormatAlign::Right)
        .set_num_format("0.00")
}

pub(super) fn count_format() -> Format {
    body_format()
        .set_align(FormatAlign::Right)
        .set_num_format("0")
}

/// The status word of a form: `通过`, `需修改`, `无法读取`.
pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pass => m::STATUS_PASS,
        Status::Fix => m::STATUS_FIX,
        Status::Unreadable => m::STATUS_UNREADABLE,
    }
}

/// `'申报表'!C4+'申报表'!C5` over the fields that were written; `None` when one is missing.
fn sum_formula(map: &CellMap, fields: &[BudgetField]) -> Option<String> {
    let cells: Option<Vec<String>> = fields
        .iter()
        .map(|f| {
            map.get(&FieldPath::Budget(*f))
                .map(|&(r, c)| sheet_cell(m::SHEET_FORM, r, c))
        })
        .collect();
    cells.map(|c| c.join("+"))
}

/// A money figure of 汇总: a formula with its value stored, or the value alone.
fn write_money_figure(
    ws: &mut Worksheet,
    row: RowNum,
    formula: Option<String>,
    value: Option<Money>,
) -> Result<(), WriteError> {
    let value = value.unwrap_or_default();
    match formula {
        Some(f) => {
            let f = Formula::new(format!("={f}")).set_result(value.display());
            ws.write_formula_with_format(row, 1, f, &money_format())?;
        }
        None => {
            ws.write_number_with_format(row, 1, money_number(value), &money_format())?;
        }
    }
    Ok(())
}

/// 汇总: a form's figures in two columns, the sums as formulas over 申报表.
fn summary_sheet(
    ws: &mut Worksheet,
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    map: &CellMap,
) -> Result<(), WriteError> {
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 60)?;
    for (c, h) in m::SUMMARY_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as ColNum, *h, &lists::header_format())?;
    }
    let mut sheet = Summary {
        ws,
        row: 1,
        label: body_format().set_align(FormatAlign::Center),
        text: text_format(),
        counts: count_format(),
    };
    sheet.identity(decl, template)?;
    sheet.budget(decl, map)?;
    sheet.tasks(decl, map)?;
    sheet.indicators(decl)?;
    sheet.findings(findings, changes)?;
    sheet.ws.set_paper_size(9);
    sheet.ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// 汇总 being written: a label per row, its figure beside it.
struct Summary<'a> {
    ws: &'a mut Worksheet,
    /// The next row.
    row: RowNum,
    label: Format,
    text: Format,
    counts: Format,
}

impl Summary<'_> {
    /// Write the next row's label; its row.
    fn label(&mut self, s: &str) -> Result<RowNum, WriteError> {
        self.ws
            .write_string_with_format(self.row, 0, s, &self.label)?;
        self.row += 1;
        Ok(self.row - 1)
    }

    fn count(&mut self, label: &str, n: usize) -> Result<(), WriteError> {
        let r = self.label(label)?;
        self.ws
            .write_number_with_format(r, 1, n as f64, &self.counts)?;
        Ok(())
    }

    /// 部门名称, 模板, 年度.
    fn identity(&mut self, decl: &Declaration, template: &Template) -> Result<(), WriteError> {
        let r = self.label(m::SUMMARY_DEPARTMENT)?;
        let department = form::cell_text(&decl.department);
        self.ws
            .write_string_with_format(r, 1, department, &self.text)?;
        let r = self.label(m::SUMMARY_TEMPLATE)?;
        self.ws
            .write_string_with_format(r, 1, &template.name, &self.text)?;
        let r = self.label(m::SUMMARY_YEAR)?;
        match decl.year {
            Some(y) => {
                let left = count_format().set_align(FormatAlign::Left);
                self.ws.write_number_with_format(r, 1, y as f64, &left)?
            }
            None => self.ws.write_blank(r, 1, &self.text)?,
        };
        Ok(())
    }

    /// 支出合计, 收入合计 and whether they balance, as formulas over 申报表.
    fn budget(&mut self, decl: &Declaration, map: &CellMap) -> Result<(), WriteError> {
        let b = &decl.budget;
        let exp_row = self.label(m::SUMMARY_EXPENDITURE)?;
        let sum = sum_formula(map, &[BudgetField::Basic, BudgetField::Project]);
        write_money_figure(self.ws, exp_row, sum, b.expenditure())?;
        let inc_row = self.label(m::SUMMARY_INCOME)?;
        let sum = sum_formula(map, &[BudgetField::Appropriation, BudgetField::OtherFunds]);
        write_money_figure(self.ws, inc_row, sum, b.income())?;
        let r = self.label(m::SUMMARY_BALANCED)?;
        let balanced = if b.balanced() { m::YES } else { m::NO };
        // Rounded: Excel adds binary floats, and 440.65 + 485.96 need not equal 926.61 exactly.
        let f = Formula::new(format!(
            "=IF(ROUND(B{}-B{},6)=0,\"{}\",\"{}\")",
            exp_row + 1,
            inc_row + 1,
            m::YES,
            m::NO
        ))
        .set_result(balanced);
        self.ws.write_formula_with_format(r, 1, f, &self.text)?;
        Ok(())
    }

    /// 重点任务数 and 任务资金合计.
    fn tasks(&mut self, decl: &Declaration, map: &CellMap) -> Result<(), WriteError> {
        self.count(m::SUMMARY_TASKS, decl.tasks.len())?;
        let r = self.label(m::SUMMARY_TASK_FUNDS)?;
        let task_funds = Money::total(decl.tasks.iter().map(|t| t.funds));
        write_money_figure(self.ws, r, task_funds_formula(decl, map), task_funds)
    }

    /// 指标数 and the count under each 一级指标 of the framework.
    fn indicators(&mut self, decl: &Declaration) -> Result<(), WriteError> {
        self.count(m::SUMMARY_INDICATORS, decl.indicators.len())?;
        let mut known = 0;
        for (level1, _) in FRAMEWORK {
            let n = decl
                .indicators
                .iter()
                .filter(|i| i.level1 == *level1)
                .count();
            known += n;
            let label = messages::render(m::SUMMARY_LEVEL1, &[("level1", level1)]);
            self.count(&label, n)?;
        }
        self.count(m::SUMMARY_OTHER_LEVEL1, decl.indicators.len() - known)
    }

    /// 错误, 警告 (open ones), 修改 and 状态.
    fn findings(&mut self, findings: &[Finding], changes: &[Change]) -> Result<(), WriteError> {
        let open = Counts::of(findings);
        self.count(m::SUMMARY_ERRORS, open.errors)?;
        self.count(m::SUMMARY_WARNINGS, open.warnings)?;
        self.count(m::SUMMARY_CHANGES, changes.len())?;
        let r = self.label(m::SUMMARY_STATUS)?;
        let word = status_word(Status::of_form(findings));
        let bold = self.text.clone().set_bold();
        self.ws.write_string_with_format(r, 1, word, &bold)?;
        Ok(())
    }
}

/// `SUM('申报表'!D11:D13)` over the tasks' funds (a list of cells when they are not one run of
/// a column); `None` when a task's funds were not written.
fn task_funds_formula(decl: &Declaration, map: &CellMap) -> Option<String> {
    let cells: Vec<(RowNum, ColNum)> = (0..decl.tasks.len())
        .map(|k| map.get(&FieldPath::task(k, Column::Funds)).copied())
        .collect::<Option<_>>()?;
    let (&first, &last) = (cells.first()?, cells.last()?);
    let one_column =
        cells.iter().all(|c| c.1 == first.1) && cells.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    Some(if one_column {
        format!(
            "SUM({}:{})",
            sheet_cell(m::SHEET_FORM, first.0, first.1),
            rust_xlsxwriter::utility::row_col_to_cell(last.0, last.1)
        )
    } else {
        let parts: Vec<String> = cells
            .iter()
            .map(|&(r, c)| sheet_cell(m::SHEET_FORM, r, c))
            .collect();
        format!("SUM({})", parts.join(","))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counts_unfixed_errors_only() {
        let status = |f: &[Finding]| status_word(Status::of_form(f));
        assert_eq!(status(&[]), "通过");
        let e = Finding::new(crate::model::Code::FileUnreadable);
        assert_eq!(status(std::slice::from_ref(&e)), "需修改");
        assert_eq!(status(&[e.fixed(true)]), "通过");
    }

    #[test]
    fn sums_need_every_cell() {
        use BudgetField::*;
        let mut map = CellMap::new();
        map.insert(FieldPath::Budget(Basic), (3, 2));
        map.insert(FieldPath::Budget(Project), (4, 2));
        assert_eq!(
            sum_formula(&map, &[Basic, Project]).as_deref(),
            Some("'申报表'!C4+'申报表'!C5")
        );
        assert_eq!(sum_formula(&map, &[Basic, Transfer]), None);
    }
}
