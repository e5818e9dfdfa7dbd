//! Where a finding or a change is, in the words of the form an officer has in front of them.
//!
//! A record path (`indicators[0].period`, docs/RECORDS.md) is the program's name for a place on
//! the form; [`field_name`] is the person's, built from the record (a task's or an indicator's
//! name) and the template's own labels:
//!
//! | path                            | name                                       |
//! |---------------------------------|--------------------------------------------|
//! | `indicators[0].period`          | `第1项指标“外出招商次数”·实施周期指标值`    |
//! | `budget.basic`                  | `预算整体情况·基本支出`                     |
//! | `tasks[1].funds`                | `第2项重点任务“招商业务工作”·拟投入的资金`  |
//! | `funds.annual_appropriation`    | `项目资金·年度资金总额·财政拨款`            |
//! | `period_indicators[2].name`     | `第3项中期指标“…”·三级指标`                 |
//! | `indicators`                    | `绩效指标`                                  |
//!
//! Labels are the form's, so they stay Chinese in English too (`Indicator 1 "外出招商次数" ·
//! 实施周期指标值`), as the English messages quote them. A unit in brackets (`（万元）`) and the
//! `其中：` of a part are left out: they say how to fill a cell, not which one it is. Every
//! sheet, the report's `place` and the page take the name from here.

use crate::messages::{place as words, Lang};
use crate::model::{Declaration, FieldPath, RecordKind, Section, TableKind};
use crate::template::Template;

