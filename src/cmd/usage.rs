//! The command line in the officer's language: every help screen and every usage error in
//! Chinese (the default) or English, built with clap's own machinery from the words of
//! [`jixiao::messages::help`].
//!
//! The language must be known before clap parses, since clap itself prints help and decides
//! the errors: [`lang_of`] reads `--lang en` / `--lang=en` from the arguments, else the
//! environment variable `JIXIAO_LANG` (`en` or `zh`), else Chinese. [`command`] then builds
//! the clap `Command` of [`crate::cli`] in that language: about lines, argument help, value
//! names, our own usage lines, headings (`用法`/`选项`/`命令`) through help templates, our own
//! `-h/--help` and `-V/--version`, and the default of every `--lang` set to the language found
//! (so `JIXIAO_LANG=en` is the same as `--lang en` everywhere). A clap error is mapped to a
//! catalogue sentence by its kind and context ([`explain`]), with what to do next: the
//! similar command for a typo, what to write for a missing argument.

use std::ffi::{OsStr, OsString};

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

use crate::cli::Cli;
use jixiao::messages::{help as words, Lang};
use jixiao::template::Template;

/// The environment variable that sets the language when the arguments do not.
pub const LANG_VAR: &str = "JIXIAO_LANG";

/// The language of a run: `--lang en` or `--lang=en` among the arguments (the last one
/// given wins, as clap takes the last), else [`LANG_VAR`], else Chinese. Nothing after `--`
/// is an option.
pub fn lang_of(args: &[OsString], env: Option<&OsStr>) -> Lang {
    let parse = |v: &OsStr| v.to_str().and_then(Lang::from_code);
    let mut found = None;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            found = rest.next().and_then(|v| parse(v)).or(found);
        } else if let Some(v) = arg.to_str().and_then(|a| a.strip_prefix("--lang=")) {
            found = parse(OsStr::new(v)).or(found);
        }
    }
    found.or_else(|| env.and_then(parse)).unwrap_or_default()
}

/// The clap `Command` of [`Cli`] in `lang`, built (so that clap's own `help` command is there
/// to be worded too).
pub fn command(lang: Lang) -> clap::Command {
    let known: Vec<String> = Template::builtin().into_iter().map(|t| t.id).collect();
    let known = known.join(words::LIST_SEPARATOR.get(lang));
    let mut cmd = localize(Cli::command(), "", lang, &known)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(words::VERSION_FLAG.get(lang)),
        )
        .mut_subcommands(|sub| {
            let name = sub.get_name().to_string();
            localize(sub, &name, lang, &known)
        });
    cmd.build();
    // clap's own `help` command exists once the command is built; its help (`jixiao help
    // help`) lists the commands again.
    cmd.mut_subcommand("help", |h| {
        let template = format!(
            "{{about}}\n\n{}{{usage}}\n\n{}\n{{subcommands}}\n",
            words::HEADING_USAGE.get(lang),
            words::HEADING_COMMANDS.get(lang)
        );
        h.about(words::HELP_COMMAND.get(lang))
            .override_usage(format!("jixiao help [{}]", words::USAGE_COMMAND.get(lang)))
            .help_template(template)
            .mut_subcommand("help", |hh| hh.about(words::HELP_COMMAND.get(lang)))
    })
}

