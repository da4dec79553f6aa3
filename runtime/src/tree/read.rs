//! [`Tree::read`]: snapshot a directory as a [`Tree`].
//!
//! The walk ([`crate::walk`]) never follows a symbolic link below the root:
//! a link is recorded as a link, so a link to somewhere outside neither
//! leaks its contents into the tree nor loops, and a directory swapped for a
//! link mid-walk cannot lead it outside either; no depth is too deep.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::{Node, Tree};
use crate::error::{IoResultExt, at};
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
        read_levels(dir.as_ref(), None, false, node)
    }

    /// [`read`](Tree::read), less the entries `skip` says of, given their
    /// `/`-separated path: those are never inspected, so a skipped fifo or
    /// name that is not UTF-8 is no error.
    pub(crate) fn read_except(root: &Path, skip: impl Fn(&str) -> bool) -> io::Result<Tree> {
        read_levels(root, Some(&skip), false, node)
    }
}

/// A file or symbolic link as a [`Node`], its bytes read.
pub(crate) fn node(walk: &Walk, entry: &Entry) -> io::Result<Node> {
    match &entry.found {
        EntryType::Symlink(target) => Ok(Node::symlink(target)),
        _ => read_file(walk, entry),
    }
}

/// A tree being read, a level at a time: a [`Tree`], or an expectation
/// that keeps where each file is instead of its bytes.
pub(crate) trait Level: Default {
    /// What a file or symbolic link becomes.
    type Leaf;
    fn insert(&mut self, name: String, leaf: Self::Leaf);
    fn insert_dir(&mut self, name: String, dir: Self);
    /// Whether this level holds a `.keep` file and nothing else: a
    /// snapshot folder's empty directory.
    fn only_keep_marker(&self) -> bool;
    fn clear(&mut self);
}

impl Level for Tree {
    type Leaf = Node;

    fn insert(&mut self, name: String, leaf: Node) {
        self.entries.insert(name, leaf);
    }

    fn insert_dir(&mut self, name: String, dir: Tree) {
        self.entries.insert(name, Node::Dir(dir));
    }

    fn only_keep_marker(&self) -> bool {
        self.entries.len() == 1 && matches!(self.entries.get(KEEP_MARKER), Some(Node::File { .. }))
    }

    fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Reads the directory `root` into an `L`, less the entries `skip` leaves
/// out: `leaf` makes each file or symbolic link, given the walk in its
/// directory; directories nest. A `snapshot` folder's directories holding
/// only `.keep` are read as empty.
pub(crate) fn read_levels<L: Level>(
    root: &Path,
    skip: Option<&dyn Skip>,
    snapshot: bool,
    mut leaf: impl FnMut(&Walk, &Entry) -> io::Result<L::Leaf>,
) -> io::Result<L> {
    if !fs::metadata(root).at("read directory", root)?.is_dir() {
        let error = io::Error::new(io::ErrorKind::NotADirectory, "not a directory");
        return Err(at(error, "read directory", root));
    }
    let nothing = |_: &str| false;
    let mut walk = Walk::new(root)?;
    let mut events = DepthFirst::new(&mut walk, "", skip.unwrap_or(&nothing))?;
    // The directories being read, each with its name; the root at the bottom.
    let mut open = vec![(String::new(), L::default())];
    let emptied = |mut level: L| {
        if snapshot && level.only_keep_marker() {
            level.clear();
        }
        level
    };
    while let Some(event) = events.next()? {
        match event {
            Event::Enter(entry) => open.push((entry.name, L::default())),
            Event::Leaf(entry) => {
                events.walk().utf8(&entry)?;
                let made = leaf(events.walk(), &entry)?;
                let (_, dir) = open.last_mut().expect("the root stays open");
                dir.insert(entry.name, made);
            }
            Event::Leave => {
                let (name, level) = open.pop().expect("a directory was entered");
                let (_, parent) = open.last_mut().expect("the root stays open");
                parent.insert_dir(name, emptied(level));
            }
        }
    }
    let (_, root) = open.pop().expect("the root stays open");
    Ok(emptied(root))
}

fn read_file(walk: &Walk, entry: &Entry) -> io::Result<Node> {
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
