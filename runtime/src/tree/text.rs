//! Spec text: a [`Tree`] printed in the spec language of `tree!`, and parsed back.
//!
//! `Display` prints what `tree!` takes, braces included (they become the
//! macro's own), so a tree read from disk can be pasted into a test. `FromStr`
//! parses exactly that language with a small hand-written parser, and inserts
//! through [`Tree::insert`] so that the key rules and their messages are the
//! ones the macros give.

use std::fmt;
use std::str::FromStr;

use super::{DEFAULT_FILE_MODE, Node, Tree, TreeError};
use crate::spec::{self, IntoNode};

/// How deep `{ … }` may nest in parsed text: far beyond any real tree, and
/// well within the stack of the recursive parser.
const MAX_DEPTH: usize = 256;

/// The mode `exec(…)` stands for.
const EXEC_MODE: u32 = 0o755;

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
        // By the crate-wide path, the one tree-mismatch messages use.
        super::write_spec(self, f, pretty, None)
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
    SpecWriter {
        out,
        pretty,
        max_file_bytes,
    }
    .tree(tree, 0)
}

struct SpecWriter<'a, W> {
    out: &'a mut W,
    pretty: bool,
    max_file_bytes: Option<usize>,
}

impl<W: fmt::Write> SpecWriter<'_, W> {
    fn tree(&mut self, tree: &Tree, depth: usize) -> fmt::Result {
        if tree.is_empty() {
            return self.out.write_str("{}");
        }
        self.out.write_char('{')?;
        for (i, (name, node)) in tree.entries().enumerate() {
            if self.pretty {
                self.newline(depth + 1)?;
            } else {
                self.out.write_str(if i == 0 { " " } else { ", " })?;
            }
            write_str_literal(self.out, name)?;
            self.out.write_str(" => ")?;
            self.node(node, depth + 1)?;
            if self.pretty {
                self.out.write_char(',')?;
            }
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

    fn node(&mut self, node: &Node, depth: usize) -> fmt::Result {
        match node {
            Node::Dir(sub) => self.tree(sub, depth),
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
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            '\0' => out.write_str("\\0")?,
            // Needs no escape inside double quotes, though `escape_debug` gives it one.
            '\'' => out.write_char(c)?,
            // Bidirectional overrides, which rustc refuses in a literal
            // (`text_direction_codepoint_in_literal`), and whatever else
            // `escape_debug` escapes: other control characters, invisible and
            // unassigned ones, combining marks.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => unicode_escape(out, c)?,
            c if c.escape_debug().len() > 1 => unicode_escape(out, c)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

fn unicode_escape(out: &mut impl fmt::Write, c: char) -> fmt::Result {
    write!(out, "\\u{{{:x}}}", u32::from(c))
}

/// A Rust byte string literal: printable ASCII as itself, the rest escaped.
fn write_bytes_literal(out: &mut impl fmt::Write, bytes: &[u8]) -> fmt::Result {
    out.write_str("b\"")?;
    for &byte in bytes {
        match byte {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            b'\0' => out.write_str("\\0")?,
            b' '..=b'~' => out.write_char(char::from(byte))?,
            _ => write!(out, "\\x{byte:02x}")?,
        }
    }
    out.write_char('"')
}

/// Parses spec text as [`Display`](fmt::Display) prints it: `{ "key" =>
/// value, … }` with an optional trailing comma, where a value is a string
/// literal (Rust's escapes: `\n \r \t \\ \" \' \0 \x00`–`\x7F \u{…}`), a byte
/// string `b"…"` (with `\xNN`), `exec(<literal>)`, `mode(0o640,
/// <literal>)`, `symlink("target")` or a nested `{ … }`. Keys may hold `/`
/// and make their parents; they follow the rules of [`Tree::insert`], whose
/// errors are reported with their position. `//` and `/* */` comments are
/// allowed between tokens.
///
/// ```
/// use fixtree::{Node, Tree};
///
/// let text = r##"{ "src/lib.rs" => "fn f() {}\n", "run.sh" => exec("#!/bin/sh\n") }"##;
/// let tree: Tree = text.parse()?;
/// assert_eq!(tree.get("src/lib.rs"), Some(&Node::file("fn f() {}\n")));
/// assert_eq!(tree.to_string().parse::<Tree>()?, tree);
///
/// let err = r#"{ "a.txt" "x" }"#.parse::<Tree>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid tree spec at byte 10: expected `=>` after the key, found `\"`");
/// # Ok::<(), fixtree::ParseTreeError>(())
/// ```
impl FromStr for Tree {
    type Err = ParseTreeError;

    fn from_str(text: &str) -> Result<Tree, ParseTreeError> {
        let mut parser = Parser {
            text,
            pos: 0,
            depth: 0,
        };
        parser.skip_space()?;
        let tree = parser.tree()?;
        parser.skip_space()?;
        if parser.pos < text.len() {
            return Err(parser.expected("the end of the text after the tree's closing `}`"));
        }
        Ok(tree)
    }
}

/// Why spec text did not parse as a [`Tree`]: the byte offset into the text,
/// and what was expected there or which key rule an entry broke.
///
/// ```
/// let err = "{ \"../x\" => \"\" }".parse::<fixtree::Tree>().unwrap_err();
/// assert_eq!(err.offset(), 2);
/// assert!(matches!(err.tree_error(), Some(fixtree::TreeError::Key(_))));
/// assert!(err.to_string().starts_with("invalid tree spec at byte 2: key \"../x\" has a '.' or '..' segment"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTreeError {
    offset: usize,
    reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    Syntax(String),
    Tree(TreeError),
}

impl ParseTreeError {
    /// Where in the text the error is, in bytes from its start.
    ///
    /// ```
    /// let err = "{ \"a\" => nope }".parse::<fixtree::Tree>().unwrap_err();
    /// assert_eq!(err.offset(), 9);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The error of [`Tree::insert`] when the text is well formed but an
    /// entry is not (a bad key, a duplicate, a path through a file).
    ///
    /// ```
    /// let err = "{ \"a\" => \"x\", \"a/b\" => \"y\" }".parse::<fixtree::Tree>().unwrap_err();
    /// assert!(matches!(err.tree_error(), Some(fixtree::TreeError::NotADirectory { .. })));
    /// ```
    pub fn tree_error(&self) -> Option<&TreeError> {
        match &self.reason {
            Reason::Tree(e) => Some(e),
            Reason::Syntax(_) => None,
        }
    }
}

impl fmt::Display for ParseTreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid tree spec at byte {}: ", self.offset)?;
        match &self.reason {
            Reason::Syntax(message) => f.write_str(message),
            Reason::Tree(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ParseTreeError {}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.pos += token.len();
        }
        found
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> ParseTreeError {
        ParseTreeError {
            offset,
            reason: Reason::Syntax(message.into()),
        }
    }

    /// "expected `what`, found …" at the current position.
    fn expected(&self, what: &str) -> ParseTreeError {
        let rest = self.rest();
        let found = match self.peek() {
            None => "the end of the text".to_owned(),
            Some(c) if c.is_alphanumeric() || c == '_' => format!("`{}`", word(rest)),
            Some(c) if c.is_control() => format!("`{}`", c.escape_debug()),
            Some(c) => format!("`{c}`"),
        };
        self.error(self.pos, format!("expected {what}, found {found}"))
    }

    /// Skips whitespace and comments.
    fn skip_space(&mut self) -> Result<(), ParseTreeError> {
        loop {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start().len();
            if self.eat("//") {
                let rest = self.rest();
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if self.rest().starts_with("/*") {
                self.block_comment()?;
            } else {
                return Ok(());
            }
        }
    }

    /// Skips a `/* … */` comment, nested ones included, as Rust does.
    fn block_comment(&mut self) -> Result<(), ParseTreeError> {
        let start = self.pos;
        let mut open = 0_usize;
        loop {
            if self.eat("/*") {
                open += 1;
            } else if self.eat("*/") {
                open -= 1;
                if open == 0 {
                    return Ok(());
                }
            } else if self.bump().is_none() {
                return Err(self.error(start, "unterminated block comment"));
            }
        }
    }

    /// `{ "key" => value, … }`, at the `{`.
    fn tree(&mut self) -> Result<Tree, ParseTreeError> {
        if !self.eat("{") {
            return Err(self.expected("`{` to open a tree"));
        }
        if self.depth == MAX_DEPTH {
            let message = format!("trees nested deeper than {MAX_DEPTH} levels");
            return Err(self.error(self.pos - 1, message));
        }
        self.depth += 1;
        let mut tree = Tree::new();
        loop {
            self.skip_space()?;
            if self.eat("}") {
                break;
            }
            self.entry(&mut tree)?;
            self.skip_space()?;
            if self.eat(",") {
                continue;
            }
            if self.eat("}") {
                break;
            }
            return Err(self.expected("`,` or `}` after an entry"));
        }
        self.depth -= 1;
        Ok(tree)
    }

    /// `"key" => value`, inserted into `tree`.
    fn entry(&mut self, tree: &mut Tree) -> Result<(), ParseTreeError> {
        let key_at = self.pos;
        if self.peek() != Some('"') {
            return Err(self.expected("a key (a string literal) or `}`"));
        }
        let key = self.string()?;
        self.skip_space()?;
        if !self.eat("=>") {
            return Err(self.expected("`=>` after the key"));
        }
        self.skip_space()?;
        let node = self.value()?;
        tree.insert(&key, node).map_err(|e| ParseTreeError {
            offset: key_at,
            reason: Reason::Tree(e),
        })?;
        Ok(())
    }

    fn value(&mut self) -> Result<Node, ParseTreeError> {
        let rest = self.rest();
        if rest.starts_with('{') {
            return Ok(Node::Dir(self.tree()?));
        }
        if rest.starts_with('"') || rest.starts_with("b\"") {
            return Ok(Node::file(self.contents()?));
        }
        let at = self.pos;
        match self.ident() {
            "exec" => {
                self.open_call("exec")?;
                let contents = self.contents()?;
                self.close_call()?;
                Ok(spec::exec(contents))
            }
            "mode" => {
                self.open_call("mode")?;
                let bits = self.mode_bits()?;
                self.skip_space()?;
                if !self.eat(",") {
                    return Err(self.expected("`,` after the mode"));
                }
                self.skip_space()?;
                let contents = self.contents()?;
                self.close_call()?;
                Ok(spec::mode(bits, contents).into_node())
            }
            "symlink" => {
                self.open_call("symlink")?;
                if self.peek() != Some('"') {
                    return Err(self.expected("the link's target (a string literal)"));
                }
                let target = self.string()?;
                self.close_call()?;
                Ok(spec::symlink(target))
            }
            _ => {
                self.pos = at;
                Err(self.expected(
                    "a value: a string, b\"bytes\", exec(…), mode(…), symlink(…) or { … }",
                ))
            }
        }
    }

    fn ident(&mut self) -> &'a str {
        let ident = word(self.rest());
        self.pos += ident.len();
        ident
    }

    fn open_call(&mut self, name: &str) -> Result<(), ParseTreeError> {
        self.skip_space()?;
        if !self.eat("(") {
            return Err(self.expected(&format!("`(` after `{name}`")));
        }
        self.skip_space()
    }

    /// The end of a call's arguments: an optional trailing comma and `)`.
    fn close_call(&mut self) -> Result<(), ParseTreeError> {
        self.skip_space()?;
        if self.eat(",") {
            self.skip_space()?;
        }
        if !self.eat(")") {
            return Err(self.expected("`)`"));
        }
        Ok(())
    }

    /// A file's contents: a string or a byte string literal.
    fn contents(&mut self) -> Result<Vec<u8>, ParseTreeError> {
        if self.rest().starts_with("b\"") {
            self.bytes()
        } else if self.rest().starts_with('"') {
            Ok(self.string()?.into_bytes())
        } else {
            Err(self.expected("the contents: a string or byte string literal"))
        }
    }

    /// An integer literal (`0o640`, `0x1a4`, `0b…` or decimal, `_` allowed)
    /// no larger than 0o7777.
    fn mode_bits(&mut self) -> Result<u32, ParseTreeError> {
        let at = self.pos;
        let literal = word(self.rest());
        if literal.is_empty() {
            return Err(self.expected("the mode, e.g. `0o640`"));
        }
        let digits = literal.replace('_', "");
        let (radix, digits) = match digits.get(..2) {
            Some("0o") => (8, &digits[2..]),
            Some("0x") => (16, &digits[2..]),
            Some("0b") => (2, &digits[2..]),
            _ => (10, digits.as_str()),
        };
        let bits = Some(digits)
            .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, radix).ok())
            .filter(|bits| *bits <= 0o7777);
        let Some(bits) = bits else {
            let message = format!("expected permission bits from 0o0 to 0o7777, found `{literal}`");
            return Err(self.error(at, message));
        };
        self.pos += literal.len();
        Ok(bits)
    }

    /// A string literal, at its `"`.
    fn string(&mut self) -> Result<String, ParseTreeError> {
        let start = self.pos;
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(start, "unterminated string literal")),
                Some('"') => return Ok(text),
                Some('\\') => {
                    if let Some(code) = self.escape(false)? {
                        text.push(char::from_u32(code).expect("escape() checks the code"));
                    }
                }
                Some(c) => text.push(c),
            }
        }
    }

    /// A byte string literal, at its `b"`.
    fn bytes(&mut self) -> Result<Vec<u8>, ParseTreeError> {
        let start = self.pos;
        self.pos += 2;
        let mut bytes = Vec::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(self.error(start, "unterminated byte string literal")),
                Some('"') => return Ok(bytes),
                Some('\\') => {
                    if let Some(code) = self.escape(true)? {
                        bytes.push(u8::try_from(code).expect("escape() checks the code"));
                    }
                }
                Some(c) if c.is_ascii() => bytes.push(u8::try_from(c).expect("ASCII")),
                Some(_) => {
                    let message = "non-ASCII character in a byte string literal; write its bytes as `\\xNN` escapes";
                    return Err(self.error(at, message));
                }
            }
        }
    }

    /// The escape after a `\`: the code it stands for (a byte in a byte
    /// string, a character otherwise), or `None` for a line continuation.
    fn escape(&mut self, in_bytes: bool) -> Result<Option<u32>, ParseTreeError> {
        let at = self.pos - 1;
        let Some(c) = self.bump() else {
            return Err(self.error(at, "unterminated escape"));
        };
        let code = match c {
            'n' => u32::from('\n'),
            'r' => u32::from('\r'),
            't' => u32::from('\t'),
            '\\' | '"' | '\'' => u32::from(c),
            '0' => 0,
            'x' => {
                let hex = self
                    .rest()
                    .get(..2)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(|| self.error(at, "expected two hex digits after `\\x`"))?;
                let code = u32::from_str_radix(hex, 16).expect("two hex digits");
                if !in_bytes && code > 0x7f {
                    let message = "`\\x` escapes in a string literal go up to `\\x7F`; write `\\u{…}` for other characters";
                    return Err(self.error(at, message));
                }
                self.pos += 2;
                code
            }
            'u' if in_bytes => {
                let message = "`\\u{…}` escapes are not allowed in a byte string; write its bytes as `\\xNN` escapes";
                return Err(self.error(at, message));
            }
            'u' => self.unicode_escape(at)?,
            '\n' | '\r' => {
                // A line continuation: the line break and the next line's
                // leading whitespace are not part of the string.
                let rest = self.rest();
                let next = rest.trim_start_matches([' ', '\t', '\n', '\r']);
                self.pos += rest.len() - next.len();
                return Ok(None);
            }
            _ => {
                let message = format!("unknown escape `\\{}`", c.escape_debug());
                return Err(self.error(at, message));
            }
        };
        Ok(Some(code))
    }

    /// The `{…}` of a `\u{…}` escape, whose backslash is at `at`.
    fn unicode_escape(&mut self, at: usize) -> Result<u32, ParseTreeError> {
        let error = |parser: &Self| {
            parser.error(
                at,
                "expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value",
            )
        };
        let rest = self.rest();
        let Some(end) = rest.strip_prefix('{').and_then(|r| r.find('}')) else {
            return Err(error(self));
        };
        let digits = rest[1..=end].replace('_', "");
        let code = Some(digits.as_str())
            .filter(|d| (1..=6).contains(&d.len()) && d.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .filter(|code| char::from_u32(*code).is_some());
        let Some(code) = code else {
            return Err(error(self));
        };
        self.pos += end + 2;
        Ok(code)
    }
}

/// The identifier or number at the start of `text`.
fn word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}
