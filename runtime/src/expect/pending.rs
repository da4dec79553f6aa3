//! Review mode (`FIXTREE_UPDATE=review`): what a failing `assert_tree!`
//! would have written, recorded beside what it compared with, for
//! `cargo fixtree review` to show and apply.
//!
//! - A snapshot folder `tests/snap` gets a sibling `tests/snap.pending/`:
//!   the whole folder as update mode would leave it (`.keep` markers
//!   included), plus a [`MARKER`] file naming the test and the folder as
//!   the assertion wrote it ([`Marker`]). Beside the folder, never in it,
//!   so the comparison does not see it. It is built in a locked staging
//!   folder, `.fixtree-pending.<random>/`, which a later run removes if a
//!   killed run left it.
//! - A txtar file `tests/snap.txtar` gets `tests/snap.txtar.pending/` in
//!   the same way, holding the file as update mode would write it,
//!   [`TXTAR_CONTENTS`], and a marker that also holds the fingerprint of
//!   the file it was made from, so that accepting it over a file changed
//!   since is refused.
//! - An inline `{ … }` spec gets a record in `<source>.fixtree-pending`, next
//!   to the test's source file: its line and column, the fingerprint of the
//!   spec's tokens, the test, the report, and the edits that would make the
//!   spec pass, one per failing entry ([`Edit`]). Records are appended, each
//!   with one write, so tests running in parallel (threads, or processes
//!   under nextest) do not interleave; the last record of a test for a
//!   position wins, and a later pass of that test appends a "resolved" one.
//!
//! What a test records, only that test's pass clears: the cases of one
//! parametrized test, or tests sharing a helper, share a folder or a
//! position, and one passing must not drop what another recorded.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::ExpectedTree;
use super::compare::compare;
use super::diff::{CheckOptions, Options};
use super::report::report;
use crate::error::{IoResultExt, io_error};
use crate::sys::name::DEFAULT_RAND_LEN;
use crate::sys::remove_all;

/// Appended to a snapshot folder's name for its pending sibling.
pub const FOLDER_SUFFIX: &str = ".pending";

/// The file in a pending folder that says fixtree wrote it, for which test
/// and which folder ([`Marker`]); taken out when the folder is accepted.
pub const MARKER: &str = ".fixtree-pending";

/// The first line of a [`Marker`], with its format's version.
const MARKER_HEADER: &str = "fixtree-pending-folder 1";

/// The most a marker or record file may hold: a larger one is not fixtree's.
const MARKER_LIMIT: u64 = 64 * 1024;

/// The stem of a staging folder, `.fixtree-pending.<random>`.
const STAGING: &str = ".fixtree-pending";

/// What a pending folder's [`MARKER`] claims: the test that recorded it and
/// the snapshot folder as its assertion wrote it, relative to the crate's
/// directory. Anyone can write a marker: `cargo fixtree accept` checks the
/// claim before it replaces anything.
///
/// ```
/// use fixtree_runtime::cli::review::Marker;
///
/// let folder = "tests/snapshots/converted".to_owned();
/// let marker = Marker { test: "tests::converts".into(), folder, txtar: None };
/// let text = marker.to_text();
/// assert_eq!(text, "fixtree-pending-folder 1\ntest=tests::converts\nfolder=tests/snapshots/converted\n");
/// assert_eq!(Marker::parse(&text)?, marker);
/// assert!(Marker::parse("test=t\n").is_err());
///
/// let txtar = Marker { test: "t".into(), folder: "tests/a.txtar".into(), txtar: Some("none".into()) };
/// assert!(txtar.to_text().ends_with("folder=tests/a.txtar\nkind=txtar\nwas=none\n"));
/// assert_eq!(Marker::parse(&txtar.to_text())?, txtar);
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The test that recorded the folder, as the test harness names it.
    pub test: String,
    /// The snapshot folder as written in the assertion, e.g. `tests/snap`.
    pub folder: String,
    /// For a txtar file's record, the [`txtar_fingerprint`] of the file
    /// when it was recorded (lines `kind=txtar`, `was=…`).
    pub txtar: Option<String>,
}

impl Marker {
    /// The marker's text: the header line, `test=…`, `folder=…`.
    pub fn to_text(&self) -> String {
        let Marker {
            test,
            folder,
            txtar,
        } = self;
        let txtar = txtar.as_ref().map(|was| format!("kind=txtar\nwas={was}\n"));
        format!(
            "{MARKER_HEADER}\ntest={test}\nfolder={folder}\n{}",
            txtar.unwrap_or_default()
        )
    }

