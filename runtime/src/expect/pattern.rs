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

/// The lines of a redacted pattern, split at '\n': `None` for a line of `...`.
fn pattern_lines(pattern: &str) -> Vec<Option<Line>> {
    (pattern.split('\n'))
        .map(|line| (line != "...").then(|| Line::of(line)))
        .collect()
}

/// The lines of a text, split at '\n', as symbols.
fn text_lines(text: &str, root: &Root) -> Vec<Vec<Sym>> {
    text.split('\n').map(|l| text_symbols(l, root)).collect()
}

/// Whether `text` matches `pattern`, with `[ROOT]` standing for `root`.
pub(crate) fn matches(pattern: &str, text: &str, root: &Root) -> bool {
    let pattern = pattern_lines(&root.redact(pattern));
    let text = text_lines(text, root);
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

/// `text` aligned with `pattern` line by line, as a diff against the
/// pattern shows it: a line that the pattern line facing it matches shows as
/// that pattern line, the lines a `...` spans as the `...`, any other line
/// as it is, with the root as `[ROOT]`. So only real differences remain,
/// and a text the pattern fails never reads as the pattern itself (but
/// where the text holds `[ROOT]`, which the report then explains).
///
/// Greedy, as snapbox's `normalize_to_pattern`, but past a difference too:
/// a line that does not match is a changed, missing or extra line,
/// whichever lets the lines after it match. A `...` spans the lines up to
/// the first that the pattern line after it matches; before the last
/// pattern lines, as many as leave one text line for each of them.
pub(crate) fn normalize(pattern: &str, text: &str, root: &Root) -> String {
    let redacted = root.redact(pattern);
    let shown: Vec<&str> = redacted.split('\n').collect();
    let lines = pattern_lines(&redacted);
    let texts: Vec<&str> = text.split('\n').collect();
    let subjects = text_lines(text, root);
    // Whether pattern line i, not a `...`, matches text line j.
    let fits = |i: usize, j: usize| match (lines.get(i), subjects.get(j)) {
        (Some(Some(line)), Some(subject)) => line.matches(subject),
        _ => false,
    };
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < lines.len() {
        if lines[i].is_none() {
            out.push(Cow::Borrowed(shown[i]));
            i += 1;
            // The pattern lines up to the next `...` or the end.
            let run = lines[i..].iter().take_while(|line| line.is_some()).count();
            j = if i + run == lines.len() {
                j.max(texts.len().saturating_sub(run))
            } else {
                // The first line that the next pattern line matches, else the
                // first that one of the lines after it does, in its place.
                (0..run)
                    .find_map(|d| (j..texts.len()).find(|&at| fits(i + d, at + d)))
                    .unwrap_or(j)
            };
            continue;
        }
        let Some(line) = texts.get(j) else {
            // The text has ended: the pattern line is missing.
            i += 1;
            continue;
        };
        let (next_pattern, next_text) = if fits(i, j) {
            out.push(Cow::Borrowed(shown[i]));
            (1, 1)
        } else if fits(i + 1, j + 1) {
            out.push(root.redact(line));
            (1, 1)
        } else if fits(i + 1, j) {
            (1, 0)
        } else if fits(i, j + 1) {
            out.push(root.redact(line));
            (0, 1)
        } else {
            out.push(root.redact(line));
            (1, 1)
        };
        (i, j) = (i + next_pattern, j + next_text);
    }
    out.extend(texts[j..].iter().map(|line| root.redact(line)));
    out.join("\n")
}

/// Whether `pattern` holds what a glob or a regex means as a wildcard and a
/// pattern or a needle takes as literal text: `*` (but a Markdown bullet or
/// `**bold**`), `.*`, `\d`, `(?`, a line anchored with `^` or `$`.
pub(crate) fn has_foreign_wildcards(pattern: &str) -> bool {
    let glob = pattern.lines().any(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("* ").unwrap_or(line);
        // A run of stars is Markdown's bold, unless a path goes through it.
        let runs = line.split(|c| c != '*').filter(|run| !run.is_empty());
        runs.clone().any(|run| run.len() == 1) || line.contains("**/") || line.contains("/**")
    });
    let regex = [".*", ".+", "\\d", "\\w", "\\s", "(?"];
    glob || regex.iter().any(|syntax| pattern.contains(syntax))
        || (pattern.lines()).any(|line| line.starts_with('^') || line.ends_with('$'))
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
    fn globs_and_regexes_are_told_from_markdown_and_prompts() {
        for foreign in [
            "*.log",
            "src/**/x",
            "built foo*",
            "^start",
            "a.*b",
            "\\d+",
            "(?i)x",
        ] {
            assert!(super::has_foreign_wildcards(foreign), "{foreign}");
        }
        for plain in ["* item", "  * **bold**", "$ cargo test", "a\\b"] {
            assert!(!super::has_foreign_wildcards(plain), "{plain}");
        }
    }

    fn normalize(pattern: &str, text: &str) -> String {
        super::normalize(pattern, text, &Root::default())
    }

    #[test]
    fn normalize_shows_lines_a_pattern_line_matches_as_that_line() {
        let pattern = "name = \"[..]\"\nversion = \"[..]\"\n";
        assert_eq!(
            normalize(pattern, "name = \"x\"\nedition = 1\n"),
            "name = \"[..]\"\nedition = 1\n"
        );
        // A whole-line wildcard takes one line, not the empty one after the last.
        assert_eq!(
            normalize("first\n[..]\nlast\n", "first\nsecond\nLAST\n"),
            "first\n[..]\nLAST\n"
        );
        // A missing line and an extra one show as such, the rest as matched.
        assert_eq!(normalize("a\nb\nc[..]\n", "a\nc1\n"), "a\nc[..]\n");
        assert_eq!(normalize("a\nc[..]\n", "a\nb\nc1\n"), "a\nb\nc[..]\n");
    }

    #[test]
    fn normalize_shows_the_lines_an_ellipsis_spans_as_the_ellipsis() {
        // At the start, and at the end of a pattern with and without a final newline.
        assert_eq!(normalize("...\nend\n", "a\nb\nEND\n"), "...\nEND\n");
        assert_eq!(normalize("start\n...", "START\nx\n\ny\n"), "START\n...");
        assert_eq!(normalize("start\n...\n", "START\nx\n\ny\n"), "START\n...\n");
        // Before the last lines: as many as leave those lines theirs.
        assert_eq!(
            normalize("start\n...\nok\n", "start\n1\n\n2\nfailed\n"),
            "start\n...\nfailed\n"
        );
        // Two: each spans up to the line after it, or where the lines after it fit.
        assert_eq!(
            normalize("a\n...\nmid\n...\nz\n", "a\n1\n2\nmid\n3\nZ\n"),
            "a\n...\nmid\n...\nZ\n"
        );
        assert_eq!(
            normalize("a\n...\nMID\nnext\n...\nz\n", "a\n1\nmid\nnext\n2\nz\n"),
            "a\n...\nmid\nnext\n...\nz\n"
        );
    }

    #[test]
    fn normalize_keeps_each_line_s_terminator() {
        assert_eq!(
            normalize(
                "name = [..]\r\nversion = 1\r\n",
                "name = x\r\nversion = 2\r\n"
            ),
            "name = [..]\r\nversion = 2\r\n"
        );
        // A CRLF pattern's `...\r` is literal, as `matches` reads it.
        assert_eq!(normalize("a\r\n...\r\n", "a\r\nb\r\n"), "a\r\nb\r\n");
        assert_eq!(normalize("a\n", "a"), "a");
        assert_eq!(normalize("a", "a\n"), "a\n");
    }

    /// Every pattern and text of a few lines: a failing pattern never
    /// normalizes to itself, so its diff is never empty.
    #[test]
    fn a_failing_pattern_never_normalizes_to_itself() {
        // Each text of one to four of these lines.
        let all = |lines: &[&str]| -> Vec<String> {
            let n = lines.len();
            (1..=4)
                .flat_map(|k| (0..n.pow(k)).map(move |i| (k, i)))
                .map(|(k, i)| {
                    let picked = (0..k).map(|at| lines[i / n.pow(at) % n]);
                    picked.collect::<Vec<_>>().join("\n")
                })
                .collect()
        };
        let patterns = all(&["a", "b", "", "[..]", "..."]);
        let texts = all(&["a", "b", ""]);
        for pattern in &patterns {
            for text in &texts {
                if !matches(pattern, text) {
                    assert_ne!(
                        &normalize(pattern, text),
                        pattern,
                        "{pattern:?} on {text:?}"
                    );
                }
            }
        }
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
