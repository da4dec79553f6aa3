//! Rust source as `cargo fixtree` reads it, tokenized by proc-macro2 with
//! span locations (as cargo-insta reads it with syn): the `{ … }` spec of
//! the `assert_tree!` at a line and column, and the snapshot folders the
//! assertions of a file name.

use std::ops::Range;

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};

/// The most a source file scanned or rewritten may hold.
pub(crate) const SOURCE_LIMIT: u64 = 64 << 20;

/// The `{ … }` given as what the directory should hold in an
/// `assert_tree!` invocation: where it is in the text, and the fingerprint
/// of its tokens (`fixtree_rules::tokens`), as the macro computed it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Byte range of the `{ … }`, braces included.
    pub(crate) range: Range<usize>,
    /// The fingerprint of the tokens between the braces.
    pub(crate) tokens: String,
}

/// The spec of the `assert_tree!` invoked at `line`:`column` (1-based, the
/// column in characters, as `line!()` and `column!()` count).
///
/// ```text
/// fixtree::assert_tree!(dir.path(), { "a" => "x" });
///                                   ^^^^^^^^^^^^^^ this range
/// ```
pub(crate) fn spec_range(text: &str, line: u32, column: u32) -> Result<Spec, String> {
    let at = offset(text, line, column)
        .ok_or_else(|| format!("there is no line {line}, column {column}"))?;
    let stream: TokenStream = text
        .parse()
        .map_err(|e| format!("the file is not Rust that proc-macro2 can tokenize: {e}"))?;
    let levels = levels(stream);
    let call = calls(&levels).find(|(start, _)| start.byte_range().start == at);
    let Some((_, args)) = call else {
        let found: String = text[at..].chars().take(30).collect();
        return Err(format!("no `assert_tree!` starts there (found {found:?})"));
    };
    let args: Vec<TokenTree> = args.stream().into_iter().collect();
    let comma = args
        .iter()
        .position(|t| punct(t, ','))
        .ok_or("the invocation has no `{ … }` spec")?;
    let not_spec = "the invocation compares with a value or a folder, not a `{ … }` spec";
    let spec = match args.get(comma + 1) {
        Some(TokenTree::Group(spec)) if spec.delimiter() == Delimiter::Brace => spec,
        _ => return Err(not_spec.to_owned()),
    };
    Ok(Spec {
        range: spec.span_open().byte_range().start..spec.span_close().byte_range().end,
        tokens: fixtree_rules::tokens::fingerprint(spec.stream()),
    })
}

/// Every `assert_tree!(…)` in `levels`, its path's first token included
/// (`::fixtree::assert_tree![…]`): where it starts, and its arguments.
fn calls(levels: &[Level]) -> impl Iterator<Item = (Span, &Group)> {
    levels.iter().flat_map(|(tokens, _)| {
        let windows = tokens.windows(3).enumerate();
        windows.filter_map(|(i, window)| {
            let [TokenTree::Ident(name), bang, TokenTree::Group(args)] = window else {
                return None;
            };
            let mut start = i;
            while start >= 2 && punct(&tokens[start - 1], ':') && punct(&tokens[start - 2], ':') {
                start -= 2;
                if start > 0 && matches!(tokens[start - 1], TokenTree::Ident(_)) {
                    start -= 1;
                }
            }
            let call = name == "assert_tree" && punct(bang, '!');
            call.then(|| (tokens[start].span(), args))
        })
    })
}

/// What the assertions of a source file name: the `from = "…"` folders of
/// its `assert_tree!`s and the patterns of its `#[cases("…")]`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) folders: Vec<String>,
    pub(crate) case_patterns: Vec<String>,
}

