//! A `test_dir!` label names a directory: checked at compile time.

fn main() {
    let _ = fixtree::test_dir!("a/b");
    let _ = fixtree::test_dir!(".hidden");
}
