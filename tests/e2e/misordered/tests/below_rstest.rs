//! Below #[rstest], #[with_tempdir] sees each generated case, which has no
//! parameters: the error says to put it above.

use fixtree::with_tempdir;
use rstest::rstest;
use std::path::Path;

#[rstest]
#[case(1)]
#[with_tempdir]
fn below_rstest(#[case] n: u32, dir: &Path) {
    let _ = (n, dir);
}

