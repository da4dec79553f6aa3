//! One test per outcome; tests/e2e.rs checks what each prints and leaves on disk.

use std::path::Path;

use fixtree::with_tempdir;

#[with_tempdir(files = { "input.txt" => "hello" })]
#[test]
fn passes(dir: &Path) {
    assert_eq!(std::fs::read_to_string(dir.join("input.txt")).unwrap(), "hello");
}

#[with_tempdir(files = { "input.txt" => "hello" })]
#[test]
fn panics(dir: &Path) {
    std::fs::write(dir.join("output.txt"), "half written").unwrap();
    panic!("failed on purpose");
}

#[with_tempdir]
#[test]
fn returns_err(dir: &Path) -> Result<(), String> {
    std::fs::write(dir.join("log.txt"), "what happened").unwrap();
    Err("failed on purpose".to_owned())
}

#[with_tempdir]
#[test]
#[should_panic(expected = "on purpose")]
fn panics_as_expected(dir: &Path) {
    std::fs::write(dir.join("scratch"), "x").unwrap();
    panic!("on purpose");
}
