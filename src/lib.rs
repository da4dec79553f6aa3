//! fixtree: file-system test fixtures.
//!
//! Secure temporary files and directories with the API of the
//! [`tempfile`](https://docs.rs/tempfile/3) crate — moving over is
//! `use fixtree as tempfile;` — but stricter: names from a CSPRNG, creation
//! with `O_EXCL|O_NOFOLLOW`, files 0600 and directories 0700 whatever the
//! umask, removal that never follows a symbolic link out of the tree, removes
//! what a test made read-only, and reports what it could not remove.
//!
//! ```
//! use std::io::Write;
//!
//! // A private directory, removed with everything in it on drop.
//! let dir = fixtree::tempdir()?;
//! std::fs::write(dir.path().join("input.csv"), "a,b\n1,2\n")?;
//!
//! // A named file, removed on drop unless persisted.
//! let mut out = fixtree::NamedTempFile::new_in(&dir)?;
//! writeln!(out, "result")?;
//! out.persist(dir.path().join("result.txt"))?;
//!
//! // Replace a file so readers never see half of it.
//! fixtree::write_atomic(dir.path().join("result.txt"), "final\n")?;
//! assert_eq!(std::fs::read_to_string(dir.path().join("result.txt"))?, "final\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! | Python `tempfile` | fixtree |
//! |---|---|
//! | `TemporaryFile()` | [`tempfile()`], [`tempfile_in`] |
//! | `NamedTemporaryFile(delete=…)` | [`NamedTempFile`], [`TempPath`] |
//! | `TemporaryDirectory()` | [`TempDir`], [`tempdir()`], [`tempdir_in`] |
//! | `SpooledTemporaryFile(max_size)` | [`SpooledTempFile`], [`spooled_tempfile`] |
//! | `mkstemp` / `mkdtemp` with prefix, suffix, dir | [`Builder`] |
//! | `gettempdir()` | [`env::temp_dir`], [`env::override_temp_dir`] |
//! | write a temporary file, then `os.replace` | [`write_atomic`] |

pub use fixtree_macros::cases;
pub use fixtree_macros::with_tempdir;
pub use fixtree_macros::{assert_tree, tree};
pub use fixtree_runtime::{
    __private, AsExpectedTree, Builder, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, Expected,
    ExpectedTree, FromTestDir, IntoExpected, KeyError, NamedTempFile, Node, ParseTreeError,
    PathPersistError, PersistError, SpooledData, SpooledTempFile, TempDir, TempPath, TestDir, Tree,
    TreeDiff, TreeError, Txtar, TxtarError, check_tree, copy_snapshot, env, read_snapshot, spec,
    spooled_tempfile, spooled_tempfile_in, tempdir, tempdir_in, tempfile, tempfile_in,
    write_atomic,
};

/// A [`TestDir`] for the running test: named after it, removed when it
/// passes, kept (its path printed) when it fails. `test_dir!("label")` puts
/// the label in the name, for a test that needs several (a project and a
/// config home, say); the label is checked at compile time: 1 to 32 ASCII
/// letters, digits, `_`, `-` or `.`, not starting with `.`.
///
/// In a `#[with_tempdir]` test, the directories made on the test's thread
/// are kept or removed with the test's own, when the test ends — so a test
/// that fails by returning `Err` keeps them all.
///
/// ```
/// let project = fixtree::test_dir!();
/// let home = fixtree::test_dir!("home");
/// std::fs::write(home.path().join(".toolrc"), "verbose = true\n")?;
/// assert_ne!(project.path(), home.path());
/// assert!(home.path().file_name().unwrap().to_str().unwrap().contains("-home."));
/// # Ok::<(), std::io::Error>(())
/// ```
#[macro_export]
macro_rules! test_dir {
    () => {
        $crate::__private::test_dir(::core::module_path!(), ::core::option::Option::None)
    };
    ($label:literal $(,)?) => {
        $crate::__private::test_dir(
            ::core::module_path!(),
            ::core::option::Option::Some({
                const _: () = $crate::__private::check_label($label);
                $label
            }),
        )
    };
}

// The README's examples are compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
