//! The thin binary: the command line, parsed in the officer's language, run by the library.
//! Started as `jixiao __worker …` by a pool of the library's (`jixiao::worker`), it is a worker
//! process that reads files for its parent.

fn main() -> std::process::ExitCode {
    #[cfg(unix)]
    {
        let mut args = std::env::args_os().skip(1);
        if args.next().is_some_and(|a| a == jixiao::worker::WORKER_ARG) {
            let rest: Vec<String> = args.filter_map(|a| a.into_string().ok()).collect();
            return std::process::ExitCode::from(jixiao::worker::main(&rest));
        }
    }
    jixiao::cmd::main()
}
