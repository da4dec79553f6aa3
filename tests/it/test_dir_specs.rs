//! Composition found missing in a port: `test_dir!` filled from a spec in
//! one line, a label computed at run time, trees merged by value, and a
//! layer of `files = [...]` that removes what an earlier one made.

use std::path::Path;

use fixtree::{Node, Tree, assert_tree, test_dir, tree, with_tempdir};

use crate::assert_tree_macro::panic_location;
use crate::support;

#[test]
fn test_dir_fills_from_a_spec_in_one_line() {
    let project = test_dir!(files = { "Cargo.toml" => "[package]\n", "src/lib.rs" => "" });
    let home = test_dir!("home", files = { ".toolrc" => "verbose = true\n" });
    assert_tree!(project, { "Cargo.toml" => "[package]\n", "src" => { "lib.rs" => "" } });
    assert_tree!(home, { ".toolrc" => "verbose = true\n" });
    let name = home.path().file_name().unwrap().to_str().unwrap();
    assert!(name.contains("-home."), "{name}");
}

/// Fails in the child: a spec no directory can hold (a link to nothing).
const UNWRITABLE_AT: u32 = line!() + 4;
#[test]
#[ignore = "run by `a_spec_that_cannot_be_written_panics_at_the_test` in a child process"]
fn on_purpose_unwritable_spec() {
    let _dir = test_dir!("links", files = { "link" => fixtree::spec::symlink("") });
}

#[test]
fn a_spec_that_cannot_be_written_panics_at_the_test() {
    let (mut child, _staging) =
        support::child("on_purpose_unwritable_spec", support::Setup::default());
    let output = child.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    let at = format!("panicked at {}:{UNWRITABLE_AT}:", file!());
    for part in [
        at.as_str(),
        "fixtree: cannot write the files of test_dir!(…, files = { … }) into ",
        "on_purpose_unwritable_spec-links.",
        "symlink target is empty",
    ] {
        assert!(stderr.contains(part), "{part} in {stderr}");
    }
}

#[test]
fn a_label_from_an_expression_is_checked_at_run_time_and_panics_at_the_test() {
    for case in 1..=2 {
        let dir = test_dir!(label = format!("case{case}"));
        let name = dir.path().file_name().unwrap().to_str().unwrap();
        assert!(name.contains(&format!("-case{case}.")), "{name}");
    }
    let line = line!() + 1;
    let at = panic_location(|| drop(test_dir!(label = format!("case/{}", 3))));
    assert_eq!(at, Some((file!(), line)));
    let message = std::panic::catch_unwind(|| test_dir!(label = ".hidden")).unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("must be 1 to 32 characters and not start with `.`"),
        "{message}"
    );
    assert!(message.contains("\".hidden\""), "{message}");
}

#[test]
fn trees_merge_by_value_in_order() {
    let base = tree! { "Cargo.toml" => "[package]\n", "src" => { "lib.rs" => "" } };
    let merged = base.clone().merged(tree! { "src" => { "main.rs" => "" } });
    assert_eq!(
        merged,
        tree! { "Cargo.toml" => "[package]\n", "src" => { "lib.rs" => "", "main.rs" => "" } }
    );
    let layered = Tree::layered([
        base,
        tree! { "Cargo.toml" => "[workspace]\n" },
        tree! { "src" => "a file where a layer below had a directory" },
    ]);
    assert_eq!(
        layered,
        tree! {
            "Cargo.toml" => "[workspace]\n",
            "src" => "a file where a layer below had a directory",
        }
    );
    assert_eq!(Tree::layered([]), Tree::new());
}

/// A suite's shared tree, with a file some tests must not have.
fn base() -> Tree {
    tree! {
        "Cargo.toml" => "[package]\n",
        "Cargo.lock" => "# locked\n",
        "src" => { "lib.rs" => "", "old.rs" => "" },
    }
}

#[with_tempdir(files = [base(), { "Cargo.lock" => absent(), "src/old.rs" => absent(), "src/new.rs" => "" }])]
fn a_later_layer_removes_with_absent(dir: &Path) {
    assert_tree!(dir, {
        "Cargo.toml" => "[package]\n",
        "src" => { "lib.rs" => "", "new.rs" => "" },
    });
}

/// A directory goes with all it holds; a later layer may put it back.
#[with_tempdir(files = [
    base(),
    { "src" => absent() },
    { "src/main.rs" => "fn main() {}\n" },
])]
fn a_removed_directory_goes_whole_and_a_later_layer_may_make_it_again(dir: &Path) {
    assert_tree!(dir, {
        "Cargo.toml" => "[package]\n",
        "Cargo.lock" => "# locked\n",
        "src" => { "main.rs" => "fn main() {}\n" },
    });
}

/// Fails in the child: removes a path no layer made.
const REMOVES_AT: u32 = line!() + 1;
#[with_tempdir(files = [base(), { "src/typo.rs" => absent() }])]
#[ignore = "run by `absent_of_a_path_no_layer_made_is_an_error` in a child process"]
fn on_purpose_removes_what_no_layer_made(dir: &Path) {
    let _ = dir;
}

#[test]
fn absent_of_a_path_no_layer_made_is_an_error() {
    let (mut child, _staging) = support::child(
        "on_purpose_removes_what_no_layer_made",
        support::Setup::default(),
    );
    let output = child.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "fixtree: layer 2 of files = [...] says \"src/typo.rs\" => absent(), but no layer \
             before it made \"src/typo.rs\": remove that entry, or fix its path"
        ),
        "{stderr}"
    );
    let at = format!("panicked at {}:{REMOVES_AT}:", file!());
    assert!(stderr.contains(&at), "{at} in {stderr}");
}

#[test]
fn tree_remove_takes_a_path_out() {
    let mut tree = base();
    assert_eq!(tree.remove("src/old.rs"), Some(Node::file("")));
    assert_eq!(tree.remove("src/old.rs"), None);
    assert_eq!(
        tree.remove("Cargo.toml/inside"),
        None,
        "a path through a file"
    );
    assert_eq!(tree.remove("../escape"), None);
    assert!(matches!(tree.remove("src"), Some(Node::Dir(src)) if src.len() == 1));
    assert_eq!(
        tree,
        tree! { "Cargo.toml" => "[package]\n", "Cargo.lock" => "# locked\n" }
    );
}
