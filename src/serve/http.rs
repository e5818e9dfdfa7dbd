//! The rules every response of the server follows: security headers, JSON errors in the
//! request's language, the access token, the host check, and file names of downloads.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Server;
use jixiao::messages::{serve as m, Lang};

/// The Content-Security-Policy of every response: nothing but this server, no inline script
/// or style, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// An answer that is not what was asked for: a status and a sentence, sent as
/// `{"error": "…"}`. The page shows the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The query parameters of a request, by name (the last of a repeated one).
pub fn query(uri: &Uri) -> HashMap<String, String> {
    Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

/// The language a request asks for with `lang=zh|en`, or the server's.
pub fn lang_of(params: &HashMap<String, String>, default: Lang) -> Lang {
    params
        .get("lang")
        .and_then(|s| Lang::from_code(s))
        .unwrap_or(default)
}

/// Adds the headers every response carries: the CSP, `nosniff`, `no-referrer`, and
/// `Cache-Control: no-store` (nothing of an upload or a report is kept by the browser either).
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// Checks made before a request reaches its endpoint:
/// - on a loopback address, the `Host` must be a loopback name, so that a web page elsewhere
///   cannot reach this server through a DNS name it controls (DNS rebinding);
/// - with a token (a non-loopback `--listen`), the page `/` and every `/api/` request must
///   carry it, as `Authorization: Bearer TOKEN` or `?token=TOKEN`; the static assets and
///   `/healthz` hold nothing and need none (a `<script src>` cannot send a header);
/// - a body announced larger than `--max-request-mb` is refused before it is read.
pub async fn guard(State(server): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let params = query(req.uri());
    let lang = lang_of(&params, server.lang);
    let path = req.uri().path();
    if server.token.is_none() {
        if let Some(host) = req.headers().get(header::HOST) {
            let host = host.to_str().unwrap_or("");
            if !is_loopback_host(host) {
                let e = ApiError::new(
                    StatusCode::FORBIDDEN,
                    m::WRONG_HOST.render(lang, &[("host", host)]),
                );
                drain(req.into_body()).await;
                return e.into_response();
            }
        }
    }
    if let Some(token) = &server.token {
        let needs = path == "/" || path.starts_with("/api/");
        if needs && !carries_token(req.headers(), &params, token) {
            drain(req.into_body()).await;
            return ApiError::new(StatusCode::UNAUTHORIZED, m::UNAUTHORIZED.get(lang))
                .into_response();
        }
    }
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > server.limits.max_request_bytes) {
        drain(req.into_body()).await;
        return too_large(&server, lang).into_response();
    }
    next.run(req).await
}

/// Read and drop the rest of a request body that is refused, so that the client, still
/// sending, reads the answer instead of a closed connection (browsers and most clients do
/// not wait for a `100 Continue`). Bounded by the request's time limit, never kept; a request
/// without a body is done at once.
pub async fn drain(mut body: Body) {
    use http_body_util::BodyExt;
    while let Some(Ok(_)) = body.frame().await {}
}

/// The 413 of an upload over `--max-request-mb`.
pub fn too_large(server: &Server, lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        m::REQUEST_TOO_LARGE.render(
            lang,
            &[("max", &(server.limits.max_request_bytes >> 20).to_string())],
        ),
    )
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn carries_token(headers: &HeaderMap, params: &HashMap<String, String>, token: &str) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let given = bearer.or(params.get("token").map(String::as_str));
    given.is_some_and(|g| same(g.as_bytes(), token.as_bytes()))
}

/// Equal, in a time that does not depend on where two tokens of one length first differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new access token: 128 random bits from the operating system, as 32 hex digits.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Characters kept as they are in an RFC 5987 `filename*` (its `attr-char`).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`: the UTF-8 name for every
/// current browser, an ASCII stand-in for older clients and `curl -OJ`: `ascii` when given,
/// else the name with each run of other characters as one `_` (`jixiao` when nothing but the
/// extension is left).
pub fn attachment(name: &str, ascii: Option<&str>) -> String {
    let mut fallback = String::new();
    for c in ascii.unwrap_or(name).chars() {
        let keep = c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\');
        if keep {
            fallback.push(c);
        } else if !fallback.ends_with('_') {
            fallback.push('_');
        }
    }
    let (stem, ext) = match fallback.rfind('.') {
        Some(i) => fallback.split_at(i),
        None => (fallback.as_str(), ""),
    };
    if stem.chars().all(|c| c == '_' || c == ' ') {
        fallback = format!("jixiao{ext}");
    }
    let ascii = fallback;
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

/// A file to download: its bytes, content type, name and ASCII name ([`attachment`]).
pub fn download(
    bytes: Vec<u8>,
    content_type: &'static str,
    name: &str,
    ascii: Option<&str>,
) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&attachment(name, ascii)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// JSON text already serialized, as a response.
pub fn json_bytes(bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_have_a_utf8_form_and_an_ascii_fallback() {
        assert_eq!(
            attachment("汇总 2024.xlsx", None),
            "attachment; filename=\"_ 2024.xlsx\"; filename*=UTF-8''%E6%B1%87%E6%80%BB%202024.xlsx"
        );
        assert_eq!(
            attachment("汇总.xlsx", None),
            "attachment; filename=\"jixiao.xlsx\"; filename*=UTF-8''%E6%B1%87%E6%80%BB.xlsx"
        );
        assert_eq!(
            attachment("汇总.xlsx", Some("consolidated.xlsx")),
            "attachment; filename=\"consolidated.xlsx\"; filename*=UTF-8''%E6%B1%87%E6%80%BB.xlsx"
        );
        assert_eq!(
            attachment("a\"b\\c;d.csv", None),
            "attachment; filename=\"a_b_c;d.csv\"; filename*=UTF-8''a%22b%5Cc%3Bd.csv"
        );
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:80",
            "[::1]",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example:8080",
            "10.0.0.1:80",
            "localhost.evil.com",
            "[::2]:1",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn tokens_are_random_hex_and_compared_whole() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same(a.as_bytes(), a.clone().as_bytes()));
        assert!(!same(a.as_bytes(), b.as_bytes()));
        assert!(!same(a.as_bytes(), &a.as_bytes()[..31]));
    }
}
