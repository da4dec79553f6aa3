//! Unix: every creation exclusive and never through a symbolic link, modes
//! checked after creation and fixed where a umask, a setgid parent or an ACL
//! changed them, and trees
//! written, read and removed relative to open directory descriptors.
//!
//! What only some Unix systems have (Linux's `O_TMPFILE`, `RENAME_NOREPLACE`
//! and `/proc/self/fd` in `linux.rs`; `AT_SYMLINK_NOFOLLOW` for `chmod` on
//! macOS and the BSDs in `portable.rs`) is [`extra`]; the portable path here
//! is taken wherever an extra is missing.

mod remove;

#[cfg(all(any(target_os = "linux", target_os = "android"), not(fixtree_portable)))]
#[path = "linux.rs"]
mod extra;

#[cfg(not(all(any(target_os = "linux", target_os = "android"), not(fixtree_portable))))]
#[path = "portable.rs"]
mod extra;

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt::Write;
use std::fs::{self, DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use fixtree_rules::KeyError;
use rustix::fs::{
    AtFlags, CWD, FileType, FlockOperation, Mode, OFlags, RawMode, fchmod, flock, fstat, mkdirat,
    openat, readlinkat, statat, symlinkat, unlinkat,
};

use super::name::{DEFAULT_RAND_LEN, create_unique};
use super::{
    DIR_MODE, EntryType, FILE_MODE, FileMode, PERMISSION_BITS, link_then_unlink, not_regular,
    regular, regular_options, special,
};
use crate::error::IoResultExt;

pub(crate) use remove::remove_all;

/// A Unix file system holds every name the portable key rules accept.
pub(crate) fn check_key(_key: &str) -> Result<(), KeyError> {
    Ok(())
}

/// The key that spells `name`, a name that is not UTF-8: its UTF-8 runs
/// as they are, each other byte and each `\` as `\xNN`. No key a user
/// writes holds a `\` (the key rules), so no such key means another name.
pub(crate) fn spell(name: &OsStr) -> Option<String> {
    let mut key = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        for part in chunk.valid().split_inclusive('\\') {
            match part.strip_suffix('\\') {
                Some(text) => key.extend([text, "\\x5c"]),
                None => key.push_str(part),
            }
        }
        for byte in chunk.invalid() {
            write!(key, "\\x{byte:02x}").expect("a String takes any text");
        }
    }
    Some(key)
}

/// The name `key` spells ([`spell`]), if it spells exactly one: a name
/// that is not UTF-8 and holds no `/`, `\` or NUL, which no other key
/// names and which stays one segment inside the root.
pub(crate) fn unspell(key: &str) -> Option<OsString> {
    if !key.contains('\\') {
        return None;
    }
    let mut bytes = Vec::with_capacity(key.len());
    let mut rest = key;
    while let Some((text, escaped)) = rest.split_once('\\') {
        bytes.extend_from_slice(text.as_bytes());
        let hex = escaped.strip_prefix('x').and_then(|hex| hex.get(..2))?;
        bytes.push(u8::from_str_radix(hex, 16).ok()?);
        rest = &escaped[3..];
    }
    bytes.extend_from_slice(rest.as_bytes());
    let name = OsString::from_vec(bytes);
    let exact = name.to_str().is_none() && spell(&name).as_deref() == Some(key);
    let one_segment = !name
        .as_bytes()
        .iter()
        .any(|b| matches!(b, b'/' | b'\\' | 0));
    (exact && one_segment).then_some(name)
}

/// The name on disk of the entry a key names: the one it spells, else itself.
fn on_disk(name: &str) -> Cow<'_, OsStr> {
    unspell(name).map_or(Cow::Borrowed(name.as_ref()), Cow::Owned)
}

/// Every mode bit is kept on disk and compared.
pub(crate) const KEPT_MODE_BITS: u32 = PERMISSION_BITS;

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

/// A directory whose final mode would stop its owner filling it (0555) is
/// owner-only until it is filled. (A file is written through the descriptor
/// that created it, whatever its mode: it gets its final mode at once.)
const FILLING_DIR_MODE: Mode = Mode::RWXU;

