//! The platform layer: every difference between operating systems lives in
//! this folder, and nothing else in the crate names a platform.
//!
//! | what | Linux | macOS | FreeBSD and the other BSDs | Windows |
//! |---|---|---|---|---|
//! | exclusive creation | `O_EXCL\|O_NOFOLLOW` | same | same | `CREATE_NEW` (never follows a link) |
//! | modes 0600/0700 | given at creation, checked by `fstat`, `fchmod` where the umask, a setgid parent or an ACL changed them: exact | same | same | none: the user's `%TEMP%` is private; only the read-only attribute |
//! | unnamed files | `O_TMPFILE`, else create + unlink | create + unlink | create + unlink | delete-on-close |
//! | no-clobber rename | `RENAME_NOREPLACE`, else link + unlink | `RENAME_EXCL`, else link + unlink | link + unlink | link + unlink |
//! | random names | `getrandom(2)` (rustix), `/dev/urandom` where refused | `getentropy` (getrandom crate) | `getrandom(2)` (getrandom crate) | `ProcessPrng` (getrandom crate) |
//! | removal | one `rmdir` when empty, else fd-relative, `O_NOFOLLOW` | same | same | by path, links and junctions removed, not entered |
//! | listing a directory | `.` opened again and read (its own offset) | same | same | `read_dir` by path |
//! | reading a tree | relative to the directory's descriptor: `statat`/`readlinkat` without following, files `openat(O_NOFOLLOW)` and checked by `fstat` (a comparison opens what its listing found a file with `O_NOFOLLOW\|O_NONBLOCK`, no `fstat`) | same | same | by path, links and junctions read as links, never entered |
//! | deep trees | up to 64 levels open (a sixteenth of `ulimit -n`, at least 2), `..` reopened and checked by device and inode | same | same | by path |
//! | unreadable directories | `O_PATH` + `/proc/self/fd` | `AT_SYMLINK_NOFOLLOW` | `AT_SYMLINK_NOFOLLOW` | (no such thing) |
//! | test directory locks | `flock` | `flock` | `flock` | an open handle, which an unshared open cannot pass |
//!
//! Where an extra is missing at run time (`O_TMPFILE` on some file systems,
//! `RENAME_NOREPLACE` on others, `/proc` in a chroot) the portable path is
//! taken. Building with `--cfg fixtree_portable` takes the portable paths
//! everywhere, so that Linux runs them for the whole test suite in CI.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub(crate) mod name;

#[cfg(not(any(unix, windows)))]
compile_error!("fixtree runs on Unix (Linux, macOS, the BSDs) and on Windows");

use imp::open_files_limit;
pub(crate) use imp::{
    Dir, DirId, KEPT_MODE_BITS, check_key, create_dir, create_file, create_unnamed, lock_dir,
    lock_file, mkdir_private, mode_from_permissions, mode_of, open_regular, remove_all,
    rename_noreplace, reopen, set_file_mode, spell, sync_dir, try_lock_dir, try_lock_file,
    unshared_base, unspell, user_base_name,
};

/// Whether a name of the `/`-separated `path` is the spelling of one that
/// is not UTF-8 ([`unspell`]), which only `Tree::insert_os` and a read give:
/// spec text and txtar cannot hold it.
pub(crate) fn is_spelled(path: &str) -> bool {
    path.contains('\\') && path.split('/').any(|name| unspell(name).is_some())
}

/// The bits of a mode fixtree handles: permissions, setuid, setgid and sticky.
pub(crate) const PERMISSION_BITS: u32 = 0o7777;

/// Mode of a new temporary file when the caller gives none.
pub(crate) const FILE_MODE: u32 = 0o600;
/// Mode of a new temporary directory when the caller gives none.
pub(crate) const DIR_MODE: u32 = 0o700;

/// How the mode of a new file is decided.
#[derive(Clone, Copy)]
pub(crate) enum FileMode {
    /// Exactly these bits, whatever the umask.
    Exact(u32),
    /// These bits less the umask, as `fs::write` would create the file.
    Umasked(u32),
}

/// What an entry of a [`Dir`] is, as [`Dir::entry_type`] finds it: a
/// symbolic link is never followed.
#[derive(Clone)]
pub(crate) enum EntryType {
    File { len: u64, mode: u32 },
    Dir,
    Symlink(PathBuf),
}

impl EntryType {
    /// "file", "directory" or "symlink", for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            EntryType::File { .. } => "file",
            EntryType::Dir => "directory",
            EntryType::Symlink(_) => "symlink",
        }
    }
}

/// Sets the modification time of an open file, through its descriptor or
/// handle (`futimens`, `SetFileTime`), never by path again; std does it
/// alike everywhere, so it is here once rather than per system.
pub(crate) fn set_modified(file: &fs::File, time: SystemTime) -> io::Result<()> {
    file.set_modified(time)
}

