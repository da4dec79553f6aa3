//! The printer of spec text: `Display` and `Debug` of a [`Tree`], and the
//! capped form tree-mismatch reports show.

use std::fmt::{self, Write};

use super::{EXEC_MODE, escape_letter};
use crate::sys;
use crate::tree::mtime::{Utc, unix_secs};
use crate::tree::{DEFAULT_FILE_MODE, Entries, Event, Node, Tree, TreeNode};

/// Prints the tree as spec text: `tree!` followed by it, or
/// `assert_tree!(dir, <it>)`, gives the same tree, and so does
/// [`str::parse`]. `{}` prints one line; `{:#}` prints one entry per line,
/// indented by four spaces, with trailing commas.
///
/// Contents that are UTF-8 print as a string literal, other bytes as
/// `b"…"`; mode 0o755 prints as `exec(…)`, any other mode as
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
    let mut writer = SpecWriter { out, pretty };
    writer.open(tree)?;
    // How many directories hold the next entry, and whether it is their first.
    let (mut depth, mut first) = (1, true);
    // How deep the visit is in a directory shown by its comment alone.
    let mut hidden = 0_usize;
    for event in tree.visit() {
        match event {
            _ if hidden > 0 => {
                hidden = match event {
                    Event::Enter(..) => hidden + 1,
                    Event::Leave(_) => hidden - 1,
                    Event::Leaf(..) => hidden,
                };
                continue;
            }
            // Spec text cannot name it (`Tree::insert_os` can): a comment says it is there.
            Event::Leaf(name, _) | Event::Enter(name, _) if sys::is_spelled(name) => {
                writer.separate(depth, " ")?;
                write!(writer.out, "/* not UTF-8: {name} */")?;
                hidden = usize::from(matches!(event, Event::Enter(..)));
                continue;
            }
            Event::Leaf(name, entry) => {
                writer.key(name, depth, first)?;
                writer.leaf(capped(leaf(entry), max_file_bytes))?;
            }
            Event::Enter(name, sub) => {
                writer.key(name, depth, first)?;
                writer.open(sub)?;
                (depth, first) = (depth + 1, true);
                continue;
            }
            Event::Leave(sub) => {
                depth -= 1;
                writer.close(sub, depth, first)?;
            }
        }
        writer.out.write_str(if writer.pretty { "," } else { "" })?;
        first = false;
    }
    writer.close(tree, 0, first)
}

/// `leaf`, or [`Leaf::NotShown`] for a file a spec capped at `cap` leaves
/// out: past the cap, or binary and past a few bytes (escaped bytes help
/// nobody reading a report).
fn capped(leaf: Leaf<'_>, cap: Option<usize>) -> Leaf<'_> {
    const BINARY_SHOWN: usize = 64;
    let (Leaf::Node(Node::File { contents, .. }), Some(cap)) = (&leaf, cap) else {
        return leaf;
    };
    let binary = || contents.len() > BINARY_SHOWN && std::str::from_utf8(contents).is_err();
    if contents.len() > cap || binary() {
        return Leaf::NotShown(contents.len() as u64);
    }
    leaf
}

struct SpecWriter<'a, W> {
    out: &'a mut W,
    pretty: bool,
}

