//! What a directory is expected to hold: [`ExpectedTree`], built by
//! `assert_tree!`, from a [`Tree`], or from a snapshot folder; and the
//! comparison that explains every difference.

mod assert;
mod compare;
mod contents;
mod describe;
mod diff;
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

use std::collections::{BTreeMap, btree_map};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::IoResultExt;
use crate::locate::{Located, SnapshotKind};
use crate::spec::{IntoNode, Matcher, Modified, WithMode};
use crate::tree::{
    Event, Leaf, Level, Nested, Node, Tree, TreeError, Visit, equal, key_segments, read_levels,
    write_spec,
};
use crate::walk::{EntryType, KEEP_MARKER};

pub use crate::tree::LineEndings;
pub(crate) use assert::{assert_tree, assert_tree_from, assert_tree_inline};
pub use compare::{AsExpectedTree, check_tree, check_tree_with};
use contents::{Contents, ModeCheck, StoredDir};
pub use diff::{CheckOptions, DiffKind, Difference, TreeDiff};

/// The expected content of a directory: exact entries, matchers, and
/// whether other entries are allowed (`..` in `assert_tree!`).
///
/// Made by `assert_tree!`, converted from a [`Tree`] (exact), or built here.
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
#[derive(Default, Eq)]
pub struct ExpectedTree {
    pub(crate) entries: BTreeMap<String, Expected>,
    /// Whether entries not named here are allowed.
    pub(crate) open: bool,
}

