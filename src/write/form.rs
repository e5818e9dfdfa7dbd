//! Draws the 申报表 sheet: a [`Declaration`] in its template's canonical layout (docs/FORM.md §1),
//! whatever shape the input had.
//!
//! The layout is data (`templates/*.toml`): this module walks `template.blocks` and never holds a
//! second copy of it. Drawing is two steps, so that the cell positions are known before anything
//! is written: `layout` places every cell (value, span, role) and records the map
//! `field path → cell`; [`write_form`] then marks the cells that were corrected or have findings
//! and writes them with rust_xlsxwriter.
//!
//! Marking rules:
//! - a field with a correction (a change of a code that `fixes`) is filled yellow with the note
//!   `原值：…`; another change of a value only gets the note, and the values of an extra
//!   column set aside (a change of a whole row) mark nothing;
//! - a field with an unfixed error finding is filled red, a warning orange, and the message is
//!   a note (error colour wins; several notes on one cell are joined by newlines);
//! - an info finding, or a finding the normalizer fixed, adds its message to the note but no
//!   colour of its own (the change already colours the cell yellow);
//! - a finding about a section (`budget`, `tasks`, `indicators`) marks the section label in
//!   column A; a finding about a table row (`indicators[6]`) marks the row's 三级指标 / 名称 cell;
//!   a finding with no field marks nothing (it is listed on 校验结果 only);
//! - a form with a coloured cell gets the legend of the colours one row below it.
//!
//! Numbers stand a small indent from the right border; every row is as tall as its text needs
//! (`row_height_for`, the one estimator of every sheet); the page prints A4 with its number
//! in the footer.

use std::collections::BTreeMap;

use rust_xlsxwriter::{ColNum, Color, Format, FormatAlign, FormatBorder, Note, RowNum, Worksheet};

use crate::messages::{self, Lang};
use crate::model::{
    BasicInfoField, Change, Column, Declaration, FieldPath, Finding, IndicatorView, Money,
    ProjectField, Severity, TableKind,
};
use crate::template::{parse_span, Block, BlockKind, LayoutCell, LayoutRow, Template};

use super::WriteError;

/// Where each field was written on the 申报表 sheet: field path (docs/RECORDS.md: `department`,
/// `budget.basic`, `tasks[0].funds`, `indicators[3].level1`) → zero-based (row, column).
/// Besides the leaf fields it holds `title` and `year` (the title cell), the sections
/// `budget`, `tasks`, `indicators` (their label in column A) and the table rows `tasks[i]`,
/// `indicators[i]` (the row's name cell).
pub type CellMap = BTreeMap<FieldPath, (RowNum, ColNum)>;

/// The body font of the form. 宋体 is what the official form uses and what every Chinese Windows
/// has; charset 134 (GB2312) tells Excel it is a Chinese font.
pub(crate) const FONT: &str = "宋体";
const FONT_CHARSET: u8 = 134;
const BODY_SIZE: f64 = 11.0;
const TITLE_SIZE: f64 = 16.0;

/// Fill colours of marked cells, told apart at a glance and in print: errors red, warnings
/// orange, corrections yellow, each light enough for black text. The page's preview uses the
/// same three (`src/serve/assets/app.css`, `--cell-error` and its neighbours; a test holds
/// them equal).
pub(crate) const FILL_ERROR: u32 = 0xFF8080;
pub(crate) const FILL_WARNING: u32 = 0xFFC67A;
pub(crate) const FILL_CHANGED: u32 = 0xFFF08C;

/// How far a number stands from the right border of its cell, in Excel's indent steps.
pub(crate) const NUMBER_INDENT: u8 = 1;

/// Points per line of 11 pt 宋体, and the largest row height Excel allows.
const LINE_HEIGHT: f64 = 15.0;
const TITLE_LINE_HEIGHT: f64 = 22.0;
const MIN_ROW_HEIGHT: f64 = 20.0;
const MAX_ROW_HEIGHT: f64 = 409.0;

pub(crate) use crate::model::MAX_CELL_TEXT;

/// The one place where money becomes binary floating point: rust_xlsxwriter writes numbers as
/// `f64`. Parsing the decimal's text gives the float nearest to it, which Excel shows back as
/// the same decimal (`440.65`, never `440.64999999999998`).
pub fn money_number(m: Money) -> f64 {
    m.0.to_string().parse::<f64>().unwrap_or_else(|_| {
        use rust_decimal::prelude::ToPrimitive;
        m.0.to_f64().unwrap_or(0.0)
    })
}

/// What a placed cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    Text(String),
    Money(Option<Money>),
    Int(Option<i64>),
}

impl Content {
    fn empty() -> Content {
        Content::Text(String::new())
    }

    /// The text as shown, for estimating the row height.
    fn shown(&self) -> String {
        match self {
            Content::Text(s) => s.clone(),
            Content::Money(m) => m.map(|m| m.display()).unwrap_or_default(),
            Content::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
        }
    }
}

/// How a cell is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Title,
    /// A line of the heading under the title (a project form's `（2024年度）`): centred, unboxed.
    Subtitle,
    /// A label of the layout or a section label: centred.
    Label,
    /// A value: text left, numbers right.
    Value,
    /// 一级指标 / 二级指标 values: centred like the labels they are.
    Category,
}

/// One cell (or merged range) of the drawn form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub row: RowNum,
    pub col: ColNum,
    pub last_row: RowNum,
    pub last_col: ColNum,
    pub content: Content,
    pub role: Role,
    /// The field path whose value this cell shows (`indicators[0].annual`), or the section a
    /// section label stands for (`budget`); `None` for a layout label or an empty cell.
    pub field: Option<FieldPath>,
}

impl Placed {
    fn merged(&self) -> bool {
        self.last_row > self.row || self.last_col > self.col
    }

    fn covers(&self, row: RowNum, col: ColNum) -> bool {
        (self.row..=self.last_row).contains(&row) && (self.col..=self.last_col).contains(&col)
    }
}

/// The form placed on a grid, before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub cells: Vec<Placed>,
    pub map: CellMap,
    /// Row heights in points, one per row.
    pub heights: Vec<f64>,
    /// Column widths in Excel character units.
    pub widths: Vec<f64>,
}

/// Place a declaration on the template's canonical layout.
pub(crate) fn layout(decl: &Declaration, template: &Template) -> Layout {
    let mut b = Builder {
        decl,
        template,
        width: template.width().clamp(1, 16_384) as ColNum,
        row: 0,
        cells: Vec::new(),
        map: CellMap::new(),
    };
    for block in &template.blocks {
        b.block(block);
    }
    b.fill_blanks();
    let heights = row_heights(&b.cells, &template.widths, b.row);
    Layout {
        cells: b.cells,
        map: b.map,
        heights,
        widths: template.widths.clone(),
    }
}

struct Builder<'a> {
    decl: &'a Declaration,
    template: &'a Template,
    width: ColNum,
    /// The next free row.
    row: RowNum,
    cells: Vec<Placed>,
    map: CellMap,
}

