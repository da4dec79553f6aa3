use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
#[with_tempdir]
fn twice(dir: &Path) {
    let _ = dir;
}

fn main() {}
