//! Review mode (`FIXTREE_UPDATE=review`): what a failing `assert_tree!`
//! would have written, recorded beside what it compared with, for
//! `cargo fixtree review` to show and apply.
//!
//! - A snapshot folder `tests/snap` gets a sibling `tests/snap.pending/`:
//!   the whole folder as update mode would leave it (`.keep` markers
//!   included), plus a [`MARKER`] file naming the test. Beside the folder,
//!   never in it, so the comparison does not see it.
//! - An inline `{ … }` spec gets a record in `<source>.fixtree-pending`, next
//!   to the test's source file: its line and column, the test, the report,
//!   and the actual tree as complete spec text. Records are appended, each
//!   with one write, so tests running in parallel (threads, or processes
//!   under nextest) do not interleave; the last record of a test for a
//!   position wins, and a later pass of that test appends a "resolved" one.
//!
//! What a test records, only that test's pass clears: the cases of one
//! parametrized test, or tests sharing a helper, share a folder or a
//! position, and one passing must not drop what another recorded.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::ExpectedTree;
use super::compare::{Options, compare};
use super::report::write_report;
use crate::error::IoResultExt;
use crate::sys::remove_all;
use crate::tree::{KEEP_MARKER, SnapshotFolder, Tree, read_snapshot};

/// Appended to a snapshot folder's name for its pending sibling.
pub const FOLDER_SUFFIX: &str = ".pending";

/// The file in a pending folder that says fixtree wrote it, and for which
/// test; taken out when the folder is accepted.
pub const MARKER: &str = ".fixtree-pending";

/// Appended to a source file's name for its inline records.
pub const INLINE_SUFFIX: &str = ".fixtree-pending";

/// The pending sibling of the snapshot folder at `folder`.
pub(crate) fn folder_pending(folder: &Path) -> PathBuf {
    let mut name = folder.file_name().unwrap_or_default().to_owned();
    name.push(FOLDER_SUFFIX);
    folder.with_file_name(name)
}

/// Removes what is at `path`, if anything: a stale pending folder or file.
/// A symbolic link is removed, never followed.
pub(crate) fn remove_stale(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => remove_all(path),
        Ok(_) => fs::remove_file(path).at("remove", path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).at("inspect", path),
    }
}

/// Writes `pending` afresh: a copy of `folder` (when it exists) brought in
/// line with `actual` by update mode's own `write`, then the marker. Built
/// beside it under a name of its own and renamed into place, so that tests
/// failing at once against one folder never see each other's half-written
/// one: the last to finish wins.
pub(crate) fn record_folder(
    folder: &Path,
    pending: &Path,
    test: &str,
    write: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let parent = pending.parent().expect("a pending folder has a parent");
    let staging = crate::Builder::new()
        .prefix(".fixtree-pending.")
        .tempdir_in(parent)?;
    if folder.is_dir() {
        crate::tree::copy_snapshot(folder, staging.path())?;
    }
    write(staging.path())?;
    let marker = staging.path().join(MARKER);
    fs::write(&marker, format!("test={test}\n")).at("write", &marker)?;
    remove_stale(pending)?;
    match crate::sys::rename_noreplace(staging.path(), pending) {
        // Another test put its own there just now: the later one wins.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            remove_stale(pending)?;
            crate::sys::rename_noreplace(staging.path(), pending)
        }
        result => result,
    }
    .map_err(|e| {
        crate::error::at(
            e,
            format!("rename {} to", staging.path().display()),
            pending,
        )
    })?;
    // Renamed: nothing left for the staging directory to remove.
    let _ = staging.keep();
    Ok(())
}

/// Removes the pending folder `pending` if `test` recorded it: a pass of
/// that test makes it stale. Another test's stays for review.
pub(crate) fn remove_own_stale(pending: &Path, test: &str) -> io::Result<()> {
    match fs::read_to_string(pending.join(MARKER)) {
        Ok(marker) if marker.trim_end() == format!("test={test}") => remove_stale(pending),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).at("read", &pending.join(MARKER)),
    }
}

