//! Every Unix but Linux, and any build with `--cfg fixtree_portable` (so that
//! Linux runs these paths for the whole test suite in CI): the portable
//! paths, and what macOS and the BSDs add to them, `chmod` that does not
//! follow a link (`AT_SYMLINK_NOFOLLOW`) and macOS's
//! `renameatx_np(RENAME_EXCL)`. None has `O_TMPFILE`: unnamed files are
//! created, then unlinked.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::BorrowedFd;
use std::path::Path;

use rustix::fs::{AtFlags, Mode, OFlags, chmodat};
use rustix::io::Errno;

/// Opens a directory for the `*at()` calls (these systems need read permission).
pub(super) const SEARCH_ONLY: OFlags = OFlags::RDONLY;

/// No `O_TMPFILE` here.
pub(super) fn create_unnamed(_dir: &Path) -> io::Result<Option<File>> {
    Ok(None)
}

/// macOS's `renameatx_np(RENAME_EXCL)`; `false` where it is missing.
#[cfg(all(target_vendor = "apple", not(fixtree_portable)))]
pub(super) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// No no-clobber rename elsewhere: link + unlink.
#[cfg(not(all(target_vendor = "apple", not(fixtree_portable))))]
pub(super) fn rename_noreplace(_from: &Path, _to: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Sets `mode` on the directory `name` in `parent`; a link swapped in there
/// gets the mode itself, never its target. `false` where the file system
/// refuses modes on links, and in the portable build.
pub(super) fn chmod_nofollow(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    mode: Mode,
) -> Result<bool, Errno> {
    if cfg!(fixtree_portable) {
        return Ok(false);
    }
    match chmodat(parent, name, mode, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(()) => Ok(true),
        // A Unix without a no-follow chmod says so in one of these ways.
        Err(e) if [Errno::OPNOTSUPP, Errno::NOTSUP, Errno::NOSYS, Errno::INVAL].contains(&e) => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
