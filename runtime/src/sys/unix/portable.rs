//! No extras: the portable path everywhere. Taken by Unix systems fixtree
//! knows nothing special of, and by any build with `--cfg fixtree_portable`,
//! so that Linux runs the portable paths for the whole test suite in CI.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::BorrowedFd;
use std::path::Path;

use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

/// Opens a directory for the `*at()` calls (with read permission).
pub(super) const SEARCH_ONLY: OFlags = OFlags::RDONLY;

/// Unnamed files are created, then unlinked.
pub(super) fn create_unnamed(_dir: &Path) -> io::Result<Option<File>> {
    Ok(None)
}

/// No-clobber renames link, then unlink.
pub(super) fn rename_noreplace(_from: &Path, _to: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Unreadable directories are looked at, then chmod-ed.
pub(super) fn chmod_nofollow(
    _parent: BorrowedFd<'_>,
    _name: &OsStr,
    _mode: Mode,
) -> Result<bool, Errno> {
    Ok(false)
}

/// A directory's entries, through a descriptor of their own.
pub(super) use super::read_entries_reopened as read_entries;
