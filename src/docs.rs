//! `docs/CHECKS.md`, generated from the code's own catalogue: every [`Code`] with its
//! severity, whether it is corrected, when it is raised, and its words in both languages, as
//! [`crate::messages::FINDINGS`] holds them. The committed file is this function's output: a
//! test regenerates it and fails with the difference when they drift
//! (`JIXIAO_BLESS=1 cargo test docs` writes it anew).
//!
//! What a check is about (`when`) is said here, once per code, in an exhaustive match: a new
//! code does not compile until it is described.

use crate::messages::{Code, FindingDef, Lang, Severity, FINDINGS};

/// The part of the catalogue a code belongs to: the sections of `docs/CHECKS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Structure,
    Content,
    Amounts,
    Indicators,
    Text,
    Project,
    Across,
    Reading,
}

impl Group {
    const ALL: [Group; 8] = [
        Group::Structure,
        Group::Content,
        Group::Amounts,
        Group::Indicators,
        Group::Text,
        Group::Project,
        Group::Across,
        Group::Reading,
    ];

    fn heading(self) -> &'static str {
        match self {
            Group::Structure => "Reading and structure",
            Group::Content => "Required content",
            Group::Amounts => "Amounts",
            Group::Indicators => "Indicators",
            Group::Text => "Text",
            Group::Project => "Project forms (`mof-project`, docs/FORM.md §1.6)",
            Group::Across => "Across the forms of a batch, and unreadable inputs",
            Group::Reading => "Bounds of reading",
        }
    }
}

