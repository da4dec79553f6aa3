//! [`Tree::read`]: snapshot a directory as a [`Tree`]; and
//! [`Tree::read_snapshot`] for a snapshot folder: a directory checked into a
//! repository as a fixture or an expected result. Git keeps no empty
//! directories, so such a folder holds a file named `.keep` in a directory
//! meant to be empty: a marker of the repository, not part of the tree.
//!
//! The walk ([`crate::walk`]) never follows a symbolic link below the root:
//! a link is recorded as a link, so a link to somewhere outside neither
//! leaks its contents into the tree nor loops, and a directory swapped for a
//! link mid-walk cannot lead it outside either; no depth is too deep.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::{Build, Entries, Node, Tree, TreeNode};
use crate::error::IoResultExt;
use crate::sys;
use crate::walk::{DepthFirst, Entry, EntryType, Event, KEEP_MARKER, Skip, Walk};

impl Tree {
    /// Snapshots the directory `dir`: every file (bytes and mode, a mode of
    /// [`DEFAULT_FILE_MODE`](crate::DEFAULT_FILE_MODE) recorded as none, as
    /// [`Node::file_with_mode`] does), directory (modes of directories are
    /// not recorded) and symbolic link (its target as stored, never followed).
    ///
    /// Modification times are not recorded: they change whenever a test
    /// runs, so a snapshot holding them would never equal another. To check
    /// one, expect it with [`spec::modified`](crate::spec::modified) in
    /// `assert_tree!` or [`check_tree`](crate::check_tree).
    ///
    /// `dir` itself may be a symbolic link to a directory; links below it are
    /// not followed. A fifo, socket or device is an error naming its path: a
    /// tree holds only files, directories and symbolic links. A name that is
    /// not UTF-8 (Unix) is held under its spelling, as
    /// [`insert_os`](Tree::insert_os) gives it (`caf\xe9.log`).
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
        read_levels(dir.as_ref(), None, false, node).map(|entries| Tree { entries })
    }

    /// Reads the snapshot folder `dir` as [`read`](Tree::read) does, then
    /// drops every `.keep` file that is the only entry of its directory (the
    /// root included), leaving that directory empty. A `.keep` beside other
    /// entries is an ordinary file and stays.
    ///
    /// ```
    /// use fixtree::Tree;
    ///
    /// let folder = fixtree::tempdir()?;
    /// std::fs::create_dir(folder.path().join("empty"))?;
    /// std::fs::write(folder.path().join("empty/.keep"), "")?;
    /// std::fs::write(folder.path().join("a.txt"), "x")?;
    ///
    /// let tree = Tree::read_snapshot(folder.path())?;
    /// assert_eq!(tree, Tree::new().with("a.txt", "x")?.with("empty", Tree::new())?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_snapshot(dir: impl AsRef<Path>) -> io::Result<Tree> {
        read_levels(dir.as_ref(), None, true, node).map(|entries| Tree { entries })
    }

    /// [`read`](Tree::read), less the entries `skip` says of, given their
    /// `/`-separated path: those are never inspected, so a skipped fifo or
    /// name that is not UTF-8 is no error.
    pub(crate) fn read_except(root: &Path, skip: impl Fn(&str) -> bool) -> io::Result<Tree> {
        read_levels(root, Some(&skip), false, node).map(|entries| Tree { entries })
    }
}

/// Copies the snapshot folder `from` into the directory `to`:
/// [`Tree::read_snapshot`], then [`Tree::write_to`]. File modes, empty
/// directories and symbolic links (as links) are kept; lone `.keep` markers
/// are not copied. Entries already in `to` are never replaced: a name that
/// is taken is an error naming its path. A missing `to` is made, with its
/// missing parents (relative to the current directory if `to` is
/// relative), each exactly mode 0o700 whatever the umask and made without
/// following a link; the directories that exist are used as given, except
/// that the nearest may not be a symbolic link (an error naming it).
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
///
/// fixtree::copy_snapshot(folder.path(), dir.path().join("crates/sibling"))?;
/// assert!(dir.path().join("crates/sibling/run.sh").is_file());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn copy_snapshot(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    let (tree, to) = (Tree::read_snapshot(from)?, to.as_ref());
    make_missing(to)?;
    tree.write_to(to)
}

