//! `jixiao convert IN... -o OUT`: each form as a record (JSON), a corrected workbook (xlsx) or
//! its indicator table (CSV), to one file, a folder of files, or standard output. What the
//! outputs hold and how they are named is the batch's ([`jixiao::app::convert`]); where `-o`
//! puts them is decided here.

use std::path::{Path, PathBuf};

use crate::cli::ConvertArgs;
use jixiao::app::convert::{Conversion, ConvertError, ConvertOptions, Naming, Output, Shape};
use jixiao::app::{self, Batch, Cancelled};
use jixiao::inputs::Skip;
use jixiao::messages::{self, Lang};
use jixiao::model::Counts;
use jixiao::report::counts_text;
use jixiao::write::output::{Form, OutputKind};
use jixiao::write::WriteError;

use super::{config, never, output, say_skipped, with_run, UsageError, EXIT_OK, EXIT_PROBLEM};

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
    let destination = destination(&args.output, args.to.map(OutputKind::from), lang)?;
    let (skip, kind, shape) = match destination {
        Destination::Stdout => (Skip::Nothing, OutputKind::Json, Shape::Whole),
        Destination::File(out, kind) => (Skip::File(out), kind, Shape::Whole),
        Destination::Folder(out, kind) => (
            Skip::Folder(out, kind.extension()),
            kind,
            Shape::PerInput(Naming::Folder),
        ),
    };
    let batch =
        Batch::of_paths(&args.inputs, skip).map_err(|none| UsageError(none.message(lang)))?;
    let options = ConvertOptions {
        kind,
        encoding: args.encoding.into(),
        shape,
        sheet: None,
    };
    options
        .validate(&batch)
        .map_err(|e| UsageError(e.message(lang)))?;
    if let Destination::File(out, _) = destination {
        if let Err(e) = jixiao::write::check_output(out, args.force, batch.paths()) {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    }
    with_run(&config, lang, |run| {
        let conversion = match app::convert::convert(&batch, run, &options) {
            Ok(c) => c,
            Err(ConvertError::Cancelled) => never(Cancelled),
            Err(e) => return Err(UsageError(e.message(lang))),
        };
        Ok(write(args, destination, &conversion, batch.paths(), lang))
    })
}

/// Put what `conversion` made where `destination` says, saying on standard error what was
/// left out, what could not be read and what was written; the exit status.
fn write(
    args: &ConvertArgs,
    destination: Destination,
    conversion: &Conversion,
    inputs: &[PathBuf],
    lang: Lang,
) -> u8 {
    say_skipped(&conversion.skipped, lang);
    for f in &conversion.failures {
        output::note(&f.message(lang));
    }
    let failed = !conversion.failures.is_empty();
    let written = match (destination, &conversion.outputs[..]) {
        (Destination::Stdout, [all]) => {
            let mut json = match conversion.bytes(all) {
                Ok(bytes) => bytes,
                Err(e) => {
                    output::note(&e.message(lang));
                    return EXIT_PROBLEM;
                }
            };
            json.push(b'\n');
            if let Err(e) = output::stdout(&json) {
                return output::stdout_failed(&e, lang);
            }
            Ok(())
        }
        (Destination::File(out, _), [all]) if all.forms.is_empty() => {
            // Every input failed and said so; say too that the output was not made.
            let file = out.display().to_string();
            output::note(&messages::cli::NOTHING_WRITTEN.render(lang, &[("file", &file)]));
            Ok(())
        }
        (Destination::File(out, _), [all]) => conversion
            .bytes(all)
            .and_then(|bytes| jixiao::write::write_output(out, &bytes, args.force, inputs))
            .map(|()| output::note(&written_line(out, &all.forms(), lang))),
        (Destination::Folder(out, _), outputs) => {
            if !write_to_dir(args, out, conversion, outputs, inputs, lang) {
                return EXIT_PROBLEM;
            }
            Ok(())
        }
        // `Shape::Whole` gives one output.
        (Destination::Stdout | Destination::File(..), _) => Ok(()),
    };
    if let Err(e) = written {
        output::note(&e.message(lang));
        return EXIT_PROBLEM;
    }
    if failed {
        EXIT_PROBLEM
    } else {
        EXIT_OK
    }
}

/// `convert … -o DIR`: each of `outputs` (one per input that gave a form, named by the batch,
/// never over any of `inputs`) written into `out`. A file that cannot be written is reported
/// and the others are still written; the result says whether every one was.
fn write_to_dir(
    args: &ConvertArgs,
    out: &Path,
    conversion: &Conversion,
    outputs: &[Output],
    inputs: &[PathBuf],
    lang: Lang,
) -> bool {
    if let Err(e) = std::fs::create_dir_all(out) {
        output::note(&WriteError::folder(&out.display().to_string(), &e).message(lang));
        return false;
    }
    let mut all_written = true;
    for o in outputs {
        let path = out.join(&o.name);
        let written = conversion
            .bytes(o)
            .and_then(|bytes| jixiao::write::write_output(&path, &bytes, args.force, inputs));
        match written {
            Ok(()) => output::note(&written_line(&path, &o.forms(), lang)),
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
