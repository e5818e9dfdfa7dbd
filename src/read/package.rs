//! Office Open XML packages (`.xlsx`, `.xlsm`, `.xlsb`): their parts found as calamine finds
//! them, and what calamine will buffer from them checked and bounded before it runs.
//!
//! calamine reads a package's shared strings, styles and workbook parts whole into memory, and
//! streams each worksheet; either way its XML parser buffers a whole text node or tag, and its
//! `.xlsb` reader allocates whatever length a record declares. So, before calamine opens a
//! package, [`check_xlsx`] streams every part calamine will read (past [`SCAN_ABOVE`] bytes)
//! through a [`Cutter`]: a text
//! longer than a cell can hold is cut (in a rewritten copy of the package, other parts copied
//! as they are), a tag too long to be real is refused, as is a part that inflates past
//! [`MAX_PART_BYTES`] or parts held whole that would take more than [`MAX_HELD_BYTES`].
//! [`check_xlsb`] walks the records of every binary part calamine will read and refuses a
//! record longer than [`MAX_XLSB_RECORD`].

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read, Seek, Write};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::cut::Cutter;

/// A package part read whole for its relationships or content types is read up to this many
/// bytes; real ones are a few kilobytes.
const MAX_SMALL_PART: u64 = 1024 * 1024;

/// Decompressed bytes of one part read at most: a form's sheet is well under a megabyte, a
/// large data sheet tens of megabytes; past this it is a zip bomb.
pub(super) const MAX_PART_BYTES: u64 = 256 << 20;

/// What calamine may hold of the parts it reads whole (shared strings, styles, the workbook and
/// relationships), estimated as their bytes plus [`ELEMENT_COST`] per element.
pub(super) const MAX_HELD_BYTES: u64 = 128 << 20;

/// Bytes calamine keeps per element of a part it holds (a `String` and its allocation for a
/// shared string, a style entry): an estimate on the generous side.
const ELEMENT_COST: u64 = 48;

/// Parts that inflate to at most this many bytes are not streamed through a [`Cutter`]: the zip
/// reader (calamine's and ours, the same crate) refuses to inflate an entry past its declared
/// size, so no text or tag in such a part can be longer, and what calamine holds of it is
/// estimated from its size. A form's parts are all far smaller.
pub(super) const SCAN_ABOVE: u64 = 1 << 20;

/// Merged ranges read at most, all sheets together; past this merges are not read (a form has
/// a few dozen; each costs calamine a few dozen bytes).
pub(super) const MAX_MERGES: u64 = 100_000;

/// Longest record calamine may read from an `.xlsb`: it allocates the declared length before
/// reading. The longest real one, a cell or shared string of 32,767 characters with its
/// formatting runs, is under 200 KB.
pub(super) const MAX_XLSB_RECORD: usize = 1 << 20;

/// The entry names of a zip package, looked up the way calamine looks them up: case-insensitive,
/// with `\` read as `/`. Exports of some business systems write `xl\worksheets\sheet1.xml`.
pub(super) struct Package {
    /// Normalised name → name as stored.
    names: HashMap<String, String>,
}

impl Package {
    pub(super) fn new<R: Read + Seek>(zip: &ZipArchive<R>) -> Package {
        Package {
            names: zip
                .file_names()
                .flatten()
                .map(|n| (normalise(&n), n.into_owned()))
                .collect(),
        }
    }

    pub(super) fn has(&self, path: &str) -> bool {
        self.names.contains_key(&normalise(path))
    }

    fn stored(&self, path: &str) -> Option<&str> {
        self.names.get(&normalise(path)).map(String::as_str)
    }

    /// The bytes of a small part (at most [`MAX_SMALL_PART`]), `None` when absent or unreadable.
    fn read<R: Read + Seek>(&self, zip: &mut ZipArchive<R>, path: &str) -> Option<Vec<u8>> {
        let entry = zip.by_name(self.stored(path)?).ok()?;
        let mut out = Vec::new();
        entry.take(MAX_SMALL_PART).read_to_end(&mut out).ok()?;
        Some(out)
    }

