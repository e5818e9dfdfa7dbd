//! `jixiao template --check FILE.toml [--against FORM]`: what a template says it reads (its
//! fields, tables, own fields and sums), and what each of its parts finds in a sample form, so
//! that a person writing a template for a new layout sees where it reads what before it is used
//! on a batch (docs/TEMPLATES.md, Part 1). Pure: a template and a file's bytes in, lines of text out.

use crate::messages::{template_check as m, Lang};
use crate::model::{Code, ExtraKind, FieldPath, Level, TableKind};
use crate::pipeline::{self, Config};
use crate::template::{BlockKind, Template};
use crate::text::excerpt;

/// The outline of a template: one line for the template, then one per field of its layout, per
/// table (with its columns), per own field and per sum.
pub fn outline(file: &str, t: &Template, lang: Lang) -> Vec<String> {
    let kind = match t.kind {
        crate::model::RecordKind::Department => m::KIND_DEPARTMENT,
        crate::model::RecordKind::Project => m::KIND_PROJECT,
    };
    let mut out = vec![m::VALID.render(
        lang,
        &[
            ("file", file),
            ("id", &t.id),
            ("name", &t.name),
            ("kind", lang.pick(kind.zh, kind.en)),
        ],
    )];
    for f in t.field_labels() {
        if let Some(path) = f.field {
            let path = path.to_string();
            out.push(m::FIELD.render(lang, &[("label", &f.label), ("field", &path)]));
        }
    }
    for b in t.blocks.iter().filter(|b| b.kind == BlockKind::Table) {
        let name = match (b.table, b.name) {
            (Some(kind), _) => kind.to_string(),
            (None, Some(own)) => format!("tables.{own}"),
            (None, None) => continue,
        };
        let mut columns: Vec<String> = b
            .header_columns()
            .into_iter()
            .map(|(_, label, c)| format!("{label} → {c}"))
            .collect();
        columns.extend(
            b.header_extras()
                .into_iter()
                .map(|(_, label, k)| format!("{label} → extra.{k}")),
        );
        let label = b.section.clone().unwrap_or_default();
        out.push(m::TABLE.render(
            lang,
            &[
                ("label", &label),
                ("table", &name),
                ("columns", &columns.join(lang.pick("，", ", "))),
            ],
        ));
    }
    for (key, kind) in &t.extra {
        let what = match kind {
            ExtraKind::Text => m::EXTRA_TEXT,
            ExtraKind::Money => m::EXTRA_MONEY,
        };
        let name = key.to_string();
        out.push(m::EXTRA.render(
            lang,
            &[("name", &name), ("kind", lang.pick(what.zh, what.en))],
        ));
    }
    for sum in &t.sums {
        let parts: Vec<String> = sum.parts.iter().map(|p| p.to_string()).collect();
        let total = sum.total.to_string();
        out.push(m::SUM.render(lang, &[("total", &total), ("parts", &parts.join(" + "))]));
    }
    out
}

/// What a template found in a sample: the lines that say it, and whether it read a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub lines: Vec<String>,
    pub read: bool,
}

