//! Delimited text → one [`Sheet`], named after the file stem.
//!
//! Budget systems export CSV in GBK as often as in UTF-8, so the text is decoded by BOM, else
//! strict UTF-8, else GB18030 (a superset of GBK). The delimiter (comma, tab or semicolon) is the
//! one that splits the first lines most consistently. Records are split by `csv-core` (RFC 4180: a
//! quoted field may hold delimiters, line breaks — the multi-line 总体绩效目标 — and doubled
//! quotes), one field at a time, so that a hostile line of millions of delimiters is counted,
//! never held. A blank line is a row, as a spreadsheet opening the file shows it, so the rows
//! and cells named in messages are the file's.
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
    for (row, record) in Records::new(&text, delimiter, MAX_COLS as usize).enumerate() {
        if row as u64 >= u64::from(MAX_ROWS) {
            // Blank records below the bounds (a padded export) lose nothing.
            if record.dropped_content || record.fields.iter().any(|f| !f.trim().is_empty()) {
                sheet.truncated = true;
                break;
            }
            continue;
        }
        if record.dropped_content {
            sheet.truncated = true;
        }
        for (col, field) in record.fields.into_iter().enumerate() {
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
    if crate::text::is_plain_decimal(&field) {
        if let Ok(d) = Decimal::from_str(&field) {
            return CellValue::Number(d);
        }
    }
    CellValue::Text(field)
}

/// The delimiter whose field counts over the first records are most often equal to their most
/// common count (ties: more fields wins, then comma).
fn sniff_delimiter(text: &str) -> char {
    let mut best = (',', 0usize, 0usize);
    for delimiter in [',', '\t', ';'] {
        // Counting only: no field text is kept, so a line of a million delimiters costs no memory.
        let counts: Vec<usize> = Records::new(text, delimiter, 0)
            .take(30)
            .map(|r| r.count)
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

/// The records of a text: fields split on `delimiter` by `csv-core`, `"` quoting with `""` for a
/// quote, CR, LF or CRLF line ends (inside quotes they belong to the field). A blank line is a
/// record of one empty field.
///
/// Only the first `max_fields` fields of a record keep their text; the rest are read (their
/// quoting decides where the record ends) and counted, so a hostile line of millions of
/// delimiters never becomes millions of strings.
struct Records<'a> {
    input: &'a [u8],
    pos: usize,
    reader: csv_core::Reader,
    max_fields: usize,
    /// The field being read (reused).
    field: Vec<u8>,
}

/// One record: the text of its first fields and how many fields it has in all.
struct Record {
    fields: Vec<String>,
    count: usize,
    /// Whether a field past the limit held more than whitespace.
    dropped_content: bool,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: char, max_fields: usize) -> Records<'a> {
        let delimiter = u8::try_from(delimiter).expect("an ASCII delimiter");
        Records {
            input: text.as_bytes(),
            pos: 0,
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            max_fields,
            field: vec![0; 256],
        }
    }

    /// A line end at the read position: its length (CRLF is one line end).
    fn line_end(&self) -> Option<usize> {
        match self.input.get(self.pos..)? {
            [b'\r', b'\n', ..] => Some(2),
            [b'\r' | b'\n', ..] => Some(1),
            _ => None,
        }
    }

    /// The next field and whether it ends its record; `None` at the end of the input.
    fn next_field(&mut self) -> Option<(usize, bool)> {
        let mut len = 0;
        loop {
            let (result, read, written) = self
                .reader
                .read_field(&self.input[self.pos..], &mut self.field[len..]);
            self.pos += read;
            len += written;
            match result {
                // All of the input was given: the next call, with nothing, says it ended.
                csv_core::ReadFieldResult::InputEmpty => {}
                csv_core::ReadFieldResult::OutputFull => {
                    let grown = self.field.len() * 2;
                    self.field.resize(grown, 0);
                }
                csv_core::ReadFieldResult::Field { record_end } => return Some((len, record_end)),
                csv_core::ReadFieldResult::End => return None,
            }
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        // csv-core skips blank lines; here they are records, so that rows keep their numbers.
        if let Some(n) = self.line_end() {
            self.pos += n;
            return Some(Record {
                fields: if self.max_fields > 0 {
                    vec![String::new()]
                } else {
                    Vec::new()
                },
                count: 1,
                dropped_content: false,
            });
        }
        let mut record = Record {
            fields: Vec::new(),
            count: 0,
            dropped_content: false,
        };
        while let Some((len, record_end)) = self.next_field() {
            // The input is text and the delimiters ASCII: every field is whole UTF-8.
            let text = String::from_utf8_lossy(&self.field[..len]);
            if record.count < self.max_fields {
                record.fields.push(text.into_owned());
            } else if text.chars().any(|c| !c.is_whitespace()) {
                record.dropped_content = true;
            }
            record.count += 1;
            if record_end {
                // A CR ended the record; the LF of its CRLF is no blank line.
                let after_cr = self.pos > 0 && self.input[self.pos - 1] == b'\r';
                if after_cr && self.input.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                break;
            }
        }
        (record.count > 0).then_some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::is_plain_decimal;

    fn records(text: &str, d: char) -> Vec<Vec<String>> {
        Records::new(text, d, usize::MAX)
            .map(|r| r.fields)
            .collect()
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

    /// Guards row numbers: a blank line is a row (csv-core would skip it), so the cells named
    /// in messages are where a spreadsheet shows them; CRLF is one line end.
    #[test]
    fn blank_lines_keep_their_rows() {
        assert_eq!(
            records("a,1\n\nb,2\r\n\r\nc,3", ','),
            vec![
                vec!["a", "1"],
                vec![""],
                vec!["b", "2"],
                vec![""],
                vec!["c", "3"]
            ]
        );
        assert_eq!(
            records("\r\n\"x\r\ny\"\r", ','),
            vec![vec![""], vec!["x\r\ny"]]
        );
        let book = read("blank.csv", "\n\n部门名称,番禺\n".as_bytes()).unwrap();
        assert_eq!(book.sheets[0].get(2, 1), &CellValue::Text("番禺".into()));
    }

    /// Guards the field limit: past `max_fields` a record's fields are counted, not kept, and
    /// their quoting still decides where the record ends.
    #[test]
    fn fields_past_the_limit_are_counted_not_kept() {
        let line = ",".repeat(100_000);
        let mut all = Records::new(&line, ',', MAX_COLS as usize);
        let first = all.next().expect("one record");
        assert_eq!(first.fields.len(), MAX_COLS as usize);
        assert_eq!(first.count, 100_001);
        assert!(all.next().is_none());

        let got: Vec<(Vec<String>, usize)> = Records::new("a,b,\"x,\ny\",c\nnext\n", ',', 2)
            .map(|r| (r.fields, r.count))
            .collect();
        assert_eq!(
            got,
            vec![
                (vec!["a".to_string(), "b".to_string()], 4),
                (vec!["next".to_string()], 1)
            ]
        );
        let counts: Vec<(usize, usize)> = Records::new("a,\"b,\nc\"\nd", ',', 0)
            .map(|r| (r.fields.len(), r.count))
            .collect();
        assert_eq!(counts, vec![(0, 2), (0, 1)]);
    }

    /// A line of commas reads as at most MAX_COLS columns, and the sheet says it was cut.
    #[test]
    fn long_line_of_commas_is_truncated() {
        let text = format!("部门名称,番禺{}\n", ",1".repeat(200_000));
        let book = read("commas.csv", text.as_bytes()).expect("reads");
        let s = &book.sheets[0];
        assert_eq!(s.width(), MAX_COLS);
        assert!(s.truncated);
        assert_eq!(s.get(0, 1), &CellValue::Text("番禺".into()));
        assert_eq!(sniff_delimiter(&text), ',');
    }

    /// Guards the truncated flag: trailing empty fields past MAX_COLS (an export padded to a
    /// wide used range) and blank lines past MAX_ROWS lose nothing; a value past either does.
    #[test]
    fn truncated_only_when_a_value_is_dropped() {
        let padded = format!("部门名称,番禺{}\n", ",".repeat(100));
        let book = read("padded.csv", padded.as_bytes()).expect("reads");
        assert!(!book.sheets[0].truncated);
        let far = format!("部门名称,番禺{},x\n", ",".repeat(100));
        let book = read("far.csv", far.as_bytes()).expect("reads");
        assert!(book.sheets[0].truncated);

        let rows = "a,1\n".repeat(MAX_ROWS as usize);
        let tail = format!("{rows}{}", ",,\n".repeat(10));
        let book = read("tail.csv", tail.as_bytes()).expect("reads");
        assert_eq!(book.sheets[0].height(), MAX_ROWS);
        assert!(!book.sheets[0].truncated);
        let more = format!("{rows},,\nb,2\n");
        let book = read("more.csv", more.as_bytes()).expect("reads");
        assert!(book.sheets[0].truncated);
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
        for s in ["440.65", "0.0", "46.0", "-5", "0"] {
            assert!(is_plain_decimal(s), "{s}");
        }
        for s in [
            "+3",
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

    /// Guards one rule for a plain decimal: `+5` in a CSV stays text (as in text.rs), so the
    /// normalizer records its correction like any amount written as text.
    #[test]
    fn plus_sign_stays_text() {
        assert_eq!(field_value("+5".into()), CellValue::Text("+5".into()));
        assert_eq!(
            field_value("-5".into()),
            CellValue::Number(Decimal::from(-5))
        );
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
