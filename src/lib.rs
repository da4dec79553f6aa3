//! fixtree: file-system test fixtures.
//!
//! A test that touches the file system gets a private directory filled with
//! the files it starts from ([`#[with_tempdir]`](with_tempdir)), states the
//! files it should end with ([`assert_tree!`]) and, when it fails, keeps its
//! directory and prints where. Underneath sits a stricter drop-in for the
//! [`tempfile`](https://docs.rs/tempfile/3) crate.
//!
//! ```toml
//! [dev-dependencies]
//! fixtree = "0.1"
//! ```
//!
//! # 1. A first test
//!
//! `#[with_tempdir]` goes above `#[test]`; the test gets the directory as its
//! parameter (`&Path`, `PathBuf`, [`&TestDir`](TestDir), [`&TempDir`](TempDir)
//! or a type of yours implementing [`FromTestDir`]), filled from an inline
//! spec (`files = { … }`), a snapshot folder (`from = "tests/fixtures/x"`,
//! relative to the crate's `Cargo.toml`), or both:
//!
//! ```no_run
//! use std::path::Path;
//!
//! use fixtree::{assert_tree, with_tempdir};
//!
//! #[with_tempdir(files = { "in.txt" => "hello\n", "config" => { "app.toml" => "upper = true\n" } })]
//! #[test]
//! fn shouts(dir: &Path) -> std::io::Result<()> {
//!     let text = std::fs::read_to_string(dir.join("in.txt"))?;
//!     std::fs::write(dir.join("out.txt"), text.to_uppercase())?;
//!
//!     assert_tree!(dir, {
//!         "in.txt" => any(),
//!         "config" => { .. },
//!         "out.txt" => "HELLO\n",
//!     });
//!     Ok(())
//! }
//! ```
//!
//! Keys are checked when the test compiles: a bad key, a duplicate or a
//! missing `from` folder is a compile error at the offending token. The
//! same spec language builds a [`Tree`] with [`tree!`] and checks a directory
//! with [`assert_tree!`] anywhere, not only in `#[with_tempdir]` tests:
//!
//! ```
//! use fixtree::{assert_tree, tree};
//!
//! let dir = fixtree::tempdir()?;
//! tree! {
//!     "Cargo.toml" => "[package]\nname = \"demo\"\n",
//!     "src" => { "lib.rs" => "pub fn f() {}\n" },
//!     "run.sh" => exec("#!/bin/sh\n"),
//! }
//! .write_to(dir.path())?;
//!
//! assert_tree!(dir, {
//!     "Cargo.toml" => matches("[package]\nname = \"[..]\"\n"),
//!     "src" => { "lib.rs" => contains("pub fn"), .. },
//!     "run.sh" => any(),
//!     "target" => absent(),
//! });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A mismatch panics with every difference, a diff of each changed text
//! file, and the expected tree with what differs changed, ready to paste
//! back into the test (`any()`, matchers that hold and `..` stay as written);
//! [`check_tree`] returns the same report as a [`TreeDiff`] instead.
//!
//! # 2. Snapshot folders and updating them
//!
//! When the expected tree is large, keep it as a folder beside the tests and
//! compare with `assert_tree!(dir, from = "tests/snapshots/report")` (with
//! `ignore = ["*.log", "target/**"]` for what the test may leave). When the
//! output changes on purpose, do not edit the folder by hand:
//!
//! - `FIXTREE_UPDATE=1 cargo test` rewrites (or creates) each folder from the
//!   directory instead of failing; review it with `git diff`;
//! - `FIXTREE_UPDATE=review cargo test` records what each folder would
//!   become beside it (for an inline `{ … }` spec, an edit for each entry
//!   that failed), and `cargo fixtree review` shows each change and accepts
//!   or rejects it; accepting an inline spec changes only the entries that
//!   failed and says which ones it leaves for you (a failing matcher).
//!
//! Both are refused when `CI` is set, so a CI run never rewrites what it
//! checks. [`ExpectedTree::from_snapshot`] is the folder as a value:
//!
//! ```
//! let snapshot = fixtree::tempdir()?;
//! std::fs::write(snapshot.path().join("report.txt"), "3 passed\n")?;
//!
//! let out = fixtree::tempdir()?;
//! std::fs::write(out.path().join("report.txt"), "4 passed\n")?;
//! let expected = fixtree::ExpectedTree::from_snapshot(snapshot.path())?;
//! let diff = fixtree::check_tree(out.path(), &expected).unwrap_err();
//! assert!(diff.to_string().contains("-3 passed\n+4 passed"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # 3. When a test fails, its directory stays
//!
//! A `#[with_tempdir]` test (and each [`test_dir!`] made on its thread) is
//! removed when the test passes. When it panics or returns `Err`, its
//! directory is kept and the output says where:
//!
//! ```text
//! fixtree: kept /tmp/fixtree-0/app.6058e16e/outcomes.panics.TISyUFSFwg for failed test outcomes::panics
//! fixtree: also kept /tmp/fixtree-0/app.6058e16e/outcomes.panics-config.ZIGtAUdSdn (test_dir!("config")) for failed test outcomes::panics
//! ```
//!
//! Directories are named `<module path>.<test>.<random>`, in a folder of
//! their crate (`<package>.<hash>`) under the base directory (`FIXTREE_DIR`,
//! else `fixtree-<uid>` in the system temp dir); at most `FIXTREE_RETAIN`
//! (default 3) are kept per test, and `FIXTREE_KEEP=always` keeps passing
//! tests' too. `cargo fixtree list` lists them with their crate, `cargo
//! fixtree open <test>` prints the path of the test's newest own directory
//! in the current crate (`--label config` for its `test_dir!("config")`),
//! `cargo fixtree clean` removes the current crate's — never one a running
//! test holds. A green run leaves nothing behind.
//!
//! # 4. Temporary files: a stricter `tempfile`
//!
//! The API of the [`tempfile`](https://docs.rs/tempfile/3) crate — moving over
//! is `tempfile = { package = "fixtree", version = "0.1" }` in Cargo.toml —
//! but stricter: names from a CSPRNG, creation
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
//!
//! # More
//!
//! Parametrized tests (`rstest`, `test-case`), golden cases (one test per
//! case folder: [`cases`]), txtar files, the environment variables and the
//! platforms are in the [README](https://github.com/fixtree/fixtree#readme);
//! `examples/` has a runnable program per main use
//! (`cargo run --example quickstart`).

