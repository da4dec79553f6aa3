fn main() {
    let not_a_path = 42;
    fixtree::assert_tree!(not_a_path, { "a" => "x" });
}
