// A folder as a spec value is checked as `from` is: it must exist, and a
// typo of a folder beside it is named.
use fixtree::with_tempdir;

#[with_tempdir(files = { "crates/sibling" => folder("tests/fixtures/sibling") })]
fn missing(_dir: &std::path::Path) {}

fn main() {
    let _ = fixtree::tree! { "sub" => folder("") };
}
