//! The mark of jixiao's own outputs, written and recognised in one place.
//!
//! Every workbook jixiao writes carries a custom document property `jixiao` whose value is
//! `KIND VERSION` (`merge 0.1.0`); Excel, WPS and LibreOffice keep custom properties when they
//! save. A JSON output carries its `format` (`jixiao.declaration/1`, `jixiao.report/1`). A CSV
//! has nowhere to put a mark: the indicator table is recognised by its first line, the header
//! exactly as jixiao writes it (UTF-8 with a BOM, or GBK), which no department's form starts
//! with. That is the honest limit of CSV: a file someone else wrote with that same first line
//! is taken for jixiao's.
//!
//! Two uses: an existing file at an output path may be replaced (`--force`) only when it is
//! one of these ([`super::check_output`]), and a consolidated workbook, an indicator table or a
//! report found among the inputs is skipped with a note instead of failing as "not a form"
//! ([`OwnKind::is_form`]). A blank template or a corrected form that a department filled in and
//! sent back still carries its mark and is read as the form it is.

use std::io::{Cursor, Read, Seek};

use crate::messages::named;

use super::csv::{indicators_csv, CsvEncoding};

/// The name of the custom document property.
pub const PROPERTY: &str = "jixiao";

named! {
    /// What kind of output a file of jixiao's is: a corrected form (`convert -o x.xlsx`), the
    /// consolidated workbook (`merge -o x.xlsx`), the blank official form (`template`), the
    /// indicator table (`-o x.csv`), declaration records, a check report.
    OwnKind {
        Form = "form",
        Merge = "merge",
        Template = "template",
        Indicators = "indicators",
        Records = "records",
        Report = "report",
    }
}

impl OwnKind {
    /// Whether a file of this kind holds forms to read: a corrected form or a template that was
    /// filled in and sent back, declaration records. The others (a consolidated workbook, an
    /// indicator table, a report) are a run's results, never an input.
    pub fn is_form(self) -> bool {
        matches!(self, OwnKind::Form | OwnKind::Template | OwnKind::Records)
    }
}

/// The value of the property for a workbook of `kind`: `merge 0.1.0`.
pub fn value(kind: OwnKind) -> String {
    format!("{kind} {}", env!("CARGO_PKG_VERSION"))
}

/// The document properties every workbook of `kind` is written with.
pub fn properties(kind: OwnKind) -> rust_xlsxwriter::DocProperties {
    rust_xlsxwriter::DocProperties::new().set_custom_property(PROPERTY, value(kind))
}

/// Which of jixiao's outputs these bytes are, if any. Reads at most the custom properties part
/// of a zip (64 KB of it), the first line of a CSV, the top of a JSON document.
pub fn recognise(bytes: &[u8]) -> Option<OwnKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        return workbook_kind(Cursor::new(bytes));
    }
    text_kind(bytes)
}

/// How much of a CSV or JSON file [`recognise_file`] reads: its mark is at the top, and a
/// record, the first element of a records array, is far smaller.
const HEAD_BYTES: u64 = 1024 * 1024;

/// [`recognise`] for a file of any size, open (an output to be replaced: a consolidation of
/// 10,000 forms as JSON is 90 MB): a workbook through its zip directory, a CSV or JSON by its
/// first MB.
pub fn recognise_file<R: Read + Seek>(file: &mut R) -> Option<OwnKind> {
    let mut magic = [0; 4];
    let zip = file.read_exact(&mut magic).is_ok() && &magic == b"PK\x03\x04";
    file.rewind().ok()?;
    if zip {
        return workbook_kind(std::io::BufReader::new(file));
    }
    let mut head = Vec::new();
    file.take(HEAD_BYTES).read_to_end(&mut head).ok()?;
    text_kind(&head)
}

fn text_kind(bytes: &[u8]) -> Option<OwnKind> {
    csv_kind(bytes).or_else(|| json_kind(bytes))
}

/// The kind of a workbook by its `jixiao` custom property.
fn workbook_kind(reader: impl Read + Seek) -> Option<OwnKind> {
    let mut zip = zip::ZipArchive::new(reader).ok()?;
    let part = zip.by_name("docProps/custom.xml").ok()?;
    let mut xml = Vec::new();
    part.take(64 * 1024).read_to_end(&mut xml).ok()?;
    let value = custom_property(&xml, PROPERTY)?;
    OwnKind::parse(value.split_whitespace().next()?)
}

/// The text of the custom property `name` in `docProps/custom.xml`.
fn custom_property(xml: &[u8], name: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut inside = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "property" => {
                inside = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "name" && a.value.as_ref() == name);
            }
            Event::Text(t) if inside => {
                let text = t.xml10_content();
                let text = text.trim();
                if !text.is_empty() {
                    return Some(text.to_string());
                }
            }
            Event::End(e) if e.local_name().as_ref() == "property" => inside = false,
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The indicator table: its first line is jixiao's header, in either encoding.
fn csv_kind(bytes: &[u8]) -> Option<OwnKind> {
    // Made once: every input of a batch is compared with them.
    static HEADERS: std::sync::OnceLock<[Vec<u8>; 2]> = std::sync::OnceLock::new();
    HEADERS
        .get_or_init(|| [CsvEncoding::Utf8Bom, CsvEncoding::Gbk].map(|e| indicators_csv(&[], e)))
        .iter()
        .any(|header| bytes.starts_with(header))
        .then_some(OwnKind::Indicators)
}

