//! What a report offers to paste into the test: the expectation with what
//! differs changed to what the directory holds, its first entries, depth
//! first. Entries show as the directory holds them, small files with their
//! contents and larger ones as `any()` with their size — never read — but a
//! matcher stays as written (a failing one marked so), and so does a
//! level's `..`, the entries it allows left out. For an exact expectation
//! that is the directory itself. Review mode's records take their values
//! from here too, in full.
//!
//! A text file that names the directory itself is shown as
//! `matches("…[ROOT]…")`, so that pasted back it passes in the next run's
//! directory too. Its other text goes into the pattern as it is: `matches`
//! has no escapes, but `[..]` matches "[..]" and a `...` line a "..." line;
//! a "[ROOT]" of its own, which `[ROOT]` never matches, goes in as `[..]`.
//! So the pattern still passes, only looser at those places. A file that
//! does not name the directory is shown as its exact text.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::path::Path;

use super::contents::Source;
use super::describe::thousands;
use super::diff::{DiffKind, Difference};
use super::ignore::Ignore;
use super::limits::{RECORD_BYTES, RECORD_ENTRIES, SPEC_ENTRIES, SPEC_FILE_BYTES};
use super::root::Root;
use super::{Want, Wanted};
use crate::spec::Matcher;
use crate::tree::{self, Entries, Leaf, Node, Size, TreeNode, tree_node, write_spec};
use crate::walk::{DepthFirst, EntryType, Event, Skip, Walk, join};

/// The first entries of a directory.
pub(crate) type PasteTree = Entries<PasteNode>;

pub(crate) enum PasteNode {
    Dir(PasteTree),
    /// A file with its contents, or a symbolic link.
    Read(Node),
    /// A file over [`SPEC_FILE_BYTES`], of this many bytes.
    Unread(u64),
    /// Spec text as it is: a text file that names the root, as
    /// `matches("…")`, or a matcher of the expectation.
    Spec(SpecText),
}

/// Spec text, which its `Debug` writes as it is.
pub(crate) struct SpecText(String);

impl fmt::Debug for SpecText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The file `contents` as the pasted tree shows it: as a pattern if it is
/// text that names `root`, else as it is.
fn paste_node(contents: Vec<u8>, mode: u32, root: &Root) -> PasteNode {
    match std::str::from_utf8(&contents) {
        Ok(text) if root.named_in(text) => {
            // A `str`'s `Debug` is a Rust string literal with its escapes.
            let mut spec = format!("matches({:?})", root.pattern(text));
            if let Node::File {
                mode: Some(mode), ..
            } = Node::file_with_mode([], mode)
            {
                spec += &format!(" /* mode 0o{mode:03o}, not checked by matches */");
            }
            PasteNode::Spec(SpecText(spec))
        }
        _ => PasteNode::Read(Node::file_with_mode(contents, mode)),
    }
}

tree_node!(PasteNode, PasteNode::Dir(tree) => *tree, |entries| PasteNode::Dir(entries));

