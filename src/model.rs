//! The typed records: what one filled form *says*, independent of the shape of the file it came
//! from. `locate` produces a [`crate::locate::RawForm`] (cell values with their positions);
//! `normalize` turns that into a [`Declaration`], the public data contract of docs/RECORDS.md §1: what
//! every form has, and a [`Body`] of its kind, a department form's ([`DepartmentBody`]) or a
//! project form's ([`ProjectBody`], §1.1), so that code reading a field says which kind has it.
//!
//! Money is [`Money`], an exact decimal (`rust_decimal`); it never passes through `f64` except in
//! the one place where the writer hands a number to `rust_xlsxwriter`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::messages::named;
pub use crate::messages::{Code, Hole, Level, Severity};

/// The `format` value of a declaration record.
pub const DECLARATION_FORMAT: &str = "jixiao.declaration/1";
/// The `format` value of a declaration record with a template's extra fields (docs/RECORDS.md
/// §1.2): a `/1` record plus `extra` keys.
pub const DECLARATION_FORMAT_2: &str = "jixiao.declaration/2";
/// The `format` value of a check report.
pub const REPORT_FORMAT: &str = "jixiao.report/1";

/// Excel's limit on the length of a cell's text, in UTF-16 units: a longer text is cut in every
/// workbook written (`text-too-long` says so).
pub const MAX_CELL_TEXT: usize = 32_767;

/// The name of a field a template declares beyond the record's own (its `[extra]` table,
/// docs/TEMPLATES.md): `budget_code`, `explanation`. A name is 1 to 48 letters, digits or `_`;
/// names are interned, so that a key is `Copy` like the rest of a [`FieldPath`]. A run interns at
/// most [`ExtraKey::MAX`] names (the templates' declarations and the paths read back): a
/// hostile file cannot grow the table.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExtraKey(&'static str);

static EXTRA_NAMES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

impl ExtraKey {
    /// The most names a run interns.
    pub const MAX: usize = 4096;

    /// The key of a name; `None` for a name that is no key (empty, too long, a character other
    /// than a letter, a digit or `_`), or past [`ExtraKey::MAX`] names.
    pub fn new(name: &str) -> Option<ExtraKey> {
        let ok = (1..=48).contains(&name.chars().count())
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !ok {
            return None;
        }
        let mut names = EXTRA_NAMES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = names.get(name) {
            return Some(ExtraKey(known));
        }
        if names.len() >= ExtraKey::MAX {
            return None;
        }
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(leaked);
        Some(ExtraKey(leaked))
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for ExtraKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExtraKey({:?})", self.0)
    }
}

impl fmt::Display for ExtraKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for ExtraKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for ExtraKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExtraKey, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        ExtraKey::new(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("no extra field name {text:?}")))
    }
}

/// What a template's extra field holds (`[extra]`: `"text"` or `"money"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ExtraKind {
    /// A text, trimmed as every text of the record.
    #[default]
    Text,
    /// An amount in 万元, read and corrected as the budget's amounts are.
    Money,
}

/// The value of an extra field: a text, or an amount. In JSON a string (an amount as a decimal
/// string, as the budget's); read back, a string is a text, and [`ExtraValue::money`] reads an
/// amount from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraValue {
    Text(String),
    Money(Money),
}

impl ExtraValue {
    /// The amount it holds, or the one its text writes as a plain decimal.
    pub fn money(&self) -> Option<Money> {
        match self {
            ExtraValue::Money(m) => Some(*m),
            ExtraValue::Text(t) => Money::from_str(t).ok(),
        }
    }

    /// The value as the record writes it.
    pub fn display(&self) -> String {
        match self {
            ExtraValue::Text(t) => t.clone(),
            ExtraValue::Money(m) => m.display(),
        }
    }
}

impl Serialize for ExtraValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ExtraValue::Text(t) => s.serialize_str(t),
            ExtraValue::Money(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ExtraValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExtraValue, D::Error> {
        String::deserialize(d).map(ExtraValue::Text)
    }
}

/// A record's (or a table row's) extra fields by name, each `None` where its cell is empty.
pub type Extras = BTreeMap<ExtraKey, Option<ExtraValue>>;

/// The tables of a layout's own (a cost table), by name: each row's columns.
pub type OwnTables = BTreeMap<ExtraKey, Vec<Extras>>;

/// A cell position, absolute and zero-based, on a named sheet. Displays as `Sheet1!E4`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// Shared: a form has a hundred cells on one sheet, and a batch keeps thousands of forms.
    pub sheet: std::sync::Arc<str>,
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(sheet: impl Into<std::sync::Arc<str>>, row: u32, col: u32) -> CellRef {
        CellRef {
            sheet: sheet.into(),
            row,
            col,
        }
    }

    /// `E4`, without the sheet.
    pub fn a1(&self) -> String {
        // Cells come from readers bounded far below Excel's last column.
        let col =
            rust_xlsxwriter::ColNum::try_from(self.col).unwrap_or(rust_xlsxwriter::ColNum::MAX);
        rust_xlsxwriter::utility::row_col_to_cell(self.row, col)
    }
}

impl fmt::Display for CellRef {
    /// `Sheet1!E4`; a sheet name Excel would quote in a reference is quoted (`'My Sheet'!B1`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sheet = rust_xlsxwriter::utility::quote_sheet_name(&self.sheet);
        write!(f, "{sheet}!{}", self.a1())
    }
}

