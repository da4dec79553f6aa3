//! Random bytes from the operating system's CSPRNG, for the random part of
//! names.
//!
//! On Linux and Android the `getrandom(2)` system call, through rustix, which
//! the platform layer already uses: the `getrandom` crate makes the same call
//! but through libc, the largest crate a fixtree build would otherwise compile.
//! Elsewhere the `getrandom` crate (`getentropy`, `ProcessPrng`, …).

use std::io;

/// Fills `bytes` from the OS's CSPRNG.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn fill_random(bytes: &mut [u8]) -> io::Result<()> {
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
    use crate::error::IoResultExt;
    use std::io::Read;
    let urandom = std::path::Path::new("/dev/urandom");
    std::fs::File::open(urandom)
        .and_then(|mut file| file.read_exact(bytes))
        .at("read random bytes from", urandom)
}

/// Fills `bytes` from the OS's CSPRNG.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn fill_random(bytes: &mut [u8]) -> io::Result<()> {
    Ok(getrandom::fill(bytes)?)
}
