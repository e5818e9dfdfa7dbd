//! Small text functions shared by the reader, the locator and the normalizer: full-width → half-
//! width mapping, label keys, cleaning of text fields, amounts stored as text.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Map full-width ASCII (U+FF01–U+FF5E) to half-width and the ideographic space to a space.
/// This maps the Chinese comma `，` (U+FF0C) too, so it serves keys and numbers, never text
/// fields; `、` and `。` are not full-width ASCII and stay.
pub fn to_halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The key two labels are compared by (docs/FORM.md §1.3): whitespace and line breaks removed
/// everywhere, full-width ASCII mapped to half-width, a leading `*` and a trailing `:` dropped.
pub fn label_key(s: &str) -> String {
    let key: String = to_halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    key.trim_start_matches('*')
        .trim_end_matches(':')
        .to_string()
}

/// A text field as the record keeps it: line breaks as `\n`, spaces at line ends removed,
/// trimmed. Inner line breaks are kept as the file has them.
pub fn clean_text(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// At most `max` characters of `s`, with `…` when cut (a long value quoted in a message).
pub fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// The budget year written in a title: `2024年度…`, `2023年市级…`.
pub fn year_in(title: &str) -> Option<i32> {
    let half = to_halfwidth(title);
    let chars: Vec<char> = half.chars().collect();
    for i in 0..chars.len().saturating_sub(4) {
        let digits = &chars[i..i + 4];
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok && digits.iter().all(|c| c.is_ascii_digit()) && chars.get(i + 4) == Some(&'年')
        {
            let y: i32 = digits.iter().collect::<String>().parse().ok()?;
            if (1990..=2200).contains(&y) {
                return Some(y);
            }
        }
    }
    None
}

/// An amount written in 元 (`440.65元`, `4,406,500元`, `￥100元`), as 万元: the number of
/// [`parse_amount`] before the `元`, divided by 10,000 exactly, without trailing zeros
/// (`4,406,500元` → `440.65`). `None` for anything else, a `万元` amount included.
pub fn parse_yuan(s: &str) -> Option<Decimal> {
    let half = to_halfwidth(s);
    let t = half.trim().strip_suffix('元')?;
    if t.trim_end().ends_with('万') {
        return None;
    }
    let mut wan = parse_amount(t)?;
    wan.set_scale(wan.scale() + 4).ok()?;
    Some(wan.normalize())
}

/// Parse a money cell (万元) that was stored as text. Returns the exact decimal with the digits
/// the text gives (`"0.00"` keeps scale 2); `None` when it is not a number (`待定`, `见附件`,
/// empty). `-0` is zero.
///
/// Accepted besides a plain decimal: surrounding or inner whitespace (including U+3000 and
/// NBSP), full-width digits, `．` and `－`, thousands separators `,`/`，` (groups of three after a
/// first group of one to three digits; anything else, such as `1,23`, could be a decimal comma
/// and is refused), a leading `￥`/`¥`, a leading `+`, a `万元` or `万` suffix (the unit of the
/// form, so the number is kept as is), and a missing digit around the point (`.5`, `5.`).
/// A `万元` in brackets (`46.00（万元）`) is that suffix too. A `元` suffix alone is refused: it
/// names another unit, and converting silently would hide it ([`parse_yuan`] reads it for the
/// message). Negative amounts parse (the checker reports them).
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let half = to_halfwidth(s);
    let mut t: Vec<char> = half
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    if matches!(t.first(), Some('\u{FFE5}' | '\u{A5}')) {
        t.remove(0);
    }
    if t.ends_with(&['(', '万', '元', ')']) {
        t.truncate(t.len() - 4);
    } else if t.ends_with(&['万', '元']) {
        t.truncate(t.len() - 2);
    } else if t.ends_with(&['万']) {
        t.truncate(t.len() - 1);
    }

    let mut i = 0;
    let mut plain = String::new();
    match t.first() {
        Some('-') => {
            plain.push('-');
            i += 1;
        }
        Some('+') => i += 1,
        _ => {}
    }
    // Integer part, maybe with thousands separators.
    let mut group = 0usize;
    let mut groups = 0usize;
    let mut int_digits = 0usize;
    while let Some(&c) = t.get(i) {
        if c.is_ascii_digit() {
            plain.push(c);
            group += 1;
            int_digits += 1;
        } else if c == ',' {
            // The group before a separator: 1–3 digits first, exactly 3 after.
            let ok = if groups == 0 {
                (1..=3).contains(&group)
            } else {
                group == 3
            };
            if !ok {
                return None;
            }
            groups += 1;
            group = 0;
        } else {
            break;
        }
        i += 1;
    }
    if groups > 0 && group != 3 {
        return None;
    }
    let mut frac_digits = 0usize;
    if t.get(i) == Some(&'.') {
        i += 1;
        let mut frac = String::new();
        while let Some(&c) = t.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            frac.push(c);
            i += 1;
        }
        frac_digits = frac.len();
        if frac_digits > 0 {
            if int_digits == 0 {
                plain.push('0');
            }
            plain.push('.');
            plain.push_str(&frac);
        }
    }
    if i != t.len() || int_digits + frac_digits == 0 {
        return None;
    }
    let mut d = Decimal::from_str(&plain).ok()?;
    if d.is_zero() {
        // `-0` is zero; the scale stays as written.
        d.set_sign_positive(true);
    }
    Some(d)
}

