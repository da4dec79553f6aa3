//! Removal of a tree that cannot be led out of it, at any depth.
//!
//! Every step works relative to an open directory descriptor and opens
//! subdirectories with O_NOFOLLOW, so a symbolic link in the tree is unlinked,
//! never followed, and renaming a directory mid-removal cannot redirect it.
//! The walk keeps its directories on a [`DirStack`], not on the call stack:
//! no depth overflows the thread's stack or runs out of descriptors.
//! Directories and files the test made read-only (or unreadable) are made
//! removable first. Whatever cannot be removed is reported, path by path.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::vec;

use rustix::fs::{
    AtFlags, CWD, FileType, Mode, OFlags, Stat, chmodat, fchmod, fstat, openat, statat, unlinkat,
};
use rustix::io::Errno;

use super::{DIR_FLAGS, Dir, DirId, extra};
use crate::sys::DirStack;

/// How many failures an error message lists before it says "and N more".
const LISTED_FAILURES: usize = 8;

/// Removes `path` and, if it is a directory, everything below it.
///
/// A symbolic link at `path` or anywhere below is removed itself; nothing it
/// points to is touched.
pub(crate) fn remove_all(path: &Path) -> io::Result<()> {
    // Most directories are empty when they go (a test that tidied up, a
    // directory never written to): one rmdir, which never follows a link,
    // removes them. Anything else (not empty, a file or a link, not
    // allowed, not there) is left to the walk, which says which.
    if unlinkat(CWD, path, AtFlags::REMOVEDIR).is_ok() {
        return Ok(());
    }
    let Some((parent, name)) = path.parent().zip(path.file_name()) else {
        let error = format!(
            "cannot remove {}: it has no final component",
            path.display()
        );
        return Err(io::Error::new(io::ErrorKind::InvalidInput, error));
    };
    // The current directory for a bare name, whose parent is "".
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    // Removing entries needs no read permission on the parent itself, and
    // where the platform can open it without, it does.
    let flags = extra::SEARCH_ONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let parent_fd = openat(CWD, parent, flags, Mode::empty());
    let parent_fd = parent_fd.map_err(|e| crate::error::at(e.into(), "open directory", parent))?;
    let mut removal = Removal {
        dirs: DirStack::new(Dir(parent_fd)),
        listings: Vec::new(),
        path: path.to_owned(),
        failures: Failures::default(),
    };
    removal.remove_entry(name);
    removal.run();
    removal.failures.into_result(path)
}

/// A removal under way.
struct Removal {
    /// The directories entered, below the parent of the path removed.
    dirs: DirStack,
    /// What is left to remove in each directory entered, the deepest last.
    listings: Vec<Listing>,
    /// The path of the directory entered last, or of the entry at hand.
    path: PathBuf,
    failures: Failures,
}

/// The entries of a directory entered, read when it was, and how many
/// failures there were before: if there are more when it is empty, it stays.
struct Listing {
    entries: vec::IntoIter<(OsString, FileType)>,
    failures_before: usize,
}

impl Removal {
    /// Removes the entries of every directory entered, the deepest first,
    /// then the directory itself.
    fn run(&mut self) {
        while let Some(listing) = self.listings.last_mut() {
            match listing.entries.next() {
                // Most entries: removed without spelling out their path,
                // which only an error needs.
                Some((name, kind)) if !matches!(kind, FileType::Directory | FileType::Unknown) => {
                    let parent = self.dirs.current().0.as_fd();
                    if let Err(e) = unlinkat(parent, &name, AtFlags::empty()) {
                        self.failures
                            .check(Err(e), "remove", &self.path.join(&name));
                    }
                }
                Some((name, _)) => {
                    self.path.push(&name);
                    if !self.remove_entry(&name) {
                        self.path.pop();
                    }
                }
                None => {
                    let failures_before = listing.failures_before;
                    self.listings.pop();
                    if let Err(e) = self.dirs.leave() {
                        // Moved out from under the walk: nothing above can be trusted.
                        return self
                            .failures
                            .check(Err(e), "return from directory", &self.path);
                    }
                    if self.failures.total == failures_before {
                        let name = self
                            .path
                            .file_name()
                            .expect("a directory entered has a name");
                        let parent = self.dirs.current().0.as_fd();
                        let removed = unlinkat(parent, name, AtFlags::REMOVEDIR);
                        self.failures.check(removed, "remove directory", &self.path);
                    }
                    self.path.pop();
                }
            }
        }
    }

    /// Removes `name`, at [`path`](Self::path), from the current directory
    /// unless it is a directory (a link or file listed as a directory or of
    /// an unknown type is found out here); a directory is entered instead,
    /// to be emptied first (true).
    fn remove_entry(&mut self, name: &OsStr) -> bool {
        let parent = self.dirs.current().0.as_fd();
        let path = &self.path;
        match open_subdir(parent, name) {
            Ok(Some(dir)) => {
                let failures_before = self.failures.total;
                let entries = list_dir(&dir, path, &mut self.failures).into_iter();
                if let Err(e) = self.dirs.enter(Dir(dir)) {
                    self.failures.check(Err(e), "open directory", path);
                    return false;
                }
                self.listings.push(Listing {
                    entries,
                    failures_before,
                });
                true
            }
            Ok(None) => {
                let removed = unlinkat(parent, name, AtFlags::empty());
                self.failures.check(removed, "remove", path);
                false
            }
            Err(e) => {
                self.failures.check(Err(e), "open directory", path);
                false
            }
        }
    }
}

