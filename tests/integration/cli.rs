//! End-to-end: the real binary on real files, in a temporary folder.

use crate::common::{fixtures, jixiao, my_district_form, my_district_template, show};

fn bad(name: &str) -> String {
    fixtures().join("bad").join(name).display().to_string()
}

/// Each bad input: one clear line naming the file and what is wrong, exit 1, no panic.
#[test]
fn bad_inputs_fail_cleanly_with_their_message() {
    let cases = [
        ("empty.xlsx", "empty.xlsx：文件是空的（0 字节）"),
        ("encrypted.xlsx", "encrypted.xlsx：工作簿设置了密码保护，无法读取。请先取消密码保护后再处理"),
        (
            "html-export.xls",
            "html-export.xls：这是一个网页（HTML）文件，只是扩展名为表格。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理",
        ),
        (
            "not-a-form.xlsx",
            "not-a-form.xlsx：不是绩效目标申报表；最接近的模板是“部门整体预算绩效目标申报表（区级，六列）”，但缺少：部门名称、预算整体情况、总体绩效目标、绩效指标、部门预算支出、预算金额（万元）、收入来源、基本支出",
        ),
        ("random.xls", "random.xls：不是可识别的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .json）"),
        ("truncated.xlsx", "truncated.xlsx：文件已损坏或不完整"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, message) in cases {
        let input = bad(name);
        let args = ["convert", input.as_str(), "-o", "out.json"];
        let out = jixiao(&args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        // One line for the file, one saying the output was not made.
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{}", show(&args, &out));
        assert!(lines[0].starts_with(message), "{}", show(&args, &out));
        assert_eq!(
            lines[1],
            "没有读到任何申报表，未写入 out.json",
            "{}",
            show(&args, &out)
        );
        assert!(!stderr.contains("panicked"), "{}", show(&args, &out));
        assert!(!dir.path().join("out.json").exists());
    }
}

/// The English catalogue is used with --lang en.
#[test]
fn english_messages() {
    let dir = tempfile::tempdir().unwrap();
    let input = bad("empty.xlsx");
    let args = ["convert", input.as_str(), "-o", "out.json", "--lang", "en"];
    let out = jixiao(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "empty.xlsx: the file is empty (0 bytes)",
            "no form could be read; out.json was not written"
        ],
        "{}",
        show(&args, &out)
    );
}

/// Regression: `convert` on a folder with no spreadsheet in it exited 0 and said nothing.
#[test]
fn convert_with_no_input_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let args = ["convert", "empty", "-o", "out.json"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", show(&args, &out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "jixiao: 在文件夹 empty 中没有找到申报表文件（.xlsx .xlsm .xls .xlsb .ods .csv .json）",
        "{}",
        show(&args, &out)
    );
}

/// One bad file in a batch does not stop the others: the good one is written, exit is 1.
#[test]
fn a_bad_file_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixtures().join("panyu.xlsx").display().to_string();
    let broken = bad("truncated.xlsx");
    let args = ["convert", broken.as_str(), good.as_str(), "-o", "all.json"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("all.json")).unwrap()).unwrap();
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(1),
        "{}",
        show(&args, &out)
    );
    assert_eq!(json[0]["department"], "广州番禺经济技术开发区管理委员会");
}

/// `-o -` writes the record to standard output; a readable form exits 0 whatever its findings.
#[test]
fn convert_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("errors-budget.xlsx").display().to_string();
    let args = ["convert", input.as_str(), "-o", "-"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "jixiao.declaration/1");
    assert_eq!(json["budget"]["special_funds"], "-5.00");
}

