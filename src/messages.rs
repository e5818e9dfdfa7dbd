//! Every user-facing sentence, in Chinese (the default) and English, in one place.
//!
//! Sentences are templates with named holes (`{file}`, `{cell}`, `{value}`); [`render`] fills
//! them. The check catalogue lives here too: every [`Code`] with its [`Severity`], the [`Hole`]s
//! its sentences use, its message and its suggestion ([`FINDINGS`], one entry per code, checked
//! when compiling). Tests walk the table: both languages, every hole declared, every message
//! word for word. Changing a word here is a decision that a test makes visible.
//!
//! This module imports nothing of the crate's: the records and every stage use its words.

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Its code, as `--lang`, `JIXIAO_LANG` and the web API's `lang=` write it.
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }

    /// The language of a code, in any case and with spaces around; `None` for another word.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        [Lang::Zh, Lang::En]
            .into_iter()
            .find(|l| code.eq_ignore_ascii_case(l.code()))
    }

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

/// A closed set of names, each with the text it is written as: the enum, `ALL` in declaration
/// order, `as_str`, `Display`, and serde as that text. One list, so a name cannot be declared
/// without its text or missing from `ALL`.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            /// Every name, in declaration order.
            pub const ALL: [$name; [$($name::$variant,)*].len()] = [$($name::$variant,)*];

            /// The name as written in reports and messages.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The name written as `text`.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|n| n.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} {text:?}", stringify!($name)))
                })
            }
        }
    };
}

pub(crate) use named;

named! {
    /// A check code of the catalogue (docs/CHECKS.md), in its order; serialized as its kebab-case
    /// text (`budget-unbalanced`).
    Code {
    TemplateUnknown = "template-unknown",
    SectionMissing = "section-missing",
    LabelVariant = "label-variant",
    ColumnExtra = "column-extra",
    DepartmentEmpty = "department-empty",
    GoalEmpty = "goal-empty",
    TasksEmpty = "tasks-empty",
    TaskNameEmpty = "task-name-empty",
    TaskTotalRow = "task-total-row",
    IndicatorsEmpty = "indicators-empty",
    IndicatorNameEmpty = "indicator-name-empty",
    TargetEmpty = "target-empty",
    AmountText = "amount-text",
    AmountNotNumber = "amount-not-number",
    AmountInYuan = "amount-in-yuan",
    FormulaEvaluated = "formula-evaluated",
    FormulaNoValue = "formula-no-value",
    CellError = "cell-error",
    AmountNegative = "amount-negative",
    BudgetUnbalanced = "budget-unbalanced",
    BudgetLevelUnbalanced = "budget-level-unbalanced",
    DevelopmentExceedsProject = "development-exceeds-project",
    TaskFundsExceedProject = "task-funds-exceed-project",
    TaskFundsUncovered = "task-funds-uncovered",
    LevelAlias = "level-alias",
    Level1Unknown = "level1-unknown",
    Level2Unknown = "level2-unknown",
    Level2Misplaced = "level2-misplaced",
    CategoryMissing = "category-missing",
    IndicatorDuplicate = "indicator-duplicate",
    TargetSymbol = "target-symbol",
    TargetNoOperator = "target-no-operator",
    TargetNoUnit = "target-no-unit",
    TargetPercentOver100 = "target-percent-over-100",
    RangeInverted = "range-inverted",
    TargetPlaceholder = "target-placeholder",
    TargetVague = "target-vague",
    SatisfactionLow = "satisfaction-low",
    PeriodAnnualMismatch = "period-annual-mismatch",
    TargetSplitConflict = "target-split-conflict",
    TextPunctuation = "text-punctuation",
    GoalNumbering = "goal-numbering",
    YearMissing = "year-missing",
    DepartmentDuplicate = "department-duplicate",
    SheetTruncated = "sheet-truncated",
    SheetHiddenSkipped = "sheet-hidden-skipped",
    SheetPartialSkipped = "sheet-partial-skipped",
    SheetSecondForm = "sheet-second-form",
    FormSheetHidden = "form-sheet-hidden",
    TextTooLong = "text-too-long",
    FileUnreadable = "file-unreadable",
    ProjectNameEmpty = "project-name-empty",
    FundsUnbalanced = "funds-unbalanced",
    FundsAnnualExceedsPeriod = "funds-annual-exceeds-period",
    SumMismatch = "sum-mismatch",
    TargetKindMismatch = "target-kind-mismatch",
    IndicatorNameCategory = "indicator-name-category",
    }
}

named! {
    /// A named hole of a finding's message or suggestion (`{label}`). Each catalogue entry
    /// declares the holes its sentences use ([`FindingDef::holes`]).
    Hole {
    File = "file",
    Variant = "variant",
    Missing = "missing",
    Label = "label",
    Before = "before",
    After = "after",
    Header = "header",
    Number = "number",
    Content = "content",
    Level1 = "level1",
    Level2 = "level2",
    Name = "name",
    Column = "column",
    Value = "value",
    Expenditure = "expenditure",
    Income = "income",
    Difference = "difference",
    Levels = "levels",
    Development = "development",
    Project = "project",
    Total = "total",
    Known = "known",
    Parent = "parent",
    OtherCell = "other_cell",
    Lower = "lower",
    Upper = "upper",
    Unit = "unit",
    Minimum = "minimum",
    Period = "period",
    Annual = "annual",
    Found = "found",
    Expected = "expected",
    Title = "title",
    Department = "department",
    OtherFile = "other_file",
    Sheet = "sheet",
    Rows = "rows",
    Cols = "cols",
    Error = "error",
    Labels = "labels",
    Formula = "formula",
    Start = "start",
    }
}

/// How serious a finding is (docs/RECORDS.md §2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One entry of the finding catalogue (docs/CHECKS.md).
#[derive(Debug, Clone, Copy)]
pub struct FindingDef {
    pub code: Code,
    /// The rule's name as a finance officer calls it (`指标值符号不规范`): the report's `rule`,
    /// shown beside the message on the page.
    pub rule: Text,
    pub severity: Severity,
    /// Whether the normalizer corrects it (docs/CHECKS.md `fix`).
    pub fixes: bool,
    /// The severity a finding of this code is given instead where docs/CHECKS.md says it is less
    /// serious ([`Code::lowered`]), with the case said here: `target-empty` is an error on
    /// 年度指标值 and a warning on an empty 实施周期指标值 beside a filled 年度指标值.
    pub lowered: Option<Severity>,
    /// The holes its message and suggestion use: a finding of this code fills every one.
    pub holes: &'static [Hole],
    pub message: Text,
    pub suggestion: Text,
}

macro_rules! t {
    ($zh:expr, $en:expr) => {
        Text { zh: $zh, en: $en }
    };
}

/// How a finding is listed for a person, in every report and sheet: an open finding by its
/// severity, a finding the normalizer corrected as 已修正 whatever its severity. The four words
/// are the one vocabulary of the terminal, the report's counts, the sheets' 级别 column and the
/// page; a count next to a word is the number of findings listed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
    Fixed,
}

impl Level {
    /// Every level, in the order findings are listed.
    pub const ALL: [Level; 4] = [Level::Error, Level::Warning, Level::Info, Level::Fixed];

    /// The level of a finding of `severity`, corrected or not.
    pub fn of(severity: Severity, fixed: bool) -> Level {
        match (fixed, severity) {
            (true, _) => Level::Fixed,
            (false, Severity::Error) => Level::Error,
            (false, Severity::Warning) => Level::Warning,
            (false, Severity::Info) => Level::Info,
        }
    }

    /// Its word: 错误, 警告, 提示, 已修正.
    pub fn word(self) -> Text {
        match self {
            Level::Error => t!("错误", "error"),
            Level::Warning => t!("警告", "warning"),
            Level::Info => t!("提示", "note"),
            Level::Fixed => t!("已修正", "corrected"),
        }
    }
}

impl Code {
    /// The catalogue entry of this code.
    pub fn def(self) -> &'static FindingDef {
        &FINDINGS[self as usize]
    }

    pub fn severity(self) -> Severity {
        self.def().severity
    }

    /// The lesser severity docs/CHECKS.md gives this code in some cases ([`FindingDef::lowered`]).
    pub fn lowered(self) -> Option<Severity> {
        self.def().lowered
    }

    /// Whether a finding of this code leaves its field's value unknown: a formula with no
    /// result, an amount that could not be read (`待定`, a number in 元), a cell showing an
    /// error value, is held as nothing,
    /// which is not zero, so no sum that adds it is judged, nor the field itself.
    pub fn leaves_value_unknown(self) -> bool {
        matches!(
            self,
            Code::FormulaNoValue | Code::AmountNotNumber | Code::AmountInYuan | Code::CellError
        )
    }
}

/// The catalogue: one entry per [`Code`], at the code's index (checked when compiling, below).
pub static FINDINGS: [FindingDef; Code::ALL.len()] = CATALOGUE;

/// A catalogue entry out of place, or a code without one, fails the build: the array has one
/// slot per code, and each slot must hold its own code.
const _: () = {
    let mut i = 0;
    while i < CATALOGUE.len() {
        assert!(
            CATALOGUE[i].code as usize == i,
            "the catalogue is not in the order of Code"
        );
        i += 1;
    }
};

use Severity::{Error, Info, Warning};

