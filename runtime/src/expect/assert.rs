//! The panicking side of `assert_tree!`: the report as the panic message,
//! pointing at the test's line; update mode for snapshot folders and txtar
//! files, and review mode, which records what would change as pending
//! instead, for both.

use std::io::Write;
use std::path::Path;

use super::compare::compare;
use super::diff::{CheckOptions, Options, TreeDiff};
use super::edits::edits;
use super::pending::{
    FOLDER_SUFFIX, InlineRecord, Marker, SourceSpot, TXTAR_CONTENTS, folder_pending,
    inline_pending, record_folder, record_inline, record_txtar, remove_own_stale, resolve_inline,
};
use super::place::check_place;
use super::report::{report, use_color};
use super::update::{Changes, update_snapshot};
use super::update_txtar::update_txtar;
use super::{ExpectedTree, LineEndings};
use crate::config::{self, Update};
use crate::fixture::harness_name;
use crate::locate::{SnapshotFolder, SnapshotKind};
use fixtree_rules::folder::Role;

/// Compares and panics with the report on a mismatch.
#[track_caller]
pub(crate) fn assert_tree(actual: &Path, expected: ExpectedTree, ignore: &[&str]) {
    let options = options(ignore, "the expected tree".to_owned());
    if let Err(diff) = compare(actual, &expected, &options) {
        fail(&diff);
    }
}

/// [`assert_tree`] for an inline `{ … }` spec at `spot`: in review mode a
/// mismatch is also recorded for `cargo fixtree review`, and a pass
/// resolves an earlier record. Update mode does not rewrite the source:
/// tests running in parallel would shift each other's lines, and a test
/// binary rewriting sources under cargo's feet is a surprise; review, then
/// `cargo fixtree accept`, does it in one process, in one go.
#[track_caller]
pub(crate) fn assert_tree_inline(
    actual: &Path,
    expected: ExpectedTree,
    ignore: &[&str],
    spot: SourceSpot<'_>,
) {
    let mut options = options(ignore, "the expected tree".to_owned());
    let (update, source) = (setting(), spot.source());
    // libtest names each test's thread after it.
    let test = harness_name().unwrap_or_default();
    let (file, line, column) = (spot.file, spot.line, spot.column);
    options.update_hint = match (update, &source) {
        (Update::Review, Some(source)) => {
            refuse_in_ci(file);
            let pending = inline_pending(source);
            Some(recorded(format!("{}:{line}:{column}", pending.display())))
        }
        (Update::Review, None) => Some(format!(
            "fixtree: cannot record this spec for review: its source {file} was not found \
             under the crate's directory"
        )),
        (Update::Overwrite, _) => Some(format!(
            "FIXTREE_UPDATE=1 rewrites snapshot folders, not inline specs: record this one \
             with `FIXTREE_UPDATE=review {}`, then run `cargo fixtree review`",
            config::test_command(file, &test)
        )),
        (Update::Compare, _) => None,
    };
    let result = compare(actual, &expected, &options);
    let (Update::Review, Some(source)) = (update, source) else {
        if let Err(diff) = result {
            fail(&diff);
        }
        return;
    };
    let Err(mut diff) = result else {
        if let Err(e) = resolve_inline(&source, line, column, &test) {
            panic!("fixtree: cannot resolve the pending record of this spec: {e}");
        }
        return;
    };
    let edits = match edits(actual, &expected, &diff.inner, &options.ignore) {
        Ok(edits) => edits,
        Err(e) => panic!("fixtree: cannot record this spec for review: {e}"),
    };
    let shown = report(&diff.inner, use_color());
    // The record shows what differs; the edits and where they are recorded
    // are the record itself.
    (diff.inner.actual, diff.inner.update_hint) = (None, None);
    let record = InlineRecord {
        line,
        column,
        tokens: spot.tokens.to_owned(),
        test,
        report: report(&diff.inner, false),
        edits,
    };
    if let Err(e) = record_inline(&source, &record) {
        panic!("fixtree: cannot record this spec for review: {e}");
    }
    panic!("{shown}");
}