/// `-?digits[.digits]` and nothing else, not even spaces or a `+`: the one spelling of a number
/// that a CSV field becomes a number cell for.
pub(crate) fn is_plain_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_titles() {
        assert_eq!(year_in("2024年度部门整体预算绩效目标申报表"), Some(2024));
        assert_eq!(year_in("２０２３年市级部门整体预算绩效目标表"), Some(2023));
        assert_eq!(year_in("部门整体预算绩效目标申报表"), None);
        assert_eq!(year_in("12024年"), None);
    }

    #[test]
    fn halfwidth() {
        assert_eq!(to_halfwidth("（万元）：１２％"), "(万元):12%");
        assert_eq!(to_halfwidth("，；、。"), ",;、。");
        assert_eq!(to_halfwidth("a\u{3000}b"), "a b");
    }

    #[test]
    fn label_keys() {
        assert_eq!(label_key(" 部门名称： "), "部门名称");
        assert_eq!(label_key("年度重点\n工作任务"), "年度重点工作任务");
        assert_eq!(label_key("*三级指标"), "三级指标");
        assert_eq!(label_key("预算金额（万元）"), label_key("预算金额(万元)"));
    }

    #[test]
    fn clean() {
        assert_eq!(clean_text("  a\r\nb\rc  "), "a\nb\nc");
        assert_eq!(clean_text("a；  \n　b"), "a；\n　b");
    }

    /// `s` parses to `value` (shown with its scale), and is a plain decimal or not.
    #[track_caller]
    fn amount(s: &str, value: &str, plain: bool) {
        let d = parse_amount(s).unwrap_or_else(|| panic!("{s:?} should parse"));
        // `to_string` shows the scale, so this checks the digits are kept as given.
        assert_eq!(
            (d.to_string().as_str(), is_plain_decimal(s)),
            (value, plain),
            "{s:?}"
        );
    }

    #[test]
    fn amounts_plain() {
        amount("440.65", "440.65", true);
        amount("0", "0", true);
        amount("46.0", "46.0", true);
        amount("0.00", "0.00", true);
        amount("926.6100", "926.6100", true);
        amount("-5", "-5", true);
    }

    #[test]
    fn amounts_nonstandard() {
        amount("440.65 ", "440.65", false);
        amount(" 114.46", "114.46", false);
        amount("\u{3000}114.46\u{A0}", "114.46", false);
        amount("４８５．９６", "485.96", false);
        amount("926.61万元", "926.61", false);
        amount("926.61 万元", "926.61", false);
        amount("926.61万", "926.61", false);
        amount("1,234.50", "1234.50", false);
        amount("1，234.5", "1234.5", false);
        amount("1,234,567", "1234567", false);
        amount("￥100", "100", false);
        amount("¥100.5", "100.5", false);
        amount("+5", "5", false);
        amount("－5", "-5", false);
        amount("\u{2212}5", "-5", false);
        amount(".5", "0.5", false);
        amount("5.", "5", false);
        amount("-0", "0", true);
        amount("-0.00", "0.00", true);
    }

    #[test]
    fn amounts_in_yuan_read_as_wan() {
        let wan = |s: &str| parse_yuan(s).map(|d| d.to_string());
        assert_eq!(wan("4,406,500元").as_deref(), Some("440.65"));
        assert_eq!(wan("440.65元").as_deref(), Some("0.044065"));
        assert_eq!(wan(" ￥100 元 ").as_deref(), Some("0.01"));
        assert_eq!(wan("０元").as_deref(), Some("0"));
        for s in [
            "440.65万元",
            "440.65",
            "元",
            "待定元",
            "440.65万 元",
            "1e3元",
        ] {
            assert_eq!(wan(s), None, "{s:?}");
        }
        amount("46.00（万元）", "46.00", false);
        amount("46.00 (万元)", "46.00", false);
    }

    #[test]
    fn amounts_refused() {
        for s in [
            "",
            " ",
            "待定",
            "见附件",
            "-",
            ".",
            "+",
            "万元",
            "1,23",
            "1234,567",
            "12,3456",
            "1,,234",
            ",123",
            "1.2.3",
            "1e3",
            "100元",
            "5%",
            "--5",
            "1 0 万元 x",
            "99999999999999999999999999999999",
        ] {
            assert_eq!(parse_amount(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn amounts_never_panic(s in proptest::prelude::any::<String>()) {
            let _ = parse_amount(&s);
        }

        #[test]
        fn plain_amounts_read_back_exactly(n in -10_000_000_000i64..10_000_000_000, scale in 0u32..5) {
            let d = Decimal::new(n, scale);
            let text = d.to_string();
            let got = parse_amount(&text).expect("a plain decimal parses");
            // Same value and same scale: no digit added or lost.
            proptest::prop_assert_eq!((got, got.scale(), is_plain_decimal(&text)), (d, d.scale(), true));
            // The same number with spaces and a 万元 suffix parses, and is not plain.
            let spaced = format!(" {text}万元");
            let got = parse_amount(&spaced).expect("parses");
            proptest::prop_assert_eq!(got, d);
            proptest::prop_assert!(!is_plain_decimal(&spaced));
        }
    }
}