/// Every check code, its severity, message and suggestion, in the order of docs/CHECKS.md. The cell
/// is reported beside the message, so a message names values, not its own cell.
const CATALOGUE: [FindingDef; Code::ALL.len()] = [
    // Reading and structure
    FindingDef {
        code: Code::TemplateUnknown,
        rule: t!("不是申报表", "Not the form"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::File, Hole::Variant, Hole::Missing, Hole::Labels],
        message: t!(
            "{file}：不是绩效目标申报表；最接近的模板是“{variant}”，但缺少：{missing}；表中没有模板认识的标签：{labels}",
            "{file}: not a performance target form; the closest template is \"{variant}\", but it lacks: {missing}; labels on the sheet that no template knows: {labels}"
        ),
        suggestion: t!(
            "请确认提交的是部门整体或项目支出绩效目标申报表；如果是一种新的版式，请为它写一个模板文件（见 docs/TEMPLATES.md），用 --template 指定",
            "Check that the file is a department's or a project's performance target form; if it is a new layout, write a template file for it (docs/TEMPLATES.md) and give it with --template"
        ),
    },
    FindingDef {
        code: Code::SectionMissing,
        rule: t!("缺少栏目", "Section missing"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label],
        message: t!(
            "表中找不到“{label}”",
            "The form has no \"{label}\""
        ),
        suggestion: t!(
            "请按申报表模板补上“{label}”一栏",
            "Add the \"{label}\" section as the form template has it"
        ),
    },
    FindingDef {
        code: Code::LabelVariant,
        rule: t!("标签写法不规范", "Non-standard label"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Before, Hole::After],
        message: t!(
            "标签写作“{before}”，已按标准标签“{after}”识别",
            "The label is written \"{before}\"; it was read as the standard label \"{after}\""
        ),
        suggestion: t!(
            "无需处理；今后请使用模板原有的标签“{after}”",
            "Nothing to do; next time keep the template's label \"{after}\""
        ),
    },
    FindingDef {
        code: Code::ColumnExtra,
        rule: t!("多余的列", "Extra column"),
        severity: Info,
        fixes: false,
        lowered: None,
        holes: &[Hole::Header],
        message: t!(
            "表格中有模板没有的列“{header}”，其内容未读入记录，已保留在修改记录中",
            "The table has a column the template does not know, \"{header}\"; its values are kept in the change log, not in the record"
        ),
        suggestion: t!(
            "如该列内容需要报送，请并入模板中相应的栏目",
            "If its content matters, move it into the matching column of the template"
        ),
    },
    // Required content
    FindingDef {
        code: Code::DepartmentEmpty,
        rule: t!("部门名称为空", "Department name empty"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label],
        message: t!("{label}为空", "The department name ({label}) is empty"),
        suggestion: t!("请填写部门全称", "Fill in the full name of the department"),
    },
    FindingDef {
        code: Code::GoalEmpty,
        rule: t!("总体绩效目标为空", "Overall goal empty"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label],
        message: t!(
            "{label}为空",
            "The overall performance goal ({label}) is empty"
        ),
        suggestion: t!(
            "请填写本年度的{label}，并分条列出",
            "Write the year's goals ({label}) as numbered items"
        ),
    },
    FindingDef {
        code: Code::TasksEmpty,
        rule: t!("没有重点工作任务", "No key tasks"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[],
        message: t!(
            "年度重点工作任务一项也没有填写",
            "No annual key task (年度重点工作任务) is filled in"
        ),
        suggestion: t!(
            "请至少列出一项重点工作任务及其拟投入的资金",
            "List at least one key task and the funds it will use"
        ),
    },
    FindingDef {
        code: Code::TaskNameEmpty,
        rule: t!("任务名称为空", "Task name empty"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Number, Hole::Content],
        message: t!(
            "第{number}项重点工作任务缺少名称（该行内容：“{content}”）",
            "Key task {number} has no name (the row reads \"{content}\")"
        ),
        suggestion: t!(
            "请填写该项任务的名称",
            "Fill in the name of the task"
        ),
    },
    FindingDef {
        code: Code::TaskTotalRow,
        rule: t!("任务表中的合计行", "Total row in the task table"),
        severity: Info,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name],
        message: t!(
            "“{name}”一行是各项重点工作任务的合计，不是一项任务，未作为任务读取",
            "The row \"{name}\" is the total of the key tasks, not a task; it was not read as one"
        ),
        suggestion: t!(
            "无需处理；任务资金由各项任务相加得出",
            "Nothing to do; the tasks' funds are added up from the tasks themselves"
        ),
    },
    FindingDef {
        code: Code::IndicatorsEmpty,
        rule: t!("没有绩效指标", "No indicators"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[],
        message: t!(
            "绩效指标一项也没有填写",
            "The performance indicator table (绩效指标) has no indicator"
        ),
        suggestion: t!(
            "请按产出指标、效益指标、满意度指标填写绩效指标",
            "Fill in indicators under 产出指标, 效益指标 and 满意度指标"
        ),
    },
    FindingDef {
        code: Code::IndicatorNameEmpty,
        rule: t!("三级指标名称为空", "Indicator name empty"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Number, Hole::Level1, Hole::Level2],
        message: t!(
            "第{number}个绩效指标（{level1}／{level2}）缺少三级指标名称",
            "Indicator {number} ({level1} / {level2}) has no name (三级指标)"
        ),
        suggestion: t!(
            "请填写三级指标名称，或删除该行",
            "Fill in the indicator's name, or delete the row"
        ),
    },
    FindingDef {
        code: Code::TargetEmpty,
        rule: t!("指标值为空", "Target empty"),
        severity: Error,
        fixes: false,
        // An empty 实施周期指标值 beside a filled 年度指标值 (docs/CHECKS.md).
        lowered: Some(Warning),
        holes: &[Hole::Name, Hole::Column],
        message: t!(
            "三级指标“{name}”的{column}为空",
            "Indicator \"{name}\" has no target ({column})"
        ),
        suggestion: t!(
            "请填写指标值，写明符号、数值和单位，如“≥12次”",
            "Fill in the target with its sign, number and unit, such as \"≥12次\""
        ),
    },
    // Amounts
    FindingDef {
        code: Code::AmountText,
        rule: t!("数字写成文本", "Number written as text"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Label, Hole::Before, Hole::After],
        message: t!(
            "“{label}”以文本形式填写为“{before}”，已改为数字 {after}",
            "\"{label}\" was entered as the text \"{before}\"; it is now the number {after}"
        ),
        suggestion: t!(
            "无需处理；今后请直接填写数字",
            "Nothing to do; next time enter a plain number"
        ),
    },
    FindingDef {
        code: Code::AmountNotNumber,
        rule: t!("金额不是数字", "Amount not a number"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Value],
        message: t!(
            "“{label}”填写为“{value}”，不是数字",
            "\"{label}\" holds \"{value}\", which is not a number"
        ),
        suggestion: t!(
            "请填写数字（金额以万元为单位，人数、单位数填整数），没有则填 0",
            "Enter a number (amounts in 万元, ten thousand yuan; staff and units as whole numbers), or 0 if there is none"
        ),
    },
    FindingDef {
        code: Code::AmountInYuan,
        rule: t!("金额以元填写", "Amount in yuan"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Value, Hole::After],
        message: t!(
            "“{label}”填写为“{value}”，单位是元，而本表金额以万元为单位",
            "\"{label}\" holds \"{value}\", in yuan, while this form's amounts are in 万元 (ten thousand yuan)"
        ),
        suggestion: t!(
            "若确为元，请换算为万元填写 {after}；若本意是万元，请删去“元”字",
            "If it is yuan, enter it in 万元: {after}; if it meant 万元, remove \"元\""
        ),
    },
    FindingDef {
        code: Code::FormulaEvaluated,
        rule: t!("公式没有保存结果", "Formula without its result"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Label, Hole::Before, Hole::After],
        message: t!(
            "“{label}”的公式 {before} 没有保存计算结果，已按公式算得 {after}",
            "\"{label}\" is the formula {before} and the file holds no result for it; worked out from the formula: {after}"
        ),
        suggestion: t!(
            "请核对算得的数值；今后请在 Excel 或 WPS 中打开此文件、保存后再报送",
            "Check the value; next time open the file in Excel or WPS and save it before sending it"
        ),
    },
    FindingDef {
        code: Code::FormulaNoValue,
        rule: t!("公式没有计算结果", "Formula with no value"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Formula],
        message: t!(
            "“{label}”是公式 {formula}，文件中没有保存计算结果，无法读出其数值",
            "\"{label}\" is the formula {formula} and the file holds no result for it, so its value cannot be read"
        ),
        // Saving computes most such formulas; one that divides by zero or refers to itself
        // stays without a value until it is corrected, so the advice names those too.
        suggestion: t!(
            "请在 Excel 或 WPS 中打开此文件，确认这个公式能算出结果（没有除以 0、循环引用等错误）并保存后再报送",
            "Open the file in Excel or WPS, make sure the formula gives a result (no division by zero, no circular reference) and save it before sending it again"
        ),
    },
    FindingDef {
        code: Code::CellError,
        rule: t!("单元格为错误值", "Cell shows an error"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Error],
        message: t!(
            "“{label}”单元格显示错误值 {error}（公式出错或引用的内容已不存在），没有可用的值",
            "\"{label}\" shows the error value {error} (a formula that failed, or refers to what is gone): it has no usable value"
        ),
        suggestion: t!(
            "请在原表中修正这个单元格的公式，或直接填写数值，保存后再报送",
            "Correct the cell's formula in the original, or type the value, and save it before sending it again"
        ),
    },
    FindingDef {
        code: Code::AmountNegative,
        rule: t!("金额为负数", "Negative amount"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Value],
        message: t!(
            "“{label}”为“{value}”，金额不能为负数",
            "\"{label}\" is \"{value}\"; an amount cannot be negative"
        ),
        suggestion: t!(
            "请核对金额，填写不小于 0 的数",
            "Check the amount and enter a number of at least 0"
        ),
    },
    FindingDef {
        code: Code::BudgetUnbalanced,
        rule: t!("收支不平衡", "Budget unbalanced"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Expenditure, Hole::Income, Hole::Difference],
        message: t!(
            "基本支出+项目支出={expenditure}万元，财政拨款+其他资金={income}万元，相差{difference}万元",
            "基本支出 + 项目支出 = {expenditure} 万元, but 财政拨款 + 其他资金 = {income} 万元: a difference of {difference} 万元"
        ),
        suggestion: t!(
            "支出合计应等于收入合计，请核对这四项金额",
            "Total expenditure must equal total income; check the four amounts"
        ),
    },
    FindingDef {
        code: Code::BudgetLevelUnbalanced,
        rule: t!("本级与转移支付资金不平衡", "Own-level and transfer funds unbalanced"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Levels, Hole::Expenditure, Hole::Difference],
        message: t!(
            "本级使用资金+拟用于对下转移支付资金={levels}万元，基本支出+项目支出={expenditure}万元，相差{difference}万元",
            "本级使用资金 + 拟用于对下转移支付资金 = {levels} 万元, but 基本支出 + 项目支出 = {expenditure} 万元: a difference of {difference} 万元"
        ),
        suggestion: t!(
            "按预算级次划分的资金合计应等于支出合计，请核对",
            "The split by budget level should add up to total expenditure; check it"
        ),
    },
    FindingDef {
        code: Code::DevelopmentExceedsProject,
        rule: t!("发展性支出超过项目支出", "Development spending above project spending"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Development, Hole::Project, Hole::Difference],
        message: t!(
            "财政专项资金+其他事业发展性支出={development}万元，超过项目支出{project}万元，多出{difference}万元",
            "财政专项资金 + 其他事业发展性支出 = {development} 万元, more than 项目支出 {project} 万元 by {difference} 万元"
        ),
        suggestion: t!(
            "事业发展性支出是项目支出的一部分，合计不应超过项目支出，请核对",
            "Development expenditure is part of project expenditure and should not exceed it; check the amounts"
        ),
    },
    FindingDef {
        code: Code::TaskFundsExceedProject,
        rule: t!("任务资金超过项目支出", "Task funds above project spending"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Total, Hole::Project, Hole::Difference],
        message: t!(
            "重点工作任务拟投入的资金合计{total}万元，超过项目支出{project}万元，多出{difference}万元",
            "The key tasks' funds add up to {total} 万元, more than 项目支出 {project} 万元 by {difference} 万元"
        ),
        suggestion: t!(
            "请核对各项任务拟投入的资金和项目支出",
            "Check the funds of each task and the project expenditure"
        ),
    },
    FindingDef {
        code: Code::TaskFundsUncovered,
        rule: t!("项目支出未全部列入任务", "Project spending not all in tasks"),
        severity: Info,
        fixes: false,
        lowered: None,
        holes: &[Hole::Total, Hole::Project, Hole::Difference],
        message: t!(
            "重点工作任务拟投入的资金合计{total}万元，少于项目支出{project}万元，还有{difference}万元未列入任务",
            "The key tasks' funds add up to {total} 万元, less than 项目支出 {project} 万元; {difference} 万元 is not assigned to any task"
        ),
        suggestion: t!(
            "如还有其他项目支出，请补列相应的重点工作任务",
            "If other project spending exists, list the tasks it pays for"
        ),
    },
    // Indicators
    FindingDef {
        code: Code::LevelAlias,
        rule: t!("指标类别写法不规范", "Non-standard category name"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Before, Hole::After],
        message: t!(
            "指标类别写作“{before}”，已改为标准名称“{after}”",
            "The category is written \"{before}\"; it is now the standard name \"{after}\""
        ),
        suggestion: t!(
            "无需处理；今后请使用指标体系中的标准名称",
            "Nothing to do; next time use the framework's standard name"
        ),
    },
    FindingDef {
        code: Code::Level1Unknown,
        rule: t!("一级指标不在框架内", "Unknown level-1 category"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Level1, Hole::Known],
        message: t!(
            "一级指标{level1}不是指标体系中的类别",
            "The first-level category (一级指标) {level1} is not one of the framework"
        ),
        suggestion: t!(
            "请改为{known}之一",
            "Use one of {known}"
        ),
    },
    FindingDef {
        code: Code::Level2Unknown,
        rule: t!("二级指标不在框架内", "Unknown level-2 category"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Level2, Hole::Level1, Hole::Known],
        message: t!(
            "二级指标{level2}不是一级指标{level1}下的类别",
            "The second-level category (二级指标) {level2} is not one under {level1}"
        ),
        suggestion: t!(
            "请改为{known}之一",
            "Use one of {known}"
        ),
    },
    FindingDef {
        code: Code::Level2Misplaced,
        rule: t!("二级指标归类错误", "Level-2 category under the wrong level 1"),
        severity: Warning,
        fixes: true,
        lowered: None,
        holes: &[Hole::Level2, Hole::Level1, Hole::Parent],
        message: t!(
            "二级指标“{level2}”不属于一级指标“{level1}”，已移到“{parent}”下",
            "\"{level2}\" does not belong under \"{level1}\"; it was moved under \"{parent}\""
        ),
        suggestion: t!(
            "请确认指标归类；今后请将“{level2}”填在“{parent}”下",
            "Check the category; next time put \"{level2}\" under \"{parent}\""
        ),
    },
    FindingDef {
        code: Code::CategoryMissing,
        rule: t!("缺少某类指标", "Indicator category missing"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Level1],
        message: t!(
            "没有“{level1}”类的绩效指标",
            "No indicator under \"{level1}\""
        ),
        suggestion: t!(
            "请至少设置一项“{level1}”",
            "Add at least one indicator under \"{level1}\""
        ),
    },
    FindingDef {
        code: Code::IndicatorDuplicate,
        rule: t!("指标重复", "Duplicate indicator"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::OtherCell],
        message: t!(
            "三级指标“{name}”重复出现（另见 {other_cell}）",
            "The indicator \"{name}\" appears twice (see also {other_cell})"
        ),
        suggestion: t!(
            "删除重复指标，或改为能区分的其他指标",
            "Delete the duplicate, or turn it into an indicator that measures something else"
        ),
    },
    FindingDef {
        code: Code::TargetSymbol,
        rule: t!("指标值符号不规范", "Non-standard target sign"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Before, Hole::After],
        message: t!(
            "指标值写作“{before}”，已规范为“{after}”",
            "The target is written \"{before}\"; it is now \"{after}\""
        ),
        suggestion: t!(
            "无需处理；今后请使用 ≥、≤ 等标准符号和半角数字",
            "Nothing to do; next time use the standard signs (≥, ≤) and half-width digits"
        ),
    },
    FindingDef {
        code: Code::TargetNoOperator,
        rule: t!("指标值缺少比较符号", "Target without a comparison sign"),
        severity: Warning,
        fixes: false,
        lowered: None,
        // The example is the value as read (`3所` for a typed `３所`).
        holes: &[Hole::Name, Hole::Column, Hole::Value, Hole::After],
        message: t!(
            "三级指标“{name}”的{column}“{value}”没有计算符号",
            "The target \"{value}\" of indicator \"{name}\" ({column}) has no sign"
        ),
        suggestion: t!(
            "请写明是不低于、不高于还是等于，如“≥{after}”",
            "Say whether it is a minimum, a maximum or an exact value, such as \"≥{after}\""
        ),
    },
    FindingDef {
        code: Code::TargetNoUnit,
        rule: t!("指标值缺少计量单位", "Target without a unit"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{column}“{value}”没有计量单位",
            "The target \"{value}\" of indicator \"{name}\" ({column}) has no unit"
        ),
        suggestion: t!(
            "请补上计量单位，如个、次、%、万元",
            "Add the unit, such as 个, 次, % or 万元"
        ),
    },
    FindingDef {
        code: Code::TargetPercentOver100,
        rule: t!("百分比超过100%", "Percentage above 100%"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{column}“{value}”超过100%",
            "The target \"{value}\" of indicator \"{name}\" ({column}) is above 100%"
        ),
        suggestion: t!(
            "比率一般不超过100%，请核对",
            "A rate is rarely above 100%; check the value"
        ),
    },
    FindingDef {
        code: Code::RangeInverted,
        rule: t!("指标值区间颠倒", "Range upside down"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value, Hole::Lower, Hole::Upper, Hole::Unit],
        message: t!(
            "三级指标“{name}”的{column}“{value}”下限{lower}大于上限{upper}",
            "The range \"{value}\" of indicator \"{name}\" ({column}) has its lower end {lower} above its upper end {upper}"
        ),
        suggestion: t!(
            "请把区间写成“小值-大值”，如“{upper}{unit}-{lower}{unit}”",
            "Write the range as \"low-high\", such as \"{upper}{unit}-{lower}{unit}\""
        ),
    },
    FindingDef {
        code: Code::TargetPlaceholder,
        rule: t!("指标值未填写（占位符）", "Placeholder target"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{column}“{value}”是模板中的占位内容，尚未填写",
            "The target \"{value}\" of indicator \"{name}\" ({column}) is a placeholder left from the template"
        ),
        suggestion: t!(
            "请填写实际的指标值",
            "Fill in the actual target"
        ),
    },
    FindingDef {
        code: Code::TargetVague,
        rule: t!("指标值不可衡量", "Target measures nothing"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{column}“{value}”表述笼统，无法衡量",
            "The target \"{value}\" of indicator \"{name}\" ({column}) is vague and cannot be measured"
        ),
        suggestion: t!(
            "请改为可衡量的数值或明确的标准，如“≥90%”“通过验收”",
            "Replace it with a number or a clear standard, such as \"≥90%\" or \"通过验收\""
        ),
    },
    FindingDef {
        code: Code::SatisfactionLow,
        rule: t!("满意度指标值偏低", "Satisfaction target too low"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Column, Hole::Value, Hole::Minimum],
        message: t!(
            "满意度指标“{name}”的{column}“{value}”低于{minimum}%",
            "The satisfaction target \"{value}\" of indicator \"{name}\" ({column}) is below {minimum}%"
        ),
        suggestion: t!(
            "满意度目标一般不低于{minimum}%，请核对",
            "A satisfaction target is usually at least {minimum}%; check the value"
        ),
    },
    FindingDef {
        code: Code::PeriodAnnualMismatch,
        rule: t!("实施周期与年度指标值不一致", "Period and annual targets disagree"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Period, Hole::Annual],
        message: t!(
            "三级指标“{name}”的实施周期指标值“{period}”与年度指标值“{annual}”的类型、单位或符号方向不一致",
            "The period target \"{period}\" and the annual target \"{annual}\" of indicator \"{name}\" differ in kind, unit or direction of the sign"
        ),
        suggestion: t!(
            "请核对两个指标值是否同一口径",
            "Check that both targets measure the same thing in the same unit"
        ),
    },
    FindingDef {
        code: Code::TargetSplitConflict,
        severity: Warning,
        fixes: false,
        lowered: None,
        rule: t!("指标值与符号/单位列不一致", "Split sign or unit disagrees"),
        holes: &[Hole::Name, Hole::Label, Hole::Found, Hole::OtherCell, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{label}“{found}”（{other_cell}）与{column}“{value}”不一致，已按{column}读取",
            "Indicator \"{name}\": the {label} \"{found}\" ({other_cell}) disagrees with the {column} \"{value}\"; the {column} was read as written"
        ),
        suggestion: t!(
            "请核对{label}和{column}，只保留正确的写法",
            "Check the {label} and the {column}, and keep the one that is right"
        ),
    },
    // Text
    FindingDef {
        code: Code::TextPunctuation,
        rule: t!("标点不规范", "Stray punctuation"),
        severity: Info,
        fixes: true,
        lowered: None,
        holes: &[Hole::Before, Hole::After],
        // The normalizer (spaces at line ends, fixed) and the checker (doubled marks, reported)
        // both fill `before` and `after`, so one sentence serves both.
        message: t!(
            "“{before}”中有多余的标点或空白，应为“{after}”",
            "\"{before}\" has a doubled punctuation mark or stray spaces; it should read \"{after}\""
        ),
        suggestion: t!(
            "请删去多余的标点或空格",
            "Delete the extra mark or spaces"
        ),
    },
    FindingDef {
        code: Code::GoalNumbering,
        rule: t!("目标编号不连续", "Goal numbering out of order"),
        severity: Info,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Found, Hole::Expected],
        message: t!(
            "{label}中的编号“{found}”处应为“{expected}”",
            "In the goal ({label}), the item numbered \"{found}\" should be \"{expected}\""
        ),
        suggestion: t!(
            "请按 1、2、3…… 的顺序连续编号",
            "Number the items 1, 2, 3, … in order"
        ),
    },
    FindingDef {
        code: Code::YearMissing,
        rule: t!("缺少预算年度", "Budget year missing"),
        severity: Info,
        fixes: false,
        lowered: None,
        holes: &[Hole::Title],
        message: t!(
            "标题“{title}”中没有写明预算年度",
            "The title \"{title}\" names no budget year"
        ),
        suggestion: t!(
            "请在标题中写明年度，如“2024年度部门整体预算绩效目标申报表”",
            "Put the year in the title, such as \"2024年度部门整体预算绩效目标申报表\""
        ),
    },
    // Across the forms of a batch
    FindingDef {
        code: Code::DepartmentDuplicate,
        rule: t!("部门重复", "Duplicate department"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Department, Hole::OtherFile],
        message: t!(
            "部门“{department}”也出现在 {other_file} 中",
            "The department \"{department}\" also appears in {other_file}"
        ),
        suggestion: t!(
            "请确认是否重复报送；合并时两份都会保留",
            "Check whether the form was sent twice; both are kept in the merge"
        ),
    },
    // The tool's own, beyond the brief's list: reading is bounded, and a form cut by the bound must
    // not be checked as if it were whole without saying so.
    FindingDef {
        code: Code::SheetTruncated,
        rule: t!("工作表超出读取范围", "Sheet cut off"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Sheet, Hole::Rows, Hole::Cols],
        message: t!(
            "工作表“{sheet}”在第 {rows} 行或第 {cols} 列之外还有内容，这部分没有读取",
            "The sheet \"{sheet}\" has content beyond row {rows} or column {cols}; that part was not read"
        ),
        suggestion: t!(
            "请删除申报表下方或右侧的多余内容，或把申报表单独保存为一个文件后再报送",
            "Delete what lies below or right of the form, or save the form as a file of its own"
        ),
    },
    // A workbook holds several sheets (docs/FORM.md §1.4): what was not read as a form is said, so
    // that nothing an officer sent vanishes in silence.
    FindingDef {
        code: Code::SheetHiddenSkipped,
        severity: Info,
        fixes: false,
        lowered: None,
        rule: t!("隐藏工作表未读取", "Hidden sheet not read"),
        holes: &[Hole::Sheet],
        message: t!(
            "隐藏的工作表“{sheet}”中也有一份申报表，打开文件时看不到它，未读取",
            "The hidden sheet \"{sheet}\" also holds a form; it cannot be seen when the file is opened and was not read"
        ),
        suggestion: t!(
            "如该表也需报送，请取消隐藏后重新报送；如是旧表，可删除",
            "If that form is to be submitted too, unhide the sheet and submit again; if it is an old copy, delete it"
        ),
    },
    FindingDef {
        code: Code::SheetPartialSkipped,
        severity: Info,
        fixes: false,
        lowered: None,
        rule: t!("工作表内容不完整未读取", "Partial sheet not read"),
        holes: &[Hole::Sheet, Hole::Labels],
        message: t!(
            "工作表“{sheet}”中有申报表的部分栏目（{labels}），不足以作为一份申报表读取",
            "The sheet \"{sheet}\" has some of the form's rows ({labels}), too few to be read as a form"
        ),
        suggestion: t!(
            "如该工作表是申报表的一部分，请把它并入申报表所在的工作表",
            "If the sheet is part of a form, move it into the form's sheet"
        ),
    },
    FindingDef {
        code: Code::SheetSecondForm,
        severity: Warning,
        fixes: false,
        lowered: None,
        rule: t!("同一工作表中的另一份申报表未读取", "Second form on a sheet not read"),
        holes: &[Hole::Sheet, Hole::Start],
        message: t!(
            "工作表“{sheet}”中从 {start} 单元格起还有一份申报表，无法与前一份分开（两者行列交错，或这一份不完整），因此没有读取",
            "The sheet \"{sheet}\" holds another form from cell {start} that could not be read apart from the form before it (their rows and columns overlap, or it is incomplete), so it was not read"
        ),
        suggestion: t!(
            "请把每份申报表放在单独的工作表中后重新报送",
            "Put each form on a sheet of its own and submit again"
        ),
    },
    FindingDef {
        code: Code::FormSheetHidden,
        severity: Warning,
        fixes: false,
        lowered: None,
        rule: t!("申报表在隐藏工作表中", "Form on a hidden sheet"),
        holes: &[Hole::Sheet],
        message: t!(
            "申报表所在的工作表“{sheet}”是隐藏的，打开文件时看不到它",
            "The form is on the hidden sheet \"{sheet}\", which cannot be seen when the file is opened"
        ),
        suggestion: t!(
            "请确认报送的是这份申报表，并取消隐藏该工作表",
            "Check that this is the form meant to be submitted, and unhide its sheet"
        ),
    },
    FindingDef {
        code: Code::TextTooLong,
        severity: Warning,
        fixes: false,
        lowered: None,
        rule: t!("文字超过单元格上限", "Text too long for a cell"),
        holes: &[Hole::Label],
        message: t!(
            "“{label}”的文字超过 Excel 单元格的上限 32767 字，只保留了前 32767 字",
            "\"{label}\" is longer than Excel's limit of 32767 characters in a cell; only the first 32767 are kept"
        ),
        suggestion: t!(
            "请精简这段文字，详细内容可另附说明材料",
            "Shorten the text; put the details in a separate document"
        ),
    },
    FindingDef {
        code: Code::FileUnreadable,
        rule: t!("文件无法读取", "File unreadable"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Error],
        message: t!("{error}", "{error}"),
        suggestion: t!(
            "请按说明处理该文件后重新报送",
            "Deal with the file as the message says and submit it again"
        ),
    },
    // Project forms (项目支出绩效目标申报表, docs/FORM.md §1.6)
    FindingDef {
        code: Code::ProjectNameEmpty,
        rule: t!("项目名称为空", "Project name empty"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[],
        message: t!("项目名称为空", "The project name (项目名称) is empty"),
        suggestion: t!(
            "请填写项目全称，与预算编报系统中的项目名称一致",
            "Fill in the project's full name, as the budget system has it"
        ),
    },
    FindingDef {
        code: Code::FundsUnbalanced,
        rule: t!("项目资金不平衡", "Project funds unbalanced"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Total, Hole::Income, Hole::Difference],
        message: t!(
            "{label}={total}万元，财政拨款+其他资金={income}万元，相差{difference}万元",
            "{label} = {total} 万元, but 财政拨款 + 其他资金 = {income} 万元: a difference of {difference} 万元"
        ),
        suggestion: t!(
            "资金总额应等于财政拨款与其他资金之和，请核对这三项金额",
            "The total must equal 财政拨款 + 其他资金; check the three amounts"
        ),
    },
    FindingDef {
        code: Code::FundsAnnualExceedsPeriod,
        rule: t!("年度资金超过中期资金", "Annual funds above mid-term funds"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Annual, Hole::Period, Hole::Difference],
        message: t!(
            "年度资金总额{annual}万元超过中期资金总额{period}万元，多{difference}万元",
            "年度资金总额 {annual} 万元 is above 中期资金总额 {period} 万元 by {difference} 万元"
        ),
        suggestion: t!(
            "中期资金总额应包含本年度资金，请核对两项金额",
            "The mid-term total includes this year's funds; check the two amounts"
        ),
    },
    FindingDef {
        code: Code::SumMismatch,
        rule: t!("合计与各项之和不符", "Total does not add up"),
        severity: Error,
        fixes: false,
        lowered: None,
        holes: &[Hole::Label, Hole::Total, Hole::Labels, Hole::Value, Hole::Difference],
        message: t!(
            "“{label}”为{total}万元，{labels}合计{value}万元，相差{difference}万元",
            "\"{label}\" is {total} 万元, but {labels} add up to {value} 万元: a difference of {difference} 万元"
        ),
        suggestion: t!(
            "请核对“{label}”和各项金额，使合计等于各项之和",
            "Check \"{label}\" and the amounts it adds up, so that the total equals their sum"
        ),
    },
    FindingDef {
        code: Code::TargetKindMismatch,
        rule: t!("指标值与指标值类型不符", "Target does not match its kind"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Label, Hole::Found, Hole::Value],
        message: t!(
            "三级指标“{name}”的{label}为“{found}”，与指标值“{value}”不符",
            "Indicator \"{name}\" is marked \"{found}\" in {label}, which its target \"{value}\" is not"
        ),
        suggestion: t!(
            "定量指标请填写数值和计量单位（如“≥95%”），定性指标请填写文字描述且不填计量单位；请改正指标值或指标值类型",
            "A 定量 (quantitative) target is a number with its unit (\"≥95%\"); a 定性 (qualitative) one is words, with no unit; correct the target or its kind"
        ),
    },
    FindingDef {
        code: Code::IndicatorNameCategory,
        rule: t!("三级指标名称是类别名", "Indicator named as a category"),
        severity: Warning,
        fixes: false,
        lowered: None,
        holes: &[Hole::Name, Hole::Level2],
        message: t!(
            "三级指标“{name}”是一个二级指标的名称，不是具体的指标（所在二级指标“{level2}”）",
            "Indicator \"{name}\" is the name of a 二级指标 category, not an indicator of its own (under \"{level2}\")"
        ),
        suggestion: t!(
            "请写明具体衡量什么，如“人均办公成本”“项目成本控制率”",
            "Say what is measured, such as \"人均办公成本\" or \"项目成本控制率\""
        ),
    },
];

/// Sentences of `jixiao template --check FILE.toml [--against FORM]` ([`crate::trial`]) and of
/// `--from FORM` ([`crate::draft`]).
pub mod template_check {
    use super::Text;

    pub const VALID: Text = t!(
        "模板文件 {file} 有效：{id}（{name}），{kind}",
        "template file {file} is valid: {id} ({name}), {kind}"
    );
    pub const KIND_DEPARTMENT: Text = t!(
        "部门（单位）整体申报表",
        "a department's (or a unit's) form"
    );
    pub const KIND_PROJECT: Text = t!("项目支出申报表", "a project form");
    pub const FIELD: Text = t!("  字段：{label} → {field}", "  field: {label} → {field}");
    pub const TABLE: Text = t!(
        "  表格：{label}（{table}）：{columns}",
        "  table: {label} ({table}): {columns}"
    );
    pub const EXTRA: Text = t!(
        "  自有字段：{name}（{kind}）",
        "  own field: {name} ({kind})"
    );
    pub const EXTRA_TEXT: Text = t!("文字", "text");
    pub const EXTRA_MONEY: Text = t!("金额，万元", "amount, 万元");
    pub const SUM: Text = t!("  合计：{total} = {parts}", "  sum: {total} = {parts}");
    pub const NOT_READ: Text = t!(
        "样表 {file}：按这个模板没有读出申报表。{why}",
        "sample {file}: no form was read with this template. {why}"
    );
    pub const READ: Text = t!(
        "样表 {file}：按这个模板读出申报表 {count} 份",
        "sample {file}: {count} form(s) read with this template"
    );
    pub const FORM: Text = t!("  {place}：", "  {place}:");
    pub const FOUND: Text = t!(
        "    {label}（{field}）：{cell} “{value}”",
        "    {label} ({field}): {cell} \"{value}\""
    );
    pub const TABLE_FOUND: Text = t!(
        "    {label}：{rows} 行，第一行的名称在 {cell}",
        "    {label}: {rows} row(s), the first row's name at {cell}"
    );
    pub const MISSING: Text = t!(
        "    没有找到的字段标签：{labels}",
        "    field labels not found: {labels}"
    );
    pub const FINDINGS: Text = t!(
        "    校验：错误 {errors}，警告 {warnings}，提示 {infos}，已修正 {fixed}；模板不认识的表格列 {extra_columns} 个（用 jixiao check 查看每一条）",
        "    check: {errors} error(s), {warnings} warning(s), {infos} note(s), {fixed} corrected; {extra_columns} table column(s) the template does not know (jixiao check lists each)"
    );
    pub const DRAFTED: Text = t!(
        "已从 {file} 起草模板 {output}：字段 {fields} 个，表格 {tables} 个，自有字段 {extras} 个。请逐项核对后再使用（jixiao template --check {output} --against 填好的样表）",
        "drafted template {output} from {file}: {fields} field(s), {tables} table(s), {extras} own field(s). Review it before use (jixiao template --check {output} --against a filled form)"
    );
    pub const DRAFT_INVALID: Text = t!(
        "起草的模板还不能直接使用：{detail}。请按 docs/TEMPLATES.md 补全",
        "the drafted template cannot be used as it is yet: {detail}. Complete it as docs/TEMPLATES.md says"
    );
    pub const NO_SHEET: Text = t!(
        "{file}：没有可以起草模板的工作表（没有文字单元格）",
        "{file}: no sheet to draft a template from (no text cells)"
    );
}

/// Sentences of the reader's errors (`ReadError`).
pub mod read {
    use super::Text;

    pub const NOT_REGULAR: Text = t!(
        "{file}：不是普通文件（是设备、管道或套接字），没有读取",
        "{file}: not a regular file (a device, a pipe or a socket); not read"
    );
    pub const TOO_LARGE: Text = t!(
        "{file}：文件过大（{mb} MB），超过每个文件 {limit} MB 的上限，未读取",
        "{file}: the file is too large ({mb} MB); the limit is {limit} MB a file, so it was not read"
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
    /// The Chinese sentence leaves out the reader's own words on the damage (English library
    /// text an officer cannot use); the English one keeps them for whoever reports the file.
    pub const CORRUPT: Text = t!(
        "{file}：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件",
        "{file}: the file is damaged or incomplete. Export it again or ask the sender for a complete copy (technical detail: {detail})"
    );
    pub const UNKNOWN_FORMAT: Text = t!(
        "{file}：不是可识别的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .json）",
        "{file}: not a recognizable spreadsheet (supported: .xlsx .xlsm .xls .xlsb .ods .csv .json)"
    );
    pub const WORD: Text = t!(
        "{file}：这是文字文档（Word 或 WPS 文字），不是表格。请向报送单位索取申报表的表格文件；或把文档中的表格复制到 WPS 表格或 Excel 的空白工作簿中，“另存为 .xlsx”后再处理",
        "{file}: this is a text document (Word or WPS Writer), not a spreadsheet. Ask the sender for the form as a spreadsheet, or copy the table into a blank workbook in WPS or Excel and \"Save as .xlsx\""
    );
    pub const PRESENTATION: Text = t!(
        "{file}：这是演示文稿（PowerPoint 或 WPS 演示），不是表格。请向报送单位索取申报表的表格文件；或把其中的表格复制到 WPS 表格或 Excel 的空白工作簿中，“另存为 .xlsx”后再处理",
        "{file}: this is a presentation (PowerPoint or WPS Presentation), not a spreadsheet. Ask the sender for the form as a spreadsheet, or copy the table into a blank workbook in WPS or Excel and \"Save as .xlsx\""
    );
    pub const PDF: Text = t!(
        "{file}：这是 PDF 文件，其中的表格无法直接读取。请向报送单位索取原始的表格文件；或用 WPS 的“PDF 转 Excel”转换后，“另存为 .xlsx”再处理",
        "{file}: this is a PDF; its table cannot be read as it is. Ask the sender for the original spreadsheet, or convert it with WPS's \"PDF to Excel\" and \"Save as .xlsx\""
    );
    pub const OTHER_OFFICE: Text = t!(
        "{file}：这是 Office 或 WPS 的其他文档格式（如 WPS 表格自有的 .et 格式），不是可读取的表格。请用 WPS 表格或 Excel 打开后“另存为 .xlsx”再处理",
        "{file}: this is another Office or WPS format (such as WPS Spreadsheets' own .et), not a readable spreadsheet. Open it in WPS or Excel and \"Save as .xlsx\""
    );
    pub const NOT_A_FORM: Text = t!(
        "{file}：内容不是有效的 {what}",
        "{file}: the content is not valid {what}"
    );
    pub const JSON_SYNTAX: Text = t!(
        "{file}：JSON 格式有误，在第 {line} 行第 {column} 列附近",
        "{file}: the JSON is malformed near line {line}, column {column}"
    );
    pub const JSON_TRUNCATED: Text = t!(
        "{file}：JSON 内容不完整，文件在中途就结束了",
        "{file}: the JSON is incomplete: the file ends in the middle of it"
    );
    pub const JSON_NOT_A_RECORD: Text = t!(
        "{file}：这个 JSON 文件不是 jixiao 写出的申报表记录（记录应以 \"format\": \"jixiao.declaration/1\" 开头）",
        "{file}: this JSON file is not a declaration record written by jixiao (a record starts with \"format\": \"jixiao.declaration/1\")"
    );
    pub const JSON_MISSING: Text = t!(
        "{file}：第 {record} 条记录缺少“{key}”一项",
        "{file}: record {record} has no \"{key}\""
    );
    pub const JSON_VALUE: Text = t!(
        "{file}：第 {record} 条记录中有一项的值不合格式（{detail}）",
        "{file}: record {record} holds a value of the wrong form ({detail})"
    );
    pub const NO_SHEETS: Text = t!(
        "{file}：工作簿中没有任何工作表内容",
        "{file}: the workbook has no sheet with content"
    );
}

/// Sentences of operating-system errors (`crate::os_error`): what a person is told when a
/// file or folder cannot be read or written, instead of the system's own English.
pub mod os {
    use super::Text;

    pub const NOT_FOUND_FILE: Text = t!("文件 {path} 不存在", "the file {path} does not exist");
    pub const NOT_FOUND_FOLDER: Text =
        t!("文件夹 {path} 不存在", "the folder {path} does not exist");
    pub const NO_PERMISSION_READ: Text = t!("没有权限读取 {path}", "no permission to read {path}");
    pub const NO_PERMISSION_WRITE: Text =
        t!("没有权限写入 {path}", "no permission to write {path}");
    pub const DISK_FULL: Text = t!(
        "磁盘已满，无法写入 {path}。请腾出空间后重试",
        "the disk is full; {path} cannot be written. Free some space and try again"
    );
    pub const SIZE_LIMIT: Text = t!(
        "{path} 超过了系统允许的文件大小上限（如 ulimit -f），无法写入",
        "{path} is over the system's file size limit (ulimit -f, say) and cannot be written"
    );
    pub const READ_ONLY: Text = t!(
        "{path} 所在的磁盘或文件夹是只读的，无法写入",
        "{path} is on a read-only disk or folder and cannot be written"
    );
    pub const IS_FOLDER: Text = t!(
        "{path} 是文件夹，不是文件",
        "{path} is a folder, not a file"
    );
    pub const NOT_FOLDER: Text = t!(
        "{path}：路径中有一级是文件，不是文件夹",
        "{path}: a part of the path is a file, not a folder"
    );
    pub const IN_USE: Text = t!(
        "{path} 正被其他程序占用（可能在 Excel 或 WPS 中打开着）。请关闭后重试",
        "{path} is in use by another program (perhaps open in Excel or WPS). Close it and try again"
    );
    pub const BAD_NAME: Text = t!(
        "{path}：名称过长或含有不允许的字符",
        "{path}: the name is too long or has characters that are not allowed"
    );
    pub const OTHER_READ: Text = t!(
        "无法读取 {path}（系统提示：{detail}）",
        "cannot read {path} (the system says: {detail})"
    );
    pub const OTHER_WRITE: Text = t!(
        "无法写入 {path}（系统提示：{detail}）",
        "cannot write {path} (the system says: {detail})"
    );
}

/// Sentences of the command line itself.
pub mod cli {
    use super::Text;

    pub const SEVERAL_NEED_DIR: Text = t!(
        "多个输入文件只能输出为一个 .json 文件，或输出到一个文件夹（-o 文件夹名）；一个文件中的多份申报表可输出为一个 .xlsx、.json 或 .csv 文件。要把多个文件合为一个汇总工作簿或一个指标 CSV，请用 jixiao merge（如 jixiao merge 文件夹 -o 汇总.xlsx，或 -o 指标.csv）",
        "several input files can only be written to one .json file or to a folder (-o DIR); the forms of one file can go to one .xlsx, .json or .csv file. To gather several files into one consolidated workbook or one indicator CSV, use jixiao merge (such as jixiao merge DIR -o consolidated.xlsx, or -o indicators.csv)"
    );
    /// A folder named on the command line that holds no input.
    pub const NO_FORMS_IN_FOLDER: Text = t!(
        "在文件夹 {dir} 中没有找到申报表文件（{extensions}）",
        "no form file ({extensions}) in the folder {dir}"
    );
    /// Between the sentences about several inputs that gave nothing.
    pub const JOIN_SENTENCES: Text = t!("；", "; ");
    pub const MERGED: Text = t!(
        "已汇总申报表 {forms} 份：通过 {pass}，需修改 {fix}；无法读取的文件 {unreadable} 个 → {file}",
        "merged forms {forms}: {pass} pass, {fix} to fix; unreadable files {unreadable} → {file}"
    );
    /// `convert`: one line per output written, with the counts of its forms (the words of
    /// [`super::Level`], as in every report).
    pub const WRITTEN: Text = t!(
        "已写入 {file}：申报表 {forms} 份，错误 {errors}，警告 {warnings}，提示 {infos}，已修正 {corrections}",
        "wrote {file}: forms {forms}, errors {errors}, warnings {warnings}, notes {infos}, corrected {corrections}"
    );
    pub const UNKNOWN_OUTPUT: Text = t!(
        "{file}：不能输出为这种文件。输出文件须为 .json、.xlsx 或 .csv，或一个文件夹",
        "{file}: cannot write this kind of file. The output must be a .json, .xlsx or .csv file, or a folder"
    );
    pub const TEMPLATE_OUTPUT: Text = t!(
        "{file}：空白模板是 Excel 工作簿，输出文件须以 .xlsx 结尾（或用 -o - 输出到标准输出）",
        "{file}: the blank form is an Excel workbook; the output must end in .xlsx (or -o - for standard output)"
    );
    pub const DRAFT_OUTPUT: Text = t!(
        "{file}：起草的模板是一个 .toml 文件，输出文件须以 .toml 结尾",
        "{file}: the drafted template is a .toml file; the output must end in .toml"
    );
    pub const TO_WITH_FILE: Text = t!(
        "--to 只用于输出到文件夹；输出文件的格式由它的扩展名决定",
        "--to applies only to a folder output; an output file's format comes from its extension"
    );
    pub const NOTHING_WRITTEN: Text = t!(
        "没有读到任何申报表，未写入 {file}",
        "no form could be read; {file} was not written"
    );
    pub const INTERNAL: Text = t!(
        "{file}：处理此文件时程序内部出错，已跳过。请把这个文件反馈给 jixiao 的维护人员",
        "{file}: the program failed internally on this file and skipped it. Please send the file to the jixiao maintainers"
    );
    pub const UNKNOWN_VARIANT: Text = t!(
        "没有名为 {variant} 的模板（可用：{known}）",
        "no template named {variant} (known: {known})"
    );
    pub const FORM_SHEETS_LEFT_OUT: Text = t!(
        "--forms：共 {total} 份申报表，只为前 {max} 份各写了一个工作表，其余 {left} 份没有（工作表过多时 Excel 和 WPS 难以打开）；所有表的数据仍在“汇总”（项目申报表在“项目汇总”）和各清单中。要每份的申报表，请用 jixiao convert",
        "--forms: of {total} forms only the first {max} got a sheet of their own, {left} did not (Excel and WPS can hardly open a workbook of thousands of sheets); every form is still on the Summary sheet (a project form on the Projects sheet) and in the lists. For each form's own workbook use jixiao convert"
    );
    /// Standard output could not be written; `{reason}` is the system's reason as a sentence
    /// about [`STDOUT`] (`crate::os_error`).
    pub const STDOUT_FAILED: Text =
        t!("输出不完整：{reason}", "the output is incomplete: {reason}");
    /// Standard output, where a sentence names it as a file.
    pub const STDOUT: Text = t!("标准输出", "standard output");
    pub const MERGE_OUTPUT: Text = t!(
        "汇总结果只能输出为 .xlsx、.json 或 .csv 文件",
        "the consolidated output must be an .xlsx, .json or .csv file"
    );
}

/// Sentences about the worker processes that read untrusted files (`crate::worker`), and about
/// jixiao's own outputs found among the inputs.
pub mod worker {
    use super::Text;

    pub const MEMORY: Text = t!(
        "{file}：文件损坏或过于复杂，读取时超出内存限制（{mb} MB），无法读取。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件",
        "{file}: the file is damaged or too complex: reading it went over the memory limit ({mb} MB). Open it in Excel or WPS and save it again, or ask the sender for a complete copy"
    );
    pub const TIME: Text = t!(
        "{file}：文件损坏或过于复杂，读取超过 {seconds} 秒仍未完成，已停止。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件",
        "{file}: the file is damaged or too complex: reading it took over {seconds} seconds and was stopped. Open it in Excel or WPS and save it again, or ask the sender for a complete copy"
    );
    /// The Chinese sentence leaves out the system's words on the crash (`signal 11`), which an
    /// officer cannot use; the English one keeps them for the maintainers.
    pub const CRASH: Text = t!(
        "{file}：读取此文件的进程意外终止，文件可能已损坏。请把这个文件反馈给 jixiao 的维护人员",
        "{file}: the process reading this file ended unexpectedly ({detail}); the file may be damaged. Please send the file to the jixiao maintainers"
    );
    /// `{what}` is one of the `KIND_*` words.
    pub const OWN_OUTPUT: Text = t!(
        "{file}：这是 jixiao 生成的{what}，不是申报表，已跳过",
        "{file}: this is a {what} jixiao wrote, not a form; skipped"
    );
    pub const KIND_MERGE: Text = t!("汇总工作簿", "consolidated workbook");
    pub const KIND_INDICATORS: Text = t!("指标表（CSV）", "indicator table (CSV)");
    pub const KIND_REPORT: Text = t!("校验报告", "check report");
    pub const KIND_FORM: Text = t!("申报表", "form");
    /// The worker processes could not be started: the files are read in this process.
    pub const NO_WORKERS: Text = t!(
        "无法启动读取文件的子进程，改为在本进程内读取",
        "cannot start the processes that read the files ({detail}); reading them in this process instead"
    );
}

/// The words of the command line: every help screen and every usage error, set on the clap
/// `Command` when it is built for a run's language (the binary's `src/cmd/usage.rs`).
/// `src/cli.rs` holds the structure only; a command or an argument there without its words
/// here fails a test.
pub mod help {
    use super::Text;

    /// A command's one-line description and the examples under its help.
    #[derive(Debug, Clone, Copy)]
    pub struct CommandWords {
        /// The command's name (`check`), or `""` for `jixiao` itself.
        pub name: &'static str,
        pub about: Text,
        pub examples: Text,
    }

    /// An argument's words.
    #[derive(Debug, Clone, Copy)]
    pub struct ArgWords {
        /// The command it belongs to, or `""` for every command that has it (the shared
        /// options); a command's own entry wins.
        pub command: &'static str,
        /// The argument's id: its field name in `src/cli.rs` (`min_satisfaction`).
        pub id: &'static str,
        /// The placeholder of its value in the usage and help (`<输出>`).
        pub value_name: Option<Text>,
        pub help: Text,
        /// What to write, said when the value is missing or wrong. Arguments with a fixed list
        /// of values need none: the list is said.
        pub expect: Option<Text>,
    }

    pub const HEADING_USAGE: Text = t!("用法：", "Usage: ");
    pub const HEADING_ARGUMENTS: Text = t!("参数：", "Arguments:");
    pub const HEADING_OPTIONS: Text = t!("选项：", "Options:");
    pub const HEADING_COMMANDS: Text = t!("命令：", "Commands:");
    pub const HEADING_EXAMPLES: Text = t!("示例：", "Examples:");
    /// The placeholders of the usage line.
    pub const USAGE_OPTIONS: Text = t!("[选项]", "[OPTIONS]");
    pub const USAGE_COMMAND: Text = t!("<命令>", "<COMMAND>");
    /// Appended to an argument's help.
    pub const ONE_OF: Text = t!("可选：{values}", "one of: {values}");
    pub const DEFAULT: Text = t!("默认：{value}", "default: {value}");
    pub const NOTE: Text = t!("（{note}）", " ({note})");
    /// Ends a sentence before a suggestion is added to it.
    pub const FULL_STOP: Text = t!("。", ".");
    pub const NOTE_SEPARATOR: Text = t!("；", "; ");
    pub const LIST_SEPARATOR: Text = t!("、", ", ");

    pub const ABOUT: Text = t!(
        "jixiao（绩效）：读取、校验、修正并汇总部门整体和项目支出预算绩效目标申报表（.xlsx .xlsm .xls .xlsb .ods .csv .json）",
        "jixiao (绩效): reads, checks, corrects and consolidates budget performance target forms, of departments and of projects (.xlsx .xlsm .xls .xlsb .ods .csv .json)"
    );
    /// The `help` command clap adds.
    pub const HELP_COMMAND: Text = t!(
        "显示本帮助，或某个命令的帮助（如 jixiao help check）",
        "Print this help, or the help of a command (jixiao help check)"
    );
    pub const HELP_FLAG: Text = t!("显示帮助", "Print help");
    pub const VERSION_FLAG: Text = t!("显示版本号", "Print the version");

    pub const COMMANDS: &[CommandWords] = &[
        CommandWords {
            name: "",
            about: ABOUT,
            examples: t!(
                "  jixiao check 申报表文件夹/\n  jixiao convert 某局.xlsx -o 某局-修正.xlsx\n  jixiao merge 申报表文件夹/ -o 汇总.xlsx\n  jixiao serve --open\n\n运行 jixiao 命令 --help（如 jixiao check --help）查看该命令的全部选项。",
                "  jixiao check forms/\n  jixiao convert bureau.xlsx -o bureau-corrected.xlsx\n  jixiao merge forms/ -o consolidated.xlsx\n  jixiao serve --open\n\nRun jixiao COMMAND --help (jixiao check --help) for every option of a command."
            ),
        },
        CommandWords {
            name: "convert",
            about: t!(
                "转换：读取申报表，输出修正后的 JSON 记录、标准化工作簿或指标 CSV",
                "Convert forms to JSON records, a corrected standardized workbook or an indicator CSV"
            ),
            examples: t!(
                "  jixiao convert 某局.xlsx -o 某局-修正.xlsx\n  jixiao convert 某局.xlsx -o 某局.json\n  jixiao convert 某局.xlsx -o 指标.csv --encoding gbk\n  jixiao convert 申报表文件夹/ -o 输出文件夹/ --to xlsx",
                "  jixiao convert bureau.xlsx -o bureau-corrected.xlsx\n  jixiao convert bureau.xlsx -o bureau.json\n  jixiao convert bureau.xlsx -o indicators.csv --encoding gbk\n  jixiao convert forms/ -o out/ --to xlsx"
            ),
        },
        CommandWords {
            name: "check",
            about: t!(
                "校验：逐份检查申报表，列出问题与修改建议",
                "Check forms and list every problem with what to do about it"
            ),
            examples: t!(
                "  jixiao check 申报表文件夹/\n  jixiao check 某局.xlsx --format json",
                "  jixiao check forms/\n  jixiao check bureau.xlsx --format json"
            ),
        },
        CommandWords {
            name: "merge",
            about: t!(
                "汇总：把多个部门的申报表合并为一个工作簿",
                "Consolidate many departments' forms into one workbook"
            ),
            examples: t!(
                "  jixiao merge 申报表文件夹/ -o 汇总.xlsx\n  jixiao merge 申报表文件夹/ -o 汇总.xlsx --forms",
                "  jixiao merge forms/ -o consolidated.xlsx\n  jixiao merge forms/ -o consolidated.xlsx --forms"
            ),
        },
        CommandWords {
            name: "template",
            about: t!(
                "模板：生成空白的标准申报表；检查模板文件；从空白表样起草模板",
                "Write the blank official form of a template; check a template file; draft one from a blank form"
            ),
            examples: t!(
                "  jixiao template -o 空白表.xlsx\n  jixiao template --variant zj-dept-overall -o 空白表.xlsx\n  jixiao template --variant mof-project -o 项目空白表.xlsx\n  jixiao template --check 我省模板.toml --against 样表.xlsx\n  jixiao template --from 空白表样.xlsx -o 我省模板.toml",
                "  jixiao template -o blank.xlsx\n  jixiao template --variant zj-dept-overall -o blank.xlsx\n  jixiao template --variant mof-project -o project-blank.xlsx\n  jixiao template --check my-province.toml --against sample.xlsx\n  jixiao template --from blank-form.xlsx -o my-province.toml"
            ),
        },
        CommandWords {
            name: "serve",
            about: t!(
                "网页：在本机启动网页服务，在浏览器中完成以上全部操作",
                "Start the local web page that does all of the above in a browser"
            ),
            examples: t!(
                "  jixiao serve --open\n  jixiao serve --port 0\n  jixiao serve --listen 0.0.0.0:8080\n\n启动后在浏览器中打开显示的地址；按 Ctrl+C 停止。",
                "  jixiao serve --open\n  jixiao serve --port 0\n  jixiao serve --listen 0.0.0.0:8080\n\nOnce started, open the address it prints in a browser; press Ctrl+C to stop."
            ),
        },
    ];

    pub const ARGS: &[ArgWords] = &[
        ArgWords {
            command: "",
            id: "inputs",
            value_name: Some(t!("输入", "IN")),
            help: t!(
                "申报表文件或文件夹（文件夹中的表格文件逐层查找）",
                "form files or folders (folders are searched, subfolders too)"
            ),
            expect: Some(t!(
                "请写出要处理的申报表文件或文件夹，如 jixiao check 申报表文件夹/",
                "name the form files or folders to read, such as jixiao check forms/"
            )),
        },
        ArgWords {
            command: "convert",
            id: "output",
            value_name: Some(t!("输出", "OUT")),
            help: t!(
                "输出：.json、.xlsx 或 .csv 文件；文件夹（已存在、以 / 结尾或没有扩展名时，每个输入文件一个文件）；或 - 表示输出到屏幕。一个文件中有多份申报表（如部门及下属单位各一个工作表）时仍输出一个文件：.json 为记录数组，.xlsx 每份申报表一个“申报表-单位名”工作表，.csv 含全部指标",
                "output: a .json, .xlsx or .csv file; a folder, one file per input file (when it exists, ends with / or has no extension); or - for standard output. An input holding several forms, one per sheet, still gives one file: a JSON array, a workbook with a 申报表-NAME sheet per form, a CSV of all their indicators"
            ),
            expect: Some(t!(
                "请在 -o 后写出输出文件（.json、.xlsx 或 .csv）或文件夹，如 -o 某局-修正.xlsx",
                "write the output file (.json, .xlsx or .csv) or folder after -o, such as -o corrected.xlsx"
            )),
        },
        ArgWords {
            command: "merge",
            id: "output",
            value_name: Some(t!("输出", "OUT")),
            help: t!(
                "输出：.xlsx 汇总工作簿（每份申报表一行，一个文件中的多份申报表各占一行）、.json 记录数组或 .csv 指标表",
                "output: an .xlsx consolidated workbook (a row per form, the several forms of one file each on a row of its own), a .json array of records or a .csv indicator table"
            ),
            expect: Some(t!(
                "请在 -o 后写出汇总结果的文件名（.xlsx、.json 或 .csv），如 -o 汇总.xlsx",
                "write the output file (.xlsx, .json or .csv) after -o, such as -o consolidated.xlsx"
            )),
        },
        ArgWords {
            command: "template",
            id: "output",
            value_name: Some(t!("输出", "OUT")),
            help: t!(
                "要写入的 .xlsx 文件，或 - 表示写到标准输出",
                "the .xlsx file to write, or - for standard output"
            ),
            expect: Some(t!(
                "请在 -o 后写出空白表的文件名，如 -o 空白表.xlsx",
                "write the file name of the blank form after -o, such as -o blank.xlsx"
            )),
        },
        ArgWords {
            command: "",
            id: "force",
            value_name: None,
            help: t!(
                "覆盖已存在的输出文件（只覆盖 jixiao 自己生成的或空的文件）",
                "overwrite an existing output (only one jixiao wrote, or an empty one)"
            ),
            expect: None,
        },
        ArgWords {
            command: "",
            id: "encoding",
            value_name: Some(t!("编码", "ENCODING")),
            help: t!(
                "CSV 输出的编码（旧版 Excel 请用 gbk）",
                "encoding of CSV output (gbk for old Excel)"
            ),
            expect: None,
        },
        ArgWords {
            command: "convert",
            id: "to",
            value_name: Some(t!("格式", "FORMAT")),
            help: t!(
                "输出到文件夹时每个文件的格式（不写则为 json）；输出为文件时由扩展名决定",
                "the format of each file when writing to a folder (json when not given); a file's format comes from its extension"
            ),
            expect: None,
        },
        ArgWords {
            command: "",
            id: "lang",
            value_name: Some(t!("语言", "LANG")),
            help: t!(
                "语言：问题说明、建议、批注、本帮助，以及所写工作簿的工作表名、表头和文字；申报表本身和指标 CSV 始终为中文。也可用环境变量 JIXIAO_LANG 设定",
                "language of the messages, suggestions, notes and this help, and of the written workbooks' sheet names, headers and words; the form itself and the indicator CSV stay Chinese. The environment variable JIXIAO_LANG sets it too"
            ),
            expect: None,
        },
        ArgWords {
            command: "",
            id: "year",
            value_name: Some(t!("年度", "YEAR")),
            help: t!(
                "预算年度，标题中没有写年度时使用",
                "the budget year, when the title gives none"
            ),
            expect: Some(t!(
                "请写 1900 到 2200 之间的四位数年份，如 --year 2024",
                "write a year of four digits from 1900 to 2200, such as --year 2024"
            )),
        },
        ArgWords {
            command: "",
            id: "min_satisfaction",
            value_name: Some(t!("百分数", "PERCENT")),
            help: t!(
                "满意度指标的最低值（百分数，不带 %）",
                "the lowest acceptable satisfaction target, in percent (without %)"
            ),
            expect: Some(t!(
                "请写 0 到 100 之间的数（不带 %），如 --min-satisfaction 85",
                "write a number from 0 to 100 (without %), such as --min-satisfaction 85"
            )),
        },
        ArgWords {
            command: "",
            id: "template",
            value_name: Some(t!("模板文件", "FILE")),
            help: t!(
                "另加一个模板文件（.toml），优先于内置模板；可写多次",
                "an extra template file (.toml), preferred over the built-in ones; may be repeated"
            ),
            expect: Some(t!(
                "请写出模板文件（.toml）的路径",
                "write the path of a template file (.toml)"
            )),
        },
        ArgWords {
            command: "",
            id: "templates",
            value_name: Some(t!("文件夹", "DIR")),
            help: t!(
                "另加一个文件夹中的全部模板文件（*.toml）；两项都不写时使用环境变量 JIXIAO_TEMPLATES 给出的文件夹",
                "the template files (*.toml) of a folder, as extra templates; without this and --template, the folder of the environment variable JIXIAO_TEMPLATES"
            ),
            expect: Some(t!(
                "请写出存放模板文件（.toml）的文件夹",
                "write the folder that holds the template files (.toml)"
            )),
        },
        ArgWords {
            command: "check",
            id: "format",
            value_name: Some(t!("格式", "FORMAT")),
            help: t!(
                "输出格式：text 供阅读，json 为 jixiao.report/1 报告",
                "output format: text to read, json for the jixiao.report/1 document"
            ),
            expect: None,
        },
        ArgWords {
            command: "merge",
            id: "forms",
            value_name: None,
            help: t!(
                "每份申报表另各占一个工作表，工作表名为“单位名（文件名）”",
                "also add each form as a sheet of its own, named after its department and its file"
            ),
            expect: None,
        },
        ArgWords {
            command: "merge",
            id: "quiet",
            value_name: None,
            help: t!(
                "不显示进度条和结束时的汇总行",
                "no progress bar and no closing summary line"
            ),
            expect: None,
        },
        ArgWords {
            command: "template",
            id: "check",
            value_name: Some(t!("模板文件", "TEMPLATE.toml")),
            help: t!(
                "检查一个模板文件（.toml）是否有效，并列出它读取的字段、表格、自有字段和合计",
                "check a template file (.toml) and list the fields, tables, own fields and sums it reads"
            ),
            expect: Some(t!(
                "请写要检查的模板文件，如 --check 我省模板.toml",
                "write the template file to check, such as --check my-province.toml"
            )),
        },
        ArgWords {
            command: "template",
            id: "against",
            value_name: Some(t!("样表", "FORM")),
            help: t!(
                "与 --check 同用：用这个模板读一份样表，列出每个字段在哪个单元格读到了什么",
                "with --check: read a sample form with the template and list where each field was read and what it holds"
            ),
            expect: Some(t!(
                "请写一份填好的样表，如 --against 样表.xlsx",
                "write a filled sample form, such as --against sample.xlsx"
            )),
        },
        ArgWords {
            command: "template",
            id: "from",
            value_name: Some(t!("空白表", "FORM")),
            help: t!(
                "从一种新版式的空白官方表样起草模板文件（写到 -o 指定的 .toml），供人工核对",
                "draft a template file from a blank official form of a new layout (to the .toml given with -o), for a person to review"
            ),
            expect: Some(t!(
                "请写空白表样的文件名，如 --from 空白表.xlsx",
                "write the blank form's file name, such as --from blank.xlsx"
            )),
        },
        ArgWords {
            command: "template",
            id: "variant",
            value_name: Some(t!("模板名", "NAME")),
            help: t!(
                "模板名称（内置：{known}）",
                "the template's name (built in: {known})"
            ),
            expect: Some(t!(
                "请写模板名称，如 --variant zj-dept-overall",
                "write a template's name, such as --variant zj-dept-overall"
            )),
        },
        ArgWords {
            command: "serve",
            id: "port",
            value_name: Some(t!("端口", "PORT")),
            help: t!(
                "本机端口；0 表示任选一个空闲端口",
                "the port on this computer; 0 picks any free port"
            ),
            expect: Some(t!(
                "请写 0 到 65535 之间的端口号，如 --port 8080",
                "write a port number from 0 to 65535, such as --port 8080"
            )),
        },
        ArgWords {
            command: "serve",
            id: "listen",
            value_name: Some(t!("地址:端口", "ADDR:PORT")),
            help: t!(
                "监听的地址和端口，如 0.0.0.0:8080（同一网络中的其他电脑也能访问）。非本机地址时，每个请求都须带上启动时显示的访问令牌",
                "the address and port to listen on, such as 0.0.0.0:8080 (reachable by other computers on the network). On an address other than this computer's own, every request must carry the access token printed at start"
            ),
            expect: Some(t!(
                "请写 IP 地址和端口，如 --listen 0.0.0.0:8080",
                "write an IP address and a port, such as --listen 0.0.0.0:8080"
            )),
        },
        ArgWords {
            command: "serve",
            id: "open",
            value_name: None,
            help: t!("启动后在浏览器中打开网页", "open the page in the browser once started"),
            expect: None,
        },
        ArgWords {
            command: "serve",
            id: "max_file_mb",
            value_name: Some(t!("MB", "MB")),
            help: t!(
                "每个上传文件的大小上限（MB）；更大的文件记为无法读取",
                "the largest uploaded file, in MB; a larger one is reported unreadable"
            ),
            expect: Some(t!(
                "请写一个大于 0 的整数（MB），如 --max-file-mb 20",
                "write a whole number above 0 (MB), such as --max-file-mb 20"
            )),
        },
        ArgWords {
            command: "serve",
            id: "max_files",
            value_name: Some(t!("个数", "N")),
            help: t!("一次上传的文件数上限", "the most files in one upload"),
            expect: Some(t!(
                "请写一个大于 0 的整数，如 --max-files 5000",
                "write a whole number above 0, such as --max-files 5000"
            )),
        },
        ArgWords {
            command: "serve",
            id: "max_request_mb",
            value_name: Some(t!("MB", "MB")),
            help: t!(
                "一次上传的总大小上限（MB）",
                "the largest upload, all files together, in MB"
            ),
            expect: Some(t!(
                "请写一个大于 0 的整数（MB），如 --max-request-mb 256",
                "write a whole number above 0 (MB), such as --max-request-mb 256"
            )),
        },
        ArgWords {
            command: "serve",
            id: "timeout_secs",
            value_name: Some(t!("秒", "SECONDS")),
            help: t!(
                "每个请求的处理时限（秒），超时的请求停止并返回提示",
                "the time limit of one request, in seconds; a request over it is stopped with a message"
            ),
            expect: Some(t!(
                "请写一个大于 0 的整数（秒），如 --timeout-secs 300",
                "write a whole number of seconds above 0, such as --timeout-secs 300"
            )),
        },
        ArgWords {
            command: "serve",
            id: "lang",
            value_name: Some(t!("语言", "LANG")),
            help: t!(
                "控制台提示、本帮助和网页默认的语言（网页上可以切换）。也可用环境变量 JIXIAO_LANG 设定",
                "the language of the console lines, this help and the page's default (the page can switch). The environment variable JIXIAO_LANG sets it too"
            ),
            expect: None,
        },
    ];

    /// The words of the argument `id` of `command`: its own entry, or the shared one.
    pub fn arg(command: &str, id: &str) -> Option<&'static ArgWords> {
        ARGS.iter()
            .find(|a| a.command == command && a.id == id)
            .or_else(|| ARGS.iter().find(|a| a.command.is_empty() && a.id == id))
    }

    /// The words of `command` (`""` for `jixiao` itself).
    pub fn command(name: &str) -> Option<&'static CommandWords> {
        COMMANDS.iter().find(|c| c.name == name)
    }

    // Usage errors. Each names the argument as written on the command line.
    pub const UNKNOWN_COMMAND: Text = t!("未知的子命令“{name}”。", "unknown command \"{name}\".");
    pub const DID_YOU_MEAN: Text = t!(
        "您是否想用“{suggestion}”？",
        " Did you mean \"{suggestion}\"?"
    );
    pub const KNOWN_COMMANDS: Text =
        t!("可用的命令：{commands}。", " The commands are: {commands}.");
    pub const MISSING_COMMAND: Text = t!(
        "请写出要执行的命令：{commands}。",
        "say which command to run: {commands}."
    );
    pub const UNKNOWN_OPTION: Text = t!("未知的选项“{name}”。", "unknown option \"{name}\".");
    pub const EXTRA_ARGUMENT: Text = t!("多余的参数“{name}”。", "unexpected argument \"{name}\".");
    pub const MISSING: Text = t!("缺少 {arg}：{expect}", "{arg} is missing: {expect}");
    pub const MISSING_VALUE: Text = t!(
        "{arg} 后面缺少值：{expect}",
        "{arg} needs a value: {expect}"
    );
    pub const BAD_VALUE: Text = t!(
        "{arg} 的值“{value}”无效：{expect}",
        "\"{value}\" is not a valid value of {arg}: {expect}"
    );
    /// The expectation of an argument with a fixed list of values.
    pub const CHOOSE: Text = t!("请写 {values} 之一", "write one of {values}");
    pub const TWICE: Text = t!("{arg} 只能写一次", "{arg} may be given only once");
    pub const CONFLICT: Text = t!(
        "{arg} 不能与 {other} 同时使用",
        "{arg} cannot be used with {other}"
    );
    pub const TOO_MANY: Text = t!(
        "{arg} 只要一个值，多出了“{value}”",
        "{arg} takes one value; \"{value}\" is one too many"
    );
    pub const NOT_UTF8: Text = t!(
        "命令行中有无法识别的字符（不是 UTF-8 文本）",
        "the command line holds characters that are not UTF-8 text"
    );
    pub const OTHER: Text = t!("命令行有误", "the command line is not valid");
    /// The last line of every usage error.
    pub const HINT: Text = t!(
        "运行 {help} 查看用法和全部选项。",
        "Run {help} for the usage and every option."
    );
}

