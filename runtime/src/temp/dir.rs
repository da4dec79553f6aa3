//! [`TempDir`]: a private directory, removed with everything in it on drop.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::temp_path::Owned;

/// Creates a directory in [`env::temp_dir()`](crate::env::temp_dir), mode 0o700.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("a.txt"), "x")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tempdir() -> io::Result<TempDir> {
    TempDir::new()
}

/// Creates a directory in `dir`, mode 0o700.
///
/// ```
/// let outer = fixtree::tempdir()?;
/// let inner = fixtree::tempdir_in(&outer)?;
/// assert!(inner.path().starts_with(outer.path()));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tempdir_in<P: AsRef<Path>>(dir: P) -> io::Result<TempDir> {
    TempDir::new_in(dir)
}

/// A directory created for the caller alone (mode 0o700, random name, never
/// through a symbolic link) and removed, with everything in it, when dropped.
///
/// Removal never follows a symbolic link out of the directory, removes what
/// the caller made read-only, and reports what it could not remove: as an
/// error from [`close`](TempDir::close), printed to stderr from `drop`.
///
/// ```
/// let dir = fixtree::TempDir::new()?;
/// std::fs::create_dir(dir.path().join("sub"))?;
/// std::fs::write(dir.path().join("sub/file.txt"), "x")?;
/// let path = dir.path().to_owned();
/// dir.close()?;
/// assert!(!path.exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct TempDir(Owned<true>);

impl TempDir {
    pub(crate) fn from_created(path: PathBuf, disable_cleanup: bool) -> Self {
        TempDir(Owned::new(path, disable_cleanup))
    }

    /// The directory's absolute path.
    ///
    /// ```
    /// let dir = fixtree::TempDir::new()?;
    /// assert!(dir.path().is_absolute());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// Keeps the directory: it is no longer removed on drop. Returns its path.
    ///
    /// ```
    /// let path = fixtree::TempDir::new()?.keep();
    /// assert!(path.is_dir());
    /// std::fs::remove_dir(path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use = "the directory is kept on disk; remove it when done"]
    pub fn keep(mut self) -> PathBuf {
        self.0.take()
    }

    /// The former name of [`keep`](TempDir::keep), kept for code moving from `tempfile`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let path = fixtree::TempDir::new()?.into_path();
    /// std::fs::remove_dir(path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[deprecated = "use TempDir::keep"]
    #[must_use = "the directory is kept on disk; remove it when done"]
    pub fn into_path(self) -> PathBuf {
        self.keep()
    }

    /// Turns removal on drop off (`true`) or back on (`false`).
    ///
    /// ```
    /// let mut dir = fixtree::TempDir::new()?;
    /// dir.disable_cleanup(true);
    /// let path = dir.path().to_owned();
    /// drop(dir);
    /// assert!(path.is_dir());
    /// std::fs::remove_dir(path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn disable_cleanup(&mut self, disable_cleanup: bool) {
        self.0.disable_cleanup = disable_cleanup;
    }

    /// Removes the directory and everything in it now, returning an error
    /// that names every path it could not remove.
    ///
    /// ```
    /// let dir = fixtree::TempDir::new()?;
    /// std::fs::write(dir.path().join("x"), "x")?;
    /// dir.close()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(self) -> io::Result<()> {
        self.0.close()
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        self.path()
    }
}

impl fmt::Debug for TempDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempDir")
            .field("path", &self.0.path)
            .finish()
    }
}
