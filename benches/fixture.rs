//! The directory of a `#[with_tempdir]` test against what a test would do by
//! hand with `tempfile` (the anchor), with the floor (`mkdir` + `rmdir`)
//! measured in the same rounds.
//!
//! ```sh
//! cargo bench --bench fixture                     # disk
//! TMPDIR=/dev/shm cargo bench --bench fixture     # tmpfs
//! ```
//!
//! A `#[with_tempdir]` function is a `#[test]`, which a bench target does not
//! compile, so each fixtree candidate runs what the attribute expands to
//! (macros/src/with_tempdir/expand.rs): `Fixture::new` (create and lock the
//! directory, open its group), `fixture.write` of the `files` tree when there
//! is one (built by `tree!`, as the attribute's expansion builds it, inside
//! the timed part), the body called with the directory as `&Path`, then
//! `fixture.finish` and the fixture's drop (settle: a passing test's
//! directory is removed). Outside a test the running test is named after
//! the module and function, as on a thread the test spawned.
//!
//! When the last test directory in the shared base directory goes, the base
//! goes too (so a green run leaves nothing in the temporary directory), and
//! the next test makes it again: that is what every test of a run of one test
//! at a time pays, and what the plain `#[with_tempdir]` candidate measures.
//! When tests run in parallel the base is rarely empty: the "base in use"
//! candidate holds another test's directory there while its batches run.

#[allow(dead_code)] // each bench uses part of the harness
mod harness;

use std::fs;
use std::hint::black_box;
use std::path::Path;

use fixtree::__private::Fixture;
use fixtree::{FromTestDir, tree};
use harness::floor::mkdir_rmdir;
use harness::{Bench, Run, run};

fn main() {
    let mut bench = Bench::from_args("#[with_tempdir] fixture vs tempfile 3.x");

    bench.case_with_floor(
        "fixture, empty: create, lock, hand over, remove",
        vec![
            (
                "tempfile::tempdir() + drop",
                run(|| {
                    let dir = tempfile::tempdir().unwrap();
                    body(dir.path());
                }),
            ),
            ("fixtree #[with_tempdir]", run(with_tempdir_empty)),
            (
                "fixtree #[with_tempdir], base in use",
                in_used_base(with_tempdir_empty),
            ),
            (
                "fixtree test_dir!()",
                run(|| {
                    let dir = fixtree::test_dir!();
                    body(dir.path());
                }),
            ),
        ],
        ("mkdir + rmdir", mkdir_rmdir()),
    );

    bench.case_with_floor(
        "fixture, 3 files in 2 directories",
        vec![
            (
                "tempdir() + create_dir_all + fs::write",
                run(|| {
                    let dir = tempfile::tempdir().unwrap();
                    write_by_hand(dir.path());
                    body(dir.path());
                }),
            ),
            (
                "fixtree #[with_tempdir(files = …)]",
                run(with_tempdir_three_files),
            ),
            (
                "fixtree #[with_tempdir(files = …)], base in use",
                in_used_base(with_tempdir_three_files),
            ),
            (
                "fixtree test_dir!() + create_dir_all + fs::write",
                run(|| {
                    let dir = fixtree::test_dir!();
                    write_by_hand(dir.path());
                    body(dir.path());
                }),
            ),
        ],
        ("mkdir + rmdir", mkdir_rmdir()),
    );

    bench.finish();
}

/// What `#[with_tempdir] fn empty(dir: &Path) { … }` runs.
#[allow(clippy::let_unit_value)] // as the attribute's expansion writes it
fn with_tempdir_empty() {
    let fixture = Fixture::new(module_path!(), "empty", false);
    let result = body(<&Path as FromTestDir<'_>>::from_test_dir(fixture.dir()));
    fixture.finish(result)
}

/// What `#[with_tempdir(files = { … })] fn three_files(dir: &Path) { … }`
/// runs: the tree is built in the test, as the attribute's expansion does.
#[allow(clippy::let_unit_value)] // as the attribute's expansion writes it
fn with_tempdir_three_files() {
    let fixture = Fixture::new(module_path!(), "three_files", false);
    fixture.write(&tree! {
        "src/main.rs" => "fn main() {}\n",
        "src/lib.rs" => "pub fn f() {}\n",
        "data/in.txt" => "input\n",
    });
    let result = body(<&Path as FromTestDir<'_>>::from_test_dir(fixture.dir()));
    fixture.finish(result)
}

/// A candidate timed as [`run`], with another test's directory in the
/// shared base while its batch runs, as when tests run in parallel. Made
/// and removed around each batch, untimed: held for as long as the
/// candidate lives, it would keep the base in use for the other candidates
/// of the case too, which are to measure a base that each test leaves empty.
fn in_used_base<'a>(op: impl FnMut() + 'a) -> Run<'a> {
    let mut op = run(op);
    Box::new(move |iters| {
        let _other = fixtree::test_dir!("other");
        op(iters)
    })
}

/// The files of the "3 files" case, written as a test would by hand.
fn write_by_hand(dir: &Path) {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("data")).unwrap();
    fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(dir.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    fs::write(dir.join("data/in.txt"), "input\n").unwrap();
}

/// The test's body: it looks at its directory, so none of the set-up can
/// be optimized away.
#[inline(never)]
fn body(dir: &Path) {
    black_box(dir);
}