/// Words of the check report for a person (`report::to_text`). The level words are
/// [`Level::word`], the one vocabulary of every report and sheet.
pub mod report {
    use super::Text;

    pub const TEMPLATE: Text = t!("模板 {template}", "template {template}");
    /// The sheet of a form, in the header of a file that holds several.
    pub const SHEET: Text = t!("工作表 {sheet}", "sheet {sheet}");
    /// The counts of an entry, by level, in the words of [`super::Level`].
    pub const COUNTS: Text = t!(
        "错误 {errors}，警告 {warnings}，提示 {infos}，已修正 {corrections}",
        "errors {errors}, warnings {warnings}, notes {infos}, corrected {corrections}"
    );
    /// A finding's line: its level, cell, rule and message (the suggestion and the code follow).
    pub const LINE: Text = t!(
        "{level} {cell} {rule}：{message}",
        "{level} {cell} {rule}: {message}"
    );
    /// The code at the end of a finding's line, for reference (docs/CHECKS.md).
    pub const CODE: Text = t!(" [{code}]", " [{code}]");
    pub const NO_FINDINGS: Text = t!("未发现问题", "no problems found");
    /// Where a finding has no cell.
    pub const NO_CELL: Text = t!("—", "-");
    /// The form's title where a finding names it as a field: like every label a finding
    /// names, the form's own Chinese word in either language.
    pub const TITLE_LABEL: &str = "标题";
    pub const TOTALS: Text = t!(
        "合计：文件 {files} 个，其中 {unreadable} 个无法读取；读取申报表 {forms} 份，错误 {errors}，警告 {warnings}，提示 {infos}，已修正 {corrections}",
        "Total: files {files} (unreadable {unreadable}); forms read {forms}, errors {errors}, warnings {warnings}, notes {infos}, corrected {corrections}"
    );
}

