//! The key rules, checked at compile time on the key's span.
//!
//! A copy of `fixtree-runtime`'s `tree/key.rs` (rules and wording): this crate
//! must not depend on the runtime. Keep the two in step; the tests below list
//! the same cases as the runtime's.

use std::fmt;

/// Why a key was refused; `Display` names the key, the rule and the fix, in
/// the words of the runtime's `KeyError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyError {
    Empty,
    Absolute(String),
    EmptySegment(String),
    DotSegment(String),
    Nul(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str(
                "empty key: a key names a file or directory relative to the root; write its name, e.g. \"a.txt\"",
            ),
            KeyError::Absolute(key) => write!(
                f,
                "absolute key {key:?}: keys are relative to the root; drop the leading '/'"
            ),
            KeyError::EmptySegment(key) => write!(
                f,
                "key {key:?} has an empty segment: remove the doubled or trailing '/'"
            ),
            KeyError::DotSegment(key) => write!(
                f,
                "key {key:?} has a '.' or '..' segment: name the path directly, without '.' or '..', so it stays inside the root"
            ),
            KeyError::Nul(key) => write!(f, "key {key:?} holds a NUL byte, which no file name can"),
        }
    }
}

/// Splits a key into its `/`-separated segments, or says which rule it breaks.
pub(crate) fn segments(key: &str) -> Result<Vec<&str>, KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    if key.contains('\0') {
        return Err(KeyError::Nul(key.to_owned()));
    }
    if key.starts_with('/') {
        return Err(KeyError::Absolute(key.to_owned()));
    }
    let parts: Vec<&str> = key.split('/').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(KeyError::EmptySegment(key.to_owned()));
    }
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err(KeyError::DotSegment(key.to_owned()));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_relative_paths() {
        let ok: &[(&str, &[&str])] = &[
            ("a", &["a"]),
            ("a.txt", &["a.txt"]),
            ("a/b/c.rs", &["a", "b", "c.rs"]),
            (".hidden", &[".hidden"]),
            ("...", &["..."]),
            ("a..b", &["a..b"]),
            ("..a/b.", &["..a", "b."]),
            (" ", &[" "]),
            ("dir with space/é.txt", &["dir with space", "é.txt"]),
            ("back\\slash", &["back\\slash"]),
        ];
        for (key, parts) in ok {
            assert_eq!(segments(key).as_deref(), Ok(*parts), "{key:?}");
        }
    }

    #[test]
    fn refuses_each_rule() {
        use KeyError::*;
        let bad = [
            ("", Empty),
            ("/", Absolute("/".into())),
            ("/a", Absolute("/a".into())),
            ("/etc/passwd", Absolute("/etc/passwd".into())),
            ("a//b", EmptySegment("a//b".into())),
            ("a/", EmptySegment("a/".into())),
            ("a/b/", EmptySegment("a/b/".into())),
            (".", DotSegment(".".into())),
            ("..", DotSegment("..".into())),
            ("./a", DotSegment("./a".into())),
            ("a/.", DotSegment("a/.".into())),
            ("a/./b", DotSegment("a/./b".into())),
            ("../a", DotSegment("../a".into())),
            ("a/../../b", DotSegment("a/../../b".into())),
            ("a\0b", Nul("a\0b".into())),
            ("\0", Nul("\0".into())),
            // NUL is reported before the other rules, absolute before empty segments.
            ("/a\0", Nul("/a\0".into())),
            ("//a", Absolute("//a".into())),
            ("a//..", EmptySegment("a//..".into())),
        ];
        for (key, error) in bad {
            assert_eq!(segments(key), Err(error), "{key:?}");
        }
    }

    #[test]
    fn messages_match_the_runtime() {
        let cases = [
            (
                "",
                "empty key: a key names a file or directory relative to the root; write its name, e.g. \"a.txt\"",
            ),
            (
                "/a",
                "absolute key \"/a\": keys are relative to the root; drop the leading '/'",
            ),
            (
                "a//b",
                "key \"a//b\" has an empty segment: remove the doubled or trailing '/'",
            ),
            (
                "a/../b",
                "key \"a/../b\" has a '.' or '..' segment: name the path directly, without '.' or '..', so it stays inside the root",
            ),
            (
                "a\0",
                "key \"a\\0\" holds a NUL byte, which no file name can",
            ),
        ];
        for (key, message) in cases {
            assert_eq!(segments(key).unwrap_err().to_string(), message);
        }
    }
}
