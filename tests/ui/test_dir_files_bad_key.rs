//! The spec of `test_dir!(…, files = { … })` is checked as tree!'s is: a
//! bad key is an error on the key; a form test_dir! does not take says
//! which it takes.

fn main() {
    let _ = fixtree::test_dir!(files = { "../escape" => "x" });
    let _ = fixtree::test_dir!("home", files = { "a" => "x", "a" => "y" });
    let _ = fixtree::test_dir!(label = format!("case{}", 1), files = { "/abs" => "x" });
    let _ = fixtree::test_dir!(files = base());
}
