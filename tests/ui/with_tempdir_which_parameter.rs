//! With several parameters, the directory is the one marked #[dir], else
//! the one of a known type; when that does not decide, the error says how.

use fixtree::with_tempdir;
use rstest::rstest;
use std::path::{Path, PathBuf};

struct Env;

#[with_tempdir]
#[rstest]
fn two_known_types(#[values(1)] n: u8, input: &Path, output: PathBuf) {
    let _ = (n, input, output);
}

#[with_tempdir]
#[rstest]
fn no_known_type(#[values(1)] n: u8, env: Env) {
    let _ = (n, env);
}

#[with_tempdir]
#[rstest]
fn two_markers(#[dir] input: &Path, #[dir] output: PathBuf) {
    let _ = (input, output);
}

#[with_tempdir]
#[rstest]
fn marker_with_arguments(#[dir(main)] input: &Path) {
    let _ = input;
}

fn main() {}
