//! Second stage: find every form in a [`Workbook`] (one per sheet that holds one,
//! docs/FORM.md §1.4) by its labels, never by fixed addresses, and lift every field out as a
//! [`Raw`] value with the cell it came from.
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
//! A project form (docs/FORM.md §1.6) adds three shapes, each said by its template, not by code here:
//!
//! ```text
//!  6 | 项目资金 | 中期资金总额    | <value> |     | 年度资金总额    | <value>
//!  7 |          | 其中：财政拨款  | <value> |     | 其中：财政拨款  | <value>  ← a label twice: each
//!                                                                 is its anchor's column's
//!  9 | 总体目标 | 中期目标                        | 年度目标
//! 10 |          | <value>  ← below its label      | <value>
//! 11 | 绩效指标 | 一级指标 | 二级 | 三级 | 指标值 | 二级 | 三级 | 指标值  ← two tables side by
//! 12 |          | 产出指标 | <mid-term record>    | <annual record>         side, sharing 一级
//! ```
//!
//! Which labels exist and which value belongs to which label comes from the template data
//! ([`Template::field_labels`], [`Template::table_columns`], [`Template::layout_rows`], the
//! split columns, a table block's sides). Each sheet is read with the variant whose labels it
//! shows best, and is a form when the labels stand in the form's layout ([`locate`]): an
//! instructions sheet that mentions them in sentences or lists them one per row is never taken
//! for a form.

use std::collections::{BTreeMap, HashSet};

use crate::model::{CellRef, Column, ExtraKey, FieldPath, Section, TableKind};
use crate::read::{CellValue, Sheet, Span, Workbook};
use crate::template::{
    split_note, Block, LabelIndex, LayoutCell, LayoutShape, SplitRole, Template,
};
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
    /// The template's extra columns found in the header, each with the row's cell.
    pub extra: Vec<(ExtraKey, Raw)>,
}

/// One indicator row as found. Category cells left blank below (or merged down) take the
/// value and cell of the category above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawIndicator {
    pub level1: Raw,
    pub level2: Raw,
    pub name: Raw,
    /// `None` where the table has no 实施周期指标值 column.
    pub period: Option<Raw>,
    /// `None` for a row of a mid-term block (a project form's 中期指标), whose target is its
    /// `period`.
    pub annual: Option<Raw>,
    /// The 计算符号 cell of a target written in split columns (docs/FORM.md §1.5); `None` when the
    /// table has no sign column.
    pub sign: Option<Raw>,
    /// The 计量单位 cell of a split target; `None` when the table has no unit column.
    pub unit: Option<Raw>,
    /// The 指标值类型 cell (定量/定性) of a split target; `None` when the table has no such column.
    pub value_kind: Option<Raw>,
    /// The template's extra columns found in the header, each with the row's cell.
    pub extra: Vec<(ExtraKey, Raw)>,
}

/// The form as found in a workbook: every field's raw value and cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RawForm {
    pub template: String,
    pub file: String,
    /// The sheet the form was found on; `None` for CSV.
    pub sheet: Option<String>,
    /// Where on its sheet the form is (`A27:F49`), when the sheet holds several forms.
    pub range: Option<String>,
    pub title: Raw,
    /// Whether the sheet had content beyond the reading bounds (not read).
    pub truncated: bool,
    /// Text cells above the form other than the title.
    pub preamble: Vec<String>,
    /// Scalar fields by path (`department`, `budget.basic`, `overall_goal`, …).
    pub fields: BTreeMap<FieldPath, Raw>,
    pub tasks: Vec<RawTask>,
    pub indicators: Vec<RawIndicator>,
    /// The mid-term indicator block of a project form (docs/FORM.md §1.6).
    pub period_indicators: Vec<RawIndicator>,
    /// Cells of the section labels and table headers, by section (`tasks`, `indicators`,
    /// `budget`, `funds`), for findings about a whole section.
    pub sections: BTreeMap<Section, CellRef>,
    /// Required parts of the form that were not found.
    pub missing_sections: Vec<MissingSection>,
    pub label_variants: Vec<LabelVariant>,
    pub extra_columns: Vec<ExtraColumn>,
    /// The layout's own tables (a cost table) as found.
    pub own_tables: Vec<RawOwnTable>,
    /// Whether the form's sheet is hidden (read because no visible sheet holds a form).
    pub hidden: bool,
    /// Sheets of the workbook that hold something of a form but were not read: said on the
    /// workbook's first form.
    pub notes: Vec<SheetNote>,
    /// The formula cells of the form's sheet whose file holds no result, with what became of
    /// them ([`crate::read::Sheet::formulas`]).
    pub formulas: Vec<crate::read::FormulaCell>,
}

impl RawForm {
    pub fn field(&self, path: FieldPath) -> Raw {
        self.fields.get(&path).cloned().unwrap_or_else(Raw::missing)
    }
}

/// A table of the layout's own as found: its records' cells by column, in form order. Its
/// totals row (合计) is read into the form's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOwnTable {
    pub name: ExtraKey,
    pub rows: Vec<Vec<(ExtraKey, Raw)>>,
}

/// A required part of the form (docs/CHECKS.md `section-missing`, the template's `required`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSection {
    /// Its canonical label.
    pub label: String,
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
    /// Labels on the sheet that no template knows (its first column and its header rows): what
    /// a template for a new layout would have to name.
    #[serde(default)]
    pub unknown: Vec<String>,
}

/// Words that start the notes and signature lines printed under a form: the indicator table
/// ends where one appears. `图例` (`Legend`) starts the legend of the colours jixiao writes
/// under a corrected form (docs/OUTPUT.md §1), so that its own workbook reads back.
const FOOTER_WORDS: &[&str] = &[
    "图例",
    "Legend",
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
    "主管部门审核意见",
    "财政部门审核意见",
    "审核意见",
];

/// Whether a row is a note or signature line under the form: its first text starts with a
/// footer word standing alone or followed by a colon or a space (`填表人：张三`, `备注`), so that
/// an indicator named `负责人培训次数` is not taken for one.
fn is_footer(sheet: &Sheet, row: u32) -> bool {
    let Some((_, CellValue::Text(text))) = sheet.row_cells(row).next() else {
        return false;
    };
    is_footer_text(text)
}

/// Whether a text starts a note or signature line under a form ([`FOOTER_WORDS`]).
pub(crate) fn is_footer_text(text: &str) -> bool {
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
    /// The first column a label's value may stand in: right after the label or its merge.
    fn value_start(&self, hit: &Hit) -> u32 {
        self.sheet
            .merge_at(hit.row, hit.col)
            .filter(|m| m.first_row == hit.row && m.first_col == hit.col)
            .map_or(hit.col + 1, |m| m.last_col + 1)
    }

    fn value_right_of(&self, hit: &Hit) -> Raw {
        let merge = self
            .sheet
            .merge_at(hit.row, hit.col)
            .filter(|m| m.first_row == hit.row && m.first_col == hit.col);
        let start = self.value_start(hit);
        let first = self.text_right_of(hit.row, start);
        let Some((col, value)) = first else {
            return Raw {
                cell: Some(self.cell(hit.row, start)),
                value: CellValue::Empty,
            };
        };
        // A label merged down several rows with a text on each (目标1…目标4 beside 年度总体目标):
        // its value is those lines, one per row.
        let mut value = value.clone();
        if let (Some(m), CellValue::Text(text)) = (merge, &value) {
            let mut lines = text.clone();
            for row in hit.row + 1..=m.last_row {
                if let Some((_, CellValue::Text(more))) = self.text_right_of(row, start) {
                    lines.push('\n');
                    lines.push_str(more);
                }
            }
            value = CellValue::Text(lines);
        }
        Raw {
            cell: Some(self.cell(hit.row, col)),
            value,
        }
    }

    /// The first non-empty cell of a row from `start`, unless a label comes first.
    fn text_right_of(&self, row: u32, start: u32) -> Option<(u32, &CellValue)> {
        for col in start..self.sheet.width() {
            if self.is_label(row, col) {
                return None;
            }
            let v = self.sheet.get(row, col);
            if !v.is_empty() {
                return Some((col, v));
            }
        }
        None
    }
}

impl Scan<'_> {
    /// The value under a label whose value stands below it (a project form's goals): the first
    /// non-empty cell of the row right under the label (or its merge), within the label's
    /// columns, unless a label comes first. An empty value is placed under the label.
    fn value_below(&self, hit: &Hit) -> Raw {
        let (last_row, last_col) = self
            .sheet
            .merge_at(hit.row, hit.col)
            .filter(|m| m.first_row == hit.row && m.first_col == hit.col)
            .map_or((hit.row, hit.col), |m| (m.last_row, m.last_col));
        let row = last_row + 1;
        for col in hit.col..=last_col {
            if self.is_label(row, col) {
                break;
            }
            let v = self.sheet.get(row, col);
            if !v.is_empty() {
                return Raw {
                    cell: Some(self.cell(row, col)),
                    value: v.clone(),
                };
            }
        }
        Raw {
            cell: Some(self.cell(row, hit.col)),
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

/// A sheet holds a form (or part of one, which is read with its findings) when it shows at least
/// this many rows of a template's layout (see [`Shape`]). An instructions table lists the labels
/// one per row, a reference list of indicators has a header but no target column, a cover page
/// has a title: none shows two.
const MIN_LAYOUT_ROWS: usize = 2;

/// What a sheet shows of a template's layout: not labels mentioned anywhere, but labels standing
/// where the form puts them. A *layout row* is a row of the layout that holds two or more
/// labels (each row of the budget block, the 基本信息 row), found when one row of the sheet
/// holds two or more of them side by side; and each table's header, found when one row holds
/// the table's column labels including the columns that carry its records (名称 for the
/// tasks, 三级指标 and the target column for the indicators: [`TableKind::key_columns`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Shape {
    /// Layout rows found.
    rows: usize,
    /// The labels standing in them, in layout order, for a note about a sheet that shows
    /// fewer than [`MIN_LAYOUT_ROWS`].
    labels: Vec<String>,
}

impl Scan<'_> {
    /// Two or more labels of a head of one field per row ([`LayoutShape::Ladder`]) standing as
    /// the layout has them: down one column, each at most two rows below the one before, each
    /// with its value right of it.
    fn ladder<'s>(&'s self, labels: &[String]) -> Option<Vec<&'s str>> {
        let rungs: Vec<&Hit> = self
            .hits
            .iter()
            .filter(|h| labels.contains(&h.canonical))
            .filter(|h| self.text_right_of(h.row, self.value_start(h)).is_some())
            .collect();
        for (i, first) in rungs.iter().enumerate() {
            let mut here: Vec<&str> = vec![first.canonical.as_str()];
            let mut last = first.row;
            for h in &rungs[i + 1..] {
                if h.col != first.col || h.row <= last || here.contains(&h.canonical.as_str()) {
                    continue;
                }
                if h.row - last > 2 {
                    break;
                }
                here.push(&h.canonical);
                last = h.row;
            }
            if here.len() >= 2 {
                return Some(here);
            }
        }
        None
    }

    fn shape(&self) -> Shape {
        let mut shape = Shape::default();
        let add = |shape: &mut Shape, labels: Vec<&str>| {
            shape.rows += 1;
            for l in labels {
                if !shape.labels.iter().any(|s| s == l) {
                    shape.labels.push(l.to_string());
                }
            }
        };
        for layout_row in self.template.layout_rows() {
            let found = match layout_row {
                LayoutShape::Row(labels) => self.by_row.keys().find_map(|&row| {
                    let mut here: Vec<&str> = Vec::new();
                    for h in self.row_hits(row) {
                        if labels.contains(&h.canonical) && !here.contains(&h.canonical.as_str()) {
                            here.push(&h.canonical);
                        }
                    }
                    (here.len() >= 2).then_some(here)
                }),
                LayoutShape::Ladder(labels) => self.ladder(labels),
            };
            if let Some(here) = found {
                add(&mut shape, here);
            }
        }
        // A table counts once, when its header holds the key columns of the block's own table
        // (a project form's annual block; the mid-term block beside it may be missing).
        for block in self.template.table_blocks() {
            let (Some(kind), Some(header)) = (block.table, Header::find(self, block)) else {
                continue;
            };
            let has = |c: &Column| {
                header
                    .columns
                    .iter()
                    .any(|h| h.column == *c && h.table.is_none_or(|t| t == kind))
            };
            if kind.key_columns().iter().all(has) {
                let labels = self
                    .row_hits(header.row)
                    .iter()
                    .filter(|h| {
                        header.columns.iter().any(|c| c.col == h.col)
                            || h.canonical == header.section_label
                    })
                    .map(|h| h.canonical.as_str())
                    .collect();
                add(&mut shape, labels);
            }
        }
        shape
    }
}

