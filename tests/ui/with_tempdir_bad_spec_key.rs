use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(files = {
    "/etc/passwd" => "x",
    "a.txt" => "one",
    "a.txt" => "two",
    "src" => { "../escape" => "y" },
    ..
})]
fn bad_keys(dir: &Path) {
    let _ = dir;
}

fn main() {}
