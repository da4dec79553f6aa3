use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(from = "tests/fixtures/missing")]
#[test]
fn copies(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(from = "/etc")]
fn absolute(dir: &Path) {
    let _ = dir;
}

fn main() {}
