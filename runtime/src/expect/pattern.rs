//! `matches(…)` patterns: `[..]` is any run of characters within a line, a
//! line holding only `...` is any number of lines, `[ROOT]` is the directory
//! being compared in any of its spellings ([`Root`]), everything else is
//! literal (the conventions of cargo's and trycmd's snapshot tests). A
//! `contains(…)` needle may hold `[ROOT]` too; `[..]` is literal there.

use std::borrow::Cow;

use super::root::{Root, TOKEN};

/// One character of a line, or the root in one of its spellings: a
/// `[ROOT]` that the text holds itself stays six characters, which a
/// pattern can match only with `[..]`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sym {
    Char(char),
    Root,
}

/// `pieces` as symbols, with the root between each two (see [`Root::split`]).
fn symbols(pieces: &[&str]) -> Vec<Sym> {
    let mut symbols = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            symbols.push(Sym::Root);
        }
        symbols.extend(piece.chars().map(Sym::Char));
    }
    symbols
}

/// A line of text as symbols.
fn text_symbols(line: &str, root: &Root) -> Vec<Sym> {
    symbols(&root.split(line))
}

/// A literal run of a pattern, already redacted, as symbols: each `[ROOT]`
/// in it is the root.
fn pattern_symbols(literal: &str) -> Vec<Sym> {
    symbols(&literal.split(TOKEN).collect::<Vec<_>>())
}

/// One line of a redacted pattern: its literal runs, which `[..]` separates.
struct Line(Vec<Vec<Sym>>);

impl Line {
    fn of(pattern: &str) -> Line {
        Line(pattern.split("[..]").map(pattern_symbols).collect())
    }

    /// Whether `line` matches: literal but for `[..]`, any run of symbols.
    fn matches(&self, line: &[Sym]) -> bool {
        let Line(parts) = self;
        let [first, middle @ .., last] = parts.as_slice() else {
            return parts.first().is_some_and(|whole| whole.as_slice() == line);
        };
        let Some(mut rest) = line.strip_prefix(first.as_slice()) else {
            return false;
        };
        // The earliest match of each literal leaves the most room for the rest.
        for part in middle {
            match find(rest, part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        rest.ends_with(last)
    }
}

/// Whether `text` matches `pattern`, with `[ROOT]` standing for `root`.
pub(crate) fn matches(pattern: &str, text: &str, root: &Root) -> bool {
    let pattern = root.redact(pattern);
    // `None` for a line of `...`.
    let pattern: Vec<Option<Line>> = (pattern.split('\n'))
        .map(|line| (line != "...").then(|| Line::of(line)))
        .collect();
    let text: Vec<Vec<Sym>> = text.split('\n').map(|l| text_symbols(l, root)).collect();
    // fits[j]: pattern lines i.. match text lines j.., for the current i,
    // filled from the end; `next` holds the row of i + 1.
    let mut next = vec![false; text.len() + 1];
    next[text.len()] = true;
    for line in pattern.iter().rev() {
        let mut fits = vec![false; text.len() + 1];
        for j in (0..=text.len()).rev() {
            fits[j] = match line {
                None => next[j] || (j < text.len() && fits[j + 1]),
                Some(line) => j < text.len() && next[j + 1] && line.matches(&text[j]),
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
    let needle = pattern_symbols(&root.redact(needle));
    find(&text_symbols(text, root), &needle).is_some()
}

/// `text` with each line that a line of `pattern` holding `[..]` or
/// `[ROOT]` matches replaced by that pattern line, and the root elsewhere
/// as `[ROOT]`: what a diff against the pattern shows, differing only where
/// the pattern fails.
pub(crate) fn normalize(pattern: &str, text: &str, root: &Root) -> String {
    let pattern = root.redact(pattern);
    let wildcards: Vec<(&str, Line)> = (pattern.split('\n'))
        .filter(|line| line.contains("[..]") || line.contains(TOKEN))
        .map(|line| (line, Line::of(line)))
        .collect();
    let lines: Vec<Cow<'_, str>> = text
        .split('\n')
        .map(|line| {
            let subject = text_symbols(line, root);
            match wildcards.iter().find(|(_, wild)| wild.matches(&subject)) {
                Some((wild, _)) => Cow::Borrowed(*wild),
                None => root.redact(line),
            }
        })
        .collect();
    lines.join("\n")
}

/// Where `needle` first occurs in `haystack`, in linear time
/// (Knuth–Morris–Pratt): a pathological pattern must stay fast.
fn find(haystack: &[Sym], needle: &[Sym]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    // border[i]: the length of the longest proper border of needle[..=i].
    let mut border = vec![0; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = border[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        border[i] = k;
    }
    let mut k = 0;
    for (i, sym) in haystack.iter().enumerate() {
        while k > 0 && *sym != needle[k] {
            k = border[k - 1];
        }
        if *sym == needle[k] {
            k += 1;
        }
        if k == needle.len() {
            return Some(i + 1 - k);
        }
    }
    None
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
        assert!(matches("[..]aab[..]", "xaaab"));
        assert!(!matches("[..]abab[..]", "abaab"));
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
        // Nor is it any other text: a pattern's literals see its six characters.
        let lone = "a[..]b[..]..]b[..]c";
        assert!(!super::matches(lone, "a-[ROOT]b-b-c\0a-[ROOT]b-b-c", &root));
        assert!(super::matches("a[..]ROOT]b", "a-[ROOT]b", &root));
        let at = dir.join("x.7Kq").display().to_string();
        assert!(!super::contains("[ROOT]..]", &format!("{at}[ROOT]"), &root));
        assert!(super::contains("[ROOT][ROOT]", &format!("{at}{at}"), &root));
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
