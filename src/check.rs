//! The content rules of docs/CHECKS.md: [`Declaration`] → [`Finding`]s. A pure function over the
//! record, after `normalize` has done its corrections; what only the raw cells can show
//! (`amount-text`, `target-symbol`, `level-alias`, …) is reported by the normalizer instead.
//!
//! Findings are data, never errors, and come out in form order: title, department, budget block,
//! goal, tasks, other tasks, indicators (a project form: title, project, funds, goals, the
//! annual indicators, the mid-term ones). A record may be anything a person or another tool
//! wrote, so no rule panics: sums use checked arithmetic and are skipped when they overflow.
//!
//! How empty amounts count (the spec is silent): an empty budget cell is zero *inside* a sum,
//! but a sum rule only runs when each side has at least one filled cell. A form whose income
//! block is blank gets no `budget-unbalanced` (there is nothing to compare), while one that
//! leaves 其他资金 blank and fills the rest is compared as if it were 0.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::category;
use crate::model::{
    Body, BudgetField, CellRef, Code, Column, Declaration, DepartmentBody, FieldPath, Finding,
    FundsField, GoalField, Hole, IndicatorView, Money, Op, ProjectBody, ProjectField, RecordKind,
    Section, TableKind, Target, TargetKind, MAX_CELL_TEXT,
};
use crate::template::{SumTerm, Template};
use crate::text::{excerpt, label_key, to_halfwidth};

/// Qualitative targets that state a wish rather than a measure (`target-vague`). A target is
/// vague when its text contains one of these.
pub const VAGUE_PHRASES: &[&str] = &[
    "有效提升",
    "有效提高",
    "明显改善",
    "明显提升",
    "明显提高",
    "进一步提高",
    "进一步提升",
    "进一步改善",
    "进一步完善",
    "进一步加强",
    "较好",
    "逐步完善",
    "逐步提高",
    "逐步提升",
    "稳步提升",
    "稳步提高",
    "不断提高",
    "不断提升",
    "不断完善",
    "显著提升",
    "显著提高",
    "显著改善",
    "有所提高",
    "有所提升",
    "有所改善",
    "大幅提升",
    "持续改善",
    "持续提升",
];

/// Template placeholders that may survive inside a target the parser did not call a placeholder.
const PLACEHOLDERS: &[&str] = &["XX", "xx", "ＸＸ", "**", "＊＊", "……", "..."];

/// Doubled punctuation reported by `text-punctuation`. ASCII `..` is left out: `...` is a
/// common typed ellipsis.
const DOUBLED_MARKS: &[&str] = &["，，", "。。", "；；", "、、", "：：", ",,", ";;"];

/// What the checker may be told from outside the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// `satisfaction-low` below this percentage (`--min-satisfaction`).
    pub min_satisfaction: Decimal,
    /// The cells whose text the reader cut to [`crate::read::MAX_CELL_CHARS`] characters while
    /// reading ([`crate::read::Sheet::cut_cells`]): a field at one of them is `text-too-long`
    /// however long its text now is.
    pub cut: Vec<CellRef>,
    /// The fields whose value is unknown, not empty: a formula with no result, an amount that
    /// could not be read, an error value (the normalizer's findings that
    /// [`Code::leaves_value_unknown`]). Such a field is not judged, and a sum that involves one
    /// is not checked.
    pub no_value: Vec<FieldPath>,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            min_satisfaction: Decimal::from(80),
            cut: Vec::new(),
            no_value: Vec::new(),
        }
    }
}

/// Every content rule of docs/CHECKS.md that the record decides, in form order.
/// `template` gives the labels the messages name (区本级 or 市本级使用资金, 年度指标值 or 指标值).
pub fn check(decl: &Declaration, template: &Template, opts: &CheckOptions) -> Vec<Finding> {
    let mut c = Checker {
        decl,
        template,
        opts,
        out: Vec::new(),
    };
    c.year();
    match &decl.body {
        Body::Department(d) => c.department_form(d),
        Body::Project(p) => c.project_form(p),
    }
    c.template_sums();
    // Indicators come last on either kind of form: the annual table (judged), and a project
    // form's mid-term table, checked row by row when it has rows.
    for (table, rows) in decl.indicator_tables() {
        c.indicators(table, &rows);
    }
    c.lengths();
    c.out
}

/// Every text of a record with its path, in form order: what a workbook writes in a cell of
/// its own.
fn texts(d: &Declaration) -> Vec<(FieldPath, &str)> {
    let mut out: Vec<(FieldPath, &str)> = vec![(FieldPath::Title, d.title.as_str())];
    match &d.body {
        Body::Department(b) => {
            out.push((FieldPath::Department, &b.department));
            out.push((FieldPath::OverallGoal, &b.overall_goal));
            for (i, t) in b.tasks.iter().enumerate() {
                for (column, text) in [
                    (Column::Name, &t.name),
                    (Column::Content, &t.content),
                    (Column::Outcome, &t.outcome),
                ] {
                    out.push((FieldPath::task(i, column), text));
                }
            }
            if let Some(other) = &b.other_tasks {
                out.push((FieldPath::OtherTasks, other));
            }
        }
        Body::Project(p) => {
            for f in ProjectField::ALL {
                out.push((FieldPath::Project(f), p.project.get(f)));
            }
            if let Some(goal) = &p.goals.period {
                out.push((FieldPath::Goals(GoalField::Period), goal));
            }
            out.push((FieldPath::Goals(GoalField::Annual), &p.goals.annual));
        }
    }
    for (table, rows) in d.indicator_tables() {
        for (i, row) in rows.iter().enumerate() {
            let at = |c| FieldPath::Column(table, i, c);
            out.push((at(Column::Level1), row.level1));
            out.push((at(Column::Level2), row.level2));
            out.push((at(Column::Name), row.name));
            for column in [Column::Period, Column::Annual] {
                if let Some(t) = row.target(column) {
                    out.push((at(column), &t.text));
                }
            }
        }
    }
    out
}

impl Checker<'_> {
    fn department_form(&mut self, d: &DepartmentBody) {
        self.department(FieldPath::Department, &d.department);
        self.amounts(BudgetField::ALL.map(FieldPath::Budget));
        self.sums(RecordKind::Department);
        self.goal(FieldPath::OverallGoal, &d.overall_goal, true);
        self.tasks(d);
        self.text(
            FieldPath::OtherTasks,
            d.other_tasks.as_deref().unwrap_or(""),
        );
    }

    /// docs/CHECKS.md "Project forms": its own rules (项目名称, the funds' sums, 年度目标), and every
    /// other as on the department form. Its indicator blocks are checked by [`check`], as the
    /// department form's table is.
    fn project_form(&mut self, p: &ProjectBody) {
        let name = FieldPath::Project(ProjectField::Name);
        if p.project.name.trim().is_empty() {
            let f = self.at(Code::ProjectNameEmpty, name);
            self.push(f);
        }
        self.text(name, &p.project.name);
        let department = FieldPath::Project(ProjectField::Department);
        self.department(department, &p.project.department);
        for f in [
            ProjectField::Implementer,
            ProjectField::Attribute,
            ProjectField::Period,
        ] {
            self.text(FieldPath::Project(f), p.project.get(f));
        }
        self.amounts(FundsField::ALL.map(FieldPath::Funds));
        self.sums(RecordKind::Project);
        if let Some(goal) = &p.goals.period {
            self.goal(FieldPath::Goals(GoalField::Period), goal, false);
        }
        self.goal(FieldPath::Goals(GoalField::Annual), &p.goals.annual, true);
    }
}

/// `department-duplicate` across several inputs: every form whose department (after
/// whitespace and full-width normalization) another input also names is flagged, and the
/// message names the other file(s). Results are `(index into decls, finding)`, by index.
///
/// Department forms only: a department sends one overall form and many project forms, so its
/// name on several project forms is no duplicate.
pub fn check_across(decls: &[&Declaration]) -> Vec<(usize, Finding)> {
    let mut across = Across::default();
    for (i, d) in decls.iter().enumerate() {
        across.add(i, d);
    }
    across.findings()
}

/// [`check_across`] fed one form at a time, as a batch streams by: of each department form it
/// keeps only what the finding needs (its department, file and the department's cell), so
/// that the forms themselves need not be kept until the batch is complete.
#[derive(Debug, Default)]
pub struct Across {
    /// The department forms by normalized department, in the order added.
    groups: HashMap<String, Vec<Named>>,
}

/// What [`Across`] keeps of a form.
#[derive(Debug)]
struct Named {
    /// The caller's number for the form.
    index: usize,
    file: String,
    /// The department as written, trimmed.
    department: String,
    cell: Option<CellRef>,
}

impl Across {
    /// Take note of form number `index` (the caller's numbering, increasing).
    pub fn add(&mut self, index: usize, d: &Declaration) {
        if d.kind() != RecordKind::Department {
            return;
        }
        let key = label_key(d.department());
        if key.is_empty() {
            return;
        }
        self.groups.entry(key).or_default().push(Named {
            index,
            file: d.source.file.clone(),
            department: d.department().trim().to_string(),
            cell: d.cell_of(FieldPath::Department).cloned(),
        });
    }

    /// The `department-duplicate` findings of the forms added so far, by number.
    pub fn findings(&self) -> Vec<(usize, Finding)> {
        let mut out = Vec::new();
        for members in self.groups.values().filter(|m| m.len() > 1) {
            for n in members {
                let others: Vec<&str> = members
                    .iter()
                    .filter(|m| m.index != n.index)
                    .map(|m| m.file.as_str())
                    .collect();
                out.push((
                    n.index,
                    Finding::new(Code::DepartmentDuplicate)
                        .field(FieldPath::Department)
                        .cell(n.cell.as_ref())
                        .param(Hole::Department, n.department.as_str())
                        .param(Hole::OtherFile, others.join("、")),
                ));
            }
        }
        out.sort_by_key(|(i, _)| *i);
        out
    }
}

struct Checker<'a> {
    decl: &'a Declaration,
    template: &'a Template,
    opts: &'a CheckOptions,
    out: Vec<Finding>,
}

impl<'a> Checker<'a> {
    /// A finding on `field`, at that field's cell.
    fn at(&self, code: Code, field: FieldPath) -> Finding {
        self.at_cell(code, field, Some(field))
    }

    /// A finding on `field`, at the cell of `cell_field` (a section finding points at the first
    /// cell it involves).
    fn at_cell(&self, code: Code, field: FieldPath, cell_field: Option<FieldPath>) -> Finding {
        Finding::new(code)
            .field(field)
            .cell(cell_field.and_then(|f| self.decl.cell_of(f)))
    }

