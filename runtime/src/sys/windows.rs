//! Windows: no Unix modes and no descriptor-relative calls, so creation is
//! by path, exclusive (`CREATE_NEW` fails on any existing name, a link
//! included, and never follows one), in the user's own `%TEMP%`, which the
//! profile's access control keeps private. Removal never enters a symbolic
//! link or junction: it removes the link itself. Of a Unix mode, only the
//! owner's write bit has a counterpart: the read-only attribute.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::windows::fs::{FileTypeExt, OpenOptionsExt, symlink_dir, symlink_file};
use std::path::{Path, PathBuf};

use fixtree_rules::KeyError;

use super::name::{DEFAULT_RAND_LEN, create_unique};
use super::{
    EntryType, FILE_MODE, FileMode, link_then_unlink, not_regular, regular, regular_options,
    special,
};
use crate::error::{IoResultExt, at};

/// Opens a directory (CreateFile refuses one without it).
const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
/// Removes the file when its last handle closes.
const FILE_FLAG_DELETE_ON_CLOSE: u32 = 0x0400_0000;
/// Opens a symbolic link or junction itself, never what it points to.
const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
/// Keeps a short-lived file in the cache rather than writing it out.
const FILE_ATTRIBUTE_TEMPORARY: u32 = 0x0100;
/// What CreateSymbolicLink answers to a user without the privilege.
const ERROR_PRIVILEGE_NOT_HELD: i32 = 1314;
/// What opening a file answers while another handle's sharing forbids it.
const ERROR_SHARING_VIOLATION: i32 = 32;
/// The mode a writable file reads as, as a tree records it (0o444 read-only).
const PLAIN_FILE_MODE: u32 = 0o644;

/// The key rules of Windows beyond the portable ones: no name it cannot
/// hold as a file or takes for a device (`NUL`, `a.`, `a:b`).
pub(crate) fn check_key(key: &str) -> Result<(), KeyError> {
    fixtree_rules::check_windows(key)
}

/// Names here are UTF-16, and one that is not valid Unicode has no key:
/// only Unix names a file by bytes that are not UTF-8.
pub(crate) fn spell(_name: &OsStr) -> Option<String> {
    None
}

/// No key spells a name here ([`spell`]).
pub(crate) fn unspell(_key: &str) -> Option<OsString> {
    None
}

/// Only the owner's write bit is kept: as the read-only attribute.
pub(crate) const KEPT_MODE_BITS: u32 = 0o200;

/// Nothing to do: the open handle, which a cleanup's unshared open cannot
/// pass, is the lock ([`try_lock_file`]).
pub(crate) fn lock_file(_file: &File) -> io::Result<()> {
    Ok(())
}

/// A handle to the regular file at `path` that no other handle has open,
/// or `None` when one has (an unshared open fails); never through a link.
pub(crate) fn try_lock_file(path: &Path) -> io::Result<Option<File>> {
    let mut unshared = OpenOptions::new();
    match open_checked(unshared.read(true).share_mode(0), path, not_regular) {
        Err(e) if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION) => Ok(None),
        opened => opened.map(|(file, _)| Some(file)),
    }
}

/// Opens the regular file at `path` to read, or to append to (created if
/// missing), without following a link or junction there; anything but a
/// regular file is refused.
pub(crate) fn open_regular(path: &Path, append: bool) -> io::Result<File> {
    let opened = open_checked(&mut regular_options(append), path, not_regular);
    opened.map(|(file, _)| file)
}

/// Opens `path` with `options` as itself (`FILE_FLAG_OPEN_REPARSE_POINT`),
/// with its metadata; anything but a regular file is `refuse`d.
fn open_checked(
    options: &mut OpenOptions,
    path: &Path,
    refuse: fn(&str) -> io::Error,
) -> io::Result<(File, Metadata)> {
    let file = options
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)?;
    regular(file, refuse)
}

/// What an entry that is not a regular file is, for messages; `None` for
/// a regular file.
pub(super) fn irregular(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_symlink() || kind.is_symlink_dir() || kind.is_symlink_file() {
        Some("a symbolic link or junction")
    } else {
        (!kind.is_file()).then_some("a directory or a device")
    }
}

