//! The command line, as clap derive structs: the structure only. The words (the `--help`
//! texts, value names, usage lines, usage errors) are in [`crate::messages::help`], in Chinese
//! and English, and are set on the clap `Command` when it is built for a run's language
//! (`crate::cmd::usage`). A field here without its words there fails a test.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

// `--lang` is known at the top too, so that `jixiao --lang en --help` is English; the language
// is read from the arguments before clap parses them (see `crate::cmd::usage::lang_of`).
#[derive(Debug, Parser)]
#[command(name = "jixiao", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Convert(ConvertArgs),
    Check(CheckArgs),
    Merge(MergeArgs),
    Template(TemplateArgs),
}

// Options every command that reads forms shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, default_value = "80")]
    pub min_satisfaction: rust_decimal::Decimal,
    #[arg(long)]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[arg(short, long)]
    pub output: PathBuf,
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: EncodingArg,
    #[arg(long, value_enum)]
    pub to: Option<OutputKind>,
    #[command(flatten)]
    pub common: Common,
}

/// The format of an output file: from its extension, or from `--to` for a folder's files.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputKind {
    Json,
    Xlsx,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EncodingArg {
    Utf8,
    Gbk,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[arg(short, long)]
    pub output: PathBuf,
    #[arg(long)]
    pub forms: bool,
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: EncodingArg,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    #[arg(long, default_value = "gz-dept-overall")]
    pub variant: String,
    #[arg(short, long)]
    pub output: PathBuf,
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub template: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
