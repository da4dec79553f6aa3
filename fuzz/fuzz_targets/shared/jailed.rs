//! Writing a tree into `outer/inner/root` of a private directory, checking
//! that nothing appeared around the root: an escape of one or two levels
//! lands in a place the fuzz target watches and nobody else writes to.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fixtree::{Node, TempDir, Tree};

/// Writes `tree` into a fresh root and returns the root and what
/// `write_to` said; panics if anything changed outside the root.
pub fn write_jailed(tree: &Tree) -> (PathBuf, io::Result<()>) {
    static JAIL: OnceLock<TempDir> = OnceLock::new();
    let jail = JAIL
        .get_or_init(|| fixtree::tempdir().expect("a temporary directory"))
        .path();
    let root = jail.join("outer/inner/root");
    std::fs::create_dir_all(&root).expect("create the root");
    let before = listing(jail, &root);
    let written = tree.write_to(&root);
    assert_eq!(
        before,
        listing(jail, &root),
        "write_to changed something outside the root"
    );
    (root, written)
}

/// Every path under `dir`, without following links, `root` excluded.
fn listing(dir: &Path, root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("list a directory") {
            let path = entry.expect("a directory entry").path();
            if path != root {
                if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    dirs.push(path.clone());
                }
                out.insert(path);
            }
        }
    }
    out
}

/// Whether some name, path or link target is near or past what Linux takes
/// (ENAMETOOLONG): such a tree may fail to write, and cannot be checked by path.
pub fn too_long(tree: &Tree) -> bool {
    tree.walk().any(|(path, node)| {
        path.rsplit('/').next().is_some_and(|name| name.len() > 255)
            || path.len() > 3000
            || matches!(node, Node::Symlink { target } if target.as_os_str().len() > 4000)
    })
}