/// Opens `name` in `parent` as a directory without following a symbolic link;
/// `None` when it is anything else (a file, a link, a socket...).
fn open_subdir(parent: BorrowedFd<'_>, name: &OsStr) -> Result<Option<OwnedFd>, Errno> {
    match openat(parent, name, DIR_FLAGS, Mode::empty()) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::NOTDIR | Errno::LOOP) => Ok(None),
        // A directory the test made unreadable.
        Err(Errno::ACCESS) => open_unlocked(parent, name).map(|(fd, _)| Some(fd)),
        Err(e) => Err(e),
    }
}

/// Gives the owner read, write and search permission on the directory
/// `name` in `parent` without following a symbolic link there, then opens
/// exactly the directory that was unlocked; with what it was before.
pub(super) fn open_unlocked(
    parent: BorrowedFd<'_>,
    name: &OsStr,
) -> Result<(OwnedFd, Stat), Errno> {
    let st = statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)?;
    if FileType::from_raw_mode(st.st_mode) != FileType::Directory {
        return Err(Errno::NOTDIR);
    }
    if !extra::chmod_nofollow(parent, name, Mode::RWXU)? {
        // The portable way: chmod what was looked at. Only someone who may
        // write in `parent` (the owner of a private test directory) could
        // swap a link in meanwhile; the inode check below then refuses
        // what it opens.
        chmodat(parent, name, Mode::RWXU, AtFlags::empty())?;
    }
    let fd = openat(parent, name, DIR_FLAGS, Mode::empty())?;
    if DirId::of(&fstat(&fd)?) != DirId::of(&st) {
        return Err(Errno::AGAIN);
    }
    Ok((fd, st))
}

/// Makes the open directory `dir`, which is at `path`, one its owner can
/// empty, and reads its entries.
fn list_dir(dir: &OwnedFd, path: &Path, failures: &mut Failures) -> Vec<(OsString, FileType)> {
    // Unlinking an entry needs write and search permission on its directory,
    // not on the entry: a read-only file only needs its parent fixed.
    match fstat(dir) {
        Ok(st) if st.st_mode & 0o300 != 0o300 => {
            let mode = Mode::from_raw_mode(st.st_mode) | Mode::RWXU;
            failures.check(fchmod(dir, mode), "make writable", path);
        }
        Ok(_) => {}
        Err(e) => failures.check(Err(e), "stat directory", path),
    }
    super::read_entries(dir.as_fd()).unwrap_or_else(|e| {
        failures.check(Err(e), "read directory", path);
        Vec::new()
    })
}

/// What could not be removed, the first few in detail.
#[derive(Default)]
struct Failures {
    total: usize,
    /// The first failure's kind, which the error of the whole removal takes.
    kind: Option<io::ErrorKind>,
    /// `cannot <op> <path>: <error>`, the first [`LISTED_FAILURES`].
    listed: Vec<String>,
}

impl Failures {
    /// Counts a failure to `op` `path`, if `result` is one.
    fn check<E: Into<io::Error>>(&mut self, result: Result<(), E>, op: &'static str, path: &Path) {
        let Err(error) = result.map_err(Into::into) else {
            return;
        };
        self.total += 1;
        self.kind.get_or_insert(error.kind());
        if self.listed.len() < LISTED_FAILURES {
            let line = format!("cannot {op} {}: {error}", path.display());
            self.listed.push(line);
        }
    }

    /// Every path left behind and why: one line for one, else a count of
    /// them above the first few.
    fn into_result(self, root: &Path) -> io::Result<()> {
        let Some(kind) = self.kind else {
            return Ok(());
        };
        let Failures { total, listed, .. } = self;
        if let [only] = listed.as_slice() {
            return Err(io::Error::new(kind, only.clone()));
        }
        let mut message = format!("cannot remove {}: {total} entries failed", root.display());
        message.extend(listed.iter().map(|line| format!("\n  {line}")));
        if total > listed.len() {
            message.push_str(&format!("\n  ... and {} more", total - listed.len()));
        }
        Err(io::Error::new(kind, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_failure_is_one_line_and_many_are_counted_above_the_first_few() {
        let mut one = Failures::default();
        one.check(Err(Errno::ACCESS), "remove", Path::new("/t/a"));
        let err = one.into_result(Path::new("/t")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(
            err.to_string(),
            format!("cannot remove /t/a: {}", io::Error::from(Errno::ACCESS))
        );

        let mut many = Failures::default();
        many.check(Err(Errno::BUSY), "remove directory", Path::new("/t/0"));
        for i in 1..LISTED_FAILURES + 2 {
            many.check(
                Err(Errno::ACCESS),
                "remove",
                &Path::new("/t").join(i.to_string()),
            );
        }
        let err = many.into_result(Path::new("/t")).unwrap_err();
        assert_eq!(err.kind(), io::Error::from(Errno::BUSY).kind());
        let text = err.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("cannot remove /t: {} entries failed", LISTED_FAILURES + 2)
        );
        assert!(
            lines[1].starts_with("  cannot remove directory /t/0: "),
            "{text}"
        );
        assert_eq!(lines.len(), 1 + LISTED_FAILURES + 1, "{text}");
        assert_eq!(lines[LISTED_FAILURES + 1], "  ... and 2 more");
        assert_eq!(
            Failures::default().into_result(Path::new("/t")).ok(),
            Some(())
        );
    }
}
