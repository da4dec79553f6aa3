//! `assert_tree!`: its three forms, `..`, the matchers, `ignore`, and that a
//! mismatch panics at the caller's line. The compile errors are pinned in
//! tests/ui.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fixtree::spec::contains;
use fixtree::{ExpectedTree, TempDir, Tree, assert_tree, tree};

/// A directory holding `tree`.
fn dir_with(tree: Tree) -> TempDir {
    let dir = fixtree::tempdir().expect("tempdir");
    tree.write_to(dir.path()).expect("write_to");
    dir
}

fn project() -> TempDir {
    dir_with(tree! {
        "Cargo.toml" => "[package]\nname = \"demo\"\nversion = \"0.3.1\"\n",
        "src" => { "lib.rs" => "pub fn f() {}\n" },
        "out.json" => "{\"ok\":true}\n",
        "logs" => { "run.log" => "started\ndone\n", "debug.log" => "noise\n" },
        "cache" => { "blob" => b"\x00\x01" },
        "run.sh" => exec("#!/bin/sh\n"),
        "empty" => {},
    })
}

#[test]
fn exact_match_passes() {
    let dir = dir_with(tree! {
        "a.txt" => "alpha\n",
        "src" => { "lib.rs" => "pub fn f() {}\n", "bin/cli.rs" => "fn main() {}\n" },
        "data.bin" => b"\x00\xff",
        "empty" => {},
    });
    assert_tree!(dir, {
        "a.txt" => "alpha\n",
        "src/bin/cli.rs" => "fn main() {}\n",
        "src" => { "lib.rs" => "pub fn f() {}\n" },
        "data.bin" => b"\x00\xff",
        "empty" => {},
    });
}

#[test]
fn any_directory_argument() {
    let dir = dir_with(tree! { "a" => "x" });
    let path: &Path = dir.path();
    let buf: PathBuf = dir.path().to_path_buf();
    assert_tree!(dir, { "a" => "x" });
    assert_tree!(&dir, { "a" => "x" });
    assert_tree!(dir.path(), { "a" => "x" });
    assert_tree!(path, { "a" => "x" });
    assert_tree!(buf, { "a" => "x" });
    // Borrowed, not moved: still usable.
    assert!(buf.exists() && dir.path().exists());
}

#[test]
fn rest_allows_other_entries_where_it_stands() {
    let dir = project();
    assert_tree!(dir, {
        "out.json" => "{\"ok\":true}\n",
        "logs" => { "run.log" => "started\ndone\n", .. },
        ..
    });
    assert_tree!(dir, { .. });
    assert_tree!(dir, { "logs" => { .. }, .. });
}

#[test]
fn matchers() {
    let dir = project();
    assert_tree!(dir, {
        "Cargo.toml" => matches("[package]\n...\nversion = \"[..]\"\n"),
        "src" => any(),
        "out.json" => contains("\"ok\":true"),
        "logs" => { "run.log" => contains("done"), "debug.log" => any() },
        "cache" => any(),
        "run.sh" => exec("#!/bin/sh\n"),
        "empty" => {},
        "tmp.lock" => absent(),
    });
}

#[test]
fn modes_are_checked_where_given() {
    let dir = dir_with(tree! {
        "key.pem" => mode(0o600, "secret"),
        "run.sh" => exec("#!/bin/sh\n"),
        "plain" => "text",
    });
    assert_tree!(dir, {
        "key.pem" => mode(0o600, "secret"),
        "run.sh" => mode(0o755, "#!/bin/sh\n"),
        "plain" => mode(0o644, "text"),
    });
}

#[cfg(unix)]
#[test]
#[should_panic(expected = "tree mismatch")]
fn a_wrong_mode_panics() {
    let dir = dir_with(tree! { "key.pem" => mode(0o644, "secret") });
    assert_tree!(dir, { "key.pem" => mode(0o600, "secret") });
}

#[cfg(unix)]
#[test]
fn symlinks() {
    let dir = dir_with(tree! { "target.txt" => "x", "link" => symlink("target.txt") });
    assert_tree!(dir, { "target.txt" => "x", "link" => symlink("target.txt") });
}

#[test]
fn a_tree_or_expected_tree_value() {
    let dir = dir_with(tree! { "a/b.txt" => "x", "c" => "y" });
    let expected = tree! { "a/b.txt" => "x", "c" => "y" };
    assert_tree!(dir, &expected);
    assert_tree!(dir, expected.clone());
    assert_tree!(dir, ExpectedTree::from(expected));
    let loose = ExpectedTree::new()
        .with("a/b.txt", contains("x"))
        .unwrap()
        .allow_others();
    assert_tree!(dir, loose);
    assert_tree!(dir, tree! { "c" => "y" }, ignore = ["a/**", "a"],);
}

#[test]
fn ignore_leaves_paths_out() {
    let dir = project();
    assert_tree!(
        dir,
        {
            "Cargo.toml" => any(),
            "src" => any(),
            "out.json" => any(),
            "run.sh" => any(),
            "empty" => {},
        },
        ignore = ["logs", "logs/**", "cache/**", "cache"],
    );
    assert_tree!(dir, { .. }, ignore = []);
}

