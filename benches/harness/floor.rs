//! The floors of the lifecycle cases: the bare system calls that creating
//! and removing a temporary directory or file cannot do without, on one fixed
//! name (no random name, no mode fix-up, no checks).

use std::path::PathBuf;

use super::{Run, each};

/// The floor of a directory's life: `mkdir` + `rmdir` of one fixed name in
/// the temporary directory in use (no random name, no mode fix-up, no
/// checks), what no temporary directory can do without.
pub fn mkdir_rmdir<'a>() -> Run<'a> {
    let path = floor_path("dir");
    Box::new(move |iters| {
        each(iters, || {
            std::fs::create_dir(&path).unwrap();
            std::fs::remove_dir(&path).unwrap();
        })
    })
}

/// The floor of a named temporary file's life: `open(O_CREAT|O_EXCL)` +
/// `close` + `unlink` of one fixed name in the temporary directory in use.
pub fn open_close_unlink<'a>() -> Run<'a> {
    let path = floor_path("file");
    Box::new(move |iters| {
        each(iters, || {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
                .unwrap();
            drop(file);
            std::fs::remove_file(&path).unwrap();
        })
    })
}

fn floor_path(kind: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fixtree-bench-floor-{kind}-{}", std::process::id()))
}
