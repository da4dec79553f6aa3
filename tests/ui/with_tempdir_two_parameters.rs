use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
#[test]
fn two(dir: &Path, other: String, third: u8) {
    let _ = (dir, other, third);
}

fn main() {}