/// One expected entry; see [`IntoExpected`] for what converts into one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected(pub(crate) Expect);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    File {
        contents: Contents,
        mode: ModeCheck,
        line_endings: LineEndings,
        /// Checked within [`TOLERANCE`](crate::tree::mtime::TOLERANCE) when given.
        modified: Option<SystemTime>,
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

    /// Expects `value` at `key`, with the key rules of [`Tree::insert`];
    /// parents become expected directories.
    ///
    /// ```
    /// let expected = fixtree::ExpectedTree::new().with("a/b.txt", "x")?;
    /// assert!(expected.clone().with("a/b.txt", "y").is_err());
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn with(mut self, key: &str, value: impl IntoExpected) -> Result<Self, TreeError> {
        let parts = key_segments(key)?;
        let (last, parents) = parts.split_last().expect("segments() is never empty");
        let mut dir = &mut self;
        for (depth, part) in parents.iter().enumerate() {
            let entry = dir
                .entries
                .entry((*part).to_owned())
                .or_insert_with(|| Expected(Expect::Dir(ExpectedTree::new())));
            match &mut entry.0 {
                Expect::Dir(sub) => dir = sub,
                _ => {
                    return Err(TreeError::NotADirectory {
                        key: key.to_owned(),
                        prefix: parts[..=depth].join("/"),
                    });
                }
            }
        }
        if dir.entries.contains_key(*last) {
            return Err(TreeError::Duplicate(key.to_owned()));
        }
        dir.entries
            .insert((*last).to_owned(), value.into_expected());
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
        self.open = true;
        self
    }

    /// Builds a level from names the `assert_tree!` macro has already checked and merged.
    pub(crate) fn from_checked(entries: Vec<(&'static str, Expected)>, open: bool) -> Self {
        ExpectedTree {
            entries: entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            open,
        }
    }

    /// Expects what the snapshot folder `folder` holds, as
    /// `assert_tree!(dir, from = "…")` does: as [`read_snapshot`](crate::read_snapshot)
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
        read_levels(&folder, None, true, |walk, entry| {
            Ok(Expected(match &entry.found {
                &EntryType::File { len, mode } => {
                    let dir = match &dir {
                        Some(dir) if *dir.path == *walk.path() => Arc::clone(dir),
                        _ => {
                            let id = walk.dir().id().at("read directory", walk.path())?;
                            let listed = StoredDir {
                                path: walk.path().to_owned(),
                                id,
                                depth: walk.path().components().count() - folder_depth,
                            };
                            Arc::clone(dir.insert(Arc::new(listed)))
                        }
                    };
                    snapshot_file(Contents::Stored { dir, len }, mode)
                }
                EntryType::Symlink(target) => Expect::Symlink {
                    target: target.clone(),
                },
                EntryType::Dir => unreachable!("directories are levels"),
            }))
        })
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
        ExpectedTree::build(tree.into_entries(), false, |node| match node {
            Node::Dir(sub) => Step::Dir(sub.into_entries(), false),
            Node::File { contents, mode, .. } => Step::Entry(Expected(snapshot_file(
                Contents::Bytes(contents),
                mode.unwrap_or(crate::tree::DEFAULT_FILE_MODE),
            ))),
            node => Step::Entry(from_node(node)),
        })
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
    pub(crate) fn line_endings(mut self, how: LineEndings) -> Self {
        let mut levels = vec![&mut self];
        while let Some(level) = levels.pop() {
            for entry in level.entries.values_mut() {
                match &mut entry.0 {
                    Expect::File { line_endings, .. } => *line_endings = how,
                    Expect::Dir(sub) => levels.push(sub),
                    Expect::Symlink { .. } | Expect::Matcher(_) => {}
                }
            }
        }
        self
    }

    /// Every expected entry that is not a directory, at any depth.
    pub(crate) fn leaves(&self) -> impl Iterator<Item = &Expect> {
        Visit::new(self).filter_map(|event| match event {
            Event::Leaf(_, Expected(leaf)) => Some(leaf),
            Event::Enter(..) | Event::Leave(_) => None,
        })
    }

    /// Builds a tree level by level from `entries`, with a stack instead of
    /// recursion: `step` makes an entry, or opens a directory with its own
    /// entries and whether it is open (`..`).
    fn build<I, T>(entries: I, open: bool, mut step: impl FnMut(T) -> Step<I>) -> ExpectedTree
    where
        I: Iterator<Item = (String, T)>,
    {
        let root = ExpectedTree {
            entries: BTreeMap::new(),
            open,
        };
        // The directories being built, innermost last, each with its name
        // and the entries it has left.
        let mut levels = vec![(String::new(), entries, root)];
        loop {
            let (_, entries, _) = levels.last_mut().expect("the root stays until the end");
            match entries.next() {
                Some((name, value)) => match step(value) {
                    Step::Entry(expected) => {
                        let (_, _, level) = levels.last_mut().expect("just seen");
                        level.entries.insert(name, expected);
                    }
                    Step::Dir(entries, open) => {
                        let level = ExpectedTree {
                            entries: BTreeMap::new(),
                            open,
                        };
                        levels.push((name, entries, level));
                    }
                },
                None => {
                    let (name, _, done) = levels.pop().expect("the root stays until the end");
                    match levels.last_mut() {
                        Some((_, _, parent)) => {
                            parent.entries.insert(name, Expected(Expect::Dir(done)));
                        }
                        None => return done,
                    }
                }
            }
        }
    }
}

/// What [`ExpectedTree::build`] does with one entry.
enum Step<I> {
    Entry(Expected),
    Dir(I, bool),
}

impl Level for ExpectedTree {
    type Leaf = Expected;

    fn insert(&mut self, name: String, leaf: Expected) {
        self.entries.insert(name, leaf);
    }

    fn insert_dir(&mut self, name: String, dir: ExpectedTree) {
        self.entries.insert(name, Expected(Expect::Dir(dir)));
    }

    fn only_keep_marker(&self) -> bool {
        self.entries.len() == 1
            && matches!(
                self.entries.get(KEEP_MARKER),
                Some(Expected(Expect::File { .. }))
            )
    }

    fn clear(&mut self) {
        self.entries.clear();
    }
}

impl Nested for ExpectedTree {
    type Entry = Expected;

    fn level(&self) -> btree_map::Iter<'_, String, Expected> {
        self.entries.iter()
    }

    fn as_dir(entry: &Expected) -> Option<&ExpectedTree> {
        match &entry.0 {
            Expect::Dir(sub) => Some(sub),
            _ => None,
        }
    }

    fn allows_others(&self) -> bool {
        self.open
    }
}

/// Without recursion, so that deep trees compare on any stack.
impl PartialEq for ExpectedTree {
    fn eq(&self, other: &Self) -> bool {
        equal(self, other)
    }
}

