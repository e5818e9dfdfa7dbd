//! The endpoints (docs/OUTPUT.md §5): the page and its assets, `/healthz`, `/api/info`,
//! `/api/template`, and the three that take uploads, `/api/check`, `/api/convert` and
//! `/api/merge`.
//!
//! An upload is read into memory ([`super::upload`]), then processed on a blocking thread with
//! the command line's own calls ([`crate::pipeline::process`] in the server's worker
//! processes, [`crate::report`], [`crate::consolidate`], [`crate::write::output`]), at most
//! [`super::MAX_JOBS`] requests at a time. A request over its time limit is answered with a
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
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::http::{self, lang_of, query, ApiError};
use super::upload::{self, Upload};
use super::{assets, Server};
use crate::cli::EncodingArg;
use crate::consolidate::Consolidation;
use crate::messages::{self, serve as m, Lang};
use crate::pipeline::{Checked, Config, Failure, Processed};
use crate::report::{self, FileDoc, FileResult, Report, ReportDoc};
use crate::template::Template;
use crate::write::merge::Spill;
use crate::write::output::{self, form_output, Form, MergeOutput, OutputKind, OutputNames};
use crate::write::preview::{self, Preview};
use crate::write::{CsvEncoding, WriteError};

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
        "formats": crate::inputs::EXTENSIONS,
        "documents": crate::inputs::DOCUMENTS,
        "text": text,
    }))
}

/// `GET /api/template?variant=ID`: the blank form of a variant (the first one by default).
async fn template(State(server): State<Arc<Server>>, uri: Uri) -> Result<Response, ApiError> {
    let params = query(&uri);
    let lang = lang_of(&params, server.lang);
    let templates = &server.config.templates;
    let t = match params.get("variant") {
        None => templates.first(),
        Some(v) => templates.iter().find(|t| &t.id == v),
    };
    let Some(t) = t.cloned() else {
        let known: Vec<&str> = templates.iter().map(|t| t.id.as_str()).collect();
        let variant = params.get("variant").map(String::as_str).unwrap_or("");
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            messages::cli::UNKNOWN_VARIANT
                .render(lang, &[("variant", variant), ("known", &known.join(", "))]),
        ));
    };
    let name = format!("{}.xlsx", file_safe(&t.name));
    let ascii = format!("{}.xlsx", t.id);
    let bytes = job(&server, lang, move |_, _| {
        crate::write::blank_form(&t, lang)
    })
    .await?;
    let bytes = bytes.map_err(|e| internal(lang, e.message(lang)))?;
    Ok(http::download(bytes, XLSX, &name, Some(&ascii)))
}

/// `POST /api/check[?preview=1]`: the report of `jixiao check --format json`, one entry per
/// form, each with the form's preview when asked.
async fn check(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (config, preview), uploads) = with_uploads(&server, req, |params, lang| {
        Ok((
            options(params, &server, lang)?,
            flag(params, "preview", lang)?,
        ))
    })
    .await?;
    let body = job(&server, lang, move |server, cancel| {
        let mut processed = process(server, uploads, &config, cancel)?;
        crate::pipeline::flag_duplicates(&mut processed);
        let inputs = processed.len();
        let templates = &config.templates;
        // The previews are drawn from the forms before they become results.
        let (results, previews): (Vec<FileResult>, Vec<Option<Preview>>) = processed
            .into_par_iter()
            .flat_map_iter(|p| match p.outcome {
                Ok(forms) => forms
                    .into_iter()
                    .map(|c| {
                        let shown = preview.then(|| form_preview(&c, templates, lang));
                        (FileResult::of_form(&p.file, c, templates, lang), shown)
                    })
                    .collect::<Vec<_>>(),
                Err(f) => vec![(FileResult::of_failure(&p.file, &f, lang), None)],
            })
            .unzip();
        let report = Report { inputs, results };
        let doc = report.document(lang);
        let files: Vec<Previewed> = doc
            .files
            .into_iter()
            .zip(previews)
            .map(|(entry, preview)| Previewed { entry, preview })
            .collect();
        let doc = ReportDoc {
            format: doc.format,
            tool: doc.tool,
            summary: doc.summary,
            files,
        };
        serde_json::to_vec(&doc).ok()
    })
    .await?;
    let body = body.ok_or_else(|| cancelled(&server, lang))?;
    Ok(http::json_bytes(body))
}

/// An entry of the report with, on `?preview=1`, the corrected form as the page draws it.
#[derive(Serialize)]
struct Previewed<'a> {
    #[serde(flatten)]
    entry: FileDoc<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preview: Option<Preview>,
}

/// The preview of a checked form, on its variant.
fn form_preview(c: &Checked, templates: &[Template], lang: Lang) -> Preview {
    let d = &c.declaration;
    let template = Template::for_record(templates, &d.template, d.kind());
    preview::preview(&c.declaration, &template, &c.findings, &c.changes, lang)
}

