//! `#[with_tempdir]`: each parameter type, `files = { … }`, `from = "…"` and
//! both, `Result` bodies and early exits, `#[should_panic]`, `#[ignore]`, an
//! explicit test attribute, `async fn` under `#[tokio::test]`. The compile
//! errors are pinned in tests/ui/with_tempdir_*.rs; what happens to a
//! directory after the test (kept, removed, pruned) in tests/fixture.rs.

use std::error::Error;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use core::prelude::v1::test as cargo_test;
use fixtree::{TempDir, assert_tree, with_tempdir};

/// The test's directory exists and lives under fixtree's base.
fn check(dir: &Path) {
    assert!(dir.is_dir(), "{} is not a directory", dir.display());
    assert!(
        dir.to_string_lossy().contains("fixtree"),
        "{} is not under fixtree's base",
        dir.display()
    );
}

#[with_tempdir]
fn path_parameter(dir: &Path) {
    check(dir);
    assert_tree!(dir, {});
    fs::write(dir.join("out.txt"), "done\n").unwrap();
    assert_tree!(dir, { "out.txt" => "done\n" });
}

#[with_tempdir]
fn tempdir_parameter(dir: &TempDir) {
    check(dir.path());
    assert_tree!(dir, {});
}

#[with_tempdir]
fn pathbuf_parameter(mut dir: PathBuf) {
    check(&dir);
    dir.push("sub");
    fs::create_dir(&dir).unwrap();
    assert!(dir.is_dir());
}

#[with_tempdir]
fn each_test_has_its_own_directory(dir: &Path) {
    check(dir);
    let name = dir.file_name().unwrap().to_string_lossy();
    assert!(
        name.contains("each_test_has_its_own_directory"),
        "{name} is named after the test"
    );
}

#[with_tempdir(files = {
    "in.csv" => "a,b\n1,2\n",
    "src" => { "lib.rs" => "pub fn f() {}\n" },
    "src/bin/cli.rs" => "fn main() {}\n",
    "run.sh" => exec("#!/bin/sh\necho hi\n"),
    "data.bin" => b"\x00\xff",
    "empty" => {},
})]
fn files_are_written(dir: &Path) {
    check(dir);
    assert_tree!(dir, {
        "in.csv" => "a,b\n1,2\n",
        "src" => { "lib.rs" => "pub fn f() {}\n", "bin" => { "cli.rs" => "fn main() {}\n" } },
        "run.sh" => exec("#!/bin/sh\necho hi\n"),
        "data.bin" => b"\x00\xff",
        "empty" => {},
    });
}

#[with_tempdir(from = "tests/fixtures/assert_tree_snapshot")]
fn from_copies_the_folder(dir: &Path) {
    check(dir);
    // `empty/.keep` marks an empty directory: it is not copied.
    assert_tree!(dir, {
        "a.txt" => "alpha\n",
        "sub" => { "b.txt" => "beta\n" },
        "empty" => {},
    });
}

#[with_tempdir(
    from = "tests/fixtures/assert_tree_snapshot",
    files = { "a.txt" => "replaced\n", "sub/c.txt" => "gamma\n" },
)]
fn files_go_on_top_of_the_folder(dir: &Path) {
    check(dir);
    assert_tree!(dir, {
        "a.txt" => "replaced\n",
        "sub" => { "b.txt" => "beta\n", "c.txt" => "gamma\n" },
        "empty" => {},
    });
}

// Written in the other order: the folder is still copied first.
#[with_tempdir(files = { "a.txt" => "replaced\n" }, from = "tests/fixtures/assert_tree_snapshot")]
fn the_folder_is_copied_first_whatever_the_order(dir: &Path) {
    check(dir);
    assert_tree!(
        dir,
        from = "tests/fixtures/assert_tree_snapshot",
        ignore = ["a.txt"]
    );
    assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "replaced\n");
}

// A folder (or txtar file) as a value fills that subdirectory, as `from`
// fills the directory; the entries beside it are written too.
#[with_tempdir(files = {
    "crates/sibling" => folder("tests/fixtures/assert_tree_snapshot"),
    "crates/packed" => folder("tests/fixtures/project.txtar"),
    "Cargo.toml" => "[workspace]\n",
})]
fn a_folder_value_fills_its_subdirectory(dir: &Path) {
    check(dir);
    assert_tree!(dir.join("crates/sibling"), {
        "a.txt" => "alpha\n",
        "sub" => { "b.txt" => "beta\n" },
        "empty" => {},
    });
    assert_tree!(
        dir.join("crates/packed"),
        from = "tests/fixtures/project.txtar"
    );
    assert_eq!(
        fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
        "[workspace]\n"
    );
}

