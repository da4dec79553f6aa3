//! The report of a tree mismatch: a tree view of what differs, a unified
//! diff per changed text file, sizes and hashes for binary files, and the
//! actual tree as spec text to paste. Markers carry the meaning; colour is
//! only an aid, used where the terminal takes it.
//!
//! A diff compares text with CRLF read as LF: a `\r` is invisible, and a
//! file whose line endings differ would otherwise show every line changed.
//! Where the comparison counts line endings, the file's line says how they
//! differ.

use std::fmt::{self, Write};

use similar::TextDiff;

use super::compare::{DiffData, Difference, Mismatch, expected_kind};
use super::line_endings::{as_text, kind, to_lf};
use super::pattern::normalize;
use super::{Expect, ExpectedTree, LineEndings, ModeCheck};
use crate::hash::fnv1a;
use crate::spec::Matcher;
use crate::tree::{Node, Size, Tree, write_spec};

/// Lines of unified diff shown per file.
const DIFF_LINES: usize = 40;
/// Lines of the whole report before it is cut.
const REPORT_LINES: usize = 400;
/// Lines of the paste-ready actual tree.
const SPEC_LINES: usize = 60;
/// Files larger than this show as `any()` in the paste-ready tree.
const SPEC_FILE_BYTES: usize = 2048;