/// The expectation `expected` with what `differences` says differs changed
/// to what `dir` holds: its first [`SPEC_ENTRIES`] entries as spec text, and
/// how many more there are; `root` spells `dir` as its files may name it.
pub(crate) fn paste_proposal<N: Want>(
    dir: &Path,
    expected: &Entries<N>,
    differences: &[Difference],
    ignore: &Ignore,
    root: &Root,
) -> io::Result<(String, usize)> {
    // The walk asks about a directory's entries right after entering it:
    // what the spec says of the last one's parent is kept, so that each
    // costs one lookup, however deep.
    let last = RefCell::new((String::new(), Some(expected)));
    let skip = |path: &str| {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        let mut last = last.borrow_mut();
        if last.0 != parent {
            let one_deeper = match last.0.as_str() {
                "" => Some(parent),
                above => (parent.strip_prefix(above)).and_then(|rest| rest.strip_prefix('/')),
            };
            let one_deeper = one_deeper.filter(|segment| !segment.contains('/'));
            let level = match one_deeper {
                Some(segment) => what_the_spec_says(last.1, segment).1,
                None => (parent.split('/').filter(|part| !part.is_empty()))
                    .try_fold(expected, |level, part| {
                        what_the_spec_says(Some(level), part).1
                    }),
            };
            *last = (parent.to_owned(), level);
        }
        ignore.skips(path) || what_the_spec_says(last.1, name).0
    };
    // At most SPEC_ENTRIES files of SPEC_FILE_BYTES: no total to cap.
    let (mut tree, left_out) =
        read_tree(dir, &skip, root, SPEC_ENTRIES, SPEC_FILE_BYTES, u64::MAX)?;
    tree.open = expected.open;
    // The path of the level the visit is in.
    let mut level = String::new();
    for event in expected.visit() {
        let (name, matcher) = match event {
            tree::Event::Enter(name, sub) => {
                if !level.is_empty() {
                    level.push('/');
                }
                level.push_str(name);
                if let Some(dir) = level_mut(&mut tree, &level).filter(|_| sub.open) {
                    dir.open = true;
                }
                continue;
            }
            tree::Event::Leave(_) => {
                level.truncate(level.rfind('/').unwrap_or(0));
                continue;
            }
            tree::Event::Leaf(name, leaf) => match leaf.want() {
                Wanted::Matcher(matcher) => (name, matcher),
                _ => continue,
            },
        };
        let path = join(&level, name);
        let failed = differences.iter().find(|d| d.path == path);
        let (Some(dir), false) = (
            level_mut(&mut tree, &level),
            // Nothing there: the spec's to drop.
            failed.is_some_and(|d| d.kind == DiffKind::Missing),
        ) else {
            continue;
        };
        let mut text = matcher_text(matcher);
        if let Some(failed) = failed {
            // A description may quote text that would end the comment.
            let why = failed.description.replace("*/", "* /");
            text += &format!(" /* fails: {why} */");
        }
        dir.map
            .insert(name.to_owned(), PasteNode::Spec(SpecText(text)));
    }
    Ok((format!("{tree:?}"), left_out))
}

/// What the spec level `level` says of its entry `name` (`None`: no spec
/// level, nothing said): whether it is left as the spec has it, unread (a
/// name that `..` allows, or one a matcher stands for), and its own level
/// if it is an expected directory.
fn what_the_spec_says<'e, N: Want>(
    level: Option<&'e Entries<N>>,
    name: &str,
) -> (bool, Option<&'e Entries<N>>) {
    let Some(level) = level else {
        return (false, None);
    };
    match level.get(name).map(Want::want) {
        None => (level.open, None),
        Some(Wanted::Dir(sub)) => (false, Some(sub)),
        Some(Wanted::Matcher(_)) => (true, None),
        Some(_) => (false, None),
    }
}

/// The directory at `path` in `tree`, `""` for `tree` itself, if it holds one.
fn level_mut<'t>(tree: &'t mut PasteTree, path: &str) -> Option<&'t mut PasteTree> {
    let mut dir = tree;
    for part in path.split('/').filter(|part| !part.is_empty()) {
        dir = dir.map.get_mut(part)?.as_dir_mut()?;
    }
    Some(dir)
}

