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
//! Which labels exist and which value belongs to which label comes from the template data
//! ([`Template::field_labels`], [`Template::table_columns`], [`Template::layout_rows`], the
//! split columns). Each sheet is read with the variant whose labels it shows best, and is a
//! form when the labels stand in the form's layout ([`locate`]): an instructions sheet that
//! mentions them in sentences or lists them one per row is never taken for a form.

use std::collections::{BTreeMap, HashSet};

use crate::model::{CellRef, Column, FieldPath, Section, TableKind};
use crate::read::{CellValue, Sheet, Workbook};
use crate::template::{LabelIndex, SplitRole, Template};
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
    /// The 计算符号 cell of a target written in split columns (docs/FORM.md §1.5); `None` when the
    /// table has no sign column.
    pub sign: Option<Raw>,
    /// The 计量单位 cell of a split target; `None` when the table has no unit column.
    pub unit: Option<Raw>,
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
    /// Whether the form's sheet is hidden (read because no visible sheet holds a form).
    pub hidden: bool,
    /// Sheets of the workbook that hold something of a form but were not read: said on the
    /// workbook's first form.
    pub notes: Vec<SheetNote>,
}

impl RawForm {
    pub fn field(&self, path: FieldPath) -> Raw {
        self.fields.get(&path).cloned().unwrap_or_else(Raw::missing)
    }
}

/// A required part of the form (docs/CHECKS.md `section-missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingSection {
    /// Its canonical label.
    pub label: &'static str,
    /// The field of its values, and of a finding about it.
    pub field: FieldPath,
}

/// The form could not be found in the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAForm {
    pub file: String,
    /// The id of the closest template variant.
    pub closest: String,
    /// Its name, for messages.
    pub closest_name: String,
    /// The main labels of that variant the workbook lacks.
    pub missing: Vec<String>,
}

