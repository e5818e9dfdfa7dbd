//! The consolidated workbook of `jixiao merge` (OUTPUT.md §2).

use crate::merge::Entry;
use crate::messages::Lang;
use crate::pipeline::Config;

use super::WriteError;

/// The consolidated workbook of many entries.
pub fn merge_workbook(
    entries: &[Entry],
    config: &Config,
    forms: bool,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let _ = (entries, config, forms, lang);
    Err(WriteError::Xlsx {
        detail: "not yet written".into(),
    })
}
