//! The contract in docs/ holds: docs/CHECKS.md is the catalogue as the code has it, every JSON the
//! tool writes is valid against docs/schema/, the examples of docs/RECORDS.md too, and every
//! citation of a document in the code resolves. `JIXIAO_BLESS=1 cargo test docs` rewrites
//! docs/CHECKS.md from the catalogue.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{fixtures, good_fixtures, pending, records_read, run, run_json, show};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn schema(name: &str) -> jsonschema::Validator {
    let path = root().join("docs/schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    jsonschema::meta::validate(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
    jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every way `value` breaks `validator`, one per line, for a failed assertion.
fn errors(validator: &jsonschema::Validator, value: &Value) -> String {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors = errors(validator, value);
    assert!(errors.is_empty(), "{what}:\n{errors}");
}

/// The first lines where `got` and `expected` part, with a little context.
fn difference(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let at = e
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(e.len().min(g.len()));
    let from = at.saturating_sub(2);
    let mut out = format!("first difference at line {}:\n", at + 1);
    for (i, line) in e.iter().enumerate().skip(from).take(5) {
        out.push_str(&format!("- {:>4} {line}\n", i + 1));
    }
    for (i, line) in g.iter().enumerate().skip(from).take(5) {
        out.push_str(&format!("+ {:>4} {line}\n", i + 1));
    }
    out
}

/// docs/CHECKS.md is generated from the catalogue: a new code, a changed severity or a
/// reworded message shows here until the document is regenerated.
#[test]
fn checks_md_is_the_catalogue() {
    let path = root().join("docs/CHECKS.md");
    let generated = jixiao::docs::checks_markdown();
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/CHECKS.md is not the catalogue; run `JIXIAO_BLESS=1 cargo test docs`\n{}",
        difference(&committed, &generated)
    );
}

/// The codes a report may carry are the catalogue's, no more, no fewer.
#[test]
fn the_report_schema_knows_every_code() {
    let text = std::fs::read_to_string(root().join("docs/schema/report.schema.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let codes: Vec<&str> = value["$defs"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let catalogue: Vec<&str> = jixiao::model::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(codes, catalogue);
}

/// `convert -o x.json` of every good fixture, one by one and all at once, is a valid
/// `jixiao.declaration/1` document; so is every expected record, project forms included.
#[test]
fn every_record_written_is_valid() {
    let validator = schema("declaration.schema.json");
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    let mut forms = 0;
    for (path, expected) in good_fixtures() {
        let what = format!("{}: the expected record", path.display());
        assert_valid(&validator, &expected["records"], &what);
        if pending(&expected).is_some() {
            // Project forms are not read yet (issue 13): only their expected records above.
            continue;
        }
        forms += records_read(&expected).len();
        let input = path.display().to_string();
        all.push(input.clone());
        let args = ["convert", input.as_str(), "-o", "x.json", "--force"];
        run(&args, dir.path(), 0);
        let written: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("x.json")).unwrap()).unwrap();
        assert_valid(
            &validator,
            &written,
            &show(&args, &run(&args, dir.path(), 0)),
        );
    }
    let mut args: Vec<&str> = vec!["convert"];
    args.extend(all.iter().map(String::as_str));
    args.extend(["-o", "-"]);
    let array = run_json(&args, dir.path(), 0);
    assert_eq!(array.as_array().map(Vec::len), Some(forms));
    assert_valid(&validator, &array, "convert of every fixture to one array");
}

