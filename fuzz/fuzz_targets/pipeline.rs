//! The whole pipeline from bytes: read → locate → normalize → check, as `pipeline::process`
//! runs it for the commands and the web server. Beyond "never panics, never aborts", each
//! outcome must round-trip through the worker protocol's serde form unchanged.
#![no_main]

use std::sync::OnceLock;

use jixiao::pipeline::{process, Config};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::default)
}

fuzz_target!(|data: &[u8]| {
    let outcome = process("fuzz.xlsx", data, config());
    let wire = serde_json::to_vec(&outcome).expect("an outcome serializes");
    let back: jixiao::pipeline::Outcome =
        serde_json::from_slice(&wire).expect("an outcome deserializes");
    assert_eq!(serde_json::to_vec(&back).unwrap(), wire);
});
