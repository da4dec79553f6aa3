//! What the macros' generated code (and `test_dir!`) names:
//! `::fixtree::__private::…`, and nothing else. Not a public interface;
//! names and signatures change without notice.

use std::ops::Deref;
use std::path::Path;

use crate::expect::{Expected, ExpectedTree, IntoExpected};
use crate::spec::IntoNode;
use crate::tree::{Node, Tree};

pub use crate::cases::{Case, CaseFolders, CaseRun};
pub use crate::expect::LineEndings;
pub use crate::expect::pending::SourceSpot;
pub use crate::fixture::{Fixture, FromTestDir, Outcome, check_label, test_dir};
use crate::fixture::{TestDir, label_problem};
pub use crate::locate::SnapshotFolder;
pub use crate::spec;

/// `test_dir!(label = …)`: the label checked at run time, by the rule
/// `test_dir!("label")` checks at compile time.
///
/// # Panics
///
/// At the test, naming the label, the rule and the fix, if it breaks the rule.
#[track_caller]
pub fn test_dir_labelled(module: &str, label: &str) -> TestDir {
    if let Some(problem) = label_problem(label) {
        panic!("{problem}; this label is {label:?}");
    }
    test_dir(module, Some(label))
}

/// `test_dir!(…, files = { … })`: `dir` with `tree` written into it.
///
/// # Panics
///
/// At the test, naming the directory and the error, if writing fails.
#[track_caller]
pub fn test_dir_with(dir: TestDir, tree: Tree) -> TestDir {
    if let Err(e) = tree.write_over(dir.path()) {
        panic!(
            "fixtree: cannot write the files of test_dir!(…, files = {{ … }}) into {}: {e}",
            dir.path().display()
        );
    }
    dir
}

/// One level of a `tree!`: names are single segments, already checked and
/// merged by the macro.
///
/// Generic over the length only to move the array into a `Vec`: the map is
/// built (and its entries sorted) by one function compiled here, not by a
/// copy compiled in the user's crate for each length.
pub fn tree<const N: usize>(entries: [(&'static str, Node); N]) -> Tree {
    Tree::from_checked(Vec::from(entries))
}

/// A value of a `tree!` entry.
pub fn node<T: IntoNode>(value: T) -> Node {
    value.into_node()
}

/// `folder("…")` as a value of a `tree!` or `files = { … }` entry: what
/// the snapshot folder (or txtar file) holds, found as `from` finds it.
///
/// # Panics
///
/// At the test, naming the folder and the error, if it cannot be read.
#[track_caller]
pub fn snapshot_tree(folder: SnapshotFolder<'_>) -> Tree {
    let folder = folder.locate(fixtree_rules::folder::Role::Input);
    match folder.read() {
        Ok(tree) => tree,
        Err(e) => panic!("fixtree: cannot read {} {folder}: {e}", folder.kind.noun()),
    }
}

/// What a `files` expression of `#[with_tempdir]` may yield: a `Tree`, or
/// anything that derefs to one (`&Tree`, a `LazyLock<Tree>` static).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tree for `files`",
    label = "not a `fixtree::Tree`",
    note = "`files` takes an expression yielding a `fixtree::Tree` or a `&Tree`",
    note = "a function must be called: write `files = base()`"
)]
pub trait IntoLayer {
    /// The tree.
    fn tree(&self) -> &Tree;
}

impl IntoLayer for Tree {
    fn tree(&self) -> &Tree {
        self
    }
}

impl<T: Deref<Target = Tree>> IntoLayer for T {
    fn tree(&self) -> &Tree {
        self
    }
}

/// The tree of a `files` expression, borrowed as written there.
pub fn layer<T: IntoLayer + ?Sized>(value: &T) -> &Tree {
    value.tree()
}

/// One layer of `files = [...]`: the tree it puts on top, and the paths its
/// `"path" => absent()` entries remove from the layers before it.
pub struct Layer<'a> {
    /// What the layer writes.
    pub put: &'a Tree,
    /// What it removes, `/`-separated paths.
    pub remove: &'a [&'a str],
}

/// The layers of `files = [...]` merged in order, each first removing what
/// it says, then putting its tree on top ([`Tree::merge`]).
///
/// # Panics
///
/// At the test, if a layer removes a path that no layer before it made.
#[track_caller]
pub fn layered(layers: &[Layer<'_>]) -> Tree {
    let mut tree = Tree::new();
    for (index, layer) in layers.iter().enumerate() {
        for path in layer.remove {
            if tree.remove(path).is_none() {
                panic!(
                    "fixtree: layer {} of files = [...] says {path:?} => absent(), but no layer \
                     before it made {path:?}: remove that entry, or fix its path",
                    index + 1
                );
            }
        }
        tree.merge(layer.put.clone());
    }
    tree
}

/// One level of an `assert_tree!` spec; `open` is whether it ended in `..`.
///
/// Generic over the length only to move the array into a `Vec`, as [`tree`].
pub fn expected_tree<const N: usize>(
    entries: [(&'static str, Expected); N],
    open: bool,
) -> ExpectedTree {
    ExpectedTree::from_checked(Vec::from(entries), open)
}

/// A value of an `assert_tree!` entry.
pub fn expected<T: IntoExpected>(value: T) -> Expected {
    value.into_expected()
}

/// `assert_tree!(dir, { … })` and `assert_tree!(dir, value)`.
#[track_caller]
pub fn assert_tree(actual: impl AsRef<Path>, expected: impl Into<ExpectedTree>, ignore: &[&str]) {
    crate::expect::assert_tree(actual.as_ref(), expected.into(), ignore);
}

/// `assert_tree!(dir, { … })`, called at `spot`.
#[track_caller]
pub fn assert_tree_inline(
    actual: impl AsRef<Path>,
    expected: impl Into<ExpectedTree>,
    ignore: &[&str],
    spot: SourceSpot<'_>,
) {
    crate::expect::assert_tree_inline(actual.as_ref(), expected.into(), ignore, spot);
}

/// `assert_tree!(dir, from = "folder")`, with `line_endings = "…"` if given.
#[track_caller]
pub fn assert_tree_from(
    actual: impl AsRef<Path>,
    folder: SnapshotFolder<'_>,
    ignore: &[&str],
    line_endings: LineEndings,
) {
    crate::expect::assert_tree_from(actual.as_ref(), folder, ignore, line_endings);
}
