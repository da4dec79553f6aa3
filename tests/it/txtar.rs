//! Txtar files — many files in one text file — as fixtures
//! (`#[with_tempdir(from = "….txtar")]`), as expected trees
//! (`assert_tree!(dir, from = "….txtar")`), rewritten by update mode, and
//! through `Tree::from_txtar` / `to_txtar`: what they hold, and every input
//! they refuse, named by line or entry.

use crate::support;

use std::fs;
use std::path::Path;

use fixtree::__private::LineEndings;
use fixtree::{Node, Tree, TxtarError, assert_tree, tree, with_tempdir};
use support::{dir_with, folder, is_child};

/// What tests/fixtures/project.txtar holds.
#[cfg(unix)]
fn project() -> Tree {
    tree! {
        ".git" => { "HEAD" => "ref: refs/heads/main\n", "config" => "[core]\n\tbare = false\n" },
        ".gitignore" => "*\n",
        "Cargo.toml" => "[package]\nname = \"demo\"\n",
        "out" => {},
        "run.sh" => exec("#!/bin/sh\necho hi\n"),
        "src/bin/cli.rs" => "fn main() {}\n",
        "src/lib.rs" => "pub fn f() {}\n",
        "version" => "1.0",
    }
}

#[with_tempdir(from = "tests/fixtures/project.txtar")]
#[test]
fn a_txtar_fixture_fills_the_directory(dir: &Path) {
    // Git on Windows may check the fixture out with CRLF line endings, as it
    // would a folder's files.
    let text = |path: &str| {
        fs::read_to_string(dir.join(path))
            .unwrap()
            .replace("\r\n", "\n")
    };
    assert_eq!(text(".git/config"), "[core]\n\tbare = false\n");
    assert_eq!(text(".gitignore"), "*\n");
    assert_eq!(text("src/bin/cli.rs"), "fn main() {}\n");
    assert_eq!(text("version"), "1.0");
    assert_eq!(fs::read_dir(dir.join("out")).unwrap().count(), 0);
    #[cfg(unix)]
    assert_eq!(Tree::read(dir).unwrap(), project());
}

#[with_tempdir(from = "tests/fixtures/project.txtar")]
#[test]
fn a_txtar_snapshot_matches(dir: &Path) {
    fs::write(dir.join("out/report.txt"), "built demo 1.0\n").unwrap();
    assert_tree!(dir, from = "tests/snapshots/project_built.txtar");
}

#[with_tempdir(from = "tests/fixtures/escape.txtar")]
#[should_panic(
    expected = "line 4: key \"../escaped.txt\" has a '.' or '..' segment: name the path directly"
)]
#[test]
fn a_txtar_fixture_naming_a_parent_segment_fills_nothing(_dir: &Path) {}

/// A crate holding `tests/snap.txtar` with `text`.
fn crate_with_txtar(text: &str) -> fixtree::TempDir {
    dir_with(&Tree::new().with("tests/snap.txtar", text).unwrap())
}

/// `assert_tree!(actual, from = "tests/snap.txtar", ignore = ["*.log"])` in
/// the crate at `root`, its panic message if it panics.
fn assert_from(actual: &Path, root: &Path, line_endings: LineEndings) -> Option<String> {
    std::panic::catch_unwind(|| {
        fixtree::__private::assert_tree_from(
            actual,
            folder(root, "tests/snap.txtar"),
            &["*.log"],
            line_endings,
        );
    })
    .err()
    .map(|panic| panic.downcast_ref::<String>().unwrap().clone())
}

#[test]
fn a_txtar_mismatch_names_the_file_and_how_to_update_it() {
    let root = crate_with_txtar("-- a.txt --\nold\n-- build.log --\nignored\n");
    let actual = dir_with(&tree! { "a.txt" => "new\n", "run.log" => "ignored too\n" });
    if std::env::var_os("FIXTREE_UPDATE").is_some() {
        return;
    }
    let message = assert_from(actual.path(), root.path(), LineEndings::Any).unwrap();
    assert!(message.contains(" vs tests/snap.txtar\n"), "{message}");
    assert!(message.contains("~ a.txt"), "{message}");
    assert!(!message.contains("build.log  "), "ignored: {message}");
    assert!(
        message.contains(
            "update the txtar file with: FIXTREE_UPDATE=1 cargo test -p fixtree --test it \
             txtar::a_txtar_mismatch_names_the_file_and_how_to_update_it"
        ),
        "{message}"
    );
}

