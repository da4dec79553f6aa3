//! [`write_atomic`]: replace a file so that readers see the old or the new
//! content, never a mix, even across a crash.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::TempPath;
use crate::error::IoResultExt;
use crate::sys::{self, FileMode};
use crate::temp::name::{DEFAULT_RAND_LEN, create_unique};

/// Writes `contents` to `path` atomically: into a new temporary file in the
/// same directory, flushed to disk, renamed over `path`, then the directory
/// flushed so the rename survives a crash.
///
/// An existing file keeps its mode; a new one gets `0o666` less the umask,
/// as with [`fs::write`]. A symbolic link at `path` is replaced, not written
/// through. If anything fails, `path` is untouched and no temporary file is
/// left behind.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let config = dir.path().join("config.toml");
/// fixtree::write_atomic(&config, "version = 1\n")?;
/// fixtree::write_atomic(&config, "version = 2\n")?;
/// assert_eq!(std::fs::read_to_string(&config)?, "version = 2\n");
/// assert_eq!(std::fs::read_dir(&dir)?.count(), 1); // no temporary file left
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomic<P: AsRef<Path>, C: AsRef<[u8]>>(path: P, contents: C) -> io::Result<()> {
    let path = path.as_ref();
    replace(path, contents.as_ref()).at("write atomically to", path)
}

fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        ));
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let existing_mode = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Some(sys::mode_of(&meta)),
        _ => None,
    };
    let mode = existing_mode.map_or(FileMode::Umasked(0o666), FileMode::Exact);
    // A dot name that says whose it is, in case a crash leaves it behind.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let (mut file, temp) = create_unique(dir, &prefix, ".tmp".as_ref(), DEFAULT_RAND_LEN, |p| {
        let file = sys::create_file(&p, false, mode)?;
        Ok((file, TempPath::new(p, false)))
    })?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .at("write temporary file", &temp)?;
    drop(file);
    temp.persist(path)?;
    sys::sync_dir(dir)
}