/// A JSON document whose `format` (of the object, or of an array's first object) is one of
/// jixiao's. Read up to that key only: the rest of the document is neither kept nor needed, so
/// the top of a large file (its first [`HEAD_BYTES`]) is enough.
fn json_kind(bytes: &[u8]) -> Option<OwnKind> {
    use serde::de::DeserializeSeed;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut format = None;
    let mut de = serde_json::Deserializer::from_slice(text);
    // Stopped on purpose once the key is read (an error), or at the end of a cut document.
    let _ = FormatOf(&mut format).deserialize(&mut de);
    match format?.as_str() {
        crate::model::DECLARATION_FORMAT | crate::model::DECLARATION_FORMAT_2 => {
            Some(OwnKind::Records)
        }
        crate::model::REPORT_FORMAT => Some(OwnKind::Report),
        _ => None,
    }
}

/// Reads a JSON value up to the `format` of the object, or of an array's first element, into
/// its slot, and stops there.
struct FormatOf<'a>(&'a mut Option<String>);

impl<'de> serde::de::DeserializeSeed<'de> for FormatOf<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FormatOf<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object or an array")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
            if key == "format" {
                *self.0 = map.next_value()?;
                return Err(A::Error::custom("format read"));
            }
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        // Only the first element counts.
        seq.next_element_seed(FormatOf(self.0))?;
        Err(A::Error::custom("first element read"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;
    use crate::template::Template;

    #[test]
    fn every_workbook_jixiao_writes_is_recognised_by_its_kind() {
        let t = &Template::builtin()[0];
        let blank = super::super::blank_form(t, crate::messages::Lang::Zh).unwrap();
        assert_eq!(recognise(&blank), Some(OwnKind::Template));
        use super::super::merge::{MergeBook, Spill};
        let book = MergeBook::new(std::slice::from_ref(t), false, Spill::Memory, Lang::Zh).unwrap();
        let mut merged = std::io::Cursor::new(Vec::new());
        book.finish(&[], &mut merged, "m.xlsx").unwrap();
        assert_eq!(recognise(merged.get_ref()), Some(OwnKind::Merge));
        let expected: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/panyu.expected.json")).unwrap();
        let decl: crate::model::Declaration =
            serde_json::from_value(expected["records"].clone()).unwrap();
        let form = super::super::write_declaration_workbook(&decl, t, &[], &[], Lang::Zh).unwrap();
        assert_eq!(recognise(&form), Some(OwnKind::Form));
        assert!(OwnKind::Form.is_form() && OwnKind::Template.is_form());
        assert!(!OwnKind::Merge.is_form());
    }

    #[test]
    fn the_mark_is_a_custom_property_with_kind_and_version() {
        let xml = br#"<?xml version="1.0"?><Properties xmlns:vt="v"><property fmtid="{X}" pid="2" name="other"><vt:lpwstr>merge 1</vt:lpwstr></property><property fmtid="{X}" pid="3" name="jixiao"><vt:lpwstr>merge 0.1.0</vt:lpwstr></property></Properties>"#;
        assert_eq!(
            custom_property(xml, PROPERTY).as_deref(),
            Some("merge 0.1.0")
        );
        assert_eq!(custom_property(xml, "none"), None);
        assert_eq!(
            value(OwnKind::Merge),
            format!("merge {}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn outputs_without_properties_are_recognised_by_their_content() {
        for enc in [CsvEncoding::Utf8Bom, CsvEncoding::Gbk] {
            let csv = indicators_csv(&[], enc);
            assert_eq!(recognise(&csv), Some(OwnKind::Indicators));
        }
        assert_eq!(
            recognise(br#"{"format": "jixiao.report/1", "files": []}"#),
            Some(OwnKind::Report)
        );
        assert_eq!(
            recognise(b" [{\"format\": \"jixiao.declaration/1\"}, 1, [2]]"),
            Some(OwnKind::Records)
        );
        // A department's files: a form as CSV, other JSON, a workbook without the mark.
        assert_eq!(recognise("部门名称,某局\r\n".as_bytes()), None);
        assert_eq!(recognise(br#"{"format": "other"}"#), None);
        assert_eq!(recognise(b"[]"), None);
        assert_eq!(
            recognise(include_bytes!("../../tests/fixtures/panyu.xlsx")),
            None
        );
        assert_eq!(recognise(b"PK\x03\x04 damaged"), None);
        // Only the top is needed: a cut document, a format that is no string, a first
        // element that is no object.
        assert_eq!(
            recognise(b"[{\"format\": \"jixiao.declaration/1\", \"kind\": \"depa"),
            Some(OwnKind::Records)
        );
        assert_eq!(
            recognise(
                br#"{"x": [1, {"format": "jixiao.report/1"}], "format": "jixiao.report/1", "#
            ),
            Some(OwnKind::Report)
        );
        assert_eq!(recognise(br#"{"format": 1}"#), None);
        assert_eq!(recognise(br#"[1, {"format": "jixiao.report/1"}]"#), None);
        assert_eq!(recognise(br#"{"form"#), None);
    }

    /// An output larger than any input (a consolidation as JSON) is recognised by its top.
    #[test]
    fn a_large_output_is_recognised_from_its_head() {
        let mut text = String::from("[{\"format\": \"jixiao.declaration/1\", \"title\": \"");
        text.push_str(&"x".repeat(HEAD_BYTES as usize * 2));
        text.push_str("\"}]");
        let file = |bytes: Vec<u8>| Cursor::new(bytes);
        assert_eq!(
            recognise_file(&mut file(text.into_bytes())),
            Some(OwnKind::Records)
        );
        let t = &Template::builtin()[0];
        let blank = super::super::blank_form(t, Lang::Zh).unwrap();
        assert_eq!(recognise_file(&mut file(blank)), Some(OwnKind::Template));
        let csv = "部门名称,某局\r\n".as_bytes().to_vec();
        assert_eq!(recognise_file(&mut file(csv)), None);
    }
}