/// `-o DIR` writes one record per input, named after it. Issue 12: one line on standard error
/// per output written, with the counts of its forms in the words of every report.
#[test]
fn convert_to_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let a = fixtures().join("panyu.xlsx").display().to_string();
    let b = fixtures().join("zhanjiang.xlsx").display().to_string();
    let args = ["convert", a.as_str(), b.as_str(), "-o", "out"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    assert!(dir.path().join("out/panyu.json").is_file());
    assert!(dir.path().join("out/zhanjiang.json").is_file());
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "已写入 out{sep}panyu.json：申报表 1 份，错误 0，警告 4，提示 4，已修正 10\n\
             已写入 out{sep}zhanjiang.json：申报表 1 份，错误 0，警告 0，提示 1，已修正 0\n"
        ),
        "{}",
        show(&args, &out)
    );
}

/// Issue 12: `convert` to one file says what it wrote, with the counts `check` gives; to
/// standard output it says nothing beside the records.
#[test]
fn convert_says_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("units-workbook.xlsx").display().to_string();
    let args = ["convert", input.as_str(), "-o", "u.xlsx", "--lang", "en"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "wrote u.xlsx: forms 3, errors 0, warnings 0, notes 0, corrected 12\n",
        "{}",
        show(&args, &out)
    );
    let report = crate::common::run_json(
        &["check", input.as_str(), "--format", "json"],
        dir.path(),
        0,
    );
    assert_eq!(report["summary"]["corrections"], 12);
    let args = ["convert", input.as_str(), "-o", "-"];
    let out = jixiao(&args, dir.path());
    assert!(out.stderr.is_empty(), "{}", show(&args, &out));
}

/// One output per input file, never per form: a workbook holding a department's form and two
/// units' forms gives one JSON array (in sheet order), one workbook with a 申报表 sheet per form
/// and shared lists naming the form, one CSV with every form's indicators.
#[test]
fn several_forms_of_one_file_give_one_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("units-workbook.xlsx").display().to_string();
    for to in ["json", "xlsx", "csv"] {
        let args = ["convert", input.as_str(), "-o", to, "--to", to];
        let out = jixiao(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
        let files: Vec<String> = std::fs::read_dir(dir.path().join(to))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files, [format!("units-workbook.{to}")], "{to}");
    }
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("json/units-workbook.json")).unwrap(),
    )
    .unwrap();
    let sheets: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"]["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(
        sheets,
        ["部门整体", "单位1-河涌管理所", "单位2-排水设施管理所"]
    );

    let book = std::fs::read(dir.path().join("xlsx/units-workbook.xlsx")).unwrap();
    let workbook = crate::common::xlsx_part(&book, "xl/workbook.xml").unwrap();
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "申报表-广州市海珠区水务局",
            "申报表-广州市海珠区河涌管理所",
            "申报表-广州市海珠区排水设施管理所",
            "汇总",
            "校验结果",
            "修改记录"
        ]
    );
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(book)).unwrap();
    use calamine::Reader;
    let summary = wb.worksheet_range("汇总").unwrap();
    let header: Vec<String> = (0..4)
        .map(|c| summary.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(header[0], "项目");
    assert_eq!(header[1..], names[..3]);
    assert_eq!(
        summary.get_value((1, 2)).unwrap().to_string(),
        "广州市海珠区河涌管理所"
    );
    let changes = wb.worksheet_range("修改记录").unwrap();
    assert_eq!(changes.get_value((0, 1)).unwrap().to_string(), "表单");
    assert_eq!(
        changes.get_value((1, 1)).unwrap().to_string(),
        "申报表-广州市海珠区河涌管理所"
    );

    let csv = std::fs::read_to_string(dir.path().join("csv/units-workbook.csv")).unwrap();
    let indicators: usize = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["indicators"].as_array().unwrap().len())
        .sum();
    assert_eq!(csv.matches("\r\n").count(), 1 + indicators);
    // One output file of the forms of one input: an .xlsx too.
    let args = ["convert", input.as_str(), "-o", "one.xlsx"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
}

/// A renamed file is read by its content: the .xls fixture saved with an .xlsx name.
#[test]
fn format_comes_from_content_not_extension() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("panyu.xls"),
        dir.path().join("renamed.xlsx"),
    )
    .unwrap();
    let args = ["convert", "renamed.xlsx", "-o", "-"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["budget"]["basic"], "440.65");
}

