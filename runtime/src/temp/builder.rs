//! [`Builder`]: every option of a temporary file or directory.

use std::ffi::OsStr;
use std::fs::{File, Permissions};
use std::io;
use std::path::{Path, PathBuf};

use crate::sys::name::{DEFAULT_RAND_LEN, create_unique};
use crate::sys::{self, DIR_MODE, FILE_MODE, FileMode};
use crate::{NamedTempFile, TempDir, TempPath, env};

/// Options for a temporary file or directory: name prefix and suffix, how
/// many random characters, mode, append, and whether to clean up.
///
/// Defaults: prefix `.tmp`, no suffix, 10 random characters from the OS-seeded
/// CSPRNG, files 0600 and directories 0700 (exactly, whatever the umask),
/// removed on drop.
///
/// ```
/// let file = fixtree::Builder::new()
///     .prefix("report-")
///     .suffix(".csv")
///     .rand_bytes(12)
///     .tempfile()?;
/// let name = file.path().file_name().unwrap().to_str().unwrap();
/// assert!(name.starts_with("report-") && name.ends_with(".csv"));
/// assert_eq!(name.len(), "report-".len() + 12 + ".csv".len());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Eq, PartialEq)]
pub struct Builder<'a, 'b> {
    random_len: usize,
    prefix: &'a OsStr,
    suffix: &'b OsStr,
    append: bool,
    permissions: Option<Permissions>,
    disable_cleanup: bool,
}

impl Default for Builder<'_, '_> {
    fn default() -> Self {
        Builder {
            random_len: DEFAULT_RAND_LEN,
            prefix: OsStr::new(".tmp"),
            suffix: OsStr::new(""),
            append: false,
            permissions: None,
            disable_cleanup: false,
        }
    }
}

