//! Line endings in snapshot folders: git on Windows checks text out with
//! CRLF, so comparing with a snapshot folder takes CRLF and LF as the same in
//! text files, unless told to compare bytes; binary files and expectations
//! written in the test compare bytes. Update mode leaves a file whose line
//! endings alone differ as git wrote it. The macro's bad values are pinned in
//! tests/ui/assert_tree_line_endings.rs.

use crate::support;

use std::path::Path;

use fixtree::__private::LineEndings;
use fixtree::{ExpectedTree, TempDir, Tree, assert_tree, check_tree, tree};
use support::{dir_with, folder, is_child, report, run_in_update_mode};

/// The expectation of a snapshot folder holding `tree`.
fn snapshot(tree: &Tree) -> (TempDir, ExpectedTree) {
    let folder = dir_with(tree);
    let expected = ExpectedTree::from_snapshot(folder.path()).unwrap();
    (folder, expected)
}

const CRLF: &str = "id,name\r\n1,alpha\r\n2,beta\r\n";
const LF: &str = "id,name\n1,alpha\n2,beta\n";

#[test]
fn a_crlf_snapshot_file_matches_lf_and_an_lf_one_crlf() {
    for (folder, actual) in [(CRLF, LF), (LF, CRLF)] {
        let (_folder, expected) = snapshot(&tree! { "table.csv" => folder });
        let dir = dir_with(&tree! { "table.csv" => actual });
        check_tree(dir.path(), &expected).unwrap();
    }
}

#[test]
fn a_changed_line_shows_as_one_line_whatever_the_line_endings() {
    let (_folder, expected) = snapshot(&tree! { "table.csv" => CRLF });
    let dir = dir_with(&tree! { "table.csv" => "id,name\n1,Alpha\n2,beta\n" });
    assert_eq!(
        report(dir.path(), &expected),
        r#"tree mismatch: <root> vs the expected tree
1 changed (0 matched, 0 ignored)
~ table.csv  content differs
--- expected/table.csv
+++ actual/table.csv
@@ -1,3 +1,3 @@
 id,name
-1,alpha
+1,Alpha
 2,beta
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "table.csv" => "id,name\n1,Alpha\n2,beta\n",
}"#
    );
}

#[test]
fn binary_files_compare_byte_for_byte() {
    let (_folder, expected) = snapshot(&tree! { "data.bin" => b"\0row\r\n" });
    let dir = dir_with(&tree! { "data.bin" => b"\0row\n" });
    let report = report(dir.path(), &expected);
    assert!(
        report.contains("~ data.bin  binary content differs: expected 6 B"),
        "{report}"
    );
}

#[test]
fn exact_line_endings_tell_crlf_from_lf() {
    let (_folder, expected) = snapshot(&tree! { "table.csv" => CRLF });
    let expected = expected.exact_line_endings();
    check_tree(dir_with(&tree! { "table.csv" => CRLF }).path(), &expected).unwrap();

    let dir = dir_with(&tree! { "table.csv" => "id,name\r\n1,alpha\n2,beta\n" });
    assert_eq!(
        report(dir.path(), &expected),
        r#"tree mismatch: <root> vs the expected tree
1 changed (0 matched, 0 ignored)
~ table.csv  line endings differ, first on line 2: expected CRLF, found LF
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "table.csv" => "id,name\r\n1,alpha\n2,beta\n",
}"#
    );

    // Content and line endings: the diff still shows only the changed line.
    let dir = dir_with(&tree! { "table.csv" => "id,name\n1,Alpha\n2,beta\n" });
    let report = report(dir.path(), &expected);
    assert!(
        report.contains(
            "~ table.csv  content differs, and line endings: expected CRLF, found LF\n\
             --- expected/table.csv\n+++ actual/table.csv\n@@ -1,3 +1,3 @@\n id,name\n-1,alpha\n+1,Alpha\n 2,beta\n"
        ),
        "{report}"
    );
}

