use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(files = "x")]
fn files_not_a_spec(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(from = { "a" => "b" })]
fn from_not_a_string(dir: &Path) {
    let _ = dir;
}

const FOLDER: &str = "tests/fixtures";

#[with_tempdir(from = FOLDER)]
fn from_computed(dir: &Path) {
    let _ = dir;
}

fn main() {}
