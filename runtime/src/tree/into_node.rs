//! What can be an entry of a tree: the conversion `Tree::with` and `tree!`
//! take, beside the node it makes (the spec helpers add their own impls).

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

/// Text and bytes, each through `$bytes` to what [`Node::file`] takes.
macro_rules! into_node_as_bytes {
    ($($ty:ty => $bytes:path),+) => {$(
        impl IntoNode for $ty {
            fn into_node(self) -> Node {
                Node::file($bytes(self))
            }
        }
    )+};
}

into_node_as_bytes!(&str => identity, String => identity, &[u8] => identity,
    Vec<u8> => identity, &String => String::as_str, &Vec<u8> => Vec::as_slice);

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
