//! The blank official form of a variant (`template -o OUT.xlsx`, docs/OUTPUT.md §3): the same 申报表
//! sheet the converter draws, for an empty declaration.
//!
//! What a department gets to fill: every value cell empty (money cells already formatted
//! `0.00`), the task table with the template's `blank_rows` empty rows, and the indicator table
//! with `blank_rows` rows whose 一级指标 and 二级指标 are already written and merged, so the
//! department writes only the 三级指标 and the target values. The categories chosen cover the
//! three 一级指标 every form needs (产出, 效益, 满意度), then the most used 二级指标, in framework
//! order: for six rows 数量, 质量, 时效 | 经济效益, 社会效益 | 服务对象满意度.

use crate::category::FRAMEWORK;
use crate::messages::{self, Lang};
use crate::model::{
    Body, Column, Declaration, DepartmentBody, FieldPath, GoalField, Indicator, PeriodIndicator,
    ProjectBody, RecordKind, TableKind, Target, Task, DECLARATION_FORMAT,
};
use crate::template::Template;

use super::{form, WriteError};

/// Lines of writing room in the blank form: the overall goal, and each task row and the other
/// tasks.
const WRITING_LINES_GOAL: u32 = 6;
const WRITING_LINES_TASK: u32 = 3;

/// Categories of the blank indicator rows, most wanted first.
const BLANK_CATEGORIES: &[(&str, &str)] = &[
    ("产出指标", "数量指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("效益指标", "经济效益指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "可持续影响指标"),
    ("效益指标", "生态效益指标"),
];

/// The (一级, 二级) of `n` blank indicator rows, in framework order. Beyond the list, extra rows
/// are more 数量指标 rows (the category departments list most).
pub fn blank_categories(n: usize) -> Vec<(&'static str, &'static str)> {
    let mut picked: Vec<(&str, &str)> = BLANK_CATEGORIES.iter().copied().take(n).collect();
    picked.extend(std::iter::repeat_n(
        BLANK_CATEGORIES[0],
        n.saturating_sub(picked.len()),
    ));
    let order = |(l1, l2): &(&str, &str)| {
        FRAMEWORK
            .iter()
            .enumerate()
            .find(|(_, (name, _))| name == l1)
            .map(|(i, (_, level2s))| (i, level2s.iter().position(|x| x == l2).unwrap_or(99)))
            .unwrap_or((99, 99))
    };
    picked.sort_by_key(order);
    picked
}

/// An empty declaration shaped for the blank form of `template`: a record of the template's
/// kind, its tables with their blank rows (a project form's two indicator blocks with the same
/// categories, side by side).
pub fn blank_declaration(template: &Template) -> Declaration {
    let empty = Target::empty();
    let blank_rows = |kind: TableKind| {
        template
            .table(kind)
            .map_or(1, |b| b.blank_rows.max(1) as usize)
    };
    let categories = blank_categories(blank_rows(TableKind::Indicators));
    let has_period = template
        .table_columns(TableKind::Indicators)
        .iter()
        .any(|(_, col)| *col == Column::Period);
    let indicators = categories
        .iter()
        .map(|(l1, l2)| Indicator {
            extra: Default::default(),
            level1: l1.to_string(),
            level2: l2.to_string(),
            name: String::new(),
            period: has_period.then(|| empty.clone()),
            annual: empty.clone(),
        })
        .collect();
    let body = match template.kind {
        RecordKind::Department => Body::Department(DepartmentBody {
            tasks: vec![Task::default(); blank_rows(TableKind::Tasks)],
            indicators,
            ..DepartmentBody::default()
        }),
        RecordKind::Project => {
            let period_indicators = if template.table(TableKind::PeriodIndicators).is_some() {
                categories
                    .iter()
                    .map(|(l1, l2)| PeriodIndicator {
                        extra: Default::default(),
                        level1: l1.to_string(),
                        level2: l2.to_string(),
                        name: String::new(),
                        period: empty.clone(),
                        annual: (),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Body::Project(ProjectBody {
                indicators,
                period_indicators,
                ..ProjectBody::default()
            })
        }
    };
    Declaration {
        format: DECLARATION_FORMAT.to_string(),
        template: template.id.clone(),
        source: Default::default(),
        title: template.title.as_str().into(),
        year: None,
        body,
        cells: Default::default(),
    }
}

/// The blank official form of `template` as xlsx bytes: one sheet, 申报表 (its name, and the
/// page numbers of its footer, in `lang`; the form itself is the official Chinese one).
pub fn blank_form(template: &Template, lang: Lang) -> Result<Vec<u8>, WriteError> {
    let mut wb = super::workbook(super::mark::OwnKind::Template)?;
    let ws = wb.add_worksheet();
    ws.set_name(messages::write::SHEET_FORM.get(lang))?;
    let mut lay = form::layout(&blank_declaration(template), template);
    // Room to write: merged cells never grow by themselves in Excel, so the free-text rows get
    // their height now.
    for (path, &(row, _)) in &lay.map {
        let lines = match path {
            FieldPath::OverallGoal | FieldPath::Goals(GoalField::Annual | GoalField::Period) => {
                WRITING_LINES_GOAL
            }
            FieldPath::OtherTasks | FieldPath::Column(TableKind::Tasks, _, Column::Content) => {
                WRITING_LINES_TASK
            }
            _ => continue,
        };
        if let Some(h) = lay.heights.get_mut(row as usize) {
            *h = h.max(form::lines_height(lines));
        }
    }
    form::draw(ws, &lay, &Default::default(), lang)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_rows_cover_the_three_required_categories_in_order() {
        assert_eq!(
            blank_categories(6),
            [
                ("产出指标", "数量指标"),
                ("产出指标", "质量指标"),
                ("产出指标", "时效指标"),
                ("效益指标", "经济效益指标"),
                ("效益指标", "社会效益指标"),
                ("满意度指标", "服务对象满意度指标"),
            ]
        );
        assert_eq!(blank_categories(1), [("产出指标", "数量指标")]);
        assert_eq!(blank_categories(0), []);
        let many = blank_categories(12);
        assert_eq!(many.len(), 12);
        assert_eq!(many.iter().filter(|c| c.1 == "数量指标").count(), 4);
        for (l1, l2) in many {
            assert!(crate::category::allows(l1, l2), "{l1}/{l2}");
        }
    }

    #[test]
    fn every_builtin_variant_has_a_blank_form() {
        for t in Template::builtin() {
            let d = blank_declaration(&t);
            assert_eq!(d.title.as_str(), t.title);
            let bytes = blank_form(&t, Lang::Zh).unwrap();
            assert!(bytes.starts_with(b"PK"));
        }
    }
}
