//! A pre-pass over an `.xls` (BIFF) workbook, before calamine reads it: the first wall between a
//! damaged or hostile file and the process's memory.
//!
//! calamine parses a whole `.xls` at once, trusting the numbers in it: a DIMENSIONS record
//! reserves rows × columns cells, every sheet becomes a dense `Range` over the bounding box of
//! its cells, a label's declared length is allocated before its characters are read, every
//! BoundSheet record is parsed as a sheet even when a thousand point at the same one. So this
//! pass walks the records exactly as calamine will (same record and CONTINUE framing, same
//! nested-substream rule, every BoundSheet entry) and, before calamine sees a byte:
//!
//! - refuses the file, with the reason, when calamine would allocate more than
//!   [`MAX_PARSE_BYTES`] for it ([`Cost`]), walk far more than the stream ([`MAX_WALK_FACTOR`]),
//!   or walk records that are cut short;
//! - in a copy of the file, neutralises what it must not see (calamine skips record types it does
//!   not know): cell records beyond [`MAX_ROWS`] × [`MAX_COLS`], DIMENSIONS records it would size
//!   a sheet by, and the token list of every formula (only cached values are read; a formula's
//!   text could grow to hundreds of times its record);
//! - notes the number cells whose format is a percent, which calamine does not expose for `.xls`.

use std::collections::HashSet;
use std::ops::Range;

use calamine::{Cell, Data};

use super::cfb::{u16_at, u32_at, Cfb, Damage};
use super::number::is_percent_format;
use super::{MAX_COLS, MAX_ROWS};

/// What calamine may allocate for one `.xls`, beyond its copies of the file and of the workbook
/// stream, as [`Cost`] estimates it. A real form needs well under a megabyte.
pub(super) const MAX_PARSE_BYTES: u64 = 128 << 20;

/// The record walk calamine does (globals plus one walk per BoundSheet entry), in multiples of
/// the stream's length. Sheets do not overlap in a real file: the walk is then the stream once.
const MAX_WALK_FACTOR: u64 = 8;

/// CONTINUE records after one record. calamine takes each from the front of a list, so the
/// time grows with the square of their number (a million empty ones, 4 MB, take hours); a
/// 64 MB file holds under 8,200 full ones.
const MAX_CONTINUES: usize = 16_384;

/// A record type calamine's sheet loop ignores; records it must not see become this.
const NEUTRAL: u16 = 0x0000;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILE_PASS: u16 = 0x002F;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUND_SHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const NUMBER: u16 = 0x0203;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOL_ERR: u16 = 0x0205;
const RK: u16 = 0x027E;
const LABEL_SST: u16 = 0x00FD;
const MUL_RK: u16 = 0x00BD;

/// Why a file is not handed to calamine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The workbook is encrypted (a FilePass record).
    Encrypted,
    /// Damaged, or built to exhaust memory: the reason, in English.
    Damaged(String),
}

impl From<Damage> for Refusal {
    fn from(d: Damage) -> Refusal {
        Refusal::Damaged(d.0)
    }
}

fn damaged<T>(what: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Damaged(what.into()))
}

#[derive(Debug, Default)]
pub(super) struct Scan {
    /// The file with records neutralised, when there were any.
    pub patched: Option<Vec<u8>>,
    /// `(sheet index in workbook order, row, col)` of number cells with a percent format.
    pub percent: HashSet<(usize, u32, u32)>,
    /// Sheet indexes (workbook order) that had cells beyond the bounds.
    pub truncated: HashSet<usize>,
}

/// Check `bytes` (an OLE compound file) as calamine will read it, and prepare the copy it may
/// read. See the module documentation.
pub(super) fn scan(bytes: &[u8]) -> Result<Scan, Refusal> {
    let cfb = Cfb::parse(bytes)?;
    // calamine asks for "Workbook", and for "Book" (BIFF5) when that fails.
    let pieces = match cfb.stream_pieces("Workbook")? {
        Some(p) => p,
        None => match cfb.stream_pieces("Book")? {
            Some(p) => p,
            None => return damaged("the file holds no Workbook stream"),
        },
    };
    let stream = Stream::gather(bytes, pieces);
    let globals = Globals::read(&stream.data)?;

    let mut out = Scan::default();
    let mut patch = Patch::default();
    let mut cost = Cost::new(globals.strings_cost());
    let mut walked = 0u64;
    let walk_limit = MAX_WALK_FACTOR * stream.data.len() as u64 + 4096;
    for (index, &pos) in globals.sheets.iter().enumerate() {
        let sheet = SheetScan::read(&stream.data, pos, &globals)?;
        walked += sheet.walked;
        if walked > walk_limit {
            return damaged(format!(
                "its {} sheets overlap: reading them would walk the workbook stream {} times",
                globals.sheets.len(),
                walked / stream.data.len().max(1) as u64
            ));
        }
        cost.add_sheet(&sheet);
        cost.check()?;
        if sheet.truncated {
            out.truncated.insert(index);
        }
        out.percent
            .extend(sheet.percent.iter().map(|&(r, c)| (index, r, c)));
        patch.neutral.extend(sheet.neutral);
        patch.formulas.extend(sheet.formulas);
    }
    out.patched = patch.apply(bytes, &stream);
    Ok(out)
}

