//! Third stage: [`RawForm`] → [`Declaration`], with every correction recorded.
//!
//! Corrections are the certain ones of CHECKS.md (`fix`): amounts stored as text, signs and
//! digits in targets, category aliases and misplaced 二级指标, label variants, `\r\n` and
//! spaces at line ends. Each yields a [`Change`] and a finding marked `fixed`; nothing changes
//! silently except the outer trimming of a cell, which the record contract asks for. Problems
//! that are not certain to fix (an amount that is not a number) become findings here and the
//! value stays empty.
//!
//! Normalizing an already normalized record changes nothing: [`raw_from_declaration`] turns a
//! record back into a [`RawForm`], and a test checks the law on every fixture.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::category;
use crate::locate::{Raw, RawForm, RawIndicator, RawTask};
use crate::model::{
    BasicInfo, Budget, CellRef, Change, Declaration, Finding, Indicator, Money, Source, Target,
    Task, BUDGET_FIELDS, DECLARATION_FORMAT,
};
use crate::read::CellValue;
use crate::template::Template;
use crate::text::{clean_text, parse_amount, to_halfwidth};

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
struct Log {
    changes: Vec<Change>,
    findings: Vec<Finding>,
    cells: BTreeMap<String, CellRef>,
}

impl Log {
    fn cell(&mut self, field: &str, raw: &Raw) {
        if let Some(c) = &raw.cell {
            self.cells.insert(field.to_string(), c.clone());
        }
    }

    /// Record a correction: a change and its finding, which is returned so that a message
    /// naming more than the two values can be given its other holes.
    fn fix(
        &mut self,
        code: &'static str,
        field: &str,
        cell: Option<&CellRef>,
        before: &str,
        after: &str,
    ) -> &mut Finding {
        debug_assert!(
            crate::messages::finding(code).is_some_and(|d| d.fixes),
            "{code} is not a correction"
        );
        self.changes.push(Change {
            code: code.to_string(),
            field: field.to_string(),
            cell: cell.map(|c| c.to_string()),
            before: before.to_string(),
            after: after.to_string(),
        });
        self.findings.push(
            Finding::new(code)
                .field(field)
                .cell(cell)
                .param("before", before)
                .param("after", after)
                .fixed(true),
        );
        self.findings.last_mut().expect("just pushed")
    }

    /// A text field: trimmed, `\r\n` → `\n`, spaces at line ends removed. The change keeps the
    /// whole text; the finding quotes the words around the first difference.
    fn text(&mut self, field: &str, raw: &Raw) -> String {
        self.cell(field, raw);
        let as_read = raw.value.display();
        let clean = clean_text(&as_read);
        if clean != as_read.trim() {
            let (before, after) = around_difference(as_read.trim(), &clean);
            self.fix(
                "text-punctuation",
                field,
                raw.cell.as_ref(),
                as_read.trim(),
                &clean,
            );
            let f = self.findings.last_mut().expect("just pushed");
            f.params = vec![("before", before), ("after", after)];
        }
        clean
    }

    /// An amount: a number cell as it is; text that reads as a number is corrected; anything
    /// else is an error and stays empty.
    fn money(&mut self, field: &str, label: &str, raw: &Raw) -> Option<Money> {
        self.cell(field, raw);
        let (d, text) = self.number(field, label, raw)?;
        let m = Money(d);
        if let Some(t) = text {
            self.text_number(field, label, raw, t, &m.display());
        }
        Some(m)
    }