/// Compares with a snapshot folder or txtar file, or rewrites it under
/// `FIXTREE_UPDATE=1`, or records the would-be folder as pending under
/// `FIXTREE_UPDATE=review`: the one the test process finds, so an update
/// lands in the checkout the test ran in.
#[track_caller]
pub(crate) fn assert_tree_from(
    actual: &Path,
    folder: SnapshotFolder<'_>,
    ignore: &[&str],
    line_endings: LineEndings,
) {
    let folder = folder.locate(Role::Expected);
    let written = &*folder.written;
    let noun = folder.kind.noun();
    let mut options = options(ignore, written.to_owned());
    // `..` keeps to what a snapshot holds: one made now holds the whole directory.
    options.subset = folder.subset && std::fs::symlink_metadata(&folder.path).is_ok();
    options.line_endings = Some(line_endings);
    // The fix is to update the snapshot, as the report says: no tree to paste.
    options.paste = false;
    let (update, test) = (setting(), harness_name().unwrap_or_default());
    // The command in a hint is looked up only for a hint shown: a pass asks nothing.
    let caller = std::panic::Location::caller().file();
    // Makes the snapshot at `path`, shown as `written`, hold what `actual` holds.
    let update_at = |path: &Path, written: &str, options: &Options| -> std::io::Result<Changes> {
        match folder.kind {
            SnapshotKind::Folder => update_snapshot(actual, path, written, options, line_endings),
            SnapshotKind::Txtar => update_txtar(actual, path, written, options, line_endings),
        }
    };
    if update != Update::Compare {
        refuse_in_ci(written);
    }
    if update == Update::Overwrite {
        match update_at(&folder.path, written, &options) {
            // Straight to stderr, past the test harness's capture: a passing
            // test's output is hidden, and this must be seen.
            Ok(changes) => {
                let _ = writeln!(std::io::stderr(), "{}", changes.report(written));
            }
            Err(e) => panic!("fixtree: cannot update {noun} {folder}: {e}"),
        }
        return;
    }
    // Only a mismatch is recorded: a match passes in review mode as in any other.
    let recording = update == Update::Review;
    let pending = folder_pending(&folder.path);
    // Returns what to panic with: a closure is not `#[track_caller]`, so
    // the panic is left to the caller, to point at the test.
    let record = |options: &Options| -> Result<(), String> {
        let written_pending = format!("{written}{FOLDER_SUFFIX}");
        let recorded = check_place(&folder.path, written).and_then(|()| match folder.kind {
            SnapshotKind::Folder => {
                let marker = Marker {
                    test: test.clone(),
                    folder: written.to_owned(),
                    txtar: None,
                };
                record_folder(&folder.path, &pending, &marker, |pending| {
                    update_at(pending, &written_pending, options).map(drop)
                })
            }
            SnapshotKind::Txtar => {
                let written_contents = format!("{written_pending}/{TXTAR_CONTENTS}");
                record_txtar(&folder.path, &pending, &test, written, |contents| {
                    update_at(contents, &written_contents, options).map(drop)
                })
            }
        });
        recorded.map_err(|e| format!("fixtree: cannot record a pending snapshot for {folder}: {e}"))
    };
    let recorded = recorded(pending.display());
    if std::fs::symlink_metadata(&folder.path).is_err() {
        if update == Update::Review {
            if let Err(message) = record(&options) {
                panic!("{message}");
            }
            panic!("fixtree: {noun} {folder} does not exist yet; {recorded}");
        }
        let command = config::test_command(caller, &test);
        panic!(
            "fixtree: {noun} {folder} does not exist yet: create it with \
             `FIXTREE_UPDATE=1 {command}` or record it for review with `FIXTREE_UPDATE=review`"
        );
    }
    let expected = match ExpectedTree::of_located(&folder) {
        Ok(expected) => expected,
        Err(e) => panic!("fixtree: cannot read {noun} {folder}: {e}"),
    };
    match compare(actual, &expected, &options) {
        Err(mut diff) => {
            diff.inner.update_hint = Some(match update {
                Update::Review => recorded,
                // "the folder", "the txtar file".
                _ => format!(
                    "update the {} with: FIXTREE_UPDATE=1 {}",
                    noun.trim_start_matches("snapshot "),
                    config::test_command(caller, &test)
                ),
            });
            if recording {
                if let Err(message) = record(&options) {
                    panic!("{message}");
                }
            }
            fail(&diff);
        }
        Ok(()) if recording => {
            if let Err(e) = remove_own_stale(&pending, written, &test) {
                panic!("fixtree: cannot remove the stale pending snapshot of {folder}: {e}");
            }
        }
        Ok(()) => {}
    }
}

/// What a report says of a mismatch recorded `at` for review.
fn recorded(at: impl std::fmt::Display) -> String {
    format!("recorded as pending: {at}; review with `cargo fixtree review`")
}

/// `FIXTREE_UPDATE`, or a panic naming the mistake in it.
#[track_caller]
fn setting() -> Update {
    match config::update() {
        Ok(update) => update,
        Err(e) => panic!("fixtree: {e}"),
    }
}

/// Panics in CI, where a rewritten or pending snapshot would be lost.
#[track_caller]
fn refuse_in_ci(what: &str) {
    if !config::ci() {
        return;
    }
    match setting() {
        Update::Review => panic!(
            "fixtree: FIXTREE_UPDATE=review is set, but so is CI: pending snapshots are not \
             recorded in CI, where they would be lost; run `FIXTREE_UPDATE=review cargo test` \
             locally, then `cargo fixtree review`"
        ),
        _ => panic!(
            "fixtree: FIXTREE_UPDATE is set, but so is CI: snapshot folders are not rewritten in CI, \
             where the change would be lost; run `FIXTREE_UPDATE=1 cargo test` locally and commit {what}"
        ),
    }
}

/// The options of `assert_tree!`, as [`CheckOptions`] takes them.
#[track_caller]
fn options(ignore: &[&str], label: String) -> Options {
    let check = CheckOptions::new().ignore(ignore);
    let check = match check {
        Ok(check) => check,
        Err(e) => panic!("fixtree: invalid {e}"),
    };
    Options::of(check, label)
}

#[track_caller]
fn fail(diff: &TreeDiff) -> ! {
    panic!("{}", report(&diff.inner, use_color()))
}
