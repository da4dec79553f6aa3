// tests/ui.rs makes `cases.txtar` a folder in trybuild's crate before it runs.
use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(from = "cases.txtar")]
#[test]
fn copies(dir: &Path) {
    let _ = dir;
}

fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, from = "cases.txtar");
}
