//! Second stage: find the form in a [`Workbook`] by its labels, never by fixed addresses, and
//! lift every field out as a [`Raw`] value with the cell it came from.
//!
//! ```text
//!    | A            | B          | C        | D        | E          | F
//!  1 | 部门整体预算绩效目标申报表                                      ← title: matches a pattern
//!  2 | 部门名称      | <value>    ← a field: the first non-empty cell right of its label
//!  3 | 预算整体情况  | 部门预算支出 | 预算金额  | 收入来源  | 预算金额
//!  4 |              | 基本支出    | <value>  | 财政拨款  | <value>     ← label, value, label, value
//! 10 | 年度重点工作任务 | 名称    | 主要实施内容 | 拟投入的资金 | 期望达到的目标 ← table header
//! 11 |              | <row>      | …                               ← records until a section
//! 15 | 绩效指标      | 一级指标   | 二级指标  | 三级指标  | 实施周期… | 年度指标值
//! 16 |              | 产出指标   | 数量指标  | <name>   | <period>  | <annual>
//! 17 |              | (blank)    | (blank)   | <name>   | …   ← blank or merged: inherits
//! ```
//!
//! Which labels exist and which value belongs to which label comes from the template data
//! ([`Template::field_labels`], [`Template::table_columns`]). The sheet and the variant are the
//! pair whose labels match best, so an instructions sheet that mentions the labels inside
//! sentences is never taken for the form.

use std::collections::{BTreeMap, HashSet};

use crate::model::{CellRef, Column, FieldPath, Section, TableKind};
use crate::read::{CellValue, Sheet, Workbook};
use crate::template::{LabelIndex, Template};
use crate::text::{label_key, to_halfwidth};

/// A value as found, with its cell. `cell` is `None` when the field's label was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    pub cell: Option<CellRef>,
    pub value: CellValue,
}

impl Raw {
    pub fn missing() -> Raw {
        Raw {
            cell: None,
            value: CellValue::Empty,
        }
    }

    pub fn text(value: impl Into<String>) -> Raw {
        Raw {
            cell: None,
            value: CellValue::Text(value.into()),
        }
    }
}

/// A label that was recognized through a variant (`部门名称：` for `部门名称`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelVariant {
    pub cell: CellRef,
    pub found: String,
    pub canonical: String,
}

/// A header cell of a table that the template does not know, with the values below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraColumn {
    pub table: TableKind,
    pub header: String,
    pub cell: CellRef,
    /// (record index, cell, value) for each non-empty value in the column.
    pub values: Vec<(usize, CellRef, String)>,
}

/// One task row as found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawTask {
    pub name: Option<Raw>,
    pub content: Option<Raw>,
    pub funds: Option<Raw>,
    pub outcome: Option<Raw>,
}

/// One indicator row as found. Category cells left blank below (or merged down) take the
/// value and cell of the category above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawIndicator {
    pub level1: Raw,
    pub level2: Raw,
    pub name: Raw,
    /// `None` where the template has no 实施周期指标值 column.
    pub period: Option<Raw>,
    pub annual: Raw,
}

/// The form as found in a workbook: every field's raw value and cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RawForm {
    pub template: String,
    pub file: String,
    /// The sheet the form was found on; `None` for CSV.
    pub sheet: Option<String>,
    pub title: Raw,
    /// Whether the sheet had content beyond the reading bounds (not read).
    pub truncated: bool,
    /// Text cells above the form other than the title.
    pub preamble: Vec<String>,
    /// Scalar fields by path (`department`, `budget.basic`, `overall_goal`, …).
    pub fields: BTreeMap<FieldPath, Raw>,
    pub tasks: Vec<RawTask>,
    pub indicators: Vec<RawIndicator>,
    /// Cells of the section labels and table headers, by section (`tasks`, `indicators`,
    /// `budget`), for findings about a whole section.
    pub sections: BTreeMap<Section, CellRef>,
    /// Required parts of the form that were not found.
    pub missing_sections: Vec<MissingSection>,
    pub label_variants: Vec<LabelVariant>,
    pub extra_columns: Vec<ExtraColumn>,
}

impl RawForm {
    pub fn field(&self, path: FieldPath) -> Raw {
        self.fields.get(&path).cloned().unwrap_or_else(Raw::missing)
    }
}

/// A required part of the form (CHECKS.md `section-missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingSection {
    /// Its canonical label.
    pub label: &'static str,
    /// The field of its values, and of a finding about it.
    pub field: FieldPath,
}

