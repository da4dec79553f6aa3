//! Review mode (`FIXTREE_UPDATE=review`) and new snapshot folders: what a
//! failing assertion records as pending, and where; what a pass clears; how
//! a missing folder fails, is created or is recorded; and CI's refusal.
//! Each test runs itself in a child process with its own environment.

use crate::support;

use std::fs;
use std::panic::catch_unwind;
use std::path::Path;

use fixtree::__private::{LineEndings, SourceSpot};
use fixtree::spec::{absent, any, contains};
use fixtree::{ExpectedTree, Tree, tree};
use fixtree_runtime::cli::review::{Edit, parse_records};
use support::{Setup, dir_with, folder, is_child, run_in_child, test_name};

/// A child in review mode, outside CI.
fn review() -> Setup {
    Setup {
        env: &[("FIXTREE_UPDATE", Some("review")), ("CI", None)],
        ..Setup::default()
    }
}

/// `assert_tree!(actual, from = "tests/snap", ignore = ["*.log"])` in the
/// crate at `root`: its panic message, if it failed.
fn assert_from(actual: &Path, root: &Path, written: &str) -> Option<String> {
    catch_unwind(|| {
        fixtree::__private::assert_tree_from(
            actual,
            folder(root, written),
            &["*.log"],
            LineEndings::Any,
        );
    })
    .err()
    .map(message)
}

/// A panic's message, formatted or not.
fn message(panic: Box<dyn std::any::Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(message) => *message,
        Err(panic) => (*panic.downcast::<&str>().expect("a message")).to_owned(),
    }
}

#[test]
fn review_mode_records_the_new_folder_beside_the_old_and_a_pass_clears_it() {
    let name = "review_mode_records_the_new_folder_beside_the_old_and_a_pass_clears_it";
    if is_child(name) {
        let root = dir_with(&tree! {
            "tests/snap" => {
                "same.txt" => "same\n",
                "changed.txt" => "old\n",
                "build.log" => "ignored: stays\n",
                "empty/.keep" => "",
            },
        });
        let actual = dir_with(&tree! {
            "same.txt" => "same\n",
            "changed.txt" => "new\n",
            "fresh" => {},
            "empty" => {},
            "other.log" => "ignored: not copied\n",
        });
        let snap = root.path().join("tests/snap");
        let before = Tree::read(&snap).unwrap();

        let message = assert_from(actual.path(), root.path(), "tests/snap").expect("a failure");
        let pending = root.path().join("tests").join("snap.pending");
        assert!(message.starts_with("tree mismatch:"), "{message}");
        assert!(message.contains("~ changed.txt"), "{message}");
        assert!(
            message.ends_with(&format!(
                "recorded as pending: {}; review with `cargo fixtree review`",
                pending.display()
            )),
            "{message}"
        );
        assert_eq!(
            Tree::read(&snap).unwrap(),
            before,
            "the folder is untouched"
        );
        // The whole folder as update mode would leave it, and the marker.
        let test = format!(
            "fixtree-pending-folder 1\ntest={}\nfolder=tests/snap\n",
            test_name(name)
        );
        assert_eq!(
            Tree::read(&pending).unwrap(),
            tree! {
                "same.txt" => "same\n",
                "changed.txt" => "new\n",
                "build.log" => "ignored: stays\n",
                "empty/.keep" => "",
                "fresh/.keep" => "",
                ".fixtree-pending" => test.as_str(),
            }
        );

        // Recorded again: replaced, not merged.
        fs::write(actual.path().join("changed.txt"), "newer\n").unwrap();
        assert!(assert_from(actual.path(), root.path(), "tests/snap").is_some());
        assert_eq!(
            fs::read_to_string(pending.join("changed.txt")).unwrap(),
            "newer\n"
        );

        // Once the directory matches again, the stale pending folder goes.
        fs::write(actual.path().join("changed.txt"), "old\n").unwrap();
        fs::remove_dir(actual.path().join("fresh")).unwrap();
        assert_eq!(assert_from(actual.path(), root.path(), "tests/snap"), None);
        assert!(!pending.exists());
        return;
    }
    run_in_child(name, review());
}

