//! The endpoints (docs/OUTPUT.md §5): the page and its assets, `/healthz`, `/api/info`,
//! `/api/template`, and the three that take uploads, `/api/check`, `/api/convert` and
//! `/api/merge`.
//!
//! An upload is read into memory ([`super::upload`]) as a [`Batch`], then given to the verb of
//! [`jixiao::app`] the command line calls too, on a blocking thread (the files read in the
//! server's worker processes), at most [`super::MAX_JOBS`] requests at a time; what it gives
//! back is answered as JSON or a download. A request over its time limit is answered with a
//! JSON error and its remaining files are skipped.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::multipart::Multipart;
use axum::extract::FromRequest;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::ValueEnum;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::http::{self, lang_of, query, ApiError};
use super::{assets, upload, Server};
use crate::cli::{EncodingArg, KindArg};
use jixiao::app::convert::{
    corrected_name, Conversion, ConvertError, ConvertOptions, Output, Shape,
};
use jixiao::app::merge::{MergeError, MergeOptions};
use jixiao::app::{self, Batch, File};
use jixiao::messages::{serve as m, Lang};
use jixiao::pipeline::Config;
use jixiao::report::{self, FileDoc, ReportDoc};
use jixiao::template::Template;
use jixiao::write::mark::OwnKind;
use jixiao::write::merge::Spill;
use jixiao::write::output::{self, OutputKind};
use jixiao::write::preview::Preview;
use jixiao::write::CsvEncoding;

/// Every route, with the time limit, the guard (host, token, announced size) and the headers.
pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{name}", get(asset))
        .route("/healthz", get(healthz))
        .route("/api/info", get(info))
        .route("/api/template", get(template))
        .route("/api/check", post(check))
        .route("/api/convert", post(convert))
        .route("/api/merge", post(merge))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        // The upload reader counts the bytes itself (and reads a refused upload to its end).
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(server.clone(), http::guard))
        .layer(middleware::from_fn_with_state(server.clone(), time_limit))
        .layer(middleware::from_fn(http::headers))
        .with_state(server)
}

/// A request still running after `--timeout-secs` is answered with a JSON error; dropping its
/// future stops reading its upload and tells its job to skip the files not yet processed.
async fn time_limit(State(server): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let lang = lang_of(&query(req.uri()), server.lang);
    let limit = server.limits.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            m::TIMEOUT.render(lang, &[("secs", &limit.as_secs().to_string())]),
        )
        .into_response(),
    }
}

async fn page() -> Html<&'static str> {
    Html(assets::INDEX_HTML)
}

async fn asset(
    State(server): State<Arc<Server>>,
    uri: Uri,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match assets::asset(&name) {
        Some((content_type, bytes)) => {
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => not_found(State(server), uri).await,
    }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "tool": report::tool()}))
}

async fn not_found(State(server): State<Arc<Server>>, uri: Uri) -> Response {
    let lang = lang_of(&query(&uri), server.lang);
    ApiError::new(
        StatusCode::NOT_FOUND,
        m::NOT_FOUND.render(lang, &[("path", uri.path())]),
    )
    .into_response()
}

async fn wrong_method(State(server): State<Arc<Server>>, req: Request) -> Response {
    let lang = lang_of(&query(req.uri()), server.lang);
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        m::METHOD.render(
            lang,
            &[
                ("path", req.uri().path()),
                ("method", req.method().as_str()),
            ],
        ),
    )
    .into_response()
}

/// What the page needs before anything is uploaded: the variants, the limits, the accepted
/// formats and its own words in the language asked for.
async fn info(State(server): State<Arc<Server>>, uri: Uri) -> Json<serde_json::Value> {
    let lang = lang_of(&query(&uri), server.lang);
    let variants: Vec<_> = server
        .config
        .templates
        .iter()
        .map(|t| json!({"id": t.id, "name": t.name, "short": Template::short_name(&t.name)}))
        .collect();
    let text: serde_json::Map<String, serde_json::Value> = m::PAGE
        .iter()
        .map(|(k, t)| (k.to_string(), t.get(lang).into()))
        .collect();
    let l = server.limits;
    Json(json!({
        "tool": report::tool(),
        "lang": lang.code(),
        "variants": variants,
        "limits": {
            "max_file_bytes": l.max_file_bytes,
            "max_files": l.max_files,
            "max_request_bytes": l.max_request_bytes,
            "timeout_secs": l.timeout.as_secs(),
        },
        "formats": jixiao::inputs::EXTENSIONS,
        "documents": jixiao::inputs::DOCUMENTS,
        "text": text,
    }))
}

