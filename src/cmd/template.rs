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
        // clap requires -o unless --check is given.
        return Ok(super::EXIT_USAGE);
    };
    if let Some(from) = &args.from {
        return draft(from, output, args.force, lang);
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
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| {
        UsageError(
            messages::template::UNREADABLE.render(lang, &[("reason", &format!("{name}: {e}"))]),
        )
    })?;
    let template = jixiao::template::Template::parse(&name, &text).map_err(|e| {
        UsageError(
            messages::template::BAD.render(lang, &[("file", &e.file), ("detail", &e.detail)]),
        )
    })?;
    let mut lines = jixiao::trial::outline(&name, &template, lang);
    let mut code = EXIT_OK;
    for sample in against {
        let sample_name = jixiao::inputs::display_name(sample);
        match jixiao::inputs::read_file(sample) {
            Ok(bytes) => {
                let found = jixiao::trial::against(&sample_name, &bytes, &template, lang);
                if found.len() == 1 {
                    code = EXIT_PROBLEM;
                }
                lines.extend(found);
            }
            Err(e) => {
                lines.push(e.message(lang));
                code = EXIT_PROBLEM;
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    if let Err(e) = output::stdout(out.as_bytes()) {
        return Ok(output::stdout_failed(&e, lang));
    }
    Ok(code)
}

/// `--from FORM -o DRAFT.toml`: a draft template from a blank official form.
fn draft(
    from: &std::path::Path,
    output: &std::path::Path,
    force: bool,
    lang: messages::Lang,
) -> Result<u8, UsageError> {
    use messages::template_check as m;
    let out_name = output.display().to_string();
    if output
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("toml"))
    {
        return Err(UsageError(
            messages::cli::DRAFT_OUTPUT.render(lang, &[("file", &out_name)]),
        ));
    }
    let name = jixiao::inputs::display_name(from);
    let bytes = match jixiao::inputs::read_file(from) {
        Ok(bytes) => bytes,
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    let workbook = match jixiao::read::read_bytes(&name, &bytes) {
        Ok(jixiao::read::Input::Workbook(wb)) => wb,
        Ok(jixiao::read::Input::Records(_)) => {
            output::note(&m::NO_SHEET.render(lang, &[("file", &name)]));
            return Ok(EXIT_PROBLEM);
        }
        Err(e) => {
            output::note(&e.message(lang));
            return Ok(EXIT_PROBLEM);
        }
    };
    let id = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let Some(d) = jixiao::draft::draft(&workbook, &id, &jixiao::template::Template::builtin())
    else {
        output::note(&m::NO_SHEET.render(lang, &[("file", &name)]));
        return Ok(EXIT_PROBLEM);
    };
    if let Err(e) =
        jixiao::write::write_output(output, d.toml.as_bytes(), force, &[from.to_path_buf()])
    {
        output::note(&e.message(lang));
        return Ok(EXIT_PROBLEM);
    }
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