impl Builder<'_> {
    fn block(&mut self, block: &Block) {
        let role_of = |kind: BlockKind| {
            if kind == BlockKind::Title {
                Role::Title
            } else {
                Role::Value
            }
        };
        // A section label on a row of its own (`section_row`), merged across the form.
        if let (Some(section), true) = (&block.section, block.section_row) {
            let field = block.section_kind().map(FieldPath::Section);
            self.cells.push(Placed {
                row: self.row,
                col: 0,
                last_row: self.row,
                last_col: self.width - 1,
                content: Content::Text(section.clone()),
                role: Role::Label,
                field,
            });
            if let Some(path) = field {
                self.map.insert(path, (self.row, 0));
            }
            self.row += 1;
        }
        let first = self.row;
        match (block.kind, block.table) {
            (BlockKind::Table, Some(TableKind::Tasks)) => self.tasks(block),
            (BlockKind::Table, Some(_)) => self.indicators(block),
            (BlockKind::Table, None) => self.own_table(block),
            _ => {
                let (decl, template) = (self.decl, self.template);
                for r in &block.rows {
                    let role = match (block.kind, r.cells.first()) {
                        (BlockKind::Title, Some(LayoutCell::Field(FieldPath::Title))) => {
                            Role::Title
                        }
                        (BlockKind::Title, _) => Role::Subtitle,
                        _ => role_of(block.kind),
                    };
                    self.place_row(r, beside(block), role, |_, cell| {
                        let path = cell.field()?;
                        Some((field_content(decl, template, path), path))
                    });
                    self.row += 1;
                }
            }
        }
        if let (Some(section), false) = (&block.section, block.section_row) {
            if self.row > first {
                let field = block.section_kind().map(FieldPath::Section);
                self.cells.push(Placed {
                    row: first,
                    col: 0,
                    last_row: self.row - 1,
                    last_col: 0,
                    content: Content::Text(section.clone()),
                    role: Role::Label,
                    field,
                });
                if let Some(path) = field {
                    self.map.insert(path, (first, 0));
                }
            }
        }
    }

    /// The task table: its header, then a row per task (or the blank rows of an empty one).
    fn tasks(&mut self, block: &Block) {
        let section = beside(block);
        let (Some(header), Some(row_layout)) = (&block.header, &block.row) else {
            return;
        };
        self.place_row(header, section, Role::Value, |_, _| None);
        self.row += 1;
        let tasks = self.decl.as_department().map_or(0, |d| d.tasks.len());
        if tasks == 0 {
            self.blank_rows(block, row_layout);
        }
        for k in 0..tasks {
            let (decl, template) = (self.decl, self.template);
            self.place_row(row_layout, section, Role::Value, |_, cell| match cell {
                LayoutCell::Column(c) => Some((task_content(decl, k, *c), FieldPath::task(k, *c))),
                LayoutCell::Field(FieldPath::Extra(key)) => {
                    let extra = decl.as_department()?.tasks.get(k)?.extra.get(key)?;
                    let path = FieldPath::RowExtra(TableKind::Tasks, k, *key);
                    Some((extra_content(template, *key, extra.as_ref()), path))
                }
                _ => None,
            });
            self.row_points_at_name(TableKind::Tasks, k);
            self.row += 1;
        }
    }

    /// A table of the layout's own (a cost table): its header, a row per record (or its blank
    /// rows), then its totals row.
    fn own_table(&mut self, block: &Block) {
        let section = beside(block);
        let (Some(name), Some(header), Some(row_layout)) = (block.name, &block.header, &block.row)
        else {
            return;
        };
        self.place_row(header, section, Role::Value, |_, _| None);
        self.row += 1;
        let (decl, self_template) = (self.decl, self.template);
        let rows = decl.own_tables().get(&name).map_or(&[][..], |r| &r[..]);
        if rows.is_empty() {
            self.blank_rows(block, row_layout);
        }
        for (k, row) in rows.iter().enumerate() {
            self.place_row(row_layout, section, Role::Value, |_, cell| match cell {
                LayoutCell::Field(FieldPath::Extra(key)) => {
                    let value = row.get(key).and_then(Option::as_ref);
                    let content = extra_content(self_template, *key, value);
                    Some((content, FieldPath::OwnCell(name, k, *key)))
                }
                _ => None,
            });
            self.row += 1;
        }
        if let Some(totals) = &block.totals {
            let template = self.template;
            self.place_row(totals, section, Role::Value, |_, cell| {
                let path = cell.field()?;
                Some((field_content(decl, template, path), path))
            });
            self.row += 1;
        }
    }

    /// An empty table still shows its rows, ready to fill.
    fn blank_rows(&mut self, block: &Block, row_layout: &LayoutRow) {
        for _ in 0..block.blank_rows.max(1) {
            self.place_row(row_layout, beside(block), Role::Value, |_, _| None);
            self.row += 1;
        }
    }

    /// A finding on a whole row (`indicators[3]`) points at the row's name.
    fn row_points_at_name(&mut self, kind: TableKind, k: usize) {
        if let Some(&cell) = self.map.get(&FieldPath::Column(kind, k, Column::Name)) {
            self.map.insert(FieldPath::Row(kind, k), cell);
        }
    }

    /// An indicator table: one table, or the tables side by side of a project form (docs/FORM.md
    /// §1.6). Rows are drawn by 一级指标 group ([`align`]): a group is as tall as its longest
    /// side, its 一级指标 merged down it, each side's 二级指标 merged down its runs, and a side
    /// shorter than the group leaves its last rows empty.
    fn indicators(&mut self, block: &Block) {
        let section = beside(block);
        let template = self.template;
        // A sign or a unit column of the layout's own (计算符号, 计量单位: split columns it
        // draws): the sign and the unit are written there and the value cell holds the rest.
        let split_col = |role: crate::template::SplitRole| -> Option<u32> {
            match (&block.header, &block.split) {
                (Some(h), Some(split)) => h
                    .cells
                    .iter()
                    .position(|c| c.label().and_then(|l| split.role(l)) == Some(role))
                    .map(|i| i as u32),
                _ => None,
            }
        };
        let unit_col = split_col(crate::template::SplitRole::Unit);
        let sign_col = split_col(crate::template::SplitRole::Sign);
        let (has_sign, has_unit) = (sign_col.is_some(), unit_col.is_some());
        fn parts(
            t: &crate::model::Target,
            sign: bool,
            unit: bool,
        ) -> (String, Option<&'static str>, Option<&str>) {
            crate::target::in_columns(t, sign, unit)
        }
        let tables: Vec<(TableKind, Option<(u32, u32)>)> = block.tables();
        let sides: Vec<Vec<IndicatorView>> =
            tables.iter().map(|(t, _)| views(self.decl, *t)).collect();
        // A form read without a 实施周期指标值 column (the budget system's layout) states no
        // period target: its value column takes the period's place, so that the written form
        // claims none either, and reads back the same.
        let no_period = block.sides.is_empty()
            && !sides[0].is_empty()
            && sides[0].iter().all(|i| i.period.is_none());
        let narrowed = match (&block.header, &block.row) {
            (Some(h), Some(r)) if no_period => without_column(h, r, Column::Period),
            _ => None,
        };
        let (header, row_layout) = match &narrowed {
            Some((h, r)) => (Some(h), Some(r)),
            None => (block.header.as_ref(), block.row.as_ref()),
        };
        let (Some(header), Some(row_layout)) = (header, row_layout) else {
            return;
        };
        self.place_row(header, section, Role::Value, |_, _| None);
        self.row += 1;
        if sides.iter().all(Vec::is_empty) {
            self.blank_rows(block, row_layout);
            return;
        }
        for group in align(&sides) {
            let start = self.row;
            let height = group.height();
            // Each side's 二级指标 runs inside the group: (first row of the run, its length).
            let level2: Vec<Vec<(usize, usize)>> = group
                .members
                .iter()
                .zip(&sides)
                .map(|(m, rows)| {
                    let keys: Vec<String> = m.iter().map(|&k| rows[k].level2.to_string()).collect();
                    runs(&keys)
                })
                .collect();
            for r in 0..height {
                let row = self.row;
                let placed_before = self.cells.len();
                // The record of each side on this row.
                let at = |side: usize| group.members[side].get(r).copied();
                let side_at = |col: u32| {
                    let kind = block.table_at(col)?;
                    tables.iter().position(|(t, _)| *t == kind)
                };
                self.place_row(row_layout, section, Role::Value, |col, cell| {
                    if Some(col) == unit_col || Some(col) == sign_col {
                        let s = side_at(col).unwrap_or(0);
                        let k = at(s)?;
                        let (_, sign, unit) = parts(sides[s][k].main_target()?, has_sign, has_unit);
                        let text = if Some(col) == unit_col { unit } else { sign };
                        let text = text.filter(|t| !t.is_empty())?;
                        return Some((
                            Content::Text(text.to_string()),
                            FieldPath::Row(tables[s].0, k),
                        ));
                    }
                    if let LayoutCell::Field(FieldPath::Extra(key)) = cell {
                        let s = side_at(col).unwrap_or(0);
                        let k = at(s)?;
                        let extra = sides[s][k].extra.get(key)?;
                        let path = FieldPath::RowExtra(tables[s].0, k, *key);
                        return Some((extra_content(template, *key, extra.as_ref()), path));
                    }
                    let LayoutCell::Column(c) = cell else {
                        return None;
                    };
                    if *c == Column::Level1 {
                        // The group's 一级指标, under the first side that has a row here.
                        let (s, k) = (0..tables.len()).find_map(|s| Some((s, at(s)?)))?;
                        let path = FieldPath::Column(tables[s].0, k, Column::Level1);
                        return Some((Content::Text(group.level1.clone()), path));
                    }
                    let s = side_at(col)?;
                    let k = at(s)?;
                    let split = unit_col.is_some() || sign_col.is_some();
                    let content = match *c {
                        Column::Period | Column::Annual if split => {
                            let t = sides[s][k].target(*c);
                            Content::Text(
                                t.map(|t| parts(t, has_sign, has_unit).0)
                                    .unwrap_or_default(),
                            )
                        }
                        _ => indicator_content(&sides[s][k], *c),
                    };
                    Some((content, FieldPath::Column(tables[s].0, k, *c)))
                });
                // Categories merged down their groups: the first row of a group spans it, the
                // others are covered and point at it.
                for (s, (kind, _)) in tables.iter().enumerate() {
                    let Some(k) = at(s) else { continue };
                    for column in [Column::Level1, Column::Level2] {
                        let (run_start, run_len) = match column {
                            Column::Level1 if group.level1.is_empty() => (r, 1),
                            Column::Level1 => (0, height),
                            _ => level2[s].get(r).copied().unwrap_or((r, 1)),
                        };
                        self.merge_down(
                            placed_before,
                            row,
                            start,
                            (*kind, column),
                            (run_start, run_len),
                        );
                        let col = self.category_col(block, s, &tables, column, row_layout);
                        if let Some(col) = col {
                            let top = start + run_start as RowNum;
                            self.map
                                .insert(FieldPath::Column(*kind, k, column), (top, col));
                        }
                    }
                    self.row_points_at_name(*kind, k);
                }
                self.row += 1;
            }
        }
    }

    /// The sheet column of a category column of side `s`: its own, or the one the sides share.
    fn category_col(
        &self,
        block: &Block,
        s: usize,
        tables: &[(TableKind, Option<(u32, u32)>)],
        column: Column,
        row_layout: &LayoutRow,
    ) -> Option<ColNum> {
        row_layout
            .cells
            .iter()
            .enumerate()
            .find(|(i, c)| {
                **c == LayoutCell::Column(column)
                    && block.table_at(*i as u32).is_none_or(|t| t == tables[s].0)
            })
            .map(|(i, _)| i as ColNum)
    }

    /// A category cell of `kind` placed at `row` (among the cells placed since `placed_before`)
    /// spans its run from the run's first row, and is covered below it.
    fn merge_down(
        &mut self,
        placed_before: usize,
        row: RowNum,
        start: RowNum,
        (kind, column): (TableKind, Column),
        (run_start, run_len): (usize, usize),
    ) {
        let offset = (row - start) as usize;
        // 一级指标 may be the sides' shared cell; a 二级指标 is its side's own.
        let placed: Vec<usize> = (placed_before..self.cells.len())
            .filter(|&i| {
                let p = &self.cells[i];
                p.row == row
                    && matches!(p.field, Some(FieldPath::Column(t, _, c))
                        if c == column && (column == Column::Level1 || t == kind))
            })
            .collect();
        for i in placed.into_iter().rev() {
            if run_start == offset {
                let p = &mut self.cells[i];
                p.last_row = row + run_len as RowNum - 1;
                p.role = Role::Category;
            } else {
                // Covered by the run's first cell, which spans the same columns (a category
                // merged across two columns, as 二级指标 in B:C, is merged down as a block).
                self.cells.remove(i);
            }
        }
    }

    /// Place the cells of one layout row at `self.row`. `resolve` turns a field or column cell
    /// into its content and field path (`None`: an empty value cell). Column A is left to the
    /// section label when the block has one.
    fn place_row(
        &mut self,
        r: &LayoutRow,
        section: bool,
        role: Role,
        mut resolve: impl FnMut(u32, &LayoutCell) -> Option<(Content, FieldPath)>,
    ) {
        let spans: Vec<(ColNum, ColNum)> = r
            .merge
            .iter()
            .filter_map(|m| parse_span(m))
            .filter(|&(a, _)| a < self.width as u32)
            .map(|(a, b)| (a as ColNum, b.min(self.width as u32 - 1) as ColNum))
            .collect();
        for (this, cell) in (0..self.width).zip(&r.cells) {
            if section && this == 0 {
                continue;
            }
            if spans.iter().any(|&(a, b)| a < this && this <= b) {
                continue;
            }
            let last_col = spans
                .iter()
                .find(|&&(a, _)| a == this)
                .map(|&(_, b)| b)
                .unwrap_or(this);
            let (content, role, field) = match cell {
                LayoutCell::Label(text) => (Content::Text(text.clone()), Role::Label, None),
                value => match resolve(this as u32, value) {
                    Some((content, path)) => {
                        self.map.insert(path, (self.row, this));
                        (content, role, Some(path))
                    }
                    None if *value == LayoutCell::Empty => (Content::empty(), Role::Value, None),
                    None => (Content::empty(), role, None),
                },
            };
            self.cells.push(Placed {
                row: self.row,
                col: this,
                last_row: self.row,
                last_col,
                content,
                role,
                field,
            });
        }
    }

    /// Every grid cell no placed cell covers becomes an empty bordered cell, so that the borders
    /// run over the whole form. The title row is left as it is (a heading above the grid).
    fn fill_blanks(&mut self) {
        let title_rows: Vec<RowNum> = self
            .cells
            .iter()
            .filter(|p| matches!(p.role, Role::Title | Role::Subtitle))
            .flat_map(|p| p.row..=p.last_row)
            .collect();
        let mut extra = Vec::new();
        for row in 0..self.row {
            if title_rows.contains(&row) {
                continue;
            }
            for col in 0..self.width {
                if !self.cells.iter().any(|p| p.covers(row, col)) {
                    extra.push(Placed {
                        row,
                        col,
                        last_row: row,
                        last_col: col,
                        content: Content::empty(),
                        role: Role::Value,
                        field: None,
                    });
                }
            }
        }
        self.cells.extend(extra);
        self.cells.sort_by_key(|p| (p.row, p.col));
    }
}