/// The officer's name for the place `path` of `decl`, a form of `template`.
pub fn field_name(decl: &Declaration, template: &Template, path: FieldPath, lang: Lang) -> String {
    let sep = words::SEPARATOR.get(lang);
    match path {
        FieldPath::Title => words::TITLE.get(lang).to_string(),
        FieldPath::Year => words::YEAR.get(lang).to_string(),
        FieldPath::Labels => words::LABELS.get(lang).to_string(),
        FieldPath::Section(s) => section_name(template, s).unwrap_or_else(|| path.to_string()),
        FieldPath::Row(kind, i) => row_name(decl, kind, i, lang),
        FieldPath::Column(kind, i, column) => {
            let label = template
                .table_columns(kind)
                .into_iter()
                .find(|(_, c)| *c == column)
                .map(|(label, _)| plain(&label).to_string())
                .unwrap_or_else(|| column.to_string());
            format!("{}{sep}{label}", row_name(decl, kind, i, lang))
        }
        _ => match template
            .field_labels()
            .iter()
            .find(|f| f.field == Some(path))
        {
            Some(f) => {
                let parts = [f.section.as_deref(), f.anchor.as_deref(), Some(&f.label)];
                parts
                    .into_iter()
                    .flatten()
                    .map(plain)
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            None => path.to_string(),
        },
    }
}

/// The section label of a part of the form (`预算整体情况`), without its unit.
fn section_name(template: &Template, section: Section) -> Option<String> {
    template
        .blocks
        .iter()
        .find(|b| b.section.is_some() && b.section_kind() == Some(section))
        .and_then(|b| b.section.as_deref())
        .map(|s| plain(s).to_string())
}

/// A table row: `第2项重点任务“招商业务工作”`, numbered from 1 in form order, with its name
/// when it has one.
fn row_name(decl: &Declaration, kind: TableKind, i: usize, lang: Lang) -> String {
    let row = match (kind, decl.kind()) {
        (TableKind::Tasks, _) => words::TASK,
        (TableKind::Indicators, RecordKind::Department) => words::INDICATOR,
        (TableKind::Indicators, RecordKind::Project) => words::ANNUAL_INDICATOR,
        (TableKind::PeriodIndicators, _) => words::PERIOD_INDICATOR,
    };
    let row = row.render(lang, &[("n", &(i + 1).to_string())]);
    let name = match kind {
        TableKind::Tasks => decl
            .as_department()
            .and_then(|d| d.tasks.get(i))
            .map(|t| t.name.as_str()),
        TableKind::Indicators => decl.indicators().get(i).map(|x| x.name.as_str()),
        TableKind::PeriodIndicators => decl
            .as_project()
            .and_then(|p| p.period_indicators.get(i))
            .map(|x| x.name.as_str()),
    };
    // One line: a name written over two lines in its cell reads as one here.
    let name = name.map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "));
    match name.filter(|n| !n.is_empty()) {
        Some(name) => words::NAMED.render(lang, &[("row", &row), ("name", &name)]),
        None => row,
    }
}

/// A label as a place's name: without `其中：` before it or a unit in brackets after it.
fn plain(label: &str) -> &str {
    let label = label.trim();
    let label = ["其中：", "其中:"]
        .iter()
        .find_map(|p| label.strip_prefix(p))
        .unwrap_or(label);
    ["（万元）", "(万元)", "（元）", "(元)"]
        .iter()
        .find_map(|u| label.strip_suffix(u))
        .unwrap_or(label)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str) -> Declaration {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}.expected.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        serde_json::from_value(v["records"].clone()).unwrap()
    }

    fn name_of(decl: &Declaration, path: &str, lang: Lang) -> String {
        let template = Template::builtin_by_id(&decl.template).unwrap();
        field_name(decl, &template, path.parse().unwrap(), lang)
    }

    #[test]
    fn department_places_in_the_forms_words() {
        let d = record("panyu");
        let zh = |p: &str| name_of(&d, p, Lang::Zh);
        assert_eq!(
            zh("indicators[0].period"),
            "第1项指标“外出招商次数”·实施周期指标值"
        );
        assert_eq!(
            zh("indicators[0].annual"),
            "第1项指标“外出招商次数”·年度指标值"
        );
        assert_eq!(zh("indicators[6]"), "第7项指标“开展园区环保巡检”");
        assert_eq!(zh("budget.basic"), "预算整体情况·基本支出");
        assert_eq!(zh("budget.own_level"), "预算整体情况·区本级使用资金");
        assert_eq!(
            zh("tasks[1].funds"),
            "第2项重点任务“招商业务工作”·拟投入的资金"
        );
        assert_eq!(
            zh("tasks[1].outcome"),
            "第2项重点任务“招商业务工作”·期望达到的目标（概述）"
        );
        assert_eq!(zh("tasks"), "年度重点工作任务");
        assert_eq!(zh("indicators"), "绩效指标");
        assert_eq!(zh("budget"), "预算整体情况");
        assert_eq!(zh("department"), "部门名称");
        assert_eq!(zh("overall_goal"), "总体绩效目标");
        assert_eq!(zh("title"), "标题");
        assert_eq!(zh("labels"), "表内标签");
        // A row the record does not have is still numbered.
        assert_eq!(zh("indicators[60].annual"), "第61项指标·年度指标值");
        assert_eq!(
            name_of(&d, "indicators[0].period", Lang::En),
            "Indicator 1 “外出招商次数” · 实施周期指标值"
        );
        assert_eq!(
            name_of(&d, "tasks[1].funds", Lang::En),
            "Task 2 “招商业务工作” · 拟投入的资金"
        );
    }

    #[test]
    fn project_places_name_the_block_and_the_column() {
        let d = record("project-library");
        let zh = |p: &str| name_of(&d, p, Lang::Zh);
        assert_eq!(zh("funds.annual_total"), "项目资金·年度资金总额");
        assert_eq!(
            zh("funds.annual_appropriation"),
            "项目资金·年度资金总额·财政拨款"
        );
        assert_eq!(zh("funds.period_other"), "项目资金·中期资金总额·其他资金");
        assert_eq!(zh("funds"), "项目资金");
        assert_eq!(zh("goals.annual"), "总体目标·年度目标");
        assert_eq!(zh("project.name"), "项目名称");
        let name = d.as_project().unwrap().period_indicators[2].name.clone();
        assert_eq!(
            zh("period_indicators[2].period"),
            format!("第3项中期指标“{name}”·指标值")
        );
        let name = d.indicators()[0].name.clone();
        assert_eq!(
            zh("indicators[0].annual"),
            format!("第1项年度指标“{name}”·指标值")
        );
    }

    #[test]
    fn zhanjiang_basic_info() {
        let d = record("zhanjiang");
        assert_eq!(
            name_of(&d, "basic_info.funded_staff", Lang::Zh),
            "财政供养人员数"
        );
    }
}
