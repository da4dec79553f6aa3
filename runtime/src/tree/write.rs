//! [`Tree::write_to`]: materialize a tree under an existing directory.
//!
//! Every entry is made relative to its parent directory as the platform
//! layer opened it ([`sys::Dir`]) and exclusively: a name that is taken
//! fails, whatever is there. So a symbolic link planted in the root is never
//! written through, and nothing is merged into what was already there.
//! Modes are exact whatever the umask: given at creation, checked, and set
//! where they differ once the entry is filled; modification times last,
//! through the open file.

use std::io::{self, Write};
use std::path::Path;

use super::{
    DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, Event, Node, Tree, is_segment, key_segments, target_error,
};
use crate::error::{IoResultExt, setting_mode};
use crate::sys::{self, Dir, DirStack};

impl Tree {
    /// Creates every entry of the tree inside `root`, an existing directory.
    ///
    /// Files get their bytes, exactly their mode ([`DEFAULT_FILE_MODE`]
    /// when the node has none), whatever the umask, and their modification
    /// time when the node has one ([`spec::modified`](crate::spec::modified));
    /// directories exactly
    /// [`DEFAULT_DIR_MODE`], set once their children are written; symbolic
    /// links their target, which is never followed.
    ///
    /// Nothing is replaced or merged: an entry that already exists inside
    /// `root` — a file, a directory, or a symbolic link planted there — is an
    /// error (`AlreadyExists`) naming its path, and nothing is ever written
    /// outside `root`. Only `root` itself may already hold other entries; a
    /// symbolic link given as `root` is followed, as any path the caller
    /// chooses. On error, what was written before it stays.
    ///
    /// ```
    /// use std::os::unix::fs::PermissionsExt;
    /// use fixtree::{Node, Tree};
    ///
    /// let tree = Tree::new()
    ///     .with("src/lib.rs", "pub fn f() {}\n")?
    ///     .with("run.sh", fixtree::spec::exec("#!/bin/sh\n"))?
    ///     .with("latest", fixtree::spec::symlink("src/lib.rs"))?;
    /// let dir = fixtree::tempdir()?;
    /// tree.write_to(dir.path())?;
    ///
    /// assert_eq!(std::fs::read_to_string(dir.path().join("latest"))?, "pub fn f() {}\n");
    /// let mode = std::fs::metadata(dir.path().join("run.sh"))?.permissions().mode();
    /// assert_eq!(mode & 0o777, 0o755);
    ///
    /// // Writing again fails on the first name that is taken.
    /// let err = tree.write_to(dir.path()).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_to(&self, root: impl AsRef<Path>) -> io::Result<()> {
        self.write(root.as_ref(), Existing::Refuse)
    }

    /// Like [`write_to`](Tree::write_to), but over what `root` already
    /// holds: existing directories are entered (and keep their mode), existing
    /// files and symbolic links are replaced — the links themselves, never
    /// what they point to. A directory where the tree has a file or link (or
    /// the reverse) is still an error.
    ///
    /// ```
    /// use fixtree::Tree;
    ///
    /// let dir = fixtree::tempdir()?;
    /// Tree::new().with("src/lib.rs", "old")?.with("src/main.rs", "fn main() {}")?.write_to(dir.path())?;
    /// Tree::new().with("src/lib.rs", "new")?.write_over(dir.path())?;
    /// assert_eq!(std::fs::read_to_string(dir.path().join("src/lib.rs"))?, "new");
    /// assert!(dir.path().join("src/main.rs").exists());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_over(&self, root: impl AsRef<Path>) -> io::Result<()> {
        self.write(root.as_ref(), Existing::Replace)
    }

    /// Like [`write_to`](Tree::write_to), but writes only what `root` does
    /// not hold yet: an entry that exists is left as it is, whatever it is,
    /// except that a directory of the tree is entered to add what is missing
    /// in it — and a file or symbolic link where the tree has a directory is
    /// an error naming its path (a link is never followed). For defaults a
    /// test may already have written.
    ///
    /// ```
    /// use fixtree::Tree;
    ///
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("config.toml"), "mine")?;
    /// let defaults = Tree::new().with("config.toml", "default")?.with("data/seed.csv", "a\n")?;
    /// defaults.write_missing(dir.path())?;
    /// assert_eq!(std::fs::read_to_string(dir.path().join("config.toml"))?, "mine");
    /// assert_eq!(std::fs::read_to_string(dir.path().join("data/seed.csv"))?, "a\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_missing(&self, root: impl AsRef<Path>) -> io::Result<()> {
        self.write(root.as_ref(), Existing::Keep)
    }

    /// Walks the tree, not recursing, with a bounded number of directories
    /// open ([`DirStack`]), so that any depth is written.
    fn write(&self, root: &Path, existing: Existing) -> io::Result<()> {
        let mut dirs = DirStack::new(Dir::open(root).at("open directory", root)?);
        let mut path = root.to_owned();
        // Whether each directory entered was created here, to set its mode once filled.
        let mut created = Vec::new();
        for event in self.entries.visit() {
            match event {
                Event::Leaf(name, node) => {
                    path.push(name);
                    check_name(name, &path)?;
                    add(dirs.current(), name, &path, node, existing)?;
                }
                Event::Enter(name, _) => {
                    path.push(name);
                    check_name(name, &path)?;
                    let (dir, new) = enter_dir(dirs.current(), name, &path, existing)?;
                    dirs.enter(dir).at("open directory", &path)?;
                    created.push(new);
                    continue;
                }
                Event::Leave(_) => {
                    let dir = dirs.leave().at("return from directory", &path)?;
                    if created.pop() == Some(true) {
                        dir.finish_mode(DEFAULT_DIR_MODE)
                            .map_err(setting_mode(DEFAULT_DIR_MODE, &path))?;
                    }
                }
            }
            path.pop();
        }
        Ok(())
    }
}

