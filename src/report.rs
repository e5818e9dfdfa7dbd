//! The end of the checking half of the pipeline: per-input outcomes (the forms with the
//! findings of `check` and the changes of `normalize`, or why an input gave none) → the
//! `jixiao.report/1` document of docs/RECORDS.md §2, or a text for a person reading a terminal.
//!
//! One document for both doors: `jixiao check --format json` prints it and `POST /api/check`
//! answers with it (the server adds each form's preview beside an entry's keys, see
//! [`ReportDoc`]). One entry per form, one per input that gave none; the `summary` counts
//! inputs, forms, unreadable inputs and the [`Counts`] of the forms read.
//!
//! The JSON keys keep the contract's order only when the document is serialized from the
//! structs ([`Report::document`], [`Report::to_json_string`]): a `serde_json::Value` sorts its
//! keys, since the crate does not enable serde_json's `preserve_order`. [`Report::to_json`] is
//! for code that inspects values, not for files.

use rayon::prelude::*;
use serde::Serialize;

use crate::messages::{report as words, Lang, Level, Text};
use crate::model::{
    Change, Code, Counts, FieldPath, Finding, RecordKind, Severity, Status, REPORT_FORMAT,
};
use crate::pipeline::{Checked, Failure, Processed};
use crate::place::field_name;
use crate::template::Template;

/// The name the tool gives itself in reports and on the web: `jixiao 0.1.0`.
pub fn tool() -> String {
    format!("jixiao {}", env!("CARGO_PKG_VERSION"))
}

/// What the pipeline made of one form, or of one input that gave none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileResult {
    /// The input's name, as shown (its path below the folder named, or the upload's name).
    pub file: String,
    /// The sheet the form was read from (several forms of one workbook are told apart by it);
    /// `None` for CSV, JSON and an unreadable file.
    pub sheet: Option<String>,
    /// The template variant recognized (`gz-dept-overall`).
    pub template: Option<String>,
    /// The variant's name for a person (`部门整体预算绩效目标申报表（区级，六列）`).
    pub template_name: Option<String>,
    /// What kind of form it is, as its record says (`department` or `project`).
    pub kind: Option<RecordKind>,
    /// The department the form names (a project form's 主管部门); `None` when it names none.
    pub department: Option<String>,
    /// A project form's project (项目名称); `None` for a department form, or a project form
    /// that names none.
    pub project: Option<String>,
    /// False when nothing could be read from the input.
    pub read: bool,
    /// Why the input could not be read, already in the report's language.
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
    /// Where each finding is, in the form's words ([`field_name`]), in the report's language;
    /// `None` for a finding about the whole form. One per finding (none for an input not read).
    pub places: Vec<Option<String>>,
    /// Where each change is, in the form's words: one per change.
    pub change_places: Vec<String>,
}

impl FileResult {
    /// The result of one form read from `file`; `templates` name its variant and its labels
    /// name the places of its findings, in `lang`.
    pub fn of_form(file: &str, form: Checked, templates: &[Template], lang: Lang) -> FileResult {
        let d = form.declaration;
        let template = Template::for_record(templates, &d.template, d.kind());
        let name = |path: FieldPath| field_name(&d, &template, path, lang);
        let places = form.findings.iter().map(|f| f.field.map(name)).collect();
        let change_places = form.changes.iter().map(|c| name(c.field)).collect();
        FileResult {
            places,
            change_places,
            file: file.to_string(),
            template_name: Some(Template::name_of(templates, &d.template).to_string()),
            kind: Some(d.kind()),
            department: Some(d.department().trim())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            project: Some(d.project_name().trim())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            sheet: d.source.place().map(|p| p.into_owned()),
            template: Some(d.template),
            read: true,
            error: None,
            findings: form.findings,
            changes: form.changes,
        }
    }

