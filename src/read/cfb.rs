//! A read-only, validating view of an OLE compound file (the container of `.xls` and of encrypted
//! OOXML packages): its directory entries and where each stream's bytes lie in the file.
//!
//! calamine reads the container itself and trusts it: a sector chain that loops makes it grow a
//! buffer until the machine runs out of memory, and a stream's declared size is what it reads up
//! to. So before calamine sees an `.xls`, this walks exactly the structures calamine will walk
//! (its `cfb.rs`, version 0.38: the DIFAT, the FAT, the directory chain, the mini stream and
//! mini FAT, and the stream it asks for by name) and refuses the file, with the reason, when any
//! of them could make calamine loop, read past the file or allocate beyond the file's size:
//! every chain is walked once with a visited set, so its length is at most the number of sectors
//! in the file, and every sector id is checked against the file's length.

use std::fmt;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here up are markers, not sectors (calamine's `RESERVED_SECTORS`).
const RESERVED: u32 = 0xFFFF_FFFA;
/// DIFAT entries from here up are not FAT sectors (calamine's `DIFSECT`).
const DIF_SECTOR: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream. calamine uses this constant, not the
/// header's cutoff field, so this view does too.
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

/// Why a compound file cannot be handed to the reader: a sentence in English for the technical
/// part of the damaged-file message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Damage(pub String);

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn damage<T>(what: impl Into<String>) -> Result<T, Damage> {
    Err(Damage(what.into()))
}

struct Entry {
    name: String,
    start: u32,
    size: u64,
}

pub(super) struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    /// The largest sector id calamine accepts (`file length / sector size`).
    max_id: u32,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    entries: Vec<Entry>,
    /// The mini stream's pieces in the file, when the header declares a mini FAT.
    mini_stream: Vec<(usize, usize)>,
}

pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

impl<'a> Cfb<'a> {
    /// Read and check the header, DIFAT, FAT, directory and mini FAT as calamine will.
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Cfb<'a>, Damage> {
        if bytes.len() < 512 {
            return damage("the compound file header is incomplete");
        }
        let field = |at| u32_at(bytes, at).unwrap_or(0);
        let sector_size = match u16_at(bytes, 0x1E) {
            Some(9) => 512,
            Some(12) if bytes.len() >= 4096 => 4096,
            _ => return damage("the compound file header has no valid sector size"),
        };
        if u16_at(bytes, 0x20) != Some(6) {
            return damage("the compound file header has no valid mini sector size");
        }
        let max_id = u32::try_from(bytes.len() / sector_size).unwrap_or(u32::MAX);
        let mut cfb = Cfb {
            bytes,
            sector_size,
            max_id,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            entries: Vec::new(),
            mini_stream: Vec::new(),
        };
        let sectors = max_id as usize + 1;
        let in_file = (bytes.len() - sector_size).div_ceil(sector_size);

        // The FAT sectors are listed by the DIFAT: 109 entries in the header, then a chain of
        // DIFAT sectors whose last entry names the next one.
        let mut difat: Vec<u32> = u32s(&bytes[0x4C..512]).collect();
        let mut next = field(0x44);
        let mut seen = vec![false; sectors];
        while next < RESERVED {
            let sector = cfb.sector(next, "DIFAT")?;
            if std::mem::replace(&mut seen[next as usize], true) {
                return damage(format!("the DIFAT sector chain loops at sector {next}"));
            }
            difat.extend(u32s(sector));
            next = difat.pop().unwrap_or(END_OF_CHAIN);
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&s| s < DIF_SECTOR).collect();
        // More FAT sectors than the file has sectors: the FAT would outgrow the file.
        if fat_sectors.len() > in_file {
            return damage(format!(
                "the DIFAT lists {} FAT sectors in a file of {in_file} sectors",
                fat_sectors.len()
            ));
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for s in fat_sectors {
            fat.extend(u32s(cfb.sector(s, "FAT")?));
        }
        cfb.fat = fat;

        let dir = cfb.chain(field(0x30), u64::MAX, "directory")?;
        let mut entries = Vec::new();
        for &(off, len) in &dir {
            for e in bytes[off..off + len].chunks_exact(128) {
                entries.push(Entry::read(e, sector_size));
            }
        }
        let version = u16_at(bytes, 0x1A).unwrap_or(0);
        match entries.first() {
            None => return damage("the compound file directory is empty"),
            Some(root) if version != 3 && root.start == END_OF_CHAIN => {
                return damage("the compound file has no root storage")
            }
            _ => {}
        }
        cfb.entries = entries;

        // calamine loads the mini stream and the mini FAT only when the header counts mini FAT
        // sectors.
        let mini_fat_sectors = u64::from(field(0x40));
        if mini_fat_sectors > 0 {
            let root = &cfb.entries[0];
            cfb.mini_stream = cfb.chain(root.start, root.size, "mini stream")?;
            let len = mini_fat_sectors.saturating_mul(sector_size as u64);
            let mini_fat = cfb.chain(field(0x3C), len, "mini FAT")?;
            cfb.mini_fat = mini_fat
                .iter()
                .flat_map(|&(off, len)| u32s(&bytes[off..off + len]))
                .collect();
        }
        Ok(cfb)
    }