    /// Reads a marker's text, exactly as [`to_text`](Self::to_text) writes
    /// it; anything else is an error saying what is wrong.
    pub fn parse(text: &str) -> Result<Marker, String> {
        let fields = text.strip_suffix('\n').and_then(|body| {
            let lines = body.strip_prefix(MARKER_HEADER)?.strip_prefix('\n')?;
            let lines: Vec<&str> = lines.split('\n').collect();
            let (test, folder, txtar) = match lines.as_slice() {
                [test, folder] => (test, folder, None),
                [test, folder, "kind=txtar", was] => {
                    (test, folder, Some(was.strip_prefix("was=")?))
                }
                _ => return None,
            };
            Some(Marker {
                test: test.strip_prefix("test=")?.into(),
                folder: folder.strip_prefix("folder=")?.into(),
                txtar: txtar.map(str::to_owned),
            })
        });
        fields.ok_or_else(|| {
            format!(
                "not a fixtree marker: expected the lines {MARKER_HEADER:?}, \"test=…\" and \
                 \"folder=…\" (then \"kind=txtar\" and \"was=…\" for a txtar file), found {:?}",
                text.chars().take(200).collect::<String>()
            )
        })
    }
}

/// Reads the file at `path` as text, never through a symbolic link and only
/// if it is a regular file (a fifo does not block), refusing one larger than
/// `limit` bytes: `path` may be anyone's, a checkout's or an archive's.
///
/// ```
/// use fixtree_runtime::cli::review::read_regular;
///
/// let dir = fixtree::tempdir()?;
/// let file = dir.path().join("a.rs");
/// std::fs::write(&file, "fn main() {}\n")?;
/// assert_eq!(read_regular(&file, 1024)?, "fn main() {}\n");
/// assert!(read_regular(&file, 4).is_err());
/// # #[cfg(unix)]
/// # {
/// std::os::unix::fs::symlink(&file, dir.path().join("link.rs"))?;
/// assert!(read_regular(&dir.path().join("link.rs"), 1024).is_err());
/// # }
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_regular(path: &Path, limit: u64) -> io::Result<String> {
    let fix = "; fixtree reads it only as a regular file, not through a link: remove it, or put \
               the file itself there";
    let file = open_regular(path, false, "read", fix)?;
    let mut text = String::new();
    file.take(limit.saturating_add(1))
        .read_to_string(&mut text)
        .at("read", path)?;
    if text.len() as u64 > limit {
        return Err(io_error!(
            InvalidData,
            "cannot read {}: it is larger than {limit} bytes, the most fixtree reads there",
            path.display()
        ));
    }
    Ok(text)
}

/// Opens `path` to `op` it, only as a regular file (a fifo does not block)
/// and never through a link; `fix`, said unless it is missing, says what to do.
fn open_regular(path: &Path, append: bool, op: &str, fix: &str) -> io::Result<fs::File> {
    crate::sys::open_regular(path, append).map_err(|e| {
        let fix = Some(fix).filter(|_| e.kind() != io::ErrorKind::NotFound);
        let message = format!("cannot {op} {}: {e}{}", path.display(), fix.unwrap_or(""));
        io::Error::new(e.kind(), message)
    })
}

/// Appended to a source file's name for its inline records.
pub const INLINE_SUFFIX: &str = ".fixtree-pending";

/// The pending sibling of the snapshot folder at `folder`.
pub(crate) fn folder_pending(folder: &Path) -> PathBuf {
    suffixed(folder, FOLDER_SUFFIX)
}

/// `path` with `suffix` appended to its name.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes what is at `path`, if anything: a stale pending folder or file.
/// A symbolic link is removed, never followed.
pub(crate) fn remove_stale(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        found => found.at("inspect", path).and_then(|_| remove_all(path)),
    }
}

/// Writes `pending` afresh: a copy of `folder` (when it exists) brought in
/// line with `actual` by update mode's own `write`, then the marker. Built
/// beside it in a staging folder of its own, locked while in use, and
/// renamed into place, so that tests failing at once against one folder
/// never see each other's half-written one: the last to finish wins.
/// Staging folders a killed run left (unlocked) are removed first.
pub(crate) fn record_folder(
    folder: &Path,
    pending: &Path,
    marker: &Marker,
    write: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let parent = pending.parent().expect("a pending folder has a parent");
    remove_stale_staging(parent)?;
    let (staging, _lock) = crate::fixture::retention::create_locked(parent, STAGING)?;
    if folder.is_dir() {
        // Exactly, `.keep` markers included: update mode marks only what it changes.
        crate::Tree::read(folder)?.write_to(staging.path())?;
    }
    write(staging.path())?;
    let path = staging.path().join(MARKER);
    fs::write(&path, marker.to_text()).at("write", &path)?;
    remove_stale(pending)?;
    match crate::sys::rename_noreplace(staging.path(), pending) {
        // Another test put its own there just now: the later one wins.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            remove_stale(pending)?;
            crate::sys::rename_noreplace(staging.path(), pending)
        }
        result => result,
    }
    .at(format!("rename {} to", staging.path().display()), pending)?;
    // Renamed: nothing left for the staging directory to remove.
    let _ = staging.keep();
    Ok(())
}

