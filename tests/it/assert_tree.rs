//! Tree assertions through the runtime API (`tree!` only builds fixtures):
//! what matches, what each kind of mismatch reports (pinned), and update mode
//! on a copied snapshot folder.

use crate::support;

use std::path::Path;
#[cfg(unix)]
use std::{fs, os::unix::fs::PermissionsExt};

use fixtree::__private::LineEndings;
use fixtree::spec::{absent, contains, matches};
#[cfg(unix)]
use fixtree::spec::{any, mode};
use fixtree::{ExpectedTree, Tree, check_tree, tree};
#[cfg(unix)]
use support::run_in_update_mode;
use support::{Setup, dir_with, folder, is_child, report, run_in_child};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn project() -> Tree {
    let tree = Tree::new()
        .with(
            "Cargo.toml",
            "[package]\nname = \"demo\"\nversion = \"0.3.1\"\n",
        )
        .unwrap()
        .with("src/lib.rs", "pub fn f() {}\n")
        .unwrap()
        .with("run.sh", fixtree::spec::exec("#!/bin/sh\n"))
        .unwrap()
        .with("empty", Tree::new())
        .unwrap();
    // Creating a symbolic link needs a privilege on Windows.
    match cfg!(unix) {
        true => tree
            .with("latest", fixtree::spec::symlink("src/lib.rs"))
            .unwrap(),
        false => tree,
    }
}

#[test]
fn a_directory_matches_the_tree_it_was_written_from() {
    let dir = dir_with(&project());
    check_tree(dir.path(), &project()).unwrap();
}

#[cfg(unix)]
#[test]
fn matchers_and_open_directories_match() -> TestResult {
    let dir = dir_with(&project().with("src/extra.rs", "// more\n")?);
    let expected = ExpectedTree::new()
        .with(
            "Cargo.toml",
            matches("[package]\n...\nversion = \"[..]\"\n"),
        )?
        .with(
            "src",
            ExpectedTree::new()
                .with("lib.rs", contains("fn f"))?
                .allow_others(),
        )?
        .with("run.sh", mode(0o755, "#!/bin/sh\n"))?
        .with("empty", any())?
        .with("latest", any())?
        .with("target", absent())?
        .with("cache/index.lock", absent())?;
    check_tree(dir.path(), &expected)?;
    Ok(())
}

#[cfg(unix)]
#[test]
fn an_unchecked_mode_is_not_compared_but_a_given_one_is() -> TestResult {
    let dir = dir_with(&Tree::new().with("key", mode(0o600, "k"))?);
    check_tree(dir.path(), &Tree::new().with("key", "k")?)?;
    let diff = check_tree(
        dir.path(),
        &ExpectedTree::new().with("key", mode(0o644, "k"))?,
    )
    .unwrap_err();
    assert!(
        diff.to_string()
            .contains("~ key  mode 0o600, expected 0o644"),
        "{diff}"
    );
    Ok(())
}

#[test]
fn ignored_paths_are_not_compared() {
    // Through the assertion itself: ignore lives in assert_tree!.
    let dir = dir_with(
        &project()
            .with("target/debug/x", "")
            .unwrap()
            .with("log.txt", "")
            .unwrap(),
    );
    fixtree::__private::assert_tree(dir.path(), project(), &["target/**", "*.txt"]);
}

