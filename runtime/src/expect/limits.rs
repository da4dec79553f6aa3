//! How much a comparison reads and a report shows, at most: a report is
//! read by a person in seconds, whatever the files hold, and a comparison's
//! memory does not grow with the size of a file.

/// Bytes of a file read for a `contains`/`matches` matcher or a text diff:
/// logs and generated sources are far smaller, and a line diff of two such
/// files takes well under a second. Larger files are compared by streaming,
/// and the report says they were too large to show.
pub(crate) const TEXT_BYTES: u64 = 4 << 20;
/// Bytes of each file at most that a comparison reads whole; larger ones
/// are compared a chunk at a time, so that memory stays bounded.
pub(crate) const WHOLE_READ: u64 = 1 << 20;
/// Characters of a line shown, around its first difference: two screen
/// widths, enough to see what differs in context.
pub(crate) const LINE_CHARS: usize = 200;
/// Lines of unified diff (or of a file's excerpt) shown per file.
pub(crate) const DIFF_LINES: usize = 40;
/// Differences given a diff or excerpt; the others get their one line only.
/// Ten files' worth of diff is as much as anyone reads before fixing the first.
pub(crate) const DETAILED: usize = 10;
/// Differences listed one per line before "… N more differences".
pub(crate) const LISTED: usize = 100;
/// Lines of the whole report before it is cut.
pub(crate) const REPORT_LINES: usize = 400;
/// Bytes of the whole report before it is cut: long paths or names can make
/// lines long even when every part is capped in lines.
pub(crate) const REPORT_BYTES: usize = 64 << 10;
/// Entries of the paste-ready actual tree: about a screen.
pub(crate) const SPEC_ENTRIES: usize = 60;
/// Files larger than this show as `any()` in the paste-ready tree.
pub(crate) const SPEC_FILE_BYTES: u64 = 2048;
/// Entries of the spec review mode records for an inline `assert_tree!`:
/// an inline spec is source someone reads, and a larger tree belongs in a
/// snapshot folder (`from = "…"`), which review mode records as a folder.
pub(crate) const RECORD_ENTRIES: usize = 1000;
/// Bytes of that spec, its files' contents and indentation included: a
/// deep tree's indentation grows with the square of its depth.
pub(crate) const RECORD_BYTES: usize = 256 << 10;