/// A sheet scanned with the variant it shows best.
struct SheetScan<'a> {
    scan: Scan<'a>,
    score: usize,
    missing: Vec<String>,
    shape: Shape,
}

impl SheetScan<'_> {
    fn is_form(&self) -> bool {
        self.shape.rows >= MIN_LAYOUT_ROWS
    }
}

/// A sheet of the workbook that was not read as a form although it shows something of one,
/// said on the first form read so that nothing an officer sent goes unmentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetNote {
    /// A hidden sheet holding a form: the officer does not see it, so it is not read.
    HiddenForm { sheet: String },
    /// A visible sheet showing part of the form's layout, too little to be read as a form.
    Partial { sheet: String, labels: Vec<String> },
    /// A second form on the sheet of a form read, starting at `cell`, that could not be told
    /// apart from the first and was not read (docs/FORM.md §1.4).
    SecondForm { sheet: String, cell: CellRef },
}

/// Find every form in a workbook (docs/FORM.md §1.4), in sheet order: each sheet is scanned with
/// the variant whose labels it shows best, and is a form when it shows two rows of the form's
/// layout: a row of the budget block with two of its labels side by side, the task header with
/// 名称, the indicator header with 三级指标 and its target column ([`TableKind::key_columns`]).
///
/// A sheet may hold several forms, one below or right of another (docs/FORM.md §1.4): each is read
/// from its own part of the sheet, its cells at their own addresses, as a form of its own with
/// its [`RawForm::range`]. A second form that cannot be told apart from the first is not read;
/// the first says where it starts ([`SheetNote::SecondForm`]).
///
/// Hidden sheets: an officer who opens the workbook does not see them (departments hide last
/// year's copy and fill a new one), so a hidden sheet is not read when a visible sheet holds a
/// form; the first form then carries a [`SheetNote::HiddenForm`] for it. When only hidden
/// sheets hold a form, they are read (rather than the file being "no form"), each marked
/// [`RawForm::hidden`]. A visible sheet that shows one layout row is noted
/// ([`SheetNote::Partial`]). When no sheet is a form, the closest variant says what the
/// workbook lacks.
pub fn locate(workbook: &Workbook, templates: &[Template]) -> Result<Vec<RawForm>, NotAForm> {
    let parts: Vec<SheetParts> = workbook
        .sheets
        .iter()
        .map(|sheet| sheet_parts(sheet, templates))
        .collect();
    // Each sheet's parts, scanned: a sheet of one form has one part, the sheet itself.
    let sheets: Vec<Vec<SheetScan>> = parts
        .iter()
        .map(|p| {
            p.parts
                .iter()
                .filter_map(|part| best_scan(&part.sheet, templates))
                .collect()
        })
        .collect();
    let visible = sheets
        .iter()
        .flatten()
        .any(|s| s.is_form() && !s.scan.sheet.hidden);
    let mut notes = Vec::new();
    let mut forms = Vec::new();
    for (scans, p) in sheets.iter().zip(&parts) {
        let read = forms.len();
        for (s, part) in scans.iter().zip(&p.parts) {
            let sheet = &s.scan.sheet;
            if s.is_form() && !(sheet.hidden && visible) {
                let sheet_name = match workbook.format {
                    crate::read::Format::Csv => None,
                    _ => Some(sheet.name.clone()),
                };
                let mut form = extract(&s.scan, &workbook.file, sheet_name);
                form.range = part.range.map(|r| span_a1(&r));
                forms.push(form);
            } else if s.is_form() {
                // One note for a hidden sheet, however many forms it holds.
                let note = SheetNote::HiddenForm {
                    sheet: sheet.name.clone(),
                };
                if !notes.contains(&note) {
                    notes.push(note);
                }
            } else if s.shape.rows > 0 && !sheet.hidden {
                notes.push(SheetNote::Partial {
                    sheet: sheet.name.clone(),
                    labels: s.shape.labels.clone(),
                });
            }
        }
        // The forms of a sheet not read are said on the first form read from it.
        if let Some(form) = forms.get_mut(read) {
            form.notes
                .extend(p.unread.iter().map(|cell| SheetNote::SecondForm {
                    sheet: cell.sheet.to_string(),
                    cell: cell.clone(),
                }));
        }
    }
    if let Some(first) = forms.first_mut() {
        notes.append(&mut first.notes);
        first.notes = notes;
        return Ok(forms);
    }
    let closest = sheets
        .iter()
        .flatten()
        .reduce(|best, next| if next.score > best.score { next } else { best });
    let Some(closest) = closest else {
        let missing = templates
            .first()
            .map(|t| t.required.clone())
            .unwrap_or_default();
        return Err(NotAForm {
            file: workbook.file.clone(),
            closest: templates.first().map(|t| t.id.clone()).unwrap_or_default(),
            closest_name: templates
                .first()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            missing,
            unknown: Vec::new(),
        });
    };
    // The closest among the templates of the sheet's kind, when its title says it (a project
    // form is not measured against department templates).
    let kind =
        title_kind(closest.scan.sheet, templates).filter(|k| *k != closest.scan.template.kind);
    let rescan = templates
        .iter()
        .filter(|t| kind == Some(t.kind))
        .map(|t| {
            let scan = Scan::new(closest.scan.sheet, t);
            let (score, missing) = scan.score();
            (score, missing, t)
        })
        .max_by_key(|(score, _, _)| *score);
    let (template, mut missing) = match rescan {
        Some((_, missing, t)) => (t, missing),
        None => (closest.scan.template, closest.missing.clone()),
    };
    let unknown = unknown_labels(closest.scan.sheet, templates);
    let closest_template = template;
    // Name the sections first: they say most about what the file lacks.
    let required = &closest_template.required;
    missing.sort_by_key(|l| !required.contains(l));
    missing.truncate(8);
    Err(NotAForm {
        file: workbook.file.clone(),
        closest: closest_template.id.clone(),
        closest_name: closest_template.name.clone(),
        missing,
        unknown,
    })
}

