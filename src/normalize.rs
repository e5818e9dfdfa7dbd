//! Third stage: [`RawForm`] → [`Declaration`], with every correction recorded.
//!
//! Corrections are the certain ones of docs/CHECKS.md (`fix`): amounts stored as text, signs and
//! digits in targets, category aliases and misplaced 二级指标, label variants, `\r\n` and
//! spaces at line ends. Each yields a [`Change`] and a finding marked `fixed`; nothing changes
//! silently except the outer trimming of a cell, which the record contract asks for. Problems
//! that are not certain to fix (an amount that is not a number) become findings here and the
//! value stays empty.
//!
//! Normalizing an already normalized record changes nothing: a test turns records back into
//! raw forms and checks the law. (A JSON record is typed already and goes to `check` directly.)

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::category;
use crate::locate::{Raw, RawForm, RawIndicator, RawTask, SheetNote};
use crate::model::{
    BasicInfo, BasicInfoField, Body, Budget, BudgetField, CellRef, Change, Code, Column,
    Declaration, DepartmentBody, ExtraKey, ExtraKind, ExtraValue, Extras, FieldPath, Finding,
    Funds, FundsField, GoalField, Goals, Hole, Indicator, Money, OwnTables, PeriodIndicator,
    ProjectBody, ProjectField, ProjectInfo, RecordKind, Section, Source, TableKind, Target,
    TargetKind, Task, Title, DECLARATION_FORMAT, DECLARATION_FORMAT_2,
};
use crate::read::{CellValue, FormulaCell};
use crate::target::SplitConflict;
use crate::template::Template;
use crate::text::{clean_text, excerpt, parse_amount, year_in};

/// What the normalizer needs besides the form.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The budget year when the title gives none (`--year`).
    pub year: Option<i32>,
}

/// The corrected record, what was changed, and what was found on the way.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub declaration: Declaration,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
}

/// Collects changes and findings with their cells.
#[derive(Default)]
struct Log {
    changes: Vec<Change>,
    findings: Vec<Finding>,
    cells: BTreeMap<FieldPath, CellRef>,
    /// The fields whose cell shows an error value (`#N/A`), with it: reported once the
    /// template's labels are at hand ([`Log::error_values`]).
    errors: Vec<(FieldPath, CellRef, String)>,
}

impl Log {
    /// Take note of the cell a field is read from (every field is read through here).
    fn cell(&mut self, field: FieldPath, raw: &Raw) {
        if let Some(c) = &raw.cell {
            self.cells.insert(field, c.clone());
            if let CellValue::Error(e) = &raw.value {
                self.errors.push((field, c.clone(), e.clone()));
            }
        }
    }

    /// `cell-error` at each field whose cell shows an error value: a formula that failed or
    /// lost what it refers to. The field is read as empty, and its value is unknown to the
    /// checks ([`Code::leaves_value_unknown`]).
    fn error_values(&mut self, template: &Template) {
        for (field, cell, error) in std::mem::take(&mut self.errors) {
            let label = template.label(field).unwrap_or_else(|| cell.a1());
            self.findings.push(
                Finding::new(Code::CellError)
                    .field(field)
                    .cell(Some(&cell))
                    .param(Hole::Label, label)
                    .param(Hole::Error, error),
            );
        }
    }