/// What to do with an entry that is already there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Existing {
    Refuse,
    /// Enter directories; replace files and symbolic links.
    Replace,
    /// Enter directories; leave files and symbolic links.
    Keep,
}

/// Creates the file or symbolic link `name` in `dir`, exclusively; `path` is where.
fn create(dir: &Dir, name: &str, path: &Path, node: &Node) -> io::Result<()> {
    let (contents, mode, modified) = match node {
        Node::File {
            contents,
            mode,
            modified,
        } => (contents, mode.unwrap_or(DEFAULT_FILE_MODE), modified),
        Node::Symlink { target } => {
            if let Some(rule) = target_error(target) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, rule))
                    .at("create symlink", path);
            }
            return dir.symlink(target, name).at("create symlink", path);
        }
        Node::Dir(_) => unreachable!("directories are entered, not leaves"),
    };
    let mut file = dir.create_file(name, mode).at("create file", path)?;
    file.write_all(contents).at("write file", path)?;
    sys::set_file_mode(&file, mode).map_err(setting_mode(mode, path))?;
    // Last: writing the bytes would move the time again.
    let set_time = |time| sys::set_modified(&file, time);
    modified
        .map_or(Ok(()), set_time)
        .at("set the modification time of", path)
}

/// Creates the file or symbolic link `name` in `dir`; with
/// [`Existing::Replace`], a file or symbolic link in the way is unlinked
/// (never followed) first; with [`Existing::Keep`], what is in the way stays.
fn add(dir: &Dir, name: &str, path: &Path, node: &Node, existing: Existing) -> io::Result<()> {
    match (create(dir, name, path, node), existing) {
        (Err(e), Existing::Replace) if e.kind() == io::ErrorKind::AlreadyExists => {
            // Fails on a directory (EISDIR): a file does not replace one.
            dir.remove_file(name).at("replace", path)?;
            create(dir, name, path, node)
        }
        (Err(e), Existing::Keep) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        (result, _) => result,
    }
}

/// Creates the directory `name` in `parent` and opens it, or unless
/// [`Existing::Refuse`] opens the one there (keeping its mode; a link in
/// its place is refused); and whether it was created.
fn enter_dir(parent: &Dir, name: &str, path: &Path, existing: Existing) -> io::Result<(Dir, bool)> {
    match parent.create_dir(name, DEFAULT_DIR_MODE) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && existing != Existing::Refuse => {
            Ok((parent.open_dir(name).at("open directory", path)?, false))
        }
        result => Ok((result.at("create directory", path)?, true)),
    }
}

/// Refuses a name that is not exactly one path segment under the key rules
/// of this platform, unless it spells one that is not UTF-8 ([`sys::unspell`]:
/// one segment too). Keys are checked when they enter a tree, so this fires
/// only for a name read from disk that no key could give (`a\b`, where a
/// system holds it); it stays because it is all that would stand between a
/// name holding a separator or a drive and a write outside the root.
fn check_name(name: &str, path: &Path) -> io::Result<()> {
    if (is_segment(name) && sys::check_key(name).is_ok()) || sys::unspell(name).is_some() {
        return Ok(());
    }
    let message = match key_segments(name) {
        Err(e) => e.to_string(),
        Ok(_) => "a name in a tree must be one path segment".to_owned(),
    };
    Err(io::Error::new(io::ErrorKind::InvalidInput, message)).at("create", path)
}
