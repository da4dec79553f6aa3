fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!();
    fixtree::assert_tree!(dir);
    fixtree::assert_tree!(dir; { "a" => "x" });
    fixtree::assert_tree!(from = "tests");
    fixtree::assert_tree!(dir, from = 42);
    fixtree::assert_tree!(dir, ignore = ["*.log"]);
    fixtree::assert_tree!(dir, { "a" => "x" }, ignore = "*.log");
    fixtree::assert_tree!(dir, { "a" => "x" }, ignore = [log]);
    fixtree::assert_tree!(dir, { "a" => "x" }, from = "tests");
    fixtree::assert_tree!(dir, { "a" => "x" } "b");
}