/// `--template FILE` loads another variant, preferred over the built-in ones; a broken file is
/// a usage error.
#[test]
fn a_template_file_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/gz-dept-overall.toml"),
    )
    .unwrap();
    let custom = builtin
        .replace("id = \"gz-dept-overall\"", "id = \"my-district\"")
        .replace("\"部门名称\" = [", "\"部门名称\" = [\"预算单位名称\", ");
    std::fs::write(dir.path().join("my.toml"), custom).unwrap();
    // A form whose department label only the custom template knows.
    let original = std::fs::read(fixtures().join("panyu-gbk.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&original);
    let renamed = text.replacen("部门名称,", "预算单位名称,", 1);
    std::fs::write(dir.path().join("form.csv"), renamed.as_bytes()).unwrap();

    let args = ["convert", "form.csv", "-o", "-", "--template", "my.toml"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["template"], "my-district");
    assert_eq!(json["department"], "广州番禺经济技术开发区管理委员会");

    std::fs::write(dir.path().join("broken.toml"), "id = ").unwrap();
    let args = ["check", "form.csv", "--template", "broken.toml"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", show(&args, &out));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("jixiao: 模板文件 broken.toml 无效："),
        "{}",
        show(&args, &out)
    );
}

/// Issue 18: `--template` may be repeated, `--templates DIR` takes every `*.toml` of a
/// folder, and `JIXIAO_TEMPLATES` names such a folder when neither option is given (and is
/// not looked at when one is).
#[test]
fn template_files_from_options_a_folder_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mof-project.toml"),
    )
    .unwrap()
    .replace("id = \"mof-project\"", "id = \"hb-project\"");
    std::fs::create_dir_all(d.join("tpl")).unwrap();
    std::fs::create_dir_all(d.join("empty")).unwrap();
    for folder in [".", "tpl"] {
        std::fs::write(d.join(folder).join("my.toml"), my_district_template()).unwrap();
        std::fs::write(d.join(folder).join("hb.toml"), &project).unwrap();
    }
    std::fs::write(d.join("form.csv"), my_district_form()).unwrap();
    let with_env = |args: &[&str], env: Option<&str>| {
        let mut cmd = assert_cmd::Command::cargo_bin("jixiao").unwrap();
        cmd.current_dir(d)
            .env_remove("JIXIAO_LANG")
            .env_remove("JIXIAO_TEMPLATES");
        if let Some(folder) = env {
            cmd.env("JIXIAO_TEMPLATES", d.join(folder));
        }
        cmd.args(args).output().unwrap()
    };
    let template_of = |args: &[&str], env: Option<&str>| {
        let mut all = vec!["convert", "form.csv", "-o", "-"];
        all.extend(args);
        let out = with_env(&all, env);
        assert_eq!(out.status.code(), Some(0), "{}", show(&all, &out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["template"].as_str().unwrap().to_string()
    };
    let both = ["--template", "my.toml", "--template", "hb.toml"];
    assert_eq!(template_of(&both, None), "my-district");
    assert_eq!(template_of(&["--templates", "tpl"], None), "my-district");
    assert_eq!(template_of(&[], Some("tpl")), "my-district");
    assert_eq!(template_of(&[], None), "gz-dept-overall");
    // An option given, the environment's folder is not used.
    assert_eq!(
        template_of(&["--template", "hb.toml"], Some("tpl")),
        "gz-dept-overall"
    );
    // Every file given is a template of the run: the second one's blank form.
    for args in [
        &[
            "template",
            "--variant",
            "hb-project",
            "-o",
            "-",
            "--template",
            "my.toml",
            "--template",
            "hb.toml",
        ][..],
        &[
            "template",
            "--variant",
            "hb-project",
            "-o",
            "-",
            "--templates",
            "tpl",
        ][..],
    ] {
        let out = with_env(args, None);
        assert_eq!(out.status.code(), Some(0), "{}", show(args, &out));
        assert!(out.stdout.starts_with(b"PK"), "{}", show(args, &out));
    }
    let usage_error = |args: &[&str], env: Option<&str>, said: &str| {
        let out = with_env(args, env);
        assert_eq!(out.status.code(), Some(2), "{}", show(args, &out));
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", d.display()), "");
        assert_eq!(stderr, format!("jixiao: {said}\n"), "{}", show(args, &out));
    };
    usage_error(
        &["check", "form.csv", "--templates", "empty"],
        None,
        "--templates 给出的文件夹 empty 中没有模板文件（.toml）",
    );
    usage_error(
        &["check", "form.csv", "--lang", "en"],
        Some("none"),
        "the template folder given by the environment variable JIXIAO_TEMPLATES cannot be read: the folder none does not exist",
    );
    usage_error(
        &["check", "form.csv", "--template", "my.toml", "--templates", "tpl"],
        None,
        "模板文件 my.toml 和 tpl/my.toml 的模板名称（id）都是 my-district：请只保留其中一个，或改掉其中一个的 id",
    );
}

/// A locality's project form is a template file too (docs: "a new locality's form"): a form
/// that writes 项目实施年限 for 项目期 and puts the annual block first, marked `(本年)` (the
/// other `(三年)`), is read by a copy of `mof-project.toml` that knows the label and the mark,
/// with no code of its own.
#[test]
fn a_localitys_project_form_is_a_template_file() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mof-project.toml"),
    )
    .unwrap();
    let custom = builtin
        .replace("id = \"mof-project\"", "id = \"hb-project\"")
        .replace("\"项目期\" = [", "\"项目期\" = [\"项目实施年限\", ")
        .replace(
            "marks = [\"年度\", \"当年\"]",
            "marks = [\"年度\", \"当年\", \"本年\"]",
        );
    assert_ne!(custom, builtin);
    std::fs::write(dir.path().join("hb.toml"), custom).unwrap();
    let form = "项目支出绩效目标申报表\n\
        （2024年度）\n\
        项目名称,某项目\n\
        主管部门及代码,[001]某局,,,实施单位,某中心\n\
        项目属性,新增项目,,,项目实施年限,2024年\n\
        项目资金（万元）,中期资金总额,50,,年度资金总额,50\n\
        ,其中：财政拨款,50,,其中：财政拨款,50\n\
        ,其他资金,,,其他资金,\n\
        总体目标,中期目标,,,年度目标\n\
        ,,,,完成建设\n\
        绩效指标,一级指标,二级指标(本年),三级指标(本年),指标值(本年),二级指标(三年),三级指标(三年),指标值(三年)\n\
        ,产出指标,数量指标,建成数量,≥1个,,,\n\
        ,效益指标,社会效益指标,受益人数,≥100人,,,\n\
        ,满意度指标,服务对象满意度指标,满意度,≥90%,,,\n";
    std::fs::write(dir.path().join("form.csv"), form).unwrap();

    let args = ["convert", "form.csv", "-o", "-", "--template", "hb.toml"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "project");
    assert_eq!(json["template"], "hb-project");
    assert_eq!(json["project"]["period"], "2024年");
    assert_eq!(json["project"]["department_code"], "001");
    let names: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["建成数量", "受益人数", "满意度"]);
    assert_eq!(json["period_indicators"], serde_json::json!([]));

    // The built-in variant knows neither the label nor the marks: it reads the blocks in the
    // layout's order, the mid-term one first, and so takes the annual indicators for mid-term
    // ones (and says the annual block is empty).
    let args = ["convert", "form.csv", "-o", "-"];
    let json: serde_json::Value =
        serde_json::from_slice(&jixiao(&args, dir.path()).stdout).unwrap();
    assert_eq!(json["project"]["period"], "");
    assert_eq!(json["indicators"], serde_json::json!([]));
    assert_eq!(json["period_indicators"].as_array().unwrap().len(), 3);
}