/// Makes the directory `to` unless it exists, with its missing parents, as
/// [`Tree::write_to`] makes a directory — exclusively, in its parent opened
/// without following a link — but mode [`sys::DIR_MODE`] exactly. The
/// directories that exist are used as given, but the nearest may not be a
/// link: a destination is not made in one by accident.
fn make_missing(to: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut nearest = Path::new(".");
    for dir in to.ancestors() {
        // A relative path's last ancestor is "", the current directory.
        let at = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match fs::symlink_metadata(at) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(dir),
            Ok(meta) if meta.file_type().is_symlink() && !missing.is_empty() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "refusing to create {} in {}: it is a symbolic link; copy into the \
                         directory it points to, by its own path",
                        to.display(),
                        at.display()
                    ),
                ));
            }
            found => {
                found.at("inspect", at)?;
                nearest = at;
                break;
            }
        }
    }
    // Every name is checked before the first directory is made.
    let names = (missing.iter().rev())
        .map(|dir| match dir.file_name().and_then(|name| name.to_str()) {
            Some(name) if fixtree_rules::segments(name).is_ok_and(|s| s.len() == 1) => Ok(name),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "cannot create {}: copy_snapshot makes only missing directories named by \
                     one UTF-8 path segment each (no `..`, `\\` or drive); make it first, or \
                     give another destination",
                    dir.display()
                ),
            )),
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut parent = sys::Dir::open(nearest).at("open directory", nearest)?;
    for (name, dir) in names.into_iter().zip(missing.into_iter().rev()) {
        parent = parent
            .create_dir(name, sys::DIR_MODE)
            .at("create directory", dir)?;
    }
    Ok(())
}

/// Reads the directory `root`, less the entries `skip` leaves out: `leaf`
/// makes each file or symbolic link, given the walk in its directory. A
/// `snapshot` folder's directories holding only a `.keep` file are empty.
pub(crate) fn read_levels<N: TreeNode>(
    root: &Path,
    skip: Option<&dyn Skip>,
    snapshot: bool,
    mut leaf: impl FnMut(&Walk, &Entry) -> io::Result<N>,
) -> io::Result<Entries<N>> {
    if !fs::metadata(root).at("read directory", root)?.is_dir() {
        let error = io::Error::new(io::ErrorKind::NotADirectory, "not a directory");
        return Err(error).at("read directory", root);
    }
    let nothing = |_: &str| false;
    let mut walk = Walk::new(root)?;
    let mut events = DepthFirst::new(&mut walk, "", skip.unwrap_or(&nothing))?.spelled();
    let mut tree = Build::new(false);
    // Whether each directory being read holds a `.keep` file; the root first.
    let mut keep = vec![false];
    loop {
        let event = events.next()?;
        let left = matches!(event, None | Some(Event::Leave));
        if left && keep.pop() == Some(true) && snapshot && tree.top().len() == 1 {
            tree.top().map.clear();
        }
        match event {
            None => return Ok(tree.finish()),
            Some(Event::Enter(entry)) => {
                tree.enter(entry.name, false);
                keep.push(false);
            }
            Some(Event::Leaf(entry)) => {
                events.walk().named(&entry)?;
                let made = leaf(events.walk(), &entry)?;
                if entry.name == KEEP_MARKER && matches!(entry.found, EntryType::File { .. }) {
                    *keep.last_mut().expect("the root stays open") = true;
                }
                tree.leaf(entry.name, made);
            }
            Some(Event::Leave) => tree.leave(),
        }
    }
}

/// A file or symbolic link as a [`Node`], its bytes read.
pub(crate) fn node(walk: &Walk, entry: &Entry) -> io::Result<Node> {
    if let EntryType::Symlink(target) = &entry.found {
        return Ok(Node::symlink(target));
    }
    let (file, metadata) = walk.open_file(entry)?;
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
            let error = io::Error::new(io::ErrorKind::OutOfMemory, message);
            walk.error_at(error, "read file", entry)
        })?;
    // Through `Take`: std's `File::read_to_end` would stat and seek again to
    // size a buffer that is sized already.
    file.take(u64::MAX)
        .read_to_end(&mut contents)
        .map_err(|e| walk.error_at(e, "read file", entry))?;
    Ok(Node::file_with_mode(contents, sys::mode_of(&metadata)))
}