impl<'a, 'b> Builder<'a, 'b> {
    /// A builder with the defaults.
    ///
    /// ```
    /// let dir = fixtree::Builder::new().tempdir()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Names start with `prefix` (default `.tmp`).
    ///
    /// ```
    /// let dir = fixtree::Builder::new().prefix("cache-").tempdir()?;
    /// assert!(dir.path().file_name().unwrap().to_str().unwrap().starts_with("cache-"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn prefix<S: AsRef<OsStr> + ?Sized>(&mut self, prefix: &'a S) -> &mut Self {
        self.prefix = prefix.as_ref();
        self
    }

    /// Names end with `suffix` (default none).
    ///
    /// ```
    /// let file = fixtree::Builder::new().suffix(".toml").tempfile()?;
    /// assert_eq!(file.path().extension().unwrap(), "toml");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn suffix<S: AsRef<OsStr> + ?Sized>(&mut self, suffix: &'b S) -> &mut Self {
        self.suffix = suffix.as_ref();
        self
    }

    /// How many random alphanumeric characters stand between prefix and
    /// suffix (default 10). With 0 the name is exactly prefix + suffix, and
    /// creation fails if it is taken; a symbolic link there is never followed.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::Builder::new()
    ///     .prefix("exact.txt")
    ///     .rand_bytes(0)
    ///     .tempfile_in(&dir)?;
    /// assert_eq!(file.path(), dir.path().join("exact.txt"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn rand_bytes(&mut self, rand: usize) -> &mut Self {
        self.random_len = rand;
        self
    }

    /// Opens files in append mode.
    ///
    /// ```
    /// use std::io::{Seek, Write};
    ///
    /// let mut file = fixtree::Builder::new().append(true).tempfile()?;
    /// file.write_all(b"ab")?;
    /// file.rewind()?;
    /// file.write_all(b"cd")?; // appends, whatever the position
    /// assert_eq!(std::fs::read(file.path())?, b"abcd");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn append(&mut self, append: bool) -> &mut Self {
        self.append = append;
        self
    }

    /// The mode of the new file or directory, applied exactly: unlike
    /// `tempfile`, the umask neither narrows nor widens it. Defaults: 0600
    /// for files, 0700 for directories.
    ///
    /// ```
    /// use std::fs::{File, Permissions};
    /// use std::os::unix::fs::PermissionsExt;
    ///
    /// let file = fixtree::Builder::new()
    ///     .permissions(Permissions::from_mode(0o640))
    ///     .tempfile()?;
    /// assert_eq!(file.path().metadata()?.permissions().mode() & 0o777, 0o640);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn permissions(&mut self, permissions: Permissions) -> &mut Self {
        self.permissions = Some(permissions);
        self
    }

    /// Leaves the file or directory in place when it is dropped.
    ///
    /// ```
    /// let dir = fixtree::Builder::new().disable_cleanup(true).tempdir()?;
    /// let path = dir.path().to_owned();
    /// drop(dir);
    /// assert!(path.is_dir());
    /// std::fs::remove_dir(path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn disable_cleanup(&mut self, disable_cleanup: bool) -> &mut Self {
        self.disable_cleanup = disable_cleanup;
        self
    }

    /// The former name of [`disable_cleanup`](Builder::disable_cleanup).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let file = fixtree::Builder::new().keep(true).tempfile()?;
    /// let (_, path) = file.keep()?;
    /// std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[deprecated = "use Builder::disable_cleanup"]
    pub fn keep(&mut self, keep: bool) -> &mut Self {
        self.disable_cleanup(keep)
    }

    fn mode(&self, default: u32) -> u32 {
        self.permissions
            .as_ref()
            .map_or(default, sys::mode_from_permissions)
    }

    /// Creates a named file in [`env::temp_dir()`](crate::env::temp_dir).
    ///
    /// ```
    /// let file = fixtree::Builder::new().tempfile()?;
    /// assert!(file.path().is_file());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tempfile(&self) -> io::Result<NamedTempFile> {
        self.tempfile_in(env::temp_dir())
    }

    /// Creates a named file in `dir`.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::Builder::new().tempfile_in(&dir)?;
    /// assert!(file.path().starts_with(&dir));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tempfile_in<P: AsRef<Path>>(&self, dir: P) -> io::Result<NamedTempFile> {
        let mode = FileMode::Exact(self.mode(FILE_MODE));
        self.make_in(dir, |path| sys::create_file(path, self.append, mode))
    }

    /// Creates a directory in [`env::temp_dir()`](crate::env::temp_dir).
    ///
    /// ```
    /// let dir = fixtree::Builder::new().prefix("work-").tempdir()?;
    /// assert!(dir.path().is_dir());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tempdir(&self) -> io::Result<TempDir> {
        self.tempdir_in(env::temp_dir())
    }

    /// Creates a directory in `dir`.
    ///
    /// ```
    /// let outer = fixtree::tempdir()?;
    /// let dir = fixtree::Builder::new().tempdir_in(&outer)?;
    /// assert!(dir.path().starts_with(&outer));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tempdir_in<P: AsRef<Path>>(&self, dir: P) -> io::Result<TempDir> {
        let mode = self.mode(DIR_MODE);
        self.unique_in(dir.as_ref(), |path| {
            sys::create_dir(&path, mode)?;
            Ok(TempDir::from_created(path, self.disable_cleanup))
        })
    }

    /// Creates something else at a random path in
    /// [`env::temp_dir()`](crate::env::temp_dir): `f` is called with candidate
    /// paths until it succeeds or fails with anything but `AlreadyExists` or
    /// `AddrInUse`. The path is removed on drop like a file's. `f` must
    /// create exclusively (fail if the path exists), or it reopens the races
    /// that this crate closes.
    ///
    /// ```
    /// use std::os::unix::net::UnixListener;
    ///
    /// let socket = fixtree::Builder::new().suffix(".sock").make(|path| UnixListener::bind(path))?;
    /// assert!(socket.path().exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn make<F, R>(&self, f: F) -> io::Result<NamedTempFile<R>>
    where
        F: FnMut(&Path) -> io::Result<R>,
    {
        self.make_in(env::temp_dir(), f)
    }

    /// [`make`](Builder::make) in `dir`.
    ///
    /// ```
    /// use std::os::unix::net::UnixListener;
    ///
    /// let dir = fixtree::tempdir()?;
    /// let socket = fixtree::Builder::new().make_in(&dir, |path| UnixListener::bind(path))?;
    /// assert!(socket.path().starts_with(&dir));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn make_in<F, R, P>(&self, dir: P, mut f: F) -> io::Result<NamedTempFile<R>>
    where
        F: FnMut(&Path) -> io::Result<R>,
        P: AsRef<Path>,
    {
        self.unique_in(dir.as_ref(), |path| {
            let made = f(&path)?;
            let path = TempPath::new(path, self.disable_cleanup);
            Ok(NamedTempFile::from_parts(made, path))
        })
    }

    /// [`create_unique`] with this builder's prefix, suffix and random length.
    fn unique_in<R>(
        &self,
        dir: &Path,
        create: impl FnMut(PathBuf) -> io::Result<R>,
    ) -> io::Result<R> {
        create_unique(dir, self.prefix, self.suffix, self.random_len, create)
    }
}

