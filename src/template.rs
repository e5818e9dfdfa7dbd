//! The template variants, as data (`templates/*.toml`, embedded in the binary; `--template FILE`
//! loads another). A template is its kind of record (a department form, or a project form),
//! its canonical layout and the label variants seen in real files; the reader derives from the
//! layout which value sits beside (or below) which label and which columns make each table (two
//! tables may stand side by side: [`Block::sides`]), the writer draws the layout. A new variant
//! with other labels, columns or blocks is a new file (read by the command that is given it,
//! `--template FILE`, and parsed here).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use crate::model::TableKind;
use crate::model::{Column, ExtraKey, ExtraKind, FieldPath, RecordKind, Section};
use crate::text::label_key;

/// The variants built into the binary, in order of preference when scores tie.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "gz-dept-overall",
        include_str!("../templates/gz-dept-overall.toml"),
    ),
    (
        "zj-dept-overall",
        include_str!("../templates/zj-dept-overall.toml"),
    ),
    ("mof-project", include_str!("../templates/mof-project.toml")),
    ("fj-dept", include_str!("../templates/fj-dept.toml")),
    ("hn-dept", include_str!("../templates/hn-dept.toml")),
    ("hb-project", include_str!("../templates/hb-project.toml")),
    ("hn-project", include_str!("../templates/hn-project.toml")),
    ("gs-project", include_str!("../templates/gs-project.toml")),
];

/// One cell of a layout row, as the template writes it: `""`, a label, `{budget.basic}` (a
/// field of the record) or `{funds}` (a column of a table record). A `{…}` that names neither is
/// an error when the template is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutCell {
    Empty,
    Label(String),
    Field(FieldPath),
    Column(Column),
}

impl LayoutCell {
    /// The label text, for a label cell.
    pub fn label(&self) -> Option<&str> {
        match self {
            LayoutCell::Label(s) => Some(s),
            _ => None,
        }
    }

    /// The label, for a label cell, as the layout holds it.
    fn label_ref(&self) -> Option<&String> {
        match self {
            LayoutCell::Label(s) => Some(s),
            _ => None,
        }
    }

    pub fn field(&self) -> Option<FieldPath> {
        match self {
            LayoutCell::Field(p) => Some(*p),
            _ => None,
        }
    }
}

/// The text the template file writes: the inverse of [`Deserialize`], so that a template
/// sent to a worker process (`crate::worker`) reads back the same.
impl Serialize for LayoutCell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LayoutCell::Empty => s.serialize_str(""),
            LayoutCell::Label(text) => s.serialize_str(text),
            LayoutCell::Field(p) => s.collect_str(&format_args!("{{{p}}}")),
            LayoutCell::Column(c) => s.collect_str(&format_args!("{{{c}}}")),
        }
    }
}

impl<'de> Deserialize<'de> for LayoutCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LayoutCell, D::Error> {
        let text = String::deserialize(d)?;
        let Some(name) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else {
            return Ok(if text.is_empty() {
                LayoutCell::Empty
            } else {
                LayoutCell::Label(text)
            });
        };
        FieldPath::scalar(name)
            .map(LayoutCell::Field)
            .or_else(|| Column::parse(name).map(LayoutCell::Column))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown placeholder {text:?}")))
    }
}

/// One row of a layout block.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LayoutRow {
    /// Cells from column A.
    pub cells: Vec<LayoutCell>,
    /// Column spans merged in this row, such as `"E:F"`.
    #[serde(default)]
    pub merge: Vec<String>,
}

/// What a block of the layout holds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The title row.
    Title,
    /// Rows of labels with values beside them.
    Fields,
    /// A header row then one row per record (tasks, indicators).
    Table,
}

/// A block of the canonical layout.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// For tables: which one.
    pub table: Option<TableKind>,
    /// For a table of the layout's own (a cost table), in place of `table`: its name in the
    /// record (`tables.costs`). Its columns are `{extra.…}` cells.
    pub name: Option<ExtraKey>,
    /// For a table of the layout's own: the row of its totals (合计) under its records, whose
    /// `{extra.…}` cells are fields of the record, and whose labels (合计) tell it from a record.
    pub totals: Option<LayoutRow>,
    /// A section label written in column A, merged down the rows of the block.
    pub section: Option<String>,
    #[serde(default)]
    pub rows: Vec<LayoutRow>,
    pub header: Option<LayoutRow>,
    pub row: Option<LayoutRow>,
    /// Empty record rows the blank template gets.
    #[serde(default)]
    pub blank_rows: u32,
    /// For the indicator table: the header labels of the columns a split target adds beside
    /// the value column (docs/FORM.md §1.5).
    pub split: Option<SplitColumns>,
    /// Whether the section label stands on a row of its own above the block, merged across
    /// the layout (绩效指标 over a table whose header starts in column A), rather than in
    /// column A merged down beside it.
    #[serde(default)]
    pub section_row: bool,
    /// Tables that stand side by side in this block, each in its columns (a project form's
    /// mid-term and annual indicator blocks, docs/FORM.md §1.6). A column of the row outside every
    /// side (一级指标) is shared by them. Empty for a block of one table.
    #[serde(default)]
    pub sides: Vec<Side>,
}

/// One of the tables that stand side by side in a table block: which table, the columns of
/// the layout it takes, and how a filled form says which side a header column is on when its
/// columns are not where the layout puts them: a suffix of the header label (`二级指标(长期)`)
/// naming one of `marks`, or a tier row above the header with one of the `tier` labels over it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Side {
    pub table: TableKind,
    /// The span of layout columns, such as `"C:E"`.
    pub columns: String,
    /// Words a header label of this side may carry in parentheses: `长期`, `年度`.
    #[serde(default)]
    pub marks: Vec<String>,
    /// Labels of a tier row above the header that put columns on this side: `中期指标`.
    #[serde(default)]
    pub tier: Vec<String>,
}

impl Side {
    /// The zero-based first and last layout column.
    pub fn span(&self) -> (u32, u32) {
        parse_span(&self.columns).unwrap_or((0, 0))
    }

    /// Whether a parenthesized note of a header label (`长期`) names this side.
    pub fn is_marked_by(&self, note: &str) -> bool {
        let key = label_key(note);
        !key.is_empty() && self.marks.iter().any(|m| label_key(m) == key)
    }

    /// Whether a cell of a tier row names this side.
    pub fn is_tier(&self, text: &str) -> bool {
        let key = label_key(text);
        !key.is_empty() && self.tier.iter().any(|t| label_key(t) == key)
    }
}

/// The columns of a target written in three cells, 计算符号 | 指标值 | 计量单位 (docs/FORM.md §1.5),
/// by their header labels. They are read into the target of the value column beside them; the
/// writer never draws them (the canonical layout has one cell per target).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SplitColumns {
    /// Labels of the sign column (计算符号).
    #[serde(default)]
    pub sign: Vec<String>,
    /// Labels of the unit column (计量单位).
    #[serde(default)]
    pub unit: Vec<String>,
    /// Labels of the column saying the kind of value (指标值类型: 定量/定性), which adds nothing
    /// the value does not show: it is recognized, so that it is no `column-extra`, and not read.
    #[serde(default)]
    pub kind: Vec<String>,
}

/// What a column of a split target holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SplitRole {
    Sign,
    Unit,
    Kind,
}