#[test]
fn crlf_in_a_txtar_file_is_line_endings_as_in_a_folder() {
    // As git on Windows checks a txtar file out: every line CRLF.
    let root = crate_with_txtar("note\r\n-- a.txt --\r\nx\r\n-- empty/ --\r\n");
    let actual = dir_with(&tree! { "a.txt" => "x\n", "empty" => {} });
    if std::env::var_os("FIXTREE_UPDATE").is_some() {
        return;
    }
    assert_eq!(
        assert_from(actual.path(), root.path(), LineEndings::Any),
        None
    );
    let exact = assert_from(actual.path(), root.path(), LineEndings::Exact).unwrap();
    assert!(
        exact.contains("line endings differ, first on line 1: expected CRLF, found LF"),
        "{exact}"
    );
}

#[test]
fn a_txtar_file_that_does_not_parse_is_named_with_its_line() {
    let root = crate_with_txtar("-- a.txt --\nx\n-- a.txt --\ny\n");
    let actual = dir_with(&Tree::new());
    if std::env::var_os("FIXTREE_UPDATE").is_some() {
        return;
    }
    let message = assert_from(actual.path(), root.path(), LineEndings::Any).unwrap();
    assert!(
        message.starts_with("fixtree: cannot read txtar file tests/snap.txtar (looked up at "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "line 3: duplicate key \"a.txt\": each path may be given once; remove one of them"
        ),
        "{message}"
    );
}

/// The txtar file update mode starts from, and a directory that has moved
/// on from it: `same.txt` differs only in line endings, `build.log` is
/// ignored and stays, `logs/` holds only ignored entries on both sides.
const BEFORE: &str = "\
Expected output of the converter.
-- build.log --
ignored: stays
-- changed.txt --
old
-- logs/old.log --
ignored: stays
-- old.txt --
gone soon
-- same.txt --
same\r
";

#[cfg(unix)]
fn actual_after() -> Tree {
    tree! {
        "same.txt" => "same\n",
        "changed.txt" => "new",
        "new.txt" => "added\n",
        "run.sh" => exec("#!/bin/sh\n"),
        "fresh" => {},
        "logs" => { "today.log" => "ignored: not copied\n" },
        "other.log" => "ignored: not copied\n",
        ".git/config" => "[core]\n",
    }
}

#[cfg(unix)]
const AFTER: &str = "\
Expected output of the converter.
-- .git/config --
[core]
-- build.log --
ignored: stays
-- changed.txt (no final newline) --
new
-- fresh/ --
-- logs/old.log --
ignored: stays
-- new.txt --
added
-- run.sh (exec) --
#!/bin/sh
-- same.txt --
same\r
";

#[cfg(unix)]
#[test]
fn update_mode_rewrites_the_txtar_file_keeping_its_comment_and_ignored_entries() {
    let name = "update_mode_rewrites_the_txtar_file_keeping_its_comment_and_ignored_entries";
    if is_child(name) {
        let root = crate_with_txtar(BEFORE);
        let actual = dir_with(&actual_after());
        // A fifo is no tree entry: ignored, it is not even read.
        let status = std::process::Command::new("mkfifo")
            .arg(actual.path().join("logs/pipe.log"))
            .status()
            .unwrap();
        assert!(status.success());
        let file = root.path().join("tests/snap.txtar");
        assert_eq!(
            assert_from(actual.path(), root.path(), LineEndings::Any),
            None
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), AFTER);
        // Up to date now: the file is not written again.
        let written = fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            assert_from(actual.path(), root.path(), LineEndings::Any),
            None
        );
        assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), written);
        // A txtar file that is missing is written.
        fs::remove_file(&file).unwrap();
        assert_eq!(
            assert_from(actual.path(), root.path(), LineEndings::Any),
            None
        );
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("-- .git/config --\n[core]\n-- changed.txt"),
            "{text}"
        );
        return;
    }
    let stderr = support::run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: updated txtar file tests/snap.txtar: added .git, fresh, new.txt, run.sh; \
             changed changed.txt; removed old.txt\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixtree: txtar file tests/snap.txtar is up to date"),
        "{stderr}"
    );
}

