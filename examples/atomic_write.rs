//! Replacing a file so that readers never see half of it: `fixtree::write_atomic`,
//! and `NamedTempFile` + `persist` for a writer that streams and may fail
//! midway. `cargo run --example atomic_write`.

use std::error::Error;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

const SIZE: usize = 256 * 1024;
const REPLACEMENTS: usize = 200;

/// Replaces `path` again and again with `write`, all `a`s or all `b`s, while
/// another thread reads it; returns how many reads saw a whole file, and how
/// many a mix or a part.
fn race(path: &Path, write: fn(&Path, &[u8]) -> io::Result<()>) -> io::Result<(usize, usize)> {
    let (old, new) = (vec![b'a'; SIZE], vec![b'b'; SIZE]);
    write(path, &old)?;
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let (mut whole, mut torn) = (0, 0);
            while !done.load(Ordering::Relaxed) {
                let bytes = std::fs::read(path)?;
                if bytes == old || bytes == new {
                    whole += 1
                } else {
                    torn += 1
                }
            }
            Ok((whole, torn))
        });
        let written = (0..REPLACEMENTS).try_for_each(|i| write(path, [&new, &old][i % 2]));
        done.store(true, Ordering::Relaxed);
        let seen = reader.join().expect("the reader does not panic");
        written.and(seen)
    })
}

/// Saves `rows` to `path` through a temporary file beside it, persisted
/// only once every row is written: a bad row leaves `path` as it was.
fn save(path: &Path, rows: &[&str]) -> io::Result<()> {
    let mut out = fixtree::NamedTempFile::new_in(path.parent().expect("a file in a directory"))?;
    for row in rows {
        if row.contains(',') {
            // `out` is dropped here: the half-written file is removed.
            return Err(io::Error::other(format!("a name holds a comma: {row:?}")));
        }
        writeln!(out, "{row}")?;
    }
    out.persist(path)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = fixtree::tempdir()?;
    let path = dir.path().join("data.bin");

    let (whole, torn) = race(&path, |path, bytes| fixtree::write_atomic(path, bytes))?;
    println!(
        "write_atomic, {REPLACEMENTS} replacements of {SIZE} bytes: the reader saw {whole} whole files, {torn} torn"
    );
    assert_eq!(torn, 0);
    let (whole, torn) = race(&path, |path, bytes| std::fs::write(path, bytes))?;
    println!(
        "std::fs::write, the same:         the reader saw {whole} whole files, {torn} torn (empty or partly written)"
    );

    let names = dir.path().join("names.txt");
    save(&names, &["alpha", "beta"])?;
    let error = save(&names, &["gamma", "delta,epsilon"]).unwrap_err();
    println!(
        "\na save failed midway ({error}); names.txt still holds {:?}",
        std::fs::read_to_string(&names)?
    );
    let mut entries = std::fs::read_dir(&dir)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    println!("and the directory holds {entries:?}: no half-written file left");
    assert_eq!(entries, ["data.bin", "names.txt"]);

    // `persist_noclobber`: create the file only if no one else has.
    let mut mine = fixtree::NamedTempFile::new_in(&dir)?;
    mine.write_all(b"mine\n")?;
    let refused = mine.persist_noclobber(&names).unwrap_err();
    println!("\npersist_noclobber over names.txt: {}", refused.error);
    println!(
        "the temporary file comes back: {}",
        refused.file.path().display()
    );
    assert_eq!(std::fs::read_to_string(&names)?, "alpha\nbeta\n");
    Ok(())
}