/// The report of what accepting the pending folder would change in the
/// snapshot folder `folder` (empty if it does not exist yet), or `None`
/// when nothing would: the pending tree, its marker and lone `.keep`
/// markers aside, compared byte for byte with the folder's.
///
/// ```
/// let root = fixtree::tempdir()?;
/// let folder = root.path().join("snap");
/// std::fs::create_dir_all(folder.join("empty"))?;
/// std::fs::write(folder.join("empty/.keep"), "")?;
/// std::fs::write(folder.join("a.txt"), "old\n")?;
/// let pending = root.path().join("snap.pending");
/// std::fs::create_dir(&pending)?;
/// std::fs::write(pending.join("a.txt"), "new\n")?;
/// std::fs::write(pending.join(".fixtree-pending"), "test=t\n")?;
///
/// let report = fixtree::__private::review::folder_diff(&folder, &pending, false)?.unwrap();
/// assert!(report.contains("~ a.txt"), "{report}");
/// assert!(report.contains("- empty"), "{report}");
/// assert!(!report.contains(".fixtree-pending"), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn folder_diff(folder: &Path, pending: &Path, color: bool) -> io::Result<Option<String>> {
    let mut tree = Tree::new();
    for (name, node) in read_snapshot(pending)?.into_entries() {
        if name != MARKER {
            tree.insert(&name, node).map_err(io::Error::other)?;
        }
    }
    // The root's `.keep` sat beside the marker, so reading kept it.
    if tree.len() == 1 && tree.get(KEEP_MARKER).is_some() {
        tree = Tree::new();
    }
    let expected = if folder.exists() {
        ExpectedTree::from_snapshot(folder)?.exact_line_endings()
    } else {
        ExpectedTree::new()
    };
    let scratch = crate::tempdir()?;
    tree.write_to(scratch.path())?;
    let label = folder.display().to_string();
    let options = Options::new(Vec::new(), label).expect("no ignore patterns to refuse");
    let Err(mut diff) = compare(scratch.path(), &expected, &options) else {
        return Ok(None);
    };
    diff.inner.root = pending.to_owned();
    diff.inner.actual = None;
    let mut report = String::new();
    write_report(&diff.inner, &mut report, color).expect("writing to a String cannot fail");
    Ok(Some(report))
}

/// Where an inline `assert_tree!(dir, { … })` is: `file!()`, `line!()` and
/// `column!()` at the call, and the crate it was compiled in.
#[derive(Clone, Copy, Debug)]
pub struct SourceSpot<'a> {
    /// `file!()`: relative to the workspace cargo built in, or absolute.
    pub file: &'a str,
    /// `line!()` of the invocation, 1-based.
    pub line: u32,
    /// `column!()` of the invocation, 1-based, in characters.
    pub column: u32,
    /// `CARGO_MANIFEST_DIR` when the calling crate was compiled.
    pub manifest_dir: &'a str,
    /// `CARGO_PKG_NAME` when the calling crate was compiled.
    pub package: &'a str,
}

impl SourceSpot<'_> {
    /// The source file on disk: `file!()` is relative to the workspace
    /// root, an ancestor of the crate's manifest directory (found as a
    /// snapshot folder is, so a relocated test finds its own checkout).
    pub(crate) fn source(&self) -> Option<PathBuf> {
        let file = Path::new(self.file);
        if file.is_absolute() {
            return Some(file.to_owned());
        }
        let manifest = SnapshotFolder {
            written: "Cargo.toml",
            manifest_dir: self.manifest_dir,
            package: self.package,
        }
        .locate()
        .path;
        manifest
            .ancestors()
            .skip(1)
            .map(|dir| dir.join(file))
            .find(|path| path.is_file())
    }
}

/// The record file of the source file `source`.
pub(crate) fn inline_pending(source: &Path) -> PathBuf {
    let mut name = source.file_name().unwrap_or_default().to_owned();
    name.push(INLINE_SUFFIX);
    source.with_file_name(name)
}

