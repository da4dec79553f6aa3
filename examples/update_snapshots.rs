//! The snapshot update workflow: an `assert_tree!` against an out-of-date
//! snapshot folder fails; `FIXTREE_UPDATE=review` records the would-be folder
//! beside it for `cargo fixtree review`; `FIXTREE_UPDATE=1` rewrites it; the
//! next run passes. `cargo run --example update_snapshots`.
//!
//! fixtree reads its settings once per process, so each run is this program
//! again, as a child process, standing in for `cargo test`. The folder it
//! rewrites is a temporary copy of `examples/snapshots/report`, never the
//! repository's.

use std::error::Error;
use std::path::Path;
use std::process::Command;

use fixtree::{Tree, assert_tree};

/// The program under test, in its new version: the summary now has one line
/// per outcome, and the failures are listed. The snapshot holds the old output.
fn write_report(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join("summary.txt"), "passed: 3\nfailed: 1\n")?;
    std::fs::write(dir.join("failed.txt"), "parses_dates\n")
}

/// The test, run in a child process: panics on a mismatch, as a test fails.
fn writes_the_report() {
    let dir = fixtree::tempdir().unwrap();
    write_report(dir.path()).unwrap();
    assert_tree!(dir.path(), from = "snapshots/report");
}

/// Runs the test in a child process with `FIXTREE_UPDATE` set to `update`
/// (empty: compare), shows what it printed, and says whether it passed.
fn run(checkout: &Path, step: &str, update: &str, ci: bool) -> Result<bool, Box<dyn Error>> {
    let mut child = Command::new(std::env::current_exe()?);
    child
        .arg("test")
        // `from = "…"` is looked up in the running process's crate folder, as
        // for tests run from a nextest archive: here, the temporary checkout.
        .env("CARGO_MANIFEST_DIR", checkout)
        .env("CARGO_PKG_NAME", env!("CARGO_PKG_NAME"))
        .env("FIXTREE_UPDATE", update)
        // Update and review modes refuse to run in CI, where the rewritten
        // folder would be lost with the machine. This folder is a throwaway
        // copy, so the children run without CI, except where the refusal is shown.
        .env_remove("CI")
        .env_remove("RUST_BACKTRACE");
    if ci {
        child.env("CI", "true");
    }
    let output = child.output()?;
    let verdict = if output.status.success() {
        "passed"
    } else {
        "failed"
    };
    println!("\n== {step}: the test {verdict}");
    for line in String::from_utf8_lossy(&output.stderr).trim().lines() {
        println!("   | {line}");
    }
    Ok(output.status.success())
}

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().nth(1).as_deref() == Some("test") {
        // On a thread named after the test, as libtest runs it: messages name it.
        let test = std::thread::Builder::new().name("tests::writes_the_report".into());
        if test.spawn(writes_the_report)?.join().is_err() {
            std::process::exit(101);
        }
        return Ok(());
    }
    let checkout = fixtree::tempdir()?;
    let folder = checkout.path().join("snapshots").join("report");
    std::fs::create_dir_all(&folder)?;
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/report");
    let original_tree = Tree::read(&original)?;
    fixtree::copy_snapshot(&original, &folder)?;
    println!(
        "snapshot folder (a copy): {}\n{:#}",
        folder.display(),
        Tree::read(&folder)?
    );

    let run = |step: &str, update: &str, ci: bool| run(checkout.path(), step, update, ci);
    assert!(!run("cargo test", "", false)?);
    assert!(!run("CI=true FIXTREE_UPDATE=1 cargo test", "1", true)?);

    assert!(!run("FIXTREE_UPDATE=review cargo test", "review", false)?);
    let pending = folder.with_extension("pending");
    let recorded = Tree::read(&pending)?;
    println!("recorded, for `cargo fixtree review` to accept or reject:\n{recorded:#}");
    println!("the folder itself is unchanged: {:#}", Tree::read(&folder)?);

    assert!(run("FIXTREE_UPDATE=1 cargo test", "1", false)?);
    println!("the folder now holds:\n{:#}", Tree::read(&folder)?);

    assert!(run("cargo test", "", false)?);
    assert_eq!(
        Tree::read(&original)?,
        original_tree,
        "the repository's folder was rewritten: only the copy may be"
    );
    Ok(())
}
