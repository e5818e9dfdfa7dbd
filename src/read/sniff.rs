//! Deciding what a file is from its first bytes, never from its extension: web systems save HTML
//! as `.xls`, people rename `.xls` to `.xlsx`, and the reader must name what it really got.
//!
//! Containers are looked into only as far as their directory (zip central directory, OLE
//! directory entries), so sniffing costs nothing on large or hostile files.

use std::io::{Cursor, Read};

use super::cfb::Cfb;
use super::package::Package;

/// What the bytes of an input are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Zero bytes.
    Empty,
    /// Office Open XML workbook (zip with `xl/workbook.xml`), `.xlsx` / `.xlsm`.
    Xlsx,
    /// Binary Office Open XML workbook (zip with `xl/workbook.bin`).
    Xlsb,
    /// OpenDocument spreadsheet (zip with mimetype `application/vnd.oasis.opendocument.spreadsheet`).
    Ods,
    /// BIFF workbook in an OLE compound file (`.xls`).
    Xls,
    /// An OLE compound file holding an encrypted OOXML package.
    Encrypted,
    /// An HTML page (often saved as `.xls` by web systems).
    Html,
    /// XML Spreadsheet 2003.
    Xml2003,
    /// A JSON record.
    Json,
    /// Delimited text (CSV, TSV).
    Csv,
    /// A document that is no spreadsheet: a Word or WPS text, a presentation, a PDF.
    Document(Document),
    /// None of the above.
    Unknown,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// Decide the format of `bytes`.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if let Some(document) = other_document(bytes) {
        return Format::Document(document);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(bytes);
    }
    sniff_text(bytes)
}

/// Documents that people send instead of the form, or beside it: a Word or WPS text file with
/// the form pasted in, a PDF of the printed form, a presentation, WPS's own formats. Each gets
/// a message that says how to make an `.xlsx` of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Document {
    /// Word (`.doc`, `.docx`, `.rtf`) or WPS 文字 (`.wps`, which WPS writes as a `.doc`).
    Word,
    /// PowerPoint (`.ppt`, `.pptx`) or WPS 演示 (`.dps`).
    Presentation,
    /// A PDF.
    Pdf,
    /// An OLE compound file with no workbook in it: another Office or WPS format, such as an
    /// `.et` WPS did not save as an `.xls`.
    OtherOffice,
}

/// A [`Document`] by its first bytes: `%PDF`, `{\rtf`. A zip with `word/` or `ppt/` parts and
/// an OLE file with a `WordDocument` or `PowerPoint Document` stream (or no workbook stream at
/// all) are told apart where their container is read for the spreadsheet, once
/// ([`sniff_zip`], [`sniff_ole`]).
fn other_document(bytes: &[u8]) -> Option<Document> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Document::Pdf);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Some(Document::Word);
    }
    None
}

fn sniff_zip(bytes: &[u8]) -> Format {
    // A zip whose directory cannot be read is most likely a truncated xlsx (by far the most common
    // zip a finance officer receives); the spreadsheet reader then reports it as damaged.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Format::Xlsx;
    };
    let package = Package::new(&zip);
    // An OOXML package is read from its main part, named by `_rels/.rels`, wherever that part
    // lies (calamine reads it so: `workbook.xml` at the root is a valid package).
    if let Some(main) = package.main_part(&mut zip) {
        if package.is_workbook_part(&mut zip, &main) {
            return if main.ends_with(".bin") {
                Format::Xlsb
            } else {
                Format::Xlsx
            };
        }
    } else if package.has("xl/workbook.xml") {
        return Format::Xlsx;
    } else if package.has("xl/workbook.bin") {
        return Format::Xlsb;
    }
    if let Ok(file) = zip.by_name("mimetype") {
        let mut mime = String::new();
        // The mimetype entry is a few dozen bytes; never read more whatever its header says.
        if file.take(256).read_to_string(&mut mime).is_ok() && mime.trim() == ODS_MIME {
            return Format::Ods;
        }
    }
    if zip.index_for_name("content.xml").is_some() {
        return Format::Ods;
    }
    // No workbook part: a Word or PowerPoint package says what it is; another zip is unknown.
    if package.has("word/document.xml") {
        Format::Document(Document::Word)
    } else if package.has("ppt/presentation.xml") {
        Format::Document(Document::Presentation)
    } else {
        Format::Unknown
    }
}

fn sniff_ole(bytes: &[u8]) -> Format {
    // An unreadable directory still goes to the xls reader, which names the damage.
    let Ok(cfb) = Cfb::parse(bytes) else {
        return Format::Xls;
    };
    if cfb.has_stream("EncryptionInfo") || cfb.has_stream("EncryptedPackage") {
        Format::Encrypted
    } else if cfb.has_stream("Workbook") || cfb.has_stream("Book") {
        Format::Xls
    } else if cfb.has_stream("WordDocument") {
        Format::Document(Document::Word)
    } else if cfb.has_stream("PowerPoint Document") {
        Format::Document(Document::Presentation)
    } else {
        Format::Document(Document::OtherOffice)
    }
}