/// One command in `lang`: its about line, examples, help template and usage line, and every
/// argument's words. `name` is the command's name, `""` for `jixiao` itself.
fn localize(cmd: clap::Command, name: &str, lang: Lang, known: &str) -> clap::Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(words::HELP_FLAG.get(lang)),
        )
        .mut_args(|arg| localize_arg(arg, name, lang, known));
    if let Some(w) = words::command(name) {
        cmd = cmd.about(w.about.get(lang)).after_help(format!(
            "{}\n{}",
            words::HEADING_EXAMPLES.get(lang),
            w.examples.get(lang)
        ));
    }
    let usage = usage_line(&cmd, name, lang);
    let has_positionals = cmd.get_positionals().next().is_some();
    let mut template = String::from("{about}\n\n");
    template.push_str(&format!("{}{{usage}}\n", words::HEADING_USAGE.get(lang)));
    if name.is_empty() {
        template.push_str(&format!(
            "\n{}\n{{subcommands}}\n",
            words::HEADING_COMMANDS.get(lang)
        ));
    }
    if has_positionals {
        template.push_str(&format!(
            "\n{}\n{{positionals}}\n",
            words::HEADING_ARGUMENTS.get(lang)
        ));
    }
    template.push_str(&format!(
        "\n{}\n{{options}}{{after-help}}",
        words::HEADING_OPTIONS.get(lang)
    ));
    if name.is_empty() {
        template.insert_str(0, "{name} {version}\n");
    }
    cmd.override_usage(usage).help_template(template)
}

/// An argument's help, value name and default in `lang`. clap's own `[default: …]` and
/// `[possible values: …]` are English: they are hidden and said in our words instead.
fn localize_arg(arg: Arg, command: &str, lang: Lang, known: &str) -> Arg {
    let id = arg.get_id().as_str().to_string();
    if id == "help" || id == "version" {
        return arg;
    }
    let mut notes = Vec::new();
    let takes_value = arg.get_action().takes_values();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_value && !values.is_empty() {
        let list = values.join(words::LIST_SEPARATOR.get(lang));
        notes.push(words::ONE_OF.render(lang, &[("values", &list)]));
    }
    // `JIXIAO_LANG` (or `--lang` at the top) sets the language of every command.
    let arg = if id == "lang" {
        arg.default_value(lang.code())
    } else {
        arg
    };
    // The language's default is Chinese whatever this run's language: what it parses to here
    // (the language found) is no default a person could rely on.
    let defaults: Vec<String> = match id.as_str() {
        "lang" => vec![Lang::default().code().to_string()],
        _ => arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect(),
    };
    if takes_value && !defaults.is_empty() {
        notes.push(words::DEFAULT.render(lang, &[("value", &defaults.join(" "))]));
    }
    let Some(w) = words::arg(command, &id) else {
        return arg;
    };
    let mut help = w.help.render(lang, &[("known", known)]);
    if !notes.is_empty() {
        let note = notes.join(words::NOTE_SEPARATOR.get(lang));
        help.push_str(&words::NOTE.render(lang, &[("note", &note)]));
    }
    let mut arg = arg.help(help);
    if takes_value {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if let Some(v) = w.value_name {
        arg = arg.value_name(v.get(lang));
    }
    arg
}

/// `jixiao convert [选项] -o <输出> <输入>...`: the command, its required options, its
/// positional arguments.
fn usage_line(cmd: &clap::Command, name: &str, lang: Lang) -> String {
    let mut parts = vec!["jixiao".to_string()];
    if !name.is_empty() {
        parts.push(name.to_string());
    }
    parts.push(words::USAGE_OPTIONS.get(lang).to_string());
    for arg in cmd.get_opts().filter(|a| a.is_required_set()) {
        let name = match (arg.get_short(), arg.get_long()) {
            (Some(s), _) => format!("-{s}"),
            (None, Some(l)) => format!("--{l}"),
            (None, None) => continue,
        };
        parts.push(format!("{name} {}", value_placeholder(arg)));
    }
    for arg in cmd.get_positionals() {
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        parts.push(if arg.is_required_set() {
            format!("{}{dots}", value_placeholder(arg))
        } else {
            format!("[{}]{dots}", value_placeholder(arg))
        });
    }
    if cmd.has_subcommands() {
        parts.push(words::USAGE_COMMAND.get(lang).to_string());
    }
    parts.join(" ")
}

fn value_placeholder(arg: &Arg) -> String {
    let name = arg
        .get_value_names()
        .and_then(|n| n.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    format!("<{name}>")
}

/// An argument as a person types it: `-o/--output`, `--year`, or `<输入>` for a positional.
fn flag(arg: &Arg) -> String {
    match (arg.get_short(), arg.get_long()) {
        (Some(s), Some(l)) => format!("-{s}/--{l}"),
        (None, Some(l)) => format!("--{l}"),
        (Some(s), None) => format!("-{s}"),
        (None, None) => value_placeholder(arg),
    }
}

/// The command named on the command line (the first argument that is one), for errors,
/// which clap reports without saying which command they are about.
fn subcommand_named<'a>(cmd: &'a clap::Command, args: &[OsString]) -> Option<&'a clap::Command> {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .find_map(|a| {
            cmd.get_subcommands()
                .find(|s| s.get_name() != "help" && a.to_str() == Some(s.get_name()))
        })
}

