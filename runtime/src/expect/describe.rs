//! One difference in words: the line the tree view shows for it, and the
//! diff or excerpt that follows, read from the files within the caps of
//! [`limits`](super::limits).
//!
//! A diff compares text with CRLF read as LF: a `\r` is invisible, and a
//! file whose line endings differ would otherwise show every line changed.
//! Where the comparison counts line endings, the file's line says how they
//! differ.
//!
//! The directory's own path shows as `[ROOT]` in diffs and excerpts, so
//! that a report reads the same in every run (the report's first line names
//! it). Not in the window around a difference in a file too large to diff:
//! it is shown from a byte offset, which the path's length would shift.

use std::io;

use super::contents::{Given, Source};
use super::limits::{DIFF_LINES, LINE_CHARS, TEXT_BYTES};
use super::pattern::{self, normalize};
use super::root::{Root, TOKEN};
use super::{LineEndings, Wanted};
use crate::hash::fnv1a;
use crate::spec::Matcher;
use crate::tree::{Event, Size, TreeNode, as_text, kind, to_lf};
use crate::walk::EntryType;

pub(crate) mod line_diff;

/// A line of the tree view, and the lines shown after it.
pub(crate) type Described = (String, Vec<String>);

/// How an excerpt of a file starts, which a diff never does (a diff's first
/// line names the expected side): the lines after it are the file's text.
pub(crate) const EXCERPT_HEADER: &str = "--- actual/";

/// What is missing: "file (13 B)", "directory (2 files)", …
pub(crate) fn expected<N: TreeNode>(want: &Wanted<'_, N>) -> String {
    match want {
        Wanted::File(Given::Bytes(bytes), _) => format!("file ({})", Size(bytes.len() as u64)),
        Wanted::File(Given::Stored(_, len), _) => format!("file ({})", Size(*len)),
        Wanted::Symlink(target) => format!("symlink to {}", target.display()),
        Wanted::Dir(tree) => {
            let leaves = tree.visit().filter(|e| matches!(e, Event::Leaf(..)));
            format!("directory ({})", files(leaves.count()))
        }
        Wanted::Matcher(Matcher::Contains(needle)) => format!("file (to contain {needle:?})"),
        Wanted::Matcher(Matcher::Matches(_)) => "file (to match a pattern)".to_owned(),
        Wanted::Matcher(Matcher::Any | Matcher::Absent) => expected_kind(want).to_owned(),
    }
}