/// `copy_snapshot` makes a missing destination and its missing parents,
/// each mode 0o700, and refuses to make one in a symbolic link.
#[cfg(unix)]
#[with_tempdir]
fn copy_snapshot_makes_a_missing_destination_never_in_a_link(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;

    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/assert_tree_snapshot");
    let to = dir.join("crates/sibling");
    fixtree::copy_snapshot(&folder, &to).unwrap();
    assert_tree!(&to, from = "tests/fixtures/assert_tree_snapshot");
    for made in [dir.join("crates"), to] {
        let mode = fs::metadata(&made).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", made.display());
    }

    let elsewhere = fixtree::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.join("link")).unwrap();
    let refused = fixtree::copy_snapshot(&folder, dir.join("link/new")).unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "refusing to create {} in {}: it is a symbolic link; copy into the directory it \
             points to, by its own path",
            dir.join("link/new").display(),
            dir.join("link").display()
        )
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// `copy_snapshot` into a relative destination none of whose directories
/// exist makes them in the current directory, each exactly 0o700 although
/// umask 0o277 takes the owner's write bit; a missing name it cannot make
/// (`..`) makes nothing. In a child: the umask and the current directory are
/// the whole process's.
#[cfg(unix)]
#[cargo_test]
fn copy_snapshot_makes_a_relative_destination_exactly_0700_under_umask_277() {
    use std::os::unix::fs::PermissionsExt;

    let name = "copy_snapshot_makes_a_relative_destination_exactly_0700_under_umask_277";
    if !crate::support::is_child(name) {
        let setup = crate::support::Setup {
            umask: Some(0o277),
            ..Default::default()
        };
        crate::support::run_in_child(name, setup);
        return;
    }
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/assert_tree_snapshot");
    let dir = fixtree::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    fixtree::copy_snapshot(&folder, "made/new").unwrap();
    assert_tree!(
        dir.path().join("made/new"),
        from = "tests/fixtures/assert_tree_snapshot"
    );
    for made in ["made", "made/new"] {
        let mode = fs::metadata(dir.path().join(made))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "{made}");
    }

    // Every missing name is checked before the first directory is made.
    let refused = fixtree::copy_snapshot(&folder, "gone/../elsewhere").unwrap_err();
    assert_eq!(
        refused.to_string(),
        "cannot create gone/..: copy_snapshot makes only missing directories named by one \
         UTF-8 path segment each (no `..`, `\\` or drive); make it first, or give another \
         destination"
    );
    assert!(!dir.path().join("gone").exists());
}

/// The spec's values are evaluated where the test is written; the macro's
/// own locals (`fixture`, `result`) never shadow the user's names.
fn fixture() -> &'static str {
    "the user's fixture()\n"
}

const CONTENT: &str = "from a const\n";

#[with_tempdir(files = { "a.txt" => fixture(), "b.txt" => CONTENT, "c.txt" => String::from("owned\n") })]
fn values_are_the_users_expressions(dir: &Path) {
    check(dir);
    assert_tree!(dir, {
        "a.txt" => "the user's fixture()\n",
        "b.txt" => "from a const\n",
        "c.txt" => "owned\n",
    });
    // Names the body binds are its own too.
    let fixture = dir.join("a.txt");
    let result = fs::read_to_string(&fixture).unwrap();
    assert_eq!(result, "the user's fixture()\n");
}

#[with_tempdir]
fn returns_ok(dir: &Path) -> Result<(), Box<dyn Error>> {
    check(dir);
    fs::write(dir.join("a.txt"), "x")?;
    if fs::read_to_string(dir.join("a.txt"))? == "x" {
        return Ok(()); // an early exit returns from the test's body
    }
    Err("not reached".into())
}

/// Where `on_purpose_exits_early_with_err` ran.
static ERR_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);

#[with_tempdir]
#[ignore = "fails on purpose; run by `an_err_is_the_tests_result`"]
fn on_purpose_exits_early_with_err(dir: &Path) -> io::Result<()> {
    check(dir);
    *ERR_DIR.lock().unwrap() = Some(dir.to_owned());
    fs::read(dir.join("missing.txt"))?;
    panic!("not reached: `?` returns the error");
}

#[test]
fn an_err_is_the_tests_result() {
    // The generated test function returns the body's result unchanged…
    let error = on_purpose_exits_early_with_err().expect_err("the body's `?` returned early");
    assert_eq!(error.kind(), io::ErrorKind::NotFound);
    // …and the fixture saw a failure: by default it keeps the directory.
    let dir = ERR_DIR.lock().unwrap().take().expect("the body ran");
    let keep = std::env::var("FIXTREE_KEEP").unwrap_or_default();
    if keep.is_empty() || keep == "on-failure" {
        assert!(dir.is_dir(), "{} kept for the failed test", dir.display());
    }
    if dir.is_dir() {
        fs::remove_dir_all(&dir).unwrap();
    }
}

#[with_tempdir]
#[should_panic(expected = "the body panicked")]
fn should_panic_still_works(dir: &Path) {
    check(dir);
    panic!("the body panicked in {}", dir.display());
}

