use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
async fn needs_a_runtime(dir: &Path) {
    let _ = dir;
}

fn main() {}
