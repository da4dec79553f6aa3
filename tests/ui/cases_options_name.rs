// A misspelt option of #[cases], and one `subset` too many.
use std::path::Path;

#[fixtree::cases("no-such-case-*", inputs = "in")]
fn unknown(_dir: &Path) {}

#[fixtree::cases("no-such-case-*", subset, subset)]
fn twice(_dir: &Path) {}

fn main() {}