/// `GET /api/template?variant=ID`: the blank form of a variant (`gz-dept-overall` by default,
/// as `jixiao template`).
async fn template(State(server): State<Arc<Server>>, uri: Uri) -> Result<Response, ApiError> {
    let params = query(&uri);
    let lang = lang_of(&params, server.lang);
    let variant = params.get("variant").map(String::as_str);
    let t = app::template::find(&server.config.templates, variant)
        .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, e.message(lang)))?
        .clone();
    let name = format!("{}.xlsx", file_safe(&t.name));
    let ascii = format!("{}.xlsx", t.id);
    let bytes = job(&server, lang, move |_, _| app::template::blank(&t, lang)).await?;
    let bytes = bytes.map_err(|e| internal(lang, e.message(lang)))?;
    Ok(http::download(bytes, XLSX, &name, Some(&ascii)))
}

/// `POST /api/check[?preview=1]`: the report of `jixiao check --format json`, one entry per
/// form, each with the form's preview when asked; the inputs the batch left out, each with the
/// note `jixiao check` writes on standard error, under `skipped`.
async fn check(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (mut config, preview), uploads) = with_uploads(&server, req, |params, lang| {
        Ok((
            options(params, &server, lang)?,
            flag(params, "preview", lang)?,
        ))
    })
    .await?;
    let batch = batch(uploads, &mut config, lang)?;
    let body = job(&server, lang, move |server, cancel| {
        let run = server.run(&config, cancel, lang);
        let checks = app::check::check(&batch, &run, preview).ok()?;
        let doc = checks.report.document(lang);
        let mut previews = checks.previews.into_iter();
        let files: Vec<Previewed> = doc
            .files
            .into_iter()
            .map(|entry| Previewed {
                entry,
                preview: previews.next().flatten(),
            })
            .collect();
        let answer = CheckAnswer {
            report: ReportDoc {
                format: doc.format,
                tool: doc.tool,
                summary: doc.summary,
                files,
            },
            skipped: checks
                .skipped
                .iter()
                .map(|s| SkippedDoc {
                    file: &s.file,
                    kind: s.kind,
                    message: s.message(lang),
                })
                .collect(),
        };
        serde_json::to_vec(&answer).ok()
    })
    .await?;
    let body = body.ok_or_else(|| cancelled(&server, lang))?;
    Ok(http::json_bytes(body))
}

/// The answer of `/api/check`: the report, and what the batch left out.
#[derive(Serialize)]
struct CheckAnswer<'a> {
    #[serde(flatten)]
    report: ReportDoc<Previewed<'a>>,
    /// What `jixiao check` says on standard error: the page has no standard error, and shows
    /// these instead. Absent when nothing was left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<SkippedDoc<'a>>,
}

/// An input left out of the batch ([`app::Skipped`]).
#[derive(Serialize)]
struct SkippedDoc<'a> {
    file: &'a str,
    kind: OwnKind,
    message: String,
}

/// An entry of the report with, on `?preview=1`, the corrected form as the page draws it.
#[derive(Serialize)]
struct Previewed<'a> {
    #[serde(flatten)]
    entry: FileDoc<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preview: Option<Preview>,
}

