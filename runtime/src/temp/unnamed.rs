//! [`tempfile()`]: files that never have a name.

use std::fs::File;
use std::io;
use std::path::Path;

use crate::env;
use crate::sys;

/// Creates a file with no name in [`env::temp_dir()`]: nothing can open it by
/// path, and the kernel frees it when the last handle closes, even after a crash.
///
/// On Linux this is O_TMPFILE, so no directory entry ever exists; elsewhere
/// (or on file systems without it) the file is created 0600 and unlinked at once.
///
/// ```
/// use std::io::{Read, Seek, Write};
///
/// let mut file = fixtree::tempfile()?;
/// file.write_all(b"scratch")?;
/// file.rewind()?;
/// let mut text = String::new();
/// file.read_to_string(&mut text)?;
/// assert_eq!(text, "scratch");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tempfile() -> io::Result<File> {
    tempfile_in(env::temp_dir())
}

/// Creates a file with no name in `dir`; see [`tempfile()`].
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let file = fixtree::tempfile_in(&dir)?;
/// assert_eq!(std::fs::read_dir(&dir)?.count(), 0); // no entry appears
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tempfile_in<P: AsRef<Path>>(dir: P) -> io::Result<File> {
    // A file with no name is never removed by path: a relative `dir` is
    // only ever opened once, here.
    sys::create_unnamed(dir.as_ref())
}
