//! The rules of fixtree that hold both at compile time and at run time, in one
//! place: `fixtree-macros` checks them on a key's span and `fixtree-runtime`
//! returns them as errors, so a runtime-built tree is as safe as a macro-built
//! one (nothing can name a path outside the root), and the two cannot drift.
//!
//! Dependency-free, because the proc-macro crate builds it for the host; the
//! `tokens` feature (the macros and the CLI) adds proc-macro2 for [`tokens`].

#![warn(missing_docs)]

use std::fmt;

pub mod cases;
#[cfg(feature = "tokens")]
pub mod tokens;

/// Why a key was refused; `Display` names the key, the rule and the fix.
///
/// ```
/// # use fixtree_rules::KeyError;
/// let error = KeyError::Absolute("/etc/passwd".into());
/// assert_eq!(
///     error.to_string(),
///     "absolute key \"/etc/passwd\": keys are relative to the root; drop the leading '/'"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The key is the empty string.
    Empty,
    /// The key starts with `/`.
    Absolute(String),
    /// The key has an empty segment (`a//b`, or a trailing `/`).
    EmptySegment(String),
    /// The key has a `.` or `..` segment.
    DotSegment(String),
    /// The key holds a NUL byte.
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

impl std::error::Error for KeyError {}

/// Splits a key into its `/`-separated segments, or says which rule it breaks.
///
/// ```
/// use fixtree_rules::{KeyError, segments};
///
/// assert_eq!(segments("src/main.rs"), Ok(vec!["src", "main.rs"]));
/// assert_eq!(segments("../up"), Err(KeyError::DotSegment("../up".into())));
/// ```
pub fn segments(key: &str) -> Result<Vec<&str>, KeyError> {
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

/// Whether `name` is one path segment as [`segments`] accepts it: not
/// empty, no `/` and no NUL, not `.` or `..`. Allocates nothing: the
/// runtime checks every name of a tree it writes.
///
/// ```
/// use fixtree_rules::is_segment;
///
/// assert!(is_segment("main.rs"));
/// assert!(!is_segment("src/main.rs") && !is_segment("..") && !is_segment(""));
/// ```
pub fn is_segment(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\0'])
}

/// Whether a macro's `from = "…"` path names a txtar file (many files in
/// one text file) rather than a snapshot folder: its last segment ends in
/// `.txtar` after a name. The macros check it to decide that the path must be
/// a file, and the runtime to read it as one.
///
/// ```
/// assert!(fixtree_rules::is_txtar("tests/fixtures/project.txtar"));
/// assert!(!fixtree_rules::is_txtar("tests/fixtures/project"));
/// assert!(!fixtree_rules::is_txtar("tests/.txtar"));
/// ```
pub fn is_txtar(from: &str) -> bool {
    let name = from.rsplit('/').next().unwrap_or(from);
    name.len() > ".txtar".len() && name.ends_with(".txtar")
}

/// The helpers of `fixtree::spec`, which a value in `tree!`, `assert_tree!`
/// or `#[with_tempdir(files = …)]` may call without an import: the macros
/// import exactly these, and a test in the runtime's `spec.rs` fails when its
/// `pub fn`s and this list differ.
///
/// ```
/// assert!(fixtree_rules::SPEC_HELPERS.contains(&"exec"));
/// ```
pub const SPEC_HELPERS: &[&str] = &[
    "exec",
    "mode",
    "symlink",
    "modified",
    "ago",
    "unix_time",
    "contains",
    "matches",
    "any",
    "absent",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_segment_agrees_with_segments() {
        for name in [
            "a", "main.rs", ".hidden", "...", "a b", "", ".", "..", "a/b", "/a", "a/", "a\0b",
        ] {
            let one = matches!(segments(name).as_deref(), Ok([_]));
            assert_eq!(is_segment(name), one, "{name:?}");
        }
    }

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

    // The wording is public: compile errors and `fixtree::KeyError` both show it.
    #[test]
    fn messages_name_the_key_the_rule_and_the_fix() {
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