/// Regression: these damaged .xls files (found by mutating the fixtures) make calamine panic.
/// The panic must become the file's message, with no panic text on the terminal.
#[test]
fn a_library_panic_on_a_damaged_file_is_a_clean_message() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["calamine-cfb-panic.xls", "calamine-assert-panic.xls"] {
        let input = fixtures().join("regress").join(name).display().to_string();
        let args = ["check", input.as_str()];
        let out = jixiao(&args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
        assert!(!stderr.contains("panicked"), "{}", show(&args, &out));
        assert!(
            stdout.contains(&format!("{name}：文件已损坏或不完整，无法读取。")),
            "{}",
            show(&args, &out)
        );
    }
}

/// Regression: two inputs with the same file name in different folders used to be written to
/// one output (the second over the first with --force); a file that could not be written
/// stopped every later input.
#[test]
fn same_named_inputs_get_their_own_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (sub, fixture) in [("a", "panyu.xlsx"), ("b", "zhanjiang.xlsx")] {
        std::fs::create_dir(d.join(sub)).unwrap();
        std::fs::copy(fixtures().join(fixture), d.join(sub).join("x.xlsx")).unwrap();
    }
    let department = |name: &str| {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join("out").join(name)).unwrap()).unwrap();
        v["department"].as_str().unwrap().to_string()
    };
    for force in [false, true] {
        let mut args = vec!["convert", "a/x.xlsx", "b/x.xlsx", "-o", "out"];
        if force {
            args.push("--force");
        }
        let out = jixiao(&args, d);
        assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
        assert_eq!(department("x.json"), "广州番禺经济技术开发区管理委员会");
        assert_ne!(department("x-2.json"), department("x.json"));
    }
    // x.json exists and --force is not given: that one is refused, the next is still written.
    std::fs::remove_file(d.join("out/x-2.json")).unwrap();
    let args = ["convert", "a/x.xlsx", "b/x.xlsx", "-o", "out"];
    let out = jixiao(&args, d);
    assert_eq!(out.status.code(), Some(1), "{}", show(&args, &out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("文件已存在"),
        "{}",
        show(&args, &out)
    );
    assert!(d.join("out/x-2.json").is_file(), "{}", show(&args, &out));
}

