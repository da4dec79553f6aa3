//! The runtime of [fixtree](https://docs.rs/fixtree): secure temporary files
//! and directories.
//!
//! Depend on `fixtree`, which re-exports everything here; this crate's
//! layout is not a stable interface.

mod atomic;
mod builder;
mod dir;
mod error;
mod expect;
mod fixture;
mod hash;
mod name;
mod named;
mod spooled;
mod sys;
mod temp_path;
mod tree;
mod unnamed;

#[doc(hidden)]
pub mod __private;
pub mod env;
pub mod spec;

pub use atomic::write_atomic;
pub use builder::Builder;
pub use dir::{TempDir, tempdir, tempdir_in};
pub use expect::{Expected, ExpectedTree, IntoExpected, TreeDiff, check_tree};
pub use named::{NamedTempFile, PersistError};
pub use spooled::{SpooledData, SpooledTempFile, spooled_tempfile, spooled_tempfile_in};
pub use temp_path::{PathPersistError, TempPath};
pub use tree::{
    DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, KeyError, Node, ParseTreeError, Tree, TreeError,
    copy_snapshot, read_snapshot,
};
pub use unnamed::{tempfile, tempfile_in};
