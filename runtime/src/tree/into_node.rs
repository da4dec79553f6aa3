//! What can be an entry of a tree: the conversion `Tree::with` and `tree!`
//! take, beside the node it makes (the spec helpers add their own impls).

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
