// tests/cases.rs makes cases-collide/a-b/input/ and cases-collide/a_b/input/
// in trybuild's crate folder before compiling this.
use std::path::Path;

#[fixtree::cases("cases-collide/*")]
fn converts(dir: &Path) {}

fn main() {}
