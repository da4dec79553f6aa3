//! What a spec or a snapshot folder stands for: a tree to make, or the tree a
//! directory should hold. It decides what a spec may contain, what it
//! expands into, and the examples and advice of the messages.

/// What a spec or a snapshot folder stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A tree to make: `tree!`, and the files `#[with_tempdir]` starts a test
    /// with; exactly the entries given.
    Tree,
    /// The tree a directory should hold, in `assert_tree!`: a level may end
    /// with `..`, a value may be a matcher, and a missing snapshot folder can
    /// be created empty and filled by update mode.
    Expected,
}
