//! A pre-pass over an `.xls` (BIFF) workbook stream, before calamine reads it.
//!
//! calamine parses every `.xls` sheet at once into a dense `Range` over the bounding box of the
//! used cells. One stray value at `IV65536` makes that 65,536 × 256 cells (over 500 MB). This
//! pass walks the records once, in a copy of the file neutralises the cell records outside
//! [`MAX_ROWS`] × [`MAX_COLS`] (calamine skips record types it does not know), and remembers which
//! sheets lost cells. The same walk notes the number cells whose format is a percent, which
//! calamine does not expose for `.xls`.

use std::collections::HashSet;

use super::cfb::{u16_at, Cfb};
use super::number::is_percent_format;
use super::{MAX_COLS, MAX_ROWS};

/// A record type calamine's sheet loop ignores; out-of-bounds cell records become this.
const NEUTRAL: u16 = 0x0000;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MUL_RK: u16 = 0x00BD;
/// Cell records that start with row and column and that calamine turns into values.
const CELLS: [u16; 8] = [NUMBER, 0x0204, 0x00D6, 0x0205, RK, 0x00FD, FORMULA, MUL_RK];

#[derive(Debug, Default)]
pub(super) struct Scan {
    /// The file with out-of-bounds cells neutralised, when there were any.
    pub patched: Option<Vec<u8>>,
    /// `(sheet index in workbook order, row, col)` of number cells with a percent format.
    pub percent: HashSet<(usize, u32, u32)>,
    /// Sheet indexes (workbook order) that had cells beyond the bounds.
    pub truncated: HashSet<usize>,
}

struct Record {
    typ: u16,
    /// Offset of the record header in the stream.
    at: usize,
    data: std::ops::Range<usize>,
}

fn records(stream: &[u8], from: usize) -> impl Iterator<Item = Record> + '_ {
    let mut at = from;
    std::iter::from_fn(move || {
        let header = stream.get(at..at + 4)?;
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = at + 4..at + 4 + len;
        stream.get(data.clone())?;
        let record = Record { typ, at, data };
        at += 4 + len;
        Some(record)
    })
}

/// Walk the workbook stream of `bytes`. Anything unexpected ends the walk quietly: calamine then
/// reads the file as it is and reports the damage itself.
pub(super) fn scan(bytes: &[u8]) -> Scan {
    let mut out = Scan::default();
    let Some(cfb) = Cfb::parse(bytes) else {
        return out;
    };
    let Some(pieces) = cfb
        .stream_pieces("Workbook")
        .or_else(|| cfb.stream_pieces("Book"))
    else {
        return out;
    };
    let mut stream = Vec::new();
    for &(off, len) in &pieces {
        stream.extend_from_slice(&bytes[off..off + len]);
    }

    // Globals: number formats, cell formats (XF), sheet positions.
    let mut biff8 = false;
    let mut percent_formats = HashSet::from([9u16, 10]);
    let mut xf_formats = Vec::new();
    let mut sheets = Vec::new();
    for r in records(&stream, 0) {
        let data = &stream[r.data.clone()];
        match r.typ {
            BOF => biff8 = u16_at(data, 0) == Some(0x0600),
            FORMAT => {
                if let (Some(id), Some(code)) = (u16_at(data, 0), format_code(data, biff8)) {
                    if is_percent_format(&code) {
                        percent_formats.insert(id);
                    } else {
                        percent_formats.remove(&id);
                    }
                }
            }
            XF => xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            BOUND_SHEET => {
                if let Some(pos) = data.get(..4) {
                    sheets.push(u32::from_le_bytes([pos[0], pos[1], pos[2], pos[3]]) as usize);
                }
            }
            EOF => break,
            _ => {}
        }
    }
    let is_percent_xf = |xf: Option<u16>| {
        xf.and_then(|x| xf_formats.get(usize::from(x)))
            .is_some_and(|f| percent_formats.contains(f))
    };

    let mut neutralise = Vec::new();
    for (index, &pos) in sheets.iter().enumerate() {
        let mut depth = 0usize;
        let mut seen_bof = false;
        let mut drop_string = false;
        for r in records(&stream, pos) {
            let data = &stream[r.data.clone()];
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
                DIMENSIONS => {
                    // calamine reserves the declared size up front; a declared size past the
                    // bounds only ever comes with far cells, which are dropped below.
                    let (last_row, last_col) = if data.len() >= 14 {
                        (
                            u32::from_le_bytes([data[4], data[5], data[6], data[7]]),
                            u32::from(u16_at(data, 10).unwrap_or(0)),
                        )
                    } else {
                        (
                            u32::from(u16_at(data, 2).unwrap_or(0)),
                            u32::from(u16_at(data, 6).unwrap_or(0)),
                        )
                    };
                    if last_row > MAX_ROWS || last_col > MAX_COLS {
                        neutralise.push(r.at);
                    }
                }
                STRING if drop_string => {
                    neutralise.push(r.at);
                    drop_string = false;
                }
                t if CELLS.contains(&t) => {
                    let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) else {
                        continue;
                    };
                    let (row, col) = (u32::from(row), u32::from(col));
                    drop_string = false;
                    if row >= MAX_ROWS || col >= MAX_COLS {
                        out.truncated.insert(index);
                        neutralise.push(r.at);
                        drop_string = t == FORMULA;
                        continue;
                    }
                    match t {
                        NUMBER | RK | FORMULA if is_percent_xf(u16_at(data, 4)) => {
                            out.percent.insert((index, row, col));
                        }
                        MUL_RK => {
                            // row, first column, then (xf, rk) pairs of 6 bytes, last column.
                            let pairs = data.len().saturating_sub(6) / 6;
                            for k in 0..pairs {
                                if is_percent_xf(u16_at(data, 4 + 6 * k)) {
                                    out.percent.insert((index, row, col + k as u32));
                                }
                            }
                            if col + pairs as u32 > MAX_COLS {
                                out.truncated.insert(index);
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    if !neutralise.is_empty() {
        let mut patched = bytes.to_vec();
        for at in neutralise {
            for (i, b) in NEUTRAL.to_le_bytes().into_iter().enumerate() {
                if let Some(file_offset) = stream_to_file(&pieces, at + i) {
                    patched[file_offset] = b;
                }
            }
        }
        out.patched = Some(patched);
    }
    out
}

/// The file offset of a byte of the stream.
fn stream_to_file(pieces: &[(usize, usize)], mut at: usize) -> Option<usize> {
    for &(off, len) in pieces {
        if at < len {
            return Some(off + at);
        }
        at -= len;
    }
    None
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
