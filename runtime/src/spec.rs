//! The helpers of the spec language, in scope inside `tree!`, `assert_tree!`
//! and `#[with_tempdir(files = …)]` without an import, and the conversions
//! that decide what a value may be.
//!
//! ```
//! use fixtree::spec::*;
//! use fixtree::Tree;
//!
//! let tree = Tree::new()
//!     .with("run.sh", exec("#!/bin/sh\necho hi\n"))?
//!     .with("secret", mode(0o600, "token"))?
//!     .with("latest", symlink("run.sh"))?;
//! assert_eq!(tree.len(), 3);
//! # Ok::<(), fixtree::TreeError>(())
//! ```

use std::path::PathBuf;

use crate::sys;
use crate::tree::{EXEC_MODE, Node, Tree};

/// An executable file (mode 0755) with these bytes.
///
/// ```
/// let node = fixtree::spec::exec("#!/bin/sh\n");
/// assert!(matches!(node, fixtree::Node::File { mode: Some(0o755), .. }));
/// ```
pub fn exec(contents: impl Into<Vec<u8>>) -> Node {
    Node::file_with_mode(contents, EXEC_MODE)
}

/// A file with these bytes and exactly these permission bits. In an
/// expectation the mode is checked even when it is the default 0644.
///
/// ```
/// use fixtree::spec::mode;
///
/// let tree = fixtree::Tree::new().with("key.pem", mode(0o600, "secret"))?;
/// assert!(matches!(tree.get("key.pem"), Some(fixtree::Node::File { mode: Some(0o600), .. })));
/// # Ok::<(), fixtree::TreeError>(())
/// ```
pub fn mode(bits: u32, contents: impl Into<Vec<u8>>) -> WithMode {
    WithMode {
        contents: contents.into(),
        mode: bits & sys::PERMISSION_BITS,
    }
}

/// A symbolic link to `target`, written as a link and never followed. No
/// link can have an empty target or one holding a NUL byte: writing such a
/// tree is an error naming the link.
///
/// ```
/// let node = fixtree::spec::symlink("../shared/config.toml");
/// assert_eq!(node, fixtree::Node::Symlink { target: "../shared/config.toml".into() });
/// ```
pub fn symlink(target: impl Into<PathBuf>) -> Node {
    Node::symlink(target)
}

/// Expects a UTF-8 file that contains `needle`.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("log"), "started\ndone\n")?;
/// let expected = fixtree::ExpectedTree::new().with("log", fixtree::spec::contains("done"))?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn contains(needle: impl Into<String>) -> Matcher {
    Matcher::Contains(needle.into())
}

/// Expects a UTF-8 file that matches `pattern`: `[..]` stands for any run of
/// characters within a line, and a line holding only `...` for any number
/// of lines. Everything else must be equal.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.3.1\"\n")?;
/// let pattern = fixtree::spec::matches("[package]\n...\nversion = \"[..]\"\n");
/// let expected = fixtree::ExpectedTree::new().with("Cargo.toml", pattern)?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn matches(pattern: impl Into<String>) -> Matcher {
    Matcher::Matches(pattern.into())
}

/// Expects an entry of any kind and content at this path.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::create_dir(dir.path().join("cache"))?;
/// let expected = fixtree::ExpectedTree::new().with("cache", fixtree::spec::any())?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn any() -> Matcher {
    Matcher::Any
}

/// Expects nothing at this path.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let expected = fixtree::ExpectedTree::new().with("tmp.lock", fixtree::spec::absent())?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn absent() -> Matcher {
    Matcher::Absent
}

/// A file with an exact mode; made by [`mode`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithMode {
    pub(crate) contents: Vec<u8>,
    pub(crate) mode: u32,
}

/// What an expectation may say of an entry besides its exact content; made
/// by [`contains`], [`matches`](matches()), [`any`] and [`absent`]. A matcher describes
/// a file without being one, so `tree!` refuses it at compile time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// A UTF-8 file containing this text.
    Contains(String),
    /// A UTF-8 file matching this pattern (`[..]`, `...`).
    Matches(String),
    /// Anything at all.
    Any,
    /// Nothing.
    Absent,
}

/// A value that can be an entry of a [`Tree`]: text (`&str`, `String`),
/// bytes (`&[u8]`, `Vec<u8>`, `&[u8; N]`, `include_bytes!(…)`), a [`Node`]
/// ([`exec`], [`symlink`]), [`mode`], or a [`Tree`] (a directory).
///
/// ```
/// use fixtree::spec::IntoNode;
///
/// assert_eq!("x".into_node(), fixtree::Node::file("x"));
/// assert_eq!(b"\x00\x01".into_node(), fixtree::Node::file(vec![0, 1]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an entry of a tree",
    label = "not a file, directory or symlink",
    note = "an entry is text (&str, String), bytes (&[u8], Vec<u8>, include_bytes!(..)), exec(..), mode(..), symlink(..), a Tree, or a {{ .. }} block",
    note = "matchers (contains, matches, any, absent) describe expected files: use them in assert_tree!, not in tree!"
)]
pub trait IntoNode {
    /// The entry.
    fn into_node(self) -> Node;
}

macro_rules! into_node_as_bytes {
    ($($ty:ty),+) => {$(
        impl IntoNode for $ty {
            fn into_node(self) -> Node {
                Node::file(self)
            }
        }
    )+};
}

into_node_as_bytes!(&str, String, &[u8], Vec<u8>);

impl IntoNode for &String {
    fn into_node(self) -> Node {
        Node::file(self.as_str())
    }
}

impl IntoNode for &Vec<u8> {
    fn into_node(self) -> Node {
        Node::file(self.as_slice())
    }
}

impl<const N: usize> IntoNode for &[u8; N] {
    fn into_node(self) -> Node {
        Node::file(self.as_slice())
    }
}

impl IntoNode for Node {
    fn into_node(self) -> Node {
        self
    }
}

impl IntoNode for Tree {
    fn into_node(self) -> Node {
        Node::Dir(self)
    }
}

impl IntoNode for WithMode {
    fn into_node(self) -> Node {
        Node::file_with_mode(self.contents, self.mode)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    // The macros import exactly `SPEC_HELPERS` into a value's scope, so a
    // helper missing from it is not in scope there, and a name without a
    // helper here makes every spec that calls it fail to resolve.
    #[test]
    fn the_macros_import_exactly_these_helpers() {
        let here: BTreeSet<&str> = include_str!("spec.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub fn "))
            .map(|rest| rest.split(['(', '<']).next().unwrap_or(rest))
            .collect();
        let listed: BTreeSet<&str> = fixtree_rules::SPEC_HELPERS.iter().copied().collect();
        let unlisted: Vec<_> = here.difference(&listed).collect();
        let missing: Vec<_> = listed.difference(&here).collect();
        assert!(
            unlisted.is_empty() && missing.is_empty(),
            "the helpers and the macros' list differ:\n  \
             pub fn in runtime/src/spec.rs but not in SPEC_HELPERS (add them to rules/src/lib.rs): {unlisted:?}\n  \
             in SPEC_HELPERS but no pub fn in runtime/src/spec.rs (add the helper, or drop the name from rules/src/lib.rs): {missing:?}"
        );
    }
}
