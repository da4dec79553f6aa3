//! Comparing a directory with an [`ExpectedTree`]: every difference, with
//! the path, found in one walk. The walk lists the directory a level at a
//! time, with a stack of its own (no nesting depth overflows a test thread),
//! and reads a file only to compare its bytes, a chunk at a time: `any()`
//! and `absent()` read nothing, and what the report keeps is bounded.
//!
//! One thread: measured on 2 shared cores, worker threads comparing files
//! beside the walk cost half as much CPU again and lost wall time at 1,000
//! and 10,000 files (with two threads every call on a descriptor contends
//! for the shared descriptor table), and `cargo test` already runs tests on
//! every core.

use std::cell::Cell;
use std::io;
use std::path::Path;
use std::time::SystemTime;

use super::contents::{ModeCheck, Source, StoredDirs, first_difference};
use super::describe::{self, Described, expected_kind};
use super::diff::{CheckOptions, DiffData, DiffKind, Difference, Options, TreeDiff};
use super::limits::DETAILED;
use super::paste::paste_proposal;
use super::root::Root;
use super::{Expected, ExpectedTree, Want, Wanted};
use crate::spec::Matcher;
use crate::sys;
use crate::tree::{self, Entries, Node, Tree, TreeNode, mtime};
use crate::walk::{
    DepthFirst, Entry, EntryType, Event, KEEP_MARKER, Skip, Walk, join, list, side_by_side,
};

/// Checks that the directory `dir` holds what `expected` describes: an
/// [`ExpectedTree`] as it says (`..`, matchers), a [`Tree`](crate::Tree)
/// exactly. The non-panicking form of `assert_tree!`; the error's `Display`
/// is the same report, naming every difference.
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
#[allow(private_bounds)] // sealed: only the two trees
pub fn check_tree<E: Expects>(dir: impl AsRef<Path>, expected: &E) -> Result<(), TreeDiff> {
    check_tree_with(dir, expected, &CheckOptions::new())
}

/// [`check_tree`], with what `assert_tree!`'s options say: paths to leave
/// out, how line endings compare.
///
/// ```
/// use fixtree::CheckOptions;
///
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("out.txt"), "done\n")?;
/// std::fs::write(dir.path().join("run.log"), "noise\n")?;
///
/// let expected = fixtree::Tree::new().with("out.txt", "done\n")?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_err());
/// let options = CheckOptions::new().ignore(["*.log"])?;
/// assert!(fixtree::check_tree_with(dir.path(), &expected, &options).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(private_bounds)] // sealed: only the two trees
pub fn check_tree_with<E: Expects>(
    dir: impl AsRef<Path>,
    expected: &E,
    options: &CheckOptions,
) -> Result<(), TreeDiff> {
    let options = Options::of(options.clone(), "the expected tree".to_owned());
    compare(dir.as_ref(), expected, &options)
}

/// A tree a comparison reads its expectation from, as it is: no copy.
pub(crate) trait Expects {
    type Leaf: Want;
    fn entries(&self) -> &Entries<Self::Leaf>;
}

impl Expects for ExpectedTree {
    type Leaf = Expected;
    fn entries(&self) -> &Entries<Expected> {
        &self.entries
    }
}

impl Expects for Tree {
    type Leaf = Node;
    fn entries(&self) -> &Entries<Node> {
        &self.entries
    }
}

/// A name of a level to compare: its path, what is expected there and what
/// is on disk.
type Pending<'e, N> = (String, Option<&'e N>, Option<Entry>);