/// An exact amount of money in 万元. Serializes as a string with at least two decimals
/// (`"46.00"`, `"926.6100"` keeps the digits the file gave).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    pub fn zero() -> Money {
        Money(Decimal::ZERO)
    }

    /// The exact sum of the filled amounts: `None` when none is filled, or when the sum leaves
    /// the decimal range (amounts no budget has, but a file may hold). Never panics.
    pub fn total(amounts: impl IntoIterator<Item = Option<Money>>) -> Option<Money> {
        let mut filled = amounts.into_iter().flatten().peekable();
        filled.peek()?;
        filled
            .try_fold(Decimal::ZERO, |acc, m| acc.checked_add(m.0))
            .map(Money)
    }

    /// The decimal, with at least two decimal places.
    pub fn display(&self) -> String {
        let mut d = self.0;
        if d.scale() < 2 {
            d.rescale(2);
        }
        d.to_string()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl FromStr for Money {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Money, Self::Err> {
        Decimal::from_str(s.trim()).map(Money)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        // Accept a string (the contract) and, leniently, a JSON number written by other tools.
        // A visitor, not a `serde_json::Value`: a batch reads thousands of amounts back from
        // its worker processes.
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("money must be a decimal string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Money, E> {
                Money::from_str(s).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Money, E> {
                self.visit_str(&n.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Money, E> {
                self.visit_str(&n.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Money, E> {
                self.visit_str(&n.to_string())
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Where the form was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    pub file: String,
    pub sheet: Option<String>,
    /// Where on its sheet the form is (`A27:F49`), when the sheet holds several forms
    /// (docs/FORM.md §1.4); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
}

impl Source {
    /// The sheet as a person names the form's place: `Sheet1`, or `Sheet1!A27:F49` when the
    /// sheet holds several forms, so that two forms of one sheet are told apart in reports and
    /// written workbooks. `None` for CSV.
    pub fn place(&self) -> Option<std::borrow::Cow<'_, str>> {
        let sheet = self.sheet.as_deref()?;
        Some(match &self.range {
            Some(range) => format!("{sheet}!{range}").into(),
            None => sheet.into(),
        })
    }
}

/// `基本信息` of the `zj-dept-overall` variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    pub funded_staff: Option<i64>,
    pub subordinate_units: Option<i64>,
}

/// The budget block (预算整体情况), all in 万元. `None` where the cell is empty or not a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Budget {
    pub basic: Option<Money>,
    pub project: Option<Money>,
    pub appropriation: Option<Money>,
    pub other_funds: Option<Money>,
    pub special_funds: Option<Money>,
    pub other_development: Option<Money>,
    pub own_level: Option<Money>,
    pub transfer: Option<Money>,
}

named! {
    /// A field of the budget block, in form order; its text is its JSON name (`other_funds`).
    BudgetField {
        Basic = "basic",
        Project = "project",
        Appropriation = "appropriation",
        OtherFunds = "other_funds",
        SpecialFunds = "special_funds",
        OtherDevelopment = "other_development",
        OwnLevel = "own_level",
        Transfer = "transfer",
    }
}

impl Budget {
    pub fn get(&self, field: BudgetField) -> Option<Money> {
        let b = self;
        match field {
            BudgetField::Basic => b.basic,
            BudgetField::Project => b.project,
            BudgetField::Appropriation => b.appropriation,
            BudgetField::OtherFunds => b.other_funds,
            BudgetField::SpecialFunds => b.special_funds,
            BudgetField::OtherDevelopment => b.other_development,
            BudgetField::OwnLevel => b.own_level,
            BudgetField::Transfer => b.transfer,
        }
    }

    pub fn slot(&mut self, field: BudgetField) -> &mut Option<Money> {
        match field {
            BudgetField::Basic => &mut self.basic,
            BudgetField::Project => &mut self.project,
            BudgetField::Appropriation => &mut self.appropriation,
            BudgetField::OtherFunds => &mut self.other_funds,
            BudgetField::SpecialFunds => &mut self.special_funds,
            BudgetField::OtherDevelopment => &mut self.other_development,
            BudgetField::OwnLevel => &mut self.own_level,
            BudgetField::Transfer => &mut self.transfer,
        }
    }

    /// 基本支出 + 项目支出 ([`Money::total`]: `None` when both are empty).
    pub fn expenditure(&self) -> Option<Money> {
        Money::total([self.basic, self.project])
    }

    /// 财政拨款 + 其他资金 ([`Money::total`]: `None` when both are empty).
    pub fn income(&self) -> Option<Money> {
        Money::total([self.appropriation, self.other_funds])
    }

    /// Whether expenditure equals income, an empty side counting as zero (as the 汇总's
    /// formula over the cells counts it).
    pub fn balanced(&self) -> bool {
        self.expenditure().unwrap_or_default() == self.income().unwrap_or_default()
    }
}

/// The header block of a project form (项目支出绩效目标申报表, docs/RECORDS.md §1.1). Text is `""`
/// where the cell is empty; the department's code is `None` unless the form writes one with
/// the department (`[015001]武汉市青山区教育局`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProjectInfo {
    /// 项目名称.
    pub name: String,
    /// 主管部门, without its code.
    pub department: String,
    /// The code written with the department (`015001`).
    pub department_code: Option<String>,
    /// 实施单位.
    pub implementer: String,
    /// 项目属性 (新增项目, 延续项目, …).
    pub attribute: String,
    /// 项目期, as written (`2024年-2026年`, `202401-202412`).
    pub period: String,
}

named! {
    /// A field of a project form's header block, in form order; its text is its JSON name.
    ProjectField {
        Name = "name",
        Department = "department",
        DepartmentCode = "department_code",
        Implementer = "implementer",
        Attribute = "attribute",
        Period = "period",
    }
}

impl ProjectInfo {
    /// A text field (the code is `""` when the form writes none).
    pub fn get(&self, field: ProjectField) -> &str {
        match field {
            ProjectField::Name => &self.name,
            ProjectField::Department => &self.department,
            ProjectField::DepartmentCode => self.department_code.as_deref().unwrap_or(""),
            ProjectField::Implementer => &self.implementer,
            ProjectField::Attribute => &self.attribute,
            ProjectField::Period => &self.period,
        }
    }
}

/// The funds block of a project form (项目资金, 万元): the mid-term column (中期资金总额 and its
/// parts) and the annual one. `None` where the cell is empty or not a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Funds {
    pub period_total: Option<Money>,
    pub period_appropriation: Option<Money>,
    pub period_other: Option<Money>,
    pub annual_total: Option<Money>,
    pub annual_appropriation: Option<Money>,
    pub annual_other: Option<Money>,
}

named! {
    /// An amount of the funds block, in form order; its text is its JSON name.
    FundsField {
        PeriodTotal = "period_total",
        PeriodAppropriation = "period_appropriation",
        PeriodOther = "period_other",
        AnnualTotal = "annual_total",
        AnnualAppropriation = "annual_appropriation",
        AnnualOther = "annual_other",
    }
}

impl Funds {
    pub fn get(&self, field: FundsField) -> Option<Money> {
        match field {
            FundsField::PeriodTotal => self.period_total,
            FundsField::PeriodAppropriation => self.period_appropriation,
            FundsField::PeriodOther => self.period_other,
            FundsField::AnnualTotal => self.annual_total,
            FundsField::AnnualAppropriation => self.annual_appropriation,
            FundsField::AnnualOther => self.annual_other,
        }
    }

    pub fn slot(&mut self, field: FundsField) -> &mut Option<Money> {
        match field {
            FundsField::PeriodTotal => &mut self.period_total,
            FundsField::PeriodAppropriation => &mut self.period_appropriation,
            FundsField::PeriodOther => &mut self.period_other,
            FundsField::AnnualTotal => &mut self.annual_total,
            FundsField::AnnualAppropriation => &mut self.annual_appropriation,
            FundsField::AnnualOther => &mut self.annual_other,
        }
    }
}

/// The goals of a project form (总体目标): the mid-term one may be left empty (`None`), the
/// annual one is required (`""` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Goals {
    /// 中期目标.
    pub period: Option<String>,
    /// 年度目标.
    pub annual: String,
}

named! {
    /// A goal of a project form; its text is its JSON name.
    GoalField {
        Period = "period",
        Annual = "annual",
    }
}

impl Goals {
    pub fn get(&self, field: GoalField) -> &str {
        match field {
            GoalField::Period => self.period.as_deref().unwrap_or(""),
            GoalField::Annual => &self.annual,
        }
    }
}

named! {
    /// A field of `basic_info` (the `zj-dept-overall` 基本信息 row).
    BasicInfoField {
        FundedStaff = "funded_staff",
        SubordinateUnits = "subordinate_units",
    }
}

named! {
    /// Which table of the form: its name in field paths (`tasks[0].name`).
    TableKind {
        Tasks = "tasks",
        Indicators = "indicators",
        PeriodIndicators = "period_indicators",
    }
}

named! {
    /// A part of the form a finding may be about as a whole.
    Section {
        Budget = "budget",
        Tasks = "tasks",
        Indicators = "indicators",
        Funds = "funds",
        Goals = "goals",
    }
}

named! {
    /// A column of a table record (`{funds}` in a template's table row).
    Column {
        Name = "name",
        Content = "content",
        Funds = "funds",
        Outcome = "outcome",
        Level1 = "level1",
        Level2 = "level2",
        Period = "period",
        Annual = "annual",
    }
}

impl TableKind {
    /// The columns a record of this table has, in form order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            TableKind::Tasks => &[
                Column::Name,
                Column::Content,
                Column::Funds,
                Column::Outcome,
            ],
            TableKind::Indicators => &[
                Column::Level1,
                Column::Level2,
                Column::Name,
                Column::Period,
                Column::Annual,
            ],
            TableKind::PeriodIndicators => {
                &[Column::Level1, Column::Level2, Column::Name, Column::Period]
            }
        }
    }

    /// The columns that carry a record, without which a table with this kind's header is not
    /// the form's table: a task has its 名称; an indicator its 三级指标 and its target
    /// (a list of reference indicators has the names but no target column).
    pub fn key_columns(self) -> &'static [Column] {
        match self {
            TableKind::Tasks => &[Column::Name],
            TableKind::Indicators => &[Column::Name, Column::Annual],
            TableKind::PeriodIndicators => &[Column::Name, Column::Period],
        }
    }

    /// The section the table is: both indicator blocks of a project form stand in its one
    /// 绩效指标 part.
    pub fn section(self) -> Section {
        match self {
            TableKind::Tasks => Section::Tasks,
            TableKind::Indicators | TableKind::PeriodIndicators => Section::Indicators,
        }
    }

    /// The column a record of this table holds its target under (`annual`; `period` for the
    /// mid-term block); `None` for a table of no targets.
    pub fn target_column(self) -> Option<Column> {
        match self {
            TableKind::Tasks => None,
            TableKind::Indicators => Some(Column::Annual),
            TableKind::PeriodIndicators => Some(Column::Period),
        }
    }
}

