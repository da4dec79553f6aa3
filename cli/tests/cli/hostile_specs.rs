//! `cargo fixtree accept` on specs and records no one would write: each is
//! refused with the rule, the record left pending and the source as it is.

use std::path::Path;
use std::process::{Command, Output};

use fixtree::tree;
use fixtree_runtime::cli::review::{Edit, InlineRecord};

/// `{ "a" => { "a" => … "x" … } }`, `levels` deep.
fn deep(levels: usize) -> String {
    format!(
        "{}\"x\"{}",
        "{ \"a\" => ".repeat(levels),
        " }".repeat(levels)
    )
}

/// A crate whose `tests/it.rs` is `source`, with a record for its
/// `assert_tree!` at line 2 that changes `a` to `value`.
fn project(source: &str, tokens: &str, value: &str) -> fixtree::TempDir {
    let record = InlineRecord {
        line: 2,
        column: 5,
        tokens: tokens.to_owned(),
        test: "t".to_owned(),
        report: "tree mismatch\n".to_owned(),
        edits: vec![Edit::Change {
            path: "a".to_owned(),
            value: value.to_owned(),
        }],
    };
    let dir = fixtree::tempdir().unwrap();
    tree! {
        "Cargo.toml" => "[package]\nname = \"deep\"\n",
        "tests/it.rs" => source,
        "tests/it.rs.fixtree-pending" => record.to_text().as_str(),
    }
    .write_to(dir.path())
    .unwrap();
    dir
}

fn accept(root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["fixtree", "accept", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .unwrap()
}

/// Asserts that accepting in `root` left the record pending, saying why.
fn refused_as_too_deep(root: &Path, source: &str) {
    let out = accept(root);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(!out.status.success(), "{stdout}{stderr}");
    assert!(
        stderr.contains("it.rs:2:5: ")
            && stderr.contains("more than 256 levels deep, deeper than fixtree reads"),
        "{stderr}"
    );
    assert!(stdout.contains("left pending 1"), "{stdout}");
    let now = std::fs::read_to_string(root.join("tests/it.rs")).unwrap();
    assert!(now == source, "the source changed");
    assert!(root.join("tests/it.rs.fixtree-pending").is_file());
}

/// A record's value 8,000 levels deep (88 KB) once overflowed the stack.
#[test]
fn a_record_value_nested_too_deep_stays_pending_with_the_rule() {
    let source = "fn t() {\n    fixtree::assert_tree!(dir, { \"a\" => \"1\" });\n}\n";
    let tokens = fixtree_rules::tokens::fingerprint("\"a\" => \"1\"".parse().unwrap());
    let project = project(source, &tokens, &deep(8000));
    refused_as_too_deep(project.path(), source);
}

/// A spec 8,000 levels deep in the source itself.
#[test]
fn a_spec_nested_too_deep_in_the_source_stays_pending_with_the_rule() {
    let source = format!(
        "fn t() {{\n    fixtree::assert_tree!(dir, {});\n}}\n",
        deep(8000)
    );
    let project = project(&source, "0123456789abcdef", "\"2\"");
    refused_as_too_deep(project.path(), &source);
}