/// Regression: a second `convert in -o in` (or `-o in/out`) read the first run's outputs as
/// inputs and then refused to write over them.
#[test]
fn earlier_outputs_in_the_input_folder_are_not_inputs() {
    for (output, written) in [("in", "in/panyu.json"), ("in/out", "in/out/panyu.json")] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("in")).unwrap();
        std::fs::copy(fixtures().join("panyu.xlsx"), d.join("in/panyu.xlsx")).unwrap();
        for args in [
            vec!["convert", "in", "-o", output],
            vec!["convert", "in", "-o", output, "--force"],
        ] {
            let out = jixiao(&args, d);
            assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
            assert!(d.join(written).is_file(), "{}", show(&args, &out));
            assert!(!d.join(output).join("panyu-2.json").exists());
        }
    }
}

/// Regression: `-o out.txt` (or `out.xls`) silently became a folder of that name, and `--to`
/// beside an output file was ignored. Both are usage errors; nothing is created.
#[test]
fn an_unknown_output_extension_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("panyu.xlsx").display().to_string();
    for args in [
        vec!["convert", input.as_str(), "-o", "out.txt"],
        vec!["convert", input.as_str(), "-o", "out.xls"],
        vec!["convert", input.as_str(), "-o", "out.json", "--to", "xlsx"],
    ] {
        let out = jixiao(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", show(&args, &out));
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("jixiao: "),
            "{}",
            show(&args, &out)
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
    // A trailing separator makes a folder of a name with a dot.
    let args = ["convert", input.as_str(), "-o", "out.d/", "--to", "csv"];
    let out = jixiao(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", show(&args, &out));
    assert!(dir.path().join("out.d/panyu.csv").is_file());
}