/// A path into a declaration (docs/RECORDS.md §2 `field`): where a finding or a change is, and the
/// key of a field's cell. Displays and serializes as the contract's text: `budget.basic`,
/// `tasks[1].funds`, `indicators[6]`, a section (`budget`), or `labels` (the form's own wording,
/// no field of the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldPath {
    Title,
    Year,
    Department,
    OverallGoal,
    OtherTasks,
    BasicInfo(BasicInfoField),
    Budget(BudgetField),
    /// A field of a project form's header block (`project.name`).
    Project(ProjectField),
    /// An amount of a project form's funds block (`funds.annual_total`).
    Funds(FundsField),
    /// A project form's goal (`goals.annual`).
    Goals(GoalField),
    Section(Section),
    Labels,
    /// A whole record of a table: `indicators[6]`.
    Row(TableKind, usize),
    /// One value of a table record: `indicators[6].annual`.
    Column(TableKind, usize, Column),
    /// A field the template declares beyond the record's own (`extra.budget_code`).
    Extra(ExtraKey),
    /// A template's extra column of a table record (`indicators[6].extra.explanation`).
    RowExtra(TableKind, usize, ExtraKey),
    /// A cell of a table of the layout's own (`tables.costs[1].amount`): its name, the row
    /// and the column.
    OwnCell(ExtraKey, usize, ExtraKey),
}

impl FieldPath {
    /// `tasks[i].column`.
    pub fn task(i: usize, column: Column) -> FieldPath {
        FieldPath::Column(TableKind::Tasks, i, column)
    }

    /// `indicators[i].column`.
    pub fn indicator(i: usize, column: Column) -> FieldPath {
        FieldPath::Column(TableKind::Indicators, i, column)
    }

    /// The fields a template's `{…}` outside a table may name (`{budget.basic}`); `None` for
    /// anything else, so that a typo in a template is an error when it is loaded.
    pub fn scalar(text: &str) -> Option<FieldPath> {
        let path = text.parse::<FieldPath>().ok()?;
        match path {
            FieldPath::Title
            | FieldPath::Year
            | FieldPath::Department
            | FieldPath::OverallGoal
            | FieldPath::OtherTasks
            | FieldPath::BasicInfo(_)
            | FieldPath::Budget(_)
            | FieldPath::Project(_)
            | FieldPath::Funds(_)
            | FieldPath::Goals(_)
            | FieldPath::Extra(_) => Some(path),
            _ => None,
        }
    }

    /// The path that encloses this one: `indicators[6].annual` → `indicators[6]` →
    /// `indicators`; `budget.basic` → `budget`. `None` at the top.
    pub fn parent(self) -> Option<FieldPath> {
        match self {
            FieldPath::Column(kind, i, _) | FieldPath::RowExtra(kind, i, _) => {
                Some(FieldPath::Row(kind, i))
            }
            FieldPath::Row(kind, _) => Some(FieldPath::Section(kind.section())),
            FieldPath::Budget(_) => Some(FieldPath::Section(Section::Budget)),
            FieldPath::Funds(_) => Some(FieldPath::Section(Section::Funds)),
            FieldPath::Goals(_) => Some(FieldPath::Section(Section::Goals)),
            _ => None,
        }
    }

    /// The section a field belongs to, if it belongs to one.
    pub fn section(self) -> Option<Section> {
        match self {
            FieldPath::Section(s) => Some(s),
            other => other.parent().and_then(FieldPath::section),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Title => f.write_str("title"),
            FieldPath::Year => f.write_str("year"),
            FieldPath::Department => f.write_str("department"),
            FieldPath::OverallGoal => f.write_str("overall_goal"),
            FieldPath::OtherTasks => f.write_str("other_tasks"),
            FieldPath::BasicInfo(b) => write!(f, "basic_info.{b}"),
            FieldPath::Budget(b) => write!(f, "budget.{b}"),
            FieldPath::Project(p) => write!(f, "project.{p}"),
            FieldPath::Funds(m) => write!(f, "funds.{m}"),
            FieldPath::Goals(g) => write!(f, "goals.{g}"),
            FieldPath::Section(s) => write!(f, "{s}"),
            FieldPath::Labels => f.write_str("labels"),
            FieldPath::Row(kind, i) => write!(f, "{kind}[{i}]"),
            FieldPath::Column(kind, i, c) => write!(f, "{kind}[{i}].{c}"),
            FieldPath::Extra(k) => write!(f, "extra.{k}"),
            FieldPath::RowExtra(kind, i, k) => write!(f, "{kind}[{i}].extra.{k}"),
            FieldPath::OwnCell(t, i, k) => write!(f, "tables.{t}[{i}].{k}"),
        }
    }
}