    /// Record a correction: a change and its finding, which is returned so that a message
    /// naming more than the two values can be given its other holes.
    fn fix(
        &mut self,
        code: Code,
        field: FieldPath,
        cell: Option<&CellRef>,
        before: &str,
        after: &str,
    ) -> &mut Finding {
        debug_assert!(code.def().fixes, "{code} is not a correction");
        self.changes.push(Change {
            code,
            field,
            cell: cell.map(|c| c.to_string()),
            before: before.to_string(),
            after: after.to_string(),
        });
        let mut finding = Finding::new(code).field(field).cell(cell).fixed(true);
        // The values as written and as corrected, where the message names them.
        for (hole, value) in [(Hole::Before, before), (Hole::After, after)] {
            if code.def().holes.contains(&hole) {
                finding = finding.param(hole, value);
            }
        }
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    /// A text field: trimmed, `\r\n` → `\n`, spaces at line ends removed. The change keeps the
    /// whole text; the finding quotes the words around the first difference.
    fn text(&mut self, field: FieldPath, raw: &Raw) -> String {
        self.cell(field, raw);
        let as_read = shown(raw);
        let clean = clean_text(&as_read);
        if clean != as_read.trim() {
            let (before, after) = around_difference(as_read.trim(), &clean);
            let f = self.fix(
                Code::TextPunctuation,
                field,
                raw.cell.as_ref(),
                as_read.trim(),
                &clean,
            );
            f.params = vec![(Hole::Before, before), (Hole::After, after)];
        }
        clean
    }

    /// An amount: a number cell as it is; text that reads as a number is corrected; anything
    /// else is an error and stays empty.
    fn money(&mut self, field: FieldPath, label: &str, raw: &Raw) -> Option<Money> {
        self.cell(field, raw);
        let (d, text) = self.number(field, label, raw)?;
        let m = Money(d);
        if let Some(t) = text {
            self.text_number(field, label, raw, t, &m.display());
        }
        Some(m)
    }

    /// A template's extra field (docs/TEMPLATES.md `[extra]`): a text, or an amount read as
    /// the budget's are; `None` for an empty cell.
    fn extra(&mut self, template: &Template, field: FieldPath, raw: &Raw) -> Option<ExtraValue> {
        let key = match field {
            FieldPath::Extra(k) | FieldPath::RowExtra(_, _, k) | FieldPath::OwnCell(_, _, k) => k,
            _ => return None,
        };
        match template.extra_kind(key) {
            ExtraKind::Money => {
                let label = template.label(field).unwrap_or_default();
                self.money(field, &label, raw).map(ExtraValue::Money)
            }
            ExtraKind::Text => {
                let text = self.text(field, raw);
                (!text.is_empty()).then_some(ExtraValue::Text(text))
            }
        }
    }

    /// The extra fields of the record, every one the layout places outside its tables: those
    /// not found are `None`.
    fn record_extras(&mut self, form: &RawForm, template: &Template) -> Extras {
        template
            .record_extras()
            .into_iter()
            .map(|k| {
                let path = FieldPath::Extra(k);
                (k, self.extra(template, path, &form.field(path)))
            })
            .collect()
    }

    /// The layout's own tables: each row's columns, every one the table declares (`None`
    /// where empty); a table not found has no rows.
    fn own_tables(&mut self, form: &RawForm, template: &Template) -> OwnTables {
        let mut out = OwnTables::new();
        for block in template.table_blocks() {
            let Some(name) = block.name else { continue };
            let found = form.own_tables.iter().find(|t| t.name == name);
            let rows = found.map_or(&[][..], |t| &t.rows[..]);
            let columns = block.header_extras();
            let list = rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    columns
                        .iter()
                        .map(|&(_, _, k)| {
                            let path = FieldPath::OwnCell(name, i, k);
                            let value = match row.iter().find(|(key, _)| *key == k) {
                                Some((_, raw)) => self.extra(template, path, raw),
                                None => None,
                            };
                            (k, value)
                        })
                        .collect()
                })
                .collect();
            out.insert(name, list);
        }
        out
    }

    /// The extra columns of a table row: each the table declares, `None` where the form has
    /// no such column or the cell is empty.
    fn row_extras(
        &mut self,
        template: &Template,
        table: TableKind,
        i: usize,
        found: &[(ExtraKey, Raw)],
    ) -> Extras {
        let Some(block) = template.table(table) else {
            return Extras::new();
        };
        block
            .header_extras()
            .into_iter()
            .map(|(_, _, k)| {
                let path = FieldPath::RowExtra(table, i, k);
                let value = match found.iter().find(|(key, _)| *key == k) {
                    Some((_, raw)) => self.extra(template, path, raw),
                    None => None,
                };
                (k, value)
            })
            .collect()
    }

    /// A whole number (staff, units): like an amount, but a fraction is not a count.
    fn count(&mut self, field: FieldPath, label: &str, raw: &Raw) -> Option<i64> {
        self.cell(field, raw);
        let (d, text) = self.number(field, label, raw)?;
        let d = d.normalize();
        match i64::try_from(d) {
            Ok(n) if d.fract().is_zero() => {
                if let Some(t) = text {
                    self.text_number(field, label, raw, t, &n.to_string());
                }
                Some(n)
            }
            _ => {
                self.not_number(field, label, raw);
                None
            }
        }
    }

    /// The number in a cell, with the text it was read from when it was text; `None` for an
    /// empty cell, and for one that is not a number (reported).
    fn number<'r>(
        &mut self,
        field: FieldPath,
        label: &str,
        raw: &'r Raw,
    ) -> Option<(Decimal, Option<&'r str>)> {
        match &raw.value {
            // A formula with no value, an error value: `formula-no-value` and `cell-error` say
            // so at the field.
            CellValue::Empty | CellValue::Formula | CellValue::Error(_) => None,
            CellValue::Number(d) | CellValue::Percent(d) => Some((*d, None)),
            CellValue::Text(t) if t.trim().is_empty() => None,
            // A dash, a slash or 无 is how forms write "nothing here": an empty amount.
            CellValue::Text(t) if NOTHING.contains(&t.trim()) => None,
            CellValue::Text(t) => match parse_amount(t) {
                Some(d) => Some((d, Some(t.as_str()))),
                None => {
                    self.not_number(field, label, raw);
                    None
                }
            },
            _ => {
                self.not_number(field, label, raw);
                None
            }
        }
    }

    /// Record a number that was written as text.
    fn text_number(&mut self, field: FieldPath, label: &str, raw: &Raw, before: &str, after: &str) {
        self.fix(Code::AmountText, field, raw.cell.as_ref(), before, after)
            .params
            .push((Hole::Label, label.to_string()));
    }

    fn not_number(&mut self, field: FieldPath, label: &str, raw: &Raw) {
        let shown = raw.value.display();
        if let Some(wan) = crate::text::parse_yuan(&shown) {
            self.findings.push(
                Finding::new(Code::AmountInYuan)
                    .field(field)
                    .cell(raw.cell.as_ref())
                    .param(Hole::Label, label)
                    .param(Hole::Value, shown.trim())
                    .param(Hole::After, wan.to_string()),
            );
            return;
        }
        self.findings.push(
            Finding::new(Code::AmountNotNumber)
                .field(field)
                .cell(raw.cell.as_ref())
                .param(Hole::Label, label)
                .param(Hole::Value, raw.value.display().trim()),
        );
    }

    /// A target value. A table with split columns (docs/FORM.md §1.5) gives the sign and unit cells
    /// beside it: the target is read across the three ([`crate::target::from_split`]), and what
    /// they state differently is a `target-split-conflict`, with the change it made to the value
    /// as read. Otherwise a reading that differs from the cell (`≧12次` → `≥12次`) is a
    /// `target-symbol` correction.
    fn target(&mut self, field: FieldPath, raw: &Raw, split: &Split) -> Target {
        self.cell(field, raw);
        let mut value = raw.value.clone();
        match &value {
            CellValue::Text(t) => value = CellValue::Text(clean_text(t)),
            CellValue::Error(_) => value = CellValue::Empty,
            _ => {}
        }
        let (target, conflicts) = if split.sign.is_none() && split.unit.is_none() {
            (crate::target::from_cell(&value), Vec::new())
        } else {
            let text_of = |r: Option<&Raw>| r.map(|r| clean_text(&shown(r))).unwrap_or_default();
            let read =
                crate::target::from_split(&text_of(split.sign), &value, &text_of(split.unit));
            (read.target, read.conflicts)
        };
        if conflicts.is_empty() {
            if target.text != target.raw {
                self.fix(
                    Code::TargetSymbol,
                    field,
                    raw.cell.as_ref(),
                    &target.raw,
                    &target.text,
                );
            }
            return target;
        }
        for conflict in &conflicts {
            let (label, other, found, value) = match conflict {
                SplitConflict::Sign { sign, value } => (split.sign_label, split.sign, sign, value),
                SplitConflict::Unit { unit, value } => (split.unit_label, split.unit, unit, value),
            };
            let other_cell = other
                .and_then(|r| r.cell.as_ref())
                .map(|c| c.to_string())
                .unwrap_or_default();
            self.findings.push(
                Finding::new(Code::TargetSplitConflict)
                    .field(field)
                    .cell(raw.cell.as_ref())
                    .param(Hole::Name, split.name)
                    .param(Hole::Label, label)
                    .param(Hole::Found, found.clone())
                    .param(Hole::OtherCell, other_cell)
                    .param(Hole::Column, split.column)
                    .param(Hole::Value, value.clone()),
            );
        }
        if target.text != target.raw {
            // The value cell won: a change, not a correction a reviewer may skip.
            self.changes.push(Change {
                code: Code::TargetSplitConflict,
                field,
                cell: raw.cell.as_ref().map(|c| c.to_string()),
                before: target.raw.clone(),
                after: target.text.clone(),
            });
        }
        target
    }
}

/// The cells beside a target value in a table with split columns, and the words a conflict's
/// message names.
struct Split<'a> {
    sign: Option<&'a Raw>,
    unit: Option<&'a Raw>,
    /// The indicator's name, the value column's label and the split columns' labels.
    name: &'a str,
    column: &'a str,
    sign_label: &'a str,
    unit_label: &'a str,
}

/// The words around the first place two texts differ, as written and as corrected, with line
/// breaks shown as ↵: enough for a message to show what changed without quoting a whole goal.
fn around_difference(before: &str, after: &str) -> (String, String) {
    const WIDTH: usize = 8;
    let b: Vec<char> = before.chars().collect();
    let a: Vec<char> = after.chars().collect();
    let common = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let start = common.saturating_sub(WIDTH);
    let show = |chars: &[char]| {
        let end = (common + WIDTH).min(chars.len());
        let mut out: String = chars[start..end].iter().collect();
        if start > 0 {
            out.insert(0, '…');
        }
        if end < chars.len() {
            out.push('…');
        }
        out.replace("\r\n", "↵").replace(['\r', '\n'], "↵")
    };
    (show(&b), show(&a))
}

/// Characters of a formula a message quotes: a long one is cut, with `…`.
const FORMULA_SHOWN: usize = 60;

/// A cell's text as a field reads it: an error value (`#N/A`) is no text (`cell-error` says so).
fn shown(raw: &Raw) -> String {
    match &raw.value {
        CellValue::Error(_) => String::new(),
        v => v.display(),
    }
}