/// The words of a place on the form for a person (`crate::place`): `第1项指标“外出招商次数”·实施周期指标值`.
pub mod place {
    use super::Text;

    /// Between the parts of a place.
    pub const SEPARATOR: Text = t!("·", " · ");
    pub const TITLE: Text = t!("标题", "Title");
    pub const YEAR: Text = t!("年度", "Year");
    /// A finding about the form's own wording (`label-variant`).
    pub const LABELS: Text = t!("表内标签", "Labels of the form");
    /// A row of a table, numbered from 1.
    pub const TASK: Text = t!("第{n}项重点任务", "Task {n}");
    pub const INDICATOR: Text = t!("第{n}项指标", "Indicator {n}");
    /// A project form's annual and mid-term indicator blocks.
    pub const ANNUAL_INDICATOR: Text = t!("第{n}项年度指标", "Annual indicator {n}");
    pub const PERIOD_INDICATOR: Text = t!("第{n}项中期指标", "Mid-term indicator {n}");
    /// A row with its name.
    pub const NAMED: Text = t!("{row}“{name}”", "{row} “{name}”");
}

/// Sentences about template files.
pub mod template {
    use super::Text;

    pub const BAD: Text = t!(
        "模板文件 {file} 无效：{detail}",
        "template file {file} is invalid: {detail}"
    );
    pub const UNREADABLE: Text = t!(
        "--template 给出的模板文件无法读取：{reason}",
        "the template file given to --template cannot be read: {reason}"
    );
    /// A file of a template folder (`--templates DIR`, `JIXIAO_TEMPLATES`) or an uploaded one
    /// could not be read; `{reason}` names the file.
    pub const FILE_UNREADABLE: Text = t!(
        "模板文件无法读取：{reason}",
        "a template file cannot be read: {reason}"
    );
    /// `{source}` is [`SOURCE_OPTION`] or [`SOURCE_ENV`]; `{reason}` names the folder.
    pub const FOLDER_UNREADABLE: Text = t!(
        "{source} 给出的模板文件夹无法读取：{reason}",
        "the template folder given by {source} cannot be read: {reason}"
    );
    pub const EMPTY_FOLDER: Text = t!(
        "{source} 给出的文件夹 {dir} 中没有模板文件（.toml）",
        "no template file (.toml) in the folder {dir} given by {source}"
    );
    pub const SOURCE_OPTION: Text = t!("--templates", "--templates");
    pub const SOURCE_ENV: Text = t!(
        "环境变量 JIXIAO_TEMPLATES",
        "the environment variable JIXIAO_TEMPLATES"
    );
    /// Two template files given with one id: which one is meant cannot be told.
    pub const SAME_ID: Text = t!(
        "模板文件 {first} 和 {second} 的模板名称（id）都是 {id}：请只保留其中一个，或改掉其中一个的 id",
        "the template files {first} and {second} both have the id {id}: keep only one of them, or change the id of one"
    );
    /// An uploaded template file that is not UTF-8.
    pub const NOT_TEXT: Text = t!(
        "模板文件 {file} 不是 UTF-8 编码的文本，无法读取。请用文本编辑器另存为 UTF-8 编码后重试",
        "the template file {file} is not UTF-8 text and cannot be read. Save it as UTF-8 in a text editor and try again"
    );
    /// `--template gz-dept-overall`: the id of a built-in template where a file is expected.
    pub const IS_AN_ID: Text = t!(
        "“{id}”是内置模板的名称，不是模板文件。内置模板会自动识别，无需指定；--template 只用于另加一个模板文件（.toml）。要生成这个模板的空白表，请用 jixiao template --variant {id}",
        "\"{id}\" is the name of a built-in template, not a template file. Built-in templates are recognised by themselves; --template adds a template file (.toml). For the blank form of this template, use jixiao template --variant {id}"
    );
}

