//! [`DirStack`]: the directories from a base down to the one being worked
//! in, each opened relative to its parent, with a bounded number open.
//!
//! One descriptor per level would run out (EMFILE) long before any limit of
//! depth. So only the base and the deepest [`open_levels`] stay open; the
//! others are remembered by their [`DirId`]. Leaving a directory whose
//! parent was closed opens the parent again ([`Dir::parent`]) and refuses
//! it unless it is the very directory that was entered: a directory moved
//! out of the tree meanwhile cannot lead the walk after it. (Windows, which
//! goes by path and tells no directory from another, keeps paths.)

use std::io;
use std::sync::OnceLock;

use super::imp::{Dir, DirId, open_files_limit};

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