/// What a finance form writes in an amount cell to mean "none".
const NOTHING: &[&str] = &["-", "—", "——", "－", "/", "／", "无", "\\"];

/// Normalize a located form; `template` gives the labels its messages name and says which
/// kind of record the form is.
pub fn normalize(form: &RawForm, template: &Template, opts: &Options) -> Normalized {
    let mut log = Log::default();
    log.structure(form);

    let title = log.text(FieldPath::Title, &form.title);
    let body = match template.kind {
        RecordKind::Department => Body::Department(department(&mut log, form, template)),
        RecordKind::Project => Body::Project(project(&mut log, form, template)),
    };
    log.formulas(form, template);
    log.error_values(template);
    for (section, cell) in &form.sections {
        log.cells
            .entry(FieldPath::Section(*section))
            .or_insert_with(|| cell.clone());
    }

    let title = Title::new(title);
    let year = title
        .year()
        // Only a budget year (`2024年度`): a 填报日期 above the form is no budget year.
        .or_else(|| {
            form.preamble
                .iter()
                .filter(|p| p.contains("年度"))
                .find_map(|p| year_in(p))
        })
        .or(opts.year);
    let mut declaration = Declaration {
        format: DECLARATION_FORMAT.to_string(),
        template: form.template.clone(),
        source: Source {
            file: form.file.clone(),
            sheet: form.sheet.clone(),
            range: form.range.clone(),
        },
        title,
        year,
        body,
        cells: log.cells,
    };
    if declaration.has_extras() {
        declaration.format = DECLARATION_FORMAT_2.to_string();
    }
    Normalized {
        declaration,
        changes: log.changes,
        findings: log.findings,
    }
}

/// What a department form says, in form order.
fn department(log: &mut Log, form: &RawForm, template: &Template) -> DepartmentBody {
    let label = |path: FieldPath| template.label(path).unwrap_or_default();
    let department = log.text(FieldPath::Department, &form.field(FieldPath::Department));
    let overall_goal = log.text(FieldPath::OverallGoal, &form.field(FieldPath::OverallGoal));
    let other = log.text(FieldPath::OtherTasks, &form.field(FieldPath::OtherTasks));
    let other_tasks = (!other.is_empty()).then_some(other);
    let basic_info = log.basic_info(form, &label);
    let budget = log.budget(form, &label);
    let funds_label = label(FieldPath::task(0, Column::Funds));
    let mut tasks = Vec::with_capacity(form.tasks.len());
    for t in &form.tasks {
        // A 合计 row adds up the tasks: read as one, it would count their funds twice.
        if let Some(name) = total_row(t) {
            let f = Finding::new(Code::TaskTotalRow)
                .field(FieldPath::Section(Section::Tasks))
                .cell(name.cell.as_ref())
                .param(Hole::Name, name.value.display().trim());
            log.findings.push(f);
            continue;
        }
        tasks.push(task(log, template, tasks.len(), t, &funds_label));
    }
    let labels = TargetLabels::of(template, TableKind::Indicators);
    let indicators = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| indicator(log, template, i, ind, &labels))
        .collect();
    let extra = log.record_extras(form, template);
    let tables = log.own_tables(form, template);
    DepartmentBody {
        department,
        basic_info,
        budget,
        overall_goal,
        tasks,
        other_tasks,
        indicators,
        extra,
        tables,
    }
}

/// What a project form says (docs/RECORDS.md §1.1), in form order: the header block (the department
/// and its code split apart), the funds, the goals, the annual indicator block, the mid-term one.
fn project(log: &mut Log, form: &RawForm, template: &Template) -> ProjectBody {
    let label = |path: FieldPath| template.label(path).unwrap_or_default();
    let text = |log: &mut Log, f: ProjectField| {
        let path = FieldPath::Project(f);
        log.text(path, &form.field(path))
    };
    let name = text(log, ProjectField::Name);
    let written = text(log, ProjectField::Department);
    let (department, department_code) = split_department_code(&written);
    if let Some(cell) = log.cells.get(&FieldPath::Project(ProjectField::Department)) {
        let cell = cell.clone();
        log.cells
            .insert(FieldPath::Project(ProjectField::DepartmentCode), cell);
    }
    let implementer = text(log, ProjectField::Implementer);
    let attribute = text(log, ProjectField::Attribute);
    let period = text(log, ProjectField::Period);
    let mut funds = Funds::default();
    for f in FundsField::ALL {
        let path = FieldPath::Funds(f);
        *funds.slot(f) = log.money(path, &label(path), &form.field(path));
    }
    let goal = |log: &mut Log, g: GoalField| {
        let path = FieldPath::Goals(g);
        log.text(path, &form.field(path))
    };
    let period_goal = goal(log, GoalField::Period);
    let goals = Goals {
        period: (!period_goal.is_empty()).then_some(period_goal),
        annual: goal(log, GoalField::Annual),
    };
    let labels = TargetLabels::of(template, TableKind::Indicators);
    let indicators = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| indicator(log, template, i, ind, &labels))
        .collect();
    let labels = TargetLabels::of(template, TableKind::PeriodIndicators);
    let period_indicators = form
        .period_indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| period_indicator(log, template, i, ind, &labels))
        .collect();
    let extra = log.record_extras(form, template);
    let tables = log.own_tables(form, template);
    ProjectBody {
        project: ProjectInfo {
            name,
            department,
            department_code,
            implementer,
            attribute,
            period,
        },
        funds,
        goals,
        indicators,
        period_indicators,
        extra,
        tables,
    }
}

/// A department written with its code (docs/FORM.md §1.6: `[015001]武汉市青山区教育局`,
/// `015001 武汉市青山区教育局`, `武汉市青山区教育局（015001）`) → the name and the code. The
/// code is three or more digits, in brackets or set apart by a space (or directly before the
/// name's first character that is no digit); a text with no such code is the name as it is.
pub fn split_department_code(text: &str) -> (String, Option<String>) {
    let t = crate::text::to_halfwidth(text.trim());
    let is_code = |s: &str| s.len() >= 3 && s.bytes().all(|b| b.is_ascii_digit());
    let brackets = [('[', ']'), ('(', ')'), ('【', '】'), ('〔', '〕')];
    for (open, close) in brackets {
        // `[015001]名称`
        if let Some(rest) = t.strip_prefix(open) {
            if let Some((code, name)) = rest.split_once(close) {
                let (code, name) = (code.trim(), name.trim());
                if is_code(code) && !name.is_empty() {
                    return (name.to_string(), Some(code.to_string()));
                }
            }
        }
        // `名称(015001)`
        if let Some(rest) = t.strip_suffix(close) {
            if let Some((name, code)) = rest.rsplit_once(open) {
                let (code, name) = (code.trim(), name.trim());
                if is_code(code) && !name.is_empty() {
                    return (name.to_string(), Some(code.to_string()));
                }
            }
        }
    }
    // `015001 名称`, `015001名称`
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (code, name) = t.split_at(digits);
    let name = name.trim_start_matches([' ', '-', '_', '—']).trim();
    let set_apart = name.len() < t.len() - digits || !name.starts_with(|c: char| c.is_ascii());
    if is_code(code) && !name.is_empty() && set_apart {
        return (name.to_string(), Some(code.to_string()));
    }
    (text.trim().to_string(), None)
}

