//! The indicator table as CSV (`convert -o OUT.csv`, docs/OUTPUT.md §1): one row per indicator with
//! its department, the target split for reading (符号 | 数值 | 单位 | 类型), and split the way
//! the budget-integration system imports it (计算符号 | 指标值 | 计量单位, docs/FORM.md §1.5): those
//! three cells, read across, are the target again (`budget_system_cells`).
//!
//! RFC 4180, written by the `csv` crate: fields with a comma, a quote or a line break are quoted,
//! quotes doubled, records end with CRLF. UTF-8 with a BOM by default (Excel needs the BOM to see UTF-8); GBK for old Excel,
//! where a character GBK lacks becomes its nearest GBK spelling when units use it (`m²` →
//! `m2`, `µg` → `μg`), or else `?`. Text beginning with `=`, `+`, `-` or `@` gets a `'`
//! in front so a spreadsheet never runs it as a formula (a negative 数值 is a number, not text,
//! and is left alone).

use std::borrow::Cow;
use std::io::Write;

use crate::messages::{write as m, Lang};
use crate::model::{Declaration, Op, Target, TargetKind};

/// The encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 with a byte order mark.
    #[default]
    Utf8Bom,
    /// GBK, for Excel versions that do not read UTF-8.
    Gbk,
}

/// The indicator table of `decls` as CSV bytes, header first.
pub fn indicators_csv(decls: &[&Declaration], encoding: CsvEncoding) -> Vec<u8> {
    // Writing to memory fails only when memory does.
    let mut w = IndicatorsCsv::new(Vec::new(), encoding).expect("CSV into memory");
    for d in decls {
        w.add(d).expect("CSV into memory");
    }
    w.finish().expect("CSV into memory")
}

/// The indicator table written to `out` as it goes: the header at once, then each form's rows
/// as it is added, each record encoded as soon as it is complete. Nothing but the record being
/// written is held, whatever the number of forms (`merge -o OUT.csv`).
pub struct IndicatorsCsv<W: Write> {
    csv: csv::Writer<Encoded<W>>,
}

/// What the csv crate writes to: it gathers a record's UTF-8 bytes and, when the record is
/// complete (flushed), writes them to `out` in the table's encoding.
struct Encoded<W: Write> {
    record: Vec<u8>,
    /// `Some` for GBK: one encoder for the whole table (GBK keeps no state between records).
    gbk: Option<encoding_rs::Encoder>,
    out: W,
}

impl<W: Write> Write for Encoded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.record.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Whole records of `&str` fields: UTF-8.
        let text = String::from_utf8_lossy(&self.record);
        match &mut self.gbk {
            None => self.out.write_all(text.as_bytes())?,
            Some(enc) => self.out.write_all(&gbk(enc, &text))?,
        }
        self.record.clear();
        Ok(())
    }
}

impl<W: Write> IndicatorsCsv<W> {
    /// The byte order mark (UTF-8) and the header.
    pub fn new(mut out: W, encoding: CsvEncoding) -> std::io::Result<IndicatorsCsv<W>> {
        let gbk = match encoding {
            CsvEncoding::Utf8Bom => {
                out.write_all(b"\xEF\xBB\xBF")?;
                None
            }
            CsvEncoding::Gbk => Some(encoding_rs::GBK.new_encoder()),
        };
        let csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Encoded {
                record: Vec::new(),
                gbk,
                out,
            });
        let mut w = IndicatorsCsv { csv };
        // The budget system's import format: Chinese whatever the run's language.
        let header: Vec<&str> = m::INDICATORS_HEADER.iter().map(|t| t.zh).collect();
        w.record(&header)?;
        Ok(w)
    }

    /// The rows of one form's indicators.
    pub fn add(&mut self, d: &Declaration) -> std::io::Result<()> {
        let empty = Target::empty();
        for i in d.indicator_rows() {
            // The target a row's 符号 … 计量单位 describe: its annual one, or the period one of a
            // project's mid-term row.
            let a = i.main_target().unwrap_or(&empty);
            let number = number_text(a);
            let budget = budget_system_cells(a);
            let fields = [
                guard(d.department()),
                guard(d.project_name()),
                guard(i.level1),
                guard(i.level2),
                guard(i.name),
                guard(target_text(i.period)),
                guard(target_text(i.annual)),
                guard(op_word(a, Lang::Zh)),
                if is_number(&number) {
                    Cow::Borrowed(number.as_str())
                } else {
                    guard(&number)
                },
                guard(a.unit.as_deref().unwrap_or("")),
                Cow::Borrowed(kind_word(a.kind, Lang::Zh)),
                guard(budget.sign),
                if is_number(&budget.value) {
                    Cow::Borrowed(budget.value.as_str())
                } else {
                    guard(&budget.value)
                },
                guard(budget.unit),
            ];
            self.record(&fields.each_ref().map(|f| f.as_ref()))?;
        }
        Ok(())
    }

    /// The output, every row written to it.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.csv.flush()?;
        let mut out = self.csv.into_inner().map_err(|e| e.into_error())?.out;
        out.flush()?;
        Ok(out)
    }

    /// One record (every record has the header's width), written out in the table's encoding.
    fn record(&mut self, fields: &[&str]) -> std::io::Result<()> {
        self.csv.write_record(fields)?;
        self.csv.flush()
    }
}