#[test]
fn check_tree_with_takes_the_options_assert_tree_takes_and_reports_the_same() -> TestResult {
    use fixtree::{CheckOptions, check_tree_with};
    let root = dir_with(&Tree::new().with("snap/out.csv", "a\r\nb\r\n")?);
    let dir = dir_with(&Tree::new().with("out.csv", "a\nb\n")?.with("run.log", "")?);
    let expected = ExpectedTree::from_snapshot(root.path().join("snap"))?;
    let ignoring = CheckOptions::new().ignore(["*.log"])?;
    // A snapshot compares CRLF as LF, and the log is left out: both pass.
    check_tree_with(dir.path(), &expected, &ignoring)?;
    let from = support::folder(root.path(), "snap");
    let ignore = &["*.log"];
    fixtree::__private::assert_tree_from(dir.path(), from, ignore, LineEndings::Any);
    assert_eq!(
        check_tree(dir.path(), &expected)
            .unwrap_err()
            .paths()
            .collect::<Vec<_>>(),
        ["run.log"]
    );
    // With exact line endings both fail, with the same report but for the
    // label and the end: a tree to paste, or how to update the folder.
    let exact = ignoring.line_endings(LineEndings::Exact);
    let diff = check_tree_with(dir.path(), &expected, &exact).unwrap_err();
    let from = support::folder(root.path(), "snap");
    let panic = std::panic::catch_unwind(|| {
        fixtree::__private::assert_tree_from(dir.path(), from, ignore, LineEndings::Exact);
    });
    let message = *panic.unwrap_err().downcast::<String>().unwrap();
    let report = diff.to_string();
    assert!(
        report.contains("line endings differ, first on line 1: expected CRLF, found LF"),
        "{report}"
    );
    let label = |text: &str| {
        text.lines()
            .skip(1)
            .take_while(|line| !line.starts_with("update ") && !line.starts_with("expected tree"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(label(&report), label(&message));
    Ok(())
}

#[test]
fn report_missing_and_unexpected() -> TestResult {
    let dir = dir_with(
        &Tree::new()
            .with("extra.txt", "sixteen bytes!!\n")?
            .with("cache/a", "")?
            .with("cache/b", "")?,
    );
    let expected = ExpectedTree::new()
        .with("sub/missing.txt", "thirteen b.\n\n")?
        .with("gone", Tree::new().with("x", "")?.with("y/z", "")?)?;
    assert_eq!(report(dir.path(), &expected), PIN1);
    Ok(())
}

#[test]
fn report_changed_text_with_a_unified_diff() -> TestResult {
    let dir = dir_with(
        &Tree::new()
            .with("out/table.csv", "id,name\n1,Alpha\n2,beta\n")?
            .with("same.txt", "x")?,
    );
    let expected = Tree::new()
        .with("out/table.csv", "id,name\n1,alpha\n2,beta\n")?
        .with("same.txt", "x")?;
    assert_eq!(report(dir.path(), &expected.into()), PIN2);
    Ok(())
}

#[test]
fn report_changed_binary_with_sizes_hashes_and_first_difference() -> TestResult {
    let mut old = vec![0u8; 600];
    old[0] = 0x89;
    let mut new = old.clone();
    new[512] = 1;
    new.extend_from_slice(&[0; 100]);
    let dir = dir_with(&Tree::new().with("logo.bin", new)?);
    assert_eq!(
        report(dir.path(), &Tree::new().with("logo.bin", old)?.into()),
        PIN3
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn report_kind_changed_and_symlink_target() -> TestResult {
    let dir = dir_with(
        &Tree::new()
            .with("cache", "not a dir")?
            .with("latest", fixtree::spec::symlink("v2"))?,
    );
    let expected = Tree::new()
        .with("cache/index", "")?
        .with("latest", fixtree::spec::symlink("v1"))?;
    assert_eq!(report(dir.path(), &expected.into()), PIN4);
    Ok(())
}

#[test]
fn report_failed_matchers() -> TestResult {
    let dir = dir_with(
        &Tree::new()
            .with("log", "started\nfailed\n")?
            .with("Cargo.toml", "[package]\nname = \"x\"\n")?
            .with("tmp.lock", "")?,
    );
    let expected = ExpectedTree::new()
        .with("log", contains("done"))?
        .with(
            "Cargo.toml",
            matches("[package]\nname = \"[..]\"\nversion = \"[..]\"\n"),
        )?
        .with("tmp.lock", absent())?;
    assert_eq!(report(dir.path(), &expected), PIN5);
    Ok(())
}

#[test]
fn a_missing_root_is_a_read_error_not_a_mismatch() {
    let diff = check_tree("/nonexistent-fixtree-dir", &Tree::new()).unwrap_err();
    let text = diff.to_string();
    assert!(
        text.starts_with("cannot read directory /nonexistent-fixtree-dir: "),
        "{text}"
    );
    assert!(!text.contains("tree mismatch"), "{text}");
    let error = diff.read_error().expect("a read error");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
}

/// A directory the test cannot enter is a read error naming it and the
/// system's reason, with the fix; not a "tree mismatch", which would send
/// the reader looking for a difference. As `nobody`: root reads anything.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_a_read_error_naming_it_and_the_cause() {
    let name = "an_unreadable_directory_is_a_read_error_naming_it_and_the_cause";
    if is_child(name) {
        let spec = || tree! { "locked/secret.txt" => "x", "ok.txt" => "y" };
        let dir = dir_with(&spec());
        let locked = dir.path().join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let diff = check_tree(dir.path(), &spec()).unwrap_err();
        let panic = std::panic::catch_unwind(|| {
            fixtree::__private::assert_tree(dir.path(), spec(), &[]);
        })
        .unwrap_err();
        // Ignoring it is one fix the message offers: it is then not entered.
        fixtree::__private::assert_tree(dir.path(), tree! { "ok.txt" => "y" }, &["locked"]);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();

        assert_eq!(
            diff.read_error().map(std::io::Error::kind),
            Some(std::io::ErrorKind::PermissionDenied)
        );
        let expected = format!(
            "cannot read directory {}: Permission denied (os error 13)\n\
             (while comparing {} with the expected tree: make it readable to the test, \
             or leave it out with `ignore = [...]`)",
            locked.display(),
            dir.path().display()
        );
        assert_eq!(diff.to_string(), expected);
        let message = panic.downcast_ref::<String>().unwrap();
        assert_eq!(*message, expected);
        return;
    }
    run_in_child(
        name,
        Setup {
            as_nobody: true,
            ..Setup::default()
        },
    );
}

const PIN1: &str = r#"tree mismatch: <root> vs the expected tree
2 missing, 2 unexpected (0 matched, 0 ignored)
+ cache      unexpected directory (2 files)
+ extra.txt  unexpected file (16 B)
- gone       missing directory (2 files)
- sub        missing directory (1 file)
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "cache" => {
        "a" => "",
        "b" => "",
    },
    "extra.txt" => "sixteen bytes!!\n",
}"#;
const PIN2: &str = r#"tree mismatch: <root> vs the expected tree
1 changed (1 matched, 0 ignored)
~ out/table.csv  content differs
--- expected/out/table.csv
+++ actual/out/table.csv
@@ -1,3 +1,3 @@
 id,name
-1,alpha
+1,Alpha
 2,beta
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "out" => {
        "table.csv" => "id,name\n1,Alpha\n2,beta\n",
    },
    "same.txt" => "x",
}"#;
const PIN3: &str = r#"tree mismatch: <root> vs the expected tree
1 changed (0 matched, 0 ignored)
~ logo.bin  binary content differs: expected 600 B (hash cc1342d3), found 700 B (hash b7616c12), first difference at byte 512
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "logo.bin" => any() /* 700 B, not shown */,
}"#;
#[cfg(unix)]
const PIN4: &str = r#"tree mismatch: <root> vs the expected tree
1 changed, 1 kind changed (0 matched, 0 ignored)
! cache   expected directory, found file
~ latest  symlink to v2, expected v1
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "cache" => "not a dir",
    "latest" => symlink("v2"),
}"#;
const PIN5: &str = r#"tree mismatch: <root> vs the expected tree
1 unexpected, 2 changed (0 matched, 0 ignored)
~ Cargo.toml  does not match the pattern
~ log         does not contain "done"
+ tmp.lock    unexpected file (0 B), expected absent
--- pattern/Cargo.toml
+++ actual/Cargo.toml
@@ -1,3 +1,2 @@
 [package]
 name = "[..]"