    /// The result of an input that gave no form: its reason, and the findings that stand for
    /// it (`template-unknown` for what a spreadsheet that is not the form lacks, then
    /// `file-unreadable`).
    pub fn of_failure(file: &str, failure: &Failure, lang: Lang) -> FileResult {
        FileResult {
            file: file.to_string(),
            read: false,
            error: Some(failure.message(lang)),
            findings: failure.findings(lang),
            ..FileResult::default()
        }
    }

    /// The results of one input: one per form, or its failure.
    pub fn of_input(p: Processed, templates: &[Template], lang: Lang) -> Vec<FileResult> {
        match p.outcome {
            Ok(forms) => forms
                .into_iter()
                .map(|f| FileResult::of_form(&p.file, f, templates, lang))
                .collect(),
            Err(failure) => vec![FileResult::of_failure(&p.file, &failure, lang)],
        }
    }

    /// Its findings by level ([`Counts`]: open ones by severity, corrected ones as
    /// corrections). An input not read counts the findings that stand for it: they are listed
    /// under 错误 like any other, and the run's totals add them up.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.findings)
    }

    pub fn status(&self) -> Status {
        if self.read {
            Status::of_form(&self.findings)
        } else {
            Status::Unreadable
        }
    }
}

/// The results of a batch of inputs, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// How many inputs the batch had (a workbook or a JSON array may hold several forms).
    pub inputs: usize,
    /// One per form, one per input that gave none.
    pub results: Vec<FileResult>,
}

/// The totals of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Inputs (files) in the batch.
    pub files: usize,
    /// Forms read.
    pub forms: usize,
    /// Inputs that gave no form.
    pub unreadable: usize,
    /// The forms' counts, summed.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The report document, in the contract's key order. `E` is an entry: [`FileDoc`], or a
/// door's entry that adds keys beside it (the server's preview).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDoc<E> {
    pub format: &'static str,
    pub tool: String,
    pub summary: Summary,
    pub files: Vec<E>,
}

/// One entry of the report: a form, or an input that gave none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDoc<'a> {
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub template: Option<&'a str>,
    pub template_name: Option<&'a str>,
    pub kind: Option<RecordKind>,
    pub department: Option<&'a str>,
    pub project: Option<&'a str>,
    pub status: Status,
    pub counts: Counts,
    pub read: bool,
    pub error: Option<&'a str>,
    pub findings: Vec<FindingDoc<'a>>,
    pub changes: Vec<ChangeDoc<'a>>,
}

impl<'a> FileDoc<'a> {
    pub fn new(r: &'a FileResult, lang: Lang) -> FileDoc<'a> {
        let place = |i: usize| r.places.get(i).and_then(|p| p.as_deref());
        FileDoc {
            file: &r.file,
            sheet: r.sheet.as_deref(),
            template: r.template.as_deref(),
            template_name: r.template_name.as_deref(),
            kind: r.kind,
            department: r.department.as_deref(),
            project: r.project.as_deref(),
            status: r.status(),
            counts: r.counts(),
            read: r.read,
            error: r.error.as_deref(),
            findings: r
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| FindingDoc::new(f, place(i), lang))
                .collect(),
            changes: r
                .changes
                .iter()
                .enumerate()
                .map(|(i, c)| ChangeDoc {
                    code: c.code,
                    field: c.field,
                    cell: c.cell.as_deref(),
                    before: &c.before,
                    after: &c.after,
                    rule: c.code.def().rule.get(lang),
                    place: r.change_places.get(i).map(String::as_str),
                })
                .collect(),
        }
    }
}

/// One finding with its message, suggestion, rule name and place in the report's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingDoc<'a> {
    pub code: Code,
    pub severity: Severity,
    pub field: Option<FieldPath>,
    pub cell: Option<String>,
    pub message: String,
    pub suggestion: String,
    pub fixed: bool,
    /// The rule's name for a person (`指标值符号不规范`).
    pub rule: &'static str,
    /// Where it is, in the form's words (`第1项指标“外出招商次数”·年度指标值`); `None` for the
    /// whole form.
    pub place: Option<&'a str>,
}

