//! The thin binary: parse the command line, run the library, exit with its status. Started as
//! `jixiao __worker …` by a pool of the library's (`jixiao::worker`), it is a worker process
//! that reads files for its parent.

use clap::Parser;

fn main() -> std::process::ExitCode {
    #[cfg(unix)]
    {
        let mut args = std::env::args_os().skip(1);
        if args.next().is_some_and(|a| a == jixiao::worker::WORKER_ARG) {
            let rest: Vec<String> = args.filter_map(|a| a.into_string().ok()).collect();
            return std::process::ExitCode::from(jixiao::worker::main(&rest));
        }
    }
    jixiao::cmd::run(jixiao::cli::Cli::parse())
}
