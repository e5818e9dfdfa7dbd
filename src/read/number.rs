//! Numbers as spreadsheets store them, shared by the readers of every format (calamine's xlsx
//! and xls, the `biff` pass, the ODS reader): a float as the decimal it was typed as, and
//! whether a number format shows a percent.

use std::str::FromStr;

use rust_decimal::Decimal;

/// The shortest decimal that reads back as `f` (`440.65`, not `440.64999999999998`). `None` for
/// NaN, infinities and magnitudes a `Decimal` cannot hold.
pub(super) fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // Rust prints the shortest round-trip digits and never uses an exponent.
    Decimal::from_str(&format!("{f}"))
        .ok()
        .or_else(|| Decimal::from_f64_retain(f))
        .map(|d| d.normalize())
}

/// Whether an Excel number format code shows a percent: a `%` outside quotes, escapes and
/// brackets in the first (positive) section.
pub(super) fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let (mut quoted, mut bracket) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_decimal() {
        assert_eq!(
            decimal_from_f64(440.65),
            Some(Decimal::from_str("440.65").unwrap())
        );
        assert_eq!(
            decimal_from_f64(0.1 + 0.2),
            Some(Decimal::from_str("0.30000000000000004").unwrap())
        );
        assert_eq!(decimal_from_f64(46.0), Some(Decimal::from(46)));
        assert_eq!(decimal_from_f64(f64::NAN), None);
        assert_eq!(decimal_from_f64(f64::INFINITY), None);
        assert_eq!(decimal_from_f64(1e300), None);
        // Tiny values do not panic; they keep what a Decimal can hold.
        assert!(decimal_from_f64(1e-300).is_some());
        assert!(decimal_from_f64(-5.0e-40).is_some());
    }

    #[test]
    fn percent_formats() {
        for code in ["0%", "0.00%", "#,##0.0%", "[Red]0%", "0%;-0%"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "General",
            "0.00",
            "\"%\"0",
            "0\\%",
            "0;0%",
            "[$%-409]0",
            "yyyy-mm-dd",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }
}