#[with_tempdir]
#[ignore = "would fail: shows that #[ignore] is kept"]
fn on_purpose_ignore_is_kept(dir: &Path) {
    check(dir);
    panic!("an ignored test ran");
}

/// A test attribute already there is not added twice (a second `#[test]`
/// would not compile: the harness would register the name twice).
#[with_tempdir]
#[test]
#[allow(clippy::needless_return)]
fn explicit_test_attribute(dir: &Path) {
    #![allow(unused_mut)] // an inner attribute stays with the body
    let mut checked = dir;
    check(checked);
    return;
}

#[with_tempdir]
#[::core::prelude::v1::test]
fn test_attribute_by_path(dir: &Path) {
    check(dir);
}

/// A test attribute of another name ending in `test`, as cargo's
/// `#[cargo_test]` is (here libtest's own, renamed): registered once, where
/// an added `#[test]` made two copies of the test racing in one directory.
#[with_tempdir]
#[cargo_test]
fn an_attribute_ending_in_test_is_the_test_attribute(dir: &Path) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    check(dir);
    assert_eq!(
        RUNS.fetch_add(1, Ordering::SeqCst),
        0,
        "the test runs twice"
    );
}

#[with_tempdir(files = { "in.txt" => "async\n" })]
#[tokio::test]
async fn async_test(dir: &Path) {
    check(dir);
    tokio::task::yield_now().await;
    assert_tree!(dir, { "in.txt" => "async\n" });
}

#[with_tempdir(from = "tests/fixtures/assert_tree_snapshot")]
#[tokio::test(flavor = "current_thread")]
async fn async_test_returning_result(dir: PathBuf) -> Result<(), Box<dyn Error>> {
    check(&dir);
    let text = fs::read_to_string(dir.join("a.txt"))?;
    tokio::task::yield_now().await;
    assert_eq!(text, "alpha\n");
    Ok(())
}

/// The README's first example, word for word: a doc test strips `#[test]`
/// functions, so this is where it runs.
#[with_tempdir(files = {
    "in.csv" => "id,name\n1,alpha\n2,beta\n",
    "config" => { "settings.toml" => "upper = true\n" },
})]
#[test]
fn converts_names_to_upper_case(dir: &Path) -> std::io::Result<()> {
    let input = std::fs::read_to_string(dir.join("in.csv"))?;
    std::fs::write(dir.join("out.csv"), input.to_uppercase())?;

    assert_tree!(dir, {
        "in.csv" => any(),
        "config" => { .. },
        "out.csv" => "ID,NAME\n1,ALPHA\n2,BETA\n",
    });
    Ok(())
}

/// A raw identifier as the test's name: its directory is named as libtest
/// names the test, `r#match`.
#[with_tempdir]
#[test]
fn r#match(dir: &Path) {
    let name = dir.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("it.with_tempdir.r#match."), "{name}");
}

/// A suite's shared tree, as a function.
fn default_project() -> fixtree::Tree {
    fixtree::tree! {
        "Cargo.toml" => "[package]\nname = \"demo\"\n",
        "src" => { "lib.rs" => "pub fn f() {}\n" },
    }
}

/// A suite's shared tree, as a static.
static SHARED: std::sync::LazyLock<fixtree::Tree> =
    std::sync::LazyLock::new(|| fixtree::tree! { "shared.txt" => "shared\n" });

#[with_tempdir(files = default_project())]
fn files_from_a_function(dir: &Path) {
    assert_tree!(dir, {
        "Cargo.toml" => "[package]\nname = \"demo\"\n",
        "src" => { "lib.rs" => "pub fn f() {}\n" },
    });
}

#[with_tempdir(files = SHARED)]
fn files_from_a_static(dir: &Path) {
    assert_tree!(dir, { "shared.txt" => "shared\n" });
}

#[with_tempdir(files = [
    default_project(),
    &*SHARED,
    { "Cargo.toml" => "[workspace]\n", "src" => { "main.rs" => "fn main() {}\n" } },
])]
fn layers_merge_in_order_and_a_later_one_wins(dir: &Path) {
    assert_tree!(dir, {
        "Cargo.toml" => "[workspace]\n",
        "shared.txt" => "shared\n",
        "src" => { "lib.rs" => "pub fn f() {}\n", "main.rs" => "fn main() {}\n" },
    });
}

#[with_tempdir(
    from = "tests/fixtures/assert_tree_snapshot",
    files = [
        { "a.txt" => "from a layer\n", "src" => { "lib.rs" => "" } },
        { "src" => "a file where a layer below had a directory" },
    ]
)]
fn layers_go_on_top_of_the_folder(dir: &Path) {
    assert_tree!(dir, {
        "a.txt" => "from a layer\n",
        "empty" => {},
        "sub" => { "b.txt" => fixtree::spec::any() },
        "src" => "a file where a layer below had a directory",
    });
}
