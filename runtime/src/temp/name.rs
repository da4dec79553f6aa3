//! Unpredictable names, and the bounded retry loop that claims one.

use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};

use rand::RngExt;
use rand::distr::Alphanumeric;

/// Random characters in a name unless the caller asks otherwise: 62^10 ≈ 2^59
/// names, so a collision means someone is guessing, not bad luck.
pub(crate) const DEFAULT_RAND_LEN: usize = 10;

/// How many names are tried before giving up. tempfile tries 65,536 times
/// (2^31 before 3.15): with ten random characters a collision is already
/// someone guessing, so a short loop fails fast with an error that names the
/// directory instead of grinding through a flooded one.
pub(crate) const MAX_ATTEMPTS: u32 = 1024;

/// `prefix`, then `rand_len` alphanumeric characters from the thread's
/// OS-seeded CSPRNG, then `suffix`.
pub(crate) fn random_name(prefix: &OsStr, suffix: &OsStr, rand_len: usize) -> OsString {
    let mut name = OsString::with_capacity(prefix.len() + rand_len + suffix.len());
    name.push(prefix);
    let chars: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(rand_len)
        .map(char::from)
        .collect();
    name.push(chars);
    name.push(suffix);
    name
}

/// Calls `create` with fresh random paths in `dir` until one is not taken.
///
/// `create` must fail with [`io::ErrorKind::AlreadyExists`] (or `AddrInUse`,
/// for sockets) when the name is taken, and must not follow a symbolic link
/// planted at the name. With `rand_len == 0` there is one name, so one attempt.
pub(crate) fn create_unique<R>(
    dir: &Path,
    prefix: &OsStr,
    suffix: &OsStr,
    rand_len: usize,
    mut create: impl FnMut(PathBuf) -> io::Result<R>,
) -> io::Result<R> {
    // A relative base would be reinterpreted if the process changes directory
    // before cleanup, and cleanup would then remove the wrong thing.
    let dir = std::path::absolute(dir)?;
    let attempts = if rand_len == 0 { 1 } else { MAX_ATTEMPTS };
    for _ in 0..attempts {
        match create(dir.join(random_name(prefix, suffix, rand_len))) {
            Err(e)
                if attempts > 1
                    && matches!(
                        e.kind(),
                        io::ErrorKind::AlreadyExists | io::ErrorKind::AddrInUse
                    ) => {}
            result => return result,
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "cannot find a free name in {}: {attempts} random names with prefix {:?} and suffix {:?} \
             were all taken; remove stale entries there or use more random characters",
            dir.display(),
            prefix,
            suffix,
        ),
    ))
}
