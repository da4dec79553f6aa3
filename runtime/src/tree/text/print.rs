//! The printer of spec text: `Display` and `Debug` of a [`Tree`], and the
//! capped form tree-mismatch reports show.

use std::fmt;

use super::{EXEC_MODE, escape_letter};
use crate::tree::visit::Event;
use crate::tree::{DEFAULT_FILE_MODE, Node, Tree};

/// Prints the tree as spec text: `tree!` followed by it, or
/// `assert_tree!(dir, <it>)`, gives the same tree, and so does
/// [`str::parse`]. `{}` prints one line; `{:#}` prints one entry per line,
/// indented by four spaces, with trailing commas.
///
/// Contents that are UTF-8 print as a string literal, other bytes as
/// `b"…"`; mode 0755 prints as `exec(…)`, any other mode as
/// `mode(0o640, …)`; a symbolic link as `symlink("…")`. Spec text cannot
/// express a link target that is not UTF-8: it prints lossily (with U+FFFD)
/// and does not parse back to the same target.
///
/// ```
/// use fixtree::{Tree, spec::exec};
///
/// let tree = Tree::new()
///     .with("a.txt", "x\n")?
///     .with("src/lib.rs", "fn f() {}")?
///     .with("run.sh", exec(b"\xff"))?
///     .with("empty", Tree::new())?;
/// assert_eq!(
///     tree.to_string(),
///     r#"{ "a.txt" => "x\n", "empty" => {}, "run.sh" => exec(b"\xff"), "src" => { "lib.rs" => "fn f() {}" } }"#
/// );
/// assert_eq!(
///     format!("{tree:#}"),
///     r#"{
///     "a.txt" => "x\n",
///     "empty" => {},
///     "run.sh" => exec(b"\xff"),
///     "src" => {
///         "lib.rs" => "fn f() {}",
///     },
/// }"#
/// );
/// # Ok::<(), fixtree::TreeError>(())
/// ```
impl fmt::Display for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        write_spec(self, f, pretty, None)
    }
}

/// `Tree ` and the spec text (`{:#?}`: indented), so that an `assert_eq!`
/// failure shows trees as they are written in tests.
///
/// ```
/// let tree = fixtree::Tree::new().with("a", "x")?;
/// assert_eq!(format!("{tree:?}"), r#"Tree { "a" => "x" }"#);
/// # Ok::<(), fixtree::TreeError>(())
/// ```
impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        f.write_str("Tree ")?;
        write_spec(self, f, pretty, None)
    }
}

/// Writes `tree` as spec text, as [`Display`](fmt::Display) does when
/// `max_file_bytes` is `None`. With a cap, a file longer than it prints as
/// `any() /* 1.2 KiB, not shown */`: still an expectation `assert_tree!`
/// takes, and a failure message is not flooded with it.
pub(crate) fn write_spec(
    tree: &Tree,
    out: &mut impl fmt::Write,
    pretty: bool,
    max_file_bytes: Option<usize>,
) -> fmt::Result {
    let mut writer = SpecWriter {
        out,
        pretty,
        max_file_bytes,
    };
    if tree.is_empty() {
        return writer.out.write_str("{}");
    }
    writer.out.write_char('{')?;
    // How many directories hold the next entry, and whether it is their first.
    let (mut depth, mut first) = (1, true);
    for event in tree.visit() {
        match event {
            Event::Leaf(name, node) => {
                writer.key(name, depth, first)?;
                writer.leaf(node)?;
                writer.end_entry()?;
                first = false;
            }
            Event::Enter(name, sub) => {
                writer.key(name, depth, first)?;
                if sub.is_empty() {
                    writer.out.write_str("{}")?;
                } else {
                    writer.out.write_char('{')?;
                }
                depth += 1;
                first = true;
            }
            Event::Leave(sub) => {
                depth -= 1;
                if !sub.is_empty() {
                    writer.close(depth)?;
                }
                writer.end_entry()?;
                first = false;
            }
        }
    }
    writer.close(0)
}

struct SpecWriter<'a, W> {
    out: &'a mut W,
    pretty: bool,
    max_file_bytes: Option<usize>,
}