/// The workbook stream, gathered from its pieces of the file, with the map back to the file.
struct Stream {
    data: Vec<u8>,
    /// `(stream offset, file offset)` where each piece starts, in stream order.
    starts: Vec<(usize, usize)>,
}

impl Stream {
    fn gather(bytes: &[u8], pieces: Vec<(usize, usize)>) -> Stream {
        let mut data = Vec::with_capacity(pieces.iter().map(|p| p.1).sum());
        let mut starts = Vec::with_capacity(pieces.len());
        for (off, len) in pieces {
            starts.push((data.len(), off));
            data.extend_from_slice(&bytes[off..off + len]);
        }
        Stream { data, starts }
    }

    /// The file offset of a byte of the stream.
    fn file_offset(&self, at: usize) -> Option<usize> {
        if at >= self.data.len() {
            return None;
        }
        let i = self.starts.partition_point(|&(s, _)| s <= at) - 1;
        let (s, off) = self.starts[i];
        Some(off + at - s)
    }
}

/// One record as calamine's `RecordIter` frames it: the CONTINUE records that follow belong to it.
struct Record {
    typ: u16,
    /// Offset of the record header in the stream.
    at: usize,
    data: Range<usize>,
    /// The data of the CONTINUE records that follow, in order.
    cont: Vec<Range<usize>>,
    /// Bytes of the stream this record and its CONTINUE records take.
    span: usize,
}

/// The records of `stream` from `from`. A record cut short is an error, as in calamine, which
/// then refuses the whole file.
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = Result<Record, Refusal>> + '_ {
    let mut at = from;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || at >= stream.len() {
            return None;
        }
        let result = record_at(stream, at);
        match &result {
            Ok(r) => at += r.span,
            Err(_) => failed = true,
        }
        Some(result)
    })
}

fn record_at(stream: &[u8], at: usize) -> Result<Record, Refusal> {
    let header = |at: usize| -> Option<(u16, usize)> {
        Some((u16_at(stream, at)?, usize::from(u16_at(stream, at + 2)?)))
    };
    let Some((typ, len)) = header(at) else {
        return damaged(format!(
            "a record at byte {at} of the workbook stream is cut short"
        ));
    };
    let data = at + 4..at + 4 + len;
    if data.end > stream.len() {
        return damaged(format!(
            "a record at byte {at} of the workbook stream is cut short"
        ));
    }
    let mut next = data.end;
    let mut cont = Vec::new();
    // calamine's rule: a CONTINUE is attached while more than its 4 header bytes are left.
    while stream.len() - next > 4 && header(next).is_some_and(|(t, _)| t == CONTINUE) {
        let len = header(next).map_or(0, |h| h.1);
        let data = next + 4..next + 4 + len;
        if data.end > stream.len() {
            return damaged(format!("a CONTINUE record at byte {next} is cut short"));
        }
        if cont.len() == MAX_CONTINUES {
            return damaged(format!(
                "the record at byte {at} is followed by more than {MAX_CONTINUES} CONTINUE records"
            ));
        }
        next = data.end;
        cont.push(data);
    }
    Ok(Record {
        typ,
        at,
        data,
        cont,
        span: next - at,
    })
}

/// What the workbook globals say that the sheets need.
struct Globals {
    /// BIFF8 (Excel 97 and later) rather than BIFF5 and before.
    biff8: bool,
    /// Number format ids that show a percent.
    percent_formats: HashSet<u16>,
    /// The number format of each XF (cell format), in order.
    xf_formats: Vec<u16>,
    /// Stream offsets of the sheets, one per BoundSheet record, in workbook order.
    sheets: Vec<usize>,
    /// Characters of each shared string, in order.
    strings: Vec<u64>,
}