impl<W: fmt::Write> SpecWriter<'_, W> {
    /// `"name" => `, on its own line or after the entry before it.
    fn key(&mut self, name: &str, depth: usize, first: bool) -> fmt::Result {
        self.separate(depth, if first { " " } else { ", " })?;
        write!(self.out, "{} => ", Literal(name.as_bytes()))
    }

    /// A new line indented for `depth` directories when pretty, else `compact`.
    fn separate(&mut self, depth: usize, compact: &str) -> fmt::Result {
        if !self.pretty {
            return self.out.write_str(compact);
        }
        self.out.write_char('\n')?;
        (0..depth).try_for_each(|_| self.out.write_str("    "))
    }

    /// The `{` of a directory, or `{}` if it has no entry and no `..`.
    fn open<N: TreeNode>(&mut self, dir: &Entries<N>) -> fmt::Result {
        let bare = dir.is_empty() && !dir.open;
        self.out.write_str(if bare { "{}" } else { "{" })
    }

    /// The `..` and `}` of a directory held by `depth` others, unless
    /// [`open`](Self::open) closed it; `first` says whether it printed no entry.
    fn close<N: TreeNode>(&mut self, dir: &Entries<N>, depth: usize, first: bool) -> fmt::Result {
        if dir.is_empty() && !dir.open {
            return Ok(());
        }
        if dir.open {
            self.separate(depth + 1, if first { " " } else { ", " })?;
            self.out.write_str("..")?;
        }
        self.separate(depth, " ")?;
        self.out.write_char('}')
    }

    fn leaf(&mut self, leaf: Leaf<'_>) -> fmt::Result {
        let (contents, mode, modified) = match leaf {
            Leaf::Node(Node::File {
                contents,
                mode,
                modified,
            }) => (contents, mode, modified),
            Leaf::Node(Node::Symlink { target }) => {
                let target = target.to_string_lossy();
                return write!(self.out, "symlink({})", Literal(target.as_bytes()));
            }
            Leaf::Node(Node::Dir(_)) => unreachable!("directories are entered, not leaves"),
            Leaf::NotShown(len) => return write!(self.out, "any() /* {}, not shown */", Size(len)),
            Leaf::Debug(value) => return write!(self.out, "{value:?}"),
        };
        // Whole seconds, as equality compares them; the date is for people.
        if let Some(time) = modified {
            let secs = unix_secs(*time);
            write!(self.out, "modified(unix_time({secs}) /* {} */, ", Utc(secs))?;
        }
        // `modified` takes contents or `mode(..)`, not the node `exec` makes;
        // a hand-built `Some(0o644)` is the same file as `None`.
        let call = match mode.filter(|bits| *bits != DEFAULT_FILE_MODE) {
            None => String::new(),
            Some(EXEC_MODE) if modified.is_none() => "exec(".to_owned(),
            Some(bits) => format!("mode(0o{bits:03o}, "),
        };
        write!(self.out, "{call}{}", Literal(contents))?;
        let close = usize::from(!call.is_empty()) + usize::from(modified.is_some());
        self.out.write_str(&")".repeat(close))
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
        // The largest unit the size reaches: 1024 to the power of its bits / 10.
        let power = (self.0.max(1).ilog2() / 10).min(4);
        if power == 0 {
            return write!(f, "{} B", self.0);
        }
        let value = self.0 as f64 / (1_u64 << (10 * power)) as f64;
        let unit = ["KiB", "MiB", "GiB", "TiB"][power as usize - 1];
        write!(f, "{value:.1} {unit}")
    }
}

/// A string literal of `bytes` where they are UTF-8, escaped as `Debug`
/// escapes a `str`; else a byte string literal: printable ASCII as itself,
/// the rest escaped.
struct Literal<'a>(&'a [u8]);

impl fmt::Display for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Ok(text) = std::str::from_utf8(self.0) else {
            f.write_str("b\"")?;
            for &byte in self.0 {
                match escape_letter(char::from(byte)) {
                    Some(letter) => write!(f, "\\{letter}")?,
                    None if matches!(byte, b' '..=b'~') => f.write_char(char::from(byte))?,
                    None => write!(f, "\\x{byte:02x}")?,
                }
            }
            return f.write_char('"');
        };
        f.write_char('"')?;
        for c in text.chars() {
            match c {
                // Needs no escape inside double quotes, though `escape_debug` gives it one.
                '\'' => f.write_char(c)?,
                // Bidirectional overrides, which rustc refuses in a literal
                // (`text_direction_codepoint_in_literal`), whatever `escape_debug` does.
                '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                // The letter escapes of `ESCAPED`, and `\u{…}` for other control
                // characters, invisible and unassigned ones, combining marks.
                _ => write!(f, "{}", c.escape_debug())?,
            }
        }
        f.write_char('"')
    }
}