fn flags(flags: OFlags) -> i32 {
    // O_* values fit in an i32 on every Unix; the cast is how std takes them.
    flags.bits() as i32
}

fn exact(bits: u32) -> Mode {
    Mode::from_bits_truncate((bits & PERMISSION_BITS) as RawMode)
}

/// Creates a new file at `path` with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC,
/// opened for reading and writing.
pub(crate) fn create_file(path: &Path, append: bool, mode: FileMode) -> io::Result<File> {
    let (initial, exact_bits) = match mode {
        FileMode::Exact(bits) => (bits & 0o777, Some(bits)),
        FileMode::Umasked(bits) => (bits, None),
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
    if let Some(bits) = exact_bits {
        if let Err(e) = ensure_mode(file.as_fd(), exact(bits)) {
            let _ = fs::remove_file(path);
            return Err(crate::error::setting_mode(bits, path)(e));
        }
    }
    Ok(file)
}

/// Creates a new directory at `path` with exactly `mode`.
pub(crate) fn create_dir(path: &Path, mode: u32) -> io::Result<()> {
    // mkdir never follows a symbolic link at the name: it fails with EEXIST.
    DirBuilder::new()
        .mode(mode & 0o777)
        .create(path)
        .at("create temporary directory", path)?;
    // What mkdir gave, looked at without following a link: most often
    // exactly `mode`, and then nothing is opened (a mode without owner-read
    // could not be) or written.
    let given = statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW);
    let is_dir = |st: &rustix::fs::Stat| FileType::from_raw_mode(st.st_mode) == FileType::Directory;
    if given.is_ok_and(|st| is_dir(&st) && Mode::from_raw_mode(st.st_mode) == exact(mode)) {
        return Ok(());
    }
    let set_mode = || ensure_mode(open_dir(path)?.as_fd(), exact(mode));
    set_mode().map_err(|e| {
        let _ = fs::remove_dir(path);
        crate::error::setting_mode(mode, path)(e)
    })
}

/// Makes the mode of the open `fd` exactly `bits`: an `fstat`, which
/// writes nothing, and an `fchmod` only where creation did not give exactly
/// `bits` — the umask (whatever it is by now), a setgid parent or a
/// default ACL each change what creation gives.
fn ensure_mode(fd: BorrowedFd<'_>, mode: Mode) -> io::Result<()> {
    if Mode::from_raw_mode(fstat(fd)?.st_mode) == mode {
        return Ok(());
    }
    Ok(fchmod(fd, mode)?)
}

/// Whether [`Dir::create_dir`] gives a directory its final `mode` at once:
/// one its owner can fill, with no setuid, setgid or sticky bit.
fn fills_with_final_mode(mode: u32) -> bool {
    mode & 0o700 == 0o700 && mode & !0o777 == 0
}

/// Creates `path` as a directory only its owner may enter, unless it exists.
pub(crate) fn mkdir_private(path: &Path) -> io::Result<()> {
    DirBuilder::new().mode(DIR_MODE).create(path)
}

/// Opens the directory at `path` for reading, refusing a symbolic link there.
fn open_dir(path: &Path) -> io::Result<File> {
    Ok(openat(CWD, path, DIR_FLAGS, Mode::empty())?.into())
}

/// Creates a file in `dir` that has no name: the platform's own way where
/// the kernel and file system have one, else a named file unlinked at once.
pub(crate) fn create_unnamed(dir: &Path) -> io::Result<File> {
    match extra::create_unnamed(dir)? {
        Some(file) => Ok(file),
        None => create_unlinked(dir),
    }
}

/// The portable unnamed file: created 0600 under a random name, unlinked at once.
fn create_unlinked(dir: &Path) -> io::Result<File> {
    let (prefix, suffix) = (".tmp".as_ref(), "".as_ref());
    create_unique(dir, prefix, suffix, DEFAULT_RAND_LEN, |path| {
        let file = create_file(&path, false, FileMode::Exact(FILE_MODE))?;
        fs::remove_file(&path).at("unlink temporary file", &path)?;
        Ok(file)
    })
}