impl SplitColumns {
    /// The role of a header cell, comparing labels as every label is compared ([`label_key`]).
    pub fn role(&self, header: &str) -> Option<SplitRole> {
        let key = label_key(header);
        let is = |labels: &[String]| labels.iter().any(|l| label_key(l) == key);
        if key.is_empty() {
            None
        } else if is(&self.sign) {
            Some(SplitRole::Sign)
        } else if is(&self.unit) {
            Some(SplitRole::Unit)
        } else if is(&self.kind) {
            Some(SplitRole::Kind)
        } else {
            None
        }
    }
}

impl Block {
    /// The tables of a table block, each with its span of layout columns (`None`: the whole
    /// row); nothing for another block.
    pub fn tables(&self) -> Vec<(TableKind, Option<(u32, u32)>)> {
        if self.sides.is_empty() {
            self.table.map(|t| (t, None)).into_iter().collect()
        } else {
            self.sides
                .iter()
                .map(|s| (s.table, Some(s.span())))
                .collect()
        }
    }

    /// Which table a layout column of this block belongs to: the one table of a plain block; in
    /// a block of sides, the side spanning it, or `None` for a column the sides share.
    pub fn table_at(&self, col: u32) -> Option<TableKind> {
        if self.sides.is_empty() {
            return self.table;
        }
        self.sides
            .iter()
            .find(|s| {
                let (a, b) = s.span();
                (a..=b).contains(&col)
            })
            .map(|s| s.table)
    }

    /// Each labelled column of a table block's layout with what its record row holds there:
    /// (layout column, header label, the row's cell).
    fn header_cells(&self) -> impl Iterator<Item = (u32, &String, &LayoutCell)> {
        let header = self.header.iter().flat_map(|r| &r.cells);
        let row = self.row.iter().flat_map(|r| &r.cells);
        header
            .zip(row)
            .enumerate()
            .filter_map(|(i, (h, r))| Some((i as u32, h.label_ref()?, r)))
    }

    /// The template's extra columns of a table block as the layout writes them: (layout column,
    /// header label, extra field), for a `{extra.name}` in the record row.
    pub fn header_extras(&self) -> Vec<(u32, String, ExtraKey)> {
        self.header_cells()
            .filter_map(|(i, h, r)| match r {
                LayoutCell::Field(FieldPath::Extra(k)) => Some((i, h.clone(), *k)),
                _ => None,
            })
            .collect()
    }

    /// The labelled columns of a table block as the layout writes them: (layout column, header
    /// label, record column); nothing for another block.
    pub fn header_columns(&self) -> Vec<(u32, String, Column)> {
        self.header_cells()
            .filter_map(|(i, h, r)| match r {
                LayoutCell::Column(c) => Some((i, h.clone(), *c)),
                _ => None,
            })
            .collect()
    }

    /// The section a section label of the block stands for: the table's, or that of the
    /// block's first field (`budget.basic` → `budget`).
    pub fn section_kind(&self) -> Option<Section> {
        if let Some(kind) = self.table {
            return Some(kind.section());
        }
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .find_map(|c| c.field()?.section())
    }

    /// Fields stand outside tables, a table's columns in its record row, labels in its header.
    fn validate_cells(&self) -> Result<(), String> {
        let bad = |cell: &LayoutCell, place: &str| Err(format!("{cell:?} cannot stand in {place}"));
        for r in &self.rows {
            for cell in &r.cells {
                if let LayoutCell::Column(_) = cell {
                    return bad(cell, "a fields block");
                }
            }
        }
        for cell in self.header.iter().flat_map(|r| &r.cells) {
            if let LayoutCell::Field(_) | LayoutCell::Column(_) = cell {
                return bad(cell, "a table header");
            }
        }
        for (i, cell) in self.row.iter().flat_map(|r| r.cells.iter().enumerate()) {
            // A shared column (outside every side) must be a column of each side's table.
            let fits = |c: &Column| match self.table_at(i as u32) {
                Some(kind) => kind.columns().contains(c),
                None => {
                    !self.sides.is_empty()
                        && self.sides.iter().all(|s| s.table.columns().contains(c))
                }
            };
            match cell {
                LayoutCell::Column(c) if self.table.is_some() && fits(c) => {}
                // A template's own column of the table (指标解释), on one side or shared.
                LayoutCell::Field(FieldPath::Extra(_))
                    if self.table.is_some() || self.name.is_some() => {}
                LayoutCell::Column(_) | LayoutCell::Field(_) => {
                    return bad(cell, "this table's row")
                }
                _ => {}
            }
        }
        if !self.sides.is_empty() {
            if self.kind != BlockKind::Table {
                return Err("sides belong to a table block".into());
            }
            let mut spans: Vec<(u32, u32)> = Vec::new();
            for s in &self.sides {
                let (a, b) =
                    parse_span(&s.columns).ok_or_else(|| format!("bad side {:?}", s.columns))?;
                if spans.iter().any(|&(x, y)| a <= y && x <= b) {
                    return Err(format!("side {:?} overlaps another", s.columns));
                }
                spans.push((a, b));
            }
            if !self.sides.iter().any(|s| Some(s.table) == self.table) {
                return Err(format!("no side is the block's table {:?}", self.table));
            }
            if self.split.is_some() {
                return Err("split columns belong to a table of one side".into());
            }
        }
        Ok(())
    }
}

/// One side of a sum the template declares: a field of the record (`budget.basic`,
/// `extra.total`), or a column of a table added over its rows (`tasks.funds`,
/// `tasks.extra.amount`). Written as that text in the template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumTerm {
    Field(FieldPath),
    Column(TableKind, Column),
    Extra(TableKind, ExtraKey),
    /// A column of a table of the layout's own (`costs.amount`).
    Own(ExtraKey, ExtraKey),
}

impl SumTerm {
    /// The term a text writes; `None` for a text that names none.
    pub fn parse(text: &str) -> Option<SumTerm> {
        if let Some(path) = FieldPath::scalar(text) {
            return Some(SumTerm::Field(path));
        }
        let (table, rest) = text.split_once('.')?;
        let Some(table) = TableKind::parse(table) else {
            return Some(SumTerm::Own(ExtraKey::new(table)?, ExtraKey::new(rest)?));
        };
        match rest.strip_prefix("extra.") {
            Some(name) => ExtraKey::new(name).map(|k| SumTerm::Extra(table, k)),
            None => Column::parse(rest)
                .filter(|c| table.columns().contains(c))
                .map(|c| SumTerm::Column(table, c)),
        }
    }
}

impl std::fmt::Display for SumTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SumTerm::Field(p) => write!(f, "{p}"),
            SumTerm::Column(t, c) => write!(f, "{t}.{c}"),
            SumTerm::Extra(t, k) => write!(f, "{t}.extra.{k}"),
            SumTerm::Own(t, k) => write!(f, "{t}.{k}"),
        }
    }
}

impl Serialize for SumTerm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SumTerm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SumTerm, D::Error> {
        let text = String::deserialize(d)?;
        SumTerm::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is no field or column to sum"))
        })
    }
}

/// A sum the layout states (`[[sums]]`): `total` equals the sum of `parts` (`sum-mismatch`
/// when it does not).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sum {
    pub total: SumTerm,
    pub parts: Vec<SumTerm>,
}

/// A layout's own names of the framework's categories: each its 一级 (`level1`) or 二级
/// (`level2`) name as the form prints it, and the framework's name it stands for. Compared by
/// their keys; read as an alias (`level-alias`, corrected).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Categories {
    #[serde(default)]
    pub level1: BTreeMap<String, String>,
    #[serde(default)]
    pub level2: BTreeMap<String, String>,
}

