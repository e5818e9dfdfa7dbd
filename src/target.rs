//! Target values: `≧12次` → [`Target`] (docs/FORM.md §3.1, docs/RECORDS.md §1).
//!
//! A target cell holds a sign, a number and a unit written together, in many hands. [`parse`]
//! reads it into a [`Target`] whose `text` is the normalized rendering; a target is *standard*
//! exactly when `text == raw`, which is how the normalizer decides to record a change.
//! [`from_split`] reads the budget-integration system's split cells, 计算符号 | 指标值 | 计量单位
//! (docs/FORM.md §1.5), into the same [`Target`] and returns what those cells state differently as
//! [`SplitConflict`]s.
//!
//! # How a cell is read
//!
//! Before matching, a working copy is *compacted*: full-width ASCII is mapped to half-width
//! (`１２` → `12`, `％` → `%`, `．` → `.`, `＞＝` → `>=`, `，` → `,`, `～` → `~`), `≧`/`⩾` become
//! `≥` and `≦`/`⩽` become `≤`, and all whitespace (including U+3000 and NBSP) is removed. `raw`
//! is never touched. Then the first rule that matches decides the kind:
//!
//! 1. **empty**: nothing but whitespace. `text` is `""`.
//! 2. **placeholder**: a template leftover. Either anywhere in the cell a run of two or more
//!    `X`/`x`/`×` or a `**` (`XX%`, `≥XX个`, `XX项目通过验收`); or the whole cell is filler
//!    (`*`, `…`, `.`, `/`, `-`, `—`, `_`, `?`, …), maybe with a sign before and a `%` after
//!    (`……`, `/`, `≥%`); or a sign followed by a single `X`/`*`/`?` where the number goes
//!    (`≥X次`, `X%`). All of `op`/`value`/`unit` are null and `text` is the cell.
//! 3. **date**: the whole cell is a date, maybe with a deadline word after it:
//!
//!    ```text
//!    date     := [before] [本|当|今] core [前|以前|之前|内|以内|之内] [完成|完工] [punct]
//!    before   := ≤ | < (any spelling of the sign table) | 不晚于 | 不迟于
//!    core     := YYYY年[度] [M月 [D日|D号|底|末|份]] [底|末]
//!              | YYYY(-|.|/)M(-|.|/)D
//!              | YYYY(-|.|/)M           (only with a deadline word: `2024-12前`, else it is a range)
//!              | M月 (D日|D号|底|末)    (a month alone, `12月`, is a quantity: 12 months)
//!              | M月                    (only with a deadline word: `6月前`)
//!              | 年底 | 年末 | 年         (`年` only with a deadline word: `年内`)
//!    ```
//!
//!    `op` is `≤` when a deadline word (`前`, `以前`, `之前`, `内`, `以内`, `之内`) or a sign before
//!    the date (`≤2024年12月31日`, as a split 计算符号 cell gives it) is written, otherwise null (a bare date, like a bare number, states no sign). `value` is ISO 8601 at the
//!    precision written: `2024-12-31`, `2024-12` (a month, also `2024年12月底`), `2024` (a year,
//!    also `2024年底`: "by the end of 2024" is the whole year). **A date without a year**
//!    (`12月底前`, `6月30日`, `年底前`) keeps kind `date` and its `op`, but `value` is null: the
//!    parser does not know the budget year, and a yearless ISO form (`--12`) is not valid ISO
//!    8601 any more. An impossible date (`2024年2月30日`) is also a date with a null value.
//!    `text` is the cell as written.
//! 4. **quantitative**: the *whole* cell matches
//!
//!    ```text
//!    quantity := [达到|控制在] [sign] number [unit] {suffix | punct}
//!              | [达到|控制在] number [unit] separator number [unit] {punct}     (a range)
//!    sign     := ≥ | >= | ≥= | ≤ | <= | ≤= | > | < | = | 大于等于 | 大于或等于 | 不低于 | 不少于
//!              | 不小于 | 至少 | 小于等于 | 小于或等于 | 不高于 | 不超过 | 不大于 | 不多于 | 大于
//!              | 超过 | 高于 | 多于 | 小于 | 低于 | 少于 | 等于
//!    suffix   := 以上 | 及以上 | 或以上 (≥) | 以下 | 及以下 | 或以下 | 以内 | 之内 | 内 (≤) | (含)
//!    number   := [-] digits [, ddd]… [. digits]
//!    separator:= - | ~ | 至 | 到 | — | –
//!    ```
//!
//!    `以上`/`以下`/`以内` include the number (statutory usage), so they read as `≥`/`≤`.
//!    `达到` ("reach") reads as `≥` and `控制在` ("keep at") as `≤`, but only when no other sign is
//!    written: `控制在90%以上` is `≥90%`. A written sign and a suffix of opposite directions
//!    (`≥12次以下`) contradict each other: the cell is left **qualitative** rather than guessed.
//!    A range takes no sign; its unit may follow either number or both, and two different
//!    units make it qualitative. An inverted range (`90%-80%`) is kept as written: the checker
//!    reports it.
//!
//!    A *unit* is the short text right after the number, kept as written (after the full-width
//!    mapping; `亿元` is never converted to `万元`):
//!
//!    ```text
//!    unit     := [head] { joiner word }          at most 12 characters in all
//!    head     := % | ‰ | word                    (missing only before `/`: `/10万`)
//!    joiner   := / | · | ・ | • | × …
//!    word     := [base after `/`] 1–6 characters with no digit, sign or punctuation
//!    base     := 1 {0}                          (`/10万`, `/100人`: a rate's base, a power of ten)
//!    ```
//!
//!    So `次`, `家次`, `个工作日`, `TB`, `m²` (also `m2`), `元/人·月`, `万元/公里`, `万人次/日`,
//!    `元/平方米·年`, `%/年`, and `/10万` (a rate per 100,000, the base being part of the unit).
//!    A word never holds what only a clause has: `，。；` and other punctuation, `不`, `于`,
//!    `以`, `的`, `和`, `及`, … or a verb such as `完成`, `达标`, `通过`, `覆盖`, `左右`. That keeps
//!    `95%，群众满意`, `3次达标` and `3个社区全覆盖` qualitative. Neither is a word with Chinese
//!    after a Latin letter (`3A级`, `5G基站`: a grade, a name; `万m²` is a unit), a base after
//!    `/` that is no power of ten (`2024年/2025年`, `95%/90%`), nor `1.1.` (an outline number).
//!
//!    `value`/`upper` are decimal strings without needless zeros (`3.50` → `3.5`, `1,000` →
//!    `1000`), computed with `rust_decimal`. `text` is sign + number + unit with nothing between
//!    (`≥30家次`), no sign when none is written (`30亿元`), a range as `80%-90%` with the unit on
//!    both ends. So `4次以上` → `≥4次`, `１２次` → `12次`, `3.50%` → `3.5%`.
//! 5. **qualitative**: anything else, `text` = the cell. This includes sentences that contain a
//!    number (`完成3个项目的验收`, `100%完成`, `满意度≥90%`, `50人左右`): only a cell that *is*
//!    a quantity is read as one, which keeps the rule predictable and never invents a value from
//!    part of a sentence. Chinese numerals (`十二次`) are not read as numbers.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Op, Target, TargetKind};
use crate::read::CellValue;
use crate::text::to_halfwidth;

/// Parse a target written as text. Never panics.
pub fn parse(raw: &str) -> Target {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return verbatim(raw, TargetKind::Empty, None, None, String::new());
    }
    let c = respell(compact(trimmed));
    if c.is_empty() {
        // Only zero-width characters: as empty as a blank cell.
        return verbatim(raw, TargetKind::Empty, None, None, String::new());
    }
    if is_placeholder(&c) {
        return verbatim(
            raw,
            TargetKind::Placeholder,
            None,
            None,
            trimmed.to_string(),
        );
    }
    if let Some((op, value)) = date(&c) {
        return verbatim(raw, TargetKind::Date, op, value, trimmed.to_string());
    }
    if let Some(t) = qualified(raw, trimmed, &c) {
        return t;
    }
    if let Some((from, to)) = date_range(&c) {
        let mut t = verbatim(
            raw,
            TargetKind::Date,
            Some(Op::Range),
            Some(from),
            trimmed.to_string(),
        );
        t.upper = Some(to);
        return t;
    }
    match quantity(&c) {
        Scan::Quantity(q) => q.into_target(raw),
        Scan::Placeholder => verbatim(
            raw,
            TargetKind::Placeholder,
            None,
            None,
            trimmed.to_string(),
        ),
        Scan::NoMatch => verbatim(
            raw,
            TargetKind::Qualitative,
            None,
            None,
            trimmed.to_string(),
        ),
    }
}

/// Parse a target from a cell (a percent-formatted number 0.98 reads as `98%`).
pub fn from_cell(value: &CellValue) -> Target {
    parse(&value.display())
}

/// A target whose `text` is given (every kind but quantitative).
fn verbatim(
    raw: &str,
    kind: TargetKind,
    op: Option<Op>,
    value: Option<String>,
    text: String,
) -> Target {
    Target {
        raw: raw.to_string(),
        kind,
        op,
        value,
        upper: None,
        unit: None,
        text,
        qualifier: None,
    }
}

/// A quantity or a date with a note in brackets after it that says where the figure comes from
/// (`100%(计划标准)`, `≥90%（历史标准）`): the target of the part before, its text followed by
/// the note as written, and the note as its `qualifier`. A note with a digit, or `(含)`, is
/// no such note.
fn qualified(raw: &str, trimmed: &str, c: &[char]) -> Option<Target> {
    let inner = c.strip_suffix(&[')'])?;
    let open = inner.iter().rposition(|ch| *ch == '(')?;
    let note: String = inner[open + 1..].iter().collect();
    let is_note = (1..=12).contains(&note.chars().count())
        && !note
            .chars()
            .any(|ch| ch.is_ascii_digit() || "()%含".contains(ch));
    if open == 0 || !is_note {
        return None;
    }
    let head: String = c[..open].iter().collect();
    let mut t = parse(&head);
    if !matches!(t.kind, TargetKind::Quantitative | TargetKind::Date) {
        return None;
    }
    // The note as written, in the brackets it was written with.
    let at = trimmed.rfind(['(', '（'])?;
    t.text.push_str(&trimmed[at..]);
    t.raw = raw.to_string();
    t.qualifier = Some(note);
    Some(t)
}

/// Spellings of a sign or a unit that provinces' forms write and the grammar does not: the unit
/// spelled out after the number (`=100百分比`: `=100%`), the unit written again before the sign
/// (`%=99百分比`: `=99%`), and the sign `=` misread as the numeral 二 before a digit (`二100`).
fn respell(mut c: Vec<char>) -> Vec<char> {
    const SPELLED: [char; 3] = ['百', '分', '比'];
    let n = c.len();
    if n > 3 && c[n - 3..] == SPELLED && c[n - 4].is_ascii_digit() {
        c.truncate(n - 3);
        c.push('%');
    }
    let is_sign = |ch: Option<&char>| matches!(ch, Some('=' | '≥' | '≤' | '>' | '<'));
    if c.first() == Some(&'%') && is_sign(c.get(1)) {
        c.remove(0);
        if c.last().is_some_and(char::is_ascii_digit) {
            c.push('%');
        }
    }
    if c.first() == Some(&'二') && c.get(1).is_some_and(char::is_ascii_digit) {
        c[0] = '=';
    }
    c
}