/// Walks `dir` and compares it with `expected`; the report's paste tree
/// is read only on a failure.
pub(crate) fn compare<E: Expects + ?Sized>(
    dir: &Path,
    expected: &E,
    options: &Options,
) -> Result<(), TreeDiff> {
    let root = Root::of(dir);
    let mut diff = DiffData::new(dir, options);
    match walk(dir, expected.entries(), options, &root, &mut diff) {
        Ok(()) if diff.differences.is_empty() => return Ok(()),
        Ok(()) if !options.paste => {}
        // Read only on a failure: a passing comparison reads no more than it compares.
        Ok(()) => {
            let (entries, differences) = (expected.entries(), &diff.differences);
            diff.actual = paste_proposal(dir, entries, differences, &options.ignore, &root).ok();
        }
        Err(e) => diff.error = Some(e),
    }
    Err(TreeDiff {
        inner: Box::new(diff),
    })
}

/// Depth first, in name order: the levels entered, each with the names it
/// has left, the one the walk is in last.
fn walk<N: Want>(
    dir: &Path,
    expected: &Entries<N>,
    options: &Options,
    root: &Root,
    diff: &mut DiffData,
) -> io::Result<()> {
    let mut stored = StoredDirs::default();
    // What a new directory expects, shown file by file: nothing.
    let nothing = Entries::default();
    let mut dirs = Walk::new(dir)?;
    let mut levels = vec![level(&dirs, "", expected, options, diff)?.into_iter()];
    while let Some(names) = levels.last_mut() {
        let Some((path, want, found)) = names.next() else {
            levels.pop();
            if !levels.is_empty() {
                dirs.leave()?;
            }
            continue;
        };
        let change = match (want.map(Want::want), found) {
            (None, None) => unreachable!("every name comes from one side"),
            (Some(want), None) => (!only_absent(&want)).then(|| {
                said(
                    DiffKind::Missing,
                    format!("missing {}", describe::expected(&want)),
                )
            }),
            (None, Some(entry))
                if options.expand_new && entry.utf8 && matches!(entry.found, EntryType::Dir) =>
            {
                dirs.enter(&entry.name)?;
                let names = level(&dirs, &path, &nothing, options, diff)?;
                let empty = names.is_empty();
                levels.push(names.into_iter());
                // Its files show themselves, an empty one itself.
                match empty {
                    true => Some(said(DiffKind::Unexpected, "new empty directory".to_owned())),
                    false => continue,
                }
            }
            (absent @ (None | Some(Wanted::Matcher(Matcher::Absent))), Some(entry)) => {
                let why = absent.map_or("", |_| ", expected absent");
                let at = (&mut dirs, path.as_str(), &entry);
                Some(unexpected(at, why, options, root, diff)?)
            }
            (Some(Wanted::Dir(sub)), Some(entry)) if matches!(entry.found, EntryType::Dir) => {
                // A directory's entries count themselves.
                dirs.enter(&entry.name)?;
                levels.push(level(&dirs, &path, sub, options, diff)?.into_iter());
                continue;
            }
            (Some(want), Some(entry)) => {
                let detailed = diff.differences.len() < DETAILED;
                let at = (&dirs, path.as_str(), &entry);
                compare_entry(at, want, options, detailed, root, &mut stored)?
            }
        };
        match change {
            Some((kind, (description, details))) => diff.differences.push(Difference {
                path,
                kind,
                description,
                details,
            }),
            None => diff.matched += 1,
        }
    }
    Ok(())
}

