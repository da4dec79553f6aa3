//! `matches(…)` patterns: `[..]` is any run of characters within a line, a
//! line holding only `...` is any number of lines, `[ROOT]` is the directory
//! being compared in any of its spellings ([`Root`]), everything else is
//! literal (the conventions of cargo's and trycmd's snapshot tests). A
//! `contains(…)` needle may hold `[ROOT]` too; `[..]` is literal there.

use std::borrow::Cow;

use super::root::{Root, TOKEN};

/// Whether `text` matches `pattern`, with `[ROOT]` standing for `root`.
pub(crate) fn matches(pattern: &str, text: &str, root: &Root) -> bool {
    let (pattern, text) = (root.redact(pattern), root.pattern(text));
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
                j < text.len() && next[j + 1] && line_matches(line, text[j])
            };
        }
        next = fits;
    }
    next[0]
}

/// Whether `text` contains `needle`, with `[ROOT]` standing for `root`.
pub(crate) fn contains(needle: &str, text: &str, root: &Root) -> bool {
    if !needle.contains(TOKEN) {
        return text.contains(needle);
    }
    root.pattern(text).contains(&*root.redact(needle))
}

/// `text` with each line that a line of `pattern` holding `[..]` or
/// `[ROOT]` matches replaced by that pattern line, and the root elsewhere
/// as `[ROOT]`: what a diff against the pattern shows, differing only where
/// the pattern fails.
pub(crate) fn normalize(pattern: &str, text: &str, root: &Root) -> String {
    let pattern = root.redact(pattern);
    let wildcards: Vec<&str> = (pattern.split('\n'))
        .filter(|line| line.contains("[..]") || line.contains(TOKEN))
        .collect();
    let lines: Vec<Cow<'_, str>> = text
        .split('\n')
        .map(|line| {
            let subject = root.pattern(line);
            match wildcards.iter().find(|wild| line_matches(wild, &subject)) {
                Some(wild) => Cow::Borrowed(*wild),
                None => root.redact(line),
            }
        })
        .collect();
    lines.join("\n")
}

/// Whether one line matches one line of a pattern, both with the root as
/// `[ROOT]` (a `[ROOT]` the text holds itself as `[..]`, which no literal
/// `[ROOT]` matches): literal but for `[..]`, any run of characters.
fn line_matches(pattern: &str, line: &str) -> bool {
    let Some((head, last)) = pattern.rsplit_once("[..]") else {
        return line == pattern;
    };
    let mut parts = head.split("[..]");
    let Some(mut rest) = line.strip_prefix(parts.next().unwrap_or_default()) else {
        return false;
    };
    // The earliest match of each literal leaves the most room for the rest.
    for part in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Root;

    fn matches(pattern: &str, text: &str) -> bool {
        super::matches(pattern, text, &Root::default())
    }

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
        assert!(matches("[..]é[..]", "aéb"));
        assert!(!matches("a[..]c", "a\nc"));
        assert!(!matches("x[..]", "y"));
        assert!(!matches("[..]ab", "b"));
        // Literals around a wildcard never overlap, nor share a character.
        assert!(!matches("ab[..]bc", "abc"));
        assert!(!matches("a[..]b[..]b", "a-b"));
        assert!(matches("a[..]b[..]b", "a-bb"));
    }

    #[test]
    fn normalize_replaces_lines_a_wildcard_matches() {
        let pattern = "name = \"[..]\"\nversion = \"[..]\"\n";
        assert_eq!(
            super::normalize(pattern, "name = \"x\"\nedition = 1\n", &Root::default()),
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

    #[test]
    fn root_matches_each_spelling_and_nothing_else() {
        let dir = std::env::temp_dir();
        let root = Root::of(Path::new(&dir).join("x.7Kq").as_path());
        let path = |name: &str| dir.join("x.7Kq").join(name).display().to_string();
        let text = format!("log: {}\n", path("out.txt"));
        assert!(super::matches("log: [ROOT][..]out.txt\n", &text, &root));
        assert!(super::matches(&text, &text, &root));
        assert!(!super::matches("log: [ROOT]\n", &text, &root));
        assert!(!super::matches(
            "log: [ROOT]/out.txt\n",
            "log: /elsewhere/out.txt\n",
            &root
        ));
        assert!(super::contains("[ROOT]", &text, &root));
        assert!(!super::contains("[ROOT]", "log: /elsewhere\n", &root));
        assert!(super::contains("[..]", "a [..] b", &root));
        assert!(!super::contains("[..]", "a b", &root));
        // `[ROOT]` is the directory, never its own text: a placeholder
        // the program left unexpanded does not pass.
        assert!(!super::matches("[ROOT]/a\n", "[ROOT]/a\n", &root));
        assert!(!super::contains("[ROOT]", "[ROOT]/a\n", &root));
        assert!(!super::matches("[ROOT]", "[ROOT]", &Root::default()));
    }

    #[test]
    fn root_may_end_inside_a_word() {
        let dir = std::env::temp_dir().join("no such dir");
        let root = Root::of(&dir);
        let text = format!("x at {}ectory", dir.display());
        assert!(super::matches("x at [ROOT]ectory", &text, &root));
        assert!(super::contains("at [ROOT]e", &text, &root));
    }
}