/// The would-be txtar file in a txtar file's pending folder.
pub const TXTAR_CONTENTS: &str = "contents.txtar";

/// The most a txtar file read for review may hold: a larger one is refused.
pub const TXTAR_LIMIT: u64 = 64 << 20;

/// The fingerprint of the txtar file at `file` (read as [`read_regular`]
/// reads, up to [`TXTAR_LIMIT`]), `none` if there is none: a pending
/// record carries it, and accepting checks it, so that a file changed
/// since is not overwritten.
///
/// ```
/// use fixtree_runtime::cli::review::txtar_fingerprint;
///
/// let dir = fixtree::tempdir()?;
/// let file = dir.path().join("a.txtar");
/// assert_eq!(txtar_fingerprint(&file)?, "none");
/// std::fs::write(&file, "-- a.txt --\nx\n")?;
/// assert_eq!(txtar_fingerprint(&file)?.len(), 16);
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg_attr(not(feature = "cli"), allow(dead_code))] // only `cargo fixtree` asks
pub fn txtar_fingerprint(file: &Path) -> io::Result<String> {
    Ok(fingerprint(read_txtar_text(file)?.as_deref()))
}

/// The text of the txtar file at `file`, `None` if there is none.
fn read_txtar_text(file: &Path) -> io::Result<Option<String>> {
    match read_regular(file, TXTAR_LIMIT) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        text => text.map(Some),
    }
}

fn fingerprint(text: Option<&str>) -> String {
    text.map_or_else(
        || "none".to_owned(),
        |text| format!("{:016x}", crate::hash::fnv1a(text.as_bytes())),
    )
}

/// [`record_folder`] for the txtar file `file` (`written` in `test`'s
/// assertion): the pending folder holds [`TXTAR_CONTENTS`], a copy of the
/// file that `update` then rewrites, and a marker with the file's fingerprint.
pub(crate) fn record_txtar(
    file: &Path,
    pending: &Path,
    test: &str,
    written: &str,
    update: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let old = read_txtar_text(file)?;
    let marker = Marker {
        test: test.to_owned(),
        folder: written.to_owned(),
        txtar: Some(fingerprint(old.as_deref())),
    };
    record_folder(file, pending, &marker, |staging| {
        let contents = staging.join(TXTAR_CONTENTS);
        if let Some(old) = &old {
            fs::write(&contents, old).at("write", &contents)?;
        }
        update(&contents)
    })
}

/// The unified diff of the txtar file `file` (empty if there is none) to
/// the [`TXTAR_CONTENTS`] of its pending folder `pending`, each read as
/// [`read_regular`] reads, up to [`TXTAR_LIMIT`]; `None` when they are equal.
///
/// ```
/// let root = fixtree::tempdir()?;
/// let file = root.path().join("snap.txtar");
/// std::fs::write(&file, "-- a.txt --\nold\n")?;
/// let pending = root.path().join("snap.txtar.pending");
/// std::fs::create_dir(&pending)?;
/// std::fs::write(pending.join("contents.txtar"), "-- a.txt --\nnew\n")?;
///
/// let diff = fixtree_runtime::cli::review::txtar_diff(&file, &pending)?.unwrap();
/// assert!(diff.ends_with("@@ -1,2 +1,2 @@\n -- a.txt --\n-old\n+new"), "{diff}");
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg_attr(not(feature = "cli"), allow(dead_code))] // only `cargo fixtree` asks
pub fn txtar_diff(file: &Path, pending: &Path) -> io::Result<Option<String>> {
    let contents = pending.join(TXTAR_CONTENTS);
    let new = read_regular(&contents, TXTAR_LIMIT)?;
    let old = read_txtar_text(file)?.unwrap_or_default();
    let hunks = super::describe::line_diff::hunks(&old, &new);
    let limit = super::limits::REPORT_LINES;
    Ok((!hunks.is_empty()).then(|| {
        let head = format!("--- {}\n+++ {}", file.display(), contents.display());
        // Capped as a report is: a record's file may be anyone's, and huge.
        let more = hunks.len().saturating_sub(limit);
        let tail = (more > 0).then(|| format!("… {more} more lines"));
        let lines = std::iter::once(head).chain(hunks.into_iter().take(limit));
        lines.chain(tail).collect::<Vec<_>>().join("\n")
    }))
}

