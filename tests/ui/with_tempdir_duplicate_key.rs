use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(files = { "a.txt" => "x" }, files = { "b.txt" => "y" })]
fn files_twice(dir: &Path) {
    let _ = dir;
}

// Both errors: the first folder is checked too (and, under trybuild, not found).
#[with_tempdir(from = "tests", from = "src")]
fn from_twice(dir: &Path) {
    let _ = dir;
}

fn main() {}