/// The form could not be found in the workbook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotAForm {
    pub file: String,
    /// The id of the closest template variant.
    pub closest: String,
    /// Its name, for messages.
    pub closest_name: String,
    /// The main labels of that variant the workbook lacks.
    pub missing: Vec<String>,
}

/// The labels whose absence is a `section-missing` error (CHECKS.md).
/// Each with the field path its values are found at and a finding about it names.
const REQUIRED: &[MissingSection] = &[
    MissingSection {
        label: "部门名称",
        field: FieldPath::Department,
    },
    MissingSection {
        label: "预算整体情况",
        field: FieldPath::Section(Section::Budget),
    },
    MissingSection {
        label: "总体绩效目标",
        field: FieldPath::OverallGoal,
    },
    MissingSection {
        label: "绩效指标",
        field: FieldPath::Section(Section::Indicators),
    },
];

/// Fewest distinct template labels a sheet must show to be taken for the form. The layouts
/// have about thirty; a workbook that merely mentions a few of them is something else.
const MIN_LABELS: usize = 8;

/// Words that start the notes and signature lines printed under a form: the indicator table
/// ends where one appears.
const FOOTER_WORDS: &[&str] = &[
    "填表人",
    "填报人",
    "联系人",
    "联系电话",
    "审核人",
    "负责人",
    "单位负责人",
    "备注",
    "注:",
    "说明:",
    "填表说明",
    "填报说明",
    "制表人",
    "财务负责人",
];

/// Whether a row is a note or signature line under the form: its first text starts with a
/// footer word standing alone or followed by a colon or a space (`填表人：张三`, `备注`), so that
/// an indicator named `负责人培训次数` is not taken for one.
fn is_footer(sheet: &Sheet, row: u32) -> bool {
    let Some((_, CellValue::Text(text))) = sheet.row_cells(row).next() else {
        return false;
    };
    let head: String = to_halfwidth(text.trim_start()).chars().take(16).collect();
    FOOTER_WORDS.iter().any(|w| {
        let w = to_halfwidth(w);
        head.strip_prefix(w.as_str()).is_some_and(|rest| {
            w.ends_with(':') || rest.is_empty() || rest.starts_with([':', ' ', '\t', '\n'])
        })
    })
}

/// A recognized label cell.
#[derive(Debug, Clone)]
struct Hit {
    row: u32,
    col: u32,
    canonical: String,
    found: String,
}

/// A sheet scanned against one template: every cell that is a label.
struct Scan<'a> {
    sheet: &'a Sheet,
    template: &'a Template,
    labels: &'a LabelIndex,
    /// Label cells in reading order (row by row).
    hits: Vec<Hit>,
    /// (row, col) of every label cell, for "is this cell a label?".
    label_cells: HashSet<(u32, u32)>,
    sheet_name: std::sync::Arc<str>,
    /// Row → range of `hits` on that row, so a row's labels cost no scan of all labels.
    by_row: BTreeMap<u32, std::ops::Range<usize>>,
}

