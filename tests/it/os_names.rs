//! Names that are not UTF-8 (Unix): `Tree::insert_os` holds one under its
//! spelling (`caf\xe9.log`), and writing, reading and comparing use the very
//! bytes; spec text and txtar cannot name it, and `\x` in a key is refused.

use fixtree::Tree;

#[cfg(unix)]
mod unix {
    use std::ffi::OsStr;
    use std::fs;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use crate::support::{dir_with, report};
    use fixtree::{ExpectedTree, Node, Tree, check_tree, tree};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn os(bytes: &[u8]) -> &Path {
        Path::new(OsStr::from_bytes(bytes))
    }

    /// `out.txt`, `logs/caf\xe9.log` and the directory `d\xe9j\xe0` holding `\xff`.
    fn latin1() -> Result<Tree, fixtree::TreeError> {
        let mut tree = Tree::new().with("out.txt", "done\n")?;
        tree.insert_os(os(b"logs/caf\xe9.log"), "x")?
            .insert_os(os(b"d\xe9j\xe0/\xff"), Node::file_with_mode("y", 0o600))?;
        Ok(tree)
    }

    #[test]
    fn a_non_utf8_name_is_written_read_and_compared() -> TestResult {
        let tree = latin1()?;
        let paths: Vec<String> = tree.walk().map(|(path, _)| path).collect();
        assert_eq!(
            paths,
            [
                r"d\xe9j\xe0",
                r"d\xe9j\xe0/\xff",
                "logs",
                r"logs/caf\xe9.log",
                "out.txt"
            ]
        );
        let dir = fixtree::tempdir()?;
        tree.write_to(dir.path())?;
        // The very bytes on disk, not their spelling.
        assert_eq!(fs::read(dir.path().join(os(b"logs/caf\xe9.log")))?, b"x");
        assert_eq!(fs::read(dir.path().join(os(b"d\xe9j\xe0/\xff")))?, b"y");
        assert!(!dir.path().join(r"logs/caf\xe9.log").exists());

        assert_eq!(Tree::read(dir.path())?, tree);
        check_tree(dir.path(), &tree)?;
        fixtree::assert_tree!(dir, {
            "out.txt" => "done\n",
            "logs" => { .. },
            ..
        });
        // A different byte is another name: one missing, one unexpected.
        let mut other = Tree::new()
            .with("out.txt", "done\n")?
            .with("d", Tree::new())?;
        other.insert_os(os(b"logs/caf\xe8.log"), "x")?;
        let diff = check_tree(dir.path(), &other).unwrap_err();
        let paths: Vec<&str> = diff.paths().collect();
        assert_eq!(
            paths,
            ["d", r"d\xe9j\xe0", r"logs/caf\xe8.log", r"logs/caf\xe9.log"]
        );
        // Other bytes in it: a diff of its text, under its spelling.
        fs::write(dir.path().join(os(b"logs/caf\xe9.log")), "z")?;
        let report = check_tree(dir.path(), &tree).unwrap_err().to_string();
        assert!(
            report.contains("\n~ logs/caf\\xe9.log  content differs\n"),
            "{report}"
        );
        assert!(
            report.contains("\n+++ actual/logs/caf\\xe9.log\n"),
            "{report}"
        );
        Ok(())
    }

    #[test]
    fn a_tree_read_from_disk_writes_a_non_utf8_name_back_exactly() -> TestResult {
        let from = fixtree::tempdir()?;
        fs::write(from.path().join(os(b"bad\xff")), "x")?;
        let copy = fixtree::tempdir()?;
        fixtree::copy_snapshot(from.path(), copy.path())?;
        assert_eq!(fs::read(copy.path().join(os(b"bad\xff")))?, b"x");
        assert_eq!(fs::read_dir(copy.path())?.count(), 1);
        Ok(())
    }

    /// Nor is a UTF-8 name that reads as a spelling (`caf\xe9.log`, with a
    /// backslash) compared with the name it spells: an error names it.
    #[test]
    fn a_utf8_name_that_reads_as_a_spelling_is_not_compared_with_the_name_it_spells() -> TestResult
    {
        let dir = fixtree::tempdir()?;
        let literal = dir.path().join(r"caf\xe9.log");
        fs::write(&literal, "x")?;
        let mut expected = Tree::new();
        expected.insert_os(os(b"caf\xe9.log"), "x")?;
        let report = check_tree(dir.path(), &expected).unwrap_err().to_string();
        assert!(
            report.contains(&format!(
                "cannot read {}: its name reads as the `\\xNN` spelling",
                literal.display()
            )),
            "{report}"
        );
        Ok(())
    }

