//! A `files` expression that is not a tree is a type error on the
//! expression. (`#[clippy::test]` keeps the function in a non-test build;
//! see with_tempdir_unsupported_type.rs.)

use fixtree::with_tempdir;
use std::path::Path;

fn shared() -> fixtree::Tree {
    fixtree::Tree::new()
}

#[with_tempdir(files = 42)]
#[clippy::test]
#[allow(dead_code)]
fn a_number(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [shared(), "not a tree"])]
#[clippy::test]
#[allow(dead_code)]
fn a_string_expression_in_a_list(dir: &Path) {
    let _ = dir;
}

fn main() {}