impl<'a> Scan<'a> {
    fn new(sheet: &'a Sheet, template: &'a Template) -> Scan<'a> {
        let labels = template.label_index();
        let mut hits = Vec::new();
        for row in 0..sheet.height() {
            for (col, value) in sheet.row_cells(row) {
                let CellValue::Text(text) = value else {
                    continue;
                };
                // Labels are short; a long text is a value that happens to contain one.
                if text.chars().count() > 40 {
                    continue;
                }
                if let Some(canonical) = labels.get(text) {
                    hits.push(Hit {
                        row,
                        col,
                        canonical: canonical.to_string(),
                        found: text.clone(),
                    });
                }
            }
        }
        let label_cells = hits.iter().map(|h| (h.row, h.col)).collect();
        let mut by_row: BTreeMap<u32, std::ops::Range<usize>> = BTreeMap::new();
        for (i, h) in hits.iter().enumerate() {
            by_row.entry(h.row).or_insert(i..i).end = i + 1;
        }
        Scan {
            sheet,
            sheet_name: sheet.name.as_str().into(),
            template,
            labels,
            hits,
            label_cells,
            by_row,
        }
    }

    /// The label cells of one row.
    fn row_hits(&self, row: u32) -> &[Hit] {
        self.by_row
            .get(&row)
            .map(|r| &self.hits[r.clone()])
            .unwrap_or(&[])
    }

    /// Distinct labels found, and the template's main labels that are missing.
    fn score(&self) -> (usize, Vec<String>) {
        let found: HashSet<&str> = self.hits.iter().map(|h| h.canonical.as_str()).collect();
        let missing: Vec<String> = self
            .template
            .all_labels()
            .into_iter()
            .filter(|l| !found.contains(l.as_str()))
            .collect();
        let signature_missing = self
            .template
            .signature
            .iter()
            .filter(|s| !found.contains(s.as_str()))
            .count();
        (found.len().saturating_sub(signature_missing * 2), missing)
    }

    fn first(&self, canonical: &str) -> Option<&Hit> {
        self.hits.iter().find(|h| h.canonical == canonical)
    }

    fn is_label(&self, row: u32, col: u32) -> bool {
        self.label_cells.contains(&(row, col))
    }

    fn cell(&self, row: u32, col: u32) -> CellRef {
        CellRef::new(self.sheet_name.clone(), row, col)
    }

    /// The value right of a label: the first non-empty cell after the label (and its merge)
    /// in the same row, unless a label comes first. An empty value is placed in the cell
    /// right after the label.
    fn value_right_of(&self, hit: &Hit) -> Raw {
        let start = self
            .sheet
            .merge_at(hit.row, hit.col)
            .filter(|m| m.first_row == hit.row && m.first_col == hit.col)
            .map(|m| m.last_col + 1)
            .unwrap_or(hit.col + 1);
        let width = self.sheet.width();
        for col in start..width {
            if self.is_label(hit.row, col) {
                break;
            }
            let v = self.sheet.get(hit.row, col);
            if !v.is_empty() {
                return Raw {
                    cell: Some(self.cell(hit.row, col)),
                    value: v.clone(),
                };
            }
        }
        Raw {
            cell: Some(self.cell(hit.row, start)),
            value: CellValue::Empty,
        }
    }
}

/// A label written with its value in the same cell: `部门名称：某某局`.
fn split_label_value<'l>(labels: &'l LabelIndex, text: &str) -> Option<(&'l str, String)> {
    let (left, right) = text.split_once(['：', ':'])?;
    let right = right.trim();
    if right.is_empty() {
        return None;
    }
    Some((labels.get(left)?, right.to_string()))
}

/// Find the form in a workbook. Picks the best (sheet, template) pair by labels found.
pub fn locate(workbook: &Workbook, templates: &[Template]) -> Result<RawForm, NotAForm> {
    let mut best: Option<(usize, Scan, Vec<String>)> = None;
    for sheet in &workbook.sheets {
        for template in templates {
            let scan = Scan::new(sheet, template);
            let (score, missing) = scan.score();
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, scan, missing));
            }
        }
    }
    let Some((score, scan, missing)) = best else {
        let missing = REQUIRED.iter().map(|s| s.label.to_string()).collect();
        return Err(NotAForm {
            file: workbook.file.clone(),
            closest: templates.first().map(|t| t.id.clone()).unwrap_or_default(),
            closest_name: templates
                .first()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            missing,
        });
    };
    let required_found = REQUIRED
        .iter()
        .filter(|r| scan.first(r.label).is_some())
        .count();
    if score < MIN_LABELS || required_found < 2 {
        let mut missing = missing;
        // Name the sections first: they say most about what the file lacks.
        missing.sort_by_key(|l| !REQUIRED.iter().any(|r| r.label == l));
        missing.truncate(8);
        return Err(NotAForm {
            file: workbook.file.clone(),
            closest: scan.template.id.clone(),
            closest_name: scan.template.name.clone(),
            missing,
        });
    }
    let sheet_name = match workbook.format {
        crate::read::Format::Csv => None,
        _ => Some(scan.sheet.name.clone()),
    };
    Ok(extract(&scan, &workbook.file, sheet_name))
}

