//! `jixiao serve`: the arguments → the web server's [`Options`] → [`crate::serve::run`] until
//! Ctrl+C. The server is the page's door onto the same library; this command only starts it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::cli::ServeArgs;
use crate::serve::{self, Limits, Options};
use jixiao::messages::Lang;
use jixiao::pipeline::Config;

use super::{output, templates, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao serve [--port N | --listen ADDR:PORT] [--open] [limits]`.
pub(super) fn run(args: &ServeArgs) -> Result<u8, UsageError> {
    let lang: Lang = args.lang.into();
    let mb = |n: u64| n.saturating_mul(1 << 20);
    let options = Options {
        addr: args
            .listen
            .unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), args.port)),
        open: args.open,
        limits: Limits {
            max_file_bytes: mb(args.max_file_mb),
            max_files: args.max_files,
            max_request_bytes: mb(args.max_request_mb),
            timeout: Duration::from_secs(args.timeout_secs),
        },
        lang,
        config: Config {
            templates: templates(&args.template, args.templates.as_deref(), lang)?,
            ..Config::default()
        },
    };
    match serve::run(options) {
        Ok(()) => Ok(EXIT_OK),
        Err(serve::Error::Start(sentence)) => Err(UsageError(sentence)),
        Err(serve::Error::Serve(sentence)) => {
            output::note(&sentence);
            Ok(EXIT_PROBLEM)
        }
    }
}
