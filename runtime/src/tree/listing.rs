//! One directory level on disk as [`Tree::read`](crate::Tree::read), the
//! comparison, update mode and the report see it: names in order, each with
//! its [`EntryType`] (size and mode of a file), no contents read.
//!
//! A [`Walk`] holds the directories from its root down to the one listed,
//! each opened relative to its parent's descriptor and never through a
//! symbolic link, so a directory swapped for a link mid-walk cannot lead it
//! out of the tree, and no path grows longer than the system takes. The
//! walk goes a level at a time: each caller decides where to descend, with
//! a stack of its own instead of recursion, so that no nesting depth
//! overflows a test thread's stack.

use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{IoResultExt, at};
pub(crate) use crate::sys::EntryType;
use crate::sys::{Dir, DirStack};

/// One entry of a level.
#[derive(Clone)]
pub(crate) struct Entry {
    /// The name, lossily (U+FFFD for what is not UTF-8) unless `utf8`.
    pub(crate) name: String,
    /// Whether the name on disk is `name` exactly. One that is not can be
    /// ignored, allowed by `..` or reported, but never named by a spec,
    /// entered or opened.
    pub(crate) utf8: bool,
    pub(crate) found: EntryType,
}

/// A walk down a directory: the directory it is in, and that directory's
/// path, for messages.
pub(crate) struct Walk {
    dirs: DirStack,
    path: PathBuf,
}

impl Walk {
    /// A walk in `root`, which may be a symbolic link to a directory: the
    /// caller chose it. Links below it are never followed.
    pub(crate) fn new(root: &Path) -> io::Result<Walk> {
        let dir = Dir::open(root).at("read directory", root)?;
        Ok(Walk {
            dirs: DirStack::new(dir),
            path: root.to_owned(),
        })
    }

    /// The path of the directory the walk is in.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The directory the walk is in, to write into.
    pub(crate) fn dir(&self) -> &Dir {
        self.dirs.current()
    }

    /// The entries of the directory the walk is in, in name order, less
    /// those `skip` says of (given a name, lossily if it is not UTF-8),
    /// which are never inspected: a skipped fifo is no error, nor a skipped
    /// name that is not UTF-8.
    pub(crate) fn list(&self, mut skip: impl FnMut(&str) -> bool) -> io::Result<Vec<Entry>> {
        let dir = self.dirs.current();
        let mut entries = Vec::new();
        for on_disk in dir.names().at("read directory", &self.path)? {
            let (name, utf8) = match on_disk.to_str() {
                Some(name) => (name.to_owned(), true),
                None => (on_disk.to_string_lossy().into_owned(), false),
            };
            if skip(&name) {
                continue;
            }
            // The path is spelled only for an error: what is read goes
            // through the walk's descriptors.
            let found = dir
                .entry_type(&on_disk)
                .map_err(|e| at(e, "read", &self.path.join(&on_disk)))?;
            entries.push(Entry { name, utf8, found });
        }
        entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Goes down into the directory `name`, refusing a symbolic link there.
    pub(crate) fn enter(&mut self, name: &str) -> io::Result<()> {
        let path = self.path.join(name);
        let dir = self.dir().open_dir(name).at("read directory", &path)?;
        self.dirs.enter(dir).at("read directory", &path)?;
        self.path = path;
        Ok(())
    }

    /// Goes back up from the directory entered last.
    pub(crate) fn leave(&mut self) -> io::Result<()> {
        self.dirs.leave().at("return from directory", &self.path)?;
        self.path.pop();
        Ok(())
    }

    /// Opens the regular file `entry` of the directory the walk is in, with
    /// its metadata. An entry swapped since the listing for a link or a fifo
    /// is neither followed nor left hanging the read.
    pub(crate) fn open_file(&self, entry: &Entry) -> io::Result<(File, Metadata)> {
        self.dir()
            .open_file(&entry.name)
            .map_err(|e| self.error_at(e, "read file", entry))
    }

    /// `error`, naming the path of `entry` of the directory the walk is in:
    /// spelled only for an error, as everything read goes through the
    /// walk's descriptors.
    pub(crate) fn error_at(&self, error: io::Error, op: &'static str, entry: &Entry) -> io::Error {
        at(error, op, &self.path.join(&entry.name))
    }

    /// `entries`, unless one has a name that is not UTF-8: an error naming
    /// it, for what must hold every entry under its name (a
    /// [`Tree`](crate::Tree), a snapshot folder being rewritten).
    pub(crate) fn utf8_only(&self, entries: Vec<Entry>) -> io::Result<Vec<Entry>> {
        match entries.iter().find(|entry| !entry.utf8) {
            Some(entry) => Err(self.error_at(not_utf8(), "read", entry)),
            None => Ok(entries),
        }
    }
}

/// The error for a name that is not UTF-8.
fn not_utf8() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "its name is not UTF-8, and the names in a tree are strings",
    )
}