    /// The targets of the relationships in part `rels` whose type `wanted` accepts.
    fn targets<R: Read + Seek>(
        &self,
        zip: &mut ZipArchive<R>,
        rels: &str,
        mut wanted: impl FnMut(&str) -> bool,
    ) -> Vec<String> {
        let Some(xml) = self.read(zip, rels) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for_each_element(&xml, "Relationship", |e| {
            if attribute(e, "Type").is_some_and(|t| wanted(&t)) {
                out.extend(attribute(e, "Target"));
            }
            true
        });
        out
    }

    /// The normalised path of the part `_rels/.rels` names as the office document, when that
    /// part exists.
    pub(super) fn main_part<R: Read + Seek>(&self, zip: &mut ZipArchive<R>) -> Option<String> {
        let target = self
            .targets(zip, "_rels/.rels", is_office_document)
            .into_iter()
            .next()?;
        let path = normalise(target.trim_start_matches(['/', '\\']));
        self.names.contains_key(&path).then_some(path)
    }

    /// Whether a package's main part is a workbook (a .docx or .pptx has another): its content
    /// type says so, or, when `[Content_Types].xml` does not name it, its file name does.
    pub(super) fn is_workbook_part<R: Read + Seek>(
        &self,
        zip: &mut ZipArchive<R>,
        part: &str,
    ) -> bool {
        let mut content_type = None;
        if let Some(types) = self.read(zip, "[Content_Types].xml") {
            for_each_element(&types, "Override", |e| {
                let named = attribute(e, "PartName")
                    .is_some_and(|p| normalise(p.trim_start_matches(['/', '\\'])) == part);
                if named {
                    content_type = attribute(e, "ContentType");
                }
                !named
            });
        }
        match content_type {
            Some(t) => t.contains("spreadsheetml") || t.contains("ms-excel"),
            None => {
                let file_name = part.rsplit('/').next().unwrap_or(part);
                file_name == "workbook.xml" || file_name == "workbook.bin"
            }
        }
    }

    /// Where calamine's `.xlsx` reader finds the workbook part: the folder and name of the
    /// office document `_rels/.rels` names (`xl/`, `workbook.xml` when it names none).
    fn workbook_location<R: Read + Seek>(&self, zip: &mut ZipArchive<R>) -> (String, String) {
        let target = self.targets(zip, "_rels/.rels", is_office_document);
        let Some(target) = target.first() else {
            return ("xl/".into(), "workbook.xml".into());
        };
        let (dir, name) = match target.rfind('/') {
            Some(i) => target.split_at(i + 1),
            None => ("", target.as_str()),
        };
        let name = if name.is_empty() {
            "workbook.xml"
        } else {
            name
        };
        (dir.strip_prefix('/').unwrap_or(dir).into(), name.into())
    }
}

fn is_office_document(typ: &str) -> bool {
    typ.ends_with("/relationships/officeDocument")
}

