//! The parameter's type is checked through `FromTestDir`, whose
//! `#[diagnostic::on_unimplemented]` lists what is supported.
//!
//! trybuild builds without `--test`, where a `#[test]` function is removed
//! before type checking; `#[clippy::test]` (a tool attribute rustc ignores,
//! whose path ends in `test`) stands in for the test attribute so the
//! function is kept and checked.

use fixtree::with_tempdir;

#[with_tempdir]
#[clippy::test]
#[allow(dead_code)]
fn takes_a_str(dir: &str) {
    let _ = dir.len();
}

fn main() {}
