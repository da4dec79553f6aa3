//! Reading the files of a listed directory: the listing's `statat` gave
//! each file's kind and size already, so opening one asks nothing more of
//! the system.

use std::fs::File;
use std::io;

use rustix::fs::{Mode, OFlags, openat};

use super::{Dir, errno};

impl Dir {
    /// Opens the file `name`, which the listing found to be a regular
    /// file, for reading, without asking again what it is: a symbolic link
    /// swapped in since is refused (`O_NOFOLLOW`), and a fifo does not hang
    /// the open or a read (`O_NONBLOCK`: it reads as ended, or fails).
    pub(crate) fn open_listed(&self, name: &str) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        errno(openat(&self.0, name, flags, Mode::empty())).map(File::from)
    }
}
