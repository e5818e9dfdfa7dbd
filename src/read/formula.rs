//! Formulas whose result the file does not hold (openpyxl, report generators and some business
//! systems write `<f>300.45+140.2</f>` with no cached `<v>`; so does a file saved without
//! recalculating): what can be worked out exactly is, in `Decimal`, never `f64`.
//!
//! Understood: decimal constants (`300.45`, `1E3`), references to cells of the same sheet (`C4`,
//! `$C$4`), `SUM` over ranges, references and expressions, `+ - * /`, a postfix `%`,
//! parentheses and unary signs. Anything else (other functions, other sheets, names,
//! comparisons, text, error values) is [`Why::Unsupported`] and the cell keeps no value; the
//! normalizer says so at the field (docs/CHECKS.md `formula-no-value`).
//!
//! A small recursive-descent parser: no well-kept crate parses Excel formulas for an exact
//! evaluation (the crates that exist evaluate in `f64`), and the subset is jixiao's own.
//! Everything is bounded: [`MAX_FORMULA_CHARS`] per formula, [`MAX_NESTING`] levels of
//! parentheses, signs and functions, [`MAX_DEPTH`] levels of evaluation across references to
//! other formula cells (a cycle is found, not followed), and [`MAX_STEPS`] cells and operations
//! per sheet.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{CellValue, Sheet, MAX_COLS, MAX_ROWS};

/// Characters of one formula at most: Excel's own limit.
pub const MAX_FORMULA_CHARS: usize = 8_192;
/// Levels of parentheses, signs and functions one formula nests at most (Excel allows 64
/// levels of functions).
const MAX_NESTING: usize = 64;
/// Levels of evaluation at most, counting nested expressions and references to other formula
/// cells followed: bounds the stack whatever the chain of references.
const MAX_DEPTH: usize = 200;
/// Cells and operations one sheet's evaluation visits at most, all formulas together.
const MAX_STEPS: usize = 1_000_000;

/// Why a formula has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A function, operator, name, other sheet or value jixiao does not evaluate.
    Unsupported,
    /// Longer than [`MAX_FORMULA_CHARS`], nested deeper than 64 levels, a chain of references
    /// deeper than 200 levels of evaluation, or past a million steps on the sheet.
    TooLarge,
    /// The formula refers, through other cells, back to itself.
    Cycle,
    DivisionByZero,
    /// A result beyond what a `Decimal` holds.
    Overflow,
    /// A referenced cell holds text, a date, a truth value or an error.
    NotANumber,
}

/// A formula cell whose file holds no result: its text (without `=`) and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaCell {
    pub row: u32,
    pub col: u32,
    pub formula: String,
    /// Whether the cell's number format shows a percent.
    pub percent: bool,
    /// The value worked out, as a spreadsheet shows it, or why there is none.
    pub value: Result<Decimal, Why>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Number(Decimal),
    Cell(u32, u32),
    /// A rectangle, zero-based and inclusive; only an argument of `SUM`.
    Range(u32, u32, u32, u32),
    Neg(Box<Expr>),
    Percent(Box<Expr>),
    /// The first term, then operators and terms left to right (one level for a long chain).
    Chain(Box<Expr>, Vec<(Op, Expr)>),
    Sum(Vec<Expr>),
}