impl Categories {
    /// The framework's name a layout's 一级 (`level2 = false`) or 二级 name stands for.
    pub fn get(&self, level2: bool, text: &str) -> Option<&str> {
        let map = if level2 { &self.level2 } else { &self.level1 };
        let key = label_key(text);
        map.iter()
            .find(|(k, _)| !key.is_empty() && label_key(k) == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A part of the layout that tells a form from a list that mentions its labels
/// ([`Template::layout_rows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutShape {
    /// Two or more labels side by side in one row (a row of the budget block).
    Row(Vec<String>),
    /// Labels one per row down one column, each with its value beside it (a head of one field
    /// per row).
    Ladder(Vec<String>),
}

impl LayoutShape {
    /// Its labels, in layout order.
    pub fn labels(&self) -> &[String] {
        match self {
            LayoutShape::Row(l) | LayoutShape::Ladder(l) => l,
        }
    }
}

/// A template variant. Serde writes and reads it as its TOML file does (a worker process
/// receives the run's templates this way).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    /// What kind of record the variant's forms give (`kind = "project"`); a department form
    /// when the file does not say.
    #[serde(default)]
    pub kind: RecordKind,
    pub name: String,
    /// The canonical title, written by the writer.
    pub title: String,
    pub title_patterns: Vec<String>,
    /// Column widths of the written form.
    pub widths: Vec<f64>,
    /// Labels required to pick this variant besides those of the layout.
    #[serde(default)]
    pub signature: Vec<String>,
    /// The labels of the parts a form cannot lack (`section-missing` when not found): a field
    /// label, or the section label of a block.
    #[serde(default)]
    pub required: Vec<String>,
    pub blocks: Vec<Block>,
    /// Canonical label → variants seen in real files.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The fields the layout has beyond the record's own, each with what it holds: the names a
    /// `{extra.name}` may use, in a fields block (a field of the record) or a table's row (a
    /// column of its records).
    #[serde(default)]
    pub extra: BTreeMap<ExtraKey, ExtraKind>,
    /// The layout's own names of the framework's categories (`[categories]`): a 一级 or 二级
    /// name as the layout prints it → the framework's name (`"成效指标" = "效益指标"`).
    #[serde(default)]
    pub categories: Categories,
    /// The sums the layout states, checked as `sum-mismatch`. A template that declares any
    /// states all of its sums: the built-in ones of its kind are not checked on its forms.
    #[serde(default)]
    pub sums: Vec<Sum>,
    /// The label index, built on first use: a batch scans thousands of sheets per template.
    #[serde(skip)]
    index: OnceLock<LabelIndex>,
    /// The field labels ([`Template::field_labels`]), derived once: each finding's message asks
    /// for a label.
    #[serde(skip)]
    fields: OnceLock<Vec<FieldLabel>>,
    /// The label keys of `title_patterns`, derived once: every short text of every sheet is
    /// asked whether it is a title ([`Template::matches_title_key`]).
    #[serde(skip)]
    title_keys: OnceLock<Vec<String>>,
    /// [`Template::layout_rows`], derived once.
    #[serde(skip)]
    layout_rows: OnceLock<Vec<LayoutShape>>,
}

/// Label keys → canonical labels: labels compare by [`label_key`], first the canonical labels,
/// then their variants. Built once per template ([`Template::label_index`]).
#[derive(Debug, Clone)]
pub struct LabelIndex {
    map: HashMap<String, String>,
}

impl LabelIndex {
    /// The canonical label `text` stands for. A label followed by a note in parentheses (a
    /// year range, a unit, which block a column is in: `中期目标（2024年—2026年）`,
    /// `二级指标(长期)`) is that label when the whole text is no label.
    pub fn get(&self, text: &str) -> Option<&str> {
        self.get_key(&label_key(text))
    }

    /// [`LabelIndex::get`] of a text whose [`label_key`] is `key`.
    pub fn get_key(&self, key: &str) -> Option<&str> {
        if let Some(l) = self.map.get(key) {
            return Some(l);
        }
        let (label, _) = split_note(key)?;
        self.map.get(label).map(String::as_str)
    }
}

/// A label key with a trailing parenthesized note, as (label, note): `二级指标(长期)` →
/// (`二级指标`, `长期`). `None` without one, or when nothing stands before it.
pub fn split_note(key: &str) -> Option<(&str, &str)> {
    let inner = key.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (label, note) = (&inner[..open], &inner[open + 1..]);
    (!label.is_empty()).then_some((label, note))
}

/// Why a template file could not be used.
#[derive(Debug)]
pub struct TemplateError {
    pub file: String,
    pub detail: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::messages::template::BAD.render(
            crate::messages::Lang::Zh,
            &[("file", &self.file), ("detail", &self.detail)],
        ))
    }
}

impl std::error::Error for TemplateError {}

/// A label of the layout with the value it introduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLabel {
    /// The canonical label text.
    pub label: String,
    /// The field of the value cell to its right (`budget.basic`), or below it, if any.
    pub field: Option<FieldPath>,
    /// Whether the value stands below the label (the goals of a project form), not right of it.
    pub below: bool,
    /// For a label the layout writes more than once (其中：财政拨款 in both columns of a
    /// project's funds), the label above it in its column that the layout writes once
    /// (中期资金总额 or 年度资金总额): what tells the occurrences apart on a filled form.
    pub anchor: Option<String>,
    /// The section label of the block the label is in.
    pub section: Option<String>,
}

