//! Linux's extras: `O_TMPFILE`, `renameat2(RENAME_NOREPLACE)`, `O_PATH`
//! with `/proc/self/fd` to reach a directory without permission on it, and
//! listing through a directory's own descriptor. Each answers `None`/`false`
//! where the kernel or file system lacks it.

use std::ffi::{OsStr, OsString};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{
    CWD, FileType, Mode, OFlags, RawDir, RenameFlags, SeekFrom, chmod, openat, renameat_with, seek,
};
use rustix::io::Errno;

use super::{ensure_mode, exact, flags};
use crate::error::IoResultExt;
use crate::sys::FILE_MODE;

/// Opens a directory for the `*at()` calls without read permission on it.
pub(super) const SEARCH_ONLY: OFlags = OFlags::PATH;

/// An `O_TMPFILE` file in `dir`: it never has a name, so nothing can be left
/// behind. `None` where the kernel or file system has no `O_TMPFILE`.
pub(super) fn create_unnamed(dir: &Path) -> io::Result<Option<File>> {
    // O_EXCL with O_TMPFILE: the file can never be linked into the tree later.
    let unnamed = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(flags(OFlags::TMPFILE | OFlags::EXCL))
        .mode(FILE_MODE)
        .open(dir);
    match unnamed {
        Ok(file) => {
            ensure_mode(file.as_fd(), exact(FILE_MODE))
                .at("set mode on an unnamed temporary file in", dir)?;
            Ok(Some(file))
        }
        // The three answers of a kernel or file system without O_TMPFILE.
        Err(e)
            if matches!(
                Errno::from_io_error(&e),
                Some(Errno::OPNOTSUPP | Errno::ISDIR | Errno::NOENT)
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e).at("create an unnamed temporary file in", dir),
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

/// The entries of the directory open at `dir`, but for `.` and `..`, with
/// their types as listed: read through the descriptor itself from its
/// start (rewound first, as `rewinddir` does), so no copy of it is opened
/// and closed per listing.
pub(super) fn read_entries(dir: BorrowedFd<'_>) -> io::Result<Vec<(OsString, FileType)>> {
    seek(dir, SeekFrom::Start(0))?;
    // Room for the longest name many times over: getdents never needs more.
    let mut buffer = Vec::with_capacity(32 * 1024);
    let mut entries = RawDir::new(dir, buffer.spare_capacity_mut());
    let mut listed = Vec::new();
    while let Some(entry) = entries.next() {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            listed.push((OsStr::from_bytes(name).to_owned(), entry.file_type()));
        }
    }
    Ok(listed)
}
