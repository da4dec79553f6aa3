use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(file = { "a.txt" => "x" })]
#[test]
fn near_miss(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = {}, ignore = ["*.log"])]
fn unknown(dir: &Path) {
    let _ = dir;
}

fn main() {}
