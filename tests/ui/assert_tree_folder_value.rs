// `folder("…")` makes a tree a test starts with; an expected tree compares
// with a folder through `from`, which the message points to.
use fixtree::assert_tree;

fn main() {
    let dir = std::path::Path::new(".");
    assert_tree!(dir, { "sub" => folder("tests/fixtures/sibling"), .. });
}