/// What the template finds in a sample form (`--against`): each form read with it alone, its
/// fields with their cells and values, the fields of the layout not found, each table's rows,
/// and the count of findings; or why no form was read.
pub fn against(file: &str, bytes: &[u8], t: &Template, lang: Lang) -> Found {
    let config = Config {
        templates: vec![t.clone()],
        ..Config::default()
    };
    let forms = match pipeline::process(file, bytes, &config) {
        Ok(forms) => forms,
        Err(failure) => {
            let why = failure.message(lang);
            return Found {
                lines: vec![m::NOT_READ.render(lang, &[("file", file), ("why", &why)])],
                read: false,
            };
        }
    };
    let count = forms.len().to_string();
    let mut out = vec![m::READ.render(lang, &[("file", file), ("count", &count)])];
    for c in &forms {
        let d = &c.declaration;
        let place = d.source.place().map(|p| p.to_string()).unwrap_or_default();
        out.push(m::FORM.render(lang, &[("place", &place)]));
        let mut missing: Vec<String> = Vec::new();
        for f in t.field_labels() {
            let Some(path) = f.field else { continue };
            match d.cell_of(path) {
                Some(cell) => {
                    let value = value_text(d, path);
                    let cell = cell.to_string();
                    let field = path.to_string();
                    out.push(m::FOUND.render(
                        lang,
                        &[
                            ("label", &f.label),
                            ("field", &field),
                            ("cell", &cell),
                            ("value", &excerpt(&value, 24)),
                        ],
                    ));
                }
                None => missing.push(f.label.clone()),
            }
        }
        for b in t.table_blocks() {
            let (name, rows, first) = match (b.table, b.name) {
                (Some(kind), _) => {
                    let rows = table_rows(d, kind);
                    let first = d
                        .cell_of(FieldPath::Column(kind, 0, crate::model::Column::Name))
                        .map(|c| c.to_string());
                    (kind.to_string(), rows, first)
                }
                (None, Some(own)) => {
                    let rows = d.own_tables().get(&own).map_or(0, Vec::len);
                    let first_column = b.header_extras().first().map(|(_, _, k)| *k);
                    let first = first_column
                        .and_then(|k| d.cell_of(FieldPath::OwnCell(own, 0, k)))
                        .map(|c| c.to_string());
                    (format!("tables.{own}"), rows, first)
                }
                (None, None) => continue,
            };
            let label = b.section.clone().unwrap_or(name.clone());
            let rows = rows.to_string();
            let first = first.unwrap_or_else(|| "—".to_string());
            out.push(m::TABLE_FOUND.render(
                lang,
                &[("label", &label), ("rows", &rows), ("cell", &first)],
            ));
        }
        if !missing.is_empty() {
            out.push(m::MISSING.render(lang, &[("labels", &missing.join(lang.pick("、", ", ")))]));
        }
        let count = |level: Level| {
            c.findings
                .iter()
                .filter(|f| Level::of(f.severity(), f.fixed) == level)
                .count()
                .to_string()
        };
        let extra_columns = c
            .findings
            .iter()
            .filter(|f| f.code == Code::ColumnExtra)
            .count()
            .to_string();
        out.push(m::FINDINGS.render(
            lang,
            &[
                ("errors", &count(Level::Error)),
                ("warnings", &count(Level::Warning)),
                ("infos", &count(Level::Info)),
                ("fixed", &count(Level::Fixed)),
                ("extra_columns", &extra_columns),
            ],
        ));
    }
    Found {
        lines: out,
        read: true,
    }
}

/// The rows a table of the record holds.
fn table_rows(d: &crate::model::Declaration, kind: TableKind) -> usize {
    match (&d.body, kind) {
        (crate::model::Body::Department(b), TableKind::Tasks) => b.tasks.len(),
        (_, TableKind::Indicators) => d.indicators().len(),
        (crate::model::Body::Project(p), TableKind::PeriodIndicators) => p.period_indicators.len(),
        _ => 0,
    }
}

/// A field's value as the record holds it, for a line of the trial.
fn value_text(d: &crate::model::Declaration, path: FieldPath) -> String {
    use crate::model::Body;
    if let Some(m) = d.money(path) {
        return m.display();
    }
    match (&d.body, path) {
        (_, FieldPath::Title) => d.title.as_str().to_string(),
        (_, FieldPath::Year) => d.year.map(|y| y.to_string()).unwrap_or_default(),
        (_, FieldPath::Extra(k)) => d
            .extra()
            .get(&k)
            .and_then(Option::as_ref)
            .map(|v| v.display())
            .unwrap_or_default(),
        (Body::Department(b), FieldPath::Department) => b.department.clone(),
        (Body::Department(b), FieldPath::OverallGoal) => b.overall_goal.clone(),
        (Body::Department(b), FieldPath::OtherTasks) => b.other_tasks.clone().unwrap_or_default(),
        (Body::Project(p), FieldPath::Project(f)) => p.project.get(f).to_string(),
        (Body::Project(p), FieldPath::Goals(g)) => p.goals.get(g).to_string(),
        _ => String::new(),
    }
    .replace('\n', " ")
}