/// The kind of form a sheet's title names: a text of its first rows that matches the title
/// patterns of templates of one kind only.
fn title_kind(sheet: &Sheet, templates: &[Template]) -> Option<crate::model::RecordKind> {
    let mut kinds: Vec<crate::model::RecordKind> = Vec::new();
    for row in 0..sheet.height().min(6) {
        for (_, value) in sheet.row_cells(row) {
            let CellValue::Text(text) = value else {
                continue;
            };
            let key = label_key(text);
            for t in templates.iter().filter(|t| t.matches_title_key(&key)) {
                if !kinds.contains(&t.kind) {
                    kinds.push(t.kind);
                }
            }
        }
    }
    match kinds[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// The most labels [`unknown_labels`] names.
const MAX_UNKNOWN: usize = 8;

/// Labels of a sheet that no template knows, in reading order: the short texts of its first
/// column and of its header rows (rows of three or more short texts), other than a title,
/// numbers, the framework's categories, and a template's labels.
fn unknown_labels(sheet: &Sheet, templates: &[Template]) -> Vec<String> {
    let first_col = (0..sheet.height())
        .flat_map(|r| sheet.row_cells(r).map(|(c, _)| c))
        .min()
        .unwrap_or(0);
    let short = |v: &CellValue| match v {
        CellValue::Text(t) => {
            let n = t.trim().chars().count();
            (2..=16).contains(&n) && !t.chars().any(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    let mut out: Vec<String> = Vec::new();
    for row in 0..sheet.height() {
        let cells: Vec<(u32, &CellValue)> = sheet.row_cells(row).collect();
        let header = cells.iter().filter(|(_, v)| short(v)).count() >= 3;
        for (col, value) in cells {
            if !(header || col == first_col) || !short(value) {
                continue;
            }
            let text = value.display().trim().to_string();
            let key = label_key(&text);
            let known = templates
                .iter()
                .any(|t| t.label_index().get_key(&key).is_some() || t.matches_title_key(&key));
            let category = crate::category::level1(&text).is_some()
                || crate::category::level2(&text).is_some();
            if known || category || out.iter().any(|o| label_key(o) == key) {
                continue;
            }
            out.push(text);
            if out.len() == MAX_UNKNOWN {
                return out;
            }
        }
    }
    out
}

/// A sheet scanned with each variant; the best: a form before a non-form, then the most labels,
/// then the first of equals (templates come in order of preference).
fn best_scan<'a>(sheet: &'a Sheet, templates: &'a [Template]) -> Option<SheetScan<'a>> {
    let kind = title_kind(sheet, templates);
    templates
        .iter()
        .map(|template| {
            let scan = Scan::new(sheet, template);
            let (score, missing) = scan.score();
            let shape = scan.shape();
            SheetScan {
                scan,
                score,
                missing,
                shape,
            }
        })
        .reduce(|best, next| {
            // A form of the kind its title names before one of the other kind (a department
            // form is not read with a project template that happens to fit it).
            let key = |s: &SheetScan| {
                let of_kind = kind.is_none_or(|k| s.scan.template.kind == k);
                (s.is_form(), of_kind, s.score)
            };
            if key(&next) > key(&best) {
                next
            } else {
                best
            }
        })
}

/// `A27:F49`.
fn span_a1(span: &Span) -> String {
    let a1 = |row, col| CellRef::new("", row, col).a1();
    format!(
        "{}:{}",
        a1(span.first_row, span.first_col),
        a1(span.last_row, span.last_col)
    )
}

/// Rows (and columns) within which the cells that open one form stand: its title, the lines
/// around it, its 部门名称 or 项目名称 label. A form is taller and wider than this, so two heads
/// further apart are two forms.
const HEAD_REACH: u32 = 3;

/// One part of a sheet that is read as a form.
struct Part<'a> {
    /// The sheet itself, or the part of it that holds one form ([`Sheet::crop`]).
    sheet: std::borrow::Cow<'a, Sheet>,
    /// Where the part's cells are, when the sheet holds several forms.
    range: Option<Span>,
}

/// How a sheet is read: its parts, and the cells where forms start that none of them reads.
struct SheetParts<'a> {
    parts: Vec<Part<'a>>,
    unread: Vec<CellRef>,
}

/// The heads of forms on a sheet ([`HEAD_REACH`]): cells holding a title of any variant or the
/// label that opens it ([`Template::anchor_label`]), grouped so that a title and the label
/// under it are one head. The top-left of each group, in reading order.
fn form_heads(sheet: &Sheet, templates: &[Template]) -> Vec<(u32, u32)> {
    let anchors: Vec<(&LabelIndex, &str)> = templates
        .iter()
        .filter_map(|t| Some((t.label_index(), t.anchor_label()?)))
        .collect();
    let mut heads: Vec<(u32, u32)> = Vec::new();
    for row in 0..sheet.height() {
        for (col, value) in sheet.row_cells(row) {
            let CellValue::Text(text) = value else {
                continue;
            };
            // Labels and titles are short; a long text is a sentence that mentions one.
            if text.chars().count() > 40 {
                continue;
            }
            // The key once, for every template's titles and anchor (a batch asks this of
            // every short text of every sheet).
            let key = label_key(text);
            // `部门名称：某局`: the label's key, also once (as split_label_value splits).
            let left_key = (text.split_once(['：', ':']))
                .filter(|(_, right)| !right.trim().is_empty())
                .map(|(left, _)| label_key(left));
            let opens = templates.iter().any(|t| t.matches_title_key(&key))
                || anchors.iter().any(|&(labels, anchor)| {
                    labels.get_key(&key) == Some(anchor)
                        || left_key
                            .as_deref()
                            .is_some_and(|k| labels.get_key(k) == Some(anchor))
                });
            if !opens {
                continue;
            }
            let near = heads
                .iter_mut()
                .find(|h| row.abs_diff(h.0) <= HEAD_REACH && col.abs_diff(h.1) <= HEAD_REACH);
            match near {
                Some(h) => h.1 = h.1.min(col),
                None => heads.push((row, col)),
            }
        }
    }
    heads
}

/// What one part of a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// A form with its own head: read it.
    Form,
    /// A head and some of a form's layout, too little to read: a form that is not read.
    Partial,
    /// No form of its own (a title mentioned in a note, the lower half of the form above).
    Nothing,
}

fn holds(sheet: &Sheet, span: Span, templates: &[Template]) -> Holds {
    let part = sheet.crop(span);
    let Some(s) = best_scan(&part, templates) else {
        return Holds::Nothing;
    };
    let template = s.scan.template;
    let headed = template
        .anchor_label()
        .is_some_and(|a| s.scan.first(a).is_some())
        || title_and_preamble(&s.scan).0.cell.is_some();
    match (headed, s.is_form(), s.shape.rows) {
        (true, true, _) => Holds::Form,
        (true, false, 1..) => Holds::Partial,
        _ => Holds::Nothing,
    }
}

/// How forms lie on a sheet with several heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lie {
    /// One below another: the sheet is cut into bands of rows.
    Stacked,
    /// One right of another: the sheet is cut into bands of columns.
    SideBySide,
}

/// The parts of a sheet cut at the heads: band `i` runs from head `i` to the row (column) before
/// head `i + 1`; the first starts at the sheet's top (left), so the lines above a form are its.
fn bands(sheet: &Sheet, heads: &[(u32, u32)], lie: Lie) -> Vec<Span> {
    let (last_row, last_col) = (
        sheet.height().saturating_sub(1),
        sheet.width().saturating_sub(1),
    );
    let at = |h: &(u32, u32)| match lie {
        Lie::Stacked => h.0,
        Lie::SideBySide => h.1,
    };
    let end = match lie {
        Lie::Stacked => last_row,
        Lie::SideBySide => last_col,
    };
    (0..heads.len())
        .map(|i| {
            let first = if i == 0 { 0 } else { at(&heads[i]) };
            let last = heads.get(i + 1).map_or(end, |h| at(h) - 1);
            match lie {
                Lie::Stacked => Span {
                    first_row: first,
                    last_row: last,
                    first_col: 0,
                    last_col,
                },
                Lie::SideBySide => Span {
                    first_row: 0,
                    last_row,
                    first_col: first,
                    last_col: last,
                },
            }
        })
        .collect()
}

/// The parts of a sheet to read (docs/FORM.md §1.4). A sheet with one head (or none) is one
/// part, itself. With several, the forms are stacked when the heads stand in one column, side
/// by side when they stand in one row, and the sheet is cut into bands at the heads. A band
/// without a form of its own (a title mentioned in a note, a `项目名称` header of a task table)
/// is no cut: it stays with the band before it. A band with a head and too little of a form
/// is not read and said (`sheet-second-form`), and so is every form after the first when the
/// heads stand neither in a column nor in a row: the first is read from the rows above and the
/// columns left of the next heads, so that it never takes another form's cells.
fn sheet_parts<'a>(sheet: &'a Sheet, templates: &[Template]) -> SheetParts<'a> {
    let whole = |unread| SheetParts {
        parts: vec![Part {
            sheet: std::borrow::Cow::Borrowed(sheet),
            range: None,
        }],
        unread,
    };
    let mut heads = form_heads(sheet, templates);
    if heads.len() < 2 {
        return whole(Vec::new());
    }
    let first = heads[0];
    let lie = if heads.iter().all(|h| h.1.abs_diff(first.1) <= HEAD_REACH) {
        Some(Lie::Stacked)
    } else if heads.iter().all(|h| h.0.abs_diff(first.0) <= HEAD_REACH) {
        heads.sort_by_key(|h| h.1);
        Some(Lie::SideBySide)
    } else {
        None
    };
    let cell = |h: &(u32, u32)| CellRef::new(sheet.name.as_str(), h.0, h.1);
    let Some(lie) = lie else {
        return first_of_many(sheet, templates, &heads);
    };
    // Drop the cuts that start no form, one at a time, until each band holds something.
    let judged = loop {
        let spans = bands(sheet, &heads, lie);
        let judged: Vec<(Span, Holds)> = spans
            .iter()
            .map(|&s| (s, holds(sheet, s, templates)))
            .collect();
        match judged.iter().position(|(_, h)| *h == Holds::Nothing) {
            Some(i) if heads.len() > 1 => {
                heads.remove(i.max(1));
            }
            _ => break judged,
        }
    };
    if judged.len() < 2 {
        return whole(Vec::new());
    }
    let mut parts = Vec::new();
    let mut unread = Vec::new();
    for ((span, h), head) in judged.iter().zip(&heads) {
        match h {
            Holds::Form => parts.push(*span),
            _ => unread.push(cell(head)),
        }
    }
    match parts[..] {
        // No band is a form of its own: the sheet is read as one, as if it had one head.
        [] => return whole(Vec::new()),
        [span] => {
            return SheetParts {
                parts: vec![Part {
                    sheet: std::borrow::Cow::Owned(sheet.crop(span)),
                    range: None,
                }],
                unread,
            }
        }
        _ => {}
    }
    SheetParts {
        parts: parts
            .into_iter()
            .map(|span| Part {
                sheet: std::borrow::Cow::Owned(sheet.crop(span)),
                range: sheet.used_span(span),
            })
            .collect(),
        unread,
    }
}

/// Heads that stand neither in one column nor in one row: which cells belong to which form is
/// not clear, so only the first is read, from the rows above the next head below it and the
/// columns left of the next head beside it; the others are said, those whose part of the sheet
/// (from the head rightwards and down) shows something of a form.
fn first_of_many<'a>(
    sheet: &'a Sheet,
    templates: &[Template],
    heads: &[(u32, u32)],
) -> SheetParts<'a> {
    let (first, rest) = (heads[0], &heads[1..]);
    let (height, width) = (
        sheet.height().saturating_sub(1),
        sheet.width().saturating_sub(1),
    );
    let last_row = (rest.iter())
        .filter(|h| h.0 > first.0 + HEAD_REACH)
        .map(|h| h.0 - 1)
        .min()
        .unwrap_or(height);
    let last_col = (rest.iter())
        .filter(|h| h.1 > first.1 + HEAD_REACH && h.0 <= last_row)
        .map(|h| h.1 - 1)
        .min()
        .unwrap_or(width);
    let span = Span {
        first_row: 0,
        first_col: 0,
        last_row,
        last_col,
    };
    let unread = rest
        .iter()
        .filter(|h| {
            let own = Span {
                first_row: h.0,
                first_col: h.1,
                last_row: height,
                last_col: width,
            };
            holds(sheet, own, templates) != Holds::Nothing
        })
        .map(|h| CellRef::new(sheet.name.as_str(), h.0, h.1))
        .collect();
    SheetParts {
        parts: vec![Part {
            sheet: std::borrow::Cow::Owned(sheet.crop(span)),
            range: None,
        }],
        unread,
    }
}

/// Lift every part of the form out of the scanned sheet.
fn extract(scan: &Scan, file: &str, sheet_name: Option<String>) -> RawForm {
    let (title, preamble) = title_and_preamble(scan);
    let mut form = RawForm {
        template: scan.template.id.clone(),
        file: file.to_string(),
        sheet: sheet_name,
        range: None,
        title,
        truncated: scan.sheet.truncated,
        preamble,
        fields: fields(scan),
        tasks: Vec::new(),
        indicators: Vec::new(),
        period_indicators: Vec::new(),
        sections: BTreeMap::new(),
        missing_sections: Vec::new(),
        label_variants: label_variants(scan),
        extra_columns: Vec::new(),
        own_tables: Vec::new(),
        hidden: scan.sheet.hidden,
        notes: Vec::new(),
        formulas: scan.sheet.formulas.clone(),
    };
    // The section label of each block of fields (预算整体情况, 项目资金), where it is found.
    for block in &scan.template.blocks {
        let (Some(label), Some(section)) = (&block.section, block.section_kind()) else {
            continue;
        };
        if block.table.is_none() {
            if let Some(hit) = scan.first(label) {
                form.sections.insert(section, scan.cell(hit.row, hit.col));
            }
        }
    }
    for block in scan.template.table_blocks() {
        if block.name.is_some() {
            if let Some((table, totals)) = read_own_table(scan, block) {
                for (key, raw) in totals {
                    form.fields.insert(FieldPath::Extra(key), raw);
                }
                form.own_tables.push(table);
            }
            continue;
        }
        let Some(t) = read_table(scan, block) else {
            continue;
        };
        if let Some(section) = block.section_kind() {
            form.sections.insert(section, t.section_cell.clone());
        }
        for (kind, records) in &t.records {
            let has = |c: Column| t.has_column(*kind, c);
            let has_split = |role| t.split.contains(&role);
            let (sign, unit) = (has_split(SplitRole::Sign), has_split(SplitRole::Unit));
            match kind {
                TableKind::Tasks => form.tasks = records.iter().map(task).collect(),
                TableKind::Indicators => {
                    // A form without the 实施周期指标值 column has no period targets, whatever
                    // its variant.
                    let period = has(Column::Period);
                    form.indicators = records
                        .iter()
                        .map(|r| indicator(r, period, true, sign, unit))
                        .collect();
                }
                TableKind::PeriodIndicators => {
                    form.period_indicators = records
                        .iter()
                        .map(|r| indicator(r, true, false, sign, unit))
                        .collect();
                }
            }
        }
        form.extra_columns.extend(t.extra);
    }
    form.missing_sections = missing_sections(&form, scan.template);
    form
}