/// `POST /api/convert?to=xlsx|json|csv[&encoding=utf8|gbk][&sheet=NAME]`: one form's file, or a
/// zip of one file per form. `NAME` is a report entry's `sheet` (`Sheet1!A27:F49` picks one of
/// the forms a sheet holds) or a sheet's name (all of its forms).
async fn convert(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (mut config, kind, encoding, sheet), uploads) =
        with_uploads(&server, req, |params, lang| {
            Ok((
                options(params, &server, lang)?,
                choice(params, "to", KindArg(OutputKind::Xlsx), lang)?.into(),
                choice(params, "encoding", EncodingArg::Utf8, lang)?,
                params.get("sheet").cloned(),
            ))
        })
        .await?;
    let batch = batch(uploads, &mut config, lang)?;
    let options = ConvertOptions {
        kind,
        encoding: encoding.into(),
        shape: Shape::Download,
        sheet,
    };
    options
        .validate(&batch)
        .map_err(|e| convert_error(&e, lang))?;
    let made = job(&server, lang, move |server, cancel| {
        let run = server.run(&config, cancel, lang);
        match app::convert::convert(&batch, &run, &options) {
            Ok(conversion) => Some(converted(conversion, &options, lang)),
            Err(ConvertError::Cancelled) => None,
            Err(e) => Some(Err(convert_error(&e, lang))),
        }
    })
    .await?;
    let out = made.ok_or_else(|| cancelled(&server, lang))??;
    Ok(http::download(
        out.bytes,
        out.content_type,
        &out.name,
        out.ascii.as_deref(),
    ))
}

/// Why a conversion was refused, as an answer: a sheet that holds no form is not found, the
/// rest is a bad request.
fn convert_error(e: &ConvertError, lang: Lang) -> ApiError {
    let status = match e {
        ConvertError::NoSuchSheet { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    ApiError::new(status, e.message(lang))
}

/// A file `convert` answers with.
struct Converted {
    bytes: Vec<u8>,
    content_type: &'static str,
    name: String,
    /// The name for clients that take an ASCII one only, when a better one than the name's
    /// ASCII characters is known.
    ascii: Option<String>,
}

/// The answer of `convert` for what the batch made ([`Shape::Download`]): its one output, or a
/// zip of its outputs with `未能读取的文件.txt` saying which uploads gave none and why. When no
/// upload gave a form, the error names why.
fn converted(
    mut conversion: Conversion,
    options: &ConvertOptions,
    lang: Lang,
) -> Result<Converted, ApiError> {
    let failures: Vec<String> = conversion
        .failures
        .iter()
        .map(|f| f.message(lang))
        .collect();
    if conversion.outputs.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            m::NO_FORM_READ.render(lang, &[("errors", &failures.join(lang.pick("；", "; ")))]),
        ));
    }
    let (kind, encoding) = (options.kind, options.encoding);
    let build = |o: &Output| {
        conversion
            .bytes(o)
            .map_err(|e| internal(lang, e.message(lang)))
    };
    if let ([one], []) = (&conversion.outputs[..], &failures[..]) {
        let input = one.input.as_deref().unwrap_or_default();
        return Ok(Converted {
            bytes: build(one)?,
            content_type: content_type(kind, encoding),
            name: one.name.clone(),
            ascii: Some(corrected_name(input, kind.extension(), Lang::En, false)),
        });
    }
    let mut files = Vec::with_capacity(conversion.outputs.len() + 1);
    for o in &conversion.outputs {
        files.push((o.name.clone(), build(o)?));
    }
    if !failures.is_empty() {
        // Whoever forwards the zip must see that it lacks some uploads, and why.
        let mut text = format!("\u{FEFF}{}\r\n", m::LEFT_OUT_HEADER.get(lang));
        for f in &failures {
            text.push_str(f);
            text.push_str("\r\n");
        }
        let name = conversion.names.claim(m::LEFT_OUT_NAME.get(lang), "txt");
        files.push((name, text.into_bytes()));
    }
    let zip = output::zip(&files).map_err(|e| internal(lang, e.message(lang)))?;
    Ok(Converted {
        bytes: zip,
        content_type: "application/zip",
        name: format!("{}.zip", m::CONVERTED_NAME.get(lang)),
        ascii: Some(format!("{}.zip", m::CONVERTED_NAME.en)),
    })
}

