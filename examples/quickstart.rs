//! The tour of fixtree that the README points to: `cargo run --example quickstart`.

use std::io::{Read, Seek, Write};
use std::os::unix::fs::PermissionsExt;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A private directory: mode 0700, random name, removed with all it holds on drop.
    let dir = fixtree::tempdir()?;
    let mode = dir.path().metadata()?.permissions().mode() & 0o777;
    println!(
        "temporary directory {} (mode {mode:o})",
        dir.path().display()
    );

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
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500))?;

    let path = dir.path().to_owned();
    dir.close()?;
    println!("removed {}: exists = {}", path.display(), path.exists());
    Ok(())
}