/// How much a label cell's value says that it is the field's label: a value in the cell right
/// after the label (or after its merge), or right under a label whose value stands below it,
/// beats one further right, which beats none.
fn value_rank(scan: &Scan, hit: &Hit, value: &Raw, below: bool) -> u8 {
    let Some(cell) = value.cell.as_ref().filter(|_| !value.value.is_empty()) else {
        return 0;
    };
    if below {
        return 2;
    }
    let next = scan
        .sheet
        .merge_at(hit.row, hit.col)
        .filter(|m| m.first_row == hit.row && m.first_col == hit.col)
        .map_or(hit.col + 1, |m| m.last_col + 1);
    if cell.col == next {
        2
    } else {
        1
    }
}

/// The label cell of each field of the layout, with its value (right of it, or below it).
/// When several cells could be a field's label (docs/FORM.md §1.3), the one that carries a value
/// wins, the value next to it first: a stamp line `填报单位（盖章）：` left blank above the real
/// `部门名称` row (or with `单位：万元` far to its right) is not the department's label. Among
/// equals, the first.
///
/// A label the layout writes more than once (其中：财政拨款 under both 中期资金总额 and
/// 年度资金总额) is told apart by its anchor ([`crate::template::FieldLabel::anchor`]): each
/// occurrence is the cell of that label nearest below its anchor's column; without the anchor
/// on the sheet, an occurrence takes the first cell the others left, in reading order.
fn field_hits<'s>(scan: &'s Scan) -> Vec<(FieldPath, &'s Hit, Raw)> {
    let mut out = Vec::new();
    let mut taken: HashSet<(u32, u32)> = HashSet::new();
    // Occurrences whose anchor is on the sheet choose first: one without (its column missing
    // from the form) must not take a cell that stands under another's anchor.
    let (anchored, rest): (Vec<_>, Vec<_>) = scan.template.field_labels().iter().partition(|fl| {
        fl.anchor
            .as_deref()
            .is_some_and(|a| scan.first(a).is_some())
    });
    for fl in anchored.into_iter().chain(rest) {
        let Some(field) = fl.field else {
            continue;
        };
        let value = |h: &Hit| {
            if fl.below {
                scan.value_below(h)
            } else {
                scan.value_right_of(h)
            }
        };
        let candidates = scan
            .hits
            .iter()
            .filter(|h| h.canonical == fl.label && !taken.contains(&(h.row, h.col)));
        let best = match &fl.anchor {
            Some(anchor) => {
                let a = scan.first(anchor);
                candidates
                    .filter(|h| a.is_none_or(|a| h.row > a.row))
                    .min_by_key(|h| (a.map_or(0, |a| h.col.abs_diff(a.col)), h.row, h.col))
                    .map(|h| (h, value(h)))
            }
            None => candidates.map(|h| (h, value(h))).reduce(|best, next| {
                let rank = |(h, v): &(&Hit, Raw)| value_rank(scan, h, v, fl.below);
                if rank(&next) > rank(&best) {
                    next
                } else {
                    best
                }
            }),
        };
        if let Some((hit, raw)) = best {
            if fl.anchor.is_some() {
                taken.insert((hit.row, hit.col));
            }
            out.push((field, hit, raw));
        }
    }
    out
}

/// Scalar fields: the value of each label of the layout ([`field_hits`]), or written with its
/// label in one cell (`部门名称：某局`) where that gives more.
fn fields(scan: &Scan) -> BTreeMap<FieldPath, Raw> {
    let field_labels = scan.template.field_labels();
    let mut fields: BTreeMap<FieldPath, Raw> = field_hits(scan)
        .into_iter()
        .map(|(field, _, raw)| (field, raw))
        .collect();
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

fn task(r: &Record) -> RawTask {
    RawTask {
        name: r.cells.get(&Column::Name).cloned(),
        content: r.cells.get(&Column::Content).cloned(),
        funds: r.cells.get(&Column::Funds).cloned(),
        outcome: r.cells.get(&Column::Outcome).cloned(),
        extra: r.extra.clone(),
    }
}

/// An indicator row; `period` and `annual` say which target columns the row's table has.
fn indicator(r: &Record, period: bool, annual: bool, sign: bool, unit: bool) -> RawIndicator {
    let get = |c| r.cells.get(&c).cloned().unwrap_or_else(Raw::missing);
    let split =
        |role, has: bool| has.then(|| r.split.get(&role).cloned().unwrap_or_else(Raw::missing));
    RawIndicator {
        level1: get(Column::Level1),
        level2: get(Column::Level2),
        name: get(Column::Name),
        period: period.then(|| get(Column::Period)),
        annual: annual.then(|| get(Column::Annual)),
        sign: split(SplitRole::Sign, sign),
        unit: split(SplitRole::Unit, unit),
        value_kind: r.split.get(&SplitRole::Kind).cloned(),
        extra: r.extra.clone(),
    }
}

/// The required parts the form lacks ([`Template::required_parts`]). A part counts as present
/// when its values were found, even where its label is written with the value (`部门名称：某局`)
/// or is missing above a complete budget block; a table, when its header was found.
fn missing_sections(form: &RawForm, template: &Template) -> Vec<MissingSection> {
    template
        .required_parts()
        .into_iter()
        .filter(|(_, field)| match field {
            FieldPath::Section(s) => {
                !form.sections.contains_key(s)
                    && !form.fields.keys().any(|k| k.section() == Some(*s))
            }
            field => !form.fields.contains_key(field),
        })
        .map(|(label, field)| MissingSection { label, field })
        .collect()
}

/// Whether a label is the canonical one with a note after it (`中期目标（2024年—2026年）`,
/// `二级指标(长期)`): the note says something (the years, the block), so the label is no variant.
fn is_noted(hit: &Hit) -> bool {
    let key = label_key(&hit.found);
    split_note(&key).is_some_and(|(label, _)| label == label_key(&hit.canonical))
}

/// Every label written other than canonically that was read as a label: the output writes the
/// canonical one. A cell that could have been a field's label but lost to another
/// ([`field_hits`]) was not read as one, and a label with a note is no variant ([`is_noted`]).
fn label_variants(scan: &Scan) -> Vec<LabelVariant> {
    let fields: HashSet<String> = scan
        .template
        .field_labels()
        .iter()
        .filter(|f| f.field.is_some())
        .map(|f| f.label.clone())
        .collect();
    let chosen: HashSet<(u32, u32)> = field_hits(scan)
        .iter()
        .map(|(_, h, _)| (h.row, h.col))
        .collect();
    scan.hits
        .iter()
        .filter(|hit| !fields.contains(&hit.canonical) || chosen.contains(&(hit.row, hit.col)))
        .filter(|hit| {
            // A required field's mark (`*指标值`) is how the layout prints the label.
            let unmarked = hit
                .found
                .trim()
                .trim_start_matches(['*', '＊'])
                .trim_start();
            unmarked != hit.canonical && !is_noted(hit)
        })
        .map(|hit| LabelVariant {
            cell: scan.cell(hit.row, hit.col),
            found: hit.found.trim().to_string(),
            canonical: hit.canonical.clone(),
        })
        .collect()
}

/// A table block as found: the records of each of its tables.
struct Table {
    section_cell: CellRef,
    /// The columns found in the header row, with their tables.
    columns: Vec<HeaderColumn>,
    /// The split-target columns found in it (docs/FORM.md §1.5).
    split: Vec<SplitRole>,
    /// Each table's records, in form order.
    records: BTreeMap<TableKind, Vec<Record>>,
    extra: Vec<ExtraColumn>,
}

impl Table {
    /// Whether the header holds a column of a table (its own or one the sides share).
    fn has_column(&self, kind: TableKind, column: Column) -> bool {
        self.columns
            .iter()
            .any(|h| h.column == column && h.table.is_none_or(|t| t == kind))
    }
}

/// One record row of a table: each column's value (the carried ones for the categories), and
/// the cells of a split target.
struct Record {
    cells: BTreeMap<Column, Raw>,
    split: BTreeMap<SplitRole, Raw>,
    /// The template's extra columns, in header order.
    extra: Vec<(ExtraKey, Raw)>,
}

/// Find a table block's header row (the first row holding two of its column labels) and read
/// its records down to where the table ends: one record per row and table (a block of sides
/// gives each side's record of the row), for a row whose own cells hold something besides the
/// categories.
fn read_table(scan: &Scan, block: &Block) -> Option<Table> {
    let header = Header::find(scan, block)?;
    let main = block.table?;
    let end = TableEnd::new(scan, block, &header);
    let mut extra: Vec<ExtraColumn> = header
        .extra
        .iter()
        .map(|(c, h)| ExtraColumn {
            table: main,
            header: h.clone(),
            cell: scan.cell(header.row, *c),
            values: Vec::new(),
        })
        .collect();
    let tables: Vec<TableKind> = block.tables().into_iter().map(|(t, _)| t).collect();
    let mut records: BTreeMap<TableKind, Vec<Record>> =
        tables.iter().map(|t| (*t, Vec::new())).collect();
    let mut carried: Carried = BTreeMap::new();
    for row in header.row + 1..scan.sheet.height() {
        match end.row_kind(scan, row) {
            RowKind::End => break,
            RowKind::Header => continue,
            RowKind::Body => {}
        }
        carry_categories(scan, row, &header.columns, &mut carried);
        for &table in &tables {
            // Blank rows and rows holding only categories (an unfilled template row) are not
            // records; their categories still carry down.
            // A row whose template columns of its own hold something (指标解释, 评分标准) is a
            // record even with its name and target empty: an incomplete row, not a blank one.
            let own_extra = header.extras.iter().any(|&(c, side, _)| {
                side.is_none_or(|t| t == table) && !scan.sheet.get(row, c).is_empty()
            });
            let Some(cells) = record(scan, row, &header.columns, table, &carried, own_extra) else {
                continue;
            };
            let split = header
                .split
                .iter()
                .map(|&(c, role)| {
                    let raw = Raw {
                        cell: Some(scan.cell(row, c)),
                        value: scan.sheet.get(row, c).clone(),
                    };
                    (role, raw)
                })
                .collect();
            let extras = header
                .extras
                .iter()
                .filter(|(_, side, _)| side.is_none_or(|t| t == table))
                .map(|&(c, _, key)| {
                    let raw = Raw {
                        cell: Some(scan.cell(row, c)),
                        value: scan.sheet.get(row, c).clone(),
                    };
                    (key, raw)
                })
                .collect();
            let list = records.entry(table).or_default();
            if table == main {
                for ((c, _), x) in header.extra.iter().zip(&mut extra) {
                    let v = scan.sheet.get(row, *c);
                    if !v.is_empty() {
                        x.values.push((list.len(), scan.cell(row, *c), v.display()));
                    }
                }
            }
            list.push(Record {
                cells,
                split,
                extra: extras,
            });
        }
    }
    Some(Table {
        section_cell: header.section_cell,
        columns: header.columns,
        split: header.split.iter().map(|(_, r)| *r).collect(),
        records,
        extra,
    })
}

/// The words of a totals row (合计) that ends a table of the layout's own when its template
/// writes no label of its own there.
pub(crate) const TOTAL_WORDS: [&str; 5] = ["合计", "小计", "总计", "总合计", "合计金额"];

/// A table of the layout's own ([`Block::name`]): its header found as any table's, its records
/// read down to where it ends or to its totals row (a row whose first column holds 合计 or the
/// totals label of the layout), whose values are the totals' fields.
fn read_own_table(scan: &Scan, block: &Block) -> Option<(RawOwnTable, Vec<(ExtraKey, Raw)>)> {
    let name = block.name?;
    let header = Header::find(scan, block)?;
    let end = TableEnd::new(scan, block, &header);
    let layout = block.header_extras();
    let first_col = header.extras.iter().map(|(c, _, _)| *c).min()?;
    let totals_layout = block.totals.as_ref();
    let total_keys: Vec<String> = totals_layout
        .iter()
        .flat_map(|r| r.cells.iter().filter_map(LayoutCell::label))
        .map(label_key)
        .chain(TOTAL_WORDS.iter().map(|w| label_key(w)))
        .collect();
    let raw = |row: u32, col: u32| Raw {
        cell: Some(scan.cell(row, col)),
        value: scan.sheet.get(row, col).clone(),
    };
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for row in header.row + 1..scan.sheet.height() {
        match end.row_kind(scan, row) {
            RowKind::End => break,
            RowKind::Header => continue,
            RowKind::Body => {}
        }
        let first = label_key(&scan.sheet.get(row, first_col).display());
        if total_keys.contains(&first) {
            // Each totals value stands under the header of its layout column.
            for (i, cell) in totals_layout
                .iter()
                .flat_map(|r| r.cells.iter().enumerate())
            {
                let LayoutCell::Field(FieldPath::Extra(key)) = cell else {
                    continue;
                };
                let under = layout.iter().find(|(c, _, _)| *c == i as u32).map(|x| x.2);
                let col = under.and_then(|k| header.extras.iter().find(|x| x.2 == k));
                if let Some(&(col, _, _)) = col {
                    totals.push((*key, raw(row, col)));
                }
            }
            break;
        }
        let cells: Vec<(ExtraKey, Raw)> = header
            .extras
            .iter()
            .map(|&(col, _, key)| (key, raw(row, col)))
            .collect();
        if cells.iter().any(|(_, r)| !r.value.is_empty()) {
            rows.push(cells);
        }
    }
    Some((RawOwnTable { name, rows }, totals))
}

/// A column of a table's header row as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeaderColumn {
    /// Its sheet column.
    col: u32,
    /// The table it belongs to; `None` for a column the sides of a block share (一级指标).
    table: Option<TableKind>,
    column: Column,
}