/// Renames `from` to `to` unless `to` exists, atomically. Never check-then-rename.
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    if extra::rename_noreplace(from, to)? {
        return Ok(());
    }
    if fs::symlink_metadata(from)?.is_dir() {
        // rename(2) replaces only an empty directory: claim the name with one.
        fs::create_dir(to)?;
        return fs::rename(from, to).inspect_err(|_| {
            let _ = fs::remove_dir(to);
        });
    }
    link_then_unlink(from, to)
}

/// Opens `path` again, for reading and writing, if it is still `file`.
pub(crate) fn reopen(file: &File, path: &Path) -> io::Result<File> {
    let flags = OFlags::RDWR | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let opened = openat(CWD, path, flags, Mode::empty()).map(File::from);
    let reopened = opened.map_err(io::Error::from).and_then(|new| {
        let (old, new_meta) = (file.metadata()?, new.metadata()?);
        let replaced = "the temporary file was replaced";
        match (old.dev(), old.ino()) == (new_meta.dev(), new_meta.ino()) {
            true => Ok(new),
            false => Err(io::Error::new(io::ErrorKind::NotFound, replaced)),
        }
    });
    reopened.at("reopen temporary file", path)
}

/// Makes a rename or creation inside `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .at("sync directory", dir)
}

/// A file's mode bits.
pub(crate) fn mode_of(metadata: &Metadata) -> u32 {
    metadata.mode() & PERMISSION_BITS
}

/// The mode bits of `permissions`.
pub(crate) fn mode_from_permissions(permissions: &Permissions) -> u32 {
    permissions.mode() & PERMISSION_BITS
}

/// Sets exactly `bits` on an open file, whatever the umask (an `fchmod`
/// only where it has other bits).
pub(crate) fn set_file_mode(file: &File, bits: u32) -> io::Result<()> {
    ensure_mode(file.as_fd(), exact(bits))
}

/// What an entry that is not a regular file is, for messages; `None` for
/// a regular file.
pub(super) fn irregular(metadata: &Metadata) -> Option<&'static str> {
    match FileType::from_raw_mode(metadata.mode() as RawMode) {
        FileType::RegularFile => None,
        other => Some(special_kind(other)),
    }
}

/// What an entry that is not a regular file is.
fn special_kind(file_type: FileType) -> &'static str {
    match file_type {
        FileType::Symlink => "a symbolic link",
        FileType::Fifo => "a fifo",
        FileType::Socket => "a socket",
        FileType::BlockDevice => "a block device",
        FileType::CharacterDevice => "a character device",
        FileType::Directory => "a directory",
        _ => "a special file",
    }
}

/// Opens the regular file at `path` to read, or to append to (created if
/// missing), never through a symbolic link at its last component and without
/// blocking on a fifo (`O_NOFOLLOW|O_NONBLOCK`), then checks its type by
/// `fstat`: anything but a regular file is refused.
pub(crate) fn open_regular(path: &Path, append: bool) -> io::Result<File> {
    let mut options = regular_options(append);
    options.custom_flags(flags(OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC));
    // A refused open (ELOOP; ENXIO for a fifo without a reader) says what is there.
    let file = options.open(path).map_err(|e| {
        match fs::symlink_metadata(path).ok().as_ref().and_then(irregular) {
            Some(what) => not_regular(what),
            None => e,
        }
    })?;
    regular(file, not_regular).map(|(file, _)| file)
}

/// Locks the open file `file` for as long as it is open (and no longer than
/// the process): a cleanup's [`try_lock_file`] then leaves it alone.
pub(crate) fn lock_file(file: &File) -> io::Result<()> {
    Ok(flock(file, FlockOperation::NonBlockingLockExclusive)?)
}

/// A handle holding the lock of the regular file at `path`, or `None` when
/// another handle holds it ([`lock_file`]); never through a link.
pub(crate) fn try_lock_file(path: &Path) -> io::Result<Option<File>> {
    let file = open_regular(path, false)?;
    Ok(try_flock(&file)?.then_some(file))
}

