//! A temporary file that stays in memory until it outgrows a limit, then
//! moves to an unnamed file on disk: `SpooledTempFile`, Python's
//! `tempfile.SpooledTemporaryFile`. `cargo run --example spooled`.
//!
//! | Python | fixtree |
//! |---|---|
//! | `SpooledTemporaryFile(max_size=n)` | `fixtree::spooled_tempfile(n)` |
//! | `SpooledTemporaryFile(max_size=n, dir=d)` | `fixtree::spooled_tempfile_in(n, d)` |
//! | `f.write(b)`, `f.seek(0)`, `f.read()` | `Write`, `Seek`, `Read` |
//! | `f._rolled` | `f.is_rolled()` |
//! | `f.rollover()` | `f.roll()` |
//! | `f.truncate(n)` | `f.set_len(n)` |
//! | `f.fileno()` (rolls over) | `f.into_file()` |
//!
//! As in Python, a file of exactly `max_size` bytes stays in memory.

use std::error::Error;
use std::io::{Read, Seek, Write};

use fixtree::SpooledData;

fn main() -> Result<(), Box<dyn Error>> {
    // Where it rolls over to: a directory of its own, to show what is there.
    let dir = fixtree::tempdir()?;
    let mut file = fixtree::spooled_tempfile_in(1024, &dir);
    file.write_all(&[b'a'; 1024])?;
    println!(
        "1024 bytes written, max 1024: on disk = {}",
        file.is_rolled()
    );
    file.write_all(b"b")?;
    println!(
        "1025 bytes written:           on disk = {}",
        file.is_rolled()
    );
    // An unnamed file: no name in the directory (on Windows, one until it is closed).
    println!(
        "names in {}: {}",
        dir.path().display(),
        std::fs::read_dir(&dir)?.count()
    );

    // Reading back works the same in memory or on disk.
    file.rewind()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    println!(
        "read back {} bytes, last {:?}",
        bytes.len(),
        bytes[1024] as char
    );
    assert_eq!(bytes.len(), 1025);

    // Rolling over by hand, before handing the bytes to a child process, say.
    let mut small = fixtree::spooled_tempfile(1024);
    small.write_all(b"header\n")?;
    small.roll()?;
    println!("\n7 bytes, then roll(): on disk = {}", small.is_rolled());

    // Growing it with set_len past the limit rolls it over too.
    let mut sized = fixtree::spooled_tempfile(16);
    sized.set_len(16)?;
    let in_memory = !sized.is_rolled();
    sized.set_len(17)?;
    println!(
        "set_len(16): in memory = {in_memory}; set_len(17): on disk = {}",
        sized.is_rolled()
    );

    // The bytes themselves, wherever they are.
    let mut note = fixtree::spooled_tempfile(64);
    note.write_all(b"short note")?;
    match note.into_inner() {
        SpooledData::InMemory(cursor) => {
            println!(
                "\ninto_inner: in memory, {:?}",
                String::from_utf8(cursor.into_inner())?
            );
        }
        SpooledData::OnDisk(file) => {
            println!("\ninto_inner: on disk, {} bytes", file.metadata()?.len())
        }
    }
    // Or always a File (rolling over if need be), for an API that takes one.
    let as_file = fixtree::spooled_tempfile(64).into_file()?;
    println!(
        "into_file: a std::fs::File of {} bytes",
        as_file.metadata()?.len()
    );
    Ok(())
}
