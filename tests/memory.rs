//! Reading hostile inputs stays within a memory bound, measured in-process.
//!
//! A test binary of its own because it installs a counting global allocator: it records the
//! peak of live heap bytes during each read, and refuses (so the process aborts, failing the
//! test at once) any allocation that would take the live heap past [`HARD_CAP`], so that a
//! regression can never eat the machine running the tests.
//!
//! The full sweep (thousands of mutants, run through the binary under `prlimit`) is
//! tests/fixtures/make/mutate.py; see tests/fixtures/regress/README.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use jixiao::read::{read_bytes, Input};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// No test here may hold more than this at once; past it an allocation fails.
const HARD_CAP: usize = 1 << 30;

impl Counting {
    fn grow(size: usize) -> bool {
        let now = LIVE.fetch_add(size, Ordering::SeqCst) + size;
        if now > HARD_CAP {
            LIVE.fetch_sub(size, Ordering::SeqCst);
            return false;
        }
        PEAK.fetch_max(now, Ordering::SeqCst);
        true
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Counting::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = System.alloc(layout);
        if p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Counting::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = System.alloc_zeroed(layout);
        if p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && !Counting::grow(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            if new_size > layout.size() {
                LIVE.fetch_sub(new_size - layout.size(), Ordering::SeqCst);
            }
        } else if new_size < layout.size() {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests of this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Read `bytes` and return the peak heap growth during the read, in bytes, and whether it read.
fn measure(name: &str, bytes: &[u8]) -> (usize, bool) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let read = matches!(read_bytes(name, bytes), Ok(Input::Workbook(_)));
    (PEAK.load(Ordering::SeqCst) - base, read)
}

/// A deterministic generator (xorshift32): the same mutants on every run.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const INTERESTING: [u32; 16] = [
    0,
    1,
    2,
    3,
    0x7F,
    0xFF,
    0x100,
    0x7FFF,
    0xFFFF,
    0x1_0000,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFA,
    0xFFFF_FFFC,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
];

// panyu.xls as LibreOffice wrote it: 512-byte sectors; the Workbook stream is sectors 0..=15
// (file bytes 512..8704, in order), the FAT is sector 16, the directory sector 17.
const STREAM: std::ops::Range<usize> = 512..8704;
const FAT: usize = 17 * 512;
const DIRECTORY: usize = 18 * 512;

/// The stream offset and type of each of panyu.xls's BIFF records.
fn records(xls: &[u8]) -> Vec<(usize, u16)> {
    let stream = &xls[STREAM];
    let mut at = 0;
    let mut out = Vec::new();
    while at + 4 <= stream.len() {
        out.push((at, u16::from_le_bytes([stream[at], stream[at + 1]])));
        at += 4 + usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
    }
    out
}

/// Offsets in a record's data of the fields calamine sizes things by, per record type:
/// DIMENSIONS rows and columns, cell rows and columns, string lengths, shared string counts and
/// lengths, sheet positions, merge counts.
fn sized_fields(typ: u16) -> &'static [usize] {
    match typ {
        0x0200 => &[0, 4, 8, 10],
        0x0203 | 0x027E | 0x00BD | 0x0205 => &[0, 2],
        0x0204 | 0x00FD => &[0, 2, 6],
        0x0006 => &[0, 2, 20],
        0x00FC => &[0, 4, 8, 10],
        0x0085 => &[0, 2],
        0x00E5 => &[0, 2, 4],
        0x0207 => &[0],
        _ => &[],
    }
}

fn put(bytes: &mut [u8], at: usize, value: u32, width: usize) {
    for (i, b) in value.to_le_bytes().into_iter().take(width).enumerate() {
        if let Some(slot) = bytes.get_mut(at + i) {
            *slot = b;
        }
    }
}

