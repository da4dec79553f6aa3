//! Snapshot folders, read when the tests run. tests/e2e.rs builds these
//! into a nextest archive, then runs it in another checkout of this crate,
//! with the one they were built in gone.

use std::fs;
use std::path::Path;

use fixtree::{assert_tree, with_tempdir};

#[with_tempdir(from = "tests/fixtures/names")]
#[test]
fn starts_from_a_fixture_folder(dir: &Path) {
    assert_tree!(dir, { "names.txt" => "alpha\nbeta\n" });
}

#[with_tempdir(files = { "names.txt" => "alpha\nbeta\n" })]
#[test]
fn ends_as_a_snapshot_folder(dir: &Path) {
    let names = fs::read_to_string(dir.join("names.txt")).unwrap();
    fs::write(dir.join("upper.txt"), names.to_uppercase()).unwrap();
    assert_tree!(dir, from = "tests/snapshots/upper");
}