/// Words of the written workbooks and CSV (docs/OUTPUT.md). Everything an officer reads in a
/// workbook jixiao makes follows the run's language: sheet names, column headers, the 汇总
/// labels, status and yes/no words, the legend, notes and messages. Two things stay Chinese
/// whatever `--lang` says: the 申报表 itself (the official form, drawn from the template's
/// labels) and the indicator CSV, the budget-integration system's import format
/// (docs/FORM.md §1.5), which takes the `.zh` of its words.
pub mod write {
    use super::Text;

    /// The sheets of the `convert` workbook, in order.
    pub const SHEET_FORM: Text = t!("申报表", "Form");
    pub const SHEET_SUMMARY: Text = t!("汇总", "Summary");
    pub const SHEET_FINDINGS: Text = t!("校验结果", "Findings");
    pub const SHEET_CHANGES: Text = t!("修改记录", "Changes");
    /// The sheet of one form in a `convert` workbook of several: `申报表-{name}`, the name being
    /// the form's department (or, without one, the sheet it was read from).
    pub const SHEET_FORM_OF: Text = t!("申报表-{name}", "Form-{name}");
    /// The `merge --forms` sheet of a form: its department (or sheet) and its file.
    pub const FORM_SHEET_OF: Text = t!("{name}（{file}）", "{name} ({file})");
    /// Under 汇总 when `merge --forms` had more forms than it gives sheets to.
    pub const FORM_SHEETS_LEFT_OUT: Text = t!(
        "注：共 {total} 份申报表，只有前 {max} 份（按文件顺序）各有自己的工作表，其余 {left} 份没有；它们的数据仍在“汇总”（项目申报表在“项目汇总”）和各清单中。要每份的申报表，可用 jixiao convert 逐份生成。",
        "Note: of {total} forms only the first {max} (in file order) have a sheet of their own, the other {left} do not; all their data is still on the Summary sheet (a project form on the Projects sheet) and in the lists. For each form's own workbook use jixiao convert."
    );
    /// The sheets of the `merge` workbook besides 汇总, 校验结果 and 修改记录.
    pub const SHEET_INDICATORS: Text = t!("指标明细", "Indicators");
    pub const SHEET_TASKS: Text = t!("重点任务", "Tasks");
    /// The `merge` sheet of project forms (docs/OUTPUT.md §2 item 2), beside 汇总.
    pub const SHEET_PROJECTS: Text = t!("项目汇总", "Projects");

    /// Column headers of the lists, one word each.
    pub const COL_NUMBER: Text = t!("序号", "No.");
    pub const COL_FORM: Text = t!("表单", "Form");
    pub const COL_LEVEL: Text = t!("级别", "Level");
    pub const COL_RULE: Text = t!("规则", "Rule");
    pub const COL_INPUT_CELL: Text = t!("原文件位置", "Cell in the input");
    pub const COL_FORM_CELL: Text = t!("本表位置", "Cell on the form");
    /// The merge lists' one cell column: where the value was in its input.
    pub const COL_CELL: Text = t!("位置", "Cell");
    pub const COL_FIELD: Text = t!("字段", "Field");
    pub const COL_MESSAGE: Text = t!("说明", "Message");
    pub const COL_SUGGESTION: Text = t!("建议", "Suggestion");
    pub const COL_CODE: Text = t!("代码", "Code");
    pub const COL_BEFORE: Text = t!("原值", "Before");
    pub const COL_AFTER: Text = t!("新值", "After");
    /// The columns that lead each row of the `merge` lists: the input and the sheet of the form,
    /// the department and the project.
    pub const LIST_FILE: Text = t!("文件", "File");
    pub const LIST_SHEET: Text = t!("工作表", "Sheet");
    pub const LIST_DEPARTMENT: Text = t!("部门", "Department");
    pub const LIST_PROJECT: Text = t!("项目", "Project");