    /// The label a field is printed under on this form.
    fn label(&self, path: FieldPath) -> String {
        self.template.label(path).unwrap_or_default()
    }

    /// Keep a finding, unless its field's value is unknown ([`CheckOptions::no_value`]) or
    /// its part is one the layout does not have ([`Template::has_part`]: no `tasks-empty` on
    /// a form without a task table, no `department-empty` without a 主管部门).
    fn push(&mut self, f: Finding) {
        if f.field.is_some_and(|field| self.unknown(field)) {
            return;
        }
        if f.field.is_some_and(|field| !self.template.has_part(field)) {
            return;
        }
        self.out.push(f);
    }

    /// Whether the field's value is unknown ([`CheckOptions::no_value`]).
    fn unknown(&self, field: FieldPath) -> bool {
        self.opts.no_value.contains(&field)
    }

    fn year(&mut self) {
        // `--year` is in the record already: the normalizer takes it when the form has none.
        if self.decl.year.is_none() {
            let f = Finding::new(Code::YearMissing)
                .field(FieldPath::Year)
                .cell(self.decl.cell_of(FieldPath::Title))
                .param(Hole::Title, self.decl.title.trim());
            self.push(f);
        }
    }

    /// `department-empty` (部门名称, or a project's 主管部门) and its text.
    fn department(&mut self, field: FieldPath, department: &str) {
        if department.trim().is_empty() {
            let f = self
                .at(Code::DepartmentEmpty, field)
                .param(Hole::Label, self.label(field));
            self.push(f);
        }
        self.text(field, department);
    }

    /// `amount-negative` on each amount of the form.
    fn amounts(&mut self, fields: impl IntoIterator<Item = FieldPath>) {
        for path in fields {
            if let Some(m) = self.decl.money(path).filter(is_negative) {
                let f = self
                    .at(Code::AmountNegative, path)
                    .param(Hole::Label, self.label(path))
                    .param(Hole::Value, m.display());
                self.push(f);
            }
        }
    }

    /// The sum rules of the record's kind ([`sum_rules`]), unless the template states its own
    /// ([`Template::sums`]).
    fn sums(&mut self, kind: RecordKind) {
        if !self.template.sums.is_empty() {
            return;
        }
        for rule in sum_rules(kind) {
            let side = |fields: &[FieldPath]| {
                sum_side(
                    &fields
                        .iter()
                        .map(|f| self.decl.money(*f))
                        .collect::<Vec<_>>(),
                )
            };
            // A value unknown is not zero: no sum is claimed across it.
            if rule
                .left
                .1
                .iter()
                .chain(rule.right.1)
                .any(|f| self.unknown(*f))
            {
                continue;
            }
            let (Some(left), Some(right)) = (side(rule.left.1), side(rule.right.1)) else {
                continue;
            };
            if !(rule.fires)(left, right) {
                continue;
            }
            if let Some(diff) = abs_diff(left, right) {
                let mut f = self
                    .at_cell(rule.code, rule.field, Some(rule.left.1[0]))
                    .param(rule.left.0, money(left))
                    .param(rule.right.0, money(right))
                    .param(Hole::Difference, money(diff));
                if rule.code.def().holes.contains(&Hole::Label) {
                    f = f.param(Hole::Label, self.label(rule.field));
                }
                self.push(f);
            }
        }
    }