impl Log {
    /// The fields read from formula cells whose file holds no result
    /// ([`crate::read::Sheet::formulas`]): a value worked out is a `formula-evaluated`
    /// correction, a formula that could not be is `formula-no-value`. One finding per cell.
    fn formulas(&mut self, form: &RawForm, template: &Template) {
        if form.formulas.is_empty() {
            return;
        }
        let at: BTreeMap<(u32, u32), &FormulaCell> =
            form.formulas.iter().map(|f| ((f.row, f.col), f)).collect();
        let mut seen = std::collections::BTreeSet::new();
        let fields: Vec<(FieldPath, CellRef)> =
            self.cells.iter().map(|(p, c)| (*p, c.clone())).collect();
        for (field, cell) in fields {
            let Some(f) = at.get(&(cell.row, cell.col)) else {
                continue;
            };
            if !seen.insert((cell.row, cell.col)) {
                continue;
            }
            let label = template.label(field).unwrap_or_else(|| cell.a1());
            let formula = format!("={}", excerpt(&f.formula, FORMULA_SHOWN));
            match f.value {
                Ok(value) => {
                    let after = if f.percent {
                        CellValue::Percent(value)
                    } else {
                        CellValue::Number(value)
                    };
                    self.fix(
                        Code::FormulaEvaluated,
                        field,
                        Some(&cell),
                        &formula,
                        &after.display(),
                    )
                    .params
                    .push((Hole::Label, label));
                }
                Err(_) => self.findings.push(
                    Finding::new(Code::FormulaNoValue)
                        .field(field)
                        .cell(Some(&cell))
                        .param(Hole::Label, label)
                        .param(Hole::Formula, formula),
                ),
            }
        }
    }

    /// What the locator found about the form as a whole: a cut sheet, missing sections, label
    /// variants, columns the template does not know.
    fn structure(&mut self, form: &RawForm) {
        if form.truncated {
            self.findings.push(
                Finding::new(Code::SheetTruncated)
                    .param(
                        Hole::Sheet,
                        form.sheet.clone().unwrap_or_else(|| form.file.clone()),
                    )
                    .param(Hole::Rows, crate::read::MAX_ROWS.to_string())
                    .param(Hole::Cols, crate::read::MAX_COLS.to_string()),
            );
        }
        if form.hidden {
            let sheet = form.sheet.clone().unwrap_or_default();
            self.findings
                .push(Finding::new(Code::FormSheetHidden).param(Hole::Sheet, sheet));
        }
        for note in &form.notes {
            self.findings.push(match note {
                SheetNote::HiddenForm { sheet } => {
                    Finding::new(Code::SheetHiddenSkipped).param(Hole::Sheet, sheet.clone())
                }
                SheetNote::Partial { sheet, labels } => Finding::new(Code::SheetPartialSkipped)
                    .param(Hole::Sheet, sheet.clone())
                    .param(Hole::Labels, labels.join("、")),
                SheetNote::SecondForm { sheet, cell } => Finding::new(Code::SheetSecondForm)
                    .cell(Some(cell))
                    .param(Hole::Sheet, sheet.clone())
                    // The sheet is named already: the cell alone, as in Excel's name box.
                    .param(Hole::Start, cell.a1()),
            });
        }
        for missing in &form.missing_sections {
            self.findings.push(
                Finding::new(Code::SectionMissing)
                    .field(missing.field)
                    .param(Hole::Label, missing.label.clone()),
            );
        }
        for v in &form.label_variants {
            // `labels` is no field of the record: the change is to the form's own wording.
            self.fix(
                Code::LabelVariant,
                FieldPath::Labels,
                Some(&v.cell),
                &v.found,
                &v.canonical,
            );
        }
        for x in &form.extra_columns {
            self.findings.push(
                Finding::new(Code::ColumnExtra)
                    .field(FieldPath::Section(x.table.section()))
                    .cell(Some(&x.cell))
                    .param(Hole::Header, x.header.clone()),
            );
            for (i, cell, value) in &x.values {
                self.changes.push(Change {
                    code: Code::ColumnExtra,
                    field: FieldPath::Row(x.table, *i),
                    cell: Some(cell.to_string()),
                    before: value.clone(),
                    after: String::new(),
                });
            }
        }
    }

    /// 基本信息, when the form has it.
    fn basic_info(
        &mut self,
        form: &RawForm,
        label: &impl Fn(FieldPath) -> String,
    ) -> Option<BasicInfo> {
        if !form
            .fields
            .keys()
            .any(|k| matches!(k, FieldPath::BasicInfo(_)))
        {
            return None;
        }
        let mut count = |f: BasicInfoField| {
            let path = FieldPath::BasicInfo(f);
            self.count(path, &label(path), &form.field(path))
        };
        Some(BasicInfo {
            funded_staff: count(BasicInfoField::FundedStaff),
            subordinate_units: count(BasicInfoField::SubordinateUnits),
        })
    }

    /// The budget block, every amount checked.
    fn budget(&mut self, form: &RawForm, label: &impl Fn(FieldPath) -> String) -> Budget {
        let mut budget = Budget::default();
        for f in BudgetField::ALL {
            let path = FieldPath::Budget(f);
            *budget.slot(f) = self.money(path, &label(path), &form.field(path));
        }
        budget
    }
}

/// The name cell of a task row that is the table's total (`合计`, `小计`, `总计`, spaced or
/// full-width as typed), whatever else the row holds.
fn total_row(t: &RawTask) -> Option<&Raw> {
    let name = t.name.as_ref()?;
    let key = crate::text::label_key(&name.value.display());
    crate::locate::TOTAL_WORDS
        .contains(&key.as_str())
        .then_some(name)
}

fn task(log: &mut Log, template: &Template, i: usize, t: &RawTask, funds_label: &str) -> Task {
    let get = |r: &Option<Raw>| r.clone().unwrap_or_else(Raw::missing);
    let path = |c| FieldPath::task(i, c);
    Task {
        name: log.text(path(Column::Name), &get(&t.name)),
        content: log.text(path(Column::Content), &get(&t.content)),
        funds: log.money(path(Column::Funds), funds_label, &get(&t.funds)),
        outcome: log.text(path(Column::Outcome), &get(&t.outcome)),
        extra: log.row_extras(template, TableKind::Tasks, i, &t.extra),
    }
}

/// The labels a target's findings name: its value columns and the split columns.
struct TargetLabels {
    table: TableKind,
    period: String,
    annual: String,
    sign: String,
    unit: String,
    kind: String,
}

impl Log {
    /// `target-kind-mismatch`: a target whose 指标值类型 cell says 定量 while it states no
    /// number, or 定性 while it states one or fills the unit column.
    fn value_kind(
        &mut self,
        field: FieldPath,
        raw: &Raw,
        target: &Target,
        ind: &RawIndicator,
        name: &str,
        labels: &TargetLabels,
    ) {
        let Some(kind_cell) = &ind.value_kind else {
            return;
        };
        let said = crate::text::label_key(&kind_cell.value.display());
        let unit_filled = ind
            .unit
            .as_ref()
            .is_some_and(|u| !u.value.display().trim().is_empty());
        let mismatch = match said.as_str() {
            "定量" => target.kind == TargetKind::Qualitative,
            "定性" => target.kind == TargetKind::Quantitative || unit_filled,
            _ => false,
        };
        if mismatch {
            self.findings.push(
                Finding::new(Code::TargetKindMismatch)
                    .field(field)
                    .cell(raw.cell.as_ref())
                    .param(Hole::Name, name.trim())
                    .param(Hole::Label, &labels.kind)
                    .param(Hole::Found, said)
                    .param(Hole::Value, &target.text),
            );
        }
    }
}

