//! `files` takes a spec in braces, an expression yielding a tree, or a
//! list of those; an empty list, an empty layer or a string is an error.

use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir(files = [])]
fn no_layers(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [{ "a" => "x" }, , { "b" => "y" }])]
fn empty_layer(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = "tests/fixtures/project")]
fn a_string(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [{ "/abs" => "x" }, { "ok" => "y" }])]
fn a_bad_key_in_a_layer(dir: &Path) {
    let _ = dir;
}

fn main() {}
