//! The thin binary: the command line, parsed in the officer's language, run by the library.

fn main() -> std::process::ExitCode {
    jixiao::cmd::main()
}