/// A formula's text (with or without its leading `=`) → its tree.
fn parse(formula: &str) -> Result<Expr, Why> {
    if formula.chars().count() > MAX_FORMULA_CHARS {
        return Err(Why::TooLarge);
    }
    let text = formula.trim();
    let text = text.strip_prefix('=').unwrap_or(text);
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
        nesting: 0,
    };
    let e = p.expr()?;
    p.space();
    if p.at != p.s.len() {
        return Err(Why::Unsupported);
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
    nesting: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self.s.get(self.at).is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn nest(&mut self) -> Result<(), Why> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Why::TooLarge);
        }
        Ok(())
    }

    /// expr := term (('+' | '-') term)*
    fn expr(&mut self) -> Result<Expr, Why> {
        let first = self.term()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(b'+') => Op::Add,
                Some(b'-') => Op::Sub,
                _ => break,
            };
            self.at += 1;
            rest.push((op, self.term()?));
        }
        Ok(chain(first, rest))
    }

    /// term := unary (('*' | '/') unary)*
    fn term(&mut self) -> Result<Expr, Why> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(b'*') => Op::Mul,
                Some(b'/') => Op::Div,
                _ => break,
            };
            self.at += 1;
            rest.push((op, self.unary()?));
        }
        Ok(chain(first, rest))
    }

    /// unary := ('-' | '+') unary | primary '%'*
    fn unary(&mut self) -> Result<Expr, Why> {
        if self.eat(b'-') {
            self.nest()?;
            let e = Expr::Neg(Box::new(self.unary()?));
            self.nesting -= 1;
            return Ok(e);
        }
        if self.eat(b'+') {
            self.nest()?;
            let e = self.unary()?;
            self.nesting -= 1;
            return Ok(e);
        }
        let mut e = self.primary()?;
        while self.eat(b'%') {
            self.nest()?;
            e = Expr::Percent(Box::new(e));
        }
        Ok(e)
    }

    /// primary := number | cell | '(' expr ')' | SUM '(' arg (',' arg)* ')'
    fn primary(&mut self) -> Result<Expr, Why> {
        match self.peek() {
            Some(b'(') => {
                self.at += 1;
                self.nest()?;
                let e = self.expr()?;
                self.nesting -= 1;
                if !self.eat(b')') {
                    return Err(Why::Unsupported);
                }
                Ok(e)
            }
            Some(b'0'..=b'9' | b'.') => self.number(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'$' | b'_') => {
                let start = self.at;
                while self
                    .s
                    .get(self.at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'$' | b'_' | b'.'))
                {
                    self.at += 1;
                }
                let word = &self.s[start..self.at];
                if self.s.get(self.at) == Some(&b'(') {
                    if !word.eq_ignore_ascii_case(b"SUM") {
                        return Err(Why::Unsupported);
                    }
                    self.at += 1;
                    return self.sum();
                }
                // `Sheet2!A1` and names are not this sheet's cells.
                let (row, col) = cell(word).ok_or(Why::Unsupported)?;
                if self.s.get(self.at) == Some(&b':') {
                    return Err(Why::Unsupported);
                }
                Ok(Expr::Cell(row, col))
            }
            _ => Err(Why::Unsupported),
        }
    }

    fn number(&mut self) -> Result<Expr, Why> {
        let start = self.at;
        while self
            .s
            .get(self.at)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            self.at += 1;
        }
        if matches!(self.s.get(self.at), Some(b'e' | b'E')) {
            let mut at = self.at + 1;
            if matches!(self.s.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let digits = self.s[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return Err(Why::Unsupported);
            }
            self.at = at + digits;
        }
        let text = std::str::from_utf8(&self.s[start..self.at]).map_err(|_| Why::Unsupported)?;
        let d = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            text.parse::<Decimal>()
        };
        d.map(Expr::Number).map_err(|_| Why::Unsupported)
    }

    /// The arguments of `SUM(`, up to its `)`.
    fn sum(&mut self) -> Result<Expr, Why> {
        self.nest()?;
        let mut args = Vec::new();
        if !self.eat(b')') {
            loop {
                args.push(self.sum_arg()?);
                if self.eat(b')') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(Why::Unsupported);
                }
            }
        }
        self.nesting -= 1;
        Ok(Expr::Sum(args))
    }

    /// A range `A1:B3` (as written, either corner first) or an expression.
    fn sum_arg(&mut self) -> Result<Expr, Why> {
        self.space();
        let start = self.at;
        let word = |p: &mut Parser| {
            let from = p.at;
            while p
                .s
                .get(p.at)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'$')
            {
                p.at += 1;
            }
            cell(&p.s[from..p.at])
        };
        if let Some((r0, c0)) = word(self) {
            if self.s.get(self.at) == Some(&b':') {
                self.at += 1;
                let (r1, c1) = word(self).ok_or(Why::Unsupported)?;
                return Ok(Expr::Range(r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)));
            }
        }
        self.at = start;
        self.expr()
    }
}

fn chain(first: Expr, rest: Vec<(Op, Expr)>) -> Expr {
    if rest.is_empty() {
        first
    } else {
        Expr::Chain(Box::new(first), rest)
    }
}

