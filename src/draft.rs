//! `jixiao template --from FORM.xlsx`: a first draft of a template for a new layout, from a
//! blank (or filled) official form: its title, its rows of labels with a value cell beside each,
//! its section labels, and its table headers, as a template file (docs/TEMPLATES.md) for a person
//! to review. A label a built-in template knows becomes that template's field (部门名称 →
//! `{department}`, 三级指标 → `{name}`); any other becomes a field of the layout's own
//! (`{extra.field3}`), declared under `[extra]` as a text. Nothing is guessed beyond that: the
//! signature, the aliases and the sums are the person's to write. Pure: a workbook in, text out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Column, FieldPath, RecordKind, TableKind};
use crate::read::{CellValue, Sheet, Workbook};
use crate::template::Template;

/// A drafted template: its TOML text and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The template file's text.
    pub toml: String,
    /// Value cells of the layout (fields outside tables).
    pub fields: usize,
    /// Tables found (task, indicator).
    pub tables: usize,
    /// Fields and columns of the layout's own, declared under `[extra]`.
    pub extras: usize,
}

/// The widest layout drafted: a form has a dozen columns at most.
const MAX_COLUMNS: u32 = 16;

/// What a built-in template makes of a label: one of its fields, a column of one of its
/// tables, or a field of that template's own (its name and what it holds).
enum Known {
    Field(FieldPath),
    Column(TableKind, Column),
    Own(crate::model::ExtraKey, crate::model::ExtraKind),
}