/// The entries of `dir` at `paths` (`/`-separated, none below another),
/// each with everything below it but the ignored entries, as spec text,
/// unindented: the values review mode records, complete. `None` for one
/// not read: its name is not UTF-8. Refused, with a snapshot folder
/// suggested instead, past [`RECORD_ENTRIES`] entries or [`RECORD_BYTES`] of
/// spec text for them all as one spec (each under its parents, indented):
/// a value cut short would fail once accepted, and an inline spec is
/// source someone reads.
pub(crate) fn complete_entries(
    dir: &Path,
    ignore: &Ignore,
    paths: &[&str],
) -> io::Result<Vec<Option<String>>> {
    let too_large = |what: String| {
        io::Error::other(format!(
            "what differs is too large for an inline spec ({what}): compare the directory with \
             a snapshot folder instead, `assert_tree!(dir, from = \"tests/snapshots/…\")`, \
             which `FIXTREE_UPDATE=review` records as a folder"
        ))
    };
    let over_entries = |entries: usize| {
        let entries = thousands(entries as u64);
        too_large(format!(
            "{entries} entries, over {}",
            thousands(RECORD_ENTRIES as u64)
        ))
    };
    // Each path is an entry at least: more is refused before any is read.
    if paths.len() > RECORD_ENTRIES {
        return Err(over_entries(paths.len()));
    }
    // Only what is on the way to a path, or below one, is read.
    let wanted = |path: &str| {
        paths
            .iter()
            .any(|p| is_within(path, p) || is_within(p, path))
    };
    let skip = |path: &str| ignore.skips(path) || !wanted(path);
    let cap = RECORD_BYTES as u64;
    let (mut tree, left_out) = read_tree(dir, &skip, &Root::of(dir), RECORD_ENTRIES, cap, cap)?;
    if left_out > 0 {
        return Err(over_entries(RECORD_ENTRIES + left_out));
    }
    let mut text = Capped(String::new());
    let mut unread = None;
    let written = write_spec(&tree, &mut text, true, None, |node| {
        if let PasteNode::Unread(len) = node {
            unread = Some(*len);
        }
        leaf(node)
    });
    let over = || too_large(format!("over {} of spec text", Size(cap)));
    match (unread, written) {
        (Some(len), _) if len > cap => Err(too_large(format!("a file of {}", Size(len)))),
        // Left unread only because the files before it took the whole cap.
        (Some(_), _) | (None, Err(fmt::Error)) => Err(over()),
        (None, Ok(())) => Ok(paths
            .iter()
            .map(|path| take(&mut tree, path).map(spec_text))
            .collect()),
    }
}

/// Whether `path` is `dir` or below it, both `/`-separated.
fn is_within(path: &str, dir: &str) -> bool {
    (path.strip_prefix(dir)).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The entry at `path` in `tree`, taken out of it.
fn take(tree: &mut PasteTree, path: &str) -> Option<PasteNode> {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    level_mut(tree, parent)?.map.remove(name)
}

/// What `expected` says at `path`, `/`-separated: its entry there, if any.
pub(crate) fn expected_at<'e, N: TreeNode>(expected: &'e Entries<N>, path: &str) -> Option<&'e N> {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    let mut dir = expected;
    for part in parent.split('/').filter(|part| !part.is_empty()) {
        dir = dir.get(part)?.as_dir()?;
    }
    dir.get(name)
}

/// `node` as spec text, unindented, in full.
fn spec_text(node: PasteNode) -> String {
    let mut text = String::new();
    let written = match node {
        PasteNode::Dir(entries) => write_spec(&entries, &mut text, true, None, leaf),
        leaf_node => {
            // The printer writes directories: one holding only this leaf,
            // named "", on one line, less its `{ "" => ` and ` }`.
            let one = PasteTree {
                map: [(String::new(), leaf_node)].into(),
                open: false,
            };
            let written = write_spec(&one, &mut text, false, None, leaf);
            text = text[r#"{ "" => "#.len()..text.len() - " }".len()].to_owned();
            written
        }
    };
    written.expect("writing to a String cannot fail");
    text
}

/// A matcher as spec text: `contains("done")`.
pub(crate) fn matcher_text(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Contains(needle) => format!("contains({needle:?})"),
        Matcher::Matches(pattern) => format!("matches({pattern:?})"),
        Matcher::Any => "any()".to_owned(),
        Matcher::Absent => "absent()".to_owned(),
    }
}

/// Spec text up to [`RECORD_BYTES`]: writing more is an error, so that a
/// refused spec never takes more memory than an accepted one.
struct Capped(String);

impl fmt::Write for Capped {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.0.len() + s.len() > RECORD_BYTES {
            return Err(fmt::Error);
        }
        self.0.push_str(s);
        Ok(())
    }
}