/// Lift every part of the form out of the scanned sheet.
fn extract(scan: &Scan, file: &str, sheet_name: Option<String>) -> RawForm {
    let (title, preamble) = title_and_preamble(scan);
    let mut form = RawForm {
        template: scan.template.id.clone(),
        file: file.to_string(),
        sheet: sheet_name,
        title,
        truncated: scan.sheet.truncated,
        preamble,
        fields: fields(scan),
        tasks: Vec::new(),
        indicators: Vec::new(),
        sections: BTreeMap::new(),
        missing_sections: Vec::new(),
        label_variants: label_variants(scan),
        extra_columns: Vec::new(),
    };
    if let Some(hit) = scan.first("预算整体情况") {
        form.sections
            .insert(Section::Budget, scan.cell(hit.row, hit.col));
    }
    if let Some(t) = read_table(scan, TableKind::Tasks) {
        form.sections.insert(Section::Tasks, t.section_cell.clone());
        form.tasks = t.rows.iter().map(task).collect();
        form.extra_columns.extend(t.extra);
    }
    if let Some(t) = read_table(scan, TableKind::Indicators) {
        form.sections
            .insert(Section::Indicators, t.section_cell.clone());
        // A form without the 实施周期指标值 column has no period targets, whatever its variant.
        let has_period = t.columns.contains(&Column::Period);
        form.indicators = t.rows.iter().map(|r| indicator(r, has_period)).collect();
        form.extra_columns.extend(t.extra);
    }
    form.missing_sections = missing_sections(&form);
    form
}

/// Scalar fields: the value right of each label of the layout, or written with its label in
/// one cell (`部门名称：某局`) where that gives more.
fn fields(scan: &Scan) -> BTreeMap<FieldPath, Raw> {
    let field_labels = scan.template.field_labels();
    let mut fields = BTreeMap::new();
    for fl in &field_labels {
        let Some(field) = fl.field else {
            continue;
        };
        if let Some(hit) = scan.first(&fl.label) {
            fields.insert(field, scan.value_right_of(hit));
        }
    }
    for row in 0..scan.sheet.height() {
        for (col, value) in scan.sheet.row_cells(row) {
            let CellValue::Text(text) = value else {
                continue;
            };
            let Some((canonical, v)) = split_label_value(scan.labels, text) else {
                continue;
            };
            let field = field_labels
                .iter()
                .find(|f| f.label == canonical)
                .and_then(|f| f.field);
            if let Some(field) = field {
                if fields.get(&field).is_none_or(|r: &Raw| r.value.is_empty()) {
                    let raw = Raw {
                        cell: Some(scan.cell(row, col)),
                        value: CellValue::Text(v),
                    };
                    fields.insert(field, raw);
                }
            }
        }
    }
    fields
}

/// The title (the first cell above the form matching a title pattern) and the other lines
/// above the form (`附件2`, `（2024年度）`, `单位：万元`), where the budget year may be written
/// when the title has none.
fn title_and_preamble(scan: &Scan) -> (Raw, Vec<String>) {
    let first_label_row = scan.hits.iter().map(|h| h.row).min().unwrap_or(0);
    let title = (0..=first_label_row)
        .flat_map(|row| scan.sheet.row_cells(row).map(move |(col, v)| (row, col, v)))
        .find(|(_, _, v)| matches!(v, CellValue::Text(t) if scan.template.matches_title(t)))
        .map_or_else(Raw::missing, |(row, col, value)| Raw {
            cell: Some(scan.cell(row, col)),
            value: value.clone(),
        });
    let mut preamble = Vec::new();
    for row in 0..first_label_row {
        for (col, value) in scan.sheet.row_cells(row) {
            if let CellValue::Text(t) = value {
                let is_title = title
                    .cell
                    .as_ref()
                    .is_some_and(|c| (c.row, c.col) == (row, col));
                if !is_title {
                    preamble.push(t.clone());
                }
            }
        }
    }
    (title, preamble)
}

fn task(r: &BTreeMap<Column, Raw>) -> RawTask {
    RawTask {
        name: r.get(&Column::Name).cloned(),
        content: r.get(&Column::Content).cloned(),
        funds: r.get(&Column::Funds).cloned(),
        outcome: r.get(&Column::Outcome).cloned(),
    }
}

fn indicator(r: &BTreeMap<Column, Raw>, has_period: bool) -> RawIndicator {
    let get = |c| r.get(&c).cloned().unwrap_or_else(Raw::missing);
    RawIndicator {
        level1: get(Column::Level1),
        level2: get(Column::Level2),
        name: get(Column::Name),
        period: has_period.then(|| get(Column::Period)),
        annual: get(Column::Annual),
    }
}

/// The required parts the form lacks. A part counts as present when its values were found,
/// even where its label is written with the value (`部门名称：某局`) or is missing above a
/// complete budget block; the indicators, when their table's header was found.
fn missing_sections(form: &RawForm) -> Vec<MissingSection> {
    REQUIRED
        .iter()
        .filter(|required| match required.field {
            FieldPath::Section(s) => {
                !form.sections.contains_key(&s)
                    && !form.fields.keys().any(|k| k.section() == Some(s))
            }
            field => !form.fields.contains_key(&field),
        })
        .copied()
        .collect()
}