/// The group of `code` and when it is raised, in the project's words.
fn when(code: Code) -> (Group, &'static str) {
    use Group::*;
    match code {
        Code::TemplateUnknown => (Structure, "No template matches the file well enough: it is not this form. The message names the closest template and the labels it lacks."),
        Code::SectionMissing => (Structure, "A required label is not on the form: 部门名称, the 预算整体情况 block, 总体绩效目标, the 绩效指标 header."),
        Code::LabelVariant => (Structure, "A label was recognised through one of its variants (`部门名称：`, `预算金额(万元)`); the written form uses the template's own label."),
        Code::ColumnExtra => (Structure, "The task or indicator table has a column the template does not know (`备注`, `指标解释`). Its values are not part of the record; they are kept in the change log."),
        Code::DepartmentEmpty => (Content, "部门名称 is empty."),
        Code::GoalEmpty => (Content, "总体绩效目标 is empty; on a project form, 年度目标 (its 中期目标 may be empty)."),
        Code::TasksEmpty => (Content, "年度重点工作任务 has no row."),
        Code::TaskNameEmpty => (Content, "A task row has content or funds but no 名称."),
        Code::TaskTotalRow => (Content, "A row of the task table named 合计, 小计 or 总计 is the tasks' total, not a task: it is left out of the record (so its funds are not counted twice), with this note at its cell."),
        Code::IndicatorsEmpty => (Content, "The 绩效指标 table has no indicator."),
        Code::IndicatorNameEmpty => (Content, "An indicator row has categories or values but no 三级指标."),
        Code::TargetEmpty => (Content, "An indicator has no 年度指标值 (no 指标值 in a one-column template): an error. An empty 实施周期指标值 beside a filled 年度指标值, or an empty target in a project form's mid-term block: a warning."),
        Code::AmountText => (Amounts, "An amount is stored as text, or written with spaces, full-width digits, thousands separators or a `万元` suffix; the record holds the number."),
        Code::AmountNotNumber => (Amounts, "An amount cell holds text that is no number (`待定`); the record holds `null`, and no sum that adds it is judged (unknown is not zero)."),
        Code::AmountInYuan => (Amounts, "An amount cell holds a number in 元 (`4,406,500元`) where the form counts in 万元. Either the unit or the number is wrong, so nothing is converted: the record holds `null` (no sum that adds it is judged) and the suggestion gives the amount in 万元."),
        Code::FormulaEvaluated => (Amounts, "A cell of the form is a formula an `.xlsx` saved no result for (openpyxl, report generators, some business systems write them so; so does a file saved without recalculating). jixiao worked it out exactly: numbers, cells of the same sheet, `SUM`, `+ - * /`, `%`, parentheses. The record holds the result, shown as a spreadsheet shows it (15 significant digits)."),
        Code::FormulaNoValue => (Amounts, "A cell of the form is a formula the file saved no result for, and jixiao cannot work it out (another function such as `VLOOKUP`, another sheet, a name, text, a division by zero, a cycle). An error on any field: the record holds `null` (or an empty text) where the officer sees a value. No other check judges that field, and a sum that involves it is not checked, so nothing reads the cell as zero."),
        Code::CellError => (Amounts, "A field's cell shows an error value (`#N/A`, `#REF!`, `#DIV/0!`): a formula that failed, or lost what it refers to. The field is read as empty; it is not judged further, and no sum that adds it is (its value is unknown, not zero)."),
        Code::AmountNegative => (Amounts, "An amount is below zero."),
        Code::BudgetUnbalanced => (Amounts, "基本支出 + 项目支出 ≠ 财政拨款 + 其他资金; the message gives both sums and the difference. An empty cell counts as zero."),
        Code::BudgetLevelUnbalanced => (Amounts, "本级使用资金 + 拟用于对下转移支付资金 ≠ 基本支出 + 项目支出."),
        Code::DevelopmentExceedsProject => (Amounts, "财政专项资金 + 其他事业发展性支出 > 项目支出."),
        Code::TaskFundsExceedProject => (Amounts, "The tasks' 拟投入的资金 add up to more than 项目支出."),
        Code::TaskFundsUncovered => (Amounts, "The tasks' 拟投入的资金 add up to less than 项目支出; the message gives the gap."),
        Code::LevelAlias => (Indicators, "A category is written by an alias (`数量`, `环境效益指标`); the record holds the standard name."),
        Code::Level1Unknown => (Indicators, "A 一级指标 is no category of the indicator framework."),
        Code::Level2Unknown => (Indicators, "A 二级指标 is no category of the framework under its 一级指标."),
        Code::Level2Misplaced => (Indicators, "A known 二级指标 stands under a 一级指标 that does not allow it (`社会公众或服务对象满意度指标` under `效益指标`); the record moves it under the one that does."),
        Code::CategoryMissing => (Indicators, "No indicator under 产出指标, 效益指标 or 满意度指标: one finding per missing category."),
        Code::IndicatorDuplicate => (Indicators, "The same 三级指标 twice (compared after normalizing the text); reported on the later one."),
        Code::TargetSymbol => (Indicators, "A sign or a digit of a target is written in a non-standard way (`≧`, `＞＝`, `4次以上`, `１２`, `％`); the record holds the standard text (`≥4次`)."),
        Code::TargetNoOperator => (Indicators, "A quantitative target has no sign (`30亿元`)."),
        Code::TargetNoUnit => (Indicators, "A quantitative target has no unit (`≥50`)."),
        Code::TargetPercentOver100 => (Indicators, "A `%` target above 100 with the sign `≥`, `>`, `=` or none."),
        Code::RangeInverted => (Indicators, "A range whose lower end is above its upper end (`90%-80%`)."),
        Code::TargetPlaceholder => (Indicators, "A placeholder of the template is left in a target (`XX`, `**`, `……`)."),
        Code::TargetVague => (Indicators, "A qualitative target that measures nothing (`有效提升`, `明显改善`, `进一步提高`, `较好`, `逐步完善`)."),
        Code::SatisfactionLow => (Indicators, "A satisfaction target below the minimum (80 % unless `--min-satisfaction` says otherwise)."),
        Code::PeriodAnnualMismatch => (Indicators, "实施周期指标值 and 年度指标值 differ in kind, unit or direction of the sign."),
        Code::TargetSplitConflict => (Indicators, "In a table with separate target columns (计算符号 | 年度指标值 | 计量单位, docs/FORM.md §1.5) the sign or unit cell states a sign or unit other than the value cell's own (`≥` beside `≤5件`). The value cell is read as written; where that changes the target read across the cells, the change is logged."),
        Code::TextPunctuation => (Text, "Doubled punctuation (`，，`, `。。`) or stray spaces at line ends. Spaces are corrected; doubled marks are reported for the officer to decide."),
        Code::GoalNumbering => (Text, "Numbered items of 总体绩效目标 do not run 1, 2, 3, … (`1.1.` then `2.`)."),
        Code::YearMissing => (Text, "The title names no budget year and `--year` gives none."),
        Code::ProjectNameEmpty => (Project, "项目名称 is empty."),
        Code::FundsUnbalanced => (Project, "资金总额 ≠ 财政拨款 + 其他资金, in the mid-term or the annual column; the message gives both sums and the difference."),
        Code::FundsAnnualExceedsPeriod => (Project, "年度资金总额 > 中期资金总额."),
        Code::SumMismatch => (Amounts, "A sum the template declares (`[[sums]]`, docs/TEMPLATES.md: 资金总额 = 基本支出 + 项目支出, 项目总投资 = 中央补助 + 省级财政 + 其他资金, a table's amounts against its total) does not add up; the message names the total, the amounts it adds and the difference. A template that declares its sums states all of them: the built-in sums of its kind are not checked on its forms. An empty amount is not counted; a sum with an unknown amount is not judged."),
        Code::TargetKindMismatch => (Indicators, "In a table with a 指标值类型 column (定量/定性), a target marked 定量 that states no number (`按月安排`), or one marked 定性 that states a number or fills the unit column (`应保尽保` with unit `%`)."),
        Code::IndicatorNameCategory => (Indicators, "A 三级指标 is named as a 二级指标 category of the framework (`社会成本指标` under 成本指标): it says which kind of indicator it is, not what is measured."),
        Code::DepartmentDuplicate => (Across, "Two department forms of a batch (`check` or `merge` of several files, the page) name the same department; both are kept and both are flagged. Project forms are not compared: a department sends many."),
        Code::FileUnreadable => (Across, "An input could not be read (not a spreadsheet, password-protected, damaged, an HTML page saved as `.xls`, a Word file, a PDF…), or holds no form. The message says what the file is and what to do; the other inputs are still read."),
        Code::SheetTruncated => (Reading, "A sheet has content beyond the rows and columns the reader reads (5,000 × 64): the form is checked without that part, and says so."),
        Code::SheetHiddenSkipped => (Reading, "A hidden sheet holds a form while a visible sheet holds one too: the hidden one (often last year's) is not read, and this note on the first form names it (docs/FORM.md §1.4)."),
        Code::SheetPartialSkipped => (Reading, "A sheet shows a single row of the form's layout (a budget row, a task header or an indicator header), too little to be read as a form: this note on the first form names the sheet and what it has."),
        Code::SheetSecondForm => (Reading, "A sheet holds a second form (its title, or its 部门名称 / 项目名称 label with a layout of its own) that cannot be told apart from the first: the forms stand neither one below the other nor side by side, or the second shows too little of a form. The first is read without the second's cells; this warning names the cell where the second starts. Forms that stand one below or beside another are each read as a form of their own (docs/FORM.md §1.4)."),
        Code::TextTooLong => (Reading, "A text is longer than an Excel cell holds (32,767 characters, counted as Excel counts them): the reader cut it to that many while reading (a workbook or a CSV), or a JSON record holds it and every workbook written cuts it. Reported at its cell, so that a form with a cut text does not pass in silence."),
        Code::FormSheetHidden => (Reading, "The form is read from a hidden sheet, because no visible sheet of the workbook holds one: the officer who opens the file does not see it."),
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A text in a Markdown table cell: `|` escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

const INTRO: &str = "\
# Checks and corrections

<!-- Generated from the catalogue in src/messages.rs (FINDINGS) and src/docs.rs.
     Do not edit: run `JIXIAO_BLESS=1 cargo test docs` after changing either. -->

Every finding has a stable code (kebab-case), a rule name as an officer calls it (the `rule`
of a report's finding, shown beside the message in the sheets and on the page), a severity,
and a message and a suggestion in Chinese (the default) and English (`--lang en`). The message
names the values it is about as the form writes them; the cell is reported beside it
(`Sheet1!E4`), and the field of the record (`budget.basic`, `indicators[6].annual`:
docs/RECORDS.md §2).

- **error**: the form cannot be accepted as it is. A form with an open error has the status
  `fix` (需修改); `check` exits with 1.
- **warning**: a reviewer must look.
- **info**: noted, or corrected automatically.

A severity written `error, or warning` is the lesser one in the case the `when` column names.

**fix**: the normalizer corrects it with certainty. The corrected value is in the record and in
the written workbook (filled yellow, with the original in a note), the change is listed under
`changes` (修改记录), and the finding is marked `fixed`: it counts as a correction, not as a
problem, in every count and status.

Every target check applies to both target columns where the template has two
(`indicators[k].period` as `indicators[k].annual`).

A project form (docs/FORM.md §1.6) has the rules of its own section below, and every other
check as on the department form: `department-empty` (主管部门), the amounts, the categories, the
targets (the annual block, and the mid-term block when it is filled: `period_indicators[k]`),
duplicates, text.
";

/// The whole of `docs/CHECKS.md`.
pub fn checks_markdown() -> String {
    let mut out = String::from(INTRO);
    for group in Group::ALL {
        let defs: Vec<&FindingDef> = FINDINGS
            .iter()
            .filter(|d| when(d.code).0 == group)
            .collect();
        if defs.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {}\n\n| code | rule | severity | fix | when |\n|---|---|---|---|---|\n",
            group.heading()
        ));
        for d in defs {
            let severity = match d.lowered {
                Some(lower) => format!("{}, or {}", severity(d.severity), severity(lower)),
                None => severity(d.severity).to_string(),
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                d.code,
                cell(d.rule.get(Lang::Zh)),
                severity,
                if d.fixes { "fix" } else { "—" },
                cell(when(d.code).1)
            ));
        }
    }
    out.push_str(
        "\n## Messages\n\nThe words of every finding as the tool writes them. `{name}` is a value the \
         finding fills in.\n",
    );
    for d in &FINDINGS {
        out.push_str(&format!(
            "\n### `{}`\n\n| | 中文 | English |\n|---|---|---|\n| rule | {} | {} |\n| message | {} | {} |\n| suggestion | {} | {} |\n",
            d.code,
            cell(d.rule.get(Lang::Zh)),
            cell(d.rule.get(Lang::En)),
            cell(d.message.get(Lang::Zh)),
            cell(d.message.get(Lang::En)),
            cell(d.suggestion.get(Lang::Zh)),
            cell(d.suggestion.get(Lang::En)),
        ));
        if !d.holes.is_empty() {
            let holes: Vec<String> = d.holes.iter().map(|h| format!("`{h}`")).collect();
            out.push_str(&format!("\nValues: {}.\n", holes.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_in_the_document_once() {
        let doc = checks_markdown();
        for code in Code::ALL {
            assert_eq!(
                doc.matches(&format!("| `{code}` |")).count(),
                1,
                "{code} in the tables"
            );
            assert_eq!(doc.matches(&format!("### `{code}`\n")).count(), 1, "{code}");
        }
        assert!(doc.contains(
            "| `target-symbol` | 指标值符号不规范 | info | fix | A sign or a digit of a target is written"
        ));
        assert!(doc.contains("| `target-empty` | 指标值为空 | error, or warning | — |"));
        assert!(doc.contains("| rule | 指标值符号不规范 | Non-standard target sign |"));
    }
}