/// `POST /api/convert?to=xlsx|json|csv[&encoding=utf8|gbk][&sheet=NAME]`: one form's file, or a
/// zip of one file per form. `NAME` is a report entry's `sheet` (`Sheet1!A27:F49` picks one of
/// the forms a sheet holds) or a sheet's name (all of its forms).
async fn convert(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (config, kind, encoding, sheet), uploads) =
        with_uploads(&server, req, |params, lang| {
            Ok((
                options(params, &server, lang)?,
                choice(params, "to", OutputKind::Xlsx, lang)?,
                choice(params, "encoding", EncodingArg::Utf8, lang)?,
                params.get("sheet").cloned(),
            ))
        })
        .await?;
    if sheet.is_some() && uploads.len() != 1 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            m::SHEET_NEEDS_ONE_FILE.get(lang),
        ));
    }
    let made = job(&server, lang, move |server, cancel| {
        let processed = process(server, uploads, &config, cancel)?;
        Some(converted(
            &processed,
            kind,
            sheet.as_deref(),
            &config,
            encoding.into(),
            lang,
        ))
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

/// A file `convert` answers with.
struct Converted {
    bytes: Vec<u8>,
    content_type: &'static str,
    name: String,
    /// The name for clients that take an ASCII one only, when a better one than the name's
    /// ASCII characters is known.
    ascii: Option<String>,
}

/// The output of `convert`, as `jixiao convert` writes it: one file per upload that gave a
/// form, never one per form — an upload holding several forms gives one workbook with a 申报表
/// sheet for each (a JSON array, a CSV of all their indicators). One upload that gave a form,
/// and no other: its file, `某局-修正.xlsx`. Otherwise a zip of one file per upload that gave a
/// form, named after it the same way (`部门A/某局.xlsx` → `部门A/某局-修正.xlsx`; clashing
/// names get `-2`, `-3`), with `未能读取的文件.txt` saying which uploads gave none and why.
/// With `sheet`, only the form of that sheet. When no upload gave a form, the error names why.
fn converted(
    processed: &[Processed],
    kind: OutputKind,
    sheet: Option<&str>,
    config: &Config,
    encoding: CsvEncoding,
    lang: Lang,
) -> Result<Converted, ApiError> {
    let mut outputs: Vec<(&str, Vec<&Checked>)> = Vec::new();
    let mut failures = Vec::new();
    for Processed { file, outcome } in processed {
        match outcome {
            Ok(fs) => {
                let picked: Vec<&Checked> = fs
                    .iter()
                    .filter(|c| {
                        let source = &c.declaration.source;
                        sheet.is_none()
                            || source.place().as_deref() == sheet
                            || source.sheet.as_deref() == sheet
                    })
                    .collect();
                if picked.is_empty() && !fs.is_empty() {
                    return Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        m::NO_SUCH_SHEET
                            .render(lang, &[("file", file), ("sheet", sheet.unwrap_or(""))]),
                    ));
                }
                if !picked.is_empty() {
                    outputs.push((file.as_str(), picked));
                }
            }
            Err(f) => failures.push(f.message(lang)),
        }
    }
    if outputs.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            m::NO_FORM_READ.render(lang, &[("errors", &failures.join(lang.pick("；", "; ")))]),
        ));
    }
    let ext = kind.extension();
    let build = |checked: &[&Checked]| {
        let forms: Vec<Form> = checked.iter().map(|c| c.form()).collect();
        let array = forms.len() > 1;
        form_output(kind, &forms, array, &config.templates, encoding, lang)
            .map_err(|e| internal(lang, e.message(lang)))
    };
    if let ([(file, checked)], []) = (&outputs[..], &failures[..]) {
        // `某局-修正.xlsx`: saved beside the department's own `某局.xlsx`, never taken for it.
        let base = stem(base_name(file));
        return Ok(Converted {
            bytes: build(checked)?,
            content_type: content_type(kind, encoding),
            name: format!("{base}-{}.{ext}", m::CORRECTED_SUFFIX.get(lang)),
            ascii: Some(format!("{base}-{}.{ext}", m::CORRECTED_SUFFIX.en)),
        });
    }
    let mut names = OutputNames::default();
    let mut files = Vec::with_capacity(outputs.len() + 1);
    for (file, checked) in &outputs {
        let base = format!("{}-{}", stem(file), m::CORRECTED_SUFFIX.get(lang));
        files.push((names.claim(&base, ext), build(checked)?));
    }
    if !failures.is_empty() {
        // Whoever forwards the zip must see that it lacks some uploads, and why.
        let mut text = format!("\u{FEFF}{}\r\n", m::LEFT_OUT_HEADER.get(lang));
        for f in &failures {
            text.push_str(f);
            text.push_str("\r\n");
        }
        files.push((
            names.claim(m::LEFT_OUT_NAME.get(lang), "txt"),
            text.into_bytes(),
        ));
    }
    let zip = output::zip(&files).map_err(|e| internal(lang, e.message(lang)))?;
    Ok(Converted {
        bytes: zip,
        content_type: "application/zip",
        name: format!("{}.zip", m::CONVERTED_NAME.get(lang)),
        ascii: Some(format!("{}.zip", m::CONVERTED_NAME.en)),
    })
}