impl TargetLabels {
    fn of(template: &Template, table: TableKind) -> TargetLabels {
        let label = |c| {
            template
                .label(FieldPath::Column(table, 0, c))
                .unwrap_or_default()
        };
        let split = template.split_columns();
        let first = |labels: Option<&Vec<String>>| {
            labels.and_then(|l| l.first()).cloned().unwrap_or_default()
        };
        TargetLabels {
            table,
            period: label(Column::Period),
            annual: label(Column::Annual),
            sign: first(split.map(|s| &s.sign)),
            unit: first(split.map(|s| &s.unit)),
            kind: first(split.map(|s| &s.kind)),
        }
    }
}

/// The split cells of an indicator, when its table has them, for one of its value columns.
fn split<'a>(
    ind: &'a RawIndicator,
    name: &'a str,
    column: &'a str,
    labels: &'a TargetLabels,
) -> Split<'a> {
    Split {
        sign: ind.sign.as_ref(),
        unit: ind.unit.as_ref(),
        name: name.trim(),
        column,
        sign_label: &labels.sign,
        unit_label: &labels.unit,
    }
}

fn indicator(
    log: &mut Log,
    template: &Template,
    i: usize,
    ind: &RawIndicator,
    labels: &TargetLabels,
) -> Indicator {
    let path = |c| FieldPath::Column(labels.table, i, c);
    let (level1, level2) = categories(log, template, labels.table, i, ind);
    let name = log.text(path(Column::Name), &ind.name);
    // The split cells, when the table has them, serve both value columns.
    let period = ind.period.as_ref().map(|p| {
        log.target(
            path(Column::Period),
            p,
            &split(ind, &name, &labels.period, labels),
        )
    });
    let annual_raw = ind.annual.clone().unwrap_or_else(Raw::missing);
    let annual = log.target(
        path(Column::Annual),
        &annual_raw,
        &split(ind, &name, &labels.annual, labels),
    );
    log.value_kind(
        path(Column::Annual),
        &annual_raw,
        &annual,
        ind,
        &name,
        labels,
    );
    Indicator {
        level1,
        level2,
        name,
        period,
        annual,
        extra: log.row_extras(template, labels.table, i, &ind.extra),
    }
}

/// A row of a project form's mid-term block: its target is the period's.
fn period_indicator(
    log: &mut Log,
    template: &Template,
    i: usize,
    ind: &RawIndicator,
    labels: &TargetLabels,
) -> PeriodIndicator {
    let path = |c| FieldPath::Column(labels.table, i, c);
    let (level1, level2) = categories(log, template, labels.table, i, ind);
    let name = log.text(path(Column::Name), &ind.name);
    let period = ind.period.clone().unwrap_or_else(Raw::missing);
    let period = log.target(
        path(Column::Period),
        &period,
        &split(ind, &name, &labels.period, labels),
    );
    PeriodIndicator {
        level1,
        level2,
        name,
        period,
        annual: (),
        extra: log.row_extras(template, labels.table, i, &ind.extra),
    }
}

