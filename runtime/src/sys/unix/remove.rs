//! Recursive removal that cannot be led out of the tree.
//!
//! Every step works relative to an open directory descriptor and opens
//! subdirectories with O_NOFOLLOW, so a symbolic link in the tree is unlinked,
//! never followed, and renaming a directory mid-removal cannot redirect it.
//! Directories and files the test made read-only (or unreadable) are made
//! removable first. Whatever cannot be removed is reported, path by path.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{
    AtFlags, CWD, Dir, FileType, Mode, OFlags, Stat, chmodat, fchmod, fstat, openat, statat,
    unlinkat,
};
use rustix::io::Errno;

use super::extra;

/// How many failures an error message lists before it says "and N more".
const LISTED_FAILURES: usize = 8;

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

/// Removes `path` and, if it is a directory, everything below it.
///
/// A symbolic link at `path` or anywhere below is removed itself; nothing it
/// points to is touched.
pub(crate) fn remove_all(path: &Path) -> io::Result<()> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "cannot remove {}: it has no final component",
                path.display()
            ),
        ));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    // Removing entries needs no read permission on the parent itself, and
    // where the platform can open it without, it does.
    let parent_fd = openat(
        CWD,
        parent,
        extra::SEARCH_ONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| crate::error::at(e.into(), "open directory", parent))?;
    let mut failures = Failures::default();
    remove_entry(parent_fd.as_fd(), name, path, &mut failures);
    failures.into_result(path)
}

fn remove_entry(parent: BorrowedFd<'_>, name: &OsStr, path: &Path, failures: &mut Failures) {
    match open_subdir(parent, name) {
        Ok(Some(dir)) => {
            let before = failures.total;
            clear_dir(dir, path, failures);
            if failures.total == before {
                failures.check(
                    unlinkat(parent, name, AtFlags::REMOVEDIR),
                    "remove directory",
                    path,
                );
            }
        }
        Ok(None) => failures.check(unlinkat(parent, name, AtFlags::empty()), "remove", path),
        Err(e) => failures.push(e, "open directory", path),
    }
}

/// Opens `name` in `parent` as a directory without following a symbolic link;
/// `None` when it is anything else (a file, a link, a socket...).
fn open_subdir(parent: BorrowedFd<'_>, name: &OsStr) -> Result<Option<OwnedFd>, Errno> {
    match openat(parent, name, DIR_FLAGS, Mode::empty()) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::NOTDIR | Errno::LOOP) => Ok(None),
        Err(Errno::ACCESS) => {
            // A directory the test made unreadable: give its owner access
            // back, without following a link swapped in at `name`, then
            // open exactly the directory that was unlocked.
            let unlocked = unlock_dir(parent, name)?;
            let fd = openat(parent, name, DIR_FLAGS, Mode::empty())?;
            let opened = fstat(&fd)?;
            if (opened.st_dev, opened.st_ino) != (unlocked.st_dev, unlocked.st_ino) {
                return Err(Errno::AGAIN);
            }
            Ok(Some(fd))
        }
        Err(e) => Err(e),
    }
}

/// Gives the owner read, write and search permission on the directory
/// `name` in `parent` without following a symbolic link there; returns what
/// it looked at.
fn unlock_dir(parent: BorrowedFd<'_>, name: &OsStr) -> Result<Stat, Errno> {
    let st = statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)?;
    if FileType::from_raw_mode(st.st_mode) != FileType::Directory {
        return Err(Errno::NOTDIR);
    }
    if !extra::chmod_nofollow(parent, name, Mode::RWXU)? {
        // The portable way: chmod what was looked at. Only someone who may
        // write in `parent` (the owner of a private test directory) could
        // swap a link in meanwhile; the caller's inode check then refuses
        // what it opens.
        chmodat(parent, name, Mode::RWXU, AtFlags::empty())?;
    }
    Ok(st)
}

/// Removes every entry of the open directory `dir`, which is at `path`.
fn clear_dir(dir: OwnedFd, path: &Path, failures: &mut Failures) {
    // Unlinking an entry needs write and search permission on its directory,
    // not on the entry: a read-only file only needs its parent fixed.
    match fstat(&dir) {
        Ok(st) if st.st_mode & 0o300 != 0o300 => {
            let mode = Mode::from_raw_mode(st.st_mode) | Mode::RWXU;
            failures.check(fchmod(&dir, mode), "make writable", path);
        }
        Ok(_) => {}
        Err(e) => failures.push(e, "stat directory", path),
    }
    let mut entries = match Dir::new(dir) {
        Ok(entries) => entries,
        Err(e) => return failures.push(e, "read directory", path),
    };
    while let Some(entry) = entries.read() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return failures.push(e, "read directory", path),
        };
        let name = OsStr::from_bytes(entry.file_name().to_bytes());
        if name == "." || name == ".." {
            continue;
        }
        let child = path.join(name);
        let fd = match entries.fd() {
            Ok(fd) => fd,
            Err(e) => return failures.push(e, "read directory", path),
        };
        match entry.file_type() {
            FileType::Directory | FileType::Unknown => remove_entry(fd, name, &child, failures),
            _ => failures.check(unlinkat(fd, name, AtFlags::empty()), "remove", &child),
        }
    }
}

/// What could not be removed, the first few in detail.
#[derive(Default)]
struct Failures {
    total: usize,
    listed: Vec<(PathBuf, &'static str, Errno)>,
}

impl Failures {
    fn push(&mut self, errno: Errno, op: &'static str, path: &Path) {
        self.total += 1;
        if self.listed.len() < LISTED_FAILURES {
            self.listed.push((path.to_owned(), op, errno));
        }
    }

    fn check(&mut self, result: Result<(), Errno>, op: &'static str, path: &Path) {
        if let Err(errno) = result {
            self.push(errno, op, path);
        }
    }

    fn into_result(self, root: &Path) -> io::Result<()> {
        let Some((_, _, first)) = self.listed.first() else {
            return Ok(());
        };
        let kind = io::Error::from(*first).kind();
        Err(io::Error::new(
            kind,
            RemoveError {
                root: root.to_owned(),
                failures: self,
            },
        ))
    }
}

/// The error of [`remove_all`]: every path left behind, and why.
#[derive(Debug)]
struct RemoveError {
    root: PathBuf,
    failures: Failures,
}

impl fmt::Debug for Failures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.listed.iter().map(|(p, op, e)| (p, op, e)))
            .finish()
    }
}

impl fmt::Display for RemoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Failures { total, listed } = &self.failures;
        let line = |f: &mut fmt::Formatter<'_>, (path, op, errno): &(PathBuf, &str, Errno)| {
            write!(
                f,
                "cannot {op} {}: {}",
                path.display(),
                io::Error::from(*errno)
            )
        };
        if let [only] = listed.as_slice() {
            return line(f, only);
        }
        write!(
            f,
            "cannot remove {}: {total} entries failed",
            self.root.display()
        )?;
        for failure in listed {
            f.write_str("\n  ")?;
            line(f, failure)?;
        }
        if *total > listed.len() {
            write!(f, "\n  ... and {} more", total - listed.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for RemoveError {}
