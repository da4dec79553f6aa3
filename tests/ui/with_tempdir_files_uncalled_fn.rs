//! A function given to `files` without calling it is an error on the
//! function's name, saying to call it. (`#[clippy::test]` keeps the function
//! in a non-test build; see with_tempdir_unsupported_type.rs.)

use fixtree::with_tempdir;
use std::path::Path;

fn base() -> fixtree::Tree {
    fixtree::tree! { "Cargo.toml" => "[package]\n" }
}

#[with_tempdir(files = base)]
#[clippy::test]
#[allow(dead_code)]
fn alone(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [base, { "extra.txt" => "x" }])]
#[clippy::test]
#[allow(dead_code)]
fn in_a_list(dir: &Path) {
    let _ = dir;
}

fn main() {}