/// Draft a template from the first sheet of `workbook` that holds text; `None` when none does.
pub fn draft(workbook: &Workbook, id: &str, builtin: &[Template]) -> Option<Draft> {
    let sheet = workbook
        .sheets
        .iter()
        .find(|s| (0..s.height()).any(|r| s.row_cells(r).any(|(_, v)| text(v).is_some())))?;
    let width = sheet.width().clamp(1, MAX_COLUMNS);
    let kind_cell = std::cell::Cell::new(RecordKind::Department);
    let known = |label: &str| known(label, builtin, kind_cell.get());
    // The layout's own fields, each with what it holds: a name a built-in template gives the
    // label, or `fieldN`.
    let mut extras: Vec<(String, crate::model::ExtraKind)> = Vec::new();
    let own = |extras: &mut Vec<(String, crate::model::ExtraKind)>, known: Option<Known>| {
        let (name, kind) = match known {
            Some(Known::Own(k, kind)) if !extras.iter().any(|(n, _)| n == k.as_str()) => {
                (k.to_string(), kind)
            }
            _ => (
                format!("field{}", extras.len() + 1),
                crate::model::ExtraKind::Text,
            ),
        };
        extras.push((name.clone(), kind));
        name
    };
    let mut blocks = String::new();
    // Rows of labels waiting to be one fields block: a head of one field per row is one block,
    // so that it reads as the form's head (docs/TEMPLATES.md §2.9).
    let mut pending: Vec<String> = Vec::new();
    let mut fields = 0;
    let mut tables = 0;
    let mut kind = RecordKind::Department;
    let mut title = String::new();
    let mut row = 0;
    let mut section_row: Option<String> = None;
    while row < sheet.height() {
        let cells: Vec<(u32, String)> = sheet
            .row_cells(row)
            .filter(|(c, _)| *c < width)
            .filter_map(|(c, v)| Some((c, text(v)?)))
            .collect();
        if cells.is_empty() {
            row += 1;
            continue;
        }
        let merges = merges_at(sheet, row, width);
        // A stamp or unit line above the title (`填报单位（盖章）：`, `单位：万元`) is no title.
        let stamp = |t: &str| {
            t.contains("盖章") || t.ends_with(':') || t.ends_with('：') || t.starts_with("单位")
        };
        if title.is_empty() && cells.iter().all(|(_, t)| stamp(t)) {
            row += 1;
            continue;
        }
        if title.is_empty() {
            title = cells[0].1.clone();
            if title.contains("项目") {
                kind = RecordKind::Project;
                kind_cell.set(kind);
            }
            flush(&mut blocks, &mut pending);
            let _ = writeln!(blocks, "[[blocks]]\nkind = \"title\"");
            let _ = writeln!(
                blocks,
                "rows = [{{ cells = [\"{{title}}\"]{} }}]\n",
                merge_list(&merges)
            );
            row += 1;
            continue;
        }
        // A header of a table: two or more of a built-in table's column labels in one row.
        let table_of = |cells: &[(u32, String)]| -> Option<TableKind> {
            let mut count: BTreeMap<TableKind, usize> = BTreeMap::new();
            for (_, t) in cells {
                if let Some(Known::Column(kind, _)) = known(t) {
                    *count.entry(kind).or_default() += 1;
                }
            }
            count
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .max_by_key(|(_, n)| *n)
                .map(|(k, _)| k)
        };
        if let Some(table) = table_of(&cells) {
            flush(&mut blocks, &mut pending);
            tables += 1;
            let mut split: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            let mut header = vec![String::new(); width as usize];
            let mut record = vec![String::new(); width as usize];
            // A section label in column A merged down beside the table.
            let beside = sheet
                .merge_at(row, 0)
                .filter(|m| m.last_row > row && m.first_col == 0 && m.last_col == 0)
                .map(|m| (m.first_row, m.first_col))
                .and_then(|(r, c)| text(sheet.get(r, c)));
            for (c, t) in &cells {
                if Some(t) == beside.as_ref() && *c == 0 {
                    continue;
                }
                header[*c as usize] = t.clone();
                // A column of a target written in several cells (计量单位): a split column.
                let role = (table == TableKind::Indicators)
                    .then(|| split_role(t, builtin))
                    .flatten();
                if let Some(role) = role {
                    split.entry(role).or_default().push(t.clone());
                    continue;
                }
                record[*c as usize] = match known(t) {
                    Some(Known::Column(k, column)) if k == table => format!("{{{column}}}"),
                    other => format!("{{extra.{}}}", own(&mut extras, other)),
                };
            }
            let section = beside.clone().or(section_row.take());
            // Of two indicator tables, the one under a mid-term label (长期, 中期, 实施期) is the
            // project's mid-term block.
            let mid_term = section
                .as_deref()
                .is_some_and(|s| ["长期", "中期", "实施期"].iter().any(|w| s.contains(w)));
            let table = match table {
                TableKind::Indicators if mid_term && kind == RecordKind::Project => {
                    TableKind::PeriodIndicators
                }
                other => other,
            };
            if table == TableKind::PeriodIndicators {
                for cell in record.iter_mut().filter(|c| *c == "{annual}") {
                    *cell = "{period}".to_string();
                }
            }
            let _ = writeln!(blocks, "[[blocks]]\nkind = \"table\"\ntable = \"{table}\"");
            if let Some(s) = &section {
                let _ = writeln!(blocks, "section = {}", quote(s));
                if beside.is_none() {
                    let _ = writeln!(blocks, "section_row = true");
                }
            }
            let _ = writeln!(
                blocks,
                "header = {{ cells = {}{} }}",
                list(&header),
                merge_list(&merges)
            );
            let _ = writeln!(
                blocks,
                "row = {{ cells = {}{} }}",
                list(&record),
                merge_list(&merges)
            );
            let _ = writeln!(blocks, "blank_rows = 6");
            if !split.is_empty() {
                let roles: Vec<String> = split
                    .iter()
                    .map(|(role, labels)| format!("{role} = {}", list(labels)))
                    .collect();
                let _ = writeln!(blocks, "split = {{ {} }}", roles.join(", "));
            }
            blocks.push('\n');
            // The table's rows, down to a row that starts a part of its own in column A.
            row += 1;
            while row < sheet.height() {
                let first = text(sheet.get(row, 0));
                let in_section = sheet.merge_at(row, 0).is_some_and(|m| m.first_row < row);
                if first.is_some() && !in_section && table == TableKind::Tasks {
                    break;
                }
                if first.as_deref().is_some_and(crate::locate::is_footer_text) {
                    break;
                }
                // A lone text merged across: the section of the next block (年度绩效指标
                // under 长期绩效指标).
                let lone = sheet
                    .row_cells(row)
                    .filter(|(_, v)| text(v).is_some())
                    .count()
                    == 1;
                let across = merges_at(sheet, row, width)
                    .iter()
                    .any(|&(a, b)| a == 0 && b + 1 >= width);
                if lone && across {
                    break;
                }
                row += 1;
            }
            continue;
        }
        // A lone text merged across the form above a table: the table's section label.
        let across = merges.iter().any(|&(a, b)| a == 0 && b + 1 >= width);
        if cells.len() == 1 && across && row + 1 < sheet.height() {
            let next: Vec<(u32, String)> = sheet
                .row_cells(row + 1)
                .filter_map(|(c, v)| Some((c, text(v)?)))
                .collect();
            if table_of(&next).is_some() {
                flush(&mut blocks, &mut pending);
                section_row = Some(cells[0].1.clone());
                row += 1;
                continue;
            }
        }
        if cells.iter().all(|(_, t)| crate::locate::is_footer_text(t)) {
            row += 1;
            continue;
        }
        // A row of labels, each with the cell right of it (after its merge) for its value.
        let mut layout = vec![String::new(); width as usize];
        let mut c = 0;
        while c < width {
            let Some(t) = text(sheet.get(row, c)) else {
                c += 1;
                continue;
            };
            let end = merges.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b);
            layout[c as usize] = t.clone();
            let value_col = end + 1;
            // A label right of this one (项目资金 | 资金总额 | <value>): this one is the row's
            // section label, not the label of a value.
            let next_is_label =
                text(sheet.get(row, value_col)).is_some_and(|n| known(&n).is_some());
            if next_is_label {
                c = value_col;
                continue;
            }
            if value_col < width {
                let placeholder = match known(&t) {
                    Some(Known::Field(path)) => format!("{{{path}}}"),
                    other => format!("{{extra.{}}}", own(&mut extras, other)),
                };
                layout[value_col as usize] = placeholder;
                fields += 1;
                let value_end = merges
                    .iter()
                    .find(|(a, _)| *a == value_col)
                    .map_or(value_col, |(_, b)| *b);
                c = value_end + 1;
            } else {
                c = end + 1;
            }
        }
        pending.push(format!(
            "{{ cells = {}{} }}",
            list(&layout),
            merge_list(&merges)
        ));
        row += 1;
    }
    flush(&mut blocks, &mut pending);
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# A draft made by `jixiao template --from` from one sample: review every line."
    );
    let _ = writeln!(
        toml,
        "# Labels a built-in template knows became its fields; every other one a field of the"
    );
    let _ = writeln!(
        toml,
        "# layout's own (`extra.fieldN`): rename them, say which are amounts (\"money\"),"
    );
    let _ = writeln!(
        toml,
        "# add a `signature`, `aliases` and the layout's `[[sums]]` (docs/TEMPLATES.md).\n"
    );
    let _ = writeln!(toml, "id = {}", quote(id));
    if kind == RecordKind::Project {
        let _ = writeln!(toml, "kind = \"project\"");
    }
    let plain = strip_year(&title);
    let _ = writeln!(toml, "name = {}", quote(&format!("{plain}（草稿）")));
    let _ = writeln!(toml, "title = {}", quote(&plain));
    let _ = writeln!(toml, "title_patterns = [{}]", quote(&plain));
    let widths: Vec<String> = (0..width).map(|_| "14".to_string()).collect();
    let _ = writeln!(toml, "widths = [{}]", widths.join(", "));
    let _ = writeln!(toml, "signature = []\nrequired = []\n");
    if !extras.is_empty() {
        let _ = writeln!(toml, "[extra]");
        for (name, kind) in &extras {
            let kind = match kind {
                crate::model::ExtraKind::Text => "text",
                crate::model::ExtraKind::Money => "money",
            };
            let _ = writeln!(toml, "{name} = \"{kind}\"");
        }
        toml.push('\n');
    }
    toml.push_str(&blocks);
    Some(Draft {
        toml,
        fields,
        tables,
        extras: extras.len(),
    })
}

