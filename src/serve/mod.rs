//! `jixiao serve`: the whole tool as a page in the browser, served from this computer
//! (docs/OUTPUT.md §5: the page and its HTTP API).
//!
//! - `assets`: the page (HTML, CSS, JS) embedded in the binary: nothing is fetched from
//!   anywhere else, so the page works offline.
//! - `http`: the rules every response follows: the security headers, JSON errors in the
//!   request's language, the access token, file names for downloads.
//! - `upload`: the multipart upload read into memory within the limits.
//! - `api`: the endpoints. Each calls the verb of [`jixiao::app`] the command line calls
//!   (`check`, `convert`, `merge`, `template`) on a blocking thread, bounded by [`MAX_JOBS`]
//!   at a time, so the async runtime always answers. `/api/check` answers with the command
//!   line's `jixiao.report/1` document, each entry with the form's preview
//!   ([`jixiao::write::preview`]) when asked.
//!
//! Uploads are read as the command line reads its files: in worker processes under memory
//! and time limits (`jixiao::worker`), one pool started with the server and kept for its
//! lifetime ([`jixiao::inputs::Readers`]). A file that exhausts a worker's memory or time, or
//! crashes it, is one unreadable entry that says so (`read: false`); the worker is replaced,
//! the request's other files are read, and the server goes on serving. An uploaded output
//! of jixiao's that holds no form (last month's consolidated workbook) is left out of every
//! answer, as the commands leave it out ([`jixiao::app::skipped`]); `/api/check` says so under
//! `skipped`, with the note the commands write on standard error.
//!
//! Nothing uploaded is written to disk: uploads are read into memory, their names are labels
//! only (never opened as paths), outputs are built in memory (the consolidated workbook without
//! rust_xlsxwriter's temporary files, see [`jixiao::write::merge::Spill`]) and everything is
//! dropped when the response has gone.
//!
//! This is a door, like [`crate::cmd`]: it calls the stages and the writers, and nothing but
//! the command that starts it (`jixiao serve`, which turns the arguments into [`Options`])
//! calls it.

mod api;
mod assets;
mod http;
mod upload;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use jixiao::app::{self, Run};
use jixiao::inputs::Readers;
use jixiao::messages::{serve as m, Lang};
use jixiao::pipeline::Config;

/// Requests whose files are processed at the same time; more wait for a turn (within their
/// time limit). Each already uses every core through rayon: the bound is on memory.
pub const MAX_JOBS: usize = 4;

/// The limits of one request (`--max-file-mb`, `--max-files`, `--max-request-mb`,
/// `--timeout-secs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_files: usize,
    pub max_request_bytes: u64,
    pub timeout: Duration,
}

/// How the server is to run: what `jixiao serve`'s arguments say.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on (a loopback one unless `--listen` names another).
    pub addr: SocketAddr,
    /// Open the page in the browser once listening.
    pub open: bool,
    pub limits: Limits,
    /// The language of the console lines and of a request that names none.
    pub lang: Lang,
    /// The templates and the defaults of the options a request may change.
    pub config: Config,
}

/// Why the server stopped other than by Ctrl+C, in a sentence of the server's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// It could not start (the address is taken, no runtime): nothing was served.
    Start(String),
    /// It failed while serving.
    Serve(String),
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Server {
    /// The templates and the defaults of the options a request may change.
    pub config: Config,
    /// The language of a request that names none.
    pub lang: Lang,
    pub limits: Limits,
    /// The access token every request must carry; `None` on a loopback address.
    pub token: Option<String>,
    /// Requests processing files now.
    pub jobs: tokio::sync::Semaphore,
    /// The worker processes every upload is read in, for the server's lifetime: a hostile
    /// file costs its worker, never the server ([`jixiao::inputs::Readers`]).
    pub readers: Readers,
}

impl Server {
    /// The run of one request: its configuration and language, the server's readers, and the
    /// flag set when the request is given up.
    pub fn run<'a>(&'a self, config: &'a Config, cancel: &'a AtomicBool, lang: Lang) -> Run<'a> {
        Run {
            config,
            readers: &self.readers,
            cancel,
            lang,
        }
    }
}

/// `jixiao serve`: listen, print the address to open, answer until Ctrl+C.
pub fn run(options: Options) -> Result<(), Error> {
    let lang = options.lang;
    let cannot_start = |detail: &dyn std::fmt::Display| {
        Error::Start(m::CANNOT_START.render(lang, &[("detail", &detail.to_string())]))
    };
    let token = if options.addr.ip().is_loopback() {
        None
    } else {
        Some(http::new_token().map_err(|e| cannot_start(&e))?)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| cannot_start(&e))?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (readers, said) = app::start_readers(workers, lang);
    if let Some(said) = said {
        say(std::io::stderr(), &said);
    }
    let server = Arc::new(Server {
        config: options.config,
        lang,
        limits: options.limits,
        token,
        jobs: tokio::sync::Semaphore::new(MAX_JOBS),
        readers,
    });
    runtime.block_on(serve(options.addr, server, options.open))
}