/// The names of the directory `dirs` is in, at `prefix`, in order, with
/// what `expected` says of each; names an open directory (every one, in
/// a subset comparison) does not expect are left out. A name that is not UTF-8 pairs with an expected one only
/// by its spelling ([`Entry::named`]); one it has not is unexpected, unless
/// the level is open.
fn level<'e, N: Want>(
    dirs: &Walk,
    prefix: &str,
    expected: &'e Entries<N>,
    options: &Options,
    diff: &mut DiffData,
) -> io::Result<Vec<Pending<'e, N>>> {
    let mut listing = list(dirs, prefix, &options.ignore, &mut diff.ignored)?;
    if let Some(marker) = options.pending_marker {
        // As a snapshot folder's listing reads.
        if prefix.is_empty() {
            listing.retain(|entry| entry.name != marker);
        }
        if listing.len() == 1 && listing[0].name == KEEP_MARKER {
            listing.clear();
        }
    }
    let (listing, not_utf8): (Vec<Entry>, Vec<Entry>) = listing.into_iter().partition(Entry::named);
    let expects = expected.iter().map(|(name, e)| (name.as_str(), e));
    let found = listing.iter().map(|entry| (entry.name.as_str(), entry));
    let open = expected.open || options.subset;
    let mut level: Vec<Pending<'e, N>> = side_by_side(prefix, expects, found, &options.ignore)
        .filter(|pair| pair.expected.is_some() || !open)
        .map(|pair| (pair.path, pair.expected, pair.actual.cloned()))
        .collect();
    if !open && !not_utf8.is_empty() {
        let paths = not_utf8
            .into_iter()
            .map(|e| (join(prefix, &e.name), None, Some(e)));
        level.extend(paths);
        level.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(level)
}

/// A difference with nothing to show after its line.
fn said(kind: DiffKind, what: String) -> (DiffKind, Described) {
    (kind, (what, Vec::new()))
}

/// An entry that should not be there, at `path` in the directory `dirs` is
/// in; `why` ends its description.
fn unexpected(
    (dirs, path, entry): (&mut Walk, &str, &Entry),
    why: &str,
    options: &Options,
    root: &Root,
    diff: &mut DiffData,
) -> io::Result<(DiffKind, Described)> {
    let what = match entry.found {
        // Where the system gives it a spelling, the runtime API can expect it.
        _ if !entry.utf8 && entry.named() => format!(
            "unexpected {} whose name is not UTF-8, which spec text cannot name: allow it \
             with `..`, leave it out with `ignore = [...]`, or expect it with `Tree::insert_os`",
            entry.found.name()
        ),
        _ if !entry.utf8 => format!(
            "unexpected {} whose name is not UTF-8, which no spec can name: \
             allow it with `..` or leave it out with `ignore = [...]`",
            entry.found.name()
        ),
        // In a new folder: each file with its text (see `Options::expand_new`).
        EntryType::File { len, .. } if options.expand_new => {
            let (actual, detailed) = (
                Source::listed(dirs, entry, len),
                diff.differences.len() < DETAILED,
            );
            let shown = describe::new_file(path, actual, detailed, root)?;
            return Ok((DiffKind::Unexpected, shown));
        }
        ref found if options.expand_new => format!("new {}", describe::found(found, 0)),
        ref found => {
            let files = match found {
                EntryType::Dir => count_files(dirs, &entry.name, path, options, diff)?,
                _ => 0,
            };
            format!("unexpected {}{why}", describe::found(found, files))
        }
    };
    Ok(said(DiffKind::Unexpected, what))
}

/// The difference between an expectation and the entry found at `path` in
/// the directory `dirs` is in, if any; a pair of directories is the walk's.
fn compare_entry<N: TreeNode>(
    (dirs, path, entry): (&Walk, &str, &Entry),
    want: Wanted<'_, N>,
    options: &Options,
    detailed: bool,
    root: &Root,
    stored: &mut StoredDirs,
) -> io::Result<Option<(DiffKind, Described)>> {
    let changed = |what: String| Some(said(DiffKind::Changed, what));
    Ok(match (want, &entry.found) {
        (Wanted::Matcher(Matcher::Any), _) => None,
        (Wanted::File(contents, check), &EntryType::File { len, mode }) => {
            let line_endings = options.line_endings.unwrap_or(check.line_endings);
            let actual = Source::listed(dirs, entry, len);
            let expected = stored.source(contents, &entry.name)?;
            match first_difference(expected, actual, line_endings)? {
                Some(at) => {
                    let (old, new) = (expected, actual);
                    let shown =
                        describe::content(path, old, new, at, line_endings, detailed, root)?;
                    Some((DiffKind::Changed, shown))
                }
                None => match (mode_differs(check.mode, mode), check.modified) {
                    (Some(what), _) => changed(what),
                    (None, Some(want)) => modified_differs(dirs, entry, want)?.and_then(changed),
                    (None, None) => None,
                },
            }
        }
        (Wanted::Symlink(target), EntryType::Symlink(actual)) => (target != actual).then(|| {
            let (actual, target) = (actual.display(), target.display());
            said(
                DiffKind::Changed,
                format!("symlink to {actual}, expected {target}"),
            )
        }),
        (
            Wanted::Matcher(matcher @ (Matcher::Contains(_) | Matcher::Matches(_))),
            &EntryType::File { len, .. },
        ) => {
            let actual = Source::listed(dirs, entry, len);
            describe::matcher(path, matcher, actual, detailed, root)?
                .map(|described| (DiffKind::Changed, described))
        }
        (want, found) => Some(said(
            DiffKind::KindChanged,
            format!("expected {}, found {}", expected_kind(&want), found.name()),
        )),
    })
}

