//! Numbers as spreadsheets store them, shared by the readers of every format (calamine's xlsx
//! and xls, the `biff` pass, the ODS reader): a float as the decimal a spreadsheet shows, and
//! whether a number format shows a percent.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Significant digits a spreadsheet shows of a number: Excel, WPS and LibreOffice display at
/// most 15, so `1485.9600000000003` (the binary-float sum a `=C5+C6` formula caches) shows as
/// `1485.96`.
pub(super) const SHOWN_DIGITS: u32 = 15;

/// The number as a spreadsheet shows it: `f` rounded to [`SHOWN_DIGITS`] significant digits,
/// without needless zeros (`440.65` for the stored 440.64999999999998, `1485.96` for a formula's
/// 1485.9600000000003, `35.4718` kept whole). `None` for NaN, infinities and magnitudes a
/// `Decimal` cannot hold.
pub(super) fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // `{:.14e}` is 15 significant digits, rounded to nearest, as `1.48596000000000e3`.
    Decimal::from_scientific(&format!("{f:.prec$e}", prec = SHOWN_DIGITS as usize - 1))
        .ok()
        // Beyond a Decimal's 28 decimal places (1e-300): what of it a Decimal holds.
        .or_else(|| Decimal::from_str(&format!("{f}")).ok())
        .or_else(|| Decimal::from_f64_retain(f))
        // normalize() also makes -0.0 the zero a person sees.
        .map(|d| d.normalize())
}

/// A decimal as a spreadsheet shows it: at most [`SHOWN_DIGITS`] significant digits (`=1/3`
/// shows 0.333333333333333), without needless zeros. What [`decimal_from_f64`] does to a stored
/// float, for a value jixiao works out itself (a formula without its result).
pub(super) fn shown(d: Decimal) -> Decimal {
    d.round_sf_with_strategy(
        SHOWN_DIGITS,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
    .unwrap_or(d)
    .normalize()
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
        // What a formula caches is read as the spreadsheet shows it (15 significant digits).
        assert_eq!(
            decimal_from_f64(0.1 + 0.2),
            Some(Decimal::from_str("0.3").unwrap())
        );
        assert_eq!(
            decimal_from_f64(1485.9600000000003),
            Some(Decimal::from_str("1485.96").unwrap())
        );
        assert_eq!(
            decimal_from_f64(4206.610000000001),
            Some(Decimal::from_str("4206.61").unwrap())
        );
        // Every digit a person typed stays: four decimals, fifteen digits.
        assert_eq!(
            decimal_from_f64(35.4718),
            Some(Decimal::from_str("35.4718").unwrap())
        );
        assert_eq!(
            decimal_from_f64(123456789.012345),
            Some(Decimal::from_str("123456789.012345").unwrap())
        );
        assert_eq!(
            decimal_from_f64(-0.5),
            Some(Decimal::from_str("-0.5").unwrap())
        );
        assert_eq!(decimal_from_f64(0.0), Some(Decimal::ZERO));
        assert_eq!(
            decimal_from_f64(-0.0).map(|d| d.to_string()),
            Some("0".into())
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
