//! Delimited text → one [`Sheet`].
use super::{ReadError, Workbook};

pub fn read(file: &str, bytes: &[u8]) -> Result<Workbook, ReadError> {
    let _ = (file, bytes);
    todo!("reader helper")
}
