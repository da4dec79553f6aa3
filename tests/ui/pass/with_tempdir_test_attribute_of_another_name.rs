//! An attribute whose name ends in `test` is a test attribute, as cargo's
//! `#[cargo_test]` is (here libtest's own, renamed): #[with_tempdir] adds no
//! second `#[test]` above it, and takes no offence at it. That the test is
//! registered once is checked by tests/it/with_tempdir.rs, which runs it.

use core::prelude::v1::test as cargo_test;
use fixtree::with_tempdir;

#[with_tempdir]
#[cargo_test]
fn registered_once(dir: &std::path::Path) {
    let _ = dir;
}

#[with_tempdir(files = { "a.txt" => "x" })]
#[self::cargo_test]
fn by_a_path(dir: &std::path::Path) {
    let _ = dir;
}

fn main() {}
