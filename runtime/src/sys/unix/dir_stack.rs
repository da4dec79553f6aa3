//! [`DirStack`]: the directories from a base down to the one being worked
//! in, each opened relative to its parent, with a bounded number open.
//!
//! One descriptor per level would run out (EMFILE) long before any limit of
//! depth. So only the base and the deepest [`OPEN_LEVELS`] stay open; the
//! others are remembered by device and inode. Leaving a directory whose
//! parent was closed opens the parent again as `..` of the directory left,
//! which is never a symbolic link, and refuses it unless it is the very
//! directory that was entered: a directory moved out of the tree meanwhile
//! cannot lead the walk after it.

use std::io;

use rustix::fs::{Mode, openat};

use super::{DIR_FLAGS, Dir, DirId, errno};

/// How many levels below the base keep their descriptor.
const OPEN_LEVELS: usize = 64;

enum Level {
    Open(Dir),
    /// Closed, and known by its device and inode.
    Closed(DirId),
}

pub(crate) struct DirStack {
    base: Dir,
    /// The directories entered and not left, the deepest last and always open.
    levels: Vec<Level>,
}

impl DirStack {
    /// A stack at `base`, which stays open until the stack is dropped.
    pub(crate) fn new(base: Dir) -> DirStack {
        DirStack {
            base,
            levels: Vec::new(),
        }
    }

    /// The directory entered last and not left, or the base.
    pub(crate) fn current(&self) -> &Dir {
        match self.levels.last() {
            Some(Level::Open(dir)) => dir,
            Some(Level::Closed(_)) => unreachable!("the deepest level is open"),
            None => &self.base,
        }
    }

    /// Makes `dir`, a directory opened in [`current`](Self::current), the
    /// current one; the level [`OPEN_LEVELS`] above it is closed.
    pub(crate) fn enter(&mut self, dir: Dir) -> io::Result<()> {
        if let Some(index) = self.levels.len().checked_sub(OPEN_LEVELS) {
            if let Level::Open(far) = &self.levels[index] {
                self.levels[index] = Level::Closed(far.id()?);
            }
        }
        self.levels.push(Level::Open(dir));
        Ok(())
    }

    /// Leaves the current directory and returns it; its parent, opened
    /// again if it was closed, becomes the current one. Fails if the parent
    /// is no longer the directory that was entered: the walk must stop then.
    pub(crate) fn leave(&mut self) -> io::Result<Dir> {
        let Some(Level::Open(left)) = self.levels.pop() else {
            unreachable!("leave() follows enter(), and the deepest level is open")
        };
        if let Some(level) = self.levels.last_mut() {
            if let Level::Closed(entered) = level {
                let parent = Dir(errno(openat(&left.0, "..", DIR_FLAGS, Mode::empty()))?);
                if parent.id()? != *entered {
                    return Err(io::Error::other(
                        "the directory was moved while the tree in it was read, written or removed",
                    ));
                }
                *level = Level::Open(parent);
            }
        }
        Ok(left)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_closed_level_moved_away_is_not_returned_to() {
        let root = crate::tempdir().unwrap();
        let elsewhere = crate::tempdir().unwrap();
        let mut dirs = DirStack::new(Dir::open(root.path()).unwrap());
        let depth = OPEN_LEVELS + 2;
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
}