impl Named {
    /// Adds the folders and case patterns the assertions in `text` name; a
    /// file that does not tokenize names none.
    pub(crate) fn add(&mut self, text: &str) {
        let Ok(stream) = text.parse() else {
            return;
        };
        let levels = levels(stream);
        for (_, args) in calls(&levels) {
            let args: Vec<TokenTree> = args.stream().into_iter().collect();
            for (i, key) in args.iter().enumerate() {
                if matches!(key, TokenTree::Ident(key) if key == "from")
                    && args.get(i + 1).is_some_and(|eq| punct(eq, '='))
                {
                    self.folders.extend(args.get(i + 2).and_then(unquote));
                }
            }
        }
        // `cases("…")` in an attribute.
        for (tokens, _) in levels.iter().filter(|(_, attribute)| *attribute) {
            for pair in tokens.windows(2) {
                if let [TokenTree::Ident(name), TokenTree::Group(args)] = pair {
                    if name == "cases" && args.delimiter() == Delimiter::Parenthesis {
                        let first = args.stream().into_iter().next();
                        self.case_patterns.extend(first.as_ref().and_then(unquote));
                    }
                }
            }
        }
    }
}

/// Whether `token` is the punctuation `c`.
fn punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// The tokens of a group, and whether it is an attribute's `#[…]`.
type Level = (Vec<TokenTree>, bool);

/// The tokens of `stream` and of every group in it, a level each.
fn levels(stream: TokenStream) -> Vec<Level> {
    let (mut levels, mut streams) = (Vec::new(), vec![(stream, false)]);
    while let Some((stream, attribute)) = streams.pop() {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token {
                let hash = i > 0 && punct(&tokens[i - 1], '#');
                let attribute = hash && group.delimiter() == Delimiter::Bracket;
                streams.push((group.stream(), attribute));
            }
        }
        levels.push((tokens, attribute));
    }
    levels
}

/// The value of a string literal as written, `"…"` without escapes or a raw
/// `r#"…"#`; `None` for anything else (no folder fixtree wrote needs escapes).
fn unquote(token: &TokenTree) -> Option<String> {
    let TokenTree::Literal(literal) = token else {
        return None;
    };
    let literal = literal.to_string();
    let raw = literal.strip_prefix('r').map(|raw| raw.trim_matches('#'));
    let inner = raw
        .unwrap_or(&literal)
        .strip_prefix('"')?
        .strip_suffix('"')?;
    (raw.is_some() || !inner.contains('\\')).then(|| inner.to_owned())
}

/// `spec` (unindented spec text) as it is to stand at `range` of `text`:
/// every line after the first indented as the line the range starts on,
/// and ended as that line is (CRLF in a file git checked out so).
pub(crate) fn indented(text: &str, range: &Range<usize>, spec: &str) -> String {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or_default();
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let newline = if line.ends_with('\r') { "\r\n" } else { "\n" };
    spec.trim_end().replace('\n', &format!("{newline}{indent}"))
}

/// The byte offset of `line`:`column` (as [`spec_range`] counts them);
/// `None` where there is no such place, a line or column 0 included.
pub(crate) fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let index = line.checked_sub(1)? as usize;
    // Within the line: a column past its end is no place in it.
    let rest = text.split('\n').nth(index)?;
    let line_start: usize = text.split('\n').take(index).map(|l| l.len() + 1).sum();
    let (in_line, _) = rest.char_indices().nth(column.checked_sub(1)? as usize)?;
    Some(line_start + in_line)
}

