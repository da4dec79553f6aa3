//! Comparing a directory with an [`ExpectedTree`]: every difference, with
//! the path, found in one walk. The walk lists the directory a level at a
//! time, with a stack of its own (no nesting depth overflows a test thread),
//! and reads a file only to compare its bytes, a chunk at a time: `any()`
//! and `absent()` read nothing, and what the report keeps is bounded.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::contents::{Buffers, ModeCheck, Source, StoredDirs};
use super::describe::{self, Described};
use super::ignore::Ignore;
use super::limits::DETAILED;
use super::paste::paste_tree;
use super::root::LazyRoot;
use super::workers::{self, Queue};
use super::{Expect, ExpectedTree, LineEndings};
use crate::spec::Matcher;
use crate::sys;
use crate::tree::mtime;
use crate::walk::{Entry, EntryType, Walk, join, list, side_by_side};

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
    E: AsExpectedTree + ?Sized,
{
    let options =
        Options::new(Vec::new(), "the expected tree".into()).expect("no ignore patterns to refuse");
    compare(dir.as_ref(), &expected.as_expected_tree(), &options)
}

/// What [`check_tree`] compares with: an [`ExpectedTree`] as it is, or a
/// [`Tree`](crate::Tree), expected exactly.
///
/// ```
/// use fixtree::AsExpectedTree;
///
/// let tree = fixtree::Tree::new().with("a.txt", "x")?;
/// let expected = fixtree::ExpectedTree::new().with("a.txt", "x")?;
/// assert!(tree.as_expected_tree() == std::borrow::Cow::Borrowed(&expected));
/// # Ok::<(), fixtree::TreeError>(())
/// ```
pub trait AsExpectedTree {
    /// The expectation, borrowed where it is one already: a comparison
    /// with a large [`ExpectedTree`] copies nothing.
    fn as_expected_tree(&self) -> Cow<'_, ExpectedTree>;
}

impl AsExpectedTree for ExpectedTree {
    fn as_expected_tree(&self) -> Cow<'_, ExpectedTree> {
        Cow::Borrowed(self)
    }
}

impl AsExpectedTree for crate::Tree {
    fn as_expected_tree(&self) -> Cow<'_, ExpectedTree> {
        Cow::Owned(ExpectedTree::from(self))
    }
}

/// How a comparison is labelled and what it skips.
pub(crate) struct Options {
    pub(crate) ignore: Ignore,
    /// What the expectation is, for the first line of the report.
    pub(crate) label: String,
    /// The command that would rewrite the snapshot folder, if there is one.
    pub(crate) update_hint: Option<String>,
    /// The directory is a pending folder, read as a snapshot folder is:
    /// its marker left out, a lone `.keep` marking an empty directory.
    pub(crate) actual_as_pending: bool,
}

impl Options {
    /// `ignore` holds globs as [`Ignore::new`] takes them; a bad one is an
    /// error naming it.
    pub(crate) fn new(ignore: Vec<String>, label: String) -> Result<Options, String> {
        Ok(Options {
            ignore: Ignore::new(&ignore)?,
            label,
            update_hint: None,
            actual_as_pending: false,
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
    /// The start of the directory as the report shows it to paste, and how
    /// many entries it leaves out; `None` if it could not be read.
    pub(crate) actual: Option<(super::paste::PasteTree, usize)>,
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
}

impl std::error::Error for TreeDiff {}

impl fmt::Display for TreeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::report::write_report(&self.inner, f, false)
    }
}

/// One path that differs, as the report shows it.
#[derive(Debug)]
pub(crate) struct Difference {
    pub(crate) path: String,
    pub(crate) change: Change,
    /// What differs, in one line.
    pub(crate) description: String,
    /// The diff or excerpt shown after the tree view; bounded.
    pub(crate) details: Vec<String>,
}

/// How a path differs from its expectation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// Expected, not there.
    Missing,
    /// There, not expected (or expected `absent()`).
    Unexpected,
    /// Contents, mode, link target, or a matcher that fails.
    Changed,
    /// A file where a directory was expected, and so on.
    Retyped,
}

/// What the walk does next, from a stack: compare one name of the level it
/// is in, or, once the level's names are done, go back up from it.
enum Step<'e> {
    Compare(Pending<'e>),
    Leave,
}

/// One name of a level waiting to be compared: what is expected and what
/// is on disk there.
struct Pending<'e> {
    path: String,
    expected: Option<&'e Expect>,
    actual: Option<Entry>,
}

