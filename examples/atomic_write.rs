//! Replacing a file so that readers never see half of it: `fixtree::write_atomic`,
//! and `NamedTempFile` + `persist` for a writer that streams and may fail
//! midway. `cargo run --example atomic_write`.

use std::error::Error;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

const SIZE: usize = 256 * 1024;
const REPLACEMENTS: usize = 200;

/// What a reader saw while a file was replaced again and again.
struct Seen {
    reads: usize,
    torn: usize,
    /// Replacements refused because the reader had the file open: Windows
    /// without POSIX rename semantics (before Windows 10 1607, Wine) does that.
    refused: usize,
}

/// Replaces `path` [`REPLACEMENTS`] times with `write`, all `a`s or all `b`s,
/// while another thread reads it.
fn race(path: &Path, write: fn(&Path, &[u8]) -> io::Result<()>) -> io::Result<Seen> {
    let (old, new) = (vec![b'a'; SIZE], vec![b'b'; SIZE]);
    write(path, &old)?;
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let (mut reads, mut torn) = (0, 0);
            while !done.load(Ordering::Relaxed) {
                let bytes = std::fs::read(path)?;
                reads += 1;
                torn += usize::from(bytes != old && bytes != new);
            }
            io::Result::Ok((reads, torn))
        });
        let mut refused = 0;
        let written = (0..REPLACEMENTS).try_for_each(|i| match write(path, [&new, &old][i % 2]) {
            Err(e) if cfg!(windows) && e.kind() == io::ErrorKind::PermissionDenied => {
                refused += 1;
                Ok(())
            }
            result => result,
        });
        done.store(true, Ordering::Relaxed);
        let (reads, torn) = reader.join().expect("the reader does not panic")?;
        written.map(|()| Seen {
            reads,
            torn,
            refused,
        })
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

impl fmt::Display for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Seen {
            reads,
            torn,
            refused,
        } = self;
        write!(
            f,
            "the reader saw {:>6} whole files, {torn:>5} empty or partly written",
            reads - torn
        )?;
        if *refused > 0 {
            write!(f, " ({refused} replacements refused)")?;
        }
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = fixtree::tempdir()?;
    let path = dir.path().join("data.bin");

    println!("{REPLACEMENTS} replacements of a {SIZE}-byte file while a thread reads it:");
    let atomic = race(&path, |path, bytes| fixtree::write_atomic(path, bytes))?;
    println!("  fixtree::write_atomic {atomic}");
    assert_eq!(atomic.torn, 0);
    let plain = race(&path, |path, bytes| std::fs::write(path, bytes))?;
    println!("  std::fs::write        {plain}");

    let names = dir.path().join("names.txt");
    save(&names, &["alpha", "beta"])?;
    let error = save(&names, &["gamma", "delta,epsilon"]).unwrap_err();
    println!(
        "\na save failed midway ({error}); names.txt still holds {:?}",
        std::fs::read_to_string(&names)?
    );
    let entries = std::fs::read_dir(&dir)?.count();
    println!("the directory holds {entries} files, data.bin and names.txt: no half-written one");
    assert_eq!(entries, 2);

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
