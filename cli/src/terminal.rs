//! What the CLI prints of content that may be anyone's (records, pending
//! folders, sources, a downloaded base): shown, never obeyed by the terminal.

use std::borrow::Cow;

/// `text` with every control character shown as U+FFFD, but line breaks,
/// tabs and colour (SGR) sequences, which fixtree's reports use: a hostile
/// record cannot move the cursor, clear the screen or retitle the window.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    let kept = |at: usize, c: char| match c {
        '\n' | '\t' => true,
        '\r' => text[at + 1..].starts_with('\n'),
        '\u{1b}' => is_colour(&text[at + 1..]),
        c => !c.is_control(),
    };
    if text.char_indices().all(|(at, c)| kept(at, c)) {
        return Cow::Borrowed(text);
    }
    let shown = text
        .char_indices()
        .map(|(at, c)| if kept(at, c) { c } else { '\u{fffd}' });
    Cow::Owned(shown.collect())
}

/// Whether `rest`, after an escape, is a colour sequence: `[`, digits and
/// `;`, then `m`.
fn is_colour(rest: &str) -> bool {
    let Some(body) = rest.strip_prefix('[') else {
        return false;
    };
    let end = body.find(|c: char| !c.is_ascii_digit() && c != ';');
    end.is_some_and(|end| body[end..].starts_with('m'))
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_show_and_colours_and_line_breaks_stay() {
        assert_eq!(printable("plain\ttext\r\nnext"), "plain\ttext\r\nnext");
        assert_eq!(
            printable("\u{1b}[1;31mred\u{1b}[0m"),
            "\u{1b}[1;31mred\u{1b}[0m"
        );
        assert_eq!(
            printable("a\u{1b}]0;owned\u{7}b\u{1b}[2Jc\rd"),
            "a\u{fffd}]0;owned\u{fffd}b\u{fffd}[2Jc\u{fffd}d"
        );
    }
}
