//! The commands, one file each: arguments → [`Config`] → library calls → output → exit status.
//! This is the only place (with the web server to come) that prints or decides an exit status;
//! nothing below it imports it. Files are found and read through [`crate::inputs`], every form
//! goes through [`crate::pipeline`], and every output is built by [`crate::write`] as bytes and
//! put on disk by [`crate::write::write_output`].

mod check;
mod convert;
mod merge;
mod template;
pub mod usage;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command, Common, EncodingArg, LangArg, OutputKind};
use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Thing};
use crate::pipeline::{Checked, Config, Processed};
use crate::template::{Template, TemplateError};
use crate::write::CsvEncoding;

/// Exit status: every input read, no error finding.
pub const EXIT_OK: u8 = 0;
/// Exit status: an input could not be read, or (for `check`) a form has an error.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit status: the command line or the environment was wrong (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;

/// A problem with the invocation rather than with an input.
#[derive(Debug)]
pub struct UsageError(pub String);

/// The program: the command line parsed in the officer's language ([`usage::parse`]), then
/// run.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env = std::env::var_os(usage::LANG_VAR);
    match usage::parse(args, env.as_deref()) {
        usage::Parsed::Run(cli) => run(cli),
        usage::Parsed::Exit(code) => ExitCode::from(code),
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Convert(args) => convert::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Template(args) => template::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(msg)) => {
            eprintln!("jixiao: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }
}

/// The run configuration from the shared options.
fn config(common: &Common) -> Result<Config, UsageError> {
    Ok(Config {
        templates: templates(common.template.as_deref(), lang(common.lang))?,
        year: common.year,
        min_satisfaction: common.min_satisfaction,
    })
}

/// The built-in templates, with a template file (`--template`) first; a built-in one of the
/// same id is replaced by the file, not kept behind it. `--template gz-dept-overall` (an id
/// where a file is expected) is told what the id is for.
fn templates(extra: Option<&Path>, lang: Lang) -> Result<Vec<Template>, UsageError> {
    let mut templates = Template::builtin();
    if let Some(path) = extra {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            if !path.exists() && templates.iter().any(|t| t.id == file) {
                return UsageError(messages::template::IS_AN_ID.render(lang, &[("id", &file)]));
            }
            let reason = OsError::of(&e).message(lang, &file, Access::Read, Thing::File);
            UsageError(messages::template::UNREADABLE.render(lang, &[("reason", &reason)]))
        })?;
        let t = Template::parse(&file, &text).map_err(|e: TemplateError| {
            UsageError(
                messages::template::BAD.render(lang, &[("file", &e.file), ("detail", &e.detail)]),
            )
        })?;
        templates.retain(|b| b.id != t.id);
        templates.insert(0, t);
    }
    Ok(templates)
}

/// The extension of a file of `kind`.
fn extension(kind: OutputKind) -> &'static str {
    match kind {
        OutputKind::Json => "json",
        OutputKind::Xlsx => "xlsx",
        OutputKind::Csv => "csv",
    }
}

/// The kind of an output file, by its extension.
fn output_kind(path: &Path) -> Option<OutputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(OutputKind::Json),
        "xlsx" => Some(OutputKind::Xlsx),
        "csv" => Some(OutputKind::Csv),
        _ => None,
    }
}

fn csv_encoding(arg: EncodingArg) -> CsvEncoding {
    match arg {
        EncodingArg::Utf8 => CsvEncoding::Utf8Bom,
        EncodingArg::Gbk => CsvEncoding::Gbk,
    }
}

/// Say on standard error why each input that gave no form gave none; whether any did.
fn report_failures(processed: &[Processed], lang: Lang) -> bool {
    let mut failed = false;
    for p in processed {
        if let Err(f) = &p.outcome {
            eprintln!("{}", f.message(lang));
            failed = true;
        }
    }
    failed
}

/// Records as JSON: one object, or an array when `array`.
fn records_json(forms: &[&Checked], array: bool) -> String {
    let decls: Vec<_> = forms.iter().map(|f| &f.declaration).collect();
    let result = if array || decls.len() != 1 {
        serde_json::to_string_pretty(&decls)
    } else {
        serde_json::to_string_pretty(decls[0])
    };
    result.expect("records serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `template --template FILE` kept the built-in of the same id behind the file.
    #[test]
    fn a_template_file_replaces_the_builtin_of_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gz.toml");
        let builtin = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/gz-dept-overall.toml"),
        )
        .unwrap();
        std::fs::write(&path, builtin).unwrap();
        let all = templates(Some(&path), Lang::Zh).unwrap();
        assert_eq!(all.len(), Template::builtin().len());
        assert_eq!(all.iter().filter(|t| t.id == "gz-dept-overall").count(), 1);
        assert_eq!(all[0].id, "gz-dept-overall");
    }
}
