//! A minimal, read-only view of an OLE compound file (the container of `.xls` and of encrypted
//! OOXML packages): its directory entries and where each stream's bytes lie in the file.
//!
//! calamine reads the container itself, but keeps that code private. The reader needs two things
//! before handing the bytes over: the stream names (an encrypted package has `EncryptionInfo`),
//! and the `Workbook` stream's byte positions, so that cell records far outside the bounds can be
//! neutralised in a copy of the file (see `biff`). Every offset is checked; chains are walked at
//! most once per sector, so damaged or hostile files give `None`, never a panic or a loop.

const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const MAX_REGULAR: u32 = 0xFFFF_FFFA;

struct Entry {
    name: String,
    kind: u8,
    start: u32,
    size: u64,
}

pub(super) struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    mini_sector_size: usize,
    cutoff: u64,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    entries: Vec<Entry>,
}

pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

impl<'a> Cfb<'a> {
    pub(super) fn parse(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        if bytes.len() < 512 {
            return None;
        }
        let sector_shift = u16_at(bytes, 0x1E)?;
        let mini_shift = u16_at(bytes, 0x20)?;
        if !(sector_shift == 9 || sector_shift == 12) || mini_shift != 6 {
            return None;
        }
        let sector_size = 1usize << sector_shift;
        let mut cfb = Cfb {
            bytes,
            sector_size,
            mini_sector_size: 1 << mini_shift,
            cutoff: u64::from(u32_at(bytes, 0x38)?),
            fat: Vec::new(),
            mini_fat: Vec::new(),
            entries: Vec::new(),
        };
        let sector_count = bytes.len() / sector_size;

        // The FAT sectors are listed by the DIFAT: 109 entries in the header, then a chain.
        let mut fat_sectors = Vec::new();
        for i in 0..109 {
            let s = u32_at(bytes, 0x4C + 4 * i)?;
            if s <= MAX_REGULAR {
                fat_sectors.push(s);
            }
        }
        let mut difat = u32_at(bytes, 0x44)?;
        let per_sector = sector_size / 4;
        let mut guard = 0;
        while difat <= MAX_REGULAR && guard <= sector_count {
            guard += 1;
            let sector = cfb.sector(difat)?;
            for i in 0..per_sector - 1 {
                let s = u32_at(sector, 4 * i)?;
                if s <= MAX_REGULAR {
                    fat_sectors.push(s);
                }
            }
            // More FAT sectors than the file has sectors: stop before collecting the rest.
            if fat_sectors.len() > sector_count {
                return None;
            }
            difat = u32_at(sector, 4 * (per_sector - 1))?;
        }
        if fat_sectors.len() > sector_count {
            return None;
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * per_sector);
        for s in fat_sectors {
            let sector = cfb.sector(s)?;
            fat.extend((0..per_sector).filter_map(|i| u32_at(sector, 4 * i)));
        }
        cfb.fat = fat;

        let dir = cfb.read_chain(u32_at(bytes, 0x30)?)?;
        cfb.entries = dir
            .chunks_exact(128)
            .filter_map(|e| {
                let name_len = usize::from(u16_at(e, 64)?).min(64);
                let units: Vec<u16> = (0..name_len / 2)
                    .filter_map(|i| u16_at(e, 2 * i))
                    .take_while(|&u| u != 0)
                    .collect();
                Some(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: *e.get(66)?,
                    start: u32_at(e, 116)?,
                    size: u64_at(e, 120)?,
                })
            })
            .collect();

        let mini_fat_start = u32_at(bytes, 0x3C)?;
        if mini_fat_start <= MAX_REGULAR {
            let raw = cfb.read_chain(mini_fat_start)?;
            cfb.mini_fat = raw.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
        }
        Some(cfb)
    }

    fn sector(&self, index: u32) -> Option<&'a [u8]> {
        let start = (index as usize)
            .checked_add(1)?
            .checked_mul(self.sector_size)?;
        self.bytes.get(start..start.checked_add(self.sector_size)?)
    }

    /// File offsets of the sectors of a FAT chain, in order.
    fn chain(&self, start: u32) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut s = start;
        while s != END_OF_CHAIN {
            if s > MAX_REGULAR || out.len() > self.fat.len() {
                return None;
            }
            self.sector(s)?;
            out.push((s as usize + 1) * self.sector_size);
            s = *self.fat.get(s as usize)?;
            if s == FREE {
                return None;
            }
        }
        Some(out)
    }

    fn read_chain(&self, start: u32) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for off in self.chain(start)? {
            out.extend_from_slice(self.bytes.get(off..off + self.sector_size)?);
        }
        Some(out)
    }

    /// Whether a stream (or storage) of that name exists anywhere in the directory.
    pub(super) fn has_stream(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.kind, 1 | 2) && e.name == name)
    }

    /// The pieces of the file that make up stream `name`, as `(offset, length)` in stream order.
    pub(super) fn stream_pieces(&self, name: &str) -> Option<Vec<(usize, usize)>> {
        let entry = self
            .entries
            .iter()
            .find(|e| e.kind == 2 && e.name == name)?;
        let size = usize::try_from(entry.size.min(self.bytes.len() as u64)).ok()?;
        let mut pieces = Vec::new();
        if entry.size < self.cutoff {
            // Small streams live in the mini stream, itself the root entry's chain.
            let root = self.entries.first()?;
            let root_sectors = self.chain(root.start)?;
            let mut s = entry.start;
            let mut guard = 0;
            while s != END_OF_CHAIN {
                guard += 1;
                if s > MAX_REGULAR || guard > self.mini_fat.len() + 1 {
                    return None;
                }
                let at = s as usize * self.mini_sector_size;
                let sector = root_sectors.get(at / self.sector_size)?;
                pieces.push((sector + at % self.sector_size, self.mini_sector_size));
                s = *self.mini_fat.get(s as usize)?;
            }
        } else {
            pieces = self
                .chain(entry.start)?
                .into_iter()
                .map(|o| (o, self.sector_size))
                .collect();
        }
        // Trim the pieces to the stream's declared size.
        let mut left = size;
        let mut trimmed = Vec::with_capacity(pieces.len());
        for (off, len) in pieces {
            if left == 0 {
                break;
            }
            let len = len.min(left);
            self.bytes.get(off..off + len)?;
            trimmed.push((off, len));
            left -= len;
        }
        Some(trimmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_none() {
        assert!(Cfb::parse(b"").is_none());
        let mut bytes = vec![0xFFu8; 4096];
        bytes[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        assert!(Cfb::parse(&bytes).is_none());
    }

    #[test]
    fn fixtures_have_their_streams() {
        let xls = std::fs::read("tests/fixtures/panyu.xls").expect("fixture");
        let cfb = Cfb::parse(&xls).expect("panyu.xls is a compound file");
        assert!(cfb.has_stream("Workbook"));
        assert!(!cfb.has_stream("EncryptionInfo"));
        let pieces = cfb.stream_pieces("Workbook").expect("workbook stream");
        assert!(pieces.iter().map(|p| p.1).sum::<usize>() > 0);

        let enc = std::fs::read("tests/fixtures/bad/encrypted.xlsx").expect("fixture");
        let cfb = Cfb::parse(&enc).expect("encrypted.xlsx is a compound file");
        assert!(cfb.has_stream("EncryptionInfo") && cfb.has_stream("EncryptedPackage"));
    }
}