/// A table's header row as found.
struct Header {
    row: u32,
    /// The template's columns found in it.
    columns: Vec<HeaderColumn>,
    /// Header cells the template does not know, right of the first record column.
    extra: Vec<(u32, String)>,
    /// The columns of a split target (计算符号, 计量单位, 指标值类型), by sheet column.
    split: Vec<(u32, SplitRole)>,
    /// The template's extra columns (指标解释), by sheet column, with the side they stand on
    /// (`None`: the table's only one, or shared).
    extras: Vec<(u32, Option<TableKind>, ExtraKey)>,
    /// The column of the section label, when it stands in the header row.
    section_col: Option<u32>,
    section_cell: CellRef,
    section_label: String,
}

/// A label cell of a header row: its sheet column, canonical label and the text as written.
struct HeaderLabel<'a> {
    col: u32,
    canonical: &'a str,
    found: &'a str,
}

impl Header {
    /// The first row with at least two of the block's column labels, and what each of its
    /// cells is. A label merged down from the row above (一级指标 over a tier row) is the
    /// header's too.
    fn find(scan: &Scan, block: &Block) -> Option<Header> {
        let labels: Vec<String> = block
            .header_columns()
            .into_iter()
            .map(|(_, label, _)| label)
            .fold(Vec::new(), |mut acc, l| {
                if !acc.contains(&l) {
                    acc.push(l);
                }
                acc
            });
        let extra_labels = block.header_extras();
        // A table of the layout's own is all extra columns: its header is found by them.
        let find_labels: Vec<String> = labels
            .iter()
            .cloned()
            .chain(extra_labels.iter().map(|(_, l, _)| l.clone()))
            .fold(Vec::new(), |mut acc, l| {
                if !acc.contains(&l) {
                    acc.push(l);
                }
                acc
            });
        let section_label = block.section.clone().unwrap_or_default();
        // Blocks stacked with the same header (长期绩效指标 above 年度绩效指标): each header is
        // the first at or below its own section label.
        let stacked = scan.template.table_blocks().any(|other| {
            !std::ptr::eq(other, block)
                && other
                    .header_columns()
                    .iter()
                    .filter(|(_, l, _)| labels.contains(l))
                    .count()
                    >= 2
        });
        let from = match (stacked, block.section.as_deref()) {
            (true, Some(section)) => scan.first(section).map_or(0, |h| h.row),
            _ => 0,
        };
        let row = scan.by_row.range(from..).map(|(r, _)| *r).find(|&row| {
            let hits = scan.row_hits(row);
            let n = find_labels
                .iter()
                .filter(|label| hits.iter().any(|h| &h.canonical == *label))
                .count();
            n >= 2.min(find_labels.len())
        })?;
        let split_columns = match block.table {
            Some(TableKind::Indicators) if block.sides.is_empty() => block.split.as_ref(),
            _ => None,
        };
        let split_role_of = |label: &str| split_columns.and_then(|s| s.role(label));
        let mut cells: Vec<HeaderLabel> = Vec::new();
        let mut others: Vec<(u32, String)> = Vec::new();
        let mut extra_cols: Vec<(u32, ExtraKey)> = Vec::new();
        let mut split: Vec<(u32, SplitRole)> = Vec::new();
        let mut section_col = None;
        for col in 0..scan.sheet.width() {
            let hit = scan
                .row_hits(row)
                .iter()
                .find(|h| h.col == col)
                .or_else(|| {
                    // A label merged down into the header row from above.
                    let m = scan.sheet.merge_at(row, col)?;
                    if m.first_row >= row || m.first_col != col {
                        return None;
                    }
                    scan.row_hits(m.first_row).iter().find(|h| h.col == col)
                });
            match hit {
                Some(h) if h.canonical == section_label => section_col = Some(col),
                Some(h) if labels.contains(&h.canonical) => cells.push(HeaderLabel {
                    col,
                    canonical: &h.canonical,
                    found: &h.found,
                }),
                Some(h) => {
                    let extra = extra_labels.iter().find(|(_, l, _)| *l == h.canonical);
                    if let Some(&(_, _, key)) = extra {
                        if !extra_cols.iter().any(|(_, k)| *k == key) {
                            extra_cols.push((col, key));
                        }
                    } else if let Some(role) = split_role_of(&h.canonical) {
                        // A label of this header that is no record column: a split column the
                        // layout draws (计量单位), read as one.
                        if !split.iter().any(|(_, r)| *r == role) {
                            split.push((col, role));
                        }
                    }
                    // A label of another part of the form is neither a column nor an extra one.
                }
                None => {
                    let value = scan.sheet.get(row, col);
                    if !value.is_empty() {
                        others.push((col, value.display().trim().to_string()));
                    }
                }
            }
        }
        let columns = if block.sides.is_empty() {
            one_table_columns(block, &cells)
        } else {
            side_columns(scan, block, row, &cells)
        };
        let mut extra: Vec<(u32, String)> = Vec::new();
        // A template's own column may also be a split one (指标值类型, kept and compared).
        for &(col, key) in &extra_cols {
            let label = extra_labels.iter().find(|(_, _, k)| *k == key);
            let role = label.and_then(|(_, l, _)| split_columns.and_then(|s| s.role(l)));
            if let Some(role) = role.filter(|r| !split.iter().any(|(_, x)| x == r)) {
                split.push((col, role));
            }
        }
        for (col, text) in others {
            match split_columns.and_then(|s| s.role(&text)) {
                Some(role) if !split.iter().any(|(_, r)| *r == role) => split.push((col, role)),
                _ => extra.push((col, text)),
            }
        }
        // The section label may sit in the header row or in a row above it (merged down).
        let first_data_col = columns.iter().map(|c| c.col).min().unwrap_or(0);
        let section_cell = match section_col {
            Some(c) => scan.cell(row, c),
            None => match scan
                .hits
                .iter()
                .rfind(|h| h.canonical == section_label && h.row <= row)
            {
                Some(h) => scan.cell(h.row, h.col),
                None => scan.cell(row, first_data_col),
            },
        };
        // Values in columns left of the table (the section column) are not records.
        extra.retain(|(c, _)| *c > first_data_col);
        // An extra column belongs to the side of the column left of it.
        let extras = extra_cols
            .into_iter()
            .map(|(col, key)| {
                let side = columns
                    .iter()
                    .filter(|h| h.col < col)
                    .max_by_key(|h| h.col)
                    .and_then(|h| h.table);
                (col, side, key)
            })
            .collect();
        Some(Header {
            row,
            columns,
            extra,
            split,
            extras,
            section_col,
            section_cell,
            section_label,
        })
    }

    fn first_data_col(&self) -> u32 {
        self.columns.iter().map(|c| c.col).min().unwrap_or(0)
    }
}

/// The columns of a header row of a block of one table: each label's column, the first of a
/// label written twice.
fn one_table_columns(block: &Block, cells: &[HeaderLabel]) -> Vec<HeaderColumn> {
    let layout = block.header_columns();
    let mut out: Vec<HeaderColumn> = Vec::new();
    for cell in cells {
        let Some((_, _, column)) = layout.iter().find(|(_, l, _)| l == cell.canonical) else {
            continue;
        };
        if !out.iter().any(|h| h.column == *column) {
            out.push(HeaderColumn {
                col: cell.col,
                table: block.table,
                column: *column,
            });
        }
    }
    out
}

