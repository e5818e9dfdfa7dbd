//! The command line, as clap derive structs: the structure only. The words (the `--help`
//! texts, value names, usage lines, usage errors) are in [`jixiao::messages::help`], in Chinese
//! and English, and are set on the clap `Command` when it is built for a run's language
//! (`crate::cmd::usage`). A field here without its words there fails a test.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use jixiao::messages::Lang;
use jixiao::write::output::OutputKind;
use jixiao::write::CsvEncoding;

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
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

// Options every command that reads forms shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    #[arg(long, value_parser = year)]
    pub year: Option<i32>,
    #[arg(long, default_value = "80", value_parser = percent)]
    pub min_satisfaction: rust_decimal::Decimal,
    #[arg(long)]
    pub template: Vec<PathBuf>,
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `--year`: a year of [`Config::YEARS`](jixiao::pipeline::Config::YEARS). The `Err` is empty:
/// clap's error carries the value and the argument, and the catalogue's words
/// (`crate::cmd::usage`) say what is expected.
fn year(s: &str) -> Result<i32, String> {
    s.trim()
        .parse()
        .ok()
        .filter(|y| jixiao::pipeline::Config::YEARS.contains(y))
        .ok_or_else(String::new)
}

/// `--min-satisfaction`: a percentage of [`Config::SATISFACTION`](jixiao::pipeline::Config::SATISFACTION).
fn percent(s: &str) -> Result<rust_decimal::Decimal, String> {
    let range = jixiao::pipeline::Config::SATISFACTION;
    let (low, high) = (range.start(), range.end());
    s.trim()
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|d| *d >= (*low).into() && *d <= (*high).into())
        .ok_or_else(String::new)
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Lang {
        match arg {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
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
    pub to: Option<KindArg>,
    #[command(flatten)]
    pub common: Common,
}

/// The format of an output file (`--to`, the server's `to=`): its value is the file's
/// extension ([`OutputKind::extension`]), the formats in [`OutputKind::ALL`]'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindArg(pub OutputKind);

impl ValueEnum for KindArg {
    fn value_variants<'a>() -> &'a [KindArg] {
        const ALL: [KindArg; 3] = [
            KindArg(OutputKind::ALL[0]),
            KindArg(OutputKind::ALL[1]),
            KindArg(OutputKind::ALL[2]),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.extension()))
    }
}

impl From<KindArg> for OutputKind {
    fn from(arg: KindArg) -> OutputKind {
        arg.0
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EncodingArg {
    Utf8,
    Gbk,
}

impl From<EncodingArg> for CsvEncoding {
    /// UTF-8 is written with a byte order mark, by which Excel knows it.
    fn from(arg: EncodingArg) -> CsvEncoding {
        match arg {
            EncodingArg::Utf8 => CsvEncoding::Utf8Bom,
            EncodingArg::Gbk => CsvEncoding::Gbk,
        }
    }
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
    #[arg(short, long, required_unless_present = "check")]
    pub output: Option<PathBuf>,
    /// `--check FILE.toml`: validate a template file and say what it reads.
    #[arg(long, conflicts_with_all = ["output", "from"])]
    pub check: Option<PathBuf>,
    /// `--against FORM`: with `--check`, what each part of the template finds in a sample.
    #[arg(long, requires = "check")]
    pub against: Vec<PathBuf>,
    /// `--from FORM`: draft a template file from a blank official form of a new layout.
    #[arg(long, requires = "output")]
    pub from: Option<PathBuf>,
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub template: Vec<PathBuf>,
    #[arg(long)]
    pub templates: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "8080", conflicts_with = "listen")]
    pub port: u16,
    #[arg(long)]
    pub listen: Option<std::net::SocketAddr>,
    #[arg(long)]
    pub open: bool,
    // The limits are at least 1: clap refuses 0 as any other bad value.
    #[arg(long, default_value = "20", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_mb: u64,
    #[arg(long, default_value = "5000", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_files: usize,
    #[arg(long, default_value = "256", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_request_mb: u64,
    #[arg(long, default_value = "300", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_secs: u64,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    #[arg(long)]
    pub template: Vec<PathBuf>,
    #[arg(long)]
    pub templates: Option<PathBuf>,
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