/// One inline spec's pending change, as `cargo fixtree review` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineRecord {
    /// The line of the `assert_tree!` invocation, 1-based.
    pub line: u32,
    /// Its column, 1-based, in characters.
    pub column: u32,
    /// The test that recorded it: several (the cases of a parametrized
    /// test, tests sharing a helper) may record one position.
    pub test: String,
    /// The test's failure report, without colour.
    pub report: String,
    /// The new `{ … }`, unindented.
    pub spec: String,
}

const PENDING: &str = "fixtree-pending";
const RESOLVED: &str = "fixtree-resolved";

impl InlineRecord {
    /// The record as appended to the file; [`parse_records`] reads it back.
    ///
    /// ```
    /// use fixtree::__private::review::{InlineRecord, parse_records};
    ///
    /// let record = InlineRecord {
    ///     line: 7,
    ///     column: 5,
    ///     test: "tests::converts".into(),
    ///     report: "tree mismatch: …\n".into(),
    ///     spec: "{\n    \"a.txt\" => \"x\",\n}".into(),
    /// };
    /// assert_eq!(parse_records(&record.to_text())?, [record]);
    /// # Ok::<(), String>(())
    /// ```
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let _ = write!(
            text,
            "{PENDING} line={} column={} report={} spec={} test={}\n{}{}\n",
            self.line,
            self.column,
            self.report.len(),
            self.spec.len(),
            self.test,
            self.report,
            self.spec
        );
        text
    }
}

/// Appends `text` with one write, creating the file if need be.
fn append(path: &Path, text: &str) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .at("open", path)?;
    file.write_all(text.as_bytes()).at("append to", path)
}

/// Records `record` for the source file `source`.
pub(crate) fn record_inline(source: &Path, record: &InlineRecord) -> io::Result<PathBuf> {
    let path = inline_pending(source);
    append(&path, &record.to_text())?;
    Ok(path)
}

