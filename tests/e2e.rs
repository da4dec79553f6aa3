//! End to end: a crate whose `#[with_tempdir]` tests fail on purpose is built
//! and run under `cargo test` and `cargo nextest run`; what they print and
//! what stays on disk is checked. Its snapshot-folder tests are archived with
//! `cargo nextest archive` and run in another checkout. The crate is
//! tests/e2e/demo; tests/e2e/renamed depends on fixtree under another name.
//! Not built for Windows: the Windows build under Wine cannot start cargo.

#![cfg(not(windows))]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies the crate tests/e2e/`name` into `dir`, depending on this
/// workspace's fixtree, and with this workspace's lock file so that it builds
/// offline.
fn copy_crate(name: &str, dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e")
        .join(name);
    fixtree::copy_snapshot(&source, dir).unwrap();
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("FIXTREE_PATH", env!("CARGO_MANIFEST_DIR"));
    fs::write(&manifest, text).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    manifest
}

/// A cargo command for the demo crate, offline, with its own base for test
/// directories.
fn cargo(base: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Its own target directory: the outer cargo may hold a lock on ours.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-target");
    let mut command = Command::new(cargo);
    command
        .env("CARGO_TARGET_DIR", target)
        .env("FIXTREE_DIR", base)
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN")
        .env_remove("FIXTREE_UPDATE")
        .env_remove("RUSTFLAGS");
    command
}

/// Runs `command`: whether it succeeded, and everything it printed.
fn output(mut command: Command) -> (bool, String) {
    let output = command.output().expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Runs `args` (a cargo subcommand) on the demo crate's tests that fail on purpose.
fn run(args: &[&str], manifest: &Path, base: &Path) -> String {
    let mut command = cargo(base);
    command
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--offline");
    let (passed, text) = output(command);
    assert!(
        !passed,
        "two demo tests fail on purpose, yet the run passed:\n{text}"
    );
    text
}

fn assert_nextest() {
    let found = Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "needs cargo-nextest (.ci/run installs it)");
}

/// The directory of the demo crate's test directories in `base`, the only
/// one there, named after the package and holding the file that names the
/// crate in `work`, as cargo and nextest tell the tests.
fn demo_group(base: &Path, work: &Path) -> PathBuf {
    let names: Vec<String> = fs::read_dir(base)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let [name] = names.as_slice() else {
        panic!("not one crate's directory in the base: {names:?}");
    };
    assert!(name.starts_with("fixtree-e2e-demo."), "{name}");
    let group = base.join(name);
    let text = fs::read_to_string(group.join("CRATE")).unwrap();
    let manifest_dir = text.strip_prefix("package=fixtree-e2e-demo\nmanifest_dir=");
    let manifest_dir = manifest_dir.and_then(|dir| dir.strip_suffix('\n'));
    assert_eq!(
        manifest_dir.map(|dir| fs::canonicalize(dir).unwrap()),
        Some(fs::canonicalize(work).unwrap()),
        "{text}"
    );
    group
}

/// The one directory in `group` of test `name`.
fn only_dir(group: &Path, name: &str) -> PathBuf {
    let prefix = format!("outcomes.{name}.");
    let found: Vec<PathBuf> = fs::read_dir(group)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&prefix)
        })
        .collect();
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    found.into_iter().next().unwrap()
}

fn check(runner: &str, output: &str, base: &Path, work: &Path) {
    let group = demo_group(base, work);
    let panics = only_dir(&group, "panics");
    let returns_err = only_dir(&group, "returns_err");
    for (dir, test) in [
        (&panics, "outcomes::panics"),
        (&returns_err, "outcomes::returns_err"),
    ] {
        let line = format!("fixtree: kept {} for failed test {test}", dir.display());
        assert!(
            output.contains(&line),
            "{runner}: no `{line}` in:\n{output}"
        );
    }
    fixtree::check_tree(
        &panics,
        &fixtree::tree! { "input.txt" => "hello", "output.txt" => "half written" },
    )
    .unwrap();
    fixtree::check_tree(
        &returns_err,
        &fixtree::tree! { "log.txt" => "what happened" },
    )
    .unwrap();
    let names: Vec<String> = fs::read_dir(&group)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "CRATE")
        .collect();
    assert_eq!(
        names.len(),
        2,
        "{runner}: the passing tests left something: {names:?}"
    );
}