impl Template {
    /// Parse a template from TOML text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Template, TemplateError> {
        let t: Template = toml::from_str(text).map_err(|e| TemplateError {
            file: file.to_string(),
            detail: e.to_string(),
        })?;
        t.validate().map_err(|detail| TemplateError {
            file: file.to_string(),
            detail,
        })?;
        Ok(t)
    }

    /// The built-in variants.
    pub fn builtin() -> Vec<Template> {
        BUILTIN
            .iter()
            .map(|(id, text)| Template::parse(id, text).expect("built-in templates are valid"))
            .collect()
    }

    /// The name of the variant `id` among `templates`; the id itself for a variant they do not
    /// know (whose name cannot be told).
    pub fn name_of<'a>(templates: &'a [Template], id: &'a str) -> &'a str {
        templates
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.name.as_str())
    }

    /// What tells a variant's name apart from the others' (`区级，六列` of
    /// `部门整体预算绩效目标申报表（区级，六列）`): what its last brackets say, or the whole name
    /// when it has none. The long common beginning of the names would hide it in a column of
    /// the page's list or on a line of the terminal.
    pub fn short_name(name: &str) -> &str {
        let trimmed = name.trim().trim_end_matches(['）', ')']);
        match trimmed.rfind(['（', '(']) {
            Some(i) => trimmed[i..].trim_start_matches(['（', '(']).trim(),
            None => name,
        }
    }

    /// The variant a record of `kind` names, for drawing it: one of `templates` (a run's
    /// candidates), or the first of its kind there (then among the built-in ones) when the
    /// record names a variant the run does not know.
    pub fn for_record<'a>(
        templates: &'a [Template],
        id: &str,
        kind: RecordKind,
    ) -> Cow<'a, Template> {
        let of_kind = |t: &&Template| t.kind == kind;
        match templates
            .iter()
            .find(|t| t.id == id && t.kind == kind)
            .or_else(|| templates.iter().find(of_kind))
        {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(
                Template::builtin()
                    .into_iter()
                    .find(|t| t.kind == kind)
                    .expect("a built-in template of every kind"),
            ),
        }
    }

    /// A built-in variant by id.
    pub fn builtin_by_id(id: &str) -> Option<Template> {
        Template::builtin().into_iter().find(|t| t.id == id)
    }

    /// Number of columns of the canonical layout.
    pub fn width(&self) -> u32 {
        self.widths.len() as u32
    }

    fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("id is empty".into());
        }
        if self.widths.is_empty() {
            return Err("widths is empty".into());
        }
        // What every layout of its kind has; the other parts (a budget block, a task table,
        // a 主管部门) are the layout's to have or not, and a check of a part it lacks does not
        // fire (`Template::has_part`).
        let (tables, fields): (&[TableKind], &[FieldPath]) = match self.kind {
            RecordKind::Department => (
                &[TableKind::Indicators],
                &[FieldPath::Department, FieldPath::OverallGoal],
            ),
            RecordKind::Project => (
                &[TableKind::Indicators],
                &[
                    FieldPath::Project(crate::model::ProjectField::Name),
                    FieldPath::Goals(crate::model::GoalField::Annual),
                ],
            ),
        };
        let allowed = |t: &TableKind| match self.kind {
            RecordKind::Department => matches!(t, TableKind::Tasks | TableKind::Indicators),
            RecordKind::Project => matches!(t, TableKind::Indicators | TableKind::PeriodIndicators),
        };
        for table in TableKind::ALL {
            let n = self
                .blocks
                .iter()
                .flat_map(|b| b.tables())
                .filter(|(t, _)| *t == table)
                .count();
            let needed = tables.contains(&table);
            if n > 1 || (needed && n == 0) || (n > 0 && !allowed(&table)) {
                return Err(format!("a {} template has {n} {table} table(s)", self.kind));
            }
        }
        for b in &self.blocks {
            let rows = b.rows.iter().chain(b.header.iter()).chain(b.row.iter());
            for r in rows {
                if r.cells.len() > self.widths.len() {
                    return Err(format!("a row has more cells than widths: {:?}", r.cells));
                }
                for m in &r.merge {
                    parse_span(m).ok_or_else(|| format!("bad merge {m:?}"))?;
                }
            }
            if b.kind == BlockKind::Table && (b.header.is_none() || b.row.is_none()) {
                return Err("a table block needs header and row".into());
            }

            if b.split.is_some() && b.table != Some(TableKind::Indicators) {
                return Err("split columns belong to the indicators table".into());
            }
            b.validate_cells()?;
        }
        for field in fields {
            if !self.field_labels().iter().any(|f| f.field == Some(*field)) {
                return Err(format!("the layout has no {{{field}}}"));
            }
        }
        for label in &self.required {
            let key = label_key(label);
            if !self
                .required_parts()
                .iter()
                .any(|(l, _)| label_key(l) == key)
            {
                return Err(format!("required {label:?} is no field or section label"));
            }
        }
        for b in &self.blocks {
            if b.kind == BlockKind::Table && b.name.is_some() == b.table.is_some() {
                return Err("a table block names its table (`table`) or its own (`name`)".into());
            }
            if b.totals.is_some() && b.name.is_none() {
                return Err("totals belong to a table of the layout's own (`name`)".into());
            }
        }
        // The record's fields are those of its kind.
        for cell in self
            .blocks
            .iter()
            .flat_map(|b| &b.rows)
            .flat_map(|r| &r.cells)
        {
            let Some(field) = cell.field() else { continue };
            let of_kind = match field {
                FieldPath::Project(_) | FieldPath::Funds(_) | FieldPath::Goals(_) => {
                    self.kind == RecordKind::Project
                }
                FieldPath::Department
                | FieldPath::OverallGoal
                | FieldPath::OtherTasks
                | FieldPath::BasicInfo(_)
                | FieldPath::Budget(_) => self.kind == RecordKind::Department,
                _ => true,
            };
            if !of_kind {
                return Err(format!("{{{field}}} is no field of a {} form", self.kind));
            }
        }
        let mut used: Vec<ExtraKey> = Vec::new();
        for cell in self
            .blocks
            .iter()
            .flat_map(|b| b.rows.iter().chain(b.row.iter()).chain(b.totals.iter()))
            .flat_map(|r| &r.cells)
        {
            if let LayoutCell::Field(FieldPath::Extra(k)) = cell {
                if !self.extra.contains_key(k) {
                    return Err(format!("{{extra.{k}}} is not declared under [extra]"));
                }
                if used.contains(k) {
                    return Err(format!("{{extra.{k}}} stands twice in the layout"));
                }
                used.push(*k);
            }
        }
        if let Some(k) = self.extra.keys().find(|k| !used.contains(k)) {
            return Err(format!(
                "[extra] declares {k}, which the layout does not place"
            ));
        }
        for (level2, map) in [
            (false, &self.categories.level1),
            (true, &self.categories.level2),
        ] {
            for name in map.values() {
                let known = if level2 {
                    crate::category::level2(name)
                } else {
                    crate::category::level1(name)
                };
                if known.is_none_or(|c| c.name != name) {
                    return Err(format!(
                        "[categories] names {name:?}, which is no category of the framework"
                    ));
                }
            }
        }
        for sum in &self.sums {
            if sum.parts.is_empty() {
                return Err(format!("the sum of {} has no parts", sum.total));
            }
            for term in std::iter::once(&sum.total).chain(&sum.parts) {
                let placed = match *term {
                    SumTerm::Field(p) => self.has_field(p),
                    SumTerm::Column(t, c) => self.table_columns(t).iter().any(|(_, x)| *x == c),
                    SumTerm::Extra(t, k) => self
                        .table(t)
                        .is_some_and(|b| b.header_extras().iter().any(|(_, _, x)| *x == k)),
                    SumTerm::Own(t, k) => self
                        .own_table(t)
                        .is_some_and(|b| b.header_extras().iter().any(|(_, _, x)| *x == k)),
                };
                let money = match *term {
                    SumTerm::Field(FieldPath::Budget(_) | FieldPath::Funds(_)) => true,
                    SumTerm::Field(FieldPath::Extra(k))
                    | SumTerm::Extra(_, k)
                    | SumTerm::Own(_, k) => self.extra_kind(k) == ExtraKind::Money,
                    SumTerm::Column(_, c) => c == Column::Funds,
                    SumTerm::Field(_) => false,
                };
                if !placed {
                    return Err(format!(
                        "the sum names {term}, which the layout does not place"
                    ));
                }
                if !money {
                    return Err(format!("the sum names {term}, which is no amount"));
                }
            }
        }
        Ok(())
    }

    /// The block of a table of the layout's own, by its name.
    pub fn own_table(&self, name: ExtraKey) -> Option<&Block> {
        self.blocks.iter().find(|b| b.name == Some(name))
    }

    /// The extra fields of the record (not of a table's rows): those of the field blocks and
    /// of the totals rows of the layout's own tables, in layout order.
    pub fn record_extras(&self) -> Vec<ExtraKey> {
        let mut out: Vec<ExtraKey> = self
            .field_labels()
            .iter()
            .filter_map(|f| match f.field {
                Some(FieldPath::Extra(k)) => Some(k),
                _ => None,
            })
            .collect();
        for b in &self.blocks {
            for cell in b.totals.iter().flat_map(|r| &r.cells) {
                if let LayoutCell::Field(FieldPath::Extra(k)) = cell {
                    out.push(*k);
                }
            }
        }
        out
    }

    /// What a declared extra field holds; a text for a name the template does not declare.
    pub fn extra_kind(&self, key: ExtraKey) -> ExtraKind {
        self.extra.get(&key).copied().unwrap_or_default()
    }

    /// Whether the layout has a part, so that a check of that part may fire: a table, a
    /// section's fields, or a field. A layout without a task table has no `tasks-empty`; one
    /// without 主管部门, no `department-empty`.
    pub fn has_part(&self, path: FieldPath) -> bool {
        use crate::model::ProjectField;
        match path {
            // What every layout has: a title, a year, its labels, an indicator table, and a
            // department form's overall goal.
            FieldPath::Title | FieldPath::Year | FieldPath::Labels | FieldPath::OverallGoal => true,
            FieldPath::Section(Section::Indicators)
            | FieldPath::Row(TableKind::Indicators, _)
            | FieldPath::Column(TableKind::Indicators, _, _) => true,
            // The code is read from the 主管部门's cell.
            FieldPath::Project(ProjectField::DepartmentCode) => {
                self.has_field(FieldPath::Project(ProjectField::Department))
            }
            FieldPath::Section(section) => self.blocks.iter().any(|b| {
                b.tables().iter().any(|(t, _)| t.section() == section)
                    || b.rows
                        .iter()
                        .flat_map(|r| &r.cells)
                        .filter_map(LayoutCell::field)
                        .any(|f| f.section() == Some(section))
            }),
            FieldPath::Row(kind, _) | FieldPath::Column(kind, _, _) => self.table(kind).is_some(),
            other => self.has_field(other),
        }
    }

    /// Whether a table of the layout has a column (its own, or one its sides share), without
    /// listing the columns: the normalizer and the checker ask it of every row.
    pub fn has_column(&self, kind: TableKind, column: Column) -> bool {
        self.table(kind).is_some_and(|b| {
            b.header_cells().any(|(i, _, cell)| {
                *cell == LayoutCell::Column(column) && b.table_at(i).is_none_or(|t| t == kind)
            })
        })
    }

    /// The block holding a table, if the layout has it.
    pub fn table(&self, kind: TableKind) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| b.tables().iter().any(|(t, _)| *t == kind))
    }

    /// The table blocks of the layout, in layout order.
    pub fn table_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.kind == BlockKind::Table)
    }

    /// The split-target columns the indicator table may have (docs/FORM.md §1.5), if the template
    /// names any.
    pub fn split_columns(&self) -> Option<&SplitColumns> {
        self.table(TableKind::Indicators)?.split.as_ref()
    }

    /// The columns of a table: (header label, record column), in layout order. In a block of
    /// sides, the columns of the table's side and those the sides share (一级指标).
    pub fn table_columns(&self, kind: TableKind) -> Vec<(String, Column)> {
        let Some(block) = self.table(kind) else {
            return Vec::new();
        };
        block
            .header_columns()
            .into_iter()
            .filter(|(i, _, _)| block.table_at(*i).is_none_or(|t| t == kind))
            .map(|(_, label, column)| (label, column))
            .collect()
    }

    /// The parts a form of this variant cannot lack ([`Template::required`]), each label with
    /// the field its values are found at (a section for a section label).
    pub fn required_parts(&self) -> Vec<(String, FieldPath)> {
        let fields = self.field_labels();
        self.required
            .iter()
            .filter_map(|label| {
                // Compared by key (docs/FORM.md §1.3), named as the layout writes it.
                let key = label_key(label);
                let section = self.blocks.iter().find_map(|b| {
                    let s = b.section.as_ref().filter(|s| label_key(s) == key)?;
                    Some((s.clone(), FieldPath::Section(b.section_kind()?)))
                });
                let field = fields.iter().find_map(|f| {
                    (label_key(&f.label) == key).then(|| Some((f.label.clone(), f.field?)))?
                });
                section.or(field)
            })
            .collect()
    }

    /// Whether the layout has a cell for a field (`{year}`).
    pub fn has_field(&self, path: FieldPath) -> bool {
        self.blocks
            .iter()
            .flat_map(|b| b.rows.iter().chain(b.totals.iter()))
            .flat_map(|r| &r.cells)
            .any(|c| c.field() == Some(path))
    }

    /// Every label of the layout with the field it introduces, in layout order. A `{field}`
    /// belongs to the label cell left of it; a `{field}` with no label left of it, to the label
    /// above it (the goals of a project form, written under 中期目标 and 年度目标).
    pub fn field_labels(&self) -> &[FieldLabel] {
        self.fields.get_or_init(|| self.derive_field_labels())
    }

    fn derive_field_labels(&self) -> Vec<FieldLabel> {
        let fields_blocks = || self.blocks.iter().filter(|b| b.kind == BlockKind::Fields);
        let times = |label: &str| {
            fields_blocks()
                .flat_map(|b| &b.rows)
                .flat_map(|r| &r.cells)
                .filter(|c| c.label() == Some(label))
                .count()
        };
        let mut out = Vec::new();
        for b in fields_blocks() {
            for (k, r) in b.rows.iter().enumerate() {
                for (i, cell) in r.cells.iter().enumerate() {
                    let Some(label) = cell.label() else {
                        continue;
                    };
                    let right = r.cells.get(i + 1).and_then(LayoutCell::field);
                    let below = b.rows.get(k + 1).and_then(|next| {
                        let field = next.cells.get(i)?.field()?;
                        let left_is_label = i > 0 && next.cells[i - 1].label().is_some();
                        (!left_is_label).then_some(field)
                    });
                    let anchor = (times(label) > 1)
                        .then(|| {
                            b.rows[..k]
                                .iter()
                                .rev()
                                .filter_map(|above| above.cells.get(i)?.label())
                                .find(|l| times(l) == 1)
                        })
                        .flatten()
                        .map(str::to_string);
                    out.push(FieldLabel {
                        label: label.to_string(),
                        field: right.or(below),
                        below: right.is_none() && below.is_some(),
                        anchor,
                        section: b.section.clone(),
                    });
                }
            }
        }
        out
    }

    /// The label a field is printed under, from the layout: `budget.basic` → 基本支出,
    /// `budget.own_level` → 区本级使用资金 (or 市本级… in a city variant), `tasks[2].funds` →
    /// 拟投入的资金（万元）, `indicators[0].annual` → 年度指标值 (指标值 in a one-column variant).
    ///
    /// A column of a side (docs/FORM.md §1.6: the same 指标值 on both) is named with the side's first
    /// mark, as a form may write it: `指标值（年度）`, `三级指标（中期）`.
    pub fn label(&self, path: FieldPath) -> Option<String> {
        // A column of the layout's own: the header above it.
        let own_column = match path {
            FieldPath::OwnCell(table, _, key) => Some((self.own_table(table), key)),
            FieldPath::RowExtra(kind, _, key) => Some((self.table(kind), key)),
            _ => None,
        };
        if let Some((block, key)) = own_column {
            return block?
                .header_extras()
                .into_iter()
                .find(|(_, _, k)| *k == key)
                .map(|(_, label, _)| label);
        }
        if let FieldPath::Column(kind, _, column) = path {
            let label = self
                .table_columns(kind)
                .into_iter()
                .find(|(_, c)| *c == column)
                .map(|(label, _)| label)?;
            let mark = self
                .table(kind)
                .and_then(|b| b.sides.iter().find(|s| s.table == kind))
                .filter(|_| !self.is_shared(kind, column))
                .and_then(|s| s.marks.first());
            return Some(match mark {
                Some(m) => format!("{label}（{m}）"),
                None => label,
            });
        }
        let label = self
            .field_labels()
            .iter()
            .find(|f| f.field == Some(path))
            .map(|f| f.label.clone());
        label.or_else(|| self.totals_label(path))
    }

    /// The label of a field of a totals row (合计 under 2026年): the row's label and the header
    /// above its cell, `合计（2026年）`.
    fn totals_label(&self, path: FieldPath) -> Option<String> {
        self.blocks.iter().find_map(|b| {
            let totals = b.totals.as_ref()?;
            let i = totals.cells.iter().position(|c| c.field() == Some(path))?;
            let label = totals
                .cells
                .iter()
                .find_map(LayoutCell::label)
                .unwrap_or("");
            let header = b.header.as_ref()?.cells.get(i)?.label()?;
            Some(format!("{label}（{header}）"))
        })
    }

    /// Whether a column of a table stands outside its side, shared by the sides (一级指标).
    pub fn is_shared(&self, kind: TableKind, column: Column) -> bool {
        let Some(block) = self.table(kind) else {
            return false;
        };
        block.row.iter().any(|r| {
            r.cells.iter().enumerate().any(|(i, c)| {
                *c == LayoutCell::Column(column)
                    && !block.sides.is_empty()
                    && block.table_at(i as u32).is_none()
            })
        })
    }

    /// Every label the layout writes (section labels, field labels, table headers), deduplicated,
    /// in layout order.
    pub fn all_labels(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: &str| {
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        };
        for b in &self.blocks {
            if let Some(s) = &b.section {
                push(s);
            }
            for r in b.rows.iter().chain(b.header.iter()) {
                for c in r.cells.iter().filter_map(LayoutCell::label) {
                    push(c);
                }
            }
        }
        for s in &self.signature {
            push(s);
        }
        out
    }

    /// The rows of the layout's field blocks that hold two or more distinct labels (each row of
    /// the budget block, the 基本信息 row), each as its labels: what locate looks for side by
    /// side to tell a form from a list that mentions its labels.
    /// Made once per template: locate asks it of every sheet.
    pub fn layout_rows(&self) -> &[LayoutShape] {
        self.layout_rows.get_or_init(|| self.build_layout_rows())
    }

    fn build_layout_rows(&self) -> Vec<LayoutShape> {
        let mut out = Vec::new();
        for b in self.blocks.iter().filter(|b| b.kind == BlockKind::Fields) {
            // A head of one field per row (部门(单位)名称, *部门(单位)职责, *年度总体绩效目标, each
            // a label and its value): its labels down one column are one layout row, stood on
            // end.
            let singles: Vec<&str> = b
                .rows
                .iter()
                .filter_map(|r| {
                    let mut labels = r.cells.iter().filter_map(LayoutCell::label);
                    let first = labels.next()?;
                    labels.next().is_none().then_some(first)
                })
                .collect();
            if singles.len() >= 2 && singles.len() == b.rows.len() {
                out.push(LayoutShape::Ladder(
                    singles.into_iter().map(str::to_string).collect(),
                ));
            }
            for r in &b.rows {
                let mut labels: Vec<String> = Vec::new();
                for l in r.cells.iter().filter_map(LayoutCell::label) {
                    if !labels.iter().any(|x| x == l) {
                        labels.push(l.to_string());
                    }
                }
                if labels.len() >= 2 {
                    out.push(LayoutShape::Row(labels));
                }
            }
        }
        out
    }

    /// The label that opens the form under its title (部门名称, 项目名称): the first label of
    /// the layout's first field block. A sheet where it stands twice, apart, may hold two
    /// forms (docs/FORM.md §1.4).
    pub fn anchor_label(&self) -> Option<&str> {
        self.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Fields)
            .and_then(|b| b.rows.first())
            .and_then(|r| r.cells.iter().find_map(LayoutCell::label))
    }

    /// Section labels, in layout order: the labels in column A that start a part of the form.
    pub fn section_labels(&self) -> Vec<String> {
        let mut out = Vec::new();
        for b in &self.blocks {
            if let Some(s) = &b.section {
                out.push(s.clone());
            } else if b.kind == BlockKind::Fields {
                for r in &b.rows {
                    if let Some(first) = r.cells.first().and_then(LayoutCell::label) {
                        out.push(first.to_string());
                    }
                }
            }
        }
        out
    }

    /// Every label key of this template → its canonical label (built once, then shared).
    pub fn label_index(&self) -> &LabelIndex {
        self.index.get_or_init(|| self.build_label_index())
    }

    fn build_label_index(&self) -> LabelIndex {
        let mut map = HashMap::new();
        for l in self.all_labels() {
            map.entry(label_key(&l)).or_insert(l);
        }
        for (canonical, variants) in &self.aliases {
            for v in variants {
                // A canonical label never turns into another one through an alias list.
                map.entry(label_key(v)).or_insert_with(|| canonical.clone());
            }
        }
        map.remove("");
        LabelIndex { map }
    }

    /// Whether a title cell's text names this variant.
    pub fn matches_title(&self, text: &str) -> bool {
        self.matches_title_key(&label_key(text))
    }

    /// [`Template::matches_title`] of a text whose [`label_key`] is `key`.
    pub fn matches_title_key(&self, key: &str) -> bool {
        let patterns = self
            .title_keys
            .get_or_init(|| self.title_patterns.iter().map(|p| label_key(p)).collect());
        patterns.iter().any(|p| key.contains(p.as_str()))
    }
}