    /// Columns of 校验结果: the rule and the field in an officer's words, the code last, for
    /// reference (docs/CHECKS.md).
    pub const FINDINGS_HEADER: [Text; 9] = [
        COL_NUMBER,
        COL_LEVEL,
        COL_RULE,
        COL_INPUT_CELL,
        COL_FORM_CELL,
        COL_FIELD,
        COL_MESSAGE,
        COL_SUGGESTION,
        COL_CODE,
    ];
    /// Columns of 修改记录.
    pub const CHANGES_HEADER: [Text; 7] = [
        COL_NUMBER,
        COL_INPUT_CELL,
        COL_FIELD,
        COL_BEFORE,
        COL_AFTER,
        COL_RULE,
        COL_CODE,
    ];
    /// The lists of a `convert` workbook of several forms: which 申报表 sheet a row is about.
    pub const FORMS_FINDINGS_HEADER: [Text; 10] = [
        COL_NUMBER,
        COL_FORM,
        COL_LEVEL,
        COL_RULE,
        COL_INPUT_CELL,
        COL_FORM_CELL,
        COL_FIELD,
        COL_MESSAGE,
        COL_SUGGESTION,
        COL_CODE,
    ];
    pub const FORMS_CHANGES_HEADER: [Text; 8] = [
        COL_NUMBER,
        COL_FORM,
        COL_INPUT_CELL,
        COL_FIELD,
        COL_BEFORE,
        COL_AFTER,
        COL_RULE,
        COL_CODE,
    ];
    /// Columns of the `merge` 校验结果.
    pub const MERGE_FINDINGS_HEADER: [Text; 11] = [
        LIST_FILE,
        LIST_SHEET,
        LIST_DEPARTMENT,
        LIST_PROJECT,
        COL_LEVEL,
        COL_RULE,
        COL_CELL,
        COL_FIELD,
        COL_MESSAGE,
        COL_SUGGESTION,
        COL_CODE,
    ];
    /// Columns of the `merge` 修改记录.
    pub const MERGE_CHANGES_HEADER: [Text; 10] = [
        LIST_FILE,
        LIST_SHEET,
        LIST_DEPARTMENT,
        LIST_PROJECT,
        COL_CELL,
        COL_FIELD,
        COL_BEFORE,
        COL_AFTER,
        COL_RULE,
        COL_CODE,
    ];

    /// Columns of the indicator CSV (and of 指标明细 after its 文件 and 工作表). The last three
    /// are the budget-integration system's own (docs/FORM.md §1.5), so that the table can be
    /// imported back: 计算符号, 指标值 and 计量单位 read across give the target again. The CSV
    /// always writes them in Chinese.
    pub const INDICATORS_HEADER: [Text; 14] = [
        LIST_DEPARTMENT,
        LIST_PROJECT,
        t!("一级指标", "Level 1"),
        t!("二级指标", "Level 2"),
        t!("三级指标", "Indicator"),
        t!("实施周期指标值", "Period target"),
        t!("年度指标值", "Annual target"),
        t!("符号", "Operator"),
        t!("数值", "Number"),
        t!("单位", "Unit"),
        t!("类型", "Kind"),
        t!("计算符号", "Sign (budget system)"),
        t!("指标值", "Value (budget system)"),
        t!("计量单位", "Unit (budget system)"),
    ];

    /// The level columns of the summaries: the words of [`super::Level`], as headers.
    pub const COUNT_ERRORS: Text = t!("错误", "Errors");
    pub const COUNT_WARNINGS: Text = t!("警告", "Warnings");
    pub const COUNT_INFOS: Text = t!("提示", "Notes");
    pub const COUNT_CORRECTIONS: Text = t!("已修正", "Corrected");
    pub const COL_STATUS: Text = t!("状态", "Status");

    /// Columns of the `merge` 汇总: one row per form, and per input that gave none.
    pub const MERGE_SUMMARY_HEADER: [Text; 24] = [
        COL_NUMBER,
        LIST_FILE,
        LIST_SHEET,
        t!("部门名称", "Department"),
        t!("模板", "Template"),
        t!("年度", "Year"),
        t!("基本支出", "Basic expenditure"),
        t!("项目支出", "Project expenditure"),
        t!("支出合计", "Total expenditure"),
        t!("财政拨款", "Appropriation"),
        t!("其他资金", "Other funds"),
        t!("收入合计", "Total income"),
        t!("是否平衡", "Balanced"),
        t!("重点任务数", "Key tasks"),
        t!("任务资金合计", "Task funds"),
        t!("指标数", "Indicators"),
        t!("产出", "Output"),
        t!("效益", "Benefit"),
        t!("满意度", "Satisfaction"),
        COUNT_ERRORS,
        COUNT_WARNINGS,
        COUNT_INFOS,
        COUNT_CORRECTIONS,
        COL_STATUS,
    ];
    /// The label of the totals row of the `merge` summaries.
    pub const TOTAL: Text = t!("合计", "Total");
    /// Columns of the `merge` 重点任务.
    pub const TASKS_HEADER: [Text; 5] = [
        LIST_DEPARTMENT,
        t!("名称", "Task"),
        t!("主要实施内容", "Main content"),
        t!("拟投入的资金（万元）", "Funds (10,000 yuan)"),
        t!("期望达到的目标（概述）", "Expected outcome"),
    ];
    /// Columns of 项目汇总: one row per project form.
    pub const MERGE_PROJECTS_HEADER: [Text; 17] = [
        COL_NUMBER,
        LIST_FILE,
        LIST_SHEET,
        t!("项目名称", "Project"),
        t!("主管部门", "Department in charge"),
        t!("实施单位", "Implementing unit"),
        t!("项目期", "Project period"),
        t!("年度资金总额", "Annual funds"),
        t!("财政拨款", "Appropriation"),
        t!("其他资金", "Other funds"),
        t!("中期资金总额", "Mid-term funds"),
        t!("指标数", "Indicators"),
        COUNT_ERRORS,
        COUNT_WARNINGS,
        COUNT_INFOS,
        COUNT_CORRECTIONS,
        COL_STATUS,
    ];

    /// The two columns of the `convert` 汇总 and its row labels.
    pub const SUMMARY_HEADER: [Text; 2] = [t!("项目", "Item"), t!("内容", "Value")];
    pub const SUMMARY_DEPARTMENT: Text = t!("部门名称", "Department");
    pub const SUMMARY_TEMPLATE: Text = t!("模板", "Template");
    pub const SUMMARY_YEAR: Text = t!("年度", "Year");
    pub const SUMMARY_EXPENDITURE: Text = t!("支出合计（万元）", "Total expenditure (10,000 yuan)");
    pub const SUMMARY_INCOME: Text = t!("收入合计（万元）", "Total income (10,000 yuan)");
    pub const SUMMARY_BALANCED: Text = t!("是否平衡", "Balanced");
    pub const SUMMARY_TASKS: Text = t!("重点任务数", "Key tasks");
    pub const SUMMARY_TASK_FUNDS: Text = t!("任务资金合计（万元）", "Task funds (10,000 yuan)");
    pub const SUMMARY_INDICATORS: Text = t!("指标数", "Indicators");
    /// `{level1}` is a 一级指标 name: `产出指标数`.
    pub const SUMMARY_LEVEL1: Text = t!("{level1}数", "Indicators: {level1}");
    pub const SUMMARY_OTHER_LEVEL1: Text = t!("其他一级指标数", "Indicators: other level 1");
    /// Row labels of the 汇总 of a project form.
    pub const SUMMARY_PROJECT: Text = t!("项目名称", "Project");
    pub const SUMMARY_PROJECT_DEPARTMENT: Text = t!("主管部门", "Department in charge");
    pub const SUMMARY_IMPLEMENTER: Text = t!("实施单位", "Implementing unit");
    pub const SUMMARY_PROJECT_PERIOD: Text = t!("项目期", "Project period");
    pub const SUMMARY_ANNUAL_TOTAL: Text = t!("年度资金总额（万元）", "Annual funds (10,000 yuan)");
    pub const SUMMARY_ANNUAL_SOURCES: Text = t!(
        "年度财政拨款+其他资金（万元）",
        "Annual appropriation + other funds (10,000 yuan)"
    );
    pub const SUMMARY_PERIOD_TOTAL: Text =
        t!("中期资金总额（万元）", "Mid-term funds (10,000 yuan)");
    pub const SUMMARY_PERIOD_SOURCES: Text = t!(
        "中期财政拨款+其他资金（万元）",
        "Mid-term appropriation + other funds (10,000 yuan)"
    );
    pub const SUMMARY_PERIOD_INDICATORS: Text = t!("中期指标数", "Mid-term indicators");

    pub const YES: Text = t!("是", "Yes");
    pub const NO: Text = t!("否", "No");
    /// The one-word status of a form: no error, errors to fix, or no form read.
    pub const STATUS_PASS: Text = t!("通过", "Pass");
    pub const STATUS_FIX: Text = t!("需修改", "To fix");
    pub const STATUS_UNREADABLE: Text = t!("无法读取", "Unreadable");

    /// The 符号 column of the indicator table for a range (`80%-90%`).
    pub const OP_RANGE: Text = t!("区间", "range");
    /// The 类型 column of the indicator table, by target kind.
    pub const KIND_QUANTITATIVE: Text = t!("定量", "quantitative");
    pub const KIND_QUALITATIVE: Text = t!("定性", "qualitative");
    pub const KIND_DATE: Text = t!("日期", "date");
    pub const KIND_PLACEHOLDER: Text = t!("占位", "placeholder");
    pub const KIND_EMPTY: Text = t!("空", "empty");

    /// The legend of the colours, on 申报表 (below the form) and 校验结果 (beside the list).
    pub const LEGEND: Text = t!("图例", "Legend");
    pub const LEGEND_MEANING: Text = t!("含义", "Meaning");
    /// What each level means, beside its colour.
    pub const LEGEND_ERROR: Text = t!("须修改后才能通过", "must be fixed before the form passes");
    pub const LEGEND_WARNING: Text = t!("请审核人员核实", "a reviewer should check it");
    pub const LEGEND_INFO: Text = t!("供参考，无需修改", "for information, nothing to fix");
    pub const LEGEND_FIXED: Text = t!(
        "已自动修正，原值见修改记录",
        "corrected automatically; the value before is in Changes"
    );
    /// The legend of the 申报表, after its colours.
    pub const LEGEND_NOTES: Text = t!(
        "有颜色的单元格带批注：问题的说明，或修正前的原值",
        "A coloured cell has a note: what is wrong, or the value before the correction"
    );
    /// The page footer of every sheet: `第 1 页，共 3 页` (Excel's codes `&P`, `&N`).
    pub const FOOTER: Text = t!("&C第 &P 页，共 &N 页", "&CPage &P of &N");

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
    pub const ERR_NOT_A_FILE: Text = t!(
        "{file}：这是一个文件夹，不是输出文件名",
        "{file}: this is a folder, not an output file name"
    );
    pub const ERR_NOT_REGULAR: Text = t!(
        "{file}：这不是普通文件（是设备、管道或套接字），不能作为输出",
        "{file}: not a regular file (a device, a pipe or a socket); it cannot be an output"
    );
    pub const ERR_NOT_OURS: Text = t!(
        "{file}：文件已存在，且不是 jixiao 生成的，即使加了 --force 也不会覆盖。请换一个输出文件名",
        "{file}: the file exists and jixiao did not write it; it is not overwritten, even with --force. Choose another output name"
    );
    pub const ERR_ZIP: Text = t!(
        "无法生成压缩包（{detail}）",
        "cannot build the zip archive ({detail})"
    );
}

/// Sentences of `jixiao serve`: the console lines, the API's errors and limits, and the page's
/// own UI text (sent by `GET /api/info`). The rule names the page shows beside a finding are
/// the catalogue's ([`FindingDef::rule`]).
pub mod serve {
    use super::Text;

    /// The one line on standard output: the address to open (with `?token=` when one is needed).
    pub const STARTED: Text = t!("jixiao 已启动：{url}", "jixiao is running: {url}");
    pub const HOW_TO_STOP: Text = t!(
        "请在浏览器中打开上面的地址；按 Ctrl+C 停止",
        "Open the address above in a browser; press Ctrl+C to stop"
    );
    pub const PUBLIC_WARNING: Text = t!(
        "警告：jixiao 正在 {addr} 上监听，同一网络中的其他电脑也能访问。每个请求都须带上访问令牌 {token}（页面地址中的 ?token=，或请求头 Authorization: Bearer）",
        "Warning: jixiao is listening on {addr}, where other computers on the network can reach it. Every request must carry the access token {token} (?token= in the page's address, or the header Authorization: Bearer)"
    );
    pub const CANNOT_LISTEN: Text = t!(
        "无法在 {addr} 上启动网页服务（系统提示：{detail}）",
        "cannot start the web server on {addr} (the system says: {detail})"
    );
    pub const PORT_IN_USE: Text = t!(
        "无法在 {addr} 上启动网页服务：端口 {port} 已被其他程序占用（可能 jixiao serve 已在运行）。请换一个端口，如 --port 8081，或用 --port 0 任选一个空闲端口",
        "cannot start the web server on {addr}: the port {port} is in use by another program (perhaps jixiao serve is already running). Choose another port, such as --port 8081, or --port 0 for any free one"
    );
    pub const ADDR_NOT_AVAILABLE: Text = t!(
        "无法在 {addr} 上启动网页服务：这台电脑没有地址 {ip}。请写本机的地址，或用 0.0.0.0 在所有地址上监听",
        "cannot start the web server on {addr}: this computer has no address {ip}. Write one of its own addresses, or 0.0.0.0 to listen on all of them"
    );
    pub const LISTEN_NO_PERMISSION: Text = t!(
        "无法在 {addr} 上启动网页服务：没有权限使用端口 {port}（1024 以下的端口通常需要管理员权限）。请换一个端口，如 --port 8080",
        "cannot start the web server on {addr}: no permission to use the port {port} (ports below 1024 usually need an administrator). Choose another port, such as --port 8080"
    );
    pub const CANNOT_START: Text = t!(
        "无法启动网页服务：{detail}",
        "cannot start the web server: {detail}"
    );
    pub const CANNOT_OPEN_BROWSER: Text = t!(
        "无法自动打开浏览器（{detail}）；请手动打开 {url}",
        "could not open a browser ({detail}); open {url} yourself"
    );

    pub const TOO_MANY_FILES: Text = t!(
        "一次最多上传 {max} 个文件，请分批上传",
        "at most {max} files can be uploaded at once; upload them in smaller batches"
    );
    pub const REQUEST_TOO_LARGE: Text = t!(
        "上传的内容过大：一次最多 {max} MB，请分批上传",
        "the upload is too large: at most {max} MB at once; upload the files in smaller batches"
    );
    pub const TIMEOUT: Text = t!(
        "处理超时（超过 {secs} 秒），已停止。请减少一次上传的文件后重试",
        "the request took too long (over {secs} seconds) and was stopped. Upload fewer files at once and try again"
    );
    pub const UNAUTHORIZED: Text = t!(
        "缺少或错误的访问令牌。请用启动 jixiao 时显示的完整地址（含 ?token=）打开页面",
        "the access token is missing or wrong. Open the page with the full address jixiao printed when it started (with ?token=)"
    );
    pub const WRONG_HOST: Text = t!(
        "拒绝以 {host} 为地址的请求：本机服务只接受 localhost、127.0.0.1 或 [::1]",
        "refused a request addressed to {host}: this local server answers only localhost, 127.0.0.1 or [::1]"
    );
    pub const NO_FILES: Text = t!(
        "没有收到文件。请在表单字段 files 中上传一个或多个文件",
        "no files received. Upload one or more files in the form field files"
    );
    /// An upload of template files (`.toml`) only: they are templates for the forms sent
    /// with them, and none was.
    pub const ONLY_TEMPLATES: Text = t!(
        "只收到了模板文件（.toml），没有申报表。模板文件只用于同时上传的申报表，请把申报表一起上传",
        "only template files (.toml) were received, no form. A template file applies to the forms uploaded with it: upload them together"
    );
    pub const BAD_UPLOAD: Text = t!(
        "上传的数据无法读取（{detail}）",
        "the upload could not be read ({detail})"
    );
    pub const BAD_PARAM: Text = t!(
        "参数 {name} 的值“{value}”无效（可用：{known}）",
        "the value \"{value}\" of the parameter {name} is not valid (known: {known})"
    );
    pub const BAD_NUMBER: Text = t!(
        "参数 {name} 的值“{value}”无效：须为 {min} 到 {max} 之间的数",
        "the value \"{value}\" of the parameter {name} is not valid: it must be a number from {min} to {max}"
    );
    pub const NOT_MULTIPART: Text = t!(
        "请以 multipart/form-data 格式上传文件（表单字段 files）",
        "upload the files as multipart/form-data (form field files)"
    );
    pub const NO_FORM_READ: Text = t!(
        "没有读到任何申报表：{errors}",
        "no form could be read: {errors}"
    );
    pub const SHEET_NEEDS_ONE_FILE: Text = t!(
        "参数 sheet 只能与一个上传文件一起使用",
        "the parameter sheet can only be used with one uploaded file"
    );
    pub const NO_SUCH_SHEET: Text = t!(
        "{file} 中没有位于工作表“{sheet}”上的申报表",
        "{file} holds no form on the sheet \"{sheet}\""
    );
    pub const NOT_FOUND: Text = t!("没有这个地址：{path}", "no such address: {path}");
    pub const METHOD: Text = t!(
        "{path} 不接受 {method} 请求",
        "{path} does not accept a {method} request"
    );
    pub const INTERNAL: Text = t!(
        "服务器内部出错（{detail}）。请把上传的文件反馈给 jixiao 的维护人员",
        "the server failed internally ({detail}). Please send the uploaded files to the jixiao maintainers"
    );
    /// The file name (without extension) of a consolidated output.
    pub const MERGED_NAME: Text = t!("汇总", "consolidated");
    /// The file name (without extension) of a zip of corrected forms from several uploads.
    pub const CONVERTED_NAME: Text = t!("修正后的申报表", "corrected-forms");
    /// What the name of one upload's corrected file adds to its stem (`某局-修正.xlsx`).
    pub const CORRECTED_SUFFIX: Text = t!("修正", "corrected");
    /// The name (without extension) of the note in that zip on the uploads it lacks.
    pub const LEFT_OUT_NAME: Text = t!("未能读取的文件", "files-not-read");
    /// The first line of that note, before one line per upload that gave no form.
    pub const LEFT_OUT_HEADER: Text = t!(
        "以下上传的文件没有读到申报表，不在本压缩包中：",
        "These uploaded files gave no form and are not in this zip:"
    );