/// The section a section label stands for: the table's, or that of the block's first field
/// (`budget.basic` → `budget`).
/// A table's header and record row without `column`: the cell right of it spans both places,
/// with the label above it. `None` when the layout has no such column, nothing right of it, or
/// merges there already.
fn without_column(
    header: &LayoutRow,
    row: &LayoutRow,
    column: Column,
) -> Option<(LayoutRow, LayoutRow)> {
    let i = row
        .cells
        .iter()
        .position(|c| *c == LayoutCell::Column(column))?;
    let j = i + 1;
    if j >= row.cells.len() || j >= header.cells.len() {
        return None;
    }
    let touches = |r: &LayoutRow| {
        r.merge.iter().filter_map(|m| parse_span(m)).any(|(a, b)| {
            (a as usize..=b as usize).contains(&i) || (a as usize..=b as usize).contains(&j)
        })
    };
    if touches(header) || touches(row) {
        return None;
    }
    let name = |c: usize| rust_xlsxwriter::utility::column_number_to_name(c as ColNum);
    let span = format!("{}:{}", name(i), name(j));
    let narrow = |r: &LayoutRow| {
        let mut cells = r.cells.clone();
        cells[i] = cells[j].clone();
        cells[j] = LayoutCell::Empty;
        let mut merge = r.merge.clone();
        merge.push(span.clone());
        LayoutRow { cells, merge }
    };
    Some((narrow(header), narrow(row)))
}

/// The rows of one indicator table of a record.
fn views(decl: &Declaration, kind: TableKind) -> Vec<IndicatorView<'_>> {
    decl.indicator_tables()
        .into_iter()
        .find(|(t, _)| *t == kind)
        .map(|(_, rows)| rows)
        .unwrap_or_default()
}

/// A 一级指标 group of an indicator table as drawn: its 一级指标, and the records of each side
/// in it (by index into the side's table), top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    level1: String,
    members: Vec<Vec<usize>>,
}

impl Group {
    /// Rows the group takes: its longest side's.
    fn height(&self) -> usize {
        self.members.iter().map(Vec::len).max().unwrap_or(0).max(1)
    }
}

/// Runs of consecutive records with the same non-empty 一级指标 (one run per record with none):
/// (一级指标, indexes).
fn level1_runs(rows: &[IndicatorView]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        match out.last_mut() {
            Some((key, members)) if !key.is_empty() && key == row.level1 => members.push(k),
            _ => out.push((row.level1.to_string(), vec![k])),
        }
    }
    out
}

/// The 一级指标 groups of the sides of an indicator table (one side for a department form, the
/// mid-term and annual blocks of a project form), in form order: a run of each side with the
/// same 一级指标 shares a group; a run whose 一级指标 another side reaches only later comes first
/// on its own, so that the sides stay in their own order.
fn align(sides: &[Vec<IndicatorView>]) -> Vec<Group> {
    let runs: Vec<Vec<(String, Vec<usize>)>> = sides.iter().map(|s| level1_runs(s)).collect();
    let mut pos = vec![0usize; runs.len()];
    let mut groups = Vec::new();
    loop {
        let heads: Vec<Option<&(String, Vec<usize>)>> =
            (0..runs.len()).map(|s| runs[s].get(pos[s])).collect();
        let live: Vec<usize> = (0..runs.len()).filter(|&s| heads[s].is_some()).collect();
        let Some(&first) = live.first() else {
            break;
        };
        let key_of = |s: usize| heads[s].map_or("", |(k, _)| k.as_str());
        // A side's head is due unless another side reaches its 一级指标 only further on.
        let due = live
            .iter()
            .copied()
            .find(|&s| {
                let key = key_of(s);
                key.is_empty()
                    || live.iter().all(|&o| {
                        o == s
                            || key_of(o) == key
                            || !runs[o][pos[o]..].iter().any(|(k, _)| k == key)
                    })
            })
            .unwrap_or(first);
        let key = key_of(due).to_string();
        let mut members = Vec::with_capacity(runs.len());
        for (s, head) in heads.iter().enumerate() {
            let joins = s == due || (!key.is_empty() && key_of(s) == key);
            match head {
                Some((_, m)) if joins => {
                    members.push(m.clone());
                    pos[s] += 1;
                }
                _ => members.push(Vec::new()),
            }
        }
        groups.push(Group {
            level1: key,
            members,
        });
    }
    groups
}

