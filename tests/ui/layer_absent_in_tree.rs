//! `absent()` removes what an earlier layer of `files = [...]` made: in
//! tree!, in `files = { … }` and in the first layer it is an error on the
//! value; in a later layer a path it removes is given once, as any other.

use fixtree::with_tempdir;
use std::path::Path;

fn base() -> fixtree::Tree {
    fixtree::tree! { "Cargo.lock" => "" }
}

#[with_tempdir(files = { "Cargo.lock" => absent() })]
#[clippy::test]
#[allow(dead_code)]
fn alone(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [{ "Cargo.lock" => absent() }, base()])]
#[clippy::test]
#[allow(dead_code)]
fn in_the_first_layer(dir: &Path) {
    let _ = dir;
}

#[with_tempdir(files = [base(), { "src" => absent(), "src/lib.rs" => "", "Cargo.lock" => absent(), "Cargo.lock" => "" }])]
#[clippy::test]
#[allow(dead_code)]
fn given_twice_in_a_later_layer(dir: &Path) {
    let _ = dir;
}

fn main() {
    let _ = fixtree::tree! { "Cargo.lock" => absent() };
    let _ = fixtree::tree! { "Cargo.lock" => fixtree::spec::absent() };
}
