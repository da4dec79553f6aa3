//! `tree!` builds exactly the tree the equivalent `Tree::new().with(..)` chain
//! builds; the key rules, duplicates and conflicts are compile errors, pinned
//! in tests/ui.

use std::cell::RefCell;

use fixtree::{Node, Tree, TreeError, tree};

#[test]
fn empty() {
    assert_eq!(tree! {}, Tree::new());
    assert_eq!(tree!(), Tree::new());
}

#[test]
fn text_files_and_nested_directories() -> Result<(), TreeError> {
    let built = tree! {
        "Cargo.toml" => "[package]\nname = \"demo\"\n",
        "src" => {
            "lib.rs" => "pub fn f() {}\n",
            "bin" => { "cli.rs" => "fn main() {}\n" },
        },
        "README.md" => "# demo\n",
    };
    let chained = Tree::new()
        .with("Cargo.toml", "[package]\nname = \"demo\"\n")?
        .with("src/lib.rs", "pub fn f() {}\n")?
        .with("src/bin/cli.rs", "fn main() {}\n")?
        .with("README.md", "# demo\n")?;
    assert_eq!(built, chained);
    Ok(())
}

#[test]
fn paths_make_parents_and_merge_with_explicit_directories() -> Result<(), TreeError> {
    let built = tree! {
        "a/b/c" => "1",
        "a" => {
            "x" => "2",
            "b" => { "d" => "3" },
            "b/e/f" => "4",
        },
        "a/y" => "5",
        "g/h" => {},
    };
    let chained = Tree::new()
        .with("a/b/c", "1")?
        .with("a/x", "2")?
        .with("a/b/d", "3")?
        .with("a/b/e/f", "4")?
        .with("a/y", "5")?
        .with("g/h", Tree::new())?;
    assert_eq!(built, chained);
    Ok(())
}

#[test]
fn empty_directories() -> Result<(), TreeError> {
    let built = tree! {
        "empty" => {},
        "nested" => { "also empty" => {} },
        "deep/er" => {},
    };
    let chained = Tree::new()
        .with("empty", Tree::new())?
        .with("nested/also empty", Tree::new())?
        .with("deep/er", Tree::new())?;
    assert_eq!(built, chained);
    assert_eq!(built.get("empty"), Some(&Node::Dir(Tree::new())));
    Ok(())
}

#[test]
fn bytes() -> Result<(), TreeError> {
    let vec: Vec<u8> = vec![1, 2, 3];
    let slice: &[u8] = &[4, 5];
    let built = tree! {
        "literal.bin" => b"\x00\xff",
        "included.bin" => include_bytes!("../fixtures/tiny.bin"),
        "vec.bin" => vec.clone(),
        "vec-ref.bin" => &vec,
        "slice.bin" => slice,
    };
    let chained = Tree::new()
        .with("literal.bin", &[0u8, 0xff])?
        .with("included.bin", b"\x00\x01fixtree\xff")?
        .with("vec.bin", vec![1u8, 2, 3])?
        .with("vec-ref.bin", [1u8, 2, 3].as_slice())?
        .with("slice.bin", [4u8, 5].as_slice())?;
    assert_eq!(built, chained);
    assert_eq!(
        built.get("literal.bin"),
        Some(&Node::file(vec![0x00, 0xff]))
    );
    Ok(())
}

#[test]
fn strings_and_other_values() -> Result<(), TreeError> {
    let owned = String::from("owned\n");
    let borrowed = String::from("borrowed\n");
    let sub = tree! { "inner.txt" => "inner" };
    let built = tree! {
        "owned.txt" => owned,
        "borrowed.txt" => &borrowed,
        "formatted.txt" => format!("{} + {}", 1, 2),
        "node.txt" => Node::file("node"),
        "sub" => sub.clone(),
        r"raw 'key'.txt" => r"raw\value",
    };
    let chained = Tree::new()
        .with("owned.txt", "owned\n")?
        .with("borrowed.txt", "borrowed\n")?
        .with("formatted.txt", "1 + 2")?
        .with("node.txt", "node")?
        .with("sub", sub)?
        .with("raw 'key'.txt", "raw\\value")?;
    assert_eq!(built, chained);
    assert_eq!(borrowed, "borrowed\n", "a borrowed value is not moved");
    Ok(())
}