    /// A whole number (staff, units): like an amount, but a fraction is not a count.
    fn count(&mut self, field: &str, label: &str, raw: &Raw) -> Option<i64> {
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
        field: &str,
        label: &str,
        raw: &'r Raw,
    ) -> Option<(Decimal, Option<&'r str>)> {
        match &raw.value {
            CellValue::Empty => None,
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
    fn text_number(&mut self, field: &str, label: &str, raw: &Raw, before: &str, after: &str) {
        self.fix("amount-text", field, raw.cell.as_ref(), before, after)
            .params
            .push(("label", label.to_string()));
    }

    fn not_number(&mut self, field: &str, label: &str, raw: &Raw) {
        self.findings.push(
            Finding::new("amount-not-number")
                .field(field)
                .cell(raw.cell.as_ref())
                .param("label", label)
                .param("value", raw.value.display().trim()),
        );
    }

    fn target(&mut self, field: &str, raw: &Raw) -> Target {
        self.cell(field, raw);
        let mut value = raw.value.clone();
        if let CellValue::Text(t) = &value {
            value = CellValue::Text(clean_text(t));
        }
        let target = crate::target::from_cell(&value);
        if target.text != target.raw {
            self.fix(
                "target-symbol",
                field,
                raw.cell.as_ref(),
                &target.raw,
                &target.text,
            );
        }
        target
    }
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

/// What a finance form writes in an amount cell to mean "none".
const NOTHING: &[&str] = &["-", "—", "——", "－", "/", "／", "无", "\\"];

/// The budget year written in a title: `2024年度…`, `2023年市级…`.
pub fn year_in(title: &str) -> Option<i32> {
    let half = to_halfwidth(title);
    let chars: Vec<char> = half.chars().collect();
    for i in 0..chars.len().saturating_sub(4) {
        let digits = &chars[i..i + 4];
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok && digits.iter().all(|c| c.is_ascii_digit()) && chars.get(i + 4) == Some(&'年')
        {
            let y: i32 = digits.iter().collect::<String>().parse().ok()?;
            if (1990..=2200).contains(&y) {
                return Some(y);
            }
        }
    }
    None
}

/// Normalize a located form; `template` gives the labels its messages name.
pub fn normalize(form: &RawForm, template: &Template, opts: &Options) -> Normalized {
    let label = |path: &str| template.label(path).unwrap_or_default();
    let mut log = Log {
        changes: Vec::new(),
        findings: Vec::new(),
        cells: BTreeMap::new(),
    };

    if form.truncated {
        log.findings.push(
            Finding::new("sheet-truncated")
                .param(
                    "sheet",
                    form.sheet.clone().unwrap_or_else(|| form.file.clone()),
                )
                .param("rows", crate::read::MAX_ROWS.to_string())
                .param("cols", crate::read::MAX_COLS.to_string()),
        );
    }
    for missing in &form.missing_sections {
        log.findings.push(
            Finding::new("section-missing")
                .field(missing.field)
                .param("label", missing.label),
        );
    }
    for v in &form.label_variants {
        // `labels` is no field of the record: the change is to the form's own wording.
        log.fix(
            "label-variant",
            "labels",
            Some(&v.cell),
            &v.found,
            &v.canonical,
        );
    }
    for x in &form.extra_columns {
        let table = x.table.path();
        log.findings.push(
            Finding::new("column-extra")
                .field(table)
                .cell(Some(&x.cell))
                .param("header", x.header.clone()),
        );
        for (i, cell, value) in &x.values {
            log.changes.push(Change {
                code: "column-extra".into(),
                field: format!("{table}[{i}]"),
                cell: Some(cell.to_string()),
                before: value.clone(),
                after: String::new(),
            });
        }
    }

    let title = log.text("title", &form.title);
    let department = log.text("department", &form.field("department"));
    let overall_goal = log.text("overall_goal", &form.field("overall_goal"));
    let other_raw = form.field("other_tasks");
    let other = log.text("other_tasks", &other_raw);
    let other_tasks = (!other.is_empty()).then_some(other);

    let basic_info = if form.fields.keys().any(|k| k.starts_with("basic_info.")) {
        Some(BasicInfo {
            funded_staff: log.count(
                "basic_info.funded_staff",
                &label("basic_info.funded_staff"),
                &form.field("basic_info.funded_staff"),
            ),
            subordinate_units: log.count(
                "basic_info.subordinate_units",
                &label("basic_info.subordinate_units"),
                &form.field("basic_info.subordinate_units"),
            ),
        })
    } else {
        None
    };

    let mut budget = Budget::default();
    for f in BUDGET_FIELDS {
        let path = format!("budget.{f}");
        let value = log.money(&path, &label(&path), &form.field(&path));
        if let Some(slot) = budget.slot(f) {
            *slot = value;
        }
    }

    let tasks = form
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| task(&mut log, i, t, &label("tasks[0].funds")))
        .collect();
    let indicators = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| indicator(&mut log, i, ind))
        .collect();
    for (section, cell) in &form.sections {
        log.cells
            .entry(section.clone())
            .or_insert_with(|| cell.clone());
    }

    let year = year_in(&title)
        // Only a budget year (`2024年度`): a 填报日期 above the form is no budget year.
        .or_else(|| {
            form.preamble
                .iter()
                .filter(|p| p.contains("年度"))
                .find_map(|p| year_in(p))
        })
        .or(opts.year);
    let declaration = Declaration {
        format: DECLARATION_FORMAT.to_string(),
        template: form.template.clone(),
        source: Source {
            file: form.file.clone(),
            sheet: form.sheet.clone(),
        },
        title,
        year,
        department,
        basic_info,
        budget,
        overall_goal,
        tasks,
        other_tasks,
        indicators,
        cells: log.cells,
    };
    Normalized {
        declaration,
        changes: log.changes,
        findings: log.findings,
    }
}

fn task(log: &mut Log, i: usize, t: &RawTask, funds_label: &str) -> Task {
    let get = |r: &Option<Raw>| r.clone().unwrap_or_else(Raw::missing);
    Task {
        name: log.text(&format!("tasks[{i}].name"), &get(&t.name)),
        content: log.text(&format!("tasks[{i}].content"), &get(&t.content)),
        funds: log.money(&format!("tasks[{i}].funds"), funds_label, &get(&t.funds)),
        outcome: log.text(&format!("tasks[{i}].outcome"), &get(&t.outcome)),
    }
}

fn indicator(log: &mut Log, i: usize, ind: &RawIndicator) -> Indicator {
    let l1_path = format!("indicators[{i}].level1");
    let l2_path = format!("indicators[{i}].level2");
    let l1_raw = clean_text(&ind.level1.value.display());
    let l2_raw = clean_text(&ind.level2.value.display());
    log.cell(&l1_path, &ind.level1);
    log.cell(&l2_path, &ind.level2);

    let mut level1 = l1_raw.clone();
    if let Some(c) = category::level1(&l1_raw) {
        if c.aliased {
            log.fix(
                "level-alias",
                &l1_path,
                ind.level1.cell.as_ref(),
                &l1_raw,
                c.name,
            );
        }
        level1 = c.name.to_string();
    }
    let mut level2 = l2_raw.clone();
    if let Some(c) = category::level2(&l2_raw) {
        if c.aliased {
            log.fix(
                "level-alias",
                &l2_path,
                ind.level2.cell.as_ref(),
                &l2_raw,
                c.name,
            );
        }
        level2 = c.name.to_string();
    }
    // A known 二级 under a known 一级 that does not allow it moves to the 一级 that does.
    if category::level1(&level1).is_some() && !category::allows(&level1, &level2) {
        if let Some(parent) = category::parent(&level2) {
            let f = log.fix(
                "level2-misplaced",
                &l1_path,
                ind.level1.cell.as_ref(),
                &level1,
                parent,
            );
            f.params.extend([
                ("level2", level2.clone()),
                ("level1", level1.clone()),
                ("parent", parent.to_string()),
            ]);
            level1 = parent.to_string();
        }
    }
    Indicator {
        level1,
        level2,
        name: log.text(&format!("indicators[{i}].name"), &ind.name),
        period: ind
            .period
            .as_ref()
            .map(|p| log.target(&format!("indicators[{i}].period"), p)),
        annual: log.target(&format!("indicators[{i}].annual"), &ind.annual),
    }
}

/// A record back as a raw form, so that a JSON input goes through the same normalizer.
/// Targets start again from their `raw` text; amounts are numbers.
pub fn raw_from_declaration(decl: &Declaration) -> RawForm {
    let text = |s: &str| Raw::text(s);
    let money = |m: Option<Money>| Raw {
        cell: None,
        value: m
            .map(|m| CellValue::Number(m.0))
            .unwrap_or(CellValue::Empty),
    };
    let count = |n: Option<i64>| Raw {
        cell: None,
        value: n
            .map(|n| CellValue::Number(Decimal::from(n)))
            .unwrap_or(CellValue::Empty),
    };
    let mut fields = BTreeMap::new();
    fields.insert("department".into(), text(&decl.department));
    fields.insert("overall_goal".into(), text(&decl.overall_goal));
    fields.insert(
        "other_tasks".into(),
        text(decl.other_tasks.as_deref().unwrap_or("")),
    );
    for f in BUDGET_FIELDS {
        fields.insert(format!("budget.{f}"), money(decl.budget.get(f)));
    }
    if let Some(b) = &decl.basic_info {
        fields.insert("basic_info.funded_staff".into(), count(b.funded_staff));
        fields.insert(
            "basic_info.subordinate_units".into(),
            count(b.subordinate_units),
        );
    }
    let target = |t: &Target| text(&t.raw);
    RawForm {
        template: decl.template.clone(),
        file: decl.source.file.clone(),
        sheet: decl.source.sheet.clone(),
        title: text(&decl.title),
        truncated: false,
        // A record keeps its year in `year`: carry it where a preamble would hold it.
        preamble: decl.year.map(|y| format!("{y}年度")).into_iter().collect(),
        fields,
        tasks: decl
            .tasks
            .iter()
            .map(|t| RawTask {
                name: Some(text(&t.name)),
                content: Some(text(&t.content)),
                funds: Some(money(t.funds)),
                outcome: Some(text(&t.outcome)),
            })
            .collect(),
        indicators: decl
            .indicators
            .iter()
            .map(|i| RawIndicator {
                level1: text(&i.level1),
                level2: text(&i.level2),
                name: text(&i.name),
                period: i.period.as_ref().map(target),
                annual: target(&i.annual),
            })
            .collect(),
        sections: BTreeMap::new(),
        missing_sections: Vec::new(),
        label_variants: Vec::new(),
        extra_columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
                level1: Raw::text(l1),
                level2: Raw::text(l2),
                name: Raw::text(name),
                period: Some(Raw::text(period)),
                annual: Raw::text(annual),
            });
        let task =
            (messy_text(), messy_text(), messy_amount()).prop_map(|(name, content, funds)| {
                RawTask {
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
                let mut form = raw_from_declaration(&Declaration {
                    format: DECLARATION_FORMAT.into(),
                    template: "gz-dept-overall".into(),
                    source: Source::default(),
                    title: "2024年度部门整体预算绩效目标申报表".into(),
                    year: None,
                    department: String::new(),
                    basic_info: None,
                    budget: Budget::default(),
                    overall_goal: "1.目标".into(),
                    tasks: Vec::new(),
                    other_tasks: None,
                    indicators: Vec::new(),
                    cells: BTreeMap::new(),
                });
                form.fields
                    .insert("department".into(), Raw::text(department));
                for (f, v) in BUDGET_FIELDS.iter().zip(amounts) {
                    form.fields.insert(
                        format!("budget.{f}"),
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
        for i in &mut d.indicators {
            for t in i.period.iter_mut().chain(std::iter::once(&mut i.annual)) {
                t.raw = t.text.clone();
            }
        }
        d.cells.clear();
        d
    }

    proptest! {
        /// Normalizing an already normalized record changes nothing.
        #[test]
        fn normalizing_twice_equals_normalizing_once(form in raw_form()) {
            let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
            let once = normalize(&form, &gz, &Options::default());
            let written = as_written(&once.declaration);
            let twice = normalize(&raw_from_declaration(&written), &gz, &Options::default());
            prop_assert!(twice.changes.is_empty(), "{:?}", twice.changes);
            prop_assert!(twice.findings.iter().all(|f| !f.fixed), "{:?}", twice.findings);
            prop_assert_eq!(as_written(&twice.declaration), written);
        }
    }

    #[test]
    fn a_dash_is_an_empty_amount_not_an_error() {
        let mut log = Log {
            changes: Vec::new(),
            findings: Vec::new(),
            cells: BTreeMap::new(),
        };
        for dash in ["-", "—", "／", " 无 "] {
            assert_eq!(
                log.money(
                    "budget.transfer",
                    "拟用于对下转移支付资金",
                    &Raw::text(dash)
                ),
                None
            );
        }
        assert!(log.findings.is_empty() && log.changes.is_empty());
        assert_eq!(
            log.money(
                "budget.transfer",
                "拟用于对下转移支付资金",
                &Raw::text("待定")
            ),
            None
        );
        assert_eq!(log.findings[0].code, "amount-not-number");
    }

    /// Regression: counts went through the money path, so text "3" was logged as “3.00” while
    /// the record held 3, and "35人" was told to be an amount in 万元.
    #[test]
    fn counts_are_whole_numbers_with_their_own_label() {
        let mut log = Log {
            changes: Vec::new(),
            findings: Vec::new(),
            cells: BTreeMap::new(),
        };
        let n = log.count(
            "basic_info.subordinate_units",
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
                "basic_info.funded_staff",
                "财政供养人员数",
                &Raw::text("2.5")
            ),
            None
        );
        assert_eq!(log.findings[1].code, "amount-not-number");
    }

    /// A whitespace correction quotes the words around it, not the whole field twice.
    #[test]
    fn text_corrections_quote_the_place_that_changed() {
        let mut log = Log {
            changes: Vec::new(),
            findings: Vec::new(),
            cells: BTreeMap::new(),
        };
        let goal = "1.开展全国标杆国家级开发区调研4次；   \r\n2.对园区企业开展环保巡检";
        let clean = log.text("overall_goal", &Raw::text(goal));
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

    #[test]
    fn years_in_titles() {
        assert_eq!(year_in("2024年度部门整体预算绩效目标申报表"), Some(2024));
        assert_eq!(year_in("２０２３年市级部门整体预算绩效目标表"), Some(2023));
        assert_eq!(year_in("部门整体预算绩效目标申报表"), None);
        assert_eq!(year_in("12024年"), None);
    }
}
