//! Every user-facing sentence, in Chinese (the default) and English, in one place.
//!
//! Sentences are templates with named holes (`{file}`, `{cell}`, `{value}`); [`render`] fills
//! them. The finding catalogue ([`FINDINGS`]) is one table walked by tests: every code unique,
//! every code with both languages and a suggestion. Changing a word here is a decision that a
//! test makes visible.

use crate::model::Severity;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A sentence in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// Fill the holes of this sentence in `lang`.
    pub fn render(&self, lang: Lang, params: &[(&str, &str)]) -> String {
        render(self.get(lang), params)
    }
}

/// Fill `{name}` holes from `params`. A hole with no parameter is left as written, so a missing
/// value shows in tests instead of vanishing.
pub fn render(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match params.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// One entry of the finding catalogue (CHECKS.md).
#[derive(Debug, Clone, Copy)]
pub struct FindingDef {
    pub code: &'static str,
    pub severity: Severity,
    /// Whether the normalizer corrects it (CHECKS.md `fix`).
    pub fixes: bool,
    pub message: Text,
    pub suggestion: Text,
}

macro_rules! t {
    ($zh:expr, $en:expr) => {
        Text { zh: $zh, en: $en }
    };
}

/// Look up a finding code.
pub fn finding(code: &str) -> Option<&'static FindingDef> {
    FINDINGS.iter().find(|d| d.code == code)
}

use Severity::{Error, Info, Warning};

/// Every check code, its severity, message and suggestion.
pub static FINDINGS: &[FindingDef] = &[
    // Reading and structure
    FindingDef {
        code: "template-unknown",
        severity: Error,
        fixes: false,
        message: t!(
            "{file}：不是部门整体预算绩效目标申报表；最接近的模板是 {variant}，但缺少：{missing}",
            "{file}: not a department budget performance target form; the closest template is {variant}, but it lacks: {missing}"
        ),
        suggestion: t!(
            "请确认提交的是部门整体预算绩效目标申报表",
            "Check that the file is the department budget performance target form"
        ),
    },
    FindingDef {
        code: "file-unreadable",
        severity: Error,
        fixes: false,
        message: t!("{error}", "{error}"),
        suggestion: t!(
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再提交",
            "Open it in Excel or WPS and save it as .xlsx"
        ),
    },
];

/// Sentences of the reader's errors (`ReadError`).
pub mod read {
    use super::Text;

    pub const IO: Text = t!(
        "{file}：无法打开文件（{detail}）",
        "{file}: cannot open the file ({detail})"
    );
    pub const IS_DIRECTORY: Text = t!(
        "{file}：是文件夹，不是文件",
        "{file}: is a folder, not a file"
    );
    pub const TOO_LARGE: Text = t!(
        "{file}：文件过大（{bytes} 字节），不像是一份申报表",
        "{file}: the file is too large ({bytes} bytes) to be a form"
    );
    pub const EMPTY: Text = t!(
        "{file}：文件是空的（0 字节）",
        "{file}: the file is empty (0 bytes)"
    );
    pub const ENCRYPTED: Text = t!(
        "{file}：工作簿设置了密码保护，无法读取。请先取消密码保护后再处理",
        "{file}: the workbook is password-protected and cannot be read. Remove the password protection first"
    );
    pub const HTML: Text = t!(
        "{file}：这是一个网页（HTML）文件，只是扩展名为表格。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理",
        "{file}: this is a web page (HTML) with a spreadsheet extension. Open it in Excel or WPS and \"Save as .xlsx\""
    );
    pub const XML2003: Text = t!(
        "{file}：这是 XML 电子表格 2003 格式，不是真正的 .xls。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理",
        "{file}: this is an XML Spreadsheet 2003 file, not a real .xls. Open it in Excel or WPS and \"Save as .xlsx\""
    );
    pub const CORRUPT: Text = t!(
        "{file}：文件已损坏或不完整（{detail}），无法读取。请重新导出或向报送单位索取完整文件",
        "{file}: the file is damaged or incomplete ({detail}). Export it again or ask the sender for a complete copy"
    );
    pub const UNKNOWN_FORMAT: Text = t!(
        "{file}：不是可识别的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .json）",
        "{file}: not a recognizable spreadsheet (supported: .xlsx .xlsm .xls .xlsb .ods .csv .json)"
    );
    pub const NOT_A_FORM: Text = t!(
        "{file}：内容不是有效的 {what}",
        "{file}: the content is not valid {what}"
    );
    pub const BAD_JSON: Text = t!(
        "{file}：不是有效的申报表 JSON 记录（{detail}）",
        "{file}: not a valid declaration JSON record ({detail})"
    );
    pub const NO_SHEETS: Text = t!(
        "{file}：工作簿中没有任何工作表内容",
        "{file}: the workbook has no sheet with content"
    );
}

/// Sentences about template files.
pub mod template {
    use super::Text;

    pub const BAD: Text = t!(
        "模板文件 {file} 无效：{detail}",
        "template file {file} is invalid: {detail}"
    );
}

/// Words of the written workbooks and CSV (OUTPUT.md). Sheet names, column headers and summary
/// labels are fixed Chinese: other systems and finance officers rely on them, whatever `--lang`
/// says. Only rendered sentences (notes, severity words, error messages) follow the language.
pub mod write {
    use super::Text;

