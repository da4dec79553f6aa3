//! What can be an entry of a tree, the conversion `Tree::with` and `tree!`
//! take, and what can be a file's contents in `spec::modified`, beside the
//! node they make (the spec helpers add their own impls).

use std::convert::identity;

use super::{Node, Tree};

/// A value that can be an entry of a [`Tree`]: text (`&str`, `String`),
/// bytes (`&[u8]`, `Vec<u8>`, `&[u8; N]`, `include_bytes!(…)`), a [`Node`]
/// ([`exec`](crate::spec::exec), [`symlink`](crate::spec::symlink)), [`mode`](crate::spec::mode), or a [`Tree`] (a directory).
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
    note = "an entry is text (&str, String), bytes (&[u8], Vec<u8>, include_bytes!(..)), exec(..), mode(..), modified(..), symlink(..), a Tree, or a {{ .. }} block",
    note = "matchers (contains, matches, any, absent) describe expected files: use them in assert_tree!, not in tree!"
)]
pub trait IntoNode {
    /// The entry.
    ///
    /// ```
    /// use fixtree::spec::IntoNode;
    ///
    /// assert_eq!(fixtree::Tree::new().into_node(), fixtree::Node::Dir(fixtree::Tree::new()));
    /// ```
    fn into_node(self) -> Node;
}

/// What [`modified`](crate::spec::modified) takes: a file's contents — text (`&str`, `String`),
/// bytes (`&[u8]`, `Vec<u8>`, `&[u8; N]`, `include_bytes!(…)`) — or
/// [`mode(..)`](crate::spec::mode()) for contents and a mode.
///
/// ```
/// use fixtree::spec::IntoFile;
///
/// assert_eq!("x".into_file(), (b"x".to_vec(), None));
/// assert_eq!(fixtree::spec::mode(0o600, "x").into_file(), (b"x".to_vec(), Some(0o600)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the file of `modified(..)`",
    label = "not a file's contents",
    note = "modified(time, file) takes text (&str, String), bytes (&[u8], Vec<u8>, include_bytes!(..)) or mode(0o640, ..)",
    note = "for an executable file with a time, write modified(time, mode(0o755, ..)); directories, symlinks and matchers have no time to give"
)]
pub trait IntoFile {
    /// The file's bytes, and its mode if one was given.
    ///
    /// ```
    /// use fixtree::spec::IntoFile;
    ///
    /// assert_eq!(vec![0u8, 1].into_file(), (vec![0, 1], None));
    /// ```
    fn into_file(self) -> (Vec<u8>, Option<u32>);
}

/// Text and bytes, each through `$bytes` to what [`Node::file`] takes.
macro_rules! contents {
    ($([$($generic:tt)*] $ty:ty => $bytes:path),+) => {$(
        impl<$($generic)*> IntoNode for $ty {
            fn into_node(self) -> Node {
                Node::file($bytes(self))
            }
        }

        impl<$($generic)*> IntoFile for $ty {
            fn into_file(self) -> (Vec<u8>, Option<u32>) {
                ($bytes(self).into(), None)
            }
        }
    )+};
}

contents!([] &str => identity, [] String => identity, [] &[u8] => identity,
    [] Vec<u8> => identity, [] &String => String::as_str, [] &Vec<u8> => Vec::as_slice,
    [const N: usize] &[u8; N] => identity);

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