/// `POST /api/merge?forms=0|1&to=xlsx|json|csv[&encoding=utf8|gbk]`: the consolidation, in
/// memory: nothing of an upload touches the disk (the list sheets too are kept in memory,
/// [`Spill::Memory`]; the request's limits bound it).
async fn merge(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (mut config, kind, encoding, forms), uploads) =
        with_uploads(&server, req, |params, lang| {
            Ok((
                options(params, &server, lang)?,
                choice(params, "to", KindArg(OutputKind::Xlsx), lang)?.into(),
                choice(params, "encoding", EncodingArg::Utf8, lang)?,
                flag(params, "forms", lang)?,
            ))
        })
        .await?;
    let batch = batch(uploads, &mut config, lang)?;
    let options = MergeOptions {
        kind,
        forms,
        encoding: encoding.into(),
        spill: Spill::Memory,
    };
    let ext = kind.extension();
    let made = job(&server, lang, move |server, cancel| {
        let run = server.run(&config, cancel, lang);
        let name = format!("{}.{ext}", m::MERGED_NAME.get(lang));
        let out = Cursor::new(Vec::new());
        match app::merge::merge(&batch, &run, &options, out, &name, |_| {}) {
            Ok((out, _)) => Some(Ok(out.into_inner())),
            Err(MergeError::Write(e)) => Some(Err(e)),
            Err(MergeError::Cancelled) => None,
        }
    })
    .await?;
    let bytes = made
        .ok_or_else(|| cancelled(&server, lang))?
        .map_err(|e| internal(lang, e.message(lang)))?;
    Ok(http::download(
        bytes,
        content_type(kind, encoding.into()),
        &format!("{}.{ext}", m::MERGED_NAME.get(lang)),
        Some(&format!("{}.{ext}", m::MERGED_NAME.en)),
    ))
}

/// The batch of an upload: its forms, and its template files loaded into `config` for this
/// request ([`Batch::of_files`]); a template file that cannot be used is a bad request that
/// says why, naming it, and so is an upload of template files only.
fn batch(uploads: Vec<File>, config: &mut Config, lang: Lang) -> Result<Batch, ApiError> {
    let bad = |sentence| ApiError::new(StatusCode::BAD_REQUEST, sentence);
    let batch =
        Batch::of_files(uploads, &mut config.templates).map_err(|e| bad(e.message(lang)))?;
    if batch.is_empty() {
        return Err(bad(m::ONLY_TEMPLATES.get(lang).to_string()));
    }
    Ok(batch)
}

/// The request's language, its parameters as `parse` reads them, and its uploaded files.
/// The upload is read to its end before any error is answered, so that a client still sending
/// reads the answer rather than a closed connection.
async fn with_uploads<T>(
    server: &Server,
    req: Request,
    parse: impl FnOnce(&HashMap<String, String>, Lang) -> Result<T, ApiError>,
) -> Result<(Lang, T, Vec<File>), ApiError> {
    let params = query(req.uri());
    let lang = lang_of(&params, server.lang);
    let parsed = parse(&params, lang);
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let uploads = if multipart {
        match Multipart::from_request(req, &()).await {
            Ok(m) => upload::read(m, server, lang).await,
            Err(_) => Err(not_multipart(lang)),
        }
    } else {
        http::drain(req.into_body()).await;
        Err(not_multipart(lang))
    };
    let parsed = parsed?;
    Ok((lang, parsed, uploads?))
}

/// Run `work` on a blocking thread when one of the [`super::MAX_JOBS`] turns is free. `work`
/// is told through its flag when the request has been given up (timed out, or the client
/// went away), so that it can stop early.
async fn job<T: Send + 'static>(
    server: &Arc<Server>,
    lang: Lang,
    work: impl FnOnce(&Server, &AtomicBool) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _turn = server
        .jobs
        .acquire()
        .await
        .map_err(|e| internal(lang, e.to_string()))?;
    let cancel = Arc::new(AtomicBool::new(false));
    let _on_drop = CancelOnDrop(cancel.clone());
    let server = server.clone();
    tokio::task::spawn_blocking(move || work(&server, &cancel))
        .await
        .map_err(|e| internal(lang, e.to_string()))
}