/// Runs of equal non-empty keys: for each index, (start of its run, length of its run).
fn runs(keys: &[String]) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 1); keys.len()];
    let mut i = 0;
    while i < keys.len() {
        let mut j = i + 1;
        if !keys[i].is_empty() {
            while j < keys.len() && keys[j] == keys[i] {
                j += 1;
            }
        }
        for slot in out.iter_mut().take(j).skip(i) {
            *slot = (i, j - i);
        }
        i = j;
    }
    out
}

/// The content of a `{field}` of a fields block.
fn field_content(decl: &Declaration, template: &Template, path: FieldPath) -> Content {
    let text = |s: &str| Content::Text(s.to_string());
    let department = decl.as_department();
    let project = decl.as_project();
    let basic_info = department.and_then(|d| d.basic_info.as_ref());
    match path {
        FieldPath::Title => {
            let title = if decl.title.trim().is_empty() {
                template.title.as_str()
            } else {
                decl.title.as_str()
            };
            // A year known from elsewhere (`--year`, a preamble line) goes into the title, so
            // that the standardized form states it and reads back with it; a layout with a
            // year line of its own (a project form's `（2024年度）`) states it there.
            match decl.year {
                Some(y) if decl.title.year().is_none() && !template.has_field(FieldPath::Year) => {
                    Content::Text(format!("{y}年度{title}"))
                }
                _ => text(title),
            }
        }
        // The year line under the title, with room to write the year when none is known.
        FieldPath::Year => match decl.year {
            Some(y) => Content::Text(format!("（{y}年度）")),
            None => text("（    年度）"),
        },
        FieldPath::Department => text(decl.department()),
        FieldPath::OverallGoal => text(department.map_or("", |d| &d.overall_goal)),
        FieldPath::OtherTasks => text(
            department
                .and_then(|d| d.other_tasks.as_deref())
                .unwrap_or(""),
        ),
        FieldPath::BasicInfo(BasicInfoField::FundedStaff) => {
            Content::Int(basic_info.and_then(|b| b.funded_staff))
        }
        FieldPath::BasicInfo(BasicInfoField::SubordinateUnits) => {
            Content::Int(basic_info.and_then(|b| b.subordinate_units))
        }
        FieldPath::Budget(_) | FieldPath::Funds(_) => Content::Money(decl.money(path)),
        // 主管部门及代码 holds both, as the budget system writes them: `[015001]名称`.
        FieldPath::Project(ProjectField::Department) => match project {
            Some(p) => match &p.project.department_code {
                Some(code) => Content::Text(format!("[{code}]{}", p.project.department)),
                None => text(&p.project.department),
            },
            None => Content::empty(),
        },
        FieldPath::Project(f) => text(project.map_or("", |p| p.project.get(f))),
        FieldPath::Goals(g) => text(project.map_or("", |p| p.goals.get(g))),
        FieldPath::Extra(k) => {
            extra_content(template, k, decl.extra().get(&k).and_then(Option::as_ref))
        }
        _ => Content::empty(),
    }
}

/// The content of an extra field, as its template declares it: an amount (also one read back
/// as text from a record or a worker), or its text.
fn extra_content(
    template: &Template,
    key: crate::model::ExtraKey,
    value: Option<&crate::model::ExtraValue>,
) -> Content {
    match (template.extra_kind(key), value) {
        (crate::model::ExtraKind::Money, Some(v)) if v.money().is_some() => {
            Content::Money(v.money())
        }
        (crate::model::ExtraKind::Money, None) => Content::Money(None),
        (_, Some(v)) => Content::Text(v.display()),
        (_, None) => Content::empty(),
    }
}

/// Whether a block's section label stands in column A beside its rows (the layout's rows then
/// leave column A to it), not on a row of its own above them.
fn beside(block: &Block) -> bool {
    block.section.is_some() && !block.section_row
}

/// The content of column `col` of task `k`.
fn task_content(decl: &Declaration, k: usize, col: Column) -> Content {
    let text = |s: &str| Content::Text(s.to_string());
    let Some(t) = decl.as_department().and_then(|d| d.tasks.get(k)) else {
        return Content::empty();
    };
    match col {
        Column::Name => text(&t.name),
        Column::Content => text(&t.content),
        Column::Funds => Content::Money(t.funds),
        Column::Outcome => text(&t.outcome),
        _ => Content::empty(),
    }
}

/// The content of column `col` of an indicator row.
fn indicator_content(i: &IndicatorView, col: Column) -> Content {
    let text = |s: &str| Content::Text(s.to_string());
    match col {
        Column::Level1 => text(i.level1),
        Column::Level2 => text(i.level2),
        Column::Name => text(i.name),
        Column::Period | Column::Annual => text(i.target(col).map_or("", |t| t.text.as_str())),
        _ => Content::empty(),
    }
}

/// How many columns a character takes in 宋体: its East Asian width, the ambiguous ones wide
/// (宋体 draws `“`, `≥`, `①`, Greek and Cyrillic full-width), by `unicode-width`; a control
/// character counts as one.
fn char_columns(c: char) -> usize {
    match c {
        // The bulk of a form's text, answered without the table: ASCII, and the common CJK
        // ideographs.
        '\0'..='\u{7e}' => 1,
        '\u{4e00}'..='\u{9fff}' => 2,
        // At most two: one sign (U+17D8) is three columns wide in unicode-width's table, but no
        // character takes more than a wide one in a cell.
        _ => unicode_width::UnicodeWidthChar::width_cjk(c).map_or(1, |w| w.min(2)),
    }
}

/// The columns of the longest run of narrow characters in a text (a word of Latin letters or
/// digits): what a cell must hold on one line, since a word breaks only in the middle. Wide
/// characters (CJK) break anywhere and count as none.
pub(crate) fn longest_word(text: &str) -> usize {
    text.split(|c: char| c.is_whitespace() || char_columns(c) > 1)
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// Lines a text needs in a cell `width` characters wide: each `\n` starts a line, and a line
/// wider than the cell wraps.
pub(crate) fn lines_needed(text: &str, width: f64) -> u32 {
    // A cell loses about one character to its padding; keep a little slack for word wrapping.
    let usable = ((width - 1.0) * 0.95).max(1.0);
    // No character takes more columns than its UTF-8 bytes, nor more than two: a short text is
    // one line, uncounted.
    let most = text.len().min(2 * text.chars().count());
    if most as f64 <= usable && !text.contains('\n') {
        return 1;
    }
    text.split('\n')
        .map(|line| {
            let cols: usize = line.chars().map(char_columns).sum();
            ((cols as f64 / usable).ceil() as u32).max(1)
        })
        .sum()
}

/// The height in points that shows `lines` lines of text.
fn height_for(lines: u32, role: Role) -> f64 {
    let (per_line, min) = match role {
        Role::Title => (TITLE_LINE_HEIGHT, 30.0),
        _ => (LINE_HEIGHT, MIN_ROW_HEIGHT),
    };
    (lines as f64 * per_line + 5.0).clamp(min, MAX_ROW_HEIGHT)
}

/// Row heights that show the whole text of every cell: a single-row cell sets its row's height;
/// a cell merged down several rows adds what its rows lack to the last of them.
fn row_heights(cells: &[Placed], widths: &[f64], rows: RowNum) -> Vec<f64> {
    let width_of = |p: &Placed| -> f64 {
        (p.col..=p.last_col)
            .map(|c| widths.get(c as usize).copied().unwrap_or(10.0))
            .sum()
    };
    let mut heights = vec![MIN_ROW_HEIGHT; rows as usize];
    for p in cells.iter().filter(|p| p.row == p.last_row) {
        let h = height_for(lines_needed(&p.content.shown(), width_of(p)), p.role);
        let slot = &mut heights[p.row as usize];
        *slot = slot.max(h);
    }
    for p in cells.iter().filter(|p| p.row < p.last_row) {
        let need = height_for(lines_needed(&p.content.shown(), width_of(p)), p.role);
        let have: f64 = heights[p.row as usize..=p.last_row as usize].iter().sum();
        if have < need {
            let last = &mut heights[p.last_row as usize];
            *last = (*last + need - have).min(MAX_ROW_HEIGHT);
        }
    }
    heights
}

/// The colour a marked cell gets; the greater wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Fill {
    Changed,
    Warning,
    Error,
}

impl Fill {
    pub(crate) fn color(self) -> Color {
        Color::RGB(match self {
            Fill::Changed => FILL_CHANGED,
            Fill::Warning => FILL_WARNING,
            Fill::Error => FILL_ERROR,
        })
    }
}

/// What a cell is marked with: a colour and the lines of its note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub fill: Option<Fill>,
    pub notes: Vec<String>,
}

