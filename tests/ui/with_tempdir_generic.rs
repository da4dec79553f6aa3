use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
fn generic<P: AsRef<Path>>(dir: P) {
    let _ = dir.as_ref();
}

#[with_tempdir]
fn impl_trait(dir: impl AsRef<Path>) {
    let _ = dir.as_ref();
}

fn main() {}
