//! The command line as an officer meets it: help screens and usage errors in the chosen
//! language, the same answer for the same failure in every command, OS errors and documents
//! that are no spreadsheet explained. The real binary, word for word.

use std::process::Output;

use assert_cmd::Command;

use crate::common::{fixtures, jixiao, show};

/// Run jixiao in `dir` with `JIXIAO_LANG` set to `lang`.
fn with_env_lang(args: &[&str], dir: &std::path::Path, lang: &str) -> Output {
    Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(dir)
        .env("JIXIAO_LANG", lang)
        .args(args)
        .output()
        .unwrap()
}

fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A usage error: exit 2, nothing on standard output, these lines on standard error.
fn usage_error(args: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao(args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", show(args, &out));
    assert!(out.stdout.is_empty(), "{}", show(args, &out));
    assert_eq!(stderr_lines(&out), expected, "{}", show(args, &out));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "wrote something"
    );
}

#[test]
fn a_typo_in_the_command_names_the_command_meant() {
    usage_error(
        &["chek", "a.xlsx"],
        &[
            "jixiao: 未知的子命令“chek”。您是否想用“check”？",
            "用法：jixiao [选项] <命令>",
            "运行 jixiao --help 查看用法和全部选项。",
        ],
    );
    usage_error(
        &["chek", "a.xlsx", "--lang", "en"],
        &[
            "jixiao: unknown command \"chek\". Did you mean \"check\"?",
            "Usage: jixiao [OPTIONS] <COMMAND>",
            "Run jixiao --help for the usage and every option.",
        ],
    );
}

#[test]
fn a_missing_output_says_what_to_write() {
    usage_error(
        &["convert", "a.xlsx"],
        &[
            "jixiao: 缺少 -o/--output：请在 -o 后写出输出文件（.json、.xlsx 或 .csv）或文件夹，如 -o 某局-修正.xlsx",
            "用法：jixiao convert [选项] -o <输出> <输入>...",
            "运行 jixiao convert --help 查看用法和全部选项。",
        ],
    );
    usage_error(
        &["merge", "forms", "--lang=en"],
        &[
            "jixiao: -o/--output is missing: write the output file (.xlsx, .json or .csv) after -o, such as -o consolidated.xlsx",
            "Usage: jixiao merge [OPTIONS] -o <OUT> <IN>...",
            "Run jixiao merge --help for the usage and every option.",
        ],
    );
    usage_error(
        &["check"],
        &[
            "jixiao: 缺少 <输入>：请写出要处理的申报表文件或文件夹，如 jixiao check 申报表文件夹/",
            "用法：jixiao check [选项] <输入>...",
            "运行 jixiao check --help 查看用法和全部选项。",
        ],
    );
}

#[test]
fn an_unknown_option_names_the_option_meant() {
    usage_error(
        &["check", "a.xlsx", "--frmat", "json"],
        &[
            "jixiao: 未知的选项“--frmat”。您是否想用“--format”？",
            "用法：jixiao check [选项] <输入>...",
            "运行 jixiao check --help 查看用法和全部选项。",
        ],
    );
    usage_error(
        &["merge", "in", "-o", "x.xlsx", "--lang", "en", "--foce"],
        &[
            "jixiao: unknown option \"--foce\". Did you mean \"--force\"?",
            "Usage: jixiao merge [OPTIONS] -o <OUT> <IN>...",
            "Run jixiao merge --help for the usage and every option.",
        ],
    );
    usage_error(
        &["check", "a.xlsx", "--format", "xml"],
        &[
            "jixiao: --format 的值“xml”无效：请写 text、json 之一",
            "用法：jixiao check [选项] <输入>...",
            "运行 jixiao check --help 查看用法和全部选项。",
        ],
    );
}

/// `JIXIAO_LANG=en` is `--lang en` for everything, clap's words and ours; `--lang zh` wins
/// over it.
#[test]
fn the_environment_chooses_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_env_lang(&["chek"], dir.path(), "en");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_lines(&out)[0],
        "jixiao: unknown command \"chek\". Did you mean \"check\"?"
    );
    let out = with_env_lang(&["check", "missing.xlsx"], dir.path(), "en");
    assert_eq!(
        stderr_lines(&out),
        ["jixiao: the file missing.xlsx does not exist"]
    );
    let out = with_env_lang(&["check", "missing.xlsx", "--lang", "zh"], dir.path(), "en");
    assert_eq!(stderr_lines(&out), ["jixiao: 文件 missing.xlsx 不存在"]);
}

