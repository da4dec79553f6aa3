use fixtree::{assert_tree, with_tempdir};
use std::path::Path;

#[with_tempdir(from = "tests\\fixtures\\project")]
fn backslash(dir: &Path) {
    let _ = dir;
}

fn main() {
    let dir = Path::new(".");
    assert_tree!(dir, from = "C:/snapshots/x");
    assert_tree!(dir, from = "tests/c:x");
}
