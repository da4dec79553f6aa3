//! `fixtree::test_dir!()`: directories named after the running test, for
//! helpers and tests that need several; removed when the test passes, kept
//! together when it fails — by panic, and by `Err` under `#[with_tempdir]`.

use crate::support;

use std::fs;
use std::path::Path;

use fixtree::{assert_tree, test_dir, with_tempdir};
use support::{Setup, is_child, stem};

/// A helper elsewhere in the suite: named after the test that calls it.
mod helpers {
    pub fn config_home() -> fixtree::TestDir {
        fixtree::test_dir!("config")
    }
}

#[test]
fn directories_are_named_after_the_test_and_their_label() {
    let first = test_dir!();
    let second = test_dir!();
    let config = helpers::config_home();
    assert_eq!(
        stem(first.path()),
        "it.test_dir.directories_are_named_after_the_test_and_their_label"
    );
    assert_eq!(
        stem(second.path()),
        "it.test_dir.directories_are_named_after_the_test_and_their_label-2"
    );
    assert_eq!(
        stem(config.path()),
        "it.test_dir.directories_are_named_after_the_test_and_their_label-config"
    );
    assert_eq!(
        first.test(),
        "it::test_dir::directories_are_named_after_the_test_and_their_label"
    );
}

#[test]
fn a_passing_test_leaves_nothing() {
    let path = {
        let dir = test_dir!("scratch");
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        dir.path().to_owned()
    };
    assert!(!path.exists(), "{} is still there", path.display());
}

/// Fails in the child: by panicking, without `#[with_tempdir]`.
#[test]
#[ignore = "run by `a_failing_test_keeps_all_its_directories` in a child process"]
fn panics_with_two_directories() {
    let project = test_dir!();
    let home = test_dir!("home");
    fs::write(project.path().join("p"), "project").unwrap();
    fs::write(home.path().join("h"), "home").unwrap();
    assert!(
        !is_child("panics_with_two_directories"),
        "failed on purpose"
    );
}

/// Fails in the child: by returning `Err`, under `#[with_tempdir]`.
#[with_tempdir]
#[ignore = "run by `a_failing_test_keeps_all_its_directories` in a child process"]
fn returns_err_with_two_directories(dir: &Path) -> Result<(), &'static str> {
    let home = test_dir!("home");
    fs::write(dir.join("p"), "project").unwrap();
    fs::write(home.path().join("h"), "home").unwrap();
    if is_child("returns_err_with_two_directories") {
        return Err("failed on purpose");
    }
    Ok(())
}

#[test]
fn a_failing_test_keeps_all_its_directories() {
    for test in [
        "panics_with_two_directories",
        "returns_err_with_two_directories",
    ] {
        let failed = support::run_failing(test);
        let (kept, stderr) = (&failed.kept, &failed.stderr);
        let [project, home] = kept.as_slice() else {
            panic!("{test}: expected two directories, found {kept:?}\n{stderr}");
        };
        assert_eq!(stem(project), format!("it.test_dir.{test}"));
        assert_eq!(stem(home), format!("it.test_dir.{test}-home"));
        assert_tree!(project, { "p" => "project" });
        assert_tree!(home, { "h" => "home" });
        for dir in [project, home] {
            assert!(
                stderr.contains(&dir.display().to_string()),
                "{test}: {stderr}"
            );
        }
    }
}

/// Sets up a directory in the child, under a base that cannot be made.
#[with_tempdir]
#[ignore = "run by `a_setup_error_names_the_path_and_points_at_the_test` in a child process"]
fn setup_probe_attribute(dir: &Path) {
    let _ = dir;
}

#[test]
#[ignore = "run by `a_setup_error_names_the_path_and_points_at_the_test` in a child process"]
fn setup_probe_macro() {
    if is_child("setup_probe_macro") {
        let _ = test_dir!("config");
    }
}

/// A setup error names the test, the path and the cause, and points at the
/// test's own line, not at fixtree's.
#[test]
fn a_setup_error_names_the_path_and_points_at_the_test() {
    let work = fixtree::tempdir().unwrap();
    let base = work.path().join("missing-parent").join("base");
    // Where each probe sets up its directory: the attribute's line (above
    // `#[ignore]`), and the macro's line and column.
    let source = include_str!("test_dir.rs");
    let line_of = |text: &str| 1 + source.lines().position(|l| l.contains(text)).unwrap();
    let attribute = line_of("fn setup_probe_attribute") - 2;
    let call = "let _ = test_dir!(\"config\");";
    let column = 1 + source
        .lines()
        .find(|l| l.contains(call))
        .unwrap()
        .find("test_dir!")
        .unwrap();
    for (test, location) in [
        (
            "setup_probe_attribute",
            format!("tests/it/test_dir.rs:{attribute}:1"),
        ),
        (
            "setup_probe_macro",
            format!("tests/it/test_dir.rs:{}:{column}", line_of(call)),
        ),
    ] {
        let (mut command, _staging) = support::child(test, Setup::default());
        let out = command.env("FIXTREE_DIR", &base).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{test}: {stderr}");
        for part in [
            &format!("panicked at {location}"),
            &format!("fixtree: cannot set up a directory for test it::test_dir::{test}"),
            &format!(
                "cannot create the fixtree base directory {}",
                base.display()
            ),
        ] {
            assert!(stderr.contains(part.as_str()), "{part:?} not in:\n{stderr}");
        }
    }
}