#[test]
fn a_missing_folder_fails_is_created_or_is_recorded_by_mode() {
    let name = "a_missing_folder_fails_is_created_or_is_recorded_by_mode";
    if is_child(name) {
        let root = dir_with(&tree! { "tests" => {} });
        let actual = dir_with(&tree! { "a.txt" => "x\n", "empty" => {} });
        let message = assert_from(actual.path(), root.path(), "tests/new");
        let snap = root.path().join("tests/new");
        let pending = root.path().join("tests/new.pending");
        match std::env::var("FIXTREE_UPDATE").as_deref() {
            Ok("review") => {
                let message = message.expect("a failure");
                assert!(
                    message.starts_with("fixtree: snapshot folder tests/new (looked up at")
                        && message.contains("does not exist yet; recorded as pending: ")
                        && message.ends_with("; review with `cargo fixtree review`"),
                    "{message}"
                );
                assert!(!snap.exists());
                let recorded = Tree::read(&pending).unwrap();
                assert_eq!(recorded.get("a.txt"), Some(&fixtree::Node::file("x\n")));
                assert_eq!(recorded.get("empty/.keep"), Some(&fixtree::Node::file("")));
            }
            Ok("1") => {
                assert_eq!(message, None);
                assert_eq!(
                    Tree::read(&snap).unwrap(),
                    tree! { "a.txt" => "x\n", "empty/.keep" => "" }
                );
                assert!(!pending.exists());
            }
            _ => {
                let message = message.expect("a failure");
                assert!(
                    message.contains(&format!(
                        "does not exist yet: create it with `FIXTREE_UPDATE=1 cargo test -p fixtree --test it {}` \
                         or record it for review with `FIXTREE_UPDATE=review`",
                        test_name(name)
                    )),
                    "{message}"
                );
                assert!(!snap.exists() && !pending.exists());
            }
        }
        return;
    }
    for env in [
        &[("FIXTREE_UPDATE", Some("review")), ("CI", None)],
        &[("FIXTREE_UPDATE", Some("1")), ("CI", None)],
        &[("FIXTREE_UPDATE", None), ("CI", None)],
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

#[test]
fn review_mode_is_refused_in_ci_and_writes_nothing() {
    let name = "review_mode_is_refused_in_ci_and_writes_nothing";
    if is_child(name) {
        let root = dir_with(&tree! { "tests/snap/a.txt" => "old\n" });
        let actual = dir_with(&tree! { "a.txt" => "new\n" });
        let before = Tree::read(root.path()).unwrap();
        let message = assert_from(actual.path(), root.path(), "tests/snap").expect("refused");
        assert!(
            message.contains(
                "fixtree: FIXTREE_UPDATE=review is set, but so is CI: pending snapshots are not \
                 recorded in CI"
            ),
            "{message}"
        );
        assert_eq!(Tree::read(root.path()).unwrap(), before);
        return;
    }
    run_in_child(
        name,
        Setup {
            env: &[("FIXTREE_UPDATE", Some("review")), ("CI", Some("true"))],
            ..Setup::default()
        },
    );
}

/// `assert_tree!(actual, { "a.txt" => "x\n" })` at line 3, column 5 of
/// `source`: its panic message, if it failed.
fn assert_inline(actual: &Path, source: &Path) -> Option<String> {
    assert_inline_spec(actual, source, tree! { "a.txt" => "x\n" }.into())
}

/// `assert_tree!(actual, <expected>, ignore = ["*.log"])` at line 3, column
/// 5 of `source`: its panic message, if it failed.
fn assert_inline_spec(actual: &Path, source: &Path, expected: ExpectedTree) -> Option<String> {
    catch_unwind(|| {
        fixtree::__private::assert_tree_inline(
            actual,
            expected,
            &["*.log"],
            SourceSpot {
                file: source.to_str().unwrap(),
                line: 3,
                column: 5,
                manifest_dir: env!("CARGO_MANIFEST_DIR"),
                package: env!("CARGO_PKG_NAME"),
                tokens: "0123456789abcdef",
            },
        );
    })
    .err()
    .map(message)
}

#[test]
fn review_mode_records_edits_and_a_pass_resolves_them() {
    let name = "review_mode_records_edits_and_a_pass_resolves_them";
    if is_child(name) {
        let crate_dir = dir_with(&tree! { "tests/it.rs" => "// the test\n" });
        let source = crate_dir.path().join("tests/it.rs");
        let records = crate_dir.path().join("tests").join("it.rs.fixtree-pending");
        // Longer than a report shows, so the record must not cut it.
        let long = "line\n".repeat(2000);
        let actual = dir_with(&tree! {
            "a.txt" => "y\n",
            "sub" => { "long.txt" => long.as_str() },
            "build.log" => "ignored",
        });
        let message = assert_inline(actual.path(), &source).expect("a failure");
        assert!(
            message.ends_with(&format!(
                "recorded as pending: {}:3:5; review with `cargo fixtree review`",
                records.display()
            )),
            "{message}"
        );
        let text = fs::read_to_string(&records).unwrap();
        let recorded = parse_records(&text).unwrap();
        assert_eq!(recorded.len(), 1, "{text}");
        assert_eq!((recorded[0].line, recorded[0].column), (3, 5));
        assert_eq!(recorded[0].test, test_name(name));
        let report = &recorded[0].report;
        assert!(report.starts_with("tree mismatch:"), "{report}");
        assert!(report.contains("~ a.txt"), "{report}");
        assert!(
            !report.contains("to paste") && !report.contains("recorded as pending"),
            "{report}"
        );
        // What failed, each value complete; the ignored file left out.
        let long_spec = format!("{{\n    \"long.txt\" => {long:?},\n}}");
        assert_eq!(
            recorded[0].edits,
            [
                Edit::Change {
                    path: "a.txt".to_owned(),
                    value: r#""y\n""#.to_owned()
                },
                Edit::Add {
                    path: "sub".to_owned(),
                    value: long_spec
                },
            ]
        );

        // The assertion passes now: the record is resolved.
        fs::write(actual.path().join("a.txt"), "x\n").unwrap();
        fs::remove_dir_all(actual.path().join("sub")).unwrap();
        assert_eq!(assert_inline(actual.path(), &source), None);
        let text = fs::read_to_string(&records).unwrap();
        assert_eq!(parse_records(&text).unwrap(), []);
        return;
    }
    run_in_child(name, review());
}

#[test]
fn update_mode_does_not_rewrite_an_inline_spec_but_says_how_to_review_it() {
    let name = "update_mode_does_not_rewrite_an_inline_spec_but_says_how_to_review_it";
    if is_child(name) {
        let crate_dir = dir_with(&tree! { "tests/it.rs" => "// the test\n" });
        let source = crate_dir.path().join("tests/it.rs");
        let before = Tree::read(crate_dir.path()).unwrap();
        let actual = dir_with(&tree! { "a.txt" => "y\n" });
        let message = assert_inline(actual.path(), &source).expect("a failure");
        // The spec's source is in a scratch crate: no test target to name.
        assert!(
            message.ends_with(&format!(
                "FIXTREE_UPDATE=1 rewrites snapshot folders, not inline specs: record this one \
                 with `FIXTREE_UPDATE=review cargo test -p fixtree {}`, then run `cargo fixtree review`",
                test_name(name)
            )),
            "{message}"
        );
        assert_eq!(Tree::read(crate_dir.path()).unwrap(), before);
        return;
    }
    run_in_child(
        name,
        Setup {
            env: &[("FIXTREE_UPDATE", Some("1")), ("CI", None)],
            ..Setup::default()
        },
    );
}

/// A record file is written only as a regular file: a link there (to a file
/// elsewhere, or dangling) is not written through, and a fifo neither
/// blocks the test nor gets the record. The test fails, naming it.
#[cfg(unix)]
#[test]
fn review_mode_never_writes_a_record_through_a_link_or_into_a_fifo() {
    let name = "review_mode_never_writes_a_record_through_a_link_or_into_a_fifo";
    if is_child(name) {
        let crate_dir = dir_with(&tree! { "tests/it.rs" => "// the test\n" });
        let source = crate_dir.path().join("tests/it.rs");
        let records = crate_dir.path().join("tests/it.rs.fixtree-pending");
        let outside = fixtree::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::write(&victim, "mine\n").unwrap();
        let actual = dir_with(&tree! { "a.txt" => "y\n" });

        std::os::unix::fs::symlink(&victim, &records).unwrap();
        let message = assert_inline(actual.path(), &source).expect("a failure");
        assert!(
            message.contains("cannot record this spec for review")
                && message.contains("it is a symbolic link, not a regular file")
                && message.contains("it.rs.fixtree-pending"),
            "{message}"
        );
        assert_eq!(fs::read_to_string(&victim).unwrap(), "mine\n");

        fs::remove_file(&records).unwrap();
        let dangling = outside.path().join("created");
        std::os::unix::fs::symlink(&dangling, &records).unwrap();
        assert!(assert_inline(actual.path(), &source).is_some());
        assert!(!dangling.exists(), "the link's target was created");

        fs::remove_file(&records).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(&records)
            .status()
            .unwrap();
        assert!(status.success());
        let message = assert_inline(actual.path(), &source).expect("a failure");
        assert!(
            message.contains("it is a fifo, not a regular file"),
            "{message}"
        );
        // A pass reads the record file to resolve: a fifo fails it, never hangs it.
        fs::write(actual.path().join("a.txt"), "x\n").unwrap();
        let message = assert_inline(actual.path(), &source).expect("refused");
        assert!(
            message.contains("it is a fifo, not a regular file"),
            "{message}"
        );
        return;
    }
    run_in_child(name, review());
}

/// A golden fixture of a cargo tool holds a Cargo.toml and maybe a .git:
/// review mode records its folder as any other.
#[test]
fn review_mode_records_a_folder_holding_a_cargo_toml_and_a_git_dir() {
    let name = "review_mode_records_a_folder_holding_a_cargo_toml_and_a_git_dir";
    if is_child(name) {
        let root = dir_with(&tree! {
            "Cargo.toml" => "[package]\n",
            "tests/golden" => {
                "Cargo.toml" => "[package]\nname = \"old\"\n",
                ".git/HEAD" => "ref: refs/heads/main\n",
            },
        });
        let actual = dir_with(&tree! {
            "Cargo.toml" => "[package]\nname = \"new\"\n",
            ".git/HEAD" => "ref: refs/heads/main\n",
        });
        let message = assert_from(actual.path(), root.path(), "tests/golden").expect("a failure");
        assert!(message.contains("~ Cargo.toml"), "{message}");
        let marker = format!(
            "fixtree-pending-folder 1\ntest={}\nfolder=tests/golden\n",
            test_name(name)
        );
        assert_eq!(
            Tree::read(root.path().join("tests/golden.pending")).unwrap(),
            tree! {
                "Cargo.toml" => "[package]\nname = \"new\"\n",
                ".git/HEAD" => "ref: refs/heads/main\n",
                ".fixtree-pending" => marker.as_str(),
            }
        );
        return;
    }
    run_in_child(name, review());
}

/// Staging folders a killed review run left (unlocked) are removed by the
/// next recording beside them; one a running test holds stays.
#[cfg(unix)]
#[test]
fn stale_staging_folders_go_and_a_held_one_stays() {
    let name = "stale_staging_folders_go_and_a_held_one_stays";
    if is_child(name) {
        let root = dir_with(&tree! {
            "tests/snap/a.txt" => "old\n",
            "tests/.fixtree-pending.Stale00001/big.bin" => "left by a killed run",
            "tests/.fixtree-pending.Stale00002/deep/er/x" => "",
            "tests/.fixtree-pending.Held000001/a.txt" => "in use",
            "tests/.fixtree-pending.notours" => { "x" => "" },
        });
        let tests = root.path().join("tests");
        let _held = support::hold(&tests.join(".fixtree-pending.Held000001"));
        let actual = dir_with(&tree! { "a.txt" => "new\n" });
        assert!(assert_from(actual.path(), root.path(), "tests/snap").is_some());
        assert_eq!(
            support::entries(&tests),
            [
                ".fixtree-pending.Held000001",
                ".fixtree-pending.notours",
                "snap",
                "snap.pending"
            ]
        );
        return;
    }
    run_in_child(name, review());
}

/// Review mode compares a txtar file first: a match passes; a mismatch is
/// recorded as `<file>.txtar.pending/` (the file as update mode would write
/// it, and a marker with the fingerprint of the file it was made from),
/// the file itself untouched; a pass of that test clears it; a missing file
/// is recorded too, as made from none.
#[test]
fn a_txtar_file_in_review_mode_passes_if_it_matches_else_is_recorded() {
    let name = "a_txtar_file_in_review_mode_passes_if_it_matches_else_is_recorded";
    if is_child(name) {
        let old = "a comment\n-- a.txt --\nx\n-- b.log --\nignored: stays\n";
        let root = dir_with(&tree! { "tests/snap.txtar" => old });
        let file = root.path().join("tests/snap.txtar");
        let pending = root.path().join("tests").join("snap.txtar.pending");
        let actual = dir_with(&tree! { "a.txt" => "x\n" });
        assert_eq!(
            assert_from(actual.path(), root.path(), "tests/snap.txtar"),
            None
        );
        assert!(!pending.exists());

        fs::write(actual.path().join("a.txt"), "y\n").unwrap();
        let message =
            assert_from(actual.path(), root.path(), "tests/snap.txtar").expect("a failure");
        assert!(
            message.starts_with("tree mismatch:") && message.contains("~ a.txt"),
            "{message}"
        );
        assert!(
            message.ends_with(&format!(
                "recorded as pending: {}; review with `cargo fixtree review`",
                pending.display()
            )),
            "{message}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), old);
        let was = fixtree_runtime::cli::review::txtar_fingerprint(&file).unwrap();
        assert_eq!(
            Tree::read(&pending).unwrap(),
            tree! {
                ".fixtree-pending" => format!(
                    "fixtree-pending-folder 1\ntest={}\nfolder=tests/snap.txtar\nkind=txtar\nwas={was}\n",
                    test_name(name)
                ),
                "contents.txtar" => "a comment\n-- a.txt --\ny\n-- b.log --\nignored: stays\n",
            }
        );

        fs::write(actual.path().join("a.txt"), "x\n").unwrap();
        assert_eq!(
            assert_from(actual.path(), root.path(), "tests/snap.txtar"),
            None
        );
        assert!(!pending.exists(), "a pass clears its own record");

        fs::remove_file(&file).unwrap();
        let message =
            assert_from(actual.path(), root.path(), "tests/snap.txtar").expect("a failure");
        assert!(
            message.contains("does not exist yet; recorded as pending"),
            "{message}"
        );
        assert!(!file.exists());
        let marker = fs::read_to_string(pending.join(".fixtree-pending")).unwrap();
        assert!(marker.ends_with("kind=txtar\nwas=none\n"), "{marker}");
        assert_eq!(
            fs::read_to_string(pending.join("contents.txtar")).unwrap(),
            "-- a.txt --\nx\n"
        );
        return;
    }
    run_in_child(name, review());
}

/// `cargo fixtree review` shows a pending folder's diff streaming its files:
/// a 256 MiB (sparse) file is compared without being read into memory.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_pending_file_is_reviewed_in_bounded_memory() {
    let name = "a_huge_pending_file_is_reviewed_in_bounded_memory";
    if is_child(name) {
        const SIZE: u64 = 256 << 20;
        let root = fixtree::tempdir().unwrap();
        let (snap, pending) = (root.path().join("snap"), root.path().join("snap.pending"));
        fs::create_dir(&snap).unwrap();
        fs::create_dir(&pending).unwrap();
        fs::File::create(snap.join("big.bin"))
            .unwrap()
            .set_len(SIZE)
            .unwrap();
        let big = fs::File::create(pending.join("big.bin")).unwrap();
        big.set_len(SIZE).unwrap();
        // One byte differs, at the very end: every byte before it is compared.
        std::os::unix::fs::FileExt::write_at(&big, b"x", SIZE - 1).unwrap();
        fs::write(
            pending.join(".fixtree-pending"),
            "fixtree-pending-folder 1\ntest=t\nfolder=snap\n",
        )
        .unwrap();
        let report = fixtree_runtime::cli::review::folder_diff(&snap, &pending, false)
            .unwrap()
            .expect("a difference");
        assert!(report.contains("~ big.bin"), "{report}");
        assert!(!report.contains(".fixtree-pending"), "{report}");
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let peak_kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        eprintln!("peak RSS reviewing a 256 MiB pending file: {peak_kib} KiB");
        assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
        return;
    }
    run_in_child(name, Setup::default());
}

/// The spec of issue 23: a matcher that holds (`any()`), `..` over build
/// output and a logo, a file changed, one missing and one unexpected in a
/// closed level, a failing matcher and an `absent()` that fails.
fn issues_spec() -> ExpectedTree {
    ExpectedTree::new()
        .with("report.txt", any())
        .and_then(|e| e.with("out/summary.json", "{\"ok\":true}\n"))
        .and_then(|e| e.with("out/README.md", "# out\n"))
        .and_then(|e| e.with("log.txt", contains("done")))
        .and_then(|e| e.with("tmp.lock", absent()))
        .unwrap()
        .allow_others()
}

/// The directory the test of issue 23 made.
fn issues_actual() -> fixtree::TempDir {
    let logo = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".repeat(20);
    dir_with(&tree! {
        "report.txt" => "3 passed\n".repeat(10).as_str(),
        "out" => { "summary.json" => "{\"ok\":false}\n", "extra.json" => "{}\n" },
        "log.txt" => "started\n",
        "tmp.lock" => "",
        "target/debug/app" => b"\x7fELF".as_slice(),
        "logo.png" => logo,
    })
}

/// Review mode records only what failed, in the spec of issue 23: `any()`
/// holds and is not recorded, `..` lets `target/` and the logo be, and
/// fixtree leaves what it cannot rewrite (a failing matcher, `absent()`)
/// to the user, saying why.
#[test]
fn the_issues_spec_records_only_what_failed() {
    let name = "the_issues_spec_records_only_what_failed";
    if is_child(name) {
        let crate_dir = dir_with(&tree! { "tests/it.rs" => "// the test\n" });
        let source = crate_dir.path().join("tests/it.rs");
        let actual = issues_actual();
        let message = assert_inline_spec(actual.path(), &source, issues_spec()).expect("a failure");
        let records = fs::read_to_string(crate_dir.path().join("tests/it.rs.fixtree-pending"));
        let records = records.unwrap();
        eprintln!("MESSAGE:\n{message}\nRECORD FILE:\n{records}");
        // The paste section is the spec with only what failed changed.
        let paste = (message.split_once("then cargo fixtree accept):\n"))
            .and_then(|(_, paste)| paste.split_once("\nrecorded as pending: "))
            .map(|(paste, _)| paste);
        assert_eq!(
            paste,
            Some(
                r#"{
    "log.txt" => contains("done") /* fails: does not contain "done" */,
    "out" => {
        "extra.json" => "{}\n",
        "summary.json" => "{\"ok\":false}\n",
    },
    "report.txt" => any(),
    "tmp.lock" => absent() /* fails: unexpected file (0 B), expected absent */,
    ..
}"#
            ),
            "{message}"
        );
        assert_eq!(
            parse_records(&records).unwrap()[0].edits,
            [
                Edit::Manual {
                    path: "log.txt".into(),
                    reason: "`contains(\"done\")` does not hold: fixtree does not rewrite a \
                             matcher; edit it by hand"
                        .into()
                },
                Edit::Remove {
                    path: "out/README.md".into()
                },
                Edit::Add {
                    path: "out/extra.json".into(),
                    value: r#""{}\n""#.into()
                },
                Edit::Change {
                    path: "out/summary.json".into(),
                    value: r#""{\"ok\":false}\n""#.into()
                },
                Edit::Manual {
                    path: "tmp.lock".into(),
                    reason: "expected absent(): accepting would drop the assertion; remove the \
                             file or the entry by hand"
                        .into()
                },
            ]
        );
        return;
    }
    let output = run_in_child(name, review());
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
}