/// What a built-in template makes of a label: one of its fields, or a column of one of its
/// tables.
fn known(label: &str, builtin: &[Template], kind: RecordKind) -> Option<Known> {
    // The templates of the draft's kind first: 年度绩效目标 is a project's goal on a project
    // form, a department's on a department's.
    let ordered = builtin
        .iter()
        .filter(|t| t.kind == kind)
        .chain(builtin.iter().filter(|t| t.kind != kind));
    for t in ordered {
        let Some(canonical) = t.label_index().get(label) else {
            continue;
        };
        if let Some(path) = t
            .field_labels()
            .iter()
            .find(|f| f.label == canonical)
            .and_then(|f| f.field)
        {
            return Some(match path {
                FieldPath::Extra(k) => Known::Own(k, t.extra_kind(k)),
                _ => Known::Field(path),
            });
        }
        for kind in TableKind::ALL {
            if let Some((_, c)) = t
                .table_columns(kind)
                .into_iter()
                .find(|(l, _)| l == canonical)
            {
                return Some(Known::Column(kind, c));
            }
            let own = t.table(kind).and_then(|b| {
                b.header_extras()
                    .into_iter()
                    .find(|(_, l, _)| l == canonical)
                    .map(|(_, _, k)| k)
            });
            if let Some(k) = own {
                return Some(Known::Own(k, t.extra_kind(k)));
            }
        }
    }
    None
}

