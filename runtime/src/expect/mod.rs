//! What a directory is expected to hold: [`ExpectedTree`], built by
//! `assert_tree!`, from a [`Tree`], or from a snapshot folder; and the
//! comparison that explains every difference.

mod assert;
mod compare;
mod contents;
pub(crate) mod describe;
mod diff;
mod edits;
mod ignore;
mod limits;
mod paste;
mod pattern;
pub(crate) mod pending;
pub(crate) mod place;
mod report;
mod root;
mod update;
mod update_txtar;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::IoResultExt;
use crate::locate::{Located, SnapshotKind};
use crate::spec::{IntoFile, IntoNode, Matcher, Modified};
use crate::tree::{
    DEFAULT_FILE_MODE, Entries, Leaf, Node, Tree, TreeError, TreeNode, read_levels, tree_node,
    write_spec,
};
use crate::walk::EntryType;

pub use crate::tree::LineEndings;
pub(crate) use assert::{assert_tree, assert_tree_from, assert_tree_inline};
pub use compare::{check_tree, check_tree_with};
use contents::{Contents, Given, ModeCheck, StoredDir};
pub use diff::{CheckOptions, DiffKind, Difference, TreeDiff};

/// The expected content of a directory: exact entries, matchers, and
/// whether other entries are allowed (`..` in `assert_tree!`).
///
/// Made by `assert_tree!`, converted from a [`Tree`] (exact), or built here,
/// by the insert, merge and equality rules of a [`Tree`].
///
/// ```
/// use fixtree::spec::{absent, contains};
///
/// let expected = fixtree::ExpectedTree::new()
///     .with("out.json", "{\"ok\":true}\n")?
///     .with("logs/run.log", contains("done"))?
///     .with("tmp.lock", absent())?
///     .allow_others();
/// # Ok::<(), fixtree::TreeError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ExpectedTree {
    pub(crate) entries: Entries<Expected>,
}

/// One expected entry; see [`IntoExpected`] for what converts into one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected(pub(crate) Expect);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    File {
        contents: Contents,
        check: FileCheck,
    },
    Symlink {
        target: PathBuf,
    },
    Dir(ExpectedTree),
    Matcher(Matcher),
}

impl ExpectedTree {
    /// Expects an empty directory (until entries are added).
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// assert!(fixtree::check_tree(dir.path(), &fixtree::ExpectedTree::new()).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `value` at `key`, by the rules of [`Tree::insert`]: parents
    /// become expected directories, a directory given where one is expected
    /// merges into it (its `..` too), and a path given twice is an error.
    ///
    /// ```
    /// use fixtree::{ExpectedTree, TreeError};
    ///
    /// let expected = ExpectedTree::new().with("a/b.txt", "x")?;
    /// let merged = expected.clone().with("a", ExpectedTree::new().with("c.txt", "y")?)?;
    /// assert_eq!(merged, ExpectedTree::new().with("a/b.txt", "x")?.with("a/c.txt", "y")?);
    /// assert_eq!(expected.with("a/b.txt", "y"), Err(TreeError::Duplicate("a/b.txt".into())));
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn with(mut self, key: &str, value: impl IntoExpected) -> Result<Self, TreeError> {
        self.entries.insert(key, value.into_expected())?;
        Ok(self)
    }