/// The first `max_entries` entries of `dir` that `skip` leaves in, files
/// over `max_file_bytes` left unread and so are those past `max_total_bytes`
/// read in all, and how many entries were left out; `root` spells `dir` as
/// its files may name it.
fn read_tree(
    dir: &Path,
    skip: &dyn Skip,
    root: &Root,
    max_entries: usize,
    max_file_bytes: u64,
    max_total_bytes: u64,
) -> io::Result<(PasteTree, usize)> {
    let mut tree = PasteTree::default();
    let (mut kept, mut left_out, mut total) = (0, 0, 0);
    let mut walk = Walk::new(dir)?;
    let mut events = DepthFirst::new(&mut walk, "", skip)?;
    while let Some(event) = events.next()? {
        let entry = match event {
            Event::Enter(entry) => entry,
            // Spec text cannot name what is not UTF-8; the report's line for it does.
            Event::Leaf(entry) if entry.utf8 => entry,
            Event::Leaf(_) | Event::Leave => continue,
        };
        if kept == max_entries {
            left_out += 1;
            continue;
        }
        kept += 1;
        let node = match entry.found {
            EntryType::Dir => PasteNode::Dir(PasteTree::default()),
            EntryType::Symlink(target) => PasteNode::Read(Node::symlink(target)),
            EntryType::File { len, mode } => {
                let cap = max_file_bytes.min(max_total_bytes - total);
                match Source::listed(events.walk(), &entry, len).read_up_to(cap)? {
                    Some(contents) => {
                        total += contents.len() as u64;
                        paste_node(contents.into_owned(), mode, root)
                    }
                    None => PasteNode::Unread(len),
                }
            }
        };
        tree.put_at(events.prefix(), entry.name, node);
    }
    Ok((tree, left_out))
}

/// Pretty spec text, as the report shows it: a file over
/// [`SPEC_FILE_BYTES`], or binary, as `any()`.
impl fmt::Debug for PasteTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_spec(self, f, true, Some(SPEC_FILE_BYTES as usize), leaf)
    }
}

fn leaf(node: &PasteNode) -> Leaf<'_> {
    match node {
        PasteNode::Read(node) => Leaf::Node(node),
        PasteNode::Unread(len) => Leaf::NotShown(*len),
        PasteNode::Spec(text) => Leaf::Debug(text),
        PasteNode::Dir(_) => unreachable!("directories are entered, not leaves"),
    }
}

#[cfg(test)]
mod tests {
    use super::{PasteNode, PasteTree, RECORD_BYTES, RECORD_ENTRIES, complete_entries};
    use crate::expect::ignore::Ignore;
    use crate::{ExpectedTree, Tree};

    /// What review mode would record of `paths` in a directory holding `tree`.
    fn record(tree: &Tree, paths: &[&str]) -> std::io::Result<Vec<Option<String>>> {
        let dir = crate::tempdir().unwrap();
        tree.write_to(dir.path()).unwrap();
        complete_entries(dir.path(), &Ignore::default(), paths)
    }

    #[test]
    fn a_record_holds_each_entry_asked_for_complete_and_nothing_else() {
        let tree = Tree::new()
            .with("a/b.txt", "x\n")
            .and_then(|t| t.with("a/c/d", ""))
            .and_then(|t| t.with("run.sh", crate::spec::exec("#!/bin/sh\n")))
            .and_then(|t| t.with("big", vec![b'x'; RECORD_BYTES + 1]))
            .unwrap();
        let values = record(&tree, &["a", "run.sh", "gone"]).unwrap();
        let a = values[0].as_deref().unwrap();
        assert_eq!(
            a,
            "{\n    \"b.txt\" => \"x\\n\",\n    \"c\" => {\n        \"d\" => \"\",\n    },\n}"
        );
        assert_eq!(Some(&crate::Node::Dir(a.parse().unwrap())), tree.get("a"));
        // Windows keeps no executable bit.
        let run = match cfg!(unix) {
            true => r##"exec("#!/bin/sh\n")"##,
            false => r##""#!/bin/sh\n""##,
        };
        assert_eq!(values[1..].to_vec(), [Some(run.to_owned()), None]);
    }

