//! Trees far deeper than any real one: every operation on a tree, in memory
//! and on disk, works on a test thread's 2 MiB stack and within a bounded
//! number of open descriptors, whatever the depth.
//!
//! A stack overflow aborts the whole test binary — no summary, and every
//! other running test's directory left behind — so each test runs on a
//! thread with exactly libtest's default stack, whatever RUST_MIN_STACK says.

use std::path::{Path, PathBuf};
use std::thread;

use fixtree::{ExpectedTree, Tree};

use crate::support;

/// Far deeper than any real tree, and than a recursive walk survives.
const DEPTH: usize = 10_000;

/// How deep the trees on disk go: [`DEPTH`] where the platform layer walks
/// from directory descriptor to descriptor. Windows goes by path, each step
/// resolving the whole path again, and a path reaches only so far (32,767
/// characters; under Wine, the host's 4,096 bytes): there the trees on disk
/// are deep enough to show no walk recurses per level, and quick.
const DISK_DEPTH: usize = if cfg!(windows) { 300 } else { DEPTH };

/// The stack libtest gives a test thread unless RUST_MIN_STACK says otherwise.
const TEST_STACK: usize = 2 << 20;

/// Runs `f` on a thread with [`TEST_STACK`], passing its panic on.
fn on_test_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    thread::scope(|scope| {
        thread::Builder::new()
            .stack_size(TEST_STACK)
            .spawn_scoped(scope, f)
            .expect("spawn a test thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// `depth` directories named `d`, one in the other, and in the last a file
/// `leaf.txt` holding `leaf`.
fn deep_tree(depth: usize, leaf: &str) -> Tree {
    let key = format!("{}leaf.txt", "d/".repeat(depth));
    Tree::new().with(&key, leaf).expect("a valid key")
}

/// The path of the `levels`-th nested `d` under `root`.
fn nested(root: &Path, levels: usize) -> PathBuf {
    (0..levels).fold(root.to_owned(), |path, _| path.join("d"))
}

#[test]
fn a_deep_tree_is_built_and_dropped() {
    on_test_stack(|| drop(deep_tree(DEPTH, "x")));
}

#[test]
fn deep_trees_compare_with_eq() {
    on_test_stack(|| {
        let tree = deep_tree(DEPTH, "x");
        assert!(tree == deep_tree(DEPTH, "x"));
        assert!(tree != deep_tree(DEPTH, "y"));
        assert!(tree != deep_tree(DEPTH - 1, "x"));
    });
}

#[test]
fn deep_directories_merge_on_insert() {
    on_test_stack(|| {
        let mut tree = deep_tree(DEPTH, "x");
        let other = Tree::new()
            .with(&format!("{}other.txt", "d/".repeat(DEPTH - 1)), "y")
            .expect("a valid key");
        tree.insert("d", other).expect("merges");
        let bottom = "d/".repeat(DEPTH);
        assert!(tree.get(&format!("{bottom}leaf.txt")).is_some());
        assert!(tree.get(&format!("{bottom}other.txt")).is_some());
        let err = tree.insert("d", deep_tree(DEPTH - 1, "z")).unwrap_err();
        let duplicate = format!("{bottom}leaf.txt");
        assert_eq!(err, fixtree::TreeError::Duplicate(duplicate));
    });
}

#[test]
fn a_deep_tree_is_cloned() {
    on_test_stack(|| {
        let tree = deep_tree(DEPTH, "x");
        assert!(tree.clone() == tree);
    });
}

#[test]
fn a_deep_tree_prints_and_parses_back() {
    on_test_stack(|| {
        let tree = deep_tree(DEPTH, "x");
        let text = tree.to_string();
        assert!(
            text.starts_with(r#"{ "d" => { "d" => {"#),
            "{}",
            &text[..40]
        );
        assert!(text.parse::<Tree>().expect("parses back") == tree);
        let debug = format!("{tree:?}");
        assert_eq!(debug.strip_prefix("Tree "), Some(text.as_str()));
    });
}

#[test]
fn a_deep_tree_prints_indented_and_parses_back() {
    // Indented, the text grows with the square of the depth.
    on_test_stack(|| {
        let tree = deep_tree(DEPTH / 10, "x");
        let text = format!("{tree:#}");
        assert!(text.parse::<Tree>().expect("parses back") == tree);
    });
}

#[test]
fn deep_expected_trees_compare_and_print() {
    on_test_stack(|| {
        let expected = |leaf| ExpectedTree::from(deep_tree(DEPTH, leaf));
        let tree = expected("x");
        assert!(tree == expected("x"));
        assert!(tree != expected("y"));
        assert!(tree != ExpectedTree::from(deep_tree(DEPTH - 1, "x")));

        // `..` at the bottom, where only the walk reaches it.
        let bottom = |open: bool| {
            let dir = ExpectedTree::new();
            let dir = if open { dir.allow_others() } else { dir };
            let key = format!("{}e", "d/".repeat(DEPTH));
            ExpectedTree::new().with(&key, dir).expect("a valid key")
        };
        assert!(bottom(true) == bottom(true));
        assert!(bottom(true) != bottom(false));

        let debug = format!("{:?}", bottom(true));
        assert!(
            debug.starts_with(r#"ExpectedTree { "d" => { "d" => {"#),
            "{}",
            &debug[..40]
        );
        assert!(debug.contains(r#"{ "e" => { .. } }"#));
        let debug = format!("{tree:?}");
        assert!(debug.contains(r#"{ "leaf.txt" => File { contents: [120], "#));
    });
}

#[test]
#[ignore = "slow: CI runs it (10,000 directories on disk)"]
fn a_deep_tree_is_written_and_removed_on_drop() {
    on_test_stack(|| {
        let dir = fixtree::tempdir().expect("tempdir");
        let path = dir.path().to_owned();
        deep_tree(DISK_DEPTH, "x")
            .write_to(&path)
            .expect("write_to");
        // A path is only so long: look as deep as one reaches.
        assert!(nested(&path, DISK_DEPTH.min(1000)).is_dir());
        drop(dir);
        assert!(!path.exists());
    });
}

#[test]
#[ignore = "slow: CI runs it (10,000 directories on disk)"]
fn a_deep_directory_is_read() {
    on_test_stack(|| {
        let dir = fixtree::tempdir().expect("tempdir");
        let tree = deep_tree(DISK_DEPTH, "x");
        tree.write_to(dir.path()).expect("write_to");
        assert!(Tree::read(dir.path()).expect("read") == tree);
    });
}

#[test]
#[ignore = "slow: CI runs it (10,000 directories on disk)"]
fn a_deep_snapshot_folder_is_copied_with_its_contents_and_modes() {
    on_test_stack(|| {
        let folder = fixtree::tempdir().expect("tempdir");
        let mut tree = deep_tree(DISK_DEPTH, "x");
        let bottom = "d/".repeat(DISK_DEPTH);
        tree.insert(&format!("{bottom}empty/.keep"), "")
            .expect("a valid key");
        tree.write_to(folder.path()).expect("write_to");
        let dir = fixtree::tempdir().expect("tempdir");
        fixtree::copy_snapshot(folder.path(), dir.path()).expect("copy_snapshot");
        // Past a path's length, the copy is looked at as Tree::read sees it.
        let mut copied = deep_tree(DISK_DEPTH, "x");
        copied
            .insert(&format!("{bottom}empty"), Tree::new())
            .expect("a valid key");
        assert!(Tree::read(dir.path()).expect("read") == copied);
        #[cfg(unix)]
        for levels in [1, 1000] {
            assert_eq!(support::mode(&nested(dir.path(), levels)), 0o755);
        }
    });
}

/// Writes, reads, compares and removes a tree `depth` levels deep, deeper
/// than the child's descriptor limit.
#[cfg(unix)]
fn round_trip_past_the_descriptor_limit(depth: usize) {
    on_test_stack(|| {
        let dir = fixtree::tempdir().expect("tempdir");
        let tree = deep_tree(depth, "x");
        tree.write_to(dir.path()).expect("write_to");
        tree.write_over(dir.path()).expect("write_over");
        assert!(Tree::read(dir.path()).expect("read") == tree);
        fixtree::check_tree(dir.path(), &tree).expect("the same tree");
        let other = deep_tree(depth, "y");
        assert_eq!(
            fixtree::check_tree(dir.path(), &other).unwrap_err().len(),
            1
        );
        // The snapshot side walks down the folder too.
        let folder = fixtree::tempdir().expect("tempdir");
        tree.write_to(folder.path()).expect("write_to");
        let expected = ExpectedTree::from_snapshot(folder.path()).expect("from_snapshot");
        fixtree::check_tree(dir.path(), &expected).expect("the same tree");
        folder.close().expect("close");
        dir.close().expect("close");
    });
}

/// The child's `ulimit -n`: the test binary opens a few descriptors of its own.
#[cfg(unix)]
const OPEN_FILES: usize = 128;

#[cfg(unix)]
#[test]
fn a_tree_deeper_than_the_descriptor_limit_is_written_read_and_removed() {
    let name = "a_tree_deeper_than_the_descriptor_limit_is_written_read_and_removed";
    if support::is_child(name) {
        return round_trip_past_the_descriptor_limit(4 * OPEN_FILES);
    }
    let setup = support::Setup {
        open_files_limit: Some(OPEN_FILES as u32),
        ..support::Setup::default()
    };
    support::run_in_child(name, setup);
}

/// A `ulimit -n` a few descriptors above the 12 this test needs (the
/// standard streams; the directory's and the folder's walks, each at its
/// base and the 2 levels a limit this low leaves it; a file; a `..`
/// reopened), where a Rust test binary starts at 4: the walks' descriptor
/// budget follows the limit the process runs under.
#[cfg(unix)]
const FEW_OPEN_FILES: u32 = 16;

#[cfg(unix)]
#[test]
fn a_deep_tree_is_written_read_compared_and_removed_under_a_low_descriptor_limit() {
    let name = "a_deep_tree_is_written_read_compared_and_removed_under_a_low_descriptor_limit";
    if support::is_child(name) {
        return round_trip_past_the_descriptor_limit(512);
    }
    let setup = support::Setup {
        open_files_limit: Some(FEW_OPEN_FILES),
        ..support::Setup::default()
    };
    support::run_in_child(name, setup);
}

/// How deep the directory goes that review mode is asked to record as an
/// inline spec (Windows goes by path: see [`DISK_DEPTH`]).
const RECORDED_DEPTH: usize = if cfg!(windows) { 300 } else { 5_000 };

/// A report is read by a person: its cap, whatever the tree (see expect/limits.rs).
const REPORT_BYTES: usize = 64 << 10;

#[test]
#[ignore = "slow: CI runs it (10,000 directories on disk)"]
fn a_deep_directory_fails_with_a_bounded_report_and_paste() {
    on_test_stack(|| {
        let dir = fixtree::tempdir().expect("tempdir");
        deep_tree(DISK_DEPTH, "y")
            .write_to(dir.path())
            .expect("write_to");
        let expected = ExpectedTree::new()
            .with(&format!("{}leaf.txt", "d/".repeat(DISK_DEPTH)), "x")
            .expect("a valid key");
        let report = fixtree::check_tree(dir.path(), &expected)
            .unwrap_err()
            .to_string();
        assert!(report.len() <= REPORT_BYTES, "{} bytes", report.len());
        let (_, paste) = report
            .split_once("expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):\n")
            .expect("a tree to paste");
        // The diff's headers show the end of the bottom file's path, 20,000
        // bytes long on Unix, leaving room for the paste's 60 entries.
        assert!(report.contains("leaf.txt\n+++ actual/"), "{report}");
        let more = format!("… {} more entries not shown", DISK_DEPTH + 1 - 60);
        assert!(paste.ends_with(&more), "{paste}");
        eprintln!(
            "report of a {DISK_DEPTH}-level directory: {} bytes, {} of them to paste",
            report.len(),
            paste.len()
        );
    });
}

/// Compares a [`RECORDED_DEPTH`]-level directory with an inline spec in
/// review mode: a record that large is refused, never written, and the
/// message says what to do instead.
fn review_a_deep_directory() {
    let crate_dir = support::dir_with(&fixtree::tree! { "tests/it.rs" => "// the test\n" });
    let source = crate_dir.path().join("tests").join("it.rs");
    let actual = fixtree::tempdir().expect("tempdir");
    deep_tree(RECORDED_DEPTH, "y")
        .write_to(actual.path())
        .expect("write_to");
    let failed = std::panic::catch_unwind(|| {
        fixtree::__private::assert_tree_inline(
            actual.path(),
            deep_tree(RECORDED_DEPTH, "x"),
            &[],
            fixtree::__private::SourceSpot {
                file: source.to_str().expect("a UTF-8 path"),
                line: 3,
                column: 5,
                manifest_dir: env!("CARGO_MANIFEST_DIR"),
                package: env!("CARGO_PKG_NAME"),
                tokens: "0123456789abcdef",
            },
        );
    })
    .expect_err("a failure");
    let message = match failed.downcast::<String>() {
        Ok(message) => *message,
        Err(panic) => (*panic.downcast::<&str>().expect("a message")).to_owned(),
    };
    assert!(message.len() <= REPORT_BYTES, "{} bytes", message.len());
    assert!(
        message.contains("too large for an inline spec") && message.contains("from = "),
        "{message}"
    );
    let records = crate_dir.path().join("tests").join("it.rs.fixtree-pending");
    let recorded = std::fs::metadata(&records).map_or(0, |m| m.len());
    assert_eq!(recorded, 0, "nothing recorded");
    eprintln!(
        "review of a {RECORDED_DEPTH}-level directory: record {recorded} bytes, message {} bytes: {message}",
        message.len()
    );
}

#[test]
#[ignore = "slow: CI runs it (5,000 directories on disk)"]
fn review_mode_refuses_to_record_a_deep_directory_as_an_inline_spec() {
    let name = "review_mode_refuses_to_record_a_deep_directory_as_an_inline_spec";
    if support::is_child(name) {
        return on_test_stack(review_a_deep_directory);
    }
    let setup = support::Setup {
        env: &[("FIXTREE_UPDATE", Some("review")), ("CI", None)],
        ..support::Setup::default()
    };
    let output = support::run_in_child(name, setup);
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
}

/// How deep a snapshot folder goes that a directory is compared with:
/// twice as deep as a path reaches on Linux (PATH_MAX, 4,096 bytes).
const SNAPSHOT_DEPTH: usize = if cfg!(windows) { DISK_DEPTH } else { 5_000 };

#[test]
#[ignore = "slow: CI runs it (5,000 directories on disk)"]
fn a_deep_directory_compares_with_a_deep_snapshot_folder() {
    on_test_stack(|| {
        let folder = support::dir_with(&deep_tree(SNAPSHOT_DEPTH, "x"));
        let dir = support::dir_with(&deep_tree(SNAPSHOT_DEPTH, "x"));
        let expected = ExpectedTree::from_snapshot(folder.path()).expect("from_snapshot");
        fixtree::check_tree(dir.path(), &expected).expect("the same tree");

        // One byte differs, at the bottom.
        deep_tree(SNAPSHOT_DEPTH, "y")
            .write_over(dir.path())
            .expect("write_over");
        let expected = ExpectedTree::from_snapshot(folder.path()).expect("from_snapshot");
        let diff = fixtree::check_tree(dir.path(), &expected).unwrap_err();
        let bottom = format!("{}leaf.txt", "d/".repeat(SNAPSHOT_DEPTH));
        assert_eq!(diff.paths().collect::<Vec<_>>(), [bottom.as_str()]);
        assert!(diff.read_error().is_none());
        let report = diff.to_string();
        assert!(report.contains("\n-x\n"), "{report}");
    });
}
