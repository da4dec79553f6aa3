use fixtree::with_tempdir;

#[with_tempdir]
#[test]
fn no_directory() {}

fn main() {}