    #[test]
    fn a_proposal_keeps_what_holds_and_marks_what_fails() {
        use crate::spec::{absent, any, contains};
        let dir = crate::tempdir().unwrap();
        let actual = Tree::new()
            .with("cache/a", "")
            .and_then(|t| t.with("cache/b", ""))
            .and_then(|t| t.with("sub/keep.txt", "k"))
            .and_then(|t| t.with("sub/other.txt", "o"))
            .and_then(|t| t.with("sub/deep/x", "2"))
            .and_then(|t| t.with("notes", "zzz"))
            .and_then(|t| t.with("zz/y", ""))
            .unwrap();
        actual.write_to(dir.path()).unwrap();
        let sub = ExpectedTree::new().with("keep.txt", "k");
        let sub = sub.and_then(|e| e.with("deep/x", "1")).unwrap();
        let expected = ExpectedTree::new()
            .with("cache", any())
            .and_then(|e| e.with("gone.lock", absent()))
            .and_then(|e| e.with("sub", sub.allow_others()))
            .and_then(|e| e.with("missing.log", contains("x")))
            .and_then(|e| e.with("notes", contains("a*/b")))
            .unwrap();
        let report = crate::check_tree(dir.path(), &expected)
            .unwrap_err()
            .to_string();
        let (_, paste) = report.split_once("accept):\n").unwrap();
        assert_eq!(
            paste,
            r#"{
    "cache" => any(),
    "gone.lock" => absent(),
    "notes" => contains("a*/b") /* fails: does not contain "a* /b" (contains(…) is literal text; for wildcards use matches(…) with [..]) */,
    "sub" => {
        "deep" => {
            "x" => "2",
        },
        "keep.txt" => "k",
        ..
    },
    "zz" => {
        "y" => "",
    },
}"#
        );
    }

    #[test]
    fn a_record_past_its_caps_is_refused_with_the_reason() {
        let many = (0..=RECORD_ENTRIES)
            .try_fold(Tree::new(), |tree, i| tree.with(&format!("d/f{i:04}"), ""))
            .unwrap();
        let error = record(&many, &["d"]).unwrap_err().to_string();
        assert!(error.contains("(1,002 entries, over 1,000)"), "{error}");
        assert!(error.contains("from = \"tests/snapshots/…\""), "{error}");
        let names: Vec<String> = (0..=RECORD_ENTRIES).map(|i| format!("d/f{i:04}")).collect();
        let paths: Vec<&str> = names.iter().map(String::as_str).collect();
        let error = record(&many, &paths).unwrap_err().to_string();
        assert!(error.contains("(1,001 entries, over 1,000)"), "{error}");

        // One entry, but indented 400 deep.
        let deep = Tree::new()
            .with(&format!("{}f", "d/".repeat(399)), "")
            .unwrap();
        let error = record(&deep, &["d"]).unwrap_err().to_string();
        assert!(error.contains("(over 256.0 KiB of spec text)"), "{error}");
        let deep_path = format!("{}f", "d/".repeat(399));
        let error = record(&deep, &[&deep_path]).unwrap_err().to_string();
        assert!(error.contains("(over 256.0 KiB of spec text)"), "{error}");

        // Each file under the cap, both over it: the second is not read.
        let half = || vec![b'x'; RECORD_BYTES / 2 + 1];
        let halves = Tree::new()
            .with("a", half())
            .unwrap()
            .with("b", half())
            .unwrap();
        let error = record(&halves, &["a", "b"]).unwrap_err().to_string();
        assert!(error.contains("(over 256.0 KiB of spec text)"), "{error}");
        assert!(record(&halves, &["b"]).is_ok());

        let large = Tree::new()
            .with("big", vec![b'x'; RECORD_BYTES + 1])
            .unwrap();
        let error = record(&large, &["big"]).unwrap_err().to_string();
        assert!(error.contains("(a file of 256.0 KiB)"), "{error}");
    }

    #[test]
    fn a_deep_paste_tree_drops_on_a_small_stack() {
        std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(|| {
                let mut tree = PasteTree::default();
                for _ in 0..100_000 {
                    let mut up = PasteTree::default();
                    up.map.insert("d".to_owned(), PasteNode::Dir(tree));
                    tree = up;
                }
                drop(tree);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
