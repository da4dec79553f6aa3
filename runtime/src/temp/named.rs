//! [`NamedTempFile`]: an open temporary file with a name, removed on drop.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::at;
use crate::{PathPersistError, TempPath, sys};

/// An open temporary file with a name in the file system, created 0600 with
/// O_EXCL|O_NOFOLLOW under a random name, and removed when dropped.
///
/// Reading, writing and seeking work on the value and on a shared reference.
/// Prefer [`tempfile()`](crate::tempfile()) when no name is needed: an
/// unnamed file cannot be left behind, even by a crash.
///
/// ```
/// use std::io::{Read, Seek, Write};
///
/// let mut file = fixtree::NamedTempFile::new()?;
/// write!(file, "hello")?;
/// file.rewind()?;
/// let mut text = String::new();
/// file.read_to_string(&mut text)?;
/// assert_eq!(text, "hello");
/// assert!(file.path().exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct NamedTempFile<F = File> {
    path: TempPath,
    file: F,
}

impl NamedTempFile<File> {
    /// Opens the file again, as a second, independent handle. Fails if the
    /// name no longer leads to this file (it was removed or replaced), so the
    /// new handle can never be someone else's file.
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// let mut file = fixtree::NamedTempFile::new()?;
    /// let mut again = file.reopen()?;
    /// write!(file, "shared")?;
    /// let mut text = String::new();
    /// again.read_to_string(&mut text)?;
    /// assert_eq!(text, "shared");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn reopen(&self) -> io::Result<File> {
        sys::reopen(&self.file, &self.path)
    }
}

impl<F> NamedTempFile<F> {
    /// The file's path. Don't hand it to code that removes and recreates the
    /// file: the name would then no longer be this file.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::new()?;
    /// assert!(file.path().is_absolute());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes and removes the file now, returning the error that `drop` could
    /// only print.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::new()?;
    /// let name = file.path().to_owned();
    /// file.close()?;
    /// assert!(!name.exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(self) -> io::Result<()> {
        drop(self.file);
        self.path.close()
    }

    /// Renames the file to `new_path`, replacing any file there, and returns
    /// the open file, no longer temporary. On failure the `NamedTempFile`
    /// comes back inside the error.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let dir = fixtree::tempdir()?;
    /// let mut file = fixtree::NamedTempFile::new_in(&dir)?;
    /// write!(file, "done")?;
    /// file.persist(dir.path().join("out.txt"))?;
    /// assert_eq!(std::fs::read_to_string(dir.path().join("out.txt"))?, "done");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn persist<P: AsRef<Path>>(self, new_path: P) -> Result<F, PersistError<F>> {
        regain(self.file, self.path.persist(new_path)).map(|(file, ())| file)
    }

    /// Like [`persist`](NamedTempFile::persist), but never replaces an
    /// existing file, even one created by a racing process.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let first = fixtree::NamedTempFile::new_in(&dir)?;
    /// let second = fixtree::NamedTempFile::new_in(&dir)?;
    /// first.persist_noclobber(dir.path().join("x"))?;
    /// assert!(second.persist_noclobber(dir.path().join("x")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn persist_noclobber<P: AsRef<Path>>(self, new_path: P) -> Result<F, PersistError<F>> {
        regain(self.file, self.path.persist_noclobber(new_path)).map(|(file, ())| file)
    }

    /// Keeps the file where it is: it is no longer removed on drop. Returns
    /// the open file and its path.
    ///
    /// ```
    /// let (file, path) = fixtree::NamedTempFile::new()?.keep()?;
    /// drop(file);
    /// assert!(path.exists());
    /// std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keep(self) -> Result<(F, PathBuf), PersistError<F>> {
        regain(self.file, self.path.keep())
    }

    /// Turns removal on drop off (`true`) or back on (`false`).
    ///
    /// ```
    /// let mut file = fixtree::NamedTempFile::new()?;
    /// file.disable_cleanup(true);
    /// let name = file.path().to_owned();
    /// drop(file);
    /// assert!(name.exists());
    /// std::fs::remove_file(name)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn disable_cleanup(&mut self, disable_cleanup: bool) {
        self.path.disable_cleanup(disable_cleanup);
    }

    /// The open file.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::new()?;
    /// assert_eq!(file.as_file().metadata()?.len(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn as_file(&self) -> &F {
        &self.file
    }

    /// The open file, mutably.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut file = fixtree::NamedTempFile::new()?;
    /// file.as_file_mut().write_all(b"abc")?;
    /// assert_eq!(std::fs::read(file.path())?, b"abc");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn as_file_mut(&mut self) -> &mut F {
        &mut self.file
    }

    /// Removes the file's name now and returns the open file: it lives on,
    /// unnamed, until closed.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::new()?;
    /// let name = file.path().to_owned();
    /// let open = file.into_file();
    /// assert!(!name.exists());
    /// assert_eq!(open.metadata()?.len(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_file(self) -> F {
        self.file
    }

    /// Closes the file and keeps its path, still removed on drop.
    ///
    /// ```
    /// let path = fixtree::NamedTempFile::new()?.into_temp_path();
    /// assert!(path.exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_temp_path(self) -> TempPath {
        self.path
    }

    /// Splits into the open file and the path that owns the name.
    ///
    /// ```
    /// let (file, path) = fixtree::NamedTempFile::new()?.into_parts();
    /// assert_eq!(file.metadata()?.len(), 0);
    /// assert!(path.exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_parts(self) -> (F, TempPath) {
        (self.file, self.path)
    }

    /// Joins an open file and the [`TempPath`] that owns its name.
    ///
    /// ```
    /// let (file, path) = fixtree::NamedTempFile::new()?.into_parts();
    /// let again = fixtree::NamedTempFile::from_parts(file, path);
    /// assert!(again.path().exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_parts(file: F, path: TempPath) -> Self {
        NamedTempFile { path, file }
    }
}

