//! [`Tree::write_to`]: materialize a tree under an existing directory.
//!
//! Every entry is made relative to its parent's open directory descriptor and
//! exclusively: `openat(O_CREAT|O_EXCL|O_NOFOLLOW)`, `mkdirat` and `symlinkat`
//! all fail on a name that is taken, whatever is there. So a symbolic link
//! planted in the root is never written through, a directory renamed away
//! meanwhile cannot redirect the writes, and nothing is merged into what was
//! already there. Modes are set with `fchmod` after creation, exact whatever
//! the umask.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use rustix::fs::{
    AtFlags, CWD, Mode, OFlags, RawMode, fchmod, mkdirat, openat, symlinkat, unlinkat,
};

use super::{DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, Node, Tree, segments};
use crate::error::{IoResultExt, at};

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

const FILE_FLAGS: OFlags = OFlags::WRONLY
    .union(OFlags::CREATE)
    .union(OFlags::EXCL)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Owner-only while being filled: no one else can open a half-written file
/// or enter a half-filled directory.
const FILLING_FILE_MODE: Mode = Mode::RUSR.union(Mode::WUSR);
const FILLING_DIR_MODE: Mode = Mode::RWXU;

impl Tree {
    /// Creates every entry of the tree inside `root`, an existing directory.
    ///
    /// Files get their bytes and exactly their mode ([`DEFAULT_FILE_MODE`]
    /// when the node has none), whatever the umask; directories exactly
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

    fn write(&self, root: &Path, existing: Existing) -> io::Result<()> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let dir = errno(openat(CWD, root, flags, Mode::empty())).at("open directory", root)?;
        write_entries(dir.as_fd(), root, self, existing)
    }
}

/// What to do with an entry that is already there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Existing {
    Refuse,
    /// Enter directories; replace files and symbolic links.
    Replace,
}

/// Writes the entries of `tree` into the open directory `dir`, which is at `path`.
fn write_entries(
    dir: BorrowedFd<'_>,
    path: &Path,
    tree: &Tree,
    existing: Existing,
) -> io::Result<()> {
    for (name, node) in &tree.entries {
        let child = path.join(name);
        check_name(name, &child)?;
        match node {
            Node::File { contents, mode } => {
                let mode = mode.unwrap_or(DEFAULT_FILE_MODE);
                let create = || write_file(dir, name, &child, contents, mode);
                replacing(dir, name, &child, existing, create)?;
            }
            Node::Dir(sub) => write_dir(dir, name, &child, sub, existing)?,
            Node::Symlink { target } => {
                let create = || errno(symlinkat(target, dir, name)).at("create symlink", &child);
                replacing(dir, name, &child, existing, create)?;
            }
        }
    }
    Ok(())
}

fn write_file(
    dir: BorrowedFd<'_>,
    name: &str,
    path: &Path,
    contents: &[u8],
    mode: u32,
) -> io::Result<()> {
    let fd = errno(openat(dir, name, FILE_FLAGS, FILLING_FILE_MODE)).at("create file", path)?;
    let mut file = File::from(fd);
    file.write_all(contents).at("write file", path)?;
    set_mode(&file, mode, path)
}

/// Runs `create`; with [`Existing::Replace`], a file or symbolic link in the
/// way is unlinked (never followed) and `create` runs again.
fn replacing(
    dir: BorrowedFd<'_>,
    name: &str,
    path: &Path,
    existing: Existing,
    create: impl Fn() -> io::Result<()>,
) -> io::Result<()> {
    match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && existing == Existing::Replace => {
            // Fails on a directory (EISDIR): a file does not replace one.
            errno(unlinkat(dir, name, AtFlags::empty())).at("replace", path)?;
            create()
        }
        result => result,
    }
}

fn write_dir(
    parent: BorrowedFd<'_>,
    name: &str,
    path: &Path,
    tree: &Tree,
    existing: Existing,
) -> io::Result<()> {
    match errno(mkdirat(parent, name, FILLING_DIR_MODE)) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && existing == Existing::Replace => {
            // Entered as it is, keeping its mode; O_NOFOLLOW refuses a link in its place.
            let dir =
                errno(openat(parent, name, DIR_FLAGS, Mode::empty())).at("open directory", path)?;
            return write_entries(dir.as_fd(), path, tree, existing);
        }
        result => result.at("create directory", path)?,
    }
    // O_NOFOLLOW: if the new directory was swapped for a link, refuse it.
    let dir = errno(openat(parent, name, DIR_FLAGS, Mode::empty())).at("open directory", path)?;
    // mkdirat's mode went through the umask, which may have taken the
    // owner's write or search bit (umask 0277): restore them to fill it.
    errno(fchmod(&dir, FILLING_DIR_MODE)).at("make writable", path)?;
    write_entries(dir.as_fd(), path, tree, existing)?;
    set_mode(&dir, DEFAULT_DIR_MODE, path)
}

fn set_mode(fd: impl AsFd, bits: u32, path: &Path) -> io::Result<()> {
    let bits = bits & 0o7777;
    let mode = Mode::from_bits_truncate(bits as RawMode);
    errno(fchmod(fd, mode)).at(format!("set mode {bits:o} on"), path)
}

/// Refuses a name that is not exactly one path segment. Keys are checked when
/// they enter a tree and names read from disk are segments already, so this
/// never fires; it stays because it is all that would stand between a name
/// holding a '/' and a write outside the root.
fn check_name(name: &str, path: &Path) -> io::Result<()> {
    if matches!(segments(name).as_deref(), Ok([_])) {
        return Ok(());
    }
    let error = io::Error::new(
        io::ErrorKind::InvalidInput,
        "a name in a tree must be one path segment",
    );
    Err(at(error, "create", path))
}

fn errno<T>(result: rustix::io::Result<T>) -> io::Result<T> {
    result.map_err(io::Error::from)
}