/// The one-line constructors, here beside what they call so that the types'
/// own modules need nothing of the builder: each a [`Builder`] with at most
/// one option set, calling `$make` (in the temp dir) or `$make_in`.
macro_rules! constructors {
    ($ty:ty: $make:ident, $make_in:ident {
        $(#[$new:meta])* new; $(#[$new_in:meta])* new_in;
        $(#[$prefix:meta])* with_prefix; $(#[$prefix_in:meta])* with_prefix_in;
        $(#[$suffix:meta])* with_suffix; $(#[$suffix_in:meta])* with_suffix_in;
    }) => {
        impl $ty {
            $(#[$new])*
            pub fn new() -> io::Result<Self> { Builder::new().$make() }
            $(#[$new_in])*
            pub fn new_in<P: AsRef<Path>>(dir: P) -> io::Result<Self> { Builder::new().$make_in(dir) }
            $(#[$prefix])*
            pub fn with_prefix<S: AsRef<OsStr>>(prefix: S) -> io::Result<Self> { Builder::new().prefix(&prefix).$make() }
            $(#[$prefix_in])*
            pub fn with_prefix_in<S: AsRef<OsStr>, P: AsRef<Path>>(prefix: S, dir: P) -> io::Result<Self> { Builder::new().prefix(&prefix).$make_in(dir) }
            $(#[$suffix])*
            pub fn with_suffix<S: AsRef<OsStr>>(suffix: S) -> io::Result<Self> { Builder::new().suffix(&suffix).$make() }
            $(#[$suffix_in])*
            pub fn with_suffix_in<S: AsRef<OsStr>, P: AsRef<Path>>(suffix: S, dir: P) -> io::Result<Self> { Builder::new().suffix(&suffix).$make_in(dir) }
        }
    };
}

constructors!(TempDir: tempdir, tempdir_in {
    /// Creates a directory in [`env::temp_dir()`](crate::env::temp_dir).
    ///
    /// ```
    /// let dir = fixtree::TempDir::new()?;
    /// assert!(dir.path().is_dir());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    new;
    /// Creates a directory in `dir`.
    ///
    /// ```
    /// let outer = fixtree::TempDir::new()?;
    /// let inner = fixtree::TempDir::new_in(outer.path())?;
    /// assert_eq!(inner.path().parent(), Some(outer.path()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    new_in;
    /// Creates a directory whose name starts with `prefix`.
    ///
    /// ```
    /// let dir = fixtree::TempDir::with_prefix("build-")?;
    /// assert!(dir.path().file_name().unwrap().to_str().unwrap().starts_with("build-"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_prefix;
    /// Creates a directory in `dir` whose name starts with `prefix`.
    ///
    /// ```
    /// let outer = fixtree::TempDir::new()?;
    /// let dir = fixtree::TempDir::with_prefix_in("build-", &outer)?;
    /// assert!(dir.path().starts_with(&outer));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_prefix_in;
    /// Creates a directory whose name ends with `suffix`.
    ///
    /// ```
    /// let dir = fixtree::TempDir::with_suffix(".d")?;
    /// assert!(dir.path().to_str().unwrap().ends_with(".d"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_suffix;
    /// Creates a directory in `dir` whose name ends with `suffix`.
    ///
    /// ```
    /// let outer = fixtree::TempDir::new()?;
    /// let dir = fixtree::TempDir::with_suffix_in(".d", &outer)?;
    /// assert!(dir.path().starts_with(&outer));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_suffix_in;
});

constructors!(NamedTempFile<File>: tempfile, tempfile_in {
    /// Creates a file in [`env::temp_dir()`](crate::env::temp_dir).
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::new()?;
    /// assert!(file.path().starts_with(fixtree::env::temp_dir()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    new;
    /// Creates a file in `dir`.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::NamedTempFile::new_in(&dir)?;
    /// assert_eq!(file.path().parent(), Some(dir.path()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    new_in;
    /// Creates a file whose name starts with `prefix`.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::with_prefix("report-")?;
    /// assert!(file.path().file_name().unwrap().to_str().unwrap().starts_with("report-"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_prefix;
    /// Creates a file in `dir` whose name starts with `prefix`.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::NamedTempFile::with_prefix_in("report-", &dir)?;
    /// assert!(file.path().starts_with(&dir));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_prefix_in;
    /// Creates a file whose name ends with `suffix`.
    ///
    /// ```
    /// let file = fixtree::NamedTempFile::with_suffix(".json")?;
    /// assert_eq!(file.path().extension().unwrap(), "json");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_suffix;
    /// Creates a file in `dir` whose name ends with `suffix`.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::NamedTempFile::with_suffix_in(".json", &dir)?;
    /// assert_eq!(file.path().extension().unwrap(), "json");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    with_suffix_in;
});
