//! Procedural macros of [fixtree](https://docs.rs/fixtree): `tree!`,
//! `assert_tree!`, `#[with_tempdir]` and `#[cases]`.
//!
//! Depend on `fixtree`, not on this crate: the code these macros generate names
//! only `::fixtree::__private`, so the facade is the one dependency a user needs.
//!
//! All three read the same spec language: `"key" => value` entries separated
//! by commas, where a key is a string literal (a relative `/`-separated path)
//! and a value is `{ … }` for a directory or any expression for a file or link.
//! Keys are checked at compile time — bad keys, duplicates and a path that is
//! both a file and a directory are compile errors on the key — and every
//! mistake of a call is reported in one compile.
//!
//! ```
//! use fixtree::{assert_tree, tree};
//!
//! let dir = fixtree::tempdir()?;
//! tree! { "src" => { "lib.rs" => "pub fn f() {}\n" } }.write_to(dir.path())?;
//! assert_tree!(dir, { "src/lib.rs" => contains("pub fn") });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod assert_tree;
mod cases;
mod crate_name;
mod errors;
mod folder;
mod function;
mod options;
mod spec;
mod target;
mod with_tempdir;

use proc_macro::TokenStream;

/// A [`fixtree::Tree`] written as a spec: files, directories and links under
/// relative names.
///
/// ```
/// use fixtree::{Node, tree};
///
/// let readme = String::from("# demo\n");
/// let tree = tree! {
///     "Cargo.toml" => "[package]\nname = \"demo\"\n",    // text
///     "README.md" => readme,                              // any String, &str, bytes…
///     "src" => { "lib.rs" => "pub fn f() {}\n" },         // a directory
///     "src/bin/cli.rs" => "fn main() {}\n",               // a path makes its parents
///     "empty" => {},                                      // an empty directory
///     "logo.bin" => b"\x89PNG",                           // bytes, e.g. include_bytes!(..)
///     "run.sh" => exec("#!/bin/sh\necho hi\n"),           // mode 0755
///     "key.pem" => mode(0o600, "secret"),                 // any mode
///     "latest" => symlink("src/lib.rs"),                  // a symbolic link
/// };
/// assert_eq!(tree.get("src/bin/cli.rs"), Some(&Node::file("fn main() {}\n")));
/// assert!(matches!(tree.get("src"), Some(Node::Dir(src)) if src.len() == 2));
///
/// let dir = fixtree::tempdir()?;
/// tree.write_to(dir.path())?;
/// assert_eq!(std::fs::read_to_string(dir.path().join("README.md"))?, "# demo\n");
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// - A **key** is a string literal naming the same file on every platform:
///   relative, `/`-separated, without empty, `.` or `..` segments, NUL
///   bytes, `\` or a drive prefix (`C:`). Compiled for Windows, a key also
///   names no device (`CON`, `NUL.txt`, `COM1`), ends no segment in a dot
///   or a space, and holds none of `<>:"|?*` or control characters. Keys
///   inside `"dir" => { … }` are relative to `dir`; `"a/b" => …` and
///   `"a" => { … }` merge into one `a`. A bad key, a path given twice, or a
///   path that is both a file and a directory is a compile error on the key.
/// - A **value** is `{ … }` (a directory, always: a `{` starting a value opens
///   a nested spec) or any expression whose type implements
///   [`fixtree::spec::IntoNode`]: `&str`, `String`, `&[u8]`, `Vec<u8>`,
///   `&[u8; N]`, a `Node`, a `Tree`. Values are evaluated once each, in the
///   order they are written.
/// - The helpers of [`fixtree::spec`] — `exec(..)`, `mode(..)`, `symlink(..)` —
///   need no import inside a value. Only a helper *called by name* is brought
///   into scope, so a local variable named `exec` or `any` that a value uses
///   as a value is still that variable.
/// - Matchers (`contains(..)`, `any()`, …) describe expected files: in `tree!`
///   they are a type error; use them in [`assert_tree!`].
/// - `tree! {}` is the empty tree.
///
/// [`fixtree::Tree`]: https://docs.rs/fixtree/latest/fixtree/struct.Tree.html
/// [`fixtree::spec::IntoNode`]: https://docs.rs/fixtree/latest/fixtree/spec/trait.IntoNode.html
/// [`fixtree::spec`]: https://docs.rs/fixtree/latest/fixtree/spec/index.html
#[proc_macro]
pub fn tree(input: TokenStream) -> TokenStream {
    spec::tree(input.into()).into()
}