/// The rows of labels gathered so far, as one fields block.
fn flush(blocks: &mut String, pending: &mut Vec<String>) {
    if pending.is_empty() {
        return;
    }
    let _ = writeln!(blocks, "[[blocks]]\nkind = \"fields\"\nrows = [");
    for r in pending.drain(..) {
        let _ = writeln!(blocks, "  {r},");
    }
    let _ = writeln!(blocks, "]\n");
}

/// The role of a split column a built-in template names (`sign`, `unit`, `kind`).
fn split_role(label: &str, builtin: &[Template]) -> Option<&'static str> {
    use crate::template::SplitRole;
    builtin.iter().find_map(|t| {
        Some(match t.split_columns()?.role(label)? {
            SplitRole::Sign => "sign",
            SplitRole::Unit => "unit",
            SplitRole::Kind => "kind",
        })
    })
}

/// The text of a cell, trimmed, without a required field's mark (`*指标值`); `None` for an
/// empty or non-text cell.
fn text(v: &CellValue) -> Option<String> {
    match v {
        CellValue::Text(t) if !t.trim().is_empty() => {
            let t = t.trim().trim_start_matches(['*', '＊']).trim_start();
            Some(t.replace('\n', ""))
        }
        _ => None,
    }
}

/// The column spans merged on a row, starting on it.
fn merges_at(sheet: &Sheet, row: u32, width: u32) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = sheet
        .merges
        .iter()
        .filter(|m| m.first_row == row && m.last_col > m.first_col && m.first_col < width)
        .map(|m| (m.first_col, m.last_col.min(width - 1)))
        .collect();
    out.sort();
    out
}

/// `, merge = ["B:F"]`, or nothing.
fn merge_list(spans: &[(u32, u32)]) -> String {
    if spans.is_empty() {
        return String::new();
    }
    let name = |c: u32| rust_xlsxwriter::utility::column_number_to_name(c as u16);
    let spans: Vec<String> = spans
        .iter()
        .map(|&(a, b)| quote(&format!("{}:{}", name(a), name(b))))
        .collect();
    format!(", merge = [{}]", spans.join(", "))
}

/// A TOML array of strings, without the empty cells at its end.
fn list(cells: &[String]) -> String {
    let end = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    let items: Vec<String> = cells[..end].iter().map(|c| quote(c)).collect();
    format!("[{}]", items.join(", "))
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A title without its year (`2023年度`, `2023年`) and brackets left around nothing.
fn strip_year(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let four = chars
            .get(i..i + 4)
            .is_some_and(|d| d.iter().all(char::is_ascii_digit));
        if four && chars.get(i + 4) == Some(&'年') {
            i += 5;
            if chars.get(i) == Some(&'度') {
                i += 1;
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out.replace("()", "").replace("（）", "").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::of_texts(rows)
    }

    #[test]
    fn a_blank_form_drafts_a_template_that_loads() {
        let s = sheet(&[
            &["某省2025年度整体绩效目标表"],
            &["部门名称", "", "单位编码", ""],
            &["年度总体绩效目标", ""],
            &["一级指标", "二级指标", "三级指标", "指标值", "评分标准"],
            &["", "", "", "", ""],
        ]);
        let wb = Workbook {
            file: "blank.xlsx".into(),
            format: crate::read::Format::Xlsx,
            sheets: vec![s],
        };
        let d = draft(&wb, "my-province", &Template::builtin()).unwrap();
        assert!(d.toml.contains("{department}"), "{}", d.toml);
        assert!(d.toml.contains("{overall_goal}"), "{}", d.toml);
        assert!(d.toml.contains("{level1}"), "{}", d.toml);
        assert!(
            d.toml.contains("title = \"某省整体绩效目标表\""),
            "{}",
            d.toml
        );
        assert_eq!((d.tables, d.extras), (1, 2), "{}", d.toml);
        let t = Template::parse("draft.toml", &d.toml).unwrap();
        assert_eq!(t.id, "my-province");
        assert!(t.extra.len() == 2);
    }

    #[test]
    fn years_leave_the_title() {
        assert_eq!(
            strip_year("省级部门预算项目支出绩效目标表(2023年度)"),
            "省级部门预算项目支出绩效目标表"
        );
        assert_eq!(
            strip_year("2019年度部门整体支出绩效目标表"),
            "部门整体支出绩效目标表"
        );
    }
}
