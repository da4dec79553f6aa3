//! `matches(…)` patterns: `[..]` is any run of characters within a line, a
//! line holding only `...` is any number of lines, everything else is literal
//! (the conventions of cargo's and trycmd's snapshot tests).

/// Whether `text` matches `pattern`.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('\n').collect();
    let text: Vec<&str> = text.split('\n').collect();
    // fits[j]: pattern lines i.. match text lines j.., for the current i,
    // filled from the end; `next` holds the row of i + 1.
    let mut next = vec![false; text.len() + 1];
    next[text.len()] = true;
    for line in pattern.iter().rev() {
        let mut fits = vec![false; text.len() + 1];
        for j in (0..=text.len()).rev() {
            fits[j] = if *line == "..." {
                next[j] || (j < text.len() && fits[j + 1])
            } else {
                j < text.len() && line_matches(line, text[j]) && next[j + 1]
            };
        }
        next = fits;
    }
    next[0]
}

/// `text` with each line that some wildcard line of `pattern` matches
/// replaced by that pattern line, so that a diff of the two shows only the
/// lines that really differ.
pub(crate) fn normalize(pattern: &str, text: &str) -> String {
    let wildcards: Vec<&str> = pattern
        .split('\n')
        .filter(|line| line.contains("[..]"))
        .collect();
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| {
            wildcards
                .iter()
                .find(|p| line_matches(p, line))
                .copied()
                .unwrap_or(line)
        })
        .collect();
    lines.join("\n")
}

/// Whether one line matches a pattern line with `[..]` wildcards.
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    // Leftmost matches leave the most room for what follows.
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn literal_text_must_be_equal() {
        assert!(matches("a\nb\n", "a\nb\n"));
        assert!(!matches("a\nb\n", "a\nb"));
        assert!(!matches("a\n", "a\nb\n"));
    }

    #[test]
    fn wildcard_spans_characters_within_one_line() {
        assert!(matches("version = \"[..]\"", "version = \"1.2.3\""));
        assert!(matches("[..]", ""));
        assert!(matches("a[..]b[..]c", "a-b-b-c"));
        assert!(!matches("a[..]c", "a\nc"));
        assert!(!matches("x[..]", "y"));
        assert!(!matches("[..]ab", "b"));
    }

    #[test]
    fn normalize_replaces_lines_a_wildcard_matches() {
        let pattern = "name = \"[..]\"\nversion = \"[..]\"\n";
        assert_eq!(
            super::normalize(pattern, "name = \"x\"\nedition = 1\n"),
            "name = \"[..]\"\nedition = 1\n"
        );
    }

    #[test]
    fn ellipsis_line_spans_any_number_of_lines() {
        assert!(matches("start\n...\nend\n", "start\nend\n"));
        assert!(matches("start\n...\nend\n", "start\n1\n2\nend\n"));
        assert!(matches("...\nend", "a\nb\nend"));
        assert!(matches("start\n...", "start\nanything\n"));
        assert!(!matches("start\n...\nend\n", "start\n1\n"));
    }
}