/// One damaged copy of panyu.xls: flipped bits, header fields, another sector made the FAT,
/// FAT entries (chains that loop or leave the file), directory fields (start, size, name), BIFF
/// record lengths and the fields calamine sizes things by, cuts.
fn mutant(src: &[u8], records: &[(usize, u16)], rng: &mut Rng) -> Vec<u8> {
    let mut m = src.to_vec();
    let value = |rng: &mut Rng| {
        if rng.below(2) == 0 {
            rng.pick(&INTERESTING)
        } else {
            rng.below(40) as u32
        }
    };
    match rng.below(8) {
        0 => {
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(m.len());
                m[at] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let fields = [0x1A, 0x1E, 0x20, 0x2C, 0x30, 0x38, 0x3C, 0x40, 0x44, 0x48];
            let at = rng.pick(&fields);
            let v = value(rng);
            put(&mut m, at, v, 4);
        }
        2 => {
            let v = rng.below(20) as u32;
            put(&mut m, 0x4C, v, 4);
        }
        3 => {
            let at = FAT + 4 * rng.below(20);
            let v = value(rng);
            put(&mut m, at, v, 4);
        }
        4 => {
            let at = DIRECTORY + 128 * rng.below(2) + rng.pick(&[0, 64, 66, 116, 120, 124]);
            let v = value(rng);
            put(&mut m, at, v, 4);
        }
        5 => {
            let (at, _) = rng.pick(records);
            let v = rng.pick(&INTERESTING);
            put(&mut m, STREAM.start + at + 2, v, 2);
        }
        6 => {
            let sized: Vec<_> = records
                .iter()
                .filter(|r| !sized_fields(r.1).is_empty())
                .collect();
            for _ in 0..1 + rng.below(3) {
                let &(at, typ) = sized[rng.below(sized.len())];
                let field = rng.pick(sized_fields(typ));
                let v = value(rng);
                put(&mut m, STREAM.start + at + 4 + field, v, rng.pick(&[2, 4]));
            }
        }
        _ => m.truncate(512 + rng.below(m.len() - 512)),
    }
    m
}

/// Issue 10: a few hundred damaged copies of a real `.xls` each read or give an error, never a
/// panic, and never take more than 64 MB of heap (the form itself needs under 2 MB). Before the
/// `biff` and `cfb` checks, mutants like these made calamine request 1 TB, or grow a looping
/// chain until the hard cap, aborting the process.
#[test]
fn damaged_xls_mutants_stay_bounded() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let src = std::fs::read("tests/fixtures/panyu.xls").expect("fixture");
    assert_eq!(u32::from_le_bytes(src[0x4C..0x50].try_into().unwrap()), 16);
    assert_eq!(u32::from_le_bytes(src[0x30..0x34].try_into().unwrap()), 17);
    let records = records(&src);
    assert!(records.len() > 100 && records.iter().any(|r| r.1 == 0x0200));
    let (clean, read) = measure("panyu.xls", &src);
    assert!(read && clean < 2 << 20, "the form itself: {clean} bytes");

    let mut rng = Rng(0x9E37_79B9);
    let (mut read, mut refused, mut largest) = (0, 0, 0);
    for i in 0..400 {
        let m = mutant(&src, &records, &mut rng);
        let (peak, ok) = measure(&format!("mutant-{i}.xls"), &m);
        assert!(peak < 64 << 20, "mutant {i}: {peak} bytes");
        largest = largest.max(peak);
        if ok {
            read += 1;
        } else {
            refused += 1;
        }
    }
    // The sweep exercises both outcomes, so neither path goes untested.
    assert!(read > 50 && refused > 50, "{read} read, {refused} refused");
    println!("400 mutants: {read} read, {refused} refused; largest peak {largest} bytes");
}

/// The hostile `.xls` regression files, each refused within a small bound.
#[test]
fn hostile_xls_files_stay_bounded() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::path::Path::new("tests/fixtures/regress");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("regress folder").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "xls") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("fixture");
        let (peak, _) = measure(&path.display().to_string(), &bytes);
        assert!(peak < 16 << 20, "{}: {peak} bytes", path.display());
        seen += 1;
    }
    assert!(seen >= 9, "{seen} regression files");
}

/// Issue 10: the hostile `.xlsx`, `.xlsb` and `.ods` regression files (a 1 MB shared string, a
/// 1 MB cell, a 256 MB record length, 3,000,000 shared strings, a 1 MB tag) are each read or
/// refused within 16 MB of heap; the one whose 20,000 cells copy a 32,767-character string holds
/// the workbook's text budget (64 MB) and no more. tests/fixtures/regress/README.md has the
/// full-size files' peak memory, measured on the binary.
#[test]
fn hostile_packages_stay_bounded() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut seen = 0;
    for entry in std::fs::read_dir("tests/fixtures/regress")
        .expect("regress folder")
        .flatten()
    {
        let path = entry.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if !name.starts_with("ooxml-") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("fixture");
        let (peak, _) = measure(&name, &bytes);
        let bound = if name.contains("copies") {
            jixiao::read::MAX_TEXT_BYTES + (16 << 20)
        } else {
            16 << 20
        };
        assert!(peak < bound, "{name}: {peak} bytes");
        println!("{name}: peak {} KB", peak >> 10);
        seen += 1;
    }
    assert_eq!(seen, 7);
}
