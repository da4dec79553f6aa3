//! Below #[test_case], #[with_tempdir] sees each generated case, which has
//! no parameters: the error says to put it above.

use fixtree::with_tempdir;
use std::path::Path;
use test_case::test_case;

#[test_case(1 ; "one")]
#[with_tempdir]
fn below_test_case(n: u32, dir: &Path) {
    let _ = (n, dir);
}

