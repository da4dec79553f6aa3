//! The fingerprint of a spec's tokens that the macro computes when the test
//! compiles (from rustc's tokens) and the one `cargo fixtree accept`
//! computes over the source (from proc-macro2's) agree: a real
//! `assert_tree!` records in review mode, in a child process, and accept
//! applies the record to a copy of this very file. Unix only: tokenizing is
//! the same everywhere, and under Wine the child and its paths add only noise.

#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::Command;

const NAME: &str = "the_macro_and_the_cli_agree_on_a_specs_fingerprint";

#[test]
fn the_macro_and_the_cli_agree_on_a_specs_fingerprint() {
    if std::env::var_os("FIXTREE_UPDATE").is_some() {
        let dir = fixtree::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "changed\n").unwrap();
        #[rustfmt::skip]
        fixtree::assert_tree!(dir.path(), {
            "a.txt" => "x\n", // a comment, and odd spacing:
            "sub"=>{ "b" => contains("y"), r#"c"# => b"\x00", .. },
            "gone" => absent(),
        });
        return;
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fingerprint.rs");
    let records = source.with_file_name("fingerprint.rs.fixtree-pending");
    let _ = fs::remove_file(&records);
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            &format!("fingerprint::{NAME}"),
            "--exact",
            "--test-threads=1",
        ])
        .env("FIXTREE_UPDATE", "review")
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(!child.status.success(), "the assertion fails in the child");
    let recorded = fs::read_to_string(&records).unwrap();
    fs::remove_file(&records).unwrap();

    let project = fixtree::tempdir().unwrap();
    let root = project.path();
    fs::create_dir(root.join("tests")).unwrap();
    fs::write(root.join("Cargo.toml"), "[package]\nname = \"demo\"\n").unwrap();
    fs::copy(&source, root.join("tests/fingerprint.rs")).unwrap();
    fs::write(root.join("tests/fingerprint.rs.fixtree-pending"), &recorded).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["fixtree", "accept", "--root"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}\n{recorded}");
    assert!(stdout.contains("accepted 1,"), "{stdout}");
    let rewritten = fs::read_to_string(root.join("tests/fingerprint.rs")).unwrap();
    // Only what failed changed: the comment and `absent()` stay, `sub` goes.
    let spec = "\"a.txt\" => \"changed\\n\", // a comment, and odd spacing:\n            \"gone\" => absent(),\n        });";
    assert!(rewritten.contains(spec), "{rewritten}");
}
