//! The typed records: what one filled form *says*, independent of the shape of the file it came
//! from. `locate` produces a [`crate::locate::RawForm`] (cell values with their positions);
//! `normalize` turns that into a [`Declaration`], the public data contract of RECORDS.md §1.
//!
//! Money is [`Money`], an exact decimal (`rust_decimal`); it never passes through `f64` except in
//! the one place where the writer hands a number to `rust_xlsxwriter`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `format` value of a declaration record.
pub const DECLARATION_FORMAT: &str = "jixiao.declaration/1";
/// The `format` value of a check report.
pub const REPORT_FORMAT: &str = "jixiao.report/1";

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
        a1(self.row, self.col)
    }
}

/// The column letters of a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn col_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// `A1` notation of a zero-based position.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Excel quotes sheet names that are not plain identifiers; CJK names are fine unquoted.
        let plain = !self.sheet.is_empty()
            && self
                .sheet
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii());
        let plain = plain && !self.sheet.chars().any(|c| c.is_whitespace());
        if plain {
            write!(f, "{}!{}", self.sheet, self.a1())
        } else {
            write!(f, "'{}'!{}", self.sheet.replace('\'', "''"), self.a1())
        }
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
        let v = serde_json::Value::deserialize(d)?;
        let text = match &v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(serde::de::Error::custom("money must be a decimal string")),
        };
        Money::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Where the form was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    pub file: String,
    pub sheet: Option<String>,
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

/// The budget fields in form order, with their JSON names. Used by the reader, the checker and
/// the writers so that the list exists once.
pub const BUDGET_FIELDS: [&str; 8] = [
    "basic",
    "project",
    "appropriation",
    "other_funds",
    "special_funds",
    "other_development",
    "own_level",
    "transfer",
];

impl Budget {
    pub fn get(&self, field: &str) -> Option<Money> {
        match field {
            "basic" => self.basic,
            "project" => self.project,
            "appropriation" => self.appropriation,
            "other_funds" => self.other_funds,
            "special_funds" => self.special_funds,
            "other_development" => self.other_development,
            "own_level" => self.own_level,
            "transfer" => self.transfer,
            _ => None,
        }
    }

    pub fn slot(&mut self, field: &str) -> Option<&mut Option<Money>> {
        Some(match field {
            "basic" => &mut self.basic,
            "project" => &mut self.project,
            "appropriation" => &mut self.appropriation,
            "other_funds" => &mut self.other_funds,
            "special_funds" => &mut self.special_funds,
            "other_development" => &mut self.other_development,
            "own_level" => &mut self.own_level,
            "transfer" => &mut self.transfer,
            _ => return None,
        })
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

/// One row of 年度重点工作任务.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Task {
    pub name: String,
    pub content: String,
    pub funds: Option<Money>,
    pub outcome: String,
}

/// The kind of a target value (FORM.md §3.1).
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

/// A parsed target value (RECORDS.md §1). Field order is the JSON order.
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

/// One row of the 绩效指标 table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 实施周期指标值; `None` where the template has no such column.
    pub period: Option<Target>,
    /// 年度指标值 (or the single 指标值).
    pub annual: Target,
}

/// One filled form: the record of RECORDS.md §1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub format: String,
    pub template: String,
    pub source: Source,
    pub title: String,
    pub year: Option<i32>,
    pub department: String,
    pub basic_info: Option<BasicInfo>,
    pub budget: Budget,
    pub overall_goal: String,
    pub tasks: Vec<Task>,
    pub other_tasks: Option<String>,
    pub indicators: Vec<Indicator>,
    /// Where each field sits in the input file, by field path (`budget.basic`,
    /// `indicators[3].annual`). Not part of the JSON record; empty for a JSON input.
    #[serde(skip)]
    pub cells: BTreeMap<String, CellRef>,
}

impl Declaration {
    /// The input cell of a field path, as `Sheet1!E4`.
    pub fn cell_of(&self, field: &str) -> Option<&CellRef> {
        self.cells.get(field)
    }
}

/// How serious a finding is (RECORDS.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A value the normalizer rewrote (RECORDS.md §2, `changes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub code: String,
    pub field: String,
    pub cell: Option<String>,
    pub before: String,
    pub after: String,
}

/// A problem found in a form (RECORDS.md §2). Findings are data, not errors: the message is
/// rendered from the catalogue ([`crate::messages::FINDINGS`]) in the language asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A code of the catalogue, such as `budget-unbalanced`.
    pub code: &'static str,
    /// A path into the declaration (`budget.basic`, `indicators[6].name`), a section name, or
    /// `None` for the whole form.
    pub field: Option<String>,
    /// Where the value sits in the input file (`Sheet1!E4`).
    pub cell: Option<String>,
    /// The values the message names, by hole name.
    pub params: Vec<(&'static str, String)>,
    /// Whether the normalizer corrected it.
    pub fixed: bool,
}

impl Finding {
    pub fn new(code: &'static str) -> Finding {
        debug_assert!(
            crate::messages::finding(code).is_some(),
            "unknown finding code {code}"
        );
        Finding {
            code,
            field: None,
            cell: None,
            params: Vec::new(),
            fixed: false,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Finding {
        self.field = Some(field.into());
        self
    }

    pub fn field_opt(mut self, field: Option<&str>) -> Finding {
        self.field = field.map(str::to_string);
        self
    }

    pub fn cell(mut self, cell: Option<&CellRef>) -> Finding {
        self.cell = cell.map(|c| c.to_string());
        self
    }

    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.params.push((name, value.into()));
        self
    }

    pub fn fixed(mut self, fixed: bool) -> Finding {
        self.fixed = fixed;
        self
    }

    pub fn severity(&self) -> Severity {
        crate::messages::finding(self.code)
            .map(|d| d.severity)
            .unwrap_or(Severity::Error)
    }

    fn params(&self) -> Vec<(&str, &str)> {
        self.params.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    pub fn message(&self, lang: crate::messages::Lang) -> String {
        match crate::messages::finding(self.code) {
            Some(def) => def.message.render(lang, &self.params()),
            None => self.code.to_string(),
        }
    }

    pub fn suggestion(&self, lang: crate::messages::Lang) -> String {
        match crate::messages::finding(self.code) {
            Some(def) => def.suggestion.render(lang, &self.params()),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(16383), "XFD");
        assert_eq!(CellRef::new("Sheet1", 3, 4).to_string(), "Sheet1!E4");
        assert_eq!(CellRef::new("申报表", 0, 0).to_string(), "申报表!A1");
        assert_eq!(CellRef::new("My Sheet", 0, 1).to_string(), "'My Sheet'!B1");
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
    }
}