/// The columns of a header row of a block of sides (docs/FORM.md §1.6): a label only the shared
/// columns have (一级指标) is shared; the others form runs, one per side, a run ending where a
/// label comes again or the side they name changes. A run names its side by a label's note
/// (`二级指标(长期)`) or by a tier label above it (`中期指标`); runs naming none take the sides
/// left, in layout order, from the right (a form showing one block shows the annual one).
fn side_columns(scan: &Scan, block: &Block, row: u32, cells: &[HeaderLabel]) -> Vec<HeaderColumn> {
    let layout = block.header_columns();
    let side_of = |i: u32| block.table_at(i);
    let shared: Vec<(&str, Column)> = layout
        .iter()
        .filter(|(i, l, _)| {
            side_of(*i).is_none()
                && !layout
                    .iter()
                    .any(|(j, m, _)| m == l && side_of(*j).is_some())
        })
        .map(|(_, l, c)| (l.as_str(), *c))
        .collect();
    struct Run<'c> {
        side: Option<usize>,
        cells: Vec<&'c HeaderLabel<'c>>,
    }
    let mut out: Vec<HeaderColumn> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    for cell in cells {
        if let Some((_, column)) = shared.iter().find(|(l, _)| *l == cell.canonical) {
            out.push(HeaderColumn {
                col: cell.col,
                table: None,
                column: *column,
            });
            continue;
        }
        let named = named_side(scan, block, row, cell);
        let new_run = match runs.last() {
            None => true,
            Some(run) => {
                run.cells.iter().any(|c| c.canonical == cell.canonical)
                    || matches!((run.side, named), (Some(a), Some(b)) if a != b)
            }
        };
        if new_run {
            runs.push(Run {
                side: None,
                cells: Vec::new(),
            });
        }
        let run = runs.last_mut().expect("pushed");
        run.side = run.side.or(named);
        run.cells.push(cell);
    }
    // Runs naming no side take the sides no run names, in order, from the right.
    let free: Vec<usize> = (0..block.sides.len())
        .filter(|s| !runs.iter().any(|r| r.side == Some(*s)))
        .collect();
    let unnamed = runs.iter().filter(|r| r.side.is_none()).count();
    let skip = free.len().saturating_sub(unnamed);
    let mut free = free.into_iter().skip(skip);
    for run in &mut runs {
        if run.side.is_none() {
            run.side = free.next();
        }
    }
    for run in &runs {
        let Some(side) = run.side.and_then(|s| block.sides.get(s)) else {
            continue;
        };
        let (a, b) = side.span();
        for cell in &run.cells {
            let column = layout
                .iter()
                .find(|(i, l, _)| (a..=b).contains(i) && l == cell.canonical)
                .map(|(_, _, c)| *c);
            if let Some(column) = column {
                let taken = out
                    .iter()
                    .any(|h| h.table == Some(side.table) && h.column == column);
                if !taken {
                    out.push(HeaderColumn {
                        col: cell.col,
                        table: Some(side.table),
                        column,
                    });
                }
            }
        }
    }
    out.sort_by_key(|h| h.col);
    out
}

/// The side of a block a header label names: by its note (`二级指标(长期)`), or by the tier
/// label above it (`中期指标` over its column, merged across the side or standing at its left).
fn named_side(scan: &Scan, block: &Block, row: u32, cell: &HeaderLabel) -> Option<usize> {
    let key = label_key(cell.found);
    if let Some((_, note)) = split_note(&key) {
        if let Some(s) = block.sides.iter().position(|s| s.is_marked_by(note)) {
            return Some(s);
        }
    }
    let above = row.checked_sub(1)?;
    let text = (0..=cell.col).rev().find_map(|c| {
        let (r, c) = match scan.sheet.merge_at(above, c) {
            Some(m) => (m.first_row, m.first_col),
            None => (above, c),
        };
        let v = scan.sheet.get(r, c);
        (!v.is_empty()).then(|| v.display())
    })?;
    block.sides.iter().position(|s| s.is_tier(&text))
}

/// What a row below a table's header is.
enum RowKind {
    /// The table ends before it.
    End,
    /// The header again (after a page break), its tier row, or the section label alone: not a
    /// record.
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
    /// The label keys of the block's tier rows (`中期指标 | 年度指标` above a project form's
    /// header), made once: every row of the table is asked. Empty for a block without sides.
    tier_keys: Vec<String>,
}

