//! `from = "./…"`: snapshot folders beside the test's source file, as a
//! suite of golden cases keeps them, named without the crate's path. The
//! folder is checked when the test runs (a proc macro cannot learn the
//! source file's place on the MSRV), with the compile-time check's text.

use std::path::Path;

use fixtree::__private::{Fixture, SnapshotFolder};
use fixtree::{assert_tree, tree, with_tempdir};

use crate::assert_tree_macro::panic_location;

#[with_tempdir(from = "./fixtures/project")]
#[test]
fn a_fixture_and_a_snapshot_beside_the_source_file(dir: &Path) {
    assert_tree!(dir, { "input.txt" => "hello\n" });
    std::fs::write(dir.join("out.txt"), "shouted: HELLO\n").unwrap();
    assert_tree!(dir, from = "./snapshots/report", ..);
    // The same folder, named from the crate's directory.
    assert_tree!(dir, from = "tests/it/beside/snapshots/report", ..);
}

#[test]
fn a_misspelt_folder_beside_the_source_file_is_an_error_at_the_test() {
    let dir = crate::support::dir_with(&tree! { "out.txt" => "shouted: HELLO\n" });
    let line = line!() + 1;
    let location = panic_location(|| assert_tree!(dir, from = "./snapshot/report"));
    assert_eq!(location, Some((file!(), line)));
    let message = panic_message(|| assert_tree!(dir, from = "./snapshot/report"));
    assert_eq!(
        message,
        "fixtree: snapshot folder \"./snapshot/report\" not found: no folder ./snapshot, \
         but ./snapshots is: did you mean \"./snapshots/report\"?"
    );
}

#[test]
fn a_missing_input_folder_beside_the_source_file_is_an_error_at_the_test() {
    let fixture = Fixture::new(module_path!(), "missing_input", false);
    let folder = SnapshotFolder {
        written: "./fixtures/none",
        source: file!(),
        manifest_dir: env!("CARGO_MANIFEST_DIR"),
        package: env!("CARGO_PKG_NAME"),
        subset: false,
    };
    let line = line!() + 1;
    let location = panic_location(|| fixture.copy_from(folder));
    assert_eq!(location, Some((file!(), line)));
    assert_eq!(
        panic_message(|| fixture.copy_from(folder)),
        "fixtree: snapshot folder \"./fixtures/none\" not found (a `./` path is relative to \
         the folder of the test's source file); create it, holding the files the test starts with"
    );
}

/// What `f` panics with.
fn panic_message(f: impl FnOnce()) -> String {
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_err();
    *panic.downcast::<String>().expect("a formatted message")
}