/// The lines of a help screen that matter: the about line, the usage line, the headings, and
/// one option line; exit 0 on standard output.
fn help_has(args: &[&str], lines: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao(args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(args, &out));
    let text = String::from_utf8_lossy(&out.stdout);
    let shown: Vec<&str> = text.lines().collect();
    for line in lines {
        assert!(shown.contains(line), "no line {line:?} in\n{text}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Print help",
        "[default:",
        "[possible values:",
    ] {
        if !args.iter().any(|a| *a == "en" || *a == "--lang=en") {
            assert!(!text.contains(english), "{english} in\n{text}");
        }
    }
    assert_eq!(text.lines().next(), lines.first().copied(), "{text}");
}

#[test]
fn help_of_each_command_in_chinese() {
    help_has(
        &["convert", "--help"],
        &[
            "转换：读取申报表，输出修正后的 JSON 记录、标准化工作簿或指标 CSV",
            "用法：jixiao convert [选项] -o <输出> <输入>...",
            "参数：",
            "  <输入>...  申报表文件或文件夹（文件夹中的表格文件逐层查找）",
            "选项：",
            "      --encoding <编码>            CSV 输出的编码（旧版 Excel 请用 gbk）（可选：utf8、gbk；默认：utf8）",
            "  -h, --help                       显示帮助",
            "示例：",
        ],
    );
    help_has(
        &["check", "-h"],
        &[
            "校验：逐份检查申报表，列出问题与修改建议",
            "用法：jixiao check [选项] <输入>...",
            "      --format <格式>              输出格式：text 供阅读，json 为 jixiao.report/1 报告（可选：text、json；默认：text）",
            "      --min-satisfaction <百分数>  满意度指标的最低值（百分数，不带 %）（默认：80）",
        ],
    );
    help_has(
        &["merge", "--help"],
        &[
            "汇总：把多个部门的申报表合并为一个工作簿",
            "用法：jixiao merge [选项] -o <输出> <输入>...",
            "  -q, --quiet                      不显示进度条和结束时的汇总行",
            "      --forms                      每份申报表另各占一个工作表，工作表名为“单位名（文件名）”",
        ],
    );
    // `serve` is the `serve` feature's (on by default).
    #[cfg(feature = "serve")]
    {
        help_has(
            &["serve", "--help"],
            &[
                "网页：在本机启动网页服务，在浏览器中完成以上全部操作",
                "用法：jixiao serve [选项]",
                "选项：",
                "      --port <端口>          本机端口；0 表示任选一个空闲端口（默认：8080）",
                "      --listen <地址:端口>   监听的地址和端口，如 0.0.0.0:8080（同一网络中的其他电脑也能访问）。非本机地址时，每个请求都须带上启动时显示的访问令牌",
                "      --max-files <个数>     一次上传的文件数上限（默认：5000）",
                "      --timeout-secs <秒>    每个请求的处理时限（秒），超时的请求停止并返回提示（默认：300）",
                "      --lang <语言>          控制台提示、本帮助和网页默认的语言（网页上可以切换）。也可用环境变量 JIXIAO_LANG 设定（可选：zh、en；默认：zh）",
                "示例：",
                "  jixiao serve --listen 0.0.0.0:8080",
                "启动后在浏览器中打开显示的地址；按 Ctrl+C 停止。",
            ],
        );
    }
    help_has(
        &["help", "template"],
        &[
            "模板：生成空白的标准申报表；检查模板文件；从空白表样起草模板",
            "用法：jixiao template [选项]",
            "      --variant <模板名>     模板名称（内置：gz-dept-overall、zj-dept-overall、mof-project、fj-dept、hn-dept、hb-project、hn-project、gs-project）（默认：gz-dept-overall）",
            "  jixiao template --variant zj-dept-overall -o 空白表.xlsx",
            "  jixiao template --variant mof-project -o 项目空白表.xlsx",
        ],
    );
    help_has(
        &["help", "help"],
        &[
            "显示本帮助，或某个命令的帮助（如 jixiao help check）",
            "用法：jixiao help [<命令>]",
            "命令：",
            "  merge     汇总：把多个部门的申报表合并为一个工作簿",
        ],
    );
    help_has(
        &["--help"],
        &[
            &format!("jixiao {}", env!("CARGO_PKG_VERSION")),
            "jixiao（绩效）：读取、校验、修正并汇总部门整体和项目支出预算绩效目标申报表（.xlsx .xlsm .xls .xlsb .ods .csv .json）",
            "用法：jixiao [选项] <命令>",
            "命令：",
            "  check     校验：逐份检查申报表，列出问题与修改建议",
            "  help      显示本帮助，或某个命令的帮助（如 jixiao help check）",
            "  -V, --version      显示版本号",
        ],
    );
}

#[test]
fn help_of_each_command_in_english() {
    help_has(
        &["convert", "--help", "--lang", "en"],
        &[
            "Convert forms to JSON records, a corrected standardized workbook or an indicator CSV",
            "Usage: jixiao convert [OPTIONS] -o <OUT> <IN>...",
            "Arguments:",
            "Options:",
            "  -o, --output <OUT>                output: a .json, .xlsx or .csv file; a folder, one file per input file (when it exists, ends with / or has no extension); or - for standard output. An input holding several forms, one per sheet, still gives one file: a JSON array, a workbook with a 申报表-NAME sheet per form, a CSV of all their indicators",
            "  -h, --help                        Print help",
            "Examples:",
        ],
    );
    help_has(
        &["check", "--lang=en", "-h"],
        &[
            "Check forms and list every problem with what to do about it",
            "Usage: jixiao check [OPTIONS] <IN>...",
            "      --year <YEAR>                 the budget year, when the title gives none",
        ],
    );
    help_has(
        &["merge", "--help", "--lang", "en"],
        &[
            "Consolidate many departments' forms into one workbook",
            "Usage: jixiao merge [OPTIONS] -o <OUT> <IN>...",
            "      --forms                       also add each form as a sheet of its own, named after its department and its file",
        ],
    );
    help_has(
        &["template", "--help", "--lang", "en"],
        &[
            "Write the blank official form of a template; check a template file; draft one from a blank form",
            "Usage: jixiao template [OPTIONS]",
            "      --template <FILE>        an extra template file (.toml), preferred over the built-in ones; may be repeated",
            "      --check <TEMPLATE.toml>  check a template file (.toml) and list the fields, tables, own fields and sums it reads",
        ],
    );
    // `serve` is the `serve` feature's (on by default).
    #[cfg(feature = "serve")]
    {
        help_has(
            &["serve", "--help", "--lang", "en"],
            &[
                "Start the local web page that does all of the above in a browser",
                "Usage: jixiao serve [OPTIONS]",
                "Options:",
                "      --open                    open the page in the browser once started",
                "      --max-file-mb <MB>        the largest uploaded file, in MB; a larger one is reported unreadable (default: 20)",
                "      --max-request-mb <MB>     the largest upload, all files together, in MB (default: 256)",
                "  -h, --help                    Print help",
                "Examples:",
                "Once started, open the address it prints in a browser; press Ctrl+C to stop.",
            ],
        );
    }
}

/// `serve`'s own usage errors: a limit of 0, `--port` beside `--listen`, an address that is
/// none, a port out of range; the first line says what to write.
#[cfg(feature = "serve")]
#[test]
fn serve_usage_errors_say_what_to_write() {
    let zh = [
        "用法：jixiao serve [选项]",
        "运行 jixiao serve --help 查看用法和全部选项。",
    ];
    let en = [
        "Usage: jixiao serve [OPTIONS]",
        "Run jixiao serve --help for the usage and every option.",
    ];
    let cases: [(&[&str], &str, [&str; 2]); 6] = [
        (
            &["serve", "--max-files", "0"],
            "jixiao: --max-files 的值“0”无效：请写一个大于 0 的整数，如 --max-files 5000",
            zh,
        ),
        (
            &["serve", "--timeout-secs", "0", "--lang", "en"],
            "jixiao: \"0\" is not a valid value of --timeout-secs: write a whole number of seconds above 0, such as --timeout-secs 300",
            en,
        ),
        (
            &["serve", "--max-file-mb", "二十"],
            "jixiao: --max-file-mb 的值“二十”无效：请写一个大于 0 的整数（MB），如 --max-file-mb 20",
            zh,
        ),
        (
            &["serve", "--port", "8081", "--listen", "0.0.0.0:8080"],
            "jixiao: --port 不能与 --listen 同时使用",
            zh,
        ),
        (
            &["serve", "--listen", "localhost", "--lang", "en"],
            "jixiao: \"localhost\" is not a valid value of --listen: write an IP address and a port, such as --listen 0.0.0.0:8080",
            en,
        ),
        (
            &["serve", "--port", "70000"],
            "jixiao: --port 的值“70000”无效：请写 0 到 65535 之间的端口号，如 --port 8080",
            zh,
        ),
    ];
    for (args, first, rest) in cases {
        let mut expected = vec![first];
        expected.extend(rest);
        usage_error(args, &expected);
    }
}

/// A port another program holds: the server does not start, and says what to do instead.
#[cfg(feature = "serve")]
#[test]
fn serve_on_a_port_in_use_says_to_choose_another() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for (lang, expected) in [
        ("zh", format!("jixiao: 无法在 127.0.0.1:{port} 上启动网页服务：端口 {port} 已被其他程序占用（可能 jixiao serve 已在运行）。请换一个端口，如 --port 8081，或用 --port 0 任选一个空闲端口")),
        ("en", format!("jixiao: cannot start the web server on 127.0.0.1:{port}: the port {port} is in use by another program (perhaps jixiao serve is already running). Choose another port, such as --port 8081, or --port 0 for any free one")),
    ] {
        let args = ["serve", "--port", port.as_str(), "--lang", lang];
        // The guard only keeps a server that did start from running on; it is no assertion.
        let out = Command::cargo_bin("jixiao")
            .unwrap()
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", show(&args, &out));
        assert!(out.stdout.is_empty(), "{}", show(&args, &out));
        assert_eq!(stderr_lines(&out), [expected], "{}", show(&args, &out));
    }
    drop(taken);
}

