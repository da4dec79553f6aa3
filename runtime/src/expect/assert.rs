//! The panicking side of `assert_tree!`: the report as the panic message,
//! pointing at the test's line; and update mode for snapshot folders and
//! txtar files.

use std::io::Write;
use std::path::Path;

use super::compare::{Options, TreeDiff, compare};
use super::report::{use_color, write_report};
use super::update::update_snapshot;
use super::update_txtar::update_txtar;
use super::{ExpectedTree, LineEndings};
use crate::config::{self, Update};
use crate::tree::{SnapshotFolder, SnapshotKind};

/// Compares and panics with the report on a mismatch.
#[track_caller]
pub(crate) fn assert_tree(actual: &Path, expected: ExpectedTree, ignore: &[&str]) {
    let options = options(ignore, "the expected tree".to_owned());
    if let Err(diff) = compare(actual, &expected, &options) {
        fail(&diff);
    }
}

/// Compares with a snapshot folder, or rewrites it under `FIXTREE_UPDATE`:
/// the folder the test process finds, so an update lands in the checkout the
/// test ran in.
#[track_caller]
pub(crate) fn assert_tree_from(
    actual: &Path,
    folder: SnapshotFolder<'_>,
    ignore: &[&str],
    line_endings: LineEndings,
) {
    let folder = folder.locate();
    let written = folder.written;
    let mut options = options(ignore, written.to_owned());
    let update = config::update().unwrap_or_else(|e| panic!("fixtree: {e}"));
    if update == Update::Overwrite {
        if config::ci() {
            panic!(
                "fixtree: FIXTREE_UPDATE is set, but so is CI: snapshot folders are not rewritten in CI, \
                 where the change would be lost; run `FIXTREE_UPDATE=1 cargo test` locally and commit {written}"
            );
        }
        let updated = match folder.kind {
            SnapshotKind::Folder => {
                update_snapshot(actual, &folder.path, written, &options, line_endings)
            }
            SnapshotKind::Txtar => {
                update_txtar(actual, &folder.path, written, &options, line_endings)
            }
        };
        match updated {
            // Straight to stderr, past the test harness's capture: a passing
            // test's output is hidden, and this must be seen.
            Ok(changes) => {
                let _ = writeln!(std::io::stderr(), "{}", changes.report(written));
            }
            Err(e) => panic!(
                "fixtree: cannot update {} {folder}: {e}",
                folder.kind.noun()
            ),
        }
        return;
    }
    let expected = match folder.read() {
        Ok(tree) => ExpectedTree::snapshot_of(tree).line_endings(line_endings),
        Err(e) => panic!("fixtree: cannot read {} {folder}: {e}", folder.kind.noun()),
    };
    let what = match folder.kind {
        SnapshotKind::Folder => "folder",
        SnapshotKind::Txtar => "txtar file",
    };
    options.update_hint = Some(format!(
        "update the {what} with: FIXTREE_UPDATE=1 cargo test {}",
        test_name()
    ));
    if let Err(diff) = compare(actual, &expected, &options) {
        fail(&diff);
    }
}

#[track_caller]
fn options(ignore: &[&str], label: String) -> Options {
    let globs = ignore.iter().map(|glob| (*glob).to_owned()).collect();
    Options::new(globs, label).unwrap_or_else(|e| panic!("fixtree: invalid {e}"))
}

#[track_caller]
fn fail(diff: &TreeDiff) -> ! {
    let mut report = String::new();
    write_report(&diff.inner, &mut report, use_color()).expect("writing to a String cannot fail");
    panic!("{report}")
}

/// The running test's name: libtest names each test's thread after it.
fn test_name() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_owned(),
        _ => String::new(),
    }
}