impl Mark {
    fn add(&mut self, fill: Option<Fill>, note: String) {
        self.fill = self.fill.max(fill);
        if !note.is_empty() && !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// A finding on the cell: coloured while open (an info never), its message in the note.
    fn add_finding(&mut self, f: &Finding, lang: Lang) {
        let fill = match (f.is_open(), f.severity()) {
            (false, _) | (_, Severity::Info) => None,
            (true, Severity::Error) => Some(Fill::Error),
            (true, Severity::Warning) => Some(Fill::Warning),
        };
        self.add(fill, finding_text(f, lang));
    }
}

/// The cell a field path was written to: the path itself, or the nearest enclosing path that
/// was (`indicators[6].annual` → `indicators[6]`, `indicators[9]` → `indicators`).
pub fn cell_of(map: &CellMap, field: FieldPath) -> Option<(RowNum, ColNum)> {
    std::iter::successors(Some(field), |p| p.parent()).find_map(|p| map.get(&p).copied())
}

/// The marks of the cells, from the changes and findings (rules in the module doc).
pub(crate) fn marks(
    map: &CellMap,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> BTreeMap<(RowNum, ColNum), Mark> {
    let mut out: BTreeMap<(RowNum, ColNum), Mark> = BTreeMap::new();
    for c in changes {
        // Yellow is 已修正: a correction's cell. A change that is no correction (a split
        // target read across its cells) keeps its note, uncoloured; the values of an extra
        // column set aside (a change of a whole row) were never in a cell of the form.
        let fill = match (c.code.def().fixes, c.field) {
            (true, _) => Some(Fill::Changed),
            (false, FieldPath::Row(..)) => continue,
            (false, _) => None,
        };
        if let Some(cell) = cell_of(map, c.field) {
            let note = messages::write::NOTE_BEFORE.render(lang, &[("before", &c.before)]);
            out.entry(cell).or_default().add(fill, note);
        }
    }
    for f in findings {
        // A sum that does not add up colours the amounts it adds too (both sides), beside its
        // field's cell (the block's label, which the lists and the page link to).
        let main = f.field.and_then(|p| cell_of(map, p));
        for p in crate::check::summed_fields(f.code, f.field) {
            match map.get(&p) {
                Some(cell) if Some(*cell) != main => {
                    out.entry(*cell).or_default().add_finding(f, lang)
                }
                _ => {}
            }
        }
        let Some(cell) = main else {
            continue;
        };
        // `另见 Sheet1!D19` names the input; on the corrected form, the other field's cell here.
        match f.other.and_then(|p| cell_of(map, p)) {
            Some((row, col)) => {
                let here = rust_xlsxwriter::utility::row_col_to_cell(row, col);
                out.entry(cell)
                    .or_default()
                    .add_finding(&f.with_other_cell(&here), lang);
            }
            None => out.entry(cell).or_default().add_finding(f, lang),
        }
    }
    out
}

/// A finding's message as the workbook shows it: with a mark when it was corrected.
pub(crate) fn finding_text(f: &Finding, lang: Lang) -> String {
    let mut s = f.message(lang);
    if f.fixed {
        s.push_str(messages::write::FIXED_SUFFIX.get(lang));
    }
    s
}

/// Text Excel accepts in a cell: at most 32 767 UTF-16 units (longer text is cut, never an
/// error: a pasted novel still gives a workbook).
pub(crate) fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL_TEXT {
        // UTF-16 units never exceed UTF-8 bytes.
        return s.into();
    }
    let mut units = 0;
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT {
            end = i;
            break;
        }
    }
    s[..end].to_string().into()
}

/// Money in 万元: at least two decimals, and every further digit the form gives (four is an
/// exact yuan), as the record keeps them (docs/FORM.md).
pub(crate) const MONEY_FORMAT: &str = "0.00####";

/// The default cell format of every workbook jixiao writes (Excel's 常规 style, style 0):
/// wrapped, vertically centred, no border, in the workbook's default font (Calibri 11, whose
/// digit sets the unit of every column width: a 宋体 default would make every column of every
/// sheet a seventh wider in Excel and WPS, and the fitted print smaller). A cell written with no
/// format of its own has it: the list sheets write most of their cells so, as a format given
/// costs rust_xlsxwriter a hash of it for every cell. Their Chinese shows in the theme's font
/// for Chinese (宋体).
pub(crate) fn plain_format() -> Format {
    Format::new()
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// [`plain_format`] in the form's font, 宋体 11 pt: what the formats of the form and of the
/// list cells that need one start from.
pub(crate) fn text_base() -> Format {
    plain_format()
        .set_font_name(FONT)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(BODY_SIZE)
}

/// The body format every cell of the form starts from: [`text_base`] with thin borders.
pub(crate) fn body_format() -> Format {
    text_base().set_border(FormatBorder::Thin)
}

/// A number cell: right-aligned with the number format `num`, a small indent from the border.
pub(crate) fn number_format(num: &str) -> Format {
    number_on(body_format(), num)
}

/// A number cell of a list sheet: [`number_format`] without borders.
pub(crate) fn plain_number_format(num: &str) -> Format {
    number_on(text_base(), num)
}

fn number_on(base: Format, num: &str) -> Format {
    base.set_align(FormatAlign::Right)
        .set_indent(NUMBER_INDENT)
        .set_num_format(num)
}

fn format_for(p: &Placed, mark: Option<&Mark>) -> Format {
    let mut f = match p.role {
        Role::Title => Format::new()
            .set_font_name(FONT)
            .set_font_charset(FONT_CHARSET)
            .set_font_size(TITLE_SIZE)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap(),
        Role::Subtitle => Format::new()
            .set_font_name(FONT)
            .set_font_charset(FONT_CHARSET)
            .set_font_size(BODY_SIZE)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Role::Label | Role::Category => body_format().set_align(FormatAlign::Center),
        Role::Value => match p.content {
            Content::Money(_) => number_format(MONEY_FORMAT),
            Content::Int(_) => number_format("0"),
            Content::Text(_) => body_format().set_align(FormatAlign::Left),
        },
    };
    if let Some(fill) = mark.and_then(|m| m.fill) {
        f = f.set_background_color(fill.color());
    }
    f
}

fn put(ws: &mut Worksheet, p: &Placed, fmt: &Format) -> Result<(), WriteError> {
    put_cells(ws, p, fmt, true)
}

/// A placed cell's content with `fmt`; a merged range is merged when `merge`, or else (the
/// range is merged already) its cells are written over with the format.
fn put_cells(ws: &mut Worksheet, p: &Placed, fmt: &Format, merge: bool) -> Result<(), WriteError> {
    let number = match &p.content {
        Content::Money(Some(m)) => Some(money_number(*m)),
        Content::Int(Some(i)) => Some(*i as f64),
        _ => None,
    };
    let text = match &p.content {
        Content::Text(s) => cell_text(s).into_owned(),
        _ => String::new(),
    };
    if p.merged() && merge {
        ws.merge_range(p.row, p.col, p.last_row, p.last_col, &text, fmt)?;
    } else {
        if !text.is_empty() {
            ws.write_string_with_format(p.row, p.col, &text, fmt)?;
        } else {
            ws.write_blank(p.row, p.col, fmt)?;
        }
        // What merge_range does besides: every other cell of the range blank in the format.
        for row in p.row..=p.last_row {
            for col in p.col..=p.last_col {
                if (row, col) != (p.row, p.col) {
                    ws.write_blank(row, col, fmt)?;
                }
            }
        }
    }
    // rust_xlsxwriter merges with a string; a number goes over the first cell afterwards.
    if let Some(n) = number {
        ws.write_number_with_format(p.row, p.col, n, fmt)?;
    }
    Ok(())
}

fn note_for(mark: &Mark) -> Option<Note> {
    if mark.notes.is_empty() {
        return None;
    }
    let text = cell_text(&mark.notes.join("\n"))
        .chars()
        .take(30_000)
        .collect::<String>();
    let lines = lines_needed(&text, 40.0);
    Some(
        Note::new(text)
            .add_author_prefix(false)
            .set_author("jixiao")
            .set_font_name(FONT)
            .set_width(300)
            .set_height((24 + lines * 16).min(480)),
    )
}

/// Print setup of the form: A4 portrait, one page wide, narrow margins, centred, page numbers
/// in the footer.
fn page_setup(ws: &mut Worksheet, lang: Lang) {
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.25, 0.25, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer(messages::write::FOOTER.get(lang));
}

/// The legend of the colours, one row below the form (`row`), when a cell is coloured: 图例
/// and the three colours with their words, and under them what a coloured cell's note says.
/// Outside the form's borders, in column A: a reader takes it for the end of the form, as it
/// does a signature line.
fn legend(ws: &mut Worksheet, row: RowNum, widths: &[f64], lang: Lang) -> Result<(), WriteError> {
    use messages::{write as m, Level};
    let last = widths.len().saturating_sub(1) as ColNum;
    let font = |f: Format| f.set_font_name(FONT).set_font_charset(FONT_CHARSET);
    let label = font(
        Format::new()
            .set_bold()
            .set_align(FormatAlign::VerticalCenter),
    );
    ws.write_string_with_format(row, 0, m::LEGEND.get(lang), &label)?;
    let swatches = [
        (Level::Error, Fill::Error),
        (Level::Warning, Fill::Warning),
        (Level::Fixed, Fill::Changed),
    ];
    for (col, (level, fill)) in (1..=last).zip(swatches) {
        let f = body_format()
            .set_align(FormatAlign::Center)
            .set_background_color(fill.color());
        ws.write_string_with_format(row, col, level.word().get(lang), &f)?;
    }
    ws.set_row_height(row, MIN_ROW_HEIGHT)?;
    if last == 0 {
        return Ok(());
    }
    let notes = m::LEGEND_NOTES.get(lang);
    let text = font(
        Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter),
    );
    let below = row + 1;
    if last > 1 {
        ws.merge_range(below, 1, below, last, notes, &text)?;
    } else {
        ws.write_string_with_format(below, 1, notes, &text)?;
    }
    let width: f64 = widths[1..].iter().sum();
    ws.set_row_height(below, row_height_for([(notes, width)]))?;
    Ok(())
}

