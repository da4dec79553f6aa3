//! What accepting an inline spec changes in it: one [`Edit`] per difference,
//! so that every entry that holds stays as the user wrote it.

use std::io;
use std::path::Path;

use super::diff::{DiffData, DiffKind, Difference};
use super::ignore::Ignore;
use super::paste::{complete_entries, expected_at, matcher_text};
use super::pending::Edit;
use super::{Expect, Expected, ExpectedTree};
use crate::spec::Matcher;
use crate::sys;

/// The edits that make `expected` hold for `dir`, one per difference of
/// `diff`, which compared them: a missing entry is removed; an unexpected
/// one is added, and a changed one replaced, with the complete spec text of
/// what `dir` holds there (refused past the record's caps, as
/// [`complete_entries`] says). What fixtree cannot rewrite faithfully is left
/// to the user, with the reason: a failing `contains` or `matches`, a
/// failing `absent()`, a name no key can give.
pub(crate) fn edits(
    dir: &Path,
    expected: &ExpectedTree,
    diff: &DiffData,
    ignore: &Ignore,
) -> io::Result<Vec<Edit>> {
    let differences = &diff.differences;
    let planned: Vec<Option<Edit>> = differences.iter().map(|d| plan(expected, d)).collect();
    // The values to read, in one walk of `dir`.
    let reads: Vec<&str> = (differences.iter().zip(&planned))
        .filter(|(_, planned)| planned.is_none())
        .map(|(difference, _)| difference.path.as_str())
        .collect();
    let mut values = complete_entries(dir, ignore, &reads)?.into_iter();
    let edits = differences
        .iter()
        .zip(planned)
        .map(|(difference, planned)| {
            planned.unwrap_or_else(|| with_value(difference, values.next().flatten()))
        });
    Ok(edits.collect())
}

/// Why an entry whose name is not UTF-8 is left to the user.
const NOT_UTF8: &str = "its name is not UTF-8, which no spec text can name: edit the test by \
                        hand (`..` allows it, `ignore = [...]` leaves it out)";

/// The edit of `difference` that takes what `dir` holds there, `value`:
/// `None` if it was not read, its name not being UTF-8.
fn with_value(difference: &Difference, value: Option<String>) -> Edit {
    let path = difference.path.clone();
    match value {
        Some(value) if difference.kind == DiffKind::Unexpected => Edit::Add { path, value },
        Some(value) => Edit::Change { path, value },
        None => Edit::Manual {
            path,
            reason: NOT_UTF8.to_owned(),
        },
    }
}

/// The edit of `difference` that needs nothing read, if it is one: a
/// removal, or one left to the user; `None` when it takes what `dir` holds.
fn plan(expected: &ExpectedTree, difference: &Difference) -> Option<Edit> {
    let (path, kind) = (difference.path.clone(), difference.kind);
    let manual = |reason: String| {
        Some(Edit::Manual {
            path: path.clone(),
            reason,
        })
    };
    match expected_at(&expected.entries, &difference.path) {
        // Before any other: a record naming such a path could not be read back.
        _ if sys::is_spelled(&difference.path) => manual(NOT_UTF8.to_owned()),
        _ if kind == DiffKind::Missing => Some(Edit::Remove { path }),
        // The contents and mode hold (compare.rs says so last): a spec holds no time to write.
        _ if difference.description.starts_with("modified ") => manual(format!(
            "{}: fixtree does not rewrite a modified(…) time; touch the file or edit the time \
             by hand",
            difference.description
        )),
        Some(Expected(Expect::Matcher(Matcher::Absent))) => manual(
            "expected absent(): accepting would drop the assertion; remove the file or the \
             entry by hand"
                .to_owned(),
        ),
        Some(Expected(Expect::Matcher(matcher @ (Matcher::Contains(_) | Matcher::Matches(_))))) => {
            manual(format!(
                "`{}` does not hold: fixtree does not rewrite a matcher; edit it by hand",
                matcher_text(matcher)
            ))
        }
        _ => match fixtree_rules::segments(&difference.path) {
            Ok(_) => None,
            Err(e) => manual(format!(
                "no spec can name it ({e}): allow it with `..`, or leave it out with \
                 `ignore = [...]`"
            )),
        },
    }
}

// Unix only: the names no key can give (`a\b`, not UTF-8) are Unix's.
#[cfg(all(test, unix))]
mod tests {
    use std::time::Duration;

    use super::{Edit, Ignore, edits};
    use crate::{ExpectedTree, Tree};

    fn edits_for(dir: &std::path::Path, expected: &ExpectedTree) -> Vec<Edit> {
        let diff = crate::check_tree(dir, expected).unwrap_err();
        edits(dir, expected, &diff.inner, &Ignore::default()).unwrap()
    }

    #[test]
    fn a_missing_name_that_is_not_utf8_is_left_for_the_user_not_recorded_as_a_path() {
        use std::os::unix::ffi::OsStrExt;

        let dir = crate::tempdir().unwrap();
        let mut tree = Tree::new();
        let name = std::path::Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.log"));
        tree.insert_os(name, "x").unwrap();
        let found = edits_for(dir.path(), &ExpectedTree::from(tree));
        assert!(
            matches!(&found[..], [Edit::Manual { path, reason }] if path == r"caf\xe9.log"
                && reason.starts_with("its name is not UTF-8")),
            "{found:?}"
        );
    }

    #[test]
    fn a_time_alone_that_differs_is_left_for_the_user() {
        let dir = crate::tempdir().unwrap();
        std::fs::write(dir.path().join("old.txt"), "same").unwrap();
        let year = crate::spec::ago(Duration::from_secs(365 * 24 * 3600));
        let expected = ExpectedTree::new()
            .with("old.txt", crate::spec::modified(year, "same"))
            .unwrap();
        let found = edits_for(dir.path(), &expected);
        assert!(
            matches!(&found[..], [Edit::Manual { path, reason }] if path == "old.txt"
                && reason.contains("does not rewrite a modified(…) time")),
            "{found:?}"
        );
    }

    #[test]
    fn a_name_no_key_can_give_is_left_for_the_user_with_the_reason() {
        use std::os::unix::ffi::OsStrExt;

        let dir = crate::tempdir().unwrap();
        let not_utf8 = std::ffi::OsStr::from_bytes(b"caf\xe9.log");
        std::fs::write(dir.path().join(not_utf8), "").unwrap();
        std::fs::write(dir.path().join("a\\b"), "").unwrap();
        let expected = ExpectedTree::new();
        let diff = crate::check_tree(dir.path(), &expected).unwrap_err();
        let found = edits(dir.path(), &expected, &diff.inner, &Ignore::default()).unwrap();
        let [backslash, latin1] = &found[..] else {
            panic!("{found:?}");
        };
        assert!(
            matches!(backslash, Edit::Manual { path, reason } if path == "a\\b"
                && reason.starts_with("no spec can name it (key \"a\\\\b\" holds a '\\'")),
            "{backslash:?}"
        );
        assert!(
            matches!(latin1, Edit::Manual { path, reason } if path == r"caf\xe9.log"
                && reason.starts_with("its name is not UTF-8")),
            "{latin1:?}"
        );
    }
}
