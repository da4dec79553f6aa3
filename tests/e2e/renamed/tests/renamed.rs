//! Every macro, with fixtree known as `tempfile` in Cargo.toml.

use std::path::Path;

use tempfile::{assert_tree, tree, with_tempdir};

#[with_tempdir(files = { "a.txt" => "x", "bin" => { "run" => exec("#!/bin/sh\n") } })]
fn files_and_assertions(dir: &Path) {
    assert_tree!(dir, { "a.txt" => "x", "bin/run" => contains("#!") });
    let more = tree! { "b.txt" => "y" };
    more.write_to(dir.join("bin")).unwrap();
    assert_tree!(dir.join("bin"), { "run" => any(), "b.txt" => "y" });
}

#[tempfile::with_tempdir(from = "tests/snap")]
fn snapshot_folders(dir: &Path) {
    assert_tree!(dir, from = "tests/snap");
    let file = tempfile::NamedTempFile::new_in(dir).unwrap();
    assert!(file.path().starts_with(dir));
}
