//! Snapshot folders are found where a test runs, not where it was built:
//! `cargo nextest archive` builds on one machine and runs elsewhere, with the
//! checkout at another path. Each test here runs a child test process whose
//! `CARGO_MANIFEST_DIR` names another checkout, as nextest's
//! `--workspace-remap` does. tests/e2e.rs does it for real, with an archive.

use crate::support;

use std::fs;
use std::path::Path;
use std::process::Stdio;

use fixtree::{TempDir, Tree, assert_tree, tree, with_tempdir};
use support::Setup;

const FOLDER: &str = "tests/fixtures/relocated";
/// What tests/fixtures/relocated/where.txt says in this checkout.
const BUILT_HERE: &str = "the checkout the test was built in\n";

/// What `where.txt` should say in the checkout this test process runs in:
/// the child's parent says so in `RELOCATED_WHERE`.
fn expected_where() -> String {
    std::env::var("RELOCATED_WHERE").unwrap_or_else(|_| BUILT_HERE.to_owned())
}

#[with_tempdir(from = "tests/fixtures/relocated")]
#[test]
fn with_tempdir_child(dir: &Path) {
    assert_tree!(dir, { "where.txt" => expected_where() });
}

#[test]
fn assert_tree_child() {
    let dir = fixtree::tempdir().unwrap();
    fs::write(dir.path().join("where.txt"), expected_where()).unwrap();
    assert_tree!(dir, from = "tests/fixtures/relocated");
}

/// Another checkout of this crate, whose `where.txt` says `says`.
fn checkout(says: &str) -> TempDir {
    let root = fixtree::tempdir().unwrap();
    let mut tree = Tree::new();
    tree.insert(&format!("{FOLDER}/where.txt"), says).unwrap();
    tree.write_to(root.path()).unwrap();
    root
}

/// Runs child test `name` with `CARGO_MANIFEST_DIR` set to `manifest_dir`
/// (removed if `None`) and `env`; its success and its output.
fn run(name: &str, manifest_dir: Option<&Path>, env: &[(&str, &str)]) -> (bool, String) {
    let (mut command, _staging) = support::child(name, Setup::default());
    command
        .env_remove("FIXTREE_UPDATE")
        .env_remove("CI")
        .env_remove("RELOCATED_WHERE");
    match manifest_dir {
        Some(dir) => command.env("CARGO_MANIFEST_DIR", dir),
        None => command.env_remove("CARGO_MANIFEST_DIR"),
    };
    command.envs(env.iter().copied());
    let output = command
        .stdin(Stdio::null())
        .output()
        .expect("start the child");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success() && text.contains("1 passed"), text)
}

const CHILDREN: [&str; 2] = ["with_tempdir_child", "assert_tree_child"];

#[test]
fn folders_are_read_from_the_test_process_manifest_dir() {
    let elsewhere = checkout("another checkout\n");
    for name in CHILDREN {
        let (passed, output) = run(
            name,
            Some(elsewhere.path()),
            &[("RELOCATED_WHERE", "another checkout\n")],
        );
        assert!(passed, "{name} read the wrong folder:\n{output}");
    }
}

#[test]
fn without_a_manifest_dir_the_build_one_is_used() {
    for name in CHILDREN {
        let (passed, output) = run(name, None, &[]);
        assert!(passed, "{name}:\n{output}");
    }
}

#[test]
fn a_folder_missing_where_the_test_runs_is_named_with_where_it_was_looked_up() {
    let empty = fixtree::tempdir().unwrap();
    let looked_up = format!(
        "{FOLDER} (looked up at {}, in the test process's CARGO_MANIFEST_DIR)",
        FOLDER
            .split('/')
            .fold(empty.path().to_owned(), |path, segment| path.join(segment))
            .display()
    );
    let messages = [
        format!("fixtree: cannot copy snapshot folder {looked_up}"),
        format!("fixtree: snapshot folder {looked_up} does not exist yet"),
    ];
    for (name, message) in CHILDREN.into_iter().zip(messages) {
        let (passed, output) = run(name, Some(empty.path()), &[]);
        assert!(!passed, "{name} passed without its folder:\n{output}");
        assert!(output.contains(&message), "no `{message}` in:\n{output}");
    }
}

#[test]
fn update_mode_rewrites_the_folder_where_the_test_runs() {
    let elsewhere = checkout("another checkout\n");
    let (passed, output) = run(
        "assert_tree_child",
        Some(elsewhere.path()),
        &[("RELOCATED_WHERE", "updated\n"), ("FIXTREE_UPDATE", "1")],
    );
    assert!(passed, "{output}");
    assert!(
        output.contains(&format!(
            "fixtree: updated snapshot folder {FOLDER}: changed where.txt"
        )),
        "{output}"
    );
    fixtree::check_tree(
        elsewhere.path(),
        &tree! { "tests/fixtures/relocated/where.txt" => "updated\n" },
    )
    .unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER);
    fixtree::check_tree(here, &tree! { "where.txt" => BUILT_HERE }).unwrap();
}
