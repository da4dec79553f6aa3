//! Errors as a user's report prints them: `{}` says what failed, on which
//! path and why, and walking `source()` (as anyhow's `{:#}` and eyre do) adds
//! nothing already said, so no cause is printed twice.

use std::error::Error;

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
