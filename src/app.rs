//! The commands: the edge of the program where files are found, read and written, and where
//! the exit status is decided. Everything in between is the library's pure pipeline.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{
    CheckArgs, Cli, Command, Common, ConvertArgs, EncodingArg, LangArg, OutputKind, TemplateArgs,
};
use crate::messages::{self, Lang};
use crate::pipeline::{self, Checked, Config, Processed};
use crate::template::Template;
use crate::write::output::{extension, form_output, records_json, OutputNames};
use crate::write::CsvEncoding;

/// Exit status: every input read, no error finding.
pub const EXIT_OK: u8 = 0;
/// Exit status: an input could not be read, or (for `check`) a form has an error.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit status: the command line or the environment was wrong (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;

/// Extensions searched for inside folders (OUTPUT.md §2). Files named explicitly are read
/// whatever their extension: the content decides.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"];

/// A problem with the invocation rather than with an input.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Convert(args) => convert(&args),
        Command::Check(args) => check(&args),
        Command::Merge(args) => crate::merge::run(&args),
        Command::Template(args) => template(&args),
        Command::Serve(args) => crate::serve::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(msg)) => {
            eprintln!("jixiao: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

pub fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }
}

/// The run configuration from the shared options.
pub fn config(common: &Common) -> Result<Config, UsageError> {
    Ok(Config {
        templates: templates(common.template.as_deref())?,
        year: common.year,
        min_satisfaction: common.min_satisfaction,
    })
}

/// The built-in templates, with a template file (`--template`) first; a built-in one of the
/// same id is replaced by the file, not kept behind it.
pub fn templates(extra: Option<&Path>) -> Result<Vec<Template>, UsageError> {
    let mut templates = Template::builtin();
    if let Some(path) = extra {
        let t = Template::load(path).map_err(|e| UsageError(e.to_string()))?;
        templates.retain(|b| b.id != t.id);
        templates.insert(0, t);
    }
    Ok(templates)
}

/// An output to leave out of the files found in folders, so that a second run does not take
/// the first run's output for an input (and then refuse to write over it).
#[derive(Debug, Clone, Copy)]
pub enum Skip<'a> {
    /// Nothing is written beside the inputs (`check`, `-o -`).
    Nothing,
    /// One output file.
    File(&'a Path),
    /// A folder of outputs, each with this extension.
    Folder(&'a Path, &'a str),
}

/// Files named, and the spreadsheet files inside folders named (recursively), in sorted order
/// within each folder; a missing path is kept so that it is reported like any unreadable input.
///
/// Of the files found in folders, the output is left out: the output file, and everything
/// below an output folder, or, when the output folder is where the inputs are
/// (`convert in -o in`), the files there of the output's kind. A file named explicitly is
/// always kept: writing over it is refused later, as writing over any input is.
pub fn collect_inputs(inputs: &[PathBuf], skip: Skip) -> Vec<PathBuf> {
    let skip_file = match skip {
        Skip::File(p) => p.canonicalize().ok(),
        _ => None,
    };
    let skip_dir = match skip {
        Skip::Folder(p, ext) => p.canonicalize().ok().map(|d| (d, ext)),
        _ => None,
    };
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found);
            if skip_file.is_some() || skip_dir.is_some() {
                let root = input.canonicalize().ok();
                found.retain(|f| {
                    let Ok(f) = f.canonicalize() else { return true };
                    if skip_file.as_ref() == Some(&f) {
                        return false;
                    }
                    match &skip_dir {
                        Some((dir, ext)) if root.as_ref().is_some_and(|r| r.starts_with(dir)) => {
                            !(f.parent() == Some(dir.as_path())
                                && f.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
                        }
                        Some((dir, _)) => !f.starts_with(dir),
                        None => true,
                    }
                });
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Follow no symlinked folders: a link loop must not hang a batch.
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        if path.is_dir() && !is_link {
            walk(&path, out);
        } else if path.is_file() && has_input_extension(&path) && !is_lock_file(&path) {
            out.push(path);
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `~$name.xlsx`: the lock file Excel and WPS leave beside an open workbook.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}

/// Process inputs; with several, in parallel, keeping the input order.
pub fn process_all(paths: &[PathBuf], config: &Config) -> Vec<Processed> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|p| pipeline::process_path(p, config))
        .collect()
}

pub fn output_kind(path: &Path) -> Option<OutputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(OutputKind::Json),
        "xlsx" => Some(OutputKind::Xlsx),
        "csv" => Some(OutputKind::Csv),
        _ => None,
    }
}

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

