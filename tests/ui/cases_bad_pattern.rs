// Each pattern breaks one rule of case patterns; all are reported in one compile.
use std::path::Path;

#[fixtree::cases("tests/*/input")]
fn wildcard_in_dir(dir: &Path) {}

#[fixtree::cases("../elsewhere/*")]
fn outside_the_crate(dir: &Path) {}

#[fixtree::cases("tests/cases/one")]
fn no_wildcard(dir: &Path) {}

#[fixtree::cases("tests/**")]
fn recursive(dir: &Path) {}

const PATTERN: &str = "tests/cases/*";

#[fixtree::cases(PATTERN)]
fn computed(dir: &Path) {}

#[fixtree::cases]
fn missing(dir: &Path) {}

fn main() {}
