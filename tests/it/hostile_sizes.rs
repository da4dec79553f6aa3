//! Comparisons of files and directories too large or too deep to hold:
//! sparse files (a huge size that costs no disk), long single lines, and
//! nesting deeper than recursion on a test thread's stack allows. None of
//! these may read a file whole, flood the report, or abort the process.

use std::fs::{self, File};
use std::path::Path;

use fixtree::spec::{absent, any, contains};
use fixtree::{ExpectedTree, Tree, check_tree};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A file of `len` bytes that occupies no disk: reading it would need `len` bytes of memory.
fn sparse(path: &Path, len: u64) -> std::io::Result<()> {
    File::create(path)?.set_len(len)
}

#[test]
fn a_huge_sparse_file_expected_as_any_is_not_read() -> TestResult {
    let dir = fixtree::tempdir()?;
    sparse(&dir.path().join("disk.img"), 64 << 30)?;
    let expected = ExpectedTree::new()
        .with("disk.img", any())?
        .with("lock", absent())?;
    check_tree(dir.path(), &expected)?;
    Ok(())
}

#[test]
fn a_huge_sparse_file_against_a_small_one_is_reported_with_its_size() -> TestResult {
    let dir = fixtree::tempdir()?;
    sparse(&dir.path().join("disk.img"), 64 << 30)?;
    sparse(&dir.path().join("log"), 64 << 30)?;
    let expected = ExpectedTree::new()
        .with("disk.img", "small\n")?
        .with("log", contains("done"))?;
    let report = check_tree(dir.path(), &expected).unwrap_err().to_string();
    assert!(
        report.contains(
            "~ disk.img  content differs: expected 6 B, found 64.0 GiB, first difference at byte 0"
        ),
        "{report}"
    );
    assert!(
        report.contains("~ log       too large for a matcher (64.0 GiB"),
        "{report}"
    );
    assert!(
        report.contains("\"disk.img\" => any() /* 64.0 GiB, not shown */"),
        "{report}"
    );
    Ok(())
}

#[test]
fn equal_large_files_compare_equal() -> TestResult {
    let dir = fixtree::tempdir()?;
    let contents = vec![b'x'; 20 << 20];
    fs::write(dir.path().join("big"), &contents)?;
    check_tree(dir.path(), &Tree::new().with("big", contents)?)?;
    Ok(())
}

/// The report for a one-line file of `len` bytes `x` that holds `y` at `at`.
fn report_of_one_changed_byte(len: usize, at: usize) -> Result<String, std::io::Error> {
    let dir = fixtree::tempdir()?;
    let line = "x".repeat(len);
    let mut changed = line.clone().into_bytes();
    changed[at] = b'y';
    fs::write(dir.path().join("big.txt"), &changed)?;
    let expected = Tree::new().with("big.txt", line).expect("a valid key");
    let report = check_tree(dir.path(), &expected).unwrap_err().to_string();
    assert!(report.len() < 4096, "{} bytes: {report}", report.len());
    Ok(report)
}

#[test]
fn one_differing_byte_in_a_long_line_gives_a_short_report() -> TestResult {
    let report = report_of_one_changed_byte(20 << 20, 10 << 20)?;
    assert!(
        report.contains("first difference at byte 10,485,760"),
        "{report}"
    );
    assert!(report.contains("too large to diff"), "{report}");
    assert!(
        report.contains("xxxxy"),
        "the bytes around the difference: {report}"
    );

    // Under the diff's cap: a unified diff, its lines cut around the difference.
    let report = report_of_one_changed_byte(1 << 20, 500_000)?;
    assert!(report.contains("-[… 499,950 bytes] xxx"), "{report}");
    assert!(report.contains("xxxy"), "{report}");
    assert!(
        report.contains(" [… 548,426 more bytes on this line]"),
        "{report}"
    );
    Ok(())
}

#[test]
fn many_differences_are_counted_not_all_listed() -> TestResult {
    let dir = fixtree::tempdir()?;
    for i in 0..150 {
        fs::write(dir.path().join(format!("f{i:03}")), "x")?;
    }
    let report = check_tree(dir.path(), &Tree::new())
        .unwrap_err()
        .to_string();
    assert!(report.contains("150 unexpected"), "{report}");
    assert!(report.contains("… 50 more differences"), "{report}");
    assert!(report.contains("… 90 more entries not shown"), "{report}");
    Ok(())
}

/// Far deeper than a recursive walk gets on a test thread's stack (about
/// 900 levels), and than a path reaches (Linux's PATH_MAX, 4096 bytes).
/// Windows goes by path (see tests/deep_trees.rs): there, a shallower tree.
const DEPTH: usize = if cfg!(windows) { 300 } else { 10_000 };

/// `d/d/…/d/leaf`, `DEPTH` directories deep; the key of the leaf.
fn deep_dir(root: &Path) -> std::io::Result<String> {
    let key = format!("{}leaf", "d/".repeat(DEPTH));
    // Tree::write_to goes from directory descriptor to descriptor: no path
    // to the bottom is ever built.
    Tree::new()
        .with(&key, "x")
        .map_err(std::io::Error::other)?
        .write_to(root)?;
    Ok(key)
}

#[test]
#[ignore = "slow: CI runs it (10,000 directories on disk)"]
fn a_very_deep_directory_compares_on_a_test_thread() -> TestResult {
    // libtest's default stack, whatever RUST_MIN_STACK says.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| compare_deep().map_err(|e| e.to_string()))?
        .join()
        .expect("the comparison does not panic")?;
    Ok(())
}

fn compare_deep() -> TestResult {
    let dir = fixtree::tempdir()?;
    let root = dir.path();
    let key = deep_dir(root)?;
    check_tree(root, &ExpectedTree::new().with(&key, "x")?)?;
    let other = ExpectedTree::new().with(&key, "y")?;
    assert_eq!(check_tree(root, &other).unwrap_err().len(), 1);
    let diff = check_tree(root, &ExpectedTree::new()).unwrap_err();
    assert_eq!(diff.paths().collect::<Vec<_>>(), ["d"]);
    dir.close()?;
    Ok(())
}

#[cfg(target_os = "linux")]
#[test]
fn tree_read_of_a_file_larger_than_memory_is_an_error_naming_it() -> TestResult {
    // Where the kernel grants any allocation, the read itself would go on.
    if fs::read_to_string("/proc/sys/vm/overcommit_memory")?.trim() == "1" {
        return Ok(());
    }
    let dir = fixtree::tempdir()?;
    sparse(&dir.path().join("disk.img"), 8 << 40)?;
    let error = Tree::read(dir.path()).unwrap_err().to_string();
    assert!(error.contains("disk.img"), "{error}");
    assert!(
        error.contains("8796093022208 bytes do not fit in memory"),
        "{error}"
    );
    Ok(())
}
