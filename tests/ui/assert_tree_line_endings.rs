fn main() {
    let dir = fixtree::tempdir().unwrap();
    // The folder is checked despite a bad option (and, under trybuild, not found).
    fixtree::assert_tree!(dir, from = "tests/snap", line_endings = "crlf");
    fixtree::assert_tree!(dir, from = "tests/snap", line_endings = exact);
    fixtree::assert_tree!(dir, { "a" => "x" }, line_endings = "exact");
    fixtree::assert_tree!(dir, line_endings = "exact", from = "tests/snap");
    fixtree::assert_tree!(dir, from = "tests/snap", line_endings = "exact", line_endings = "any");
}
