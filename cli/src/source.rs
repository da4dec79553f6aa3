//! Finding the `{ … }` spec of an `assert_tree!` invocation in Rust source,
//! by its line and column: a scan that knows just enough of Rust's lexical
//! rules (string, raw string, byte and character literals, comments) to
//! match brackets.

use std::ops::Range;

/// The byte range of the `{ … }` given as what the directory should hold
/// in the `assert_tree!` invoked at `line`:`column` (1-based, the column in
/// characters, as `line!()` and `column!()` count).
///
/// ```text
/// fixtree::assert_tree!(dir.path(), { "a" => "x" });
///                                   ^^^^^^^^^^^^^^ this range
/// ```
pub(crate) fn spec_range(text: &str, line: u32, column: u32) -> Result<Range<usize>, String> {
    let start = offset(text, line, column)
        .ok_or_else(|| format!("there is no line {line}, column {column}"))?;
    let bytes = text.as_bytes();
    // The macro's path, e.g. `fixtree::assert_tree`, then `!`.
    let mut i = start;
    while i < bytes.len() && (is_ident(bytes[i]) || bytes[i] == b':') {
        i += 1;
    }
    let path = &text[start..i];
    if !(path == "assert_tree" || path.ends_with("::assert_tree")) {
        return Err(format!(
            "no `assert_tree!` starts there (found {:?})",
            excerpt(&text[start..])
        ));
    }
    i = skip_trivia(bytes, i);
    if bytes.get(i) != Some(&b'!') {
        return Err("expected `!` after `assert_tree`".to_owned());
    }
    i = skip_trivia(bytes, i + 1);
    if !matches!(bytes.get(i), Some(b'(' | b'[' | b'{')) {
        return Err("expected `(` after `assert_tree!`".to_owned());
    }
    // The directory expression, up to the `,` at the top level.
    let mut depth = 0usize;
    i += 1;
    loop {
        i = skip_trivia(bytes, i);
        match bytes.get(i) {
            None => return Err("the invocation is not closed".to_owned()),
            Some(b'(' | b'[' | b'{') => depth += 1,
            Some(b')' | b']' | b'}') if depth == 0 => {
                return Err("the invocation has no `{ … }` spec".to_owned());
            }
            Some(b')' | b']' | b'}') => depth -= 1,
            Some(b',') if depth == 0 => break,
            Some(_) => {}
        }
        i = skip_token(bytes, i);
    }
    let open = skip_trivia(bytes, i + 1);
    if bytes.get(open) != Some(&b'{') {
        return Err(
            "the invocation compares with a value or a folder, not a `{ … }` spec".to_owned(),
        );
    }
    let mut depth = 0usize;
    let mut i = open;
    loop {
        i = skip_trivia(bytes, i);
        match bytes.get(i) {
            None => return Err("the spec's `{` is not closed".to_owned()),
            Some(b'(' | b'[' | b'{') => depth += 1,
            Some(b')' | b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(open..i + 1);
                }
            }
            Some(_) => {}
        }
        i = skip_token(bytes, i);
    }
}

/// `spec` (unindented spec text) as it is to stand at `range` of `text`:
/// every line after the first indented as the line the range starts on,
/// and ended as that line is (CRLF in a file git checked out so).
pub(crate) fn indented(text: &str, range: &Range<usize>, spec: &str) -> String {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let line_end = text[line_start..].find('\n').map(|i| line_start + i);
    let newline = match line_end {
        Some(end) if end > 0 && text.as_bytes()[end - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    spec.trim_end().replace('\n', &format!("{newline}{indent}"))
}

/// The byte offset of `line`:`column` (as [`spec_range`] counts them).
pub(crate) fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(column.checked_sub(1)? as usize)
        .map(|(i, _)| i)?;
    Some(line_start + in_line)
}

/// The line and column of the byte offset `offset`: [`offset`] reversed.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Past whitespace and comments from `i`.
fn skip_trivia(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b), _) if b.is_ascii_whitespace() => i += 1,
            (Some(b'/'), Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            (Some(b'/'), Some(b'*')) => {
                let mut depth = 0;
                while i < bytes.len() {
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            _ => return i,
        }
    }
}

/// Past the token at `i`: a whole literal, or one byte of anything else
/// (brackets are counted by the caller).
fn skip_token(bytes: &[u8], i: usize) -> usize {
    let after_ident = i > 0 && is_ident(bytes[i - 1]);
    let mut j = i;
    // Literal prefixes: b"…", c"…", r"…", br#"…"#, cr"…".
    if !after_ident {
        if matches!(bytes.get(j), Some(b'b' | b'c'))
            && matches!(bytes.get(j + 1), Some(b'"' | b'r' | b'\''))
        {
            j += 1;
        }
        if bytes.get(j) == Some(&b'r') {
            let hashes = bytes[j + 1..].iter().take_while(|b| **b == b'#').count();
            if bytes.get(j + 1 + hashes) == Some(&b'"') {
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let body = j + 2 + hashes;
                return bytes[body..]
                    .windows(close.len())
                    .position(|window| window == close.as_slice())
                    .map_or(bytes.len(), |end| body + end + close.len());
            }
            return i + 1;
        }
    }
    match bytes.get(j) {
        Some(b'"') => quoted(bytes, j),
        Some(b'\'') => {
            // A character literal, or a lifetime or label (no closing quote).
            let close = if bytes.get(j + 1) == Some(&b'\\') {
                // Past the escaped character, which may be a quote itself.
                let from = (j + 3).min(bytes.len());
                bytes[from..]
                    .iter()
                    .position(|b| *b == b'\'')
                    .map(|p| from + p)
            } else {
                let width = std::str::from_utf8(&bytes[j + 1..(j + 5).min(bytes.len())])
                    .or_else(|e| std::str::from_utf8(&bytes[j + 1..j + 1 + e.valid_up_to()]))
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                (bytes.get(j + 1 + width) == Some(&b'\'')).then_some(j + 1 + width)
            };
            close.map_or(j + 1, |close| close + 1)
        }
        _ => i + 1,
    }
}

/// Past a string literal starting at `i`, escapes skipped.
fn quoted(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The start of `text`, for a message.
fn excerpt(text: &str) -> String {
    text.chars().take(30).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_at(text: &str, line: u32, column: u32) -> Result<&str, String> {
        spec_range(text, line, column).map(|range| &text[range])
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
    }

    #[test]
    fn line_column_reverses_offset() {
        let text = "a\n é x\n\nz";
        for (line, column) in [(1, 1), (2, 1), (2, 2), (2, 4), (4, 1)] {
            let at = offset(text, line, column).unwrap();
            assert_eq!(line_column(text, at), (line, column));
        }
    }

    #[test]
    fn indents_like_the_line_it_starts_on() {
        let text = "    assert_tree!(d, {});";
        let range = spec_range(text, 1, 5).unwrap();
        assert_eq!(
            indented(text, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\n        \"a\" => \"x\",\n    }"
        );
        let crlf = "\tassert_tree!(d, {});\r\n";
        let range = spec_range(crlf, 1, 2).unwrap();
        assert_eq!(
            indented(crlf, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\r\n\t    \"a\" => \"x\",\r\n\t}"
        );
    }
}