/// Nothing to read is the same answer in every command: a usage error naming what was looked
/// for and where, exit 2, nothing written (not a workbook of one unreadable row, not a report
/// of zero files).
#[test]
fn nothing_to_read_is_a_usage_error_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("empty")).unwrap();
    let looked =
        "jixiao: 在文件夹 empty 中没有找到申报表文件（.xlsx .xlsm .xls .xlsb .ods .csv .json）";
    let cases: [(&[&str], &str); 5] = [
        (&["check", "empty"], looked),
        (&["convert", "empty", "-o", "out.json"], looked),
        (&["merge", "empty", "-o", "out.xlsx"], looked),
        (
            &["merge", "newdir/sub", "-o", "out.xlsx"],
            "jixiao: 文件夹 newdir 不存在",
        ),
        (
            &["convert", "none.xlsx", "-o", "out"],
            "jixiao: 文件 none.xlsx 不存在",
        ),
    ];
    for (args, line) in cases {
        let out = jixiao(args, d);
        assert_eq!(out.status.code(), Some(2), "{}", show(args, &out));
        assert!(out.stdout.is_empty(), "{}", show(args, &out));
        assert_eq!(stderr_lines(&out), [line], "{}", show(args, &out));
        let written: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(written, ["empty"], "{}", show(args, &out));
    }
}