/// The error for an entry that is neither file, directory nor symbolic
/// link: `what` it is ("a fifo").
fn special(what: &str) -> io::Error {
    let error =
        format!("it is {what}, and fixtree trees hold only files, directories and symlinks");
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// The error for a file opened as a regular file that is not one: `what`
/// it is ("a fifo").
fn not_regular(what: &str) -> io::Error {
    let error = format!("it is {what}, not a regular file");
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// `file` and its metadata (one `fstat`) if it is a regular file, else the
/// error `refuse` makes of what it is.
fn regular(file: fs::File, refuse: fn(&str) -> io::Error) -> io::Result<(fs::File, fs::Metadata)> {
    let metadata = file.metadata()?;
    match imp::irregular(&metadata) {
        None => Ok((file, metadata)),
        Some(what) => Err(refuse(what)),
    }
}

/// Options to open a regular file to read, or to append to (created if missing).
fn regular_options(append: bool) -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    match append {
        true => options.append(true).create(true),
        false => options.read(true),
    };
    options
}

/// The portable no-clobber rename of a file: linking fails if `to` exists.
fn link_then_unlink(from: &Path, to: &Path) -> io::Result<()> {
    fs::hard_link(from, to)?;
    fs::remove_file(from).inspect_err(|_| {
        // Two names for one file would leave the temporary one behind forever.
        let _ = fs::remove_file(to);
    })
}

/// Implements the platform's pair of handle traits, borrowed and raw
/// (`AsFd` and `AsRawFd`, `AsHandle` and `AsRawHandle`), for `$ty<F>`, a
/// handle whose `as_file()` is an `F`. The type's module invokes it: this
/// layer then imports nothing of the type, and the type's module names no
/// platform.
macro_rules! handle_traits {
    ($ty:ident) => {
        #[cfg(unix)]
        $crate::sys::handle_traits!(
            $ty, std::os::fd, AsFd::as_fd -> BorrowedFd, AsRawFd::as_raw_fd -> RawFd
        );
        #[cfg(windows)]
        $crate::sys::handle_traits!(
            $ty, std::os::windows::io,
            AsHandle::as_handle -> BorrowedHandle, AsRawHandle::as_raw_handle -> RawHandle
        );
    };
    (
        $ty:ident, $($os:ident)::+,
        $as:ident::$as_fn:ident -> $borrowed:ident, $raw:ident::$raw_fn:ident -> $raw_ty:ident
    ) => {
        impl<F: $($os::)+$as> $($os::)+$as for $ty<F> {
            fn $as_fn(&self) -> $($os::)+$borrowed<'_> {
                $($os::)+$as::$as_fn(self.as_file())
            }
        }

        impl<F: $($os::)+$raw> $($os::)+$raw for $ty<F> {
            fn $raw_fn(&self) -> $($os::)+$raw_ty {
                $($os::)+$raw::$raw_fn(self.as_file())
            }
        }
    };
}
pub(crate) use handle_traits;

/// Levels below the base that keep their descriptor at most: a walk
/// deeper than real trees go costs no `..` to reopen.
const MAX_OPEN_LEVELS: usize = 64;
/// And at least, under however low a limit: a directory and its parent,
/// so that a level's subdirectories are each entered and left for free.
const MIN_OPEN_LEVELS: usize = 2;
/// The share of the process's open files one walk may hold: several walk at
/// once (a comparison walks the directory and its snapshot folder, on each
/// of the harness's test threads) beside what the tests hold open.
const SHARE_OF_LIMIT: u64 = 16;

/// How many levels below the base keep their descriptor: a
/// [`SHARE_OF_LIMIT`] of the soft limit on open files (`ulimit -n`) the
/// process runs under, read once, within [`MIN_OPEN_LEVELS`] and
/// [`MAX_OPEN_LEVELS`]. Levels past it cost one `openat` of `..` each on
/// the way back up.
fn open_levels() -> usize {
    static LEVELS: OnceLock<usize> = OnceLock::new();
    *LEVELS.get_or_init(|| levels_under(open_files_limit()))
}

/// [`open_levels`] under a soft limit of `open_files` (`None`: unlimited).
fn levels_under(open_files: Option<u64>) -> usize {
    let share = open_files.map_or(u64::MAX, |limit| limit / SHARE_OF_LIMIT);
    usize::try_from(share)
        .unwrap_or(usize::MAX)
        .clamp(MIN_OPEN_LEVELS, MAX_OPEN_LEVELS)
}

/// A directory entered and not yet left.
enum Entered {
    Open(Dir),
    /// Closed, and known by its device and inode.
    Closed(DirId),
}

/// The directories from a base down to the one being worked
/// in, each opened relative to its parent, with a bounded number open.
///
/// One descriptor per level would run out (EMFILE) long before any limit of
/// depth. So only the base and the deepest [`open_levels`] stay open; the
/// others are remembered by their [`DirId`]. Leaving a directory whose
/// parent was closed opens the parent again ([`Dir::parent`]) and refuses
/// it unless it is the very directory that was entered: a directory moved
/// out of the tree meanwhile cannot lead the walk after it. (Windows, which
/// goes by path and tells no directory from another, keeps paths.)
pub(crate) struct DirStack {
    base: Dir,
    /// The directories entered and not left, the deepest last and always open.
    levels: Vec<Entered>,
    /// How many of them keep their descriptor.
    open: usize,
}

