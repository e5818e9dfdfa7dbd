//! The end of the checking half of the pipeline: per-file results (findings of `check`, changes
//! of `normalize`, or the error that kept a file from being read) → the `jixiao.report/1`
//! document of docs/RECORDS.md §2, or a text for a person reading a terminal.
//!
//! The JSON keys keep the contract's order (`code, severity, field, cell, message, suggestion,
//! fixed`) only when the document is serialized from the structs ([`document`],
//! [`to_json_string`]): a `serde_json::Value` sorts its keys, since the crate does not enable
//! serde_json's `preserve_order`. [`to_json`] is for code that inspects values, not for files.

use serde::Serialize;

use crate::messages::{report as words, Lang};
use crate::model::{Change, Code, Counts, FieldPath, Finding, Severity, REPORT_FORMAT};

/// What the pipeline made of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileResult {
    /// The input's file name, as given.
    pub file: String,
    /// The template variant recognized (`gz-dept-overall`).
    pub template: Option<String>,
    /// The department the form names; shown in the text header.
    pub department: Option<String>,
    /// False when the file could not be read at all.
    pub read: bool,
    /// Why the file could not be read, already in the report's language.
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
}

impl FileResult {
    /// Open findings by severity ([`Counts`]: a corrected one counts as a correction, not as a
    /// problem, as in the workbooks' 汇总).
    pub fn counts(&self) -> Counts {
        Counts::of(&self.findings)
    }
}

/// The report document, in the contract's key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDoc<'a> {
    pub format: &'static str,
    pub files: Vec<FileDoc<'a>>,
}

/// One file of the report. The department is not part of the contract and stays out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDoc<'a> {
    pub file: &'a str,
    pub template: Option<&'a str>,
    pub read: bool,
    pub error: Option<&'a str>,
    pub findings: Vec<FindingDoc>,
    pub changes: &'a [Change],
}

/// One finding with its message and suggestion rendered in the report's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingDoc {
    pub code: Code,
    pub severity: Severity,
    pub field: Option<FieldPath>,
    pub cell: Option<String>,
    pub message: String,
    pub suggestion: String,
    pub fixed: bool,
}

impl FindingDoc {
    pub fn new(f: &Finding, lang: Lang) -> FindingDoc {
        FindingDoc {
            code: f.code,
            severity: f.severity(),
            field: f.field,
            cell: f.cell.clone(),
            message: f.message(lang),
            suggestion: f.suggestion(lang),
            fixed: f.fixed,
        }
    }
}

/// The results of processed inputs: one per form (a JSON array input gives several), one per
/// input that gave none. An input that is not a form is reported as `template-unknown` (what it
/// lacks) and `file-unreadable` (that nothing could be taken from it).
pub fn results(processed: &[crate::pipeline::Processed], lang: Lang) -> Vec<FileResult> {
    let mut out = Vec::new();
    for p in processed {
        match &p.outcome {
            Ok(forms) => out.extend(forms.iter().map(|f| FileResult {
                file: p.file.clone(),
                template: Some(f.declaration.template.clone()),
                department: Some(f.declaration.department.clone()),
                read: true,
                error: None,
                findings: f.findings.clone(),
                changes: f.changes.clone(),
            })),
            Err(failure) => {
                out.push(FileResult {
                    file: p.file.clone(),
                    template: None,
                    department: None,
                    read: false,
                    error: Some(failure.message(lang)),
                    findings: failure.findings(lang),
                    changes: Vec::new(),
                });
            }
        }
    }
    out
}

/// The `jixiao.report/1` document of some results.
pub fn document(results: &[FileResult], lang: Lang) -> ReportDoc<'_> {
    ReportDoc {
        format: REPORT_FORMAT,
        files: results
            .iter()
            .map(|r| FileDoc {
                file: &r.file,
                template: r.template.as_deref(),
                read: r.read,
                error: r.error.as_deref(),
                findings: r
                    .findings
                    .iter()
                    .map(|f| FindingDoc::new(f, lang))
                    .collect(),
                changes: &r.changes,
            })
            .collect(),
    }
}

/// The report as a JSON value (keys sorted; see the module note).
pub fn to_json(results: &[FileResult], lang: Lang) -> serde_json::Value {
    serde_json::to_value(document(results, lang)).unwrap_or(serde_json::Value::Null)
}

/// The report as pretty-printed JSON text in the contract's key order.
pub fn to_json_string(results: &[FileResult], lang: Lang) -> String {
    serde_json::to_string_pretty(&document(results, lang)).unwrap_or_default()
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, colour: Option<&str>, color: bool) -> String {
    match colour {
        Some(c) if color => format!("{c}{text}{RESET}"),
        _ => text.to_string(),
    }
}

