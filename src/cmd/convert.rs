//! `jixiao convert IN... -o OUT`: each form as a record (JSON), a corrected workbook (xlsx) or
//! its indicator table (CSV), to one file, a folder of files, or standard output.
//!
//! One output per input file, never per form: a workbook that holds several forms (docs/FORM.md
//! §1.4) gives one `.json` (an array of its records), one `.xlsx` (a 申报表 sheet per form) or
//! one `.csv` (every form's indicators), so that what goes back to a department is one file
//! for the one file it sent.

use std::path::{Path, PathBuf};

use crate::cli::ConvertArgs;
use crate::inputs::{self, Skip};
use crate::messages::{self, Lang};
use crate::model::Counts;
use crate::pipeline::{Config, Processed};
use crate::report::counts_text;
use crate::write::output::{form_output, records_json, Form, OutputKind, OutputNames};
use crate::write::WriteError;

use super::{
    config, output, report_failures, skip_own_outputs, with_workers, UsageError, EXIT_OK,
    EXIT_PROBLEM,
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
    let kind = OutputKind::of_path(out).ok_or_else(|| {
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
    let lang = args.common.lang.into();
    let config = config(&args.common)?;
    let destination = destination(&args.output, args.to, lang)?;
    let skip = match destination {
        Destination::Stdout => Skip::Nothing,
        Destination::File(out, _) => Skip::File(out),
        Destination::Folder(out, kind) => Skip::Folder(out, kind.extension()),
    };
    let paths = inputs::collect(&args.inputs, skip);
    if let Some(none) = inputs::nothing_found(&args.inputs, &paths) {
        return Err(UsageError(none.message(lang)));
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
    let processed = with_workers(&config, lang, |p| {
        inputs::process_all(&paths, &args.inputs, p)
    });
    // Every path found stays an input that is never written over; the outputs of jixiao's
    // among them hold no form and are left out of the rest.
    let read: Vec<(&PathBuf, Processed)> = skip_own_outputs(
        paths.iter().zip(processed).collect(),
        |(_, p)| p.outcome.as_ref().err(),
        lang,
    );
    let failed = report_failures(read.iter().map(|(_, p)| p), lang);
    let forms: Vec<Form> = read
        .iter()
        .filter_map(|(_, p)| p.outcome.as_ref().ok())
        .flatten()
        .map(|c| c.form())
        .collect();
    let written = match destination {
        Destination::Stdout => {
            let decls: Vec<_> = forms.iter().map(|f| f.declaration).collect();
            let mut json = records_json(&decls, paths.len() > 1 || forms.len() > 1);
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
        Destination::File(out, kind) => {
            let array = paths.len() > 1 || forms.len() > 1;
            let (templates, encoding) = (&config.templates, args.encoding.into());
            form_output(kind, &forms, array, templates, encoding, lang)
                .and_then(|bytes| crate::write::write_output(out, &bytes, args.force, &paths))
                .map(|()| output::note(&written_line(out, &forms, lang)))
        }
    };
    if let Err(e) = written {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    Ok(if failed { EXIT_PROBLEM } else { EXIT_OK })
}

/// `convert … -o DIR`: one output per input of `read`, named after it, in the format `--to`
/// asks, holding every form of the input (a JSON array when it holds several). Two inputs with
/// the same name (`a/x.xlsx`, `b/x.xlsx`) get `x.json` and `x-2.json`: never one written over
/// the other, nor over any of `inputs`. A file that cannot be written is reported and the
/// others are still written; the result says whether every one was.
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
        output::note(&WriteError::folder(&out.display().to_string(), &e).message(lang));
        return false;
    }
    let ext = kind.extension();
    let mut names = OutputNames::default();
    let mut all_written = true;
    for (path, p) in read {
        let Ok(forms) = &p.outcome else { continue };
        if forms.is_empty() {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = names.claim(&stem, ext);
        let forms: Vec<Form> = forms.iter().map(|f| f.form()).collect();
        let (templates, encoding) = (&config.templates, args.encoding.into());
        let path = out.join(name);
        let written = form_output(kind, &forms, forms.len() > 1, templates, encoding, lang)
            .and_then(|bytes| crate::write::write_output(&path, &bytes, args.force, inputs));
        match written {
            Ok(()) => output::note(&written_line(&path, &forms, lang)),
            Err(e) => {
                output::note(&e.message(lang));
                all_written = false;
            }
        }
    }
    all_written
}

/// `已写入 out.xlsx：申报表 1 份，错误 0，警告 3，提示 4，已修正 10`: one output written and
/// what its forms hold, counted as every report counts.
fn written_line(path: &Path, forms: &[Form], lang: Lang) -> String {
    let mut counts = Counts::default();
    for f in forms {
        counts += Counts::of(f.findings);
    }
    counts_text(
        &messages::cli::WRITTEN,
        counts,
        lang,
        &[
            ("file", &path.display().to_string()),
            ("forms", &forms.len().to_string()),
        ],
    )
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
}