/// A text that is no field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchField(pub String);

impl fmt::Display for NoSuchField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no field {:?}", self.0)
    }
}

impl FromStr for FieldPath {
    type Err = NoSuchField;

    fn from_str(s: &str) -> Result<FieldPath, NoSuchField> {
        let none = || NoSuchField(s.to_string());
        let simple = match s {
            "title" => Some(FieldPath::Title),
            "year" => Some(FieldPath::Year),
            "department" => Some(FieldPath::Department),
            "overall_goal" => Some(FieldPath::OverallGoal),
            "other_tasks" => Some(FieldPath::OtherTasks),
            "labels" => Some(FieldPath::Labels),
            _ => Section::parse(s).map(FieldPath::Section),
        };
        if let Some(p) = simple {
            return Ok(p);
        }
        if let Some(rest) = s.strip_prefix("tables.") {
            let (table, rest) = rest.split_once('[').ok_or_else(none)?;
            let (index, column) = rest.split_once("].").ok_or_else(none)?;
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                return Err(none());
            }
            let index: usize = index.parse().map_err(|_| none())?;
            let table = ExtraKey::new(table).ok_or_else(none)?;
            let column = ExtraKey::new(column).ok_or_else(none)?;
            return Ok(FieldPath::OwnCell(table, index, column));
        }
        if let Some((head, rest)) = s.split_once('.').filter(|(h, _)| !h.contains('[')) {
            return match head {
                "budget" => BudgetField::parse(rest).map(FieldPath::Budget),
                "basic_info" => BasicInfoField::parse(rest).map(FieldPath::BasicInfo),
                "project" => ProjectField::parse(rest).map(FieldPath::Project),
                "funds" => FundsField::parse(rest).map(FieldPath::Funds),
                "goals" => GoalField::parse(rest).map(FieldPath::Goals),
                "extra" => ExtraKey::new(rest).map(FieldPath::Extra),
                _ => None,
            }
            .ok_or_else(none);
        }
        let (table, rest) = s.split_once('[').ok_or_else(none)?;
        let kind = TableKind::parse(table).ok_or_else(none)?;
        let (index, rest) = rest.split_once(']').ok_or_else(none)?;
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return Err(none());
        }
        let index: usize = index.parse().map_err(|_| none())?;
        match rest {
            "" => Ok(FieldPath::Row(kind, index)),
            _ if rest.starts_with(".extra.") => ExtraKey::new(&rest[".extra.".len()..])
                .map(|k| FieldPath::RowExtra(kind, index, k))
                .ok_or_else(none),
            _ => {
                let column = rest
                    .strip_prefix('.')
                    .and_then(Column::parse)
                    .filter(|c| kind.columns().contains(c))
                    .ok_or_else(none)?;
                Ok(FieldPath::Column(kind, index, column))
            }
        }
    }
}

impl Serialize for FieldPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldPath, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The title of a form as written, with the budget year it states (`2024年度…`, `2023年市级…`)
/// read once when the title is made. A JSON string in the record; the year is no key of its own
/// there (the record's `year` may also come from elsewhere, such as `--year`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Title {
    text: String,
    year: Option<i32>,
}

impl Title {
    pub fn new(text: impl Into<String>) -> Title {
        let text = text.into();
        let year = crate::text::year_in(&text);
        Title { text, year }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The budget year the title states, if it states one.
    pub fn year(&self) -> Option<i32> {
        self.year
    }
}

impl std::ops::Deref for Title {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for Title {
    fn from(text: &str) -> Title {
        Title::new(text)
    }
}

impl From<String> for Title {
    fn from(text: String) -> Title {
        Title::new(text)
    }
}

impl Serialize for Title {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Title {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Title, D::Error> {
        String::deserialize(d).map(Title::new)
    }
}

/// One row of 年度重点工作任务.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Task {
    pub name: String,
    pub content: String,
    pub funds: Option<Money>,
    pub outcome: String,
    /// The template's extra columns of the table (部门职能); absent when none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extras,
}

/// The kind of a target value (docs/FORM.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Quantitative,
    Qualitative,
    Date,
    Placeholder,
    Empty,
}

/// The sign of a quantitative or date target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "range")]
    Range,
}

impl Op {
    /// The sign as written in normalized text (`range` has no sign of its own).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Range => "range",
        }
    }

    /// +1 for "at least" signs, -1 for "at most" signs, 0 for `=` and ranges.
    pub fn direction(self) -> i8 {
        match self {
            Op::Ge | Op::Gt => 1,
            Op::Le | Op::Lt => -1,
            Op::Eq | Op::Range => 0,
        }
    }
}

/// A parsed target value (docs/RECORDS.md §1). Field order is the JSON order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The cell as read (numbers as their shortest decimal text).
    pub raw: String,
    pub kind: TargetKind,
    pub op: Option<Op>,
    /// A decimal string without needless zeros, or an ISO date for a `date` target.
    pub value: Option<String>,
    /// The upper end of a range.
    pub upper: Option<String>,
    pub unit: Option<String>,
    /// The normalized rendering: `≥30家次`, `80%-90%`.
    pub text: String,
    /// A note in brackets after the value that says where the figure comes from
    /// (`100%(计划标准)`: `计划标准`); absent from the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

impl Target {
    /// An empty cell's target.
    pub fn empty() -> Target {
        Target {
            raw: String::new(),
            kind: TargetKind::Empty,
            op: None,
            value: None,
            upper: None,
            unit: None,
            text: String::new(),
            qualifier: None,
        }
    }

    /// The numeric value of a quantitative target.
    pub fn number(&self) -> Option<Decimal> {
        if self.kind != TargetKind::Quantitative {
            return None;
        }
        self.value
            .as_deref()
            .and_then(|v| Decimal::from_str(v).ok())
    }

    /// The numeric upper end of a range.
    pub fn upper_number(&self) -> Option<Decimal> {
        self.upper
            .as_deref()
            .and_then(|v| Decimal::from_str(v).ok())
    }
}

/// One row of the 绩效指标 table: of a department form, or of a project form's annual block
/// (whose rows state no period target: `period` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 实施周期指标值; `None` where the template has no such column.
    pub period: Option<Target>,
    /// 年度指标值 (or the single 指标值).
    pub annual: Target,
    /// The template's extra columns of the table (指标解释, 评分标准); absent when none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extras,
}

/// One row of a project form's mid-term indicator block (中期指标, docs/RECORDS.md §1.1): its target
/// is the period's, and it states no annual one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodIndicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub period: Target,
    /// A mid-term row has no annual target: `null` in the record, and nothing else fits here.
    #[serde(default)]
    pub annual: (),
    /// The template's extra columns of the table; absent when none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extras,
}