impl<F> fmt::Debug for NamedTempFile<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NamedTempFile({:?})", self.path)
    }
}

impl<F> AsRef<Path> for NamedTempFile<F> {
    fn as_ref(&self) -> &Path {
        self.path()
    }
}

forward_io!(NamedTempFile<F> where F, |this, _room| this.file, |e, op| at(e, op, &this.path));
forward_io!(
    &NamedTempFile<File>,
    |this, _room| (&mut &this.file),
    |e, op| at(e, op, &this.path)
);
sys::handle_traits!(NamedTempFile);

/// The error of [`NamedTempFile::persist`] and friends: why, and the
/// `NamedTempFile` back, so the file is neither lost nor leaked.
///
/// ```
/// let file = fixtree::NamedTempFile::new()?;
/// let err = file.persist("/nonexistent-dir/x").unwrap_err();
/// assert!(err.to_string().contains("/nonexistent-dir/x"));
/// let file = err.file; // still ours, still removed on drop
/// assert!(file.path().exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct PersistError<F = File> {
    /// What went wrong; it names both paths.
    pub error: io::Error,
    /// The file that could not be persisted.
    pub file: NamedTempFile<F>,
}

impl<F> fmt::Debug for PersistError<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersistError({:?})", self.error)
    }
}

persist_error!(PersistError<F>, file: NamedTempFile<F>, "temporary file");

/// The file, no longer temporary, with what persisting its path gave; else
/// the `NamedTempFile` back inside the error.
fn regain<F, T>(
    file: F,
    persisted: Result<T, PathPersistError>,
) -> Result<(F, T), PersistError<F>> {
    match persisted {
        Ok(kept) => Ok((file, kept)),
        Err(PathPersistError { error, path }) => Err(PersistError {
            error,
            file: NamedTempFile { path, file },
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, Write};

    use super::*;

    #[test]
    fn whole_reads_and_writes_go_to_the_file_and_their_errors_name_it() {
        let mut file = NamedTempFile::new().unwrap();
        file.write_all(b"abc").unwrap();
        file.rewind().unwrap();
        let mut text = String::new();
        (&file).read_to_string(&mut text).unwrap();
        assert_eq!(text, "abc");
        let err = file.read_exact(&mut [0; 1]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        let path = file.path().display().to_string();
        assert!(err.to_string().contains(&path), "{err}");
    }
}
