//! Snapshot folders: directories checked into a repository as fixtures or
//! expected results, read and copied with their `.keep` markers set aside.
//!
//! Git keeps no empty directories, so a snapshot folder holds a file named
//! `.keep` in a directory that is meant to be empty. Such a marker is part of
//! the repository, not of the tree: it is neither copied nor compared.

use std::io;
use std::path::Path;

use super::read::{node, read_levels};
use super::{Tree, Txtar};
use crate::error::IoResultExt;

/// Reads the snapshot folder `dir` as [`Tree::read`] does, then drops every
/// `.keep` file that is the only entry of its directory (the root included),
/// leaving that directory empty. A `.keep` beside other entries is an
/// ordinary file and stays.
///
/// ```
/// let folder = fixtree::tempdir()?;
/// std::fs::create_dir(folder.path().join("empty"))?;
/// std::fs::write(folder.path().join("empty/.keep"), "")?;
/// std::fs::write(folder.path().join("a.txt"), "x")?;
///
/// let tree = fixtree::read_snapshot(folder.path())?;
/// assert_eq!(tree, fixtree::Tree::new().with("a.txt", "x")?.with("empty", fixtree::Tree::new())?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_snapshot(dir: impl AsRef<Path>) -> io::Result<Tree> {
    read_levels(dir.as_ref(), None, true, node)
}

/// Copies the snapshot folder `from` into `to`, an existing directory:
/// [`read_snapshot`], then [`Tree::write_to`]. File modes, empty directories
/// and symbolic links (as links) are kept; lone `.keep` markers are not
/// copied. Entries already in `to` are never replaced: a name that is taken
/// is an error naming its path.
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
///
/// let folder = fixtree::tempdir()?;
/// std::fs::write(folder.path().join("run.sh"), "#!/bin/sh\n")?;
/// std::fs::set_permissions(folder.path().join("run.sh"), std::fs::Permissions::from_mode(0o755))?;
/// std::fs::create_dir_all(folder.path().join("out/logs"))?;
/// std::fs::write(folder.path().join("out/logs/.keep"), "")?;
///
/// let dir = fixtree::tempdir()?;
/// fixtree::copy_snapshot(folder.path(), dir.path())?;
/// let mode = std::fs::metadata(dir.path().join("run.sh"))?.permissions().mode();
/// assert_eq!(mode & 0o777, 0o755);
/// assert_eq!(std::fs::read_dir(dir.path().join("out/logs"))?.count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn copy_snapshot(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    read_snapshot(from)?.write_to(to)
}

/// Reads and parses the txtar file at `path`; an error names the path and
/// the line.
pub(crate) fn read_txtar(path: &Path) -> io::Result<Txtar> {
    let bytes = std::fs::read(path).at("read txtar file", path)?;
    Txtar::parse_bytes(&bytes)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}