-version = "[..]"
--- actual/log
started
failed
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "Cargo.toml" => matches("[package]\nname = \"[..]\"\nversion = \"[..]\"\n") /* fails: does not match the pattern */,
    "log" => contains("done") /* fails: does not contain "done" */,
    "tmp.lock" => absent() /* fails: unexpected file (0 B), expected absent */,
}"#;

/// A crate holding the snapshot folder `tests/snap`, and a directory that
/// has moved on from that folder.
fn snapshot_and_actual() -> (fixtree::TempDir, fixtree::TempDir) {
    let root = dir_with(&tree! {
        "tests/snap" => {
            "same.txt" => "same\n",
            "changed.txt" => "old\n",
            "old.txt" => "gone soon\n",
            "build.log" => "ignored: stays\n",
            "logs/old.log" => "ignored: stays, without a marker beside it\n",
            "empty/.keep" => "",
        },
    });
    let actual = dir_with(&tree! {
        "same.txt" => "same\n",
        "changed.txt" => "new\n",
        "new.txt" => "added\n",
        "run.sh" => exec("#!/bin/sh\n"),
        "empty" => {},
        "fresh" => {},
        "logs" => {},
        "other.log" => "ignored: not copied\n",
    });
    (root, actual)
}

/// `assert_tree!(actual, from = "tests/snap", ignore = ["*.log"])` in the crate at `root`.
fn assert_from(actual: &Path, root: &Path) {
    fixtree::__private::assert_tree_from(
        actual,
        folder(root, "tests/snap"),
        &["*.log"],
        LineEndings::Any,
    );
}

#[cfg(unix)]
#[test]
fn update_mode_rewrites_only_what_differs_in_the_snapshot_folder() {
    let name = "update_mode_rewrites_only_what_differs_in_the_snapshot_folder";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        assert_from(actual.path(), root.path());
        let expected = tree! {
            "same.txt" => "same\n",
            "changed.txt" => "new\n",
            "new.txt" => "added\n",
            "run.sh" => exec("#!/bin/sh\n"),
            "build.log" => "ignored: stays\n",
            "logs/old.log" => "ignored: stays, without a marker beside it\n",
            "empty/.keep" => "",
            "fresh/.keep" => "",
        };
        assert_eq!(
            Tree::read(root.path().join("tests/snap")).unwrap(),
            expected
        );
        // Now it passes, with update mode still on: nothing left to change.
        assert_from(actual.path(), root.path());
        return;
    }
    let stderr = run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: updated snapshot folder tests/snap: added fresh, new.txt, run.sh; changed changed.txt; removed old.txt"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixtree: snapshot folder tests/snap is up to date"),
        "{stderr}"
    );
}