/// What the two kinds of indicator row share, for the code that treats them alike (the checks
/// of categories, names and targets; the lists): the categories, the name, and the targets
/// the row states, each under its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorView<'a> {
    pub level1: &'a str,
    pub level2: &'a str,
    pub name: &'a str,
    pub period: Option<&'a Target>,
    pub annual: Option<&'a Target>,
    /// The template's extra columns.
    pub extra: &'a Extras,
}

impl Indicator {
    pub fn view(&self) -> IndicatorView<'_> {
        IndicatorView {
            level1: &self.level1,
            level2: &self.level2,
            name: &self.name,
            period: self.period.as_ref(),
            annual: Some(&self.annual),
            extra: &self.extra,
        }
    }
}

impl PeriodIndicator {
    pub fn view(&self) -> IndicatorView<'_> {
        IndicatorView {
            level1: &self.level1,
            level2: &self.level2,
            name: &self.name,
            period: Some(&self.period),
            annual: None,
            extra: &self.extra,
        }
    }
}

impl<'a> IndicatorView<'a> {
    /// The target under a column.
    pub fn target(&self, column: Column) -> Option<&'a Target> {
        match column {
            Column::Period => self.period,
            Column::Annual => self.annual,
            _ => None,
        }
    }

    /// The target that describes the row: the annual one, or the period one of a mid-term row.
    pub fn main_target(&self) -> Option<&'a Target> {
        self.annual.or(self.period)
    }
}

named! {
    /// What kind of form a record is (docs/RECORDS.md §1.1): a department's (or a unit's) overall
    /// form, or a project form.
    RecordKind {
        Department = "department",
        Project = "project",
    }
}

impl Default for RecordKind {
    /// A record written before records said their kind is a department form: the only kind
    /// there was.
    fn default() -> RecordKind {
        RecordKind::Department
    }
}

/// What a department's (or a unit's) overall form says (docs/RECORDS.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DepartmentBody {
    pub department: String,
    pub basic_info: Option<BasicInfo>,
    pub budget: Budget,
    pub overall_goal: String,
    pub tasks: Vec<Task>,
    pub other_tasks: Option<String>,
    pub indicators: Vec<Indicator>,
    /// The template's extra fields (`[extra]`); absent from the JSON when it declares none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extras,
    /// The layout's own tables, by name, each row its columns; absent when it has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: OwnTables,
}

/// What a project form says (docs/RECORDS.md §1.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProjectBody {
    pub project: ProjectInfo,
    pub funds: Funds,
    pub goals: Goals,
    /// The annual block (年度指标), its targets under `annual`.
    pub indicators: Vec<Indicator>,
    /// The mid-term block (中期指标), its targets under `period`.
    pub period_indicators: Vec<PeriodIndicator>,
    /// The template's extra fields (`[extra]`); absent from the JSON when it declares none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extras,
    /// The layout's own tables, by name, each row its columns; absent when it has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: OwnTables,
}

/// The part of a record its kind decides: the compiler knows which fields each kind has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Body {
    Department(DepartmentBody),
    Project(ProjectBody),
}

impl Body {
    pub fn kind(&self) -> RecordKind {
        match self {
            Body::Department(_) => RecordKind::Department,
            Body::Project(_) => RecordKind::Project,
        }
    }
}

/// One filled form: the record of docs/RECORDS.md §1 (a department form) or §1.1 (a project form).
/// In JSON its `kind` stands right after `format`, then the keys every record has, then those
/// of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub format: String,
    pub template: String,
    pub source: Source,
    pub title: Title,
    pub year: Option<i32>,
    pub body: Body,
    /// Where each field sits in the input file, by field path (`budget.basic`,
    /// `indicators[3].annual`). Not part of the JSON record; empty for a JSON input.
    pub cells: BTreeMap<FieldPath, CellRef>,
}

impl Declaration {
    /// The input cell of a field path, as `Sheet1!E4`.
    pub fn cell_of(&self, field: FieldPath) -> Option<&CellRef> {
        self.cells.get(&field)
    }

    pub fn kind(&self) -> RecordKind {
        self.body.kind()
    }

    /// The department the form is of: 部门名称, or a project's 主管部门.
    pub fn department(&self) -> &str {
        match &self.body {
            Body::Department(d) => &d.department,
            Body::Project(p) => &p.project.department,
        }
    }

    /// The field path of [`Declaration::department`].
    pub fn department_field(&self) -> FieldPath {
        match &self.body {
            Body::Department(_) => FieldPath::Department,
            Body::Project(_) => FieldPath::Project(ProjectField::Department),
        }
    }

    /// The name a form goes by where forms are listed (a sheet per form): a department form's
    /// department, a project form's project.
    pub fn name(&self) -> &str {
        match &self.body {
            Body::Department(d) => &d.department,
            Body::Project(p) => &p.project.name,
        }
    }

    /// What a sheet of this form is named after: its [`Declaration::name`], or, when it names
    /// none, its place in the input (`Sheet1`, `Sheet1!A26:F45`); `None` when it has neither.
    pub fn sheet_label(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.name().trim() {
            "" => self.source.place().filter(|p| !p.is_empty()),
            name => Some(name.into()),
        }
    }

    /// A project form's 项目名称; `""` for a department form.
    pub fn project_name(&self) -> &str {
        match &self.body {
            Body::Department(_) => "",
            Body::Project(p) => &p.project.name,
        }
    }

    /// The indicators judged as the year's: a department form's table, a project form's
    /// annual block.
    pub fn indicators(&self) -> &[Indicator] {
        match &self.body {
            Body::Department(d) => &d.indicators,
            Body::Project(p) => &p.indicators,
        }
    }

    /// Every indicator table of the record with its rows: the year's first (a department
    /// form's only one), then a project form's mid-term block.
    pub fn indicator_tables(&self) -> Vec<(TableKind, Vec<IndicatorView<'_>>)> {
        let annual = (
            TableKind::Indicators,
            self.indicators().iter().map(Indicator::view).collect(),
        );
        match &self.body {
            Body::Department(_) => vec![annual],
            Body::Project(p) => vec![
                annual,
                (
                    TableKind::PeriodIndicators,
                    p.period_indicators
                        .iter()
                        .map(PeriodIndicator::view)
                        .collect(),
                ),
            ],
        }
    }