/// A zip entry name as calamine compares them: `/` for `\`, ASCII lower case.
pub(super) fn normalise(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// Call `f` on each element whose local name is `name`, until it returns `false` or the XML
/// ends or turns out malformed.
fn for_each_element(xml: &[u8], name: &str, mut f: impl FnMut(&BytesStart<'_>) -> bool) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name && !f(&e) => {
                return
            }
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// How a part's text is cut: which elements make one item, which to count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The shared string table: one `si` is one item (all its rich-text runs).
    SharedStrings,
    /// A sheet: a cell's value, inline string or formula is one item; merges are counted.
    Sheet,
    /// Anything else: each text node is one item.
    Other,
}

impl Kind {
    fn cutter(self) -> Cutter {
        match self {
            Kind::SharedStrings => Cutter::new(&["si"], "si", MAX_PART_BYTES),
            Kind::Sheet => Cutter::new(&["v", "is", "f"], "mergeCell", MAX_PART_BYTES),
            Kind::Other => Cutter::new(&[], "", MAX_PART_BYTES),
        }
    }
}

/// An `.xlsx` package as calamine may read it.
pub(super) struct Checked {
    /// The package with long texts cut, when any was.
    pub bytes: Option<Vec<u8>>,
    /// Whether merged ranges may be read (few enough of them).
    pub merges: bool,
}

/// Check an `.xlsx` package before calamine reads it; `Err` is the reason it is refused.
pub(super) fn check_xlsx(bytes: &[u8]) -> Result<Checked, String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let package = Package::new(&zip);
    let (dir, name) = package.workbook_location(&mut zip);
    let rels = format!("{dir}_rels/{name}.rels");
    let held: BTreeSet<String> = [
        "_rels/.rels".to_string(),
        rels.clone(),
        format!("{dir}{name}"),
        format!("{dir}sharedStrings.xml"),
        format!("{dir}styles.xml"),
    ]
    .iter()
    .map(|p| normalise(p))
    .collect();
    // Sheets are where the workbook's relationships say (calamine: an absolute target, or one
    // relative to the workbook's folder), and, whatever they say, the worksheets folder.
    let mut sheets: BTreeSet<String> = package
        .targets(&mut zip, &rels, |t| t.ends_with("sheet"))
        .iter()
        .map(|t| {
            normalise(
                &t.strip_prefix('/')
                    .map_or(format!("{dir}{t}"), str::to_string),
            )
        })
        .collect();
    let folder = normalise(&format!("{dir}worksheets/"));
    sheets.extend(
        package
            .names
            .keys()
            .filter(|n| n.starts_with(&folder) && n.ends_with(".xml"))
            .cloned(),
    );

    let (mut held_cost, mut merges) = (0u64, 0u64);
    let mut cut = HashMap::new();
    for part in held.iter().chain(sheets.difference(&held)) {
        let Some(stored) = package.stored(part) else {
            continue;
        };
        let declared = zip
            .by_name(stored)
            .map_err(|e| format!("{stored}: {e}"))?
            .size();
        if declared <= SCAN_ABOVE {
            // At most one element per 4 bytes (`<a/>`).
            if held.contains(part) {
                held_cost += declared + declared / 4 * ELEMENT_COST;
            }
            continue;
        }
        let kind = if sheets.contains(part) {
            Kind::Sheet
        } else if part.ends_with("sharedstrings.xml") {
            Kind::SharedStrings
        } else {
            Kind::Other
        };
        let mut cutter = kind.cutter();
        let mut entry = zip.by_name(stored).map_err(|e| format!("{stored}: {e}"))?;
        pass_through(&mut entry, &mut cutter, &mut std::io::sink())
            .map_err(|why| format!("{stored}: {why}"))?;
        let report = cutter.report;
        if held.contains(part) {
            held_cost += report.bytes_out + report.elements * ELEMENT_COST;
        }
        if kind == Kind::Sheet {
            merges += report.counted;
        }
        if report.cut {
            cut.insert(stored.to_string(), kind);
        }
    }
    if held_cost > MAX_HELD_BYTES {
        return Err(format!(
            "its shared strings, styles and workbook parts would take over {} MB of memory",
            held_cost >> 20
        ));
    }
    let bytes = if cut.is_empty() {
        None
    } else {
        Some(rewrite(&mut zip, &cut)?)
    };
    Ok(Checked {
        bytes,
        merges: merges <= MAX_MERGES,
    })
}

/// Stream a part through a cutter into `out`.
fn pass_through(
    part: &mut impl Read,
    cutter: &mut Cutter,
    out: &mut impl Write,
) -> Result<(), String> {
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = part.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(());
        }
        cutter.feed(&chunk[..n], out)?;
    }
}

