// The pattern must match at least one case folder when the test compiles.
use std::path::Path;

#[fixtree::cases("no-such-case-*")]
fn matches_nothing(dir: &Path) {}

#[fixtree::cases("tests/no-such-folder/*")]
fn no_folder(dir: &Path) {}

fn main() {}
