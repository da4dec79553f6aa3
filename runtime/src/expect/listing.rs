//! One directory level on disk as the comparison, update mode and
//! [`Tree::read`](crate::Tree::read) see it: names in order, each with its
//! kind, size and mode, and no contents read. Walking a level at a time lets
//! each caller decide where to descend, with a stack of its own instead of
//! recursion, so that no nesting depth overflows a test thread's stack.

use std::fs::{self, File, FileType, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use super::ignore::Ignore;
use super::walk::join;
use crate::error::{IoResultExt, at};
use crate::sys;

/// One entry of a level.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) kind: Kind,
}

/// What an entry is; a symbolic link is never followed.
#[derive(Clone)]
pub(crate) enum Kind {
    File { len: u64, mode: u32 },
    Dir,
    Symlink(PathBuf),
}

impl Kind {
    /// "file", "directory" or "symlink", for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Kind::File { .. } => "file",
            Kind::Dir => "directory",
            Kind::Symlink(_) => "symlink",
        }
    }
}

/// The entries of `dir`, whose path from the root is `prefix`, in name
/// order, less those `ignore` covers, which are counted into `ignored` and
/// never inspected: an ignored fifo is no error.
pub(crate) fn list(
    dir: &Path,
    prefix: &str,
    ignore: &Ignore,
    ignored: &mut usize,
) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).at("read directory", dir)? {
        let entry = entry.at("read directory", dir)?;
        let path = entry.path();
        let Ok(name) = entry.file_name().into_string() else {
            return Err(not_utf8(&path));
        };
        if ignore.covers(&join(prefix, &name)) {
            *ignored += 1;
            continue;
        }
        let metadata = fs::symlink_metadata(&path).at("read", &path)?;
        let file_type = metadata.file_type();
        let kind = if file_type.is_file() {
            Kind::File {
                len: metadata.len(),
                mode: sys::mode_of(&metadata),
            }
        } else if file_type.is_dir() {
            Kind::Dir
        } else if file_type.is_symlink() {
            Kind::Symlink(fs::read_link(&path).at("read symlink", &path)?)
        } else {
            return Err(unsupported(file_type, &path));
        };
        entries.push(Entry { name, path, kind });
    }
    entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Opens the regular file at `path` for reading, with its metadata. An
/// entry swapped since the listing for a link or a fifo is neither followed
/// nor left hanging the read.
pub(crate) fn open_file(path: &Path) -> io::Result<(File, Metadata)> {
    let file = sys::open_file_nofollow(path).at("read file", path)?;
    let metadata = file.metadata().at("read file", path)?;
    if !metadata.is_file() {
        return Err(unsupported(metadata.file_type(), path));
    }
    Ok((file, metadata))
}

/// The error for an entry that is neither file, directory nor symlink.
pub(crate) fn unsupported(file_type: FileType, path: &Path) -> io::Error {
    let kind = sys::special_kind(file_type);
    let error = io::Error::new(
        io::ErrorKind::InvalidData,
        format!("it is {kind}, and fixtree trees hold only files, directories and symlinks"),
    );
    at(error, "read", path)
}

/// The error for a name that is not UTF-8.
pub(crate) fn not_utf8(path: &Path) -> io::Error {
    let error = io::Error::new(
        io::ErrorKind::InvalidData,
        "its name is not UTF-8, and the names in a tree are strings",
    );
    at(error, "read", path)
}
