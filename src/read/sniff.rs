//! Deciding what a file is from its first bytes.

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
    /// None of the above.
    Unknown,
}

/// Decide the format of `bytes`.
pub fn sniff(bytes: &[u8]) -> Format {
    let _ = bytes;
    todo!("reader helper")
}