/// Takes the exclusive lock of `fd` unless another holds it: whether it did.
fn try_flock(fd: impl AsFd) -> io::Result<bool> {
    match flock(fd, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The soft limit on open files (`ulimit -n`); `None`: unlimited.
pub(crate) fn open_files_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

/// The name of the shared base directory in the system temp dir: one per
/// user, since the temp dir is shared by all of them.
pub(crate) fn user_base_name() -> String {
    format!("fixtree-{}", rustix::process::getuid().as_raw())
}

/// Why others could tamper with the base directory `metadata` describes
/// (`shared`: the default one in the world-writable temp dir), and the fix;
/// `None` when only its owner can.
pub(crate) fn unshared_base(
    metadata: &Metadata,
    shared: bool,
    path: &Path,
) -> Option<(String, String)> {
    let uid = rustix::process::getuid().as_raw();
    let owner = metadata.uid();
    if owner != uid {
        let why = format!("it belongs to uid {owner}, not to you (uid {uid})");
        return Some((why, "remove it".into()));
    }
    let mode = metadata.mode() & PERMISSION_BITS;
    if shared && mode != DIR_MODE {
        let fix = format!("run `chmod {DIR_MODE:o} {}`", path.display());
        return Some((
            format!("its mode is 0o{mode:03o}, not 0o{DIR_MODE:03o}"),
            fix,
        ));
    }
    if mode & 0o022 != 0 {
        let fix = format!("run `chmod go-w {}`", path.display());
        return Some((
            format!("its mode 0o{mode:03o} lets others write in it"),
            fix,
        ));
    }
    None
}

/// Locks the directory at `path` for as long as the returned handle lives
/// (and no longer than the process), waiting for another holder to let go.
/// A directory removed before it was locked (a cleanup that took it for an
/// old one: a run stalled a minute between `mkdir` and here) is `NotFound`,
/// for the caller to make another.
pub(crate) fn lock_dir(path: &Path) -> io::Result<File> {
    let handle = open_dir(path)?;
    // flock(2) rather than `File::lock`, which is the same call but needs Rust 1.89.
    flock(&handle, FlockOperation::LockExclusive)?;
    if fstat(&handle)?.st_nlink == 0 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "the directory was removed before it was locked",
        ));
    }
    Ok(handle)
}

/// [`lock_dir`] unless another handle holds it: `None` then.
///
/// A test directory its test made unreadable (`chmod 000`), by a run killed
/// before its fixture gave the owner access back, could never be locked,
/// and so never pruned: its owner gets read, write and search back to lock
/// it, and if a running test holds it after all, its mode is put back.
pub(crate) fn try_lock_dir(path: &Path) -> io::Result<Option<File>> {
    let (handle, mode_before) = match open_dir(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            // Gone meanwhile is gone; any other failure, the access refused.
            let (handle, before) = regain_access(path).map_err(|err| match err.kind() {
                io::ErrorKind::NotFound => err,
                _ => e,
            })?;
            let mode_before = Mode::from_raw_mode(before.st_mode);
            (handle.into(), Some(mode_before))
        }
        result => (result?, None),
    };
    if try_flock(&handle)? {
        return Ok(Some(handle));
    }
    if let Some(mode) = mode_before {
        fchmod(&handle, mode)?;
    }
    Ok(None)
}

/// Gives the owner of the directory at `path` read, write and search
/// permission, without following a link there, and opens it; with what it
/// was before.
fn regain_access(path: &Path) -> io::Result<(OwnedFd, rustix::fs::Stat)> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::ErrorKind::InvalidInput.into());
    };
    Ok(remove::open_unlocked(Dir::open(parent)?.0.as_fd(), name)?)
}

/// The entries of the directory open at `dir` but for `.` and `..`, with
/// their types as listed, read through a descriptor of their own (`.`
/// opened again): reading moves the offset of the one given, which a copy
/// made by `dup` shares.
pub(super) fn read_entries(dir: BorrowedFd<'_>) -> io::Result<Vec<(OsString, FileType)>> {
    let mut entries = rustix::fs::Dir::read_from(dir)?;
    let mut listed = Vec::new();
    while let Some(entry) = entries.read() {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            listed.push((OsString::from_vec(name.to_vec()), entry.file_type()));
        }
    }
    Ok(listed)
}