    /// Every indicator row of the record, as [`Declaration::indicator_tables`] orders them.
    pub fn indicator_rows(&self) -> Vec<IndicatorView<'_>> {
        self.indicator_tables()
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .collect()
    }

    /// An amount of the record by its path (`budget.basic`, `funds.annual_total`,
    /// `extra.total`); `None` where it is empty or the record has no such field.
    pub fn money(&self, path: FieldPath) -> Option<Money> {
        match (&self.body, path) {
            (Body::Department(d), FieldPath::Budget(f)) => d.budget.get(f),
            (Body::Project(p), FieldPath::Funds(f)) => p.funds.get(f),
            (_, FieldPath::Extra(k)) => self.extra().get(&k)?.as_ref()?.money(),
            _ => None,
        }
    }

    /// The layout's own tables of the record.
    pub fn own_tables(&self) -> &OwnTables {
        match &self.body {
            Body::Department(d) => &d.tables,
            Body::Project(p) => &p.tables,
        }
    }

    /// The template's extra fields of the record.
    pub fn extra(&self) -> &Extras {
        match &self.body {
            Body::Department(d) => &d.extra,
            Body::Project(p) => &p.extra,
        }
    }

    /// Whether the record, or a row of its tables, has extra fields: what a
    /// `jixiao.declaration/2` record adds to a `/1` one.
    pub fn has_extras(&self) -> bool {
        let rows = match &self.body {
            Body::Department(d) => {
                d.tasks.iter().any(|t| !t.extra.is_empty())
                    || d.indicators.iter().any(|i| !i.extra.is_empty())
            }
            Body::Project(p) => {
                p.indicators.iter().any(|i| !i.extra.is_empty())
                    || p.period_indicators.iter().any(|i| !i.extra.is_empty())
            }
        };
        rows || !self.extra().is_empty() || !self.own_tables().is_empty()
    }

    pub fn as_department(&self) -> Option<&DepartmentBody> {
        match &self.body {
            Body::Department(d) => Some(d),
            Body::Project(_) => None,
        }
    }

    pub fn as_department_mut(&mut self) -> Option<&mut DepartmentBody> {
        match &mut self.body {
            Body::Department(d) => Some(d),
            Body::Project(_) => None,
        }
    }

    pub fn as_project_mut(&mut self) -> Option<&mut ProjectBody> {
        match &mut self.body {
            Body::Project(p) => Some(p),
            Body::Department(_) => None,
        }
    }

    pub fn as_project(&self) -> Option<&ProjectBody> {
        match &self.body {
            Body::Project(p) => Some(p),
            Body::Department(_) => None,
        }
    }
}

/// The record as JSON: `kind` after `format`, the body's keys after `year`.
#[derive(Serialize)]
struct Wire<'a> {
    format: &'a str,
    kind: RecordKind,
    template: &'a str,
    source: &'a Source,
    title: &'a Title,
    year: Option<i32>,
    #[serde(flatten)]
    body: &'a Body,
}

impl Serialize for Declaration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            format: &self.format,
            kind: self.kind(),
            template: &self.template,
            source: &self.source,
            title: &self.title,
            year: self.year,
            body: &self.body,
        }
        .serialize(s)
    }
}

/// A record read from JSON: the keys every record has, and the rest read as its kind says (a
/// record with no `kind` is a department form, the only kind there was).
#[derive(Deserialize)]
struct WireIn {
    format: String,
    #[serde(default)]
    kind: RecordKind,
    template: String,
    source: Source,
    title: Title,
    year: Option<i32>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Declaration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Declaration, D::Error> {
        let w = WireIn::deserialize(d)?;
        let rest = serde_json::Value::Object(w.rest);
        let body = match w.kind {
            RecordKind::Department => serde_json::from_value(rest).map(Body::Department),
            RecordKind::Project => serde_json::from_value(rest).map(Body::Project),
        }
        .map_err(serde::de::Error::custom)?;
        Ok(Declaration {
            format: w.format,
            template: w.template,
            source: w.source,
            title: w.title,
            year: w.year,
            body,
            cells: BTreeMap::new(),
        })
    }
}

/// A declaration with its cell map, for `#[serde(with = "…")]`: the record's keys with its
/// body under `department` or `project` (typed, not flattened as in docs/RECORDS.md: reading a
/// flattened record back buffers it twice, and a batch reads thousands back from its workers),
/// plus `cells` as `[field, sheet, row, col]` with the sheet names listed once (`sheets`), so
/// that a form's hundred cells still share one sheet name when read back. The worker
/// processes send forms this way (`crate::worker`); JSON records never carry cells.
pub mod with_cells {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{
        BasicInfoField, Body, BudgetField, CellRef, Column, Declaration, DepartmentBody, FieldPath,
        FundsField, GoalField, ProjectBody, ProjectField, Section, Source, TableKind, Title,
    };

    /// A cell: its field ([`code`]), the index of its sheet in `sheets`, row and column.
    type Cell = ((u8, usize, u8), usize, u32, u32);

