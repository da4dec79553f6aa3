fn main() {
    let dir = fixtree::tempdir().unwrap();
    // Update mode would rewrite the crate itself.
    fixtree::assert_tree!(dir, from = "tests/..");
    fixtree::assert_tree!(dir, from = ".");
}