/// Creates a new file at `path`, exclusively, opened for reading and writing.
pub(crate) fn create_file(path: &Path, append: bool, mode: FileMode) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .append(append)
        .create_new(true)
        .open(path)
        .at("create temporary file", path)?;
    let (FileMode::Exact(bits) | FileMode::Umasked(bits)) = mode;
    if let Err(e) = set_file_mode(&file, bits) {
        let _ = fs::remove_file(path);
        return Err(at(e, "set the read-only attribute on", path));
    }
    Ok(file)
}

/// Creates a new directory at `path`; a mode has no meaning for it here.
pub(crate) fn create_dir(path: &Path, _mode: u32) -> io::Result<()> {
    fs::create_dir(path).at("create temporary directory", path)
}

/// Creates `path` as a directory unless it exists: private, as the user's
/// `%TEMP%` it is made in.
pub(crate) fn mkdir_private(path: &Path) -> io::Result<()> {
    fs::create_dir(path)
}

/// A file that has no name the caller can see: created under a random name,
/// shared with no one, and deleted by Windows when its handle closes.
pub(crate) fn create_unnamed(dir: &Path) -> io::Result<File> {
    let (prefix, suffix) = (".tmp".as_ref(), "".as_ref());
    create_unique(dir, prefix, suffix, DEFAULT_RAND_LEN, |path| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .share_mode(0)
            .attributes(FILE_ATTRIBUTE_TEMPORARY)
            .custom_flags(FILE_FLAG_DELETE_ON_CLOSE)
            .open(&path)
            .at("create temporary file", &path)
    })
}

/// Renames `from` to `to` unless `to` exists: a file is linked, then
/// unlinked (linking fails on a taken name); a directory cannot be linked,
/// so it is renamed after a check. Moving a directory never replaces a
/// directory on Windows; the check keeps it from replacing anything else,
/// and only the private directory's owner could race it.
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(from)?.is_dir() {
        if fs::symlink_metadata(to).is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        return fs::rename(from, to);
    }
    link_then_unlink(from, to)
}

/// Opens `path` again, for reading and writing. Windows has no inode to
/// check it by; a temporary file opened by this crate cannot be renamed
/// over while open, since nothing replaces a file in use.
pub(crate) fn reopen(_file: &File, path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
        .at("reopen temporary file", path)
}

/// Windows journals renames; a directory has no buffers to flush.
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// A file's mode as far as Windows keeps one: read-only, or not.
pub(crate) fn mode_of(metadata: &Metadata) -> u32 {
    mode_with(PLAIN_FILE_MODE, &metadata.permissions())
}

/// The mode bits of `permissions`: read-only, or the default.
pub(crate) fn mode_from_permissions(permissions: &Permissions) -> u32 {
    mode_with(FILE_MODE, permissions)
}

/// `bits` less every write bit if `permissions` are read-only.
fn mode_with(bits: u32, permissions: &Permissions) -> u32 {
    bits & if permissions.readonly() { !0o222 } else { !0 }
}

/// Sets the read-only attribute when `bits` lack the owner's write bit.
pub(crate) fn set_file_mode(file: &File, bits: u32) -> io::Result<()> {
    if bits & 0o200 != 0 {
        return Ok(());
    }
    let mut permissions = file.metadata()?.permissions();
    permissions.set_readonly(true);
    file.set_permissions(permissions)
}

/// No limit on open files matters here: a [`Dir`] holds no handle.
pub(crate) fn open_files_limit() -> Option<u64> {
    None
}

/// The name of the shared base directory in the temp dir, which on
/// Windows is the user's own.
pub(crate) fn user_base_name() -> String {
    "fixtree".into()
}

/// The user's `%TEMP%` is private to the user: nothing to refuse.
pub(crate) fn unshared_base(_: &Metadata, _shared: bool, _: &Path) -> Option<(String, String)> {
    None
}

/// Opens the directory at `path`, shared with everyone (`exclusive: false`)
/// or with no one.
fn open_dir(path: &Path, exclusive: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options
        .read(true)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT);
    if exclusive {
        options.share_mode(0);
    }
    options.open(path)
}