impl Globals {
    /// The globals substream, up to its EOF, as calamine's first loop reads it.
    fn read(stream: &[u8]) -> Result<Globals, Refusal> {
        let mut g = Globals {
            biff8: true,
            percent_formats: HashSet::from([9, 10]),
            xf_formats: Vec::new(),
            sheets: Vec::new(),
            strings: Vec::new(),
        };
        for r in records(stream, 0) {
            let r = r?;
            let data = &stream[r.data.clone()];
            match r.typ {
                BOF => g.biff8 = is_biff8(data),
                FILE_PASS if u16_at(data, 0).is_some_and(|v| v != 0) => {
                    return Err(Refusal::Encrypted)
                }
                FORMAT => {
                    if let (Some(id), Some(code)) = (u16_at(data, 0), format_code(data, g.biff8)) {
                        if is_percent_format(&code) {
                            g.percent_formats.insert(id);
                        } else {
                            g.percent_formats.remove(&id);
                        }
                    }
                }
                XF => g.xf_formats.push(u16_at(data, 2).unwrap_or(0)),
                BOUND_SHEET => match u32_at(data, 0) {
                    Some(pos) if data.len() >= 6 && (pos as usize) <= stream.len() => {
                        g.sheets.push(pos as usize)
                    }
                    _ => {
                        return damaged(format!(
                            "a sheet is declared at byte {}, outside the workbook stream",
                            u32_at(data, 0).unwrap_or(u32::MAX)
                        ))
                    }
                },
                SST => g.strings = shared_strings(stream, &r)?,
                EOF => break,
                _ => {}
            }
        }
        Ok(g)
    }

    fn is_percent_xf(&self, xf: Option<u16>) -> bool {
        xf.and_then(|x| self.xf_formats.get(usize::from(x)))
            .is_some_and(|f| self.percent_formats.contains(f))
    }

    /// What calamine's shared string table takes: a `String` each, with room for its text.
    fn strings_cost(&self) -> u64 {
        self.strings
            .iter()
            .map(|&chars| STRING_HEADER + text_bytes(chars))
            .sum()
    }
}

/// calamine's reading of a BOF record's version: BIFF8 unless it names an older one.
fn is_biff8(bof: &[u8]) -> bool {
    match u16_at(bof, 0) {
        Some(0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500) => false,
        Some(0) => u16_at(bof, 2) != Some(0x1000),
        _ => true,
    }
}

/// The character count of every string of an SST record, read as calamine reads them (its
/// `parse_sst`, `read_rich_extended_string` and `read_dbcs`), CONTINUE records included. What
/// calamine would fail on is damage here too, so the two never disagree on the strings' order.
fn shared_strings(stream: &[u8], r: &Record) -> Result<Vec<u64>, Refusal> {
    let mut cur = Cursor {
        stream,
        data: r.data.clone(),
        cont: r.cont.iter().cloned().collect(),
    };
    if cur.data.len() < 8 {
        return damaged("the shared string table is cut short");
    }
    cur.data.start += 8;
    let mut out = Vec::new();
    while !cur.data.is_empty() || cur.next_continue() {
        if cur.data.is_empty() {
            out.push(0);
            continue;
        }
        let short = || damaged(format!("shared string {} is cut short", out.len()));
        if cur.data.len() < 3 {
            return short();
        }
        let chars = usize::from(cur.u16().unwrap_or(0));
        let flags = cur.bytes()[2];
        cur.data.start += 3;
        let mut high_byte = flags & 1 != 0;
        let mut runs = 0usize;
        if flags & 0x8 != 0 {
            let Some(n) = cur.u16() else { return short() };
            runs = usize::from(n);
            cur.data.start += 2;
        }
        let mut ext = 0usize;
        if flags & 0x4 != 0 {
            let Some(n) = u32_at(cur.bytes(), 0) else {
                return short();
            };
            // calamine reads a signed size and casts it: a negative one is a huge skip.
            ext = n as i32 as usize;
            cur.data.start += 4;
        }
        let mut left = chars;
        while left > 0 {
            let (taken, used) = if high_byte {
                let n = (cur.data.len() / 2).min(left);
                (n, 2 * n)
            } else {
                let n = cur.data.len().min(left);
                (n, n)
            };
            cur.data.start += used;
            left -= taken;
            if left > 0 {
                if !cur.next_continue() || cur.data.is_empty() {
                    return short();
                }
                high_byte = cur.bytes()[0] & 1 != 0;
                cur.data.start += 1;
            }
        }
        if !cur.skip(runs.saturating_mul(4)) || !cur.skip(ext) {
            return short();
        }
        out.push(chars as u64);
    }
    Ok(out)
}

