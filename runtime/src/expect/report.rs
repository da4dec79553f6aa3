//! The report of a tree mismatch: a tree view of what differs, a unified
//! diff per changed text file, sizes and hashes for binary files, and the
//! actual tree as spec text to paste. Markers carry the meaning; colour is
//! only an aid, used where the terminal takes it. Every part is capped, in
//! lines and in bytes ([`limits`](super::limits)), and says what it left out.

use std::fmt::{self, Write};
use std::io;

use super::describe::EXCERPT_HEADER;
use super::diff::{DiffData, DiffKind, TreeDiff};
use super::limits::{LISTED, REPORT_BYTES, REPORT_LINES};
use super::paste::write_paste;

/// The report, uncoloured: what `assert_tree!` panics with.
impl fmt::Display for TreeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_report(&self.inner, f, false)
    }
}

pub(crate) fn write_report(diff: &DiffData, out: &mut impl Write, color: bool) -> fmt::Result {
    let paint = Paint(color);
    let (mut text, root, label) = (String::new(), diff.root.display(), &diff.label);
    if let Some(error) = &diff.error {
        // Not a "tree mismatch": nothing was found to differ, and the
        // error names the path and the system's reason.
        let fix = match error.kind() {
            io::ErrorKind::PermissionDenied => {
                ": make it readable to the test, or leave it out with `ignore = [...]`"
            }
            io::ErrorKind::InvalidData => ": leave it out with `ignore = [...]`",
            _ => "",
        };
        write!(text, "{error}\n(while comparing {root} with {label}{fix})")?;
        return out.write_str(cap_bytes(&text, REPORT_BYTES).trim_end());
    }
    writeln!(text, "tree mismatch: {root} vs {label}")?;
    writeln!(text, "{}", summary(diff))?;
    let listed = &diff.differences[..diff.differences.len().min(LISTED)];
    let width = listed
        .iter()
        .map(|d| d.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for difference in listed {
        let (marker, _) = difference.kind.said();
        let (path, what) = (&difference.path, &difference.description);
        let line = format!("{marker} {path:<width$}  {what}");
        writeln!(text, "{}", paint.line(&line))?;
    }
    match diff.differences.len() - listed.len() {
        0 => {}
        more => writeln!(text, "… {more} more differences")?,
    }
    for difference in listed {
        write_details(&difference.details, &mut text, paint)?;
    }
    if let Some((actual, left_out)) = &diff.actual {
        writeln!(text, "actual tree, to paste into the test:")?;
        write_paste(actual, &mut text)?;
        writeln!(text)?;
        if *left_out > 0 {
            writeln!(text, "… {left_out} more entries not shown")?;
        }
    }
    if let Some(hint) = &diff.update_hint {
        writeln!(text, "{hint}")?;
    }
    let text = cap_lines(&text, REPORT_LINES);
    out.write_str(cap_bytes(&text, REPORT_BYTES).trim_end())
}

/// The lines shown after the tree view for one difference: a diff (two file
/// headers, then lines marked ` `, `-`, `+`, `@`) or an excerpt of a file
/// (one header, then the file's text, coloured by no marker it may start with).
fn write_details(details: &[String], text: &mut String, paint: Paint) -> fmt::Result {
    let excerpt = details
        .first()
        .is_some_and(|header| header.starts_with(EXCERPT_HEADER));
    let headers = if excerpt { 1 } else { 2 };
    for (i, line) in details.iter().enumerate() {
        let line = if i < headers {
            paint.paint(BOLD, line)
        } else if excerpt {
            line.clone()
        } else {
            paint.line(line)
        };
        writeln!(text, "{line}")?;
    }
    Ok(())
}

/// "1 missing, 2 changed (12 matched, 2 ignored)".
fn summary(diff: &DiffData) -> String {
    use DiffKind::{Changed, KindChanged, Missing, Unexpected};
    let mut parts = Vec::new();
    for kind in [Missing, Unexpected, Changed, KindChanged] {
        match diff.differences.iter().filter(|d| d.kind == kind).count() {
            0 => {}
            n => parts.push(format!("{n} {}", kind.said().1)),
        }
    }
    let (matched, ignored) = (diff.matched, diff.ignored);
    format!(
        "{} ({matched} matched, {ignored} ignored)",
        parts.join(", ")
    )
}

impl DiffKind {
    /// Its marker in the tree view, and its word in the summary.
    fn said(self) -> (char, &'static str) {
        match self {
            DiffKind::Missing => ('-', "missing"),
            DiffKind::Unexpected => ('+', "unexpected"),
            DiffKind::Changed => ('~', "changed"),
            DiffKind::KindChanged => ('!', "kind changed"),
        }
    }
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

/// The first `max` bytes of `text`, cut at a line's end where there is
/// one (else at a character's), then how many bytes were left out.
fn cap_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    format!(
        "{}\n… {} more bytes of report",
        &text[..end],
        text.len() - end
    )
}

/// SGR codes, as git's diff colours them: removed red, added green, hunk
/// headers cyan, file headers bold; changed yellow, kind changed magenta.
const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const MAGENTA: &str = "35";
const CYAN: &str = "36";
const BOLD: &str = "1";

/// Colour for the report, or none: each coloured line keeps its marker, so
/// the report says the same without it.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// A line of the tree view or of a unified diff after its headers,
    /// coloured by its marker; context lines and the "… N more lines" after
    /// them stay plain.
    fn line(self, line: &str) -> String {
        let code = match line.as_bytes().first() {
            Some(b'-') => RED,
            Some(b'+') => GREEN,
            Some(b'~') => YELLOW,
            Some(b'!') => MAGENTA,
            Some(b'@') => CYAN,
            _ => return line.to_owned(),
        };
        self.paint(code, line)
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Whether the report is coloured: where stderr, which shows the panic
/// message, is a terminal, or as `NO_COLOR` and `CLICOLOR_FORCE` say.
pub(crate) fn use_color() -> bool {
    use std::io::IsTerminal;
    crate::config::color(std::io::stderr().is_terminal())
}
