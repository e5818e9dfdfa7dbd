//! The target parser (`≧12次`, `≤2024年12月31日`, `90%-95%`): any text gives a `Target`, and
//! parsing is a function of the text (the same text twice gives the same target).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let t = jixiao::target::parse(text);
    assert_eq!(t, jixiao::target::parse(text));
});
