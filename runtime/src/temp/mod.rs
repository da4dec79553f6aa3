//! The `tempfile`-compatible layer: temporary files and directories with
//! tempfile's API, created and removed through the platform layer (`sys`).
//! The fixture and tree layers build on it; it knows nothing of them.

/// Implements `Read`, `Write` and `Seek` for `$ty` (`where F`: generic over
/// `F`, a file of each trait) by calling each method on
/// `$file`, the file of `$this`, with `$room` the bytes a write adds (`None`
/// for the others); an error `$e` of operation `$op` ("read") becomes `$error`.
/// Every method tempfile forwards, so that `read_to_end` is the file's own
/// (sized by its length), not `Read`'s growing loop.
macro_rules! forward_io {
    (
        $ty:ty $(where $f:ident)?,
        |$this:ident, $room:ident| $file:expr, |$e:ident, $op:ident| $error:expr
    ) => {
        forward_io!(@impl Read for $ty, [$($f)?], |$this, $room| $file, |$e, $op| $error, {
            read(buf: &mut [u8]) -> usize: "read", None;
            read_vectored(bufs: &mut [std::io::IoSliceMut<'_>]) -> usize: "read", None;
            read_to_end(buf: &mut Vec<u8>) -> usize: "read", None;
            read_to_string(buf: &mut String) -> usize: "read", None;
            read_exact(buf: &mut [u8]) -> (): "read", None;
        });
        forward_io!(@impl Write for $ty, [$($f)?], |$this, $room| $file, |$e, $op| $error, {
            write(buf: &[u8]) -> usize: "write", Some(buf.len());
            write_vectored(bufs: &[std::io::IoSlice<'_>]) -> usize: "write",
                Some(bufs.iter().map(|b| b.len()).sum());
            write_all(buf: &[u8]) -> (): "write", Some(buf.len());
            flush() -> (): "flush", None;
        });
        forward_io!(@impl Seek for $ty, [$($f)?], |$this, $room| $file, |$e, $op| $error, {
            seek(pos: std::io::SeekFrom) -> u64: "seek in", None;
        });
    };
    (
        @impl $trait:ident for $ty:ty, [$($f:ident)?],
        |$this:ident, $room:ident| $file:expr, |$e:ident, $op:ident| $error:expr,
        { $($method:ident($($arg:ident: $argty:ty),*) -> $ret:ty: $name:literal, $len:expr;)+ }
    ) => {
        impl<$($f: std::io::$trait)?> std::io::$trait for $ty {
            $(fn $method(&mut self $(, $arg: $argty)*) -> std::io::Result<$ret> {
                let $room: Option<usize> = $len;
                let $this = self;
                $file.$method($($arg),*).map_err(|$e| {
                    let $op = $name;
                    $error
                })
            })+
        }
    };
}

/// The conversions, `Display` and `Error` of a persist error, which holds
/// the `error` and hands back in `$field` what was not persisted.
macro_rules! persist_error {
    ($ty:ident $(<$f:ident>)?, $field:ident: $inner:ty, $what:literal) => {
        impl$(<$f>)? From<$ty$(<$f>)?> for std::io::Error {
            fn from(error: $ty$(<$f>)?) -> std::io::Error {
                error.error
            }
        }
        impl$(<$f>)? From<$ty$(<$f>)?> for $inner {
            fn from(error: $ty$(<$f>)?) -> $inner {
                error.$field
            }
        }
        impl$(<$f>)? std::fmt::Display for $ty$(<$f>)? {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!("failed to persist ", $what, ": {}"), self.error)
            }
        }
        impl$(<$f>)? std::error::Error for $ty$(<$f>)? {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                // Displayed above already (see `crate::error`).
                crate::error::displayed_cause(&self.error)
            }
        }
    };
}

mod atomic;
mod builder;
mod dir;
pub mod env;
mod named;
mod spooled;
mod temp_path;
mod unnamed;

pub use atomic::write_atomic;
pub(crate) use atomic::{is_young, named_entries, remove_stale_temps};
pub use builder::Builder;
pub use dir::{TempDir, tempdir, tempdir_in};
pub use named::{NamedTempFile, PersistError};
pub use spooled::{SpooledData, SpooledTempFile, spooled_tempfile, spooled_tempfile_in};
pub use temp_path::{PathPersistError, TempPath};
pub use unnamed::{tempfile, tempfile_in};
