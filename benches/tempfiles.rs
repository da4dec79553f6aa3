//! fixtree's temporary files and directories against `tempfile` 3.x (the
//! anchor), operation by operation, in the temporary directory in use
//! (`TMPDIR`, else /tmp).
//!
//! ```sh
//! cargo bench --bench tempfiles                        # disk
//! TMPDIR=/dev/shm cargo bench --bench tempfiles        # tmpfs
//! cargo bench --bench tempfiles -- Spooled             # cases whose name contains "Spooled"
//! ```
//!
//! fixtree checks the mode it created with an `fstat` (and sets it with an
//! `fchmod` only where the umask, a setgid parent or an ACL changed it: exact
//! whatever they are) and draws 10 name characters from the OS's CSPRNG
//! where tempfile draws 6 from `fastrand`. The floor of the
//! `TempDir` and `NamedTempFile` cases, the bare system calls on a fixed
//! name, is measured in the same rounds.

#[allow(dead_code)] // each bench uses part of the harness
mod harness;

use std::hint::black_box;
use std::io::Write;

use harness::floor::{mkdir_rmdir, open_close_unlink};
use harness::{Bench, each_with, run};

/// Files written into the directory of the "with files" cases.
const FILES: usize = 100;
/// The limit of the spooled files: 1 KiB stays under it, 1 MiB rolls over.
const SPOOL_MAX: usize = 64 * 1024;

fn main() {
    let mut bench = Bench::from_args("fixtree vs tempfile 3.x");
    let names: Vec<String> = (0..FILES).map(|i| format!("file-{i:03}.txt")).collect();
    let contents = b"a small file\n";

    bench.case_with_floor(
        "TempDir create+drop (empty)",
        vec![
            (
                "tempfile",
                run(|| drop(black_box(tempfile::tempdir().unwrap()))),
            ),
            (
                "fixtree",
                run(|| drop(black_box(fixtree::tempdir().unwrap()))),
            ),
        ],
        ("mkdir + rmdir", mkdir_rmdir()),
    );

    let fill = |dir: &std::path::Path| {
        for name in &names {
            std::fs::write(dir.join(name), contents).unwrap();
        }
    };
    bench.case(
        &format!("TempDir + {FILES} files create+drop"),
        vec![
            (
                "tempfile",
                run(|| {
                    let dir = tempfile::tempdir().unwrap();
                    fill(dir.path());
                    drop(dir);
                }),
            ),
            (
                "fixtree",
                run(|| {
                    let dir = fixtree::tempdir().unwrap();
                    fill(dir.path());
                    drop(dir);
                }),
            ),
        ],
    );
    bench.case(
        &format!("TempDir + {FILES} files: drop only"),
        vec![
            (
                "tempfile",
                Box::new(|iters| {
                    let setup = || {
                        let dir = tempfile::tempdir().unwrap();
                        fill(dir.path());
                        dir
                    };
                    each_with(iters, setup, drop, |()| ())
                }),
            ),
            (
                "fixtree",
                Box::new(|iters| {
                    let setup = || {
                        let dir = fixtree::tempdir().unwrap();
                        fill(dir.path());
                        dir
                    };
                    each_with(iters, setup, drop, |()| ())
                }),
            ),
        ],
    );

    bench.case_with_floor(
        "NamedTempFile create+drop",
        vec![
            (
                "tempfile",
                run(|| drop(black_box(tempfile::NamedTempFile::new().unwrap()))),
            ),
            (
                "fixtree",
                run(|| drop(black_box(fixtree::NamedTempFile::new().unwrap()))),
            ),
        ],
        ("open O_EXCL + close + unlink", open_close_unlink()),
    );
    bench.case(
        "tempfile() unnamed create+drop",
        vec![
            (
                "tempfile",
                run(|| drop(black_box(tempfile::tempfile().unwrap()))),
            ),
            (
                "fixtree",
                run(|| drop(black_box(fixtree::tempfile().unwrap()))),
            ),
        ],
    );

    let small = vec![b'x'; 1024];
    bench.case(
        "SpooledTempFile write 1 KiB (in memory)",
        vec![
            (
                "tempfile",
                run(|| {
                    let mut f = tempfile::spooled_tempfile(SPOOL_MAX);
                    f.write_all(&small).unwrap();
                    assert!(!f.is_rolled());
                    drop(black_box(f));
                }),
            ),
            (
                "fixtree",
                run(|| {
                    let mut f = fixtree::spooled_tempfile(SPOOL_MAX);
                    f.write_all(&small).unwrap();
                    assert!(!f.is_rolled());
                    drop(black_box(f));
                }),
            ),
        ],
    );
    // Written in 8 KiB chunks, as a stream would be: the first chunks stay
    // in memory, the one that passes the limit rolls the file over.
    let big = vec![b'x'; 1024 * 1024];
    bench.case(
        "SpooledTempFile write 1 MiB (rolls)",
        vec![
            (
                "tempfile",
                run(|| {
                    let mut f = tempfile::spooled_tempfile(SPOOL_MAX);
                    for chunk in big.chunks(8192) {
                        f.write_all(chunk).unwrap();
                    }
                    assert!(f.is_rolled());
                    drop(black_box(f));
                }),
            ),
            (
                "fixtree",
                run(|| {
                    let mut f = fixtree::spooled_tempfile(SPOOL_MAX);
                    for chunk in big.chunks(8192) {
                        f.write_all(chunk).unwrap();
                    }
                    assert!(f.is_rolled());
                    drop(black_box(f));
                }),
            ),
        ],
    );

    bench.finish();
}