/// An output in a folder that does not exist, and a missing file beside a good one: the
/// system's error is said in the officer's words.
#[test]
fn os_errors_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let panyu = fixtures().join("panyu.xlsx").display().to_string();
    let args = ["merge", panyu.as_str(), "-o", "newdir/sub/汇总.xlsx"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert_eq!(
        stderr_lines(&out),
        ["文件夹 newdir/sub 不存在"],
        "{}",
        show(&args, &out)
    );

    let args = ["check", panyu.as_str(), "gone.xlsx"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "\ngone.xlsx  无法读取  错误 1，警告 0，提示 0，已修正 0\n  错误 — 文件无法读取：文件 gone.xlsx 不存在 → "
        ),
        "{}",
        show(&args, &out)
    );
    assert!(!stdout.contains("os error"), "{}", show(&args, &out));
}

/// `--template` with a built-in template's name instead of a file says what the name is for.
#[test]
fn a_template_name_given_as_a_file_suggests_variant() {
    usage_error(
        &["template", "--template", "gz-dept-overall", "-o", "x.xlsx"],
        &["jixiao: “gz-dept-overall”是内置模板的名称，不是模板文件。内置模板会自动识别，无需指定；--template 只用于另加一个模板文件（.toml）。要生成这个模板的空白表，请用 jixiao template --variant gz-dept-overall"],
    );
    usage_error(
        &["check", "a.xlsx", "--template", "nothere.toml", "--lang", "en"],
        &["jixiao: the template file given to --template cannot be read: the file nothere.toml does not exist"],
    );
}