/// Draw the 申报表 of `decl` on `ws` in `template`'s canonical layout, mark its corrected cells
/// and the cells with findings, and return where each field was written.
pub fn write_form(
    ws: &mut Worksheet,
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> Result<CellMap, WriteError> {
    let form = marked_form(decl, template, findings, changes, lang);
    draw(ws, &form.layout, &form.marks, lang)?;
    Ok(form.layout.map)
}

/// The 申报表 of a declaration placed on its template's layout and marked: every cell with its
/// content, span, role and field, the row heights and column widths, and the colour and note
/// of each marked cell. The one source of the form's drawing: the xlsx writer ([`write_form`])
/// and the page's preview ([`super::preview`]) both consume it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MarkedForm {
    pub layout: Layout,
    pub marks: BTreeMap<(RowNum, ColNum), Mark>,
}

/// A cell of a drawn 申报表 with its mark, kept so that a finding only a whole batch can make
/// (`department-duplicate`, once every form is read) can still mark it: [`Kept::remark`].
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    placed: Placed,
    mark: Mark,
    /// Where the legend of the colours goes (its row, the form's widths) when the form was
    /// drawn without one, no cell being coloured: drawn once the cell is.
    legend: Option<(RowNum, Vec<f64>)>,
}

impl Kept {
    /// The cell `field` is drawn in on `form`, with its mark; `None` when not drawn.
    pub(crate) fn of(form: &MarkedForm, field: FieldPath) -> Option<Kept> {
        let at = form.layout.map.get(&field)?;
        let placed = form
            .layout
            .cells
            .iter()
            .find(|p| (p.row, p.col) == *at)?
            .clone();
        let mark = form.marks.get(at).cloned().unwrap_or_default();
        let legend = (!form.marks.values().any(|m| m.fill.is_some()))
            .then(|| (legend_row(&form.layout), form.layout.widths.clone()));
        Some(Kept {
            placed,
            mark,
            legend,
        })
    }

    /// Mark the kept cell, on the sheet it was drawn on, with one more finding, as if the
    /// finding had been there when it was drawn: its colour and its note.
    pub(crate) fn remark(
        &mut self,
        ws: &mut Worksheet,
        finding: &Finding,
        lang: Lang,
    ) -> Result<(), WriteError> {
        self.mark.add_finding(finding, lang);
        let p = &self.placed;
        put_cells(ws, p, &format_for(p, Some(&self.mark)), false)?;
        if let Some(note) = note_for(&self.mark) {
            ws.insert_note(p.row, p.col, &note)?;
        }
        if self.mark.fill.is_some() {
            if let Some((row, widths)) = self.legend.take() {
                legend(ws, row, &widths, lang)?;
            }
        }
        Ok(())
    }
}

/// Place and mark the 申报表 of `decl` ([`MarkedForm`]).
pub(crate) fn marked_form(
    decl: &Declaration,
    template: &Template,
    findings: &[Finding],
    changes: &[Change],
    lang: Lang,
) -> MarkedForm {
    let layout = layout(decl, template);
    let marks = marks(&layout.map, findings, changes, lang);
    MarkedForm { layout, marks }
}

/// Write a placed form with its marks, and the legend of their colours below it.
pub(crate) fn draw(
    ws: &mut Worksheet,
    lay: &Layout,
    marks: &BTreeMap<(RowNum, ColNum), Mark>,
    lang: Lang,
) -> Result<(), WriteError> {
    for (c, w) in lay.widths.iter().enumerate().take(16_384) {
        ws.set_column_width(c as ColNum, *w)?;
    }
    for (r, h) in lay.heights.iter().enumerate() {
        ws.set_row_height(r as RowNum, *h)?;
    }
    for p in &lay.cells {
        let mark = marks.get(&(p.row, p.col));
        put(ws, p, &format_for(p, mark))?;
        if let Some(note) = mark.and_then(note_for) {
            ws.insert_note(p.row, p.col, &note)?;
        }
    }
    if marks.values().any(|m| m.fill.is_some()) {
        legend(ws, legend_row(lay), &lay.widths, lang)?;
    }
    page_setup(ws, lang);
    Ok(())
}

/// The row of the legend below a drawn form: a blank row between them.
fn legend_row(lay: &Layout) -> RowNum {
    lay.heights.len() as RowNum + 1
}

/// The height in points of a row whose cells hold `texts`, each with its column width: enough
/// for the tallest.
pub(crate) fn row_height_for<'a>(texts: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    texts
        .into_iter()
        .map(|(t, w)| height_for(lines_needed(t, w), Role::Value))
        .fold(MIN_ROW_HEIGHT, f64::max)
}