/// Walks `dir` and compares it with `expected`: a large tree first on
/// several cores ([`workers`]), which settles a pass; a failure, and a
/// small tree, in this thread, with the report.
pub(crate) fn compare(
    dir: &Path,
    expected: &ExpectedTree,
    options: &Options,
) -> Result<(), TreeDiff> {
    let root = LazyRoot::new(dir);
    if let Some(workers) = workers::wanted(expected) {
        if workers::all_equal(dir, expected, options, &root, workers) {
            return Ok(());
        }
    }
    let mut diff = new_diff(dir, options);
    let mut reading = Reading::here();
    match walk(dir, expected, options, &root, &mut diff, &mut reading) {
        Ok(()) if diff.differences.is_empty() => return Ok(()),
        // Read only on a failure: a passing comparison reads no more than it compares.
        Ok(()) => diff.actual = paste_tree(dir, &options.ignore, root.get()).ok(),
        Err(e) => diff.error = Some(e),
    }
    Err(TreeDiff {
        inner: Box::new(diff),
    })
}

fn new_diff(dir: &Path, options: &Options) -> DiffData {
    DiffData {
        root: dir.to_owned(),
        label: options.label.clone(),
        update_hint: options.update_hint.clone(),
        differences: Vec::new(),
        matched: 0,
        ignored: 0,
        actual: None,
        error: None,
    }
}

/// Whether `dir` holds what `expected` says, the files of equal size handed
/// to `queue` to compare; stops at the first difference it sees.
pub(crate) fn equal_walk<'e>(
    dir: &Path,
    expected: &'e ExpectedTree,
    options: &Options,
    root: &LazyRoot<'_>,
    queue: &mut Queue<'_, 'e>,
) -> io::Result<bool> {
    let mut diff = new_diff(dir, options);
    let mut reading = Reading {
        buffers: Buffers::default(),
        stored: StoredDirs::default(),
        queue: Some(queue),
    };
    walk(dir, expected, options, root, &mut diff, &mut reading)?;
    Ok(diff.differences.is_empty())
}

/// How the walk compares a file's bytes with those expected.
struct Reading<'w, 'q, 'e> {
    buffers: Buffers,
    stored: StoredDirs,
    /// Where files go to be compared by workers, if anywhere: then only
    /// whether all is equal matters, and the walk stops at the first
    /// difference.
    queue: Option<&'w mut Queue<'q, 'e>>,
}

impl Reading<'_, '_, '_> {
    /// Every file compared by the walk itself, as it goes.
    fn here() -> Self {
        Reading {
            buffers: Buffers::default(),
            stored: StoredDirs::default(),
            queue: None,
        }
    }

    /// The walk moved to another directory.
    fn moved(&mut self) {
        if let Some(queue) = &mut self.queue {
            queue.moved();
        }
    }

    /// Whether the walk can stop: only whether all is equal is asked, and
    /// it is not.
    fn settled(&self, diff: &DiffData) -> bool {
        self.queue
            .as_ref()
            .is_some_and(|queue| !diff.differences.is_empty() || queue.failed())
    }
}

/// Depth first, in name order: each level's names go on the stack in
/// reverse, so that a directory's entries come right after it.
fn walk<'e>(
    dir: &Path,
    expected: &'e ExpectedTree,
    options: &Options,
    root: &LazyRoot<'_>,
    diff: &mut DiffData,
    reading: &mut Reading<'_, '_, 'e>,
) -> io::Result<()> {
    let mut dirs = Walk::new(dir)?;
    let mut stack = Vec::new();
    push_level(&mut stack, &dirs, "", expected, options, diff)?;
    while let Some(step) = stack.pop() {
        if reading.settled(diff) {
            return Ok(());
        }
        let Step::Compare(Pending {
            path,
            expected: want,
            actual: found,
        }) = step
        else {
            dirs.leave()?;
            reading.moved();
            continue;
        };
        let change = match (want, found) {
            (None, None) => unreachable!("every name comes from one side"),
            (None, Some(entry)) => Some(unexpected(&mut dirs, &path, &entry, "", options, diff)?),
            (Some(want), None) => (!only_absent(want)).then(|| {
                (
                    Change::Missing,
                    (format!("missing {}", describe::expected(want)), Vec::new()),
                )
            }),
            (Some(Expect::Matcher(Matcher::Absent)), Some(entry)) => Some(unexpected(
                &mut dirs,
                &path,
                &entry,
                ", expected absent",
                options,
                diff,
            )?),
            (
                Some(Expect::Dir(sub)),
                Some(Entry {
                    name,
                    found: EntryType::Dir,
                    ..
                }),
            ) => {
                // A directory's entries count themselves.
                dirs.enter(&name)?;
                reading.moved();
                stack.push(Step::Leave);
                push_level(&mut stack, &dirs, &path, sub, options, diff)?;
                continue;
            }
            (Some(want), Some(entry)) => {
                let detailed = diff.differences.len() < DETAILED;
                compare_entry(&dirs, &path, want, &entry, detailed, root, reading)?
            }
        };
        match change {
            Some((change, (description, details))) => diff.differences.push(Difference {
                path,
                change,
                description,
                details,
            }),
            None => diff.matched += 1,
        }
    }
    Ok(())
}

