//! Update mode for a txtar file: `FIXTREE_UPDATE=1` writes the whole file
//! anew from the directory, as one atomic replacement, keeping its comment.
//!
//! As for a folder, ignored entries are left as the file had them, and a
//! file that differs only where the comparison does not look (its line
//! endings, where those do not count; mode bits other than the executable
//! one) keeps its old bytes. When nothing differs, the file is not touched.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::LineEndings;
use super::contents::{Source, first_difference};
use super::diff::Options;
use super::update::Changes;
use crate::error::at;
use crate::tree::{DEFAULT_FILE_MODE, Node, Tree, TreeError, Txtar, read_txtar};

/// Makes the txtar file `file` (`written` under the crate's manifest
/// directory) hold what `actual` holds, ignored entries aside. A missing
/// file is written; one that does not parse is refused, naming the line, so
/// that no comment or ignored entry of it is lost.
pub(crate) fn update_txtar(
    actual: &Path,
    file: &Path,
    written: &str,
    options: &Options,
    line_endings: LineEndings,
) -> io::Result<Changes> {
    super::place::check_place(file, written)?;
    let old = match file.symlink_metadata() {
        Ok(_) => read_txtar(file)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Txtar::default(),
        Err(e) => return Err(at(e, "inspect txtar file", file)),
    };
    // Ignored entries are not even read, as a comparison does not read them.
    let actual = Tree::read_except(actual, |path| options.ignore.covers(path))?;
    let desired = desired(&actual, &old.tree, options, line_endings)?;
    let changes = changes(&old.tree, &desired);
    if changes.added.is_empty() && changes.changed.is_empty() && changes.removed.is_empty() {
        return Ok(changes);
    }
    let text = Txtar {
        comment: old.comment,
        tree: desired,
    }
    .print()
    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    // What runs killed while writing it left, none in use.
    crate::temp::remove_stale_temps(file)?;
    crate::write_atomic(file, text)?;
    Ok(changes)
}

/// What the file should hold: the entries of `actual` (read less the
/// ignored ones), each file as `old` had it where the comparison finds no
/// difference, and the ignored entries of `old`.
fn desired(
    actual: &Tree,
    old: &Tree,
    options: &Options,
    line_endings: LineEndings,
) -> io::Result<Tree> {
    let mut tree = Tree::new();
    for (path, node) in actual.walk() {
        let node = match (node, old.get(&path)) {
            (Node::Dir(_), _) => Node::Dir(Tree::new()),
            (new, Some(old)) if same(old, new, line_endings)? => old.clone(),
            (new, _) => new.clone(),
        };
        tree.insert(&path, node).map_err(invalid)?;
    }
    for (path, node) in ignored(old, options) {
        match tree.insert(&path, node.clone()) {
            // The test made a file of a directory that held ignored entries:
            // they went with it, as they do from a folder.
            Ok(_) | Err(TreeError::NotADirectory { .. }) => {}
            Err(e) => return Err(invalid(e)),
        }
    }
    Ok(tree)
}

/// The topmost entries of `tree` that the ignore globs leave out, in path order.
fn ignored<'a>(
    tree: &'a Tree,
    options: &'a Options,
) -> impl Iterator<Item = (String, &'a Node)> + 'a {
    // The ignored directory being skipped, with its trailing '/'.
    let mut skipping: Option<String> = None;
    tree.walk().filter(move |(path, node)| {
        if skipping.as_deref().is_some_and(|dir| path.starts_with(dir)) {
            return false;
        }
        let covered = options.ignore.covers(path);
        if covered && matches!(node, Node::Dir(_)) {
            skipping = Some(format!("{path}/"));
        }
        covered
    })
}

/// Whether `old`, as the txtar file has it, and `new` are the same file to
/// the comparison: contents (line endings as `line_endings` says) and
/// whether they are executable.
fn same(old: &Node, new: &Node, line_endings: LineEndings) -> io::Result<bool> {
    let exec = |mode: &Option<u32>| mode.unwrap_or(DEFAULT_FILE_MODE) & 0o111 != 0;
    Ok(match (old, new) {
        (
            Node::File { contents, mode, .. },
            Node::File {
                contents: new_contents,
                mode: new_mode,
                ..
            },
        ) => {
            exec(mode) == exec(new_mode)
                && first_difference(
                    Source::Bytes(contents),
                    Source::Bytes(new_contents),
                    line_endings,
                )?
                .is_none()
        }
        _ => false,
    })
}

/// What differs between `old` and `new`, by path: an added or removed
/// directory is one path, not one per entry in it.
fn changes(old: &Tree, new: &Tree) -> Changes {
    let old: BTreeMap<String, &Node> = old.walk().collect();
    let new: BTreeMap<String, &Node> = new.walk().collect();
    let mut changes = Changes::default();
    for (path, node) in &new {
        match (old.get(path), node) {
            (None, _) if in_a_dir_of(&old, path) => changes.added.push(path.clone()),
            (Some(Node::Dir(_)), Node::Dir(_)) | (None, _) => {}
            (Some(was), _) if was != node => changes.changed.push(path.clone()),
            (Some(_), _) => {}
        }
    }
    changes.removed = old
        .keys()
        .filter(|path| !new.contains_key(*path) && in_a_dir_of(&new, path))
        .cloned()
        .collect();
    changes
}

/// Whether the parent of `path` is a directory in `tree` (the root is).
fn in_a_dir_of(tree: &BTreeMap<String, &Node>, path: &str) -> bool {
    match path.rsplit_once('/') {
        None => true,
        Some((parent, _)) => matches!(tree.get(parent), Some(Node::Dir(_))),
    }
}

fn invalid(e: TreeError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}