impl DirStack {
    /// A stack at `base`, which stays open until the stack is dropped.
    pub(crate) fn new(base: Dir) -> DirStack {
        DirStack::keeping(base, open_levels())
    }

    /// A stack at `base` that keeps `open` levels open, at least one.
    fn keeping(base: Dir, open: usize) -> DirStack {
        DirStack {
            base,
            levels: Vec::new(),
            open: open.max(1),
        }
    }

    /// The directory entered last and not left, or the base.
    pub(crate) fn current(&self) -> &Dir {
        match self.levels.last() {
            Some(Entered::Open(dir)) => dir,
            Some(Entered::Closed(_)) => unreachable!("the deepest level is open"),
            None => &self.base,
        }
    }

    /// Makes `dir`, a directory opened in [`current`](Self::current), the
    /// current one; the level [`open_levels`] above it is closed.
    pub(crate) fn enter(&mut self, dir: Dir) -> io::Result<()> {
        if let Some(index) = self.levels.len().checked_sub(self.open) {
            if let Entered::Open(far) = &self.levels[index] {
                self.levels[index] = Entered::Closed(far.id()?);
            }
        }
        self.levels.push(Entered::Open(dir));
        Ok(())
    }

    /// Leaves the current directory and returns it; its parent, opened
    /// again if it was closed, becomes the current one. Fails if the parent
    /// is no longer the directory that was entered: the walk must stop then.
    pub(crate) fn leave(&mut self) -> io::Result<Dir> {
        let Some(Entered::Open(left)) = self.levels.pop() else {
            unreachable!("leave() follows enter(), and the deepest level is open")
        };
        if let Some(level) = self.levels.last_mut() {
            if let Entered::Closed(entered) = level {
                let parent = left.parent()?;
                if parent.id()? != *entered {
                    return Err(io::Error::other(
                        "the directory was moved while the tree in it was read, written or removed",
                    ));
                }
                *level = Entered::Open(parent);
            }
        }
        Ok(left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_then_unlink_moves_to_a_free_name() {
        let dir = crate::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::write(&from, "moved").unwrap();
        link_then_unlink(&from, &to).unwrap();
        assert!(!from.exists());
        assert_eq!(fs::read_to_string(&to).unwrap(), "moved");
    }

    #[test]
    fn link_then_unlink_never_replaces_an_existing_name() {
        let dir = crate::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::write(&from, "new").unwrap();
        fs::write(&to, "old").unwrap();
        let err = link_then_unlink(&from, &to).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&to).unwrap(), "old");
        assert_eq!(fs::read_to_string(&from).unwrap(), "new");
    }

    #[test]
    #[cfg(unix)]
    fn a_closed_level_moved_away_is_not_returned_to() {
        use std::fs;
        let root = crate::tempdir().unwrap();
        let elsewhere = crate::tempdir().unwrap();
        let mut dirs = DirStack::new(Dir::open(root.path()).unwrap());
        let depth = open_levels() + 2;
        for _ in 0..depth {
            let dir = dirs.current().create_dir("d", 0o700).unwrap();
            dirs.enter(dir).unwrap();
        }
        // The second level, closed by now, moves out of the tree with all below it.
        let moved = elsewhere.path().join("moved");
        fs::rename(root.path().join("d/d"), &moved).unwrap();
        for _ in 2..depth {
            dirs.leave().unwrap();
        }
        // Its parent is `elsewhere` now, not the first level that was entered.
        let err = dirs
            .leave()
            .err()
            .expect("the first level is not found again");
        assert!(err.to_string().contains("moved"), "{err}");
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_levels_kept_open_follow_the_limit_on_open_files() {
        assert_eq!(levels_under(None), MAX_OPEN_LEVELS);
        assert_eq!(levels_under(Some(u64::MAX)), MAX_OPEN_LEVELS);
        assert_eq!(levels_under(Some(1024)), 64);
        assert_eq!(levels_under(Some(256)), 16);
        assert_eq!(levels_under(Some(128)), 8);
        assert_eq!(levels_under(Some(32)), 2);
        assert_eq!(levels_under(Some(16)), MIN_OPEN_LEVELS);
        assert_eq!(levels_under(Some(0)), MIN_OPEN_LEVELS);
    }

    #[test]
    fn one_level_kept_open_still_goes_down_and_back_up() {
        let root = crate::tempdir().unwrap();
        let mut dirs = DirStack::keeping(Dir::open(root.path()).unwrap(), 1);
        let mut ids = vec![dirs.current().id().unwrap()];
        for _ in 0..100 {
            let dir = dirs.current().create_dir("d", 0o700).unwrap();
            dirs.enter(dir).unwrap();
            ids.push(dirs.current().id().unwrap());
        }
        ids.pop();
        while let Some(id) = ids.pop() {
            dirs.leave().unwrap();
            assert!(dirs.current().id().unwrap() == id);
        }
    }
}
