//! Errors as a user's report prints them: `{}` says what failed, on which
//! path and why, and walking `source()` (as anyhow's `{:#}` and eyre do) adds
//! nothing already said, so no cause is printed twice.

use std::error::Error;

use crate::support;

/// The report `anyhow`'s `{:#}` prints: each error of the chain, joined by ": ".
fn chain(error: &dyn Error) -> String {
    let mut report = error.to_string();
    let mut next = error.source();
    while let Some(source) = next {
        report.push_str(": ");
        report.push_str(&source.to_string());
        next = source.source();
    }
    report
}

#[test]
fn each_cause_is_printed_once() -> std::io::Result<()> {
    let dir = fixtree::tempdir()?;
    let missing = dir.path().join("missing");

    let atomic = fixtree::write_atomic(missing.join("x.txt"), "x").unwrap_err();
    let persist = fixtree::NamedTempFile::new_in(dir.path())?
        .persist(missing.join("x.txt"))
        .unwrap_err();
    let path_persist = fixtree::NamedTempFile::new_in(dir.path())?
        .into_temp_path()
        .persist(missing.join("x.txt"))
        .unwrap_err();
    let create = fixtree::NamedTempFile::new_in(&missing).unwrap_err();
    let read = fixtree::Tree::read(&missing).unwrap_err();

    let reports: [&dyn Error; 5] = [&atomic, &persist, &path_persist, &create, &read];
    for error in reports {
        let report = chain(error);
        // The OS's own message ends with its code, on every platform.
        assert_eq!(report.matches("(os error ").count(), 1, "{report}");
        assert!(report.ends_with(')'), "{report}");
        assert_eq!(report, error.to_string(), "the display already says it all");
    }
    assert!(
        chain(&atomic).starts_with(&format!(
            "cannot write atomically to {}: cannot create temporary file {}",
            missing.join("x.txt").display(),
            missing.join(".x.txt.").display()
        )),
        "{}",
        chain(&atomic)
    );
    assert!(chain(&persist).starts_with("failed to persist temporary file: cannot rename"));
    Ok(())
}

/// Runs test `name` in a child with `FIXTREE_UPDATE=maybe` and asserts that
/// it panicked at the line it printed, in this file: a bad setting is the
/// user's to fix, so the panic points at the test, not into fixtree.
#[track_caller]
fn panics_at_the_printed_line_with_a_bad_setting(name: &str) {
    let setup = support::Setup {
        env: &[("FIXTREE_UPDATE", Some("maybe")), ("CI", None)],
        ..support::Setup::default()
    };
    let (mut command, _staging) = support::child(name, setup);
    let out = command
        .stdin(std::process::Stdio::null())
        .output()
        .expect("start the child test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name} should have failed: {stderr}");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("asserting at line "))
        .unwrap_or_else(|| panic!("no line printed: {stderr}"));
    let at = format!("panicked at {}:{line}:", file!());
    assert!(stderr.contains(&at), "expected `{at}` in:\n{stderr}");
    assert!(
        stderr.contains("fixtree: FIXTREE_UPDATE=\"maybe\" is not one of"),
        "{stderr}"
    );
}

#[test]
fn a_bad_update_setting_panics_at_an_inline_assertion() {
    let name = "a_bad_update_setting_panics_at_an_inline_assertion";
    if support::is_child(name) {
        let dir = fixtree::tempdir().unwrap();
        eprintln!("asserting at line {}", line!() + 1);
        fixtree::assert_tree!(dir.path(), {});
        return;
    }
    panics_at_the_printed_line_with_a_bad_setting(name);
}

#[test]
fn a_bad_update_setting_panics_at_a_snapshot_assertion() {
    let name = "a_bad_update_setting_panics_at_a_snapshot_assertion";
    if support::is_child(name) {
        let dir = fixtree::tempdir().unwrap();
        eprintln!("asserting at line {}", line!() + 1);
        fixtree::assert_tree!(dir.path(), from = "tests/it/no_such_snapshot");
        return;
    }
    panics_at_the_printed_line_with_a_bad_setting(name);
}
