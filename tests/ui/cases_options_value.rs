// Each option of #[cases] given a value it does not take.
use std::path::Path;

#[fixtree::cases("no-such-case-*", input = "a/b", expected = out, ignore = "*.log")]
fn bad_values(_dir: &Path) {}

#[fixtree::cases("no-such-case-*", input = "x", expected = "x")]
fn one_name_for_both(_dir: &Path) {}

fn main() {}