#[test]
fn from_a_snapshot_folder() {
    // The same content as tests/fixtures/assert_tree_snapshot, whose `empty`
    // holds only a `.keep` marker (git keeps no empty directories).
    let copy = dir_with(tree! {
        "a.txt" => "alpha\n",
        "sub" => { "b.txt" => "beta\n" },
        "empty" => {},
    });
    assert_tree!(copy, from = "tests/fixtures/assert_tree_snapshot");
    assert_tree!(copy.path(), from = "tests/fixtures/assert_tree_snapshot",);

    std::fs::write(copy.path().join("extra.log"), "x").unwrap();
    assert_tree!(
        copy,
        from = "tests/fixtures/assert_tree_snapshot",
        ignore = ["*.log"]
    );
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn from_a_snapshot_folder_mismatch_panics() {
    let copy = dir_with(tree! {
        "a.txt" => "ALPHA\n",
        "sub" => { "b.txt" => "beta\n" },
        "empty" => {},
    });
    assert_tree!(copy, from = "tests/fixtures/assert_tree_snapshot");
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_missing_file_panics() {
    let dir = dir_with(tree! { "a" => "x" });
    assert_tree!(dir, { "a" => "x", "b" => "y" });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn an_unexpected_file_panics() {
    let dir = dir_with(tree! { "a" => "x", "b" => "y" });
    assert_tree!(dir, { "a" => "x" });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn rest_in_a_directory_does_not_open_its_parent() {
    let dir = dir_with(tree! { "logs/a" => "x", "other" => "y" });
    assert_tree!(dir, { "logs" => { .. } });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn changed_content_panics() {
    let dir = dir_with(tree! { "a" => "x" });
    assert_tree!(dir, { "a" => "y" });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_file_where_a_directory_is_expected_panics() {
    let dir = dir_with(tree! { "a" => "x" });
    assert_tree!(dir, { "a" => {} });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_failing_contains_panics() {
    let dir = dir_with(tree! { "log" => "started\n" });
    assert_tree!(dir, { "log" => contains("done") });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_failing_pattern_panics() {
    let dir = dir_with(tree! { "v" => "version = 1\n" });
    assert_tree!(dir, { "v" => matches("version = [..]\nextra\n") });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_present_absent_entry_panics() {
    let dir = dir_with(tree! { "tmp.lock" => "" });
    assert_tree!(dir, { "tmp.lock" => absent() });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_missing_any_entry_panics() {
    let dir = dir_with(tree! {});
    assert_tree!(dir, { "cache" => any() });
}

#[test]
#[should_panic(expected = "tree mismatch")]
fn a_tree_value_mismatch_panics() {
    let dir = dir_with(tree! { "a" => "x" });
    assert_tree!(dir, tree! { "a" => "x", "b" => {} });
}

#[test]
fn values_are_evaluated_once_after_the_directory() {
    let order = std::cell::RefCell::new(Vec::new());
    let note = |n: u32, text: &'static str| {
        order.borrow_mut().push(n);
        text
    };
    let dir = dir_with(tree! { "a" => "x", "b/c" => "y" });
    assert_tree!(
        {
            order.borrow_mut().push(0);
            dir.path()
        },
        { "b/c" => note(1, "y"), "a" => note(2, "x") }
    );
    assert_eq!(*order.borrow(), [0, 1, 2]);
}

thread_local! {
    static PANIC_LOCATION: Cell<Option<(&'static str, u32)>> = const { Cell::new(None) };
}

/// Where `f` panicked, as the panic hook saw it. The hook is the whole
/// process's, and other tests of this binary panic meanwhile: it is set once,
/// notes the location for the panicking thread and hands on to the hook it
/// replaced.
pub(crate) fn panic_location(f: impl FnOnce()) -> Option<(&'static str, u32)> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Some(location) = info.location() {
                let file: &'static str = Box::leak(location.file().to_owned().into_boxed_str());
                PANIC_LOCATION.with(|cell| cell.set(Some((file, location.line()))));
            }
            previous(info);
        }));
    });
    PANIC_LOCATION.with(|location| location.set(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    assert!(result.is_err(), "expected a panic");
    PANIC_LOCATION.with(Cell::get)
}

#[test]
fn a_mismatch_panics_at_the_callers_line() {
    let dir = dir_with(tree! { "a" => "x" });
    let spec_line = line!() + 1;
    let spec = panic_location(|| assert_tree!(dir, { "a" => "changed" }));
    let value_line = line!() + 1;
    let value = panic_location(|| assert_tree!(dir, tree! { "b" => "y" }));
    let from_line = line!() + 1;
    let from = panic_location(|| assert_tree!(dir, from = "tests/fixtures/assert_tree_snapshot"));

    assert_eq!(spec, Some((file!(), spec_line)));
    assert_eq!(value, Some((file!(), value_line)));
    assert_eq!(from, Some((file!(), from_line)));
}

#[test]
fn macro_internal_names_never_meet_the_users() {
    let actual = "x";
    let value_0 = "y";
    let dir = dir_with(tree! { "a" => "x", "b" => "y" });
    assert_tree!(dir, { "a" => actual, "b" => value_0 });
}