/// Asserts that a directory holds exactly what is expected, and on failure
/// panics with a diff of the two trees, at the caller's line.
///
/// ```
/// use fixtree::{assert_tree, tree};
///
/// let dir = fixtree::tempdir()?;
/// std::fs::create_dir_all(dir.path().join("logs"))?;
/// std::fs::write(dir.path().join("out.json"), "{\"ok\":true}\n")?;
/// std::fs::write(dir.path().join("logs/run.log"), "started\ndone\n")?;
/// std::fs::write(dir.path().join("logs/debug.log"), "…")?;
/// std::fs::create_dir(dir.path().join("cache"))?;
///
/// assert_tree!(dir, {
///     "out.json" => "{\"ok\":true}\n",
///     "logs" => { "run.log" => contains("done"), .. },   // `..`: other entries allowed here
///     "cache" => any(),                                  // exists, any content
///     "tmp.lock" => absent(),
/// });
///
/// // A `Tree` (or `&Tree`, or an `ExpectedTree`) is expected exactly.
/// let expected = tree! { "out.json" => "{\"ok\":true}\n" };
/// assert_tree!(dir, expected, ignore = ["logs/**", "cache"]);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// The forms, each optionally followed by `, ignore = ["glob", …]` (globs of
/// paths relative to the directory, left out of the comparison), and
/// `from = "…"` also by `, line_endings = "exact"`:
///
/// - `assert_tree!(dir, { … })`: a spec, as in [`tree!`], where values may
///   also be the matchers of `fixtree::spec` — `contains("text")`,
///   `matches("pattern with [..]")`, `any()`, `absent()` — and a level may
///   end with `..` to allow entries it does not name. Matching is exact
///   otherwise: kind, content, and the mode where one is given.
/// - `assert_tree!(dir, expected)`: any expression converting into an
///   `ExpectedTree`: a `Tree`, a `&Tree`, an `ExpectedTree`.
/// - `assert_tree!(dir, from = "tests/snapshots/name")`: the content of a
///   snapshot folder, relative to the crate's `CARGO_MANIFEST_DIR`. It is read
///   when the test runs, so editing it needs no rebuild, and
///   `FIXTREE_UPDATE=1 cargo test` rewrites it from the directory instead of
///   failing (`FIXTREE_UPDATE=review` records the change as
///   `<folder>.pending/` for `cargo fixtree review`). A folder that does not
///   exist yet compiles if its parent does — the test then fails until
///   update or review mode makes it — so that a new snapshot needs no manual
///   step; a missing parent is a compile error, and so is a missing name
///   within two letters of an existing sibling folder's (`did you mean …?`),
///   which guards against a mistyped path: create the empty folder to say a
///   close name is meant. Only what git keeps is compared: whether a file is executable,
///   not its whole mode; and since git on Windows checks text out with CRLF,
///   CRLF and LF are the same in text files (UTF-8 without NUL bytes) unless
///   `line_endings = "exact"` is given. Update mode rewrites a file only if
///   it differs by that measure, with the test's bytes. It is looked up in the test process's `CARGO_MANIFEST_DIR`
///   (set by cargo and cargo-nextest), so a test built elsewhere — a
///   `cargo nextest archive` run with `--workspace-remap` — reads, and
///   updates, the folder of the checkout it runs in.
/// - `from = "./cases/add"`: a folder beside the test's source file (only a
///   leading `./`; no other `.` or `..`). It is checked when the test runs,
///   with the same messages, panicking at the test's line.
/// - `assert_tree!(dir, from = "…", ..)`: a last `..` compares only the paths
///   the folder holds, at every level (snapbox's `subset_matches`); update
///   and review mode then rewrite and remove what it holds, and never add a
///   file to it.
///
/// `dir` is anything that is `AsRef<Path>` (a `TempDir`, `&Path`, `PathBuf`),
/// borrowed, not moved; it is evaluated first, then the values in the order
/// they are written.
///
/// ```should_panic
/// let dir = fixtree::tempdir().unwrap();
/// std::fs::write(dir.path().join("out.txt"), "old\n").unwrap();
/// fixtree::assert_tree!(dir, { "out.txt" => "new\n" }); // panics: "tree mismatch: …"
/// ```
#[proc_macro]
pub fn assert_tree(input: TokenStream) -> TokenStream {
    assert_tree::assert_tree(input.into()).into()
}