/// Every label written other than canonically: the output writes the canonical one.
fn label_variants(scan: &Scan) -> Vec<LabelVariant> {
    scan.hits
        .iter()
        .filter(|hit| hit.found.trim() != hit.canonical)
        .map(|hit| LabelVariant {
            cell: scan.cell(hit.row, hit.col),
            found: hit.found.trim().to_string(),
            canonical: hit.canonical.clone(),
        })
        .collect()
}

/// A table as found: one map column → value per record row.
struct Table {
    section_cell: CellRef,
    /// The record columns found in the header row.
    columns: Vec<Column>,
    rows: Vec<BTreeMap<Column, Raw>>,
    extra: Vec<ExtraColumn>,
}

/// Find a table's header row (the row holding most of its column labels) and read its records
/// down to where the table ends.
fn read_table(scan: &Scan, kind: TableKind) -> Option<Table> {
    let header = Header::find(scan, kind)?;
    let end = TableEnd::new(scan, kind, &header);
    let mut extra: Vec<ExtraColumn> = header
        .extra
        .iter()
        .map(|(c, h)| ExtraColumn {
            table: kind,
            header: h.clone(),
            cell: scan.cell(header.row, *c),
            values: Vec::new(),
        })
        .collect();
    let mut rows = Vec::new();
    let mut carried: BTreeMap<Column, Raw> = BTreeMap::new();
    for row in header.row + 1..scan.sheet.height() {
        match end.row_kind(scan, row) {
            RowKind::End => break,
            RowKind::Header => continue,
            RowKind::Body => {}
        }
        carry_categories(scan, row, &header.columns, &mut carried);
        // Blank rows and rows holding only categories (an unfilled template row) are not
        // records; their categories still carry down.
        let Some(record) = record(scan, row, &header.columns, &carried) else {
            continue;
        };
        for ((c, _), x) in header.extra.iter().zip(&mut extra) {
            let v = scan.sheet.get(row, *c);
            if !v.is_empty() {
                x.values.push((rows.len(), scan.cell(row, *c), v.display()));
            }
        }
        rows.push(record);
    }
    Some(Table {
        section_cell: header.section_cell,
        columns: header.columns.iter().map(|(_, n)| *n).collect(),
        rows,
        extra,
    })
}

/// A table's header row as found.
struct Header {
    row: u32,
    /// The template's columns found in it, by sheet column.
    columns: Vec<(u32, Column)>,
    /// Header cells the template does not know, right of the first record column.
    extra: Vec<(u32, String)>,
    /// The column of the section label, when it stands in the header row.
    section_col: Option<u32>,
    section_cell: CellRef,
    section_label: String,
}

impl Header {
    /// The first row with at least two of the table's column labels.
    fn find(scan: &Scan, kind: TableKind) -> Option<Header> {
        let columns = scan.template.table_columns(kind);
        let section_label = scan
            .template
            .table(kind)
            .section
            .clone()
            .unwrap_or_default();
        let row = scan.by_row.keys().copied().find(|&row| {
            let hits = scan.row_hits(row);
            let n = columns
                .iter()
                .filter(|(label, _)| hits.iter().any(|h| &h.canonical == label))
                .count();
            n >= 2.min(columns.len())
        })?;
        let mut found: Vec<(u32, Column)> = Vec::new();
        let mut extra: Vec<(u32, String)> = Vec::new();
        let mut section_col = None;
        for (col, value) in scan.sheet.row_cells(row) {
            match scan.row_hits(row).iter().find(|h| h.col == col) {
                Some(h) if h.canonical == section_label => section_col = Some(col),
                Some(h) => {
                    let column = columns.iter().find(|(label, _)| *label == h.canonical);
                    if let Some(&(_, name)) = column {
                        if !found.iter().any(|(_, n)| *n == name) {
                            found.push((col, name));
                        }
                    }
                }
                None => extra.push((col, value.display().trim().to_string())),
            }
        }
        // The section label may sit in the header row or in a row above it (merged down).
        let section_cell = match section_col {
            Some(c) => scan.cell(row, c),
            None => match scan
                .hits
                .iter()
                .rfind(|h| h.canonical == section_label && h.row <= row)
            {
                Some(h) => scan.cell(h.row, h.col),
                None => scan.cell(row, found.first().map(|c| c.0).unwrap_or(0)),
            },
        };
        let header = Header {
            row,
            columns: found,
            extra,
            section_col,
            section_cell,
            section_label,
        };
        // Values in columns left of the table (the section column) are not records.
        let first = header.first_data_col();
        Some(Header {
            extra: header
                .extra
                .into_iter()
                .filter(|(c, _)| *c > first)
                .collect(),
            ..header
        })
    }

