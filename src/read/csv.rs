//! Delimited text → one [`Sheet`], named after the file stem.
//!
//! Budget systems export CSV in GBK as often as in UTF-8, so the text is decoded by BOM, else
//! strict UTF-8, else GB18030 (a superset of GBK). The delimiter (comma, tab or semicolon) is the
//! one that splits the first lines most consistently. Quoting follows RFC 4180: a quoted field may
//! hold delimiters, line breaks (the multi-line 总体绩效目标) and doubled quotes.
//!
//! CSV has no types: every field is text, except that a plain decimal (`440.65`, `-5`, `0.0`)
//! becomes a number, as it would had the file been a workbook. Anything else (`1,234`,
//! full-width `４８５．９６`, `≥12次`) stays text for later stages to judge.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::{CellValue, ReadError, Sheet, Workbook, MAX_COLS, MAX_ROWS};

pub fn read(file: &str, bytes: &[u8]) -> Result<Workbook, ReadError> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let mut sheet = Sheet::new(stem);
    for (row, fields) in Records::new(&text, delimiter).enumerate() {
        if row as u64 >= u64::from(MAX_ROWS) {
            sheet.truncated = true;
            break;
        }
        for (col, field) in fields.into_iter().enumerate() {
            if col as u64 >= u64::from(MAX_COLS) {
                sheet.truncated = true;
                break;
            }
            sheet.set(row as u32, col as u32, field_value(field));
        }
    }
    if sheet.is_blank() {
        return Err(ReadError::NoSheets {
            file: file.to_string(),
        });
    }
    Ok(Workbook {
        file: file.to_string(),
        format: super::Format::Csv,
        sheets: vec![sheet],
    })
}

/// BOM first (UTF-8, UTF-16LE/BE), else strict UTF-8, else GB18030.
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

fn field_value(field: String) -> CellValue {
    if is_plain_decimal(&field) {
        if let Ok(d) = Decimal::from_str(&field) {
            return CellValue::Number(d);
        }
    }
    CellValue::Text(field)
}

/// Optional sign, ASCII digits, optional `.` and ASCII digits; nothing else, not even spaces.
fn is_plain_decimal(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The delimiter whose field counts over the first records are most often equal to their most
/// common count (ties: more fields wins, then comma).
fn sniff_delimiter(text: &str) -> char {
    let mut best = (',', 0usize, 0usize);
    for delimiter in [',', '\t', ';'] {
        let counts: Vec<usize> = Records::new(text, delimiter)
            .take(30)
            .map(|r| r.len())
            .collect();
        let mut mode = (0usize, 0usize); // (count, how often)
        for &c in &counts {
            let often = counts.iter().filter(|&&x| x == c).count();
            if often > mode.1 || (often == mode.1 && c > mode.0) {
                mode = (c, often);
            }
        }
        // A delimiter that never splits a line gives one field everywhere: no evidence.
        let score = if mode.0 > 1 { mode.1 } else { 0 };
        if score > best.1 || (score == best.1 && score > 0 && mode.0 > best.2) {
            best = (delimiter, score, mode.0);
        }
    }
    best.0
}

/// RFC 4180 records: fields split on `delimiter`, `"` quoting with `""` for a quote, CRLF or LF
/// line ends (a CR or LF inside quotes belongs to the field).
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: char) -> Records<'a> {
        Records {
            chars: text.chars().peekable(),
            delimiter,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        self.chars.peek()?;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        while let Some(c) = self.chars.next() {
            if quoted {
                if c == '"' {
                    if self.chars.peek() == Some(&'"') {
                        self.chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if field.is_empty() => quoted = true,
                c if c == self.delimiter => fields.push(std::mem::take(&mut field)),
                '\r' => {
                    if self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    break;
                }
                '\n' => break,
                // A stray quote inside an unquoted field is kept as text, as spreadsheets do.
                c => field.push(c),
            }
        }
        fields.push(field);
        Some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str, d: char) -> Vec<Vec<String>> {
        Records::new(text, d).collect()
    }

    #[test]
    fn quoting() {
        assert_eq!(
            records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"line1\nline2\",x\n", ','),
            vec![vec!["a", "b,c", "say \"hi\""], vec!["line1\nline2", "x"]]
        );
        assert_eq!(records("a,,\n", ','), vec![vec!["a", "", ""]]);
        assert_eq!(records("a\"b,c", ','), vec![vec!["a\"b", "c"]]);
        // An unclosed quote runs to the end without panicking.
        assert_eq!(records("\"abc,d", ','), vec![vec!["abc,d"]]);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1,5\t2\t3\n"), '\t');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;3\n"), ';');
        assert_eq!(sniff_delimiter("单列\n"), ',');
    }

    #[test]
    fn plain_decimals_only() {
        for s in ["440.65", "0.0", "46.0", "-5", "+3", "0"] {
            assert!(is_plain_decimal(s), "{s}");
        }
        for s in [
            "４８５．９６",
            "1,234",
            "≥12次",
            "1.",
            ".5",
            "1e5",
            " 1",
            "",
            "-",
            "1.2.3",
        ] {
            assert!(!is_plain_decimal(s), "{s}");
        }
        assert_eq!(
            field_value("440.65".into()),
            CellValue::Number(Decimal::from_str("440.65").unwrap())
        );
        assert_eq!(field_value("1,234".into()), CellValue::Text("1,234".into()));
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("部门名称,番禺\n");
        assert_eq!(decode(&gbk), "部门名称,番禺\n");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("名称".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be), "名称");
        assert_eq!(decode("\u{FEFF}名称".as_bytes()), "名称");
    }

    #[test]
    fn sheet_named_after_stem() {
        let book = read("dir-less/panyu-gbk.csv", "a,1\n".as_bytes()).unwrap();
        assert_eq!(book.sheets[0].name, "panyu-gbk");
        assert!(!book.sheets[0].has_merge_info);
        assert_eq!(book.sheets[0].get(0, 1), &CellValue::Number(Decimal::ONE));
    }
}
