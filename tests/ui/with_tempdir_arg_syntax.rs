use fixtree::with_tempdir;
use std::path::Path;

#[with_tempdir("tests/fixtures")]
fn bare_string(dir: &Path) {
    let _ = dir;
}

#[with_tempdir({ "a.txt" => "x" })]
fn bare_spec(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files { "a.txt" => "x" })]
fn missing_eq(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(from =)]
fn missing_value(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = { "a" => "x" } frm = "tests")]
fn missing_comma(dir: &Path) {
    let _ = dir;
}

fn main() {}