/// `check --format json` of every file of the fixtures, good, bad, damaged or no spreadsheet
/// at all, and of the whole folder, is a valid `jixiao.report/1` document, in both languages.
#[test]
fn every_report_written_is_valid() {
    let validator = schema("report.schema.json");
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for sub in ["", "bad", "regress", "documents"] {
        for e in std::fs::read_dir(fixtures().join(sub)).unwrap().flatten() {
            if e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    files.sort();
    assert!(files.len() > 20, "{files:?}");
    for path in &files {
        let input = path.display().to_string();
        for lang in ["zh", "en"] {
            let args = ["check", input.as_str(), "--format", "json", "--lang", lang];
            let out = crate::common::jixiao(&args, dir.path());
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                show(&args, &out)
            );
            let report: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{e}\n{}", show(&args, &out)));
            assert_valid(&validator, &report, &show(&args, &out));
        }
    }
    let folder = fixtures().display().to_string();
    let report = run_json(
        &["check", folder.as_str(), "--format", "json"],
        dir.path(),
        1,
    );
    assert_valid(&validator, &report, "check of the fixtures folder");
}

/// Exact enough to catch a wrong key: closed objects, typed values.
#[test]
fn the_schemas_catch_a_wrong_key() {
    let declaration = schema("declaration.schema.json");
    let report = schema("report.schema.json");
    let panyu = fixtures().join("panyu.xlsx").display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let record = run_json(&["convert", panyu.as_str(), "-o", "-"], dir.path(), 0);
    assert_valid(&declaration, &record, "panyu");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = record.clone();
        edit(&mut v);
        v
    };
    let bad_records = [
        broken(&|v| v["extra"] = json!(1)),
        broken(&|v| v["budget"]["basics"] = v["budget"]["basic"].clone()),
        broken(&|v| v["budget"]["basic"] = json!(440.65)),
        broken(&|v| v["budget"]["basic"] = json!("440.6")),
        broken(&|v| v["indicators"][0]["annual"]["kind"] = json!("number")),
        broken(&|v| v["indicators"][0]["annual"]["op"] = json!(">=")),
        broken(&|v| v["tasks"][0]["fund"] = json!("1.00")),
        broken(&|v| v["format"] = json!("jixiao.declaration/3")),
        broken(&|v| v["extra"] = json!({"bad key": "x"})),
        broken(&|v| v["indicators"][0]["extra"] = json!({"explanation": 1})),
        broken(&|v| v["kind"] = json!("project")),
        broken(&|v| {
            v.as_object_mut().unwrap().remove("overall_goal");
        }),
        broken(&|v| {
            v.as_object_mut().unwrap().remove("kind");
        }),
    ];
    for (i, bad) in bad_records.iter().enumerate() {
        assert!(!declaration.is_valid(bad), "record mutation {i} passed");
    }
    let out = run(
        &["check", panyu.as_str(), "--format", "json"],
        dir.path(),
        0,
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&report, &doc, "panyu report");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = doc.clone();
        edit(&mut v);
        v
    };
    let bad_reports = [
        broken(&|v| v["files"][0]["findings"][0]["severity"] = json!("fatal")),
        broken(&|v| v["files"][0]["findings"][0]["code"] = json!("no-such-code")),
        broken(&|v| v["files"][0]["findings"][0]["hint"] = json!("x")),
        broken(&|v| v["files"][0]["findings"][0]["field"] = json!("indicators[0].value")),
        broken(&|v| v["files"][0]["changes"][0]["after"] = json!(12)),
        broken(&|v| v["files"][0]["status"] = json!("ok")),
        broken(&|v| v["files"][0]["counts"] = json!({"errors": 0})),
        broken(&|v| v["summary"] = json!({"files": 1})),
        broken(&|v| v["files"][0]["read"] = json!(false)),
        broken(&|v| v["file"] = json!("x")),
        broken(&|v| v["files"][0]["kind"] = json!(null)),
        broken(&|v| v["files"][0]["kind"] = json!("部门整体预算绩效目标申报表（区级，六列）")),
        broken(&|v| v["files"][0]["template_name"] = json!(null)),
        broken(&|v| v["files"][0]["preview"] = json!({"sheet": "申报表"})),
    ];
    let mut removed = Vec::new();
    for key in ["tool", "summary"] {
        removed.push(broken(&|v| {
            v.as_object_mut().unwrap().remove(key);
        }));
    }
    for key in [
        "sheet",
        "template_name",
        "kind",
        "department",
        "project",
        "status",
        "counts",
        "template",
    ] {
        removed.push(broken(&|v| {
            v["files"][0].as_object_mut().unwrap().remove(key);
        }));
    }
    removed.push(broken(&|v| {
        v["files"][0]["findings"][0]
            .as_object_mut()
            .unwrap()
            .remove("rule");
    }));
    let bad_reports: Vec<&Value> = bad_reports.iter().chain(&removed).collect();
    for (i, bad) in bad_reports.into_iter().enumerate() {
        assert!(!report.is_valid(bad), "report mutation {i} passed");
    }
}

/// The ```json examples of docs/RECORDS.md are valid against the schema their `format` names.
#[test]
fn the_examples_of_records_md_are_valid() {
    let text = std::fs::read_to_string(root().join("docs/RECORDS.md")).unwrap();
    let declaration = schema("declaration.schema.json");
    let report = schema("report.schema.json");
    let mut seen = 0;
    for block in text.split("```json\n").skip(1) {
        let json = block.split("\n```").next().unwrap();
        let value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e} in\n{json}"));
        let format = value["format"].as_str().unwrap_or_default();
        let validator = match format {
            "jixiao.declaration/1" | "jixiao.declaration/2" => &declaration,
            "jixiao.report/1" => &report,
            other => panic!("an example without a known format: {other:?}"),
        };
        assert_valid(validator, &value, json);
        seen += 1;
    }
    assert!(seen >= 3, "{seen} examples");
}

/// A document the code cites is in docs/, with the section it names: `docs/FORM.md §3.1`
/// needs a heading `3.1` in that file. A document named without `docs/` (the brief outside
/// the repository) is a citation that does not resolve.
#[test]
fn every_citation_of_a_document_resolves() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut sources = Vec::new();
    for dir in ["src", "tests", "benches"] {
        walk(&root().join(dir), &mut sources);
    }
    let mut broken = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for doc in ["FORM", "CHECKS", "RECORDS", "OUTPUT", "TEMPLATES", "STYLE"] {
                let name = format!("{doc}.md");
                let mut rest = line;
                while let Some(at) = rest.find(&name) {
                    let before = &rest[..at];
                    let after = &rest[at + name.len()..];
                    let place = format!("{}:{}", path.display(), n + 1);
                    if !before.ends_with("docs/") {
                        broken.push(format!("{place}: {name} without docs/"));
                    } else if !root().join("docs").join(&name).is_file() {
                        broken.push(format!("{place}: docs/{name} does not exist"));
                    } else if let Some(section) = after.strip_prefix(" §") {
                        let number: String = section
                            .chars()
                            .take_while(|c| c.is_ascii_digit() || *c == '.')
                            .collect();
                        let number = number.trim_end_matches('.');
                        let doc_text =
                            std::fs::read_to_string(root().join("docs").join(&name)).unwrap();
                        let heading = doc_text.lines().any(|l| {
                            let title = l.trim_start_matches('#');
                            l.starts_with('#')
                                && (title.starts_with(&format!(" {number}. "))
                                    || title.starts_with(&format!(" {number} ")))
                        });
                        if !heading {
                            broken.push(format!("{place}: docs/{name} has no section {number}"));
                        }
                    }
                    rest = after;
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
