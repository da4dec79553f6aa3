use fixtree::with_tempdir;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/project";

#[with_tempdir(from = FIXTURE)]
fn starts(dir: &Path) {
    let _ = dir;
}

fn main() {}