    /// The page's own words, by key (`GET /api/info` → `text`); the list and its words are
    /// the page's `assets/TEXT_KEYS.md` (a test keeps the two equal).
    pub static PAGE: &[(&str, Text)] = &[
        ("nav.skip", t!("跳到主要内容", "Skip to the main content")),
        ("app.name", t!("绩效", "绩效")),
        ("app.subtitle", t!("预算绩效目标申报表校验", "Budget performance target form checker")),
        ("app.title", t!("jixiao 绩效 — 预算绩效目标申报表校验", "jixiao 绩效 — budget performance target form checker")),
        ("lang.label", t!("界面语言", "Language")),
        ("lang.zh", t!("中文", "中文")),
        ("lang.en", t!("English", "English")),
        ("message.close", t!("关闭提示", "Close this message")),
        ("drop.title", t!("把申报表文件或整个文件夹拖到这里", "Drop form files or a whole folder here")),
        ("drop.hint", t!("也可以点下面的按钮选择。文件只在本机处理，校验完不会保留。", "Or choose them with the buttons below. Files are processed on this computer and are not kept after the check.")),
        ("drop.pick_files", t!("选择文件", "Choose files")),
        ("drop.pick_folder", t!("选择文件夹", "Choose a folder")),
        ("drop.formats", t!("支持的格式：", "Accepted formats:")),
        ("drop.limits", t!("每个文件不超过 {max_file}，一次最多 {max_files} 个文件，合计不超过 {max_request}。", "Up to {max_file} per file, {max_files} files at a time, {max_request} in all.")),
        ("drop.release", t!("松开鼠标，开始校验", "Release to start the check")),
        ("drop.none_found", t!("没有找到可以校验的文件。文件夹里只会读取这些格式：{formats}", "No file to check was found. In a folder only these formats are read: {formats}")),
        ("drop.read_failed", t!("浏览器没能读取拖入的文件夹，请改用“选择文件夹”按钮。", "The browser could not read the dropped folder; please use “Choose a folder” instead.")),
        ("steps.1_title", t!("放入申报表", "Put the forms in")),
        ("steps.1_text", t!("把各部门报来的申报表（Excel、WPS、CSV 都可以）或整个文件夹拖进上面的框里。", "Drop the forms the departments sent (Excel, WPS or CSV) or their whole folder into the box above.")),
        ("steps.2_title", t!("查看问题", "See what needs fixing")),
        ("steps.2_text", t!("每份申报表一行，标明通过或需修改；点开一份，可以看到每个问题在表中的位置和修改建议。", "One row per form, marked pass or needs fixing; open a form to see each problem in place, with a suggestion.")),
        ("steps.3_title", t!("下载结果", "Download the results")),
        ("steps.3_text", t!("下载修正后的标准申报表、汇总工作簿、指标清单或校验报告。", "Download the corrected standard forms, the consolidated workbook, the indicator list or the check report.")),
        ("options.label", t!("校验选项", "Check options")),
        ("options.year", t!("年度", "Year")),
        ("options.year_placeholder", t!("按标题", "From the title")),
        ("options.min_satisfaction", t!("满意度下限", "Lowest satisfaction")),
        ("options.recheck", t!("按新选项重新校验", "Check again with these options")),
        ("templates.label", t!("空白模板：", "Blank forms:")),
        ("templates.download", t!("下载空白的“{name}”", "Download the blank “{name}”")),
        ("progress.cancel", t!("取消", "Cancel")),
        ("progress.uploading", t!("正在上传 {files} 个文件（{done} / {total}）…", "Uploading files: {files} ({done} of {total})…")),
        ("progress.checking", t!("正在校验 {files} 个文件，请稍候…", "Checking files: {files}. Please wait…")),
        ("progress.cancelled", t!("已取消本次校验。", "The check was cancelled.")),
        ("results.title", t!("校验结果", "Results")),
        ("results.hint", t!("点击任意一行（或选中后按回车）查看这份申报表的问题和修正后的样子。点击表头可以排序。", "Click a row (or select it and press Enter) to see that form's findings and its corrected layout. Click a column heading to sort.")),
        ("summary.line", t!("合计：文件 {files} 个，申报表 {forms} 份，其中 {unreadable} 个文件无法读取；错误 {errors}，警告 {warnings}，提示 {infos}，已修正 {corrections}", "In all: files {files}, forms {forms}, unreadable files {unreadable}; errors {errors}, warnings {warnings}, notes {infos}, corrected {corrections}")),
        ("filter.label", t!("按状态筛选", "Filter by status")),
        ("filter.all", t!("全部", "All")),
        ("filter.search", t!("搜索文件名或部门", "Search file or department")),
        ("filter.no_match", t!("没有符合条件的申报表。", "No form matches.")),
        ("status.pass", t!("通过", "Pass")),
        ("status.fix", t!("需修改", "Needs fixing")),
        ("status.unreadable", t!("无法读取", "Unreadable")),
        ("downloads.label", t!("下载：", "Download:")),
        ("downloads.all_corrected", t!("全部修正后的工作簿（zip）", "All corrected workbooks (zip)")),
        ("downloads.merge", t!("汇总工作簿", "Consolidated workbook")),
        ("downloads.merge_forms", t!("每份申报表另附一个工作表", "With one sheet per form")),
        ("downloads.csv", t!("指标 CSV", "Indicator CSV")),
        ("downloads.csv_encoding", t!("CSV 编码", "CSV encoding")),
        ("downloads.csv_utf8", t!("UTF-8（新版 Excel、WPS）", "UTF-8 (current Excel, WPS)")),
        ("downloads.csv_gbk", t!("GBK（旧版 Excel）", "GBK (older Excel)")),
        ("downloads.report", t!("校验报告（JSON）", "Check report (JSON)")),
        ("downloads.one_corrected", t!("下载修正后的工作簿", "Download the corrected workbook")),
        ("col.file", t!("文件", "File")),
        ("col.sheet", t!("工作表", "Sheet")),
        ("col.department", t!("部门名称", "Department")),
        ("col.template", t!("模板", "Template")),
        ("col.errors", t!("错误", "Errors")),
        ("col.warnings", t!("警告", "Warnings")),
        ("col.infos", t!("提示", "Notes")),
        ("col.corrections", t!("已修正", "Corrected")),
        ("col.status", t!("状态", "Status")),
        ("detail.back", t!("返回结果列表", "Back to the results")),
        ("detail.no_department", t!("（未填部门名称）", "(no department name)")),
        ("detail.file", t!("文件：{file}", "File: {file}")),
        ("detail.sheet", t!("工作表：{sheet}", "Sheet: {sheet}")),
        ("detail.template", t!("模板：{template}", "Template: {template}")),
        ("detail.count_errors", t!("错误 {n}", "Errors {n}")),
        ("detail.count_warnings", t!("警告 {n}", "Warnings {n}")),
        ("detail.count_infos", t!("提示 {n}", "Notes {n}")),
        ("detail.count_corrections", t!("已修正 {n}", "Corrected {n}")),
        ("detail.unreadable", t!("这个文件无法读取：", "This file cannot be read:")),
        ("findings.title", t!("问题与建议（{n}）", "Findings ({n})")),
        ("findings.hint", t!("点击一条问题，右侧会标出它所在的单元格。", "Click a finding to see its cell in the form.")),
        ("findings.level", t!("级别", "Level")),
        ("findings.cell", t!("位置", "Cell")),
        ("findings.message", t!("说明", "What is wrong")),
        ("findings.suggestion", t!("建议", "Suggestion")),
        ("findings.none", t!("没有发现问题。", "Nothing to report.")),
        ("findings.show_cell", t!("在表中标出这个单元格", "Show this cell in the form")),
        ("severity.error", t!("错误", "Error")),
        ("severity.warning", t!("警告", "Warning")),
        ("severity.info", t!("提示", "Note")),
        ("severity.fixed", t!("已修正", "Corrected")),
        ("preview.title", t!("修正后的申报表", "The corrected form")),
        ("preview.hint", t!("把鼠标移到有颜色的单元格上，可以看到原值和说明。", "Hover over a coloured cell to see its original value and the message.")),
        ("preview.loading", t!("正在生成预览…", "Preparing the preview…")),
        ("preview.no_file", t!("找不到这份申报表的原文件，请重新选择文件后再试。", "The original file of this form is no longer at hand; please choose the files again.")),
        ("preview.none", t!("这份申报表没有可显示的预览。", "There is no preview for this form.")),
        ("preview.source", t!("原文件位置：{cell}", "In the original file: {cell}")),
        ("legend.error", t!("错误", "Error")),
        ("legend.warning", t!("警告", "Warning")),
        ("legend.changed", t!("已修正", "Corrected")),
        ("error.http", t!("服务返回了错误（HTTP {status}），请稍后再试。", "The server answered with an error (HTTP {status}); please try again.")),
        ("error.unreachable", t!("无法连接到 jixiao 服务。请确认运行 jixiao serve 的窗口没有关闭，然后再试。", "Cannot reach the jixiao server. Make sure the window running jixiao serve is still open, then try again.")),
        ("error.bad_answer", t!("服务的回答无法识别，请刷新页面后再试。", "The server's answer could not be understood; please reload the page and try again.")),
        ("limit.files", t!("一次最多只能校验 {max} 个文件，这次选了 {count} 个。请分批校验。", "At most {max} files can be checked at a time, and {count} were chosen. Please check them in smaller batches.")),
        ("limit.request", t!("这批文件合计 {size}，超过了一次最多 {max} 的限制。请分批校验。", "These files add up to {size}, more than the {max} allowed at a time. Please check them in smaller batches.")),
    ];
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
        let mut rules = HashSet::new();
        for def in &FINDINGS {
            assert!(
                seen.insert(def.code.as_str()),
                "duplicate code {}",
                def.code
            );
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
            assert!(
                !def.rule.zh.is_empty() && !def.rule.en.is_empty(),
                "{}",
                def.code
            );
            assert!(
                rules.insert(def.rule.zh) && rules.insert(def.rule.en),
                "two rules named alike: {}",
                def.code
            );
            assert!(def
                .code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
        }
        assert_eq!(Code::TargetSymbol.def().rule.zh, "指标值符号不规范");
    }

    /// Every code the brief asks for, in its order: a second list, kept by hand, so that a
    /// code dropped from [`FINDINGS`] fails here (docs/CHECKS.md is generated from the
    /// catalogue, so it cannot catch that). A new code goes here and into [`FINDINGS`].
    const CHECKS_MD_CODES: &[&str] = &[
        "template-unknown",
        "section-missing",
        "label-variant",
        "column-extra",
        "department-empty",
        "goal-empty",
        "tasks-empty",
        "task-name-empty",
        "indicators-empty",
        "indicator-name-empty",
        "target-empty",
        "amount-text",
        "amount-not-number",
        "amount-negative",
        "budget-unbalanced",
        "budget-level-unbalanced",
        "development-exceeds-project",
        "task-funds-exceed-project",
        "task-funds-uncovered",
        "level-alias",
        "level1-unknown",
        "level2-unknown",
        "level2-misplaced",
        "category-missing",
        "indicator-duplicate",
        "target-symbol",
        "target-no-operator",
        "target-no-unit",
        "target-percent-over-100",
        "range-inverted",
        "target-placeholder",
        "target-vague",
        "satisfaction-low",
        "period-annual-mismatch",
        "target-split-conflict",
        "text-punctuation",
        "goal-numbering",
        "year-missing",
        "department-duplicate",
        "file-unreadable",
        "project-name-empty",
        "funds-unbalanced",
        "funds-annual-exceeds-period",
    ];

    /// Codes of the tool's own, beyond the brief's list.
    const OWN_CODES: &[&str] = &[
        "sum-mismatch",
        "target-kind-mismatch",
        "indicator-name-category",
        "sheet-truncated",
        "sheet-hidden-skipped",
        "sheet-partial-skipped",
        "sheet-second-form",
        "form-sheet-hidden",
        "text-too-long",
        "amount-in-yuan",
        "formula-evaluated",
        "formula-no-value",
        "task-total-row",
        "cell-error",
    ];

    #[test]
    fn catalogue_is_exactly_the_codes_of_checks_md() {
        let catalogue: HashSet<&str> = FINDINGS.iter().map(|d| d.code.as_str()).collect();
        let spec: HashSet<&str> = CHECKS_MD_CODES.iter().chain(OWN_CODES).copied().collect();
        assert_eq!(catalogue, spec);
        assert_eq!(FINDINGS.len(), CHECKS_MD_CODES.len() + OWN_CODES.len());
    }