/// A target's normalized text; nothing for a column the row has no target in.
pub(crate) fn target_text(t: Option<&Target>) -> &str {
    t.map_or("", |t| t.text.as_str())
}

/// The 数值 column: the value of a target, `80-90` for a range, empty when it states none.
/// Shared with the merge workbook's 指标明细.
pub(crate) fn number_text(a: &Target) -> String {
    match (a.kind, a.op) {
        (TargetKind::Quantitative, Some(Op::Range)) => {
            match (a.value.as_deref(), a.upper.as_deref()) {
                (Some(v), Some(u)) => format!("{v}-{u}"),
                (v, _) => v.unwrap_or("").to_string(),
            }
        }
        _ => a.value.clone().unwrap_or_default(),
    }
}

/// A target as the budget-integration system's three cells hold it (docs/FORM.md §1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BudgetCells<'a> {
    /// 计算符号: the sign of a quantitative target; empty for a range (its two ends are in the
    /// value) and for every other kind.
    pub sign: &'a str,
    /// 指标值: the number (`120`, `80-90` for a range) of a quantitative target; the whole text
    /// of any other (`通过验收`, `2025年6月30日前`).
    pub value: String,
    /// 计量单位: the unit of a quantitative target, as written.
    pub unit: &'a str,
}

/// The three cells of a target in the budget system's layout. Read back across
/// ([`crate::target::from_split`]) they give the same target: the law the tests hold it to.
pub(crate) fn budget_system_cells(t: &Target) -> BudgetCells<'_> {
    match (t.kind, &t.value) {
        (TargetKind::Quantitative, Some(_)) => BudgetCells {
            sign: match t.op {
                Some(Op::Range) | None => "",
                Some(op) => op.symbol(),
            },
            value: number_text(t),
            unit: t.unit.as_deref().unwrap_or(""),
        },
        _ => BudgetCells {
            sign: "",
            value: t.text.clone(),
            unit: "",
        },
    }
}

/// The 符号 column: the sign, `区间` for a range.
pub(crate) fn op_word(t: &Target, lang: Lang) -> &'static str {
    match t.op {
        Some(Op::Range) => m::OP_RANGE.get(lang),
        Some(op) => op.symbol(),
        None => "",
    }
}

/// The 类型 column: the kind of a target in words.
pub(crate) fn kind_word(k: TargetKind, lang: Lang) -> &'static str {
    let word = match k {
        TargetKind::Quantitative => m::KIND_QUANTITATIVE,
        TargetKind::Qualitative => m::KIND_QUALITATIVE,
        TargetKind::Date => m::KIND_DATE,
        TargetKind::Placeholder => m::KIND_PLACEHOLDER,
        TargetKind::Empty => m::KIND_EMPTY,
    };
    word.get(lang)
}

fn is_number(s: &str) -> bool {
    s.parse::<rust_decimal::Decimal>().is_ok()
}

/// Formula-injection guard: text a spreadsheet would run as a formula gets a `'` in front;
/// any other text is written as it is, without a copy (a CSV of 10,000 forms has millions of
/// fields).
pub fn guard(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `text` in GBK, a character GBK lacks as its GBK spelling ([`gbk_spelling`]) or as `?`
/// (encoding_rs would write it as `&#NNNN;`; a `?` is what a reader of an old-Excel CSV
/// expects instead).
fn gbk(enc: &mut encoding_rs::Encoder, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2);
    let mut buf = [0u8; 4096];
    let mut rest = text;
    loop {
        let (res, read, written) = enc.encode_from_utf8_without_replacement(rest, &mut buf, false);
        out.extend_from_slice(&buf[..written]);
        rest = &rest[read..];
        match res {
            encoding_rs::EncoderResult::InputEmpty => break,
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(c) => match gbk_spelling(c) {
                Some(spelled) => out.extend_from_slice(spelled),
                None => out.push(b'?'),
            },
        }
    }
    out
}

