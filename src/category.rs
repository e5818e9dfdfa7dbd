//! The indicator categories (docs/FORM.md §3): 一级指标, the 二级指标 each allows, and the aliases
//! seen in real forms. Used by the normalizer (aliases, misplaced 二级指标) and the checker
//! (unknown categories, missing ones).

use crate::text::label_key;

/// 一级指标 and the 二级指标 it allows, in framework order.
pub const FRAMEWORK: &[(&str, &[&str])] = &[
    (
        "产出指标",
        &["数量指标", "质量指标", "时效指标", "成本指标"],
    ),
    (
        "效益指标",
        &[
            "经济效益指标",
            "社会效益指标",
            "生态效益指标",
            "可持续影响指标",
        ],
    ),
    ("满意度指标", &["服务对象满意度指标"]),
    // The newer framework (财预〔2021〕101号) makes cost a first-level category.
    (
        "成本指标",
        &["经济成本指标", "社会成本指标", "生态环境成本指标"],
    ),
];

/// The 一级指标 of satisfaction, which `satisfaction-low` looks at.
pub const SATISFACTION: &str = "满意度指标";

/// The 一级指标 every form should cover (中发〔2018〕34号).
pub const REQUIRED_LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标"];

/// 二级 names written other than canonically, beyond "without the trailing 指标".
const LEVEL2_ALIASES: &[(&str, &str)] = &[
    ("环境效益指标", "生态效益指标"),
    ("环境效益", "生态效益指标"),
    ("满意度指标", "服务对象满意度指标"),
    ("满意度", "服务对象满意度指标"),
    ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
    ("社会公众或服务对象满意度", "服务对象满意度指标"),
    ("服务对象满意度", "服务对象满意度指标"),
];

/// How a category name was recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canonical {
    pub name: &'static str,
    /// True when written through an alias (`数量` for `数量指标`); false for the canonical name,
    /// even with stray spaces or full-width brackets.
    pub aliased: bool,
}

fn lookup(
    text: &str,
    names: impl Iterator<Item = &'static str>,
    aliases: &[(&str, &'static str)],
) -> Option<Canonical> {
    let key = label_key(text);
    if key.is_empty() {
        return None;
    }
    let names: Vec<&'static str> = names.collect();
    match lookup_key(&key, &names, aliases) {
        Some(found) => Some(found),
        // A score written after the category (`成本指标(0-20)分`, `产出指标（50分）`): the
        // category, written other than canonically.
        None => lookup_key(without_score(&key)?, &names, aliases)
            .map(|c| Canonical { aliased: true, ..c }),
    }
}

/// A category key without the score a form writes after it: `成本指标(0-20)分` → `成本指标`,
/// `产出指标(50分)` → `产出指标`; `None` when it has none.
fn without_score(key: &str) -> Option<&str> {
    let inner = key.strip_suffix('分').unwrap_or(key);
    let inner = inner.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let note = inner[open + 1..]
        .strip_suffix('分')
        .unwrap_or(&inner[open + 1..]);
    let score = !note.is_empty()
        && note
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '~' | '.' | '—'));
    (score && open > 0).then(|| &key[..open])
}

fn lookup_key(
    key: &str,
    names: &[&'static str],
    aliases: &[(&str, &'static str)],
) -> Option<Canonical> {
    let key = key.to_string();
    if let Some(&n) = names.iter().find(|n| **n == key) {
        return Some(Canonical {
            name: n,
            aliased: false,
        });
    }
    if let Some(&n) = names
        .iter()
        .find(|n| n.strip_suffix("指标") == Some(key.as_str()))
    {
        return Some(Canonical {
            name: n,
            aliased: true,
        });
    }
    aliases
        .iter()
        .find(|(alias, _)| *alias == key)
        .map(|(_, n)| Canonical {
            name: n,
            aliased: true,
        })
}

/// The canonical 一级指标 a text stands for.
pub fn level1(text: &str) -> Option<Canonical> {
    lookup(text, FRAMEWORK.iter().map(|(l1, _)| *l1), &[])
}

/// The canonical 二级指标 a text stands for.
pub fn level2(text: &str) -> Option<Canonical> {
    lookup(
        text,
        FRAMEWORK.iter().flat_map(|(_, l2)| l2.iter().copied()),
        LEVEL2_ALIASES,
    )
}

/// Whether a canonical 一级指标 allows a canonical 二级指标.
pub fn allows(level1: &str, level2: &str) -> bool {
    allowed(level1).contains(&level2)
}

/// The 二级指标 a canonical 一级指标 allows (none for an unknown one).
pub fn allowed(level1: &str) -> &'static [&'static str] {
    FRAMEWORK
        .iter()
        .find(|(l1, _)| *l1 == level1)
        .map(|(_, l2s)| *l2s)
        .unwrap_or(&[])
}

/// Every 一级指标, in framework order.
pub fn level1_names() -> Vec<&'static str> {
    FRAMEWORK.iter().map(|(l1, _)| *l1).collect()
}

/// Every 二级指标, in framework order.
pub fn level2_names() -> Vec<&'static str> {
    FRAMEWORK
        .iter()
        .flat_map(|(_, l2s)| l2s.iter().copied())
        .collect()
}

/// The 一级指标 that allows a canonical 二级指标.
pub fn parent(level2: &str) -> Option<&'static str> {
    FRAMEWORK
        .iter()
        .find(|(_, l2s)| l2s.contains(&level2))
        .map(|(l1, _)| *l1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_and_aliases() {
        assert_eq!(
            level1("产出指标"),
            Some(Canonical {
                name: "产出指标",
                aliased: false
            })
        );
        assert_eq!(
            level1("产出"),
            Some(Canonical {
                name: "产出指标",
                aliased: true
            })
        );
        assert_eq!(level1("过程指标"), None);
        assert_eq!(
            level2("数量"),
            Some(Canonical {
                name: "数量指标",
                aliased: true
            })
        );
        assert_eq!(level2("环境效益指标").unwrap().name, "生态效益指标");
        assert_eq!(
            level2("社会公众或服务对象满意度指标").unwrap().name,
            "服务对象满意度指标"
        );
        assert_eq!(
            level2(" 质量指标 "),
            Some(Canonical {
                name: "质量指标",
                aliased: false
            })
        );
        assert_eq!(level2("效果指标"), None);
    }

    #[test]
    fn parents() {
        assert!(allows("产出指标", "数量指标"));
        assert!(!allows("产出指标", "社会效益指标"));
        assert_eq!(parent("社会效益指标"), Some("效益指标"));
        // 成本指标 is a 二级 under 产出指标 and a 一级 of the newer framework: both are known.
        assert!(level1("成本指标").is_some() && level2("成本指标").is_some());
    }

    /// A score after a category is no part of its name (issue 24 item 7).
    #[test]
    fn a_score_after_a_category_is_left_out() {
        for (text, name) in [
            ("成本指标(0-20)分", "成本指标"),
            ("产出指标（50分）", "产出指标"),
            ("数量指标(10)", "数量指标"),
        ] {
            let found = level1(text).or_else(|| level2(text));
            assert_eq!(
                found,
                Some(Canonical {
                    name,
                    aliased: true
                }),
                "{text}"
            );
        }
        assert_eq!(level2("质量指标(合格率)"), None);
        assert_eq!(without_score("(20)分"), None);
    }
}
