//! `#[cases("…/*")]`: one test per case folder, its `input/` copied in, its
//! `expected/` compared (and written by update mode); the check test that
//! notices a case folder added or removed since the test was compiled.
//!
//! The case folders are tests/cases/upper/* (an uppercase converter) and
//! tests/cases/fresh/* (a case with only its input, run in a child, on a
//! copy, by the update-mode tests). A child pointed at a copy of the folders
//! finds them there: case folders are looked up in the test process's
//! CARGO_MANIFEST_DIR, as for an archived test run in another checkout.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use fixtree::cases;

/// The variable naming the one case (`cases::upper::<case>`) whose body writes a
/// stray file, so that it fails.
const BREAK: &str = "FIXTREE_TEST_BREAK_CASE";

/// Uppercases the text of every file under `dir`.
fn uppercase_all(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            uppercase_all(&path)?;
        } else {
            let text = fs::read_to_string(&path)?;
            fs::write(&path, text.to_uppercase())?;
        }
    }
    Ok(())
}

#[cases("tests/cases/upper/*")]
fn upper(dir: &Path) -> std::io::Result<()> {
    uppercase_all(dir)?;
    let this_case = std::thread::current().name().map(str::to_owned);
    if std::env::var(BREAK).ok() == this_case {
        fs::write(dir.join("stray.txt"), "not expected\n")?;
    }
    Ok(())
}

/// Folders named as snapbox names them (`in/`, `out/`), `out/` holding only
/// the paths the case is about (`subset`): the build output beside them is
/// not compared, nor is the log (`ignore`). The case reads its argument from
/// a file of its own, `args.txt`.
#[cases(
    "tests/cases/in_out/*",
    input = "in",
    expected = "out",
    subset,
    ignore = ["*.log"]
)]
fn in_out(case: &fixtree::Case, dir: &Path) -> std::io::Result<()> {
    assert_eq!(case.name(), "shout");
    assert!(case.folder().join("in").is_dir());
    if case.read("args.txt")? == "--upper\n" {
        uppercase_all(dir)?;
    }
    fs::write(dir.join("run.log"), "a log of this run\n")?;
    fs::create_dir_all(dir.join("target/debug"))?;
    fs::write(dir.join("target/debug/app"), "build output\n")
}

/// A test attribute of the function runs each case instead of `#[test]`:
/// here an async runtime's, and `#[ignore]` still applies to every case.
#[cases("tests/cases/upper/*")]
#[tokio::test]
#[ignore = "run with --include-ignored: #[ignore] reaches each case"]
async fn upper_async(dir: &Path) -> std::io::Result<()> {
    tokio::task::yield_now().await;
    uppercase_all(dir)
}

/// A case with only its input: run by the update-mode tests, in a child, on
/// a copy of its folder.
#[cases("tests/cases/fresh/*")]
#[ignore = "has no expected/ on purpose: run by the update-mode tests, on a copy"]
fn on_purpose_fresh(dir: PathBuf) {
    uppercase_all(&dir).unwrap();
}

