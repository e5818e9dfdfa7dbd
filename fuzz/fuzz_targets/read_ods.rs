//! One reader: bytes that sniff as .ods go through `read::read_bytes` (the ods reader and what
//! it hands calamine). Inputs of another format are skipped, so mutations stay on this reader.
#![no_main]

use jixiao::read::{read_bytes, sniff, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if sniff(data) == Format::Ods {
        let _ = read_bytes("fuzz.ods", data);
    }
});
