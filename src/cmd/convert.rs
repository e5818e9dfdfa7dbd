//! `jixiao convert IN... -o OUT`: each form as a record (JSON), a corrected workbook (xlsx) or
//! its indicator table (CSV), to one file, a folder of files, or standard output.

use std::path::{Path, PathBuf};

use crate::cli::{ConvertArgs, EncodingArg, OutputKind};
use crate::inputs::{self, Skip};
use crate::messages::{self, Lang};
use crate::pipeline::{Checked, Config, Processed};
use crate::write::{write_declaration_workbook, WriteError};

use super::{
    config, csv_encoding, extension, lang, output, output_kind, records_json, report_failures,
    skip_own_outputs, with_workers, UsageError, EXIT_OK, EXIT_PROBLEM,
};

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
pub(super) fn run(args: &ConvertArgs) -> Result<u8, UsageError> {
    let lang = lang(args.common.lang);
    let config = config(&args.common)?;
    let destination = destination(&args.output, args.to, lang)?;
    let skip = match destination {
        Destination::Stdout => Skip::Nothing,
        Destination::File(out, _) => Skip::File(out),
        Destination::Folder(out, kind) => Skip::Folder(out, extension(kind)),
    };
    let paths = inputs::collect(&args.inputs, skip);
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
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    }
    let processed = with_workers(&config, lang, |p| inputs::process_all(&paths, p));
    // Every path found stays an input that is never written over; the outputs of jixiao's
    // among them hold no form and are left out of the rest.
    let read: Vec<(&PathBuf, Processed)> = skip_own_outputs(
        paths.iter().zip(processed).collect(),
        |(_, p)| p.outcome.as_ref().err(),
        lang,
    );
    let failed = report_failures(read.iter().map(|(_, p)| p), lang);
    let forms: Vec<&Checked> = read
        .iter()
        .filter_map(|(_, p)| p.outcome.as_ref().ok())
        .flatten()
        .collect();
    let written = match destination {
        Destination::Stdout => {
            let mut json = records_json(&forms, paths.len() > 1 || forms.len() > 1);
            json.push('\n');
            if let Err(e) = output::stdout(json.as_bytes()) {
                return Ok(output::stdout_failed(&e, lang));
            }
            Ok(())
        }
        Destination::Folder(out, kind) => {
            if !convert_to_dir(args, out, kind, &config, &read, &paths, lang) {
                return Ok(EXIT_PROBLEM);
            }
            Ok(())
        }
        Destination::File(out, _) if forms.is_empty() => {
            // Every input failed and said so; say too that the output was not made.
            let file = out.display().to_string();
            output::note(&messages::cli::NOTHING_WRITTEN.render(lang, &[("file", &file)]));
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
            one_output(kind, &forms, array, &config, args.encoding, lang)
                .and_then(|bytes| crate::write::write_output(out, &bytes, args.force, &paths))
        }
    };
    if let Err(e) = written {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    Ok(if failed { EXIT_PROBLEM } else { EXIT_OK })
}

/// The bytes of one output file holding `forms`.
fn one_output(
    kind: OutputKind,
    forms: &[&Checked],
    array: bool,
    config: &Config,
    encoding: EncodingArg,
    lang: Lang,
) -> Result<Vec<u8>, WriteError> {
    Ok(match kind {
        OutputKind::Json => records_json(forms, array).into_bytes(),
        OutputKind::Xlsx => {
            let f = forms[0];
            let template = config.template(&f.declaration.template);
            write_declaration_workbook(&f.declaration, &template, &f.findings, &f.changes, lang)?
        }
        OutputKind::Csv => {
            let decls: Vec<_> = forms.iter().map(|f| &f.declaration).collect();
            crate::write::indicators_csv(&decls, csv_encoding(encoding))
        }
    })
}

/// `convert … -o DIR`: one output per form of `read`, named after its input, in the format
/// `--to` asks. Two inputs with the same name (`a/x.xlsx`, `b/x.xlsx`) get `x.json` and
/// `x-2.json`: never one written over the other, nor over any of `inputs`. A file that cannot
/// be written is reported and the others are still written; the result says whether every one
/// was.
fn convert_to_dir(
    args: &ConvertArgs,
    out: &Path,
    kind: OutputKind,
    config: &Config,
    read: &[(&PathBuf, Processed)],
    inputs: &[PathBuf],
    lang: Lang,
) -> bool {
    if let Err(e) = std::fs::create_dir_all(out) {
        output::note(&messages::cli::CANNOT_CREATE_DIR.render(
            lang,
            &[
                ("dir", &out.display().to_string()),
                ("detail", &e.to_string()),
            ],
        ));
        return false;
    }
    let ext = extension(kind);
    let mut names = OutputNames::default();
    let mut all_written = true;
    for (path, p) in read {
        let Ok(forms) = &p.outcome else { continue };
        let stem = path
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
            let written =
                one_output(kind, &[form], false, config, args.encoding, lang).and_then(|bytes| {
                    crate::write::write_output(&out.join(name), &bytes, args.force, inputs)
                });
            if let Err(e) = written {
                output::note(&e.message(lang));
                all_written = false;
            }
        }
    }
    all_written
}

/// The file names a run has given out in one folder. Compared without case: on Windows and
/// macOS `X.json` and `x.json` are one file.
#[derive(Default)]
struct OutputNames(std::collections::HashSet<String>);

impl OutputNames {
    /// `base.ext`, or `base-2.ext`, `base-3.ext`… when taken.
    fn claim(&mut self, base: &str, ext: &str) -> String {
        let mut name = format!("{base}.{ext}");
        let mut n = 2;
        while !self.0.insert(name.to_lowercase()) {
            name = format!("{base}-{n}.{ext}");
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clashing_output_name_gets_a_number() {
        let mut names = OutputNames::default();
        assert_eq!(names.claim("x", "json"), "x.json");
        assert_eq!(names.claim("x", "json"), "x-2.json");
        assert_eq!(names.claim("X", "json"), "X-3.json");
        assert_eq!(names.claim("x-2", "json"), "x-2-2.json");
        assert_eq!(names.claim("x", "xlsx"), "x.xlsx");
    }

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
}