/// Marks the record of `test` at `line`:`column` of `source` resolved, if
/// the source has a record file at all: the assertion passes now.
pub(crate) fn resolve_inline(source: &Path, line: u32, column: u32, test: &str) -> io::Result<()> {
    let path = inline_pending(source);
    if !path.exists() {
        return Ok(());
    }
    let records = parse_records(&fs::read_to_string(&path).at("read", &path)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    if records
        .iter()
        .any(|r| (r.line, r.column, r.test.as_str()) == (line, column, test))
    {
        append(
            &path,
            &format!("{RESOLVED} line={line} column={column} test={test}\n"),
        )?;
    }
    Ok(())
}

/// The pending records of a record file, in file order, the last one of
/// each test at each position only, resolved ones left out.
///
/// ```
/// use fixtree::__private::review::parse_records;
///
/// let text = "fixtree-pending line=3 column=5 report=3 spec=2 test=t\nbad{}\n\
///             fixtree-pending line=9 column=1 report=0 spec=2 test=u\n{}\n\
///             fixtree-resolved line=3 column=5\n";
/// let records = parse_records(text)?;
/// assert_eq!(records.len(), 1);
/// assert_eq!((records[0].line, records[0].test.as_str()), (9, "u"));
/// # Ok::<(), String>(())
/// ```
pub fn parse_records(text: &str) -> Result<Vec<InlineRecord>, String> {
    let mut records: Vec<InlineRecord> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (header, after) = rest
            .split_once('\n')
            .ok_or_else(|| format!("a record header without its end: {rest:?}"))?;
        let mut words = header.split(' ');
        let kind = words.next().unwrap_or_default();
        let mut field = |name: &str| -> Result<&str, String> {
            words
                .next()
                .and_then(|word| word.strip_prefix(name)?.strip_prefix('='))
                .ok_or_else(|| format!("expected {name}=… in the record header {header:?}"))
        };
        let number = |value: &str| -> Result<usize, String> {
            value
                .parse()
                .map_err(|_| format!("{value:?} is not a number, in {header:?}"))
        };
        let position = |value: &str| -> Result<u32, String> {
            value
                .parse()
                .map_err(|_| format!("{value:?} is not a line or column, in {header:?}"))
        };
        let line = position(field("line")?)?;
        let column = position(field("column")?)?;
        match kind {
            PENDING => {
                let report_len = number(field("report")?)?;
                let spec_len = number(field("spec")?)?;
                let test = header
                    .split_once(" test=")
                    .map(|(_, test)| test.to_owned())
                    .ok_or_else(|| format!("expected test=… in {header:?}"))?;
                let cut = || format!("the record {header:?} is cut short or garbled");
                let end = report_len.checked_add(spec_len).ok_or_else(cut)?;
                let body = after
                    .get(..end)
                    .filter(|_| after.is_char_boundary(report_len))
                    .filter(|_| after[end..].starts_with('\n'))
                    .ok_or_else(cut)?;
                let (report, spec) = body.split_at(report_len);
                records.retain(|r| (r.line, r.column, r.test.as_str()) != (line, column, &test));
                records.push(InlineRecord {
                    line,
                    column,
                    test,
                    report: report.to_owned(),
                    spec: spec.to_owned(),
                });
                rest = &after[end + 1..];
            }
            RESOLVED => {
                // Without a test (an older record), every test's at the position.
                let test = header.split_once(" test=").map(|(_, test)| test);
                records.retain(|r| {
                    (r.line, r.column) != (line, column) || test.is_some_and(|t| t != r.test)
                });
                rest = after;
            }
            _ => return Err(format!("{header:?} is not a fixtree record")),
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: u32, test: &str, spec: &str) -> InlineRecord {
        InlineRecord {
            line,
            column: 5,
            test: test.to_owned(),
            report: "report\n".to_owned(),
            spec: spec.to_owned(),
        }
    }

    #[test]
    fn each_test_keeps_its_own_record_at_a_shared_position() {
        let text = [
            record(3, "t::case_1", "{ one }").to_text(),
            record(3, "t::case_2", "{ two }").to_text(),
            record(3, "t::case_1", "{ one again }").to_text(),
            format!("{RESOLVED} line=3 column=5 test=t::case_2\n"),
        ]
        .concat();
        assert_eq!(
            parse_records(&text).unwrap(),
            [record(3, "t::case_1", "{ one again }")]
        );
        // A resolved line without a test (an older record) resolves them all.
        let all = format!("{text}{RESOLVED} line=3 column=5\n");
        assert_eq!(parse_records(&all).unwrap(), []);
    }

    #[test]
    fn a_garbled_record_file_is_an_error_not_a_panic() {
        for text in [
            "fixtree-pending line=1 column=1 report=1 spec=0 test=t\né\n",
            "fixtree-pending line=1 column=1 report=18446744073709551615 spec=1 test=t\nx\n",
            "fixtree-pending line=99999999999 column=1 report=0 spec=0 test=t\n\n",
            "fixtree-pending line=1 column=1 report=5 spec=0 test=t\nab\n",
            "fixtree-pending line=1",
        ] {
            assert!(parse_records(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_pass_removes_only_the_pending_folder_its_own_test_recorded() {
        let root = crate::tempdir().unwrap();
        let folder = root.path().join("snap");
        let pending = folder_pending(&folder);
        record_folder(&folder, &pending, "t::case_1", |dir| {
            fs::write(dir.join("a.txt"), "new")
        })
        .unwrap();
        remove_own_stale(&pending, "t::case_2").unwrap();
        assert_eq!(fs::read_to_string(pending.join("a.txt")).unwrap(), "new");
        remove_own_stale(&pending, "t::case_1").unwrap();
        assert!(!pending.exists());
        // Recording again replaces the old one whole, and leaves nothing beside it.
        for content in ["first", "second"] {
            record_folder(&folder, &pending, "t", |dir| {
                fs::write(dir.join("b.txt"), content)
            })
            .unwrap();
        }
        assert_eq!(fs::read_to_string(pending.join("b.txt")).unwrap(), "second");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