    #[derive(Serialize)]
    struct Out<'a> {
        format: &'a str,
        template: &'a str,
        source: &'a Source,
        title: &'a Title,
        year: Option<i32>,
        department: Option<&'a DepartmentBody>,
        project: Option<&'a ProjectBody>,
        sheets: Vec<&'a str>,
        cells: Vec<Cell>,
        /// The cells of extra fields, by their path's text (a template's own names have no
        /// number).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extra_cells: Vec<(String, usize, u32, u32)>,
    }

    #[derive(Deserialize)]
    struct In {
        format: String,
        template: String,
        source: Source,
        title: Title,
        year: Option<i32>,
        department: Option<DepartmentBody>,
        project: Option<ProjectBody>,
        sheets: Vec<String>,
        cells: Vec<Cell>,
        #[serde(default)]
        extra_cells: Vec<(String, usize, u32, u32)>,
    }

    /// A field path as three numbers (variant, index, part), not as its text: a form has a
    /// hundred cells, and formatting and parsing their paths was most of the cost of sending
    /// them.
    fn code(p: FieldPath) -> (u8, usize, u8) {
        match p {
            FieldPath::Extra(_) | FieldPath::RowExtra(..) | FieldPath::OwnCell(..) => {
                (u8::MAX, 0, 0)
            }
            FieldPath::Title => (0, 0, 0),
            FieldPath::Year => (1, 0, 0),
            FieldPath::Department => (2, 0, 0),
            FieldPath::OverallGoal => (3, 0, 0),
            FieldPath::OtherTasks => (4, 0, 0),
            FieldPath::BasicInfo(f) => (5, 0, f as u8),
            FieldPath::Budget(f) => (6, 0, f as u8),
            FieldPath::Section(s) => (7, 0, s as u8),
            FieldPath::Labels => (8, 0, 0),
            FieldPath::Row(t, i) => (9, i, t as u8),
            FieldPath::Column(t, i, c) => (10, i, (t as u8) << 4 | c as u8),
            FieldPath::Project(f) => (11, 0, f as u8),
            FieldPath::Funds(f) => (12, 0, f as u8),
            FieldPath::Goals(f) => (13, 0, f as u8),
        }
    }

    fn decode((variant, i, part): (u8, usize, u8)) -> Option<FieldPath> {
        let at = |n: u8| n as usize;
        Some(match variant {
            0 => FieldPath::Title,
            1 => FieldPath::Year,
            2 => FieldPath::Department,
            3 => FieldPath::OverallGoal,
            4 => FieldPath::OtherTasks,
            5 => FieldPath::BasicInfo(*BasicInfoField::ALL.get(at(part))?),
            6 => FieldPath::Budget(*BudgetField::ALL.get(at(part))?),
            7 => FieldPath::Section(*Section::ALL.get(at(part))?),
            8 => FieldPath::Labels,
            9 => FieldPath::Row(*TableKind::ALL.get(at(part))?, i),
            10 => FieldPath::Column(
                *TableKind::ALL.get(at(part >> 4))?,
                i,
                *Column::ALL.get(at(part & 0xF))?,
            ),
            11 => FieldPath::Project(*ProjectField::ALL.get(at(part))?),
            12 => FieldPath::Funds(*FundsField::ALL.get(at(part))?),
            13 => FieldPath::Goals(*GoalField::ALL.get(at(part))?),
            _ => return None,
        })
    }

    pub fn serialize<S: Serializer>(d: &Declaration, s: S) -> Result<S::Ok, S::Error> {
        let mut sheets: Vec<&str> = Vec::new();
        let mut cells = Vec::with_capacity(d.cells.len());
        let mut extra_cells = Vec::new();
        for (field, cell) in &d.cells {
            let i = match sheets.iter().position(|s| **s == *cell.sheet) {
                Some(i) => i,
                None => {
                    sheets.push(&cell.sheet);
                    sheets.len() - 1
                }
            };
            match field {
                FieldPath::Extra(_) | FieldPath::RowExtra(..) | FieldPath::OwnCell(..) => {
                    extra_cells.push((field.to_string(), i, cell.row, cell.col))
                }
                _ => cells.push((code(*field), i, cell.row, cell.col)),
            }
        }
        let (department, project) = match &d.body {
            Body::Department(b) => (Some(b), None),
            Body::Project(b) => (None, Some(b)),
        };
        Out {
            format: &d.format,
            template: &d.template,
            source: &d.source,
            title: &d.title,
            year: d.year,
            department,
            project,
            sheets,
            cells,
            extra_cells,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Declaration, D::Error> {
        let In {
            format,
            template,
            source,
            title,
            year,
            department,
            project,
            sheets,
            cells,
            extra_cells,
        } = In::deserialize(d)?;
        let body = match (department, project) {
            (Some(b), None) => Body::Department(b),
            (None, Some(b)) => Body::Project(b),
            _ => return Err(serde::de::Error::custom("a department or a project body")),
        };
        let sheets: Vec<Arc<str>> = sheets.into_iter().map(Arc::from).collect();
        let mut map = BTreeMap::new();
        for (field, i, row, col) in cells {
            let sheet = sheets
                .get(i)
                .ok_or_else(|| serde::de::Error::custom(format!("no sheet {i}")))?;
            let field = decode(field)
                .ok_or_else(|| serde::de::Error::custom(format!("no field {field:?}")))?;
            map.insert(field, CellRef::new(sheet.clone(), row, col));
        }
        for (path, i, row, col) in extra_cells {
            let sheet = sheets
                .get(i)
                .ok_or_else(|| serde::de::Error::custom(format!("no sheet {i}")))?;
            let field: FieldPath = path.parse().map_err(serde::de::Error::custom)?;
            map.insert(field, CellRef::new(sheet.clone(), row, col));
        }
        Ok(Declaration {
            format,
            template,
            source,
            title,
            year,
            body,
            cells: map,
        })
    }
}

/// A value the normalizer rewrote (docs/RECORDS.md §2, `changes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub code: Code,
    pub field: FieldPath,
    pub cell: Option<String>,
    pub before: String,
    pub after: String,
}

/// A problem found in a form (docs/RECORDS.md §2). Findings are data, not errors: the message is
/// rendered from the catalogue ([`crate::messages::FINDINGS`]) in the language asked for.
/// Serde gives its data (code, field, cell, params, fixed), as a worker process sends it
/// (`crate::worker`); the report renders the sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Code,
    /// Where in the declaration (`budget.basic`, `indicators[6].name`), a section, or `None`
    /// for the whole form.
    pub field: Option<FieldPath>,
    /// Where the value sits in the input file (`Sheet1!E4`).
    pub cell: Option<String>,
    /// The values the message names, by hole: every hole of the code's entry
    /// ([`crate::messages::FindingDef::holes`]).
    pub params: Vec<(Hole, String)>,
    /// Whether the normalizer corrected it.
    pub fixed: bool,
    /// Whether it has its code's lesser severity ([`Code::lowered`]): `target-empty` on an
    /// empty 实施周期指标值 is a warning, on 年度指标值 an error.
    pub lowered: bool,
    /// The other field its `{other_cell}` names (`indicator-duplicate`: the first of the two),
    /// so that a corrected form's note names that field's cell in the corrected form rather
    /// than in the input ([`Finding::with_other_cell`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<FieldPath>,
}

impl Finding {
    pub fn new(code: Code) -> Finding {
        Finding {
            code,
            field: None,
            cell: None,
            params: Vec::new(),
            fixed: false,
            lowered: false,
            other: None,
        }
    }

    /// The field its `{other_cell}` is the cell of.
    pub fn other(mut self, field: FieldPath) -> Finding {
        self.other = Some(field);
        self
    }

    /// The same finding naming `cell` as its `{other_cell}`: where the other field is in
    /// another sheet than the input's, such as a corrected form.
    pub fn with_other_cell(&self, cell: &str) -> Finding {
        let mut f = self.clone();
        for (hole, value) in &mut f.params {
            if *hole == Hole::OtherCell {
                *value = cell.to_string();
            }
        }
        f
    }

    /// The same finding with its code's lesser severity, in the case the catalogue names for
    /// it. A code the catalogue gives no lesser severity keeps its own.
    pub fn lowered(mut self) -> Finding {
        debug_assert!(
            self.code.lowered().is_some(),
            "{} is never lowered",
            self.code
        );
        self.lowered = self.code.lowered().is_some();
        self
    }

    pub fn field(mut self, field: FieldPath) -> Finding {
        self.field = Some(field);
        self
    }

    pub fn cell(mut self, cell: Option<&CellRef>) -> Finding {
        self.cell = cell.map(|c| c.to_string());
        self
    }

    pub fn param(mut self, hole: Hole, value: impl Into<String>) -> Finding {
        self.params.push((hole, value.into()));
        self
    }

    pub fn fixed(mut self, fixed: bool) -> Finding {
        self.fixed = fixed;
        self
    }

    pub fn severity(&self) -> Severity {
        match self.code.lowered() {
            Some(lesser) if self.lowered => lesser,
            _ => self.code.severity(),
        }
    }

    /// Whether a reviewer still has to act on it: a finding the normalizer corrected counts as
    /// a correction, not as a problem. The one rule every count and status follows.
    pub fn is_open(&self) -> bool {
        !self.fixed
    }

    /// How it is listed and counted: 错误, 警告 or 提示 while open, 已修正 once corrected.
    pub fn level(&self) -> Level {
        Level::of(self.severity(), self.fixed)
    }