/// Whether `name` is that of a staging folder: `.fixtree-pending.<random>`.
fn is_staging(name: &str) -> bool {
    name.strip_prefix(STAGING)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|random| {
            random.len() == DEFAULT_RAND_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes the staging folders in `dir` that no run holds: those a killed
/// run left. One locked, or empty and young (made, not yet locked), stays.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::create_dir_all(dir.path().join(".fixtree-pending.AbCdE12345/big"))?;
/// std::fs::create_dir(dir.path().join("kept.pending"))?;
/// fixtree_runtime::cli::review::remove_stale_staging(dir.path())?;
/// assert!(!dir.path().join(".fixtree-pending.AbCdE12345").exists());
/// assert!(dir.path().join("kept.pending").exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn remove_stale_staging(dir: &Path) -> io::Result<()> {
    let staging = |name: &str| is_staging(name).then_some(());
    for ((), path) in crate::temp::named_entries(dir, fs::FileType::is_dir, staging)? {
        crate::fixture::retention::remove_idle(&path)?;
    }
    Ok(())
}

/// Removes the pending folder `pending` of the snapshot folder `written` if
/// `test` recorded it: a pass of that test makes it stale. Another test's
/// stays for review.
pub(crate) fn remove_own_stale(pending: &Path, written: &str, test: &str) -> io::Result<()> {
    let text = match read_regular(&pending.join(MARKER), MARKER_LIMIT) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        text => text?,
    };
    match Marker::parse(&text) {
        Ok(marker) if marker.test == test && marker.folder == written => remove_stale(pending),
        _ => Ok(()),
    }
}

/// The report of what accepting the pending folder would change in the
/// snapshot folder `folder` (if it does not exist yet, each file of the
/// pending folder with its text, capped), or `None` when nothing would:
/// the pending folder, its marker and lone `.keep`
/// markers aside, compared byte for byte with the folder's, each file
/// streamed from disk (a huge one is never held in memory).
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
/// std::fs::write(pending.join(".fixtree-pending"), "fixtree-pending-folder 1\ntest=t\nfolder=snap\n")?;
///
/// let report = fixtree_runtime::cli::review::folder_diff(&folder, &pending, false)?.unwrap();
/// assert!(report.contains("~ a.txt"), "{report}");
/// assert!(report.contains("- empty"), "{report}");
/// assert!(!report.contains(".fixtree-pending"), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(not(feature = "cli"), allow(dead_code))] // only `cargo fixtree` asks
pub fn folder_diff(folder: &Path, pending: &Path, color: bool) -> io::Result<Option<String>> {
    let new = !folder.exists();
    let expected = match new {
        true => ExpectedTree::new(),
        false => ExpectedTree::from_snapshot(folder)?.exact_line_endings(),
    };
    let label = folder.display().to_string();
    let mut options = Options::of(CheckOptions::new(), label);
    // Streamed from the pending folder itself, read as a snapshot folder is.
    options.pending_marker = Some(MARKER);
    // Accepting is the fix, not pasting; a new folder shows each file.
    options.paste = false;
    options.expand_new = new;
    let Err(diff) = compare(pending, &expected, &options) else {
        return Ok(None);
    };
    Ok(Some(report(&diff.inner, color)))
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
    /// The fingerprint of the spec's tokens (`fixtree_rules::tokens`), which
    /// the record carries so that accepting it rewrites only this spec.
    pub tokens: &'a str,
}

impl SourceSpot<'_> {
    /// The source file on disk: `file!()` is relative to the workspace
    /// root, an ancestor of the crate's manifest directory (found as a
    /// snapshot folder is, so a relocated test finds its own checkout).
    pub(crate) fn source(&self) -> Option<PathBuf> {
        crate::locate::source_file(self.file, self.manifest_dir, self.package)
    }
}

/// The record file of the source file `source`.
pub(crate) fn inline_pending(source: &Path) -> PathBuf {
    suffixed(source, INLINE_SUFFIX)
}

/// One inline spec's pending change, as `cargo fixtree review` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineRecord {
    /// The line of the `assert_tree!` invocation, 1-based.
    pub line: u32,
    /// Its column, 1-based, in characters.
    pub column: u32,
    /// The fingerprint of the tokens of the `{ … }` it replaces: 16 hex digits.
    pub tokens: String,
    /// The test that recorded it: several (the cases of a parametrized
    /// test, tests sharing a helper) may record one position.
    pub test: String,
    /// The test's failure report, without colour.
    pub report: String,
    /// What accepting it changes in the `{ … }`, one edit per failing entry.
    pub edits: Vec<Edit>,
}