fn level_word(severity: Severity, lang: Lang, color: bool) -> String {
    let (word, colour) = match severity {
        Severity::Error => (words::ERROR.get(lang), Some(RED)),
        Severity::Warning => (words::WARNING.get(lang), Some(YELLOW)),
        Severity::Info => (words::INFO.get(lang), None),
    };
    paint(word, colour, color)
}

/// The report for a person: per file a header line, then its findings, errors first (form
/// order within a severity), each as `级别 代码 单元格 说明 → 建议`; an unreadable file is one
/// line; a totals line ends it. ANSI colour only when `color` is true.
pub fn to_text(results: &[FileResult], lang: Lang, color: bool) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut changes, mut unreadable) = (0, 0, 0, 0, 0);
    for r in results {
        if !r.read {
            unreadable += 1;
            let line =
                words::UNREADABLE.render(lang, &[("error", r.error.as_deref().unwrap_or(""))]);
            out.push_str(&paint(&line, Some(RED), color));
            out.push_str("\n\n");
            continue;
        }
        let Counts {
            errors: e,
            warnings: w,
            infos: i,
        } = r.counts();
        errors += e;
        warnings += w;
        infos += i;
        changes += r.changes.len();

        let mut header = vec![r.file.clone()];
        if let Some(d) = r.department.as_deref().filter(|d| !d.trim().is_empty()) {
            header.push(d.trim().to_string());
        }
        if let Some(t) = r.template.as_deref() {
            header.push(words::TEMPLATE.render(lang, &[("template", t)]));
        }
        header.push(words::COUNTS.render(
            lang,
            &[
                ("errors", &e.to_string()),
                ("warnings", &w.to_string()),
                ("infos", &i.to_string()),
                ("changes", &r.changes.len().to_string()),
            ],
        ));
        out.push_str(&header.join("  "));
        out.push('\n');

        if r.findings.is_empty() {
            out.push_str("  ");
            out.push_str(words::NO_FINDINGS.get(lang));
            out.push('\n');
        }
        let mut sorted: Vec<&Finding> = r.findings.iter().collect();
        sorted.sort_by_key(|f| f.severity()); // stable: form order within a severity
        for f in sorted {
            let cell = f.cell.as_deref().unwrap_or(words::NO_CELL.get(lang));
            let mut line = format!(
                "  {} {} {} {}",
                level_word(f.severity(), lang, color),
                f.code,
                cell,
                f.message(lang)
            );
            let suggestion = f.suggestion(lang);
            if !suggestion.is_empty() {
                line.push_str(" → ");
                line.push_str(&suggestion);
            }
            // One finding, one line: a line break quoted from a cell shows as ↵.
            out.push_str(&line.replace("\r\n", "↵").replace('\n', "↵"));
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&words::TOTALS.render(
        lang,
        &[
            ("files", &results.len().to_string()),
            ("unreadable", &unreadable.to_string()),
            ("errors", &errors.to_string()),
            ("warnings", &warnings.to_string()),
            ("infos", &infos.to_string()),
            ("changes", &changes.to_string()),
        ],
    ));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hole;

    fn sample() -> Vec<FileResult> {
        vec![
            FileResult {
                file: "panyu.xlsx".to_string(),
                template: Some("gz-dept-overall".to_string()),
                department: Some("番禺经开区管委会".to_string()),
                read: true,
                error: None,
                findings: vec![
                    Finding::new(Code::TaskFundsUncovered)
                        .field(FieldPath::Section(crate::model::Section::Tasks))
                        .param(Hole::Total, "373.32")
                        .param(Hole::Project, "485.96")
                        .param(Hole::Difference, "112.64"),
                    Finding::new(Code::IndicatorDuplicate)
                        .field(FieldPath::indicator(6, crate::model::Column::Name))
                        .cell(Some(&crate::model::CellRef::new("Sheet1", 21, 3)))
                        .param(Hole::Name, "开展园区环保巡检")
                        .param(Hole::OtherCell, "Sheet1!D19"),
                    Finding::new(Code::DepartmentEmpty)
                        .field(FieldPath::Department)
                        .cell(Some(&crate::model::CellRef::new("Sheet1", 1, 1))),
                ],
                changes: vec![Change {
                    code: Code::TargetSymbol,
                    field: FieldPath::indicator(0, crate::model::Column::Annual),
                    cell: Some("Sheet1!F16".to_string()),
                    before: "≧12次".to_string(),
                    after: "≥12次".to_string(),
                }],
            },
            FileResult {
                file: "bad.xls".to_string(),
                read: false,
                error: Some("bad.xls：这是一个网页（HTML）文件".to_string()),
                ..FileResult::default()
            },
        ]
    }

    #[test]
    fn json_shape_follows_records_md() {
        let v = to_json(&sample(), Lang::Zh);
        assert_eq!(v["format"], "jixiao.report/1");
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        let f = &files[0];
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            ["changes", "error", "file", "findings", "read", "template"]
        );
        assert_eq!(f["file"], "panyu.xlsx");
        assert_eq!(f["template"], "gz-dept-overall");
        assert_eq!(f["read"], true);
        assert!(f["error"].is_null());
        let dup = &f["findings"][1];
        assert_eq!(
            dup,
            &serde_json::json!({
                "code": "indicator-duplicate",
                "severity": "warning",
                "field": "indicators[6].name",
                "cell": "Sheet1!D22",
                "message": "三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19）",
                "suggestion": "删除重复指标，或改为能区分的其他指标",
                "fixed": false
            })
        );
        assert!(f["findings"][0]["cell"].is_null());
        assert_eq!(
            f["changes"][0],
            serde_json::json!({"code": "target-symbol", "field": "indicators[0].annual",
                "cell": "Sheet1!F16", "before": "≧12次", "after": "≥12次"})
        );
        let bad = &files[1];
        assert_eq!(bad["read"], false);
        assert_eq!(bad["error"], "bad.xls：这是一个网页（HTML）文件");
        assert_eq!(bad["findings"], serde_json::json!([]));
        assert!(bad["template"].is_null());
        // English messages when asked.
        let v = to_json(&sample(), Lang::En);
        assert_eq!(
            v["files"][0]["findings"][2]["message"],
            "The department name (部门名称) is empty"
        );
    }

    #[test]
    fn json_text_keeps_the_contract_key_order() {
        let text = to_json_string(&sample(), Lang::Zh);
        let order = [
            "\"format\"",
            "\"files\"",
            "\"file\"",
            "\"template\"",
            "\"read\"",
            "\"error\"",
            "\"findings\"",
            "\"code\"",
            "\"severity\"",
            "\"field\"",
            "\"cell\"",
            "\"message\"",
            "\"suggestion\"",
            "\"fixed\"",
            "\"changes\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, to_json(&sample(), Lang::Zh));
    }

    #[test]
    fn text_in_chinese_word_for_word() {
        let expected = "\
panyu.xlsx  番禺经开区管委会  模板 gz-dept-overall  错误 1，警告 1，提示 1，修正 1
  错误 department-empty Sheet1!B2 部门名称为空 → 请填写部门全称
  警告 indicator-duplicate Sheet1!D22 三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19） → 删除重复指标，或改为能区分的其他指标
  提示 task-funds-uncovered — 重点工作任务拟投入的资金合计373.32，少于项目支出485.96，还有112.64未列入任务 → 如还有其他项目支出，请补列相应的重点工作任务

bad.xls：这是一个网页（HTML）文件

合计：文件 2 个，其中 1 个无法读取；已读取的申报表中错误 1，警告 1，提示 1，修正 1
";
        assert_eq!(to_text(&sample(), Lang::Zh, false), expected);
    }

    #[test]
    fn text_in_english_word_for_word() {
        let expected = "\
panyu.xlsx  番禺经开区管委会  template gz-dept-overall  errors 1, warnings 1, infos 1, corrections 1
  error department-empty Sheet1!B2 The department name (部门名称) is empty → Fill in the full name of the department
  warning indicator-duplicate Sheet1!D22 The indicator \"开展园区环保巡检\" appears twice (see also Sheet1!D19) → Delete the duplicate, or turn it into an indicator that measures something else
  info task-funds-uncovered - The key tasks' funds add up to 373.32, less than 项目支出 485.96; 112.64 is not assigned to any task → If other project spending exists, list the tasks it pays for

bad.xls：这是一个网页（HTML）文件

Total: 2 files, 1 of them unreadable; in the forms read: errors 1, warnings 1, infos 1, corrections 1
";
        assert_eq!(to_text(&sample(), Lang::En, false), expected);
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = to_text(&sample(), Lang::Zh, false);
        assert!(!plain.contains('\x1b'));
        let coloured = to_text(&sample(), Lang::Zh, true);
        assert!(coloured.contains("\x1b[31m错误\x1b[0m department-empty"));
        assert!(coloured.contains("\x1b[33m警告\x1b[0m indicator-duplicate"));
        assert!(coloured.contains("  提示 task-funds-uncovered"));
        assert!(coloured.contains("\x1b[31mbad.xls："));
    }

    #[test]
    fn clean_file_and_empty_run() {
        let clean = FileResult {
            file: "zhanjiang.xlsx".to_string(),
            read: true,
            ..FileResult::default()
        };
        assert_eq!(
            to_text(&[clean], Lang::Zh, false),
            "zhanjiang.xlsx  错误 0，警告 0，提示 0，修正 0\n  未发现问题\n\n合计：文件 1 个，其中 0 个无法读取；已读取的申报表中错误 0，警告 0，提示 0，修正 0\n"
        );
        assert_eq!(
            to_text(&[], Lang::En, false),
            "Total: 0 files, 0 of them unreadable; in the forms read: errors 0, warnings 0, infos 0, corrections 0\n"
        );
        assert_eq!(to_json(&[], Lang::Zh)["files"], serde_json::json!([]));
    }
}