#[test]
fn helpers_need_no_import() -> Result<(), TreeError> {
    let built = tree! {
        "run.sh" => exec("#!/bin/sh\necho hi\n"),
        "key.pem" => mode(0o600, "secret"),
        "plain" => mode(0o644, "plain"),
        "latest" => symlink("run.sh"),
        "bin" => { "tool" => exec(b"\x7fELF".to_vec()) },
    };
    let chained = Tree::new()
        .with("run.sh", fixtree::spec::exec("#!/bin/sh\necho hi\n"))?
        .with("key.pem", fixtree::spec::mode(0o600, "secret"))?
        .with("plain", "plain")?
        .with("latest", fixtree::spec::symlink("run.sh"))?
        .with("bin/tool", fixtree::spec::exec(b"\x7fELF".to_vec()))?;
    assert_eq!(built, chained);
    assert_eq!(
        built.get("run.sh"),
        Some(&Node::file_with_mode("#!/bin/sh\necho hi\n", 0o755))
    );
    Ok(())
}

#[test]
fn a_local_named_like_a_helper_wins() {
    let any = "my any";
    let exec = String::from("my exec");
    let symlink = b"my symlink";
    let built = tree! {
        "any.txt" => any,
        "exec.txt" => &exec,
        "symlink.txt" => symlink,
        // Called by name, a helper is the helper: in this value only.
        "run.sh" => exec("#!/bin/sh\n"),
    };
    assert_eq!(built.get("any.txt"), Some(&Node::file("my any")));
    assert_eq!(built.get("exec.txt"), Some(&Node::file("my exec")));
    assert_eq!(built.get("symlink.txt"), Some(&Node::file("my symlink")));
    assert_eq!(
        built.get("run.sh"),
        Some(&Node::file_with_mode("#!/bin/sh\n", 0o755))
    );
}

#[test]
fn a_method_or_path_named_like_a_helper_is_untouched() {
    mod mine {
        pub fn exec(s: &str) -> String {
            format!("mine: {s}")
        }
    }
    let words = ["a", "bb"];
    let built = tree! {
        "path.txt" => mine::exec("x"),
        "method.txt" => if words.iter().any(|w| w.len() == 2) { "yes" } else { "no" },
        "std-macro.txt" => if matches!(words.first(), Some(&"a")) { "yes" } else { "no" },
    };
    assert_eq!(built.get("path.txt"), Some(&Node::file("mine: x")));
    assert_eq!(built.get("method.txt"), Some(&Node::file("yes")));
    assert_eq!(built.get("std-macro.txt"), Some(&Node::file("yes")));
}

