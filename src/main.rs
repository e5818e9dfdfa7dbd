//! The thin binary: parse the command line, run the library, exit with its status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    jixiao::cmd::run(jixiao::cli::Cli::parse())
}