/// One change that accepting an inline record makes to the spec in the
/// source, at the entry whose `/`-separated key path is `path` (relative to
/// the `{ … }`): only failing entries are edited, so what the user wrote
/// elsewhere (order, comments, matchers, `..`) stays.
///
/// ```
/// use fixtree_runtime::cli::review::Edit;
///
/// let edit = Edit::Change { path: "src/lib.rs".into(), value: "\"fn f() {}\\n\"".into() };
/// assert!(matches!(edit, Edit::Change { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The entry's value becomes `value`.
    Change {
        /// The entry's key path.
        path: String,
        /// Spec text, unindented.
        value: String,
    },
    /// The entry, and every entry below it, goes.
    Remove {
        /// The entry's key path.
        path: String,
    },
    /// A new entry `path => value`, in the deepest level that covers its parent.
    Add {
        /// The new entry's key path.
        path: String,
        /// Spec text, unindented.
        value: String,
    },
    /// A difference fixtree does not rewrite.
    Manual {
        /// The entry's key path.
        path: String,
        /// What the user is to do, and why fixtree does not.
        reason: String,
    },
}

impl Edit {
    /// Its word in a record, its path, and its value (a manual one's reason).
    fn parts(&self) -> (&'static str, &str, &str) {
        match self {
            Edit::Change { path, value } => ("change", path, value),
            Edit::Remove { path } => ("remove", path, ""),
            Edit::Add { path, value } => ("add", path, value),
            Edit::Manual { path, reason } => ("manual", path, reason),
        }
    }

    /// The edit that [`parts`](Self::parts) gives these, if one does.
    fn from_parts(op: &str, path: &str, value: &str) -> Option<Edit> {
        let (path, value) = (path.to_owned(), value.to_owned());
        Some(match op {
            "change" => Edit::Change { path, value },
            "remove" if value.is_empty() => Edit::Remove { path },
            "add" => Edit::Add { path, value },
            "manual" => Edit::Manual {
                path,
                reason: value,
            },
            _ => return None,
        })
    }
}

/// The first word of a record of the current format.
const PENDING: &str = "fixtree-pending-2";
/// That of the first format, whose records held whole specs.
const PENDING_1: &str = "fixtree-pending";
const RESOLVED: &str = "fixtree-resolved";
/// The first word of an edit, inside a record.
const EDIT: &str = "edit";

impl InlineRecord {
    /// The record as appended to the file; [`parse_records`] reads it back.
    ///
    /// ```
    /// use fixtree_runtime::cli::review::{Edit, InlineRecord, parse_records};
    ///
    /// let record = InlineRecord {
    ///     line: 7,
    ///     column: 5,
    ///     tokens: "0123456789abcdef".into(),
    ///     test: "tests::converts".into(),
    ///     report: "report\n".into(),
    ///     edits: vec![Edit::Change { path: "a.txt".into(), value: "\"x\"".into() }],
    /// };
    /// assert_eq!(
    ///     record.to_text(),
    ///     "fixtree-pending-2 line=7 column=5 tokens=0123456789abcdef report=7 edits=39 test=tests::converts\n\
    ///      report\n\
    ///      edit op=change path=5 value=3\na.txt\"x\"\n\
    ///      \n"
    /// );
    /// assert_eq!(parse_records(&record.to_text())?, [record]);
    /// # Ok::<(), String>(())
    /// ```
    pub fn to_text(&self) -> String {
        let edits: String = (self.edits.iter().map(Edit::parts))
            .map(|(op, path, value)| {
                let (path_len, value_len) = (path.len(), value.len());
                format!("{EDIT} op={op} path={path_len} value={value_len}\n{path}{value}\n")
            })
            .collect();
        let report = &self.report;
        format!(
            "{PENDING} line={} column={} tokens={} report={} edits={} test={}\n{report}{edits}\n",
            self.line,
            self.column,
            self.tokens,
            report.len(),
            edits.len(),
            self.test
        )
    }
}

/// The most a record file may hold.
const RECORDS_LIMIT: u64 = 1 << 30;

/// Appends `text` with one write, creating the file if need be: never
/// through a link, and only to a regular file (a fifo does not block).
fn append(path: &Path, text: &str) -> io::Result<()> {
    let fix = "; fixtree writes records only to a regular file, never through a link: remove it \
               and run the test again";
    let mut file = open_regular(path, true, "append to the record file", fix)?;
    file.write_all(text.as_bytes()).at("append to", path)
}

/// Records `record` for the source file `source`.
pub(crate) fn record_inline(source: &Path, record: &InlineRecord) -> io::Result<()> {
    append(&inline_pending(source), &record.to_text())
}