/// Where `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination<'a> {
    /// `-o -`: the records as JSON on standard output.
    Stdout,
    /// One file, its format from its extension.
    File(&'a Path, OutputKind),
    /// A folder, one file per form in the format of `--to`.
    Folder(&'a Path, OutputKind),
}

/// `-o` is a folder when it is one already, ends with a path separator or has no extension;
/// otherwise it is a file whose extension must be one `convert` writes (an `out.xls` is not
/// silently made a folder). `--to` chooses the format of a folder's files and is an error
/// beside a file, whose extension chooses.
fn destination<'a>(
    out: &'a Path,
    to: Option<OutputKind>,
    lang: Lang,
) -> Result<Destination<'a>, UsageError> {
    let text = out.to_string_lossy();
    if text == "-" {
        return match to {
            None => Ok(Destination::Stdout),
            Some(_) => Err(UsageError(
                messages::cli::TO_WITH_FILE.get(lang).to_string(),
            )),
        };
    }
    let ends_with_separator = text.chars().last().is_some_and(std::path::is_separator);
    if out.is_dir() || ends_with_separator || out.extension().is_none() {
        return Ok(Destination::Folder(out, to.unwrap_or(OutputKind::Json)));
    }
    let kind = output_kind(out).ok_or_else(|| {
        UsageError(
            messages::cli::UNKNOWN_OUTPUT.render(lang, &[("file", &out.display().to_string())]),
        )
    })?;
    match to {
        None => Ok(Destination::File(out, kind)),
        Some(_) => Err(UsageError(
            messages::cli::TO_WITH_FILE.get(lang).to_string(),
        )),
    }
}