/// Runs a test in a fresh directory of its own, passed as the function's
/// parameter: empty, or filled from a snapshot folder and/or a spec. The
/// directory is removed when the test passes and kept, with its path printed,
/// when it fails.
///
/// ```
/// use std::error::Error;
/// use std::path::Path;
///
/// use fixtree::{TempDir, assert_tree, with_tempdir};
///
/// #[with_tempdir]                                          // an empty directory
/// #[test]
/// fn creates_config(dir: &Path) {
///     std::fs::write(dir.join("app.toml"), "debug = true\n").unwrap();
///     assert_tree!(dir, { "app.toml" => "debug = true\n" });
/// }
///
/// #[with_tempdir(files = { "in.csv" => "a,b\n1,2\n" })]   // files, as in tree!
/// #[test]
/// fn converts(dir: &TempDir) -> Result<(), Box<dyn Error>> {
///     let input = std::fs::read_to_string(dir.path().join("in.csv"))?;
///     assert_eq!(input.lines().count(), 2);
///     Ok(())
/// }
/// # fn main() {}
/// ```
///
/// With a snapshot folder (this one needs `tests/fixtures/project` in your
/// crate), and `async` (this one needs tokio's `macros` and `rt` features):
///
/// ```ignore
/// #[with_tempdir(from = "tests/fixtures/project")]        // a folder, copied
/// #[test]
/// fn builds(dir: PathBuf) {
///     assert!(dir.join("Cargo.toml").is_file());
/// }
///
/// #[with_tempdir(from = "tests/fixtures/project", files = { "extra.txt" => "x" })]
/// #[tokio::test]                                          // async: the runtime's attribute
/// async fn async_too(dir: &Path) {
///     assert!(dir.join("extra.txt").is_file());
/// }
/// ```
///
/// - **Where it goes**: above the test attribute. Write `#[test]` (or
///   `#[tokio::test]`, …) on the line below `#[with_tempdir]`: rustc expands
///   `#[test]` before anything under it and rejects a test with a parameter,
///   and editors show their "Run test" action only next to an attribute
///   whose path starts or ends with `test`. Without a test attribute,
///   `#[with_tempdir]` adds `#[test]` itself; it never adds one when
///   an attribute whose name ends in `test` (`#[test]`, `#[tokio::test]`,
///   `#[async_std::test]`, `#[test_log::test]`, cargo's `#[cargo_test]`, …)
///   is there, so a test never runs twice.
/// - **Arguments**, each optional, in either order:
///   - `from = "folder"`: a snapshot folder relative to the crate's
///     `CARGO_MANIFEST_DIR`, or a txtar file (`"….txtar"`, many files in
///     one), copied in first (file modes, empty directories and symbolic
///     links as links are kept; a directory holding only a `.keep` file
///     counts as empty). It must exist when the test compiles — a missing
///     one is a compile error on the string — and is read when the test
///     runs, from the checkout it runs in (the test process's
///     `CARGO_MANIFEST_DIR`), so editing it needs no rebuild and an archived
///     test binary finds it on another machine. `from = "./…"` names one
///     beside the test's source file, checked when the test runs.
///   - `files = { … }`: a spec, as in [`tree!`], written on top. Its keys are
///     checked at compile time; its values are evaluated when the test
///     starts, where the function is written. `files = expr` takes any
///     expression yielding a `Tree` or `&Tree` (a suite's shared tree), and
///     `files = [a, { … }, …]` a list of both, merged in order, a later one
///     winning on a path both name. In a later layer, `"path" => absent()`
///     removes what the layers before made (`files = [base(), {
///     "Cargo.lock" => absent() }]`); a path none made is an error at the
///     test, and `absent()` anywhere else a tree is made is a compile error.
/// - **The directory parameter**: `&Path`, `PathBuf`, `&TestDir`, `&TempDir`,
///   or any type implementing `fixtree::FromTestDir` (a suite's helper type),
///   named (`dir`, `mut dir`) or `_`. Another type is a compile error on the
///   type that lists these. With several parameters it is the one marked
///   `#[dir]`, else the only one of those four types.
/// - **Parametrized tests**: put `#[with_tempdir]` *above* `#[rstest]` or
///   `#[test_case(…)]`: they supply the other parameters (and may choose
///   generic ones), and each case gets its own directory, named after the
///   case. Below them, `#[with_tempdir]` would see each generated case,
///   which has no parameters: that is a compile error saying to move it up.
/// - **The function**: not `const`, `unsafe` or a method, and generic only
///   under a parametrizing attribute. It may return `()` or any `Result`
///   and use `?` and `return`: it stays a function, nested in the test the
///   harness runs. It may be `async` below its runtime's test attribute. Its
///   other attributes — `#[ignore]`, `#[should_panic]`, doc comments,
///   `#[allow(…)]`, `#[cfg(…)]` — apply to that test.
/// - **Failure**: a test fails when it panics (unless `#[should_panic]`) or
///   returns `Err`. Then its directory is kept (`FIXTREE_KEEP=on-failure`,
///   the default; `always` and `never` are the other settings) and the test's
///   output says `fixtree: kept <path> for failed test <module::name>`.
///   Directories live under one base, `FIXTREE_DIR` if set, named
///   `<module>.<test>[.<case>].<random>`; a test's older kept directories are
///   pruned when it runs again. Directories the test makes with
///   `fixtree::test_dir!` are kept or removed with it.
///
/// Every mistake in the arguments or the function is reported in one compile,
/// on the token at fault.
// The example shows where `#[test]` goes; in a doctest it only compiles.
#[allow(clippy::test_attr_in_doctest)]
#[proc_macro_attribute]
pub fn with_tempdir(args: TokenStream, item: TokenStream) -> TokenStream {
    with_tempdir::with_tempdir(args.into(), item.into()).into()
}