fn sniff_text(bytes: &[u8]) -> Format {
    let Some(text) = decode_head(bytes) else {
        return Format::Unknown;
    };
    let head = text.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    let lower: String = head
        .chars()
        .take(512)
        .flat_map(char::to_lowercase)
        .collect();
    if lower.starts_with("<html")
        || lower.starts_with("<!doctype html")
        || lower.starts_with("<table")
    {
        return Format::Html;
    }
    if lower.starts_with("<?xml") {
        if lower.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || lower.contains("<workbook")
        {
            return Format::Xml2003;
        }
        // XHTML saved by some export tools.
        if lower.contains("<html") {
            return Format::Html;
        }
        return Format::Unknown;
    }
    if head.starts_with('{') || head.starts_with('[') {
        return Format::Json;
    }
    if looks_like_text(&text) {
        Format::Csv
    } else {
        Format::Unknown
    }
}

/// Decode the first few kilobytes the way the CSV reader would (BOM, strict UTF-8, GB18030).
/// `None` when the bytes are binary: a NUL outside UTF-16 is never text.
fn decode_head(bytes: &[u8]) -> Option<String> {
    const HEAD: usize = 8 * 1024;
    let head = &bytes[..bytes.len().min(HEAD)];
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(head) {
        let (text, _) = encoding.decode_without_bom_handling(&head[bom_len..]);
        return Some(text.into_owned());
    }
    if head.contains(&0) {
        return None;
    }
    match std::str::from_utf8(head) {
        Ok(s) => Some(s.to_string()),
        // The head may cut a character in two; accept an error only in the last 3 bytes.
        Err(e) if e.error_len().is_none() && head.len() - e.valid_up_to() < 4 => {
            Some(String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned())
        }
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(head);
            // Random bytes decode as GB18030 with replacements; real GBK text has none, save
            // perhaps a character cut at the end of the head.
            let replacements = text.chars().filter(|&c| c == '\u{FFFD}').count();
            if had_errors && replacements > 1 {
                return None;
            }
            Some(text.into_owned())
        }
    }
}

