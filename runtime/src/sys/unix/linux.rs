//! Linux's extras: `O_TMPFILE`, `renameat2(RENAME_NOREPLACE)`, and `O_PATH`
//! with `/proc/self/fd` to reach a directory without permission on it.
//! Each answers `None`/`false` where the kernel or file system lacks it.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::path::Path;

use rustix::fs::{CWD, Mode, OFlags, RenameFlags, chmod, openat, renameat_with};
use rustix::io::Errno;

use super::exact;
use crate::error::IoResultExt;
use crate::sys::FILE_MODE;

/// Opens a directory for the `*at()` calls without read permission on it.
pub(super) const SEARCH_ONLY: OFlags = OFlags::PATH;

/// An `O_TMPFILE` file in `dir`: it never has a name, so nothing can be left
/// behind. `None` where the kernel or file system has no `O_TMPFILE`.
pub(super) fn create_unnamed(dir: &Path) -> io::Result<Option<File>> {
    // O_EXCL with O_TMPFILE: the file can never be linked into the tree later.
    let flags = OFlags::RDWR | OFlags::TMPFILE | OFlags::EXCL | OFlags::CLOEXEC;
    match openat(CWD, dir, flags, exact(FILE_MODE)) {
        Ok(fd) => {
            let file = File::from(fd);
            let set = super::set_file_mode(&file, FILE_MODE);
            set.at("set mode on an unnamed temporary file in", dir)?;
            Ok(Some(file))
        }
        // The three answers of a kernel or file system without O_TMPFILE.
        Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::NOENT) => Ok(None),
        Err(e) => Err(io::Error::from(e)).at("create an unnamed temporary file in", dir),
    }
}

/// `renameat2(RENAME_NOREPLACE)`; `false` where the file system lacks it.
pub(super) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<bool> {
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Sets `mode` on the directory `name` in `parent`, never through a link
/// there: O_PATH needs no permission on it, and chmod through
/// `/proc/self/fd` reaches exactly the inode opened (fchmod refuses O_PATH
/// descriptors). `false` without `/proc`.
pub(super) fn chmod_nofollow(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    mode: Mode,
) -> Result<bool, Errno> {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let handle = openat(parent, name, flags, Mode::empty())?;
    match chmod(format!("/proc/self/fd/{}", handle.as_raw_fd()), mode) {
        Ok(()) => Ok(true),
        Err(Errno::NOENT) => Ok(false),
        Err(e) => Err(e),
    }
}
