//! The result of a comparison: every path that differs and how, which
//! compare.rs produces, report.rs and describe.rs render, and update and
//! review mode act on. It imports neither of those, so that each depends on
//! it and not on one another.

use std::io;
use std::path::{Path, PathBuf};

use super::LineEndings;
use super::ignore::Ignore;

/// What a comparison leaves out and how it compares, as the options of
/// `assert_tree!` say: [`check_tree_with`](crate::check_tree_with) takes it.
///
/// ```
/// use fixtree::{CheckOptions, LineEndings};
///
/// let options = CheckOptions::new()
///     .ignore(["*.log", "target/"])?
///     .line_endings(LineEndings::Exact);
/// assert!(CheckOptions::new().ignore(["[unclosed"]).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    ignore: Ignore,
    line_endings: Option<LineEndings>,
    subset: bool,
}

impl CheckOptions {
    /// Compares everything, each file's line endings as its expectation says.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let options = fixtree::CheckOptions::new();
    /// assert!(fixtree::check_tree_with(dir.path(), &fixtree::Tree::new(), &options).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Leaves out the paths these globs match, as `ignore = [...]` does: `*`
    /// and `?` stay within a name, `**` crosses `/`, and a glob without `/`
    /// matches a name at any depth. A bad glob is an `InvalidInput` error
    /// naming it.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("run.log"), "noise")?;
    /// let options = fixtree::CheckOptions::new().ignore(["*.log"])?;
    /// assert!(fixtree::check_tree_with(dir.path(), &fixtree::Tree::new(), &options).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn ignore<I>(mut self, globs: I) -> io::Result<Self>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let invalid = |e| io::Error::new(io::ErrorKind::InvalidInput, e);
        self.ignore.add(globs).map_err(invalid)?;
        Ok(self)
    }

    /// Compares the line endings of every file this way, whatever its
    /// expectation says, as `line_endings = "exact"` (or `"any"`) does.
    ///
    /// ```
    /// use fixtree::{CheckOptions, LineEndings};
    ///
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("a.txt"), "x\r\n")?;
    /// let expected = fixtree::Tree::new().with("a.txt", "x\n")?;
    /// let any = CheckOptions::new().line_endings(LineEndings::Any);
    /// assert!(fixtree::check_tree_with(dir.path(), &expected, &any).is_ok());
    /// assert!(fixtree::check_tree(dir.path(), &expected).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line_endings(mut self, how: LineEndings) -> Self {
        self.line_endings = Some(how);
        self
    }

    /// Compares only the paths the expectation names, every directory
    /// open to others (`..` at every level), as `assert_tree!(dir, from =
    /// "…", ..)` does: a snapshot folder holding only the files a test is
    /// about. Update mode then rewrites and removes what the folder holds,
    /// and never adds a file to it.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::create_dir(dir.path().join("target"))?;
    /// std::fs::write(dir.path().join("target/app.bin"), "build output")?;
    /// std::fs::write(dir.path().join("Cargo.toml"), "[package]\n")?;
    ///
    /// let expected = fixtree::Tree::new().with("Cargo.toml", "[package]\n")?;
    /// assert!(fixtree::check_tree(dir.path(), &expected).is_err());
    /// let subset = fixtree::CheckOptions::new().subset();
    /// assert!(fixtree::check_tree_with(dir.path(), &expected, &subset).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn subset(mut self) -> Self {
        self.subset = true;
        self
    }
}

/// How a comparison is labelled and what it skips.
pub(crate) struct Options {
    pub(crate) ignore: Ignore,
    /// How every file's line endings compare, if not as its expectation says.
    pub(crate) line_endings: Option<LineEndings>,
    /// Whether every directory is open: only the expected paths compare.
    pub(crate) subset: bool,
    /// What the expectation is, for the first line of the report.
    pub(crate) label: String,
    /// The command that would rewrite the snapshot folder, if there is one.
    pub(crate) update_hint: Option<String>,
    /// The directory is a pending folder with this marker file, read as a
    /// snapshot folder is: its marker left out, a lone `.keep` marking an
    /// empty directory.
    pub(crate) pending_marker: Option<&'static str>,
    /// Whether a failure's report carries a tree to paste into the test:
    /// not where the fix is to update a snapshot folder.
    pub(crate) paste: bool,
    /// Whether an unexpected directory is shown file by file, each file
    /// with its text: a new snapshot folder, where nothing is expected.
    pub(crate) expand_new: bool,
}

impl Options {
    /// A comparison as `check` says, labelled `label`.
    pub(crate) fn of(check: CheckOptions, label: String) -> Options {
        Options {
            ignore: check.ignore,
            line_endings: check.line_endings,
            subset: check.subset,
            label,
            update_hint: None,
            pending_marker: None,
            paste: true,
            expand_new: false,
        }
    }
}