/// The argument of `cmd` that clap names as `text` in an error (`--output <输出>`,
/// `<输入>...`, `-x`).
fn find_arg<'a>(cmd: &'a clap::Command, text: &str) -> Option<&'a Arg> {
    let head = text.split([' ', '=']).next().unwrap_or(text);
    if let Some(long) = head.strip_prefix("--") {
        return cmd.get_arguments().find(|a| a.get_long() == Some(long));
    }
    if let Some(short) = head.strip_prefix('-') {
        let mut chars = short.chars();
        let (c, rest) = (chars.next(), chars.next());
        return match (c, rest) {
            (Some(c), None) => cmd.get_arguments().find(|a| a.get_short() == Some(c)),
            _ => None,
        };
    }
    let name = head.trim_start_matches(['<', '[']);
    let name = name.split(['>', ']']).next().unwrap_or(name);
    cmd.get_positionals().find(|a| {
        a.get_value_names()
            .is_some_and(|n| n.iter().any(|v| v.as_str() == name))
    })
}

fn string(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(s) => s.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

fn strings(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(s)) => s.clone(),
        _ => Vec::new(),
    }
}

/// What to write for `arg`: its own sentence, else its list of values.
fn expectation(arg: Option<&Arg>, command: &str, lang: Lang) -> String {
    let Some(arg) = arg else {
        return String::new();
    };
    if let Some(e) = words::arg(command, arg.get_id().as_str()).and_then(|w| w.expect) {
        return e.get(lang).to_string();
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    words::CHOOSE.render(
        lang,
        &[("values", &values.join(words::LIST_SEPARATOR.get(lang)))],
    )
}

/// The sentence of a usage error, in `lang`, with what to do next: the first line says what is
/// wrong, the second is the usage line, the third says where the help is. `top` is the
/// command as built by [`command`], `args` the arguments as given.
pub fn explain(err: &clap::Error, top: &clap::Command, args: &[OsString], lang: Lang) -> String {
    let sub = subcommand_named(top, args);
    let cmd = sub.unwrap_or(top);
    let name = sub.map_or("", |s| s.get_name());
    let arg_text = |text: &str| find_arg(cmd, text).map_or_else(|| text.to_string(), flag);
    let list = |items: &[String]| items.join(words::LIST_SEPARATOR.get(lang));
    let commands: Vec<String> = top
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|s| s != "help")
        .collect();

    let first = match err.kind() {
        ErrorKind::InvalidSubcommand => {
            let bad = string(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            let mut line = words::UNKNOWN_COMMAND.render(lang, &[("name", &bad)]);
            match strings(err, ContextKind::SuggestedSubcommand).first() {
                Some(s) => line.push_str(&words::DID_YOU_MEAN.render(lang, &[("suggestion", s)])),
                None => line.push_str(
                    &words::KNOWN_COMMANDS.render(lang, &[("commands", &list(&commands))]),
                ),
            }
            line
        }
        ErrorKind::MissingSubcommand => {
            words::MISSING_COMMAND.render(lang, &[("commands", &list(&commands))])
        }
        ErrorKind::UnknownArgument => {
            let bad = string(err, ContextKind::InvalidArg).unwrap_or_default();
            let text = if bad.starts_with('-') {
                words::UNKNOWN_OPTION
            } else {
                words::EXTRA_ARGUMENT
            };
            let mut line = text.render(lang, &[("name", &bad)]);
            if let Some(s) = string(err, ContextKind::SuggestedArg) {
                line.push_str(&words::DID_YOU_MEAN.render(lang, &[("suggestion", &s)]));
            }
            line
        }
        ErrorKind::MissingRequiredArgument => strings(err, ContextKind::InvalidArg)
            .iter()
            .map(|text| {
                let arg = find_arg(cmd, text);
                words::MISSING.render(
                    lang,
                    &[
                        ("arg", &arg_text(text)),
                        ("expect", &expectation(arg, name, lang)),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let text = string(err, ContextKind::InvalidArg).unwrap_or_default();
            let value = string(err, ContextKind::InvalidValue).unwrap_or_default();
            let arg = find_arg(cmd, &text);
            let mut expect = expectation(arg, name, lang);
            if let Some(s) = string(err, ContextKind::SuggestedValue) {
                expect.push_str(words::FULL_STOP.get(lang));
                expect.push_str(&words::DID_YOU_MEAN.render(lang, &[("suggestion", &s)]));
            }
            let (sentence, value) = if value.is_empty() {
                (words::MISSING_VALUE, value)
            } else {
                (words::BAD_VALUE, value)
            };
            sentence.render(
                lang,
                &[
                    ("arg", &arg_text(&text)),
                    ("value", &value),
                    ("expect", &expect),
                ],
            )
        }
        ErrorKind::ArgumentConflict => {
            let bad = string(err, ContextKind::InvalidArg).unwrap_or_default();
            let prior = string(err, ContextKind::PriorArg).unwrap_or_default();
            if prior.is_empty() || arg_text(&prior) == arg_text(&bad) {
                words::TWICE.render(lang, &[("arg", &arg_text(&bad))])
            } else {
                words::CONFLICT.render(
                    lang,
                    &[("arg", &arg_text(&bad)), ("other", &arg_text(&prior))],
                )
            }
        }
        ErrorKind::TooManyValues => {
            let text = string(err, ContextKind::InvalidArg).unwrap_or_default();
            let value = string(err, ContextKind::InvalidValue).unwrap_or_default();
            words::TOO_MANY.render(lang, &[("arg", &arg_text(&text)), ("value", &value)])
        }
        ErrorKind::InvalidUtf8 => words::NOT_UTF8.get(lang).to_string(),
        _ => words::OTHER.get(lang).to_string(),
    };
    let usage = cmd
        .get_overridden_usage()
        .map(StyledStr::to_string)
        .unwrap_or_default();
    let help = if name.is_empty() {
        "jixiao --help".to_string()
    } else {
        format!("jixiao {name} --help")
    };
    format!(
        "jixiao: {first}\n{}{usage}\n{}",
        words::HEADING_USAGE.get(lang),
        words::HINT.render(lang, &[("help", &help)])
    )
}

/// What parsing the command line came to.
pub enum Parsed {
    /// A command to run, in the language found.
    Run(Cli),
    /// Help or the version was printed, or a usage error: exit with this status.
    Exit(u8),
}

/// Parse `args` (with the program name first) in the language of [`lang_of`]: a command to
/// run, or the help, the version or a usage error printed.
pub fn parse(args: Vec<OsString>, env_lang: Option<&OsStr>) -> Parsed {
    let lang = lang_of(&args, env_lang);
    let mut cmd = command(lang);
    let matches = cmd.try_get_matches_from_mut(args.iter());
    let err = match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => return Parsed::Run(cli),
        Err(err) => err,
    };
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // clap renders these from the command built above, in our words.
            let _ = err.print();
            Parsed::Exit(u8::try_from(err.exit_code()).unwrap_or(super::EXIT_USAGE))
        }
        _ => {
            super::output::note(&explain(&err, &cmd, &args, lang));
            Parsed::Exit(super::EXIT_USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_comes_from_the_arguments_then_the_environment() {
        let en = Some(OsStr::new("en"));
        assert_eq!(lang_of(&os(&["jixiao", "check", "a"]), None), Lang::Zh);
        assert_eq!(
            lang_of(&os(&["jixiao", "check", "--lang", "en"]), None),
            Lang::En
        );
        assert_eq!(
            lang_of(&os(&["jixiao", "--lang=en", "check"]), None),
            Lang::En
        );
        assert_eq!(lang_of(&os(&["jixiao", "check", "a"]), en), Lang::En);
        assert_eq!(
            lang_of(&os(&["jixiao", "check", "--lang", "zh"]), en),
            Lang::Zh
        );
        // The last one wins, as in clap; nothing after `--` is an option.
        assert_eq!(
            lang_of(&os(&["jixiao", "--lang", "en", "x", "--lang", "zh"]), None),
            Lang::Zh
        );
        assert_eq!(
            lang_of(&os(&["jixiao", "check", "--", "--lang", "en"]), None),
            Lang::Zh
        );
        // A wrong value is left to clap to report, in the language otherwise found.
        assert_eq!(
            lang_of(&os(&["jixiao", "check", "--lang", "fr"]), en),
            Lang::En
        );
    }

    /// Every command and every argument has its words in the catalogue, in both languages: a
    /// new field in `cli.rs` without them fails here, not in front of an officer.
    #[test]
    fn every_command_and_argument_has_its_words() {
        let cmd = Cli::command();
        assert!(words::command("").is_some());
        let mut missing = Vec::new();
        let commands =
            std::iter::once(("", &cmd)).chain(cmd.get_subcommands().map(|s| (s.get_name(), s)));
        for (name, c) in commands {
            if words::command(name).is_none() {
                missing.push(format!("command {name}"));
            }
            for arg in c.get_arguments() {
                let id = arg.get_id().as_str();
                if words::arg(name, id).is_none() {
                    missing.push(format!("{name} {id}"));
                }
            }
        }
        assert!(missing.is_empty(), "no words for: {missing:?}");
    }

    /// The built command is what clap accepts, in both languages.
    #[test]
    fn the_built_command_is_consistent() {
        for lang in [Lang::Zh, Lang::En] {
            command(lang).debug_assert();
        }
    }

    /// `--lang` says what it changes (the workbooks' sheet names and headers too) and what it
    /// does not: the form itself and the indicator CSV.
    #[test]
    fn lang_help_says_what_it_changes() {
        for (lang, words) in [
            (Lang::Zh, "工作表名、表头和文字"),
            (Lang::Zh, "申报表本身和指标 CSV 始终为中文"),
            (Lang::En, "sheet names, headers and words"),
            (
                Lang::En,
                "the form itself and the indicator CSV stay Chinese",
            ),
        ] {
            let mut cmd = command(lang);
            let help = cmd
                .find_subcommand_mut("merge")
                .unwrap()
                .render_long_help()
                .to_string();
            assert!(help.contains(words), "{help}");
        }
    }

    #[test]
    fn usage_lines() {
        let cmd = command(Lang::Zh);
        let usage = |name: &str| {
            cmd.find_subcommand(name)
                .and_then(|c| c.get_overridden_usage())
                .map(|u| u.to_string())
                .unwrap()
        };
        assert_eq!(
            usage("convert"),
            "jixiao convert [选项] -o <输出> <输入>..."
        );
        assert_eq!(usage("check"), "jixiao check [选项] <输入>...");
        assert_eq!(usage("template"), "jixiao template [选项]");
        #[cfg(feature = "serve")]
        assert_eq!(usage("serve"), "jixiao serve [选项]");
        assert_eq!(
            cmd.get_overridden_usage().unwrap().to_string(),
            "jixiao [选项] <命令>"
        );
        let cmd = command(Lang::En);
        assert_eq!(
            cmd.find_subcommand("merge")
                .and_then(|c| c.get_overridden_usage())
                .unwrap()
                .to_string(),
            "jixiao merge [OPTIONS] -o <OUT> <IN>..."
        );
    }

    /// The command list ends with `serve` when the server is built in.
    #[cfg(feature = "serve")]
    const SERVE_EN: &str = ", serve";
    #[cfg(not(feature = "serve"))]
    const SERVE_EN: &str = "";
    #[cfg(feature = "serve")]
    const SERVE_ZH: &str = "、serve";
    #[cfg(not(feature = "serve"))]
    const SERVE_ZH: &str = "";

    fn error_of(args: &[&str], lang: Lang) -> String {
        let mut cmd = command(lang);
        let args = os(args);
        let err = cmd.try_get_matches_from_mut(args.iter()).unwrap_err();
        explain(&err, &cmd, &args, lang)
    }

    /// A year or a percentage out of range is refused as one that is no number is, with the
    /// range the web API uses too (`Config::YEARS`, `Config::SATISFACTION`).
    #[test]
    fn values_out_of_range_are_refused() {
        assert_eq!(
            error_of(&["jixiao", "check", "a", "--year", "1800"], Lang::Zh),
            "jixiao: --year 的值“1800”无效：请写 1900 到 2200 之间的四位数年份，如 --year 2024\n用法：jixiao check [选项] <输入>...\n运行 jixiao check --help 查看用法和全部选项。"
        );
        assert_eq!(
            error_of(&["jixiao", "merge", "a", "-o", "b.xlsx", "--min-satisfaction", "120"], Lang::Zh)
                .lines()
                .next(),
            Some("jixiao: --min-satisfaction 的值“120”无效：请写 0 到 100 之间的数（不带 %），如 --min-satisfaction 85")
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        assert_eq!(
            error_of(&["jixiao", "check", "a", "--year", "abc"], Lang::Zh),
            "jixiao: --year 的值“abc”无效：请写 1900 到 2200 之间的四位数年份，如 --year 2024\n用法：jixiao check [选项] <输入>...\n运行 jixiao check --help 查看用法和全部选项。"
        );
        assert_eq!(
            error_of(&["jixiao", "check", "a", "--format", "jsn"], Lang::Zh)
                .lines()
                .next()
                .unwrap(),
            "jixiao: --format 的值“jsn”无效：请写 text、json 之一。您是否想用“json”？"
        );
        assert_eq!(
            error_of(&["jixiao", "check", "a", "--format"], Lang::En)
                .lines()
                .next()
                .unwrap(),
            "jixiao: --format needs a value: write one of text, json"
        );
        assert_eq!(
            error_of(
                &["jixiao", "check", "a", "--year", "2024", "--year", "2025"],
                Lang::Zh
            )
            .lines()
            .next()
            .unwrap(),
            "jixiao: --year 只能写一次"
        );
        assert_eq!(
            error_of(&["jixiao", "template", "extra", "-o", "x.xlsx"], Lang::Zh)
                .lines()
                .next()
                .unwrap(),
            "jixiao: 多余的参数“extra”。"
        );
        assert_eq!(
            error_of(&["jixiao", "--lang", "en"], Lang::En)
                .lines()
                .next()
                .unwrap(),
            format!("jixiao: say which command to run: convert, check, merge, template{SERVE_EN}.")
        );
        assert_eq!(
            error_of(&["jixiao", "report"], Lang::Zh)
                .lines()
                .next()
                .unwrap(),
            format!("jixiao: 未知的子命令“report”。可用的命令：convert、check、merge、template{SERVE_ZH}。")
        );
    }
}
