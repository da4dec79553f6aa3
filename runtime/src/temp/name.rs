//! Unpredictable names, and the bounded retry loop that claims one.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};

/// Random characters in a name unless the caller asks otherwise: 62^10 ≈ 2^59
/// names, so a collision means someone is guessing, not bad luck.
pub(crate) const DEFAULT_RAND_LEN: usize = 10;

/// How many names are tried before giving up. tempfile tries 65,536 times
/// (2^31 before 3.15): with ten random characters a collision is already
/// someone guessing, so a short loop fails fast with an error that names the
/// directory instead of grinding through a flooded one.
pub(crate) const MAX_ATTEMPTS: u32 = 1024;

/// `dir` joined with `prefix`, then `rand_len` alphanumeric characters
/// from the OS's CSPRNG ([`fill_random`](crate::sys::fill_random)), then
/// `suffix`: made in one allocation, as every temporary file needs one.
pub(crate) fn random_path(
    dir: &Path,
    prefix: &OsStr,
    suffix: &OsStr,
    rand_len: usize,
) -> io::Result<PathBuf> {
    let name_len = prefix.len() + rand_len + suffix.len();
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name_len);
    path.push(dir);
    // A separator, then the prefix (only the separator when it is empty).
    path.push(prefix);
    let name = path.as_mut_os_string();
    push_random_chars(name, rand_len)?;
    name.push(suffix);
    Ok(path)
}

/// The characters of a name: `[A-Za-z0-9]`, as tempfile's.
const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Bytes fetched from the OS at once: one call serves about 25 names.
const POOL_BYTES: usize = 256;

/// Random bytes from the OS, handed out once each. A name needs ten bytes,
/// and a system call per name would cost more than the name's `mkdir`; the
/// bytes are as unpredictable buffered as they were when read.
struct Pool {
    bytes: [u8; POOL_BYTES],
    next: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = const {
        RefCell::new(Pool { bytes: [0; POOL_BYTES], next: POOL_BYTES })
    };
}

impl Pool {
    fn byte(&mut self) -> io::Result<u8> {
        if self.next == POOL_BYTES {
            crate::sys::fill_random(&mut self.bytes)?;
            self.next = 0;
        }
        let byte = self.bytes[self.next];
        self.next += 1;
        Ok(byte)
    }
}

/// Pushes `len` characters of [`ALPHABET`] onto `out`, each equally likely:
/// a byte below 248 (4 × 62) picks `byte % 62`, a higher one is drawn again,
/// as `byte % 62` alone would favour the first eight characters.
fn push_random_chars(out: &mut OsString, len: usize) -> io::Result<()> {
    const UNBIASED: u8 = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    POOL.with_borrow_mut(|pool| {
        let mut pushed = 0;
        while pushed < len {
            let byte = pool.byte()?;
            if byte < UNBIASED {
                let c = char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]);
                out.push(c.encode_utf8(&mut [0; 4]));
                pushed += 1;
            }
        }
        Ok(())
    })
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
    let dir = if dir.is_absolute() {
        Cow::Borrowed(dir)
    } else {
        Cow::Owned(std::path::absolute(dir)?)
    };
    let attempts = if rand_len == 0 { 1 } else { MAX_ATTEMPTS };
    for _ in 0..attempts {
        let path = random_path(&dir, prefix, suffix, rand_len)
            .map_err(|e| crate::error::at(e, "draw a random name in", &dir))?;
        match create(path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn random_chars(len: usize) -> String {
        let mut chars = OsString::new();
        push_random_chars(&mut chars, len).unwrap();
        chars.into_string().unwrap()
    }

    #[test]
    fn a_name_is_prefix_random_characters_and_suffix() {
        let dir = Path::new("/some/dir");
        let path = random_path(dir, "pre.".as_ref(), ".tmp".as_ref(), DEFAULT_RAND_LEN).unwrap();
        assert_eq!(path.parent(), Some(dir));
        let name = path.file_name().unwrap().to_str().unwrap();
        let random = name
            .strip_prefix("pre.")
            .unwrap()
            .strip_suffix(".tmp")
            .unwrap();
        assert_eq!(random.len(), DEFAULT_RAND_LEN);
        assert!(random.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
        // No prefix or suffix: the random characters are the whole name.
        let bare = random_path(dir, "".as_ref(), "".as_ref(), DEFAULT_RAND_LEN).unwrap();
        assert_eq!(bare.parent(), Some(dir));
        assert_eq!(bare.file_name().unwrap().len(), DEFAULT_RAND_LEN);
    }

    #[test]
    fn every_character_is_equally_likely() {
        // 10,000 draws of each character expected (σ ≈ 100): `byte % 62`
        // without redrawing gives the first eight about 12,100 and fails.
        let drawn = random_chars(620_000);
        let mut counts = [0_u32; 62];
        for byte in drawn.bytes() {
            let at = ALPHABET.iter().position(|&c| c == byte).unwrap();
            counts[at] += 1;
        }
        for (count, char) in counts.iter().zip(ALPHABET) {
            assert!(
                (9_400..=10_600).contains(count),
                "{} drawn {count} times in 620,000",
                char::from(*char)
            );
        }
    }

    #[test]
    fn names_do_not_repeat() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(random_chars(DEFAULT_RAND_LEN)));
        }
    }
}
