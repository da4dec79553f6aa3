//! The tour of fixtree that the README points to: `cargo run --example quickstart`.

use std::io::{Read, Seek, Write};

use fixtree::{assert_tree, tree};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A private directory (mode 0700 on Unix), random name, removed with all it holds on drop.
    let dir = fixtree::tempdir()?;
    println!("temporary directory {}", dir.path().display());

    // A named file inside it: 0600, removed on drop unless persisted.
    let mut report = fixtree::Builder::new()
        .prefix("report-")
        .suffix(".txt")
        .tempfile_in(&dir)?;
    writeln!(report, "3 passed")?;
    let kept = dir.path().join("report.txt");
    report.persist(&kept)?;
    println!("persisted {}", kept.display());

    // An unnamed file: no directory entry ever exists, the kernel frees it on close.
    let mut scratch = fixtree::tempfile_in(&dir)?;
    scratch.write_all(b"scratch bytes")?;
    scratch.rewind()?;
    let mut text = String::new();
    scratch.read_to_string(&mut text)?;
    println!("unnamed file holds {text:?}");
    // Closed before `dir` is removed: on Windows its name stays until then.
    drop(scratch);

    // In memory until it outgrows 16 bytes, then on disk.
    let mut spooled = fixtree::spooled_tempfile(16);
    spooled.write_all(b"0123456789abcdef")?;
    println!("16 bytes spooled: on disk = {}", spooled.is_rolled());
    spooled.write_all(b"!")?;
    println!("17 bytes spooled: on disk = {}", spooled.is_rolled());

    // Replace a file atomically: readers see the old or the new bytes, never a mix.
    fixtree::write_atomic(&kept, "4 passed\n")?;
    println!("after write_atomic: {:?}", std::fs::read_to_string(&kept)?);

    // Read-only leftovers are no obstacle to cleanup.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked)?;
    std::fs::write(locked.join("file"), "x")?;
    for path in [locked.join("file"), locked.clone()] {
        let mut read_only = path.metadata()?.permissions();
        read_only.set_readonly(true);
        std::fs::set_permissions(path, read_only)?;
    }

    // A file tree, declared once: written into a directory ...
    let project = tree! {
        "Cargo.toml" => "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        "src" => { "lib.rs" => "pub fn answer() -> u32 { 42 }\n" },
        "run.sh" => exec("#!/bin/sh\ncargo test\n"),
        "target" => {},
    };
    let work = fixtree::tempdir_in(&dir)?;
    project.write_to(work.path())?;
    println!(
        "\nwrote this tree into {}:\n{project:#}",
        work.path().display()
    );

    // ... and compared: exact by default, `..` and matchers where the test does not care.
    assert_tree!(work.path(), {
        "Cargo.toml" => matches("[package]\n...\nversion = \"[..]\"\n"),
        "src" => { "lib.rs" => contains("42"), .. },
        "run.sh" => any(),
        "target" => {},
        "Cargo.lock" => absent(),
    });
    println!("assert_tree! passed");

    // A mismatch explains itself: what differs, where, and a corrected tree to paste.
    std::fs::write(
        work.path().join("src/lib.rs"),
        "pub fn answer() -> u32 { 41 }\n",
    )?;
    std::fs::write(work.path().join("notes.txt"), "todo\n")?;
    std::fs::remove_file(work.path().join("run.sh"))?;
    let diff = fixtree::check_tree(work.path(), &project).unwrap_err();
    println!("\nafter three edits, the comparison says:\n{diff}");

    let path = dir.path().to_owned();
    dir.close()?;
    println!("\nremoved {}: exists = {}", path.display(), path.exists());
    Ok(())
}
