//! What a failing test leaves for you to debug: its `fixtree::test_dir!()`
//! directory (or `#[with_tempdir]`'s) is kept and its path printed; later
//! you find it under the base directory. `cargo run --example kept_dir`.
//!
//! The test runs in a child process, as `cargo test` would run it, with
//! `FIXTREE_DIR` pointing at a temporary base that this example removes.

use std::error::Error;
use std::process::Command;

use fixtree::Tree;

/// The test: a program that should keep names as written, but upper-cases them.
fn converts_names() {
    let dir = fixtree::test_dir!();
    std::fs::write(dir.path().join("in.csv"), "id,name\n1,alpha\n").unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/names.txt"), "ALPHA\n").unwrap();
    let names = std::fs::read_to_string(dir.path().join("out/names.txt")).unwrap();
    assert_eq!(names, "alpha\n", "names are kept as written");
}

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().nth(1).as_deref() == Some("test") {
        // On a thread named after the test, as libtest runs it: the directory is named after it.
        let test = std::thread::Builder::new().name("tests::converts_names".into());
        if test.spawn(converts_names)?.join().is_err() {
            std::process::exit(101);
        }
        return Ok(());
    }

    // Without FIXTREE_DIR the base is `fixtree-<uid>` in the temp dir
    // (`%TEMP%\fixtree` on Windows); this run gets a base of its own.
    let base = fixtree::tempdir()?;
    let output = Command::new(std::env::current_exe()?)
        .arg("test")
        .env("FIXTREE_DIR", base.path())
        // The defaults: keep a failed test's directory, and up to 3 per test.
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN")
        .env_remove("RUST_BACKTRACE")
        .output()?;
    assert!(!output.status.success(), "the test was to fail");
    println!("the test failed ({}); it printed:", output.status);
    for line in String::from_utf8_lossy(&output.stderr).trim().lines() {
        println!("   | {line}");
    }

    // Later, without the log: test directories are `<module path>.<test>.<random>`
    // in the crate's folder under the base (`<package>.<hash>`, holding a
    // CRATE file that names it), so `ls $FIXTREE_DIR/*/*converts_names*` finds
    // this one. `cargo fixtree list` (the README says how to install it) lists
    // them with their crate, age and size, `cargo fixtree open converts_names`
    // prints the newest's path, and `cargo fixtree clean` removes them.
    println!("\nin the base {}:", base.path().display());
    let crates: Vec<_> = std::fs::read_dir(&base)?.collect::<Result<_, _>>()?;
    assert_eq!(crates.len(), 1, "one crate's folder");
    let folder = crates[0].path();
    let kept: Vec<_> = std::fs::read_dir(&folder)?
        .filter(|entry| entry.as_ref().map_or(true, |e| e.file_name() != "CRATE"))
        .collect::<Result<_, _>>()?;
    for entry in &kept {
        println!(
            "{}\n{:#}",
            entry.path().display(),
            Tree::read(entry.path())?
        );
    }
    assert_eq!(kept.len(), 1);
    let name = kept[0].file_name().into_string().unwrap_or_default();
    assert!(name.starts_with("kept_dir.tests.converts_names."), "{name}");

    let base_path = base.path().to_owned();
    base.close()?;
    println!(
        "\nremoved {}: exists = {}",
        base_path.display(),
        base_path.exists()
    );
    Ok(())
}
