//! Update mode: `FIXTREE_UPDATE=1` rewrites a snapshot folder to match the
//! directory instead of failing. Only what differs is touched, as the
//! comparison sees it: a file whose line endings alone differ, where those
//! do not count, keeps its own (git on Windows wrote them), and a changed one
//! gets the test's bytes. Ignored entries in the folder stay; empty
//! directories get a `.keep` marker so git keeps them.

use std::fs;
use std::io;
use std::path::Path;

use super::LineEndings;
use super::compare::Options;
use super::walk::{Pair, join, side_by_side};
use crate::error::IoResultExt;
use crate::sys::remove_all;
use crate::tree::{EXEC_MODE, KEEP_MARKER as KEEP, Node, Tree, read_snapshot};

/// What an update changed, by path.
#[derive(Default)]
pub(crate) struct Changes {
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
}

impl Changes {
    /// "updated tests/snap: added a; changed b; removed c", or "… is up to date".
    pub(crate) fn report(&self, written: &str) -> String {
        let parts: Vec<String> = [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ]
        .iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(what, paths)| format!("{what} {}", paths.join(", ")))
        .collect();
        if parts.is_empty() {
            format!("fixtree: snapshot folder {written} is up to date")
        } else {
            format!(
                "fixtree: updated snapshot folder {written}: {}",
                parts.join("; ")
            )
        }
    }
}

/// Makes `folder` hold what `actual` holds, ignored entries aside, line
/// endings compared as `line_endings` says.
pub(crate) fn update_snapshot(
    actual: &Path,
    folder: &Path,
    options: &Options,
    line_endings: LineEndings,
) -> io::Result<Changes> {
    refuse_unlikely_folder(folder)?;
    let (desired, _) = options.ignore.read(actual)?;
    let current = read_snapshot(folder)?;
    let mut changes = Changes::default();
    sync(
        folder,
        "",
        &current,
        &desired,
        options,
        line_endings,
        &mut changes,
    )?;
    Ok(changes)
}

fn sync(
    dir: &Path,
    prefix: &str,
    current: &Tree,
    desired: &Tree,
    options: &Options,
    line_endings: LineEndings,
    changes: &mut Changes,
) -> io::Result<()> {
    let entries = side_by_side(
        prefix,
        current.entries(),
        desired.entries(),
        &options.ignore,
    );
    // The folder is the expectation the walk compares the directory with.
    for Pair {
        name,
        path,
        expected: in_folder,
        actual: wanted,
    } in entries
    {
        let target = dir.join(name);
        match (in_folder, wanted) {
            (Some(_), None) => {
                remove_all(&target)?;
                changes.removed.push(path);
            }
            (None, Some(node)) => {
                write_node(dir, name, node)?;
                changes.added.push(path);
            }
            (Some(Node::Dir(old)), Some(Node::Dir(new))) => {
                sync(&target, &path, old, new, options, line_endings, changes)?
            }
            (Some(old), Some(new)) if same_in_snapshot(old, new, line_endings) => {}
            (Some(_), Some(node)) => {
                remove_all(&target)?;
                write_node(dir, name, node)?;
                changes.changed.push(path);
            }
            (None, None) => unreachable!("every name comes from one side"),
        }
    }
    // The marker follows what is on disk now, ignored entries included: it
    // is there exactly when the directory would otherwise be empty.
    let marker = dir.join(KEEP);
    let others = fs::read_dir(dir)
        .at("read", dir)?
        .filter_map(Result::ok)
        .any(|entry| entry.file_name() != KEEP);
    let has_marker = marker.symlink_metadata().is_ok();
    let wanted = desired.get(KEEP).is_some();
    if !others && !has_marker {
        fs::write(&marker, "").at("write", &marker)?;
        changes.added.push(join(prefix, KEEP));
    } else if others && has_marker && !wanted && !options.ignore.covers(&join(prefix, KEEP)) {
        fs::remove_file(&marker).at("remove", &marker)?;
        changes.removed.push(join(prefix, KEEP));
    }
    Ok(())
}

/// Refuses to rewrite what cannot be a snapshot folder: a symbolic link (its
/// target could be anywhere), or the root of a crate or repository.
fn refuse_unlikely_folder(folder: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(folder).at("inspect snapshot folder", folder)?;
    let refuse = |why: &str| {
        let message = format!("refusing to update {}: {why}", folder.display());
        Err(io::Error::new(io::ErrorKind::InvalidInput, message))
    };
    if meta.file_type().is_symlink() {
        return refuse("it is a symbolic link; point `from` at the folder itself");
    }
    if ["Cargo.toml", ".git"]
        .iter()
        .any(|name| folder.join(name).symlink_metadata().is_ok())
    {
        return refuse(
            "it holds a Cargo.toml or .git, so it is a crate or repository, not a snapshot folder",
        );
    }
    Ok(())
}

/// Whether two entries are the same as far as a snapshot folder can tell:
/// git keeps a file's bytes (its line endings as `line_endings` says) and
/// whether it is executable, nothing more.
fn same_in_snapshot(old: &Node, new: &Node, line_endings: LineEndings) -> bool {
    if matches!(old, Node::Dir(_)) {
        return false;
    }
    match (for_snapshot(old), for_snapshot(new)) {
        (
            Node::File { contents, mode },
            Node::File {
                contents: new_contents,
                mode: new_mode,
            },
        ) => mode == new_mode && line_endings.same(&contents, &new_contents),
        (old, new) => old == new,
    }
}

fn is_executable(mode: Option<u32>) -> bool {
    mode.is_some_and(|bits| bits & 0o111 != 0)
}

/// Writes `node` as `dir/name`, in the form a snapshot folder keeps.
fn write_node(dir: &Path, name: &str, node: &Node) -> io::Result<()> {
    let mut tree = Tree::new();
    tree.insert(name, for_snapshot(node))
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    tree.write_to(dir)
}

/// Modes reduced to executable or not; a `.keep` in each empty directory.
fn for_snapshot(node: &Node) -> Node {
    match node {
        Node::File { contents, mode } => match is_executable(*mode) {
            true => Node::file_with_mode(contents.clone(), EXEC_MODE),
            false => Node::file(contents.clone()),
        },
        Node::Dir(tree) if tree.is_empty() => {
            Node::Dir(Tree::new().with(KEEP, "").expect("a valid key"))
        }
        Node::Dir(tree) => {
            let mut copy = Tree::new();
            for (name, child) in tree.entries() {
                copy.insert(name, for_snapshot(child))
                    .expect("names from a tree are valid");
            }
            Node::Dir(copy)
        }
        Node::Symlink { .. } => node.clone(),
    }
}