/// Marks the record of `test` at `line`:`column` of `source` resolved, if
/// the source has a record file at all: the assertion passes now.
pub(crate) fn resolve_inline(source: &Path, line: u32, column: u32, test: &str) -> io::Result<()> {
    let path = inline_pending(source);
    let text = match read_regular(&path, RECORDS_LIMIT) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        text => text?,
    };
    let records =
        parse_records(&text).map_err(|e| io_error!(InvalidData, "{}: {e}", path.display()))?;
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
/// each test at each position only, resolved ones left out. The file may
/// be anyone's: anything but what [`InlineRecord::to_text`] writes (and
/// `fixtree-resolved` lines) is an error saying what is wrong, and so is a
/// record of an older or newer fixtree's format.
///
/// ```
/// use fixtree_runtime::cli::review::{Edit, parse_records};
///
/// let text = "fixtree-pending-2 line=3 column=5 tokens=0123456789abcdef report=3 edits=0 test=t\nbad\n\
///             fixtree-pending-2 line=9 column=1 tokens=0123456789abcdef report=0 edits=32 test=u\n\
///             edit op=remove path=1 value=0\na\n\n\
///             fixtree-resolved line=3 column=5\n";
/// let records = parse_records(text)?;
/// assert_eq!(records.len(), 1);
/// assert_eq!((records[0].line, records[0].test.as_str()), (9, "u"));
/// assert_eq!(records[0].edits, [Edit::Remove { path: "a".into() }]);
///
/// let older = "fixtree-pending line=3 column=5 tokens=0123456789abcdef report=0 spec=2 test=t\n{}\n";
/// assert!(parse_records(older).unwrap_err().contains("recorded by an older fixtree"));
/// # Ok::<(), String>(())
/// ```
pub fn parse_records(text: &str) -> Result<Vec<InlineRecord>, String> {
    let mut records: Vec<InlineRecord> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (mut header, after) = Header::first(rest)?;
        let kind = header.kind;
        match kind {
            PENDING | RESOLVED => {}
            PENDING_1 => {
                return Err(format!(
                    "{:?} was recorded by an older fixtree, which recorded whole specs: delete \
                     the record file and run the test again with FIXTREE_UPDATE=review",
                    header.line
                ));
            }
            _ if kind.starts_with("fixtree-") => {
                return Err(format!(
                    "{:?} was made by a newer fixtree: update cargo-fixtree",
                    header.line
                ));
            }
            _ => return Err(format!("{:?} is not a fixtree record", header.line)),
        }
        let whole = header.line;
        // 1-based: a 0 is garbled, and would underflow where it is used.
        let position = |value: &str| {
            (value.parse().ok().filter(|n: &u32| *n > 0))
                .ok_or_else(|| format!("{value:?} is not a line or column, in {whole:?}"))
        };
        let line = position(header.field("line")?)?;
        let column = position(header.field("column")?)?;
        let test = whole.split_once(" test=").map(|(_, test)| test);
        // A later record wins; a resolved one without a test (an older
        // record) resolves every test's at the position.
        records
            .retain(|r| (r.line, r.column) != (line, column) || test.is_some_and(|t| t != r.test));
        if kind == RESOLVED {
            rest = after;
            continue;
        }
        let tokens = header.field("tokens")?;
        if tokens.len() != 16 || !tokens.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{tokens:?} is not a fingerprint of 16 hex digits, in {:?}; the record is \
                 garbled: run the test again with FIXTREE_UPDATE=review",
                header.line
            ));
        }
        let lengths = [header.number("report")?, header.number("edits")?];
        let test = test.ok_or_else(|| format!("expected test=… in {whole:?}"))?;
        let ([report, edits], after) = header.body(after, lengths)?;
        records.push(InlineRecord {
            line,
            column,
            tokens: tokens.to_owned(),
            test: test.to_owned(),
            report: report.to_owned(),
            edits: parse_edits(edits)?,
        });
        rest = after;
    }
    Ok(records)
}

/// The edits of a record, as [`InlineRecord::to_text`] writes them. The
/// path of one to apply must be a key (`fixtree_rules`): a record may be
/// hostile, and the CLI writes what it says into a source file.
fn parse_edits(mut text: &str) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    while !text.is_empty() {
        let (mut header, after) = Header::first(text)?;
        if header.kind != EDIT {
            return Err(format!("{:?} is not an edit of a record", header.line));
        }
        let op = header.field("op")?;
        let lengths = [header.number("path")?, header.number("value")?];
        let ([path, value], after) = header.body(after, lengths)?;
        let edit = Edit::from_parts(op, path, value)
            .ok_or_else(|| format!("{:?} is not an edit of a record", header.line))?;
        let checked = match edit {
            // Only shown, never applied: a name no key can give is said so.
            Edit::Manual { .. } => (!path.is_empty() && !path.contains(char::is_control))
                .then_some(())
                .ok_or_else(|| "a path to show must be one line of text".to_owned()),
            _ => fixtree_rules::segments(path)
                .map(drop)
                .map_err(|e| e.to_string()),
        };
        checked.map_err(|e| format!("in the edit {:?} of a record: {e}", header.line))?;
        edits.push(edit);
        text = after;
    }
    Ok(edits)
}

