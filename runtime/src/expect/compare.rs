//! Comparing a directory with an [`ExpectedTree`]: every difference, with
//! the path, found in one walk.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::ignore::Ignore;
use super::pattern;
use super::walk::{Pair, side_by_side};
use super::{Expect, ExpectedTree, LineEndings, ModeCheck};
use crate::spec::Matcher;
use crate::sys;
use crate::tree::{DEFAULT_FILE_MODE, Node, Tree};

/// Checks that the directory `dir` holds what `expected` describes: exactly,
/// unless the expectation says otherwise (`..`, matchers). The
/// non-panicking form of `assert_tree!`; the error's `Display` is the same
/// report, naming every difference.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("out.txt"), "4 passed\n")?;
///
/// let expected = fixtree::Tree::new().with("out.txt", "3 passed\n")?;
/// let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
/// assert_eq!(diff.len(), 1);
/// assert!(diff.to_string().contains("~ out.txt"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_tree<E>(dir: impl AsRef<Path>, expected: &E) -> Result<(), TreeDiff>
where
    E: Clone + Into<ExpectedTree>,
{
    let options =
        Options::new(Vec::new(), "the expected tree".into()).expect("no ignore patterns to refuse");
    compare(dir.as_ref(), &expected.clone().into(), &options)
}

/// How a comparison is labelled and what it skips.
pub(crate) struct Options {
    pub(crate) ignore: Ignore,
    /// What the expectation is, for the first line of the report.
    pub(crate) label: String,
    /// The command that would rewrite the snapshot folder, if there is one.
    pub(crate) update_hint: Option<String>,
}

impl Options {
    /// `ignore` holds globs as [`Ignore::new`] takes them; a bad one is an
    /// error naming it.
    pub(crate) fn new(ignore: Vec<String>, label: String) -> Result<Options, String> {
        Ok(Options {
            ignore: Ignore::new(&ignore)?,
            label,
            update_hint: None,
        })
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
#[derive(Debug)]
pub(crate) struct DiffData {
    pub(crate) root: PathBuf,
    pub(crate) label: String,
    pub(crate) update_hint: Option<String>,
    pub(crate) differences: Vec<Difference>,
    pub(crate) matched: usize,
    pub(crate) ignored: usize,
    /// The directory as read, ignored entries left out; `None` if it could not be read.
    pub(crate) actual: Option<Tree>,
    /// Why the directory could not be read.
    pub(crate) error: Option<io::Error>,
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
}

impl std::error::Error for TreeDiff {}

impl fmt::Display for TreeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::report::write_report(&self.inner, f, false)
    }
}

/// One path that differs.
#[derive(Debug)]
pub(crate) struct Difference {
    pub(crate) path: String,
    pub(crate) mismatch: Mismatch,
}

/// How a path differs from its expectation.
#[derive(Debug)]
pub(crate) enum Mismatch {
    /// Expected, not there.
    Missing(Expect),
    /// There, not expected.
    Unexpected(Node),
    /// A file whose bytes differ (beyond line endings, if those may).
    Content {
        expected: Vec<u8>,
        actual: Vec<u8>,
        line_endings: LineEndings,
    },
    /// A file whose mode differs.
    Mode { expected: ModeCheck, actual: u32 },
    /// A symlink pointing elsewhere.
    Target { expected: PathBuf, actual: PathBuf },
    /// A file where a directory was expected, and so on.
    Retyped {
        expected: &'static str,
        actual: &'static str,
    },
    /// A file that fails a `contains` or `matches`.
    Text { matcher: Matcher, actual: Vec<u8> },
    /// Something where `absent()` was expected.
    Present(Node),
}

/// Reads `dir` and compares it with `expected`.
pub(crate) fn compare(
    dir: &Path,
    expected: &ExpectedTree,
    options: &Options,
) -> Result<(), TreeDiff> {
    let mut diff = DiffData {
        root: dir.to_owned(),
        label: options.label.clone(),
        update_hint: options.update_hint.clone(),
        differences: Vec::new(),
        matched: 0,
        ignored: 0,
        actual: None,
        error: None,
    };
    match options.ignore.read(dir) {
        Ok((actual, ignored)) => {
            compare_dir("", expected, &actual, options, &mut diff);
            diff.ignored = ignored;
            diff.actual = Some(actual);
        }
        Err(e) => diff.error = Some(e),
    }
    if diff.differences.is_empty() && diff.error.is_none() {
        Ok(())
    } else {
        Err(TreeDiff {
            inner: Box::new(diff),
        })
    }
}