/// Text has few control characters besides tab and line breaks.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')) || c == '\u{FFFD}' {
            control += 1;
        }
    }
    total > 0 && control * 100 <= total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_empty() {
        assert_eq!(sniff(b""), Format::Empty);
    }

    #[test]
    fn html_variants() {
        assert_eq!(
            sniff(b"<html><body><table></table></body></html>"),
            Format::Html
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  \r\n<!DOCTYPE HTML><html>"),
            Format::Html
        );
        assert_eq!(
            sniff(b"<TABLE border=1><tr><td>1</td></tr></TABLE>"),
            Format::Html
        );
        let utf16: Vec<u8> = "\u{FEFF}<html>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&utf16), Format::Html);
    }

    #[test]
    fn xml_spreadsheet_2003() {
        let xml = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">部门名称</Data></Cell></Row></Table></Worksheet>
</Workbook>"#;
        assert_eq!(sniff(xml.as_bytes()), Format::Xml2003);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><note/>"), Format::Unknown);
    }

    #[test]
    fn json_and_csv() {
        assert_eq!(sniff(b"  {\"a\": 1}"), Format::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF[{}]"), Format::Json);
        assert_eq!(
            sniff("部门名称,番禺\n基本支出,440.65\n".as_bytes()),
            Format::Csv
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("部门名称,番禺\n基本支出,440.65\n");
        assert_eq!(sniff(&gbk), Format::Csv);
    }

    #[test]
    fn binary_is_unknown() {
        // A simple deterministic generator: no dependency, same bytes every run.
        let mut x: u32 = 0x1234_5678;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        assert_eq!(sniff(&bytes), Format::Unknown);
        assert_eq!(sniff(b"abc\0def"), Format::Unknown);
        assert_eq!(sniff(b"\x01\x02\x03\x04\x05\x06\x07\x08"), Format::Unknown);
    }

    fn document(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/documents")
            .join(name);
        std::fs::read(path).unwrap()
    }

    /// `doc` with its `WordDocument` stream renamed: the directory entry's UTF-16 name and
    /// its length field.
    fn rename_stream(doc: &[u8], to: &str) -> Vec<u8> {
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let from = utf16("WordDocument");
        let at = doc.windows(from.len()).position(|w| w == from).unwrap();
        let mut out = doc.to_vec();
        let mut name = utf16(to);
        name.resize(64, 0);
        out[at..at + 64].copy_from_slice(&name);
        let len = ((to.encode_utf16().count() + 1) * 2) as u16;
        out[at + 64..at + 66].copy_from_slice(&len.to_le_bytes());
        out
    }

    /// Files made by LibreOffice from one text: each is named for what it is.
    #[test]
    fn documents_that_are_no_spreadsheet() {
        let doc = document("word.doc");
        assert_eq!(sniff(&doc), Format::Document(Document::Word));
        assert_eq!(
            sniff(&document("word.docx")),
            Format::Document(Document::Word)
        );
        assert_eq!(
            sniff(&document("slides.pptx")),
            Format::Document(Document::Presentation)
        );
        assert_eq!(
            sniff(&document("print.pdf")),
            Format::Document(Document::Pdf)
        );
        assert_eq!(
            sniff(b"{\\rtf1\\ansi \\b form\\b0}"),
            Format::Document(Document::Word)
        );
        assert_eq!(
            sniff(&rename_stream(&doc, "PowerPoint Document")),
            Format::Document(Document::Presentation)
        );
        // No workbook stream and no stream of a known document: WPS's own format, say.
        assert_eq!(
            sniff(&rename_stream(&doc, "WpsContent")),
            Format::Document(Document::OtherOffice)
        );
        // A workbook stream makes it an .xls whatever else the file holds.
        assert_eq!(sniff(&rename_stream(&doc, "Workbook")), Format::Xls);
    }

    #[test]
    fn broken_containers_go_to_their_reader() {
        assert_eq!(sniff(b"PK\x03\x04garbage"), Format::Xlsx);
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage"),
            Format::Xls
        );
    }

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("zip entry");
            zip.write_all(body.as_bytes()).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="TARGET"/></Relationships>"#;

    fn types(part: &str, content_type: &str) -> String {
        format!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="{part}" ContentType="{content_type}"/></Types>"#
        )
    }

    const WORKBOOK: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

    /// Regression (issue 11): packages calamine reads were refused as "not a spreadsheet"
    /// because only the exact name `xl/workbook.xml` was looked for.
    #[test]
    fn packages_are_sniffed_as_calamine_reads_them() {
        let rels = RELS.replace("TARGET", "xl/workbook.xml");
        let backslashes = zip_of(&[
            ("[Content_Types].xml", &types("/xl/workbook.xml", WORKBOOK)),
            ("_rels\\.rels", &rels),
            ("xl\\workbook.xml", "<workbook/>"),
        ]);
        assert_eq!(sniff(&backslashes), Format::Xlsx);
        let upper_case = zip_of(&[("_rels/.rels", &rels), ("XL/Workbook.xml", "<workbook/>")]);
        assert_eq!(sniff(&upper_case), Format::Xlsx);
        let at_root = zip_of(&[
            ("[Content_Types].xml", &types("/book.xml", WORKBOOK)),
            ("_rels/.rels", &RELS.replace("TARGET", "/book.xml")),
            ("book.xml", "<workbook/>"),
        ]);
        assert_eq!(sniff(&at_root), Format::Xlsx);
        let binary = zip_of(&[
            ("_rels/.rels", &RELS.replace("TARGET", "xl/workbook.bin")),
            ("xl\\workbook.bin", ""),
        ]);
        assert_eq!(sniff(&binary), Format::Xlsb);
        // No package relationships: the usual part names still say what it is.
        assert_eq!(sniff(&zip_of(&[("xl/workbook.xml", "")])), Format::Xlsx);
        assert_eq!(sniff(&zip_of(&[("xl/workbook.bin", "")])), Format::Xlsb);
    }

    /// A package whose main part is no workbook is not a spreadsheet, wherever its parts lie:
    /// a .docx is a Word document (told how to make an .xlsx of it),
    /// one whose main part is missing is unknown.
    #[test]
    fn other_packages_are_no_spreadsheet() {
        let docx = zip_of(&[
            (
                "[Content_Types].xml",
                &types(
                    "/word/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                ),
            ),
            ("_rels/.rels", &RELS.replace("TARGET", "word/document.xml")),
            ("word/document.xml", "<document/>"),
        ]);
        assert_eq!(sniff(&docx), Format::Document(Document::Word));
        let no_content_type = zip_of(&[
            ("_rels/.rels", &RELS.replace("TARGET", "word/document.xml")),
            ("word/document.xml", "<document/>"),
        ]);
        assert_eq!(sniff(&no_content_type), Format::Document(Document::Word));
        let backslashes = zip_of(&[("word\\document.xml", "<document/>")]);
        assert_eq!(sniff(&backslashes), Format::Document(Document::Word));
        let dangling = zip_of(&[("_rels/.rels", &RELS.replace("TARGET", "xl/workbook.xml"))]);
        assert_eq!(sniff(&dangling), Format::Unknown);
    }
}
