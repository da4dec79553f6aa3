use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
const fn constant(dir: &Path) {
    let _ = dir;
}

#[with_tempdir]
unsafe fn not_safe(dir: &Path) {
    let _ = dir;
}

#[with_tempdir]
extern "C" fn foreign(_: &Path) {}

#[with_tempdir]
fn pattern(&dir: &&Path) {
    let _ = dir;
}

fn main() {}
