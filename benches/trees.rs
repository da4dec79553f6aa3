//! Declarative trees against what tests write by hand: writing a tree of N
//! small files in nested directories, comparing two equal directories, and
//! removing a tree; N = 10, 1,000 and 10,000, with the time per file at the
//! end so that a cost growing faster than the tree shows.
//!
//! ```sh
//! cargo bench --bench trees                     # disk
//! TMPDIR=/dev/shm cargo bench --bench trees     # tmpfs
//! cargo bench --bench trees -- compare          # cases whose name contains "compare"
//! ```
//!
//! Anchors: plain std (`create_dir_all` + `fs::write`; `read_dir` + `fs::read`
//! on both sides); `tempfile::TempDir::close` for removing, with
//! `std::fs::remove_dir_all` as the floor. Only the operation is timed: the
//! empty directory written into is made before the clock starts and removed
//! after it stops, the directories compared are written once per case, and
//! the tree removed is written before the clock starts.

#[allow(dead_code)] // each bench uses part of the harness
mod harness;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs;
use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};

use assert_fs::prelude::*;
use fixtree::{ExpectedTree, Tree};
use harness::{Bench, Run, Scratch, each_with, run};

/// The cases at each size, each named `{kind}, {n} files`.
const KINDS: &[&str] = &[
    "write tree",
    "read one dir",
    "compare 2 equal dirs",
    "remove tree",
];

fn main() {
    let mut bench = Bench::from_args("trees: fixtree vs std, assert_fs, dir-diff, tempfile");
    let sizes: &[usize] = if bench.full { &[10, 1000, 10000] } else { &[3] };
    for &n in sizes {
        if !KINDS
            .iter()
            .any(|kind| bench.wants(&format!("{kind}, {n} files")))
        {
            continue;
        }
        let files = files(n);
        let tree = files
            .iter()
            .try_fold(Tree::new(), |tree, (key, contents)| {
                tree.with(key, contents.as_str())
            })
            .unwrap();
        write_case(&mut bench, n, &files, &tree);
        read_and_compare_cases(&mut bench, n, &tree);
        remove_case(&mut bench, n, &files);
    }
    print_per_file(&bench);
    bench.finish();
}

/// `n` small files, ten to a directory, two levels deep:
/// `d0/e0/f0000.txt` ... `d9/e9/f0999.txt`.
fn files(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let key = format!("d{}/e{}/f{i:04}.txt", (i / 100) % 10, (i / 10) % 10);
            (key, format!("file {i}\nsome small contents\n"))
        })
        .collect()
}

fn write_case(bench: &mut Bench, n: usize, files: &[(String, String)], tree: &Tree) {
    let case = format!("write tree, {n} files");
    if !bench.wants(&case) {
        return;
    }
    let base = Scratch::new("write");
    let base = base.path();
    let counter = Cell::new(0u64);
    let fresh = || {
        counter.set(counter.get() + 1);
        let dir = base.join(format!("std-{}", counter.get()));
        fs::create_dir(&dir).unwrap();
        dir
    };
    let std_write: Run = Box::new(|iters| {
        each_with(
            iters,
            fresh,
            |dir: PathBuf| {
                for (key, contents) in files {
                    let path = dir.join(key);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(&path, contents).unwrap();
                }
                dir
            },
            |dir| fs::remove_dir_all(dir).unwrap(),
        )
    });
    let fixtree_write: Run = Box::new(|iters| {
        each_with(
            iters,
            || fixtree::tempdir_in(base).unwrap(),
            |dir| {
                tree.write_to(dir.path()).unwrap();
                dir
            },
            drop,
        )
    });
    let assert_fs_write: Run = Box::new(|iters| {
        each_with(
            iters,
            || assert_fs::TempDir::new_in(base).unwrap(),
            |temp| {
                for (key, contents) in files {
                    temp.child(key).write_str(contents).unwrap();
                }
                temp
            },
            drop,
        )
    });
    bench.case(
        &case,
        vec![
            ("std create_dir_all + fs::write", std_write),
            ("fixtree Tree::write_to", fixtree_write),
            ("assert_fs child().write_str", assert_fs_write),
        ],
    );
}

/// Removing a tree of `n` files, written by std before the clock starts.
fn remove_case(bench: &mut Bench, n: usize, files: &[(String, String)]) {
    let case = format!("remove tree, {n} files");
    if !bench.wants(&case) {
        return;
    }
    let base = Scratch::new("remove");
    let base = base.path();
    let fill = |dir: &Path| {
        for (key, contents) in files {
            let path = dir.join(key);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
        }
    };
    let counter = Cell::new(0u64);
    let std_remove: Run = Box::new(|iters| {
        each_with(
            iters,
            || {
                counter.set(counter.get() + 1);
                let dir = base.join(format!("std-{}", counter.get()));
                fs::create_dir(&dir).unwrap();
                fill(&dir);
                dir
            },
            |dir| fs::remove_dir_all(dir).unwrap(),
            |()| (),
        )
    });
    let tempfile_close: Run = Box::new(|iters| {
        each_with(
            iters,
            || {
                let dir = tempfile::tempdir_in(base).unwrap();
                fill(dir.path());
                dir
            },
            |dir| dir.close().unwrap(),
            |()| (),
        )
    });
    let fixtree_close: Run = Box::new(|iters| {
        each_with(
            iters,
            || {
                let dir = fixtree::tempdir_in(base).unwrap();
                fill(dir.path());
                dir
            },
            |dir| dir.close().unwrap(),
            |()| (),
        )
    });
    bench.case_with_floor(
        &case,
        vec![
            ("tempfile TempDir::close", tempfile_close),
            ("fixtree TempDir::close", fixtree_close),
        ],
        ("std::fs::remove_dir_all", std_remove),
    );
}