/// What kind of entry `want` expects: "file", "directory", …
pub(crate) fn expected_kind<N: TreeNode>(want: &Wanted<'_, N>) -> &'static str {
    match want {
        Wanted::File(..) | Wanted::Matcher(Matcher::Contains(_) | Matcher::Matches(_)) => "file",
        Wanted::Symlink(_) => "symlink",
        Wanted::Dir(_) => "directory",
        Wanted::Matcher(Matcher::Any | Matcher::Absent) => "entry",
    }
}

/// What is there unexpectedly; `files` counts a directory's files.
pub(crate) fn found(found: &EntryType, files_in_dir: usize) -> String {
    match found {
        EntryType::File { len, .. } => format!("file ({})", Size(*len)),
        EntryType::Symlink(target) => format!("symlink to {}", target.display()),
        EntryType::Dir => format!("directory ({})", files(files_in_dir)),
    }
}

/// A file whose bytes differ, first at byte `at`; `detailed` reads what
/// a diff needs, else the sizes and `at` say it all.
pub(crate) fn content(
    path: &str,
    expected: Source<'_>,
    actual: Source<'_>,
    at: u64,
    line_endings: LineEndings,
    detailed: bool,
    root: &Root,
) -> io::Result<Described> {
    let (old, new, first) = (Size(expected.len()), Size(actual.len()), thousands(at));
    let overview =
        format!("content differs: expected {old}, found {new}, first difference at byte {first}");
    if !detailed {
        return Ok((overview, Vec::new()));
    }
    let [old, new] = [expected, actual].map(|side| side.read_up_to(TEXT_BYTES));
    if let (Some(old), Some(new)) = (old?, new?) {
        return Ok(match (as_text(&old), as_text(&new)) {
            (Some(old), Some(new)) => {
                let (shown_old, shown_new) = redacted(old, new, root);
                let diff = text_diff("expected", path, &shown_old, &shown_new);
                (describe_text(old, new, line_endings), diff)
            }
            _ => (describe_binary(&old, &new, at), Vec::new()),
        });
    }
    // Too large to diff: the bytes around the first difference, if text.
    let start = at.saturating_sub(LINE_CHARS as u64 / 4);
    let old = expected.read_at(start, LINE_CHARS as u64)?;
    let new = actual.read_at(start, LINE_CHARS as u64)?;
    let limit = Size(TEXT_BYTES);
    let description = format!("{overview} (too large to diff: a diff reads at most {limit})");
    if old.contains(&0) || new.contains(&0) {
        return Ok((description, Vec::new()));
    }
    let shown = cut_line(path, usize::MAX);
    let from = format!("{shown}, from byte {}", thousands(start));
    let window = |marker: char, bytes: &[u8], len: u64| {
        let shown: String = String::from_utf8_lossy(bytes).escape_debug().collect();
        let before = if start > 0 { "…" } else { "" };
        let after = (start + (bytes.len() as u64) < len).then_some("…");
        format!("{marker}{before}{shown}{}", after.unwrap_or_default())
    };
    let details = vec![
        format!("--- expected/{from}"),
        format!("+++ actual/{from}"),
        window('-', &old, expected.len()),
        window('+', &new, actual.len()),
    ];
    Ok((description, details))
}

/// A file that fails a `contains` or `matches`; `None` if it passes.
pub(crate) fn matcher(
    path: &str,
    matcher: &Matcher,
    actual: Source<'_>,
    detailed: bool,
    root: &Root,
) -> io::Result<Option<Described>> {
    let Some(contents) = actual.read_up_to(TEXT_BYTES)? else {
        let (len, cap) = (Size(actual.len()), Size(TEXT_BYTES));
        let what = format!("too large for a matcher ({len}; a matcher reads at most {cap})");
        return Ok(Some((what, Vec::new())));
    };
    let Ok(text) = std::str::from_utf8(&contents) else {
        return Ok(Some(("is not UTF-8 text".to_owned(), Vec::new())));
    };
    let (fits, mut what, wanted) = match matcher {
        Matcher::Contains(needle) => (
            pattern::contains(needle, text, root),
            format!("does not contain {needle:?}"),
            needle,
        ),
        Matcher::Matches(pattern) => (
            pattern::matches(pattern, text, root),
            "does not match the pattern".to_owned(),
            pattern,
        ),
        Matcher::Any | Matcher::Absent => unreachable!("these need no contents"),
    };
    if fits {
        return Ok(None);
    }
    // What a glob or a regex would have meant, in a pattern's terms.
    match matcher {
        Matcher::Matches(_) if pattern::has_foreign_wildcards(wanted) => {
            what += " (patterns are not globs or regexes: [..] matches any text within a line, \
                     a line of ... any number of lines)";
        }
        Matcher::Contains(_)
            if pattern::has_foreign_wildcards(wanted) || wanted.contains("[..]") =>
        {
            what += " (contains(…) is literal text; for wildcards use matches(…) with [..])";
        }
        _ => {}
    }
    // A diff would show the placeholder on both sides, as if they were equal.
    if wanted.contains(TOKEN) && text.contains(TOKEN) {
        what += " (the file holds the text [ROOT] itself, and [ROOT] stands only for the \
                 directory compared)";
    }
    let details = match matcher {
        _ if !detailed || as_text(&contents).is_none() => Vec::new(),
        // Lines the pattern matches, `...` too, show as it has them: only real differences remain.
        Matcher::Matches(pattern) => {
            let normalized = normalize(pattern, text, root);
            text_diff("pattern", path, &root.redact(pattern), &normalized)
        }
        _ => {
            let mut lines = vec![format!("{EXCERPT_HEADER}{}", cut_line(path, usize::MAX))];
            let text = root.redact(text);
            lines.extend(capped(text.lines().map(|line| cut_line(line, 0))));
            lines
        }
    };
    Ok(Some((what, details)))
}

/// A file where nothing is expected, in a new folder: its size, and its text
/// as a diff from nothing shows it (a binary file's hash instead); past
/// `detailed`, its size alone, and the file is not read.
pub(crate) fn new_file(
    path: &str,
    actual: Source<'_>,
    detailed: bool,
    root: &Root,
) -> io::Result<Described> {
    let size = Size(actual.len());
    let said = format!("new file ({size})");
    if !detailed || actual.len() == 0 {
        return Ok((said, Vec::new()));
    }
    let Some(bytes) = actual.read_up_to(TEXT_BYTES)? else {
        let cap = Size(TEXT_BYTES);
        let what = format!("new file ({size}, too large to show: a report reads at most {cap})");
        return Ok((what, Vec::new()));
    };
    let Some(text) = as_text(&bytes) else {
        let what = format!("new binary file, {}", sized_hash(&bytes));
        return Ok((what, Vec::new()));
    };
    let path = cut_line(path, usize::MAX);
    let mut lines = vec!["--- /dev/null".to_owned(), format!("+++ new/{path}")];
    let text = root.redact(text);
    lines.extend(capped(
        text.lines().map(|line| format!("+{}", cut_line(line, 0))),
    ));
    Ok((said, lines))
}

/// What differs in a text file: its content, its line endings, or both.
fn describe_text(expected: &str, actual: &str, line_endings: LineEndings) -> String {
    if to_lf(expected) == to_lf(actual) {
        // Only the line endings: an exact comparison. Where the bytes first
        // differ, one side has the CR of a CRLF and the other the LF alone.
        let mut pairs = expected.bytes().zip(actual.bytes());
        let at = pairs.position(|(old, new)| old != new).unwrap_or(0);
        let line = expected[..at].matches('\n').count() + 1;
        let ending = |text: &str| match text.as_bytes().get(at) {
            Some(b'\r') => "CRLF",
            _ => "LF",
        };
        return format!(
            "line endings differ, first on line {line}: expected {}, found {}",
            ending(expected),
            ending(actual)
        );
    }
    match (line_endings, kind(expected), kind(actual)) {
        (LineEndings::Exact, Some(old), Some(new)) if old != new => {
            format!("content differs, and line endings: expected {old}, found {new}")
        }
        _ => "content differs".to_owned(),
    }
}

fn describe_binary(expected: &[u8], actual: &[u8], at: u64) -> String {
    let (old, new, at) = (sized_hash(expected), sized_hash(actual), thousands(at));
    format!("binary content differs: expected {old}, found {new}, first difference at byte {at}")
}

/// "700 B (hash b7616c12)": 32 bits of FNV-1a, enough to tell two files
/// apart at a glance, and the same on every machine and Rust version.
fn sized_hash(bytes: &[u8]) -> String {
    format!(
        "{} (hash {:08x})",
        Size(bytes.len() as u64),
        fnv1a(bytes) >> 32
    )
}

/// Expected and actual text as a diff shows them: LF line endings, and the
/// root as `[ROOT]` unless that hides what differs (one side has the path
/// as given, the other resolved).
fn redacted(old: &str, new: &str, root: &Root) -> (String, String) {
    let (old, new) = (to_lf(old), to_lf(new));
    let shown = (root.redact(&old), root.redact(&new));
    if shown.0 == shown.1 {
        return (old.into_owned(), new.into_owned());
    }
    (shown.0.into_owned(), shown.1.into_owned())
}

/// The unified diff of two texts, capped in lines and each line cut around
/// where it differs from its counterpart.
fn text_diff(label: &str, path: &str, old: &str, new: &str) -> Vec<String> {
    let hunks = line_diff::hunks(old, new);
    if hunks.is_empty() {
        return hunks;
    }
    // A long path shows its end, where the file's name is.
    let path = cut_line(path, usize::MAX);
    let mut shown = vec![format!("--- {label}/{path}"), format!("+++ actual/{path}")];
    shown.extend(capped(cut_hunks(&hunks)));
    shown
}

/// Diff lines cut to [`LINE_CHARS`]: a removed line and the added line that
/// takes its place (the k-th of a run of each, between context lines) are
/// cut around the column where they first differ, other lines from their
/// start.
fn cut_hunks(lines: &[String]) -> Vec<String> {
    let mut columns = vec![0; lines.len()];
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    // A context line at the end closes the last run.
    for (i, line) in lines.iter().map(String::as_str).chain([" "]).enumerate() {
        match line.as_bytes().first() {
            Some(b'-') => removed.push(i),
            Some(b'+') => added.push(i),
            Some(b'\\') => {}
            _ => {
                for (&old, &new) in removed.iter().zip(&added) {
                    let (old_chars, new_chars) = (lines[old][1..].chars(), lines[new][1..].chars());
                    let at = old_chars.zip(new_chars).take_while(|(a, b)| a == b).count();
                    columns[old] = at;
                    columns[new] = at;
                }
                removed.clear();
                added.clear();
            }
        }
    }
    // Every line starts with its one-byte marker.
    let cut = |(line, at): (&String, usize)| {
        let (marker, rest) = line.split_at(1);
        format!("{marker}{}", cut_line(rest, at))
    };
    lines.iter().zip(columns).map(cut).collect()
}

/// `line`, cut to [`LINE_CHARS`] characters around character `around`
/// (a quarter before it), saying how many bytes were left out on each side.
fn cut_line(line: &str, around: usize) -> String {
    let count = line.chars().count();
    if count <= LINE_CHARS {
        return line.to_owned();
    }
    let first = around
        .saturating_sub(LINE_CHARS / 4)
        .min(count - LINE_CHARS);
    let byte = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(at, _)| at)
    };
    let (start, end) = (byte(first), byte(first + LINE_CHARS));
    let before = match start {
        0 => String::new(),
        n => format!("[… {} bytes] ", thousands(n as u64)),
    };
    let after = match line.len() - end {
        0 => String::new(),
        n => format!(" [… {} more bytes on this line]", thousands(n as u64)),
    };
    format!("{before}{}{after}", &line[start..end])
}

/// The first [`DIFF_LINES`] lines, then how many more there were.
fn capped(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut lines = lines.into_iter();
    let mut shown: Vec<String> = lines.by_ref().take(DIFF_LINES).collect();
    let more = lines.count();
    if more > 0 {
        shown.push(format!("… {more} more lines"));
    }
    shown
}

/// "1 file", "2 files".
fn files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

/// `n` with thousands separated: a byte offset people can read.
pub(crate) fn thousands(n: u64) -> String {
    match n {
        0..1000 => n.to_string(),
        _ => format!("{},{:03}", thousands(n / 1000), n % 1000),
    }
}
