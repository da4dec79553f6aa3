//! Peak memory of comparing with a snapshot folder: two equal trees of
//! 10,000 files, then two equal 200 MB files, compared with
//! `check_tree(a, &ExpectedTree::from_snapshot(b)?)`; then, for contrast,
//! the 200 MB pair through `Tree::read`, which holds the whole file.
//!
//! ```sh
//! TMPDIR=/dev/shm cargo bench --bench memory
//! ```
//!
//! Prints the process's peak resident set (`VmHWM` in /proc/self/status)
//! after each step: a high-water mark, so each step shows what it added.
//! Linux only; elsewhere it says so and stops. Without `--bench` (as
//! `cargo test --all-targets` runs it) the sizes are tiny, to prove it runs.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use fixtree::{ExpectedTree, Tree, check_tree};

fn main() -> io::Result<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    let Some(start) = peak_kib() else {
        println!("memory: no /proc/self/status here (Linux only): nothing measured");
        return Ok(());
    };
    let full = std::env::args().any(|a| a == "--bench");
    let (files, big) = if full {
        (10_000, 200 << 20)
    } else {
        (100, 1 << 20)
    };
    let base = fixtree::tempdir()?;
    let (a, b) = (base.path().join("a"), base.path().join("b"));
    let tree = (0..files).try_fold(Tree::new(), |tree, i| {
        let key = format!("d{}/e{}/f{i:05}.txt", (i / 1000) % 10, (i / 100) % 10);
        tree.with(&key, format!("file {i}\nsome small contents\n"))
    });
    let tree = tree.map_err(io::Error::other)?;
    for dir in [&a, &b] {
        fs::create_dir(dir)?;
        tree.write_to(dir)?;
    }
    drop(tree);
    let (big_a, big_b) = (base.path().join("big-a"), base.path().join("big-b"));
    for dir in [&big_a, &big_b] {
        fs::create_dir(dir)?;
        write_big(&dir.join("data.bin"), big)?;
    }
    println!(
        "# peak RSS (VmHWM), {files} files a tree, {} MiB a file",
        big >> 20
    );
    println!();
    println!("| after | VmHWM KiB | added KiB |");
    println!("|---|---:|---:|");
    let mut last = start;
    let mut row = |step: &str| {
        let now = peak_kib().unwrap_or(0);
        println!("| {step} | {now} | {} |", now.saturating_sub(last));
        last = now;
    };
    row("writing the inputs");
    passes(check_tree(&a, &ExpectedTree::from_snapshot(&b)?));
    row(&format!(
        "check_tree(a, &ExpectedTree::from_snapshot(b)), {files} files"
    ));
    passes(check_tree(&big_a, &ExpectedTree::from_snapshot(&big_b)?));
    row(&format!("the same, one {} MiB file", big >> 20));
    passes(check_tree(&big_a, &Tree::read(&big_b)?));
    row(&format!(
        "check_tree(a, &Tree::read(b)), one {} MiB file (holds it)",
        big >> 20
    ));
    Ok(())
}

fn passes(result: Result<(), fixtree::TreeDiff>) {
    if let Err(diff) = result {
        panic!("the inputs are equal, yet:\n{diff}");
    }
}

/// A file of `len` bytes written a MiB at a time, so that writing it does
/// not raise the peak.
fn write_big(path: &Path, len: usize) -> io::Result<()> {
    let chunk: Vec<u8> = (0..1 << 20).map(|i: usize| (i % 251) as u8).collect();
    let mut file = File::create(path)?;
    for _ in 0..len / chunk.len() {
        file.write_all(&chunk)?;
    }
    file.write_all(&chunk[..len % chunk.len()])
}

/// `VmHWM` in KiB, if the system says.
fn peak_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
