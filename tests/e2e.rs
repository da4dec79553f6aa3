//! End to end: a crate whose `#[with_tempdir]` tests fail on purpose is built
//! and run under `cargo test` and `cargo nextest run`; what they print and
//! what stays on disk is checked. The crate is tests/e2e/demo.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies the demo crate into `dir`, depending on this workspace's fixtree,
/// and with this workspace's lock file so that it builds offline.
fn demo_crate(dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/demo");
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

/// Runs `args` (a cargo subcommand) on the demo crate with its own base.
fn run(args: &[&str], manifest: &Path, base: &Path) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Its own target directory: the outer cargo may hold a lock on ours.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-target");
    let output = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--offline")
        .env("CARGO_TARGET_DIR", target)
        .env("FIXTREE_DIR", base)
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !output.status.success(),
        "two demo tests fail on purpose, yet the run passed:\n{text}"
    );
    text
}

/// The one directory in `base` of test `name`.
fn only_dir(base: &Path, name: &str) -> PathBuf {
    let prefix = format!("outcomes.{name}.");
    let found: Vec<PathBuf> = fs::read_dir(base)
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

fn check(runner: &str, output: &str, base: &Path) {
    let panics = only_dir(base, "panics");
    let returns_err = only_dir(base, "returns_err");
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
    let names: Vec<String> = fs::read_dir(base)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "{runner}: the passing tests left something: {names:?}"
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "runs cargo, which the Windows build under Wine cannot start"
)]
fn failed_tests_keep_their_directories_under_cargo_test() {
    let work = fixtree::tempdir().unwrap();
    let manifest = demo_crate(work.path());
    let base = fixtree::tempdir().unwrap();
    let output = run(&["test", "--test", "outcomes"], &manifest, base.path());
    assert!(
        output.contains("test result: FAILED. 2 passed; 2 failed"),
        "{output}"
    );
    check("cargo test", &output, base.path());
}

#[test]
#[cfg_attr(
    windows,
    ignore = "runs cargo, which the Windows build under Wine cannot start"
)]
fn failed_tests_keep_their_directories_under_cargo_nextest() {
    let has_nextest = Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nextest {
        eprintln!("skipped: cargo-nextest is not installed (.ci/run installs it)");
        return;
    }
    let work = fixtree::tempdir().unwrap();
    let manifest = demo_crate(work.path());
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
    check("cargo nextest run", &output, base.path());
}