#[test]
fn expectations_written_in_the_test_compare_bytes() {
    let dir = dir_with(&tree! { "table.csv" => LF });
    let expected = tree! { "table.csv" => CRLF };
    let report = report(dir.path(), &expected.into());
    assert!(
        report
            .contains("~ table.csv  line endings differ, first on line 1: expected CRLF, found LF"),
        "{report}"
    );
}

#[test]
fn assert_tree_from_a_folder_takes_crlf_and_lf_as_the_same() {
    // tests/fixtures/crlf holds CRLF (kept by .gitattributes); the other
    // folder LF.
    let lf = dir_with(&tree! { "table.csv" => LF });
    assert_tree!(lf, from = "tests/fixtures/crlf");
    assert_tree!(lf, from = "tests/fixtures/crlf", line_endings = "any");
    let crlf = dir_with(&tree! {
        "a.txt" => "alpha\r\n",
        "sub" => { "b.txt" => "beta\r\n" },
        "empty" => {},
    });
    assert_tree!(crlf, from = "tests/fixtures/assert_tree_snapshot");
}

#[test]
fn assert_tree_line_endings_exact_passes_on_the_same_bytes() {
    let crlf = dir_with(&tree! { "table.csv" => CRLF });
    assert_tree!(crlf, from = "tests/fixtures/crlf", line_endings = "exact");
}

#[test]
#[should_panic(expected = "line endings differ, first on line 1: expected CRLF, found LF")]
fn assert_tree_line_endings_exact_tells_crlf_from_lf() {
    let lf = dir_with(&tree! { "table.csv" => LF });
    assert_tree!(
        lf,
        from = "tests/fixtures/crlf",
        ignore = [],
        line_endings = "exact"
    );
}

#[test]
#[should_panic(expected = "line endings differ, first on line 1: expected CRLF, found LF")]
fn assert_tree_with_a_spec_compares_bytes() {
    let lf = dir_with(&tree! { "table.csv" => LF });
    assert_tree!(lf, { "table.csv" => CRLF });
}

/// A crate holding the snapshot folder `tests/snap` with CRLF files.
fn crlf_crate() -> TempDir {
    dir_with(&tree! {
        "tests/snap" => { "same.csv" => CRLF, "changed.csv" => CRLF },
    })
}

/// `assert_tree!(actual, from = "tests/snap")` in the crate at `root`.
fn assert_from(actual: &Path, root: &Path, line_endings: LineEndings) {
    fixtree::__private::assert_tree_from(actual, folder(root, "tests/snap"), &[], line_endings);
}

#[test]
fn update_mode_writes_the_tests_bytes_where_the_content_differs() {
    let name = "update_mode_writes_the_tests_bytes_where_the_content_differs";
    if is_child(name) {
        let actual = dir_with(&tree! {
            "same.csv" => LF,
            "changed.csv" => "id,name\n1,Alpha\n2,beta\n",
        });
        let root = crlf_crate();
        assert_from(actual.path(), root.path(), LineEndings::Any);
        let kept = tree! {
            "same.csv" => CRLF,
            "changed.csv" => "id,name\n1,Alpha\n2,beta\n",
        };
        assert_eq!(Tree::read(root.path().join("tests/snap")).unwrap(), kept);

        let root = crlf_crate();
        assert_from(actual.path(), root.path(), LineEndings::Exact);
        let rewritten = Tree::read(actual.path()).unwrap();
        assert_eq!(
            Tree::read(root.path().join("tests/snap")).unwrap(),
            rewritten
        );
        return;
    }
    let stderr = run_in_update_mode(name);
    assert!(
        stderr.contains("fixtree: updated snapshot folder tests/snap: changed changed.csv\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "fixtree: updated snapshot folder tests/snap: changed changed.csv, same.csv\n"
        ),
        "{stderr}"
    );
}