/// The first line of a record or an edit, read a field at a time, in order.
struct Header<'t> {
    line: &'t str,
    kind: &'t str,
    words: std::str::Split<'t, char>,
}

impl<'t> Header<'t> {
    /// The header that starts `text`, and the text after its line.
    fn first(text: &'t str) -> Result<(Header<'t>, &'t str), String> {
        let (line, after) = (text.split_once('\n'))
            .ok_or_else(|| format!("a record header without its end: {text:?}"))?;
        let mut words = line.split(' ');
        let kind = words.next().unwrap_or_default();
        Ok((Header { line, kind, words }, after))
    }

    /// The value of the next field, which must be `name`.
    fn field(&mut self, name: &str) -> Result<&'t str, String> {
        (self.words.next())
            .and_then(|word| word.strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| format!("expected {name}=… in the record header {:?}", self.line))
    }

    /// The next field, `name`, as a length in bytes.
    fn number(&mut self, name: &str) -> Result<usize, String> {
        let value = self.field(name)?;
        (value.parse()).map_err(|_| format!("{value:?} is not a number, in {:?}", self.line))
    }

    /// The parts of the body after the header, of these lengths in bytes
    /// and then a newline, and the text after it.
    fn body<const N: usize>(
        &self,
        mut text: &'t str,
        lengths: [usize; N],
    ) -> Result<([&'t str; N], &'t str), String> {
        let cut = || format!("the record {:?} is cut short or garbled", self.line);
        let mut parts = [""; N];
        for (part, len) in parts.iter_mut().zip(lengths) {
            // `None` past the end or inside a character.
            *part = text.get(..len).ok_or_else(cut)?;
            text = &text[len..];
        }
        Ok((parts, text.strip_prefix('\n').ok_or_else(cut)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_txtar_diff_is_capped_as_a_report_is() {
        let dir = crate::tempdir().unwrap();
        let (file, pending) = (
            dir.path().join("a.txtar"),
            dir.path().join("a.txtar.pending"),
        );
        let lines = |word: &str| {
            (0..2000)
                .map(|i| format!("{word} {i}\n"))
                .collect::<String>()
        };
        std::fs::write(&file, format!("-- a.txt --\n{}", lines("old"))).unwrap();
        std::fs::create_dir(&pending).unwrap();
        std::fs::write(
            pending.join(TXTAR_CONTENTS),
            format!("-- a.txt --\n{}", lines("new")),
        )
        .unwrap();
        let diff = txtar_diff(&file, &pending).unwrap().unwrap();
        // The two file names, the lines, and how many more.
        assert_eq!(diff.lines().count(), super::super::limits::REPORT_LINES + 3);
        assert!(diff.ends_with("more lines"), "{diff}");
    }

    fn record(line: u32, test: &str, value: &str) -> InlineRecord {
        InlineRecord {
            line,
            column: 5,
            tokens: "0123456789abcdef".to_owned(),
            test: test.to_owned(),
            report: "report\n".to_owned(),
            edits: vec![Edit::Change {
                path: "a.txt".to_owned(),
                value: value.to_owned(),
            }],
        }
    }

    #[test]
    fn each_test_keeps_its_own_record_at_a_shared_position() {
        let text = [
            record(3, "t::case_1", "\"one\"").to_text(),
            record(3, "t::case_2", "\"two\"").to_text(),
            record(3, "t::case_1", "\"one again\"").to_text(),
            format!("{RESOLVED} line=3 column=5 test=t::case_2\n"),
        ]
        .concat();
        assert_eq!(
            parse_records(&text).unwrap(),
            [record(3, "t::case_1", "\"one again\"")]
        );
        // A resolved line without a test (an older record) resolves them all.
        let all = format!("{text}{RESOLVED} line=3 column=5\n");
        assert_eq!(parse_records(&all).unwrap(), []);
    }

    #[test]
    fn every_edit_and_any_text_in_it_reads_back_as_written() {
        let path = |p: &str| p.to_owned();
        let mut all = record(1, "t", "{\n    \"é\" => \"x\\n\",\n}");
        all.report = "line\nédit op=change\n\n".to_owned();
        all.edits.extend([
            Edit::Remove {
                path: path("gone/deep"),
            },
            Edit::Add {
                path: path("new.txt"),
                value: "exec(\"#!/bin/sh\\n\")".to_owned(),
            },
            Edit::Manual {
                path: path("a\\b"),
                reason: "edit op=remove path=1\n".to_owned(),
            },
        ]);
        let none = InlineRecord {
            edits: Vec::new(),
            ..record(2, "u", "")
        };
        let text = all.to_text() + &none.to_text();
        assert_eq!(parse_records(&text).unwrap(), [all, none]);
    }

    #[test]
    fn a_record_of_another_format_says_what_to_do() {
        let older =
            "fixtree-pending line=3 column=5 tokens=0123456789abcdef report=0 spec=2 test=t\n{}\n";
        let newer = "fixtree-pending-3 line=3 column=5 whatever\n";
        let error =
            parse_records(&format!("{}{older}", record(1, "t", "1").to_text())).unwrap_err();
        assert_eq!(
            error,
            format!(
                "{:?} was recorded by an older fixtree, which recorded whole specs: delete the \
                 record file and run the test again with FIXTREE_UPDATE=review",
                older.lines().next().unwrap()
            )
        );
        assert_eq!(
            parse_records(newer).unwrap_err(),
            "\"fixtree-pending-3 line=3 column=5 whatever\" was made by a newer fixtree: update \
             cargo-fixtree"
        );
    }

    #[test]
    fn a_garbled_record_file_is_an_error_not_a_panic() {
        let header = "fixtree-pending-2 line=1 column=1 tokens=0123456789abcdef";
        let edit = |op: &str, path: &str, value: &str| {
            let body = format!(
                "edit op={op} path={} value={}\n{path}{value}\n",
                path.len(),
                value.len()
            );
            format!("{header} report=0 edits={} test=t\n{body}\n", body.len())
        };
        for text in [
            format!("{header} report=1 edits=0 test=t\né\n"),
            format!("{header} report=18446744073709551615 edits=1 test=t\nx\n"),
            format!("{header} report=5 edits=0 test=t\nab\n"),
            format!("{header} report=0 edits=0 test=t\nx\n"),
            format!("{header} report=0 test=t\n\n"),
            "fixtree-pending-2 line=99999999999 column=1 tokens=0123456789abcdef report=0 edits=0 test=t\n\n".to_owned(),
            "fixtree-pending-2 line=0 column=1 tokens=0123456789abcdef report=0 edits=0 test=t\n\n".to_owned(),
            "fixtree-pending-2 line=1 column=0 tokens=0123456789abcdef report=0 edits=0 test=t\n\n".to_owned(),
            "fixtree-pending-2 line=1 column=1 tokens=xyz report=0 edits=0 test=t\n\n".to_owned(),
            "fixtree-pending-2 line=1 column=1 report=0 edits=0 test=t\n\n".to_owned(),
            "fixtree-pending-2 line=1".to_owned(),
            "not-fixtree line=1 column=1\n".to_owned(),
            // Edits: a key no spec takes, an unknown op, a remove with a
            // value, a manual one without a path, lengths past the record's.
            edit("change", "../up", "\"x\""),
            edit("add", "/etc/passwd", "\"x\""),
            edit("change", "a\\b", "\"x\""),
            edit("remove", "", ""),
            edit("rename", "a", "b"),
            edit("remove", "a", "x"),
            edit("manual", "", "why"),
            edit("manual", "a\u{1b}[2J", "why"),
            format!("{header} report=0 edits=31 test=t\nedit op=remove path=9 value=0\na\n\n"),
            format!("{header} report=0 edits=16 test=t\nremove path=1 a\n\n"),
        ] {
            assert!(parse_records(&text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_pass_removes_only_the_pending_folder_its_own_test_recorded() {
        let root = crate::tempdir().unwrap();
        let folder = root.path().join("snap");
        let pending = folder_pending(&folder);
        let marker = |test: &str| Marker {
            txtar: None,
            test: test.to_owned(),
            folder: "snap".to_owned(),
        };
        record_folder(&folder, &pending, &marker("t::case_1"), |dir| {
            fs::write(dir.join("a.txt"), "new")
        })
        .unwrap();
        remove_own_stale(&pending, "snap", "t::case_2").unwrap();
        assert_eq!(fs::read_to_string(pending.join("a.txt")).unwrap(), "new");
        remove_own_stale(&pending, "other", "t::case_1").unwrap();
        assert!(
            pending.exists(),
            "a marker naming another folder is not this one's"
        );
        remove_own_stale(&pending, "snap", "t::case_1").unwrap();
        assert!(!pending.exists());
        // Recording again replaces the old one whole, and leaves nothing beside it.
        for content in ["first", "second"] {
            record_folder(&folder, &pending, &marker("t"), |dir| {
                fs::write(dir.join("b.txt"), content)
            })
            .unwrap();
        }
        assert_eq!(fs::read_to_string(pending.join("b.txt")).unwrap(), "second");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
