//! The report of a tree mismatch: a tree view of what differs, a unified
//! diff per changed text file, sizes and hashes for binary files, and the
//! expected tree with what differs changed, as spec text to paste. Markers
//! carry the meaning; colour is only an aid, used where the terminal takes
//! it. Every part is capped, in lines and in bytes
//! ([`limits`](super::limits)), and says what it left out.

use std::fmt::{self, Write};
use std::io;

use super::describe::EXCERPT_HEADER;
use super::diff::{DiffData, DiffKind, TreeDiff};
use super::limits::{LISTED, REPORT_BYTES, REPORT_LINES};

/// The report, uncoloured: what `assert_tree!` panics with.
impl fmt::Display for TreeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&report(&self.inner, false))
    }
}

/// The report of `diff`, coloured or not, cut to [`REPORT_LINES`] and
/// [`REPORT_BYTES`].
pub(crate) fn report(diff: &DiffData, color: bool) -> String {
    let mut text = String::new();
    write_report(diff, &mut text, color).expect("writing to a String cannot fail");
    cap_bytes(&cap_lines(&text, REPORT_LINES), REPORT_BYTES)
        .trim_end()
        .to_owned()
}

fn write_report(diff: &DiffData, text: &mut String, color: bool) -> fmt::Result {
    use DiffKind::{Changed, KindChanged, Missing, Unexpected};
    let (root, label) = (diff.root.display(), &diff.label);
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
        return write!(text, "{error}\n(while comparing {root} with {label}{fix})");
    }
    writeln!(text, "tree mismatch: {root} vs {label}")?;
    // "1 missing, 2 changed (12 matched, 2 ignored)".
    let mut parts = Vec::new();
    for kind in [Missing, Unexpected, Changed, KindChanged] {
        match diff.differences.iter().filter(|d| d.kind == kind).count() {
            0 => {}
            n => parts.push(format!("{n} {}", kind.said().1)),
        }
    }
    let (parts, matched, ignored) = (parts.join(", "), diff.matched, diff.ignored);
    writeln!(text, "{parts} ({matched} matched, {ignored} ignored)")?;
    let listed = &diff.differences[..diff.differences.len().min(LISTED)];
    let width = listed.iter().map(|d| d.path.chars().count()).max();
    let width = width.unwrap_or(0).min(48);
    for difference in listed {
        let (marker, _) = difference.kind.said();
        let (path, what) = (&difference.path, &difference.description);
        let line = format!("{marker} {path:<width$}  {what}");
        writeln!(text, "{}", paint(color, marker_code(&line), &line))?;
    }
    match diff.differences.len() - listed.len() {
        0 => {}
        more => writeln!(text, "… {more} more differences")?,
    }
    for difference in listed {
        write_details(&difference.details, text, color)?;
    }
    if let Some((actual, left_out)) = &diff.actual {
        writeln!(
            text,
            "expected tree with what differs changed, to paste into the test (or \
             FIXTREE_UPDATE=review, then cargo fixtree accept):"
        )?;
        writeln!(text, "{actual}")?;
        if *left_out > 0 {
            writeln!(text, "… {left_out} more entries not shown")?;
        }
    }
    if let Some(hint) = &diff.update_hint {
        writeln!(text, "{hint}")?;
    }
    Ok(())
}

/// The lines shown after the tree view for one difference: a diff (two file
/// headers, then lines marked ` `, `-`, `+`, `@`) or an excerpt of a file
/// (one header, then the file's text, coloured by no marker it may start with).
fn write_details(details: &[String], text: &mut String, color: bool) -> fmt::Result {
    let excerpt = matches!(details.first(), Some(header) if header.starts_with(EXCERPT_HEADER));
    for (i, line) in details.iter().enumerate() {
        let code = match (i, excerpt) {
            (0, _) | (1, false) => "1", // bold
            (_, true) => "",
            _ => marker_code(line),
        };
        writeln!(text, "{}", paint(color, code, line))?;
    }
    Ok(())
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
    let left_out = text.len() - end;
    format!("{}\n… {left_out} more bytes of report", &text[..end])
}

/// The SGR code of a line of the tree view or of a unified diff after its
/// headers, by its marker, as git's diff colours them: removed red, added
/// green, hunk headers cyan; changed yellow, kind changed magenta. Context
/// lines and the "… N more lines" after them stay plain.
fn marker_code(line: &str) -> &'static str {
    match line.as_bytes().first() {
        Some(b'-') => "31",
        Some(b'+') => "32",
        Some(b'~') => "33",
        Some(b'!') => "35",
        Some(b'@') => "36",
        _ => "",
    }
}

/// `text` in the colour of SGR `code`, if any and if `color`: each coloured
/// line keeps its marker, so the report says the same without colour.
fn paint(color: bool, code: &str, text: &str) -> String {
    if color && !code.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Whether the report is coloured: where stderr, which shows the panic
/// message, is a terminal, or as `NO_COLOR` and `CLICOLOR_FORCE` say.
pub(crate) fn use_color() -> bool {
    use std::io::IsTerminal;
    crate::config::color(std::io::stderr().is_terminal())
}
