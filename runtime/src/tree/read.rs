//! [`Tree::read`]: snapshot a directory as a [`Tree`].
//!
//! The walk never follows a symbolic link below the root: a link is recorded
//! as a link, so a link to somewhere outside neither leaks its contents into
//! the tree nor loops. It walks by path (walkdir), and files are opened
//! without following a link; a directory swapped for a link while the walk is inside it is
//! not detected, which a private (0700) test directory leaves to its owner.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use walkdir::WalkDir;

use super::{Node, Tree};
use crate::error::{IoResultExt, at};
use crate::expect::listing::{not_utf8, open_file, unsupported};
use crate::sys;

impl Tree {
    /// Snapshots the directory `dir`: every file (bytes and mode, a mode of
    /// [`DEFAULT_FILE_MODE`](crate::DEFAULT_FILE_MODE) recorded as none, as
    /// [`Node::file_with_mode`] does), directory (modes of directories are
    /// not recorded) and symbolic link (its target as stored, never followed).
    ///
    /// `dir` itself may be a symbolic link to a directory; links below it are
    /// not followed. A fifo, socket or device, or a name that is not UTF-8,
    /// is an error naming its path: a tree holds only files, directories and
    /// symbolic links under string names.
    ///
    /// ```
    /// use fixtree::{Node, Tree};
    ///
    /// let dir = fixtree::tempdir()?;
    /// std::fs::create_dir(dir.path().join("src"))?;
    /// std::fs::write(dir.path().join("src/lib.rs"), "pub fn f() {}\n")?;
    /// std::os::unix::fs::symlink("src/lib.rs", dir.path().join("latest"))?;
    ///
    /// let tree = Tree::read(dir.path())?;
    /// assert_eq!(tree.get("src/lib.rs"), Some(&Node::file("pub fn f() {}\n")));
    /// assert_eq!(tree.get("latest"), Some(&Node::symlink("src/lib.rs")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(dir: impl AsRef<Path>) -> io::Result<Tree> {
        let root = dir.as_ref();
        if !fs::metadata(root).at("read directory", root)?.is_dir() {
            let error = io::Error::new(io::ErrorKind::NotADirectory, "not a directory");
            return Err(at(error, "read directory", root));
        }
        // The directories along the walk's current path, each with its name;
        // the root at the bottom. An entry at depth d belongs to open[d - 1].
        let mut open: Vec<(String, Tree)> = vec![(String::new(), Tree::new())];
        let walk = WalkDir::new(root)
            .follow_root_links(true)
            .follow_links(false)
            .sort_by_file_name()
            .min_depth(1);
        for entry in walk {
            let entry = entry.map_err(|e| walk_error(e, root))?;
            let path = entry.path();
            while open.len() > entry.depth() {
                close_dir(&mut open);
            }
            let Some(name) = entry.file_name().to_str() else {
                return Err(not_utf8(path));
            };
            let name = name.to_owned();
            let file_type = entry.file_type();
            if file_type.is_dir() {
                open.push((name, Tree::new()));
                continue;
            }
            let node = if file_type.is_file() {
                read_file(path)?
            } else if file_type.is_symlink() {
                Node::symlink(fs::read_link(path).at("read symlink", path)?)
            } else {
                return Err(unsupported(file_type, path));
            };
            let (_, dir) = open.last_mut().expect("the root stays open");
            dir.entries.insert(name, node);
        }
        while open.len() > 1 {
            close_dir(&mut open);
        }
        let (_, tree) = open.pop().expect("the root stays open");
        Ok(tree)
    }
}

/// Moves the innermost open directory into its parent.
fn close_dir(open: &mut Vec<(String, Tree)>) {
    let (name, tree) = open.pop().expect("never closes the root");
    let (_, parent) = open.last_mut().expect("never closes the root");
    parent.entries.insert(name, Node::Dir(tree));
}

fn read_file(path: &Path) -> io::Result<Node> {
    let (file, metadata) = open_file(path)?;
    let len = metadata.len();
    let mut contents = Vec::new();
    // The size is whatever the file system says (a sparse file costs no
    // disk): reserve it only if the memory is there, and say which file did
    // not fit rather than abort the process.
    usize::try_from(len)
        .ok()
        .and_then(|len| contents.try_reserve_exact(len).ok())
        .ok_or_else(|| {
            let message = format!("its {len} bytes do not fit in memory");
            at(
                io::Error::new(io::ErrorKind::OutOfMemory, message),
                "read file",
                path,
            )
        })?;
    // Through `Take`: std's `File::read_to_end` would stat and seek again to
    // size a buffer that is sized already.
    file.take(u64::MAX)
        .read_to_end(&mut contents)
        .at("read file", path)?;
    Ok(Node::file_with_mode(contents, sys::mode_of(&metadata)))
}

fn walk_error(error: walkdir::Error, root: &Path) -> io::Error {
    let path = error.path().unwrap_or(root).to_owned();
    // A loop needs a followed link, and the walk follows none below the root.
    let source = error
        .into_io_error()
        .unwrap_or_else(|| io::Error::other("symbolic link loop"));
    at(source, "read directory", &path)
}