/// Locks the directory at `path` for as long as the returned handle lives
/// (and no longer than the process). Windows locks no byte range of a
/// directory, so the lock is the open handle itself: [`try_lock_dir`]'s
/// unshared open fails while it exists. Reading, renaming and removing the
/// directory stay allowed to everyone, its holder included.
pub(crate) fn lock_dir(path: &Path) -> io::Result<File> {
    // A cleanup's unshared check may hold a directory just made for a
    // moment (it then leaves it: it is empty and new); wait that moment out.
    for _ in 0..1000 {
        match open_dir(path, false) {
            Err(e) if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION) => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            opened => return opened,
        }
    }
    open_dir(path, false)
}

/// Whether a [`lock_dir`] handle is open on `path`: `None` then, else a
/// handle like [`lock_dir`]'s. Only directories just created are ever
/// locked: one a test takes between the check and the open is still empty,
/// which the caller leaves alone. Another run's check, unshared too, may
/// hold it for that moment: also `None`.
pub(crate) fn try_lock_dir(path: &Path) -> io::Result<Option<File>> {
    let held = |e: &io::Error| e.raw_os_error() == Some(ERROR_SHARING_VIOLATION);
    match open_dir(path, true) {
        Ok(probe) => drop(probe),
        Err(e) if held(&e) => return Ok(None),
        Err(e) => return Err(e),
    }
    match open_dir(path, false) {
        Err(e) if held(&e) => Ok(None),
        opened => opened.map(Some),
    }
}

/// Removes `path` and, if it is a directory, everything below it. A link or
/// junction, at `path` or below, is removed itself; what it points to is
/// never entered. Read-only files and directories are made writable first.
pub(crate) fn remove_all(path: &Path) -> io::Result<()> {
    match remove_tree(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            clear_readonly(path).and_then(|()| remove_tree(path))
        }
        result => result,
    }
    .at("remove", path)
}

fn remove_tree(path: &Path) -> io::Result<()> {
    let kind = fs::symlink_metadata(path)?.file_type();
    if kind.is_symlink_dir() {
        // A directory link or junction: removed itself.
        fs::remove_dir(path)
    } else if kind.is_dir() {
        // std's walk opens every entry as a reparse point and never
        // descends into a link or junction (CVE-2022-21658).
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Clears the read-only attribute of everything below `path` that is not
/// behind a link.
fn clear_readonly(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    make_writable(path, &meta)?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            clear_readonly(&entry?.path())?;
        }
    }
    Ok(())
}

/// Clears the read-only attribute of `path`, which `meta` describes.
#[allow(
    clippy::permissions_set_readonly_false,
    reason = "Windows only: this clears the read-only attribute, it grants no one else anything"
)]
fn make_writable(path: &Path, meta: &Metadata) -> io::Result<()> {
    let mut permissions = meta.permissions();
    if !permissions.readonly() {
        return Ok(());
    }
    permissions.set_readonly(false);
    fs::set_permissions(path, permissions)
}

/// A directory that a tree is written into, by path: Windows has no
/// descriptor-relative calls, and `CREATE_NEW` and `CreateDirectory` fail on
/// a name that is taken (a link included) without following it.
pub(crate) struct Dir(PathBuf);

/// Which directory a [`Dir`] is: nothing to tell here, where directories
/// are read by path (std gives no file index on stable).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct DirId;

impl Dir {
    /// The directory at `path`, which must be one (a link to one is followed).
    pub(crate) fn open(path: &Path) -> io::Result<Dir> {
        let error = "not a directory";
        match fs::metadata(path)?.is_dir() {
            true => Ok(Dir(path.to_owned())),
            false => Err(io::Error::new(io::ErrorKind::NotADirectory, error)),
        }
    }