/// `assert_tree!(dir, from = "…", ..)`: the folder holds some of the
/// directory's paths, at every level; those still compare, the rest not.
#[test]
fn a_subset_folder_ignores_other_files() -> TestResult {
    use fixtree::{CheckOptions, check_tree_with};
    let snapshot = "tests/fixtures/assert_tree_snapshot";
    let dir = dir_with(&tree! {
        "a.txt" => "alpha\n",
        "sub" => { "b.txt" => "beta\n", "more.txt" => "not in the folder\n" },
        "empty" => { "made.txt" => "an empty directory there holds it\n" },
        "target/debug/app" => "build output\n",
    });
    fixtree::assert_tree!(dir, from = "tests/fixtures/assert_tree_snapshot", ..);
    fixtree::assert_tree!(
        dir.path(),
        from = "tests/fixtures/assert_tree_snapshot",
        ignore = ["*.log"],
        ..,
    );
    let expected = ExpectedTree::from_snapshot(snapshot)?;
    let subset = CheckOptions::new().subset();
    check_tree_with(dir.path(), &expected, &subset)?;
    let paths = |options: &CheckOptions| {
        let diff = check_tree_with(dir.path(), &expected, options).unwrap_err();
        diff.paths().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&CheckOptions::new()),
        ["empty/made.txt", "sub/more.txt", "target"]
    );
    // What the folder holds still compares: changed, or gone.
    std::fs::write(dir.path().join("a.txt"), "ALPHA\n")?;
    std::fs::remove_file(dir.path().join("sub/b.txt"))?;
    assert_eq!(paths(&subset), ["a.txt", "sub/b.txt"]);
    Ok(())
}

/// `assert_tree!(actual, from = written, ignore = ["*.log"], ..)` in the
/// crate at `root`.
#[cfg(unix)]
pub(crate) fn assert_subset_from(actual: &Path, root: &Path, written: &str) {
    let subset = fixtree::__private::SnapshotFolder {
        subset: true,
        ..folder(root, written)
    };
    fixtree::__private::assert_tree_from(actual, subset, &["*.log"], LineEndings::Any);
}

/// Update mode in a subset comparison rewrites what the folder holds and
/// removes what the directory lacks, but never adds a file: a file the test
/// made a directory becomes an empty one.
#[cfg(unix)]
#[test]
fn update_mode_in_subset_never_adds_files() {
    let name = "update_mode_in_subset_never_adds_files";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        fs::remove_file(actual.path().join("same.txt")).unwrap();
        fs::create_dir(actual.path().join("same.txt")).unwrap();
        fs::write(actual.path().join("same.txt/inside.txt"), "not added\n").unwrap();
        let assert_subset = || assert_subset_from(actual.path(), root.path(), "tests/snap");
        assert_subset();
        let expected = tree! {
            "same.txt/.keep" => "",
            "changed.txt" => "new\n",
            "build.log" => "ignored: stays\n",
            "logs/old.log" => "ignored: stays, without a marker beside it\n",
            "empty/.keep" => "",
        };
        assert_eq!(
            Tree::read(root.path().join("tests/snap")).unwrap(),
            expected
        );
        assert_subset();
        return;
    }
    let stderr = run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: updated snapshot folder tests/snap: changed changed.txt, same.txt; removed old.txt"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixtree: snapshot folder tests/snap is up to date"),
        "{stderr}"
    );
}

/// A subset folder that does not exist yet is made whole, ignored paths
/// aside, as without `..`: in update mode, and as pending in review mode.
/// Made empty, it would hold nothing to compare, and never fail.
#[cfg(unix)]
#[test]
fn update_mode_in_subset_creates_a_missing_folder_whole() {
    let name = "update_mode_in_subset_creates_a_missing_folder_whole";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        let assert_subset = || {
            std::panic::catch_unwind(|| {
                assert_subset_from(actual.path(), root.path(), "tests/new");
            })
        };
        let review = std::env::var("FIXTREE_UPDATE").is_ok_and(|mode| mode == "review");
        // Review mode records the folder, and fails: it does not exist yet.
        assert_eq!(assert_subset().is_err(), review);
        let made = root.path().join(if review {
            "tests/new.pending"
        } else {
            "tests/new"
        });
        let mut made = Tree::read(made).unwrap();
        if review {
            made.remove(".fixtree-pending").unwrap();
        }
        let expected = tree! {
            "same.txt" => "same\n",
            "changed.txt" => "new\n",
            "new.txt" => "added\n",
            "run.sh" => exec("#!/bin/sh\n"),
            "empty/.keep" => "",
            "fresh/.keep" => "",
            "logs/.keep" => "",
        };
        assert_eq!(made, expected);
        if !review {
            // Up to date now; and what it holds compares: a change fails.
            assert!(assert_subset().is_ok());
            fs::write(actual.path().join("new.txt"), "changed\n").unwrap();
            let folder = ExpectedTree::from_snapshot(root.path().join("tests/new")).unwrap();
            let subset = fixtree::CheckOptions::new().subset();
            assert!(fixtree::check_tree_with(actual.path(), &folder, &subset).is_err());
        }
        return;
    }
    let stderr = run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: created snapshot folder tests/new: added changed.txt, empty, fresh, logs, new.txt, run.sh, same.txt"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixtree: snapshot folder tests/new is up to date"),
        "{stderr}"
    );
    let review = Setup {
        env: &[("FIXTREE_UPDATE", Some("review")), ("CI", None)],
        ..Setup::default()
    };
    run_in_child(name, review);
}

