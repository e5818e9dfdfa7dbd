//! One reader: bytes that sniff as .xls go through `read::read_bytes` (the xls reader and what
//! it hands calamine). Inputs of another format are skipped, so mutations stay on this reader.
#![no_main]

use jixiao::read::{read_bytes, sniff, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if sniff(data) == Format::Xls {
        let _ = read_bytes("fuzz.xls", data);
    }
});