/// In a subset comparison (`..`) update mode rewrites what the txtar file
/// holds and adds nothing: a file the test made a directory becomes an
/// empty one, as in a folder. A missing file is written whole.
#[cfg(unix)]
#[test]
fn update_mode_in_subset_adds_nothing_to_the_txtar_file() {
    let name = "update_mode_in_subset_adds_nothing_to_the_txtar_file";
    if is_child(name) {
        let root = crate_with_txtar(BEFORE);
        let actual = dir_with(&actual_after());
        fs::remove_file(actual.path().join("same.txt")).unwrap();
        fs::create_dir(actual.path().join("same.txt")).unwrap();
        fs::write(actual.path().join("same.txt/inside.txt"), "inside\n").unwrap();
        // Only the paths that differ are read: not a fifo the file never held.
        fs::create_dir(actual.path().join("target")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(actual.path().join("target/pipe"))
            .status()
            .unwrap();
        assert!(fifo.success());
        let assert_subset = || {
            crate::assert_tree::assert_subset_from(actual.path(), root.path(), "tests/snap.txtar");
        };
        assert_subset();
        let file = root.path().join("tests/snap.txtar");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "\
Expected output of the converter.
-- build.log --
ignored: stays
-- changed.txt (no final newline) --
new
-- logs/old.log --
ignored: stays
-- same.txt/ --
"
        );
        assert_subset();
        fs::remove_file(&file).unwrap();
        fs::remove_dir_all(actual.path().join("target")).unwrap();
        assert_subset();
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("-- .git/config --\n[core]\n-- changed.txt")
                && text.ends_with("-- same.txt/inside.txt --\ninside\n"),
            "{text}"
        );
        return;
    }
    let stderr = support::run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: updated txtar file tests/snap.txtar: changed changed.txt, same.txt; \
             removed old.txt\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixtree: txtar file tests/snap.txtar is up to date"),
        "{stderr}"
    );
}

#[test]
fn update_mode_refuses_what_a_txtar_file_cannot_hold_and_leaves_it() {
    let name = "update_mode_refuses_what_a_txtar_file_cannot_hold_and_leaves_it";
    if is_child(name) {
        let root = crate_with_txtar(BEFORE);
        let file = root.path().join("tests/snap.txtar");
        for (actual, why) in [
            (
                tree! { "logo.png" => b"\x89PNG\r\n\x1a\n\0" },
                "logo.png: a binary file (not UTF-8 text, or holding a NUL byte)",
            ),
            (
                tree! { "notes/README.md" => "# Notes\n-- draft --\n" },
                "notes/README.md: line 2 of the file, \"-- draft --\", reads as a txtar header",
            ),
        ]
        .into_iter()
        .chain(symlink_case())
        {
            let actual = dir_with(&actual);
            let message = assert_from(actual.path(), root.path(), LineEndings::Any).unwrap();
            assert!(
                message.starts_with(
                    "fixtree: cannot update txtar file tests/snap.txtar (looked up at "
                ) && message.contains(why),
                "{message}"
            );
            assert_eq!(fs::read_to_string(&file).unwrap(), BEFORE);
        }
        // A txtar file that does not parse is not overwritten: its comment
        // and ignored entries would be lost.
        fs::write(&file, "-- ../up --\n").unwrap();
        let actual = dir_with(&Tree::new());
        let message = assert_from(actual.path(), root.path(), LineEndings::Any).unwrap();
        assert!(message.contains("line 1: key \"../up\""), "{message}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "-- ../up --\n");
        return;
    }
    support::run_in_update_mode(name);
}

/// A link, where the system lets anyone make one.
fn symlink_case() -> Option<(Tree, &'static str)> {
    cfg!(unix).then(|| {
        (
            tree! { "latest" => symlink("a") },
            "latest: a symbolic link, which a txtar file cannot hold",
        )
    })
}

#[test]
fn parse_errors_name_the_line_and_the_fix() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "comment\n-- ok --\n-- ../x --\n",
            3,
            "key \"../x\" has a '.' or '..' segment",
        ),
        ("-- /etc/passwd --\n", 1, "absolute key \"/etc/passwd\""),
        (
            "-- a --\n-- a/b --\n",
            2,
            "key \"a/b\" puts an entry inside \"a\", which is already a file or symlink",
        ),
        (
            "-- empty/ --\n\n",
            2,
            "text under directory header \"-- empty/ --\" (line 1): a header ending in '/' makes an \
             empty directory and takes no content; remove the text, or the '/' to make it a file",
        ),
        (
            "-- d/ (exec) --\n",
            1,
            "directory \"d\" is marked (exec) or (no final newline), which only a file can be",
        ),
        (
            "-- a --\nx\0y\n",
            2,
            "a NUL byte: a txtar file holds text only",
        ),
    ];
    for (text, line, message) in cases {
        match Tree::from_txtar(text) {
            Err(TxtarError::Parse {
                line: at,
                message: why,
            }) => {
                assert_eq!(at, *line, "{text:?}: {why}");
                assert!(why.starts_with(message), "{text:?}: {why}");
            }
            other => panic!("{text:?} parsed: {other:?}"),
        }
    }
}