/// A position in a record's data and its CONTINUE records.
struct Cursor<'s> {
    stream: &'s [u8],
    data: Range<usize>,
    cont: std::collections::VecDeque<Range<usize>>,
}

impl Cursor<'_> {
    fn bytes(&self) -> &[u8] {
        &self.stream[self.data.clone()]
    }

    fn u16(&self) -> Option<u16> {
        u16_at(self.bytes(), 0)
    }

    fn next_continue(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(next) => {
                self.data = next;
                true
            }
            None => false,
        }
    }

    /// calamine's `Record::skip`: `false` when the data ends first.
    fn skip(&mut self, mut len: usize) -> bool {
        while len > 0 {
            if self.data.is_empty() && !self.next_continue() {
                return false;
            }
            let n = len.min(self.data.len());
            self.data.start += n;
            len -= n;
        }
        true
    }
}

/// One sheet's walk, from its BoundSheet position to its EOF, as calamine's sheet loop does it.
#[derive(Default)]
struct SheetScan {
    /// Bytes of the stream walked.
    walked: u64,
    /// Whether cells beyond the bounds were neutralised.
    truncated: bool,
    percent: Vec<(u32, u32)>,
    /// Stream offsets of records to neutralise.
    neutral: Vec<usize>,
    /// Stream offsets of formula records whose token list is to be emptied.
    formulas: Vec<usize>,
    /// The bounding box of the cells calamine will keep, and of the formulas.
    cells_box: Bounds,
    formulas_box: Bounds,
    /// Cells calamine pushes (one per cell record, one per MulRk column) and formulas.
    cells: u64,
    formula_count: u64,
    /// Cells reserved by the DIMENSIONS record calamine will see.
    reserved: u64,
    /// Bytes of text calamine holds for the cells.
    text: u64,
    seen_dimensions: bool,
    /// The position calamine gives a STRING record: that of the last formula it saw.
    formula_at: (u32, u32),
    /// A STRING right after a withheld formula holds that formula's text: withheld too.
    drop_string: bool,
}

#[derive(Default, Clone, Copy)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, c0, r1, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

fn in_bounds(row: u32, col: u32) -> bool {
    row < MAX_ROWS && col < MAX_COLS
}