impl<'a> FindingDoc<'a> {
    pub fn new(f: &Finding, place: Option<&'a str>, lang: Lang) -> FindingDoc<'a> {
        FindingDoc {
            code: f.code,
            severity: f.severity(),
            field: f.field,
            cell: f.cell.clone(),
            message: f.message(lang),
            suggestion: f.suggestion(lang),
            fixed: f.fixed,
            rule: f.code.def().rule.get(lang),
            place,
        }
    }
}

/// One change with its rule name and place in the report's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeDoc<'a> {
    pub code: Code,
    pub field: FieldPath,
    pub cell: Option<&'a str>,
    pub before: &'a str,
    pub after: &'a str,
    pub rule: &'static str,
    pub place: Option<&'a str>,
}

impl Report {
    /// The report of processed inputs; `templates` name the variants.
    pub fn of(processed: Vec<Processed>, templates: &[Template], lang: Lang) -> Report {
        Report {
            inputs: processed.len(),
            results: processed
                .into_iter()
                .flat_map(|p| FileResult::of_input(p, templates, lang))
                .collect(),
        }
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.inputs,
            ..Summary::default()
        };
        for r in &self.results {
            if r.read {
                s.forms += 1;
            } else {
                s.unreadable += 1;
            }
            s.counts += r.counts();
        }
        s
    }

    /// The `jixiao.report/1` document (its findings rendered in parallel: a batch of
    /// thousands of forms has tens of thousands of sentences).
    pub fn document(&self, lang: Lang) -> ReportDoc<FileDoc<'_>> {
        ReportDoc {
            format: REPORT_FORMAT,
            tool: tool(),
            summary: self.summary(),
            files: self
                .results
                .par_iter()
                .map(|r| FileDoc::new(r, lang))
                .collect(),
        }
    }

    /// The report as a JSON value (keys sorted; see the module note).
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::to_value(self.document(lang)).unwrap_or(serde_json::Value::Null)
    }

    /// The report as pretty-printed JSON text in the contract's key order.
    pub fn to_json_string(&self, lang: Lang) -> String {
        serde_json::to_string_pretty(&self.document(lang)).unwrap_or_default()
    }
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

fn level_word(level: Level, lang: Lang, color: bool) -> String {
    let colour = match level {
        Level::Error => Some(RED),
        Level::Warning => Some(YELLOW),
        Level::Info | Level::Fixed => None,
    };
    paint(level.word().get(lang), colour, color)
}