impl TableEnd {
    fn new(scan: &Scan, block: &Block, header: &Header) -> TableEnd {
        let template = scan.template;
        let labels = |b: &Block| -> Vec<String> {
            b.header_columns().into_iter().map(|(_, l, _)| l).collect()
        };
        TableEnd {
            other_sections: template
                .section_labels()
                .into_iter()
                .filter(|s| *s != header.section_label)
                .collect(),
            other_table_headers: template
                .table_blocks()
                .filter(|b| b.table != block.table)
                .flat_map(labels)
                .collect(),
            header_labels: labels(block),
            tier_keys: (block.sides.iter())
                .flat_map(|s| &s.tier)
                .map(|t| label_key(t))
                .filter(|k| !k.is_empty())
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
        let header_hits: HashSet<&str> = hits
            .iter()
            .filter(|h| self.header_labels.contains(&h.canonical))
            .map(|h| h.canonical.as_str())
            .collect();
        let tier = !self.tier_keys.is_empty()
            && scan.sheet.row_cells(row).any(|(_, v)| match v {
                CellValue::Text(t) => self.tier_keys.contains(&label_key(t)),
                _ => false,
            });
        if header_hits.len() >= 2 || tier {
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

/// The categories carried down a table, by the table of their column (`None`: shared by the
/// sides of a block) and column.
type Carried = BTreeMap<(Option<TableKind>, Column), Raw>;

/// The categories a row carries, on every row (an unfilled row still carries them): a value
/// written here starts a group; inside a merge the group goes on; a blank cell below inherits.
/// A new 一级指标 with its 二级 left blank has no 二级 yet: the previous group's is wrong.
fn carry_categories(scan: &Scan, row: u32, columns: &[HeaderColumn], carried: &mut Carried) {
    let mut level1_starts = false;
    for cat in CATEGORIES {
        for h in columns.iter().filter(|h| h.column == cat) {
            let key = (h.table, cat);
            let own = scan.sheet.get(row, h.col);
            let merge_top = scan
                .sheet
                .merge_at(row, h.col)
                .map(|m| (m.first_row, m.first_col));
            if !own.is_empty() {
                let raw = Raw {
                    cell: Some(scan.cell(row, h.col)),
                    value: own.clone(),
                };
                carried.insert(key, raw);
                level1_starts |= cat == Column::Level1;
            } else if let Some((r, c)) = merge_top {
                let top = scan.sheet.get(r, c);
                if !top.is_empty() {
                    let raw = Raw {
                        cell: Some(scan.cell(r, c)),
                        value: top.clone(),
                    };
                    carried.insert(key, raw);
                }
            } else if cat == Column::Level2 && level1_starts {
                carried.remove(&key);
            }
        }
    }
}

/// One record of `table`: each of its columns' value (the carried ones for the categories);
/// `None` when the row holds nothing of the table's besides categories.
fn record(
    scan: &Scan,
    row: u32,
    columns: &[HeaderColumn],
    table: TableKind,
    carried: &Carried,
    extra_content: bool,
) -> Option<BTreeMap<Column, Raw>> {
    let mut record = BTreeMap::new();
    let mut has_content = extra_content;
    for h in columns
        .iter()
        .filter(|h| h.table.is_none_or(|t| t == table))
    {
        let category = CATEGORIES.contains(&h.column);
        let raw = match carried.get(&(h.table, h.column)) {
            Some(c) if category => c.clone(),
            _ => {
                let v = scan.sheet.get(row, h.col);
                has_content |= !v.is_empty() && !category;
                Raw {
                    cell: Some(scan.cell(row, h.col)),
                    value: v.clone(),
                }
            }
        };
        record.insert(h.column, raw);
    }
    has_content.then_some(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, Workbook};

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::of_texts(rows)
    }

    /// The one form a workbook holds.
    #[track_caller]
    fn only(found: Result<Vec<RawForm>, NotAForm>) -> RawForm {
        let mut forms = found.expect("a form");
        assert_eq!(forms.len(), 1, "one form");
        forms.remove(0)
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
        let form = only(locate(&book(vec![sheet(FORM)]), &templates));
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
        let form = only(locate(
            &book(vec![notes, sheet(FORM)]),
            &Template::builtin(),
        ));
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
        let form = only(locate(&book(vec![s]), &Template::builtin()));
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
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
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
        let form = only(locate(&book(vec![s]), &Template::builtin()));
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
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
        assert_eq!(form.preamble, ["附件2", "（2024年度）"]);
        assert_eq!(form.title.cell.as_ref().unwrap().to_string(), "Sheet1!A3");
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let n = crate::normalize::normalize(&form, &gz, &Default::default());
        assert_eq!(n.declaration.year, Some(2024));
    }

    fn named(name: &str, rows: &[&[&str]]) -> Sheet {
        let mut s = sheet(rows);
        s.name = name.to_string();
        s
    }

    fn department(form: &RawForm) -> String {
        form.field(FieldPath::Department).value.display()
    }

    /// docs/FORM.md §1.4: every sheet that holds a form is a form, in sheet order, each with its
    /// sheet; the sheets around them (a cover, an instructions page) give nothing.
    #[test]
    fn several_forms_in_sheet_order() {
        let mut unit = FORM.to_vec();
        unit[0] = &["2025年度单位整体预算绩效目标申报表"];
        unit[1] = &["单位名称", "某所"];
        let cover = named(
            "封面",
            &[
                &["2025年度部门整体预算绩效目标申报材料"],
                &["报送部门（盖章）：某局"],
            ],
        );
        let notes = named(
            "填报说明",
            &[&["填报说明"], &["一、部门名称应与预算编报系统一致。"]],
        );
        let forms = locate(
            &book(vec![
                cover,
                named("部门整体", FORM),
                notes,
                named("单位1", &unit),
            ]),
            &Template::builtin(),
        )
        .unwrap();
        let got: Vec<(Option<&str>, String)> = forms
            .iter()
            .map(|f| (f.sheet.as_deref(), department(f)))
            .collect();
        assert_eq!(
            got,
            [
                (Some("部门整体"), "某局".to_string()),
                (Some("单位1"), "某所".to_string())
            ]
        );
        assert_eq!(
            forms[1].title.value.display(),
            "2025年度单位整体预算绩效目标申报表"
        );
        assert!(forms.iter().all(|f| f.notes.is_empty() && !f.hidden));
    }

    /// A sheet that holds part of a form (here its budget block and indicator table, without
    /// 部门名称 and 总体绩效目标) is a form with its missing sections, never dropped.
    #[test]
    fn part_of_a_form_is_a_form_with_what_it_lacks() {
        let part: Vec<&[&str]> = FORM[2..8].iter().chain(&FORM[12..17]).copied().collect();
        let form = only(locate(&book(vec![sheet(&part)]), &Template::builtin()));
        let missing: Vec<&str> = form
            .missing_sections
            .iter()
            .map(|m| m.label.as_str())
            .collect();
        assert_eq!(missing, ["部门名称", "总体绩效目标"]);
        assert_eq!(form.indicators.len(), 4);
    }

    /// An instructions table lists the labels one per row, with what to write beside each; a
    /// reference list of indicators has their header but no target column. Neither shows the
    /// form's layout, so neither is a form, though each names many of its labels.
    #[test]
    fn a_list_of_labels_is_not_a_form() {
        let glossary = named(
            "填报说明",
            &[
                &["填报说明"],
                &["序号", "栏目", "填报要求"],
                &[
                    "1",
                    "部门名称",
                    "填写部门全称，与预算编报系统中的部门名称一致。",
                ],
                &[
                    "2",
                    "基本支出",
                    "填写部门预算中的基本支出金额，单位为万元。",
                ],
                &["3", "项目支出", "填写部门预算中的项目支出金额。"],
                &["4", "财政拨款", "填写财政拨款合计。"],
                &["5", "总体绩效目标", "概括描述部门年度主要工作及预期效果。"],
                &["6", "年度重点工作任务", "按项目支出的主要方向填列。"],
                &["7", "一级指标", "包括产出指标、效益指标和满意度指标。"],
                &["8", "三级指标", "应可衡量、可考核。"],
                &["9", "实施周期指标值", "填写实施周期内应达到的指标值。"],
                &["10", "年度指标值", "填写本年度应达到的指标值。"],
            ],
        );
        let library = named(
            "指标库",
            &[
                &["部门整体绩效指标参考库"],
                &["一级指标", "二级指标", "三级指标", "参考指标值", "说明"],
                &["产出指标", "数量指标", "新增学位数", "≥XX个", "按计划填写"],
                &["满意度指标", "服务对象满意度指标", "家长满意度", "≥XX%"],
            ],
        );
        let templates = Template::builtin();
        for alone in [&glossary, &library] {
            let err = locate(&book(vec![alone.clone()]), &templates).unwrap_err();
            assert_eq!(err.closest, "gz-dept-overall", "{}", alone.name);
        }
        let forms = locate(
            &book(vec![glossary, named("申报表", FORM), library]),
            &templates,
        );
        let form = only(forms);
        assert_eq!(form.sheet.as_deref(), Some("申报表"));
        // Neither list shows a layout row of the form: nothing to note about them.
        assert!(form.notes.is_empty(), "{:?}", form.notes);
    }

    /// A sheet showing one layout row (an indicator table on its own) is too little to read as
    /// a form, and is said on the first form.
    #[test]
    fn a_sheet_with_one_layout_row_is_noted() {
        let table: Vec<&[&str]> = FORM[12..17].to_vec();
        let form = only(locate(
            &book(vec![named("申报表", FORM), named("指标", &table)]),
            &Template::builtin(),
        ));
        assert_eq!(
            form.notes,
            [SheetNote::Partial {
                sheet: "指标".into(),
                labels: [
                    "绩效指标",
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "实施周期指标值",
                    "年度指标值"
                ]
                .map(String::from)
                .to_vec()
            }]
        );
    }

    /// A hidden sheet is not what the officer sees: a form there is noted, not read, when a
    /// visible sheet holds one; read (and marked hidden) when none does.
    #[test]
    fn hidden_sheets() {
        let mut old = named("2024年度（旧）", FORM);
        old.hidden = true;
        let mut new_rows = FORM.to_vec();
        new_rows[1] = &["部门名称", "新局"];
        let templates = Template::builtin();
        let form = only(locate(
            &book(vec![old.clone(), named("2025", &new_rows)]),
            &templates,
        ));
        assert_eq!(department(&form), "新局");
        assert!(!form.hidden);
        assert_eq!(
            form.notes,
            [SheetNote::HiddenForm {
                sheet: "2024年度（旧）".into()
            }]
        );
        let cover = named("封面", &[&["申报材料"]]);
        let form = only(locate(&book(vec![cover, old]), &templates));
        assert_eq!(department(&form), "某局");
        assert!(form.hidden);
        assert!(form.notes.is_empty());
    }

    /// docs/FORM.md §1.3: a stamp line `填报单位（盖章）：` left blank above the real 部门名称 row is
    /// not the department's label, even with `单位：万元` at its far right; and it is not
    /// reported as a label variant, since it was not read as a label.
    #[test]
    fn the_label_with_a_value_wins() {
        let mut rows: Vec<&[&str]> = vec![
            &["附件1"],
            &["部门整体预算绩效目标申报表"],
            &["填报单位（盖章）：", "", "", "", "单位：万元"],
        ];
        rows.extend_from_slice(&FORM[1..]);
        rows[3] = &["部门(单位)名称", "某档案馆"];
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
        assert_eq!(department(&form), "某档案馆");
        assert_eq!(
            form.field(FieldPath::Department).cell.unwrap().to_string(),
            "Sheet1!B4"
        );
        let variants: Vec<&str> = form
            .label_variants
            .iter()
            .map(|v| v.found.as_str())
            .collect();
        assert_eq!(variants, ["部门(单位)名称"]);
        // A stamp line that is filled in is the label when no other carries a value.
        let mut rows: Vec<&[&str]> = vec![&["填报单位（盖章）：", "某馆"]];
        rows.extend_from_slice(&FORM[2..]);
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
        assert_eq!(department(&form), "某馆");
    }

    /// The budget system's split columns (docs/FORM.md §1.5) are known from the template: the sign
    /// and unit cells go with each indicator, the kind column is read as nothing, and
    /// explanation columns stay extra.
    #[test]
    fn split_columns_in_the_indicator_header() {
        let mut rows: Vec<&[&str]> = FORM[..12].to_vec();
        rows.extend_from_slice(&[
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标名称",
                "指标值类型",
                "计算符号",
                "年度指标值",
                "计量单位",
                "指标解释",
            ],
            &[
                "",
                "产出指标",
                "数量指标",
                "线路",
                "定量",
                "≥",
                "12",
                "条",
                "新辟线路",
            ],
            &["", "", "质量指标", "准点率", "定量", "≥", "98%", "", ""],
            &[
                "",
                "效益指标",
                "社会效益指标",
                "运行",
                "定性",
                "",
                "稳定运行",
                "",
                "",
            ],
        ]);
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
        assert_eq!(form.indicators.len(), 3);
        let first = &form.indicators[0];
        assert_eq!(first.period, None);
        assert_eq!(first.annual.as_ref().unwrap().value.display(), "12");
        let sign = first.sign.as_ref().unwrap();
        assert_eq!(sign.value.display(), "≥");
        assert_eq!(sign.cell.as_ref().unwrap().to_string(), "Sheet1!F14");
        assert_eq!(first.unit.as_ref().unwrap().value.display(), "条");
        assert_eq!(
            form.indicators[1].unit.as_ref().unwrap().value,
            CellValue::Empty
        );
        let extra: Vec<&str> = form
            .extra_columns
            .iter()
            .map(|x| x.header.as_str())
            .collect();
        assert_eq!(extra, ["指标解释"]);
        // Without split columns, an indicator has none.
        let plain = only(locate(&book(vec![sheet(FORM)]), &Template::builtin()));
        assert!(plain
            .indicators
            .iter()
            .all(|i| i.sign.is_none() && i.unit.is_none()));
    }

    /// A project form (docs/FORM.md §1.6) as the Ministry lays it out.
    const PROJECT: &[&[&str]] = &[
        &["项目支出绩效目标申报表"],
        &["（2024年度）"],
        &["项目名称", "某项目"],
        &["主管部门及代码", "某局", "", "", "实施单位", "某中心"],
        &["项目属性", "延续项目", "", "", "项目期", "2024年-2026年"],
        &[
            "项目资金（万元）",
            "中期资金总额",
            "300",
            "",
            "年度资金总额",
            "100",
        ],
        &["", "其中：财政拨款", "270", "", "其中：财政拨款", "90"],
        &["", "其他资金", "30", "", "其他资金", "10"],
        &["总体目标", "中期目标", "", "", "年度目标"],
        &["", "三年目标", "", "", "本年目标"],
        &[
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "二级指标",
            "三级指标",
            "指标值",
        ],
        &[
            "",
            "产出指标",
            "数量指标",
            "甲",
            "≥3个",
            "数量指标",
            "乙",
            "≥1个",
        ],
        &["", "", "", "", "", "质量指标", "丙", "达标"],
        &["", "效益指标", "社会效益指标", "丁", "好", "", "", ""],
    ];

    fn project(rows: &[&[&str]]) -> RawForm {
        only(locate(&book(vec![sheet(rows)]), &Template::builtin()))
    }

    fn names(rows: &[RawIndicator]) -> Vec<String> {
        rows.iter().map(|i| i.name.value.display()).collect()
    }

    /// The Ministry's layout: a label twice in the funds block is each column's, a goal is the
    /// value below its label, and the indicator blocks stand side by side, sharing 一级指标.
    #[test]
    fn a_project_form_is_read_by_its_layout() {
        let form = project(PROJECT);
        assert_eq!(form.template, "mof-project");
        let at = |p: &str| {
            let raw = form.field(p.parse().unwrap());
            (raw.cell.unwrap().to_string(), raw.value.display())
        };
        let cell = |a1: &str, v: &str| (format!("Sheet1!{a1}"), v.to_string());
        assert_eq!(at("project.department"), cell("B4", "某局"));
        assert_eq!(at("funds.period_appropriation"), cell("C7", "270"));
        assert_eq!(at("funds.annual_appropriation"), cell("F7", "90"));
        assert_eq!(at("funds.period_other"), cell("C8", "30"));
        assert_eq!(at("funds.annual_other"), cell("F8", "10"));
        assert_eq!(at("goals.period"), cell("B10", "三年目标"));
        assert_eq!(at("goals.annual"), cell("E10", "本年目标"));
        assert_eq!(names(&form.period_indicators), ["甲", "丁"]);
        assert_eq!(names(&form.indicators), ["乙", "丙"]);
        let d = &form.period_indicators[1];
        assert_eq!(d.level1.value.display(), "效益指标");
        assert_eq!(
            d.period
                .as_ref()
                .unwrap()
                .cell
                .as_ref()
                .unwrap()
                .to_string(),
            "Sheet1!E14"
        );
        assert!(d.annual.is_none());
        // 丙 carries its block's 一级指标 from row 12, its own 二级指标.
        let c = &form.indicators[1];
        assert_eq!(c.level1.value.display(), "产出指标");
        assert_eq!(c.level2.value.display(), "质量指标");
        assert!(
            form.missing_sections.is_empty(),
            "{:?}",
            form.missing_sections
        );
        assert!(form.label_variants.is_empty(), "{:?}", form.label_variants);
    }

    /// Which block a header column is in: a note on its label, a tier row above the header,
    /// or, with neither, the layout's order; a header of one block only is the annual one.
    #[test]
    fn the_blocks_of_a_project_form_are_told_apart() {
        // Notes, the annual block first.
        let mut rows = PROJECT.to_vec();
        rows[10] = &[
            "绩效指标",
            "一级指标",
            "二级指标(年度)",
            "三级指标(年度)",
            "指标值(年度)",
            "二级指标(中期)",
            "三级指标(中期)",
            "指标值(中期)",
        ];
        let form = project(&rows);
        assert_eq!(names(&form.indicators), ["甲", "丁"]);
        assert_eq!(names(&form.period_indicators), ["乙", "丙"]);
        // A tier row above the header names the blocks.
        let mut rows = PROJECT.to_vec();
        rows.insert(10, &["", "", "年度指标", "", "", "中期指标"]);
        let form = project(&rows);
        assert_eq!(names(&form.indicators), ["甲", "丁"]);
        assert_eq!(names(&form.period_indicators), ["乙", "丙"]);
        // One block, no mark: the annual one.
        let rows: Vec<&[&str]> = PROJECT[..10]
            .iter()
            .copied()
            .chain([
                &["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"][..],
                &["", "产出指标", "数量指标", "甲", "≥3个"],
            ])
            .collect();
        let form = project(&rows);
        assert_eq!(names(&form.indicators), ["甲"]);
        assert!(form.period_indicators.is_empty());
    }

    /// A one-year project whose form lacks the mid-term column: 其中：财政拨款 and 其他资金 are
    /// the annual column's, told by the 年度资金总额 above them.
    #[test]
    fn a_label_twice_is_told_apart_by_the_label_above_it() {
        let mut rows = PROJECT.to_vec();
        rows[5] = &["项目资金（万元）", "", "", "", "年度资金总额", "100"];
        rows[6] = &["", "", "", "", "其中：财政拨款", "90"];
        rows[7] = &["", "", "", "", "其他资金", "10"];
        let form = project(&rows);
        let value = |p: &str| form.field(p.parse().unwrap()).value.display();
        assert_eq!(value("funds.annual_appropriation"), "90");
        assert_eq!(value("funds.annual_other"), "10");
        assert_eq!(value("funds.period_appropriation"), "");
        assert_eq!(value("funds.period_total"), "");
    }

    #[test]
    fn label_and_value_in_one_cell() {
        let mut rows: Vec<&[&str]> = FORM.to_vec();
        rows[1] = &["部门名称：某某局"];
        let form = only(locate(&book(vec![sheet(&rows)]), &Template::builtin()));
        assert_eq!(form.field(FieldPath::Department).value.display(), "某某局");
        assert_eq!(
            form.field(FieldPath::Department).cell.unwrap().to_string(),
            "Sheet1!A2"
        );
    }

    /// A sheet holding `forms`, each `(rows, first row, first column)`; `某局` in a form's rows
    /// reads as the department given with it.
    fn sheet_of(forms: &[(&[&[&str]], u32, u32, &str)]) -> Sheet {
        let mut s = Sheet::new("Sheet1");
        for &(rows, r0, c0, department) in forms {
            for (r, cells) in rows.iter().enumerate() {
                for (c, v) in cells.iter().enumerate() {
                    let v = if *v == "某局" { department } else { v };
                    if !v.is_empty() {
                        s.set(r0 + r as u32, c0 + c as u32, CellValue::Text(v.to_string()));
                    }
                }
            }
        }
        s
    }

    /// Each field and indicator cell of a form, as `Sheet1!A1` text, to say where it was read.
    fn cells_of(form: &RawForm) -> Vec<String> {
        let fields = form.fields.values().filter_map(|r| r.cell.clone());
        let rows = form
            .indicators
            .iter()
            .flat_map(|i| [i.name.cell.clone(), i.annual.clone().and_then(|a| a.cell)])
            .flatten();
        fields.chain(rows).map(|c| c.to_string()).collect()
    }

    /// Regression (a new user's trial): a second form below the first on the same sheet was
    /// dropped in silence. Each is now a form of its own, its cells at their own rows.
    #[test]
    fn two_forms_stacked_on_one_sheet_are_two_forms() {
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (FORM, 20, 0, "乙局")]);
        let forms = locate(&book(vec![s]), &Template::builtin()).unwrap();
        assert_eq!(forms.len(), 2);
        assert_eq!(department(&forms[0]), "甲局");
        assert_eq!(department(&forms[1]), "乙局");
        assert_eq!(forms[0].range.as_deref(), Some("A1:F18"));
        assert_eq!(forms[1].range.as_deref(), Some("A21:F38"));
        assert_eq!(forms[0].sheet.as_deref(), Some("Sheet1"));
        assert_eq!(forms[1].sheet.as_deref(), Some("Sheet1"));
        assert_eq!(
            forms[1]
                .field(FieldPath::Department)
                .cell
                .unwrap()
                .to_string(),
            "Sheet1!B22"
        );
        assert_eq!(forms[1].indicators.len(), 4);
        assert!(cells_of(&forms[0]).iter().all(|c| row_of(c) <= 18));
        assert!(cells_of(&forms[1]).iter().all(|c| row_of(c) >= 21));
        assert!(forms.iter().all(|f| f.notes.is_empty()), "{forms:?}");
    }