impl SheetScan {
    fn read(stream: &[u8], pos: usize, g: &Globals) -> Result<SheetScan, Refusal> {
        let mut s = SheetScan::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        for r in records(stream, pos) {
            let r = r?;
            s.walked += r.span as u64;
            let data = &stream[r.data.clone()];
            // Records of a nested substream (an embedded chart) are skipped, as calamine does.
            if depth > 0 {
                match r.typ {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match r.typ {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => s.dimensions(&r, data)?,
                STRING => s.string(&r, data, g)?,
                NUMBER | LABEL | RSTRING | BOOL_ERR | RK | LABEL_SST | FORMULA => {
                    s.cell(&r, data, g)?
                }
                MUL_RK => s.mul_rk(&r, data, g)?,
                _ => {}
            }
        }
        Ok(s)
    }

    /// Only a hint to calamine, which reserves that many cells: a second one, or one larger
    /// than any sheet this reader keeps, is withheld.
    fn dimensions(&mut self, r: &Record, data: &[u8]) -> Result<(), Refusal> {
        let reserve = dimensions_reserve(data)?;
        if self.seen_dimensions || reserve > u64::from(MAX_ROWS * MAX_COLS) {
            self.neutral.push(r.at);
        } else {
            self.reserved = reserve;
        }
        self.seen_dimensions = true;
        Ok(())
    }

    /// A formula's text result, which calamine puts at the last formula it saw.
    fn string(&mut self, r: &Record, data: &[u8], g: &Globals) -> Result<(), Refusal> {
        if std::mem::take(&mut self.drop_string) {
            self.neutral.push(r.at);
            return Ok(());
        }
        self.text += text_bytes(string_chars(data)?);
        self.keep(self.formula_at, data, g, false);
        Ok(())
    }

    /// A record of one cell that starts with its row and column.
    fn cell(&mut self, r: &Record, data: &[u8], g: &Globals) -> Result<(), Refusal> {
        // calamine's minimum lengths: it refuses the file below them.
        let min_len = match r.typ {
            NUMBER => 14,
            FORMULA => 20,
            RK | LABEL_SST => 10,
            BOOL_ERR => 8,
            _ => 6,
        };
        if data.len() < min_len {
            return damaged(format!("a cell record at byte {} is too short", r.at));
        }
        let field = |i| u16_at(data, i).unwrap_or(0);
        let pos = (u32::from(field(0)), u32::from(field(2)));
        self.drop_string = false;
        if !in_bounds(pos.0, pos.1) {
            self.truncated = true;
            self.neutral.push(r.at);
            self.drop_string = r.typ == FORMULA;
            return Ok(());
        }
        match r.typ {
            LABEL | RSTRING => self.text += text_bytes(string_chars(&data[6..])?),
            LABEL_SST => match g.strings.get(u32_at(data, 6).unwrap_or(u32::MAX) as usize) {
                Some(&chars) => self.text += text_bytes(chars),
                // calamine makes no cell of it.
                None => return Ok(()),
            },
            FORMULA => {
                self.formula_at = pos;
                self.formula_count += 1;
                self.formulas_box.add(pos.0, pos.1);
                if data.len() >= 22 && field(20) != 0 {
                    self.formulas.push(r.data.start + 20);
                }
            }
            _ => {}
        }
        let percent = matches!(r.typ, NUMBER | RK | FORMULA);
        self.keep(pos, data, g, percent);
        Ok(())
    }

    /// A run of numbers in one row: row, first column, (xf, rk) pairs of 6 bytes, last column.
    fn mul_rk(&mut self, r: &Record, data: &[u8], g: &Globals) -> Result<(), Refusal> {
        let field = |i| u16_at(data, i).unwrap_or(0);
        let pairs = data.len().saturating_sub(6) / 6;
        // calamine's check, in its (wrapping) 16-bit arithmetic.
        let (first, last) = (field(2), field(data.len().saturating_sub(2)));
        if data.len() < 6
            || data.len() != 6 + 6 * usize::from(last.wrapping_sub(first).wrapping_add(1))
        {
            return damaged(format!("a MulRk record at byte {} is malformed", r.at));
        }
        self.drop_string = false;
        let (row, first) = (u32::from(field(0)), u32::from(first));
        if pairs > 0 && !in_bounds(row, first + pairs as u32 - 1) {
            // The cells of one record all go, or calamine would size the sheet by the far ones.
            self.truncated = true;
            self.neutral.push(r.at);
            return Ok(());
        }
        for k in 0..pairs {
            let col = first + k as u32;
            self.cells += 1;
            self.cells_box.add(row, col);
            if g.is_percent_xf(u16_at(data, 4 + 6 * k)) {
                self.percent.push((row, col));
            }
        }
        Ok(())
    }

    /// A cell calamine will keep at `pos`; `percent` when its number format can be a percent.
    fn keep(&mut self, pos: (u32, u32), data: &[u8], g: &Globals, percent: bool) {
        self.cells += 1;
        self.cells_box.add(pos.0, pos.1);
        if percent && g.is_percent_xf(u16_at(data, 4)) {
            self.percent.push(pos);
        }
    }
}

/// calamine's `parse_dimensions` and the `reserve` it does with the result: rows × columns,
/// computed as calamine does, wrapping on an inverted range (a 1 TB request in one flipped byte).
fn dimensions_reserve(data: &[u8]) -> Result<u64, Refusal> {
    let field16 = |at| u32::from(u16_at(data, at).unwrap_or(0));
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (field16(0), field16(2), field16(4), field16(6)),
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            field16(8),
            field16(10),
        ),
        n => return damaged(format!("a DIMENSIONS record has {n} bytes")),
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    let (start, end) = if last_row >= 1 && last_col >= 1 {
        ((first_row, first_col), (last_row - 1, last_col - 1))
    } else {
        ((first_row, first_col), (first_row, first_col))
    };
    let rows = u64::from(end.0.wrapping_sub(start.0).wrapping_add(1));
    let cols = u64::from(end.1.wrapping_sub(start.1).wrapping_add(1));
    Ok(rows.saturating_mul(cols))
}

/// The declared character count of an `XLUnicodeString` (a label's or a formula's text);
/// calamine reserves room for that many before reading them.
fn string_chars(data: &[u8]) -> Result<u64, Refusal> {
    match u16_at(data, 0) {
        Some(n) => Ok(u64::from(n)),
        None if data.is_empty() => Ok(0),
        None => damaged("a string record is cut short"),
    }
}

/// Bytes of a `String` of `chars` characters read from an `.xls`: at most 3 bytes of UTF-8 each
/// (calamine reserves one per character, then grows the string to what decoding needs).
fn text_bytes(chars: u64) -> u64 {
    3 * chars
}

/// The heap cost of a `String` besides its text (its header, and rounding).
const STRING_HEADER: u64 = std::mem::size_of::<String>() as u64;
/// What calamine keeps of a formula once its token list is emptied: an "Unrecognised formula"
/// text of about 70 bytes.
const FORMULA_TEXT: u64 = 96;

/// What calamine allocates while it parses an `.xls`, beyond the file and the stream, estimated
/// from the records before it runs: the shared strings; for every sheet, the dense ranges of its
/// values and formulas and the text they hold; and, while one sheet is parsed, its cell lists
/// (which grow by doubling, so up to twice their length) and its DIMENSIONS reservation; then
/// the copy of the largest range that `worksheet_range` returns.
struct Cost {
    held: u64,
    largest_transient: u64,
    largest_range: u64,
}

impl Cost {
    fn new(strings: u64) -> Cost {
        Cost {
            held: strings,
            largest_transient: 0,
            largest_range: 0,
        }
    }

