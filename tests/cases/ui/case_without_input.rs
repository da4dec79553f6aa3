// tests/cases.rs makes cases-ui/bare/ (no input/) and cases-ui/good/input/
// in trybuild's crate folder before compiling this.
use std::path::Path;

#[fixtree::cases("cases-ui/*")]
fn converts(dir: &Path) {}

fn main() {}
