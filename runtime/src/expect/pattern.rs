//! `matches(…)` patterns: `[..]` is any run of characters within a line, a
//! line holding only `...` is any number of lines, `[ROOT]` is the directory
//! being compared in any of its spellings ([`Root`]), everything else is
//! literal (the conventions of cargo's and trycmd's snapshot tests). A
//! `contains(…)` needle may hold `[ROOT]` too; `[..]` is literal there.

use std::borrow::Cow;

use super::root::{Root, TOKEN};

/// Whether `text` matches `pattern`, with `[ROOT]` standing for `root`.
pub(crate) fn matches(pattern: &str, text: &str, root: &Root) -> bool {
    let pattern: Vec<&str> = pattern.split('\n').collect();
    let text: Vec<&str> = text.split('\n').collect();
    // fits[j]: pattern lines i.. match text lines j.., for the current i,
    // filled from the end; `next` holds the row of i + 1.
    let mut next = vec![false; text.len() + 1];
    next[text.len()] = true;
    for line in pattern.iter().rev() {
        let tokens = tokens(line, true);
        let mut fits = vec![false; text.len() + 1];
        for j in (0..=text.len()).rev() {
            fits[j] = if *line == "..." {
                next[j] || (j < text.len() && fits[j + 1])
            } else {
                j < text.len() && next[j + 1] && line_matches(&tokens, text[j], root)
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
    !advance(&tokens(needle, false), text, root, Reach::From(0)).is_empty(text)
}

/// `text` as a report shows it against `pattern`: each line that some
/// wildcard line of the pattern matches replaced by that pattern line, so
/// that a diff of the two shows only the lines that really differ; the
/// others with the root shown as `[ROOT]`.
pub(crate) fn normalize(pattern: &str, text: &str, root: &Root) -> String {
    let wildcards: Vec<(&str, Vec<Token<'_>>)> = pattern
        .split('\n')
        .filter(|line| line.contains("[..]") || line.contains(TOKEN))
        .map(|line| (line, tokens(line, true)))
        .collect();
    let lines: Vec<Cow<'_, str>> = text
        .split('\n')
        .map(|line| {
            match wildcards
                .iter()
                .find(|(_, tokens)| line_matches(tokens, line, root))
            {
                Some((pattern, _)) => Cow::Borrowed(*pattern),
                None => root.redact(line),
            }
        })
        .collect();
    lines.join("\n")
}

/// A piece of a pattern line.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Token<'p> {
    Literal(&'p str),
    /// `[..]`.
    Any,
    /// `[ROOT]`.
    Root,
}

/// The pieces of a pattern line; `[..]` is a wildcard only if `wildcards`.
fn tokens(line: &str, wildcards: bool) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = line;
    loop {
        let any = rest.find("[..]").filter(|_| wildcards);
        let root = rest.find(TOKEN);
        let (at, token, len) = match (any, root) {
            (Some(a), Some(r)) if r < a => (r, Token::Root, TOKEN.len()),
            (Some(a), _) => (a, Token::Any, "[..]".len()),
            (None, Some(r)) => (r, Token::Root, TOKEN.len()),
            (None, None) => break,
        };
        if at > 0 {
            tokens.push(Token::Literal(&rest[..at]));
        }
        tokens.push(token);
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        tokens.push(Token::Literal(rest));
    }
    tokens
}

/// Where in a text a match may be, after some of the pattern's tokens:
/// at one of these byte offsets, or anywhere from one on.
#[derive(Debug)]
enum Reach {
    At(Vec<usize>),
    From(usize),
}

impl Reach {
    fn is_empty(&self, text: &str) -> bool {
        match self {
            Reach::At(offsets) => offsets.is_empty(),
            Reach::From(from) => *from > text.len(),
        }
    }
}

/// Whether one line matches a pattern line's tokens.
fn line_matches(tokens: &[Token<'_>], line: &str, root: &Root) -> bool {
    match advance(tokens, line, root, Reach::At(vec![0])) {
        Reach::At(offsets) => offsets.contains(&line.len()),
        Reach::From(from) => from <= line.len(),
    }
}

/// Where the match may be once `tokens` are matched from `start`. Every
/// place a piece can end is kept, not only the first: a spelling of the root
/// and the longer one it starts may both be followed by what comes next.
fn advance(tokens: &[Token<'_>], text: &str, root: &Root, start: Reach) -> Reach {
    let mut reach = start;
    for token in tokens {
        let ends = |piece: &str, reach: &Reach| -> Vec<usize> {
            match reach {
                Reach::At(offsets) => offsets
                    .iter()
                    .filter(|&&at| text[at..].starts_with(piece))
                    .map(|at| at + piece.len())
                    .collect(),
                Reach::From(from) => (*from..=text.len())
                    .filter(|&at| text.is_char_boundary(at) && text[at..].starts_with(piece))
                    .map(|at| at + piece.len())
                    .collect(),
            }
        };
        reach = match token {
            Token::Any => match reach {
                Reach::At(offsets) => match offsets.iter().min() {
                    Some(&first) => Reach::From(first),
                    None => return Reach::At(offsets),
                },
                from => from,
            },
            Token::Literal(piece) => Reach::At(ends(piece, &reach)),
            Token::Root => {
                let mut offsets: Vec<usize> = root
                    .spellings()
                    .flat_map(|spelling| ends(spelling, &reach))
                    .collect();
                offsets.sort_unstable();
                offsets.dedup();
                Reach::At(offsets)
            }
        };
    }
    reach
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
