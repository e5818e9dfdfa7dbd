//! The command line, as clap derive structs. Doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// jixiao（绩效）：读取、校验、修正并汇总部门整体预算绩效目标申报表。
///
/// Reads department budget performance target forms in any shape (.xlsx .xlsm .xls .xlsb .ods
/// .csv .json), checks every sum and indicator, writes corrected standardized workbooks and
/// consolidates many departments into one.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 转换：读取申报表，输出修正后的 JSON / 标准化工作簿 / 指标 CSV
    /// (convert forms to JSON, a corrected workbook, or an indicator CSV).
    Convert(ConvertArgs),
    /// 校验：逐份检查申报表，列出问题与修改建议 (check forms and list every problem).
    Check(CheckArgs),
    /// 汇总：把多个部门的申报表合并为一个工作簿 (consolidate many forms into one workbook).
    Merge(MergeArgs),
    /// 模板：生成空白的标准申报表 (write the blank official form).
    Template(TemplateArgs),
}

/// Options every command that reads forms shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// 消息语言：问题说明、建议和批注的语言；工作表名和表头始终为中文
    /// (language of the messages: findings, suggestions, notes; sheet names and headers stay
    /// Chinese).
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// 预算年度，标题中没有年度时使用 (the budget year when the title has none).
    #[arg(long)]
    pub year: Option<i32>,
    /// 满意度指标的最低值（百分比）(lowest acceptable satisfaction target, in %).
    #[arg(long, default_value = "80")]
    pub min_satisfaction: rust_decimal::Decimal,
    /// 另加一个模板文件（TOML），优先于内置模板 (an extra template file, preferred over the built-in ones).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// 输入文件 (input files).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// 输出：.json、.xlsx、.csv 文件，文件夹（已存在、以 / 结尾或没有扩展名；每个输入一个文件），
    /// 或 - 表示标准输出 (output: a .json/.xlsx/.csv file; a folder, one file per input, when it
    /// exists, ends with / or has no extension; or - for stdout).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// 覆盖已存在的输出文件 (overwrite an existing output).
    #[arg(long)]
    pub force: bool,
    /// CSV 输出的编码 (encoding of CSV output).
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: EncodingArg,
    /// 输出到文件夹时每个文件的格式，默认 json；输出为文件时由扩展名决定
    /// (the format of each file when writing to a folder, json by default; a file's format
    /// comes from its extension).
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
    /// 输入文件或文件夹（递归查找）(input files or folders, searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// 输出格式 (output format).
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
    /// 输入文件或文件夹（递归查找）(input files or folders, searched recursively).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// 输出：.xlsx 汇总工作簿、.json 记录数组或 .csv 指标表 (output: .xlsx, .json or .csv).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// 把每个部门的申报表各放一个工作表 (add each department's form as its own sheet).
    #[arg(long)]
    pub forms: bool,
    /// 不显示进度和结束时的汇总行 (no progress bar and no closing summary line).
    #[arg(short, long)]
    pub quiet: bool,
    /// 覆盖已存在的输出文件 (overwrite an existing output).
    #[arg(long)]
    pub force: bool,
    /// CSV 输出的编码 (encoding of CSV output).
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: EncodingArg,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 模板变体 (template variant): gz-dept-overall, zj-dept-overall.
    #[arg(long, default_value = "gz-dept-overall")]
    pub variant: String,
    /// 输出的 .xlsx 文件，或 - 表示标准输出 (output .xlsx file, or - for stdout).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// 覆盖已存在的输出文件 (overwrite an existing output).
    #[arg(long)]
    pub force: bool,
    /// 另加一个模板文件（TOML）(an extra template file).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `--lang` changes the messages, not the workbook's sheet names and headers: say so.
    #[test]
    fn lang_help_says_what_it_changes() {
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("merge")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(help.contains("工作表名和表头始终为中文"), "{help}");
        assert!(help.contains("sheet names and headers stay"), "{help}");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