/// Everything that differs between a directory and its expectation; its
/// `Display` is the report `assert_tree!` panics with.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("extra.txt"), "x")?;
/// let diff = fixtree::check_tree(dir.path(), &fixtree::Tree::new()).unwrap_err();
/// assert_eq!(diff.actual_root(), dir.path());
/// assert!(diff.to_string().contains("+ extra.txt"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TreeDiff {
    // Boxed: a `Result<(), TreeDiff>` stays one pointer wide.
    pub(crate) inner: Box<DiffData>,
}

/// What [`TreeDiff`] holds.
#[derive(Debug, Default)]
pub(crate) struct DiffData {
    pub(crate) root: PathBuf,
    pub(crate) label: String,
    pub(crate) update_hint: Option<String>,
    pub(crate) differences: Vec<Difference>,
    pub(crate) matched: usize,
    pub(crate) ignored: usize,
    /// The start of the expected tree with what differs changed, as the
    /// report shows it to paste, and how many entries it leaves out; `None`
    /// if the directory could not be read.
    pub(crate) actual: Option<(String, usize)>,
    /// Why the directory could not be read.
    pub(crate) error: Option<io::Error>,
}

impl DiffData {
    /// No difference yet, for a comparison of `dir` with `options`.
    pub(crate) fn new(dir: &Path, options: &Options) -> DiffData {
        DiffData {
            root: dir.to_owned(),
            label: options.label.clone(),
            update_hint: options.update_hint.clone(),
            ..DiffData::default()
        }
    }
}

impl TreeDiff {
    /// How many entries differ (1 if the directory could not be read).
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let expected = fixtree::Tree::new().with("a", "")?.with("b", "")?;
    /// assert_eq!(fixtree::check_tree(dir.path(), &expected).unwrap_err().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.inner.differences.len() + usize::from(self.inner.error.is_some())
    }

    /// Always false: a `TreeDiff` exists only when something differs.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let expected = fixtree::Tree::new().with("a", "")?;
    /// assert!(!fixtree::check_tree(dir.path(), &expected).unwrap_err().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The directory that was checked.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let expected = fixtree::Tree::new().with("a", "")?;
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// assert_eq!(diff.actual_root(), dir.path());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn actual_root(&self) -> &Path {
        &self.inner.root
    }

    /// Why the directory could not be compared, if it could not be read:
    /// the error names the path that failed and the system's reason, as
    /// the report does instead of listing differences.
    ///
    /// ```
    /// let diff = fixtree::check_tree("/no/such/dir", &fixtree::Tree::new()).unwrap_err();
    /// let error = diff.read_error().expect("nothing there to read");
    /// assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    /// assert!(diff.to_string().starts_with("cannot read directory /no/such/dir: "));
    /// ```
    pub fn read_error(&self) -> Option<&io::Error> {
        self.inner.error.as_ref()
    }

    /// The paths that differ, `/`-separated and relative to the root, in order.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("b"), "")?;
    /// let expected = fixtree::Tree::new().with("a", "")?;
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// assert_eq!(diff.paths().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.inner.differences.iter().map(|d| d.path.as_str())
    }

    /// Each path that differs and how, in the report's order.
    ///
    /// ```
    /// use fixtree::DiffKind;
    ///
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("b"), "")?;
    /// let expected = fixtree::Tree::new().with("a", "")?;
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// let found: Vec<_> = diff.differences().map(|d| (d.path(), d.kind())).collect();
    /// assert_eq!(found, [("a", DiffKind::Missing), ("b", DiffKind::Unexpected)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn differences(&self) -> impl Iterator<Item = &Difference> {
        self.inner.differences.iter()
    }
}

impl std::error::Error for TreeDiff {}

/// One path that differs, as the report shows it; see [`TreeDiff::differences`].
#[derive(Debug)]
pub struct Difference {
    pub(crate) path: String,
    pub(crate) kind: DiffKind,
    /// What differs, in one line.
    pub(crate) description: String,
    /// The diff or excerpt shown after the tree view; bounded.
    pub(crate) details: Vec<String>,
}

impl Difference {
    /// The path, `/`-separated and relative to the directory checked.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let expected = fixtree::Tree::new().with("a/b.txt", "")?;
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// assert_eq!(diff.differences().next().unwrap().path(), "a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// How it differs.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("a"), "new")?;
    /// let expected = fixtree::Tree::new().with("a", "old")?;
    /// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
    /// assert_eq!(diff.differences().next().unwrap().kind(), fixtree::DiffKind::Changed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> DiffKind {
        self.kind
    }
}

/// How a path differs from its expectation: the report marks each with
/// `-`, `+`, `~` or `!`.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::create_dir(dir.path().join("out"))?;
/// let expected = fixtree::Tree::new().with("out", "a file")?;
/// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
/// let kinds: Vec<_> = diff.differences().map(|d| d.kind()).collect();
/// assert_eq!(kinds, [fixtree::DiffKind::KindChanged]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// Expected, not there.
    Missing,
    /// There, not expected (or expected `absent()`).
    Unexpected,
    /// Contents, mode, link target, or a matcher that fails.
    Changed,
    /// A file where a directory was expected, and so on.
    KindChanged,
}