/// Only `assert_tree!` refuses a `./` path with a `..` segment at compile
/// time; one built by hand is still never written outside the crate's
/// folders, since update mode names it from the crate and checks that name.
#[cfg(unix)]
#[test]
fn update_mode_never_writes_a_beside_folder_that_climbs_out() {
    let name = "update_mode_never_writes_a_beside_folder_that_climbs_out";
    if is_child(name) {
        let root = dir_with(&tree! { "tests/it/main.rs" => "" });
        let actual = dir_with(&tree! { "a.txt" => "x" });
        let folder = fixtree::__private::SnapshotFolder {
            source: "tests/it/main.rs",
            ..folder(root.path(), "./../../escaped")
        };
        let panic = std::panic::catch_unwind(|| {
            fixtree::__private::assert_tree_from(actual.path(), folder, &[], LineEndings::Any);
        });
        let message = *panic.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains("snapshot folder \"tests/it/../../escaped\" is refused"),
            "{message}"
        );
        assert!(!root.path().join("escaped").exists());
        return;
    }
    run_in_update_mode(name);
}

/// The folder is left alone when update mode is refused (in CI), off
/// (`FIXTREE_UPDATE=no`, which once rewrote it) or misspelt (an error naming
/// the variable, the value and the accepted values).
#[test]
fn update_mode_changes_nothing_when_refused_off_or_misspelt() {
    let name = "update_mode_changes_nothing_when_refused_off_or_misspelt";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        let before = Tree::read(root.path()).unwrap();
        let panic =
            std::panic::catch_unwind(|| assert_from(actual.path(), root.path())).unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        let expected = match std::env::var("FIXTREE_UPDATE").unwrap().as_str() {
            "1" => "FIXTREE_UPDATE is set, but so is CI: snapshot folders are not rewritten in CI",
            "no" => "update the folder with: FIXTREE_UPDATE=1 cargo test",
            _ => {
                "fixtree: FIXTREE_UPDATE=\"maybe\" is not one of 1, true, yes, on (rewrite \
                 snapshot folders), review (record changes as pending, for `cargo fixtree review`) \
                 or 0, false, no, off (compare, the default)"
            }
        };
        assert!(message.contains(expected), "{message}");
        assert_eq!(Tree::read(root.path()).unwrap(), before);
        return;
    }
    for env in [
        &[("FIXTREE_UPDATE", Some("1")), ("CI", Some("true"))],
        &[("FIXTREE_UPDATE", Some("no")), ("CI", None)],
        &[("FIXTREE_UPDATE", Some("maybe")), ("CI", None)],
    ] {
        run_in_child(
            name,
            Setup {
                env,
                ..Setup::default()
            },
        );
    }
}

/// A child that compares, whatever update mode the parent runs in.
fn comparing() -> Setup {
    Setup {
        env: &[("FIXTREE_UPDATE", None)],
        ..Setup::default()
    }
}

#[cfg(unix)]
#[test]
fn a_snapshot_mismatch_says_how_to_update_and_compares_only_the_executable_bit() {
    let name = "a_snapshot_mismatch_says_how_to_update_and_compares_only_the_executable_bit";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        // A private copy of a plain file is still "not executable": no difference.
        fs::set_permissions(
            actual.path().join("same.txt"),
            fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        let panic =
            std::panic::catch_unwind(|| assert_from(actual.path(), root.path())).unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert!(message.contains(" vs tests/snap\n"), "{message}");
        assert!(message.contains("- old.txt"), "{message}");
        assert!(message.contains("+ run.sh"), "{message}");
        assert!(!message.contains("same.txt  "), "{message}");
        assert!(!message.contains("build.log  "), "ignored: {message}");
        assert!(
            message.contains(&format!(
                "update the folder with: FIXTREE_UPDATE=1 cargo test -p fixtree --test it {}",
                support::test_name(name)
            )),
            "{message}"
        );
        return;
    }
    run_in_child(name, comparing());
}