/// The package again, the parts in `cut` passed through their cutter, every other entry copied
/// as it is stored.
fn rewrite(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    cut: &HashMap<String, Kind>,
) -> Result<Vec<u8>, String> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(|e| e.to_string())?
            .name()
            .map_err(|e| e.to_string())?
            .into_owned();
        match cut.get(&name) {
            Some(kind) => {
                out.start_file(name.as_str(), options)
                    .map_err(|e| e.to_string())?;
                let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
                pass_through(&mut entry, &mut kind.cutter(), &mut out)?;
            }
            None => {
                let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
                out.raw_copy_file(entry).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// Check an `.xlsb` package before calamine reads it; `Err` is the reason it is refused.
pub(super) fn check_xlsb(bytes: &[u8]) -> Result<(), String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let package = Package::new(&zip);
    // calamine's `.xlsb` reader uses these paths as they are, and "xl/" + the target of each
    // sheet's relationship (not the VBA project's or a printer's settings, which hold no records).
    let rels = "xl/_rels/workbook.bin.rels";
    let held = ["xl/workbook.bin", "xl/sharedStrings.bin", "xl/styles.bin"];
    let mut parts: BTreeSet<String> = held.iter().map(|p| normalise(p)).collect();
    for target in package.targets(&mut zip, rels, |t| t.ends_with("sheet")) {
        parts.insert(normalise(&format!("xl/{target}")));
    }
    let mut held_cost = 0u64;
    for part in std::iter::once(normalise(rels)).chain(parts) {
        let Some(stored) = package.stored(&part) else {
            continue;
        };
        let mut entry = zip.by_name(stored).map_err(|e| format!("{stored}: {e}"))?;
        if !part.ends_with(".bin") {
            let mut cutter = Kind::Other.cutter();
            pass_through(&mut entry, &mut cutter, &mut std::io::sink())
                .map_err(|why| format!("{stored}: {why}"))?;
            if cutter.report.cut {
                return Err(format!("{stored}: it holds a text too long to be real"));
            }
            continue;
        }
        let (bytes, records) =
            walk_records(&mut entry).map_err(|why| format!("{stored}: {why}"))?;
        if held.iter().any(|h| normalise(h) == part) {
            // UTF-16 text becomes up to 1.5 times as many bytes of UTF-8.
            held_cost += bytes + bytes / 2 + records * ELEMENT_COST;
        }
    }
    if held_cost > MAX_HELD_BYTES {
        return Err(format!(
            "its shared strings, styles and workbook parts would take over {} MB of memory",
            held_cost >> 20
        ));
    }
    Ok(())
}

/// The next byte, `None` at the end.
fn byte(reader: &mut impl Read) -> Result<Option<u8>, String> {
    let mut b = [0u8];
    match reader.read(&mut b).map_err(|e| e.to_string())? {
        0 => Ok(None),
        _ => Ok(Some(b[0])),
    }
}

/// Walk the records of a binary part as calamine's `RecordIter` reads them (a type of one or two
/// bytes, a length of one to four), skipping their data; returns the part's bytes and records.
fn walk_records(part: &mut impl Read) -> Result<(u64, u64), String> {
    let mut reader = std::io::BufReader::new(part);
    let (mut bytes, mut records) = (0u64, 0u64);
    loop {
        let Some(b) = byte(&mut reader)? else {
            return Ok((bytes, records));
        };
        let mut header = 1;
        if b & 0x80 != 0 {
            byte(&mut reader)?;
            header += 1;
        }
        let mut len = 0usize;
        for i in 0..4 {
            let Some(b) = byte(&mut reader)? else {
                return Ok((bytes, records));
            };
            header += 1;
            len += usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        if len > MAX_XLSB_RECORD {
            return Err(format!(
                "a record at byte {bytes} declares {len} bytes (at most {MAX_XLSB_RECORD} are read)"
            ));
        }
        let skipped = std::io::copy(&mut (&mut reader).take(len as u64), &mut std::io::sink())
            .map_err(|e| e.to_string())?;
        bytes += header + skipped;
        records += 1;
        if bytes > MAX_PART_BYTES {
            return Err(format!(
                "it inflates to more than {} MB",
                MAX_PART_BYTES >> 20
            ));
        }
        if (skipped as usize) < len {
            return Ok((bytes, records));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::cut::KEPT_UNITS;

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(body).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Vec<u8> {
        let mut out = Vec::new();
        zip.by_name(name)
            .expect("entry")
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    const RELS: &str = r#"<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    const WB_RELS: &str = r#"<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/one.xml"/></Relationships>"#;

    /// A package with a long shared string is rewritten with that string cut; every other entry
    /// keeps its name (backslashes included), order and bytes.
    #[test]
    fn only_the_cut_parts_change() {
        let long = "a".repeat(2 << 20);
        let shared = format!("<sst><si><t>{long}</t></si></sst>");
        let image = (0..=255u8).cycle().take(5000).collect::<Vec<u8>>();
        let entries = [
            ("_rels\\.rels", RELS.as_bytes().to_vec()),
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/sharedStrings.xml", shared.into_bytes()),
            ("xl/media/image1.png", image.clone()),
        ];
        let bytes = zip_of(&entries);
        let checked = check_xlsx(&bytes).expect("checked");
        assert!(checked.merges);
        let new = checked.bytes.expect("rewritten");
        let mut zip = ZipArchive::new(Cursor::new(new.as_slice())).expect("zip");
        let names: Vec<_> = zip.file_names().flatten().map(|n| n.into_owned()).collect();
        assert_eq!(names, entries.map(|e| e.0.to_string()));
        assert_eq!(part(&mut zip, "xl/media/image1.png"), image);
        assert_eq!(part(&mut zip, "_rels\\.rels"), RELS.as_bytes());
        let cut = format!("<sst><si><t>{}</t></si></sst>", "a".repeat(KEPT_UNITS));
        assert_eq!(part(&mut zip, "xl/sharedStrings.xml"), cut.as_bytes());
    }

    /// The sheets are found where the workbook's relationships say, not only under
    /// `worksheets/`; past MAX_MERGES merged ranges in all, merges are not read.
    #[test]
    fn sheets_and_merges() {
        let merges = r#"<mergeCell ref="A1:B2"/>"#.repeat(MAX_MERGES as usize + 1);
        let sheet = format!("<worksheet><sheetData/><mergeCells>{merges}</mergeCells></worksheet>");
        assert!(sheet.len() as u64 > SCAN_ABOVE);
        let bytes = zip_of(&[
            ("_rels/.rels", RELS.as_bytes().to_vec()),
            ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes().to_vec()),
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/sheets/one.xml", sheet.into_bytes()),
        ]);
        let checked = check_xlsx(&bytes).expect("checked");
        assert!(!checked.merges && checked.bytes.is_none());

        let text = format!(
            r#"<worksheet><sheetData><row><c t="inlineStr"><is><t>{}</t></is></c></row></sheetData></worksheet>"#,
            "b".repeat(2 << 20)
        );
        let bytes = zip_of(&[
            ("_rels/.rels", RELS.as_bytes().to_vec()),
            ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes().to_vec()),
            ("xl/sheets/one.xml", text.into_bytes()),
        ]);
        let checked = check_xlsx(&bytes).expect("checked");
        assert!(
            checked.bytes.is_some(),
            "the sheet named by the relationships was cut"
        );
    }

    /// Regression (calamine's own `issues.xlsb`, which it reads, was refused): only the parts
    /// calamine reads are walked as records; the VBA project a relationship names is not one.
    #[test]
    fn xlsb_parts_are_the_ones_calamine_reads() {
        let huge = vec![0x06u8, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0];
        let rels = r#"<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#;
        let package = |sheet: Vec<u8>| {
            zip_of(&[
                ("xl/workbook.bin", vec![0x83, 0x01, 0x00]),
                ("xl/_rels/workbook.bin.rels", rels.as_bytes().to_vec()),
                ("xl/worksheets/sheet1.bin", sheet),
                ("xl/vbaProject.bin", huge.clone()),
            ])
        };
        assert_eq!(check_xlsb(&package(vec![0x81, 0x01, 0x00])), Ok(()));
        assert_eq!(
            check_xlsb(&package(huge.clone())),
            Err("xl/worksheets/sheet1.bin: a record at byte 0 declares 268435455 bytes (at most 1048576 are read)".into())
        );
    }

    /// Records are walked as calamine reads them: one- or two-byte types, lengths of one to
    /// four bytes of 7 bits; a length past MAX_XLSB_RECORD is refused.
    #[test]
    fn xlsb_records() {
        // Type 0x81 0x01 (129), length 0x80 0x01 (128), 128 bytes; type 5, length 2.
        let mut part = vec![0x81, 0x01, 0x80, 0x01];
        part.extend([0u8; 128]);
        part.extend([0x05, 0x02, 1, 2]);
        assert_eq!(walk_records(&mut part.as_slice()), Ok((136, 2)));
        // Length 0xFF 0xFF 0xFF 0x7F: 2^28 - 1.
        let huge = [0x06u8, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0];
        assert_eq!(
            walk_records(&mut huge.as_slice()),
            Err("a record at byte 0 declares 268435455 bytes (at most 1048576 are read)".into())
        );
    }
}
