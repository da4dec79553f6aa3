//! The runtime of [fixtree](https://docs.rs/fixtree): secure temporary files
//! and directories.
//!
//! Depend on `fixtree`, which re-exports everything here; this crate's
//! layout is not a stable interface.

#![warn(missing_docs)]

mod cases;
mod config;
mod error;
mod expect;
mod fixture;
mod hash;
mod locate;
mod sys;
mod temp;
mod tree;
mod walk;

#[doc(hidden)]
pub mod __private;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub mod spec;

pub use cases::Case;
pub use expect::{
    CheckOptions, DiffKind, Difference, Expected, ExpectedTree, IntoExpected, LineEndings,
    TreeDiff, check_tree, check_tree_with,
};
pub use fixture::{FromTestDir, TestDir};
pub use temp::{
    Builder, NamedTempFile, PathPersistError, PersistError, SpooledData, SpooledTempFile, TempDir,
    TempPath, env, spooled_tempfile, spooled_tempfile_in, tempdir, tempdir_in, tempfile,
    tempfile_in, write_atomic,
};
pub use tree::{
    DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, KeyError, Node, ParseTreeError, Tree, TreeError,
    TxtarError, copy_snapshot,
};
