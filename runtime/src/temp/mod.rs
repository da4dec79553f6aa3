//! The `tempfile`-compatible layer: temporary files and directories with
//! tempfile's API, created and removed through the platform layer (`sys`).
//! The fixture and tree layers build on it; it knows nothing of them.

mod atomic;
mod builder;
mod dir;
pub mod env;
pub(crate) mod name;
mod named;
mod spooled;
mod temp_path;
mod unnamed;

pub(crate) use atomic::remove_stale_temps;
pub use atomic::write_atomic;
pub use builder::Builder;
pub use dir::{TempDir, tempdir, tempdir_in};
pub use named::{NamedTempFile, PersistError};
pub use spooled::{SpooledData, SpooledTempFile, spooled_tempfile, spooled_tempfile_in};
pub use temp_path::{PathPersistError, TempPath};
pub use unnamed::{tempfile, tempfile_in};