    /// The sheets of the `convert` workbook, in order.
    pub const SHEET_FORM: &str = "申报表";
    pub const SHEET_SUMMARY: &str = "汇总";
    pub const SHEET_FINDINGS: &str = "校验结果";
    pub const SHEET_CHANGES: &str = "修改记录";

    /// Columns of 校验结果.
    pub const FINDINGS_HEADER: [&str; 8] = [
        "序号",
        "级别",
        "代码",
        "原文件位置",
        "本表位置",
        "字段",
        "说明",
        "建议",
    ];
    /// Columns of 修改记录.
    pub const CHANGES_HEADER: [&str; 6] = ["序号", "原文件位置", "字段", "原值", "新值", "规则"];
    /// Columns of the indicator CSV (and 指标明细).
    pub const INDICATORS_HEADER: [&str; 10] = [
        "部门",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
        "符号",
        "数值",
        "单位",
        "类型",
    ];

    /// The two columns of 汇总 and its row labels.
    pub const SUMMARY_HEADER: [&str; 2] = ["项目", "内容"];
    pub const SUMMARY_DEPARTMENT: &str = "部门名称";
    pub const SUMMARY_TEMPLATE: &str = "模板";
    pub const SUMMARY_YEAR: &str = "年度";
    pub const SUMMARY_EXPENDITURE: &str = "支出合计（万元）";
    pub const SUMMARY_INCOME: &str = "收入合计（万元）";
    pub const SUMMARY_BALANCED: &str = "是否平衡";
    pub const SUMMARY_TASKS: &str = "重点任务数";
    pub const SUMMARY_TASK_FUNDS: &str = "任务资金合计（万元）";
    pub const SUMMARY_INDICATORS: &str = "指标数";
    /// `{level1}` is a 一级指标 name: `产出指标数`.
    pub const SUMMARY_LEVEL1: &str = "{level1}数";
    pub const SUMMARY_OTHER_LEVEL1: &str = "其他一级指标数";
    pub const SUMMARY_ERRORS: &str = "错误";
    pub const SUMMARY_WARNINGS: &str = "警告";
    pub const SUMMARY_CHANGES: &str = "修改";
    pub const SUMMARY_STATUS: &str = "状态";

    pub const YES: &str = "是";
    pub const NO: &str = "否";
    /// The one-word status of a form: no error, or errors to fix.
    pub const STATUS_PASS: &str = "通过";
    pub const STATUS_FIX: &str = "需修改";
    pub const STATUS_UNREADABLE: &str = "无法读取";

    /// The 符号 column of the indicator CSV for a range (`80%-90%`).
    pub const OP_RANGE: &str = "区间";
    /// The 类型 column of the indicator CSV, by target kind.
    pub const KIND_QUANTITATIVE: &str = "定量";
    pub const KIND_QUALITATIVE: &str = "定性";
    pub const KIND_DATE: &str = "日期";
    pub const KIND_PLACEHOLDER: &str = "占位";
    pub const KIND_EMPTY: &str = "空";

    /// Severity words of 校验结果.
    pub const SEVERITY_ERROR: Text = t!("错误", "error");
    pub const SEVERITY_WARNING: Text = t!("警告", "warning");
    pub const SEVERITY_INFO: Text = t!("提示", "info");

    /// The note on a corrected cell.
    pub const NOTE_BEFORE: Text = t!("原值：{before}", "Original: {before}");
    /// Appended to the message of a finding the normalizer corrected.
    pub const FIXED_SUFFIX: Text = t!("（已自动修正）", " (corrected automatically)");

    /// Errors of `WriteError`.
    pub const ERR_XLSX: Text = t!(
        "无法生成工作簿（{detail}）",
        "cannot build the workbook ({detail})"
    );
    pub const ERR_IS_INPUT: Text = t!(
        "{file}：这是输入文件之一，不能被输出覆盖。请换一个输出文件名",
        "{file}: this is one of the inputs and will not be overwritten. Choose another output name"
    );
    pub const ERR_EXISTS: Text = t!(
        "{file}：文件已存在。要覆盖请加 --force",
        "{file}: the file exists. Add --force to overwrite it"
    );
    pub const ERR_IO: Text = t!(
        "{file}：无法写入（{detail}）",
        "{file}: cannot write ({detail})"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn render_fills_holes_and_keeps_unknown_ones() {
        assert_eq!(render("{a}+{b}={c}", &[("a", "1"), ("b", "2")]), "1+2={c}");
        assert_eq!(render("无洞", &[]), "无洞");
        assert_eq!(render("{unclosed", &[]), "{unclosed");
    }

    #[test]
    fn finding_codes_are_unique_and_complete() {
        let mut seen = HashSet::new();
        for def in FINDINGS {
            assert!(seen.insert(def.code), "duplicate code {}", def.code);
            assert!(
                !def.message.zh.is_empty() && !def.message.en.is_empty(),
                "{}",
                def.code
            );
            assert!(
                !def.suggestion.zh.is_empty() && !def.suggestion.en.is_empty(),
                "{}",
                def.code
            );
            assert!(def
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
        }
    }
}
