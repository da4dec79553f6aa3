//! The rules for a key in a tree: the same at compile time (fixtree-macros
//! checks them on the key's span) and at run time (the [`Tree`](super::Tree)
//! builder returns them as errors), so a runtime-built tree is as safe as a
//! macro-built one: nothing can name a path outside the root.

use std::fmt;

/// Why a key was refused; `Display` names the key, the rule and the fix.
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
