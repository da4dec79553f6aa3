//! The actual tree a report offers to paste into the test: the directory's
//! first entries, depth first, small files with their contents and larger
//! ones as `any()` with their size — never read.
//!
//! A text file that names the directory itself is shown as
//! `matches("…[ROOT]…")`, so that pasted back it passes in the next run's
//! directory too. Its other text goes into the pattern as it is: `matches`
//! has no escapes, but `[..]` matches "[..]" and a `...` line a "..." line;
//! a "[ROOT]" of its own, which `[ROOT]` never matches, goes in as `[..]`.
//! So the pattern still passes, only looser at those places. A file that
//! does not name the directory is shown as its exact text.

use std::fmt;
use std::io;
use std::path::Path;

use super::contents::Source;
use super::describe::thousands;
use super::ignore::Ignore;
use super::limits::{RECORD_BYTES, RECORD_ENTRIES, SPEC_ENTRIES, SPEC_FILE_BYTES};
use super::root::Root;
use crate::tree::{Entries, Leaf, Node, Size, tree_node, write_spec};
use crate::walk::{DepthFirst, EntryType, Event, Walk};

/// The first entries of a directory.
pub(crate) type PasteTree = Entries<PasteNode>;

pub(crate) enum PasteNode {
    Dir(PasteTree),
    /// A file with its contents, or a symbolic link.
    Read(Node),
    /// A file over [`SPEC_FILE_BYTES`], of this many bytes.
    Unread(u64),
    /// A text file that names the root, as `matches("…")`.
    Matches(SpecText),
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
            PasteNode::Matches(SpecText(spec))
        }
        _ => PasteNode::Read(Node::file_with_mode(contents, mode)),
    }
}

tree_node!(PasteNode, PasteNode::Dir(tree) => *tree, |entries| PasteNode::Dir(entries));

/// The first [`SPEC_ENTRIES`] entries of `dir` as a tree, and how many
/// more there are; `root` spells `dir` as its files may name it.
pub(crate) fn paste_tree(
    dir: &Path,
    ignore: &Ignore,
    root: &Root,
) -> io::Result<(PasteTree, usize)> {
    // At most SPEC_ENTRIES files of SPEC_FILE_BYTES: no total to cap.
    read_tree(dir, ignore, root, SPEC_ENTRIES, SPEC_FILE_BYTES, u64::MAX)
}

/// Every entry of `dir` but the ignored ones, as pretty spec text: what an
/// inline spec becomes in review mode, so nothing is left out or cut short.
/// A directory whose spec would pass [`RECORD_ENTRIES`] or [`RECORD_BYTES`]
/// is refused, with a snapshot folder suggested instead: a spec cut short
/// would fail once accepted.
pub(crate) fn complete_spec(dir: &Path, ignore: &Ignore) -> io::Result<String> {
    let too_large = |what: String| {
        io::Error::other(format!(
            "the directory is too large for an inline spec ({what}): compare it with a snapshot \
             folder instead, `assert_tree!(dir, from = \"tests/snapshots/…\")`, which \
             `FIXTREE_UPDATE=review` records as a folder"
        ))
    };
    let cap = RECORD_BYTES as u64;
    let (tree, left_out) = read_tree(dir, ignore, &Root::of(dir), RECORD_ENTRIES, cap, cap)?;
    if left_out > 0 {
        let entries = thousands((RECORD_ENTRIES + left_out) as u64);
        let over = format!(
            "{entries} entries, over {}",
            thousands(RECORD_ENTRIES as u64)
        );
        return Err(too_large(over));
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
        (None, Ok(())) => Ok(text.0),
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

/// The first `max_entries` entries of `dir`, files over `max_file_bytes`
/// left unread and so are those past `max_total_bytes` read in all, and how
/// many entries were left out; `root` spells `dir` as its files may name it.
fn read_tree(
    dir: &Path,
    ignore: &Ignore,
    root: &Root,
    max_entries: usize,
    max_file_bytes: u64,
    max_total_bytes: u64,
) -> io::Result<(PasteTree, usize)> {
    let mut tree = PasteTree::default();
    let (mut kept, mut left_out, mut total) = (0, 0, 0);
    let mut walk = Walk::new(dir)?;
    let mut events = DepthFirst::new(&mut walk, "", ignore)?;
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
        PasteNode::Matches(pattern) => Leaf::Debug(pattern),
        PasteNode::Dir(_) => unreachable!("directories are entered, not leaves"),
    }
}

#[cfg(test)]
mod tests {
    use super::{PasteNode, PasteTree, RECORD_BYTES, RECORD_ENTRIES, complete_spec};
    use crate::Tree;
    use crate::expect::ignore::Ignore;

    /// The record review mode would make of a directory holding `tree`.
    fn record(tree: &Tree) -> std::io::Result<String> {
        let dir = crate::tempdir().unwrap();
        tree.write_to(dir.path()).unwrap();
        complete_spec(dir.path(), &Ignore::default())
    }

    #[test]
    fn a_record_past_its_caps_is_refused_with_the_reason() {
        let small = Tree::new().with("a/b.txt", "x\n").unwrap();
        let text = record(&small).unwrap();
        assert_eq!(text.parse::<Tree>().unwrap(), small);

        let many = (0..=RECORD_ENTRIES)
            .try_fold(Tree::new(), |tree, i| tree.with(&format!("f{i:04}"), ""))
            .unwrap();
        let error = record(&many).unwrap_err().to_string();
        assert!(error.contains("(1,001 entries, over 1,000)"), "{error}");
        assert!(error.contains("from = \"tests/snapshots/…\""), "{error}");

        // 400 entries, but indented 400 deep.
        let deep = Tree::new()
            .with(&format!("{}f", "d/".repeat(399)), "")
            .unwrap();
        let error = record(&deep).unwrap_err().to_string();
        assert!(error.contains("(over 256.0 KiB of spec text)"), "{error}");

        // Each file under the cap, both over it: the second is not read.
        let half = || vec![b'x'; RECORD_BYTES / 2 + 1];
        let halves = Tree::new()
            .with("a", half())
            .unwrap()
            .with("b", half())
            .unwrap();
        let error = record(&halves).unwrap_err().to_string();
        assert!(error.contains("(over 256.0 KiB of spec text)"), "{error}");

        let large = Tree::new()
            .with("big", vec![b'x'; RECORD_BYTES + 1])
            .unwrap();
        let error = record(&large).unwrap_err().to_string();
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
