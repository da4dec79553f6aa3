fn main() {
    let dir = fixtree::tempdir().unwrap();
    // Only a leading `./` is allowed: beside the source file, never above it.
    fixtree::assert_tree!(dir, from = "./../x");
    fixtree::assert_tree!(dir, from = "./cases/./add");
}