/// A column span `"E:F"` → zero-based (first, last).
pub fn parse_span(span: &str) -> Option<(u32, u32)> {
    let (a, b) = span.split_once(':')?;
    let col = |s: &str| -> Option<u32> {
        let s = s.trim();
        // At most three letters (`XFD`): the utility's arithmetic is 16-bit.
        if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        Some(rust_xlsxwriter::utility::column_name_to_number(s).into())
    };
    let (a, b) = (col(a)?, col(b)?);
    (a <= b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small project layout of the second edition, for the validation tests below.
    const SMALL: &str = r#"
id = "small"
kind = "project"
name = "小表（测试）"
title = "小表"
title_patterns = ["小表"]
widths = [10, 10, 10, 10]

[extra]
total = "money"
central = "money"
other = "money"
note = "text"

[[sums]]
total = "extra.total"
parts = ["extra.central", "extra.other"]

[[blocks]]
kind = "title"
rows = [{ cells = ["{title}"], merge = ["A:D"] }]

[[blocks]]
kind = "fields"
rows = [
  { cells = ["项目名称", "{project.name}"] },
  { cells = ["总投资", "{extra.total}", "中央", "{extra.central}"] },
  { cells = ["其他", "{extra.other}"] },
  { cells = ["年度目标", "{goals.annual}"] },
]

[[blocks]]
kind = "table"
table = "indicators"
header = { cells = ["一级指标", "三级指标", "指标值", "说明"] }
row = { cells = ["{level1}", "{name}", "{annual}", "{extra.note}"] }
"#;

    #[test]
    fn a_second_edition_template_loads_with_its_parts() {
        let t = Template::parse("small.toml", SMALL).unwrap();
        assert_eq!(t.sums.len(), 1);
        assert_eq!(t.sums[0].total.to_string(), "extra.total");
        assert_eq!(
            t.extra_kind(ExtraKey::new("total").unwrap()),
            ExtraKind::Money
        );
        let block = t.table(TableKind::Indicators).unwrap();
        let extras = block.header_extras();
        assert_eq!(extras.len(), 1);
        assert_eq!((extras[0].0, extras[0].1.as_str()), (3, "说明"));
        // The parts it has and lacks: no 主管部门, no funds, no task table.
        assert!(t.has_part(FieldPath::Project(crate::model::ProjectField::Name)));
        assert!(!t.has_part(FieldPath::Project(crate::model::ProjectField::Department)));
        assert!(!t.has_part(FieldPath::Section(Section::Funds)));
        assert_eq!(
            t.record_extras()
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
            ["total", "central", "other"]
        );
    }

    #[test]
    fn a_second_edition_template_is_refused_with_its_reason() {
        let refused = |from: &str, to: &str| {
            assert!(SMALL.contains(from), "{from}");
            let text = SMALL.replacen(from, to, 1);
            Template::parse("small.toml", &text).unwrap_err().detail
        };
        let e = refused("note = \"text\"\n", "");
        assert_eq!(e, "{extra.note} is not declared under [extra]");
        let e = refused("note = \"text\"\n", "note = \"text\"\nunused = \"text\"\n");
        assert_eq!(
            e,
            "[extra] declares unused, which the layout does not place"
        );
        let e = refused("\"extra.central\", \"extra.other\"", "\"project.name\"");
        assert_eq!(e, "the sum names project.name, which is no amount");
        let e = refused("\"extra.central\", \"extra.other\"", "\"budget.basic\"");
        assert_eq!(
            e,
            "the sum names budget.basic, which the layout does not place"
        );
        let e = refused(
            "{ cells = [\"其他\", \"{extra.other}\"] },",
            "{ cells = [\"其他\", \"{extra.central}\"] },",
        );
        assert_eq!(e, "{extra.central} stands twice in the layout");
        let e = refused(
            "table = \"indicators\"",
            "name = \"costs\"\ntable = \"indicators\"",
        );
        assert!(e.contains("names its table"), "{e}");
    }

    #[test]
    fn a_templates_category_names_name_the_framework() {
        let text = format!("{SMALL}\n[categories]\nlevel1 = {{ \"成效指标\" = \"效益指标\" }}\n");
        let t = Template::parse("small.toml", &text).unwrap();
        assert_eq!(t.categories.get(false, "成效 指标"), Some("效益指标"));
        assert_eq!(t.categories.get(true, "成效指标"), None);
        let bad =
            format!("{SMALL}\n[categories]\nlevel2 = {{ \"社会效果\" = \"社会效果指标\" }}\n");
        let e = Template::parse("small.toml", &bad).unwrap_err().detail;
        assert_eq!(
            e,
            "[categories] names \"社会效果指标\", which is no category of the framework"
        );
    }

    #[test]
    fn sum_terms_read_as_they_are_written() {
        for text in [
            "budget.basic",
            "extra.total",
            "tasks.funds",
            "tasks.extra.amount",
            "costs.amount",
        ] {
            assert_eq!(SumTerm::parse(text).unwrap().to_string(), text);
        }
        assert!(SumTerm::parse("nothing").is_none());
    }

    #[test]
    fn short_names_tell_the_variants_apart() {
        let builtin = Template::builtin();
        let shorts: Vec<&str> = builtin
            .iter()
            .map(|t| Template::short_name(&t.name))
            .collect();
        assert!(shorts.contains(&"区级，六列"), "{shorts:?}");
        let unique: std::collections::HashSet<&&str> = shorts.iter().collect();
        assert_eq!(unique.len(), shorts.len(), "{shorts:?}");
        assert_eq!(Template::short_name("自定义表(市级)"), "市级");
        assert_eq!(Template::short_name("没有括号的表"), "没有括号的表");
    }

    #[test]
    fn builtin_templates_parse_and_have_every_field_of_their_kind() {
        use crate::model::{BudgetField, FundsField, GoalField, ProjectField};
        let all = Template::builtin();
        assert_eq!(all.len(), BUILTIN.len());
        for t in &all {
            let fields: Vec<_> = t.field_labels().iter().filter_map(|f| f.field).collect();
            let needed: Vec<FieldPath> = match t.kind {
                RecordKind::Department => BudgetField::ALL
                    .map(FieldPath::Budget)
                    .into_iter()
                    .chain([FieldPath::Department, FieldPath::OtherTasks])
                    .collect(),
                RecordKind::Project => FundsField::ALL
                    .map(FieldPath::Funds)
                    .into_iter()
                    .chain(GoalField::ALL.map(FieldPath::Goals))
                    .chain(
                        ProjectField::ALL
                            .into_iter()
                            .filter(|f| *f != ProjectField::DepartmentCode)
                            .map(FieldPath::Project),
                    )
                    .collect(),
            };
            // The layouts of the Guangzhou and Ministry forms have every field of their kind; a
            // province's layout has the parts it has ([`Template::has_part`]).
            let full = ["gz-dept-overall", "zj-dept-overall", "mof-project"];
            if !full.contains(&t.id.as_str()) {
                continue;
            }
            for f in needed {
                assert!(fields.contains(&f), "{}: {f}", t.id);
            }
            // Every required part is a label of the layout.
            assert_eq!(t.required_parts().len(), t.required.len(), "{}", t.id);
        }
    }

    #[test]
    fn ids_are_unique_and_match_file_names() {
        let all = Template::builtin();
        for (t, (id, _)) in all.iter().zip(BUILTIN) {
            assert_eq!(&t.id, id);
        }
    }

    #[test]
    fn layout_derivations() {
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let f = gz.field_labels();
        let basic = f.iter().find(|l| l.label == "基本支出").unwrap();
        assert_eq!(basic.field, Some("budget.basic".parse().unwrap()));
        assert_eq!(basic.section.as_deref(), Some("预算整体情况"));
        let cols = gz.table_columns(TableKind::Indicators);
        assert_eq!(cols[0], ("一级指标".to_string(), Column::Level1));
        assert_eq!(cols.len(), 5);
        let zj = Template::builtin_by_id("zj-dept-overall").unwrap();
        assert_eq!(zj.table_columns(TableKind::Indicators).len(), 4);
        assert_eq!(
            gz.section_labels(),
            [
                "部门名称",
                "预算整体情况",
                "总体绩效目标",
                "年度重点工作任务",
                "其他需完成的任务（可选填）",
                "绩效指标"
            ]
        );
    }

    #[test]
    fn labels_match_through_variants() {
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        assert_eq!(gz.label_index().get("部门名称："), Some("部门名称"));
        assert_eq!(
            gz.label_index().get(" 预算金额(万元)"),
            Some("预算金额（万元）")
        );
        assert_eq!(
            gz.label_index().get("年度重点\n工作任务"),
            Some("年度重点工作任务")
        );
        assert_eq!(gz.label_index().get("*三级指标名称"), Some("三级指标"));
        assert_eq!(gz.label_index().get("广州番禺"), None);
        assert!(gz.matches_title("2024年度部门整体预算绩效目标申报表"));
    }

    /// An alias that compares equal to a label anyway is dead weight, and one equal to another
    /// canonical label would steal it.
    #[test]
    fn every_alias_adds_a_new_key() {
        for t in Template::builtin() {
            let canonical: Vec<String> = t.all_labels().iter().map(|l| label_key(l)).collect();
            for (label, variants) in &t.aliases {
                for v in variants {
                    assert!(
                        !canonical.contains(&label_key(v)),
                        "{}: alias {v:?} of {label:?} is already a label",
                        t.id
                    );
                }
            }
        }
    }

    #[test]
    fn labels_of_field_paths() {
        let p = |s: &str| s.parse::<FieldPath>().unwrap();
        let gz = Template::builtin_by_id("gz-dept-overall").unwrap();
        let zj = Template::builtin_by_id("zj-dept-overall").unwrap();
        assert_eq!(gz.label(p("budget.basic")).as_deref(), Some("基本支出"));
        assert_eq!(
            gz.label(p("budget.own_level")).as_deref(),
            Some("区本级使用资金")
        );
        assert_eq!(
            zj.label(p("budget.own_level")).as_deref(),
            Some("市本级使用资金")
        );
        assert_eq!(
            gz.label(p("tasks[2].funds")).as_deref(),
            Some("拟投入的资金（万元）")
        );
        assert_eq!(
            gz.label(p("indicators[0].annual")).as_deref(),
            Some("年度指标值")
        );
        assert_eq!(
            zj.label(p("indicators[0].annual")).as_deref(),
            Some("指标值")
        );
        assert_eq!(
            gz.label(p("indicators[0].period")).as_deref(),
            Some("实施周期指标值")
        );
        assert_eq!(
            zj.label(p("basic_info.funded_staff")).as_deref(),
            Some("财政供养人员数")
        );
        assert_eq!(gz.label(FieldPath::Labels), None);
    }

    /// A typo in a placeholder, or a placeholder out of place, is an error of the template
    /// file, said when it is loaded.
    #[test]
    fn placeholders_are_checked_when_loaded() {
        let (_, gz) = BUILTIN[0];
        let typo = gz.replacen("{budget.basic}", "{budget.basci}", 1);
        let e = Template::parse("t.toml", &typo).unwrap_err();
        assert!(e.detail.contains("{budget.basci}"), "{}", e.detail);
        let misplaced = gz.replacen("{level1}", "{funds}", 1);
        let e = Template::parse("t.toml", &misplaced).unwrap_err();
        assert!(e.detail.contains("Funds"), "{}", e.detail);
        let field_in_table = gz.replacen("{level1}", "{department}", 1);
        assert!(Template::parse("t.toml", &field_in_table).is_err());
    }

    /// The split columns are data: each built-in template names them, and a header is known by
    /// its label as any label is (full-width, spaces, a trailing colon).
    #[test]
    fn split_columns_come_from_the_template() {
        for t in Template::builtin() {
            if t.kind != RecordKind::Department {
                continue;
            }
            let split = t
                .split_columns()
                .expect("every department form names its split columns");
            assert_eq!(split.role("计算符号"), Some(SplitRole::Sign), "{}", t.id);
            assert_eq!(split.role(" 运算符号："), Some(SplitRole::Sign));
            assert_eq!(split.role("计量单位"), Some(SplitRole::Unit));
            assert_eq!(split.role("度量单位"), Some(SplitRole::Unit));
            assert_eq!(split.role("指标值类型"), Some(SplitRole::Kind));
            assert_eq!(split.role("指标解释"), None);
            assert_eq!(split.role("评(扣)分标准"), None);
            assert_eq!(split.role(""), None);
        }
        let (_, gz) = BUILTIN[0];
        let misplaced = gz.replacen(
            "blank_rows = 3\n",
            "blank_rows = 3\nsplit = { sign = [\"符号\"] }\n",
            1,
        );
        assert!(Template::parse("t.toml", &misplaced).is_err());
    }

    /// The project form's template says, as data, what its layout adds (docs/FORM.md §1.6).
    #[test]
    fn the_project_template_says_its_layout() {
        let t = Template::builtin_by_id("mof-project").unwrap();
        assert_eq!(t.kind, RecordKind::Project);
        let l = |s: &str| s.to_string();
        assert_eq!(
            t.table_columns(TableKind::PeriodIndicators),
            [
                (l("一级指标"), Column::Level1),
                (l("二级指标"), Column::Level2),
                (l("三级指标"), Column::Name),
                (l("指标值"), Column::Period)
            ]
        );
        assert_eq!(
            t.table_columns(TableKind::Indicators).last(),
            Some(&(l("指标值"), Column::Annual))
        );
        let label = |p: &str| t.label(p.parse().unwrap());
        assert_eq!(
            label("indicators[0].annual").as_deref(),
            Some("指标值（年度）")
        );
        assert_eq!(
            label("period_indicators[2].period").as_deref(),
            Some("指标值（中期）")
        );
        assert_eq!(label("indicators[0].level1").as_deref(), Some("一级指标"));
        assert_eq!(label("funds.annual_total").as_deref(), Some("年度资金总额"));
        assert_eq!(label("goals.annual").as_deref(), Some("年度目标"));
        let fields = t.field_labels();
        let of = |p: &str| {
            let path: FieldPath = p.parse().unwrap();
            fields.iter().find(|f| f.field == Some(path)).unwrap()
        };
        assert!(of("goals.period").below);
        assert!(!of("project.name").below);
        assert_eq!(
            of("funds.annual_appropriation").anchor.as_deref(),
            Some("年度资金总额")
        );
        assert_eq!(
            of("funds.period_other").anchor.as_deref(),
            Some("中期资金总额")
        );
        assert_eq!(of("project.implementer").anchor, None);
        let required: Vec<String> = t
            .required_parts()
            .iter()
            .map(|(l, p)| format!("{l} {p}"))
            .collect();
        assert_eq!(
            required,
            [
                "项目名称 project.name",
                "主管部门及代码 project.department",
                "项目资金（万元） funds",
                "总体目标 goals",
                "绩效指标 indicators"
            ]
        );
        // A label with a note is that label; the note tells a side.
        assert_eq!(t.label_index().get("二级指标（长期）"), Some("二级指标"));
        assert_eq!(
            t.label_index().get("中期目标（2024年—2026年）"),
            Some("中期目标")
        );
        assert_eq!(split_note("指标值(年度)"), Some(("指标值", "年度")));
        assert_eq!(split_note("(年度)"), None);
        let sides = &t.table(TableKind::Indicators).unwrap().sides;
        assert!(sides[0].is_marked_by("长期") && sides[1].is_marked_by("年度"));
        assert!(sides[0].is_tier("中期指标") && !sides[0].is_tier("年度指标"));
    }

    /// What a block of sides may not say: a column its side's table does not have, sides that
    /// overlap, a block table that no side is.
    #[test]
    fn sides_are_checked_when_loaded() {
        let (_, project) = BUILTIN[2];
        let wrong_column = project.replacen(
            "\"{level2}\", \"{name}\", \"{period}\"",
            "\"{level2}\", \"{name}\", \"{annual}\"",
            1,
        );
        assert_ne!(wrong_column, project);
        assert!(Template::parse("t.toml", &wrong_column).is_err());
        let overlap = project.replacen("columns = \"F:H\"", "columns = \"E:H\"", 1);
        let e = Template::parse("t.toml", &overlap).unwrap_err();
        assert!(e.detail.contains("overlaps"), "{}", e.detail);
        let no_own = project.replacen(
            "{ table = \"indicators\", columns",
            "{ table = \"period_indicators\", columns",
            1,
        );
        assert!(Template::parse("t.toml", &no_own).is_err());
        let required = project.replacen(
            "\"总体目标\", \"绩效指标\"]",
            "\"总体目标\", \"绩效指标\", \"没有\"]",
            1,
        );
        let e = Template::parse("t.toml", &required).unwrap_err();
        assert!(e.detail.contains("没有"), "{}", e.detail);
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("E:F"), Some((4, 5)));
        assert_eq!(parse_span("A:A"), Some((0, 0)));
        assert_eq!(parse_span("F:E"), None);
        assert_eq!(parse_span("e:f"), None);
        assert_eq!(parse_span("A:XFD"), Some((0, 16383)));
        assert_eq!(parse_span("A:ZZZZ"), None);
    }
}
