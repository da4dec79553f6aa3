fn main() {
    let dir = fixtree::tempdir().unwrap();
    // `..` ends the arguments: it says the folder holds only some paths.
    fixtree::assert_tree!(dir, from = "snap", .., ignore = ["*.log"]);
    fixtree::assert_tree!(dir, from = "snap", .., ..);
    // A spec says `..` inside its braces.
    fixtree::assert_tree!(dir, { "a" => "x" }, ..);
}