/// The median time per file of every candidate of the cases measured at
/// more than one size: a time per file that grows with the tree is a cost
/// that grows faster than linearly.
fn print_per_file(bench: &Bench) {
    let mut rows: BTreeMap<(usize, &str), BTreeMap<usize, f64>> = BTreeMap::new();
    let mut sizes = std::collections::BTreeSet::new();
    for measured in bench.results() {
        let Some((kind, n)) = measured
            .case
            .strip_suffix(" files")
            .and_then(|rest| rest.rsplit_once(", "))
            .and_then(|(kind, n)| Some((kind, n.parse::<usize>().ok()?)))
        else {
            continue;
        };
        let order = KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len());
        let row = rows.entry((order, &measured.candidate)).or_default();
        row.insert(n, measured.ns_per_op / n as f64 / 1e3);
        sizes.insert(n);
    }
    if sizes.len() < 2 {
        return;
    }
    println!();
    println!("µs per file (median time of one operation / number of files):");
    println!();
    let columns: Vec<String> = sizes.iter().map(|n| format!("{n} files")).collect();
    println!("| case | candidate | {} |", columns.join(" | "));
    println!("|---|---|{}", "---:|".repeat(sizes.len()));
    for ((order, candidate), row) in &rows {
        let cells: Vec<String> = sizes
            .iter()
            .map(|n| row.get(n).map_or_else(String::new, |us| format!("{us:.2}")))
            .collect();
        let kind = KINDS.get(*order).copied().unwrap_or("other");
        println!("| {kind} | {candidate} | {} |", cells.join(" | "));
    }
}

fn read_and_compare_cases(bench: &mut Bench, n: usize, tree: &Tree) {
    let read_case = format!("read one dir, {n} files");
    let compare_case = format!("compare 2 equal dirs, {n} files");
    if !bench.wants(&read_case) && !bench.wants(&compare_case) {
        return;
    }
    // Both written by fixtree so that file modes are exact whatever the
    // umask: the tree compared against in memory has default modes.
    let base = Scratch::new("compare");
    let (a, b) = (base.path().join("a"), base.path().join("b"));
    for dir in [&a, &b] {
        fs::create_dir(dir).unwrap();
        tree.write_to(dir).unwrap();
    }
    let (a, b) = (a.as_path(), b.as_path());
    // Every candidate must find the directories equal, or it measures nothing.
    assert!(std_same(a, b).unwrap());
    assert!(!dir_diff::is_different(a, b).unwrap());
    fixtree::check_tree(a, &Tree::read(b).unwrap()).unwrap();
    fixtree::check_tree(a, &ExpectedTree::from_snapshot(b).unwrap()).unwrap();
    fixtree::check_tree(a, tree).unwrap();
    assert_eq!(std_read(a).unwrap().len(), n);
    assert_eq!(&Tree::read(a).unwrap(), tree);

    bench.case(
        &read_case,
        vec![
            (
                "std read_dir + fs::read",
                run(|| drop(black_box(std_read(a).unwrap()))),
            ),
            (
                "fixtree Tree::read",
                run(|| drop(black_box(Tree::read(a).unwrap()))),
            ),
        ],
    );
    bench.case(
        &compare_case,
        vec![
            (
                "dir-diff is_different(a, b)",
                run(|| assert!(!black_box(dir_diff::is_different(a, b).unwrap()))),
            ),
            (
                "std read both + compare",
                run(|| assert!(black_box(std_same(a, b).unwrap()))),
            ),
            (
                "fixtree check_tree(a, &ExpectedTree::from_snapshot(b)?)",
                run(|| {
                    let expected = ExpectedTree::from_snapshot(b).unwrap();
                    fixtree::check_tree(a, &expected).unwrap();
                }),
            ),
            (
                "fixtree check_tree(a, &Tree::read(b))",
                run(|| fixtree::check_tree(a, &Tree::read(b).unwrap()).unwrap()),
            ),
            (
                "fixtree check_tree(a, &tree) [tree in memory: reads 1 dir]",
                run(|| fixtree::check_tree(a, tree).unwrap()),
            ),
        ],
    );
}

/// Whether two directories hold the same names, kinds, file bytes and link
/// targets, read with std alone, in the same order on both sides.
fn std_same(a: &Path, b: &Path) -> io::Result<bool> {
    let (left, right) = (sorted_entries(a)?, sorted_entries(b)?);
    if left.len() != right.len() {
        return Ok(false);
    }
    for ((name_a, kind_a), (name_b, kind_b)) in left.iter().zip(&right) {
        if name_a != name_b || kind_a != kind_b {
            return Ok(false);
        }
        let (pa, pb) = (a.join(name_a), b.join(name_b));
        let same = if kind_a.is_dir() {
            std_same(&pa, &pb)?
        } else if kind_a.is_symlink() {
            fs::read_link(&pa)? == fs::read_link(&pb)?
        } else {
            fs::read(&pa)? == fs::read(&pb)?
        };
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every file under `dir`, by relative path, read with std alone.
fn std_read(dir: &Path) -> io::Result<BTreeMap<PathBuf, Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) -> io::Result<()> {
        for (name, kind) in sorted_entries(dir)? {
            let path = dir.join(&name);
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if kind.is_file() {
                let contents = fs::read(&path)?;
                out.insert(path.strip_prefix(root).unwrap().to_owned(), contents);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<(std::ffi::OsString, fs::FileType)>> {
    let mut entries = fs::read_dir(dir)?
        .map(|entry| {
            let entry = entry?;
            Ok((entry.file_name(), entry.file_type()?))
        })
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort_unstable_by(|x, y| x.0.cmp(&y.0));
    Ok(entries)
}
