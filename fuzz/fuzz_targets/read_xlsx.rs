//! One reader: bytes that sniff as .xlsx go through `read::read_bytes` (the xlsx reader and what
//! it hands calamine). Inputs of another format are skipped, so mutations stay on this reader.
#![no_main]

use jixiao::read::{read_bytes, sniff, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if sniff(data) == Format::Xlsx {
        let _ = read_bytes("fuzz.xlsx", data);
    }
});