/// `Some((from, to))` when the whole cell is a span of months (`2023.07-2024.01`, `2023年7月-2024年1
/// 月`): two dates of a year and a month, the second not before the first, as ISO `YYYY-MM`. A
/// span of days (`2024-01-01至2024-06-30`) is one too.
fn date_range(c: &[char]) -> Option<(String, String)> {
    // A year of a budget's span (a range of four-digit numbers is no span of months).
    let side = |part: &[char]| -> Option<String> {
        let mut p = 0;
        let (year, month, day, _) = date_core(part, &mut p)?;
        if p != part.len() || month.is_none() || !(1900..=2200).contains(&year?) {
            return None;
        }
        iso(year, month, day)
    };
    c.iter().enumerate().find_map(|(at, ch)| {
        if !SEPARATORS.contains(ch) {
            return None;
        }
        let (from, to) = (side(&c[..at])?, side(&c[at + 1..])?);
        (from <= to).then_some((from, to))
    })
}

/// The working copy the grammar is matched against (see the module doc).
fn compact(s: &str) -> Vec<char> {
    to_halfwidth(s)
        .chars()
        .filter_map(|ch| match ch {
            '≧' | '⩾' => Some('≥'),
            '≦' | '⩽' => Some('≤'),
            '〜' => Some('~'),
            '−' => Some('-'),
            '﹪' => Some('%'),
            // Zero-width characters arrive with text pasted from web pages.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => None,
            c if c.is_whitespace() => None,
            c => Some(c),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Small cursor helpers over a char slice: indexes are char indexes, so nothing can split UTF-8.

fn starts_with(c: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| c.get(at + k) == Some(&w))
}

fn ends_with(c: &[char], word: &str) -> bool {
    let n = word.chars().count();
    n <= c.len() && starts_with(c, c.len() - n, word)
}

fn is_digit(c: &[char], at: usize) -> bool {
    c.get(at).is_some_and(|d| d.is_ascii_digit())
}

/// Consume a run of ASCII digits; returns their value as text.
fn digits(c: &[char], p: &mut usize) -> String {
    let mut out = String::new();
    while let Some(&d) = c.get(*p) {
        if !d.is_ascii_digit() {
            break;
        }
        out.push(d);
        *p += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/// Characters that stand for "not filled in" when a cell holds nothing else.
const FILLER: &[char] = &[
    '*', '…', '.', '/', '\\', '-', '—', '_', '?', '~', '·', '、', '。',
];
/// Characters that stand where the number goes (`≥X次`).
const NUMBER_STANDIN: &[char] = &['x', 'X', '×', '*', '?', '…'];

fn is_placeholder(c: &[char]) -> bool {
    // A run of two X's or two stars anywhere: template leftovers even inside a sentence.
    let x_like = |ch: &char| matches!(ch, 'x' | 'X' | '×');
    if c.windows(2)
        .any(|w| (x_like(&w[0]) && x_like(&w[1])) || w == ['*', '*'])
    {
        return true;
    }
    // Filler only, maybe framed by a sign and a percent sign (`≥%`, `……`, `/`).
    let mut p = 0;
    let _ = sign(c, &mut p);
    let mut end = c.len();
    if end > p && c.get(end - 1) == Some(&'%') {
        end -= 1;
    }
    c.get(p..end)
        .is_some_and(|mid| mid.iter().all(|ch| FILLER.contains(ch)))
}

// ---------------------------------------------------------------------------------------------
// Signs

/// Written signs, longest first so that `>=` wins over `>` and `大于等于` over `大于`.
const SIGNS: &[(&str, Op)] = &[
    ("大于或等于", Op::Ge),
    ("小于或等于", Op::Le),
    ("大于等于", Op::Ge),
    ("小于等于", Op::Le),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不大于", Op::Le),
    ("不多于", Op::Le),
    ("至少", Op::Ge),
    ("大于", Op::Gt),
    ("超过", Op::Gt),
    ("高于", Op::Gt),
    ("多于", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("少于", Op::Lt),
    ("等于", Op::Eq),
    (">=", Op::Ge),
    ("≥=", Op::Ge),
    ("<=", Op::Le),
    ("≤=", Op::Le),
    ("≥", Op::Ge),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

/// Words after the number (and unit). `(含)` ("inclusive") only confirms the suffix it goes with.
const SUFFIXES: &[(&str, Option<Op>)] = &[
    ("及以上", Some(Op::Ge)),
    ("或以上", Some(Op::Ge)),
    ("以上", Some(Op::Ge)),
    ("及以下", Some(Op::Le)),
    ("或以下", Some(Op::Le)),
    ("以下", Some(Op::Le)),
    ("以内", Some(Op::Le)),
    ("之内", Some(Op::Le)),
    ("内", Some(Op::Le)),
    ("(含)", None),
];

/// Words before everything else that imply a sign only when none is written.
const LEADS: &[(&str, Op)] = &[("达到", Op::Ge), ("控制在", Op::Le)];

/// Punctuation tolerated (and dropped) at the end of a quantity.
const TRAILING_PUNCT: &[char] = &['。', '.', ',', ';', '!', '、', ':'];

fn sign(c: &[char], p: &mut usize) -> Option<Op> {
    for (word, op) in SIGNS {
        if starts_with(c, *p, word) {
            *p += word.chars().count();
            return Some(*op);
        }
    }
    None
}

/// Two signs agree when they point the same way (`≥` with `>`, `=` only with `=`).
fn agree(a: Op, b: Op) -> bool {
    a.direction() == b.direction() && (a == Op::Eq) == (b == Op::Eq)
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Words after a date that make it a deadline (sign `≤`), longest first.
const DEADLINE: &[&str] = &["以前", "之前", "前", "以内", "之内", "内"];

/// Words before a date that make it a deadline (besides the signs `≤` and `<`).
const DEADLINE_BEFORE: &[&str] = &["不晚于", "不迟于"];

/// `Some((op, iso))` when the whole cell is a date (see the module doc).
fn date(c: &[char]) -> Option<(Option<Op>, Option<String>)> {
    let mut p = 0;
    // `≤2024年12月31日`: "no later than". Any other sign before a date is not a date.
    let mut deadline = match sign(c, &mut p) {
        Some(Op::Le | Op::Lt) => true,
        Some(_) => return None,
        None => false,
    };
    let signed = deadline;
    if !deadline {
        for word in DEADLINE_BEFORE {
            if starts_with(c, p, word) {
                p += word.chars().count();
                deadline = true;
                break;
            }
        }
    }
    for lead in ["本", "当", "今"] {
        if starts_with(c, p, lead) && starts_with(c, p + 1, "年") {
            p += 1;
            break;
        }
    }
    // The parts found: year, month, day, and whether the core alone shows it is a date.
    let (year, month, day, self_evident) = date_core(c, &mut p)?;
    // A sign before a bare year is a number of years (`≤2000年`, as `2000年以下` reads): only a
    // month makes a signed text a deadline, so that the two spellings read alike.
    if signed && month.is_none() && day.is_none() && p == c.len() && c.last() == Some(&'年') {
        return None;
    }
    // A sign before the date makes it a deadline but not a date: `≤12月` is twelve months.
    let mut deadline_after = false;
    for word in DEADLINE {
        if starts_with(c, p, word) {
            p += word.chars().count();
            deadline_after = true;
            break;
        }
    }
    for word in ["完成", "完工"] {
        if starts_with(c, p, word) {
            p += word.chars().count();
            break;
        }
    }
    while c.get(p).is_some_and(|ch| TRAILING_PUNCT.contains(ch)) {
        p += 1;
    }
    if p != c.len() || !(self_evident || deadline_after) {
        return None;
    }
    let op = (deadline || deadline_after).then_some(Op::Le);
    Some((op, iso(year, month, day)))
}

type Parts = (Option<u32>, Option<u32>, Option<u32>, bool);

/// The date proper; leaves `p` after it.
fn date_core(c: &[char], p: &mut usize) -> Option<Parts> {
    if starts_with(c, *p, "年底") || starts_with(c, *p, "年末") {
        *p += 2;
        return Some((None, None, None, true));
    }
    if starts_with(c, *p, "年内") {
        // "Within the year": the deadline word 内 follows and makes it a date.
        *p += 1;
        return Some((None, None, None, false));
    }
    let first = digits(c, p);
    if first.is_empty() || first.len() > 4 {
        return None;
    }
    let n: u32 = first.parse().ok()?;
    let is_year = first.len() == 4;
    match c.get(*p) {
        Some('年') if is_year => {
            *p += 1;
            if c.get(*p) == Some(&'度') {
                *p += 1;
            }
            let save = *p;
            let m = digits(c, p);
            if !m.is_empty() && m.len() <= 2 && c.get(*p) == Some(&'月') {
                *p += 1;
                let month: u32 = m.parse().ok()?;
                let save_day = *p;
                let d = digits(c, p);
                if !d.is_empty() && d.len() <= 2 && matches!(c.get(*p), Some('日' | '号')) {
                    *p += 1;
                    return Some((Some(n), Some(month), d.parse().ok(), true));
                }
                *p = save_day;
                if matches!(c.get(*p), Some('底' | '末' | '份')) {
                    *p += 1;
                }
                return Some((Some(n), Some(month), None, true));
            }
            *p = save;
            if matches!(c.get(*p), Some('底' | '末')) {
                *p += 1;
            }
            Some((Some(n), None, None, true))
        }
        Some(&sep @ ('-' | '.' | '/')) if is_year => {
            *p += 1;
            let m = digits(c, p);
            if m.is_empty() || m.len() > 2 {
                return None;
            }
            let month: u32 = m.parse().ok()?;
            if c.get(*p) == Some(&sep) {
                *p += 1;
                let d = digits(c, p);
                if d.is_empty() || d.len() > 2 {
                    return None;
                }
                return Some((Some(n), Some(month), d.parse().ok(), true));
            }
            // `2024-12` alone is also a range and `2024.12` a decimal: a date only when a
            // deadline word follows.
            Some((Some(n), Some(month), None, false))
        }
        Some('月') if first.len() <= 2 => {
            *p += 1;
            // A date with no year: recognised, but no ISO value can be given (module doc).
            let save = *p;
            let d = digits(c, p);
            if !d.is_empty() && d.len() <= 2 && matches!(c.get(*p), Some('日' | '号')) {
                *p += 1;
                return Some((None, None, None, true));
            }
            *p = save;
            if matches!(c.get(*p), Some('底' | '末')) {
                *p += 1;
                return Some((None, None, None, true));
            }
            // `12月` alone reads as twelve months, unless a deadline word follows.
            Some((None, None, None, false))
        }
        _ => None,
    }
}

fn valid_month(m: u32) -> Option<u32> {
    (1..=12).contains(&m).then_some(m)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap {
                29
            } else {
                28
            }
        }
    }
}

/// The ISO 8601 rendering at the precision given, or `None` without a year or for an
/// impossible date.
fn iso(year: Option<u32>, month: Option<u32>, day: Option<u32>) -> Option<String> {
    let year = year?;
    match (month, day) {
        (None, _) => Some(format!("{year:04}")),
        (Some(m), None) => valid_month(m).map(|m| format!("{year:04}-{m:02}")),
        (Some(m), Some(d)) => {
            let m = valid_month(m)?;
            (1..=days_in_month(year, m))
                .contains(&d)
                .then(|| format!("{year:04}-{m:02}-{d:02}"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Quantities

const SEPARATORS: &[char] = &['-', '~', '至', '到', '—', '–'];

/// Characters no unit word contains (besides digits and whitespace): signs, range separators,
/// punctuation that ends a clause, and a few characters that only a sentence has.
const NOT_IN_UNIT: &[char] = &[
    '%', '‰', '≥', '≤', '<', '>', '=', '-', '~', '至', '到', '—', '–', ',', '.', ';', ':', '!',
    '?', '、', '。', '(', ')', '[', ']', '{', '}', '"', '\'', '“', '”', '‘', '’', '《', '》', '【',
    '】', '*', '…', '#', '+', '不', '于', '以', '的', '和', '与', '或', '及', '并', '等', '为',
];
/// Words that show a sentence, not a unit (`100%完成`, `3次达标`, `3个社区全覆盖`).
const NOT_UNIT_WORDS: &[&str] = &[
    "完成", "达标", "合格", "提升", "提高", "降低", "增长", "减少", "左右", "上下", "达到", "控制",
    "通过", "验收", "实现", "保持", "确保", "覆盖", "建成", "开展", "全部", "按时", "及时",
];
/// What joins the words of a compound unit: `元/人·月`, `万元/公里`, `人×天`.
const UNIT_JOINERS: &[char] = &['/', '·', '・', '•', '‧', '⋅', '×'];

/// The longest word of a unit, in characters (`个工作日` has four, `万平方公里` five).
const MAX_UNIT_WORD_CHARS: usize = 6;
/// The longest unit, in characters (`元/平方米·年` has seven).
const MAX_UNIT_CHARS: usize = 12;

/// A unit (module doc): empty, or words joined by [`UNIT_JOINERS`]. The first word may be `%`
/// or `‰` (`%/年`), or be missing before a `/` (`/10万`, a rate per 100,000); a word after a `/`
/// may start with the base of the rate (`/10万人`).
fn valid_unit(u: &[char]) -> bool {
    if u.is_empty() {
        return true;
    }
    if u.len() > MAX_UNIT_CHARS {
        return false;
    }
    let s: String = u.iter().collect();
    if NOT_UNIT_WORDS.iter().any(|w| s.contains(w)) {
        return false;
    }
    // (the joiner before the word, the word)
    let mut words: Vec<(Option<char>, &[char])> = Vec::new();
    let mut joiner = None;
    let mut start = 0;
    for (i, ch) in u.iter().enumerate() {
        if UNIT_JOINERS.contains(ch) {
            words.push((joiner, &u[start..i]));
            joiner = Some(*ch);
            start = i + 1;
        }
    }
    words.push((joiner, &u[start..]));
    words.iter().enumerate().all(|(i, &(joiner, word))| {
        if i == 0 && word.is_empty() {
            return words.get(1).is_some_and(|w| w.0 == Some('/'));
        }
        let word = if joiner == Some('/') {
            // The base of a rate is a power of ten: `/10万`, `/100人`, never `/7天` or `/2025年`.
            let base = word.iter().take_while(|ch| ch.is_ascii_digit()).count();
            if base > 0 && !(word[0] == '1' && word[1..base].iter().all(|&d| d == '0')) {
                return false;
            }
            &word[base..]
        } else {
            word
        };
        valid_unit_word(word, i == 0)
    })
}

/// One word of a unit. Digits appear only as the power in `m2`/`m3` (also written `m²`).
/// Chinese after a Latin letter makes a name or a grade (`3A级`, `5G基站`), not a unit;
/// before it, a magnitude (`万m²`, `万kWh`) is fine.
fn valid_unit_word(w: &[char], first: bool) -> bool {
    if w == ['%'] || w == ['‰'] {
        return first;
    }
    let power = |k: usize| k > 0 && k + 1 == w.len() && w[k - 1] == 'm';
    let latin_then_chinese = w
        .iter()
        .skip_while(|ch| !ch.is_ascii_alphabetic())
        .any(|ch| !ch.is_ascii() && !matches!(ch, '²' | '³'));
    !w.is_empty()
        && !latin_then_chinese
        && w.len() <= MAX_UNIT_WORD_CHARS
        && w.iter().enumerate().all(|(k, ch)| {
            if ch.is_ascii_digit() {
                matches!(ch, '2' | '3') && power(k)
            } else {
                !ch.is_whitespace() && !NOT_IN_UNIT.contains(ch)
            }
        })
}

/// A number: `[-] digits [,ddd]… [.digits]`, thousands separators only after a group of at most
/// three digits and only before exactly three. Leaves `p` after it.
fn number(c: &[char], p: &mut usize) -> Option<Decimal> {
    let mut i = *p;
    let mut s = String::new();
    if c.get(i) == Some(&'-') && is_digit(c, i + 1) {
        s.push('-');
        i += 1;
    }
    let int = digits(c, &mut i);
    if int.is_empty() {
        return None;
    }
    s.push_str(&int);
    if int.len() <= 3 {
        while c.get(i) == Some(&',') && (1..=3).all(|k| is_digit(c, i + k)) && !is_digit(c, i + 4) {
            for k in 1..=3 {
                if let Some(&d) = c.get(i + k) {
                    s.push(d);
                }
            }
            i += 4;
        }
    }
    if c.get(i) == Some(&'.') && is_digit(c, i + 1) {
        i += 1;
        s.push('.');
        s.push_str(&digits(c, &mut i));
    }
    let d = Decimal::from_str(&s).ok()?;
    *p = i;
    Some(d)
}

/// Take chars from `p` up to a digit, a range separator or the end. Digits that belong to a
/// unit are taken: the base of a rate after `/` (`/10万`) and the power in `m2`/`m3`.
fn unit_run(c: &[char], p: &mut usize) -> Vec<char> {
    let start = *p;
    while let Some(&ch) = c.get(*p) {
        if ch.is_ascii_digit() {
            let prev = (*p > start).then(|| c[*p - 1]);
            if prev == Some('/') {
                while is_digit(c, *p) {
                    *p += 1;
                }
                continue;
            }
            if prev == Some('m') && matches!(ch, '2' | '3') && !is_digit(c, *p + 1) {
                *p += 1;
                continue;
            }
            break;
        }
        if SEPARATORS.contains(&ch) {
            break;
        }
        *p += 1;
    }
    c.get(start..*p).map(<[char]>::to_vec).unwrap_or_default()
}

/// Strip trailing punctuation and sign suffixes from the text after the number; returns the
/// unit left and the signs the suffixes gave. Repeats until nothing changes, so the unit never
/// ends in a suffix (which keeps normalization idempotent).
fn strip_tail(mut t: Vec<char>, allow_suffix: bool) -> (Vec<char>, Vec<Op>) {
    let mut ops = Vec::new();
    loop {
        let before = t.len();
        while t.last().is_some_and(|ch| TRAILING_PUNCT.contains(ch)) {
            t.pop();
        }
        if allow_suffix {
            for (word, op) in SUFFIXES {
                if ends_with(&t, word) {
                    t.truncate(t.len() - word.chars().count());
                    ops.extend(op);
                    break;
                }
            }
        }
        if t.len() == before {
            return (t, ops);
        }
    }
}

struct Quantity {
    op: Option<Op>,
    value: Decimal,
    upper: Option<Decimal>,
    unit: Option<String>,
}

enum Scan {
    Quantity(Quantity),
    Placeholder,
    NoMatch,
}

/// Canonical decimal text: no needless zeros, no negative zero.
fn decimal_text(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// A target as a layout with a sign column and a unit column of its own writes it (either or
/// both): the value cell's text without what those columns hold, the sign (`≥`; a range keeps
/// its two ends in the value cell) and the unit. A target with no number is its text alone.
pub fn in_columns(
    t: &Target,
    sign_col: bool,
    unit_col: bool,
) -> (String, Option<&'static str>, Option<&str>) {
    let Some(v) = t
        .value
        .as_ref()
        .filter(|_| t.kind == TargetKind::Quantitative)
    else {
        return (t.text.clone(), None, None);
    };
    let op = t.op.filter(|op| !(sign_col && *op != Op::Range));
    let sign =
        t.op.filter(|op| sign_col && *op != Op::Range)
            .map(Op::symbol);
    let unit = t.unit.as_deref().filter(|_| unit_col);
    let shown_unit = if unit_col {
        ""
    } else {
        t.unit.as_deref().unwrap_or("")
    };
    let mut text = render(op, v, t.upper.as_deref(), shown_unit);
    if let Some(q) = &t.qualifier {
        text.push_str(&format!("({q})"));
    }
    (text, sign, unit)
}

/// The normalized text of a quantity: sign, number and unit with nothing between; a range
/// with the unit on both ends.
fn render(op: Option<Op>, value: &str, upper: Option<&str>, unit: &str) -> String {
    match (op, upper) {
        (Some(Op::Range), Some(up)) => format!("{value}{unit}-{up}{unit}"),
        (Some(op), _) => format!("{}{value}{unit}", op.symbol()),
        (None, _) => format!("{value}{unit}"),
    }
}

impl Quantity {
    fn into_target(self, raw: &str) -> Target {
        let value = decimal_text(self.value);
        let upper = self.upper.map(decimal_text);
        let unit = self.unit.unwrap_or_default();
        let text = render(self.op, &value, upper.as_deref(), &unit);
        Target {
            raw: raw.to_string(),
            kind: TargetKind::Quantitative,
            op: self.op,
            value: Some(value),
            upper,
            unit: (!unit.is_empty()).then_some(unit),
            text,
            qualifier: None,
        }
    }
}

fn quantity(c: &[char]) -> Scan {
    let mut p = 0;
    let mut lead = None;
    for (word, op) in LEADS {
        if starts_with(c, p, word) {
            p += word.chars().count();
            lead = Some(*op);
            break;
        }
    }
    let written = sign(c, &mut p);

    // A stand-in where the number goes: `≥X次`, `X%`.
    if c.get(p).is_some_and(|ch| NUMBER_STANDIN.contains(ch)) {
        while c.get(p).is_some_and(|ch| NUMBER_STANDIN.contains(ch)) {
            p += 1;
        }
        let rest = unit_run(c, &mut p);
        if p != c.len() {
            return Scan::NoMatch;
        }
        let (unit, _) = strip_tail(rest, true);
        let framed = written.is_some() || unit.is_empty() || unit == ['%'];
        return if framed && valid_unit(&unit) {
            Scan::Placeholder
        } else {
            Scan::NoMatch
        };
    }

    let number_start = p;
    let Some(value) = number(c, &mut p) else {
        return Scan::NoMatch;
    };
    // `1.1.` is the number of an outline item, not a decimal with a full stop after it.
    if c.get(p) == Some(&'.') && c.get(number_start..p).is_some_and(|n| n.contains(&'.')) {
        return Scan::NoMatch;
    }
    let first_unit = unit_run(c, &mut p);

    if p == c.len() {
        let (unit, suffix_ops) = strip_tail(first_unit, true);
        if !valid_unit(&unit) {
            return Scan::NoMatch;
        }
        // The written sign comes first; a suffix must point the same way.
        let mut op = written;
        for s in suffix_ops {
            match op {
                Some(o) if !agree(o, s) => return Scan::NoMatch,
                Some(_) => {}
                None => op = Some(s),
            }
        }
        let op = op.or(lead);
        let unit = (!unit.is_empty()).then(|| unit.iter().collect());
        return Scan::Quantity(Quantity {
            op,
            value,
            upper: None,
            unit,
        });
    }

    // What stopped the unit is a digit (a sentence: `3个项目2期`) or a range separator.
    if written.is_some() || !c.get(p).is_some_and(|ch| SEPARATORS.contains(ch)) {
        return Scan::NoMatch;
    }
    let (u1, _) = strip_tail(first_unit, false);
    if c.get(p) == Some(&'—') {
        // The Chinese dash is often typed doubled (`——`).
        while c.get(p) == Some(&'—') {
            p += 1;
        }
    } else {
        p += 1;
    }
    let Some(upper) = number(c, &mut p) else {
        return Scan::NoMatch;
    };
    let second_unit = unit_run(c, &mut p);
    if p != c.len() {
        return Scan::NoMatch;
    }
    let (u2, _) = strip_tail(second_unit, false);
    if !valid_unit(&u1) || !valid_unit(&u2) || (!u1.is_empty() && !u2.is_empty() && u1 != u2) {
        return Scan::NoMatch;
    }
    let unit = if u1.is_empty() { u2 } else { u1 };
    let unit = (!unit.is_empty()).then(|| unit.iter().collect());
    Scan::Quantity(Quantity {
        op: Some(Op::Range),
        value,
        upper: Some(upper),
        unit,
    })
}

// ---------------------------------------------------------------------------------------------
// Split columns (docs/FORM.md §1.5)

/// Something the separate cells of a split target state differently (docs/FORM.md §1.5): the matter
/// of the warning `target-split-conflict`. Each text is a cell as written, trimmed (the value
/// cell as [`CellValue::display`] shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitConflict {
    /// The 计算符号 cell and the value cell state different signs: `≥` and `≤5`.
    Sign { sign: String, value: String },
    /// The 计量单位 cell and the value cell state different units: `个` and `5家`.
    Unit { unit: String, value: String },
}

/// A target read from split cells, with what they state differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitTarget {
    pub target: Target,
    pub conflicts: Vec<SplitConflict>,
}

/// What a sign cell holds that states no sign: the kind of value (指标值类型 written in the sign
/// column) or "none".
const NO_SIGN: &[&str] = &["定性", "定量", "无"];
/// What a unit cell holds that states no unit.
const NO_UNIT: &[&str] = &["无"];

/// What a 计算符号 cell says.
enum SignCell {
    /// Nothing: empty, `定性`/`定量`, `无`, or filler (`/`, `-`).
    Nothing,
    /// A sign of the table of docs/FORM.md §3.1; `after` for the words that follow a number (`以上`).
    Sign { op: Op, after: bool },
    /// Text that is no sign (`约`): kept where it stands, so the target reads as written.
    Other,
}

fn sign_cell(text: &str) -> SignCell {
    let c = compact(text);
    let word: String = c.iter().collect();
    if NO_SIGN.contains(&word.as_str()) || c.iter().all(|ch| FILLER.contains(ch)) {
        return SignCell::Nothing;
    }
    let mut p = 0;
    if let Some(op) = sign(&c, &mut p) {
        if p == c.len() {
            return SignCell::Sign { op, after: false };
        }
    }
    if let Some(&(_, op)) = LEADS.iter().find(|(w, _)| *w == word) {
        return SignCell::Sign { op, after: false };
    }
    // Sign words that follow a number: `以上`, `(含)以上`.
    let (rest, ops) = strip_tail(c, true);
    match ops.split_first() {
        Some((&op, others)) if rest.is_empty() && others.iter().all(|&o| agree(o, op)) => {
            SignCell::Sign { op, after: true }
        }
        _ => SignCell::Other,
    }
}

/// The unit a 计量单位 cell states, compacted as a unit in a target cell is; `None` for an
/// empty cell, `无` or filler.
fn unit_cell(text: &str) -> Option<String> {
    let c = compact(text);
    let word: String = c.iter().collect();
    if NO_UNIT.contains(&word.as_str()) || c.iter().all(|ch| FILLER.contains(ch)) {
        return None;
    }
    Some(word)
}

/// Read a target written in the budget-integration system's split columns, 计算符号 | 指标值 |
/// 计量单位 (docs/FORM.md §1.5): `sign` and `unit` are those cells' text (pass `""` for a missing
/// column or an empty cell), `value` the 指标值 cell (a percent-formatted 0.98 is `98%`). A
/// 指标值类型 column (定量/定性) adds nothing the value does not show; a `定性` or `定量` written
/// in the sign column states no sign.
///
/// The target is the one [`parse`] gives the cell an officer would have written, `≥120公里`:
///
/// - The sign cell accepts every spelling of the sign table (`≥`, `≧`, `＞＝`, `大于等于`,
///   `不低于`, `以上`, …). An empty sign cell leaves the value cell's own sign, if any. Text that
///   is no sign (`约`) stays before the value, so the target reads as written (`约120公里`,
///   qualitative).
/// - The unit cell gives the unit when the value cell states none (`80-90` and `%` are
///   `80%-90%`). A unit cell that is no unit makes the whole reading text, as it would in one
///   cell.
/// - When the sign cell and the value cell both state a sign, differently, or the unit cell
///   and the value cell a unit, the **value cell wins** and a [`SplitConflict`] says so: the
///   value cell is the one typed next to the number, while the separate cells are often a
///   drop-down or a column filled down and left at its default.
/// - An empty value cell is an empty target, whatever the sign and unit cells hold: a template
///   often fills those two in advance.
///
/// `raw` is what an officer reads across the three cells: sign cell, value cell and unit cell
/// as written, trimmed and concatenated, except that a separate cell which only repeats what
/// the value cell states (`≥` beside `≥120`, `%` beside a percent-formatted `98%`) or states
/// nothing (`定性`, `/`) is not repeated; a sign word that follows a number (`以上`) is read
/// after the value and unit. So a well-kept split row has `raw == text` (`≥` `120` `公里` →
/// `≥120公里`), and the normalizer's rule "a change when `text != raw`" holds unchanged:
/// `大于等于` `120` `公里` reads `大于等于120公里` and is normalized to `≥120公里`.
pub fn from_split(sign: &str, value: &CellValue, unit: &str) -> SplitTarget {
    let value_text = value.display().trim().to_string();
    let read = parse(&value_text);
    let mut conflicts = Vec::new();
    if read.kind == TargetKind::Empty {
        return SplitTarget {
            target: Target::empty(),
            conflicts,
        };
    }
    let sign_text = sign.trim();
    let unit_text = unit.trim();

    // Where a separate cell's text goes: `Some(false)` before the value, `Some(true)` after it
    // (a sign word such as `以上`), `None` nowhere. `shown` is for `raw`; `kept` for the
    // reading, which leaves out what lost a conflict.
    let (sign_shown, sign_kept, sign_op) = match sign_cell(sign_text) {
        SignCell::Nothing => (None, None, None),
        SignCell::Other => (Some(false), Some(false), None),
        SignCell::Sign { op, after } => match read.op {
            None => (Some(after), Some(after), Some(op)),
            Some(stated) if stated == op => (None, None, None),
            Some(_) => {
                conflicts.push(SplitConflict::Sign {
                    sign: sign_text.to_string(),
                    value: value_text.clone(),
                });
                (Some(after), None, None)
            }
        },
    };
    let (unit_shown, unit_kept) = match (unit_cell(unit_text), &read.unit) {
        (None, _) => (false, None),
        (Some(u), None) => (true, Some(u)),
        (Some(u), Some(stated)) if u == *stated => (false, None),
        (Some(_), Some(_)) => {
            conflicts.push(SplitConflict::Unit {
                unit: unit_text.to_string(),
                value: value_text.clone(),
            });
            (true, None)
        }
    };

    let compose = |sign: Option<bool>, unit: bool| {
        let before = if sign == Some(false) { sign_text } else { "" };
        let after = if sign == Some(true) { sign_text } else { "" };
        let unit = if unit { unit_text } else { "" };
        format!("{before}{value_text}{unit}{after}")
    };
    let raw = compose(sign_shown, unit_shown);
    let sign_is_text = sign_kept.is_some() && sign_op.is_none();
    let unit_fits = unit_kept
        .as_deref()
        .is_none_or(|u| valid_unit(&u.chars().collect::<Vec<_>>()));
    let cell = match (&read.value, read.kind) {
        (Some(v), TargetKind::Quantitative) if !sign_is_text && unit_fits => {
            let op = read.op.or(sign_op);
            let unit = read.unit.as_deref().or(unit_kept.as_deref()).unwrap_or("");
            render(op, v, read.upper.as_deref(), unit)
        }
        // Words take no unit: a unit cell beside `应保尽保` is a slip (`target-kind-mismatch`
        // says so where the layout has a 指标值类型 column), not part of the target.
        (_, TargetKind::Qualitative) => compose(sign_kept, false),
        // Anything else reads as the cells are written, without what lost a conflict.
        _ => compose(sign_kept, unit_kept.is_some()),
    };
    let mut target = parse(&cell);
    target.raw = raw;
    SplitTarget { target, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use TargetKind::{Date, Empty, Placeholder, Qualitative, Quantitative};

    /// The parsed fields as one comparable tuple: (kind, op, value, upper, unit, text).
    type Fields = (
        TargetKind,
        Option<Op>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );

    fn fields(t: &Target) -> Fields {
        (
            t.kind,
            t.op,
            t.value.clone(),
            t.upper.clone(),
            t.unit.clone(),
            t.text.clone(),
        )
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    /// A quantitative target without range.
    #[track_caller]
    fn quant(raw: &str, op: Option<Op>, value: &str, unit: Option<&str>, text: &str) {
        let t = parse(raw);
        assert_eq!(t.raw, raw);
        assert_eq!(
            fields(&t),
            (
                Quantitative,
                op,
                s(value),
                None,
                unit.map(str::to_string),
                text.to_string()
            ),
            "{raw}"
        );
    }

    #[track_caller]
    fn range(raw: &str, value: &str, upper: &str, unit: Option<&str>, text: &str) {
        let t = parse(raw);
        assert_eq!(
            fields(&t),
            (
                Quantitative,
                Some(Op::Range),
                s(value),
                s(upper),
                unit.map(str::to_string),
                text.to_string()
            ),
            "{raw}"
        );
    }

    /// A target kept verbatim (qualitative, placeholder).
    #[track_caller]
    fn verbatim_kind(raw: &str, kind: TargetKind) {
        let t = parse(raw);
        assert_eq!(
            fields(&t),
            (kind, None, None, None, None, raw.trim().to_string()),
            "{raw}"
        );
        assert_eq!(t.raw, raw);
    }

    #[track_caller]
    fn date_of(raw: &str, op: Option<Op>, value: Option<&str>) {
        let t = parse(raw);
        assert_eq!(
            fields(&t),
            (
                Date,
                op,
                value.map(str::to_string),
                None,
                None,
                raw.trim().to_string()
            ),
            "{raw}"
        );
    }

    // ---- the sign table of docs/FORM.md §3.1, every written form ----------------------------------

    /// A benchmark note after a value (issue 24 item 8, issue 19 item 5): the value is read,
    /// the note kept as its qualifier and in its text.
    #[test]
    fn a_note_after_the_value_is_its_qualifier() {
        for (raw, op, value, unit, text, note) in [
            (
                "100%(计划标准)",
                None,
                "100",
                "%",
                "100%(计划标准)",
                "计划标准",
            ),
            (
                "≧90%（历史标准）",
                Some(Op::Ge),
                "90",
                "%",
                "≥90%（历史标准）",
                "历史标准",
            ),
            (
                "≥4次(行业标准)",
                Some(Op::Ge),
                "4",
                "次",
                "≥4次(行业标准)",
                "行业标准",
            ),
        ] {
            let t = parse(raw);
            assert_eq!(
                (
                    t.kind,
                    t.op,
                    t.value.as_deref(),
                    t.unit.as_deref(),
                    t.text.as_str()
                ),
                (Quantitative, op, Some(value), Some(unit), text),
                "{raw}"
            );
            assert_eq!(t.qualifier.as_deref(), Some(note), "{raw}");
        }
        // Not a note: words, or a bracket with figures.
        assert_eq!(parse("按计划(逐步)推进").kind, Qualitative);
        assert_eq!(parse("≥90%(含)").qualifier, None);
        assert_eq!(parse("≥90%(2024年)").qualifier, None);
    }

    /// Spellings provinces' forms use (docs/TEMPLATES.md §2.7): the unit spelled out, the unit
    /// written again before the sign, `=` misread as 二; each a correction (`text` ≠ `raw`).
    #[test]
    fn provincial_spellings_of_a_sign_and_a_unit() {
        quant("=100百分比", Some(Op::Eq), "100", Some("%"), "=100%");
        quant("%=99百分比", Some(Op::Eq), "99", Some("%"), "=99%");
        quant("二100百分比", Some(Op::Eq), "100", Some("%"), "=100%");
        quant("≥95百分比", Some(Op::Ge), "95", Some("%"), "≥95%");
        // 二 before a word, or a number that is no percentage, is left alone.
        assert_eq!(parse("二级达标").kind, Qualitative);
        assert_eq!(parse("百分比").kind, Qualitative);
    }

    /// A span of months or days is a date range, not a number range (issue 19 item 5).
    #[test]
    fn spans_of_months_are_date_ranges() {
        for (raw, from, to) in [
            ("2023.07-2024.01", "2023-07", "2024-01"),
            ("2023年7月-2024年1月", "2023-07", "2024-01"),
            ("2024-01-01至2024-06-30", "2024-01-01", "2024-06-30"),
        ] {
            let t = parse(raw);
            assert_eq!(
                (
                    t.kind,
                    t.op,
                    t.value.as_deref(),
                    t.upper.as_deref(),
                    t.text.as_str()
                ),
                (Date, Some(Op::Range), Some(from), Some(to), raw),
                "{raw}"
            );
        }
        // Backwards, or numbers that only look like months: no date range.
        assert_ne!(parse("2024.01-2023.07").kind, Date);
        assert_eq!(parse("80.5-90.2").kind, Quantitative);
        assert_ne!(parse("1000.5-2000.3").kind, Date);
    }

    #[test]
    fn signs_at_least() {
        let ge = Some(Op::Ge);
        quant("≥12次", ge, "12", Some("次"), "≥12次");
        quant("≧12次", ge, "12", Some("次"), "≥12次");
        quant(">=12次", ge, "12", Some("次"), "≥12次");
        quant("＞＝12次", ge, "12", Some("次"), "≥12次");
        quant("＞=12次", ge, "12", Some("次"), "≥12次");
        quant(">＝12次", ge, "12", Some("次"), "≥12次");
        quant("≥=12次", ge, "12", Some("次"), "≥12次");
        quant("⩾12次", ge, "12", Some("次"), "≥12次");
        quant("不低于90%", ge, "90", Some("%"), "≥90%");
        quant("不少于12批次", ge, "12", Some("批次"), "≥12批次");
        quant("至少5个", ge, "5", Some("个"), "≥5个");
        quant("大于等于5个", ge, "5", Some("个"), "≥5个");
        quant("大于或等于5个", ge, "5", Some("个"), "≥5个");
        quant("不小于5个", ge, "5", Some("个"), "≥5个");
        quant("4次以上", ge, "4", Some("次"), "≥4次");
        quant("30家次以上", ge, "30", Some("家次"), "≥30家次");
        quant("4次及以上", ge, "4", Some("次"), "≥4次");
        quant("4次或以上", ge, "4", Some("次"), "≥4次");
        quant("90%以上", ge, "90", Some("%"), "≥90%");
        quant("90%（含）以上", ge, "90", Some("%"), "≥90%");
        quant("5以上", ge, "5", None, "≥5");
        quant("达到90%", ge, "90", Some("%"), "≥90%");
    }

    #[test]
    fn signs_greater() {
        let gt = Some(Op::Gt);
        quant(">90%", gt, "90", Some("%"), ">90%");
        quant("＞90%", gt, "90", Some("%"), ">90%");
        quant("大于90%", gt, "90", Some("%"), ">90%");
        quant("超过90%", gt, "90", Some("%"), ">90%");
        quant("高于90%", gt, "90", Some("%"), ">90%");
        quant("多于3项", gt, "3", Some("项"), ">3项");
    }

    #[test]
    fn signs_equal() {
        let eq = Some(Op::Eq);
        quant("=100%", eq, "100", Some("%"), "=100%");
        quant("＝100％", eq, "100", Some("%"), "=100%");
        quant("等于100%", eq, "100", Some("%"), "=100%");
    }

    #[test]
    fn signs_at_most() {
        let le = Some(Op::Le);
        quant("≤3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("≦3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("⩽3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("<=3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("＜＝3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("≤=3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("不高于3.5%", le, "3.5", Some("%"), "≤3.5%");
        quant("不超过2360万元", le, "2360", Some("万元"), "≤2360万元");
        quant("不大于5天", le, "5", Some("天"), "≤5天");
        quant("不多于5天", le, "5", Some("天"), "≤5天");
        quant("小于等于5天", le, "5", Some("天"), "≤5天");
        quant("5%以下", le, "5", Some("%"), "≤5%");
        quant("5%及以下", le, "5", Some("%"), "≤5%");
        quant("3个工作日以内", le, "3", Some("个工作日"), "≤3个工作日");
        quant("3个工作日内", le, "3", Some("个工作日"), "≤3个工作日");
        quant("控制在3.5%以内", le, "3.5", Some("%"), "≤3.5%");
        quant("控制在3.5%", le, "3.5", Some("%"), "≤3.5%");
    }

    #[test]
    fn signs_less() {
        let lt = Some(Op::Lt);
        quant("<5%", lt, "5", Some("%"), "<5%");
        quant("＜5%", lt, "5", Some("%"), "<5%");
        quant("小于5%", lt, "5", Some("%"), "<5%");
        quant("低于5%", lt, "5", Some("%"), "<5%");
        quant("少于5%", lt, "5", Some("%"), "<5%");
    }

    #[test]
    fn lead_words_yield_to_written_signs() {
        // 控制在 means "kept at": with 以上 the target is at least.
        quant("控制在90%以上", Some(Op::Ge), "90", Some("%"), "≥90%");
        quant("达到≥90%", Some(Op::Ge), "90", Some("%"), "≥90%");
        // Redundant signs that agree are fine; the written one wins.
        quant("≥12次以上", Some(Op::Ge), "12", Some("次"), "≥12次");
        quant("大于12次以上", Some(Op::Gt), "12", Some("次"), ">12次");
    }

    #[test]
    fn contradicting_signs_stay_as_written() {
        verbatim_kind("≥12次以下", Qualitative);
        verbatim_kind("不超过5%以上", Qualitative);
        verbatim_kind("=5%以上", Qualitative);
        verbatim_kind("≥>5", Qualitative);
    }

    // ---- ranges ---------------------------------------------------------------------------------

    #[test]
    fn ranges_with_each_separator() {
        range("80%-90%", "80", "90", Some("%"), "80%-90%");
        range("80-90%", "80", "90", Some("%"), "80%-90%");
        range("80%-90", "80", "90", Some("%"), "80%-90%");
        range("80%～90%", "80", "90", Some("%"), "80%-90%");
        range("80%~90%", "80", "90", Some("%"), "80%-90%");
        range("80%〜90%", "80", "90", Some("%"), "80%-90%");
        range("80%至90%", "80", "90", Some("%"), "80%-90%");
        range("80%到90%", "80", "90", Some("%"), "80%-90%");
        range("80%—90%", "80", "90", Some("%"), "80%-90%");
        range("80%——90%", "80", "90", Some("%"), "80%-90%");
        range("80%–90%", "80", "90", Some("%"), "80%-90%");
        range("80%－90%", "80", "90", Some("%"), "80%-90%");
        range("3-5天", "3", "5", Some("天"), "3天-5天");
        range("3-5", "3", "5", None, "3-5");
        range(
            "1.5至2.5亿元",
            "1.5",
            "2.5",
            Some("亿元"),
            "1.5亿元-2.5亿元",
        );
        range("-5%--3%", "-5", "-3", Some("%"), "-5%--3%");
        range("控制在80%-90%", "80", "90", Some("%"), "80%-90%");
    }

    #[test]
    fn inverted_range_is_kept() {
        range("90%-80%", "90", "80", Some("%"), "90%-80%");
    }

    #[test]
    fn odd_ranges_are_qualitative() {
        verbatim_kind("80%-90个", Qualitative); // two units
        verbatim_kind("≥80%-90%", Qualitative); // a sign on a range
        verbatim_kind("80-90%以上", Qualitative); // a suffix on a range
        verbatim_kind("80-", Qualitative);
        verbatim_kind("1-2-3", Qualitative);
    }

    // ---- numbers --------------------------------------------------------------------------------

    #[test]
    fn full_width_and_separators() {
        quant("１２次", None, "12", Some("次"), "12次");
        quant("≥１２次", Some(Op::Ge), "12", Some("次"), "≥12次");
        quant("≥98％", Some(Op::Ge), "98", Some("%"), "≥98%");
        quant("≥98﹪", Some(Op::Ge), "98", Some("%"), "≥98%");
        quant("≤３．５％", Some(Op::Le), "3.5", Some("%"), "≤3.5%");
        quant(
            "≥1,000人次",
            Some(Op::Ge),
            "1000",
            Some("人次"),
            "≥1000人次",
        );
        quant(
            "≥1，000人次",
            Some(Op::Ge),
            "1000",
            Some("人次"),
            "≥1000人次",
        );
        quant("1,234,567元", None, "1234567", Some("元"), "1234567元");
        quant("≥ 12 次", Some(Op::Ge), "12", Some("次"), "≥12次");
        quant("≥\u{3000}12次", Some(Op::Ge), "12", Some("次"), "≥12次");
        quant("≥12次。", Some(Op::Ge), "12", Some("次"), "≥12次");
    }

    #[test]
    fn values_have_no_needless_zeros() {
        quant("3.50%", None, "3.5", Some("%"), "3.5%");
        quant("=100.0%", Some(Op::Eq), "100", Some("%"), "=100%");
        quant("≥2.5万人", Some(Op::Ge), "2.5", Some("万人"), "≥2.5万人");
        quant("5000", None, "5000", None, "5000");
        quant("0", None, "0", None, "0");
        quant("-0", None, "0", None, "0");
        quant("0.0%", None, "0", Some("%"), "0%");
        quant("≤-2%", Some(Op::Le), "-2", Some("%"), "≤-2%");
        quant("007个", None, "7", Some("个"), "7个");
    }

    #[test]
    fn malformed_thousands_are_not_numbers() {
        verbatim_kind("1,23个", Qualitative);
        verbatim_kind("1234,567", Qualitative);
        verbatim_kind("1,0000", Qualitative);
    }

    #[test]
    fn huge_numbers_do_not_panic() {
        verbatim_kind("≥999999999999999999999999999999999999次", Qualitative);
        let t = parse("0.0000000000000000000000000000000001%");
        assert_eq!(t.kind, Quantitative);
    }

    // ---- units ----------------------------------------------------------------------------------

    #[test]
    fn units_as_written() {
        for unit in [
            "%",
            "次",
            "个",
            "家次",
            "批次",
            "人",
            "人次",
            "万人",
            "万人次",
            "项",
            "篇",
            "份",
            "件",
            "台",
            "套",
            "辆",
            "场",
            "期",
            "所",
            "元",
            "万元",
            "亿元",
            "元/人·月",
            "天",
            "个工作日",
            "小时",
            "分钟",
            "年",
            "月",
            "平方米",
            "公里",
            "‰",
            "分",
            "km",
            "万平方米",
        ] {
            let raw = format!("≥12{unit}");
            quant(&raw, Some(Op::Ge), "12", Some(unit), &raw);
        }
        // 亿元 is never converted.
        quant("30亿元", None, "30", Some("亿元"), "30亿元");
        // Full-width slash is mapped.
        quant(
            "≤500元／人·月",
            Some(Op::Le),
            "500",
            Some("元/人·月"),
            "≤500元/人·月",
        );
    }

    /// Regression (issue 11): `≤12元/平方米·年` was read as text, its unit being over six
    /// characters long.
    #[test]
    fn compound_units_as_written() {
        for unit in [
            "元/平方米·年",
            "元/人·月",
            "元/人·次",
            "元/人・次",
            "万元/公里",
            "万人次/日",
            "万元/平方公里·年",
            "/10万",
            "/10万人",
            "例/10万人",
            "人/1000人",
            "/1万",
            "万m²",
            "万kWh",
            "A",
            "Mbps",
            "/万人",
            "%/年",
            "人×天",
            "kW·h",
            "TB",
            "GB",
            "m²",
            "m³",
            "m2",
            "m3/日",
            "万平方米",
            "立方米",
            "‰",
            "家次",
            "批次",
        ] {
            let raw = format!("≤12{unit}");
            quant(&raw, Some(Op::Le), "12", Some(unit), &raw);
        }
        quant(
            "≤12元/平方米·年",
            Some(Op::Le),
            "12",
            Some("元/平方米·年"),
            "≤12元/平方米·年",
        );
        quant(
            "0.5/10万以下",
            Some(Op::Le),
            "0.5",
            Some("/10万"),
            "≤0.5/10万",
        );
        quant("≥2次/年以上", Some(Op::Ge), "2", Some("次/年"), "≥2次/年");
        quant("≥500ＴＢ", Some(Op::Ge), "500", Some("TB"), "≥500TB");
        quant(
            "≤50元／人·月",
            Some(Op::Le),
            "50",
            Some("元/人·月"),
            "≤50元/人·月",
        );
        range("1/10万-2/10万", "1", "2", Some("/10万"), "1/10万-2/10万");
        range("10m2-20m2", "10", "20", Some("m2"), "10m2-20m2");
        range(
            "8～10元/平方米·年",
            "8",
            "10",
            Some("元/平方米·年"),
            "8元/平方米·年-10元/平方米·年",
        );
        range(
            "8至10万元/公里",
            "8",
            "10",
            Some("万元/公里"),
            "8万元/公里-10万元/公里",
        );
    }

    #[test]
    fn what_is_not_a_unit() {
        for raw in [
            // Clauses: punctuation, verbs, words only a sentence has.
            "95%，群众满意",
            "95%,群众满意",
            "95%；群众满意",
            "3次达标",
            "3个社区全覆盖",
            "3个项目通过验收",
            "5个以上项目",
            "2个省级示范点和3个市级示范点",
            "12个工作日内完成审批",
            "第3季度完成",
            "3季度完成",
            // Numbering, fractions, a number inside text.
            "1.1.",
            "1.1.加强管理",
            "1.1.1",
            "3/5",
            "2024/12",
            "5/10",
            "7x24小时",
            "5x2",
            "3A级",
            "4A级景区",
            "5G基站",
            "2024年/2025年",
            "24小时/7天",
            "95%/90%",
            "1/3以上",
            // Broken compounds.
            "5元/",
            "5元//人",
            "5·次",
            "5×",
            "5%%",
            "5%次",
            "5/%",
            // A unit too long to be one.
            "5个省级重点实验室",
            "5元/平方米·年/每人·每月",
        ] {
            verbatim_kind(raw, Qualitative);
        }
        // Dates stay dates.
        date_of("2024年12月31日前", Some(Op::Le), Some("2024-12-31"));
        date_of("12月底前", Some(Op::Le), None);
    }

    #[test]
    fn sentences_are_qualitative() {
        for raw in [
            "完成3个项目的验收",
            "100%完成",
            "3次达标",
            "满意度≥90%",
            "50人左右",
            "3个项目2期",
            "按时完成年度工作任务并通过验收",
            "7x24小时",
            "十二次",
            "#DIV/0!",
        ] {
            verbatim_kind(raw, Qualitative);
        }
    }

    // ---- the other kinds ----------------------------------------------------------------------

    #[test]
    fn qualitative() {
        for raw in [
            "通过评审",
            "获得称号",
            "达标",
            "健全",
            "有效提升",
            "好",
            "无",
            "次",
            " 达标 ",
        ] {
            verbatim_kind(raw, Qualitative);
        }
    }

    #[test]
    fn placeholders() {
        for raw in [
            "XX",
            "xx",
            "XX%",
            "≥XX%",
            "ＸＸ个",
            "XX项目通过验收",
            "××",
            "**",
            "≥**%",
            "*",
            "……",
            "…",
            "...",
            "/",
            "-",
            "--",
            "—",
            "?",
            "？",
            "%",
            "≥",
            "≥%",
            "X",
            "x",
            "≥X次",
            "X%",
            "*%",
        ] {
            verbatim_kind(raw, Placeholder);
        }
        // A lone X in a word is not a placeholder.
        verbatim_kind("X射线检测", Qualitative);
    }

    #[test]
    fn empty() {
        for raw in ["", "   ", "\n", "\u{3000}", "\u{200B}"] {
            let t = parse(raw);
            assert_eq!(
                fields(&t),
                (Empty, None, None, None, None, String::new()),
                "{raw:?}"
            );
            assert_eq!(t.raw, raw);
        }
    }

    #[test]
    fn dates() {
        let le = Some(Op::Le);
        date_of("2024年12月31日前", le, Some("2024-12-31"));
        date_of("2024年12月31日以前", le, Some("2024-12-31"));
        date_of("2024年12月31日之前", le, Some("2024-12-31"));
        date_of("2024年6月30日前完成", le, Some("2024-06-30"));
        date_of("2024年6月30号前", le, Some("2024-06-30"));
        date_of("２０２４年６月３０日前", le, Some("2024-06-30"));
        date_of("2024年6月底前", le, Some("2024-06"));
        date_of("2024年12月前", le, Some("2024-12"));
        date_of("2024年底前", le, Some("2024"));
        date_of("2024年度内", le, Some("2024"));
        date_of("2024年内完成", le, Some("2024"));
        date_of("2024-12-31前", le, Some("2024-12-31"));
        date_of("2024.6.30前", le, Some("2024-06-30"));
        date_of("2024/06/30", None, Some("2024-06-30"));
        date_of("2024-12前", le, Some("2024-12"));
        date_of("2024年12月31日", None, Some("2024-12-31"));
        date_of("2024年12月", None, Some("2024-12"));
        date_of("2024年12月底", None, Some("2024-12"));
        date_of("2024年", None, Some("2024"));
        date_of("2024-12-31", None, Some("2024-12-31"));
        date_of("2024年2月29日前", le, Some("2024-02-29"));
        // A sign or word before the date: no later than.
        date_of("≤2024年12月31日", le, Some("2024-12-31"));
        date_of("≦2024-12-31", le, Some("2024-12-31"));
        date_of("<2024年12月31日", le, Some("2024-12-31"));
        date_of("不晚于2024年6月30日", le, Some("2024-06-30"));
        date_of("不迟于2024年底", le, Some("2024"));
        date_of("≤2024年12月31日前", le, Some("2024-12-31"));
        date_of("≤12月底", le, None);
        // Regression (a property test found it): a sign before a bare year is a number of
        // years, read alike in both spellings, so the normalized text reads back the same.
        for written in ["≤2000年", "2000年以下"] {
            let t = parse(written);
            assert_eq!(t.kind, TargetKind::Quantitative, "{written}");
            assert_eq!(t.text, "≤2000年", "{written}");
        }
        // No year: a deadline with no ISO value.
        date_of("12月底前", le, None);
        date_of("12月31日前", le, None);
        date_of("6月30日", None, None);
        date_of("6月前", le, None);
        date_of("年底前", le, None);
        date_of("本年底前完成", le, None);
        date_of("年末", None, None);
        date_of("年内", le, None);
        date_of("年内完成", le, None);
        // Impossible dates: still dates, no value.
        date_of("2023年2月29日前", le, None);
        date_of("2024年13月前", le, None);
    }

    #[test]
    fn date_like_quantities() {
        // A month count, a duration in years, a range and a decimal stay quantities.
        quant("12月", None, "12", Some("月"), "12月");
        quant("≤3个月", Some(Op::Le), "3", Some("个月"), "≤3个月");
        quant("≥5年", Some(Op::Ge), "5", Some("年"), "≥5年");
        range("2024-12", "2024", "12", None, "2024-12");
        quant("2024.12", None, "2024.12", None, "2024.12");
        // A sign before a month count does not make it a date; `≥` before a date is no deadline.
        quant("≤12月", Some(Op::Le), "12", Some("月"), "≤12月");
        verbatim_kind("≥2024年12月31日", Qualitative);
        verbatim_kind("≤2024-12", Qualitative);
    }

    // ---- standard targets read back unchanged ------------------------------------------------

    #[test]
    fn standard_text_is_raw() {
        for raw in [
            "≥12次",
            "=100%",
            "≤2360万元",
            "通过评审",
            "2024年12月31日前",
            "90%-80%",
            "30亿元",
            "≥50",
            "XX%",
            ">90%",
            "<5%",
            "≥1.5亿元",
        ] {
            assert_eq!(parse(raw).text, raw, "{raw}");
        }
        for raw in [
            "≧12次",
            "4次以上",
            "１２次",
            "＞＝5个",
            "不少于12批次",
            "80-90%",
            "3.50%",
        ] {
            assert_ne!(parse(raw).text, raw, "{raw}");
        }
    }

    #[test]
    fn from_cells() {
        let pct = CellValue::Percent(Decimal::from_str("0.98").unwrap());
        quant_target(&from_cell(&pct), "98%", None, "98", Some("%"));
        let num = CellValue::Number(Decimal::from_str("30").unwrap());
        quant_target(&from_cell(&num), "30", None, "30", None);
        assert_eq!(from_cell(&CellValue::Empty).kind, Empty);
        let d = from_cell(&CellValue::Date("2024-12-31".to_string()));
        assert_eq!((d.kind, d.value.as_deref()), (Date, Some("2024-12-31")));
    }

    #[track_caller]
    fn quant_target(t: &Target, raw: &str, op: Option<Op>, value: &str, unit: Option<&str>) {
        assert_eq!(t.raw, raw);
        assert_eq!(
            fields(t),
            (
                Quantitative,
                op,
                s(value),
                None,
                unit.map(str::to_string),
                raw.to_string()
            )
        );
    }

    // ---- split columns (docs/FORM.md §1.5) ----------------------------------------------------------

    fn text(t: &str) -> CellValue {
        CellValue::Text(t.to_string())
    }

    fn number(n: &str) -> CellValue {
        CellValue::Number(Decimal::from_str(n).unwrap())
    }

    /// A split target: its raw, its reading and its conflicts.
    #[track_caller]
    fn split(
        sign: &str,
        value: &CellValue,
        unit: &str,
        raw: &str,
        want: Fields,
        conflicts: &[SplitConflict],
    ) {
        let got = from_split(sign, value, unit);
        assert_eq!(
            (
                got.target.raw.as_str(),
                fields(&got.target),
                got.conflicts.as_slice()
            ),
            (raw, want, conflicts),
            "{sign:?} | {value:?} | {unit:?}"
        );
    }

    fn q(op: Option<Op>, value: &str, unit: Option<&str>, text: &str) -> Fields {
        (
            Quantitative,
            op,
            s(value),
            None,
            unit.map(str::to_string),
            text.to_string(),
        )
    }

    #[test]
    fn split_sign_value_unit() {
        let ge = Some(Op::Ge);
        let want = q(ge, "120", Some("公里"), "≥120公里");
        split("≥", &number("120"), "公里", "≥120公里", want.clone(), &[]);
        split("≥", &text("120"), "公里", "≥120公里", want.clone(), &[]);
        // The value cell may carry the sign itself, or repeat the sign cell.
        split("", &text("≥120"), "公里", "≥120公里", want.clone(), &[]);
        split("≥", &text("≥120"), "公里", "≥120公里", want.clone(), &[]);
        split(
            "≥",
            &text("≥120公里"),
            "公里",
            "≥120公里",
            want.clone(),
            &[],
        );
        split("", &text("≥120公里"), "", "≥120公里", want.clone(), &[]);
        split(
            " ≥ ",
            &text(" 120 "),
            " 公里 ",
            "≥120公里",
            want.clone(),
            &[],
        );
        // Other spellings of the sign: read, kept in raw, normalized in text.
        for sign in [
            "≧",
            ">=",
            "＞＝",
            "大于等于",
            "不低于",
            "不少于",
            "至少",
            "达到",
        ] {
            let raw = format!("{sign}120公里");
            split(sign, &number("120"), "公里", &raw, want.clone(), &[]);
        }
        // A sign word that follows a number reads after it.
        split(
            "以上",
            &number("120"),
            "公里",
            "120公里以上",
            want.clone(),
            &[],
        );
        split("及以上", &number("120"), "公里", "120公里及以上", want, &[]);
        split(
            "以内",
            &number("3"),
            "个工作日",
            "3个工作日以内",
            q(Some(Op::Le), "3", Some("个工作日"), "≤3个工作日"),
            &[],
        );
        split(
            "＜",
            &number("5"),
            "％",
            "＜5％",
            q(Some(Op::Lt), "5", Some("%"), "<5%"),
            &[],
        );
        split(
            "≤",
            &number("12"),
            "元/平方米·年",
            "≤12元/平方米·年",
            q(Some(Op::Le), "12", Some("元/平方米·年"), "≤12元/平方米·年"),
            &[],
        );
    }

    /// A percent-formatted 0.98 beside a `%` unit cell is 98%, not 98%% nor 0.98%.
    #[test]
    fn split_percent_cell() {
        let pct = CellValue::Percent(Decimal::from_str("0.98").unwrap());
        let want = q(None, "98", Some("%"), "98%");
        split("", &pct, "%", "98%", want.clone(), &[]);
        split("", &pct, "％", "98%", want.clone(), &[]);
        split("", &pct, "", "98%", want, &[]);
        split(
            "≥",
            &pct,
            "%",
            "≥98%",
            q(Some(Op::Ge), "98", Some("%"), "≥98%"),
            &[],
        );
        // A plain number is what it says.
        split(
            "",
            &number("0.98"),
            "%",
            "0.98%",
            q(None, "0.98", Some("%"), "0.98%"),
            &[],
        );
    }

    #[test]
    fn split_range() {
        let want = (
            Quantitative,
            Some(Op::Range),
            s("80"),
            s("90"),
            s("%"),
            "80%-90%".to_string(),
        );
        split("", &text("80-90"), "%", "80-90%", want.clone(), &[]);
        split("", &text("80%-90%"), "%", "80%-90%", want.clone(), &[]);
        // A sign beside a range states something else than the range.
        split(
            "≥",
            &text("80%-90%"),
            "",
            "≥80%-90%",
            want,
            &[SplitConflict::Sign {
                sign: "≥".to_string(),
                value: "80%-90%".to_string(),
            }],
        );
    }

    #[test]
    fn split_conflicts_keep_the_value_cell() {
        split(
            "≥",
            &text("≤5"),
            "",
            "≥≤5",
            q(Some(Op::Le), "5", None, "≤5"),
            &[SplitConflict::Sign {
                sign: "≥".to_string(),
                value: "≤5".to_string(),
            }],
        );
        split(
            "",
            &text("5家"),
            "个",
            "5家个",
            q(None, "5", Some("家"), "5家"),
            &[SplitConflict::Unit {
                unit: "个".to_string(),
                value: "5家".to_string(),
            }],
        );
        split(
            "＞",
            &text("5家以上"),
            "个",
            "＞5家以上个",
            q(Some(Op::Ge), "5", Some("家"), "≥5家"),
            &[
                SplitConflict::Sign {
                    sign: "＞".to_string(),
                    value: "5家以上".to_string(),
                },
                SplitConflict::Unit {
                    unit: "个".to_string(),
                    value: "5家以上".to_string(),
                },
            ],
        );
        split(
            "",
            &text("30亿元"),
            "万元",
            "30亿元万元",
            q(None, "30", Some("亿元"), "30亿元"),
            &[SplitConflict::Unit {
                unit: "万元".to_string(),
                value: "30亿元".to_string(),
            }],
        );
    }

    #[test]
    fn split_qualitative_and_empty() {
        let qual = |t: &str| (Qualitative, None, None, None, None, t.to_string());
        split("", &text("通过验收"), "", "通过验收", qual("通过验收"), &[]);
        split(
            "定性",
            &text("通过验收"),
            "",
            "通过验收",
            qual("通过验收"),
            &[],
        );
        split("定性", &text("优"), "无", "优", qual("优"), &[]);
        split("/", &text("好"), "/", "好", qual("好"), &[]);
        // A sign cell that is no sign is read as written.
        split(
            "约",
            &number("120"),
            "公里",
            "约120公里",
            qual("约120公里"),
            &[],
        );
        // So is a unit cell that is no unit.
        split(
            "≥",
            &number("3"),
            "个，按年度考核",
            "≥3个，按年度考核",
            qual("≥3个，按年度考核"),
            &[],
        );
        // An empty value is an empty target, whatever the other cells hold.
        let empty = (Empty, None, None, None, None, String::new());
        split("", &CellValue::Empty, "", "", empty.clone(), &[]);
        split("", &text("  "), "", "", empty.clone(), &[]);
        split("≥", &CellValue::Empty, "%", "", empty, &[]);
        assert_eq!(
            from_split("≥", &CellValue::Empty, "%").target,
            Target::empty()
        );
    }

    #[test]
    fn split_dates_and_placeholders() {
        let le = Some(Op::Le);
        let date = |raw: &str, value: Option<&str>| {
            (
                Date,
                le,
                value.map(str::to_string),
                None,
                None,
                raw.to_string(),
            )
        };
        let d = CellValue::Date("2024-12-31".to_string());
        split(
            "≤",
            &d,
            "",
            "≤2024-12-31",
            date("≤2024-12-31", Some("2024-12-31")),
            &[],
        );
        split(
            "",
            &text("2024年12月31日前"),
            "",
            "2024年12月31日前",
            date("2024年12月31日前", Some("2024-12-31")),
            &[],
        );
        split(
            "≤",
            &text("2024年12月31日前"),
            "",
            "2024年12月31日前",
            date("2024年12月31日前", Some("2024-12-31")),
            &[],
        );
        split(
            "≥",
            &text("12月底前"),
            "",
            "≥12月底前",
            date("12月底前", None),
            &[SplitConflict::Sign {
                sign: "≥".to_string(),
                value: "12月底前".to_string(),
            }],
        );
        let ph = |t: &str| (Placeholder, None, None, None, None, t.to_string());
        split("≥", &text("XX"), "%", "≥XX%", ph("≥XX%"), &[]);
        split("", &text("**"), "个", "**个", ph("**个"), &[]);
    }

    #[test]
    fn split_agrees_with_one_cell() {
        // Every sign spelling of one word in the sign cell reads as it does before the number.
        for &(before, after, op) in SIGN_SPELLINGS {
            if !before.is_empty() && !after.is_empty() {
                continue;
            }
            let sign = format!("{before}{after}");
            let got = from_split(&sign, &number("12"), "家次");
            let want = parse(&format!("{before}12家次{after}"));
            assert_eq!(fields(&got.target), fields(&want), "{sign}");
            assert_eq!(got.target.op, op, "{sign}");
            assert!(got.conflicts.is_empty(), "{sign}");
        }
    }

    // ---- every target of the fixtures ---------------------------------------------------------

    /// The distinct targets of `tests/fixtures/*.expected.json`, written out so the test does not
    /// depend on the fixtures' layout: (raw, kind, op, value, upper, unit, text).
    type FixtureRow = (
        &'static str,
        TargetKind,
        Option<Op>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );

    #[rustfmt::skip]
    const FIXTURE_TARGETS: &[FixtureRow] = &[
        ("≥1个", Quantitative, Some(Op::Ge), Some("1"), None, Some("个"), "≥1个"),
        ("2024年12月31日前", Date, Some(Op::Le), Some("2024-12-31"), None, None, "2024年12月31日前"),
        ("≥90%", Quantitative, Some(Op::Ge), Some("90"), None, Some("%"), "≥90%"),
        ("≥5000人次", Quantitative, Some(Op::Ge), Some("5000"), None, Some("人次"), "≥5000人次"),
        ("≥80%", Quantitative, Some(Op::Ge), Some("80"), None, Some("%"), "≥80%"),
        ("≥12次", Quantitative, Some(Op::Ge), Some("12"), None, Some("次"), "≥12次"),
        ("≥95%", Quantitative, Some(Op::Ge), Some("95"), None, Some("%"), "≥95%"),
        ("XX%", Placeholder, None, None, None, None, "XX%"),
        ("≥120%", Quantitative, Some(Op::Ge), Some("120"), None, Some("%"), "≥120%"),
        ("≥50份", Quantitative, Some(Op::Ge), Some("50"), None, Some("份"), "≥50份"),
        ("≥50", Quantitative, Some(Op::Ge), Some("50"), None, None, "≥50"),
        ("90%-80%", Quantitative, Some(Op::Range), Some("90"), Some("80"), Some("%"), "90%-80%"),
        ("有效提升", Qualitative, None, None, None, None, "有效提升"),
        ("", Empty, None, None, None, None, ""),
        ("≥70%", Quantitative, Some(Op::Ge), Some("70"), None, Some("%"), "≥70%"),
        ("≧12次", Quantitative, Some(Op::Ge), Some("12"), None, Some("次"), "≥12次"),
        ("≧10个", Quantitative, Some(Op::Ge), Some("10"), None, Some("个"), "≥10个"),
        ("4次以上", Quantitative, Some(Op::Ge), Some("4"), None, Some("次"), "≥4次"),
        ("30家次以上", Quantitative, Some(Op::Ge), Some("30"), None, Some("家次"), "≥30家次"),
        ("通过评审", Qualitative, None, None, None, None, "通过评审"),
        ("获得称号", Qualitative, None, None, None, None, "获得称号"),
        ("30亿元", Quantitative, None, Some("30"), None, Some("亿元"), "30亿元"),
        ("≥2.5万人", Quantitative, Some(Op::Ge), Some("2.5"), None, Some("万人"), "≥2.5万人"),
        ("≥3万人次", Quantitative, Some(Op::Ge), Some("3"), None, Some("万人次"), "≥3万人次"),
        ("≥60场", Quantitative, Some(Op::Ge), Some("60"), None, Some("场"), "≥60场"),
        ("=100%", Quantitative, Some(Op::Eq), Some("100"), None, Some("%"), "=100%"),
        ("≥98%", Quantitative, Some(Op::Ge), Some("98"), None, Some("%"), "≥98%"),
        ("≤2360万元", Quantitative, Some(Op::Le), Some("2360"), None, Some("万元"), "≤2360万元"),
        ("≤3.5%", Quantitative, Some(Op::Le), Some("3.5"), None, Some("%"), "≤3.5%"),
        ("≥1.5亿元", Quantitative, Some(Op::Ge), Some("1.5"), None, Some("亿元"), "≥1.5亿元"),
        ("健全", Qualitative, None, None, None, None, "健全"),
    ];

    #[test]
    fn fixture_targets_literal() {
        for &(raw, kind, op, value, upper, unit, text) in FIXTURE_TARGETS {
            let want = Target {
                raw: raw.to_string(),
                kind,
                op,
                value: value.map(str::to_string),
                upper: upper.map(str::to_string),
                unit: unit.map(str::to_string),
                text: text.to_string(),
                qualifier: None,
            };
            assert_eq!(parse(raw), want, "{raw}");
        }
    }

    /// Every target object anywhere in the expected records, read at test time, so a fixture
    /// added later is covered too: its text reads back as itself, and its raw as the target,
    /// except in the `split-*` fixtures, whose targets are read across three cells (docs/FORM.md
    /// §1.5; [`from_split`]) and whose raw is those cells side by side, not one cell.
    #[test]
    fn fixture_targets_from_files() {
        fn walk(v: &serde_json::Value, found: &mut Vec<serde_json::Value>) {
            match v {
                serde_json::Value::Object(m) => {
                    if m.contains_key("raw") && m.contains_key("kind") {
                        found.push(v.clone());
                    }
                    m.values().for_each(|x| walk(x, found));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
                _ => {}
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let (mut one_cell, mut split) = (Vec::new(), Vec::new());
        for entry in std::fs::read_dir(&dir).expect("fixtures directory") {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            if name.ends_with(".expected.json") {
                let text = std::fs::read_to_string(&path).expect("fixture");
                let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                let found = if name.starts_with("split-") {
                    &mut split
                } else {
                    &mut one_cell
                };
                walk(&v, found);
            }
        }
        assert!(one_cell.len() > 30, "only {} targets found", one_cell.len());
        assert!(!split.is_empty());
        for want in &one_cell {
            let raw = want["raw"].as_str().expect("raw is a string");
            let got = serde_json::to_value(parse(raw)).expect("serializes");
            assert_eq!(&got, want, "{raw}");
        }
        for want in one_cell.iter().chain(&split) {
            let text = want["text"].as_str().expect("text is a string");
            let mut got = serde_json::to_value(parse(text)).expect("serializes");
            got["raw"] = want["raw"].clone();
            assert_eq!(&got, want, "{text}");
        }
    }

    // ---- properties -----------------------------------------------------------------------------

    /// Every spelling of the sign table of docs/FORM.md §3.1, as (before the number, after the number
    /// and unit, the sign it means).
    const SIGN_SPELLINGS: &[(&str, &str, Option<Op>)] = &[
        ("", "", None),
        ("≥", "", Some(Op::Ge)),
        ("≧", "", Some(Op::Ge)),
        (">=", "", Some(Op::Ge)),
        ("＞＝", "", Some(Op::Ge)),
        ("＞=", "", Some(Op::Ge)),
        (">＝", "", Some(Op::Ge)),
        ("≥=", "", Some(Op::Ge)),
        ("⩾", "", Some(Op::Ge)),
        ("不低于", "", Some(Op::Ge)),
        ("不少于", "", Some(Op::Ge)),
        ("不小于", "", Some(Op::Ge)),
        ("至少", "", Some(Op::Ge)),
        ("大于等于", "", Some(Op::Ge)),
        ("大于或等于", "", Some(Op::Ge)),
        ("达到", "", Some(Op::Ge)),
        ("", "以上", Some(Op::Ge)),
        ("", "及以上", Some(Op::Ge)),
        ("", "或以上", Some(Op::Ge)),
        ("", "(含)以上", Some(Op::Ge)),
        ("≥", "以上", Some(Op::Ge)),
        ("控制在", "以上", Some(Op::Ge)),
        (">", "", Some(Op::Gt)),
        ("＞", "", Some(Op::Gt)),
        ("大于", "", Some(Op::Gt)),
        ("超过", "", Some(Op::Gt)),
        ("高于", "", Some(Op::Gt)),
        ("多于", "", Some(Op::Gt)),
        ("=", "", Some(Op::Eq)),
        ("＝", "", Some(Op::Eq)),
        ("等于", "", Some(Op::Eq)),
        ("≤", "", Some(Op::Le)),
        ("≦", "", Some(Op::Le)),
        ("<=", "", Some(Op::Le)),
        ("＜＝", "", Some(Op::Le)),
        ("≤=", "", Some(Op::Le)),
        ("不高于", "", Some(Op::Le)),
        ("不超过", "", Some(Op::Le)),
        ("不大于", "", Some(Op::Le)),
        ("不多于", "", Some(Op::Le)),
        ("小于等于", "", Some(Op::Le)),
        ("控制在", "", Some(Op::Le)),
        ("控制在", "以内", Some(Op::Le)),
        ("", "以下", Some(Op::Le)),
        ("", "及以下", Some(Op::Le)),
        ("", "以内", Some(Op::Le)),
        ("", "之内", Some(Op::Le)),
        ("", "内", Some(Op::Le)),
        ("<", "", Some(Op::Lt)),
        ("＜", "", Some(Op::Lt)),
        ("小于", "", Some(Op::Lt)),
        ("低于", "", Some(Op::Lt)),
        ("少于", "", Some(Op::Lt)),
    ];

    /// The units of docs/FORM.md §3.1 and a few more, some in full-width spelling.
    const UNITS: &[&str] = &[
        "",
        "%",
        "％",
        "‰",
        "次",
        "个",
        "家次",
        "批次",
        "人",
        "人次",
        "万人",
        "万人次",
        "项",
        "篇",
        "份",
        "件",
        "台",
        "套",
        "辆",
        "场",
        "期",
        "所",
        "元",
        "万元",
        "亿元",
        "公里",
        "小时",
        "元/人·月",
        "元/人·次",
        "万元/公里",
        "万人次/日",
        "元/平方米·年",
        "元／平方米・年",
        "/10万",
        "TB",
        "ＧＢ",
        "m²",
        "m³",
        "平方米",
        "立方米",
        "个工作日",
        "天",
    ];

    const RANGE_SEPARATORS: &[&str] = &["-", "－", "～", "~", "〜", "至", "到", "—", "——", "–"];

    fn to_fullwidth(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' | '.' | ',' | '-' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    /// A number as someone might type it, and its value as a decimal string without needless
    /// zeros, worked out here from the digits rather than with the parser's own arithmetic.
    fn number_text() -> impl Strategy<Value = (String, String)> {
        (
            0u64..10_000_000,
            prop::option::of("[0-9]{1,4}"),
            any::<bool>(),
            0usize..3,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(int, frac, neg, pad, commas, full)| {
                let int_text = int.to_string();
                let mut typed = if commas && pad == 0 && int >= 1000 {
                    // 1234567 → 1,234,567
                    let digits: Vec<char> = int_text.chars().collect();
                    let mut out = String::new();
                    for (i, ch) in digits.iter().enumerate() {
                        if i > 0 && (digits.len() - i).is_multiple_of(3) {
                            out.push(',');
                        }
                        out.push(*ch);
                    }
                    out
                } else {
                    format!("{}{int_text}", "0".repeat(pad))
                };
                if let Some(f) = &frac {
                    typed.push('.');
                    typed.push_str(f);
                }
                if neg {
                    typed.insert(0, '-');
                }
                let frac = frac.unwrap_or_default();
                let frac = frac.trim_end_matches('0');
                let mut want = int_text;
                if !frac.is_empty() {
                    want = format!("{want}.{frac}");
                }
                if neg && want != "0" {
                    want.insert(0, '-');
                }
                let typed = if full { to_fullwidth(&typed) } else { typed };
                (typed, want)
            })
    }

    /// The parts of a single quantity as typed (sign before, sign after, number, unit), its
    /// sign, value and unit as the record keeps it.
    type QuantityParts = (
        (&'static str, &'static str, String, &'static str),
        Option<Op>,
        String,
        String,
    );

    /// A sign spelled in one place (before or after the number), a number and a unit.
    fn single_quantity_parts() -> impl Strategy<Value = QuantityParts> {
        (
            prop::sample::select(SIGN_SPELLINGS),
            number_text(),
            prop::sample::select(UNITS),
        )
            .prop_filter("one sign cell", |((before, after, _), _, _)| {
                before.is_empty() || after.is_empty()
            })
            .prop_map(|((before, after, op), (typed, want), unit)| {
                ((before, after, typed, unit), op, want, to_halfwidth(unit))
            })
    }

    /// A single quantity: (cell, sign, value, unit as the record keeps it).
    fn single_quantity() -> impl Strategy<Value = (String, Option<Op>, String, String)> {
        (
            prop::sample::select(SIGN_SPELLINGS),
            number_text(),
            prop::sample::select(UNITS),
        )
            .prop_map(|((before, after, op), (typed, want), unit)| {
                let cell = format!("{before}{typed}{unit}{after}");
                (cell, op, want, to_halfwidth(unit))
            })
    }

    /// A range: (cell, lower, upper, unit as the record keeps it). The unit is written after
    /// both numbers or after one of them.
    fn range_quantity() -> impl Strategy<Value = (String, String, String, String)> {
        (
            number_text(),
            number_text(),
            prop::sample::select(UNITS),
            prop::sample::select(RANGE_SEPARATORS),
            0u8..3,
        )
            .prop_map(|((lo, lo_want), (hi, hi_want), unit, sep, place)| {
                let (u1, u2) = match place {
                    0 => (unit, unit),
                    1 => ("", unit),
                    _ => (unit, ""),
                };
                let cell = format!("{lo}{u1}{sep}{hi}{u2}");
                (cell, lo_want, hi_want, to_halfwidth(unit))
            })
    }

    /// Cells of every kind: quantities, ranges, dates, placeholders, sentences, noise.
    fn any_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            single_quantity().prop_map(|q| q.0),
            range_quantity().prop_map(|r| r.0),
            "(≤|<|≥|不晚于)?(本|今)?(20[0-9]{2}年)?([0-9]{1,2}月)?([0-9]{1,2}日|底)?(前|以前|之前|内)?(完成)?",
            "(≥|≤|>)?(XX|xx|\\*\\*|……|X|/|-)(%|个|次)?",
            "[0-9０-９.．,，%％‰≥≤≧≦<>=＞＜＝~～\\-—至到年月日前底以上下内/·×²XＸx*… 次个万元亿平方米]{0,14}",
            "[\\PC]{0,12}",
        ]
    }

    proptest! {
        /// Any sign spelling, number and unit of docs/FORM.md §3.1 gives back the sign, the exact
        /// value and the unit as written.
        #[test]
        fn quantities_give_back_sign_value_unit((cell, op, value, unit) in single_quantity()) {
            let t = parse(&cell);
            let text = format!("{}{value}{unit}", op.map(Op::symbol).unwrap_or(""));
            let unit = (!unit.is_empty()).then_some(unit);
            prop_assert_eq!(
                fields(&t),
                (Quantitative, op, Some(value), None, unit, text),
                "{:?}", cell
            );
        }

        #[test]
        fn ranges_give_back_bounds_and_unit((cell, lo, hi, unit) in range_quantity()) {
            let t = parse(&cell);
            let text = format!("{lo}{unit}-{hi}{unit}");
            let unit = (!unit.is_empty()).then_some(unit);
            prop_assert_eq!(
                fields(&t),
                (Quantitative, Some(Op::Range), Some(lo), Some(hi), unit, text),
                "{:?}", cell
            );
        }

        /// Normalized text is a fixed point: reading it again gives the same reading and the
        /// same text, whatever the cell held.
        #[test]
        fn normalized_text_is_a_fixed_point(x in any_cell()) {
            let first = parse(&x);
            let second = parse(&first.text);
            prop_assert_eq!(fields(&second), fields(&first), "{:?}", x);
        }

        /// Sign, value and unit in their own cells read as the one cell would.
        #[test]
        fn split_cells_read_as_one((cell, op, value, unit) in single_quantity_parts()) {
            let (before, after, number, unit_typed) = cell;
            let sign = format!("{before}{after}");
            let got = from_split(&sign, &CellValue::Text(number), unit_typed);
            let text = format!("{}{value}{unit}", op.map(Op::symbol).unwrap_or(""));
            let unit = (!unit.is_empty()).then_some(unit);
            prop_assert_eq!(
                fields(&got.target),
                (Quantitative, op, Some(value), None, unit, text)
            );
            prop_assert!(got.conflicts.is_empty());
        }

        /// A split target's text is a fixed point too, whatever the three cells hold.
        #[test]
        fn split_text_is_a_fixed_point(
            sign in prop_oneof![
                prop::sample::select(SIGN_SPELLINGS).prop_map(|(b, a, _)| format!("{b}{a}")),
                "[\\PC]{0,4}",
            ],
            value in any_cell(),
            unit in prop_oneof![
                prop::sample::select(UNITS).prop_map(str::to_string),
                "[\\PC]{0,6}",
            ],
        ) {
            let got = from_split(&sign, &CellValue::Text(value.clone()), &unit).target;
            prop_assert_eq!(fields(&parse(&got.text)), fields(&got), "{:?}", (sign, value, unit));
        }

        /// Empty sign and unit cells leave the value cell's reading as it is.
        #[test]
        fn split_without_sign_and_unit_is_the_value_cell(x in any_cell()) {
            let got = from_split("", &CellValue::Text(x.clone()), "");
            prop_assert_eq!(fields(&got.target), fields(&parse(&x)));
            prop_assert!(got.conflicts.is_empty());
        }

        #[test]
        fn never_panics(x in any::<String>()) {
            let t = parse(&x);
            prop_assert_eq!(t.raw, x);
        }
    }
}
