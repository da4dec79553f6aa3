//! Line endings in snapshot folders, and what counts as text.
//!
//! Git on Windows checks text files out with CRLF line endings by default
//! (`core.autocrlf`), so a snapshot folder committed with LF holds CRLF there
//! and a test writing LF would differ on every line — and the other way
//! round. Comparing with a snapshot folder therefore takes CRLF and LF as the
//! same in text files. Binary files are bytes, and an expectation written in
//! the test itself says exactly what it means: both compare byte for byte.

use std::borrow::Cow;

/// How the line endings of an expected file are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEndings {
    /// CRLF and LF are the same where both files are text.
    Any,
    /// Byte for byte.
    Exact,
}

/// `bytes` as text, if they are text: UTF-8 without NUL bytes. The one rule
/// for what is text, so that what compares as text also shows as a diff.
pub(crate) fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
}

/// `text` with each CRLF as LF.
pub(crate) fn to_lf(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The line endings `text` uses, for a message; `None` if it has no line break.
pub(crate) fn kind(text: &str) -> Option<&'static str> {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    match (crlf, lf) {
        (0, 0) => None,
        (_, 0) => Some("CRLF"),
        (0, _) => Some("LF"),
        _ => Some("mixed CRLF and LF"),
    }
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn kinds() {
        assert_eq!(kind("a\r\nb\r\n"), Some("CRLF"));
        assert_eq!(kind("a\nb"), Some("LF"));
        assert_eq!(kind("a\r\nb\n"), Some("mixed CRLF and LF"));
        assert_eq!(kind("a"), None);
    }
}