pub(crate) fn write_report(diff: &DiffData, out: &mut impl Write, color: bool) -> fmt::Result {
    let paint = Paint(color);
    let mut text = String::new();
    writeln!(
        text,
        "tree mismatch: {} vs {}",
        diff.root.display(),
        diff.label
    )?;
    if let Some(error) = &diff.error {
        writeln!(text, "{error}")?;
        return out.write_str(&text);
    }
    writeln!(text, "{}", summary(diff))?;
    let width = diff
        .differences
        .iter()
        .map(|d| d.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for difference in &diff.differences {
        let (marker, description) = describe(difference);
        let line = format!("{marker} {:<width$}  {description}", difference.path);
        writeln!(text, "{}", paint.marker(marker, &line))?;
    }
    for difference in &diff.differences {
        write_details(difference, &mut text, paint)?;
    }
    if let Some(actual) = &diff.actual {
        writeln!(text, "actual tree, to paste into the test:")?;
        let mut spec = String::new();
        write_spec(actual, &mut spec, true, Some(SPEC_FILE_BYTES))?;
        writeln!(text, "{}", cap_lines(&spec, SPEC_LINES))?;
    }
    if let Some(hint) = &diff.update_hint {
        writeln!(text, "{hint}")?;
    }
    out.write_str(cap_lines(&text, REPORT_LINES).trim_end())
}

/// "1 missing, 2 changed (12 matched, 2 ignored)".
fn summary(diff: &DiffData) -> String {
    let mut counts = [
        ("missing", 0),
        ("unexpected", 0),
        ("changed", 0),
        ("kind changed", 0),
    ];
    for difference in &diff.differences {
        let slot = match difference.mismatch {
            Mismatch::Missing(_) => 0,
            Mismatch::Unexpected(_) | Mismatch::Present(_) => 1,
            Mismatch::Content { .. }
            | Mismatch::Mode { .. }
            | Mismatch::Target { .. }
            | Mismatch::Text { .. } => 2,
            Mismatch::Retyped { .. } => 3,
        };
        counts[slot].1 += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    format!(
        "{} ({} matched, {} ignored)",
        parts.join(", "),
        diff.matched,
        diff.ignored
    )
}

/// The marker and the one-line description of a difference.
fn describe(difference: &Difference) -> (char, String) {
    match &difference.mismatch {
        Mismatch::Missing(want) => ('-', format!("missing {}", describe_expected(want))),
        Mismatch::Unexpected(node) => ('+', format!("unexpected {}", describe_node(node))),
        Mismatch::Present(node) => (
            '+',
            format!("unexpected {}, expected absent", describe_node(node)),
        ),
        Mismatch::Content {
            expected,
            actual,
            line_endings,
        } => match (as_text(expected), as_text(actual)) {
            (Some(old), Some(new)) => ('~', describe_text(old, new, *line_endings)),
            _ => ('~', describe_binary(expected, actual)),
        },
        Mismatch::Mode { expected, actual } => {
            let want = match expected {
                ModeCheck::Exact(bits) => format!("{bits:04o}"),
                ModeCheck::Executable(true) => "executable".to_owned(),
                ModeCheck::Executable(false) => "not executable".to_owned(),
                ModeCheck::Any => "any".to_owned(),
            };
            ('~', format!("mode {actual:04o}, expected {want}"))
        }
        Mismatch::Target { expected, actual } => (
            '~',
            format!(
                "symlink to {}, expected {}",
                actual.display(),
                expected.display()
            ),
        ),
        Mismatch::Text { matcher, actual } => {
            let what = match (matcher, as_text(actual)) {
                (_, None) => "is not UTF-8 text".to_owned(),
                (Matcher::Contains(needle), _) => format!("does not contain {needle:?}"),
                _ => "does not match the pattern".to_owned(),
            };
            ('~', what)
        }
        Mismatch::Retyped { expected, actual } => {
            ('!', format!("expected {expected}, found {actual}"))
        }
    }
}

fn describe_expected(want: &Expect) -> String {
    match want {
        Expect::File { contents, .. } => format!("file ({})", size(contents.len())),
        Expect::Symlink { target } => format!("symlink to {}", target.display()),
        Expect::Dir(tree) => format!("directory ({})", files(count_expected(tree))),
        Expect::Matcher(Matcher::Contains(needle)) => format!("file (to contain {needle:?})"),
        Expect::Matcher(Matcher::Matches(_)) => "file (to match a pattern)".to_owned(),
        Expect::Matcher(Matcher::Any | Matcher::Absent) => expected_kind(want).to_owned(),
    }
}

fn describe_node(node: &Node) -> String {
    match node {
        Node::File { contents, .. } => format!("file ({})", size(contents.len())),
        Node::Symlink { target } => format!("symlink to {}", target.display()),
        Node::Dir(tree) => format!("directory ({})", files(count_files(tree))),
    }
}

/// What differs in a text file: its content, its line endings, or both.
fn describe_text(expected: &str, actual: &str, line_endings: LineEndings) -> String {
    if to_lf(expected) == to_lf(actual) {
        // Only the line endings: an exact comparison. Where the bytes first
        // differ, one side has the CR of a CRLF and the other the LF alone.
        let at = expected
            .bytes()
            .zip(actual.bytes())
            .position(|(old, new)| old != new)
            .unwrap_or(0);
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

fn describe_binary(expected: &[u8], actual: &[u8]) -> String {
    let first = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    format!(
        "binary content differs: expected {} (hash {}), found {} (hash {}), first difference at byte {first}",
        size(expected.len()),
        short_hash(expected),
        size(actual.len()),
        short_hash(actual),
    )
}

/// What follows the tree view for one difference: a diff, or nothing.
fn write_details(difference: &Difference, text: &mut String, paint: Paint) -> fmt::Result {
    let path = &difference.path;
    let (old, new, label) = match &difference.mismatch {
        Mismatch::Content {
            expected, actual, ..
        } => match (as_text(expected), as_text(actual)) {
            (Some(old), Some(new)) if to_lf(old) != to_lf(new) => {
                (to_lf(old).into_owned(), to_lf(new).into_owned(), "expected")
            }
            _ => return Ok(()),
        },
        Mismatch::Text {
            matcher: Matcher::Matches(pattern),
            actual,
        } => match as_text(actual) {
            // Lines a wildcard accepts show as the pattern has them: only real differences remain.
            Some(new) => (pattern.clone(), normalize(pattern, new), "pattern"),
            None => return Ok(()),
        },
        Mismatch::Text {
            matcher: Matcher::Contains(_),
            actual,
        } => {
            if let Some(new) = as_text(actual) {
                writeln!(text, "--- actual/{path}")?;
                writeln!(text, "{}", cap_lines(new, DIFF_LINES))?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let diff = TextDiff::from_lines(&old, &new);
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{label}/{path}"), &format!("actual/{path}"))
        .to_string();
    for line in cap_lines(&unified, DIFF_LINES).lines() {
        writeln!(text, "{}", paint.diff_line(line))?;
    }
    Ok(())
}

fn count_files(tree: &Tree) -> usize {
    tree.walk()
        .filter(|(_, node)| !matches!(node, Node::Dir(_)))
        .count()
}

fn count_expected(tree: &ExpectedTree) -> usize {
    tree.entries
        .values()
        .map(|entry| match &entry.0 {
            Expect::Dir(sub) => count_expected(sub),
            _ => 1,
        })
        .sum()
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".to_owned()
    } else {
        format!("{n} files")
    }
}

fn size(bytes: usize) -> String {
    Size(bytes).to_string()
}

/// 32 bits of FNV-1a: enough to tell two files apart at a glance, and the
/// same on every machine and Rust version.
fn short_hash(bytes: &[u8]) -> String {
    format!("{:08x}", fnv1a(bytes) >> 32)
}

/// The first `max` lines of `text`, then how many were left out.
fn cap_lines(text: &str, max: usize) -> String {
    let total = text.lines().count();
    if total <= max {
        return text.trim_end_matches('\n').to_owned();
    }
    let kept: Vec<&str> = text.lines().take(max).collect();
    format!("{}\n… {} more lines", kept.join("\n"), total - max)
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn marker(self, marker: char, line: &str) -> String {
        let code = match marker {
            '-' => "31",
            '+' => "32",
            '~' => "33",
            _ => "35",
        };
        self.paint(code, line)
    }

    fn diff_line(self, line: &str) -> String {
        match line.as_bytes().first() {
            Some(b'-') if !line.starts_with("---") => self.paint("31", line),
            Some(b'+') if !line.starts_with("+++") => self.paint("32", line),
            Some(b'@') => self.paint("36", line),
            _ => line.to_owned(),
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Whether the report may use colour: stderr is a terminal and NO_COLOR is unset.
pub(crate) fn use_color() -> bool {
    use std::io::IsTerminal;
    crate::config::color_allowed() && std::io::stderr().is_terminal()
}
