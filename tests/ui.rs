//! Compile-fail tests pinning every error message of the macros
//! (tests/ui/*.stderr). Regenerate with `TRYBUILD=overwrite cargo test --test ui`,
//! then read each .stderr: the error must point at the right token and name
//! the key, the rule and the fix.

#[test]
#[cfg_attr(
    windows,
    ignore = "runs cargo, which the Windows build under Wine cannot start"
)]
#[cfg_attr(
    fixtree_msrv,
    ignore = "pins rustc's own notes, which differ by version: checked on the current stable"
)]
fn ui() {
    // trybuild's crate, where the UI tests compile, holds no folder to name:
    // one ending in .txtar is made for tests/ui/txtar_is_a_folder.rs.
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is target/tmp");
    std::fs::create_dir_all(target.join("tests/trybuild/fixtree/cases.txtar")).unwrap();
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