#[test]
#[ignore = "slow: CI runs it (cargo in cargo, in a target dir of its own)"]
fn failed_tests_keep_their_directories_under_cargo_test() {
    let work = fixtree::tempdir().unwrap();
    let manifest = copy_crate("demo", work.path());
    let base = fixtree::tempdir().unwrap();
    let output = run(&["test", "--test", "outcomes"], &manifest, base.path());
    assert!(
        output.contains("test result: FAILED. 2 passed; 2 failed"),
        "{output}"
    );
    check("cargo test", &output, base.path(), work.path());
}

#[test]
#[ignore = "slow: CI runs it (cargo in cargo, in a target dir of its own)"]
fn failed_tests_keep_their_directories_under_cargo_nextest() {
    assert_nextest();
    let work = fixtree::tempdir().unwrap();
    let manifest = copy_crate("demo", work.path());
    let base = fixtree::tempdir().unwrap();
    let output = run(
        &["nextest", "run", "--no-fail-fast", "--test", "outcomes"],
        &manifest,
        base.path(),
    );
    assert!(
        output.contains("2 passed") && output.contains("2 failed"),
        "{output}"
    );
    check("cargo nextest run", &output, base.path(), work.path());
}

#[test]
#[ignore = "slow: CI runs it (cargo in cargo, in a target dir of its own)"]
fn an_archived_test_finds_snapshot_folders_in_the_checkout_it_runs_in() {
    assert_nextest();
    let work = fixtree::tempdir().unwrap();
    let built = work.path().join("built");
    fs::create_dir(&built).unwrap();
    let manifest = copy_crate("demo", &built);
    let base = fixtree::tempdir().unwrap();
    let archive = work.path().join("demo.tar.zst");
    let mut command = cargo(base.path());
    command
        .args(["nextest", "archive", "--test", "snapshots", "--offline"])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--archive-file")
        .arg(&archive);
    let (archived, text) = output(command);
    assert!(archived, "{text}");

    // Another checkout, as on another machine; the one the tests were built
    // in is gone, so a path compiled into them leads nowhere.
    let moved = work.path().join("moved");
    fs::create_dir(&moved).unwrap();
    fixtree::copy_snapshot(&built, &moved).unwrap();
    fs::rename(&built, work.path().join("gone")).unwrap();
    let mut command = cargo(base.path());
    command
        .args(["nextest", "run", "--archive-file"])
        .arg(&archive)
        .arg("--workspace-remap")
        .arg(&moved);
    let (passed, text) = output(command);
    assert!(passed && text.contains("2 passed"), "{text}");
}

#[test]
#[ignore = "slow: CI runs it (cargo in cargo, in a target dir of its own)"]
fn the_macros_work_under_a_renamed_dependency() {
    let work = fixtree::tempdir().unwrap();
    let manifest = copy_crate("renamed", work.path());
    let base = fixtree::tempdir().unwrap();
    let mut command = cargo(base.path());
    command
        .args(["test", "--offline", "--manifest-path"])
        .arg(&manifest);
    let (passed, text) = output(command);
    assert!(passed && text.contains("2 passed"), "{text}");
}

#[test]
#[ignore = "slow: CI runs it (cargo in cargo, in a target dir of its own)"]
fn with_tempdir_below_a_parametrizing_attribute_says_to_put_it_above() {
    let work = fixtree::tempdir().unwrap();
    let manifest = copy_crate("misordered", work.path());
    let base = fixtree::tempdir().unwrap();
    for test in ["below_rstest", "below_test_case"] {
        let mut command = cargo(base.path());
        command
            .args([
                "test",
                "--offline",
                "--no-run",
                "--test",
                test,
                "--manifest-path",
            ])
            .arg(&manifest);
        let (passed, text) = output(command);
        assert!(!passed, "{test} compiled: {text}");
        for part in [
            "missing the parameter for the test's directory",
            "put #[with_tempdir] above them",
            &format!("tests/{test}.rs"),
        ] {
            assert!(text.contains(part), "{part:?} not in:\n{text}");
        }
    }
}