#[test]
fn values_are_evaluated_once_in_source_order() {
    let order = RefCell::new(Vec::new());
    let note = |n: u32| {
        order.borrow_mut().push(n);
        n.to_string()
    };
    let built = tree! {
        "z/late" => note(1),
        "a" => note(2),
        "z" => { "early" => note(3), "m/n" => note(4) },
        "b" => { "c" => { "d" => note(5) } },
        "c" => note(6),
    };
    assert_eq!(*order.borrow(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(built.get("z/m/n"), Some(&Node::file("4")));
    assert_eq!(built.get("b/c/d"), Some(&Node::file("5")));
}

#[test]
fn any_delimiters_and_trailing_commas() {
    let expected = tree! { "a" => "1", "b" => "2" };
    assert_eq!(tree!("a" => "1", "b" => "2",), expected);
    assert_eq!(tree!["a" => "1", "b" => "2"], expected);
    assert_eq!(
        tree! { "a" => "1", "b" => { }, },
        tree! { "b" => {}, "a" => "1" }
    );
}

#[test]
fn works_inside_macro_rules() {
    macro_rules! config {
        ($name:literal, $value:expr) => {
            tree! { "etc" => { $name => $value, "fixed" => exec("x") } }
        };
    }
    let built = config!("app.toml", "debug = true\n");
    assert_eq!(
        built.get("etc/app.toml"),
        Some(&Node::file("debug = true\n"))
    );
    assert!(built.get("etc/fixed").is_some());
}

#[test]
fn builds_a_tree_that_writes() -> std::io::Result<()> {
    let dir = fixtree::tempdir()?;
    tree! {
        "src/lib.rs" => "pub fn f() {}\n",
        "run.sh" => exec("#!/bin/sh\n"),
        "empty" => {},
    }
    .write_to(dir.path())?;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/lib.rs"))?,
        "pub fn f() {}\n"
    );
    assert!(dir.path().join("empty").is_dir());
    Ok(())
}

#[test]
fn macro_internal_names_never_meet_the_users() {
    let value_0 = "user's value_0";
    let value_1 = "user's value_1";
    let built = tree! { "a" => value_1, "b" => value_0 };
    assert_eq!(built.get("a"), Some(&Node::file("user's value_1")));
    assert_eq!(built.get("b"), Some(&Node::file("user's value_0")));
}

// Compiled for Windows, each of these keys is a compile error on the key
// (`#[cfg(windows)] compile_error!` in the expansion); elsewhere they are
// ordinary names, as `Tree::with` takes them there.
#[cfg(not(windows))]
#[test]
fn names_only_windows_refuses_build_elsewhere() -> Result<(), TreeError> {
    let built = tree! {
        "NUL" => "device",
        "logs" => { "com1.txt" => "port", "a." => "dot" },
        "ab:c" => "stream",
        "a<b" => "angle",
    };
    let chained = Tree::new()
        .with("NUL", "device")?
        .with("logs/com1.txt", "port")?
        .with("logs/a.", "dot")?
        .with("ab:c", "stream")?
        .with("a<b", "angle")?;
    assert_eq!(built, chained);
    Ok(())
}

/// Every helper of `fixtree::spec` is called by name in a value here, never
/// imported: the macros import the names `fixtree_rules::SPEC_HELPERS` lists,
/// so a helper missing from that list does not compile, and a listed name
/// without a helper does not either once it is called here (the list must
/// be this one). A new helper goes in the list and in this test.
#[test]
fn every_spec_helper_is_in_scope_in_a_value_without_an_import() -> Result<(), TreeError> {
    use std::time::Duration;

    let built = tree! {
        "run.sh" => exec("#!/bin/sh\n"),
        "key.pem" => mode(0o600, "secret"),
        "latest" => symlink("run.sh"),
        "epoch.txt" => modified(unix_time(1_000_000_000), "epoch"),
    };
    let chained = Tree::new()
        .with("run.sh", fixtree::spec::exec("#!/bin/sh\n"))?
        .with("key.pem", fixtree::spec::mode(0o600, "secret"))?
        .with("latest", fixtree::spec::symlink("run.sh"))?
        .with(
            "epoch.txt",
            fixtree::spec::modified(fixtree::spec::unix_time(1_000_000_000), "epoch"),
        )?;
    assert_eq!(built, chained);

    let dir = fixtree::tempdir().unwrap();
    let day = Duration::from_secs(24 * 3600);
    tree! { "log.txt" => modified(ago(day), "run 1: ok\n"), "cache" => {} }
        .write_to(dir.path())
        .unwrap();
    fixtree::assert_tree!(dir, {
        "log.txt" => modified(ago(day), "run 1: ok\n"),
        "cache" => any(),
        "gone" => absent(),
    });
    fixtree::assert_tree!(dir, { "log.txt" => contains("ok"), .. });
    fixtree::assert_tree!(dir, { "log.txt" => matches("run 1: ok\n"), .. });

    let mut called = [
        "exec",
        "mode",
        "symlink",
        "modified",
        "unix_time",
        "ago",
        "any",
        "absent",
        "contains",
        "matches",
    ];
    called.sort_unstable();
    let mut listed = fixtree_rules::SPEC_HELPERS.to_vec();
    listed.sort_unstable();
    assert_eq!(
        listed, called,
        "the helpers the macros import, and those called above"
    );
    Ok(())
}
