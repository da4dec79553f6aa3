//! The Unix calls behind every creation: exclusive, never through a symbolic
//! link, with the mode fixed after creation so that no umask widens or narrows it.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rustix::fs::{CWD, OFlags, RenameFlags, renameat_with};
use rustix::io::Errno;

use crate::error::{IoResultExt, at};
use crate::name;

/// Mode of a new temporary file when the caller gives none.
pub(crate) const FILE_MODE: u32 = 0o600;
/// Mode of a new temporary directory when the caller gives none.
pub(crate) const DIR_MODE: u32 = 0o700;

/// How the mode of a new file is decided.
#[derive(Clone, Copy)]
pub(crate) enum FileMode {
    /// Exactly these bits, whatever the umask.
    Exact(u32),
    /// These bits less the umask, as `fs::write` would create the file.
    Umasked(u32),
}

fn flags(flags: OFlags) -> i32 {
    // O_* values fit in an i32 on every Unix; the cast is how std takes them.
    flags.bits() as i32
}

/// Creates a new file at `path` with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC,
/// opened for reading and writing.
pub(crate) fn create_file(path: &Path, append: bool, mode: FileMode) -> io::Result<File> {
    let initial = match mode {
        FileMode::Exact(_) => FILE_MODE,
        FileMode::Umasked(bits) => bits,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .append(append)
        .create_new(true)
        .custom_flags(flags(OFlags::NOFOLLOW))
        .mode(initial)
        .open(path)
        .at("create temporary file", path)?;
    if let FileMode::Exact(bits) = mode
        && let Err(e) = file.set_permissions(Permissions::from_mode(bits))
    {
        let _ = fs::remove_file(path);
        return Err(at(e, format!("set mode {bits:o} on"), path));
    }
    Ok(file)
}

/// Creates a new directory at `path` with exactly `mode`.
pub(crate) fn create_dir(path: &Path, mode: u32) -> io::Result<()> {
    // mkdir never follows a symbolic link at the name: it fails with EEXIST.
    DirBuilder::new()
        .mode(DIR_MODE)
        .create(path)
        .at("create temporary directory", path)?;
    let set_mode = || open_dir(path)?.set_permissions(Permissions::from_mode(mode));
    set_mode().map_err(|e| {
        let _ = fs::remove_dir(path);
        at(e, format!("set mode {mode:o} on"), path)
    })
}

/// Opens the directory at `path` for reading, refusing a symbolic link there.
pub(crate) fn open_dir(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(flags(OFlags::DIRECTORY | OFlags::NOFOLLOW))
        .open(path)
}

/// Creates a file in `dir` that has no name: O_TMPFILE where the kernel and
/// file system have it, else a named file unlinked at once.
pub(crate) fn create_unnamed(dir: &Path) -> io::Result<File> {
    // O_EXCL with O_TMPFILE: the file can never be linked into the tree later.
    let unnamed = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(flags(OFlags::TMPFILE | OFlags::EXCL))
        .mode(FILE_MODE)
        .open(dir);
    match unnamed {
        Ok(file) => {
            file.set_permissions(Permissions::from_mode(FILE_MODE))
                .at("set mode on an unnamed temporary file in", dir)?;
            Ok(file)
        }
        // The three answers of a kernel or file system without O_TMPFILE.
        Err(e)
            if matches!(
                Errno::from_io_error(&e),
                Some(Errno::OPNOTSUPP | Errno::ISDIR | Errno::NOENT)
            ) =>
        {
            create_unlinked(dir)
        }
        Err(e) => Err(at(e, "create an unnamed temporary file in", dir)),
    }
}

/// The portable unnamed file: created 0600 under a random name, unlinked at once.
fn create_unlinked(dir: &Path) -> io::Result<File> {
    let (prefix, suffix) = (".tmp".as_ref(), "".as_ref());
    name::create_unique(dir, prefix, suffix, name::DEFAULT_RAND_LEN, |path| {
        let file = create_file(&path, false, FileMode::Exact(FILE_MODE))?;
        fs::remove_file(&path).at("unlink temporary file", &path)?;
        Ok(file)
    })
}

/// Renames `from` to `to` unless `to` exists, atomically: RENAME_NOREPLACE, or
/// link + unlink where the file system lacks it. Never check-then-rename.
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::INVAL | Errno::NOSYS) => link_then_unlink(from, to),
        Err(e) => Err(e.into()),
    }
}

/// The portable no-clobber rename: link(2) fails if `to` exists.
fn link_then_unlink(from: &Path, to: &Path) -> io::Result<()> {
    fs::hard_link(from, to)?;
    fs::remove_file(from).inspect_err(|_| {
        // Two names for one file would leave the temporary one behind forever.
        let _ = fs::remove_file(to);
    })
}

/// Opens `path` again, for reading and writing, if it is still `file`.
pub(crate) fn reopen(file: &File, path: &Path) -> io::Result<File> {
    let reopened = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(flags(OFlags::NOFOLLOW))
        .open(path)
        .at("reopen temporary file", path)?;
    let (old, new) = (file.metadata()?, reopened.metadata()?);
    if (old.dev(), old.ino()) != (new.dev(), new.ino()) {
        return Err(at(
            io::Error::new(io::ErrorKind::NotFound, "the temporary file was replaced"),
            "reopen temporary file",
            path,
        ));
    }
    Ok(reopened)
}

/// Makes a rename or creation inside `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .at("sync directory", dir)
}

#[cfg(test)]
mod tests {
    //! The fallbacks for kernels and file systems without O_TMPFILE or
    //! RENAME_NOREPLACE, which the machines that run these tests have.

    use super::*;
    use std::io::{Read, Seek, Write};

    #[test]
    fn create_unlinked_leaves_no_entry_and_a_private_file() {
        let dir = crate::tempdir().unwrap();
        let mut file = create_unlinked(dir.path()).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(
            file.metadata().unwrap().permissions().mode() & 0o777,
            FILE_MODE
        );
        file.write_all(b"kept").unwrap();
        file.rewind().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "kept");
    }

    #[test]
    fn link_then_unlink_moves_to_a_free_name() {
        let dir = crate::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::write(&from, "moved").unwrap();
        link_then_unlink(&from, &to).unwrap();
        assert!(!from.exists());
        assert_eq!(fs::read_to_string(&to).unwrap(), "moved");
    }

    #[test]
    fn link_then_unlink_never_replaces_an_existing_name() {
        let dir = crate::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::write(&from, "new").unwrap();
        fs::write(&to, "old").unwrap();
        let err = link_then_unlink(&from, &to).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&to).unwrap(), "old");
        assert_eq!(fs::read_to_string(&from).unwrap(), "new");
    }
}
