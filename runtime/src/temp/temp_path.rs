//! [`TempPath`]: a path whose file is removed on drop.

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::io;
use std::mem;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use crate::error::{IoResultExt, at, report_from_drop};
use crate::sys::{self, remove_all};

/// The path of a temporary file, which is removed when the `TempPath` is
/// dropped or [closed](TempPath::close). It holds no open file.
///
/// Obtained from [`NamedTempFile::into_temp_path`](crate::NamedTempFile::into_temp_path)
/// or [`TempPath::try_from_path`]. It dereferences to [`Path`].
///
/// ```
/// use std::io::Write;
///
/// let mut file = fixtree::NamedTempFile::new()?;
/// writeln!(file, "hello")?;
/// let path = file.into_temp_path(); // the file is closed, the path stays
/// assert_eq!(std::fs::read_to_string(&path)?, "hello\n");
/// let name = path.to_path_buf();
/// drop(path);
/// assert!(!name.exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct TempPath(Owned<false>);

/// A path removed on drop, as a file or (`DIR`) a directory with all in it:
/// what a [`TempPath`] and a [`TempDir`](crate::TempDir) hold.
pub(crate) struct Owned<const DIR: bool> {
    pub(crate) path: Box<Path>,
    pub(crate) disable_cleanup: bool,
}

impl<const DIR: bool> Owned<DIR> {
    pub(crate) fn new(path: PathBuf, disable_cleanup: bool) -> Self {
        let path = path.into_boxed_path();
        Owned {
            path,
            disable_cleanup,
        }
    }

    /// The path, no longer removed on drop.
    pub(crate) fn take(&mut self) -> PathBuf {
        self.disable_cleanup = true;
        mem::replace(&mut self.path, PathBuf::new().into_boxed_path()).into()
    }

    /// Removes it now.
    pub(crate) fn close(mut self) -> io::Result<()> {
        let path = self.take();
        Self::remove(&path)
    }

    fn remove(path: &Path) -> io::Result<()> {
        match DIR {
            true => remove_all(path),
            false => fs::remove_file(path).at("remove temporary file", path),
        }
    }
}

impl<const DIR: bool> Drop for Owned<DIR> {
    fn drop(&mut self) {
        if self.disable_cleanup {
            return;
        }
        if let Err(e) = Self::remove(&self.path) {
            // Gone already (persisted, or removed by hand): nothing is left behind.
            if e.kind() != io::ErrorKind::NotFound || self.path.symlink_metadata().is_ok() {
                report_from_drop(&e);
            }
        }
    }
}

impl TempPath {
    pub(crate) fn new(path: PathBuf, disable_cleanup: bool) -> Self {
        TempPath(Owned::new(path, disable_cleanup))
    }