/// How many files (and links) are under the directory `name` of the one
/// `dirs` is in, at `path`, ignored entries aside (and counted into `ignored`).
fn count_files(
    dirs: &mut Walk,
    name: &str,
    path: &str,
    options: &Options,
    diff: &mut DiffData,
) -> io::Result<usize> {
    let skipped = Cell::new(0);
    let skip = |path: &str| {
        let skips = options.ignore.skips(path);
        skipped.set(skipped.get() + usize::from(skips));
        skips
    };
    dirs.enter(name)?;
    let mut events = DepthFirst::new(dirs, path, &skip)?;
    let mut files = 0;
    // A directory whose name is not UTF-8 is a leaf, counted: never entered.
    while let Some(event) = events.next()? {
        files += usize::from(matches!(event, Event::Leaf(_)));
    }
    dirs.leave()?;
    diff.ignored += skipped.get();
    Ok(files)
}

/// Whether an expectation is met by nothing at all: `absent()`, or a
/// directory that only names absent entries (`"cache/lock" => absent()`
/// holds when there is no `cache`).
fn only_absent<N: Want>(want: &Wanted<'_, N>) -> bool {
    match want {
        Wanted::Matcher(Matcher::Absent) => true,
        Wanted::Dir(sub) => {
            !sub.is_empty()
                && sub.visit().all(|event| match event {
                    tree::Event::Leaf(_, leaf) => {
                        matches!(leaf.want(), Wanted::Matcher(Matcher::Absent))
                    }
                    tree::Event::Enter(_, dir) => !dir.is_empty(),
                    tree::Event::Leave(_) => true,
                })
        }
        _ => false,
    }
}

/// "modified <when>, expected <when>" if the file `entry` was not modified
/// within [`TOLERANCE`](mtime::TOLERANCE) of `want`.
fn modified_differs(dirs: &Walk, entry: &Entry, want: SystemTime) -> io::Result<Option<String>> {
    let (_, metadata) = dirs.open_file(entry)?;
    let actual = metadata
        .modified()
        .map_err(|e| dirs.error_at(e, "read the modification time of", entry))?;
    let (shown, wanted) = (mtime::Described(actual), mtime::Described(want));
    Ok(
        (!mtime::close_enough(actual, want))
            .then(|| format!("modified {shown}, expected {wanted}")),
    )
}