    fn row_of(cell: &str) -> u32 {
        let a1 = cell.rsplit('!').next().unwrap();
        a1.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap()
    }

    fn col_of(cell: &str) -> String {
        let a1 = cell.rsplit('!').next().unwrap();
        a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect()
    }

    /// Regression: with a second form to the right (H–M), the first form's indicator section was
    /// placed at Sheet1!H15, a cell of the second form. Each form now reads only its own columns.
    #[test]
    fn two_forms_side_by_side_keep_to_their_columns() {
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (FORM, 0, 7, "乙局")]);
        let forms = locate(&book(vec![s]), &Template::builtin()).unwrap();
        assert_eq!(forms.len(), 2);
        assert_eq!(department(&forms[0]), "甲局");
        assert_eq!(department(&forms[1]), "乙局");
        assert_eq!(forms[0].range.as_deref(), Some("A1:F18"));
        assert_eq!(forms[1].range.as_deref(), Some("H1:M18"));
        let section = |f: &RawForm| f.sections[&Section::Indicators].to_string();
        assert_eq!(section(&forms[0]), "Sheet1!A13");
        assert_eq!(section(&forms[1]), "Sheet1!H13");
        assert!(cells_of(&forms[0])
            .iter()
            .all(|c| col_of(c).as_str() <= "F"));
        assert!(cells_of(&forms[1])
            .iter()
            .all(|c| ("H".."N").contains(&col_of(c).as_str())));
        assert_eq!(forms[1].indicators.len(), 4);
    }

    /// A project form beside a department form: each is read with its own variant.
    #[test]
    fn a_project_form_beside_a_department_form_is_a_project_form() {
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (PROJECT, 0, 8, "甲局")]);
        let forms = locate(&book(vec![s]), &Template::builtin()).unwrap();
        let ids: Vec<&str> = forms.iter().map(|f| f.template.as_str()).collect();
        assert_eq!(ids, ["gz-dept-overall", "mof-project"]);
        assert_eq!(forms[1].range.as_deref(), Some("I1:P14"));
        let name = forms[1].field("project.name".parse().unwrap());
        assert_eq!(name.cell.unwrap().to_string(), "Sheet1!J3");
        assert_eq!(names(&forms[1].indicators), ["乙", "丙"]);
        assert_eq!(department(&forms[0]), "甲局");
    }

    /// The title mentioned again under the form (a footer line) starts no second form.
    #[test]
    fn a_title_in_a_footer_is_no_second_form() {
        let footer: &[&[&str]] = &[&["部门整体预算绩效目标申报表"], &["填报日期：2024年1月"]];
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (footer, 20, 0, "")]);
        let form = only(locate(&book(vec![s]), &Template::builtin()));
        assert_eq!(department(&form), "甲局");
        assert_eq!(form.range, None);
        assert!(form.notes.is_empty(), "{:?}", form.notes);
        assert_eq!(form.indicators.len(), 4);
    }

    /// Forms that stand neither one below the other nor side by side: the first is read without
    /// the other's cells, and says where the other starts.
    #[test]
    fn forms_askew_read_the_first_and_say_where_the_second_starts() {
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (FORM, 25, 8, "乙局")]);
        let form = only(locate(&book(vec![s]), &Template::builtin()));
        assert_eq!(department(&form), "甲局");
        assert_eq!(form.range, None);
        assert_eq!(
            form.notes,
            [SheetNote::SecondForm {
                sheet: "Sheet1".into(),
                cell: CellRef::new("Sheet1", 25, 8),
            }]
        );
        assert!(cells_of(&form).iter().all(|c| row_of(c) <= 25));
    }

    /// A second head with too little of a form under it (a title, 部门名称 and one row of the
    /// budget block: one layout row, as a sheet of its own would be noted) is a form not read:
    /// said, never silent.
    #[test]
    fn a_second_form_too_short_to_read_is_said() {
        let s = sheet_of(&[(FORM, 0, 0, "甲局"), (&FORM[..3], 20, 0, "乙局")]);
        let form = only(locate(&book(vec![s]), &Template::builtin()));
        assert_eq!(department(&form), "甲局");
        assert_eq!(
            form.notes,
            [SheetNote::SecondForm {
                sheet: "Sheet1".into(),
                cell: CellRef::new("Sheet1", 20, 0),
            }]
        );
        assert!(cells_of(&form).iter().all(|c| row_of(c) <= 20));
    }

    #[test]
    fn a_crop_keeps_addresses_and_cuts_merges() {
        let mut s = sheet(&[&["a", "b", "c"], &["d", "e", "f"]]);
        s.set_merges(vec![
            Span {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: 2,
            },
            Span {
                first_row: 1,
                first_col: 2,
                last_row: 1,
                last_col: 2,
            },
        ]);
        let part = s.crop(Span {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 1,
        });
        assert_eq!(part.get(1, 1), &CellValue::Text("e".into()));
        assert_eq!(part.get(1, 2), &CellValue::Empty);
        assert_eq!(part.merges.len(), 1);
        assert_eq!(part.merges[0].last_col, 1);
        let right = s.crop(Span {
            first_row: 0,
            first_col: 2,
            last_row: 1,
            last_col: 2,
        });
        assert_eq!(right.get(0, 0), &CellValue::Empty);
        assert_eq!(right.get(1, 2), &CellValue::Text("f".into()));
        assert_eq!(
            right.used_span(Span {
                first_row: 0,
                first_col: 0,
                last_row: 9,
                last_col: 9
            }),
            Some(Span {
                first_row: 0,
                first_col: 2,
                last_row: 1,
                last_col: 2
            })
        );
    }
}
