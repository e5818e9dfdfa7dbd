//! The files of a `multipart/form-data` upload, read into memory within the limits.
//!
//! Files come in the repeated field `files`. Each part's file name is the file's path relative
//! to the folder the person chose (`部门A/某局.xlsx`); it is kept as the name shown in the
//! report and used for output names, and never touches the file system.

use axum::extract::multipart::{Multipart, MultipartError};
use axum::http::StatusCode;

use super::http::{too_large, ApiError};
use super::Server;
use jixiao::app::File;
use jixiao::messages::{serve as m, Lang};
use jixiao::read::ReadError;

/// Read every file of the field `files`, each named by its relative path (`/`-separated,
/// without `.`/`..` parts, [`display_name`]); a file over the per-file limit keeps the error
/// that says so instead of its bytes. Other fields are ignored. More files than
/// `--max-files`, or more bytes than `--max-request-mb`, refuse the request (413) once the
/// upload has been read to its end (and dropped); a file over `--max-file-mb` is kept as its
/// size only and later reported as unreadable.
pub async fn read(
    mut multipart: Multipart,
    server: &Server,
    lang: Lang,
) -> Result<Vec<File>, ApiError> {
    let limits = server.limits;
    let mut out: Vec<File> = Vec::new();
    // Bytes of file content received; past the request limit everything is only counted, to
    // the end of the upload, and the request is refused.
    let mut total: u64 = 0;
    let mut refused: Option<ApiError> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(upload_error(e, lang)),
        };
        let wanted = refused.is_none() && field.name() == Some("files");
        if wanted && out.len() == limits.max_files {
            refused = Some(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                m::TOO_MANY_FILES.render(lang, &[("max", &limits.max_files.to_string())]),
            ));
        }
        let keep = wanted && refused.is_none();
        let name = display_name(field.file_name().unwrap_or(""), out.len());
        let mut bytes = Vec::new();
        let mut size: u64 = 0;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    let n = chunk.len() as u64;
                    size += n;
                    total += n;
                    if total > limits.max_request_bytes && refused.is_none() {
                        refused = Some(too_large(server, lang));
                    }
                    if keep && refused.is_none() && size <= limits.max_file_bytes {
                        bytes.extend_from_slice(&chunk);
                    } else if !bytes.is_empty() {
                        // Over a limit: what was kept goes, the rest is only counted.
                        bytes = Vec::new();
                    }
                }
                Ok(None) => break,
                Err(e) => return Err(upload_error(e, lang)),
            }
        }
        if keep && refused.is_none() {
            let bytes = if size > limits.max_file_bytes {
                Err(ReadError::TooLarge {
                    file: name.clone(),
                    bytes: size,
                    limit: limits.max_file_bytes,
                })
            } else {
                Ok(bytes)
            };
            out.push(File { name, bytes });
        }
    }
    if let Some(e) = refused {
        return Err(e);
    }
    if out.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            m::NO_FILES.get(lang),
        ));
    }
    Ok(out)
}

fn upload_error(e: MultipartError, lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        m::BAD_UPLOAD.render(lang, &[("detail", &e.body_text())]),
    )
}

/// The name an uploaded file is shown by: its relative path with `/` between folders and
/// without empty, `.` or `..` parts or a drive (so that it is also a safe name inside a zip);
/// control characters dropped; a part
/// with no file name is `file-N`.
pub fn display_name(raw: &str, index: usize) -> String {
    let parts: Vec<&str> = raw
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .enumerate()
        // A Windows drive (`C:`) is no folder of the upload.
        .filter(|(i, p)| !(*i == 0 && p.len() == 2 && p.ends_with(':')))
        .map(|(_, p)| p)
        .collect();
    let parts: Vec<String> = parts
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_control()).collect())
        .collect();
    let name = parts.join("/");
    if name.is_empty() {
        format!("file-{}", index + 1)
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_paths_and_never_escape() {
        assert_eq!(display_name("部门A/某局.xlsx", 0), "部门A/某局.xlsx");
        assert_eq!(display_name("a\\b\\c.xls", 0), "a/b/c.xls");
        assert_eq!(display_name("../../etc/passwd", 0), "etc/passwd");
        assert_eq!(display_name("/abs/./x.csv", 0), "abs/x.csv");
        assert_eq!(display_name("C:\\Users\\x.xlsx", 0), "Users/x.xlsx");
        assert_eq!(display_name("a\u{0}b\n.json", 0), "ab.json");
        assert_eq!(display_name("", 2), "file-3");
        assert_eq!(display_name("../..", 0), "file-1");
    }
}