    /// The bytes of a sector; at the end of the file, the part that is there (calamine reads
    /// it so). A sector id beyond the file is damage.
    fn sector(&self, id: u32, what: &str) -> Result<&'a [u8], Damage> {
        let start = self.sector_offset(id, what)?;
        let end = (start + self.sector_size).min(self.bytes.len());
        Ok(&self.bytes[start..end])
    }

    /// Where a sector starts in the file, or the file's end for the last partial sector.
    fn sector_offset(&self, id: u32, what: &str) -> Result<usize, Damage> {
        if id > self.max_id {
            return damage(format!(
                "the {what} names sector {id}, past the end of the file"
            ));
        }
        Ok(((id as usize + 1) * self.sector_size).min(self.bytes.len()))
    }

    /// The file pieces of a FAT chain, up to `len` bytes, as `(offset, length)`. A chain that
    /// comes back to a sector it has passed, or names a sector the FAT does not cover, is damage:
    /// calamine would loop, or panic.
    fn chain(&self, start: u32, len: u64, what: &str) -> Result<Vec<(usize, usize)>, Damage> {
        let mut pieces = Vec::new();
        let mut seen = vec![false; self.max_id as usize + 1];
        let mut total = 0u64;
        let mut id = start;
        while id != END_OF_CHAIN {
            let sector = self.sector(id, what)?;
            let take = (sector.len() as u64).min(len - total) as usize;
            pieces.push((self.sector_offset(id, what)?, take));
            total += take as u64;
            if total >= len {
                break;
            }
            if std::mem::replace(&mut seen[id as usize], true) {
                return damage(format!("the {what} sector chain loops at sector {id}"));
            }
            id = match self.fat.get(id as usize) {
                Some(&next) => next,
                None => return damage(format!("the {what} chain leaves the FAT at sector {id}")),
            };
        }
        Ok(pieces)
    }

    /// Whether an entry of that name exists in the directory (any kind), compared as calamine
    /// compares names: ASCII case-insensitive.
    pub(super) fn has_stream(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
    }

    /// The pieces of the file that make up stream `name` as calamine reads it, as `(offset,
    /// length)` in stream order. `Ok(None)` when there is no such entry.
    pub(super) fn stream_pieces(&self, name: &str) -> Result<Option<Vec<(usize, usize)>>, Damage> {
        let Some(entry) = self.entry(name) else {
            return Ok(None);
        };
        if entry.size >= MINI_CUTOFF {
            return self.chain(entry.start, entry.size, name).map(Some);
        }
        // A small stream: a chain of 64-byte sectors of the mini stream, through the mini FAT.
        let mut pieces = Vec::new();
        let mut seen = vec![false; self.mini_fat.len()];
        let mut total = 0u64;
        let mut id = entry.start;
        while id != END_OF_CHAIN {
            let at = id as usize * MINI_SECTOR;
            let Some(file_at) = offset_in(&self.mini_stream, at, MINI_SECTOR) else {
                return damage(format!(
                    "the {name} stream names mini sector {id}, outside the mini stream"
                ));
            };
            let take = (MINI_SECTOR as u64).min(entry.size - total) as usize;
            pieces.push((file_at, take));
            total += take as u64;
            if total >= entry.size {
                break;
            }
            match seen.get_mut(id as usize) {
                Some(s) if !*s => *s = true,
                Some(_) => return damage(format!("the {name} mini sector chain loops")),
                None => return damage(format!("the {name} chain leaves the mini FAT")),
            }
            id = self.mini_fat[id as usize];
        }
        Ok(Some(pieces))
    }
}

/// The file offset of `len` bytes at `at` of a stream made of `pieces`, when they lie in one
/// piece (a mini sector never straddles two sectors of the mini stream).
fn offset_in(pieces: &[(usize, usize)], mut at: usize, len: usize) -> Option<usize> {
    for &(off, piece) in pieces {
        if at < piece {
            return (at + len <= piece).then_some(off + at);
        }
        at -= piece;
    }
    None
}

