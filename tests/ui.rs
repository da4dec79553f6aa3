//! Compile-fail tests pinning every error message of the macros
//! (tests/ui/*.stderr). Regenerate with `TRYBUILD=overwrite cargo test --test ui`,
//! then read each .stderr: the error must point at the right token and name
//! the key, the rule and the fix.

#[test]
#[cfg_attr(
    windows,
    ignore = "runs cargo, which the Windows build under Wine cannot start"
)]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