impl<W: fmt::Write> SpecWriter<'_, W> {
    /// `"name" => `, on its own line or after the entry before it.
    fn key(&mut self, name: &str, depth: usize, first: bool) -> fmt::Result {
        if self.pretty {
            self.newline(depth)?;
        } else {
            self.out.write_str(if first { " " } else { ", " })?;
        }
        write_str_literal(self.out, name)?;
        self.out.write_str(" => ")
    }

    fn end_entry(&mut self) -> fmt::Result {
        if self.pretty {
            self.out.write_char(',')?;
        }
        Ok(())
    }

    /// The `}` of a directory that holds entries and is held by `depth` others.
    fn close(&mut self, depth: usize) -> fmt::Result {
        if self.pretty {
            self.newline(depth)?;
        } else {
            self.out.write_char(' ')?;
        }
        self.out.write_char('}')
    }

    /// Whether a capped spec leaves these bytes out: past the cap, or binary
    /// and past a few bytes (escaped bytes help nobody reading a report).
    fn too_long(&self, contents: &[u8]) -> bool {
        const BINARY_SHOWN: usize = 64;
        self.max_file_bytes.is_some_and(|cap| {
            contents.len() > cap
                || (contents.len() > BINARY_SHOWN && std::str::from_utf8(contents).is_err())
        })
    }

    fn newline(&mut self, depth: usize) -> fmt::Result {
        self.out.write_char('\n')?;
        (0..depth).try_for_each(|_| self.out.write_str("    "))
    }

    /// A file or symbolic link, never a directory.
    fn leaf(&mut self, node: &Node) -> fmt::Result {
        match node {
            Node::Dir(_) => unreachable!("directories are entered, not leaves"),
            Node::Symlink { target } => {
                self.out.write_str("symlink(")?;
                write_str_literal(self.out, &target.to_string_lossy())?;
                self.out.write_char(')')
            }
            Node::File { contents, .. } if self.too_long(contents) => {
                write!(self.out, "any() /* {}, not shown */", Size(contents.len()))
            }
            // A hand-built `Some(0o644)` is the same file as `None`.
            Node::File {
                contents,
                mode: None | Some(DEFAULT_FILE_MODE),
            } => write_contents(self.out, contents),
            Node::File {
                contents,
                mode: Some(EXEC_MODE),
            } => {
                self.out.write_str("exec(")?;
                write_contents(self.out, contents)?;
                self.out.write_char(')')
            }
            Node::File {
                contents,
                mode: Some(bits),
            } => {
                write!(self.out, "mode(0o{bits:03o}, ")?;
                write_contents(self.out, contents)?;
                self.out.write_char(')')
            }
        }
    }
}

/// A size for people: "312 B", "1.2 KiB", "3.0 MiB".
pub(crate) struct Size(pub(crate) usize);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 1024 {
            return write!(f, "{} B", self.0);
        }
        let mut value = self.0 as f64 / 1024.0;
        let mut units = ["KiB", "MiB", "GiB", "TiB"].iter().peekable();
        while value >= 1024.0 && units.len() > 1 {
            value /= 1024.0;
            units.next();
        }
        write!(f, "{value:.1} {}", units.peek().expect("one unit is left"))
    }
}

/// Contents as a string literal when they are UTF-8, else as a byte string.
fn write_contents(out: &mut impl fmt::Write, contents: &[u8]) -> fmt::Result {
    match std::str::from_utf8(contents) {
        Ok(text) => write_str_literal(out, text),
        Err(_) => write_bytes_literal(out, contents),
    }
}

/// A Rust string literal, escaped as `Debug` escapes a `str`.
fn write_str_literal(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in text.chars() {
        match c {
            // Needs no escape inside double quotes, though `escape_debug` gives it one.
            '\'' => out.write_char(c)?,
            // Bidirectional overrides, which rustc refuses in a literal
            // (`text_direction_codepoint_in_literal`), and whatever else
            // `escape_debug` escapes: other control characters, invisible and
            // unassigned ones, combining marks.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => write_unicode_escape(out, c)?,
            c => match escape_letter(c) {
                Some(letter) => write!(out, "\\{letter}")?,
                None if c.escape_debug().len() > 1 => write_unicode_escape(out, c)?,
                None => out.write_char(c)?,
            },
        }
    }
    out.write_char('"')
}

fn write_unicode_escape(out: &mut impl fmt::Write, c: char) -> fmt::Result {
    write!(out, "\\u{{{:x}}}", u32::from(c))
}

/// A Rust byte string literal: printable ASCII as itself, the rest escaped.
fn write_bytes_literal(out: &mut impl fmt::Write, bytes: &[u8]) -> fmt::Result {
    out.write_str("b\"")?;
    for &byte in bytes {
        match escape_letter(char::from(byte)) {
            Some(letter) => write!(out, "\\{letter}")?,
            None if matches!(byte, b' '..=b'~') => out.write_char(char::from(byte))?,
            None => write!(out, "\\x{byte:02x}")?,
        }
    }
    out.write_char('"')
}