    fn params(&self) -> Vec<(&str, &str)> {
        self.params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    pub fn message(&self, lang: crate::messages::Lang) -> String {
        self.code.def().message.render(lang, &self.params())
    }

    pub fn suggestion(&self, lang: crate::messages::Lang) -> String {
        self.code.def().suggestion.render(lang, &self.params())
    }
}

/// What a form's check counts: its findings by [`Level`], the one vocabulary of every report
/// and sheet: open errors, open warnings, open infos, and the corrections the normalizer made
/// (each a finding marked `fixed`, with its change). A count is the number of findings listed
/// under its word, in the terminal, the 校验结果 sheet and the page alike.
///
/// A change that comes with an open finding instead (the values of an extra column set aside,
/// a split target read across its cells) is in 修改记录 but is no correction: its finding stays
/// 提示 or 警告 for the officer to act on, and counts there.
///
/// What the reports, the 汇总 sheets and a form's [`Status`] count; in the `jixiao.report/1`
/// document, an entry's `counts` and, summed, the `summary`. An input that gave no form counts
/// the findings that stand for it (`file-unreadable`, errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub corrections: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            *c.of_level(f.level()) += 1;
        }
        c
    }

    /// The count of one level.
    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Error => self.errors,
            Level::Warning => self.warnings,
            Level::Info => self.infos,
            Level::Fixed => self.corrections,
        }
    }

    fn of_level(&mut self, level: Level) -> &mut usize {
        match level {
            Level::Error => &mut self.errors,
            Level::Warning => &mut self.warnings,
            Level::Info => &mut self.infos,
            Level::Fixed => &mut self.corrections,
        }
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.corrections += other.corrections;
    }
}

/// Where a form stands (the 状态 of the 汇总 sheets, the merge summary line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read, and no open error.
    Pass,
    /// Read, with an open error to fix.
    Fix,
    /// Nothing could be read from the input.
    Unreadable,
}

impl Status {
    /// The status of a form read with these findings.
    pub fn of_form(findings: &[Finding]) -> Status {
        if Counts::of(findings).errors == 0 {
            Status::Pass
        } else {
            Status::Fix
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(CellRef::new("S", 0, 25).a1(), "Z1");
        assert_eq!(CellRef::new("S", 0, 26).a1(), "AA1");
        assert_eq!(CellRef::new("S", 0, 16383).a1(), "XFD1");
        assert_eq!(CellRef::new("Sheet1", 3, 4).to_string(), "Sheet1!E4");
        assert_eq!(CellRef::new("it's", 0, 0).to_string(), "'it''s'!A1");
        assert_eq!(CellRef::new("申报表", 0, 0).to_string(), "申报表!A1");
        assert_eq!(CellRef::new("My Sheet", 0, 1).to_string(), "'My Sheet'!B1");
    }

    /// Field paths read back from the contract's text, and only what is a field reads.
    #[test]
    fn field_paths_are_the_contract_text() {
        for text in [
            "title",
            "year",
            "department",
            "overall_goal",
            "other_tasks",
            "basic_info.funded_staff",
            "budget.basic",
            "budget.other_development",
            "budget",
            "tasks",
            "indicators",
            "labels",
            "tasks[1]",
            "tasks[1].funds",
            "indicators[6].name",
            "indicators[12].annual",
        ] {
            let path: FieldPath = text.parse().unwrap();
            assert_eq!(path.to_string(), text);
            assert_eq!(serde_json::to_value(path).unwrap(), text);
        }
        for bad in [
            "",
            "budget.x",
            "tasks[1].level1",
            "indicators[].name",
            "indicators[-1]",
            "indicators[1].annual.value",
            "nowhere",
        ] {
            assert!(bad.parse::<FieldPath>().is_err(), "{bad}");
        }
        assert_eq!(FieldPath::scalar("tasks"), None);
        assert_eq!(
            FieldPath::indicator(6, Column::Annual).parent(),
            Some(FieldPath::Row(TableKind::Indicators, 6))
        );
        assert_eq!(
            FieldPath::Budget(BudgetField::Basic).section(),
            Some(Section::Budget)
        );
    }

    #[test]
    fn open_findings_decide_the_counts_and_the_status() {
        let error = Finding::new(Code::BudgetUnbalanced);
        let fixed = Finding::new(Code::BudgetUnbalanced).fixed(true);
        let info = Finding::new(Code::TargetSymbol).fixed(true);
        let all = [error.clone(), fixed.clone(), info];
        // Two corrections: each corrected finding, whatever its severity.
        assert_eq!(
            Counts::of(&all),
            Counts {
                errors: 1,
                warnings: 0,
                infos: 0,
                corrections: 2
            }
        );
        assert_eq!(fixed.level(), Level::Fixed);
        assert_eq!(error.level(), Level::Error);
        assert_eq!(Status::of_form(&all), Status::Fix);
        assert_eq!(Status::of_form(&[fixed]), Status::Pass);
        assert_eq!(
            serde_json::to_value(Status::Unreadable).unwrap(),
            "unreadable"
        );
        // A lowered target-empty (an empty 实施周期指标值) is a warning, not an error.
        let period = Finding::new(Code::TargetEmpty).lowered();
        assert_eq!(period.severity(), Severity::Warning);
        assert_eq!(Finding::new(Code::TargetEmpty).severity(), Severity::Error);
        assert_eq!(Status::of_form(std::slice::from_ref(&period)), Status::Pass);
        assert_eq!(
            Counts::of(&[period]),
            Counts {
                errors: 0,
                warnings: 1,
                infos: 0,
                corrections: 0
            }
        );
    }

    #[test]
    fn a_title_knows_its_year() {
        let t: Title = serde_json::from_str("\"２０２３年市级部门整体预算绩效目标表\"").unwrap();
        assert_eq!(t.year(), Some(2023));
        assert_eq!(Title::new("部门整体预算绩效目标申报表").year(), None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"２０２３年市级部门整体预算绩效目标表\""
        );
    }

    /// Regression: `+` on money panicked on overflow, which aborted a whole merge.
    #[test]
    fn totals_never_overflow() {
        let big = Some(Money(Decimal::MAX));
        assert_eq!(Money::total([big, big]), None);
        assert_eq!(Money::total([None, None]), None);
        assert_eq!(
            Money::total([Some("1.5".parse().unwrap()), None])
                .unwrap()
                .to_string(),
            "1.50"
        );
        let b = Budget {
            basic: big,
            project: big,
            ..Budget::default()
        };
        assert_eq!(b.expenditure(), None);
        assert!(!b.balanced() || b.income().is_none());
    }

    #[test]
    fn money_keeps_digits_and_shows_two_decimals() {
        assert_eq!("46".parse::<Money>().unwrap().to_string(), "46.00");
        assert_eq!("926.6100".parse::<Money>().unwrap().to_string(), "926.6100");
        assert_eq!("0.5".parse::<Money>().unwrap().to_string(), "0.50");
        let m: Money = serde_json::from_str("\"440.65\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"440.65\"");
        // Leniently, a number another tool wrote; never anything else.
        let from = |json: &str| serde_json::from_str::<Money>(json).map(|m| m.to_string());
        assert_eq!(from("440.65").unwrap(), "440.65");
        assert_eq!(from("46").unwrap(), "46.00");
        assert_eq!(from("-3").unwrap(), "-3.00");
        assert!(from("true").is_err());
        assert!(from("\"abc\"").is_err());
        assert!(from("null").is_err());
    }
}