/// An open directory that a tree is written into: every entry is made
/// relative to it and exclusively (`openat(O_CREAT|O_EXCL|O_NOFOLLOW)`,
/// `mkdirat`, `symlinkat` all fail on a name that is taken, whatever is
/// there), so a planted link is never written through and a directory
/// renamed away meanwhile cannot redirect the writes.
pub(crate) struct Dir(OwnedFd);

/// Which directory a [`Dir`] is: its device and inode, which a directory
/// keeps when moved and a replacement never has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct DirId(u64, u64);

impl DirId {
    /// The identity `fstat` (or `stat`) found.
    #[allow(clippy::unnecessary_cast)] // their types differ between systems
    pub(crate) fn of(st: &rustix::fs::Stat) -> DirId {
        DirId(st.st_dev as u64, st.st_ino as u64)
    }
}

impl Dir {
    /// Opens the directory at `path`; a symbolic link given as `path` is
    /// followed, as any path the caller chooses.
    pub(crate) fn open(path: &Path) -> io::Result<Dir> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Dir(openat(CWD, path, flags, Mode::empty())?))
    }

    /// Creates the file `name` with `mode` less any setuid, setgid or
    /// sticky bit, which [`set_file_mode`] makes exact once it is
    /// filled. Whatever the mode, the descriptor returned may write.
    pub(crate) fn create_file(&self, name: &str, mode: u32) -> io::Result<File> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        Ok(File::from(openat(
            &self.0,
            &*on_disk(name),
            flags,
            exact(mode & 0o777),
        )?))
    }

    /// Creates the directory `name` and opens it, with exactly `mode` where
    /// its owner can fill it that way, else owner-only until
    /// [`Dir::finish_mode`] sets `mode` once it is filled.
    pub(crate) fn create_dir(&self, name: &str, mode: u32) -> io::Result<Dir> {
        let initial = if fills_with_final_mode(mode) {
            exact(mode)
        } else {
            FILLING_DIR_MODE
        };
        mkdirat(&self.0, &*on_disk(name), initial)?;
        // O_NOFOLLOW: if the new directory was swapped for a link, refuse it.
        let dir = self.open_dir(name)?;
        // mkdirat's mode went through the umask (which may have taken the
        // owner's write or search bit: umask 0277), a setgid parent or an ACL.
        ensure_mode(dir.0.as_fd(), initial)?;
        Ok(dir)
    }

    /// Gives a directory made by [`Dir::create_dir`] its `mode`, now that
    /// it is filled, unless it was made with it.
    pub(crate) fn finish_mode(&self, mode: u32) -> io::Result<()> {
        if fills_with_final_mode(mode) {
            return Ok(());
        }
        Ok(fchmod(&self.0, exact(mode))?)
    }

    /// Opens the parent of this directory, `..`, which is never a link.
    pub(crate) fn parent(&self) -> io::Result<Dir> {
        self.open_dir("..")
    }

    /// Opens the existing directory `name`, refusing a symbolic link there.
    pub(crate) fn open_dir(&self, name: &str) -> io::Result<Dir> {
        Ok(Dir(openat(
            &self.0,
            &*on_disk(name),
            DIR_FLAGS,
            Mode::empty(),
        )?))
    }

    /// Creates the symbolic link `name` to `target`.
    pub(crate) fn symlink(&self, target: &Path, name: &str) -> io::Result<()> {
        Ok(symlinkat(target, &self.0, &*on_disk(name))?)
    }

    /// Removes the file or symbolic link `name` (never what it points to);
    /// fails on a directory.
    pub(crate) fn remove_file(&self, name: &str) -> io::Result<()> {
        Ok(unlinkat(&self.0, &*on_disk(name), AtFlags::empty())?)
    }

    /// Which directory this is, to find out later whether a path still
    /// leads to it.
    pub(crate) fn id(&self) -> io::Result<DirId> {
        Ok(DirId::of(&fstat(&self.0)?))
    }

    /// The names of the entries, `.` and `..` left out, in no order.
    pub(crate) fn names(&self) -> io::Result<Vec<OsString>> {
        let entries = read_entries(self.0.as_fd())?;
        Ok(entries.into_iter().map(|(name, _)| name).collect())
    }

    /// What the entry `name` is, a symbolic link not followed but read; a
    /// fifo, socket or device is an error saying which.
    pub(crate) fn entry_type(&self, name: &OsStr) -> io::Result<EntryType> {
        let st = statat(&self.0, name, AtFlags::SYMLINK_NOFOLLOW)?;
        Ok(match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => EntryType::File {
                len: st.st_size as u64,
                mode: st.st_mode as u32 & PERMISSION_BITS,
            },
            FileType::Directory => EntryType::Dir,
            FileType::Symlink => {
                let target = readlinkat(&self.0, name, Vec::new())?;
                EntryType::Symlink(PathBuf::from(OsString::from_vec(target.into_bytes())))
            }
            other => return Err(special(special_kind(other))),
        })
    }

    /// Opens the file `name`, which the listing found to be a regular
    /// file, for reading, without asking again what it is (the listing's
    /// `statat` gave its kind and size): a symbolic link swapped in since is
    /// refused (`O_NOFOLLOW`), and a fifo does not hang the open or a read
    /// (`O_NONBLOCK`: it reads as ended, or fails).
    pub(crate) fn open_listed(&self, name: &str) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        Ok(File::from(openat(
            &self.0,
            &*on_disk(name),
            flags,
            Mode::empty(),
        )?))
    }

    /// Opens the regular file `name` for reading, with its metadata: as
    /// [`open_listed`](Self::open_listed), and anything but a file refused.
    pub(crate) fn open_file(&self, name: &str) -> io::Result<(File, Metadata)> {
        regular(self.open_listed(name)?, special)
    }
}

