//! Trees that compose: `Tree::merge` and `Extend` (a later tree wins on a
//! path both name), and `Tree::write_missing` (adds only what is not there).

use std::fs;

use fixtree::{Node, Tree, assert_tree, tree};

#[test]
fn merge_lets_the_later_tree_win_and_merges_directories() {
    let mut tree = tree! {
        "keep.txt" => "base",
        "replace.txt" => "base",
        "dir_then_file" => { "inner.txt" => "" },
        "file_then_dir" => "base",
        "both" => { "a" => "base", "deep" => { "x" => "base" } },
    };
    tree.merge(tree! {
        "replace.txt" => "later",
        "dir_then_file" => "later",
        "file_then_dir" => { "inner.txt" => "later" },
        "both" => { "b" => "later", "deep" => { "x" => "later" } },
    });
    assert_eq!(
        tree,
        tree! {
            "keep.txt" => "base",
            "replace.txt" => "later",
            "dir_then_file" => "later",
            "file_then_dir" => { "inner.txt" => "later" },
            "both" => { "a" => "base", "b" => "later", "deep" => { "x" => "later" } },
        }
    );
}

#[test]
fn extend_merges_each_tree_in_turn() {
    let mut tree = Tree::new();
    tree.extend([
        tree! { "a" => "1", "b" => "1" },
        tree! { "b" => "2", "c" => "2" },
        tree! { "c" => "3" },
    ]);
    assert_eq!(tree, tree! { "a" => "1", "b" => "2", "c" => "3" });
}

#[test]
fn merge_works_at_any_depth() {
    let deep = |leaf: &str| {
        let mut tree = Tree::new();
        tree.insert(&vec!["d"; 5_000].join("/"), Node::file(leaf))
            .unwrap();
        tree
    };
    let mut tree = deep("base");
    tree.merge(deep("later"));
    assert_eq!(tree, deep("later"));
}

#[test]
fn write_missing_adds_only_what_is_not_there() {
    let dir = fixtree::tempdir().unwrap();
    tree! { "config.toml" => "mine", "data" => { "old.csv" => "mine" } }
        .write_to(dir.path())
        .unwrap();
    let defaults = tree! {
        "config.toml" => "default",
        "data" => { "old.csv" => "default", "seed.csv" => "default" },
        "logs" => {},
    };
    defaults.write_missing(dir.path()).unwrap();
    assert_tree!(dir.path(), {
        "config.toml" => "mine",
        "data" => { "old.csv" => "mine", "seed.csv" => "default" },
        "logs" => {},
    });
    // Nothing missing: nothing changes.
    defaults.write_missing(dir.path()).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        "mine"
    );
}

#[test]
fn write_missing_refuses_a_file_where_the_tree_has_a_directory() {
    let dir = fixtree::tempdir().unwrap();
    fs::write(dir.path().join("data"), "a file").unwrap();
    let err = tree! { "data" => { "seed.csv" => "" } }
        .write_missing(dir.path())
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().join("data").display().to_string()),
        "{message}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("data")).unwrap(),
        "a file"
    );
}

#[cfg(unix)]
#[test]
fn write_missing_never_follows_a_link_where_the_tree_has_a_directory() {
    let dir = fixtree::tempdir().unwrap();
    let outside = fixtree::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("data")).unwrap();
    let result = tree! { "data" => { "seed.csv" => "" } }.write_missing(dir.path());
    assert!(result.is_err(), "wrote through a link: {result:?}");
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}