#[test]
fn what_no_header_can_hold_is_refused_naming_the_entry() {
    let refused = |tree: Tree| match tree.to_txtar() {
        Err(TxtarError::Print { entry, message }) => format!("{entry}: {message}"),
        other => panic!("printed: {other:?}"),
    };
    assert!(
        refused(tree! { " padded" => "" })
            .starts_with(" padded: a name that a txtar header cannot hold")
    );
    assert!(refused(tree! { "run.sh (exec)" => "" }).starts_with("run.sh (exec): a name"));
    // A key holds no control character on Windows.
    #[cfg(not(windows))]
    assert!(refused(tree! { "a\nb" => "" }).starts_with("a\nb: a name"));
    assert!(refused(tree! { "cr" => "x\r" }).starts_with("cr: ends in a carriage return"));
    assert!(refused(tree! { "latin1" => b"caf\xe9" }).starts_with("latin1: a binary file"));
    // Words in parentheses that are not marks are part of a name.
    let draft = tree! { "notes (draft)" => "x\n" };
    assert_eq!(draft.to_txtar().unwrap(), "-- notes (draft) --\nx\n");
    assert_eq!(Tree::from_txtar("-- notes (draft) --\nx\n").unwrap(), draft);
}

#[test]
fn go_layout_details_hold() {
    // The name is trimmed; the last line gets a line break; a line that
    // only looks like a header ("--  --", "-- x --y") is content.
    let tree = Tree::from_txtar("--   spaced name   --\n--  --\n-- x --y").unwrap();
    assert_eq!(
        tree.get("spaced name"),
        Some(&Node::file("--  --\n-- x --y\n"))
    );
    // The comment is set aside.
    assert_eq!(Tree::from_txtar("no files").unwrap(), Tree::new());
    // An empty file and an empty archive.
    assert_eq!(Tree::from_txtar("-- a --\n").unwrap(), tree! { "a" => "" });
    assert_eq!(Tree::from_txtar("").unwrap(), Tree::new());
    assert_eq!(Tree::new().to_txtar().unwrap(), "");
}

mod roundtrip {
    use std::collections::BTreeMap;

    use fixtree::{Node, Tree, TxtarError};
    use proptest::prelude::*;

    /// Characters of names, some of which no header can hold as they are
    /// (surrounding spaces, a line break, a suffix like ` (exec)`).
    const NAME_PARTS: &[&str] = &[
        "a", "Z", "0", " ", ".", "-", "(", ")", ",", "\n", "é", "🦀", " (exec)", "/",
    ];
    /// Parts of contents: lines that read as headers, `\r` for CRLF endings
    /// and a last lone carriage return.
    const TEXT_PARTS: &[&str] = &[
        "a", " ", "-", "\n", "\r", "\t", "é", "日", "\u{feff}", "-- a --", "-- ", " --",
    ];
    /// Names and contents a txtar file always holds.
    const PLAIN_NAME_PARTS: &[&str] = &["a", "Z", "0", ".", "-", "(", ")", "é", "🦀"];
    const PLAIN_TEXT_PARTS: &[&str] = &["a", " ", "\n", "\t", "é", "日", "-\n"];

    fn text(parts: &'static [&str], len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(parts), len).prop_map(|parts| parts.concat())
    }

    fn tree_of(entries: BTreeMap<String, Node>) -> Tree {
        let mut tree = Tree::new();
        for (name, node) in entries {
            tree.insert(&name, node).expect("one segment");
        }
        tree
    }

    /// Trees of text files, executable or not, and directories, empty ones
    /// included, with names and contents made of these parts.
    fn tree(names: &'static [&str], texts: &'static [&str]) -> impl Strategy<Value = Tree> {
        let name = move || {
            // Not `.` or `..`, nor (on Windows) what its file systems cannot hold.
            text(names, 1..6).prop_filter("a name is one segment, a key on this platform", |n| {
                !n.contains('/') && Tree::new().with(n, "").is_ok()
            })
        };
        let file = (text(texts, 0..40), any::<bool>())
            .prop_map(|(text, exec)| Node::file_with_mode(text, if exec { 0o755 } else { 0o644 }));
        let node = file.prop_recursive(3, 48, 5, move |inner| {
            prop::collection::btree_map(name(), inner, 0..5).prop_map(|e| Node::Dir(tree_of(e)))
        });
        prop::collection::btree_map(name(), node, 0..6).prop_map(tree_of)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Printed, a tree parses back the same; or printing refuses,
        /// naming an entry it holds.
        #[test]
        fn a_printed_tree_parses_back_the_same(tree in tree(NAME_PARTS, TEXT_PARTS)) {
            match tree.to_txtar() {
                Ok(text) => prop_assert_eq!(Tree::from_txtar(&text).unwrap(), tree),
                Err(TxtarError::Print { entry, .. }) => prop_assert!(tree.get(&entry).is_some(), "{}", entry),
                Err(e) => prop_assert!(false, "{}", e),
            }
        }

        /// Plain names and text always print.
        #[test]
        fn a_plain_tree_prints(tree in tree(PLAIN_NAME_PARTS, PLAIN_TEXT_PARTS)) {
            let text = tree.to_txtar().unwrap();
            prop_assert_eq!(Tree::from_txtar(&text).unwrap(), tree);
        }
    }
}
