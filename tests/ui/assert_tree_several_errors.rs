fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, { "/a" => "x", "b" => "y", "b" => "z" }, bogus = 1);
}