    /// Creates the file `name`; [`set_file_mode`] gives it `mode` once
    /// written (a read-only file could not be).
    pub(crate) fn create_file(&self, name: &str, _mode: u32) -> io::Result<File> {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.0.join(name))
    }

    /// Creates the directory `name`; a mode has no meaning for it here.
    pub(crate) fn create_dir(&self, name: &str, _mode: u32) -> io::Result<Dir> {
        let path = self.0.join(name);
        fs::create_dir(&path)?;
        Ok(Dir(path))
    }

    /// The directory this one is in (it was entered from there).
    pub(crate) fn parent(&self) -> io::Result<Dir> {
        let parent = self.0.parent().ok_or(io::ErrorKind::NotFound)?;
        Ok(Dir(parent.to_owned()))
    }

    /// The existing directory `name`; a link or junction there is refused.
    pub(crate) fn open_dir(&self, name: &str) -> io::Result<Dir> {
        let path = self.0.join(name);
        let meta = fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() || !meta.is_dir() {
            let error = "not a directory (a link or junction is not entered)";
            return Err(io::Error::new(io::ErrorKind::NotADirectory, error));
        }
        Ok(Dir(path))
    }

    /// Creates the symbolic link `name` to `target`: a directory link when
    /// the target is a directory, else a file link, as Windows tells them apart.
    pub(crate) fn symlink(&self, target: &Path, name: &str) -> io::Result<()> {
        let link = self.0.join(name);
        let made = match self.0.join(target).is_dir() {
            true => symlink_dir(target, &link),
            false => symlink_file(target, &link),
        };
        match made {
            Err(e) if e.raw_os_error() == Some(ERROR_PRIVILEGE_NOT_HELD) => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "Windows lets only administrators and users with Developer Mode on create \
                 symbolic links: turn on Developer Mode (Settings > System > For developers), \
                 run as administrator, or leave symlink(…) out of specs run on Windows",
            )),
            Err(e) => Err(e),
            // Wine answers success and creates nothing: say so, never pass silently.
            Ok(()) if !fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) => {
                Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "the system said it created the symbolic link, but there is none \
                     (Wine does not implement them): leave symlink(…) out of specs run there",
                ))
            }
            Ok(()) => Ok(()),
        }
    }

    /// Removes the file or link `name` (never what it points to); fails on a
    /// directory.
    pub(crate) fn remove_file(&self, name: &str) -> io::Result<()> {
        let path = self.0.join(name);
        let meta = fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink_dir() {
            return fs::remove_dir(path);
        }
        if !meta.file_type().is_symlink() {
            make_writable(&path, &meta)?;
        }
        fs::remove_file(path)
    }

    /// Directories have no mode here.
    pub(crate) fn finish_mode(&self, _mode: u32) -> io::Result<()> {
        Ok(())
    }

    /// Which directory this is: see [`DirId`].
    pub(crate) fn id(&self) -> io::Result<DirId> {
        Ok(DirId)
    }

    /// The names of the entries, in no order.
    pub(crate) fn names(&self) -> io::Result<Vec<OsString>> {
        fs::read_dir(&self.0)?
            .map(|entry| entry.map(|entry| entry.file_name()))
            .collect()
    }

    /// What the entry `name` is; a link or junction is read, not followed.
    pub(crate) fn entry_type(&self, name: &OsStr) -> io::Result<EntryType> {
        let path = self.0.join(name);
        let meta = fs::symlink_metadata(&path)?;
        let file_type = meta.file_type();
        if file_type.is_symlink() {
            Ok(EntryType::Symlink(fs::read_link(&path)?))
        } else if file_type.is_dir() {
            Ok(EntryType::Dir)
        } else if file_type.is_file() {
            let (len, mode) = (meta.len(), mode_of(&meta));
            Ok(EntryType::File { len, mode })
        } else {
            Err(special("a special file"))
        }
    }

    /// [`open_file`](Self::open_file): handles carry no directory to open
    /// relative to, so nothing is saved by trusting the listing here.
    pub(crate) fn open_listed(&self, name: &str) -> io::Result<File> {
        self.open_file(name).map(|(file, _)| file)
    }

    /// Opens the regular file `name` for reading, with its metadata; a link
    /// there is opened itself, and refused as no file.
    pub(crate) fn open_file(&self, name: &str) -> io::Result<(File, Metadata)> {
        open_checked(OpenOptions::new().read(true), &self.0.join(name), special)
    }
}