/// Golden cases: one test per case folder. Each case folder holds `input/`,
/// the files its test starts with, and `expected/`, what the test's
/// directory must hold when the function returns. A new case needs only its
/// input: `FIXTREE_UPDATE=1 cargo test` writes its `expected/`.
///
/// ```no_run
/// // tests/cases/shout/input/greeting.txt, tests/cases/shout/expected/greeting.txt, …
/// # // (this crate's own tests/cases/shout holds that case, so that the example compiles)
/// use std::path::Path;
///
/// #[fixtree::cases("tests/cases/*")]
/// fn converts(dir: &Path) {
///     let text = std::fs::read_to_string(dir.join("greeting.txt")).unwrap();
///     std::fs::write(dir.join("greeting.txt"), text.to_uppercase()).unwrap();
/// }
/// // `cargo test -- --list` shows converts::shout, one test per case folder,
/// // and converts::__case_folders_unchanged; `cargo test converts::shout`
/// // runs one case.
/// ```
///
/// - **The pattern**, relative to the crate's `CARGO_MANIFEST_DIR`: a
///   folder, then a last segment where `*` and `?` are wildcards
///   (`tests/cases/*`, `tests/golden/json-*`). Folders starting with `.` are
///   left out, as are files. It must match at least one folder, and each
///   must hold `input/` (with a `.keep` file if it is to be empty): both are
///   compile errors on the pattern otherwise.
/// - **Each case** is a test named after its folder, in a module named after
///   the function: `converts::shout`. A character that cannot be in a Rust
///   name becomes `_` (`upper-ascii` is `upper_ascii`), a leading digit gets
///   `case_` before it; two folders making one name are a compile error
///   naming both. The test runs in a fresh directory (as `#[with_tempdir]`'s,
///   named after the case, kept when it fails), copies `input/` in, calls the
///   function, and — unless it panicked or returned `Err` — compares the
///   directory with `expected/` as `assert_tree!(dir, from = …)` does:
///   the same report, CRLF and LF alike in text files, `.keep` markers, and
///   `FIXTREE_UPDATE=1` rewriting `expected/`, or creating it when missing
///   (never in CI). A failing case's output names the case, its `input/` and
///   `expected/` folders and the directory it kept.
/// - **Adding or removing a case folder**: cargo compiles a test again when
///   its source changes, not when a folder does. So the module also holds
///   `__case_folders_unchanged`, which lists the folders when the tests run
///   and fails, naming each one added or removed since the test was
///   compiled, until `touch tests/your_test.rs` makes cargo compile it again.
///   A removed case's own test fails too, naming its folder. A build script
///   printing `cargo::rerun-if-changed=tests/cases` has cargo do it, at the
///   cost of compiling the crate again whenever a case's files change.
/// - **The function** follows the rules of [`with_tempdir`]'s: one
///   directory parameter (`&Path`, `PathBuf`, `&TestDir`, `&TempDir`, or
///   `#[dir]` of a `FromTestDir` type), returning `()` or a `Result`, and
///   may take `case: &fixtree::Case` too: the case running, its name, its
///   folder and the files in it (per-case arguments beside `input/`). Each
///   case gets `#[test]`, or the function's own test attribute (one whose name
///   ends in `test`: `#[tokio::test]` for an `async fn`, `#[cargo_test]`);
///   `#[ignore]` applies to every case.
/// - **Options** may follow the pattern: `input = "in"` and `expected = "out"`
///   name the two folders of every case (snapbox's `in/` and `out/`);
///   `subset` compares only the paths the expected folder holds, as
///   `assert_tree!(dir, from = "…", ..)` does; `ignore = ["*.log"]` leaves
///   paths out: `#[cases("tests/cmd/*", input = "in", expected = "out", subset)]`.
/// - Case folders are read when the tests run, from the test process's
///   `CARGO_MANIFEST_DIR`, as snapshot folders are: editing a case's files
///   needs no rebuild, and an archived test binary finds them in the
///   checkout it runs in.
#[proc_macro_attribute]
pub fn cases(args: TokenStream, item: TokenStream) -> TokenStream {
    cases::cases(args.into(), item.into()).into()
}
