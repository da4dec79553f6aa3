fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, { "a" => "x" }, ignored = ["*.log"]);
}
