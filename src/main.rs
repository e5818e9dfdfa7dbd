//! The binary: the two doors onto the library, the command line (`cli`, `cmd`) and, with the
//! `serve` feature (on by default), the web server of `jixiao serve` (`serve`). They are
//! modules of the binary, not of the library: the engine (`jixiao`) can be used from anywhere
//! without a command line or a web server, and nothing in it can import a door.
//!
//! Started as `jixiao __worker …` by a pool of the library's (`jixiao::worker`), it is a worker
//! process that reads files for its parent.

mod cli;
mod cmd;
#[cfg(feature = "serve")]
mod serve;

fn main() -> std::process::ExitCode {
    #[cfg(unix)]
    {
        let mut args = std::env::args_os().skip(1);
        if args.next().is_some_and(|a| a == jixiao::worker::WORKER_ARG) {
            let rest: Vec<String> = args.filter_map(|a| a.into_string().ok()).collect();
            return std::process::ExitCode::from(jixiao::worker::main(&rest));
        }
    }
    cmd::main()
}