    fn first_data_col(&self) -> u32 {
        self.columns.iter().map(|c| c.0).min().unwrap_or(0)
    }
}

/// What a row below a table's header is.
enum RowKind {
    /// The table ends before it.
    End,
    /// The header again (after a page break), or the section label alone: not a record.
    Header,
    Body,
}

/// What ends a table: another part's section label or table header, a footer line, or text in
/// the section column other than the section label.
struct TableEnd {
    other_sections: HashSet<String>,
    other_table_headers: HashSet<String>,
    header_labels: Vec<String>,
    section_key: String,
    /// The section column, when it lies left of the records.
    section_col: Option<u32>,
}

impl TableEnd {
    fn new(scan: &Scan, kind: TableKind, header: &Header) -> TableEnd {
        let template = scan.template;
        let other = [TableKind::Tasks, TableKind::Indicators]
            .into_iter()
            .filter(|k| *k != kind);
        TableEnd {
            other_sections: template
                .section_labels()
                .into_iter()
                .filter(|s| *s != header.section_label)
                .collect(),
            other_table_headers: other
                .flat_map(|k| template.table_columns(k).into_iter().map(|(l, _)| l))
                .collect(),
            header_labels: template
                .table_columns(kind)
                .into_iter()
                .map(|(l, _)| l)
                .collect(),
            section_key: label_key(&header.section_label),
            section_col: header
                .section_col
                .or(Some(header.section_cell.col))
                .filter(|c| *c < header.first_data_col()),
        }
    }

    fn row_kind(&self, scan: &Scan, row: u32) -> RowKind {
        let hits = scan.row_hits(row);
        let elsewhere = |h: &Hit| {
            self.other_sections.contains(&h.canonical)
                || self.other_table_headers.contains(&h.canonical)
        };
        if hits.iter().any(elsewhere) || is_footer(scan.sheet, row) {
            return RowKind::End;
        }
        let header_hits = hits
            .iter()
            .filter(|h| self.header_labels.contains(&h.canonical))
            .count();
        if header_hits >= 2 {
            return RowKind::Header;
        }
        if let Some(sc) = self.section_col {
            let v = scan.sheet.get(row, sc);
            if !v.is_empty() && label_key(&v.display()) != self.section_key {
                return RowKind::End;
            }
        }
        RowKind::Body
    }
}

/// The category columns of a table: 一级指标 and 二级指标, whose cells are often merged down a
/// group or left blank below its first row.
const CATEGORIES: [Column; 2] = [Column::Level1, Column::Level2];

/// The categories a row carries, on every row (an unfilled row still carries them): a value
/// written here starts a group; inside a merge the group goes on; a blank cell below inherits.
/// A new 一级指标 with its 二级 left blank has no 二级 yet: the previous group's is wrong.
fn carry_categories(
    scan: &Scan,
    row: u32,
    columns: &[(u32, Column)],
    carried: &mut BTreeMap<Column, Raw>,
) {
    let mut level1_starts = false;
    for &(col, cat) in columns.iter().filter(|(_, n)| CATEGORIES.contains(n)) {
        let own = scan.sheet.get(row, col);
        let merge_top = scan
            .sheet
            .merge_at(row, col)
            .map(|m| (m.first_row, m.first_col));
        if !own.is_empty() {
            let raw = Raw {
                cell: Some(scan.cell(row, col)),
                value: own.clone(),
            };
            carried.insert(cat, raw);
            level1_starts |= cat == Column::Level1;
        } else if let Some((r, c)) = merge_top {
            let top = scan.sheet.get(r, c);
            if !top.is_empty() {
                let raw = Raw {
                    cell: Some(scan.cell(r, c)),
                    value: top.clone(),
                };
                carried.insert(cat, raw);
            }
        } else if cat == Column::Level2 && level1_starts {
            carried.remove(&Column::Level2);
        }
    }
}

