//! The template variants, as data (`templates/*.toml`, embedded in the binary; `--template FILE`
//! loads another). A template is its canonical layout plus the label variants seen in real files;
//! the reader derives from the layout which value sits beside which label, the writer draws the
//! layout. A new variant with the same sections and other labels or columns is a new file
//! (read by the command that is given it, `--template FILE`, and parsed here).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use crate::model::TableKind;
use crate::model::{Column, FieldPath};
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
    /// A section label written in column A, merged down the rows of the block.
    pub section: Option<String>,
    #[serde(default)]
    pub rows: Vec<LayoutRow>,
    pub header: Option<LayoutRow>,
    pub row: Option<LayoutRow>,
    /// Empty record rows the blank template gets.
    #[serde(default)]
    pub blank_rows: u32,
}

impl Block {
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
        for cell in self.row.iter().flat_map(|r| &r.cells) {
            match (cell, self.table) {
                (LayoutCell::Column(c), Some(kind)) if kind.columns().contains(c) => {}
                (LayoutCell::Column(_) | LayoutCell::Field(_), _) => {
                    return bad(cell, "this table's row")
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A template variant. Serde writes and reads it as its TOML file does (a worker process
/// receives the run's templates this way).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub name: String,
    /// The canonical title, written by the writer.
    pub title: String,
    pub title_patterns: Vec<String>,
    /// Column widths of the written form.
    pub widths: Vec<f64>,
    /// Labels required to pick this variant besides those of the layout.
    #[serde(default)]
    pub signature: Vec<String>,
    pub blocks: Vec<Block>,
    /// Canonical label → variants seen in real files.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The label index, built on first use: a batch scans thousands of sheets per template.
    #[serde(skip)]
    index: OnceLock<LabelIndex>,
}

/// Label keys → canonical labels: labels compare by [`label_key`], first the canonical labels,
/// then their variants. Built once per template ([`Template::label_index`]).
#[derive(Debug, Clone)]
pub struct LabelIndex {
    map: HashMap<String, String>,
}

impl LabelIndex {
    /// The canonical label `text` stands for.
    pub fn get(&self, text: &str) -> Option<&str> {
        self.map.get(&label_key(text)).map(String::as_str)
    }
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
    /// The field of the value cell to its right (`budget.basic`), if any.
    pub field: Option<FieldPath>,
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

    /// The variant a record names, for drawing it: one of `templates` (a run's candidates), or
    /// the first of them when the record names a variant the run does not know.
    pub fn for_record<'a>(templates: &'a [Template], id: &str) -> Cow<'a, Template> {
        match templates.iter().find(|t| t.id == id).or(templates.first()) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(Template::builtin().remove(0)),
        }
    }

    /// The name of the variant `id` among `templates`; the id itself for a variant they do not
    /// know (whose name cannot be told).
    pub fn name_of<'a>(templates: &'a [Template], id: &'a str) -> &'a str {
        templates
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.name.as_str())
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
        for table in [TableKind::Tasks, TableKind::Indicators] {
            let n = self
                .blocks
                .iter()
                .filter(|b| b.table == Some(table))
                .count();
            if n != 1 {
                return Err(format!("needs exactly one {table:?} table, found {n}"));
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
            b.validate_cells()?;
        }
        for field in [FieldPath::Department, FieldPath::OverallGoal] {
            if !self.field_labels().iter().any(|f| f.field == Some(field)) {
                return Err(format!("the layout has no {{{field}}}"));
            }
        }
        Ok(())
    }

    /// The table block of a kind.
    pub fn table(&self, kind: TableKind) -> &Block {
        self.blocks
            .iter()
            .find(|b| b.table == Some(kind))
            .expect("validated: every template has both tables")
    }

    /// The columns of a table: (header label, record column).
    pub fn table_columns(&self, kind: TableKind) -> Vec<(String, Column)> {
        let block = self.table(kind);
        let header = block.header.as_ref().expect("validated");
        let row = block.row.as_ref().expect("validated");
        header
            .cells
            .iter()
            .zip(&row.cells)
            .filter_map(|(h, r)| match (h, r) {
                (LayoutCell::Label(h), LayoutCell::Column(c)) => Some((h.clone(), *c)),
                _ => None,
            })
            .collect()
    }

    /// Every label of the layout that introduces a field, in layout order.
    pub fn field_labels(&self) -> Vec<FieldLabel> {
        let mut out = Vec::new();
        for b in &self.blocks {
            if b.kind != BlockKind::Fields {
                continue;
            }
            for r in &b.rows {
                for (i, cell) in r.cells.iter().enumerate() {
                    let Some(label) = cell.label() else {
                        continue;
                    };
                    out.push(FieldLabel {
                        label: label.to_string(),
                        field: r.cells.get(i + 1).and_then(LayoutCell::field),
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
    pub fn label(&self, path: FieldPath) -> Option<String> {
        if let FieldPath::Column(kind, _, column) = path {
            return self
                .table_columns(kind)
                .into_iter()
                .find(|(_, c)| *c == column)
                .map(|(label, _)| label);
        }
        self.field_labels()
            .into_iter()
            .find(|f| f.field == Some(path))
            .map(|f| f.label)
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
        let key = label_key(text);
        self.title_patterns
            .iter()
            .any(|p| key.contains(&label_key(p)))
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

    #[test]
    fn builtin_templates_parse_and_have_every_budget_field() {
        let all = Template::builtin();
        assert_eq!(all.len(), BUILTIN.len());
        for t in &all {
            let fields: Vec<_> = t
                .field_labels()
                .into_iter()
                .filter_map(|f| f.field)
                .collect();
            for f in crate::model::BudgetField::ALL {
                assert!(
                    fields.contains(&FieldPath::Budget(f)),
                    "{}: budget.{f}",
                    t.id
                );
            }
            assert!(fields.contains(&FieldPath::Department));
            assert!(fields.contains(&FieldPath::OtherTasks));
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