/// 一级 and 二级指标 of an indicator: aliases replaced by canonical names, and a known 二级 under
/// a known 一级 that does not allow it moved to the 一级 that does.
fn categories(
    log: &mut Log,
    template: &Template,
    table: TableKind,
    i: usize,
    ind: &RawIndicator,
) -> (String, String) {
    let l1_path = FieldPath::Column(table, i, Column::Level1);
    let l2_path = FieldPath::Column(table, i, Column::Level2);
    log.cell(l1_path, &ind.level1);
    log.cell(l2_path, &ind.level2);
    let mut canonical =
        |path: FieldPath, raw: &Raw, lookup: fn(&str) -> Option<category::Canonical>| {
            let text = clean_text(&shown(raw));
            // The layout's own name of a category (`[categories]`), as an alias.
            let level2 = path == l2_path;
            if let Some(name) = template.categories.get(level2, &text) {
                if name != text {
                    log.fix(Code::LevelAlias, path, raw.cell.as_ref(), &text, name);
                }
                return name.to_string();
            }
            match lookup(&text) {
                Some(c) => {
                    if c.aliased {
                        log.fix(Code::LevelAlias, path, raw.cell.as_ref(), &text, c.name);
                    }
                    c.name.to_string()
                }
                None => text,
            }
        };
    let mut level1 = canonical(l1_path, &ind.level1, category::level1);
    let level2 = canonical(l2_path, &ind.level2, category::level2);
    // A layout one level short (its first column holds the 二级, 数量指标…): the 一级 is the
    // framework's parent of the 二级.
    let no_level1 = !template.has_column(table, Column::Level1);
    if no_level1 && level1.is_empty() {
        if let Some(parent) = category::parent(&level2) {
            return (parent.to_string(), level2);
        }
    }
    if category::level1(&level1).is_some() && !category::allows(&level1, &level2) {
        if let Some(parent) = category::parent(&level2) {
            let f = log.fix(
                Code::Level2Misplaced,
                l1_path,
                ind.level1.cell.as_ref(),
                &level1,
                parent,
            );
            f.params.extend([
                (Hole::Level2, level2.clone()),
                (Hole::Level1, level1.clone()),
                (Hole::Parent, parent.to_string()),
            ]);
            level1 = parent.to_string();
        }
    }
    (level1, level2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A record back as a raw form, for the law that normalizing twice changes nothing.
    /// Targets start again from their `raw` text; amounts are numbers.
    fn raw_from_declaration(decl: &Declaration) -> RawForm {
        let text = |s: &str| Raw::text(s);
        let number = |n: Option<Decimal>| Raw {
            cell: None,
            value: n.map(CellValue::Number).unwrap_or(CellValue::Empty),
        };
        let money = |m: Option<Money>| number(m.map(|m| m.0));
        let target = |t: &Target| text(&t.raw);
        let raw_indicator = |i: &Indicator| RawIndicator {
            value_kind: None,
            extra: Vec::new(),
            level1: text(&i.level1),
            level2: text(&i.level2),
            name: text(&i.name),
            period: i.period.as_ref().map(target),
            annual: Some(target(&i.annual)),
            sign: None,
            unit: None,
        };
        let mut fields = BTreeMap::new();
        let mut form = RawForm {
            template: decl.template.clone(),
            file: decl.source.file.clone(),
            sheet: decl.source.sheet.clone(),
            range: decl.source.range.clone(),
            title: text(&decl.title),
            truncated: false,
            preamble: Vec::new(),
            fields: BTreeMap::new(),
            tasks: Vec::new(),
            indicators: decl.indicators().iter().map(raw_indicator).collect(),
            period_indicators: Vec::new(),
            sections: BTreeMap::new(),
            missing_sections: Vec::new(),
            label_variants: Vec::new(),
            extra_columns: Vec::new(),
            own_tables: Vec::new(),
            hidden: false,
            notes: Vec::new(),
            formulas: Vec::new(),
        };
        match &decl.body {
            Body::Department(d) => {
                fields.insert(FieldPath::Department, text(&d.department));
                fields.insert(FieldPath::OverallGoal, text(&d.overall_goal));
                let other = d.other_tasks.as_deref().unwrap_or("");
                fields.insert(FieldPath::OtherTasks, text(other));
                for f in BudgetField::ALL {
                    fields.insert(FieldPath::Budget(f), money(d.budget.get(f)));
                }
                if let Some(b) = &d.basic_info {
                    for (f, n) in [
                        (BasicInfoField::FundedStaff, b.funded_staff),
                        (BasicInfoField::SubordinateUnits, b.subordinate_units),
                    ] {
                        fields.insert(FieldPath::BasicInfo(f), number(n.map(Decimal::from)));
                    }
                }
                form.tasks = d
                    .tasks
                    .iter()
                    .map(|t| RawTask {
                        extra: Vec::new(),
                        name: Some(text(&t.name)),
                        content: Some(text(&t.content)),
                        funds: Some(money(t.funds)),
                        outcome: Some(text(&t.outcome)),
                    })
                    .collect();
            }
            Body::Project(p) => {
                let department = match &p.project.department_code {
                    Some(code) => format!("[{code}]{}", p.project.department),
                    None => p.project.department.clone(),
                };
                for f in ProjectField::ALL {
                    let value = match f {
                        ProjectField::Department => department.clone(),
                        ProjectField::DepartmentCode => continue,
                        f => p.project.get(f).to_string(),
                    };
                    fields.insert(FieldPath::Project(f), Raw::text(value));
                }
                for f in FundsField::ALL {
                    fields.insert(FieldPath::Funds(f), money(p.funds.get(f)));
                }
                for g in GoalField::ALL {
                    fields.insert(FieldPath::Goals(g), text(p.goals.get(g)));
                }
                form.period_indicators = p
                    .period_indicators
                    .iter()
                    .map(|i| RawIndicator {
                        value_kind: None,
                        extra: Vec::new(),
                        level1: text(&i.level1),
                        level2: text(&i.level2),
                        name: text(&i.name),
                        period: Some(target(&i.period)),
                        annual: None,
                        sign: None,
                        unit: None,
                    })
                    .collect();
            }
        }
        form.fields = fields;
        form
    }

    fn department_decl(body: DepartmentBody) -> Declaration {
        Declaration {
            format: DECLARATION_FORMAT.into(),
            template: "gz-dept-overall".into(),
            source: Source::default(),
            title: "2024年度部门整体预算绩效目标申报表".into(),
            year: None,
            body: Body::Department(body),
            cells: BTreeMap::new(),
        }
    }

    /// Messy cell texts of the kinds real forms carry.
    fn messy_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("≧12次".to_string()),
            Just("4次以上".to_string()),
            Just("１２％".to_string()),
            Just("＞＝5个".to_string()),
            Just("30亿元".to_string()),
            Just("不少于12批次".to_string()),
            Just("90%-80%".to_string()),
            Just("2024年12月31日前".to_string()),
            Just("XX".to_string()),
            Just("通过评审".to_string()),
            Just("有效提升".to_string()),
            Just("".to_string()),
            Just("a  \r\nb　".to_string()),
            "[一-龥，。；0-9%≥≤ \n]{0,12}",
        ]
    }

    fn messy_amount() -> impl Strategy<Value = CellValue> {
        prop_oneof![
            Just(CellValue::Empty),
            Just(CellValue::Text("４８５．９６".into())),
            Just(CellValue::Text("926.61万元".into())),
            Just(CellValue::Text(" 114.46".into())),
            Just(CellValue::Text("待定".into())),
            Just(CellValue::Text("1,234.5".into())),
            (0i64..10_000_000, 0u32..5).prop_map(|(n, s)| CellValue::Number(Decimal::new(n, s))),
        ]
    }

    fn category() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("产出指标".to_string()),
            Just("产出".to_string()),
            Just("效益".to_string()),
            Just("满意度指标".to_string()),
            Just("过程指标".to_string()),
            Just("数量".to_string()),
            Just("社会效益指标".to_string()),
            Just("环境效益指标".to_string()),
            Just("社会公众或服务对象满意度指标".to_string()),
            Just("效果指标".to_string()),
            Just("".to_string()),
        ]
    }

    fn raw_form() -> impl Strategy<Value = RawForm> {
        let ind = (
            category(),
            category(),
            messy_text(),
            messy_text(),
            messy_text(),
        )
            .prop_map(|(l1, l2, name, period, annual)| RawIndicator {
                value_kind: None,
                extra: Vec::new(),
                level1: Raw::text(l1),
                level2: Raw::text(l2),
                name: Raw::text(name),
                period: Some(Raw::text(period)),
                annual: Some(Raw::text(annual)),
                sign: None,
                unit: None,
            });
        let task =
            (messy_text(), messy_text(), messy_amount()).prop_map(|(name, content, funds)| {
                RawTask {
                    extra: Vec::new(),
                    name: Some(Raw::text(name)),
                    content: Some(Raw::text(content)),
                    funds: Some(Raw {
                        cell: None,
                        value: funds,
                    }),
                    outcome: Some(Raw::text("目标")),
                }
            });
        (
            messy_text(),
            proptest::collection::vec(messy_amount(), 8),
            proptest::collection::vec(task, 0..4),
            proptest::collection::vec(ind, 0..8),
        )
            .prop_map(|(department, amounts, tasks, indicators)| {
                let mut form = raw_from_declaration(&department_decl(DepartmentBody {
                    overall_goal: "1.目标".into(),
                    ..DepartmentBody::default()
                }));
                form.fields
                    .insert(FieldPath::Department, Raw::text(department));
                for (f, v) in BudgetField::ALL.into_iter().zip(amounts) {
                    form.fields.insert(
                        FieldPath::Budget(f),
                        Raw {
                            cell: None,
                            value: v,
                        },
                    );
                }
                form.tasks = tasks;
                form.indicators = indicators;
                form
            })
    }

    /// The corrected record as the written workbook holds it: targets as their text.
    fn as_written(decl: &Declaration) -> Declaration {
        let mut d = decl.clone();
        let written = |t: &mut Target| t.raw = t.text.clone();
        let indicators = match &mut d.body {
            Body::Department(b) => &mut b.indicators,
            Body::Project(p) => {
                p.period_indicators
                    .iter_mut()
                    .for_each(|i| written(&mut i.period));
                &mut p.indicators
            }
        };
        for i in indicators {
            i.period.iter_mut().for_each(written);
            written(&mut i.annual);
        }
        d.cells.clear();
        d
    }

    /// A project form with messy cells: a department written with its code, amounts as text,
    /// both indicator blocks.
    fn raw_project() -> impl Strategy<Value = RawForm> {
        let row = || (category(), category(), messy_text(), messy_text());
        let department = prop_oneof![
            Just("[015001]武汉市青山区教育局".to_string()),
            Just("108001 武汉市青山区卫生健康局".to_string()),
            Just("某局（015001）".to_string()),
            messy_text(),
        ];
        (
            department,
            proptest::collection::vec(messy_amount(), 6),
            messy_text(),
            proptest::collection::vec(row(), 0..6),
            proptest::collection::vec(row(), 0..6),
        )
            .prop_map(|(department, amounts, goal, annual, period)| {
                let project = Template::builtin_by_id("mof-project").unwrap();
                let mut form =
                    raw_from_declaration(&crate::write::blank::blank_declaration(&project));
                form.fields.insert(
                    FieldPath::Project(ProjectField::Department),
                    Raw::text(department),
                );
                form.fields
                    .insert(FieldPath::Goals(GoalField::Period), Raw::text(goal));
                for (f, v) in FundsField::ALL.into_iter().zip(amounts) {
                    form.fields.insert(
                        FieldPath::Funds(f),
                        Raw {
                            cell: None,
                            value: v,
                        },
                    );
                }
                let raw = |(l1, l2, name, t): (String, String, String, String), annual: bool| {
                    RawIndicator {
                        value_kind: None,
                        extra: Vec::new(),
                        level1: Raw::text(l1),
                        level2: Raw::text(l2),
                        name: Raw::text(name),
                        period: (!annual).then(|| Raw::text(t.clone())),
                        annual: annual.then(|| Raw::text(t)),
                        sign: None,
                        unit: None,
                    }
                };
                form.indicators = annual.into_iter().map(|r| raw(r, true)).collect();
                form.period_indicators = period.into_iter().map(|r| raw(r, false)).collect();
                form
            })
    }

    /// The law: normalizing the written record of a normalized form changes nothing.
    fn normalizing_twice_changes_nothing(
        form: &RawForm,
        variant: &str,
    ) -> Result<(), TestCaseError> {
        let template = Template::builtin_by_id(variant).unwrap();
        let once = normalize(form, &template, &Options::default());
        let written = as_written(&once.declaration);
        let twice = normalize(
            &raw_from_declaration(&written),
            &template,
            &Options::default(),
        );
        prop_assert!(twice.changes.is_empty(), "{:?}", twice.changes);
        prop_assert!(
            twice.findings.iter().all(|f| !f.fixed),
            "{:?}",
            twice.findings
        );
        prop_assert_eq!(as_written(&twice.declaration), written);
        Ok(())
    }

    proptest! {
        /// Normalizing an already normalized record changes nothing.
        #[test]
        fn normalizing_twice_equals_normalizing_once(form in raw_form()) {
            normalizing_twice_changes_nothing(&form, "gz-dept-overall")?;
        }

        /// The same law for project forms: a department and its code, once split, stay split.
        #[test]
        fn normalizing_a_project_twice_equals_normalizing_once(form in raw_project()) {
            normalizing_twice_changes_nothing(&form, "mof-project")?;
        }
    }

    /// The Panyu record as a raw form, and its template.
    fn panyu() -> (RawForm, Template) {
        let expected: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/panyu.expected.json")).unwrap();
        let decl: Declaration = serde_json::from_value(expected["records"].clone()).unwrap();
        let template = Template::builtin_by_id(&decl.template).unwrap();
        (raw_from_declaration(&decl), template)
    }

    /// A layout's own names of categories (`[categories]`) read as the framework's, each an
    /// alias corrected at its cell.
    #[test]
    fn a_templates_category_names_are_aliases() {
        let (mut form, mut template) = panyu();
        template
            .categories
            .level1
            .insert("成效类指标".into(), "效益指标".into());
        template
            .categories
            .level2
            .insert("社会效果".into(), "社会效益指标".into());
        form.indicators[0].level1 = Raw {
            cell: Some(CellRef::new("Sheet1", 15, 1)),
            value: CellValue::Text("成效 类指标".into()),
        };
        form.indicators[0].level2 = Raw::text("社会效果");
        let out = normalize(&form, &template, &Options { year: None });
        let first = &out.declaration.indicators()[0];
        assert_eq!(
            (first.level1.as_str(), first.level2.as_str()),
            ("效益指标", "社会效益指标")
        );
        let aliases: Vec<(&str, &str)> = (out.changes.iter())
            .filter(|c| c.code == Code::LevelAlias)
            .map(|c| (c.before.as_str(), c.after.as_str()))
            .collect();
        assert!(
            aliases.contains(&("成效 类指标", "效益指标")),
            "{aliases:?}"
        );
        assert!(
            aliases.contains(&("社会效果", "社会效益指标")),
            "{aliases:?}"
        );
    }

    /// A 合计 row of the task table (spaced, as typed) is left out of the tasks, with a note at
    /// its cell; a task whose name only starts with the word is kept.
    #[test]
    fn a_total_row_of_the_tasks_is_no_task() {
        let (mut form, template) = panyu();
        let n = form.tasks.len();
        let row = |name: &str, r: u32| RawTask {
            extra: Vec::new(),
            name: Some(Raw {
                cell: Some(CellRef::new("Sheet1", r, 1)),
                value: CellValue::Text(name.into()),
            }),
            funds: Some(Raw::text("373.32")),
            ..RawTask::default()
        };
        form.tasks.push(row("合计项目评审", 12));
        form.tasks.push(row("合 计", 13));
        let out = normalize(&form, &template, &Options { year: None });
        let Body::Department(body) = &out.declaration.body else {
            panic!("a department form")
        };
        assert_eq!(body.tasks.len(), n + 1);
        assert_eq!(body.tasks[n].name, "合计项目评审");
        let totals: Vec<&Finding> = (out.findings.iter())
            .filter(|f| f.code == Code::TaskTotalRow)
            .collect();
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].cell.as_deref(), Some("Sheet1!B14"));
        assert_eq!(
            totals[0].message(crate::messages::Lang::Zh),
            "“合 计”一行是各项重点工作任务的合计，不是一项任务，未作为任务读取"
        );
    }

    /// A cell showing an error value is `cell-error` at its field, and the field reads empty:
    /// an amount is no number, a target no words.
    #[test]
    fn an_error_value_is_reported_and_read_as_nothing() {
        let (mut form, template) = panyu();
        let error = |row: u32, col: u32, e: &str| Raw {
            cell: Some(CellRef::new("Sheet1", row, col)),
            value: CellValue::Error(e.into()),
        };
        form.fields.insert(
            FieldPath::Budget(BudgetField::Basic),
            error(3, 2, "#DIV/0!"),
        );
        form.indicators[0].annual = Some(error(15, 5, "#N/A"));
        let out = normalize(&form, &template, &Options { year: None });
        let Body::Department(body) = &out.declaration.body else {
            panic!("a department form")
        };
        assert_eq!(body.budget.basic, None);
        assert_eq!(body.indicators[0].annual.raw, "");
        let errors: Vec<(String, Option<&str>)> = (out.findings.iter())
            .filter(|f| f.code == Code::CellError)
            .map(|f| (f.message(crate::messages::Lang::Zh), f.cell.as_deref()))
            .collect();
        assert_eq!(
            errors,
            [
                (
                    "“基本支出”单元格显示错误值 #DIV/0!（公式出错或引用的内容已不存在），没有可用的值"
                        .to_string(),
                    Some("Sheet1!C4")
                ),
                (
                    "“年度指标值”单元格显示错误值 #N/A（公式出错或引用的内容已不存在），没有可用的值"
                        .to_string(),
                    Some("Sheet1!F16")
                ),
            ]
        );
        assert!(!out.findings.iter().any(|f| f.code == Code::AmountNotNumber));
    }

    /// docs/FORM.md §1.6: a department code written with the department is split off.
    #[test]
    fn department_codes_are_split_off() {
        let split = |s: &str| split_department_code(s);
        let code = |name: &str, code: &str| (name.to_string(), Some(code.to_string()));
        assert_eq!(
            split("[015001]武汉市青山区教育局"),
            code("武汉市青山区教育局", "015001")
        );
        assert_eq!(
            split("108001 武汉市青山区卫生健康局"),
            code("武汉市青山区卫生健康局", "108001")
        );
        assert_eq!(split("【015001】某局"), code("某局", "015001"));
        assert_eq!(split("015001某局"), code("某局", "015001"));
        assert_eq!(split("某局（015001）"), code("某局", "015001"));
        assert_eq!(split("015001-某局"), code("某局", "015001"));
        // No code: the text as it is.
        for plain in [
            "武汉市青山区教育局",
            "12某局",
            "[01]某局",
            "015001",
            "某局(二期)",
            "",
        ] {
            assert_eq!(split(plain), (plain.to_string(), None), "{plain}");
        }
    }

    #[test]
    fn a_dash_is_an_empty_amount_not_an_error() {
        let mut log = Log::default();
        for dash in ["-", "—", "／", " 无 "] {
            assert_eq!(
                log.money(
                    FieldPath::Budget(BudgetField::Transfer),
                    "拟用于对下转移支付资金",
                    &Raw::text(dash)
                ),
                None
            );
        }
        assert!(log.findings.is_empty() && log.changes.is_empty());
        assert_eq!(
            log.money(
                FieldPath::Budget(BudgetField::Transfer),
                "拟用于对下转移支付资金",
                &Raw::text("待定")
            ),
            None
        );
        assert_eq!(log.findings[0].code, Code::AmountNotNumber);
    }

    /// An amount in 元 is no number of the form, but the officer is told which unit it is in
    /// and what it is in 万元, word for word; `（万元）` after the number is the form's unit.
    #[test]
    fn an_amount_in_yuan_says_so_and_what_it_is_in_wan() {
        let mut log = Log::default();
        let field = FieldPath::Budget(BudgetField::Basic);
        assert_eq!(
            log.money(field, "基本支出", &Raw::text("4,406,500元")),
            None
        );
        let f = &log.findings[0];
        assert_eq!(f.code, Code::AmountInYuan);
        assert_eq!(
            f.message(crate::messages::Lang::Zh),
            "“基本支出”填写为“4,406,500元”，单位是元，而本表金额以万元为单位"
        );
        assert_eq!(
            f.suggestion(crate::messages::Lang::Zh),
            "若确为元，请换算为万元填写 440.65；若本意是万元，请删去“元”字"
        );
        assert_eq!(
            log.money(field, "基本支出", &Raw::text("46.00（万元）"))
                .map(|m| m.to_string()),
            Some("46.00".to_string())
        );
        let codes: Vec<Code> = log.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::AmountInYuan, Code::AmountText]);
    }

    /// Regression: counts went through the money path, so text "3" was logged as “3.00” while
    /// the record held 3, and "35人" was told to be an amount in 万元.
    #[test]
    fn counts_are_whole_numbers_with_their_own_label() {
        let mut log = Log::default();
        let n = log.count(
            FieldPath::BasicInfo(BasicInfoField::SubordinateUnits),
            "下属二级单位数",
            &Raw::text("3"),
        );
        assert_eq!(n, Some(3));
        assert_eq!(
            (
                log.changes[0].before.as_str(),
                log.changes[0].after.as_str()
            ),
            ("3", "3")
        );
        assert_eq!(
            log.findings[0].message(crate::messages::Lang::Zh),
            "“下属二级单位数”以文本形式填写为“3”，已改为数字 3"
        );
        assert_eq!(
            log.count(
                FieldPath::BasicInfo(BasicInfoField::FundedStaff),
                "财政供养人员数",
                &Raw::text("2.5")
            ),
            None
        );
        assert_eq!(log.findings[1].code, Code::AmountNotNumber);
    }

    /// docs/FORM.md §1.5: a target in split columns is read across its cells; what they state
    /// differently is a warning naming both cells' texts and the other cell, and the value
    /// cell's reading is the record's, with the change logged.
    #[test]
    fn split_targets_and_their_conflicts() {
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let at = |col: u32, v: CellValue| Raw {
            cell: Some(CellRef::new("Sheet1", 20, col)),
            value: v,
        };
        let text = |s: &str| CellValue::Text(s.to_string());
        let row = |sign: &str, value: CellValue, unit: &str| RawIndicator {
            value_kind: None,
            extra: Vec::new(),
            level1: Raw::text("产出指标"),
            level2: Raw::text("质量指标"),
            name: Raw::text("道路养护作业投诉件数"),
            period: None,
            annual: Some(at(5, value)),
            sign: Some(at(4, text(sign))),
            unit: Some(at(6, text(unit))),
        };
        let mut form = raw_from_declaration(&department_decl(DepartmentBody {
            department: "某局".into(),
            overall_goal: "1.目标".into(),
            ..DepartmentBody::default()
        }));
        form.indicators = vec![
            row("≥", text("≤5"), "件"),
            row("大于等于", CellValue::Number(Decimal::from(30)), "万亩"),
            row("≥", CellValue::Percent(Decimal::new(98, 2)), "%"),
        ];
        let n = normalize(&form, &gz, &Options::default());
        let texts: Vec<&str> = n
            .declaration
            .indicators()
            .iter()
            .map(|i| i.annual.text.as_str())
            .collect();
        assert_eq!(texts, ["≤5件", "≥30万亩", "≥98%"]);
        let conflict: Vec<&Finding> = n
            .findings
            .iter()
            .filter(|f| f.code == Code::TargetSplitConflict)
            .collect();
        assert_eq!(conflict.len(), 1);
        assert_eq!(
            conflict[0].field.unwrap().to_string(),
            "indicators[0].annual"
        );
        assert_eq!(conflict[0].cell.as_deref(), Some("Sheet1!F21"));
        assert!(!conflict[0].fixed);
        assert_eq!(
            conflict[0].message(crate::messages::Lang::Zh),
            "三级指标“道路养护作业投诉件数”的计算符号“≥”（Sheet1!E21）与年度指标值“≤5”不一致，已按年度指标值读取"
        );
        let changes: Vec<(Code, &str, &str)> = n
            .changes
            .iter()
            .map(|c| (c.code, c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (Code::TargetSplitConflict, "≥≤5件", "≤5件"),
                (Code::TargetSymbol, "大于等于30万亩", "≥30万亩")
            ]
        );
    }

    /// A whitespace correction quotes the words around it, not the whole field twice.
    #[test]
    fn text_corrections_quote_the_place_that_changed() {
        let mut log = Log::default();
        let goal = "1.开展全国标杆国家级开发区调研4次；   \r\n2.对园区企业开展环保巡检";
        let clean = log.text(FieldPath::OverallGoal, &Raw::text(goal));
        assert_eq!(
            clean,
            "1.开展全国标杆国家级开发区调研4次；\n2.对园区企业开展环保巡检"
        );
        assert_eq!(log.changes[0].before, goal);
        assert_eq!(
            log.findings[0].message(crate::messages::Lang::Zh),
            "“…开发区调研4次；   ↵2.对…”中有多余的标点或空白，应为“…开发区调研4次；↵2.对园区企业…”"
        );
    }
}