    /// Allows entries not named here, in this directory only (`..` in a spec).
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("a"), "x")?;
    /// std::fs::write(dir.path().join("other"), "y")?;
    /// let expected = fixtree::ExpectedTree::new().with("a", "x")?.allow_others();
    /// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allow_others(mut self) -> Self {
        self.entries.open = true;
        self
    }

    /// Builds a level from names the `assert_tree!` macro has already checked and merged.
    pub(crate) fn from_checked(entries: Vec<(&'static str, Expected)>, open: bool) -> Self {
        let entries = Entries::from_checked(entries, open);
        ExpectedTree { entries }
    }

    /// Expects what the snapshot folder `folder` holds, as
    /// `assert_tree!(dir, from = "…")` does: as [`Tree::read_snapshot`]
    /// reads it (a directory holding only `.keep` is empty), every entry expected,
    /// and only what a repository keeps compared exactly. A file's mode is
    /// compared only for whether it is executable, and CRLF and LF line
    /// endings are the same in text files (UTF-8 without NUL bytes), because
    /// git on Windows checks text out with CRLF; binary files compare byte
    /// for byte. For exact bytes, see [`exact_line_endings`](Self::exact_line_endings).
    ///
    /// Only the folder's listing is read here: each file's bytes are read
    /// when compared, a chunk at a time, so a folder of any size costs
    /// little memory. Make it right before comparing: a file that changes
    /// in the folder in between is compared by its bytes up to the size it
    /// had when listed, and a directory moved or replaced since is an
    /// error. A relative `folder` is resolved here, so a test that changes
    /// its working directory before comparing still finds it.
    ///
    /// ```
    /// let folder = fixtree::tempdir()?;
    /// std::fs::write(folder.path().join("out.csv"), "id,name\r\n1,alpha\r\n")?;
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("out.csv"), "id,name\n1,alpha\n")?;
    ///
    /// let expected = fixtree::ExpectedTree::from_snapshot(folder.path())?;
    /// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_snapshot(folder: impl AsRef<Path>) -> io::Result<Self> {
        // Each directory's path is shared by its files, made once per directory.
        let mut dir: Option<Arc<StoredDir>> = None;
        let folder = std::path::absolute(folder.as_ref()).at("find", folder.as_ref())?;
        let folder_depth = folder.components().count();
        let entries = read_levels(&folder, None, true, |walk, entry| {
            Ok(Expected(match &entry.found {
                &EntryType::File { len, mode } => {
                    if dir.as_ref().is_none_or(|dir| *dir.path != *walk.path()) {
                        let id = walk.dir().id().at("read directory", walk.path())?;
                        let path = walk.path().to_owned();
                        let depth = path.components().count() - folder_depth;
                        dir = Some(Arc::new(StoredDir { path, id, depth }));
                    }
                    let dir = Arc::clone(dir.as_ref().expect("made for this directory"));
                    snapshot_file(Contents::Stored { dir, len }, mode)
                }
                EntryType::Symlink(target) => Expect::Symlink {
                    target: target.clone(),
                },
                EntryType::Dir => unreachable!("directories are levels"),
            }))
        })?;
        Ok(ExpectedTree { entries })
    }

    /// What the snapshot `folder` (a folder or a txtar file) holds, as
    /// [`from_snapshot`](Self::from_snapshot) says.
    pub(crate) fn of_located(folder: &Located<'_>) -> io::Result<Self> {
        match folder.kind {
            SnapshotKind::Folder => ExpectedTree::from_snapshot(&folder.path),
            SnapshotKind::Txtar => folder.read().map(ExpectedTree::snapshot_of),
        }
    }

    /// Expects `tree`, read from a snapshot folder or a txtar file, as
    /// [`from_snapshot`](Self::from_snapshot) says.
    pub(crate) fn snapshot_of(tree: Tree) -> Self {
        let entries = tree.entries.map(|node| match node {
            Node::File { contents, mode, .. } => Expected(snapshot_file(
                Contents::Bytes(contents),
                mode.unwrap_or(DEFAULT_FILE_MODE),
            )),
            node => from_node(node),
        });
        ExpectedTree { entries }
    }

    /// Compares the line endings of every file byte for byte, as a
    /// [`Tree`] or a spec does: for a snapshot folder whose CRLF (or LF)
    /// line endings are what the test is about. `.gitattributes` should
    /// then mark the folder `-text`, or git on Windows rewrites them.
    ///
    /// ```
    /// let folder = fixtree::tempdir()?;
    /// std::fs::write(folder.path().join("out.csv"), "id,name\r\n")?;
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("out.csv"), "id,name\n")?;
    ///
    /// let expected = fixtree::ExpectedTree::from_snapshot(folder.path())?.exact_line_endings();
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// assert!(diff.to_string().contains("line endings differ, first on line 1: expected CRLF, found LF"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn exact_line_endings(self) -> Self {
        self.line_endings(LineEndings::Exact)
    }

    /// Sets how the line endings of every file are compared.
    pub(crate) fn line_endings(self, how: LineEndings) -> Self {
        let entries = self.entries.map(|mut expected| {
            if let Expect::File { check, .. } = &mut expected.0 {
                check.line_endings = how;
            }
            expected
        });
        ExpectedTree { entries }
    }
}

/// A leaf of a tree a comparison reads, as what it expects: an
/// [`Expected`] as it says, a [`Node`] exactly.
pub(crate) trait Want: TreeNode {
    fn want(&self) -> Wanted<'_, Self>;
}

/// What an entry expects, borrowed.
pub(crate) enum Wanted<'a, N: TreeNode> {
    File(Given<'a>, FileCheck),
    Symlink(&'a Path),
    Dir(&'a Entries<N>),
    Matcher(&'a Matcher),
}

impl Want for Expected {
    fn want(&self) -> Wanted<'_, Expected> {
        match &self.0 {
            Expect::File { contents, check } => Wanted::File(contents.given(), *check),
            Expect::Symlink { target } => Wanted::Symlink(target),
            Expect::Dir(tree) => Wanted::Dir(&tree.entries),
            Expect::Matcher(matcher) => Wanted::Matcher(matcher),
        }
    }
}

impl Want for Node {
    fn want(&self) -> Wanted<'_, Node> {
        match self {
            Node::File {
                contents,
                mode,
                modified,
            } => Wanted::File(Given::Bytes(contents), FileCheck::exact(*mode, *modified)),
            Node::Symlink { target } => Wanted::Symlink(target),
            Node::Dir(tree) => Wanted::Dir(&tree.entries),
        }
    }
}

tree_node!(Expected, Expected(Expect::Dir(tree)) => tree.entries, |entries| {
    Expected(Expect::Dir(ExpectedTree { entries }))
});

/// `ExpectedTree ` and the spec text of `assert_tree!`, `..` included, with
/// each file, link or matcher as its `Debug`; without recursion, as a
/// [`Tree`]'s.
impl fmt::Debug for ExpectedTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        f.write_str("ExpectedTree ")?;
        write_spec(&self.entries, f, pretty, None, |expected| {
            Leaf::Debug(&expected.0)
        })
    }
}

