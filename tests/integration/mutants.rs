//! The mutation test of issue 10: a few hundred deterministic mutants of the fixtures (bytes
//! flipped, files cut short, zip entries swapped, inflated or emptied) go through the pipeline
//! in worker processes, which bound each file's memory and time. Every mutant must give a
//! clean result: forms, or a read error, or "not a form". And `merge` over a folder of mutants
//! and the good forms still writes its workbook, with every good form in it.
//!
//! The mutants are made here, from a seeded PRNG (the generator's SplitMix64), so that the
//! same files are tried on every machine; `mutants()` is shared with the address-space test
//! (`robust.rs`).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use jixiao::pipeline::{Config, Failure};
use jixiao::worker::{Limits, Pool};

use crate::common::run;
use crate::forms::Rng;

/// One mutant: a name that says how it was made, and its bytes.
pub struct Mutant {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The good fixtures mutated, by format: every file with an expected record beside it.
fn originals() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = crate::common::good_fixtures()
        .into_iter()
        .map(|(path, _)| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn extension(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or("")
}

/// `per_file` mutants of each good fixture, and of `.xls` fixtures `xls_extra` more (the
/// format whose parser trusts the file most).
pub fn mutants(seed: u64, per_file: usize, xls_extra: usize) -> Vec<Mutant> {
    let mut out = Vec::new();
    for (k, (name, bytes)) in originals().into_iter().enumerate() {
        let ext = extension(&name).to_string();
        let stem = name.trim_end_matches(&format!(".{ext}")).to_string();
        let n = per_file + if ext == "xls" { xls_extra } else { 0 };
        let mut rng = Rng::new(seed, k as u64);
        for i in 0..n {
            let (how, mutated) = mutate(&bytes, &mut rng, &ext);
            out.push(Mutant {
                name: format!("{stem}-{i:03}-{how}.{ext}"),
                bytes: mutated,
            });
        }
    }
    out
}

/// One mutation of `bytes`, chosen by `rng`: its name and the result.
fn mutate(bytes: &[u8], rng: &mut Rng, ext: &str) -> (&'static str, Vec<u8>) {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let choice = pick(rng, if zip { 7 } else { 4 });
    match choice {
        0 => ("flip1", flip(bytes, rng, 1)),
        1 => ("flip8", flip(bytes, rng, 8)),
        2 => ("cut", cut(bytes, rng)),
        3 if ext == "xls" => ("ole", ole_header(bytes, rng)),
        3 => ("flip64", flip(bytes, rng, 64)),
        4 => ("swap", rezip(bytes, rng, Entries::Swap)),
        5 => ("inflate", rezip(bytes, rng, Entries::Inflate)),
        _ => ("empty", rezip(bytes, rng, Entries::Empty)),
    }
}

/// Uniform in `0..n`.
fn pick(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

/// `n` bytes set to random values at random places.
fn flip(bytes: &[u8], rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..n {
        let at = pick(rng, out.len());
        out[at] = rng.next() as u8;
    }
    out
}

/// Cut short at a random length.
fn cut(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    bytes[..pick(rng, bytes.len())].to_vec()
}

/// An OLE (.xls) file with its header's structure fields changed, where calamine and cfb read
/// sizes and sector numbers: the sector shift, the FAT, directory and mini-FAT starts and
/// counts, the first DIFAT entries (0x4C: the looping FAT chain). Values near the
/// real ones, small sector numbers and the extremes.
fn ole_header(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    const FIELDS: &[usize] = &[
        0x1E, 0x2C, 0x30, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x4C, 0x50, 0x54,
    ];
    let mut out = bytes.to_vec();
    let at = FIELDS[pick(rng, FIELDS.len())];
    let width = if at == 0x1E { 2 } else { 4 };
    let value: u32 = match pick(rng, 4) {
        0 => pick(rng, 4) as u32,
        1 => u32::MAX - pick(rng, 8) as u32,
        2 => rng.next() as u32,
        _ => {
            let old = u32::from_le_bytes(out[at..at + 4].try_into().unwrap());
            old.wrapping_add(pick(rng, 5) as u32).wrapping_sub(2)
        }
    };
    out[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
    out
}

#[derive(Clone, Copy)]
enum Entries {
    /// Two entries' contents exchanged (names kept).
    Swap,
    /// One entry's content made large and repetitive: many rows beyond the reading bounds, a
    /// long text, a cell repeated a million times.
    Inflate,
    /// One entry emptied.
    Empty,
}

/// The zip rebuilt with its entries changed.
fn rezip(bytes: &[u8], rng: &mut Rng, how: Entries) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect();
    let files: Vec<usize> = (0..entries.len())
        .filter(|&i| !entries[i].0.ends_with('/'))
        .collect();
    let a = files[pick(rng, files.len())];
    match how {
        Entries::Swap => {
            let b = files[pick(rng, files.len())];
            let da = std::mem::take(&mut entries[a].1);
            let db = std::mem::replace(&mut entries[b].1, da);
            entries[a].1 = db;
        }
        Entries::Empty => entries[a].1.clear(),
        Entries::Inflate => {
            // The part that holds the cells, most of the time.
            let main = entries
                .iter()
                .position(|(n, _)| n.contains("sheet1") || n == "content.xml")
                .unwrap_or(a);
            let target = if pick(rng, 4) == 0 { a } else { main };
            entries[target].1 = inflate(&entries[target].1, rng);
        }
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        if name.ends_with('/') {
            w.add_directory(name, opts).unwrap();
        } else {
            w.start_file(name, opts).unwrap();
            w.write_all(&data).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// XML made large: before its last closing tag, many rows far below the bounds, or one text of
/// millions of characters, or a cell repeated a million times (ODS).
fn inflate(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let cut = text.rfind("</").unwrap_or(text.len());
    let filler = match pick(rng, 3) {
        0 => (0..60_000)
            .map(|r| format!("<row r=\"{}\"><c r=\"A{}\" t=\"inlineStr\"><is><t>x</t></is></c></row>", r + 6000, r + 6000))
            .collect::<String>(),
        1 => format!("<t>{}</t>", "很".repeat(3_000_000)),
        _ => "<table:table-row><table:table-cell table:number-columns-repeated=\"1000000\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>".repeat(50),
    };
    format!("{}{}{}", &text[..cut], filler, &text[cut..]).into_bytes()
}

/// The pool the tests read mutants with: the jixiao binary as its workers, the commands'
/// memory limit, and a time limit far above what any mutant needs (they take milliseconds)
/// and below a stuck parser's for ever.
pub fn pool() -> Pool {
    Pool::start_program(
        PathBuf::from(env!("CARGO_BIN_EXE_jixiao")),
        Limits {
            time: Duration::from_secs(60),
            ..Limits::with_workers(2)
        },
    )
    .unwrap()
}

/// Every mutant gives a clean outcome within the pool's bounds (1 GiB, 60 s): forms, or why
/// it holds none. A mutant that panics (`Internal`) or goes over a bound (`Limit`: the pool
/// contained it, but the first wall let it through) fails the test with its name, to become a
/// regression file.
#[test]
fn mutants_give_forms_or_a_clean_error() {
    let mutants = mutants(2024, 30, 60);
    assert!(mutants.len() >= 300, "{}", mutants.len());
    let pool = pool();
    let session = pool.session(&Config::default());
    let mut read = 0;
    let mut unclean = Vec::new();
    for m in &mutants {
        match session.process(&m.name, &m.bytes) {
            Ok(forms) => read += forms.len(),
            Err(Failure::Read(_) | Failure::NotAForm(_)) => {}
            Err(f) => unclean.push(format!("{}: {f:?}", m.name)),
        }
    }
    assert!(unclean.is_empty(), "{unclean:#?}");
    // Many mutants still read: the test reaches past the readers' first checks.
    assert!(
        read > mutants.len() / 4,
        "{read} forms from {}",
        mutants.len()
    );
}

/// `merge` over a folder of mutants beside the good forms writes its workbook, with a row for
/// every department form of every good file (its department; project forms have their own
/// sheet) and for every mutant; the run says which could not be read and exits 1.
#[test]
fn merge_over_mutants_keeps_every_good_form() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = originals();
    for (name, bytes) in &good {
        std::fs::write(d.join(format!("good-{name}")), bytes).unwrap();
    }
    // The departments of each good file's department forms, in form order.
    let departments: Vec<(String, Vec<String>)> = crate::common::good_fixtures()
        .into_iter()
        .map(|(path, expected)| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let departments = crate::common::records_read(&expected)
                .iter()
                .filter(|r| r["kind"] == "department")
                .map(|r| r["department"].as_str().unwrap().trim().to_string())
                .collect();
            (name, departments)
        })
        .collect();
    let mutants = mutants(7, 6, 12);
    for m in &mutants {
        std::fs::write(d.join(&m.name), &m.bytes).unwrap();
    }
    let out = run(&["merge", ".", "-o", "汇总.xlsx", "--quiet"], d, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rows = summary_rows(&d.join("汇总.xlsx"));
    for (name, _) in &good {
        let file = format!("good-{name}");
        let of_file: Vec<&[String; 3]> = rows.iter().filter(|r| r[0] == file).collect();
        for row in &of_file {
            assert_ne!(row[2], "无法读取", "{file}: {row:?}");
        }
        let want = &departments.iter().find(|(n, _)| n == name).unwrap().1;
        let got: Vec<&str> = of_file.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(&got, want, "{file}\n{stderr}");
        assert!(!stderr.contains(&file), "{file}: {stderr}");
    }
    let projects = project_files(&d.join("汇总.xlsx"));
    for m in &mutants {
        assert!(
            rows.iter().any(|r| r[0] == m.name) || projects.contains(&m.name),
            "{} has no row",
            m.name
        );
    }
}

/// `[file, department, status]` of each row of the consolidated workbook's 汇总.
pub fn summary_rows(path: &Path) -> Vec<[String; 3]> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range("汇总").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(Data::to_string)
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let (file, department, status) = (col("文件"), col("部门名称"), col("状态"));
    range
        .rows()
        .skip(1)
        .filter(|r| {
            let name = r[file].to_string();
            !name.is_empty() && name != "合计"
        })
        .map(|r| {
            [
                r[file].to_string(),
                r[department].to_string(),
                r[status].to_string(),
            ]
        })
        .collect()
}

/// The 文件 column of the consolidated workbook's project sheet (项目汇总), empty when it has
/// none.
pub fn project_files(path: &Path) -> Vec<String> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let Ok(range) = book.worksheet_range("项目汇总") else {
        return Vec::new();
    };
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(Data::to_string)
        .collect();
    let file = header.iter().position(|h| h == "文件").unwrap();
    range
        .rows()
        .skip(1)
        .map(|r| r[file].to_string())
        .filter(|name| !name.is_empty() && name != "合计")
        .collect()
}