/// `jixiao convert IN... -o OUT`.
fn convert(args: &ConvertArgs) -> Result<u8, UsageError> {
    let lang = lang(args.common.lang);
    let config = config(&args.common)?;
    let destination = destination(&args.output, args.to, lang)?;
    let skip = match destination {
        Destination::Stdout => Skip::Nothing,
        Destination::File(out, _) => Skip::File(out),
        Destination::Folder(out, kind) => Skip::Folder(out, extension(kind)),
    };
    let paths = collect_inputs(&args.inputs, skip);
    if paths.is_empty() {
        return Err(UsageError(messages::cli::NO_INPUTS.get(lang).to_string()));
    }
    if let Destination::File(out, kind) = destination {
        if paths.len() > 1 && kind != OutputKind::Json {
            return Err(UsageError(
                messages::cli::SEVERAL_NEED_DIR.get(lang).to_string(),
            ));
        }
        if let Err(e) = crate::write::check_output(out, args.force, &paths) {
            eprintln!("{}", e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    }
    let processed = process_all(&paths, &config);
    let failed = report_failures(&processed, lang);
    let forms: Vec<&Checked> = processed
        .iter()
        .filter_map(|p| p.outcome.as_ref().ok())
        .flatten()
        .collect();
    let written = match destination {
        Destination::Stdout => {
            let json = records_json(&forms, paths.len() > 1 || forms.len() > 1);
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(json.as_bytes());
            let _ = stdout.write_all(b"\n");
            Ok(())
        }
        Destination::Folder(out, kind) => {
            if !convert_to_dir(args, out, kind, &config, &processed, &paths, lang) {
                return Ok(EXIT_PROBLEM);
            }
            Ok(())
        }
        Destination::File(out, _) if forms.is_empty() => {
            // Every input failed and said so; say too that the output was not made.
            let file = out.display().to_string();
            eprintln!(
                "{}",
                messages::cli::NOTHING_WRITTEN.render(lang, &[("file", &file)])
            );
            Ok(())
        }
        Destination::File(_, OutputKind::Xlsx) if forms.len() > 1 => {
            // A JSON input holding several records: one workbook holds one form.
            return Err(UsageError(
                messages::cli::SEVERAL_NEED_DIR.get(lang).to_string(),
            ));
        }
        Destination::File(out, kind) => {
            let array = paths.len() > 1 || forms.len() > 1;
            form_output(
                kind,
                &forms,
                array,
                &config,
                csv_encoding(args.encoding),
                lang,
            )
            .and_then(|bytes| crate::write::write_output(out, &bytes, args.force, &paths))
        }
    };
    if let Err(e) = written {
        eprintln!("{}", e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    Ok(if failed { EXIT_PROBLEM } else { EXIT_OK })
}

/// `convert … -o DIR`: one output per form, named after its input, in the format `--to` asks.
/// Two inputs with the same name (`a/x.xlsx`, `b/x.xlsx`) get `x.json` and `x-2.json`: never
/// one written over the other. A file that cannot be written is reported and the others are
/// still written; the result says whether every one was.
fn convert_to_dir(
    args: &ConvertArgs,
    out: &Path,
    kind: OutputKind,
    config: &Config,
    processed: &[Processed],
    inputs: &[PathBuf],
    lang: Lang,
) -> bool {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!(
            "{}",
            messages::cli::CANNOT_CREATE_DIR.render(
                lang,
                &[
                    ("dir", &out.display().to_string()),
                    ("detail", &e.to_string())
                ]
            )
        );
        return false;
    }
    let ext = extension(kind);
    let mut names = OutputNames::default();
    let mut all_written = true;
    for p in processed {
        let Ok(forms) = &p.outcome else { continue };
        let stem = p
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, form) in forms.iter().enumerate() {
            let base = if forms.len() > 1 {
                format!("{stem}-{}", i + 1)
            } else {
                stem.clone()
            };
            let name = names.claim(&base, ext);
            let written = form_output(
                kind,
                &[form],
                false,
                config,
                csv_encoding(args.encoding),
                lang,
            )
            .and_then(|bytes| {
                crate::write::write_output(&out.join(name), &bytes, args.force, inputs)
            });
            if let Err(e) = written {
                eprintln!("{}", e.message(lang));
                all_written = false;
            }
        }
    }
    all_written
}

pub fn csv_encoding(arg: EncodingArg) -> CsvEncoding {
    match arg {
        EncodingArg::Utf8 => CsvEncoding::Utf8Bom,
        EncodingArg::Gbk => CsvEncoding::Gbk,
    }
}

/// `jixiao template [--variant NAME] -o OUT.xlsx`.
fn template(args: &TemplateArgs) -> Result<u8, UsageError> {
    let lang = Lang::Zh;
    let templates = templates(args.template.as_deref())?;
    let Some(t) = templates.iter().find(|t| t.id == args.variant) else {
        let known: Vec<&str> = templates.iter().map(|t| t.id.as_str()).collect();
        return Err(UsageError(messages::cli::UNKNOWN_VARIANT.render(
            lang,
            &[("variant", &args.variant), ("known", &known.join(", "))],
        )));
    };
    let written = crate::write::blank_form(t)
        .and_then(|bytes| crate::write::write_output(&args.output, &bytes, args.force, &[]));
    match written {
        Ok(()) => Ok(EXIT_OK),
        Err(e) => {
            eprintln!("{}", e.message(lang));
            Ok(EXIT_PROBLEM)
        }
    }
}

/// `jixiao check IN...`.
fn check(args: &CheckArgs) -> Result<u8, UsageError> {
    let lang = lang(args.common.lang);
    let config = config(&args.common)?;
    let paths = collect_inputs(&args.inputs, Skip::Nothing);
    let processed = process_all(&paths, &config);
    let results = crate::report::results(&processed, lang);
    let text = match args.format {
        crate::cli::FormatArg::Json => crate::report::to_json_string(&results, lang),
        crate::cli::FormatArg::Text => {
            use std::io::IsTerminal;
            crate::report::to_text(&results, lang, std::io::stdout().is_terminal())
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let bad = results.iter().any(|r| {
        !r.read
            || r.findings
                .iter()
                .any(|f| f.severity() == crate::model::Severity::Error)
    });
    Ok(if bad { EXIT_PROBLEM } else { EXIT_OK })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_path_decides_file_or_folder() {
        use Destination::*;
        let d = |s: &'static str, to| destination(Path::new(s), to, Lang::Zh);
        let p = Path::new;
        assert_eq!(d("-", None).unwrap(), Stdout);
        assert_eq!(
            d("a.xlsx", None).unwrap(),
            File(p("a.xlsx"), OutputKind::Xlsx)
        );
        assert_eq!(d("out", None).unwrap(), Folder(p("out"), OutputKind::Json));
        assert_eq!(
            d("out.d/", Some(OutputKind::Csv)).unwrap(),
            Folder(p("out.d/"), OutputKind::Csv)
        );
        assert_eq!(
            d("out.xls", None).unwrap_err().0,
            "out.xls：不能输出为这种文件。输出文件须为 .json、.xlsx 或 .csv，或一个文件夹"
        );
        assert_eq!(
            d("a.json", Some(OutputKind::Xlsx)).unwrap_err().0,
            "--to 只用于输出到文件夹；输出文件的格式由它的扩展名决定"
        );
        assert!(d("-", Some(OutputKind::Xlsx)).is_err());
    }

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
        let all = templates(Some(&path)).unwrap();
        assert_eq!(all.len(), Template::builtin().len());
        assert_eq!(all.iter().filter(|t| t.id == "gz-dept-overall").count(), 1);
        assert_eq!(all[0].id, "gz-dept-overall");
    }
}