/// The line and column of the byte offset `offset`: [`offset`] reversed.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let count = |n: usize| u32::try_from(n + 1).unwrap_or(u32::MAX);
    let column = before[line_start..].chars().count();
    (count(before.matches('\n').count()), count(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_at(text: &str, line: u32, column: u32) -> Result<&str, String> {
        spec_range(text, line, column).map(|spec| &text[spec.range])
    }

    #[test]
    fn finds_the_spec_past_literals_comments_and_nested_brackets() {
        let text = "fn t() {\n    let s = \"é\";\n    fixtree::assert_tree!(dirs[0].join(\"}\"), /* { */ {\n        \"a\" => \"}{\",\n        \"b\" => { r#\"}\"\"# => b'}', 'x' => '\\'' },\n        // }\n        \"c\" => br\"}\",\n    }, ignore = [\"*.log\"]);\n}\n";
        assert_eq!(
            spec_at(text, 3, 5).unwrap(),
            "{\n        \"a\" => \"}{\",\n        \"b\" => { r#\"}\"\"# => b'}', 'x' => '\\'' },\n        // }\n        \"c\" => br\"}\",\n    }"
        );
    }

    #[test]
    fn columns_count_characters_and_paths_may_be_short() {
        let text = "/* é */ assert_tree!(d, {})";
        assert_eq!(spec_at(text, 1, 9).unwrap(), "{}");
        let wrong = spec_at(text, 1, 8).unwrap_err();
        assert!(wrong.contains("no `assert_tree!` starts there"), "{wrong}");
        let rooted = "fn f() { ::fixtree::assert_tree!(d, {}) }";
        assert_eq!(spec_at(rooted, 1, 10).unwrap(), "{}");
    }

    #[test]
    fn refuses_other_forms() {
        let from = spec_at("assert_tree!(d, from = \"x\")", 1, 1).unwrap_err();
        assert!(from.contains("not a `{ … }` spec"), "{from}");
        let short = spec_at("assert_tree!(d)", 1, 1).unwrap_err();
        assert!(short.contains("has no `{ … }` spec"), "{short}");
        assert!(
            spec_at("x", 4, 1)
                .unwrap_err()
                .contains("there is no line 4")
        );
        for (line, column) in [(0, 1), (1, 0), (0, 0)] {
            assert!(spec_at("assert_tree!(d, {})", line, column).is_err());
        }
        let unlexable = spec_at("assert_tree!(d, {\"a\" => \"x)", 1, 1).unwrap_err();
        assert!(unlexable.contains("tokenize"), "{unlexable}");
    }

    #[test]
    fn the_fingerprint_is_the_macros() {
        let text = "assert_tree!(d, {\n    \"a\" => \"x\", // note\n})";
        let tokens: TokenStream = "\"a\" => \"x\",".parse().unwrap();
        assert_eq!(
            spec_range(text, 1, 1).unwrap().tokens,
            fixtree_rules::tokens::fingerprint(tokens)
        );
    }

    #[test]
    fn line_column_reverses_offset() {
        let text = "a\n é x\n\nz";
        for (line, column) in [(1, 1), (2, 1), (2, 2), (2, 4), (4, 1)] {
            let at = offset(text, line, column).unwrap();
            assert_eq!(line_column(text, at), (line, column));
        }
        assert_eq!(offset(text, 0, 1), None);
        assert_eq!(offset(text, 1, 2), None, "past the end of line 1");
        assert_eq!(offset(text, 1, 0), None);
    }

    #[test]
    fn indents_like_the_line_it_starts_on() {
        let text = "    assert_tree!(d, {});";
        let range = spec_range(text, 1, 5).unwrap().range;
        assert_eq!(
            indented(text, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\n        \"a\" => \"x\",\n    }"
        );
        let crlf = "\tassert_tree!(d, {});\r\n";
        let range = spec_range(crlf, 1, 2).unwrap().range;
        assert_eq!(
            indented(crlf, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\r\n\t    \"a\" => \"x\",\r\n\t}"
        );
    }

    #[test]
    fn names_the_folders_and_case_patterns_of_assertions() {
        let text = r##"
            #[fixtree::cases("tests/cases/*")]
            fn case(dir: &Path) {}
            fn t() {
                assert_tree!(dir, from = "tests/snap", ignore = ["*.log"]);
                fixtree::assert_tree!(dir, from = r#"tests/raw"#);
                with_tempdir_like!(from = "tests/not_an_assertion");
                assert_tree!(dir, { "from" => "x" });
            }
        "##;
        let mut named = Named::default();
        named.add(text);
        assert_eq!(
            named,
            Named {
                folders: vec!["tests/snap".into(), "tests/raw".into()],
                case_patterns: vec!["tests/cases/*".into()],
            }
        );
    }
}
