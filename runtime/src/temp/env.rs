//! Where temporary files go by default.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static OVERRIDE: OnceLock<PathBuf> = OnceLock::new();

/// Sets the directory that [`temp_dir`] returns for the rest of the process.
/// It can be set once; a second call returns the directory already set.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// fixtree::env::override_temp_dir(dir.path()).expect("the first call sets it");
/// let file = fixtree::NamedTempFile::new()?;
/// assert!(file.path().starts_with(dir.path()));
///
/// let again = fixtree::env::override_temp_dir("/elsewhere".as_ref());
/// assert_eq!(again, Err(dir.path().to_owned()));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn override_temp_dir(path: &Path) -> Result<(), PathBuf> {
    // Refused once set: then it holds the first value.
    (OVERRIDE.set(path.to_owned())).map_err(|_| OVERRIDE.get().expect("set already").clone())
}

/// The directory that temporary files and directories go to by default: the
/// one set by [`override_temp_dir`], else [`std::env::temp_dir`] (`$TMPDIR`,
/// or `/tmp`), read anew on each call.
///
/// ```
/// let file = fixtree::NamedTempFile::new()?;
/// assert!(file.path().starts_with(fixtree::env::temp_dir()));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn temp_dir() -> PathBuf {
    OVERRIDE.get().cloned().unwrap_or_else(std::env::temp_dir)
}