/// One record: each column's value (the carried ones for the categories); `None` when the row
/// holds nothing besides categories.
fn record(
    scan: &Scan,
    row: u32,
    columns: &[(u32, Column)],
    carried: &BTreeMap<Column, Raw>,
) -> Option<BTreeMap<Column, Raw>> {
    let mut record = BTreeMap::new();
    let mut has_content = false;
    for &(col, name) in columns {
        let raw = match carried.get(&name) {
            Some(c) if CATEGORIES.contains(&name) => c.clone(),
            _ => {
                let v = scan.sheet.get(row, col);
                has_content |= !v.is_empty() && !CATEGORIES.contains(&name);
                Raw {
                    cell: Some(scan.cell(row, col)),
                    value: v.clone(),
                }
            }
        };
        record.insert(name, raw);
    }
    has_content.then_some(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, Workbook};

    fn sheet(rows: &[&[&str]]) -> Sheet {
        let mut s = Sheet::new("Sheet1");
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    s.set(r as u32, c as u32, CellValue::Text(v.to_string()));
                }
            }
        }
        s
    }

    fn book(sheets: Vec<Sheet>) -> Workbook {
        Workbook {
            file: "t.xlsx".into(),
            format: Format::Xlsx,
            sheets,
        }
    }

    const FORM: &[&[&str]] = &[
        &["部门整体预算绩效目标申报表"],
        &["部门名称", "某局"],
        &[
            "预算整体情况",
            "部门预算支出",
            "预算金额（万元）",
            "收入来源",
            "预算金额（万元）",
        ],
        &["", "基本支出", "100", "财政拨款", "150"],
        &["", "项目支出", "50", "其他资金", "0"],
        &[
            "",
            "事业发展性支出",
            "预算金额（万元）",
            "按预算级次划分",
            "预算金额（万元）",
        ],
        &["", "财政专项资金", "0", "区本级使用资金", "150"],
        &["", "其他事业发展性支出", "0", "拟用于对下转移支付资金", "0"],
        &["总体绩效目标", "目标"],
        &[
            "年度重点工作任务",
            "名称",
            "主要实施内容",
            "拟投入的资金（万元）",
            "期望达到的目标（概述）",
        ],
        &["", "任务一", "内容", "50", "目标"],
        &["其他需完成的任务（可选填）"],
        &[
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "实施周期指标值",
            "年度指标值",
        ],
        &["", "产出指标", "数量指标", "甲", "≥1个", "≥1个"],
        &["", "", "", "乙", "≥2个", "≥2个"],
        &["", "", "质量指标", "丙", "达标", "达标"],
        &["", "效益指标", "", "丁", "好", "好"],
        &["填表人：张三"],
    ];

    #[test]
    fn finds_fields_tables_and_inherits_categories() {
        let templates = Template::builtin();
        let form = locate(&book(vec![sheet(FORM)]), &templates).unwrap();
        assert_eq!(form.template, "gz-dept-overall");
        assert_eq!(
            form.field(FieldPath::Department).value,
            CellValue::Text("某局".into())
        );
        assert_eq!(
            form.field(FieldPath::Department).cell.unwrap().to_string(),
            "Sheet1!B2"
        );
        assert_eq!(
            form.field(FieldPath::Budget(crate::model::BudgetField::Transfer))
                .cell
                .unwrap()
                .to_string(),
            "Sheet1!E8"
        );
        assert_eq!(form.field(FieldPath::OtherTasks).value, CellValue::Empty);
        assert_eq!(form.tasks.len(), 1);
        assert_eq!(form.indicators.len(), 4);
        let l1: Vec<String> = form
            .indicators
            .iter()
            .map(|i| i.level1.value.display())
            .collect();
        let l2: Vec<String> = form
            .indicators
            .iter()
            .map(|i| i.level2.value.display())
            .collect();
        assert_eq!(l1, ["产出指标", "产出指标", "产出指标", "效益指标"]);
        assert_eq!(l2, ["数量指标", "数量指标", "质量指标", ""]);
        assert_eq!(
            form.indicators[1].level1.cell.as_ref().unwrap().to_string(),
            "Sheet1!B14"
        );
        assert!(form.missing_sections.is_empty());
        assert!(form.label_variants.is_empty());
    }

    #[test]
    fn an_instructions_sheet_is_not_the_form() {
        let notes = sheet(&[
            &["填表说明"],
            &["1. 部门名称：填写部门全称。"],
            &["绩效指标应包括产出指标"],
        ]);
        let form = locate(&book(vec![notes, sheet(FORM)]), &Template::builtin()).unwrap();
        assert_eq!(form.sheet.as_deref(), Some("Sheet1"));
        assert_eq!(form.field(FieldPath::Department).value.display(), "某局");
    }

    #[test]
    fn not_a_form_names_the_closest_variant() {
        let pay = sheet(&[
            &["工号", "姓名", "部门", "应发工资"],
            &["001", "张三", "办公室", "8500"],
        ]);
        let err = locate(&book(vec![pay]), &Template::builtin()).unwrap_err();
        assert_eq!(err.closest, "gz-dept-overall");
        assert_eq!(
            err.missing[..4],
            ["部门名称", "预算整体情况", "总体绩效目标", "绩效指标"]
        );
    }

    /// Regression: rows inside a merged 一级指标 cell used to count as new groups, wiping the
    /// 二级指标 they inherit (a false level2-unknown error on forms with lost 二级 merges).
    #[test]
    fn rows_inside_a_merged_level1_keep_their_level2() {
        let mut s = sheet(FORM);
        // 产出指标 merged down its three rows (B14:B16), 二级 blank below 数量指标.
        s.merges.push(crate::read::Span {
            first_row: 13,
            first_col: 1,
            last_row: 15,
            last_col: 1,
        });
        let form = locate(&book(vec![s]), &Template::builtin()).unwrap();
        let l2: Vec<String> = form
            .indicators
            .iter()
            .map(|i| i.level2.value.display())
            .collect();
        assert_eq!(l2, ["数量指标", "数量指标", "质量指标", ""]);
        let l1_cells: Vec<String> = form
            .indicators
            .iter()
            .map(|i| i.level1.cell.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(
            l1_cells,
            ["Sheet1!B14", "Sheet1!B14", "Sheet1!B14", "Sheet1!B17"]
        );
    }

    /// Regression: an indicator whose name starts with a footer word (负责人…) ended the table.
    #[test]
    fn a_name_starting_with_a_footer_word_is_a_record() {
        let mut rows: Vec<&[&str]> = FORM.to_vec();
        rows[14] = &["", "", "", "负责人培训次数", "≥2次", "≥2次"];
        let form = locate(&book(vec![sheet(&rows)]), &Template::builtin()).unwrap();
        assert_eq!(form.indicators.len(), 4);
        assert_eq!(form.indicators[1].name.value.display(), "负责人培训次数");
        // The real footer still ends the table.
        assert!(is_footer(&sheet(&[&["填表人：张三"]]), 0));
        assert!(is_footer(&sheet(&[&["", "备注"]]), 0));
        assert!(!is_footer(&sheet(&[&["", "", "", "备注材料份数"]]), 0));
    }

    /// A form whose sheet had content beyond the reading bounds is checked with a warning
    /// that says so, not as if it were whole.
    #[test]
    fn content_beyond_the_bounds_is_reported() {
        let mut s = sheet(FORM);
        s.set(
            crate::read::MAX_ROWS + 10,
            0,
            CellValue::Text("stray".into()),
        );
        let form = locate(&book(vec![s]), &Template::builtin()).unwrap();
        assert!(form.truncated);
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let n = crate::normalize::normalize(&form, &gz, &Default::default());
        let f = n
            .findings
            .iter()
            .find(|f| f.code == crate::model::Code::SheetTruncated)
            .unwrap();
        assert_eq!(
            f.message(crate::messages::Lang::Zh),
            "工作表“Sheet1”在第 5000 行或第 64 列之外还有内容，这部分没有读取"
        );
    }

    #[test]
    fn lines_above_the_form_are_kept_for_the_year() {
        let mut rows: Vec<&[&str]> = vec![&["附件2"], &["（2024年度）"]];
        rows.extend_from_slice(FORM);
        let form = locate(&book(vec![sheet(&rows)]), &Template::builtin()).unwrap();
        assert_eq!(form.preamble, ["附件2", "（2024年度）"]);
        assert_eq!(form.title.cell.as_ref().unwrap().to_string(), "Sheet1!A3");
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let n = crate::normalize::normalize(&form, &gz, &Default::default());
        assert_eq!(n.declaration.year, Some(2024));
    }

    #[test]
    fn label_and_value_in_one_cell() {
        let mut rows: Vec<&[&str]> = FORM.to_vec();
        rows[1] = &["部门名称：某某局"];
        let form = locate(&book(vec![sheet(&rows)]), &Template::builtin()).unwrap();
        assert_eq!(form.field(FieldPath::Department).value.display(), "某某局");
        assert_eq!(
            form.field(FieldPath::Department).cell.unwrap().to_string(),
            "Sheet1!A2"
        );
    }
}