/// Lists the directory `dirs` is in, at `prefix`, and stacks its names with
/// what `expected` says of each; names an open directory does not expect
/// are left out. A name that is not UTF-8 is never paired with an expected
/// one (no spec can name it): it is unexpected, unless the level is open.
fn push_level<'e>(
    stack: &mut Vec<Step<'e>>,
    dirs: &Walk,
    prefix: &str,
    expected: &'e ExpectedTree,
    options: &Options,
    diff: &mut DiffData,
) -> io::Result<()> {
    let mut listing = list(dirs, prefix, &options.ignore, &mut diff.ignored)?;
    if options.actual_as_pending {
        super::pending::as_snapshot_level(&mut listing, prefix);
    }
    let (listing, not_utf8): (Vec<Entry>, Vec<Entry>) =
        listing.into_iter().partition(|entry| entry.utf8);
    // Paired by index, then each entry moved into its pair: no copies.
    let pairs: Vec<(String, Option<&'e Expect>, Option<usize>)> = side_by_side(
        prefix,
        expected
            .entries
            .iter()
            .map(|(name, e)| (name.as_str(), &e.0)),
        listing
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.name.as_str(), index)),
        &options.ignore,
    )
    .filter(|pair| pair.expected.is_some() || !expected.open)
    .map(|pair| (pair.path, pair.expected, pair.actual))
    .collect();
    let mut listing: Vec<Option<Entry>> = listing.into_iter().map(Some).collect();
    let mut level: Vec<Pending<'e>> = pairs
        .into_iter()
        .map(|(path, expected, actual)| Pending {
            path,
            expected,
            actual: actual.and_then(|index| listing[index].take()),
        })
        .collect();
    if !expected.open && !not_utf8.is_empty() {
        level.extend(not_utf8.into_iter().map(|entry| Pending {
            path: join(prefix, &entry.name),
            expected: None,
            actual: Some(entry),
        }));
        level.sort_by(|a, b| a.path.cmp(&b.path));
    }
    stack.extend(level.into_iter().rev().map(Step::Compare));
    Ok(())
}

/// An entry that should not be there; `why` ends its description.
fn unexpected(
    dirs: &mut Walk,
    path: &str,
    entry: &Entry,
    why: &str,
    options: &Options,
    diff: &mut DiffData,
) -> io::Result<(Change, Described)> {
    if !entry.utf8 {
        let what = format!(
            "unexpected {} whose name is not UTF-8, which no spec can name: \
             allow it with `..` or leave it out with `ignore = [...]`",
            entry.found.name()
        );
        return Ok((Change::Unexpected, (what, Vec::new())));
    }
    let files = match entry.found {
        EntryType::Dir => count_files(dirs, &entry.name, path, &options.ignore, &mut diff.ignored)?,
        _ => 0,
    };
    let what = format!("unexpected {}{why}", describe::found(&entry.found, files));
    Ok((Change::Unexpected, (what, Vec::new())))
}

