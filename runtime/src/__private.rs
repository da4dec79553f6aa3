//! What the macros' generated code calls: `::fixtree::__private::…`. Not a
//! public interface; names and signatures change without notice.

use std::path::Path;

pub use crate::cases::{Case, CaseFolders, CaseRun};
pub use crate::expect::pending::SourceSpot;
pub use crate::expect::{Expected, ExpectedTree, IntoExpected, LineEndings};
pub use crate::fixture::kept;
pub use crate::fixture::{Fixture, FromTestDir, Outcome, check_label, test_dir};
pub use crate::locate::SnapshotFolder;
pub use crate::spec;
pub use crate::spec::IntoNode;
pub use crate::tree::{Node, Tree};

/// What `cargo fixtree review` reads and shows of review mode's records.
pub mod review {
    pub use crate::expect::pending::{
        FOLDER_SUFFIX, INLINE_SUFFIX, InlineRecord, MARKER, Marker, folder_diff, parse_records,
        read_regular, remove_stale_staging,
    };
    pub use crate::expect::place::{check_place, check_written};

    /// Whether this is a CI run, where nothing is to be rewritten: read as
    /// the test runtime reads `CI`.
    pub fn ci() -> bool {
        crate::config::ci()
    }

    /// Whether to colour output to a stream that `is_terminal` or not, as
    /// reports are: never with `NO_COLOR`, always with `CLICOLOR_FORCE`.
    pub fn use_color(is_terminal: bool) -> bool {
        crate::config::color().allows(is_terminal)
    }
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