/// The blank form is a workbook: `template -o x.json` is refused before anything is written,
/// as `convert -o x.xls` is.
#[test]
fn a_template_goes_only_to_an_xlsx() {
    usage_error(
        &["template", "-o", "空白.json"],
        &["jixiao: 空白.json：空白模板是 Excel 工作簿，输出文件须以 .xlsx 结尾（或用 -o - 输出到标准输出）"],
    );
    usage_error(
        &["template", "--variant", "zj-dept-overall", "-o", "t.csv", "--lang", "en"],
        &["jixiao: t.csv: the blank form is an Excel workbook; the output must end in .xlsx (or -o - for standard output)"],
    );
}

/// A Word file, a WPS text (a `.doc` by another name), a presentation and a PDF: each says
/// what it is and how to make an `.xlsx` of it.
#[test]
fn documents_say_how_to_save_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let documents = fixtures().join("documents");
    std::fs::copy(documents.join("word.doc"), d.join("申报表.wps")).unwrap();
    let word = "：这是文字文档（Word 或 WPS 文字），不是表格。请向报送单位索取申报表的表格文件；或把文档中的表格复制到 WPS 表格或 Excel 的空白工作簿中，“另存为 .xlsx”后再处理";
    let cases = [
        (documents.join("word.doc"), format!("word.doc{word}")),
        (documents.join("word.docx"), format!("word.docx{word}")),
        (d.join("申报表.wps"), format!("申报表.wps{word}")),
        (
            documents.join("slides.pptx"),
            "slides.pptx：这是演示文稿（PowerPoint 或 WPS 演示），不是表格。请向报送单位索取申报表的表格文件；或把其中的表格复制到 WPS 表格或 Excel 的空白工作簿中，“另存为 .xlsx”后再处理".to_string(),
        ),
        (
            documents.join("print.pdf"),
            "print.pdf：这是 PDF 文件，其中的表格无法直接读取。请向报送单位索取原始的表格文件；或用 WPS 的“PDF 转 Excel”转换后，“另存为 .xlsx”再处理".to_string(),
        ),
    ];
    for (input, message) in cases {
        let input = input.display().to_string();
        let args = ["convert", input.as_str(), "-o", "out.json"];
        let out = jixiao(&args, d);
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        assert_eq!(
            stderr_lines(&out),
            [message.as_str(), "没有读到任何申报表，未写入 out.json"],
            "{}",
            show(&args, &out)
        );
    }
    let input = documents.join("print.pdf").display().to_string();
    let args = ["check", input.as_str(), "--lang", "en"];
    let out = jixiao(&args, d);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with(
            "print.pdf  Unreadable  errors 1, warnings 0, notes 0, corrected 0\n  error - File unreadable: print.pdf: this is a PDF; its table cannot be read as it is. Ask the sender for the original spreadsheet, or convert it with WPS's \"PDF to Excel\" and \"Save as .xlsx\""
        ),
        "{}",
        show(&args, &out)
    );
}