/// The labels whose absence is a `section-missing` error (docs/CHECKS.md).
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
            let found = self.by_row.keys().find_map(|&row| {
                let mut here: Vec<&str> = Vec::new();
                for h in self.row_hits(row) {
                    if layout_row.contains(&h.canonical) && !here.contains(&h.canonical.as_str()) {
                        here.push(&h.canonical);
                    }
                }
                (here.len() >= 2).then_some(here)
            });
            if let Some(here) = found {
                add(&mut shape, here);
            }
        }
        for kind in [TableKind::Tasks, TableKind::Indicators] {
            let Some(header) = Header::find(self, kind) else {
                continue;
            };
            let has = |c: &Column| header.columns.iter().any(|(_, n)| n == c);
            if kind.key_columns().iter().all(has) {
                let labels = self
                    .row_hits(header.row)
                    .iter()
                    .filter(|h| {
                        header.columns.iter().any(|(col, _)| *col == h.col)
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
}

/// Find every form in a workbook (docs/FORM.md §1.4), in sheet order: each sheet is scanned with
/// the variant whose labels it shows best, and is a form when it shows two rows of the form's
/// layout: a row of the budget block with two of its labels side by side, the task header with
/// 名称, the indicator header with 三级指标 and its target column ([`TableKind::key_columns`]).
///
/// Hidden sheets: an officer who opens the workbook does not see them (departments hide last
/// year's copy and fill a new one), so a hidden sheet is not read when a visible sheet holds a
/// form; the first form then carries a [`SheetNote::HiddenForm`] for it. When only hidden
/// sheets hold a form, they are read (rather than the file being "no form"), each marked
/// [`RawForm::hidden`]. A visible sheet that shows one layout row is noted
/// ([`SheetNote::Partial`]). When no sheet is a form, the closest variant says what the
/// workbook lacks.
pub fn locate(workbook: &Workbook, templates: &[Template]) -> Result<Vec<RawForm>, NotAForm> {
    let sheets: Vec<SheetScan> = workbook
        .sheets
        .iter()
        .filter_map(|sheet| {
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
                // The first of equals: templates come in order of preference.
                .reduce(|best, next| {
                    let key = |s: &SheetScan| (s.is_form(), s.score);
                    if key(&next) > key(&best) {
                        next
                    } else {
                        best
                    }
                })
        })
        .collect();
    let visible = sheets.iter().any(|s| s.is_form() && !s.scan.sheet.hidden);
    let mut notes = Vec::new();
    let mut forms = Vec::new();
    for s in &sheets {
        let sheet = &s.scan.sheet;
        if s.is_form() && !(sheet.hidden && visible) {
            let sheet_name = match workbook.format {
                crate::read::Format::Csv => None,
                _ => Some(sheet.name.clone()),
            };
            forms.push(extract(&s.scan, &workbook.file, sheet_name));
        } else if s.is_form() {
            notes.push(SheetNote::HiddenForm {
                sheet: sheet.name.clone(),
            });
        } else if s.shape.rows > 0 && !sheet.hidden {
            notes.push(SheetNote::Partial {
                sheet: sheet.name.clone(),
                labels: s.shape.labels.clone(),
            });
        }
    }
    if let Some(first) = forms.first_mut() {
        first.notes = notes;
        return Ok(forms);
    }
    let closest = sheets
        .iter()
        .reduce(|best, next| if next.score > best.score { next } else { best });
    let Some(closest) = closest else {
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
    let mut missing = closest.missing.clone();
    // Name the sections first: they say most about what the file lacks.
    missing.sort_by_key(|l| !REQUIRED.iter().any(|r| r.label == l));
    missing.truncate(8);
    Err(NotAForm {
        file: workbook.file.clone(),
        closest: closest.scan.template.id.clone(),
        closest_name: closest.scan.template.name.clone(),
        missing,
    })
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
        hidden: scan.sheet.hidden,
        notes: Vec::new(),
    };
    if let Some(hit) = scan.first("预算整体情况") {
        form.sections
            .insert(Section::Budget, scan.cell(hit.row, hit.col));
    }
    if let Some(t) = read_table(scan, TableKind::Tasks) {
        form.sections.insert(Section::Tasks, t.section_cell.clone());
        form.tasks = t.rows.iter().map(|r| task(&r.cells)).collect();
        form.extra_columns.extend(t.extra);
    }
    if let Some(t) = read_table(scan, TableKind::Indicators) {
        form.sections
            .insert(Section::Indicators, t.section_cell.clone());
        // A form without the 实施周期指标值 column has no period targets, whatever its variant.
        let has_period = t.columns.contains(&Column::Period);
        let has = |role| t.split.contains(&role);
        let (sign, unit) = (has(SplitRole::Sign), has(SplitRole::Unit));
        form.indicators = t
            .rows
            .iter()
            .map(|r| indicator(r, has_period, sign, unit))
            .collect();
        form.extra_columns.extend(t.extra);
    }
    form.missing_sections = missing_sections(&form);
    form
}

/// How much a label cell's value says that it is the field's label: a value in the cell right
/// after the label (or after its merge) beats one further right, which beats none.
fn value_rank(scan: &Scan, hit: &Hit, value: &Raw) -> u8 {
    let Some(cell) = value.cell.as_ref().filter(|_| !value.value.is_empty()) else {
        return 0;
    };
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

/// The label cell of each field of the layout, with the value right of it. When several cells
/// could be a field's label (docs/FORM.md §1.3), the one that carries a value wins, the value next
/// to it first: a stamp line `填报单位（盖章）：` left blank above the real `部门名称` row (or with
/// `单位：万元` far to its right) is not the department's label. Among equals, the first.
fn field_hits<'s>(scan: &'s Scan) -> Vec<(FieldPath, &'s Hit, Raw)> {
    let mut out = Vec::new();
    for fl in scan.template.field_labels() {
        let Some(field) = fl.field else {
            continue;
        };
        let best = scan
            .hits
            .iter()
            .filter(|h| h.canonical == fl.label)
            .map(|h| (h, scan.value_right_of(h)))
            .reduce(|best, next| {
                if value_rank(scan, next.0, &next.1) > value_rank(scan, best.0, &best.1) {
                    next
                } else {
                    best
                }
            });
        if let Some((hit, raw)) = best {
            out.push((field, hit, raw));
        }
    }
    out
}

/// Scalar fields: the value right of each label of the layout ([`field_hits`]), or written with
/// its label in one cell (`部门名称：某局`) where that gives more.
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

fn task(r: &BTreeMap<Column, Raw>) -> RawTask {
    RawTask {
        name: r.get(&Column::Name).cloned(),
        content: r.get(&Column::Content).cloned(),
        funds: r.get(&Column::Funds).cloned(),
        outcome: r.get(&Column::Outcome).cloned(),
    }
}

fn indicator(r: &Record, has_period: bool, sign: bool, unit: bool) -> RawIndicator {
    let get = |c| r.cells.get(&c).cloned().unwrap_or_else(Raw::missing);
    let split =
        |role, has: bool| has.then(|| r.split.get(&role).cloned().unwrap_or_else(Raw::missing));
    RawIndicator {
        level1: get(Column::Level1),
        level2: get(Column::Level2),
        name: get(Column::Name),
        period: has_period.then(|| get(Column::Period)),
        annual: get(Column::Annual),
        sign: split(SplitRole::Sign, sign),
        unit: split(SplitRole::Unit, unit),
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

/// Every label written other than canonically that was read as a label: the output writes the
/// canonical one. A cell that could have been a field's label but lost to another
/// ([`field_hits`]) was not read as one.
fn label_variants(scan: &Scan) -> Vec<LabelVariant> {
    let fields: HashSet<String> = scan
        .template
        .field_labels()
        .into_iter()
        .filter(|f| f.field.is_some())
        .map(|f| f.label)
        .collect();
    let chosen: HashSet<(u32, u32)> = field_hits(scan)
        .iter()
        .map(|(_, h, _)| (h.row, h.col))
        .collect();
    scan.hits
        .iter()
        .filter(|hit| !fields.contains(&hit.canonical) || chosen.contains(&(hit.row, hit.col)))
        .filter(|hit| hit.found.trim() != hit.canonical)
        .map(|hit| LabelVariant {
            cell: scan.cell(hit.row, hit.col),
            found: hit.found.trim().to_string(),
            canonical: hit.canonical.clone(),
        })
        .collect()
}

/// A table as found: one record per row.
struct Table {
    section_cell: CellRef,
    /// The record columns found in the header row.
    columns: Vec<Column>,
    /// The split-target columns found in it (docs/FORM.md §1.5).
    split: Vec<SplitRole>,
    rows: Vec<Record>,
    extra: Vec<ExtraColumn>,
}

/// One record row of a table: each column's value (the carried ones for the categories), and
/// the cells of a split target.
struct Record {
    cells: BTreeMap<Column, Raw>,
    split: BTreeMap<SplitRole, Raw>,
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
        let Some(cells) = record(scan, row, &header.columns, &carried) else {
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
        for ((c, _), x) in header.extra.iter().zip(&mut extra) {
            let v = scan.sheet.get(row, *c);
            if !v.is_empty() {
                x.values.push((rows.len(), scan.cell(row, *c), v.display()));
            }
        }
        rows.push(Record { cells, split });
    }
    Some(Table {
        section_cell: header.section_cell,
        columns: header.columns.iter().map(|(_, n)| *n).collect(),
        split: header.split.iter().map(|(_, r)| *r).collect(),
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
    /// The columns of a split target (计算符号, 计量单位, 指标值类型), by sheet column.
    split: Vec<(u32, SplitRole)>,
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
        let mut split: Vec<(u32, SplitRole)> = Vec::new();
        let split_columns = match kind {
            TableKind::Indicators => scan.template.split_columns(),
            TableKind::Tasks => None,
        };
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
                None => {
                    let text = value.display().trim().to_string();
                    match split_columns.and_then(|s| s.role(&text)) {
                        Some(role) if !split.iter().any(|(_, r)| *r == role) => {
                            split.push((col, role))
                        }
                        _ => extra.push((col, text)),
                    }
                }
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
            split,
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
        let missing: Vec<&str> = form.missing_sections.iter().map(|m| m.label).collect();
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
        assert_eq!(first.annual.value.display(), "12");
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
}