/// The tests of this module, as `--list` shows them, without the module.
fn listed_tests() -> Vec<String> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--list", "--format", "terse"])
        .output()
        .expect("run the test binary with --list");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.strip_suffix(": test")?.strip_prefix("cases::"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_case_folder_is_a_test_of_its_own() {
    let listed = listed_tests();
    for test in [
        "upper::empty",
        "upper::nested_dirs",
        "upper::shout",
        "upper::__case_folders_unchanged",
        "on_purpose_fresh::new_case",
        "on_purpose_fresh::__case_folders_unchanged",
    ] {
        assert!(listed.iter().any(|t| t == test), "{test} not in {listed:?}");
    }
    let upper: Vec<&String> = listed.iter().filter(|t| t.starts_with("upper::")).collect();
    assert_eq!(upper.len(), 4, "{upper:?}");
}

/// A copy of the case folders `tests/cases/<set>` in a crate folder of its
/// own, at the same relative path, for a child to run against.
fn copy_of_cases(set: &str) -> fixtree::TempDir {
    let root = fixtree::tempdir().unwrap();
    let to = root.path().join("tests/cases").join(set);
    fs::create_dir_all(&to).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(set);
    fixtree::copy_snapshot(from, &to).unwrap();
    root
}

/// Runs the tests `names` (exactly, ignored ones too) of this module in a
/// child whose crate folder is `root`, with `env` and a base of its own for
/// test directories: whether it passed, its stdout and stderr, and that base.
fn run_child(
    names: &[&str],
    root: &Path,
    env: &'static [(&'static str, Option<&'static str>)],
) -> (Output, fixtree::TempDir) {
    let setup = support::Setup {
        env,
        ..support::Setup::default()
    };
    let (mut command, _staging) = support::child(names[0], setup);
    let base = fixtree::tempdir().unwrap();
    let output = command
        .args(names[1..].iter().map(|name| support::test_name(name)))
        .env("CARGO_MANIFEST_DIR", root)
        .env("CARGO_PKG_NAME", env!("CARGO_PKG_NAME"))
        .env("FIXTREE_DIR", base.path())
        .env_remove("FIXTREE_KEEP")
        .stdin(Stdio::null())
        .output()
        .expect("start the child test");
    (output, base)
}

/// Asserts that `text` holds each of `parts`.
fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_failing_case_fails_alone_and_names_its_folders() {
    let root = copy_of_cases("upper");
    let env = &[
        (BREAK, Some("cases::upper::nested_dirs")),
        ("FIXTREE_UPDATE", None),
    ];
    let names = ["upper::shout", "upper::nested_dirs", "upper::empty"];
    let (output, base) = run_child(&names, root.path(), env);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert_contains(
        &stdout,
        &[
            "test cases::upper::shout ... ok",
            "test cases::upper::empty ... ok",
            "test cases::upper::nested_dirs ... FAILED",
            "2 passed; 1 failed",
        ],
    );
    let kept = support::test_dirs(base.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept = &kept[0];
    assert!(
        kept.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("it.cases.upper.nested_dirs."),
        "{kept:?}"
    );
    fixtree::assert_tree!(kept, {
        // Line endings as the checkout has them (git on Windows may write CRLF).
        "a" => { "b.txt" => contains("DEEP") },
        "notes.md" => contains("# NOTES"),
        "stray.txt" => "not expected\n",
    });
    assert_contains(
        &stderr,
        &[
            "tree mismatch: ",
            " vs tests/cases/upper/nested-dirs/expected",
            "+ stray.txt",
            // The crate is a scratch copy: the test target cannot be known there.
            "update the folder with: FIXTREE_UPDATE=1 cargo test -p fixtree cases::upper::nested_dirs",
            "fixtree: case cases::upper::nested_dirs failed (tests/cases/upper/nested-dirs)\n    \
         input:    tests/cases/upper/nested-dirs/input\n    \
         expected: tests/cases/upper/nested-dirs/expected\n",
            &format!("fixtree: kept {} for failed test", kept.display()),
        ],
    );
    assert!(!stderr.contains("case cases::upper::shout"), "{stderr}");
}

#[test]
fn update_mode_writes_the_expected_folder_a_new_case_lacks() {
    let root = copy_of_cases("fresh");
    let case = root.path().join("tests/cases/fresh/new-case");
    let env = &[("FIXTREE_UPDATE", Some("1")), ("CI", None)];
    let (output, _base) = run_child(&["on_purpose_fresh::new_case"], root.path(), env);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_contains(
        &stderr,
        &["fixtree: created snapshot folder tests/cases/fresh/new-case/expected: added in.txt"],
    );
    fixtree::assert_tree!(&case, {
        "input" => { "in.txt" => "fresh\n" },
        "expected" => { "in.txt" => "FRESH\n" },
    });
    // The case in this checkout is untouched: the child worked on the copy.
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/fresh/new-case");
    fixtree::assert_tree!(own, { "input" => { "in.txt" => "fresh\n" } });
}

#[test]
fn review_mode_records_the_expected_folder_a_new_case_lacks_as_pending() {
    let root = copy_of_cases("fresh");
    let case = root.path().join("tests/cases/fresh/new-case");
    let env = &[("FIXTREE_UPDATE", Some("review")), ("CI", None)];
    let (output, _base) = run_child(&["on_purpose_fresh::new_case"], root.path(), env);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert_contains(&stderr, &["does not exist yet; recorded as pending: "]);
    assert!(!case.join("expected").exists(), "{stderr}");
    assert_eq!(
        fs::read_to_string(case.join("expected.pending/in.txt")).unwrap(),
        "FRESH\n"
    );
}

#[test]
fn without_update_mode_a_missing_expected_folder_says_how_to_make_it() {
    let root = copy_of_cases("fresh");
    for (env, says) in [
        (
            &[("FIXTREE_UPDATE", None)] as &'static [_],
            "fixtree: case cases::on_purpose_fresh::new_case has no expected folder tests/cases/fresh/new-case/expected (looked up at ",
        ),
        (
            &[("FIXTREE_UPDATE", Some("1")), ("CI", Some("true"))],
            "snapshot folders are not rewritten in CI",
        ),
        (
            &[("FIXTREE_UPDATE", Some("review")), ("CI", Some("true"))],
            "pending snapshots are not recorded in CI",
        ),
    ] {
        let (output, _base) = run_child(&["on_purpose_fresh::new_case"], root.path(), env);
        let (stdout, stderr) = text(&output);
        assert!(!output.status.success(), "{stdout}\n{stderr}");
        assert!(stderr.contains(says), "{says:?} not in:\n{stderr}");
        assert!(
            !root
                .path()
                .join("tests/cases/fresh/new-case/expected")
                .exists(),
            "{stderr}"
        );
    }
}

#[test]
fn case_folders_added_or_removed_since_compiling_are_named() {
    let root = copy_of_cases("upper");
    let cases = root.path().join("tests/cases/upper");
    fs::create_dir_all(cases.join("added-case/input")).unwrap();
    fs::remove_dir_all(cases.join("shout")).unwrap();
    let env = &[("FIXTREE_UPDATE", None)];

    let (output, _base) = run_child(&["upper::__case_folders_unchanged"], root.path(), env);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert_contains(
        &stderr,
        &[
            "fixtree: the case folders tests/cases/upper/* (looked up at ",
            "    added:   tests/cases/upper/added-case (no test runs it yet)\n",
            "    removed: tests/cases/upper/shout (its test fails: its folder is gone)\n",
            "run `touch tests/it/cases.rs` (the file holding #[cases(\"tests/cases/upper/*\")]), then test again",
        ],
    );

    // The removed case's own test fails too, naming its folder.
    let (output, _base) = run_child(&["upper::shout"], root.path(), env);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert_contains(
        &stderr,
        &[
            "fixtree: case cases::upper::shout has no input folder tests/cases/upper/shout/input (looked up at ",
            "the case folder was removed or renamed after the test was compiled; run `touch tests/it/cases.rs`",
            "fixtree: case cases::upper::shout failed (tests/cases/upper/shout)",
        ],
    );
}

/// A case folder `tests/cases/hostile` in a crate folder of its own, holding
/// `args.txt` (`--loud`), and the case whose folder it is.
fn hostile_case(root: &Path) -> fixtree::Case<'_> {
    let folder = root.join("tests/cases/hostile");
    fs::create_dir_all(folder.join("input")).unwrap();
    fs::write(folder.join("args.txt"), "--loud\n").unwrap();
    fixtree::__private::Case {
        folder: "tests/cases/hostile",
        input: "tests/cases/hostile/input",
        expected: "tests/cases/hostile/expected",
        manifest_dir: root.to_str().unwrap(),
        package: "demo",
        source: "tests/cases.rs",
        subset: false,
        ignore: &[],
    }
}

/// `Case::read` reads only below the case folder: a path that climbs out is
/// refused with the rule and the fix, naming the path.
#[test]
fn case_read_refuses_a_path_out_of_the_case_folder() {
    let root = fixtree::tempdir().unwrap();
    let case = hostile_case(root.path());
    fs::write(root.path().join("tests/cases/secret.txt"), "secret\n").unwrap();
    assert_eq!(case.read("args.txt").unwrap(), "--loud\n");
    let err = case.read("../secret.txt").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert_contains(
        &err.to_string(),
        &[
            "cannot read \"../secret.txt\" in the case folder ",
            // The folder as the system spells it: `\` on Windows.
            "hostile: key \"../secret.txt\" has a '.' or '..' segment: name the path directly",
        ],
    );
}

/// Case folders are anyone's content: `Case::read` follows no link, neither
/// the file's nor a directory's below the case folder, and a FIFO fails at
/// once instead of blocking the test.
#[cfg(unix)]
#[test]
fn case_read_follows_no_link_and_blocks_on_no_fifo() {
    let root = fixtree::tempdir().unwrap();
    let case = hostile_case(root.path());
    let folder = case.folder();
    let elsewhere = fixtree::tempdir().unwrap();
    fs::write(elsewhere.path().join("secret.txt"), "secret\n").unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("secret.txt"), folder.join("file.txt"))
        .unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), folder.join("dir")).unwrap();
    let status = Command::new("mkfifo")
        .arg(folder.join("fifo"))
        .status()
        .unwrap();
    assert!(status.success());

    let err = case.read("file.txt").unwrap_err();
    assert_contains(
        &err.to_string(),
        &[
            &format!("cannot read {}: ", folder.join("file.txt").display()),
            "fixtree reads it only as a regular file, not through a link",
        ],
    );
    let err = case.read("dir/secret.txt").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read {}: {} is a symbolic link; fixtree reads a case's files only inside \
             its folder, never through a link: put the directory itself there",
            folder.join("dir/secret.txt").display(),
            folder.join("dir").display()
        )
    );
    let err = case.read("fifo").unwrap_err();
    assert_contains(
        &err.to_string(),
        &[
            &format!("cannot read {}: ", folder.join("fifo").display()),
            "fixtree reads it only as a regular file",
        ],
    );
}