impl Entry {
    /// A 128-byte directory entry, read as calamine reads it: the name is the 64 name bytes
    /// decoded as UTF-16 up to the first NUL (the name length field is not used), the size is
    /// 32 bits in files of 512-byte sectors and 64 bits in files of 4096-byte sectors.
    fn read(e: &[u8], sector_size: usize) -> Entry {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        let size = if sector_size == 512 {
            u32_at(e, 120).map(u64::from)
        } else {
            u64_at(e, 120)
        };
        Entry {
            name: String::from_utf16_lossy(&units),
            start: u32_at(e, 116).unwrap_or(END_OF_CHAIN),
            size: size.unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panyu() -> Vec<u8> {
        std::fs::read("tests/fixtures/panyu.xls").expect("fixture")
    }

    #[test]
    fn garbage_is_damage() {
        assert!(Cfb::parse(b"").is_err());
        let mut bytes = vec![0xFFu8; 4096];
        bytes[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        assert_eq!(
            Cfb::parse(&bytes).err(),
            Some(Damage(
                "the compound file header has no valid sector size".into()
            ))
        );
    }

    #[test]
    fn fixtures_have_their_streams() {
        let xls = panyu();
        let cfb = Cfb::parse(&xls).expect("panyu.xls is a compound file");
        assert!(cfb.has_stream("Workbook") && cfb.has_stream("WORKBOOK"));
        assert!(!cfb.has_stream("EncryptionInfo"));
        let pieces = cfb
            .stream_pieces("Workbook")
            .expect("readable")
            .expect("workbook stream");
        assert_eq!(pieces.iter().map(|p| p.1).sum::<usize>(), 8192);
        assert_eq!(cfb.stream_pieces("Book"), Ok(None));

        let enc = std::fs::read("tests/fixtures/bad/encrypted.xlsx").expect("fixture");
        let cfb = Cfb::parse(&enc).expect("encrypted.xlsx is a compound file");
        assert!(cfb.has_stream("EncryptionInfo") && cfb.has_stream("EncryptedPackage"));
        // Its small streams come from the mini stream, in 64-byte pieces.
        let info = cfb
            .stream_pieces("EncryptionInfo")
            .expect("readable")
            .expect("stream");
        assert!(info.iter().all(|p| p.1 <= MINI_SECTOR));
    }

    /// panyu.xls with the FAT entry of `sector` set to `next` (one FAT sector, sector 16; the
    /// Workbook stream is sectors 0..=15, the directory sector 17).
    fn with_fat_entry(sector: u32, next: u32) -> Vec<u8> {
        let mut xls = panyu();
        let at = 17 * 512 + 4 * sector as usize;
        xls[at..at + 4].copy_from_slice(&next.to_le_bytes());
        xls
    }

    /// The Workbook directory entry (the second of sector 17) declaring `size` bytes.
    fn with_workbook_size(mut xls: Vec<u8>, size: u32) -> Vec<u8> {
        let at = 18 * 512 + 128 + 120;
        xls[at..at + 4].copy_from_slice(&size.to_le_bytes());
        xls
    }

    /// Regression (issue 10): a FAT chain that loops made calamine grow the stream up to its
    /// declared size (4 GB here), or without bound for the directory (9 GB in 5 s).
    #[test]
    fn a_looping_chain_is_damage() {
        let xls = with_workbook_size(with_fat_entry(15, 3), 0xFFFF_FFF0);
        let cfb = Cfb::parse(&xls).expect("header, FAT and directory are intact");
        assert_eq!(
            cfb.stream_pieces("Workbook"),
            Err(Damage("the Workbook sector chain loops at sector 3".into()))
        );
        // Within its declared size the same chain is only read up to that size, as calamine
        // reads it: no loop is walked.
        let xls = with_fat_entry(15, 3);
        let cfb = Cfb::parse(&xls).expect("intact");
        let pieces = cfb.stream_pieces("Workbook").expect("readable");
        assert_eq!(pieces.map(|p| p.len()), Some(16));
        let xls = with_fat_entry(17, 17);
        assert_eq!(
            Cfb::parse(&xls).err(),
            Some(Damage(
                "the directory sector chain loops at sector 17".into()
            ))
        );
    }

    #[test]
    fn a_chain_past_the_file_is_damage() {
        let xls = with_fat_entry(14, 5000);
        let cfb = Cfb::parse(&xls).expect("intact up to the stream");
        assert_eq!(
            cfb.stream_pieces("Workbook"),
            Err(Damage(
                "the Workbook names sector 5000, past the end of the file".into()
            ))
        );
        // A chain that ends early gives a shorter stream, as in calamine, whatever the size
        // says: nothing is read or reserved by the declared size.
        let xls = with_workbook_size(with_fat_entry(3, END_OF_CHAIN), 0xFFFF_FFF0);
        let cfb = Cfb::parse(&xls).expect("intact");
        let pieces = cfb.stream_pieces("Workbook").expect("readable");
        assert_eq!(pieces.map(|p| p.len()), Some(4));
    }

    /// Regression (issue 10): 4 bytes changed at 0x4C make another sector the FAT, whose
    /// "entries" send chains anywhere; and a DIFAT listing more FAT sectors than the file has.
    #[test]
    fn a_false_fat_is_damage() {
        let mut xls = panyu();
        xls[0x4C..0x50].copy_from_slice(&3u32.to_le_bytes());
        assert_eq!(
            Cfb::parse(&xls).err(),
            Some(Damage(
                "the directory names sector 1309512143, past the end of the file".into()
            ))
        );
        let mut xls = panyu();
        for i in 0..109 {
            xls[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&16u32.to_le_bytes());
        }
        assert_eq!(
            Cfb::parse(&xls).err(),
            Some(Damage(
                "the DIFAT lists 109 FAT sectors in a file of 18 sectors".into()
            ))
        );
    }
}