/// After a snapshot-folder mismatch the fix is `FIXTREE_UPDATE`: the report
/// says so and offers no tree to paste, which `check_tree` keeps.
#[test]
fn a_snapshot_folder_mismatch_offers_update_not_paste() {
    let name = "a_snapshot_folder_mismatch_offers_update_not_paste";
    if is_child(name) {
        let (root, actual) = snapshot_and_actual();
        let panic =
            std::panic::catch_unwind(|| assert_from(actual.path(), root.path())).unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert!(
            message.contains("~ changed.txt  content differs"),
            "{message}"
        );
        let update = format!(
            "\nupdate the folder with: FIXTREE_UPDATE=1 cargo test -p fixtree --test it {}",
            support::test_name(name)
        );
        assert!(message.ends_with(&update), "{message}");
        assert!(!message.contains("to paste"), "{message}");
        let snapshot = ExpectedTree::from_snapshot(root.path().join("tests/snap")).unwrap();
        let checked = check_tree(actual.path(), &snapshot).unwrap_err();
        assert!(
            checked
                .to_string()
                .contains("expected tree with what differs changed, to paste into the test")
        );
        return;
    }
    run_in_child(name, comparing());
}

#[cfg(unix)]
#[test]
fn a_snapshot_file_that_became_executable_differs() -> TestResult {
    let root = dir_with(&Tree::new().with("snap/tool", "#!/bin/sh\n")?);
    let actual = dir_with(&Tree::new().with("tool", fixtree::spec::exec("#!/bin/sh\n"))?);
    let expected = fixtree::Tree::read_snapshot(root.path().join("snap"))?;
    // Through check_tree a Tree's default mode is not compared ...
    check_tree(actual.path(), &expected)?;
    // ... but a snapshot folder checks the executable bit.
    let panic = std::panic::catch_unwind(|| {
        fixtree::__private::assert_tree_from(
            actual.path(),
            folder(root.path(), "snap"),
            &[],
            LineEndings::Any,
        )
    });
    if std::env::var_os("FIXTREE_UPDATE").is_none() {
        let message = panic.unwrap_err().downcast_ref::<String>().unwrap().clone();
        assert!(
            message.contains("~ tool  mode 0o755, expected not executable"),
            "{message}"
        );
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn update_mode_refuses_a_crate_root_or_a_symlinked_folder_or_parent() {
    let name = "update_mode_refuses_a_crate_root_or_a_symlinked_folder_or_parent";
    if is_child(name) {
        let actual = dir_with(&Tree::new());
        let crate_root = dir_with(
            &Tree::new()
                .with("Cargo.toml", "[package]\n")
                .unwrap()
                .with("src/lib.rs", "")
                .unwrap(),
        );
        // `from = "."` is refused at compile time, but not by the runtime.
        let link = fixtree::tempdir().unwrap();
        std::os::unix::fs::symlink(crate_root.path(), link.path().join("snap")).unwrap();
        // `tests` -> elsewhere: the folder itself is no link, its parent is.
        let elsewhere = dir_with(&Tree::new().with("snap/kept.txt", "x").unwrap());
        let linked_parent = fixtree::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), linked_parent.path().join("tests")).unwrap();
        for (root, written) in [
            (crate_root.path(), "."),
            (link.path(), "snap"),
            (linked_parent.path(), "tests/snap"),
        ] {
            let panic = std::panic::catch_unwind(|| {
                fixtree::__private::assert_tree_from(
                    actual.path(),
                    folder(root, written),
                    &[],
                    LineEndings::Any,
                )
            })
            .unwrap_err();
            let message = panic.downcast_ref::<String>().unwrap();
            assert!(message.contains("refusing"), "{message}");
        }
        assert_eq!(
            Tree::read(crate_root.path()).unwrap().len(),
            2,
            "nothing was removed"
        );
        assert!(
            elsewhere.path().join("snap/kept.txt").exists(),
            "nothing was removed"
        );
        return;
    }
    run_in_update_mode(name);
}

/// A golden fixture of a cargo tool is a crate or a repository: update mode
/// rewrites its folder whatever it holds, matching ones pass; what it
/// refuses is decided by the place (`src`, `.git/…`, `target/…`), never by
/// the content.
#[test]
fn update_mode_writes_a_golden_crate_and_refuses_src_git_and_target() {
    let name = "update_mode_writes_a_golden_crate_and_refuses_src_git_and_target";
    if is_child(name) {
        let golden = tree! {
            "Cargo.toml" => "[package]\nname = \"golden\"\n",
            ".git/HEAD" => "ref: refs/heads/main\n",
            "src/lib.rs" => "",
        };
        let actual = dir_with(&golden);
        let root = dir_with(&tree! {
            "Cargo.toml" => "[package]\n",
            "src/lib.rs" => "pub fn f() {}\n",
            "tests/golden/crate" => {
                "Cargo.toml" => "[package]\nname = \"old\"\n",
                ".git/HEAD" => "ref: refs/heads/old\n",
            },
            "tests/golden/same" => {
                "Cargo.toml" => "[package]\nname = \"golden\"\n",
                ".git/HEAD" => "ref: refs/heads/main\n",
                "src/lib.rs" => "",
            },
        });
        for written in ["tests/golden/crate", "tests/golden/same"] {
            fixtree::__private::assert_tree_from(
                actual.path(),
                folder(root.path(), written),
                &[],
                LineEndings::Any,
            );
            assert_eq!(Tree::read(root.path().join(written)).unwrap(), golden);
        }
        let before = Tree::read(root.path()).unwrap();
        for written in ["src", ".git/x", "target/x"] {
            let panic = std::panic::catch_unwind(|| {
                fixtree::__private::assert_tree_from(
                    actual.path(),
                    folder(root.path(), written),
                    &[],
                    LineEndings::Any,
                )
            })
            .unwrap_err();
            let message = panic.downcast_ref::<String>().unwrap();
            assert!(message.contains("is refused: it is"), "{message}");
        }
        assert_eq!(Tree::read(root.path()).unwrap(), before);
        return;
    }
    support::run_in_update_mode(name);
}

