// What a function under #[cases] cannot be, reported with the pattern's error.
use std::path::Path;

#[fixtree::cases("no-such-case-*")]
#[test]
#[should_panic]
async fn refused(dir: &Path, extra: u8) {}

#[fixtree::cases("no-such-case-*")]
fn no_directory() {}

fn main() {}