/// The height of `lines` lines of body text (for the blank form's writing room).
pub(crate) fn lines_height(lines: u32) -> f64 {
    height_for(lines, Role::Value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Indicator, Section, Target, Task};
    use rust_xlsxwriter::utility::row_col_to_cell;

    pub(crate) fn record(name: &str) -> Declaration {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}.expected.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        serde_json::from_value(v["records"].clone()).unwrap()
    }

    fn gz() -> Template {
        Template::builtin_by_id("gz-dept-overall").unwrap()
    }

    fn empty_decl() -> Declaration {
        Declaration {
            format: crate::model::DECLARATION_FORMAT.into(),
            template: "gz-dept-overall".into(),
            source: Default::default(),
            title: Default::default(),
            year: None,
            body: crate::model::Body::Department(Default::default()),
            cells: Default::default(),
        }
    }

    fn find(lay: &Layout, row: RowNum, col: ColNum) -> &Placed {
        lay.cells
            .iter()
            .find(|p| p.row == row && p.col == col)
            .unwrap_or_else(|| panic!("no cell at {}", row_col_to_cell(row, col)))
    }

    #[test]
    fn panyu_lands_on_the_canonical_addresses() {
        let lay = layout(&record("panyu"), &gz());
        let at = |p: &str| {
            let path: FieldPath = p.parse().unwrap();
            lay.map.get(&path).map(|&(r, c)| row_col_to_cell(r, c))
        };
        assert_eq!(at("title").as_deref(), Some("A1"));
        assert_eq!(at("department").as_deref(), Some("B2"));
        assert_eq!(at("budget").as_deref(), Some("A3"));
        assert_eq!(at("budget.basic").as_deref(), Some("C4"));
        assert_eq!(at("budget.appropriation").as_deref(), Some("E4"));
        assert_eq!(at("budget.transfer").as_deref(), Some("E8"));
        assert_eq!(at("overall_goal").as_deref(), Some("B9"));
        assert_eq!(at("tasks").as_deref(), Some("A10"));
        assert_eq!(at("tasks[0].name").as_deref(), Some("B11"));
        assert_eq!(at("tasks[2].funds").as_deref(), Some("D13"));
        assert_eq!(at("tasks[2].outcome").as_deref(), Some("E13"));
        assert_eq!(at("other_tasks").as_deref(), Some("B14"));
        assert_eq!(at("indicators").as_deref(), Some("A15"));
        assert_eq!(at("indicators[0].level1").as_deref(), Some("B16"));
        // 一级 and 二级 point at the first row of their group.
        assert_eq!(at("indicators[4].level1").as_deref(), Some("B16"));
        assert_eq!(at("indicators[4].level2").as_deref(), Some("C20"));
        assert_eq!(at("indicators[6].level2").as_deref(), Some("C21"));
        assert_eq!(at("indicators[7].annual").as_deref(), Some("F23"));
        assert_eq!(at("indicators[7]").as_deref(), Some("D23"));

        let title = find(&lay, 0, 0);
        assert_eq!((title.last_row, title.last_col), (0, 5));
        let section = find(&lay, 2, 0);
        assert_eq!((section.last_row, section.last_col), (7, 0));
        let tasks = find(&lay, 9, 0);
        assert_eq!((tasks.last_row, tasks.last_col), (12, 0));
        let level1 = find(&lay, 15, 1);
        assert_eq!((level1.last_row, level1.last_col), (19, 1));
        assert_eq!(level1.content, Content::Text("产出指标".into()));
        let benefit = find(&lay, 20, 1);
        assert_eq!(benefit.last_row, 22);
        let quantity = find(&lay, 15, 2);
        assert_eq!(quantity.last_row, 18);
        assert_eq!(
            find(&lay, 3, 2).content,
            Content::Money(Some("440.65".parse().unwrap()))
        );
        // Every grid cell below the title is covered exactly once.
        let rows = lay.heights.len() as RowNum;
        assert_eq!(rows, 23);
        for r in 1..rows {
            for c in 0..6 {
                let n = lay.cells.iter().filter(|p| p.covers(r, c)).count();
                assert_eq!(n, 1, "{}", row_col_to_cell(r, c));
            }
        }
    }

    /// docs/FORM.md §1.6: the project form lands on the Ministry's addresses, its two indicator
    /// blocks side by side and aligned by 一级指标 group (the longer side sets a group's
    /// height), the 一级指标 shared and merged down each group.
    #[test]
    fn a_project_lands_on_the_official_project_layout() {
        let project = Template::builtin_by_id("mof-project").unwrap();
        let lay = layout(&record("project-library"), &project);
        let at = |p: &str| {
            let path: FieldPath = p.parse().unwrap();
            lay.map.get(&path).map(|&(r, c)| row_col_to_cell(r, c))
        };
        for (field, cell) in [
            ("title", "A1"),
            ("year", "A2"),
            ("project.name", "B3"),
            ("project.department", "B4"),
            ("project.implementer", "F4"),
            ("project.attribute", "B5"),
            ("project.period", "F5"),
            ("funds", "A6"),
            ("funds.period_total", "C6"),
            ("funds.annual_total", "F6"),
            ("funds.period_appropriation", "C7"),
            ("funds.annual_appropriation", "F7"),
            ("funds.period_other", "C8"),
            ("funds.annual_other", "F8"),
            ("goals", "A9"),
            ("goals.period", "B10"),
            ("goals.annual", "E10"),
            ("indicators", "A11"),
            ("period_indicators[0].level1", "B12"),
            ("period_indicators[0].level2", "C12"),
            ("period_indicators[0].name", "D12"),
            ("period_indicators[0].period", "E12"),
            ("indicators[0].level1", "B12"),
            ("indicators[0].level2", "F12"),
            ("indicators[0].name", "G12"),
            ("indicators[0].annual", "H12"),
            // 产出指标: four annual rows beside two mid-term ones; then 效益, 满意度.
            ("indicators[3].annual", "H15"),
            ("indicators[3].level1", "B12"),
            ("period_indicators[2].name", "D16"),
            ("indicators[4].name", "G16"),
            ("period_indicators[3].level1", "B17"),
            ("indicators[5].annual", "H17"),
        ] {
            assert_eq!(at(field).as_deref(), Some(cell), "{field}");
        }
        assert_eq!(
            find(&lay, 1, 0).content,
            Content::Text("（2025年度）".into())
        );
        assert_eq!(find(&lay, 1, 0).role, Role::Subtitle);
        let level1 = find(&lay, 11, 1);
        assert_eq!(
            (level1.last_row, level1.content.shown().as_str()),
            (14, "产出指标")
        );
        // The mid-term block has no rows 14 and 15 of 产出指标: empty cells, no field.
        assert_eq!(find(&lay, 13, 3).field, None);
        assert_eq!(find(&lay, 13, 3).content, Content::empty());
        assert_eq!(find(&lay, 10, 4).content, Content::Text("指标值".into()));
        // Every grid cell below the heading is covered exactly once.
        let rows = lay.heights.len() as RowNum;
        assert_eq!(rows, 17);
        for r in 2..rows {
            for c in 0..8 {
                let n = lay.cells.iter().filter(|p| p.covers(r, c)).count();
                assert_eq!(n, 1, "{}", row_col_to_cell(r, c));
            }
        }
    }

    /// Groups of the two blocks pair by 一级指标, each side in its own order; a side's group that
    /// the other reaches only later comes first on its own.
    #[test]
    fn blocks_align_by_level1_group() {
        let t = Target::empty();
        let row = |l1: &str| Indicator {
            extra: Default::default(),
            level1: l1.into(),
            level2: String::new(),
            name: "x".into(),
            period: None,
            annual: t.clone(),
        };
        let period = [row("产出指标"), row("效益指标"), row("效益指标")];
        let annual = [
            row("满意度指标"),
            row("产出指标"),
            row("产出指标"),
            row("效益指标"),
        ];
        fn views(rows: &[Indicator]) -> Vec<IndicatorView<'_>> {
            rows.iter().map(Indicator::view).collect()
        }
        let groups = align(&[views(&period), views(&annual)]);
        let got: Vec<(&str, Vec<usize>, Vec<usize>)> = groups
            .iter()
            .map(|g| {
                (
                    g.level1.as_str(),
                    g.members[0].clone(),
                    g.members[1].clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("满意度指标", vec![], vec![0]),
                ("产出指标", vec![0], vec![1, 2]),
                ("效益指标", vec![1, 2], vec![3]),
            ]
        );
        assert_eq!(groups[2].height(), 2);
        // One side: its runs of 一级指标, a row without one on its own.
        let groups = align(&[views(&[row("产出指标"), row(""), row(""), row("产出指标")])]);
        let heights: Vec<usize> = groups.iter().map(Group::height).collect();
        assert_eq!(heights, [1, 1, 1, 1]);
    }

    #[test]
    fn zhanjiang_has_basic_info_and_no_period_column() {
        let zj = Template::builtin_by_id("zj-dept-overall").unwrap();
        let lay = layout(&record("zhanjiang"), &zj);
        let at = |p: &str| {
            let path: FieldPath = p.parse().unwrap();
            lay.map.get(&path).map(|&(r, c)| row_col_to_cell(r, c))
        };
        assert_eq!(at("basic_info.funded_staff").as_deref(), Some("C3"));
        assert_eq!(at("basic_info.subordinate_units").as_deref(), Some("E3"));
        assert_eq!(at("budget.basic").as_deref(), Some("C5"));
        assert_eq!(at("indicators[0].annual").as_deref(), Some("E18"));
        assert!(!lay
            .map
            .keys()
            .any(|k| matches!(k, FieldPath::Column(_, _, Column::Period))));
        assert_eq!(
            find(&lay, 2, 2).content,
            Content::Int(Some(750)),
            "funded staff"
        );
        assert!(lay.cells.iter().all(|p| p.last_col <= 4));
    }

    /// A form read without a 实施周期指标值 column (the budget system's layout) is drawn without
    /// one: 年度指标值 spans its place, header and rows, so that the written form claims no
    /// period target it never had, and reads back with none.
    #[test]
    fn a_record_without_period_targets_has_no_period_column() {
        let lay = layout(&record("split-sign-unit"), &gz());
        let at = |p: &str| {
            let path: FieldPath = p.parse().unwrap();
            lay.map.get(&path).map(|&(r, c)| row_col_to_cell(r, c))
        };
        let annual = at("indicators[0].annual").unwrap();
        assert!(annual.starts_with('E'), "{annual}");
        assert!(!lay
            .map
            .keys()
            .any(|k| matches!(k, FieldPath::Column(_, _, Column::Period))));
        let (r, _) = lay.map[&"indicators[0].annual".parse::<FieldPath>().unwrap()];
        let value = find(&lay, r, 4);
        assert_eq!((value.col, value.last_col), (4, 5));
        let header = find(&lay, r - 1, 4);
        assert_eq!(header.content, Content::Text("年度指标值".into()));
        assert_eq!((header.col, header.last_col), (4, 5));
        assert!(!lay
            .cells
            .iter()
            .any(|p| p.content == Content::Text("实施周期指标值".into())));
        // With period targets (Panyu), the column is there.
        let panyu = layout(&record("panyu"), &gz());
        assert!(panyu
            .cells
            .iter()
            .any(|p| p.content == Content::Text("实施周期指标值".into())));
    }

    #[test]
    fn an_empty_record_gets_blank_rows_and_never_panics() {
        let lay = layout(&empty_decl(), &gz());
        // title, department, 6 budget rows, goal, header + 3 task rows, other, header + 6.
        assert_eq!(lay.heights.len(), 1 + 1 + 6 + 1 + 4 + 1 + 7);
        assert_eq!(
            find(&lay, 0, 0).content,
            Content::Text("部门整体预算绩效目标申报表".into())
        );
        assert!(!lay.map.contains_key(&FieldPath::task(0, Column::Name)));
    }

    #[test]
    fn long_text_gets_tall_rows_but_never_above_the_limit() {
        let mut d = empty_decl();
        d.as_department_mut().unwrap().overall_goal = "很长的目标".repeat(40) + "\n第二行\n第三行";
        let lay = layout(&d, &gz());
        let (r, _) = lay.map[&FieldPath::OverallGoal];
        // 200 CJK = 400 columns over B:F (98 wide) → 5 lines, + 2 lines.
        assert_eq!(
            lines_needed(&d.as_department_mut().unwrap().overall_goal, 98.0),
            7
        );
        assert_eq!(lay.heights[r as usize], 7.0 * 15.0 + 5.0);
        d.as_department_mut().unwrap().overall_goal = "字".repeat(100_000);
        let lay = layout(&d, &gz());
        assert_eq!(lay.heights[r as usize], MAX_ROW_HEIGHT);
        assert_eq!(
            cell_text(&d.as_department_mut().unwrap().overall_goal)
                .chars()
                .count(),
            32_767
        );
    }

    #[test]
    fn character_widths() {
        assert_eq!(lines_needed("", 10.0), 1);
        assert_eq!(lines_needed("a\nb", 10.0), 2);
        // 11 characters wide: 9.5 columns usable. Four wide characters fit, five wrap; ten
        // narrow ones wrap too.
        assert_eq!(lines_needed("中文中文", 11.0), 1);
        assert_eq!(lines_needed("中文中文中", 11.0), 2);
        assert_eq!(lines_needed("abcdefghi", 11.0), 1);
        assert_eq!(lines_needed("abcdefghij", 11.0), 2);
        assert_eq!(char_columns('中'), 2);
        assert_eq!(char_columns('≥'), 2);
        assert_eq!(char_columns('（'), 2);
        assert_eq!(char_columns('a'), 1);
        // The shortcuts agree with the table; nothing is wider than two.
        for c in ('\0'..='\u{7e}').chain('\u{4e00}'..='\u{9fff}') {
            let table = unicode_width::UnicodeWidthChar::width_cjk(c).map_or(1, |w| w.min(2));
            assert_eq!(char_columns(c), table, "{c:?}");
        }
        assert_eq!(char_columns('\u{17d8}'), 2);
    }

    #[test]
    fn runs_group_equal_neighbours_only() {
        let k = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            runs(&k(&["a", "a", "b", "a", "", ""])),
            [(0, 2), (0, 2), (2, 1), (3, 1), (4, 1), (5, 1)]
        );
        assert_eq!(runs(&[]), []);
    }

    #[test]
    fn money_number_is_the_nearest_float() {
        assert_eq!(money_number("440.65".parse().unwrap()), 440.65);
        assert_eq!(money_number("926.6100".parse().unwrap()), 926.61);
        assert_eq!(money_number("-3".parse().unwrap()), -3.0);
    }

    #[test]
    fn marks_follow_the_rules() {
        let lay = layout(&record("panyu"), &gz());
        let change = Change {
            code: Code::TargetSymbol,
            field: FieldPath::indicator(0, Column::Annual),
            cell: Some("Sheet1!F16".into()),
            before: "≧12次".into(),
            after: "≥12次".into(),
        };
        let err =
            Finding::new(Code::TemplateUnknown).field(FieldPath::indicator(0, Column::Annual));
        let section = Finding::new(Code::FileUnreadable)
            .field(FieldPath::Section(crate::model::Section::Budget));
        let whole = Finding::new(Code::FileUnreadable);
        let fixed = Finding::new(Code::FileUnreadable)
            .field(FieldPath::Department)
            .fixed(true);
        let m = marks(&lay.map, &[err, section, whole, fixed], &[change], Lang::Zh);
        let f16 = &m[&(15, 5)];
        assert_eq!(f16.fill, Some(Fill::Error));
        assert_eq!(f16.notes[0], "原值：≧12次");
        assert_eq!(f16.notes.len(), 2);
        assert_eq!(m[&(2, 0)].fill, Some(Fill::Error));
        assert_eq!(m[&(1, 1)].fill, None);
        assert!(m[&(1, 1)].notes[0].ends_with("（已自动修正）"));
        assert_eq!(m.len(), 3);
        let mut mark = Mark::default();
        mark.add(Some(Fill::Warning), "w".into());
        mark.add(Some(Fill::Changed), "c".into());
        assert_eq!(mark.fill, Some(Fill::Warning));
        mark.add(Some(Fill::Error), "w".into());
        assert_eq!(mark.fill, Some(Fill::Error));
        assert_eq!(mark.notes, ["w", "c"]);
    }

    /// A duplicate's note on the corrected form names the first indicator's cell in the
    /// corrected form, not in the input (where rows may have been inserted): `另见 D19` of the
    /// input was `另见 Sheet1!D22` on a form whose D22 is the duplicate itself.
    #[test]
    fn a_duplicate_note_names_the_cell_in_the_corrected_form() {
        let lay = layout(&record("panyu"), &gz());
        let first: FieldPath = "indicators[3].name".parse().unwrap();
        let second: FieldPath = "indicators[6].name".parse().unwrap();
        let f = Finding::new(Code::IndicatorDuplicate)
            .field(second)
            .param(crate::model::Hole::Name, "开展园区环保巡检")
            .param(crate::model::Hole::OtherCell, "Sheet1!D25")
            .other(first);
        let m = marks(&lay.map, &[f], &[], Lang::Zh);
        let (row, col) = cell_of(&lay.map, first).unwrap();
        let here = row_col_to_cell(row, col);
        let note = &m[&cell_of(&lay.map, second).unwrap()].notes;
        assert_eq!(
            note,
            &[format!("三级指标“开展园区环保巡检”重复出现（另见 {here}）")]
        );
        assert_ne!(here, "D25");
    }

    /// A sum that does not add up colours the amounts it adds, both sides, beside the block's
    /// label (the cell the lists link to); an amount outside the sum stays white, and a cell
    /// that is both (a project's total) gets the note once.
    #[test]
    fn an_unbalanced_sum_colours_its_amounts() {
        let lay = layout(&record("panyu"), &gz());
        let budget = |f: &str| lay.map[&format!("budget.{f}").parse::<FieldPath>().unwrap()];
        let f = Finding::new(Code::BudgetUnbalanced).field(FieldPath::Section(Section::Budget));
        let m = marks(&lay.map, &[f], &[], Lang::Zh);
        let label = cell_of(&lay.map, FieldPath::Section(Section::Budget)).unwrap();
        for cell in [
            label,
            budget("basic"),
            budget("project"),
            budget("appropriation"),
            budget("other_funds"),
        ] {
            assert_eq!(m[&cell].fill, Some(Fill::Error), "{cell:?}");
            assert_eq!(m[&cell].notes.len(), 1, "{cell:?}");
        }
        assert!(!m.contains_key(&budget("own_level")));
        assert_eq!(m.len(), 5);
    }

    /// Issue 12: yellow is 已修正. A change that is no correction colours nothing: a split
    /// target read across its cells keeps its note, the set-aside values of an extra column
    /// (a change of a whole row) mark nothing.
    #[test]
    fn only_corrections_are_yellow() {
        let lay = layout(&record("panyu"), &gz());
        let change = |code, field: &str| Change {
            code,
            field: field.parse().unwrap(),
            cell: None,
            before: "x".into(),
            after: String::new(),
        };
        let m = marks(
            &lay.map,
            &[],
            &[
                change(Code::ColumnExtra, "indicators[0]"),
                change(Code::TargetSplitConflict, "indicators[1].annual"),
                change(Code::TargetSymbol, "indicators[2].annual"),
            ],
            Lang::Zh,
        );
        assert!(!m.contains_key(&(15, 3)), "the row's name cell");
        assert_eq!(m[&(16, 5)].fill, None);
        assert_eq!(m[&(16, 5)].notes, ["原值：x"]);
        assert_eq!(m[&(17, 5)].fill, Some(Fill::Changed));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn cell_of_falls_back_to_the_enclosing_path() {
        let lay = layout(&record("panyu"), &gz());
        let at = |p: &str| cell_of(&lay.map, p.parse().unwrap());
        assert_eq!(at("indicators[6].name"), Some((21, 3)));
        assert_eq!(at("indicators[6].annual"), Some((21, 5)));
        assert_eq!(at("indicators[60].annual"), Some((14, 0)));
        assert_eq!(at("indicators[60]"), Some((14, 0)));
        assert_eq!(at("tasks[1]"), Some((11, 1)));
        assert_eq!(at("labels"), None);
        assert_eq!(at("basic_info.funded_staff"), None);
    }

    #[test]
    fn odd_records_never_panic() {
        let mut d = empty_decl();
        d.as_department_mut().unwrap().tasks = vec![Task::default(); 3];
        let t = Target::empty();
        d.as_department_mut().unwrap().indicators = vec![
            Indicator {
                extra: Default::default(),
                level1: String::new(),
                level2: String::new(),
                name: "=SUM(A1)\u{0}\u{1b}".into(),
                period: None,
                annual: t.clone(),
            };
            4
        ];
        for t in Template::builtin() {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            write_form(ws, &d, &t, &[], &[], Lang::En).unwrap();
            wb.save_to_buffer().unwrap();
        }
    }
}
