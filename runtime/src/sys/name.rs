//! Unpredictable names, and the bounded retry loop that claims one.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::io::{self, ErrorKind::AlreadyExists};

use crate::error::IoResultExt;
use std::path::{Path, PathBuf};

/// Random characters in a name unless the caller asks otherwise: 62^10 ≈ 2^59
/// names, so a collision means someone is guessing, not bad luck.
pub(crate) const DEFAULT_RAND_LEN: usize = 10;

/// How many names are tried before giving up. tempfile tries 65,536 times
/// (2^31 before 3.15): with ten random characters a collision is already
/// someone guessing, so a short loop fails fast with an error that names the
/// directory instead of grinding through a flooded one.
pub(crate) const MAX_ATTEMPTS: u32 = 1024;

/// The characters of a name: `[A-Za-z0-9]`, as tempfile's.
const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` characters of [`ALPHABET`] from bytes that `fill` draws for this
/// name alone, each character equally likely: a byte below 248 (4 × 62)
/// picks `byte % 62`, a higher one is drawn again, as `byte % 62` alone would
/// favour the first eight characters. No byte is kept for a later name: a
/// buffer that `fork` copied would make the child draw its parent's next names.
fn random_chars(
    len: usize,
    fill: &mut dyn FnMut(&mut [u8]) -> io::Result<()>,
) -> io::Result<String> {
    const UNBIASED: u8 = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    let mut chars = String::with_capacity(len);
    // One draw serves a name of up to about 55 characters.
    let mut bytes = [0; 64];
    while chars.len() < len {
        fill(&mut bytes)?;
        let wanted = len - chars.len();
        chars.extend(
            bytes
                .iter()
                .filter(|&&byte| byte < UNBIASED)
                .take(wanted)
                .map(|&byte| char::from(ALPHABET[usize::from(byte) % ALPHABET.len()])),
        );
    }
    Ok(chars)
}

/// Fills `bytes` from the OS's CSPRNG: on Linux and Android the
/// `getrandom(2)` system call through rustix, which the platform layer
/// already uses (the `getrandom` crate makes the same call through libc, the
/// largest crate a fixtree build would otherwise compile); elsewhere the
/// `getrandom` crate (`getentropy`, `ProcessPrng`, …). A call costs under a
/// microsecond, against the 5–500 of the `mkdir` the name is for.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn fill_random(bytes: &mut [u8]) -> io::Result<()> {
    use rustix::io::Errno;
    use rustix::rand::{GetRandomFlags, getrandom};

    let mut filled = 0;
    while filled < bytes.len() {
        match getrandom(&mut bytes[filled..], GetRandomFlags::empty()) {
            Ok(read) => filled += read,
            Err(Errno::INTR) => {}
            // Kernels before 3.17, and sandboxes that forbid the call.
            Err(Errno::NOSYS | Errno::PERM) => return from_urandom(&mut bytes[filled..]),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn from_urandom(bytes: &mut [u8]) -> io::Result<()> {
    use std::io::Read;
    let urandom = Path::new("/dev/urandom");
    std::fs::File::open(urandom)
        .and_then(|mut file| file.read_exact(bytes))
        .at("read random bytes from", urandom)
}

/// Fills `bytes` from the OS's CSPRNG.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn fill_random(bytes: &mut [u8]) -> io::Result<()> {
    Ok(getrandom::fill(bytes)?)
}

/// Whether `text` could be the random part of a name made with the
/// default length: [`DEFAULT_RAND_LEN`] characters of the alphabet.
pub(crate) fn is_random(text: &str) -> bool {
    text.len() == DEFAULT_RAND_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Calls `create` with fresh random paths in `dir` until one is not taken:
/// `dir` joined with `prefix`, `rand_len` alphanumeric characters from the
/// OS's CSPRNG ([`fill_random`]), then `suffix`.
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
    let taken = |e: &io::Error| matches!(e.kind(), AlreadyExists | io::ErrorKind::AddrInUse);
    for _ in 0..attempts {
        let random = random_chars(rand_len, &mut fill_random).at("draw a random name in", &dir)?;
        let mut name = prefix.to_owned();
        name.push(random);
        name.push(suffix);
        match create(dir.join(name)) {
            Err(e) if attempts > 1 && taken(&e) => {}
            result => return result,
        }
    }
    let error = format!(
        "cannot find a free name in {}: {attempts} random names with prefix {prefix:?} and \
         suffix {suffix:?} were all taken; remove stale entries there or use more random characters",
        dir.display()
    );
    Err(io::Error::new(AlreadyExists, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(len: usize) -> String {
        random_chars(len, &mut fill_random).unwrap()
    }

    #[test]
    fn a_name_is_prefix_random_characters_and_suffix() {
        // Absolute on every platform, as create_unique makes a relative one.
        let dir = &std::env::temp_dir().join("some-dir");
        let name = |prefix: &str, suffix: &str| {
            create_unique(dir, prefix.as_ref(), suffix.as_ref(), DEFAULT_RAND_LEN, Ok).unwrap()
        };
        let path = name("pre.", ".tmp");
        assert_eq!(path.parent(), Some(dir.as_path()));
        let name_text = path.file_name().unwrap().to_str().unwrap();
        let random = name_text
            .strip_prefix("pre.")
            .unwrap()
            .strip_suffix(".tmp")
            .unwrap();
        assert_eq!(random.len(), DEFAULT_RAND_LEN);
        assert!(
            random.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{name_text}"
        );
        // No prefix or suffix: the random characters are the whole name.
        let bare = name("", "");
        assert_eq!(bare.parent(), Some(dir.as_path()));
        assert_eq!(bare.file_name().unwrap().len(), DEFAULT_RAND_LEN);
    }

    #[test]
    fn every_character_is_equally_likely() {
        // 10,000 draws of each character expected (σ ≈ 100): `byte % 62`
        // without redrawing gives the first eight about 12,100 and fails.
        let drawn = random(620_000);
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
            assert!(seen.insert(random(DEFAULT_RAND_LEN)));
        }
    }

    #[test]
    fn each_name_draws_bytes_of_its_own() {
        // A fork test needs `unsafe`; this pins why a child cannot repeat its
        // parent: a name never takes bytes drawn for an earlier one.
        let mut draws = 0;
        let mut fill = |bytes: &mut [u8]| {
            bytes.fill(draws);
            draws += 1;
            Ok(())
        };
        assert_eq!(random_chars(10, &mut fill).unwrap(), "AAAAAAAAAA");
        assert_eq!(random_chars(10, &mut fill).unwrap(), "BBBBBBBBBB");
        // A byte past the last whole alphabet (248 and up) is drawn again.
        let mut draws = [255, 61].into_iter();
        let mut fill = |bytes: &mut [u8]| {
            bytes.fill(draws.next().unwrap());
            Ok(())
        };
        assert_eq!(random_chars(3, &mut fill).unwrap(), "999");
    }
}