/// The difference between an expectation and the entry found in the
/// directory `dirs` is in, if any; a pair of directories is the walk's.
fn compare_entry<'e>(
    dirs: &Walk,
    path: &str,
    want: &'e Expect,
    entry: &Entry,
    detailed: bool,
    root: &LazyRoot<'_>,
    reading: &mut Reading<'_, '_, 'e>,
) -> io::Result<Option<(Change, Described)>> {
    let changed = |what: String| Some((Change::Changed, (what, Vec::new())));
    Ok(match (want, &entry.found) {
        (Expect::Matcher(Matcher::Any), _) => None,
        (
            Expect::File {
                contents,
                mode,
                line_endings,
                modified,
            },
            &EntryType::File {
                len,
                mode: actual_mode,
            },
        ) => {
            if let Some(queue) = reading.queue.as_mut().filter(|_| modified.is_none()) {
                // Only whether all is equal is asked: sizes and modes
                // settle what they can before any byte is read.
                let exact = *line_endings == LineEndings::Exact;
                if !mode_fits(*mode, actual_mode) || (exact && contents.size() != len) {
                    return Ok(changed(String::new()));
                }
                queue.push(dirs, &entry.name, len, contents, *line_endings)?;
                return Ok(None);
            }
            let actual = Source::listed(dirs, entry, len);
            let expected = reading.stored.source(contents, &entry.name)?;
            match reading
                .buffers
                .first_difference(expected, actual, *line_endings)?
            {
                Some(at) => {
                    let described = describe::content(
                        path,
                        expected,
                        actual,
                        at,
                        *line_endings,
                        detailed,
                        root.get(),
                    )?;
                    Some((Change::Changed, described))
                }
                None if !mode_fits(*mode, actual_mode) => changed(format!(
                    "mode {actual_mode:04o}, expected {}",
                    mode_wanted(*mode)
                )),
                None => match modified {
                    Some(want) => modified_differs(dirs, entry, *want)?.and_then(changed),
                    None => None,
                },
            }
        }
        (Expect::Symlink { target }, EntryType::Symlink(actual)) => (target != actual).then(|| {
            (
                Change::Changed,
                (
                    format!(
                        "symlink to {}, expected {}",
                        actual.display(),
                        target.display()
                    ),
                    Vec::new(),
                ),
            )
        }),
        (
            Expect::Matcher(matcher @ (Matcher::Contains(_) | Matcher::Matches(_))),
            &EntryType::File { len, .. },
        ) => {
            let actual = Source::listed(dirs, entry, len);
            describe::matcher(path, matcher, actual, detailed, root.get())?
                .map(|described| (Change::Changed, described))
        }
        (want, found) => Some((
            Change::Retyped,
            (
                format!("expected {}, found {}", expected_kind(want), found.name()),
                Vec::new(),
            ),
        )),
    })
}

/// How many files (and links) are under the directory `name` of the one
/// `dirs` is in, at `prefix`, ignored entries aside.
fn count_files(
    dirs: &mut Walk,
    name: &str,
    prefix: &str,
    ignore: &Ignore,
    ignored: &mut usize,
) -> io::Result<usize> {
    let mut count = 0;
    // A directory to enter (its name and path from the root), or `None`:
    // back up from the one entered last.
    let mut stack = vec![Some((name.to_owned(), prefix.to_owned()))];
    while let Some(step) = stack.pop() {
        let Some((name, prefix)) = step else {
            dirs.leave()?;
            continue;
        };
        dirs.enter(&name)?;
        stack.push(None);
        for entry in list(dirs, &prefix, ignore, ignored)? {
            match entry.found {
                // One that is not UTF-8 is counted, not entered: its name
                // on disk is not the one listed.
                EntryType::Dir if entry.utf8 => {
                    let path = join(&prefix, &entry.name);
                    stack.push(Some((entry.name, path)));
                }
                _ => count += 1,
            }
        }
    }
    Ok(count)
}

/// Whether an expectation is met by nothing at all: `absent()`, or a
/// directory that only names absent entries (`"cache/lock" => absent()`
/// holds when there is no `cache`).
fn only_absent(want: &Expect) -> bool {
    let mut wants = vec![want];
    while let Some(want) = wants.pop() {
        match want {
            Expect::Matcher(Matcher::Absent) => {}
            Expect::Dir(sub) if !sub.entries.is_empty() => {
                wants.extend(sub.entries.values().map(|e| &e.0));
            }
            _ => return false,
        }
    }
    true
}

/// "modified <when>, expected <when>" if the file `entry` was not modified
/// within [`TOLERANCE`](mtime::TOLERANCE) of `want`.
fn modified_differs(dirs: &Walk, entry: &Entry, want: SystemTime) -> io::Result<Option<String>> {
    let (_, metadata) = dirs.open_file(entry)?;
    let actual = metadata
        .modified()
        .map_err(|e| dirs.error_at(e, "read the modification time of", entry))?;
    Ok((!mtime::close_enough(actual, want)).then(|| {
        format!(
            "modified {}, expected {}",
            mtime::Described(actual),
            mtime::Described(want)
        )
    }))
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

fn mode_wanted(check: ModeCheck) -> String {
    match check {
        ModeCheck::Exact(bits) => format!("{bits:04o}"),
        ModeCheck::Executable(true) => "executable".to_owned(),
        ModeCheck::Executable(false) => "not executable".to_owned(),
        ModeCheck::Any => "any".to_owned(),
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