/// "mode 0o644, expected executable" if `actual` fails `check` in the bits
/// the platform keeps (all of them on Unix; on Windows only the owner's
/// write bit, as the read-only attribute): a mode the disk cannot hold
/// cannot differ.
fn mode_differs(check: ModeCheck, actual: u32) -> Option<String> {
    let kept = sys::KEPT_MODE_BITS;
    let wanted = match check {
        ModeCheck::Exact(bits) if (bits ^ actual) & kept != 0 => format!("0o{bits:03o}"),
        ModeCheck::Executable(exec) if kept & 0o111 != 0 && (actual & 0o111 != 0) != exec => {
            format!("{}executable", if exec { "" } else { "not " })
        }
        _ => return None,
    };
    Some(format!("mode 0o{actual:03o}, expected {wanted}"))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::expect::limits::TEXT_BYTES;
    use crate::expect::pending::{MARKER, folder_diff};
    use crate::{ExpectedTree, Tree, check_tree};

    /// 300 files, ten to a directory.
    fn large() -> crate::TempDir {
        let tree = (0..300)
            .try_fold(Tree::new(), |tree, i| {
                let key = format!("d{}/f{i:04}.txt", i / 10);
                tree.with(&key, format!("file {i}\ntext\n"))
            })
            .unwrap();
        let dir = crate::tempdir().unwrap();
        tree.write_to(dir.path()).unwrap();
        dir
    }

    #[test]
    fn a_large_tree_that_differs_is_reported_in_full_and_in_order() {
        let (dir, folder) = (large(), large());
        fs::write(dir.path().join("d3/f0031.txt"), "file 31\ntexT\n").unwrap();
        fs::write(dir.path().join("d20/f0200.txt"), "longer than it was\n").unwrap();
        let expected = ExpectedTree::from_snapshot(folder.path()).unwrap();
        let diff = check_tree(dir.path(), &expected).unwrap_err();
        assert_eq!(
            diff.paths().collect::<Vec<_>>(),
            ["d20/f0200.txt", "d3/f0031.txt"]
        );
        let report = diff.to_string();
        assert!(report.contains("+texT"), "{report}");
        assert!(report.contains("+longer than it was"), "{report}");
    }

    /// Reviewing a snapshot folder that does not exist yet shows each file
    /// of the pending one with its text, capped (one too large to read, by
    /// its size), and no tree to paste.
    #[test]
    fn a_new_folder_is_shown_file_by_file_with_its_text_capped() {
        let root = crate::tempdir().unwrap();
        let (folder, pending) = (root.path().join("snap"), root.path().join("snap.pending"));
        let long: String = (1..=45).map(|i| format!("line {i}\n")).collect();
        let tree = Tree::new()
            .with("src/lib.rs", "pub fn f() {}\n")
            .and_then(|t| t.with("src/notes/long.txt", long))
            .and_then(|t| t.with("logo.bin", vec![0_u8, 1, 2, 3]))
            .and_then(|t| t.with("empty/.keep", ""))
            .and_then(|t| t.with(MARKER, "fixtree-pending-folder 1\ntest=t\nfolder=snap\n"))
            .unwrap();
        fs::create_dir(&pending).unwrap();
        tree.write_to(&pending).unwrap();
        let big = fs::File::create(pending.join("big.log")).unwrap();
        big.set_len(TEXT_BYTES + 1).unwrap();
        let report = folder_diff(&folder, &pending, false).unwrap().unwrap();
        let report = report.replace(&root.path().display().to_string(), "<tmp>");
        let lines: Vec<&str> = report.lines().collect();
        let sep = std::path::MAIN_SEPARATOR;
        let header = format!("tree mismatch: <tmp>{sep}snap.pending vs <tmp>{sep}snap");
        let first = [
            header.as_str(),
            "5 unexpected (0 matched, 0 ignored)",
            "+ big.log             new file (4.0 MiB, too large to show: a report reads at most 4.0 MiB)",
            "+ empty               new empty directory",
            "+ logo.bin            new binary file, 4 B (hash 4475327f)",
            "+ src/lib.rs          new file (14 B)",
            "+ src/notes/long.txt  new file (351 B)",
            "--- /dev/null",
            "+++ new/src/lib.rs",
            "+pub fn f() {}",
            "--- /dev/null",
            "+++ new/src/notes/long.txt",
            "+line 1",
        ];
        assert_eq!(lines[..first.len()], first, "{report}");
        let last = ["+line 39", "+line 40", "… 5 more lines"];
        assert_eq!(lines[lines.len() - last.len()..], last, "{report}");
    }
}