#[cfg(test)]
mod tests {
    //! The portable paths, which the machines that run these tests may not need.

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
    fn a_spelling_stands_for_one_name_of_one_segment_and_no_other_key_does() {
        let name = |bytes: &[u8]| OsStr::from_bytes(bytes).to_owned();
        for bytes in [&b"caf\xe9.log"[..], b"\xff", b"a\\b\xfe", b"\xe9t\xc3\xa9"] {
            let key = spell(&name(bytes)).unwrap();
            let back = unspell(&key);
            // One holding a `\` is spelled, but no key names it: the key rules refuse `\`.
            assert_eq!(
                back,
                (!bytes.contains(&b'\\')).then(|| name(bytes)),
                "{key}"
            );
        }
        assert_eq!(spell(&name(b"a\\b\xfe")).unwrap(), r"a\x5cb\xfe");
        assert_eq!(spell(&name(b"\xe9t\xc3\xa9")).unwrap(), r"\xe9té");
        // Not exactly what `spell` gives: UTF-8, a separator, NUL, upper case, cut short.
        for key in [
            r"caf\xc3\xa9",
            r"a\x2f\xff",
            r"\x00\xff",
            r"caf\xE9",
            r"caf\xe",
            r"caf\x",
            r"a\b",
            r"\x+f\xff",
            "plain",
        ] {
            assert_eq!(unspell(key), None, "{key}");
        }
    }

    #[test]
    fn a_directory_is_listed_whole_each_time() {
        let dir = crate::tempdir().unwrap();
        for name in ["a", "b", "c"] {
            fs::write(dir.path().join(name), name).unwrap();
        }
        let open = Dir::open(dir.path()).unwrap();
        for _ in 0..2 {
            let mut names = open.names().unwrap();
            names.sort();
            assert_eq!(names, ["a", "b", "c"]);
        }
    }

    #[test]
    fn a_directory_is_renamed_only_to_a_free_name() {
        let dir = crate::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir(&from).unwrap();
        fs::create_dir(&to).unwrap();
        // Even an empty directory, which rename(2) alone would replace.
        let err = rename_noreplace(&from, &to).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(from.is_dir() && to.is_dir());
        fs::remove_dir(&to).unwrap();
        rename_noreplace(&from, &to).unwrap();
        assert!(!from.exists() && to.is_dir());
    }
}