    fn add_sheet(&mut self, s: &SheetScan) {
        let data = std::mem::size_of::<Data>() as u64;
        let cell = std::mem::size_of::<Cell<Data>>() as u64;
        let formula_cell = std::mem::size_of::<Cell<String>>() as u64;
        let range = s.cells_box.cells() * data;
        self.held += range
            + s.formulas_box.cells() * STRING_HEADER
            + s.text
            + s.formula_count * FORMULA_TEXT;
        let transient = (s.reserved + 2 * s.cells) * cell + 2 * s.formula_count * formula_cell;
        self.largest_transient = self.largest_transient.max(transient);
        self.largest_range = self.largest_range.max(range);
    }

    fn total(&self) -> u64 {
        self.held + self.largest_transient + self.largest_range
    }

    fn check(&self) -> Result<(), Refusal> {
        let total = self.total();
        if total > MAX_PARSE_BYTES {
            return damaged(format!(
                "reading it would take over {} MB of memory",
                total >> 20
            ));
        }
        Ok(())
    }
}

/// Records to change in the copy calamine reads.
#[derive(Default)]
struct Patch {
    /// Stream offsets of records whose type becomes [`NEUTRAL`].
    neutral: Vec<usize>,
    /// Stream offsets of formula token-list lengths that become 0.
    formulas: Vec<usize>,
}

impl Patch {
    fn apply(&self, bytes: &[u8], stream: &Stream) -> Option<Vec<u8>> {
        if self.neutral.is_empty() && self.formulas.is_empty() {
            return None;
        }
        let mut patched = bytes.to_vec();
        let edits = self
            .neutral
            .iter()
            .map(|&at| (at, NEUTRAL))
            .chain(self.formulas.iter().map(|&at| (at, 0)));
        for (at, value) in edits {
            for (i, b) in value.to_le_bytes().into_iter().enumerate() {
                if let Some(off) = stream.file_offset(at + i) {
                    patched[off] = b;
                }
            }
        }
        Some(patched)
    }
}

/// The text of a FORMAT record's code (BIFF8: 16-bit count and a flags byte; BIFF5: 8-bit count).
fn format_code(data: &[u8], biff8: bool) -> Option<String> {
    if biff8 {
        let cch = usize::from(u16_at(data, 2)?);
        let high_byte = data.get(4)? & 1 == 1;
        let chars = data.get(5..)?;
        Some(if high_byte {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(cch)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            chars.iter().take(cch).map(|&b| char::from(b)).collect()
        })
    } else {
        let cch = usize::from(*data.get(2)?);
        Some(
            data.get(3..)?
                .iter()
                .take(cch)
                .map(|&b| char::from(b))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("tests/fixtures/{name}")).expect("fixture")
    }

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// xlwt's workbook (tests/fixtures/make/far_percent_xls.py): far cells are neutralised and
    /// their sheet marked, percent cells found by their number format, in both sheets.
    #[test]
    fn far_cells_and_percent_formats() {
        let xls = fixture("make/far-percent.xls");
        let scan = scan(&xls).expect("a valid workbook");
        assert_eq!(scan.truncated, HashSet::from([0]));
        // B2 (0%), C2 (0.00%), the formula A5 (0%, its format; xlwt caches no value); not D2
        // (0.00); 说明!A1.
        assert_eq!(
            scan.percent,
            HashSet::from([(0, 1, 1), (0, 1, 2), (0, 4, 0), (1, 0, 0)])
        );
        let patched = scan.patched.expect("far cells neutralised in a copy");
        assert_eq!(patched.len(), xls.len());
        // The copy reads clean, with nothing left to neutralise.
        let again = super::scan(&patched).expect("the copy is valid");
        assert!(again.truncated.is_empty());
        assert_eq!(again.percent, scan.percent);
    }

    /// The walk of one sheet: which records go, and what calamine would hold for it.
    #[test]
    fn sheet_walk_neutralises_and_counts() {
        let cell = |typ, row: u16, col: u16, rest: &[u8]| {
            let mut data = row.to_le_bytes().to_vec();
            data.extend(col.to_le_bytes());
            data.extend(rest);
            rec(typ, &data)
        };
        let mut stream = rec(BOF, &[0, 6, 0x10, 0]);
        let dims = rec(DIMENSIONS, &[0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 6, 0, 0, 0]);
        let second_dims = dims.clone();
        let formula_far = cell(FORMULA, 9000, 0, &[0; 18]);
        let string_of_far = rec(STRING, &[1, 0, 0, b'x']);
        // xf, value, flags, chn (16 bytes), then cce 3: the tokens of "=1".
        let mut formula = vec![0u8; 16];
        formula.extend([3, 0, 0x1E, 1, 0]);
        let formula = cell(FORMULA, 2, 1, &formula);
        let label = cell(LABEL, 1, 0, &[0, 0, 100, 0, 0]);
        let offsets: Vec<usize> = [&dims, &second_dims, &formula_far, &string_of_far, &formula]
            .iter()
            .scan(stream.len(), |at, r| {
                let here = *at;
                *at += r.len();
                Some(here)
            })
            .collect();
        for r in [
            &dims,
            &second_dims,
            &formula_far,
            &string_of_far,
            &formula,
            &label,
        ] {
            stream.extend(r);
        }
        stream.extend(rec(EOF, &[]));
        let g = Globals {
            biff8: true,
            percent_formats: HashSet::new(),
            xf_formats: Vec::new(),
            sheets: vec![0],
            strings: Vec::new(),
        };
        let s = SheetScan::read(&stream, 0, &g).expect("readable");
        assert!(s.truncated);
        // The second DIMENSIONS, the far formula and its string.
        assert_eq!(s.neutral, vec![offsets[1], offsets[2], offsets[3]]);
        // The kept formula's token-list length, 20 bytes into its data.
        assert_eq!(s.formulas, vec![offsets[4] + 4 + 20]);
        assert_eq!((s.cells, s.formula_count, s.reserved), (2, 1, 60));
        // Rows 1..=2, columns 0..=1; the label's 100 declared characters.
        assert_eq!((s.cells_box.cells(), s.formulas_box.cells()), (4, 1));
        assert_eq!(s.text, 300);
        assert_eq!(s.walked, stream.len() as u64);
    }

    /// Regression (issue 10): one flipped byte made a DIMENSIONS record's first row follow its
    /// last; calamine then reserved ~10^10 cells (1 TB) and the process aborted.
    #[test]
    fn dimensions_as_calamine_computes_them() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            d
        };
        assert_eq!(dimensions_reserve(&biff8(0, 10, 0, 6)), Ok(60));
        assert_eq!(dimensions_reserve(&biff8(0, 0, 0, 0)), Ok(1));
        // First row 5, last row 0 (stored as 1): 0 - 5 + 1 wraps.
        assert_eq!(
            dimensions_reserve(&biff8(5, 1, 0, 6)),
            Ok(u64::from(u32::MAX - 3) * 6)
        );
        // A first column past 255 or after the last counts from column 0, as in calamine.
        assert_eq!(dimensions_reserve(&biff8(0, 1, 300, 6)), Ok(6));
        // BIFF5: four 16-bit fields.
        assert_eq!(dimensions_reserve(&[2, 0, 12, 0, 1, 0, 4, 0, 0, 0]), Ok(30));
        assert!(dimensions_reserve(&[0; 12]).is_err());
    }

    /// The shared strings are read as calamine reads them: a string continued in a CONTINUE
    /// record switches between one- and two-byte characters; rich-text runs and phonetic data
    /// are skipped; an empty CONTINUE is an empty string.
    #[test]
    fn shared_strings_across_continue_records() {
        let mut sst = vec![0u8; 8];
        sst.extend([3, 0, 0, b'a', b'b', b'c']); // "abc"
        sst.extend([4, 0, 0x08, 1, 0, b'd', b'e']); // 4 chars, 1 run; "de" here
        let mut cont = vec![1u8]; // continued with two-byte characters
        cont.extend([b'f', 0, b'g', 0]);
        cont.extend([0; 4]); // the run
        cont.extend([2, 0, 0x04, 2, 0, 0, 0, b'h', b'i', 9, 9]); // 2 chars, 2 bytes ext
        let mut stream = rec(SST, &sst);
        stream.extend(rec(CONTINUE, &cont));
        stream.extend(rec(CONTINUE, &[]));
        stream.extend(rec(EOF, &[]));
        let r = record_at(&stream, 0).expect("record");
        assert_eq!(r.cont.len(), 2);
        assert_eq!(shared_strings(&stream, &r), Ok(vec![3, 4, 2, 0]));

        // A string whose characters run out with no CONTINUE left: calamine refuses it.
        let mut short = vec![0u8; 8];
        short.extend([9, 0, 0, b'a']);
        let stream = rec(SST, &short);
        let r = record_at(&stream, 0).expect("record");
        assert_eq!(
            shared_strings(&stream, &r),
            Err(Refusal::Damaged("shared string 0 is cut short".into()))
        );
    }

    /// Records are framed as calamine frames them; a record cut short stops the walk with an
    /// error, and so does a flood of CONTINUE records.
    #[test]
    fn record_framing() {
        let mut stream = rec(0x0001, &[1, 2]);
        stream.extend(rec(CONTINUE, &[3]));
        stream.extend(rec(0x0002, &[]));
        // A CONTINUE with only its header left is not attached (calamine: "more than 4 bytes").
        stream.extend(rec(CONTINUE, &[]));
        let got: Vec<_> = records(&stream, 0)
            .map(|r| {
                r.map(|r| {
                    let cont: Vec<_> = r.cont.iter().map(|c| (c.start, c.end)).collect();
                    (r.typ, r.data, cont, r.span)
                })
            })
            .collect();
        assert_eq!(
            got,
            vec![
                Ok((0x0001, 4..6, vec![(10, 11)], 11)),
                Ok((0x0002, 15..15, vec![], 4)),
                Ok((CONTINUE, 19..19, vec![], 4)),
            ]
        );
        let cut = [0x01, 0x00, 0x09, 0x00, 1, 2];
        let got: Vec<_> = records(&cut, 0).collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());

        let mut flood = rec(SST, &[0; 8]);
        for _ in 0..=MAX_CONTINUES {
            flood.extend(rec(CONTINUE, &[]));
        }
        flood.extend(rec(EOF, &[]));
        assert_eq!(
            record_at(&flood, 0).err(),
            Some(Refusal::Damaged(format!(
                "the record at byte 0 is followed by more than {MAX_CONTINUES} CONTINUE records"
            )))
        );
    }

    #[test]
    fn stream_offsets_map_back_to_the_file() {
        let bytes: Vec<u8> = (0..=255).collect();
        let stream = Stream::gather(&bytes, vec![(100, 10), (20, 5), (200, 0), (50, 3)]);
        assert_eq!(stream.data.len(), 18);
        assert_eq!(stream.data[10], 20);
        assert_eq!(stream.file_offset(0), Some(100));
        assert_eq!(stream.file_offset(9), Some(109));
        assert_eq!(stream.file_offset(10), Some(20));
        assert_eq!(stream.file_offset(15), Some(50));
        assert_eq!(stream.file_offset(17), Some(52));
        assert_eq!(stream.file_offset(18), None);
    }

    /// Regression (issue 10): 4,000 BoundSheet records naming one sheet whose two cells span
    /// the bounds made calamine build 4,000 dense ranges; the estimate stops it at the sheet
    /// that passes the limit.
    #[test]
    fn many_sheets_add_up() {
        let mut cost = Cost::new(0);
        let mut sheet = SheetScan::default();
        sheet.cells_box.add(0, 0);
        sheet.cells_box.add(MAX_ROWS - 1, MAX_COLS - 1);
        sheet.cells = 2;
        let range = u64::from(MAX_ROWS * MAX_COLS) * std::mem::size_of::<Data>() as u64;
        cost.add_sheet(&sheet);
        assert_eq!(
            cost.total(),
            2 * range + 2 * 2 * std::mem::size_of::<Cell<Data>>() as u64
        );
        assert!(cost.check().is_ok());
        while cost.check().is_ok() {
            cost.add_sheet(&sheet);
        }
        assert!(cost.total() > MAX_PARSE_BYTES && cost.held < MAX_PARSE_BYTES + range);
    }

    /// An encrypted workbook is named as such, before its (encrypted) records are judged.
    #[test]
    fn file_pass_is_encrypted() {
        let mut stream = rec(BOF, &[0, 6, 5, 0]);
        stream.extend(rec(FILE_PASS, &[1, 0, 0, 0]));
        stream.extend(rec(0x0085, &[0xFF; 3])); // garbage past it
        assert_eq!(Globals::read(&stream).err(), Some(Refusal::Encrypted));
    }
}
