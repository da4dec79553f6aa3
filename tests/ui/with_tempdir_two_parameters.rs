use fixtree::with_tempdir;
use std::path::{Path, PathBuf};

#[with_tempdir]
#[test]
fn two(dir: &Path, other: PathBuf, third: u8) {
    let _ = (dir, other, third);
}

fn main() {}