/// A line for the terminal that started the server. A terminal that is gone (`jixiao serve |
/// head -1`, a launcher that closed it) must not stop the server, as `println!` would by
/// panicking: the page is what the officer uses.
fn say(mut out: impl std::io::Write, line: &str) {
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

async fn serve(addr: SocketAddr, server: Arc<Server>, open: bool) -> Result<(), Error> {
    let lang = server.lang;
    let cannot_listen = |e: std::io::Error| Error::Start(listen_error(addr, &e, lang));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(cannot_listen)?;
    let local = listener.local_addr().map_err(cannot_listen)?;
    let url = page_url(local, server.token.as_deref());
    say(
        std::io::stdout(),
        &m::STARTED.render(lang, &[("url", &url)]),
    );
    if let Some(token) = &server.token {
        say(
            std::io::stderr(),
            &m::PUBLIC_WARNING.render(lang, &[("addr", &local.to_string()), ("token", token)]),
        );
    }
    say(std::io::stderr(), m::HOW_TO_STOP.get(lang));
    if open {
        if let Err(e) = opener::open_browser(&url) {
            say(
                std::io::stderr(),
                &m::CANNOT_OPEN_BROWSER.render(lang, &[("detail", &e.to_string()), ("url", &url)]),
            );
        }
    }
    let app = api::router(server);
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| Error::Serve(m::CANNOT_START.render(lang, &[("detail", &e.to_string())])))
}

/// Why listening on `addr` failed, in `lang`, with what to do: another port when this one is
/// taken or reserved, another address when the computer has not this one.
fn listen_error(addr: SocketAddr, e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let (a, port, ip) = (
        addr.to_string(),
        addr.port().to_string(),
        addr.ip().to_string(),
    );
    match e.kind() {
        K::AddrInUse => m::PORT_IN_USE.render(lang, &[("addr", &a), ("port", &port)]),
        K::AddrNotAvailable => m::ADDR_NOT_AVAILABLE.render(lang, &[("addr", &a), ("ip", &ip)]),
        K::PermissionDenied => {
            m::LISTEN_NO_PERMISSION.render(lang, &[("addr", &a), ("port", &port)])
        }
        _ => m::CANNOT_LISTEN.render(lang, &[("addr", &a), ("detail", &e.to_string())]),
    }
}

/// The address to open in a browser: the bound address (the loopback one of its family when it
/// listens on all addresses), with the token when one is needed.
fn page_url(local: SocketAddr, token: Option<&str>) -> String {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let host = SocketAddr::new(ip, local.port());
    match token {
        Some(t) => format!("http://{host}/?token={t}"),
        None => format!("http://{host}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_to_listen_says_what_to_do() {
        use std::io::{Error as IoError, ErrorKind};
        let addr: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(
            listen_error(addr, &IoError::from(ErrorKind::AddrInUse), Lang::Zh),
            "无法在 127.0.0.1:8080 上启动网页服务：端口 8080 已被其他程序占用（可能 jixiao serve 已在运行）。请换一个端口，如 --port 8081，或用 --port 0 任选一个空闲端口"
        );
        let addr: SocketAddr = "10.9.9.9:80".parse().unwrap();
        assert_eq!(
            listen_error(addr, &IoError::from(ErrorKind::AddrNotAvailable), Lang::En),
            "cannot start the web server on 10.9.9.9:80: this computer has no address 10.9.9.9. Write one of its own addresses, or 0.0.0.0 to listen on all of them"
        );
        assert_eq!(
            listen_error(addr, &IoError::from(ErrorKind::PermissionDenied), Lang::Zh),
            "无法在 10.9.9.9:80 上启动网页服务：没有权限使用端口 80（1024 以下的端口通常需要管理员权限）。请换一个端口，如 --port 8080"
        );
    }

    #[test]
    fn the_page_url_names_an_address_a_browser_can_open() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(
            page_url(a("127.0.0.1:8080"), None),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            page_url(a("0.0.0.0:9000"), Some("abc")),
            "http://127.0.0.1:9000/?token=abc"
        );
        assert_eq!(page_url(a("[::]:80"), None), "http://[::1]:80/");
        assert_eq!(
            page_url(a("192.168.1.5:8080"), Some("t")),
            "http://192.168.1.5:8080/?token=t"
        );
    }
}
