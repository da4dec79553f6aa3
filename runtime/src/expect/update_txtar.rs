//! Update mode for a txtar file: `FIXTREE_UPDATE=1` applies the
//! comparison's diff to the tree the file holds and writes it anew, as one
//! atomic replacement, keeping its comment. As for a folder, only what
//! differs changes: ignored entries stay as the file had them, and so does
//! a file that differs only where the comparison does not look, and only
//! the paths that differ are read. In a subset comparison (`..`) an existing
//! file gains no entry: a file the test made a directory becomes an empty
//! one. When nothing differs, the file is not touched.

use std::io;
use std::path::Path;

use super::diff::{DiffKind, Options};
use super::update::{Changes, differences};
use super::{ExpectedTree, LineEndings};
use crate::error::{at, io_error};
use crate::tree::{Node, Tree, Txtar, read_txtar};

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
    let expected = ExpectedTree::snapshot_of(old.tree.clone()).line_endings(line_endings);
    let differences = differences(actual, &expected, options)?;
    let mut changes = Changes::default();
    if differences.is_empty() {
        return Ok(changes);
    }
    // Only the paths that differ are read, with the directories leading to
    // them, and what is below them unless in a subset comparison: there a
    // file the test made a directory becomes an empty one, as in a folder.
    // Ignored entries are not even read, as a comparison does not read them.
    let wanted = |path: &str| {
        (differences.iter()).any(|difference| {
            within(&difference.path, path) || (!options.subset && within(path, &difference.path))
        })
    };
    let actual = Tree::read_except(actual, |path| options.ignore.covers(path) || !wanted(path))?;
    let replaced: Vec<&str> = (differences.iter())
        .filter(|difference| difference.kind != DiffKind::Unexpected)
        .map(|difference| difference.path.as_str())
        .collect();
    let mut tree = Tree::new();
    for (path, node) in old.tree.walk() {
        if !replaced.iter().any(|gone| within(&path, gone)) {
            // A directory's entries follow it.
            let node = match node {
                Node::Dir(_) => Node::Dir(Tree::new()),
                node => node.clone(),
            };
            tree.insert(&path, node).map_err(invalid)?;
        }
    }
    for difference in &differences {
        changes.record(difference);
        let new = actual.get(&difference.path);
        if let Some(node) = new.filter(|_| difference.kind != DiffKind::Missing) {
            tree.insert(&difference.path, node.clone())
                .map_err(invalid)?;
        }
    }
    let text = Txtar {
        comment: old.comment,
        tree,
    }
    .print()
    .map_err(invalid)?;
    // What runs killed while writing it left, none in use.
    crate::temp::remove_stale_temps(file)?;
    crate::write_atomic(file, text)?;
    Ok(changes)
}

/// Whether `path` is `dir` or below it, both `/`-separated.
fn within(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io_error!(InvalidData, "{e}")
}