/// `C4`, `$C$4`, `c4` → zero-based (row, col); `None` for anything else (a name, `Sheet2!A1`,
/// a cell beyond Excel's last).
fn cell(word: &[u8]) -> Option<(u32, u32)> {
    let word = word.strip_prefix(b"$").unwrap_or(word);
    let letters = word.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let rest = &word[letters..];
    let digits = rest.strip_prefix(b"$").unwrap_or(rest);
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = word[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    if col == 0 || col > 16_384 || row == 0 || row > 1_048_576 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// Where a formula cell's evaluation stands.
#[derive(Debug, Clone)]
enum State {
    Parsed(Expr),
    Running,
    Done(Result<Decimal, Why>),
}

/// The formula cells of one sheet, worked out against its cells.
struct Eval<'a> {
    sheet: &'a Sheet,
    at: HashMap<(u32, u32), usize>,
    states: Vec<State>,
    steps: usize,
    depth: usize,
    /// The last row and column that hold a cell or a formula.
    last: (u32, u32),
}

impl Eval<'_> {
    fn step(&mut self) -> Result<(), Why> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Why::TooLarge);
        }
        Ok(())
    }

    /// The value of formula cell `i`, worked out once.
    fn formula(&mut self, i: usize) -> Result<Decimal, Why> {
        match std::mem::replace(&mut self.states[i], State::Running) {
            State::Done(v) => {
                self.states[i] = State::Done(v);
                v
            }
            State::Running => Err(Why::Cycle),
            State::Parsed(e) => {
                let v = self.expr(&e);
                // Too deep or too long from here is no property of this cell: another cell
                // may reach it from nearer the top and work it out.
                self.states[i] = match v {
                    Err(Why::TooLarge) => State::Parsed(e),
                    v => State::Done(v),
                };
                v
            }
        }
    }

    fn expr(&mut self, e: &Expr) -> Result<Decimal, Why> {
        self.step()?;
        self.depth += 1;
        let v = if self.depth > MAX_DEPTH {
            Err(Why::TooLarge)
        } else {
            self.expr_inner(e)
        };
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &Expr) -> Result<Decimal, Why> {
        match e {
            Expr::Number(d) => Ok(*d),
            Expr::Cell(r, c) => self.cell(*r, *c, false).map(Option::unwrap_or_default),
            Expr::Range(..) => Err(Why::Unsupported),
            Expr::Neg(e) => Ok(-self.expr(e)?),
            Expr::Percent(e) => self
                .expr(e)?
                .checked_div(Decimal::ONE_HUNDRED)
                .ok_or(Why::Overflow),
            Expr::Chain(first, rest) => {
                let mut acc = self.expr(first)?;
                for (op, e) in rest {
                    let v = self.expr(e)?;
                    acc = match op {
                        Op::Add => acc.checked_add(v),
                        Op::Sub => acc.checked_sub(v),
                        Op::Mul => acc.checked_mul(v),
                        Op::Div if v.is_zero() => return Err(Why::DivisionByZero),
                        Op::Div => acc.checked_div(v),
                    }
                    .ok_or(Why::Overflow)?;
                }
                Ok(acc)
            }
            Expr::Sum(args) => {
                let mut acc = Decimal::ZERO;
                for a in args {
                    let v = match a {
                        Expr::Cell(r, c) => self.range(*r, *c, *r, *c)?,
                        Expr::Range(r0, c0, r1, c1) => self.range(*r0, *c0, *r1, *c1)?,
                        e => self.expr(e)?,
                    };
                    acc = acc.checked_add(v).ok_or(Why::Overflow)?;
                }
                Ok(acc)
            }
        }
    }

    /// The sum of a range's numbers, as `SUM` takes them: text, truth values and dates in it
    /// are left out, an error is not.
    fn range(&mut self, r0: u32, c0: u32, r1: u32, c1: u32) -> Result<Decimal, Why> {
        self.within(r1, c1)?;
        // Rows and columns beyond the sheet's cells and formulas hold nothing.
        let last_row = r1.min(self.last.0);
        let last_col = c1.min(self.last.1);
        let mut acc = Decimal::ZERO;
        for r in r0..=last_row {
            for c in c0..=last_col {
                if let Some(v) = self.cell(r, c, true)? {
                    acc = acc.checked_add(v).ok_or(Why::Overflow)?;
                }
            }
        }
        Ok(acc)
    }

    /// A cell beyond the reading bounds of a sheet that had values there was not kept: its
    /// value is unknown. (On a sheet that had none there, it is empty.)
    fn within(&self, row: u32, col: u32) -> Result<(), Why> {
        if self.sheet.truncated && (row >= MAX_ROWS || col >= MAX_COLS) {
            return Err(Why::Unsupported);
        }
        Ok(())
    }

    /// The number in a cell; `None` for an empty cell (zero in arithmetic) and, inside `SUM`,
    /// for text, a truth value or a date, which `SUM` leaves out.
    fn cell(&mut self, row: u32, col: u32, in_sum: bool) -> Result<Option<Decimal>, Why> {
        self.step()?;
        self.within(row, col)?;
        if let Some(&i) = self.at.get(&(row, col)) {
            self.depth += 1;
            let v = if self.depth > MAX_DEPTH {
                Err(Why::TooLarge)
            } else {
                self.formula(i)
            };
            self.depth -= 1;
            return v.map(Some);
        }
        match self.sheet.get(row, col) {
            CellValue::Empty => Ok(None),
            CellValue::Number(d) | CellValue::Percent(d) => Ok(Some(*d)),
            CellValue::Text(_) | CellValue::Bool(_) | CellValue::Date(_) if in_sum => Ok(None),
            _ => Err(Why::NotANumber),
        }
    }
}