#![warn(missing_docs)]

pub use fixtree_macros::cases;
pub use fixtree_macros::with_tempdir;
pub use fixtree_macros::{assert_tree, tree};
pub use fixtree_runtime::{
    __private, Builder, Case, CheckOptions, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, DiffKind,
    Difference, Expected, ExpectedTree, FromTestDir, IntoExpected, KeyError, LineEndings,
    NamedTempFile, Node, ParseTreeError, PathPersistError, PersistError, SpooledData,
    SpooledTempFile, TempDir, TempPath, TestDir, Tree, TreeDiff, TreeError, TxtarError, check_tree,
    check_tree_with, copy_snapshot, env, spec, spooled_tempfile, spooled_tempfile_in, tempdir,
    tempdir_in, tempfile, tempfile_in, write_atomic,
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
///
/// `files = { … }` fills the directory from a spec, as [`tree!`] takes it
/// (its keys checked at compile time), in the same call; if writing fails,
/// the panic names the directory and the error, at this line.
/// `label = expr` takes a label computed at run time, as for a test's
/// cases, checked then by the same rule: a label that breaks it panics here,
/// naming it.
///
/// ```
/// use fixtree::{assert_tree, test_dir};
///
/// let project = test_dir!(files = { "Cargo.toml" => "[package]\n", "src/lib.rs" => "" });
/// let home = test_dir!("home", files = { ".toolrc" => "verbose = true\n" });
/// assert_tree!(project, { "Cargo.toml" => "[package]\n", "src" => { "lib.rs" => "" } });
///
/// for case in 1..=2 {
///     let dir = test_dir!(label = format!("case{case}"), files = { "in.txt" => "x" });
///     assert!(dir.path().to_str().unwrap().contains(&format!("-case{case}.")));
/// }
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
    (label = $label:expr $(,)?) => {
        $crate::__private::test_dir_labelled(::core::module_path!(), &$label)
    };
    (files = { $($spec:tt)* } $(,)?) => {
        $crate::__private::test_dir_with($crate::test_dir!(), $crate::tree! { $($spec)* })
    };
    ($label:literal, files = { $($spec:tt)* } $(,)?) => {
        $crate::__private::test_dir_with($crate::test_dir!($label), $crate::tree! { $($spec)* })
    };
    (label = $label:expr, files = { $($spec:tt)* } $(,)?) => {
        $crate::__private::test_dir_with(
            $crate::test_dir!(label = $label),
            $crate::tree! { $($spec)* },
        )
    };
    ($($other:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "fixtree::test_dir! takes (), (\"label\") or (label = expr), each with an optional ",
            "files = { … } spec after it: test_dir!(files = { \"a.txt\" => \"x\" }), ",
            "test_dir!(\"home\", files = { … }); found test_dir!(",
            ::core::stringify!($($other)*),
            ")"
        ))
    };
}

// The README's examples are compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