fn compare_dir(
    prefix: &str,
    expected: &ExpectedTree,
    actual: &Tree,
    options: &Options,
    diff: &mut DiffData,
) {
    let entries = expected.entries.iter().map(|(name, e)| (name.as_str(), e));
    for Pair {
        path,
        expected: want,
        actual: found,
        ..
    } in side_by_side(prefix, entries, actual.entries(), &options.ignore)
    {
        let mismatch = match (want, found) {
            (None, None) => unreachable!("every name comes from one side"),
            (None, Some(_)) if expected.open => continue,
            (None, Some(node)) => Some(Mismatch::Unexpected(node.clone())),
            (Some(want), found) => compare_entry(&path, &want.0, found, options, diff),
        };
        match mismatch {
            Some(mismatch) => diff.differences.push(Difference { path, mismatch }),
            // A directory's entries count themselves.
            None if matches!(found, Some(Node::Dir(_))) => {}
            None => diff.matched += 1,
        }
    }
}

/// The difference at one expected entry, if any; recurses into directories.
fn compare_entry(
    path: &str,
    want: &Expect,
    found: Option<&Node>,
    options: &Options,
    diff: &mut DiffData,
) -> Option<Mismatch> {
    let Some(node) = found else {
        return (!only_absent(want)).then(|| Mismatch::Missing(want.clone()));
    };
    match (want, node) {
        (Expect::Matcher(Matcher::Absent), node) => Some(Mismatch::Present(node.clone())),
        (Expect::Matcher(Matcher::Any), _) => None,
        (Expect::Dir(sub), Node::Dir(tree)) => {
            compare_dir(path, sub, tree, options, diff);
            None
        }
        (
            Expect::File {
                contents,
                mode,
                line_endings,
            },
            Node::File {
                contents: actual,
                mode: actual_mode,
            },
        ) => {
            let actual_mode = actual_mode.unwrap_or(DEFAULT_FILE_MODE);
            if !line_endings.same(contents, actual) {
                Some(Mismatch::Content {
                    expected: contents.clone(),
                    actual: actual.clone(),
                    line_endings: *line_endings,
                })
            } else if !mode_fits(*mode, actual_mode) {
                Some(Mismatch::Mode {
                    expected: *mode,
                    actual: actual_mode,
                })
            } else {
                None
            }
        }
        (Expect::Symlink { target }, Node::Symlink { target: actual }) => {
            (target != actual).then(|| Mismatch::Target {
                expected: target.clone(),
                actual: actual.clone(),
            })
        }
        (
            Expect::Matcher(matcher @ (Matcher::Contains(_) | Matcher::Matches(_))),
            Node::File { contents, .. },
        ) => {
            let fits = std::str::from_utf8(contents).is_ok_and(|text| match matcher {
                Matcher::Contains(needle) => text.contains(needle.as_str()),
                Matcher::Matches(pattern) => pattern::matches(pattern, text),
                Matcher::Any | Matcher::Absent => unreachable!("matched above"),
            });
            (!fits).then(|| Mismatch::Text {
                matcher: matcher.clone(),
                actual: contents.clone(),
            })
        }
        (want, node) => Some(Mismatch::Retyped {
            expected: expected_kind(want),
            actual: node.kind(),
        }),
    }
}

/// Whether an expectation is met by nothing at all: `absent()`, or a
/// directory that only names absent entries (`"cache/lock" => absent()`
/// holds when there is no `cache`).
fn only_absent(want: &Expect) -> bool {
    match want {
        Expect::Matcher(Matcher::Absent) => true,
        Expect::Dir(sub) => {
            !sub.entries.is_empty() && sub.entries.values().all(|e| only_absent(&e.0))
        }
        _ => false,
    }
}

/// Whether `actual` passes `check`, in the bits the platform keeps (all of
/// them on Unix; on Windows only the owner's write bit, as the read-only
/// attribute): a mode the disk cannot hold cannot differ.
fn mode_fits(check: ModeCheck, actual: u32) -> bool {
    let kept = sys::KEPT_MODE_BITS;
    match check {
        ModeCheck::Any => true,
        ModeCheck::Exact(bits) => (bits ^ actual) & kept == 0,
        ModeCheck::Executable(executable) => {
            kept & 0o111 == 0 || (actual & 0o111 != 0) == executable
        }
    }
}

pub(crate) fn expected_kind(want: &Expect) -> &'static str {
    match want {
        Expect::File { .. } | Expect::Matcher(Matcher::Contains(_) | Matcher::Matches(_)) => "file",
        Expect::Symlink { .. } => "symlink",
        Expect::Dir(_) => "directory",
        Expect::Matcher(Matcher::Any | Matcher::Absent) => "entry",
    }
}