impl From<Tree> for ExpectedTree {
    fn from(tree: Tree) -> Self {
        let entries = tree.entries.map(from_node);
        ExpectedTree { entries }
    }
}

impl From<&Tree> for ExpectedTree {
    fn from(tree: &Tree) -> Self {
        ExpectedTree::from(tree.clone())
    }
}

/// A value that can be an expected entry: anything that can be an entry of
/// a [`Tree`] (expected exactly; a file's mode is checked only when given),
/// a matcher ([`contains`](crate::spec::contains), [`matches`](crate::spec::matches),
/// [`any`](crate::spec::any), [`absent`](crate::spec::absent)), or an [`ExpectedTree`].
///
/// ```
/// use fixtree::IntoExpected;
///
/// let exact = "text".into_expected();
/// let loose = fixtree::spec::contains("ex").into_expected();
/// assert_ne!(exact, loose);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an expected entry",
    label = "not a file, directory, symlink or matcher",
    note = "an expected entry is text, bytes, exec(..), mode(..), modified(..), symlink(..), a Tree, a {{ .. }} block, or a matcher: contains(..), matches(..), any(), absent()"
)]
pub trait IntoExpected {
    /// The expectation.
    fn into_expected(self) -> Expected;
}

/// A file of a snapshot, expected as a repository keeps it: only whether
/// it is executable, CRLF and LF alike in text, no time.
fn snapshot_file(contents: Contents, mode: u32) -> Expect {
    let check = FileCheck {
        mode: ModeCheck::Executable(mode & 0o111 != 0),
        line_endings: LineEndings::Any,
        modified: None,
    };
    Expect::File { contents, check }
}

fn from_node(node: Node) -> Expected {
    match node {
        Node::File {
            contents,
            mode,
            modified,
        } => exact_file(contents, mode, modified),
        Node::Symlink { target } => Expected(Expect::Symlink { target }),
        Node::Dir(tree) => Expected(Expect::Dir(tree.into())),
    }
}

/// A file expected byte for byte, its mode and time checked where given.
fn exact_file(contents: Vec<u8>, mode: Option<u32>, modified: Option<SystemTime>) -> Expected {
    let check = FileCheck::exact(mode, modified);
    let contents = Contents::Bytes(contents);
    Expected(Expect::File { contents, check })
}

/// How an expected file's mode, line endings and time are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileCheck {
    pub(crate) mode: ModeCheck,
    pub(crate) line_endings: LineEndings,
    /// Checked within [`TOLERANCE`](crate::tree::mtime::TOLERANCE) when given.
    pub(crate) modified: Option<SystemTime>,
}

impl FileCheck {
    /// Byte for byte, the mode and time where given.
    fn exact(mode: Option<u32>, modified: Option<SystemTime>) -> FileCheck {
        FileCheck {
            mode: mode.map_or(ModeCheck::Any, ModeCheck::Exact),
            line_endings: LineEndings::Exact,
            modified,
        }
    }
}

/// A file's contents, expected exactly: with its mode only when given
/// (`mode(..)`, the default mode too).
impl<T: IntoFile> IntoExpected for T {
    fn into_expected(self) -> Expected {
        let (contents, mode) = self.into_file();
        exact_file(contents, mode, None)
    }
}

/// Implements [`IntoExpected`] for each type, `type => |value| expectation`.
macro_rules! into_expected {
    ($($ty:ty => |$value:ident| $make:expr;)+) => {$(
        impl IntoExpected for $ty {
            fn into_expected(self) -> Expected {
                let $value = self;
                $make
            }
        }
    )+};
}

// A node or tree is expected exactly, as `from_node` says; a time given
// with `modified` is checked, and a mode given, the default one too.
into_expected! {
    Node => |node| from_node(node);
    Tree => |tree| from_node(tree.into_node());
    Modified => |file| exact_file(file.contents, file.mode, Some(file.time));
    Matcher => |matcher| Expected(Expect::Matcher(matcher));
    ExpectedTree => |tree| Expected(Expect::Dir(tree));
    Expected => |expected| expected;
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::{Contents, Expect, ExpectedTree};

    #[test]
    fn a_snapshot_folder_is_listed_not_read() {
        let folder = crate::tempdir().unwrap();
        fs::write(folder.path().join("a.txt"), "old\n").unwrap();
        let expected = ExpectedTree::from_snapshot(folder.path()).unwrap();
        let Some(Expect::File { contents, .. }) = expected.entries.get("a.txt").map(|e| &e.0)
        else {
            panic!("a.txt is a file: {expected:?}");
        };
        assert!(
            matches!(contents, Contents::Stored { len: 4, .. }),
            "{contents:?}"
        );
        // Read when compared: what the folder holds then.
        fs::write(folder.path().join("a.txt"), "new\n").unwrap();
        let dir = crate::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "new\n").unwrap();
        crate::check_tree(dir.path(), &expected).unwrap();
    }
}