/// How a character GBK lacks is written in GBK, when units of measure use it: superscript
/// digits as digits (`m²`, `m³`), the micro sign as the Greek mu GBK has, a bullet as the
/// middle dot. ASCII, or GBK's own bytes.
fn gbk_spelling(c: char) -> Option<&'static [u8]> {
    Some(match c {
        '⁰' => b"0",
        '¹' => b"1",
        '²' => b"2",
        '³' => b"3",
        // μ (U+03BC) in GBK.
        'µ' => b"\xa6\xcc",
        // · (U+00B7) in GBK.
        '•' => b"\xa1\xa4",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_prefixes_formula_starts_only() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-x"), "'-x");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("≥12次"), "≥12次");
        assert_eq!(guard(""), "");
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let mut d: Declaration = serde_json::from_value(serde_json::json!({
            "format": "jixiao.declaration/1", "template": "gz-dept-overall",
            "source": {"file": "a.xlsx", "sheet": null}, "title": "", "year": null,
            "department": "a,b", "basic_info": null, "budget": {}, "overall_goal": "",
            "tasks": [], "other_tasks": null, "indicators": []
        }))
        .unwrap();
        let t = crate::target::parse("two\nlines");
        d.as_department_mut()
            .unwrap()
            .indicators
            .push(crate::model::Indicator {
                extra: Default::default(),
                level1: "a".into(),
                level2: String::new(),
                name: "say \"hi\"".into(),
                period: None,
                annual: t,
            });
        let text = String::from_utf8(indicators_csv(&[&d], CsvEncoding::Utf8Bom)).unwrap();
        let row = text.split_once("\r\n").unwrap().1;
        assert_eq!(
            row,
            "\"a,b\",,a,,\"say \"\"hi\"\"\",,\"two\nlines\",,,,定性,,\"two\nlines\",\r\n"
        );
    }

    /// The budget system's three cells read back across, as the system would import them, give
    /// the target again: for every kind of target a cell may hold.
    #[test]
    fn budget_system_cells_read_back_as_the_target() {
        use crate::read::CellValue;
        for cell in [
            "≥12次",
            "≧12次",
            "4次以上",
            "30亿元",
            "≤3.5%",
            "80%-90%",
            "90-80",
            "=100%",
            "-5%",
            "≥50",
            "≤12元/平方米·年",
            "≤3/10万",
            "2025年6月30日前",
            "12月底前",
            "稳定运行",
            "通过验收",
            "XX%",
            "≥XX个",
            "",
            "有效提升",
        ] {
            let t = crate::target::parse(cell);
            let b = budget_system_cells(&t);
            let back = crate::target::from_split(b.sign, &CellValue::Text(b.value.clone()), b.unit);
            assert!(back.conflicts.is_empty(), "{cell}");
            let fields = |t: &Target| {
                (
                    t.kind,
                    t.op,
                    t.value.clone(),
                    t.upper.clone(),
                    t.unit.clone(),
                    t.text.clone(),
                )
            };
            assert_eq!(fields(&back.target), fields(&t), "{cell} → {b:?}");
        }
        let t = crate::target::parse("≥120公里");
        assert_eq!(
            budget_system_cells(&t),
            BudgetCells {
                sign: "≥",
                value: "120".into(),
                unit: "公里"
            }
        );
    }

    #[test]
    fn gbk_marks_unmappable_characters() {
        let bytes = gbk(&mut encoding_rs::GBK.new_encoder(), "中文≥😀");
        let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
        assert!(!bad);
        assert_eq!(text, "中文≥?");
    }

    /// Units GBK cannot write as typed keep their meaning: `m²` as `m2`, `µg` with GBK's mu.
    #[test]
    fn gbk_spells_the_units_it_lacks() {
        let bytes = gbk(
            &mut encoding_rs::GBK.new_encoder(),
            "≥20万m²，≤5m³，10µg，•",
        );
        let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
        assert!(!bad);
        assert_eq!(text, "≥20万m2，≤5m3，10μg，·");
    }

    #[test]
    fn an_empty_list_is_the_header_only() {
        let bytes = indicators_csv(&[], CsvEncoding::Utf8Bom);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}部门,项目,一级指标,二级指标,三级指标,实施周期指标值,年度指标值,符号,数值,单位,类型,计算符号,指标值,计量单位\r\n"
        );
    }
}
