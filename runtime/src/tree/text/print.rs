//! The printer of spec text: `Display` and `Debug` of a [`Tree`], and the
//! capped form tree-mismatch reports show.

use std::fmt;

use super::{EXEC_MODE, escape_letter};
use crate::tree::mtime::{Utc, unix_secs};
use crate::tree::{DEFAULT_FILE_MODE, Entries, Event, Node, Tree, TreeNode};

/// Prints the tree as spec text: `tree!` followed by it, or
/// `assert_tree!(dir, <it>)`, gives the same tree, and so does
/// [`str::parse`]. `{}` prints one line; `{:#}` prints one entry per line,
/// indented by four spaces, with trailing commas.
///
/// Contents that are UTF-8 print as a string literal, other bytes as
/// `b"…"`; mode 0755 prints as `exec(…)`, any other mode as
/// `mode(0o640, …)`; a file with a modification time as
/// `modified(unix_time(1798365600) /* 2026-12-27 10:00:00 UTC */, …)`, to the
/// second; a symbolic link as `symlink("…")`. Spec text cannot
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
        write_spec(&self.entries, f, pretty, None, |node| Leaf::Node(node))
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
        f.write_str("Tree ")?;
        fmt::Display::fmt(self, f)
    }
}

/// A leaf of a tree, as [`write_spec`] is to print it.
pub(crate) enum Leaf<'a> {
    /// A file or symbolic link, as spec text.
    Node(&'a Node),
    /// A file of this many bytes, not read: `any() /* 1.2 KiB, not shown */`.
    NotShown(u64),
    /// What spec text cannot say, as its `Debug`.
    Debug(&'a dyn fmt::Debug),
}

/// Writes `tree` as spec text, with `leaf` saying how to print each entry
/// that is not a directory; a [`Tree`] prints as [`Display`](fmt::Display)
/// does with [`Leaf::Node`] and no `max_file_bytes`. With a cap, a file
/// longer than it prints as `any() /* 1.2 KiB, not shown */`: still an
/// expectation `assert_tree!` takes, and a failure message is not flooded
/// with it.
pub(crate) fn write_spec<N: TreeNode, W: fmt::Write>(
    tree: &Entries<N>,
    out: &mut W,
    pretty: bool,
    max_file_bytes: Option<usize>,
    mut leaf: impl FnMut(&N) -> Leaf<'_>,
) -> fmt::Result {
    let mut writer = SpecWriter {
        out,
        pretty,
        max_file_bytes,
    };
    writer.open(tree)?;
    // How many directories hold the next entry, and whether it is their first.
    let (mut depth, mut first) = (1, true);
    for event in tree.visit() {
        match event {
            Event::Leaf(name, entry) => {
                writer.key(name, depth, first)?;
                writer.leaf(leaf(entry))?;
                writer.end_entry()?;
                first = false;
            }
            Event::Enter(name, sub) => {
                writer.key(name, depth, first)?;
                writer.open(sub)?;
                depth += 1;
                first = true;
            }
            Event::Leave(sub) => {
                depth -= 1;
                writer.close(sub, depth, first)?;
                writer.end_entry()?;
                first = false;
            }
        }
    }
    writer.close(tree, 0, first)
}

/// Whether a directory prints as `{}`: nothing in it, and no `..`.
fn bare<N: TreeNode>(dir: &Entries<N>) -> bool {
    dir.is_empty() && !dir.open
}

struct SpecWriter<'a, W> {
    out: &'a mut W,
    pretty: bool,
    max_file_bytes: Option<usize>,
}

impl<W: fmt::Write> SpecWriter<'_, W> {
    /// `"name" => `, on its own line or after the entry before it.
    fn key(&mut self, name: &str, depth: usize, first: bool) -> fmt::Result {
        self.separate(depth, first)?;
        write_str_literal(self.out, name)?;
        self.out.write_str(" => ")
    }

    /// What goes before an entry held by `depth` directories.
    fn separate(&mut self, depth: usize, first: bool) -> fmt::Result {
        if self.pretty {
            self.newline(depth)
        } else {
            self.out.write_str(if first { " " } else { ", " })
        }
    }

    fn end_entry(&mut self) -> fmt::Result {
        if self.pretty {
            self.out.write_char(',')?;
        }
        Ok(())
    }

    /// The `{` of a directory, or the whole of one that is [`bare`].
    fn open<N: TreeNode>(&mut self, dir: &Entries<N>) -> fmt::Result {
        self.out.write_str(if bare(dir) { "{}" } else { "{" })
    }

    /// The `..` and `}` of a directory held by `depth` others, unless it is
    /// [`bare`]; `first` says whether it printed no entry.
    fn close<N: TreeNode>(&mut self, dir: &Entries<N>, depth: usize, first: bool) -> fmt::Result {
        if bare(dir) {
            return Ok(());
        }
        if dir.open {
            self.separate(depth + 1, first)?;
            self.out.write_str("..")?;
        }
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

    fn leaf(&mut self, leaf: Leaf<'_>) -> fmt::Result {
        match leaf {
            Leaf::Node(node) => self.node(node),
            Leaf::NotShown(len) => self.not_shown(len),
            Leaf::Debug(value) => write!(self.out, "{value:?}"),
        }
    }

    fn not_shown(&mut self, len: u64) -> fmt::Result {
        write!(self.out, "any() /* {}, not shown */", Size(len))
    }

    /// A file or symbolic link, never a directory.
    fn node(&mut self, node: &Node) -> fmt::Result {
        match node {
            Node::Dir(_) => unreachable!("directories are entered, not leaves"),
            Node::Symlink { target } => {
                self.out.write_str("symlink(")?;
                write_str_literal(self.out, &target.to_string_lossy())?;
                self.out.write_char(')')
            }
            Node::File { contents, .. } if self.too_long(contents) => {
                self.not_shown(contents.len() as u64)
            }
            Node::File {
                contents,
                mode,
                modified: None,
            } => self.file(contents, *mode, true),
            // Whole seconds, as equality compares them; the date is for people.
            Node::File {
                contents,
                mode,
                modified: Some(time),
            } => {
                let secs = unix_secs(*time);
                write!(self.out, "modified(unix_time({secs}) /* {} */, ", Utc(secs))?;
                // `modified` takes contents or `mode(..)`, not the node `exec` makes.
                self.file(contents, *mode, false)?;
                self.out.write_char(')')
            }
        }
    }

    /// A file's contents, in `exec(…)` (if `exec` may say it) or `mode(…)`
    /// when its mode is not the default.
    fn file(&mut self, contents: &[u8], mode: Option<u32>, exec: bool) -> fmt::Result {
        match mode {
            // A hand-built `Some(0o644)` is the same file as `None`.
            None | Some(DEFAULT_FILE_MODE) => return write_contents(self.out, contents),
            Some(EXEC_MODE) if exec => self.out.write_str("exec(")?,
            Some(bits) => write!(self.out, "mode(0o{bits:03o}, ")?,
        }
        write_contents(self.out, contents)?;
        self.out.write_char(')')
    }
}

/// A size in bytes for people: "312 B", then one decimal in the largest unit
/// it reaches, "1.2 KiB", "3.0 MiB", up to TiB. Reports and `cargo fixtree
/// list` both write sizes so.
///
/// ```
/// use fixtree_runtime::cli::kept::Size;
///
/// assert_eq!(Size(312).to_string(), "312 B");
/// assert_eq!(Size(1536).to_string(), "1.5 KiB");
/// assert_eq!(Size(3 << 20).to_string(), "3.0 MiB");
/// ```
pub struct Size(pub u64);

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
