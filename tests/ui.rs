//! Compile-fail tests pinning every error message of the macros
//! (tests/ui/*.stderr, tests/cases/ui/*.stderr), and what must compile
//! (tests/ui/pass/). Regenerate with
//! `TRYBUILD=overwrite cargo test --test ui -- --include-ignored`, then read
//! each .stderr: the error must point at the right token and name the key,
//! the rule and the fix.
//!
//! Not built for Windows (trybuild runs cargo, which the Windows build under
//! Wine cannot start), nor at the MSRV (`--cfg fixtree_msrv`): they pin
//! rustc's own notes, which differ by version, and are checked on the
//! current stable.

#![cfg(not(any(windows, fixtree_msrv)))]

use std::fs;
use std::path::{Path, PathBuf};

/// The crate folder trybuild compiles the cases in, where the macros look
/// for folders: `<target>/tests/trybuild/<package>`.
fn trybuild_crate() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is target/tmp");
    target.join("tests/trybuild").join(env!("CARGO_PKG_NAME"))
}

#[test]
#[ignore = "slow: CI runs it (trybuild compiles each case)"]
fn ui() {
    // The crate holds no folder to name: one ending in .txtar is made for
    // tests/ui/txtar_is_a_folder.rs.
    fs::create_dir_all(trybuild_crate().join("cases.txtar")).unwrap();
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

/// What compiles as it is: tests/ui/pass/*.rs. Apart from the compile-fail
/// cases, which trybuild only checks (with one pass case it builds them all).
#[test]
#[ignore = "slow: CI runs it (trybuild compiles each case)"]
fn ui_pass() {
    trybuild::TestCases::new().pass("tests/ui/pass/*.rs");
}

/// The compile errors about case folders that exist, which trybuild's own
/// crate folder holds only if made there first: a case without `input/`,
/// and two folders making one test name.
#[test]
#[ignore = "slow: CI runs it (trybuild compiles each case)"]
fn errors_about_case_folders_point_at_the_pattern() {
    for folder in [
        "cases-ui/bare/expected",
        "cases-ui/good/input",
        "cases-collide/a-b/input",
        "cases-collide/a_b/input",
    ] {
        fs::create_dir_all(trybuild_crate().join(folder)).unwrap();
    }
    trybuild::TestCases::new().compile_fail("tests/cases/ui/*.rs");
}
