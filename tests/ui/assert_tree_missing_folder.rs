fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, from = "tests/snapshots/missing");
}
