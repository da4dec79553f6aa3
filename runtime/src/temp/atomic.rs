//! [`write_atomic`]: replace a file so that readers see the old or the new
//! content, never a mix, even across a crash.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::TempPath;
use crate::error::{IoResultExt, io_error};
use crate::sys::name::{DEFAULT_RAND_LEN, create_unique, is_random};
use crate::sys::{self, FileMode};

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

/// How old an empty, unlocked file or directory that fixtree makes and then
/// locks must be to be taken for a leftover: a younger one may be a live
/// run's, made and not yet locked.
const LOCK_GRACE: Duration = Duration::from_secs(60);

/// Whether `meta` says made (or changed) within [`LOCK_GRACE`], or when is unknown.
pub(crate) fn is_young(meta: &fs::Metadata) -> bool {
    let age = meta.modified().ok().map(|modified| modified.elapsed());
    !age.is_some_and(|age| age.is_ok_and(|age| age > LOCK_GRACE))
}

/// The entries of `dir` of the type `kind` says (a link is not followed)
/// whose UTF-8 name `pick` knows, with what it makes of the name; none if
/// `dir` is missing. Each cleanup finds its own leftovers by their names.
pub(crate) fn named_entries<T>(
    dir: &Path,
    kind: fn(&fs::FileType) -> bool,
    pick: impl Fn(&str) -> Option<T>,
) -> io::Result<Vec<(T, PathBuf)>> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        entries => entries.at("read", dir)?,
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.at("read", dir)?;
        let picked = entry.file_name().to_str().and_then(&pick);
        if let Some(picked) = picked.filter(|_| entry.file_type().is_ok_and(|t| kind(&t))) {
            found.push((picked, entry.path()));
        }
    }
    Ok(found)
}

/// Removes the temporary files that [`write_atomic`] runs of `path` killed
/// midway left beside it (`.<name>.<random>.tmp`): those no running write
/// holds, never through a link. An empty young one (see [`is_young`]) may
/// be a writer's not yet locked, and stays.
pub(crate) fn remove_stale_temps(path: &Path) -> io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    let ours = |n: &str| {
        let random = n.strip_prefix(&prefix)?.strip_suffix(".tmp")?;
        is_random(random).then_some(())
    };
    for ((), temp) in named_entries(dir, fs::FileType::is_file, ours)? {
        let lock = match sys::try_lock_file(&temp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            lock => lock.at("inspect", &temp)?,
        };
        let Some(lock) = lock else { continue };
        let meta = lock.metadata().at("inspect", &temp)?;
        if meta.len() == 0 && is_young(&meta) {
            continue;
        }
        drop(lock);
        match fs::remove_file(&temp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            removed => removed.at("remove stale temporary file", &temp)?,
        }
    }
    Ok(())
}

fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let Some(name) = path.file_name() else {
        return Err(io_error!(InvalidInput, "the path has no file name"));
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mode = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => FileMode::Exact(sys::mode_of(&meta)),
        _ => FileMode::Umasked(0o666),
    };
    // A dot name that says whose it is, in case a crash leaves it behind.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let (mut file, temp) = create_unique(dir, &prefix, ".tmp".as_ref(), DEFAULT_RAND_LEN, |p| {
        let file = sys::create_file(&p, false, mode)?;
        Ok((file, TempPath::new(p, false)))
    })?;
    // Held while in use: a cleanup removes only what a killed run left.
    sys::lock_file(&file).at("lock temporary file", &temp)?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .at("write temporary file", &temp)?;
    drop(file);
    temp.persist(path)?;
    sys::sync_dir(dir)
}
