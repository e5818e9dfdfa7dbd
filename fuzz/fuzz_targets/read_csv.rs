//! One reader: bytes that sniff as .csv go through `read::read_bytes` (the csv reader and what
//! it hands calamine). Inputs of another format are skipped, so mutations stay on this reader.
#![no_main]

use jixiao::read::{read_bytes, sniff, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if sniff(data) == Format::Csv {
        let _ = read_bytes("fuzz.csv", data);
    }
});