/// Work out every formula of the sheet that has no result yet ([`Sheet::formulas`]): a value
/// goes into its cell as a number (a percent where its format shows one); a formula that cannot
/// be worked out leaves [`CellValue::Formula`] there, so that nothing reads it as empty.
pub(super) fn evaluate(sheet: &mut Sheet) {
    if sheet.formulas.is_empty() {
        return;
    }
    let results: Vec<Result<Decimal, Why>> = {
        let at = sheet
            .formulas
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.row, f.col), i))
            .collect();
        let states = sheet
            .formulas
            .iter()
            .map(|f| match parse(&f.formula) {
                Ok(e) => State::Parsed(e),
                Err(why) => State::Done(Err(why)),
            })
            .collect();
        let last = sheet.formulas.iter().fold(
            (
                sheet.height().saturating_sub(1),
                sheet.width().saturating_sub(1),
            ),
            |(r, c), f| (r.max(f.row), c.max(f.col)),
        );
        let mut eval = Eval {
            sheet,
            at,
            states,
            steps: 0,
            depth: 0,
            last,
        };
        (0..eval.states.len())
            .map(|i| eval.formula(i).map(super::number::shown))
            .collect()
    };
    let mut cells = Vec::with_capacity(results.len());
    for (f, v) in sheet.formulas.iter_mut().zip(results) {
        f.value = v;
        cells.push((
            f.row,
            f.col,
            match v {
                Ok(d) if f.percent => CellValue::Percent(d),
                Ok(d) => CellValue::Number(d),
                Err(_) => CellValue::Formula,
            },
        ));
    }
    for (row, col, value) in cells {
        sheet.set(row, col, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A sheet with these values and these formulas without results, worked out.
    fn sheet(values: &[(&str, CellValue)], formulas: &[(&str, &str)]) -> Sheet {
        let mut s = Sheet::new("Sheet1");
        for (at, v) in values {
            let (r, c) = cell(at.as_bytes()).unwrap();
            s.set(r, c, v.clone());
        }
        for (at, f) in formulas {
            let (r, c) = cell(at.as_bytes()).unwrap();
            s.set_formula(r, c, f, false);
        }
        evaluate(&mut s);
        s
    }

    fn value(formula: &str) -> Result<Decimal, Why> {
        let s = sheet(&[], &[("A1", formula)]);
        s.formulas[0].value
    }

    fn num(s: &str) -> CellValue {
        CellValue::Number(d(s))
    }

    #[test]
    fn constants_are_exact_decimals() {
        assert_eq!(value("0.1+0.2"), Ok(d("0.3")));
        assert_eq!(value("=300.45+140.2"), Ok(d("440.65")));
        assert_eq!(value("2*(3+4)-10/4"), Ok(d("11.5")));
        assert_eq!(value("-(1.5)+ -2"), Ok(d("-3.5")));
        assert_eq!(value("50%*200"), Ok(d("100")));
        assert_eq!(value("1E3+.5"), Ok(d("1000.5")));
        // As a spreadsheet shows it: 15 significant digits.
        assert_eq!(value("1/3"), Ok(d("0.333333333333333")));
        assert_eq!(value("2/3*3"), Ok(d("2")));
    }

    #[test]
    fn references_and_sums_read_the_sheet() {
        let s = sheet(
            &[
                ("C11", num("612.35")),
                ("C12", num("521.45")),
                ("C13", num("352.16")),
                ("C14", CellValue::Text("合计".into())),
                ("E5", num("120")),
            ],
            &[
                ("C5", "SUM(C11:C14)"),
                ("C4", "$C$5+c5-E5"),
                ("D1", "SUM(C13:C11, 1, C5*2)"),
                ("D2", "SUM(E5)+SUM()"),
                ("D3", "A100+1"),
            ],
        );
        let values: Vec<_> = s.formulas.iter().map(|f| f.value).collect();
        assert_eq!(
            values,
            [
                Ok(d("1485.96")),
                Ok(d("2851.92")),
                Ok(d("4458.88")),
                Ok(d("120")),
                Ok(d("1")),
            ]
        );
        assert_eq!(s.get(4, 2), &num("1485.96"));
        assert_eq!(s.get(3, 2), &num("2851.92"));
    }

    #[test]
    fn what_cannot_be_worked_out_says_why() {
        assert_eq!(value("1/0"), Err(Why::DivisionByZero));
        assert_eq!(value("1/(2-2)"), Err(Why::DivisionByZero));
        for f in [
            "VLOOKUP(A2,B1:C9,2,0)",
            "Sheet2!A1+1",
            "'其他'!A1",
            "预算合计",
            "A2:A3",
            "1>0",
            "\"1\"+1",
            "A2^2",
            "SUM(A2:A3",
            "",
            "1+",
        ] {
            assert_eq!(value(f), Err(Why::Unsupported), "{f}");
        }
        assert_eq!(
            value("79228162514264337593543950335*10"),
            Err(Why::Overflow)
        );
        let s = sheet(
            &[("B1", CellValue::Text("三百".into()))],
            &[("A1", "B1+1"), ("A2", "SUM(B1:B2)")],
        );
        assert_eq!(s.formulas[0].value, Err(Why::NotANumber));
        assert_eq!(s.formulas[1].value, Ok(d("0")));
        assert_eq!(s.get(0, 0), &CellValue::Formula);
        assert_eq!(s.formulas[0].formula, "B1+1");
    }

    #[test]
    fn cycles_are_found_not_followed() {
        let s = sheet(
            &[],
            &[("A1", "B1+1"), ("B1", "C1+1"), ("C1", "A1"), ("D1", "D1")],
        );
        for f in &s.formulas {
            assert_eq!(f.value, Err(Why::Cycle), "{}", f.formula);
        }
        // A range that holds the formula's own cell is a cycle too.
        assert_eq!(value("SUM(A1:A3)"), Err(Why::Cycle));
    }

    #[test]
    fn depth_and_length_are_bounded() {
        // A chain of references longer than MAX_DEPTH: A1 = A2+1, A2 = A3+1, …
        let n = MAX_DEPTH + 10;
        let names: Vec<String> = (1..=n + 1).map(|i| format!("A{i}")).collect();
        let formulas: Vec<String> = (0..n).map(|i| format!("{}+1", names[i + 1])).collect();
        let pairs: Vec<(&str, &str)> = names
            .iter()
            .zip(&formulas)
            .map(|(a, f)| (a.as_str(), f.as_str()))
            .collect();
        let s = sheet(&[(names[n].as_str(), num("0"))], &pairs);
        assert_eq!(s.formulas[0].value, Err(Why::TooLarge));
        // A cell near the end of the chain is worked out on its own.
        assert_eq!(s.formulas[n - 1].value, Ok(d("1")));
        assert_eq!(s.formulas[n - 5].value, Ok(d("5")));

        let nested = format!(
            "{}1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        assert_eq!(value(&nested), Err(Why::TooLarge));
        let fine = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(value(&fine), Ok(d("1")));
        assert_eq!(value(&"-".repeat(5000)), Err(Why::TooLarge));
        // A long flat sum is no depth.
        let long = vec!["1"; 4000].join("+");
        assert_eq!(value(&long), Ok(d("4000")));
        let too_long = vec!["1"; MAX_FORMULA_CHARS / 2 + 1].join("+");
        assert_eq!(value(&too_long), Err(Why::TooLarge));
    }

    #[test]
    fn percent_cells_stay_percent() {
        let mut s = Sheet::new("S");
        s.set_formula(0, 0, "49/50", true);
        evaluate(&mut s);
        assert_eq!(s.get(0, 0), &CellValue::Percent(d("0.98")));
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell(b"A1"), Some((0, 0)));
        assert_eq!(cell(b"$AB$12"), Some((11, 27)));
        assert_eq!(cell(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell(b"XFE1"), None);
        assert_eq!(cell(b"A0"), None);
        assert_eq!(cell(b"ABCD1"), None);
        assert_eq!(cell(b"A1B"), None);
    }
}
