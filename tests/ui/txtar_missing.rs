use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(from = "tests/fixtures/missing.txtar")]
#[test]
fn copies(dir: &Path) {
    let _ = dir;
}

fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, from = "tests/snapshots/missing.txtar");
}
