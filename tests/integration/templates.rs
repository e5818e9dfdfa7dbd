//! Issue 24: the template language's tools. `template --check` says what a template reads,
//! `--against` what each of its parts finds in a sample, `--from` drafts a template from a
//! form; every provincial layout's corrected workbook is that layout's own form.

use crate::common::{fixtures, run};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `--check` of a built-in template, then `--against` a sample of its layout: the outline line
/// by line, and each field with its cell and value.
#[test]
fn check_says_what_a_template_reads_and_finds() {
    let dir = tempfile::tempdir().unwrap();
    let template = root().join("templates/hn-dept.toml").display().to_string();
    let sample = fixtures()
        .join("provinces/hn-dept-yueyang.xlsx")
        .display()
        .to_string();
    let out = run(
        &["template", "--check", &template, "--against", &sample],
        dir.path(),
        0,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let want_first = format!(
        "模板文件 {template} 有效：hn-dept（整体绩效目标表（湖南，九列）），部门（单位）整体申报表"
    );
    assert_eq!(lines[0], want_first);
    for line in [
        "  字段：部门(单位)名称 → department",
        "  字段：部门(单位)职责 → extra.duties",
        "  自有字段：explanation（文字）",
        "样表 hn-dept-yueyang.xlsx：按这个模板读出申报表 1 份",
        "    部门(单位)职责（extra.duties）：整体绩效目标表!B3 “负责价格认定工作”",
        "    绩效指标：9 行，第一行的名称在 整体绩效目标表!C7",
    ] {
        assert!(lines.contains(&line), "no line {line:?} in\n{text}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("    校验：错误 2，")),
        "{text}"
    );
    // A sample of another layout: not read, and the message says what is missing.
    let other = fixtures().join("panyu.xlsx").display().to_string();
    let out = run(
        &["template", "--check", &template, "--against", &other],
        dir.path(),
        1,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("样表 panyu.xlsx：按这个模板没有读出申报表。panyu.xlsx：不是绩效目标申报表；最接近的模板是“整体绩效目标表（湖南，九列）”，但缺少：部门(单位)职责"),
        "{text}"
    );
    assert!(
        text.contains("表中没有模板认识的标签：") && text.contains("预算整体情况"),
        "{text}"
    );
}

/// An invalid template is refused with its reason and exit status 2, before any sample.
#[test]
fn check_refuses_an_invalid_template_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("templates/hn-dept.toml"))
        .unwrap()
        .replace("remark = \"text\"\n", "");
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    let out = run(&["template", "--check", "bad.toml"], dir.path(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        "jixiao: 模板文件 bad.toml 无效：{extra.remark} is not declared under [extra]"
    );
}

/// `--from` drafts a template a person reviews: it loads, its known labels are fields of the
/// record, and read back against the form it came from it finds the department.
#[test]
fn from_drafts_a_template_that_loads_and_reads_its_form() {
    let dir = tempfile::tempdir().unwrap();
    let form = fixtures()
        .join("provinces/hn-dept-clean.xlsx")
        .display()
        .to_string();
    let out = run(
        &["template", "--from", &form, "-o", "draft.toml"],
        dir.path(),
        0,
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("已从 hn-dept-clean.xlsx 起草模板 draft.toml："),
        "{stderr}"
    );
    let draft = std::fs::read_to_string(dir.path().join("draft.toml")).unwrap();
    assert!(
        draft.contains("{department}") && draft.contains("{level1}"),
        "{draft}"
    );
    let out = run(
        &["template", "--check", "draft.toml", "--against", &form],
        dir.path(),
        0,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("（department）：") && text.contains("岳阳楼区价格监测中心"),
        "{text}"
    );
    // The draft is never written over a file jixiao did not write.
    std::fs::write(dir.path().join("mine.toml"), "# mine").unwrap();
    run(
        &["template", "--from", &form, "-o", "mine.toml", "--force"],
        dir.path(),
        1,
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine.toml")).unwrap(),
        "# mine"
    );
}

/// Templates written from docs/TEMPLATES.md alone, by someone who had not read the code, for
/// layouts that are not built in (tests/templates/, outside the fixtures folder so that no
/// folder check meets them without their templates: stacked 长期/年度 blocks, a sign
/// column, a table of the layout's own with its 合计, letter-spaced labels): each form reads to
/// its expected record, and its check finds what it must and nothing it must not.
#[test]
fn templates_written_from_the_docs_read_their_forms_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let folder = root().join("tests/templates");
    let mut failures = Vec::new();
    for (path, expected) in crate::common::good_fixtures_in(&folder) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let template = path.with_extension("toml").display().to_string();
        let input = path.display().to_string();
        let out = dir.path().join(format!("{name}.json"));
        let out = out.display().to_string();
        let status = if expected["no_errors"] == true { 0 } else { 1 };
        run(
            &["convert", &input, "-o", &out, "--template", &template],
            dir.path(),
            0,
        );
        let got: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let got = match got {
            serde_json::Value::Array(a) => serde_json::Value::Array(a),
            one => serde_json::Value::Array(vec![one]),
        };
        let want = serde_json::Value::Array(crate::common::records_read(&expected));
        for (_, diff) in crate::common::differences("records", &want, &got) {
            failures.push(format!("{name}: {diff}"));
        }
        let args = ["check", &input, "--format", "json", "--template", &template];
        let report = crate::common::run_json(&args, dir.path(), status);
        let entries: Vec<&serde_json::Value> = report["files"].as_array().unwrap().iter().collect();
        failures.extend(
            crate::common::broken_expectations(&entries, &expected)
                .into_iter()
                .map(|b| format!("{name}: {b}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