    /// `(code, params, zh, en)`: a message rendered with sample values.
    type Rendered = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );

    /// Every message rendered with sample values, word for word.
    #[rustfmt::skip]
    const RENDERED: &[Rendered] = &[
        ("template-unknown", &[("file", "a.xlsx"), ("variant", "部门整体预算绩效目标申报表（区级，六列）"), ("missing", "部门名称、绩效指标"), ("labels", "收入构成、支出构成")],
            "a.xlsx：不是绩效目标申报表；最接近的模板是“部门整体预算绩效目标申报表（区级，六列）”，但缺少：部门名称、绩效指标；表中没有模板认识的标签：收入构成、支出构成",
            "a.xlsx: not a performance target form; the closest template is \"部门整体预算绩效目标申报表（区级，六列）\", but it lacks: 部门名称、绩效指标; labels on the sheet that no template knows: 收入构成、支出构成"),
        ("section-missing", &[("label", "总体绩效目标")],
            "表中找不到“总体绩效目标”",
            "The form has no \"总体绩效目标\""),
        ("label-variant", &[("before", "部门(单位)名称"), ("after", "部门名称")],
            "标签写作“部门(单位)名称”，已按标准标签“部门名称”识别",
            "The label is written \"部门(单位)名称\"; it was read as the standard label \"部门名称\""),
        ("column-extra", &[("header", "备注")],
            "表格中有模板没有的列“备注”，其内容未读入记录，已保留在修改记录中",
            "The table has a column the template does not know, \"备注\"; its values are kept in the change log, not in the record"),
        ("department-empty", &[("label", "部门名称")],
            "部门名称为空",
            "The department name (部门名称) is empty"),
        ("goal-empty", &[("label", "总体绩效目标")],
            "总体绩效目标为空",
            "The overall performance goal (总体绩效目标) is empty"),
        ("tasks-empty", &[],
            "年度重点工作任务一项也没有填写",
            "No annual key task (年度重点工作任务) is filled in"),
        ("task-name-empty", &[("number", "2"), ("content", "设备购置")],
            "第2项重点工作任务缺少名称（该行内容：“设备购置”）",
            "Key task 2 has no name (the row reads \"设备购置\")"),
        ("task-total-row", &[("name", "合计")],
            "“合计”一行是各项重点工作任务的合计，不是一项任务，未作为任务读取",
            "The row \"合计\" is the total of the key tasks, not a task; it was not read as one"),
        ("indicators-empty", &[],
            "绩效指标一项也没有填写",
            "The performance indicator table (绩效指标) has no indicator"),
        ("indicator-name-empty", &[("number", "5"), ("level1", "产出指标"), ("level2", "质量指标")],
            "第5个绩效指标（产出指标／质量指标）缺少三级指标名称",
            "Indicator 5 (产出指标 / 质量指标) has no name (三级指标)"),
        ("target-empty", &[("name", "志愿者参与人数"), ("column", "年度指标值")],
            "三级指标“志愿者参与人数”的年度指标值为空",
            "Indicator \"志愿者参与人数\" has no target (年度指标值)"),
        ("amount-text", &[("before", "1,234.5万元"), ("after", "1234.50"), ("label", "基本支出")],
            "“基本支出”以文本形式填写为“1,234.5万元”，已改为数字 1234.50",
            "\"基本支出\" was entered as the text \"1,234.5万元\"; it is now the number 1234.50"),
        ("amount-not-number", &[("label", "其他事业发展性支出"), ("value", "待定")],
            "“其他事业发展性支出”填写为“待定”，不是数字",
            "\"其他事业发展性支出\" holds \"待定\", which is not a number"),
        ("amount-in-yuan", &[("label", "基本支出"), ("value", "4,406,500元"), ("after", "440.65")],
            "“基本支出”填写为“4,406,500元”，单位是元，而本表金额以万元为单位",
            "\"基本支出\" holds \"4,406,500元\", in yuan, while this form's amounts are in 万元 (ten thousand yuan)"),
        ("formula-evaluated", &[("label", "基本支出"), ("before", "=300.45+140.2"), ("after", "440.65")],
            "“基本支出”的公式 =300.45+140.2 没有保存计算结果，已按公式算得 440.65",
            "\"基本支出\" is the formula =300.45+140.2 and the file holds no result for it; worked out from the formula: 440.65"),
        ("formula-no-value", &[("label", "基本支出"), ("formula", "=VLOOKUP(A4,明细!A:C,3,0)")],
            "“基本支出”是公式 =VLOOKUP(A4,明细!A:C,3,0)，文件中没有保存计算结果，无法读出其数值",
            "\"基本支出\" is the formula =VLOOKUP(A4,明细!A:C,3,0) and the file holds no result for it, so its value cannot be read"),
        ("cell-error", &[("label", "实施周期指标值"), ("error", "#N/A")],
            "“实施周期指标值”单元格显示错误值 #N/A（公式出错或引用的内容已不存在），没有可用的值",
            "\"实施周期指标值\" shows the error value #N/A (a formula that failed, or refers to what is gone): it has no usable value"),
        ("amount-negative", &[("label", "财政专项资金"), ("value", "-5.00")],
            "“财政专项资金”为“-5.00”，金额不能为负数",
            "\"财政专项资金\" is \"-5.00\"; an amount cannot be negative"),
        ("budget-unbalanced", &[("expenditure", "500.00"), ("income", "490.00"), ("difference", "10.00")],
            "基本支出+项目支出=500.00万元，财政拨款+其他资金=490.00万元，相差10.00万元",
            "基本支出 + 项目支出 = 500.00 万元, but 财政拨款 + 其他资金 = 490.00 万元: a difference of 10.00 万元"),
        ("budget-level-unbalanced", &[("levels", "450.00"), ("expenditure", "500.00"), ("difference", "50.00")],
            "本级使用资金+拟用于对下转移支付资金=450.00万元，基本支出+项目支出=500.00万元，相差50.00万元",
            "本级使用资金 + 拟用于对下转移支付资金 = 450.00 万元, but 基本支出 + 项目支出 = 500.00 万元: a difference of 50.00 万元"),
        ("development-exceeds-project", &[("development", "55.00"), ("project", "50.00"), ("difference", "5.00")],
            "财政专项资金+其他事业发展性支出=55.00万元，超过项目支出50.00万元，多出5.00万元",
            "财政专项资金 + 其他事业发展性支出 = 55.00 万元, more than 项目支出 50.00 万元 by 5.00 万元"),
        ("task-funds-exceed-project", &[("total", "230.00"), ("project", "200.00"), ("difference", "30.00")],
            "重点工作任务拟投入的资金合计230.00万元，超过项目支出200.00万元，多出30.00万元",
            "The key tasks' funds add up to 230.00 万元, more than 项目支出 200.00 万元 by 30.00 万元"),
        ("task-funds-uncovered", &[("total", "373.32"), ("project", "485.96"), ("difference", "112.64")],
            "重点工作任务拟投入的资金合计373.32万元，少于项目支出485.96万元，还有112.64万元未列入任务",
            "The key tasks' funds add up to 373.32 万元, less than 项目支出 485.96 万元; 112.64 万元 is not assigned to any task"),
        ("level-alias", &[("before", "数量"), ("after", "数量指标")],
            "指标类别写作“数量”，已改为标准名称“数量指标”",
            "The category is written \"数量\"; it is now the standard name \"数量指标\""),
        ("level1-unknown", &[("level1", "“过程指标”"), ("known", "产出指标、效益指标、满意度指标、成本指标")],
            "一级指标“过程指标”不是指标体系中的类别",
            "The first-level category (一级指标) “过程指标” is not one of the framework"),
        ("level2-unknown", &[("level2", "“效果指标”"), ("level1", "“产出指标”"), ("known", "数量指标、质量指标、时效指标、成本指标")],
            "二级指标“效果指标”不是一级指标“产出指标”下的类别",
            "The second-level category (二级指标) “效果指标” is not one under “产出指标”"),
        ("level2-misplaced", &[("level2", "社会效益指标"), ("level1", "产出指标"), ("parent", "效益指标")],
            "二级指标“社会效益指标”不属于一级指标“产出指标”，已移到“效益指标”下",
            "\"社会效益指标\" does not belong under \"产出指标\"; it was moved under \"效益指标\""),
        ("category-missing", &[("level1", "满意度指标")],
            "没有“满意度指标”类的绩效指标",
            "No indicator under \"满意度指标\""),
        ("indicator-duplicate", &[("name", "开展园区环保巡检"), ("other_cell", "Sheet1!D19")],
            "三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19）",
            "The indicator \"开展园区环保巡检\" appears twice (see also Sheet1!D19)"),
        ("target-symbol", &[("before", "4次以上"), ("after", "≥4次")],
            "指标值写作“4次以上”，已规范为“≥4次”",
            "The target is written \"4次以上\"; it is now \"≥4次\""),
        ("target-no-operator", &[("name", "招商项目投资总额"), ("column", "年度指标值"), ("value", "30亿元"), ("after", "30亿元")],
            "三级指标“招商项目投资总额”的年度指标值“30亿元”没有计算符号",
            "The target \"30亿元\" of indicator \"招商项目投资总额\" (年度指标值) has no sign"),
        ("target-no-unit", &[("name", "宣传材料发放"), ("column", "年度指标值"), ("value", "≥50")],
            "三级指标“宣传材料发放”的年度指标值“≥50”没有计量单位",
            "The target \"≥50\" of indicator \"宣传材料发放\" (年度指标值) has no unit"),
        ("target-percent-over-100", &[("name", "活动参与率"), ("column", "年度指标值"), ("value", "≥120%")],
            "三级指标“活动参与率”的年度指标值“≥120%”超过100%",
            "The target \"≥120%\" of indicator \"活动参与率\" (年度指标值) is above 100%"),
        ("range-inverted", &[("name", "服务响应时间"), ("column", "年度指标值"), ("value", "90%-80%"), ("lower", "90"), ("upper", "80"), ("unit", "%")],
            "三级指标“服务响应时间”的年度指标值“90%-80%”下限90大于上限80",
            "The range \"90%-80%\" of indicator \"服务响应时间\" (年度指标值) has its lower end 90 above its upper end 80"),
        ("target-placeholder", &[("name", "服务完成率"), ("column", "年度指标值"), ("value", "XX%")],
            "三级指标“服务完成率”的年度指标值“XX%”是模板中的占位内容，尚未填写",
            "The target \"XX%\" of indicator \"服务完成率\" (年度指标值) is a placeholder left from the template"),
        ("target-vague", &[("name", "居民生活质量"), ("column", "年度指标值"), ("value", "有效提升")],
            "三级指标“居民生活质量”的年度指标值“有效提升”表述笼统，无法衡量",
            "The target \"有效提升\" of indicator \"居民生活质量\" (年度指标值) is vague and cannot be measured"),
        ("satisfaction-low", &[("name", "居民满意度"), ("column", "年度指标值"), ("value", "≥70%"), ("minimum", "80")],
            "满意度指标“居民满意度”的年度指标值“≥70%”低于80%",
            "The satisfaction target \"≥70%\" of indicator \"居民满意度\" (年度指标值) is below 80%"),
        ("period-annual-mismatch", &[("name", "宣传材料发放"), ("period", "≥50份"), ("annual", "≥50")],
            "三级指标“宣传材料发放”的实施周期指标值“≥50份”与年度指标值“≥50”的类型、单位或符号方向不一致",
            "The period target \"≥50份\" and the annual target \"≥50\" of indicator \"宣传材料发放\" differ in kind, unit or direction of the sign"),
        ("target-split-conflict", &[("name", "道路养护作业投诉件数"), ("label", "计算符号"), ("found", "≥"), ("other_cell", "Sheet1!E21"), ("column", "年度指标值"), ("value", "≤5")],
            "三级指标“道路养护作业投诉件数”的计算符号“≥”（Sheet1!E21）与年度指标值“≤5”不一致，已按年度指标值读取",
            "Indicator \"道路养护作业投诉件数\": the 计算符号 \"≥\" (Sheet1!E21) disagrees with the 年度指标值 \"≤5\"; the 年度指标值 was read as written"),
        ("text-punctuation", &[("before", "完成相关申报材料，，做好宣传"), ("after", "完成相关申报材料，做好宣传")],
            "“完成相关申报材料，，做好宣传”中有多余的标点或空白，应为“完成相关申报材料，做好宣传”",
            "\"完成相关申报材料，，做好宣传\" has a doubled punctuation mark or stray spaces; it should read \"完成相关申报材料，做好宣传\""),
        ("goal-numbering", &[("label", "总体绩效目标"), ("found", "1.1."), ("expected", "1.")],
            "总体绩效目标中的编号“1.1.”处应为“1.”",
            "In the goal (总体绩效目标), the item numbered \"1.1.\" should be \"1.\""),
        ("year-missing", &[("title", "部门整体预算绩效目标申报表")],
            "标题“部门整体预算绩效目标申报表”中没有写明预算年度",
            "The title \"部门整体预算绩效目标申报表\" names no budget year"),
        ("department-duplicate", &[("department", "示例局"), ("other_file", "b.xlsx")],
            "部门“示例局”也出现在 b.xlsx 中",
            "The department \"示例局\" also appears in b.xlsx"),
        ("sheet-truncated", &[("sheet", "Sheet1"), ("rows", "5000"), ("cols", "64")],
            "工作表“Sheet1”在第 5000 行或第 64 列之外还有内容，这部分没有读取",
            "The sheet \"Sheet1\" has content beyond row 5000 or column 64; that part was not read"),
        ("sheet-hidden-skipped", &[("sheet", "2024年度（旧）")],
            "隐藏的工作表“2024年度（旧）”中也有一份申报表，打开文件时看不到它，未读取",
            "The hidden sheet \"2024年度（旧）\" also holds a form; it cannot be seen when the file is opened and was not read"),
        ("sheet-partial-skipped", &[("sheet", "指标表"), ("labels", "绩效指标、一级指标、三级指标、年度指标值")],
            "工作表“指标表”中有申报表的部分栏目（绩效指标、一级指标、三级指标、年度指标值），不足以作为一份申报表读取",
            "The sheet \"指标表\" has some of the form's rows (绩效指标、一级指标、三级指标、年度指标值), too few to be read as a form"),
        ("sheet-second-form", &[("sheet", "Sheet1"), ("start", "H1")],
            "工作表“Sheet1”中从 H1 单元格起还有一份申报表，无法与前一份分开（两者行列交错，或这一份不完整），因此没有读取",
            "The sheet \"Sheet1\" holds another form from cell H1 that could not be read apart from the form before it (their rows and columns overlap, or it is incomplete), so it was not read"),
        ("form-sheet-hidden", &[("sheet", "申报表")],
            "申报表所在的工作表“申报表”是隐藏的，打开文件时看不到它",
            "The form is on the hidden sheet \"申报表\", which cannot be seen when the file is opened"),
        ("text-too-long", &[("label", "部门名称")],
            "“部门名称”的文字超过 Excel 单元格的上限 32767 字，只保留了前 32767 字",
            "\"部门名称\" is longer than Excel's limit of 32767 characters in a cell; only the first 32767 are kept"),
        ("file-unreadable", &[("error", "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件")],
            "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件",
            "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件"),
        ("project-name-empty", &[],
            "项目名称为空",
            "The project name (项目名称) is empty"),
        ("funds-unbalanced", &[("label", "年度资金总额"), ("total", "300.00"), ("income", "290.00"), ("difference", "10.00")],
            "年度资金总额=300.00万元，财政拨款+其他资金=290.00万元，相差10.00万元",
            "年度资金总额 = 300.00 万元, but 财政拨款 + 其他资金 = 290.00 万元: a difference of 10.00 万元"),
        ("funds-annual-exceeds-period", &[("annual", "500.00"), ("period", "400.00"), ("difference", "100.00")],
            "年度资金总额500.00万元超过中期资金总额400.00万元，多100.00万元",
            "年度资金总额 500.00 万元 is above 中期资金总额 400.00 万元 by 100.00 万元"),
        ("sum-mismatch", &[("label", "资金总额"), ("total", "171.41"), ("labels", "预算金额（万元）各行"), ("value", "232.21"), ("difference", "60.80")],
            "“资金总额”为171.41万元，预算金额（万元）各行合计232.21万元，相差60.80万元",
            "\"资金总额\" is 171.41 万元, but 预算金额（万元）各行 add up to 232.21 万元: a difference of 60.80 万元"),
        ("target-kind-mismatch", &[("name", "工作安排时间"), ("label", "指标值类型"), ("found", "定量"), ("value", "按月安排")],
            "三级指标“工作安排时间”的指标值类型为“定量”，与指标值“按月安排”不符",
            "Indicator \"工作安排时间\" is marked \"定量\" in 指标值类型, which its target \"按月安排\" is not"),
        ("indicator-name-category", &[("name", "社会成本指标"), ("level2", "成本指标")],
            "三级指标“社会成本指标”是一个二级指标的名称，不是具体的指标（所在二级指标“成本指标”）",
            "Indicator \"社会成本指标\" is the name of a 二级指标 category, not an indicator of its own (under \"成本指标\")"),
    ];

    #[test]
    fn every_message_word_for_word() {
        assert_eq!(RENDERED.len(), FINDINGS.len());
        for (code, params, zh, en) in RENDERED {
            let def = Code::parse(code)
                .unwrap_or_else(|| panic!("no catalogue entry for {code}"))
                .def();
            assert_eq!(def.message.render(Lang::Zh, params), *zh, "{code} zh");
            assert_eq!(def.message.render(Lang::En, params), *en, "{code} en");
        }
    }

    /// The holes a sentence uses, in order of appearance.
    fn holes_in(text: &str) -> Vec<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name))
            .collect()
    }

    /// Every hole a sentence uses is a [`Hole`] its entry declares, and every declared hole is
    /// used by one of its sentences: a finding that fills its declared holes renders whole.
    #[test]
    fn every_hole_is_declared_and_used() {
        for def in &FINDINGS {
            let texts = [
                def.message.zh,
                def.message.en,
                def.suggestion.zh,
                def.suggestion.en,
            ];
            let mut used = HashSet::new();
            for text in texts {
                for name in holes_in(text) {
                    let hole = Hole::parse(name)
                        .unwrap_or_else(|| panic!("{}: {{{name}}} is no Hole", def.code));
                    assert!(
                        def.holes.contains(&hole),
                        "{}: {{{name}}} not declared",
                        def.code
                    );
                    used.insert(hole);
                }
            }
            for hole in def.holes {
                assert!(
                    used.contains(hole),
                    "{}: {hole} declared, never used",
                    def.code
                );
            }
            // The message names the same values in both languages.
            let zh: HashSet<&str> = holes_in(def.message.zh).into_iter().collect();
            let en: HashSet<&str> = holes_in(def.message.en).into_iter().collect();
            assert_eq!(zh, en, "{}", def.code);
        }
    }

    #[test]
    fn names_read_back_from_their_text() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(code.def().code, code);
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
        }
        assert_eq!(
            Code::TargetPercentOver100.as_str(),
            "target-percent-over-100"
        );
        assert_eq!(Code::Level1Unknown.as_str(), "level1-unknown");
        assert_eq!(Hole::OtherCell.as_str(), "other_cell");
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
    }

    #[test]
    fn severities_and_fix_flags_follow_checks_md() {
        let fixes: Vec<&str> = FINDINGS
            .iter()
            .filter(|d| d.fixes)
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            fixes,
            [
                "label-variant",
                "amount-text",
                "formula-evaluated",
                "level-alias",
                "level2-misplaced",
                "target-symbol",
                "text-punctuation"
            ]
        );
        let sev = |c: &str| Code::parse(c).unwrap().severity();
        assert_eq!(sev("budget-unbalanced"), Error);
        assert_eq!(sev("budget-level-unbalanced"), Warning);
        assert_eq!(sev("task-funds-uncovered"), Info);
        assert_eq!(sev("tasks-empty"), Warning);
        assert_eq!(sev("range-inverted"), Error);
        assert_eq!(sev("department-duplicate"), Warning);
        assert_eq!(sev("target-split-conflict"), Warning);
        // Only target-empty is ever less serious: on 实施周期指标值 (docs/CHECKS.md).
        let lowered: Vec<(&str, Severity)> = FINDINGS
            .iter()
            .filter_map(|d| Some((d.code.as_str(), d.lowered?)))
            .collect();
        assert_eq!(lowered, [("target-empty", Warning)]);
        for d in &FINDINGS {
            assert!(d.lowered.is_none_or(|l| l > d.severity), "{}", d.code);
        }
    }

    #[test]
    fn chinese_messages_use_chinese_punctuation() {
        for def in &FINDINGS {
            for text in [def.message.zh, def.suggestion.zh] {
                // Holes aside, no ASCII quote, comma, semicolon or colon in a Chinese sentence.
                let outside = render(text, &[]);
                let stripped: String = outside
                    .split('{')
                    .map(|p| p.split_once('}').map(|(_, r)| r).unwrap_or(p))
                    .collect();
                for bad in ['"', ',', ';', ':'] {
                    assert!(!stripped.contains(bad), "{}: {bad} in {text}", def.code);
                }
            }
        }
    }

    /// Issue 12: one vocabulary of levels, word for word, in the terminal's counts, the page's
    /// summary, the workbooks' count columns and the `convert` line.
    #[test]
    fn one_vocabulary_of_levels() {
        let words: Vec<(&str, &str)> = Level::ALL
            .iter()
            .map(|l| (l.word().zh, l.word().en))
            .collect();
        assert_eq!(
            words,
            [
                ("错误", "error"),
                ("警告", "warning"),
                ("提示", "note"),
                ("已修正", "corrected")
            ]
        );
        let counts = [
            report::COUNTS.zh,
            report::TOTALS.zh,
            cli::WRITTEN.zh,
            serve::PAGE
                .iter()
                .find(|(k, _)| *k == "summary.line")
                .unwrap()
                .1
                .zh,
        ];
        for sentence in counts {
            let mut at = 0;
            for (level, hole) in
                Level::ALL
                    .iter()
                    .zip(["errors", "warnings", "infos", "corrections"])
            {
                let said = format!("{} {{{hole}}}", level.word().zh);
                let found = sentence[at..].find(&said);
                assert!(found.is_some(), "{sentence}: no {said}");
                at += found.unwrap();
            }
        }
        let headers = [
            write::COUNT_ERRORS,
            write::COUNT_WARNINGS,
            write::COUNT_INFOS,
            write::COUNT_CORRECTIONS,
        ];
        for (level, header) in Level::ALL.iter().zip(headers) {
            assert_eq!(header.zh, level.word().zh);
        }
        assert_eq!(Level::of(Severity::Info, true), Level::Fixed);
        assert_eq!(Level::of(Severity::Error, true), Level::Fixed);
        assert_eq!(Level::of(Severity::Warning, false), Level::Warning);
    }
}
