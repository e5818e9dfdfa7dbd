//! The page, embedded in the binary: one HTML file, one script, one style sheet. Nothing else
//! is served and nothing is fetched from elsewhere (no CDN, no web font).

/// The page at `/`.
pub const INDEX_HTML: &str = include_str!("assets/index.html");

/// A file under `/assets/`: its content type and bytes.
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    match name {
        "app.js" => Some((
            "text/javascript; charset=utf-8",
            include_bytes!("assets/app.js"),
        )),
        "app.css" => Some(("text/css; charset=utf-8", include_bytes!("assets/app.css"))),
        _ => None,
    }
}