/// `ExpectedTree ` and the spec text of `assert_tree!`, `..` included, with
/// each file, link or matcher as its `Debug`; without recursion, as a
/// [`Tree`]'s.
impl fmt::Debug for ExpectedTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        f.write_str("ExpectedTree ")?;
        write_spec(self, f, pretty, None, |expected| Leaf::Debug(&expected.0))
    }
}

/// Without recursion, so that a deep tree is copied on any stack.
impl Clone for ExpectedTree {
    fn clone(&self) -> Self {
        fn level(tree: &ExpectedTree) -> impl Iterator<Item = (String, &Expected)> {
            tree.entries.iter().map(|(name, e)| (name.clone(), e))
        }
        ExpectedTree::build(level(self), self.open, |expected| match &expected.0 {
            Expect::Dir(sub) => Step::Dir(level(sub), sub.open),
            _ => Step::Entry(expected.clone()),
        })
    }
}

/// Without recursion, so that a deep tree is dropped on any stack: each
/// level hands its directories to a list before it goes.
impl Drop for ExpectedTree {
    fn drop(&mut self) {
        fn take_dirs(tree: &mut ExpectedTree, into: &mut Vec<ExpectedTree>) {
            for entry in tree.entries.values_mut() {
                if let Expect::Dir(sub) = &mut entry.0 {
                    into.push(std::mem::take(sub));
                }
            }
        }
        let mut levels = Vec::new();
        take_dirs(self, &mut levels);
        while let Some(mut level) = levels.pop() {
            take_dirs(&mut level, &mut levels);
        }
    }
}

impl From<Tree> for ExpectedTree {
    fn from(tree: Tree) -> Self {
        ExpectedTree::build(tree.into_entries(), false, |node| match node {
            Node::Dir(sub) => Step::Dir(sub.into_entries(), false),
            node => Step::Entry(from_node(node)),
        })
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
    Expect::File {
        contents,
        mode: ModeCheck::Executable(mode & 0o111 != 0),
        line_endings: LineEndings::Any,
        modified: None,
    }
}

fn from_node(node: Node) -> Expected {
    Expected(match node {
        Node::File {
            contents,
            mode,
            modified,
        } => Expect::File {
            contents: Contents::Bytes(contents),
            mode: mode.map_or(ModeCheck::Any, ModeCheck::Exact),
            line_endings: LineEndings::Exact,
            modified,
        },
        Node::Symlink { target } => Expect::Symlink { target },
        Node::Dir(tree) => Expect::Dir(tree.into()),
    })
}

/// Everything that can be an entry of a tree is expected exactly.
macro_rules! into_expected_as_node {
    ($($ty:ty),+) => {$(
        impl IntoExpected for $ty {
            fn into_expected(self) -> Expected {
                from_node(self.into_node())
            }
        }
    )+};
}

into_expected_as_node!(&str, String, &String, &[u8], Vec<u8>, &Vec<u8>, Node, Tree);

impl<const N: usize> IntoExpected for &[u8; N] {
    fn into_expected(self) -> Expected {
        from_node(self.into_node())
    }
}

impl IntoExpected for WithMode {
    /// Unlike in a [`Tree`], the default mode is checked too: it was given.
    fn into_expected(self) -> Expected {
        Expected(Expect::File {
            contents: Contents::Bytes(self.contents),
            mode: ModeCheck::Exact(self.mode),
            line_endings: LineEndings::Exact,
            modified: None,
        })
    }
}

impl IntoExpected for Modified {
    /// The time is checked, and the mode if one was given, as by [`WithMode`].
    fn into_expected(self) -> Expected {
        Expected(Expect::File {
            contents: Contents::Bytes(self.contents),
            mode: self.mode.map_or(ModeCheck::Any, ModeCheck::Exact),
            line_endings: LineEndings::Exact,
            modified: Some(self.time),
        })
    }
}

impl IntoExpected for Matcher {
    fn into_expected(self) -> Expected {
        Expected(Expect::Matcher(self))
    }
}

impl IntoExpected for ExpectedTree {
    fn into_expected(self) -> Expected {
        Expected(Expect::Dir(self))
    }
}

impl IntoExpected for Expected {
    fn into_expected(self) -> Expected {
        self
    }
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