    /// The amounts a sum's term stands for, each with its field: one field, or a column over
    /// every row of its table.
    fn term_amounts(&self, term: SumTerm) -> Vec<(FieldPath, Option<Money>)> {
        let rows = |table: TableKind| -> usize {
            match (&self.decl.body, table) {
                (Body::Department(d), TableKind::Tasks) => d.tasks.len(),
                (_, TableKind::Indicators) => self.decl.indicators().len(),
                (Body::Project(p), TableKind::PeriodIndicators) => p.period_indicators.len(),
                _ => 0,
            }
        };
        let row_extra = |table: TableKind, i: usize, k| -> Option<Money> {
            let extras = match (&self.decl.body, table) {
                (Body::Department(d), TableKind::Tasks) => &d.tasks.get(i)?.extra,
                (_, TableKind::Indicators) => &self.decl.indicators().get(i)?.extra,
                (Body::Project(p), TableKind::PeriodIndicators) => {
                    &p.period_indicators.get(i)?.extra
                }
                _ => return None,
            };
            extras.get(&k)?.as_ref()?.money()
        };
        match term {
            SumTerm::Field(path) => vec![(path, self.decl.money(path))],
            SumTerm::Column(table, column) => (0..rows(table))
                .map(|i| {
                    let value = match (&self.decl.body, column) {
                        (Body::Department(d), Column::Funds) => d.tasks[i].funds,
                        _ => None,
                    };
                    (FieldPath::Column(table, i, column), value)
                })
                .collect(),
            SumTerm::Extra(table, k) => (0..rows(table))
                .map(|i| (FieldPath::RowExtra(table, i, k), row_extra(table, i, k)))
                .collect(),
            SumTerm::Own(table, k) => self
                .decl
                .own_tables()
                .get(&table)
                .map(|rows| {
                    rows.iter()
                        .enumerate()
                        .map(|(i, row)| {
                            let value = row.get(&k).and_then(Option::as_ref);
                            (
                                FieldPath::OwnCell(table, i, k),
                                value.and_then(|v| v.money()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The label a sum's term is printed under: a field's label, or a column's with 各行.
    fn term_label(&self, term: SumTerm) -> String {
        match term {
            SumTerm::Field(path) => self.label(path),
            SumTerm::Column(table, column) => {
                let label = self.label(FieldPath::Column(table, 0, column));
                format!("{label}各行")
            }
            SumTerm::Extra(table, k) => {
                let label = self.label(FieldPath::RowExtra(table, 0, k));
                format!("{label}各行")
            }
            SumTerm::Own(table, k) => {
                let label = self.label(FieldPath::OwnCell(table, 0, k));
                format!("{label}各行")
            }
        }
    }

    /// `sum-mismatch`: each sum the template states ([`Template::sums`]). An empty amount is
    /// not counted; a sum with an unknown one, or with nothing filled on either side, is not
    /// judged.
    fn template_sums(&mut self) {
        for sum in &self.template.sums {
            let total = self.term_amounts(sum.total);
            let parts: Vec<(FieldPath, Option<Money>)> = sum
                .parts
                .iter()
                .flat_map(|t| self.term_amounts(*t))
                .collect();
            if total.iter().chain(&parts).any(|(f, _)| self.unknown(*f)) {
                continue;
            }
            let side = |v: &[(FieldPath, Option<Money>)]| {
                sum_side(&v.iter().map(|(_, m)| *m).collect::<Vec<_>>())
            };
            let (Some(t), Some(p)) = (side(&total), side(&parts)) else {
                continue;
            };
            let Some(diff) = abs_diff(t, p).filter(|d| !d.is_zero()) else {
                continue;
            };
            let field = total[0].0;
            let labels: Vec<String> = sum.parts.iter().map(|t| self.term_label(*t)).collect();
            let f = self
                .at(Code::SumMismatch, field)
                .param(Hole::Label, self.term_label(sum.total))
                .param(Hole::Total, money(t))
                .param(Hole::Labels, labels.join("+"))
                .param(Hole::Value, money(p))
                .param(Hole::Difference, money(diff));
            self.push(f);
        }
    }

    /// A goal: `goal-empty` when a required one is empty, its numbering and its text.
    fn goal(&mut self, field: FieldPath, goal: &str, required: bool) {
        if goal.trim().is_empty() {
            if required {
                let f = self
                    .at(Code::GoalEmpty, field)
                    .param(Hole::Label, self.label(field));
                self.push(f);
            }
            return;
        }
        for (found, expected) in numbering_breaks(goal) {
            let f = self
                .at(Code::GoalNumbering, field)
                .param(Hole::Label, self.label(field))
                .param(Hole::Found, found)
                .param(Hole::Expected, expected);
            self.push(f);
        }
        self.text(field, goal);
    }

    fn tasks(&mut self, d: &DepartmentBody) {
        let tasks = &d.tasks;
        if tasks.is_empty() {
            let f = self.at(Code::TasksEmpty, FieldPath::Section(Section::Tasks));
            self.push(f);
            return;
        }
        for (i, t) in tasks.iter().enumerate() {
            let has_values =
                !t.content.trim().is_empty() || !t.outcome.trim().is_empty() || t.funds.is_some();
            if t.name.trim().is_empty() && has_values {
                let content = [t.content.trim(), t.outcome.trim()]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .map(|s| excerpt(s, 20))
                    .or_else(|| t.funds.map(|m| m.display()))
                    .unwrap_or_default();
                let f = self
                    .at(Code::TaskNameEmpty, FieldPath::task(i, Column::Name))
                    .param(Hole::Number, (i + 1).to_string())
                    .param(Hole::Content, content);
                self.push(f);
            }
            if let Some(m) = t.funds.filter(is_negative) {
                let path = FieldPath::task(i, Column::Funds);
                let f = self
                    .at(Code::AmountNegative, path)
                    .param(Hole::Label, self.label(path))
                    .param(Hole::Value, m.display());
                self.push(f);
            }
            self.text(FieldPath::task(i, Column::Name), &t.name);
            self.text(FieldPath::task(i, Column::Content), &t.content);
            self.text(FieldPath::task(i, Column::Outcome), &t.outcome);
        }

        // A template that states its sums says how its tasks' funds add up.
        if !self.template.sums.is_empty() {
            return;
        }
        let unknown = self.unknown(FieldPath::Budget(BudgetField::Project))
            || (0..tasks.len()).any(|i| self.unknown(FieldPath::task(i, Column::Funds)));
        if unknown {
            return;
        }
        let funds: Vec<Option<Money>> = tasks.iter().map(|t| t.funds).collect();
        if let (Some(total), Some(project)) = (sum_side(&funds), d.budget.project) {
            let code = if total > project.0 {
                Code::TaskFundsExceedProject
            } else if total < project.0 {
                Code::TaskFundsUncovered
            } else {
                return;
            };
            if let Some(diff) = abs_diff(total, project.0) {
                let cell_field = tasks
                    .iter()
                    .position(|t| t.funds.is_some())
                    .map(|i| FieldPath::task(i, Column::Funds));
                let f = self
                    .at_cell(code, FieldPath::Section(Section::Tasks), cell_field)
                    .param(Hole::Total, money(total))
                    .param(Hole::Project, project.display())
                    .param(Hole::Difference, money(diff));
                self.push(f);
            }
        }
    }

    /// `text-punctuation`: one finding per doubled mark in a text field, naming the words
    /// around it as written and as they should read. Reported, not fixed: the record keeps the
    /// text as written.
    fn text(&mut self, field: FieldPath, text: &str) {
        for mark in DOUBLED_MARKS {
            if let Some(pos) = text.find(mark) {
                let before = context_around(text, pos, mark.len(), 8);
                let after = collapse(&before, mark);
                let f = self
                    .at(Code::TextPunctuation, field)
                    .param(Hole::Before, before)
                    .param(Hole::After, after);
                self.push(f);
            }
        }
    }

    /// `text-too-long`: a text longer than a workbook's cell holds ([`MAX_CELL_TEXT`] UTF-16
    /// units, as Excel counts), which every workbook written cuts, or a text the reader cut to
    /// that many characters while reading ([`CheckOptions::cut`]). One finding per field, at
    /// its cell, in form order.
    fn lengths(&mut self) {
        let d = self.decl;
        let cut: std::collections::HashSet<&CellRef> = self.opts.cut.iter().collect();
        for (field, text) in texts(d) {
            // UTF-16 units never exceed UTF-8 bytes: most texts need no counting.
            let over = text.len() > MAX_CELL_TEXT && text.encode_utf16().count() > MAX_CELL_TEXT;
            let was_cut = d.cell_of(field).is_some_and(|c| cut.contains(c));
            if over || was_cut {
                let label = match field {
                    FieldPath::Title => crate::messages::report::TITLE_LABEL.to_string(),
                    _ => self.label(field),
                };
                let f = self.at(Code::TextTooLong, field).param(Hole::Label, label);
                self.push(f);
            }
        }
    }

    /// The rows of an indicator table. The table judged as the year's (a department form's, a
    /// project form's annual block) must have a row and cover the required 一级指标; every
    /// table's rows get the category, name, duplicate and target checks, duplicates counted
    /// within the table (the same indicator in both blocks of a project form is no duplicate).
    fn indicators(&mut self, table: TableKind, inds: &[IndicatorView]) {
        let judged = table == TableKind::Indicators;
        if inds.is_empty() {
            if judged {
                let f = self.at(
                    Code::IndicatorsEmpty,
                    FieldPath::Section(Section::Indicators),
                );
                self.push(f);
            }
            return;
        }
        // The first indicator of each normalized name, for `indicator-duplicate`.
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for (i, ind) in inds.iter().enumerate() {
            self.categories(table, i, ind);

            let name_field = FieldPath::Column(table, i, Column::Name);
            let key = label_key(ind.name);
            if key.is_empty() {
                let f = self
                    .at(Code::IndicatorNameEmpty, name_field)
                    .param(Hole::Number, (i + 1).to_string())
                    .param(Hole::Level1, ind.level1.trim())
                    .param(Hole::Level2, ind.level2.trim());
                self.push(f);
            } else if let Some(&j) = first_of.get(&key) {
                let earlier = FieldPath::Column(table, j, Column::Name);
                let other_cell = self
                    .decl
                    .cell_of(earlier)
                    .map_or_else(|| earlier.to_string(), |c| c.to_string());
                let f = self
                    .at(Code::IndicatorDuplicate, name_field)
                    .param(Hole::Name, ind.name.trim())
                    .param(Hole::OtherCell, other_cell)
                    .other(earlier);
                self.push(f);
            } else {
                first_of.insert(key, i);
                // A 二级 category's name in the 三级 column says what kind of indicator it is,
                // not what is measured (社会成本指标 under 成本指标).
                let is_category = category::level2(ind.name).is_some_and(|c| {
                    label_key(c.name) == label_key(ind.name) && !c.name.contains("满意度")
                });
                if is_category && category::level1(ind.name).is_none() {
                    let f = self
                        .at(Code::IndicatorNameCategory, name_field)
                        .param(Hole::Name, ind.name.trim())
                        .param(Hole::Level2, ind.level2.trim());
                    self.push(f);
                }
            }
            self.text(name_field, ind.name);

            self.targets(table, i, ind);
        }

        // A flat list with no category columns says nothing of its categories.
        if !judged || !self.has_categories(table) {
            return;
        }
        let present: Vec<&str> = inds
            .iter()
            .filter_map(|ind| category::level1(ind.level1).map(|c| c.name))
            .collect();
        for required in category::REQUIRED_LEVEL1 {
            if !present.contains(required) {
                let f = self
                    .at(
                        Code::CategoryMissing,
                        FieldPath::Section(Section::Indicators),
                    )
                    .param(Hole::Level1, *required);
                self.push(f);
            }
        }
    }

    /// Whether the layout's table has a category column (一级 or 二级指标).
    fn has_categories(&self, table: TableKind) -> bool {
        self.template.has_column(table, Column::Level1)
            || self.template.has_column(table, Column::Level2)
    }

    fn categories(&mut self, table: TableKind, i: usize, ind: &IndicatorView) {
        if !self.has_categories(table) {
            return;
        }
        let level1 = category::level1(ind.level1);
        if level1.is_none() {
            let f = self
                .at(
                    Code::Level1Unknown,
                    FieldPath::Column(table, i, Column::Level1),
                )
                .param(Hole::Level1, quoted(ind.level1))
                .param(Hole::Known, category::level1_names().join("、"));
            self.push(f);
        }
        if category::level2(ind.level2).is_none() {
            // Name the 二级指标 the 一级指标 allows; all of them when the 一级 is unknown too.
            let known = match level1 {
                Some(l1) => category::allowed(l1.name).to_vec(),
                None => category::level2_names(),
            };
            let f = self
                .at(
                    Code::Level2Unknown,
                    FieldPath::Column(table, i, Column::Level2),
                )
                .param(Hole::Level2, quoted(ind.level2))
                .param(Hole::Level1, quoted(ind.level1))
                .param(Hole::Known, known.join("、"));
            self.push(f);
        }
    }

    /// Every target check, on both value columns where the form has two (docs/CHECKS.md): the
    /// 实施周期指标值 is judged as the 年度指标值 is, each finding on its own cell. An empty
    /// 实施周期指标值 beside a filled 年度指标值 is `target-empty` with its lesser severity, as is
    /// an empty target of a row of a project's mid-term block (the block is optional).
    fn targets(&mut self, table: TableKind, i: usize, ind: &IndicatorView) {
        let annual_field = FieldPath::Column(table, i, Column::Annual);
        let period_field = FieldPath::Column(table, i, Column::Period);
        let Some(annual) = ind.annual else {
            // A row of a mid-term block: its one target is the period's.
            if let Some(period) = ind.period {
                if is_empty(period) {
                    let f = self.empty_target(period_field, ind).lowered();
                    self.push(f);
                } else {
                    self.target(period_field, ind, period, &self.label(period_field));
                }
            }
            return;
        };
        let annual_empty = is_empty(annual);
        if let Some(period) = ind.period {
            if is_empty(period) {
                if !annual_empty {
                    let f = self.empty_target(period_field, ind).lowered();
                    self.push(f);
                }
            } else {
                self.target(period_field, ind, period, &self.label(period_field));
            }
        }
        if annual_empty {
            let f = self.empty_target(annual_field, ind);
            self.push(f);
        } else {
            self.target(annual_field, ind, annual, &self.label(annual_field));
        }
        if let Some(period) = ind.period {
            if mismatch(period, annual) {
                let f = self
                    .at(Code::PeriodAnnualMismatch, period_field)
                    .param(Hole::Name, ind.name.trim())
                    .param(Hole::Period, shown(period))
                    .param(Hole::Annual, shown(annual));
                self.push(f);
            }
        }
    }

    /// `target-empty` on one value column of an indicator.
    fn empty_target(&self, field: FieldPath, ind: &IndicatorView) -> Finding {
        self.at(Code::TargetEmpty, field)
            .param(Hole::Name, ind.name.trim())
            .param(Hole::Column, self.label(field))
    }

    /// The rules about one filled target value.
    fn target(&mut self, field: FieldPath, ind: &IndicatorView, t: &Target, column_name: &str) {
        let value = shown(t);
        let base = |code: Code| {
            self.at(code, field)
                .param(Hole::Name, ind.name.trim())
                .param(Hole::Column, column_name)
                .param(Hole::Value, value.clone())
        };
        let mut found = Vec::new();

        let placeholder =
            t.kind == TargetKind::Placeholder || PLACEHOLDERS.iter().any(|p| t.raw.contains(p));
        if placeholder {
            found.push(base(Code::TargetPlaceholder));
        } else if t.kind == TargetKind::Quantitative {
            if t.op.is_none() {
                let read = Some(t.text.trim()).filter(|s| !s.is_empty());
                let f = base(Code::TargetNoOperator).param(Hole::After, read.unwrap_or(&value));
                found.push(f);
            }
            if unit(t).is_none() {
                found.push(base(Code::TargetNoUnit));
            }
            let number = t.number();
            let percent = unit(t).as_deref() == Some("%");
            let hundred = Decimal::from(100);
            // docs/CHECKS.md names ≥, > and =; a bare `120%` states the value itself, so it counts
            // as `=`. `≤120%` (a ceiling on growth) is fine.
            if percent
                && matches!(t.op, None | Some(Op::Ge) | Some(Op::Gt) | Some(Op::Eq))
                && number.is_some_and(|n| n > hundred)
            {
                found.push(base(Code::TargetPercentOver100));
            }
            if t.op == Some(Op::Range) {
                if let (Some(lo), Some(hi)) = (number, t.upper_number()) {
                    if lo > hi {
                        found.push(
                            base(Code::RangeInverted)
                                .param(Hole::Lower, t.value.clone().unwrap_or_default())
                                .param(Hole::Upper, t.upper.clone().unwrap_or_default())
                                .param(Hole::Unit, unit(t).unwrap_or_default()),
                        );
                    }
                }
            }
            let min = self.opts.min_satisfaction;
            if is_satisfaction(ind)
                && percent
                && !matches!(t.op, Some(Op::Le) | Some(Op::Lt))
                && number.is_some_and(|n| n < min)
            {
                found.push(
                    base(Code::SatisfactionLow).param(Hole::Minimum, min.normalize().to_string()),
                );
            }
        } else if t.kind == TargetKind::Qualitative {
            let key = label_key(&t.text);
            if VAGUE_PHRASES.iter().any(|p| key.contains(p)) {
                found.push(base(Code::TargetVague));
            }
        }
        self.out.extend(found);
    }
}

/// The target as the message shows it: as written, or the normalized text if nothing was read.
fn shown(t: &Target) -> String {
    let raw = t.raw.trim();
    if raw.is_empty() {
        t.text.trim().to_string()
    } else {
        raw.to_string()
    }
}

/// A target that states nothing: an empty cell.
fn is_empty(t: &Target) -> bool {
    t.kind == TargetKind::Empty || shown(t).is_empty()
}

/// The unit, half-width and trimmed; `None` when there is none.
fn unit(t: &Target) -> Option<String> {
    t.unit
        .as_deref()
        .map(|u| to_halfwidth(u).trim().to_string())
        .filter(|u| !u.is_empty())
}

/// An indicator about satisfaction: under 满意度指标 (or its 二级), or named so.
fn is_satisfaction(ind: &IndicatorView) -> bool {
    category::level1(ind.level1).is_some_and(|c| c.name == category::SATISFACTION)
        || category::level2(ind.level2)
            .and_then(|c| category::parent(c.name))
            .is_some_and(|l1| l1 == category::SATISFACTION)
        || ind.name.contains("满意度")
}

/// A category name as a message quotes it: `“效果指标”`, or `（未填写）` when empty.
fn quoted(name: &str) -> String {
    match name.trim() {
        "" => "（未填写）".to_string(),
        n => format!("“{n}”"),
    }
}

/// Whether period and annual targets differ in kind, unit or direction of the sign. Empty and
/// placeholder values are left to their own rules; `=` and ranges have no direction, so only
/// opposite signs (`≥` against `≤`) count.
fn mismatch(period: &Target, annual: &Target) -> bool {
    let skip = |t: &Target| {
        matches!(t.kind, TargetKind::Empty | TargetKind::Placeholder) || shown(t).is_empty()
    };
    if skip(period) || skip(annual) {
        return false;
    }
    if period.kind != annual.kind {
        return true;
    }
    if period.kind == TargetKind::Quantitative && unit(period) != unit(annual) {
        return true;
    }
    match (period.op, annual.op) {
        (Some(a), Some(b)) => a.direction() * b.direction() < 0,
        _ => false,
    }
}

/// A rule over two sums of a form's amounts (docs/CHECKS.md): each side is its hole and the fields
/// it adds; the finding is on `field` and points at the first cell of the left side. The rules
/// are data, a table per kind of form ([`sum_rules`]).
struct SumRule {
    code: Code,
    /// The field the finding is on: the budget block as a whole, or the total that disagrees.
    field: FieldPath,
    left: (Hole, &'static [FieldPath]),
    right: (Hole, &'static [FieldPath]),
    /// Whether the two sums break the rule.
    fires: fn(Decimal, Decimal) -> bool,
}

const fn b(f: BudgetField) -> FieldPath {
    FieldPath::Budget(f)
}

const fn funds(f: FundsField) -> FieldPath {
    FieldPath::Funds(f)
}

const EXPENDITURE: &[FieldPath] = &[b(BudgetField::Basic), b(BudgetField::Project)];

/// The budget's sum rules, in form order.
const DEPARTMENT_SUMS: [SumRule; 3] = [
    SumRule {
        code: Code::BudgetUnbalanced,
        field: FieldPath::Section(Section::Budget),
        left: (Hole::Expenditure, EXPENDITURE),
        right: (
            Hole::Income,
            &[b(BudgetField::Appropriation), b(BudgetField::OtherFunds)],
        ),
        fires: |l, r| l != r,
    },
    SumRule {
        code: Code::BudgetLevelUnbalanced,
        field: FieldPath::Section(Section::Budget),
        left: (
            Hole::Levels,
            &[b(BudgetField::OwnLevel), b(BudgetField::Transfer)],
        ),
        right: (Hole::Expenditure, EXPENDITURE),
        fires: |l, r| l != r,
    },
    SumRule {
        code: Code::DevelopmentExceedsProject,
        field: FieldPath::Section(Section::Budget),
        left: (
            Hole::Development,
            &[
                b(BudgetField::SpecialFunds),
                b(BudgetField::OtherDevelopment),
            ],
        ),
        right: (Hole::Project, &[b(BudgetField::Project)]),
        fires: |l, r| l > r,
    },
];

/// A project's sum rules (docs/FORM.md §1.6), in form order: each column's total is its sources'
/// sum, the mid-term column first; the year's total is within the mid-term one.
const PROJECT_SUMS: [SumRule; 3] = [
    SumRule {
        code: Code::FundsUnbalanced,
        field: funds(FundsField::PeriodTotal),
        left: (Hole::Total, &[funds(FundsField::PeriodTotal)]),
        right: (
            Hole::Income,
            &[
                funds(FundsField::PeriodAppropriation),
                funds(FundsField::PeriodOther),
            ],
        ),
        fires: |l, r| l != r,
    },
    SumRule {
        code: Code::FundsUnbalanced,
        field: funds(FundsField::AnnualTotal),
        left: (Hole::Total, &[funds(FundsField::AnnualTotal)]),
        right: (
            Hole::Income,
            &[
                funds(FundsField::AnnualAppropriation),
                funds(FundsField::AnnualOther),
            ],
        ),
        fires: |l, r| l != r,
    },
    SumRule {
        code: Code::FundsAnnualExceedsPeriod,
        field: funds(FundsField::AnnualTotal),
        left: (Hole::Annual, &[funds(FundsField::AnnualTotal)]),
        right: (Hole::Period, &[funds(FundsField::PeriodTotal)]),
        fires: |l, r| l > r,
    },
];

/// The sum rules of a kind of form.
fn sum_rules(kind: RecordKind) -> &'static [SumRule] {
    match kind {
        RecordKind::Department => &DEPARTMENT_SUMS,
        RecordKind::Project => &PROJECT_SUMS,
    }
}

/// The amounts a sum finding adds up, both sides (the four of `budget-unbalanced`): what the
/// corrected form colours, rather than the block's label. Empty for a finding of no sum rule.
pub fn summed_fields(code: Code, field: Option<FieldPath>) -> impl Iterator<Item = FieldPath> {
    DEPARTMENT_SUMS
        .iter()
        .chain(&PROJECT_SUMS)
        .filter(move |r| r.code == code && Some(r.field) == field)
        .flat_map(|r| r.left.1.iter().chain(r.right.1))
        .copied()
}

/// An amount below zero.
fn is_negative(m: &Money) -> bool {
    m.0.is_sign_negative() && !m.0.is_zero()
}

/// The sum of one side of a budget rule: `None` when every cell is empty (nothing to compare)
/// or the sum overflows; empty cells count as zero otherwise.
fn sum_side(cells: &[Option<Money>]) -> Option<Decimal> {
    Money::total(cells.iter().copied()).map(|m| m.0)
}

fn abs_diff(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b).map(|d| d.abs())
}

fn money(d: Decimal) -> String {
    Money(d).display()
}

/// The text around a byte range, `width` characters each side, with `…` where cut. Line breaks
/// become spaces so the excerpt stays on one line.
fn context_around(text: &str, start: usize, len: usize, width: usize) -> String {
    let before: Vec<char> = text[..start].chars().collect();
    let after: Vec<char> = text[start + len..].chars().collect();
    let mut out = String::new();
    if before.len() > width {
        out.push('…');
    }
    out.extend(&before[before.len().saturating_sub(width)..]);
    out.push_str(&text[start..start + len]);
    out.extend(after.iter().take(width));
    if after.len() > width {
        out.push('…');
    }
    out.replace(['\n', '\r'], " ")
}

/// `text` with every run of the doubled `mark` cut to one mark.
fn collapse(text: &str, mark: &str) -> String {
    let single = &mark[..mark.len() / 2];
    let mut out = text.to_string();
    while out.contains(mark) {
        out = out.replace(mark, single);
    }
    out
}

/// A numbered item at the start of a line or sentence of the goal.
#[derive(Debug, PartialEq, Eq)]
enum Item {
    /// `1.` `1、` `1.1.`: the numbers and the mark that ends them.
    Dotted(Vec<u32>, char),
    /// `（1）` or `(1)`.
    Paren(u32),
}

/// Parse a numbering token at the start of `s`, with the text it spans.
fn parse_item(s: &str) -> Option<(Item, String)> {
    let chars: Vec<char> = s.chars().take(16).collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let value = |ds: &[char]| -> Option<u32> {
        let text: String = ds.iter().collect();
        u32::from_str(&to_halfwidth(&text)).ok()
    };
    let open = chars.first().copied()?;
    if open == '（' || open == '(' {
        let n = chars[1..].iter().take_while(|c| digit(**c)).count();
        let close = *chars.get(1 + n)?;
        if (1..=2).contains(&n) && (close == '）' || close == ')') {
            let token: String = chars[..n + 2].iter().collect();
            return Some((Item::Paren(value(&chars[1..1 + n])?), token));
        }
        return None;
    }
    let mut numbers = Vec::new();
    let mut i = 0;
    loop {
        let n = chars[i..].iter().take_while(|c| digit(**c)).count();
        // One or two digits: a year (`2023年`) or an amount is not an item number.
        if !(1..=2).contains(&n) {
            return None;
        }
        numbers.push(value(&chars[i..i + n])?);
        i += n;
        let mark = *chars.get(i)?;
        if !matches!(mark, '.' | '．' | '、') {
            return None;
        }
        i += 1;
        match chars.get(i) {
            // `1.1.`: another level follows.
            Some(c) if digit(*c) && mark != '、' => continue,
            Some(c) if digit(*c) => return None,
            _ => {
                let token: String = chars[..i].iter().collect();
                return Some((Item::Dotted(numbers, mark), token));
            }
        }
    }
}

/// The numbered items of a text: at the start of each line and after `；` or `。`.
fn numbered_items(text: &str) -> Vec<(Item, String)> {
    let mut starts = vec![0];
    for (i, c) in text.char_indices() {
        if matches!(c, '\n' | '；' | ';' | '。') {
            starts.push(i + c.len_utf8());
        }
    }
    let mut seen = Vec::new();
    let mut items = Vec::new();
    for s in starts {
        let rest = &text[s..];
        let skipped = rest.len() - rest.trim_start().len();
        let at = s + skipped;
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        if let Some(item) = parse_item(&text[at..]) {
            items.push(item);
        }
    }
    items
}

/// Where the goal's numbering does not run 1, 2, 3, …: `(found, expected)` pairs. After a
/// break the count goes on from the number found, so one slip gives one finding. `1.1.` is a
/// sub-item of item 1 and needs an item 1 before it; `（1）` counts restart under each item.
fn numbering_breaks(goal: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut top = 0u32;
    let mut sub = 0u32;
    let mut paren = 0u32;
    for (item, token) in numbered_items(goal) {
        match item {
            Item::Dotted(ns, mark) if ns.len() == 1 => {
                let expected = top + 1;
                if ns[0] != expected {
                    out.push((token, format!("{expected}{mark}")));
                }
                top = ns[0];
                sub = 0;
                paren = 0;
            }
            Item::Dotted(ns, mark) => {
                let (a, b) = (ns[0], ns[1]);
                if a != top {
                    out.push((token, format!("{}{mark}", top + 1)));
                    top = a;
                    sub = b;
                } else {
                    if b != sub + 1 {
                        out.push((token, format!("{a}.{}{mark}", sub + 1)));
                    }
                    sub = b;
                }
                paren = 0;
            }
            Item::Paren(n) => {
                if n != paren + 1 {
                    out.push((token.clone(), renumber_paren(&token, paren + 1)));
                }
                paren = n;
            }
        }
    }
    out
}

/// `（3）` with another number, keeping its brackets.
fn renumber_paren(token: &str, n: u32) -> String {
    let open = token.chars().next().unwrap_or('（');
    let close = token.chars().last().unwrap_or('）');
    format!("{open}{n}{close}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;
    use crate::model::{Budget, CellRef, Indicator, Source, Task};

    fn m(s: &str) -> Option<Money> {
        Some(s.parse().unwrap())
    }

    /// A quantitative target as the normalizer would give it.
    fn q(op: Option<Op>, value: &str, unit: Option<&str>) -> Target {
        let sign = op.map(|o| o.symbol()).unwrap_or("");
        let text = format!("{sign}{value}{}", unit.unwrap_or(""));
        Target {
            raw: text.clone(),
            kind: TargetKind::Quantitative,
            op,
            value: Some(value.to_string()),
            upper: None,
            unit: unit.map(str::to_string),
            text,
            qualifier: None,
        }
    }

    fn words(kind: TargetKind, text: &str) -> Target {
        Target {
            raw: text.to_string(),
            kind,
            op: None,
            value: None,
            upper: None,
            unit: None,
            text: text.to_string(),
            qualifier: None,
        }
    }

    /// An indicator with a 年度指标值 only (as a one-column form has it): each target rule
    /// then fires once. Both columns are judged alike (see `both_columns_are_judged_alike`).
    fn ind(level1: &str, level2: &str, name: &str, t: Target) -> Indicator {
        Indicator {
            extra: Default::default(),
            level1: level1.to_string(),
            level2: level2.to_string(),
            name: name.to_string(),
            period: None,
            annual: t,
        }
    }

    /// A form with nothing to report.
    fn clean() -> Declaration {
        Declaration {
            format: "jixiao.declaration/1".to_string(),
            template: "gz-dept-overall".to_string(),
            source: Source {
                file: "a.xlsx".to_string(),
                sheet: Some("Sheet1".to_string()),
                range: None,
            },
            title: "2024年度部门整体预算绩效目标申报表".into(),
            year: Some(2024),
            body: Body::Department(DepartmentBody {
                extra: Default::default(),
                tables: Default::default(),
                department: "示例局".to_string(),
                basic_info: None,
                budget: Budget {
                    basic: m("100.00"),
                    project: m("50.00"),
                    appropriation: m("140.00"),
                    other_funds: m("10.00"),
                    special_funds: m("20.00"),
                    other_development: m("10.00"),
                    own_level: m("150.00"),
                    transfer: m("0.00"),
                },
                overall_goal: "1.完成甲；\n2.完成乙，达到3.5%以内。".to_string(),
                tasks: vec![Task {
                    extra: Default::default(),
                    name: "甲".to_string(),
                    content: "做甲".to_string(),
                    funds: m("50.00"),
                    outcome: "完成甲".to_string(),
                }],
                other_tasks: None,
                indicators: vec![
                    ind(
                        "产出指标",
                        "数量指标",
                        "培训次数",
                        q(Some(Op::Ge), "12", Some("次")),
                    ),
                    ind(
                        "效益指标",
                        "社会效益指标",
                        "覆盖率",
                        q(Some(Op::Ge), "90", Some("%")),
                    ),
                    ind(
                        "满意度指标",
                        "服务对象满意度指标",
                        "群众满意度",
                        q(Some(Op::Ge), "90", Some("%")),
                    ),
                ],
            }),
            cells: Default::default(),
        }
    }

    /// The department form's own fields, to change one.
    fn body(d: &mut Declaration) -> &mut DepartmentBody {
        match &mut d.body {
            Body::Department(b) => b,
            Body::Project(_) => panic!("a department form"),
        }
    }

    fn run(d: &Declaration) -> Vec<Finding> {
        check(d, &template_of(d), &CheckOptions::default())
    }

    fn template_of(d: &Declaration) -> Template {
        Template::builtin_by_id(&d.template).expect("a built-in variant")
    }

    fn codes(d: &Declaration) -> Vec<(&'static str, Option<String>)> {
        run(d)
            .into_iter()
            .map(|f| (f.code.as_str(), f.field.map(|p| p.to_string())))
            .collect()
    }

    /// The one finding with this code; fails if there is not exactly one.
    fn only(d: &Declaration, code: &str) -> Finding {
        let found: Vec<Finding> = run(d)
            .into_iter()
            .filter(|f| f.code.as_str() == code)
            .collect();
        assert_eq!(found.len(), 1, "{code}: {:?}", codes(d));
        found.into_iter().next().unwrap()
    }

    fn field(f: &Finding) -> String {
        f.field.map(|p| p.to_string()).unwrap_or_default()
    }

    fn p(path: &str) -> FieldPath {
        path.parse().unwrap()
    }

    #[test]
    fn clean_form_gives_nothing() {
        assert_eq!(codes(&clean()), vec![]);
    }

    /// Regression (issue 10): a 40,000-character name was cut to 32,767 in every workbook
    /// while the form said 通过. Counted in UTF-16 units, as Excel counts: 20,000 characters
    /// outside the basic plane are 40,000 units.
    #[test]
    fn text_too_long() {
        let mut d = clean();
        body(&mut d).department = "很".repeat(40_000);
        d.cells
            .insert(FieldPath::Department, CellRef::new("Sheet1", 1, 1));
        body(&mut d).indicators[1].name = "😀".repeat(20_000);
        let found: Vec<Finding> = run(&d)
            .into_iter()
            .filter(|f| f.code == Code::TextTooLong)
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(field(&found[0]), "department");
        assert_eq!(found[0].cell.as_deref(), Some("Sheet1!B2"));
        assert_eq!(
            found[0].message(Lang::Zh),
            "“部门名称”的文字超过 Excel 单元格的上限 32767 字，只保留了前 32767 字"
        );
        assert_eq!(field(&found[1]), "indicators[1].name");
        assert_eq!(found[0].severity(), crate::model::Severity::Warning);
        body(&mut d).department = "很".repeat(MAX_CELL_TEXT);
        body(&mut d).indicators[1].name = "x".repeat(MAX_CELL_TEXT);
        assert!(!codes(&d).iter().any(|(c, _)| *c == "text-too-long"));
    }

    /// A text the reader cut to the limit is as long as the limit allows, so only the reader
    /// knows: the cell it names makes the field at it `text-too-long`, and nothing else.
    #[test]
    fn a_text_cut_while_reading_is_too_long_at_its_cell() {
        let mut d = clean();
        body(&mut d).overall_goal = "很".repeat(MAX_CELL_TEXT);
        d.cells
            .insert(FieldPath::OverallGoal, CellRef::new("Sheet1", 4, 1));
        d.cells
            .insert(FieldPath::Department, CellRef::new("Sheet1", 1, 1));
        let opts = CheckOptions {
            cut: vec![CellRef::new("Sheet1", 4, 1), CellRef::new("Other", 1, 1)],
            ..CheckOptions::default()
        };
        let found: Vec<Finding> = check(&d, &template_of(&d), &opts)
            .into_iter()
            .filter(|f| f.code == Code::TextTooLong)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(field(&found[0]), "overall_goal");
        assert_eq!(found[0].cell.as_deref(), Some("Sheet1!B5"));
        assert_eq!(
            found[0].message(Lang::En),
            "\"总体绩效目标\" is longer than Excel's limit of 32767 characters in a cell; only the first 32767 are kept"
        );
    }

    #[test]
    fn department_empty() {
        let mut d = clean();
        body(&mut d).department = "  ".to_string();
        d.cells
            .insert(p("department"), CellRef::new("Sheet1", 1, 1));
        let f = only(&d, "department-empty");
        assert_eq!(field(&f), "department");
        assert_eq!(f.cell.as_deref(), Some("Sheet1!B2"));
        assert_eq!(codes(&d).len(), 1);
    }

    #[test]
    fn goal_empty() {
        let mut d = clean();
        body(&mut d).overall_goal = String::new();
        assert_eq!(field(&only(&d, "goal-empty")), "overall_goal");
    }

    #[test]
    fn tasks_empty() {
        let mut d = clean();
        body(&mut d).tasks.clear();
        assert_eq!(codes(&d), vec![("tasks-empty", Some("tasks".to_string()))]);
    }

    #[test]
    fn task_name_empty_only_when_the_row_has_values() {
        let mut d = clean();
        body(&mut d).tasks[0].name = String::new();
        let f = only(&d, "task-name-empty");
        assert_eq!(field(&f), "tasks[0].name");
        assert_eq!(
            f.message(Lang::Zh),
            "第1项重点工作任务缺少名称（该行内容：“做甲”）"
        );
        body(&mut d).tasks.push(Task::default());
        assert_eq!(
            run(&d)
                .iter()
                .filter(|f| f.code.as_str() == "task-name-empty")
                .count(),
            1
        );
    }

    #[test]
    fn indicators_empty_and_no_category_findings() {
        let mut d = clean();
        body(&mut d).indicators.clear();
        assert_eq!(
            codes(&d),
            vec![("indicators-empty", Some("indicators".to_string()))]
        );
    }

    #[test]
    fn indicator_name_empty() {
        let mut d = clean();
        body(&mut d).indicators[0].name = " ".to_string();
        let f = only(&d, "indicator-name-empty");
        assert_eq!(field(&f), "indicators[0].name");
        assert_eq!(
            f.message(Lang::Zh),
            "第1个绩效指标（产出指标／数量指标）缺少三级指标名称"
        );
    }

    #[test]
    fn target_empty_on_annual_names_the_column() {
        let mut d = clean();
        body(&mut d).indicators[0] = ind(
            "产出指标",
            "数量指标",
            "培训次数",
            words(TargetKind::Empty, ""),
        );
        let f = only(&d, "target-empty");
        assert_eq!(field(&f), "indicators[0].annual");
        assert_eq!(f.message(Lang::Zh), "三级指标“培训次数”的年度指标值为空");
        // One-column variant: the column is 指标值.
        d.template = "zj-dept-overall".to_string();
        body(&mut d).indicators[0].period = None;
        assert_eq!(
            only(&d, "target-empty").message(Lang::Zh),
            "三级指标“培训次数”的指标值为空"
        );
    }

    #[test]
    fn amount_negative_in_budget_and_tasks() {
        let mut d = clean();
        body(&mut d).budget.special_funds = m("-5.00");
        body(&mut d).budget.other_development = m("35.00");
        let f = only(&d, "amount-negative");
        assert_eq!(field(&f), "budget.special_funds");
        assert_eq!(
            f.message(Lang::Zh),
            "“财政专项资金”为“-5.00”，金额不能为负数"
        );

        let mut d = clean();
        body(&mut d).tasks[0].funds = m("-1");
        let found: Vec<_> = run(&d)
            .into_iter()
            .filter(|f| f.code.as_str() == "amount-negative")
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(field(&found[0]), "tasks[0].funds");
        // -0 is not negative.
        let mut d = clean();
        body(&mut d).budget.transfer = m("-0.00");
        assert_eq!(codes(&d), vec![]);
    }

    #[test]
    fn budget_unbalanced_names_both_sums_and_the_difference() {
        let mut d = clean();
        body(&mut d).budget.other_funds = m("0.00");
        body(&mut d).budget.own_level = m("140.00");
        d.cells
            .insert(p("budget.basic"), CellRef::new("Sheet1", 3, 2));
        let f = only(&d, "budget-unbalanced");
        assert_eq!(field(&f), "budget");
        assert_eq!(f.cell.as_deref(), Some("Sheet1!C4"));
        assert_eq!(
            f.message(Lang::Zh),
            "基本支出+项目支出=150.00万元，财政拨款+其他资金=140.00万元，相差10.00万元"
        );
    }

    #[test]
    fn budget_unbalanced_counts_an_empty_cell_as_zero_but_needs_both_sides() {
        let mut d = clean();
        body(&mut d).budget.other_funds = None;
        body(&mut d).budget.appropriation = m("150");
        assert_eq!(codes(&d), vec![]);
        body(&mut d).budget.appropriation = None;
        // Nothing filled on the income side: nothing to compare.
        assert!(!run(&d)
            .iter()
            .any(|f| f.code.as_str() == "budget-unbalanced"));
    }

    /// A formula with no value is unknown, not zero: no sum across it, no finding on its field.
    #[test]
    fn a_formula_with_no_value_is_not_counted_as_zero() {
        let mut d = clean();
        body(&mut d).budget.basic = None;
        let cell = CellRef::new("Sheet1", 3, 2);
        d.cells.insert(p("budget.basic"), cell.clone());
        assert!(run(&d).iter().any(|f| f.code == Code::BudgetUnbalanced));
        let opts = CheckOptions {
            no_value: vec![p("budget.basic")],
            ..CheckOptions::default()
        };
        let found = check(&d, &template_of(&d), &opts);
        assert!(
            !found
                .iter()
                .any(|f| matches!(f.code, Code::BudgetUnbalanced | Code::BudgetLevelUnbalanced)),
            "{found:?}"
        );
    }

    #[test]
    fn budget_level_unbalanced() {
        let mut d = clean();
        body(&mut d).budget.transfer = m("5");
        let f = only(&d, "budget-level-unbalanced");
        assert_eq!(f.severity(), crate::model::Severity::Warning);
        assert_eq!(
            f.message(Lang::Zh),
            "本级使用资金+拟用于对下转移支付资金=155.00万元，基本支出+项目支出=150.00万元，相差5.00万元"
        );
    }

    #[test]
    fn development_exceeds_project() {
        let mut d = clean();
        body(&mut d).budget.special_funds = m("45");
        let f = only(&d, "development-exceeds-project");
        assert_eq!(
            f.message(Lang::Zh),
            "财政专项资金+其他事业发展性支出=55.00万元，超过项目支出50.00万元，多出5.00万元"
        );
    }

    #[test]
    fn task_funds_above_and_below_project() {
        let mut d = clean();
        body(&mut d).tasks[0].funds = m("60");
        let f = only(&d, "task-funds-exceed-project");
        assert_eq!(field(&f), "tasks");
        let mut d = clean();
        body(&mut d).tasks[0].funds = m("37.5");
        let f = only(&d, "task-funds-uncovered");
        assert_eq!(f.severity(), crate::model::Severity::Info);
        assert_eq!(
            f.message(Lang::Zh),
            "重点工作任务拟投入的资金合计37.50万元，少于项目支出50.00万元，还有12.50万元未列入任务"
        );
        // No task states funds: nothing to compare.
        body(&mut d).tasks[0].funds = None;
        assert_eq!(codes(&d), vec![]);
    }

    #[test]
    fn unknown_categories() {
        let mut d = clean();
        body(&mut d).indicators[0].level1 = "过程指标".to_string();
        body(&mut d).indicators[1].level2 = "效果指标".to_string();
        body(&mut d).indicators.push(ind(
            "产出指标",
            "效果指标",
            "合格率",
            q(Some(Op::Ge), "95", Some("%")),
        ));
        let found = codes(&d);
        assert!(found.contains(&("level1-unknown", Some("indicators[0].level1".to_string()))));
        assert!(found.contains(&("level2-unknown", Some("indicators[1].level2".to_string()))));
        let f = run(&d)
            .into_iter()
            .find(|f| field(f) == "indicators[3].level2")
            .unwrap();
        assert_eq!(
            f.suggestion(Lang::Zh),
            "请改为数量指标、质量指标、时效指标、成本指标之一"
        );
        // An alias is the normalizer's business, not an unknown category.
        let mut d = clean();
        body(&mut d).indicators[0].level2 = "数量".to_string();
        assert_eq!(codes(&d), vec![]);
    }

    #[test]
    fn category_missing_one_per_category() {
        let mut d = clean();
        body(&mut d).indicators.truncate(1);
        let found: Vec<Finding> = run(&d)
            .into_iter()
            .filter(|f| f.code.as_str() == "category-missing")
            .collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].message(Lang::Zh), "没有“效益指标”类的绩效指标");
        assert_eq!(found[1].message(Lang::Zh), "没有“满意度指标”类的绩效指标");
        assert!(found.iter().all(|f| field(f) == "indicators"));
    }

    #[test]
    fn indicator_duplicate_on_the_later_one_naming_the_earlier_cell() {
        let mut d = clean();
        body(&mut d).indicators[1].name = "培训 次数".to_string();
        d.cells
            .insert(p("indicators[0].name"), CellRef::new("Sheet1", 18, 3));
        let f = only(&d, "indicator-duplicate");
        assert_eq!(field(&f), "indicators[1].name");
        assert_eq!(
            f.message(Lang::Zh),
            "三级指标“培训 次数”重复出现（另见 Sheet1!D19）"
        );
        // Without cells (a JSON input) the earlier field path is named.
        d.cells.clear();
        assert_eq!(
            only(&d, "indicator-duplicate").message(Lang::En),
            "The indicator \"培训 次数\" appears twice (see also indicators[0].name)"
        );
    }

    #[test]
    fn target_without_sign_or_unit() {
        let mut d = clean();
        body(&mut d).indicators[0] = ind(
            "产出指标",
            "数量指标",
            "投资总额",
            q(None, "30", Some("亿元")),
        );
        let f = only(&d, "target-no-operator");
        assert_eq!(field(&f), "indicators[0].annual");
        assert_eq!(
            f.message(Lang::Zh),
            "三级指标“投资总额”的年度指标值“30亿元”没有计算符号"
        );
        assert_eq!(
            f.suggestion(Lang::Zh),
            "请写明是不低于、不高于还是等于，如“≥30亿元”"
        );
        // The message quotes what the department typed; the example is the value as read.
        let mut typed = q(None, "3", Some("所"));
        typed.raw = "３所".to_string();
        body(&mut d).indicators[0] = ind("产出指标", "数量指标", "新建学校数量", typed);
        let f = only(&d, "target-no-operator");
        assert_eq!(
            f.message(Lang::Zh),
            "三级指标“新建学校数量”的年度指标值“３所”没有计算符号"
        );
        assert_eq!(
            f.suggestion(Lang::Zh),
            "请写明是不低于、不高于还是等于，如“≥3所”"
        );
        let mut d = clean();
        body(&mut d).indicators[0].annual = q(Some(Op::Ge), "50", None);
        let f = only(&d, "target-no-unit");
        assert_eq!(field(&f), "indicators[0].annual");
    }

    #[test]
    fn percent_over_100_only_with_an_upward_or_exact_sign() {
        let mut d = clean();
        body(&mut d).indicators[1] = ind(
            "效益指标",
            "社会效益指标",
            "参与率",
            q(Some(Op::Ge), "120", Some("%")),
        );
        assert_eq!(
            field(&only(&d, "target-percent-over-100")),
            "indicators[1].annual"
        );
        body(&mut d).indicators[1] = ind(
            "效益指标",
            "社会效益指标",
            "增长率",
            q(Some(Op::Le), "120", Some("%")),
        );
        assert_eq!(codes(&d), vec![]);
        body(&mut d).indicators[1] = ind(
            "效益指标",
            "社会效益指标",
            "完成率",
            q(Some(Op::Eq), "100", Some("%")),
        );
        assert_eq!(codes(&d), vec![]);
    }

    #[test]
    fn range_inverted() {
        let mut d = clean();
        let mut t = q(Some(Op::Range), "90", Some("%"));
        t.upper = Some("80".to_string());
        t.raw = "90%-80%".to_string();
        body(&mut d).indicators[1] = ind("效益指标", "社会效益指标", "响应率", t.clone());
        let f = only(&d, "range-inverted");
        assert_eq!(
            f.message(Lang::Zh),
            "三级指标“响应率”的年度指标值“90%-80%”下限90大于上限80"
        );
        t.value = Some("80".to_string());
        t.upper = Some("90".to_string());
        body(&mut d).indicators[1] = ind("效益指标", "社会效益指标", "响应率", t);
        assert_eq!(codes(&d), vec![]);
    }

    #[test]
    fn placeholder_by_kind_or_by_text() {
        let mut d = clean();
        body(&mut d).indicators[0] = ind(
            "产出指标",
            "数量指标",
            "完成率",
            words(TargetKind::Placeholder, "XX%"),
        );
        assert_eq!(
            field(&only(&d, "target-placeholder")),
            "indicators[0].annual"
        );
        body(&mut d).indicators[0] = ind(
            "产出指标",
            "数量指标",
            "完成情况",
            words(TargetKind::Qualitative, "完成……"),
        );
        only(&d, "target-placeholder");
    }

    #[test]
    fn vague_targets() {
        for vague in [
            "有效提升",
            "明显改善",
            "进一步提高",
            "较好",
            "逐步完善",
            "服务质量稳步提升",
        ] {
            let mut d = clean();
            body(&mut d).indicators[1] = ind(
                "效益指标",
                "社会效益指标",
                "质量",
                words(TargetKind::Qualitative, vague),
            );
            assert_eq!(
                field(&only(&d, "target-vague")),
                "indicators[1].annual",
                "{vague}"
            );
        }
        let mut d = clean();
        for fine in ["通过评审", "获得称号", "健全", "达标"] {
            body(&mut d).indicators[1] = ind(
                "效益指标",
                "社会效益指标",
                "质量",
                words(TargetKind::Qualitative, fine),
            );
            assert_eq!(codes(&d), vec![], "{fine}");
        }
    }

    #[test]
    fn satisfaction_low_uses_the_minimum_option() {
        let mut d = clean();
        body(&mut d).indicators[2] = ind(
            "满意度指标",
            "服务对象满意度指标",
            "群众满意度",
            q(Some(Op::Ge), "70", Some("%")),
        );
        let f = only(&d, "satisfaction-low");
        assert_eq!(
            f.message(Lang::Zh),
            "满意度指标“群众满意度”的年度指标值“≥70%”低于80%"
        );
        let opts = CheckOptions {
            min_satisfaction: Decimal::from(60),
            ..CheckOptions::default()
        };
        assert!(check(&d, &template_of(&d), &opts).is_empty());
        // By name, under another category.
        let mut d = clean();
        body(&mut d).indicators[1] = ind(
            "效益指标",
            "社会效益指标",
            "企业满意度",
            q(Some(Op::Ge), "75", Some("%")),
        );
        only(&d, "satisfaction-low");
    }

    #[test]
    fn period_and_annual_mismatch() {
        let mut d = clean();
        body(&mut d).indicators[0].period = Some(q(Some(Op::Ge), "50", Some("份")));
        body(&mut d).indicators[0].annual = q(Some(Op::Ge), "50", Some("个"));
        let f = only(&d, "period-annual-mismatch");
        assert_eq!(field(&f), "indicators[0].period");
        assert_eq!(
            f.message(Lang::Zh),
            "三级指标“培训次数”的实施周期指标值“≥50份”与年度指标值“≥50个”的类型、单位或符号方向不一致"
        );
        body(&mut d).indicators[0].annual = q(Some(Op::Le), "50", Some("份"));
        only(&d, "period-annual-mismatch");
        body(&mut d).indicators[0].annual = words(TargetKind::Qualitative, "完成");
        only(&d, "period-annual-mismatch");
        // Same kind, unit and direction: fine, even with other numbers.
        body(&mut d).indicators[0].annual = q(Some(Op::Gt), "10", Some("份"));
        assert_eq!(codes(&d), vec![]);
        // No period column: nothing to compare.
        body(&mut d).indicators[0].period = None;
        assert_eq!(codes(&d), vec![]);
    }

    /// Every target check applies to both value columns (docs/CHECKS.md), each finding on its own
    /// cell: a value written the same in both is reported twice, once per cell to correct.
    #[test]
    fn both_columns_are_judged_alike() {
        let same = |t: Target| {
            let mut d = clean();
            body(&mut d).indicators[0] = ind("产出指标", "数量指标", "投资", t.clone());
            body(&mut d).indicators[0].period = Some(t);
            codes(&d)
        };
        let on_both = |code: &'static str| {
            vec![
                (code, Some("indicators[0].period".to_string())),
                (code, Some("indicators[0].annual".to_string())),
            ]
        };
        assert_eq!(
            same(q(None, "30", Some("亿元"))),
            on_both("target-no-operator")
        );
        assert_eq!(
            same(words(TargetKind::Placeholder, "XX%")),
            on_both("target-placeholder")
        );
        assert_eq!(
            same(words(TargetKind::Qualitative, "有效提升")),
            on_both("target-vague")
        );
        // A problem only in the period value is reported there.
        let mut d = clean();
        body(&mut d).indicators[0].period = Some(q(None, "36", Some("次")));
        assert_eq!(
            codes(&d),
            vec![(
                "target-no-operator",
                Some("indicators[0].period".to_string())
            )]
        );
    }

    /// An empty 实施周期指标值 beside a filled 年度指标值 is `target-empty`, lowered to a warning
    /// (docs/CHECKS.md); beside an empty 年度指标值 only the annual error is said.
    #[test]
    fn an_empty_period_value_is_a_warning() {
        let mut d = clean();
        body(&mut d).indicators[1].period = Some(Target::empty());
        let f = only(&d, "target-empty");
        assert_eq!(field(&f), "indicators[1].period");
        assert_eq!(f.severity(), crate::model::Severity::Warning);
        assert_eq!(f.message(Lang::Zh), "三级指标“覆盖率”的实施周期指标值为空");
        body(&mut d).indicators[1].annual = Target::empty();
        let f = only(&d, "target-empty");
        assert_eq!(field(&f), "indicators[1].annual");
        assert_eq!(f.severity(), crate::model::Severity::Error);
    }

    #[test]
    fn goal_numbering() {
        assert_eq!(numbering_breaks("1.甲；\n2.乙；\n3.丙"), vec![]);
        assert_eq!(
            numbering_breaks("1.1.甲；\n2.乙；\n3.丙"),
            vec![("1.1.".to_string(), "1.".to_string())]
        );
        assert_eq!(
            numbering_breaks("1、甲\n3、乙\n4、丙"),
            vec![("3、".to_string(), "2、".to_string())]
        );
        assert_eq!(numbering_breaks("1.甲\n1.1.子\n1.2.子\n2.乙"), vec![]);
        assert_eq!(
            numbering_breaks("（1）甲；（2）乙；（4）丙"),
            vec![("（4）".to_string(), "（3）".to_string())]
        );
        // Decimals, years and amounts are not item numbers.
        assert_eq!(
            numbering_breaks("1.失业率3.5%以内。2023年完成；2.新增1.2万人"),
            vec![]
        );
        assert_eq!(numbering_breaks("无编号的目标"), vec![]);

        let mut d = clean();
        body(&mut d).overall_goal = "1.1.开展调研4次；\n2.开展巡检".to_string();
        let f = only(&d, "goal-numbering");
        assert_eq!(field(&f), "overall_goal");
        assert_eq!(f.message(Lang::Zh), "总体绩效目标中的编号“1.1.”处应为“1.”");
    }

    #[test]
    fn year_missing_unless_given() {
        let mut d = clean();
        d.year = None;
        assert_eq!(field(&only(&d, "year-missing")), "year");
        // `--year 2024` reaches the record through the normalizer.
        d.year = Some(2024);
        assert!(run(&d).is_empty());
    }

    #[test]
    fn doubled_punctuation_is_reported_not_fixed() {
        let mut d = clean();
        body(&mut d).tasks[0].content = "完成相关申报材料，，做好宣传工作。".to_string();
        body(&mut d).other_tasks = Some("其他。。".to_string());
        let found: Vec<Finding> = run(&d)
            .into_iter()
            .filter(|f| f.code.as_str() == "text-punctuation")
            .collect();
        assert_eq!(found.len(), 2);
        assert_eq!(field(&found[0]), "tasks[0].content");
        assert!(!found[0].fixed);
        assert_eq!(
            found[0].message(Lang::Zh),
            "“完成相关申报材料，，做好宣传工作。”中有多余的标点或空白，应为“完成相关申报材料，做好宣传工作。”"
        );
        assert_eq!(collapse("甲，，，乙，，丙", "，，"), "甲，乙，丙");
        assert_eq!(collapse("a,,b", ",,"), "a,b");
        assert_eq!(field(&found[1]), "other_tasks");
        // A long text is cut around the mark.
        assert_eq!(
            context_around("一二三四五六七八九十，，甲乙丙丁戊己庚辛壬癸", 30, 6, 8),
            "…三四五六七八九十，，甲乙丙丁戊己庚辛…"
        );
    }

    #[test]
    fn findings_come_in_form_order() {
        let mut d = clean();
        d.year = None;
        body(&mut d).department = String::new();
        body(&mut d).budget.basic = m("-1");
        body(&mut d).overall_goal = String::new();
        body(&mut d).tasks[0].name = String::new();
        body(&mut d).indicators[0].level1 = "过程".to_string();
        body(&mut d).indicators[0].annual = q(None, "3", Some("次"));
        let order: Vec<&str> = run(&d).iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            order,
            vec![
                "year-missing",
                "department-empty",
                "amount-negative",
                "budget-unbalanced",
                "budget-level-unbalanced",
                "goal-empty",
                "task-name-empty",
                "level1-unknown",
                "target-no-operator",
                "category-missing",
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_records() {
        let mut d = clean();
        let huge = Money(Decimal::MAX);
        body(&mut d).budget = Budget {
            basic: Some(huge),
            project: Some(huge),
            appropriation: Some(huge),
            other_funds: Some(huge),
            special_funds: Some(huge),
            other_development: Some(huge),
            own_level: Some(huge),
            transfer: Some(huge),
        };
        body(&mut d).tasks = vec![
            Task {
                funds: Some(huge),
                ..Task::default()
            };
            3
        ];
        let _ = run(&d);

        let mut d = clean();
        d.title = Default::default();
        body(&mut d).department = String::new();
        body(&mut d).overall_goal = "（".to_string();
        body(&mut d).budget = Budget::default();
        body(&mut d).tasks = vec![Task::default()];
        let mut t = q(Some(Op::Range), "not a number", Some(""));
        t.upper = Some("1e999".to_string());
        body(&mut d).indicators = vec![
            ind("", "", "", words(TargetKind::Empty, "")),
            ind("产出指标", "数量指标", "x", t),
        ];
        let _ = run(&d);
        for goal in [
            "1",
            "1.",
            "（1",
            "(12)",
            "99.99.",
            "１．甲",
            "1、1、",
            "\n\n；。",
        ] {
            let _ = numbering_breaks(goal);
        }
    }

    #[test]
    fn department_duplicate_across_forms() {
        let a = clean();
        let mut b = clean();
        b.source.file = "b.xlsx".to_string();
        body(&mut b).department = " 示例局 ".to_string();
        let mut c = clean();
        c.source.file = "c.xlsx".to_string();
        body(&mut c).department = "另一局".to_string();
        let mut e = clean();
        body(&mut e).department = String::new();
        let mut f = e.clone();
        f.source.file = "f.xlsx".to_string();
        let found = check_across(&[&a, &b, &c, &e, &f]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, 0);
        assert_eq!(found[1].0, 1);
        assert_eq!(
            found[0].1.message(Lang::Zh),
            "部门“示例局”也出现在 b.xlsx 中"
        );
        assert_eq!(
            found[1].1.message(Lang::Zh),
            "部门“示例局”也出现在 a.xlsx 中"
        );
        assert_eq!(field(&found[0].1), "department");
    }

    /// The project fixture with nothing to report (docs/FORM.md §1.6), to change one thing.
    fn project() -> Declaration {
        fixture("project-library").0.remove(0)
    }

    fn funds(d: &mut Declaration) -> &mut crate::model::Funds {
        &mut d.as_project_mut().unwrap().funds
    }

    #[test]
    fn a_clean_project_form_has_nothing_to_report() {
        assert_eq!(codes(&project()), []);
    }

    /// docs/CHECKS.md "Project forms": the funds' sums, column by column, with both sums and the
    /// difference named; the year's total above the mid-term one.
    #[test]
    fn project_funds_are_summed_by_column() {
        let mut d = project();
        funds(&mut d).annual_total = m("130.00");
        let f = only(&d, "funds-unbalanced");
        assert_eq!(field(&f), "funds.annual_total");
        assert_eq!(
            f.message(Lang::Zh),
            "年度资金总额=130.00万元，财政拨款+其他资金=120.00万元，相差10.00万元"
        );
        assert_eq!(f.cell, None, "a record from JSON has no cells");
        // An empty other-funds cell is zero; an empty column is no sum at all.
        let mut d = project();
        funds(&mut d).period_other = None;
        funds(&mut d).period_appropriation = m("350.00");
        let f = only(&d, "funds-unbalanced");
        assert_eq!(field(&f), "funds.period_total");
        assert_eq!(
            f.message(Lang::Zh),
            "中期资金总额=360.00万元，财政拨款+其他资金=350.00万元，相差10.00万元"
        );
        let mut d = project();
        *funds(&mut d) = crate::model::Funds {
            annual_total: m("120.00"),
            annual_appropriation: m("120.00"),
            ..Default::default()
        };
        assert_eq!(codes(&d), [], "a one-year project: no mid-term sums");
        let mut d = project();
        funds(&mut d).period_total = m("100.00");
        funds(&mut d).period_appropriation = m("100.00");
        let f = only(&d, "funds-annual-exceeds-period");
        assert_eq!(f.severity(), crate::model::Severity::Warning);
        assert_eq!(
            f.message(Lang::Zh),
            "年度资金总额120.00万元超过中期资金总额100.00万元，多20.00万元"
        );
        let mut d = project();
        funds(&mut d).annual_other = m("-1");
        funds(&mut d).annual_appropriation = m("121.00");
        assert_eq!(
            only(&d, "amount-negative").message(Lang::Zh),
            "“其他资金”为“-1.00”，金额不能为负数"
        );
    }

    /// The required content of a project form, each finding naming the form's own label.
    #[test]
    fn project_required_fields() {
        let mut d = project();
        let p = d.as_project_mut().unwrap();
        p.project.name = " ".into();
        p.project.department = String::new();
        p.goals.annual = String::new();
        p.goals.period = None;
        p.indicators.clear();
        let found = codes(&d);
        assert_eq!(
            found,
            [
                ("project-name-empty", Some("project.name".into())),
                ("department-empty", Some("project.department".into())),
                ("goal-empty", Some("goals.annual".into())),
                ("indicators-empty", Some("indicators".into())),
            ]
        );
        assert_eq!(
            only(&d, "department-empty").message(Lang::Zh),
            "主管部门及代码为空"
        );
        assert_eq!(only(&d, "goal-empty").message(Lang::Zh), "年度目标为空");
    }

    /// The mid-term block, when filled, gets the row checks: a target's rules on `.period`, an
    /// empty target as a warning; the same name in both blocks is no duplicate, a name twice
    /// in one block is; category-missing is the annual block's.
    #[test]
    fn the_mid_term_block_gets_the_row_checks() {
        let mut d = project();
        let p = d.as_project_mut().unwrap();
        p.period_indicators[0].period = words(TargetKind::Placeholder, "XX");
        p.period_indicators[1].period = Target::empty();
        p.period_indicators[2].name = p.period_indicators[3].name.clone();
        p.period_indicators.truncate(3);
        let found = codes(&d);
        assert_eq!(
            found,
            [
                (
                    "target-placeholder",
                    Some("period_indicators[0].period".into())
                ),
                ("target-empty", Some("period_indicators[1].period".into())),
            ]
        );
        assert_eq!(
            only(&d, "target-empty").severity(),
            crate::model::Severity::Warning
        );
        assert_eq!(
            only(&d, "target-placeholder").message(Lang::Zh),
            "三级指标“新增数字资源总量”的指标值（中期）“XX”是模板中的占位内容，尚未填写"
        );
        let p = d.as_project_mut().unwrap();
        p.period_indicators[1].name = p.period_indicators[0].name.clone();
        assert!(codes(&d).contains(&(
            "indicator-duplicate",
            Some("period_indicators[1].name".into())
        )));
    }

    /// A department sends one overall form and many project forms: its name on them is no
    /// duplicate.
    #[test]
    fn project_forms_are_no_department_duplicates() {
        let a = project();
        let mut b = project();
        b.source.file = "b.xlsx".into();
        let mut c = clean();
        body(&mut c).department = a.department().to_string();
        assert_eq!(check_across(&[&a, &b, &c]), []);
    }

    // The fixtures' expected records checked against their must_find lists. Codes the
    // normalizer reports from the raw cells cannot be seen in a record and are skipped.
    const NORMALIZER_CODES: &[&str] = &[
        "level-alias",
        "level2-misplaced",
        "amount-not-number",
        "amount-text",
        "target-symbol",
        "label-variant",
        "column-extra",
        "section-missing",
        "template-unknown",
        "target-split-conflict",
        "sheet-hidden-skipped",
        "sheet-partial-skipped",
        "sheet-second-form",
        "form-sheet-hidden",
        "formula-evaluated",
        "formula-no-value",
    ];

    /// The records of a fixture's expected file (one, or an array for a workbook of several
    /// forms, department and project forms alike), with the file.
    fn fixture(name: &str) -> (Vec<Declaration>, serde_json::Value) {
        let path = format!(
            "{}/tests/fixtures/{name}.expected.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let records = match &v["records"] {
            serde_json::Value::Array(items) => items.clone(),
            one => vec![one.clone()],
        };
        let decls = records
            .into_iter()
            .map(|r| serde_json::from_value(r).unwrap())
            .collect();
        (decls, v)
    }

    fn severities(found: &[Finding], s: crate::model::Severity) -> Vec<String> {
        found
            .iter()
            .filter(|f| f.severity() == s)
            .map(|f| format!("{} {:?} {}", f.code, f.field, f.message(Lang::Zh)))
            .collect()
    }

    #[test]
    fn fixtures_must_find() {
        let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.strip_suffix(".expected.json").map(str::to_string)
            })
            .collect();
        names.sort();
        assert!(names.len() >= 8, "{names:?}");
        for name in names {
            let (decls, v) = fixture(&name);
            if decls.is_empty() {
                continue;
            }
            // The fields the expected file says hold a formula with no value: the reading
            // knows it, the record alone does not. They are given to the checker as the
            // pipeline gives them (CheckOptions::no_value).
            let unknown: Vec<FieldPath> = v["must_find"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|w| w["code"] == "formula-no-value")
                .filter_map(|w| w["field"].as_str().map(p))
                .collect();
            let opts = CheckOptions {
                no_value: unknown,
                ..CheckOptions::default()
            };
            let found: Vec<Finding> = decls
                .into_iter()
                .flat_map(|d| check(&d, &template_of(&d), &opts))
                .collect();
            // (code, field, how often found), for a code the checker reports.
            let checked = |want: &serde_json::Value| {
                let code = want["code"].as_str().unwrap().to_string();
                let want_field = want["field"].as_str().map(str::to_string);
                let hits = found
                    .iter()
                    .filter(|f| {
                        f.code.as_str() == code
                            && want_field.as_ref().is_none_or(|w| field(f) == *w)
                    })
                    .count();
                (!NORMALIZER_CODES.contains(&code.as_str())).then_some((code, want_field, hits))
            };
            for want in v["must_find"].as_array().unwrap() {
                if let Some((code, at, 0)) = checked(want) {
                    panic!(
                        "{name}: missing {code} at {at:?}; found {:?}",
                        found.iter().map(|f| (f.code, &f.field)).collect::<Vec<_>>()
                    );
                }
            }
            for want in v["must_not_find"].as_array().into_iter().flatten() {
                if let Some((code, at, n)) = checked(want) {
                    assert_eq!(n, 0, "{name}: {code} at {at:?} must not be found");
                }
            }
            if v["no_errors"] == true {
                let errors = severities(&found, crate::model::Severity::Error);
                assert!(errors.is_empty(), "{name}: {errors:?}");
            }
            if v["no_warnings"] == true {
                let warnings = severities(&found, crate::model::Severity::Warning);
                assert!(warnings.is_empty(), "{name}: {warnings:?}");
            }
        }
    }

    #[test]
    fn zhanjiang_is_clean() {
        let (decl, _) = fixture("zhanjiang");
        let found = run(&decl[0]);
        assert!(severities(&found, crate::model::Severity::Error).is_empty());
        assert!(severities(&found, crate::model::Severity::Warning).is_empty());
    }

    #[test]
    fn panyu_defects() {
        let (decl, _) = fixture("panyu");
        let found = run(&decl[0]);
        assert!(severities(&found, crate::model::Severity::Error).is_empty());
        let has = |code: &str, field: &str| {
            found
                .iter()
                .any(|f| f.code.as_str() == code && self::field(f) == field)
        };
        assert!(has("indicator-duplicate", "indicators[6].name"));
        assert!(has("target-no-operator", "indicators[7].annual"));
        assert!(has("category-missing", "indicators"));
        assert!(has("task-funds-uncovered", "tasks"));
        assert!(has("goal-numbering", "overall_goal"));
        assert!(has("text-punctuation", "tasks[0].content"));
        let uncovered = found
            .iter()
            .find(|f| f.code.as_str() == "task-funds-uncovered")
            .unwrap();
        assert_eq!(
            uncovered.message(Lang::Zh),
            "重点工作任务拟投入的资金合计373.32万元，少于项目支出485.96万元，还有112.64万元未列入任务"
        );
        let missing = found
            .iter()
            .find(|f| f.code.as_str() == "category-missing")
            .unwrap();
        assert_eq!(missing.message(Lang::Zh), "没有“满意度指标”类的绩效指标");
    }
}