impl Report {
    /// The report for a person: per entry a header line (the file, its sheet when it holds
    /// several forms, the department and project, the template, the counts; an input not read
    /// says so instead of a template), then its findings, one a line, listed by level (错误,
    /// 警告, 提示, 已修正; form order within one) as `级别 单元格 规则：说明 → 建议 [代码]`; a
    /// totals line ends it. Each count is the number of lines under its word. ANSI colour only
    /// when `color` is true.
    pub fn to_text(&self, lang: Lang, color: bool) -> String {
        let mut out = String::new();
        // Results come file by file: the forms of one file stand together, so a file holds
        // several when a neighbour names it too.
        let shares_file = |i: usize| {
            let file = &self.results[i].file;
            let at = |j: Option<usize>| {
                j.and_then(|j| self.results.get(j))
                    .is_some_and(|r| &r.file == file)
            };
            at(i.checked_sub(1)) || at(Some(i + 1))
        };
        for (i, r) in self.results.iter().enumerate() {
            let mut header = vec![r.file.clone()];
            if !r.read {
                header.push(paint(
                    crate::messages::write::STATUS_UNREADABLE.get(lang),
                    Some(RED),
                    color,
                ));
            }
            if let Some(sheet) = r.sheet.as_deref().filter(|_| shares_file(i)) {
                header.push(words::SHEET.render(lang, &[("sheet", sheet)]));
            }
            // Trimmed and never empty (`FileResult::of_form`).
            header.extend([&r.department, &r.project].into_iter().flatten().cloned());
            // The variant as the page names it (`区级，六列`), not its id.
            if let Some(t) = r.template_name.as_deref().or(r.template.as_deref()) {
                let short = Template::short_name(t);
                header.push(words::TEMPLATE.render(lang, &[("template", short)]));
            }
            header.push(counts_text(&words::COUNTS, r.counts(), lang, &[]));
            out.push_str(&header.join("  "));
            out.push('\n');

            if r.findings.is_empty() {
                out.push_str("  ");
                out.push_str(words::NO_FINDINGS.get(lang));
                out.push('\n');
            }
            let mut sorted: Vec<&Finding> = r.findings.iter().collect();
            sorted.sort_by_key(|f| f.level()); // stable: form order within a level
            for f in sorted {
                let cell = f.cell.as_deref().unwrap_or(words::NO_CELL.get(lang));
                let mut line = words::LINE.render(
                    lang,
                    &[
                        ("level", &level_word(f.level(), lang, color)),
                        ("cell", cell),
                        ("rule", f.code.def().rule.get(lang)),
                        ("message", &f.message(lang)),
                    ],
                );
                let suggestion = f.suggestion(lang);
                if !suggestion.is_empty() {
                    line.push_str(" → ");
                    line.push_str(&suggestion);
                }
                line.push_str(&words::CODE.render(lang, &[("code", f.code.as_str())]));
                // One finding, one line: a line break quoted from a cell shows as ↵.
                out.push_str("  ");
                out.push_str(&line.replace("\r\n", "↵").replace('\n', "↵"));
                out.push('\n');
            }
            out.push('\n');
        }
        let summary = self.summary();
        out.push_str(&counts_text(
            &words::TOTALS,
            summary.counts,
            lang,
            &[
                ("files", &summary.files.to_string()),
                ("forms", &summary.forms.to_string()),
                ("unreadable", &summary.unreadable.to_string()),
            ],
        ));
        out.push('\n');
        out
    }
}