/// `POST /api/merge?forms=0|1&to=xlsx|json|csv[&encoding=utf8|gbk]`: the consolidation.
async fn merge(State(server): State<Arc<Server>>, req: Request) -> Result<Response, ApiError> {
    let (lang, (config, kind, encoding, forms), uploads) =
        with_uploads(&server, req, |params, lang| {
            Ok((
                options(params, &server, lang)?,
                choice(params, "to", OutputKind::Xlsx, lang)?,
                choice(params, "encoding", EncodingArg::Utf8, lang)?,
                flag(params, "forms", lang)?,
            ))
        })
        .await?;
    let made = job(&server, lang, move |server, cancel| {
        let mut processed = process(server, uploads, &config, cancel)?;
        // jixiao's own outputs are no forms: left out of the consolidation, as `merge` leaves
        // them out (an uploaded consolidated workbook is no unreadable form of the batch).
        processed.retain(|p| !matches!(p.outcome, Err(Failure::OwnOutput { .. })));
        Some(consolidate(
            processed,
            kind,
            &config,
            forms,
            encoding.into(),
            lang,
        ))
    })
    .await?;
    let bytes = made
        .ok_or_else(|| cancelled(&server, lang))?
        .map_err(|e| internal(lang, e.message(lang)))?;
    let ext = kind.extension();
    Ok(http::download(
        bytes,
        content_type(kind, encoding.into()),
        &format!("{}.{ext}", m::MERGED_NAME.get(lang)),
        Some(&format!("{}.{ext}", m::MERGED_NAME.en)),
    ))
}

/// The consolidation of processed uploads, in memory: nothing of an upload touches the disk
/// (the list sheets too are kept in memory, [`Spill::Memory`]; the request's limits bound it).
fn consolidate(
    processed: Vec<Processed>,
    kind: OutputKind,
    config: &Config,
    forms: bool,
    encoding: CsvEncoding,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    let name = format!("{}.{}", m::MERGED_NAME.get(lang), kind.extension());
    let output = MergeOutput::new(
        kind,
        Cursor::new(Vec::new()),
        &name,
        &config.templates,
        forms,
        encoding,
        Spill::Memory,
        lang,
    )?;
    let mut consolidation = Consolidation::new(output, lang);
    for p in processed {
        consolidation.add(p)?;
    }
    Ok(consolidation.finish()?.0.into_inner())
}

/// The request's language, its parameters as `parse` reads them, and its uploaded files.
/// The upload is read to its end before any error is answered, so that a client still sending
/// reads the answer rather than a closed connection.
async fn with_uploads<T>(
    server: &Server,
    req: Request,
    parse: impl FnOnce(&HashMap<String, String>, Lang) -> Result<T, ApiError>,
) -> Result<(Lang, T, Vec<Upload>), ApiError> {
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

/// Read, locate, normalize and check every upload in parallel, each in one of the server's
/// worker processes ([`Server::readers`], as the command line reads its files), in upload
/// order; a file over the per-file limit is a read failure that says so, and one that a worker
/// does not survive is [`Failure::Limit`] (the other files are read on). `None` when the
/// request was given up (its time ran out) before every file was done.
fn process(
    server: &Server,
    uploads: Vec<Upload>,
    config: &Config,
    cancel: &AtomicBool,
) -> Option<Vec<Processed>> {
    server.readers.run(config, |reader| {
        uploads
            .into_par_iter()
            .map(|u| {
                if cancel.load(Ordering::Relaxed) {
                    return None;
                }
                let outcome = match u.bytes {
                    Ok(bytes) => reader.process(&u.name, &bytes),
                    Err(e) => Err(Failure::Read(e)),
                };
                Some(Processed {
                    file: u.name,
                    outcome,
                })
            })
            .collect()
    })
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

/// The last part of an upload's name (`部门A/某局.xlsx` → `某局.xlsx`).
fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A name without its extension (`部门A/某局.xlsx` → `部门A/某局`); a name that is all
/// extension (`.xlsx`) stays whole.
fn stem(name: &str) -> &str {
    let base = base_name(name);
    match base.rfind('.') {
        Some(i) if i > 0 => &name[..name.len() - (base.len() - i)],
        _ => name,
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
    fn stems_keep_their_folders() {
        assert_eq!(stem("部门A/某局.xlsx"), "部门A/某局");
        assert_eq!(stem("a.b/c"), "a.b/c");
        assert_eq!(stem("x.tar.gz"), "x.tar");
        assert_eq!(stem(".xlsx"), ".xlsx");
        assert_eq!(base_name("a/b/c.csv"), "c.csv");
        assert_eq!(file_safe("a/b:c?.xlsx"), "a_b_c_.xlsx");
    }
}