#[cfg(unix)]
#[test]
fn an_ignored_directory_is_not_even_read() {
    // A fifo is no tree entry: reading it would fail the comparison.
    let dir = dir_with(&tree! { "out.txt" => "done\n", "target/debug" => {} });
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("target/debug/pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    fixtree::__private::assert_tree(dir.path(), tree! { "out.txt" => "done\n" }, &["target/"]);
    let diff = check_tree(dir.path(), &tree! { "out.txt" => "done\n" }).unwrap_err();
    assert!(
        diff.to_string().contains("pipe"),
        "without the ignore, the fifo is reported: {diff}"
    );
}

/// A directory holding names that are not UTF-8 — `caf\xe9.log`, as
/// Latin-1 tools write them — with one at the root, one in `logs`, and a
/// directory of them in `cache`.
#[cfg(unix)]
fn dir_with_latin1_names() -> fixtree::TempDir {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = dir_with(&tree! { "out.txt" => "done\n", "logs" => {}, "cache" => {} });
    let root = dir.path();
    fs::write(root.join(OsStr::from_bytes(b"caf\xe9.log")), "x").unwrap();
    fs::write(
        root.join("logs").join(OsStr::from_bytes(b"r\xe9sum\xe9")),
        "x",
    )
    .unwrap();
    let deja = root.join("cache").join(OsStr::from_bytes(b"d\xe9j\xe0"));
    fs::create_dir(&deja).unwrap();
    fs::write(deja.join(OsStr::from_bytes(b"\xff")), "x").unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_skipped_where_ignored_or_allowed_by_dots() {
    let dir = dir_with_latin1_names();
    fixtree::assert_tree!(dir, {
        "out.txt" => "done\n",
        "logs" => { .. },
        "cache" => { .. },
    }, ignore = ["*.log"]);
    // The open level at the root allows the one there too.
    fixtree::assert_tree!(dir, { "out.txt" => "done\n", "logs" => { .. }, "cache" => { .. }, .. });
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_compared_exactly_are_reported_by_their_spelling() {
    let dir = dir_with_latin1_names();
    let expected = ExpectedTree::from(tree! { "out.txt" => "done\n", "logs" => {}, "cache" => {} });
    assert_eq!(report(dir.path(), &expected), PIN_NOT_UTF8);
}

#[cfg(unix)]
const PIN_NOT_UTF8: &str = r#"tree mismatch: <root> vs the expected tree
3 unexpected (1 matched, 0 ignored)
+ cache/d\xe9j\xe0   unexpected directory whose name is not UTF-8, which spec text cannot name: allow it with `..`, leave it out with `ignore = [...]`, or expect it with `Tree::insert_os`
+ caf\xe9.log        unexpected file whose name is not UTF-8, which spec text cannot name: allow it with `..`, leave it out with `ignore = [...]`, or expect it with `Tree::insert_os`
+ logs/r\xe9sum\xe9  unexpected file whose name is not UTF-8, which spec text cannot name: allow it with `..`, leave it out with `ignore = [...]`, or expect it with `Tree::insert_os`
expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):
{
    "cache" => {},
    "logs" => {},
    "out.txt" => "done\n",
}"#;

/// A snapshot folder named by a relative path is found where it was when
/// the expectation was made, though the test moves its working directory
/// before comparing (its files are read only then). In a child process: the
/// working directory is the whole process's.
#[test]
fn a_relative_snapshot_folder_stays_where_it_was_when_the_test_moves_away() {
    let name = "a_relative_snapshot_folder_stays_where_it_was_when_the_test_moves_away";
    if is_child(name) {
        let work = fixtree::tempdir().unwrap();
        std::fs::create_dir(work.path().join("expected")).unwrap();
        std::fs::write(work.path().join("expected/out.txt"), "kept\n").unwrap();
        std::env::set_current_dir(work.path()).unwrap();
        let expected = fixtree::ExpectedTree::from_snapshot("expected").unwrap();
        let elsewhere = fixtree::tempdir().unwrap();
        std::env::set_current_dir(elsewhere.path()).unwrap();
        std::fs::write(elsewhere.path().join("out.txt"), "kept\n").unwrap();
        check_tree(elsewhere.path(), &expected).unwrap();
        return;
    }
    run_in_child(name, Setup::default());
}

/// Temporary files that update runs killed while rewriting a txtar file
/// left beside it (unlocked) are removed by the next update; one a running
/// write holds stays, and so do names that are not that file's.
#[cfg(unix)]
#[test]
fn update_mode_removes_the_temporary_files_killed_txtar_updates_left() {
    let name = "update_mode_removes_the_temporary_files_killed_txtar_updates_left";
    if is_child(name) {
        let root = dir_with(&tree! {
            "tests" => {
                "snap.txtar" => "-- a.txt --\nold\n",
                ".snap.txtar.Stale00001.tmp" => "half a txtar file",
                ".snap.txtar.Stale00002.tmp" => "-- a.txt --\n",
                ".snap.txtar.Held000001.tmp" => "being written",
                ".snap.txtar.notours.tmp" => "x",
                ".other.txtar.Stale00003.tmp" => "another file's",
            },
        });
        let tests = root.path().join("tests");
        let _held = support::hold(&tests.join(".snap.txtar.Held000001.tmp"));
        let actual = dir_with(&tree! { "a.txt" => "new\n" });
        fixtree::__private::assert_tree_from(
            actual.path(),
            folder(root.path(), "tests/snap.txtar"),
            &[],
            LineEndings::Any,
        );
        assert_eq!(
            fs::read_to_string(tests.join("snap.txtar")).unwrap(),
            "-- a.txt --\nnew\n"
        );
        assert_eq!(
            support::entries(&tests),
            [
                ".other.txtar.Stale00003.tmp",
                ".snap.txtar.Held000001.tmp",
                ".snap.txtar.notours.tmp",
                "snap.txtar"
            ]
        );
        return;
    }
    run_in_update_mode(name);
}

/// Update mode applies the comparison's diff and keeps git's view of empty
/// directories: one it empties gets a `.keep` marker, and a lone marker it
/// adds entries beside goes, unless the test's directory holds one there
/// too. A new directory is copied whole (its empty ones marked, a link as a
/// link); a directory that became a file is replaced.
#[cfg(unix)]
#[test]
fn update_mode_marks_what_it_empties_and_drops_markers_it_fills() {
    let name = "update_mode_marks_what_it_empties_and_drops_markers_it_fills";
    if is_child(name) {
        let root = dir_with(&tree! {
            "tests/snap" => {
                "emptied/gone.txt" => "x\n",
                "filled/.keep" => "",
                "kept/.keep" => "",
                "kept/a.txt" => "a\n",
                "was_dir/x.txt" => "x\n",
            },
        });
        let actual = dir_with(&tree! {
            "emptied" => {},
            "filled/new.txt" => "new\n",
            "kept/.keep" => "",
            "kept/a.txt" => "a\n",
            "kept/b.txt" => "b\n",
            "new/deep/empty" => {},
            "new/deep/link" => symlink("../x"),
            "was_dir" => "a file now\n",
        });
        assert_from(actual.path(), root.path());
        let expected = tree! {
            "emptied/.keep" => "",
            "filled/new.txt" => "new\n",
            "kept/.keep" => "",
            "kept/a.txt" => "a\n",
            "kept/b.txt" => "b\n",
            "new/deep/empty/.keep" => "",
            "new/deep/link" => symlink("../x"),
            "was_dir" => "a file now\n",
        };
        assert_eq!(
            Tree::read(root.path().join("tests/snap")).unwrap(),
            expected
        );
        return;
    }
    let stderr = run_in_update_mode(name);
    assert!(
        stderr.contains(
            "fixtree: updated snapshot folder tests/snap: added emptied/.keep, filled/new.txt, \
             kept/b.txt, new; changed was_dir; removed emptied/gone.txt, filled/.keep\n"
        ),
        "{stderr}"
    );
}

/// A name that is not UTF-8 cannot go into a snapshot folder (specs and
/// trees name entries with strings): update mode fails, naming it.
#[cfg(unix)]
#[test]
fn update_mode_refuses_a_name_that_is_not_utf8() {
    let name = "update_mode_refuses_a_name_that_is_not_utf8";
    if is_child(name) {
        let actual = dir_with_latin1_names();
        let root = dir_with(&tree! {
            "tests/snap" => { "out.txt" => "done\n", "logs/.keep" => "", "cache/.keep" => "" },
        });
        let panic = std::panic::catch_unwind(|| {
            fixtree::__private::assert_tree_from(
                actual.path(),
                folder(root.path(), "tests/snap"),
                &[],
                LineEndings::Any,
            )
        })
        .unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert!(
            message.starts_with("fixtree: cannot update snapshot folder tests/snap")
                && message.contains(r"cache/d\xe9j\xe0")
                && message.ends_with("its name is not UTF-8, and the names in a tree are strings"),
            "{message}"
        );
        return;
    }
    run_in_update_mode(name);
}
