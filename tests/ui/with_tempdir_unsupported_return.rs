//! The return type is checked through `Outcome`: `()` or a `Result`.
//! (`#[clippy::test]`: see with_tempdir_unsupported_type.rs.)

use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir]
#[clippy::test]
#[allow(dead_code)]
fn returns_a_code(dir: &Path) -> i32 {
    let _ = dir;
    0
}

fn main() {}
