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
    /// A check code of the catalogue (CHECKS.md), in its order; serialized as its kebab-case
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
    IndicatorsEmpty = "indicators-empty",
    IndicatorNameEmpty = "indicator-name-empty",
    TargetEmpty = "target-empty",
    AmountText = "amount-text",
    AmountNotNumber = "amount-not-number",
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
    TextPunctuation = "text-punctuation",
    GoalNumbering = "goal-numbering",
    YearMissing = "year-missing",
    DepartmentDuplicate = "department-duplicate",
    SheetTruncated = "sheet-truncated",
    TextTooLong = "text-too-long",
    FileUnreadable = "file-unreadable",
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
    }
}

/// How serious a finding is (RECORDS.md §2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One entry of the finding catalogue (CHECKS.md).
#[derive(Debug, Clone, Copy)]
pub struct FindingDef {
    pub code: Code,
    pub severity: Severity,
    /// Whether the normalizer corrects it (CHECKS.md `fix`).
    pub fixes: bool,
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

impl Code {
    /// The catalogue entry of this code.
    pub fn def(self) -> &'static FindingDef {
        &FINDINGS[self as usize]
    }

    pub fn severity(self) -> Severity {
        self.def().severity
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

/// Every check code, its severity, message and suggestion, in the order of CHECKS.md. The cell
/// is reported beside the message, so a message names values, not its own cell.
const CATALOGUE: [FindingDef; Code::ALL.len()] = [
    // Reading and structure
    FindingDef {
        code: Code::TemplateUnknown,
        severity: Error,
        fixes: false,
        holes: &[Hole::File, Hole::Variant, Hole::Missing],
        message: t!(
            "{file}：不是部门整体预算绩效目标申报表；最接近的模板是“{variant}”，但缺少：{missing}",
            "{file}: not a department budget performance target form; the closest template is \"{variant}\", but it lacks: {missing}"
        ),
        suggestion: t!(
            "请确认提交的是部门整体预算绩效目标申报表",
            "Check that the file is the department budget performance target form"
        ),
    },
    FindingDef {
        code: Code::SectionMissing,
        severity: Error,
        fixes: false,
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
        severity: Info,
        fixes: true,
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
        severity: Info,
        fixes: false,
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
        severity: Error,
        fixes: false,
        holes: &[],
        message: t!("部门名称为空", "The department name (部门名称) is empty"),
        suggestion: t!("请填写部门全称", "Fill in the full name of the department"),
    },
    FindingDef {
        code: Code::GoalEmpty,
        severity: Error,
        fixes: false,
        holes: &[],
        message: t!(
            "总体绩效目标为空",
            "The overall performance goal (总体绩效目标) is empty"
        ),
        suggestion: t!(
            "请填写本年度部门整体绩效目标，并分条列出",
            "Write the department's overall performance goals for the year as numbered items"
        ),
    },
    FindingDef {
        code: Code::TasksEmpty,
        severity: Warning,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        code: Code::IndicatorsEmpty,
        severity: Error,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        severity: Info,
        fixes: true,
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
        severity: Error,
        fixes: false,
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
        code: Code::AmountNegative,
        severity: Error,
        fixes: false,
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
        severity: Error,
        fixes: false,
        holes: &[Hole::Expenditure, Hole::Income, Hole::Difference],
        message: t!(
            "基本支出+项目支出={expenditure}，财政拨款+其他资金={income}，相差{difference}",
            "基本支出 + 项目支出 = {expenditure}, but 财政拨款 + 其他资金 = {income}: a difference of {difference}"
        ),
        suggestion: t!(
            "支出合计应等于收入合计，请核对这四项金额",
            "Total expenditure must equal total income; check the four amounts"
        ),
    },
    FindingDef {
        code: Code::BudgetLevelUnbalanced,
        severity: Warning,
        fixes: false,
        holes: &[Hole::Levels, Hole::Expenditure, Hole::Difference],
        message: t!(
            "本级使用资金+拟用于对下转移支付资金={levels}，基本支出+项目支出={expenditure}，相差{difference}",
            "本级使用资金 + 拟用于对下转移支付资金 = {levels}, but 基本支出 + 项目支出 = {expenditure}: a difference of {difference}"
        ),
        suggestion: t!(
            "按预算级次划分的资金合计应等于支出合计，请核对",
            "The split by budget level should add up to total expenditure; check it"
        ),
    },
    FindingDef {
        code: Code::DevelopmentExceedsProject,
        severity: Warning,
        fixes: false,
        holes: &[Hole::Development, Hole::Project, Hole::Difference],
        message: t!(
            "财政专项资金+其他事业发展性支出={development}，超过项目支出{project}，多出{difference}",
            "财政专项资金 + 其他事业发展性支出 = {development}, more than 项目支出 {project} by {difference}"
        ),
        suggestion: t!(
            "事业发展性支出是项目支出的一部分，合计不应超过项目支出，请核对",
            "Development expenditure is part of project expenditure and should not exceed it; check the amounts"
        ),
    },
    FindingDef {
        code: Code::TaskFundsExceedProject,
        severity: Warning,
        fixes: false,
        holes: &[Hole::Total, Hole::Project, Hole::Difference],
        message: t!(
            "重点工作任务拟投入的资金合计{total}，超过项目支出{project}，多出{difference}",
            "The key tasks' funds add up to {total}, more than 项目支出 {project} by {difference}"
        ),
        suggestion: t!(
            "请核对各项任务拟投入的资金和项目支出",
            "Check the funds of each task and the project expenditure"
        ),
    },
    FindingDef {
        code: Code::TaskFundsUncovered,
        severity: Info,
        fixes: false,
        holes: &[Hole::Total, Hole::Project, Hole::Difference],
        message: t!(
            "重点工作任务拟投入的资金合计{total}，少于项目支出{project}，还有{difference}未列入任务",
            "The key tasks' funds add up to {total}, less than 项目支出 {project}; {difference} is not assigned to any task"
        ),
        suggestion: t!(
            "如还有其他项目支出，请补列相应的重点工作任务",
            "If other project spending exists, list the tasks it pays for"
        ),
    },
    // Indicators
    FindingDef {
        code: Code::LevelAlias,
        severity: Info,
        fixes: true,
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
        severity: Error,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        severity: Warning,
        fixes: true,
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
        severity: Warning,
        fixes: false,
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
        severity: Warning,
        fixes: false,
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
        severity: Info,
        fixes: true,
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
        severity: Warning,
        fixes: false,
        holes: &[Hole::Name, Hole::Column, Hole::Value],
        message: t!(
            "三级指标“{name}”的{column}“{value}”没有计算符号",
            "The target \"{value}\" of indicator \"{name}\" ({column}) has no sign"
        ),
        suggestion: t!(
            "请写明是不低于、不高于还是等于，如“≥{value}”",
            "Say whether it is a minimum, a maximum or an exact value, such as \"≥{value}\""
        ),
    },
    FindingDef {
        code: Code::TargetNoUnit,
        severity: Warning,
        fixes: false,
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
        severity: Warning,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        severity: Error,
        fixes: false,
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
        severity: Warning,
        fixes: false,
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
        severity: Warning,
        fixes: false,
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
        severity: Warning,
        fixes: false,
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
    // Text
    FindingDef {
        code: Code::TextPunctuation,
        severity: Info,
        fixes: true,
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
        severity: Info,
        fixes: false,
        holes: &[Hole::Found, Hole::Expected],
        message: t!(
            "总体绩效目标中的编号“{found}”处应为“{expected}”",
            "In the overall goal, the item numbered \"{found}\" should be \"{expected}\""
        ),
        suggestion: t!(
            "请按 1、2、3…… 的顺序连续编号",
            "Number the items 1, 2, 3, … in order"
        ),
    },
    FindingDef {
        code: Code::YearMissing,
        severity: Info,
        fixes: false,
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
    // Across forms (merge)
    FindingDef {
        code: Code::DepartmentDuplicate,
        severity: Warning,
        fixes: false,
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
    // The tool's own, beyond CHECKS.md: reading is bounded, and a form cut by the bound must
    // not be checked as if it were whole without saying so.
    FindingDef {
        code: Code::SheetTruncated,
        severity: Warning,
        fixes: false,
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
    FindingDef {
        code: Code::TextTooLong,
        severity: Warning,
        fixes: false,
        holes: &[Hole::Label, Hole::Number],
        message: t!(
            "“{label}”的文字有 {number} 字，超过 Excel 单元格的上限 32767 字；写入工作簿时只保留前 32767 字",
            "\"{label}\" holds {number} characters, over Excel's limit of 32767 in a cell; a workbook keeps only the first 32767"
        ),
        suggestion: t!(
            "请精简这段文字，详细内容可另附说明材料",
            "Shorten the text; put the details in a separate document"
        ),
    },
    FindingDef {
        code: Code::FileUnreadable,
        severity: Error,
        fixes: false,
        holes: &[Hole::Error],
        message: t!("{error}", "{error}"),
        suggestion: t!(
            "请按说明处理该文件后重新报送",
            "Deal with the file as the message says and submit it again"
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
    pub const NOT_REGULAR: Text = t!(
        "{file}：不是普通文件（是设备、管道或套接字），没有读取",
        "{file}: not a regular file (a device, a pipe or a socket); not read"
    );
    pub const TOO_LARGE: Text = t!(
        "{file}：文件过大（{mb} MB），不像是一份申报表",
        "{file}: the file is too large ({mb} MB) to be a form"
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
        "{file}：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件（技术信息：{detail}）",
        "{file}: the file is damaged or incomplete. Export it again or ask the sender for a complete copy (technical detail: {detail})"
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

/// Sentences of the command line itself.
pub mod cli {
    use super::Text;

    pub const SEVERAL_NEED_DIR: Text = t!(
        "多份申报表只能输出为一个 .json 文件，或输出到一个文件夹（-o 文件夹名）",
        "several forms can only be written to one .json file or to a folder (-o DIR)"
    );
    pub const CANNOT_CREATE_DIR: Text = t!(
        "无法创建输出文件夹 {dir}：{detail}",
        "cannot create the output folder {dir}: {detail}"
    );
    pub const NO_INPUTS: Text = t!("没有找到任何输入文件", "no input files found");
    pub const MERGED: Text = t!(
        "已汇总 {n} 份：通过 {pass}，需修改 {fix}，无法读取 {unreadable} → {file}",
        "{n} merged: {pass} pass, {fix} to fix, {unreadable} unreadable → {file}"
    );
    pub const UNKNOWN_OUTPUT: Text = t!(
        "{file}：不能输出为这种文件。输出文件须为 .json、.xlsx 或 .csv，或一个文件夹",
        "{file}: cannot write this kind of file. The output must be a .json, .xlsx or .csv file, or a folder"
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
    pub const STDOUT_FAILED: Text = t!(
        "无法写入标准输出（{detail}），输出不完整",
        "cannot write to standard output ({detail}); the output is incomplete"
    );
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
    pub const CRASH: Text = t!(
        "{file}：读取此文件的进程意外终止（{detail}），文件可能已损坏。请把这个文件反馈给 jixiao 的维护人员",
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
        "无法启动读取文件的子进程（{detail}），改为在本进程内读取",
        "cannot start the processes that read the files ({detail}); reading them in this process instead"
    );
}

/// Words of the check report for a person (`report::to_text`).
pub mod report {
    use super::Text;

    pub const ERROR: Text = t!("错误", "error");
    pub const WARNING: Text = t!("警告", "warning");
    pub const INFO: Text = t!("提示", "info");
    pub const TEMPLATE: Text = t!("模板 {template}", "template {template}");
    pub const COUNTS: Text = t!(
        "错误 {errors}，警告 {warnings}，提示 {infos}，修正 {changes}",
        "errors {errors}, warnings {warnings}, infos {infos}, corrections {changes}"
    );
    /// An input that gave no form: its error already names the file.
    pub const UNREADABLE: Text = t!("{error}", "{error}");
    /// The `file-unreadable` error of a workbook that holds no form.
    pub const NO_FORM: Text = t!(
        "{file}：文件中没有找到部门整体预算绩效目标申报表",
        "{file}: the file holds no department budget performance target form"
    );
    pub const NO_FINDINGS: Text = t!("未发现问题", "no problems found");
    /// Where a finding has no cell.
    pub const NO_CELL: Text = t!("—", "-");
    /// The form's title where a finding names it as a field: like every label a finding
    /// names, the form's own Chinese word in either language.
    pub const TITLE_LABEL: &str = "标题";
    pub const TOTALS: Text = t!(
        "合计：文件 {files} 个，其中 {unreadable} 个无法读取；已读取的申报表中错误 {errors}，警告 {warnings}，提示 {infos}，修正 {changes}",
        "Total: {files} files, {unreadable} of them unreadable; in the forms read: errors {errors}, warnings {warnings}, infos {infos}, corrections {changes}"
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

    /// The sheets of the `merge` workbook besides 汇总, 校验结果 and 修改记录.
    pub const SHEET_INDICATORS: &str = "指标明细";
    pub const SHEET_TASKS: &str = "重点任务";

    /// Columns of the `merge` 汇总: one row per input.
    pub const MERGE_SUMMARY_HEADER: [&str; 21] = [
        "序号",
        "文件",
        "部门名称",
        "模板",
        "年度",
        "基本支出",
        "项目支出",
        "支出合计",
        "财政拨款",
        "其他资金",
        "收入合计",
        "是否平衡",
        "重点任务数",
        "任务资金合计",
        "指标数",
        "产出",
        "效益",
        "满意度",
        "错误",
        "警告",
        "状态",
    ];
    /// The label of the totals row of the `merge` 汇总.
    pub const TOTAL: &str = "合计";
    /// Columns of the `merge` 重点任务.
    pub const TASKS_HEADER: [&str; 5] = [
        "部门",
        "名称",
        "主要实施内容",
        "拟投入的资金（万元）",
        "期望达到的目标（概述）",
    ];
    /// Columns of the `merge` 校验结果.
    pub const MERGE_FINDINGS_HEADER: [&str; 8] = [
        "文件", "部门", "级别", "代码", "位置", "字段", "说明", "建议",
    ];
    /// Columns of the `merge` 修改记录.
    pub const MERGE_CHANGES_HEADER: [&str; 7] =
        ["文件", "部门", "位置", "字段", "原值", "新值", "规则"];

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
    pub const ERR_NO_SPACE: Text = t!(
        "{file}：磁盘空间不足或超出文件大小限制，未能写入，原有文件没有改动（{detail}）",
        "{file}: the disk is full or a file size limit was reached; nothing was written and any existing file is unchanged ({detail})"
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
            assert!(def
                .code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
        }
    }

    /// Every code of CHECKS.md, in its order. A new code there must be added here and to
    /// [`FINDINGS`]; a code here that the catalogue lacks fails the test.
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
        "text-punctuation",
        "goal-numbering",
        "year-missing",
        "department-duplicate",
        "file-unreadable",
    ];

    /// Codes of the tool's own, beyond CHECKS.md.
    const OWN_CODES: &[&str] = &["sheet-truncated", "text-too-long"];

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
        ("template-unknown", &[("file", "a.xlsx"), ("variant", "部门整体预算绩效目标申报表（区级，六列）"), ("missing", "部门名称、绩效指标")],
            "a.xlsx：不是部门整体预算绩效目标申报表；最接近的模板是“部门整体预算绩效目标申报表（区级，六列）”，但缺少：部门名称、绩效指标",
            "a.xlsx: not a department budget performance target form; the closest template is \"部门整体预算绩效目标申报表（区级，六列）\", but it lacks: 部门名称、绩效指标"),
        ("section-missing", &[("label", "总体绩效目标")],
            "表中找不到“总体绩效目标”",
            "The form has no \"总体绩效目标\""),
        ("label-variant", &[("before", "部门(单位)名称"), ("after", "部门名称")],
            "标签写作“部门(单位)名称”，已按标准标签“部门名称”识别",
            "The label is written \"部门(单位)名称\"; it was read as the standard label \"部门名称\""),
        ("column-extra", &[("header", "备注")],
            "表格中有模板没有的列“备注”，其内容未读入记录，已保留在修改记录中",
            "The table has a column the template does not know, \"备注\"; its values are kept in the change log, not in the record"),
        ("department-empty", &[],
            "部门名称为空",
            "The department name (部门名称) is empty"),
        ("goal-empty", &[],
            "总体绩效目标为空",
            "The overall performance goal (总体绩效目标) is empty"),
        ("tasks-empty", &[],
            "年度重点工作任务一项也没有填写",
            "No annual key task (年度重点工作任务) is filled in"),
        ("task-name-empty", &[("number", "2"), ("content", "设备购置")],
            "第2项重点工作任务缺少名称（该行内容：“设备购置”）",
            "Key task 2 has no name (the row reads \"设备购置\")"),
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
        ("amount-negative", &[("label", "财政专项资金"), ("value", "-5.00")],
            "“财政专项资金”为“-5.00”，金额不能为负数",
            "\"财政专项资金\" is \"-5.00\"; an amount cannot be negative"),
        ("budget-unbalanced", &[("expenditure", "500.00"), ("income", "490.00"), ("difference", "10.00")],
            "基本支出+项目支出=500.00，财政拨款+其他资金=490.00，相差10.00",
            "基本支出 + 项目支出 = 500.00, but 财政拨款 + 其他资金 = 490.00: a difference of 10.00"),
        ("budget-level-unbalanced", &[("levels", "450.00"), ("expenditure", "500.00"), ("difference", "50.00")],
            "本级使用资金+拟用于对下转移支付资金=450.00，基本支出+项目支出=500.00，相差50.00",
            "本级使用资金 + 拟用于对下转移支付资金 = 450.00, but 基本支出 + 项目支出 = 500.00: a difference of 50.00"),
        ("development-exceeds-project", &[("development", "55.00"), ("project", "50.00"), ("difference", "5.00")],
            "财政专项资金+其他事业发展性支出=55.00，超过项目支出50.00，多出5.00",
            "财政专项资金 + 其他事业发展性支出 = 55.00, more than 项目支出 50.00 by 5.00"),
        ("task-funds-exceed-project", &[("total", "230.00"), ("project", "200.00"), ("difference", "30.00")],
            "重点工作任务拟投入的资金合计230.00，超过项目支出200.00，多出30.00",
            "The key tasks' funds add up to 230.00, more than 项目支出 200.00 by 30.00"),
        ("task-funds-uncovered", &[("total", "373.32"), ("project", "485.96"), ("difference", "112.64")],
            "重点工作任务拟投入的资金合计373.32，少于项目支出485.96，还有112.64未列入任务",
            "The key tasks' funds add up to 373.32, less than 项目支出 485.96; 112.64 is not assigned to any task"),
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
        ("target-no-operator", &[("name", "招商项目投资总额"), ("column", "年度指标值"), ("value", "30亿元")],
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
        ("text-punctuation", &[("before", "完成相关申报材料，，做好宣传"), ("after", "完成相关申报材料，做好宣传")],
            "“完成相关申报材料，，做好宣传”中有多余的标点或空白，应为“完成相关申报材料，做好宣传”",
            "\"完成相关申报材料，，做好宣传\" has a doubled punctuation mark or stray spaces; it should read \"完成相关申报材料，做好宣传\""),
        ("goal-numbering", &[("found", "1.1."), ("expected", "1.")],
            "总体绩效目标中的编号“1.1.”处应为“1.”",
            "In the overall goal, the item numbered \"1.1.\" should be \"1.\""),
        ("year-missing", &[("title", "部门整体预算绩效目标申报表")],
            "标题“部门整体预算绩效目标申报表”中没有写明预算年度",
            "The title \"部门整体预算绩效目标申报表\" names no budget year"),
        ("department-duplicate", &[("department", "示例局"), ("other_file", "b.xlsx")],
            "部门“示例局”也出现在 b.xlsx 中",
            "The department \"示例局\" also appears in b.xlsx"),
        ("sheet-truncated", &[("sheet", "Sheet1"), ("rows", "5000"), ("cols", "64")],
            "工作表“Sheet1”在第 5000 行或第 64 列之外还有内容，这部分没有读取",
            "The sheet \"Sheet1\" has content beyond row 5000 or column 64; that part was not read"),
        ("text-too-long", &[("label", "部门名称"), ("number", "40000")],
            "“部门名称”的文字有 40000 字，超过 Excel 单元格的上限 32767 字；写入工作簿时只保留前 32767 字",
            "\"部门名称\" holds 40000 characters, over Excel's limit of 32767 in a cell; a workbook keeps only the first 32767"),
        ("file-unreadable", &[("error", "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件")],
            "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件",
            "bad.xls：文件已损坏或不完整（zip 结尾缺失），无法读取。请重新导出或向报送单位索取完整文件"),
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
}