/// Sets its flag when dropped: when the request's future is dropped before its job ends.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The run configuration the request's options give (after checking its `lang`).
fn options(
    params: &HashMap<String, String>,
    server: &Server,
    lang: Lang,
) -> Result<Config, ApiError> {
    if let Some(v) = params.get("lang") {
        if Lang::from_code(v).is_none() {
            return Err(bad_param(lang, "lang", v, "zh, en"));
        }
    }
    let (first, last) = (*Config::YEARS.start(), *Config::YEARS.end());
    let year = match number(params, "year", lang, first.into(), last.into())? {
        None => server.config.year,
        Some(y) => Some(
            y.try_into()
                .map_err(|_| bad_number(lang, "year", "", first.into(), last.into()))?,
        ),
    };
    let (low, high) = (*Config::SATISFACTION.start(), *Config::SATISFACTION.end());
    let min_satisfaction = number(params, "min_satisfaction", lang, low, high)?
        .unwrap_or(server.config.min_satisfaction);
    Ok(Config {
        templates: server.config.templates.clone(),
        year,
        min_satisfaction,
    })
}

/// A number parameter from `min` to `max`; absent or empty: `None`.
fn number(
    params: &HashMap<String, String>,
    name: &str,
    lang: Lang,
    min: i64,
    max: i64,
) -> Result<Option<Decimal>, ApiError> {
    let Some(v) = params.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    v.parse::<Decimal>()
        .ok()
        .filter(|d| *d >= Decimal::from(min) && *d <= Decimal::from(max))
        .filter(|d| name != "year" || d.fract().is_zero())
        .map(Some)
        .ok_or_else(|| bad_number(lang, name, v, min, max))
}

fn bad_number(lang: Lang, name: &str, value: &str, min: i64, max: i64) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        m::BAD_NUMBER.render(
            lang,
            &[
                ("name", name),
                ("value", value),
                ("min", &min.to_string()),
                ("max", &max.to_string()),
            ],
        ),
    )
}

/// A parameter whose values are those of a command-line option (`to`, `encoding`).
fn choice<T: ValueEnum>(
    params: &HashMap<String, String>,
    name: &str,
    default: T,
    lang: Lang,
) -> Result<T, ApiError> {
    let Some(v) = params.get(name) else {
        return Ok(default);
    };
    T::from_str(v, true).map_err(|_| {
        let known: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|k| k.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        bad_param(lang, name, v, &known.join(", "))
    })
}

/// A yes/no parameter: `1`/`true` or `0`/`false`, no by default.
fn flag(params: &HashMap<String, String>, name: &str, lang: Lang) -> Result<bool, ApiError> {
    match params.get(name).map(|s| s.to_ascii_lowercase()).as_deref() {
        None | Some("0" | "false" | "") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(_) => Err(bad_param(lang, name, &params[name], "0, 1")),
    }
}

fn bad_param(lang: Lang, name: &str, value: &str, known: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        m::BAD_PARAM.render(lang, &[("name", name), ("value", value), ("known", known)]),
    )
}

fn not_multipart(lang: Lang) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, m::NOT_MULTIPART.get(lang))
}

fn internal(lang: Lang, detail: impl AsRef<str>) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        m::INTERNAL.render(lang, &[("detail", detail.as_ref())]),
    )
}

/// The answer of a job that stopped because its request was given up: only ever seen by a
/// client when the time limit ran out as the job ended.
fn cancelled(server: &Server, lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        m::TIMEOUT.render(
            lang,
            &[("secs", &server.limits.timeout.as_secs().to_string())],
        ),
    )
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn content_type(kind: OutputKind, encoding: CsvEncoding) -> &'static str {
    match (kind, encoding) {
        (OutputKind::Xlsx, _) => XLSX,
        (OutputKind::Json, _) => "application/json",
        (OutputKind::Csv, CsvEncoding::Gbk) => "text/csv; charset=gbk",
        (OutputKind::Csv, _) => "text/csv; charset=utf-8",
    }
}

/// A name usable as a file name on every system: none of `\/:*?"<>|`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_safe_names() {
        assert_eq!(file_safe("a/b:c?.xlsx"), "a_b_c_.xlsx");
    }
}