    /// Removes the file now, returning the error that `drop` could only print.
    ///
    /// ```
    /// let path = fixtree::NamedTempFile::new()?.into_temp_path();
    /// let name = path.to_path_buf();
    /// path.close()?;
    /// assert!(!name.exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(self) -> io::Result<()> {
        self.0.close()
    }

    /// Renames the file to `new_path`, replacing whatever file is there; the
    /// file is then no longer temporary. On failure the `TempPath` comes back
    /// inside the error, still owning the file.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let path = fixtree::NamedTempFile::new_in(&dir)?.into_temp_path();
    /// path.persist(dir.path().join("kept.txt"))?;
    /// assert!(dir.path().join("kept.txt").is_file());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn persist<P: AsRef<Path>>(self, new_path: P) -> Result<(), PathPersistError> {
        self.rename(new_path.as_ref(), |from, to| fs::rename(from, to))
    }

    /// Like [`persist`](TempPath::persist), but fails if `new_path` exists,
    /// with no window between a check and the rename (RENAME_NOREPLACE, or
    /// link + unlink where the file system lacks it).
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// std::fs::write(dir.path().join("taken"), "mine")?;
    /// let path = fixtree::NamedTempFile::new_in(&dir)?.into_temp_path();
    /// let err = path.persist_noclobber(dir.path().join("taken")).unwrap_err();
    /// assert_eq!(err.error.kind(), std::io::ErrorKind::AlreadyExists);
    /// assert_eq!(std::fs::read_to_string(dir.path().join("taken"))?, "mine");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn persist_noclobber<P: AsRef<Path>>(self, new_path: P) -> Result<(), PathPersistError> {
        self.rename(new_path.as_ref(), sys::rename_noreplace)
    }

    fn rename(
        mut self,
        new_path: &Path,
        rename: impl FnOnce(&Path, &Path) -> io::Result<()>,
    ) -> Result<(), PathPersistError> {
        match rename(&self.0.path, new_path) {
            Ok(()) => {
                self.0.take();
                Ok(())
            }
            Err(e) => Err(PathPersistError {
                error: at(e, format!("rename {} to", self.0.path.display()), new_path),
                path: self,
            }),
        }
    }

    /// Keeps the file: it is no longer removed on drop. Returns its path.
    ///
    /// ```
    /// let path = fixtree::NamedTempFile::new()?.into_temp_path();
    /// let kept = path.keep()?;
    /// assert!(kept.exists());
    /// std::fs::remove_file(kept)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keep(mut self) -> Result<PathBuf, PathPersistError> {
        Ok(self.0.take())
    }

    /// Turns removal on drop off (`true`) or back on (`false`).
    ///
    /// ```
    /// let mut path = fixtree::NamedTempFile::new()?.into_temp_path();
    /// path.disable_cleanup(true);
    /// let name = path.to_path_buf();
    /// drop(path);
    /// assert!(name.exists());
    /// std::fs::remove_file(name)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn disable_cleanup(&mut self, disable_cleanup: bool) {
        self.0.disable_cleanup = disable_cleanup;
    }

    /// Takes charge of an existing path: whatever file is there is removed when
    /// the `TempPath` is dropped. A relative path is made absolute if the
    /// current directory can be read, else kept as given.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let dir = fixtree::tempdir()?;
    /// let name = dir.path().join("made-elsewhere");
    /// std::fs::write(&name, "x")?;
    /// drop(fixtree::TempPath::from_path(&name));
    /// assert!(!name.exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[deprecated = "use TempPath::try_from_path, which reports a current directory it cannot read"]
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        // An empty path, which has no absolute form, stays as it is.
        Self::new(std::path::absolute(&path).unwrap_or(path), false)
    }

    /// Takes charge of an existing path: whatever file is there is removed when
    /// the `TempPath` is dropped. A relative path is made absolute first, so a
    /// later change of directory cannot redirect removal; an empty path, or a
    /// current directory that cannot be read, is an error.
    ///
    /// ```
    /// let path = fixtree::TempPath::try_from_path("relative.txt")?;
    /// assert!(path.is_absolute());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn try_from_path(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        let absolute = std::path::absolute(&path).at("make absolute", &path)?;
        Ok(Self::new(absolute, false))
    }
}

impl fmt::Debug for TempPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.path.fmt(f)
    }
}

impl Deref for TempPath {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0.path
    }
}

impl AsRef<Path> for TempPath {
    fn as_ref(&self) -> &Path {
        &self.0.path
    }
}

impl AsRef<OsStr> for TempPath {
    fn as_ref(&self) -> &OsStr {
        self.0.path.as_os_str()
    }
}

/// The error of [`TempPath::persist`] and friends: why, and the `TempPath`
/// back, so the file is neither lost nor leaked.
///
/// ```
/// let path = fixtree::NamedTempFile::new()?.into_temp_path();
/// let err = path.persist("/nonexistent-dir/x").unwrap_err();
/// assert!(err.to_string().contains("/nonexistent-dir/x"));
/// let path = err.path; // still ours, still removed on drop
/// assert!(path.exists());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct PathPersistError {
    /// What went wrong; it names both paths.
    pub error: io::Error,
    /// The path that could not be persisted.
    pub path: TempPath,
}

persist_error!(PathPersistError, path: TempPath, "temporary file path");
