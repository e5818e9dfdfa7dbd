//! Small text functions shared by the reader, the locator and the normalizer: full-width → half-
//! width mapping, label keys, cleaning of text fields.

/// Map full-width ASCII (U+FF01–U+FF5E) to half-width and the ideographic space to a space.
/// This maps the Chinese comma `，` (U+FF0C) too, so it serves keys and numbers, never text
/// fields; `、` and `。` are not full-width ASCII and stay.
pub fn to_halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The key two labels are compared by (FORM.md §1.3): whitespace and line breaks removed
/// everywhere, full-width ASCII mapped to half-width, a leading `*` and a trailing `:` dropped.
pub fn label_key(s: &str) -> String {
    let half = to_halfwidth(s);
    let mut key: String = half.chars().filter(|c| !c.is_whitespace()).collect();
    while key.starts_with('*') {
        key.remove(0);
    }
    while key.ends_with(':') {
        key.pop();
    }
    key
}

/// A text field as the record keeps it: line breaks as `\n`, spaces at line ends removed,
/// trimmed. Inner line breaks are kept as the file has them.
pub fn clean_text(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth() {
        assert_eq!(to_halfwidth("（万元）：１２％"), "(万元):12%");
        assert_eq!(to_halfwidth("，；、。"), ",;、。");
        assert_eq!(to_halfwidth("a\u{3000}b"), "a b");
    }

    #[test]
    fn label_keys() {
        assert_eq!(label_key(" 部门名称： "), "部门名称");
        assert_eq!(label_key("年度重点\n工作任务"), "年度重点工作任务");
        assert_eq!(label_key("*三级指标"), "三级指标");
        assert_eq!(label_key("预算金额（万元）"), label_key("预算金额(万元)"));
    }

    #[test]
    fn clean() {
        assert_eq!(clean_text("  a\r\nb\rc  "), "a\nb\nc");
        assert_eq!(clean_text("a；  \n　b"), "a；\n　b");
    }
}