/// A sentence naming counts (`错误 1，警告 1，提示 1，已修正 1`), with more holes filled.
pub fn counts_text(text: &Text, c: Counts, lang: Lang, more: &[(&str, &str)]) -> String {
    let (e, w, i, k) = (
        c.errors.to_string(),
        c.warnings.to_string(),
        c.infos.to_string(),
        c.corrections.to_string(),
    );
    let mut params = vec![
        ("errors", e.as_str()),
        ("warnings", w.as_str()),
        ("infos", i.as_str()),
        ("corrections", k.as_str()),
    ];
    params.extend_from_slice(more);
    text.render(lang, &params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hole;

    fn sample() -> Report {
        let results = vec![
            FileResult {
                file: "panyu.xlsx".to_string(),
                sheet: Some("Sheet1".to_string()),
                template: Some("gz-dept-overall".to_string()),
                template_name: Some("部门整体预算绩效目标申报表（区级，六列）".to_string()),
                kind: Some(RecordKind::Department),
                department: Some("番禺经开区管委会".to_string()),
                project: None,
                read: true,
                error: None,
                findings: vec![
                    Finding::new(Code::TargetSymbol)
                        .field(FieldPath::indicator(0, crate::model::Column::Annual))
                        .cell(Some(&crate::model::CellRef::new("Sheet1", 15, 5)))
                        .param(Hole::Before, "≧12次")
                        .param(Hole::After, "≥12次")
                        .fixed(true),
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
                        .cell(Some(&crate::model::CellRef::new("Sheet1", 1, 1)))
                        .param(Hole::Label, "部门名称"),
                ],
                changes: vec![Change {
                    code: Code::TargetSymbol,
                    field: FieldPath::indicator(0, crate::model::Column::Annual),
                    cell: Some("Sheet1!F16".to_string()),
                    before: "≧12次".to_string(),
                    after: "≥12次".to_string(),
                }],
                places: vec![
                    Some("第1项指标“外出招商次数”·年度指标值".to_string()),
                    Some("年度重点工作任务".to_string()),
                    Some("第7项指标“开展园区环保巡检”·三级指标".to_string()),
                    Some("部门名称".to_string()),
                ],
                change_places: vec!["第1项指标“外出招商次数”·年度指标值".to_string()],
            },
            FileResult {
                file: "bad.xls".to_string(),
                read: false,
                error: Some("bad.xls：这是一个网页（HTML）文件".to_string()),
                findings: vec![Finding::new(Code::FileUnreadable)
                    .param(Hole::Error, "bad.xls：这是一个网页（HTML）文件")],
                places: vec![None],
                ..FileResult::default()
            },
        ];
        Report { inputs: 2, results }
    }

    #[test]
    fn json_shape_follows_records_md() {
        let v = sample().to_json(Lang::Zh);
        assert_eq!(v["format"], "jixiao.report/1");
        assert_eq!(v["tool"], format!("jixiao {}", env!("CARGO_PKG_VERSION")));
        assert_eq!(
            v["summary"],
            serde_json::json!({"files": 2, "forms": 1, "unreadable": 1, "errors": 2,
                "warnings": 1, "infos": 1, "corrections": 1})
        );
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        let f = &files[0];
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "changes",
                "counts",
                "department",
                "error",
                "file",
                "findings",
                "kind",
                "project",
                "read",
                "sheet",
                "status",
                "template",
                "template_name"
            ]
        );
        assert_eq!(f["sheet"], "Sheet1");
        assert!(files[1]["sheet"].is_null());
        assert_eq!(f["file"], "panyu.xlsx");
        assert_eq!(f["sheet"], "Sheet1");
        assert_eq!(f["template"], "gz-dept-overall");
        assert_eq!(
            f["template_name"],
            "部门整体预算绩效目标申报表（区级，六列）"
        );
        assert_eq!(f["kind"], "department");
        assert_eq!(f["department"], "番禺经开区管委会");
        assert!(f["project"].is_null(), "a department form names no project");
        assert_eq!(f["status"], "fix");
        assert_eq!(
            f["counts"],
            serde_json::json!({"errors": 1, "warnings": 1, "infos": 1, "corrections": 1})
        );
        assert_eq!(f["read"], true);
        assert!(f["error"].is_null());
        let dup = &f["findings"][2];
        assert_eq!(
            dup,
            &serde_json::json!({
                "code": "indicator-duplicate",
                "severity": "warning",
                "field": "indicators[6].name",
                "cell": "Sheet1!D22",
                "message": "三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19）",
                "suggestion": "删除重复指标，或改为能区分的其他指标",
                "fixed": false,
                "rule": "指标重复",
                "place": "第7项指标“开展园区环保巡检”·三级指标"
            })
        );
        assert!(f["findings"][1]["cell"].is_null());
        assert_eq!(f["findings"][1]["place"], "年度重点工作任务");
        assert_eq!(
            f["changes"][0],
            serde_json::json!({"code": "target-symbol", "field": "indicators[0].annual",
                "cell": "Sheet1!F16", "before": "≧12次", "after": "≥12次",
                "rule": "指标值符号不规范", "place": "第1项指标“外出招商次数”·年度指标值"})
        );
        let bad = &files[1];
        assert_eq!(bad["read"], false);
        assert_eq!(bad["status"], "unreadable");
        // The error that stands for it is counted, as 汇总 and 校验结果 count it.
        assert_eq!(
            bad["counts"],
            serde_json::json!({"errors": 1, "warnings": 0, "infos": 0, "corrections": 0})
        );
        assert_eq!(bad["error"], "bad.xls：这是一个网页（HTML）文件");
        assert_eq!(bad["findings"][0]["code"], "file-unreadable");
        assert!(bad["findings"][0]["place"].is_null());
        assert!(bad["template"].is_null());
        // English messages when asked.
        let v = sample().to_json(Lang::En);
        assert_eq!(
            v["files"][0]["findings"][3]["message"],
            "The department name (部门名称) is empty"
        );
        assert_eq!(
            v["files"][0]["findings"][3]["rule"],
            "Department name empty"
        );
    }

    #[test]
    fn json_text_keeps_the_contract_key_order() {
        let text = sample().to_json_string(Lang::Zh);
        let order = [
            "\"format\"",
            "\"tool\"",
            "\"summary\"",
            "\"forms\"",
            "\"corrections\"",
            "\"files\": [",
            "\"file\"",
            "\"sheet\"",
            "\"template\"",
            "\"template_name\"",
            "\"kind\"",
            "\"department\"",
            "\"status\"",
            "\"counts\"",
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
            "\"rule\"",
            "\"place\"",
            "\"changes\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sample().to_json(Lang::Zh));
    }

    #[test]
    fn text_in_chinese_word_for_word() {
        let expected = "\
panyu.xlsx  番禺经开区管委会  模板 区级，六列  错误 1，警告 1，提示 1，已修正 1
  错误 Sheet1!B2 部门名称为空：部门名称为空 → 请填写部门全称 [department-empty]
  警告 Sheet1!D22 指标重复：三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19） → 删除重复指标，或改为能区分的其他指标 [indicator-duplicate]
  提示 — 项目支出未全部列入任务：重点工作任务拟投入的资金合计373.32万元，少于项目支出485.96万元，还有112.64万元未列入任务 → 如还有其他项目支出，请补列相应的重点工作任务 [task-funds-uncovered]
  已修正 Sheet1!F16 指标值符号不规范：指标值写作“≧12次”，已规范为“≥12次” → 无需处理；今后请使用 ≥、≤ 等标准符号和半角数字 [target-symbol]

bad.xls  无法读取  错误 1，警告 0，提示 0，已修正 0
  错误 — 文件无法读取：bad.xls：这是一个网页（HTML）文件 → 请按说明处理该文件后重新报送 [file-unreadable]

合计：文件 2 个，其中 1 个无法读取；读取申报表 1 份，错误 2，警告 1，提示 1，已修正 1
";
        assert_eq!(sample().to_text(Lang::Zh, false), expected);
    }

    #[test]
    fn text_in_english_word_for_word() {
        let expected = "\
panyu.xlsx  番禺经开区管委会  template 区级，六列  errors 1, warnings 1, notes 1, corrected 1
  error Sheet1!B2 Department name empty: The department name (部门名称) is empty → Fill in the full name of the department [department-empty]
  warning Sheet1!D22 Duplicate indicator: The indicator \"开展园区环保巡检\" appears twice (see also Sheet1!D19) → Delete the duplicate, or turn it into an indicator that measures something else [indicator-duplicate]
  note - Project spending not all in tasks: The key tasks' funds add up to 373.32 万元, less than 项目支出 485.96 万元; 112.64 万元 is not assigned to any task → If other project spending exists, list the tasks it pays for [task-funds-uncovered]
  corrected Sheet1!F16 Non-standard target sign: The target is written \"≧12次\"; it is now \"≥12次\" → Nothing to do; next time use the standard signs (≥, ≤) and half-width digits [target-symbol]

bad.xls  Unreadable  errors 1, warnings 0, notes 0, corrected 0
  error - File unreadable: bad.xls：这是一个网页（HTML）文件 → Deal with the file as the message says and submit it again [file-unreadable]

Total: files 2 (unreadable 1); forms read 1, errors 2, warnings 1, notes 1, corrected 1
";
        assert_eq!(sample().to_text(Lang::En, false), expected);
    }

    /// Issue 12: the count beside each word is the number of lines listed under it, in every
    /// entry and in the totals.
    #[test]
    fn every_count_is_its_lines() {
        for lang in [Lang::Zh, Lang::En] {
            let report = sample();
            let text = report.to_text(lang, false);
            let mut total = Counts::default();
            for r in &report.results {
                let counts = r.counts();
                total += counts;
                let entry: Vec<&str> = text
                    .split("\n\n")
                    .find(|block| block.starts_with(&format!("{}  ", r.file)))
                    .unwrap()
                    .lines()
                    .skip(1)
                    .collect();
                for level in Level::ALL {
                    let word = format!("  {} ", level.word().get(lang));
                    let lines = entry.iter().filter(|l| l.starts_with(&word)).count();
                    assert_eq!(lines, counts.get(level), "{lang:?} {} {level:?}", r.file);
                }
            }
            assert_eq!(total, report.summary().counts);
        }
    }

    /// A workbook of several forms: one entry per form, each headed with its sheet; the
    /// totals count the file once and its forms.
    #[test]
    fn several_forms_of_one_file() {
        let form = |sheet: &str, department: &str| FileResult {
            file: "水务局.xlsx".to_string(),
            sheet: Some(sheet.to_string()),
            template: Some("gz-dept-overall".to_string()),
            template_name: Some("部门整体预算绩效目标申报表（区级，六列）".to_string()),
            department: Some(department.to_string()),
            read: true,
            ..FileResult::default()
        };
        let report = Report {
            inputs: 1,
            results: vec![form("部门整体", "水务局"), form("单位1", "河涌管理所")],
        };
        assert_eq!(
            report.to_text(Lang::Zh, false),
            "\
水务局.xlsx  工作表 部门整体  水务局  模板 区级，六列  错误 0，警告 0，提示 0，已修正 0
  未发现问题

水务局.xlsx  工作表 单位1  河涌管理所  模板 区级，六列  错误 0，警告 0，提示 0，已修正 0
  未发现问题

合计：文件 1 个，其中 0 个无法读取；读取申报表 2 份，错误 0，警告 0，提示 0，已修正 0
"
        );
        let v = report.to_json(Lang::Zh);
        let sheets: Vec<&str> = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["sheet"].as_str().unwrap())
            .collect();
        assert_eq!(sheets, ["部门整体", "单位1"]);
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = sample().to_text(Lang::Zh, false);
        assert!(!plain.contains('\x1b'));
        let coloured = sample().to_text(Lang::Zh, true);
        assert!(coloured.contains("  \x1b[31m错误\x1b[0m Sheet1!B2 部门名称为空："));
        assert!(coloured.contains("  \x1b[33m警告\x1b[0m Sheet1!D22 指标重复："));
        assert!(coloured.contains("  提示 — 项目支出未全部列入任务："));
        assert!(coloured.contains("  已修正 Sheet1!F16 "));
        assert!(coloured.contains("bad.xls  \x1b[31m无法读取\x1b[0m  错误 1"));
    }

    #[test]
    fn clean_file_and_empty_run() {
        let clean = FileResult {
            file: "zhanjiang.xlsx".to_string(),
            read: true,
            ..FileResult::default()
        };
        let one = Report {
            inputs: 1,
            results: vec![clean],
        };
        assert_eq!(
            one.to_text(Lang::Zh, false),
            "zhanjiang.xlsx  错误 0，警告 0，提示 0，已修正 0\n  未发现问题\n\n合计：文件 1 个，其中 0 个无法读取；读取申报表 1 份，错误 0，警告 0，提示 0，已修正 0\n"
        );
        assert_eq!(
            Report::default().to_text(Lang::En, false),
            "Total: files 0 (unreadable 0); forms read 0, errors 0, warnings 0, notes 0, corrected 0\n"
        );
        assert_eq!(
            Report::default().to_json(Lang::Zh)["files"],
            serde_json::json!([])
        );
    }
}
