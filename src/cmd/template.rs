//! `jixiao template [--variant NAME] -o OUT.xlsx`: the blank official form of a variant, to a
//! file or (`-o -`) to standard output.

use crate::cli::TemplateArgs;
use jixiao::app;
use jixiao::messages;
use jixiao::write::output::OutputKind;

use super::{output, templates, UsageError, EXIT_OK, EXIT_PROBLEM};

/// `jixiao template [--variant NAME] -o OUT.xlsx`, `--check FILE.toml [--against FORM]`, or
/// `--from FORM -o DRAFT.toml`.
pub(super) fn run(args: &TemplateArgs) -> Result<u8, UsageError> {
    let lang = args.lang.into();
    if let Some(file) = &args.check {
        return check(file, &args.against, lang);
    }
    let Some(output) = &args.output else {
        // clap requires -o unless --check is given, and says so.
        return Ok(super::EXIT_USAGE);
    };
    if let Some(from) = &args.from {
        let templates = templates(&args.template, args.templates.as_deref(), lang)?;
        return draft(from, output, &templates, args.force, lang);
    }
    let to_stdout = output.as_os_str() == "-";
    if !to_stdout && OutputKind::of_path(output) != Some(OutputKind::Xlsx) {
        let file = output.display().to_string();
        return Err(UsageError(
            messages::cli::TEMPLATE_OUTPUT.render(lang, &[("file", &file)]),
        ));
    }
    let templates = templates(&args.template, args.templates.as_deref(), lang)?;
    let t = app::template::find(&templates, Some(&args.variant))
        .map_err(|e| UsageError(e.message(lang)))?;
    let bytes = match app::template::blank(t, lang) {
        Ok(bytes) => bytes,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if to_stdout {
        return Ok(match output::stdout(&bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => output::stdout_failed(&e, lang),
        });
    }
    match jixiao::write::write_output(output, &bytes, args.force, &[]) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) => {
            output::note(&e.message(lang));
            Ok(EXIT_PROBLEM)
        }
    }
}

/// `--check FILE.toml [--against FORM]...`: the template's outline, then what it finds in each
/// sample. An invalid template is a usage error (exit 2) with its reason; a sample read with no
/// form, exit 1.
fn check(
    file: &std::path::Path,
    against: &[std::path::PathBuf],
    lang: messages::Lang,
) -> Result<u8, UsageError> {
    let checked =
        app::template::check(file, against, lang).map_err(|e| UsageError(e.message(lang)))?;
    let mut out = checked.lines.join("\n");
    out.push('\n');
    if let Err(e) = output::stdout(out.as_bytes()) {
        return Ok(output::stdout_failed(&e, lang));
    }
    Ok(if checked.all_read {
        EXIT_OK
    } else {
        EXIT_PROBLEM
    })
}

/// `--from FORM -o DRAFT.toml`: a draft template from a blank official form, never over a file
/// jixiao did not write.
fn draft(
    from: &std::path::Path,
    output: &std::path::Path,
    templates: &[jixiao::template::Template],
    force: bool,
    lang: messages::Lang,
) -> Result<u8, UsageError> {
    use messages::template_check as m;
    let out_name = output.display().to_string();
    if !app::templates::is_template_file(&out_name) {
        return Err(UsageError(
            messages::cli::DRAFT_OUTPUT.render(lang, &[("file", &out_name)]),
        ));
    }
    let id = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let d = match app::template::draft_from(from, &id, templates) {
        Ok(d) => d,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    if let Err(e) =
        jixiao::write::write_output(output, d.toml.as_bytes(), force, &[from.to_path_buf()])
    {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
    let name = jixiao::inputs::display_name(from);
    let (fields, tables, extras) = (
        d.fields.to_string(),
        d.tables.to_string(),
        d.extras.to_string(),
    );
    output::note(&m::DRAFTED.render(
        lang,
        &[
            ("file", &name),
            ("output", &out_name),
            ("fields", &fields),
            ("tables", &tables),
            ("extras", &extras),
        ],
    ));
    if let Err(e) = jixiao::template::Template::parse(&out_name, &d.toml) {
        output::note(&m::DRAFT_INVALID.render(lang, &[("detail", &e.detail)]));
    }
    Ok(EXIT_OK)
}