    #[test]
    fn display_shows_a_non_utf8_name_as_a_comment() -> TestResult {
        let tree = latin1()?;
        assert_eq!(
            tree.to_string(),
            r#"{ /* not UTF-8: d\xe9j\xe0 */ "logs" => { /* not UTF-8: caf\xe9.log */ }, "out.txt" => "done\n" }"#
        );
        assert_eq!(
            format!("{tree:#}"),
            r#"{
    /* not UTF-8: d\xe9j\xe0 */
    "logs" => {
        /* not UTF-8: caf\xe9.log */
    },
    "out.txt" => "done\n",
}"#
        );
        // What prints parses, without the names spec text cannot hold.
        let parsed: Tree = tree.to_string().parse()?;
        assert_eq!(parsed, tree! { "logs" => {}, "out.txt" => "done\n" });
        Ok(())
    }

    #[test]
    fn txtar_refuses_a_non_utf8_name() -> TestResult {
        let err = latin1()?.to_txtar().unwrap_err();
        assert_eq!(
            err.to_string(),
            r"d\xe9j\xe0: a name that is not UTF-8 (Tree::insert_os), which a txtar header cannot hold; write the tree to a directory instead"
        );
        Ok(())
    }

    #[test]
    fn insert_os_checks_the_key_rules_on_the_name_as_it_reads() -> TestResult {
        let mut tree = Tree::new();
        let err = tree.insert_os(os(b"../caf\xe9"), "x").unwrap_err();
        assert!(err.to_string().contains("'.' or '..' segment"), "{err}");
        let err = tree.insert_os(os(b"a\\caf\xe9"), "x").unwrap_err();
        assert!(err.to_string().contains('\\'), "{err}");
        tree.insert_os(os(b"caf\xe9"), "x")?;
        let err = tree.insert_os(os(b"caf\xe9/inside"), "y").unwrap_err();
        // As every key in an error: quoted, its `\` escaped.
        assert!(err.to_string().contains(r#"inside "caf\\xe9""#), "{err}");
        assert!(tree.insert_os(os(b"caf\xe9"), "x").is_err(), "a duplicate");
        Ok(())
    }

    #[test]
    fn a_missing_non_utf8_file_is_reported_by_its_spelling() -> TestResult {
        let dir = dir_with(&tree! { "out.txt" => "done\n" });
        let mut expected = Tree::new().with("out.txt", "done\n")?;
        expected.insert_os(os(b"caf\xe9.log"), "x")?;
        assert_eq!(
            report(dir.path(), &ExpectedTree::from(expected)),
            PIN_MISSING
        );
        Ok(())
    }

    const PIN_MISSING: &str = r#"tree mismatch: <root> vs the expected tree
1 missing (1 matched, 0 ignored)
- caf\xe9.log  missing file (1 B)
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "out.txt" => "done\n",
}"#;
}

#[test]
fn a_key_with_a_backslash_x_is_still_refused_by_parse() {
    let err = r#"{ "caf\\xe9.log" => "x" }"#.parse::<Tree>().unwrap_err();
    assert!(err.to_string().contains('\\'), "{err}");
    assert!(Tree::new().insert(r"caf\xe9.log", "x").is_err());
    assert!(Tree::from_txtar("-- caf\\xe9.log --\nx\n").is_err());
}

/// Windows names files by UTF-16: a lone surrogate is no name `insert_os` can hold.
#[cfg(windows)]
#[test]
fn insert_os_refuses_a_name_that_is_not_unicode_with_an_error() {
    use std::ffi::OsString;
    use std::os::windows::ffi::OsStringExt;

    let name = OsString::from_wide(&[0x61, 0xD800, 0x62]);
    let err = fixtree::Tree::new()
        .insert_os(std::path::Path::new("logs").join(&name).as_path(), "x")
        .map(drop)
        .unwrap_err();
    assert!(matches!(err, fixtree::TreeError::NotUnicode(_)), "{err:?}");
    assert!(err.to_string().contains("is not valid Unicode"), "{err}");
}
