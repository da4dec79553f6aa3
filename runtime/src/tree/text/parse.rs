//! The parser of spec text: `FromStr` of a [`Tree`], and [`ParseTreeError`].
//!
//! A small hand-written parser; it inserts through [`Tree::insert`] so that
//! the key rules and their messages are the ones the macros give.

use std::fmt;
use std::str::FromStr;

use super::{EXEC_MODE, escaped_char};
use crate::tree::mtime::from_unix_secs;
use crate::tree::{Node, Tree, TreeError, target_error};

/// Parses spec text as [`Display`](fmt::Display) prints it: `{ "key" =>
/// value, … }` with an optional trailing comma, where a value is a string
/// literal (Rust's escapes: `\n \r \t \\ \" \' \0 \x00`–`\x7F \u{…}`), a byte
/// string `b"…"` (with `\xNN`), `exec(<literal>)`, `mode(0o640,
/// <literal>)`, `modified(unix_time(<seconds>), <literal or mode(…)>)`,
/// `symlink("target")` or a nested `{ … }`. Keys may hold `/`
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
        let mut parser = Parser { text, pos: 0 };
        parser.skip_space()?;
        let tree = parser.tree()?;
        parser.skip_space()?;
        let ended = parser.pos == text.len();
        parser.check(ended, "the end of the text after the tree's closing `}`")?;
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
    message: String,
    tree: Option<TreeError>,
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
        self.tree.as_ref()
    }
}

impl fmt::Display for ParseTreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (offset, message) = (self.offset, &self.message);
        write!(f, "invalid tree spec at byte {offset}: {message}")
    }
}

impl std::error::Error for ParseTreeError {}

type Parsed<T> = Result<T, ParseTreeError>;

/// What a value and a file's contents are expected as.
const VALUE: &str =
    "a value: a string, b\"bytes\", exec(…), mode(…), modified(…), symlink(…) or { … }";
const CONTENTS: &str = "the contents: a string or byte string literal";

struct Parser<'a> {
    text: &'a str,
    pos: usize,
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
        self.pos += if found { token.len() } else { 0 };
        found
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> ParseTreeError {
        let message = message.into();
        ParseTreeError {
            offset,
            message,
            tree: None,
        }
    }

    /// Inserts `node` at `key`, which is at `at` in the text.
    fn insert(&self, tree: &mut Tree, key: &str, at: usize, node: Node) -> Parsed<()> {
        let Err(e) = tree.insert(key, node) else {
            return Ok(());
        };
        let mut error = self.error(at, e.to_string());
        error.tree = Some(e);
        Err(error)
    }

    /// `Ok` if `found`, else "expected `what`, found …" here.
    fn check(&self, found: bool, what: &str) -> Parsed<()> {
        found.then_some(()).ok_or_else(|| self.expected(what))
    }

    /// `token`, else "expected `what`".
    fn eat_or(&mut self, token: &str, what: &str) -> Parsed<()> {
        let found = self.eat(token);
        self.check(found, what)
    }

    /// "expected `what`, found …" at the current position.
    fn expected(&self, what: &str) -> ParseTreeError {
        let found = match self.peek() {
            None => "the end of the text".to_owned(),
            Some(c) if c.is_alphanumeric() || c == '_' => format!("`{}`", word(self.rest())),
            Some(c) if c.is_control() => format!("`{}`", c.escape_debug()),
            Some(c) => format!("`{c}`"),
        };
        self.error(self.pos, format!("expected {what}, found {found}"))
    }

    /// Skips whitespace and comments.
    fn skip_space(&mut self) -> Parsed<()> {
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
    fn block_comment(&mut self) -> Parsed<()> {
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

    /// `{ "key" => value, … }`, at the `{`. Nested directories are kept on
    /// a stack, not parsed by recursion, so that any depth parses.
    fn tree(&mut self) -> Parsed<Tree> {
        self.eat_or("{", "`{` to open a tree")?;
        // The directories whose `{ … }` is open, each with the tree it sits
        // in, its key and where that is, to insert it once it is closed.
        let mut open: Vec<(Tree, String, usize)> = Vec::new();
        let mut tree = Tree::new();
        loop {
            self.skip_space()?;
            let mut closed = self.eat("}");
            if !closed {
                let key_at = self.pos;
                let key = self.string("a key (a string literal) or `}`")?;
                self.punct("=>", "`=>` after the key")?;
                if self.eat("{") {
                    open.push((std::mem::take(&mut tree), key, key_at));
                    continue;
                }
                let value = self.value()?;
                self.insert(&mut tree, &key, key_at, value)?;
                closed = self.after_entry()?;
            }
            while closed {
                let Some((mut parent, key, key_at)) = open.pop() else {
                    return Ok(tree);
                };
                self.insert(&mut parent, &key, key_at, Node::Dir(tree))?;
                tree = parent;
                closed = self.after_entry()?;
            }
        }
    }

    /// What follows an entry: `,` (false) or the `}` that closes its tree (true).
    fn after_entry(&mut self) -> Parsed<bool> {
        self.skip_space()?;
        let closed = self.eat("}");
        let comma = !closed && self.eat(",");
        self.check(closed || comma, "`,` or `}` after an entry")?;
        Ok(closed)
    }

    /// A value other than a directory: a file or a symbolic link.
    fn value(&mut self) -> Parsed<Node> {
        if self.literal_ahead().is_some() {
            return Ok(Node::file(self.contents(VALUE)?));
        }
        let call = word(self.rest());
        let args: fn(&mut Self) -> Parsed<Node> = match call {
            "exec" => |p| Ok(Node::file_with_mode(p.contents(CONTENTS)?, EXEC_MODE)),
            "mode" => Self::mode_args,
            "modified" => Self::modified_args,
            "symlink" => |p| {
                let at = p.pos;
                let target = p.string("the link's target (a string literal)")?;
                match target_error(target.as_ref()) {
                    Some(rule) => Err(p.error(at, rule)),
                    None => Ok(Node::symlink(target)),
                }
            },
            _ => return Err(self.expected(VALUE)),
        };
        self.pos += call.len();
        self.call(call, args)
    }

    /// `unix_time(<seconds>), <literal or mode(…)>`, inside `modified(…)`.
    fn modified_args(&mut self) -> Parsed<Node> {
        let time_ahead = word(self.rest()) == "unix_time";
        self.check(time_ahead, "the time as `unix_time(<seconds since 1970>)`")?;
        self.skip_word();
        let time = self.call("unix_time", |p| {
            let at = p.pos;
            let sign = if p.eat("-") { -1 } else { 1 };
            let secs = |digits: &str| from_unix_secs(sign * i64::try_from(in_radix(digits, 10)?).ok()?);
            p.number(secs).ok_or_else(|| {
                p.error(at, "expected whole seconds since 1970 that this system can hold, e.g. `unix_time(1798365600)`")
            })
        })?;
        self.punct(",", "`,` after the time")?;
        let mut file = if self.rest().starts_with("mode") {
            self.skip_word();
            self.call("mode", Self::mode_args)?
        } else {
            Node::file(self.contents("the file: a string, b\"bytes\" or mode(…)")?)
        };
        if let Node::File { modified, .. } = &mut file {
            *modified = Some(time);
        }
        Ok(file)
    }

    /// `0o640, <literal>` inside `mode(…)`: an integer literal (`0o`, `0x`,
    /// `0b` or decimal, `_` allowed) no larger than 0o7777.
    fn mode_args(&mut self) -> Parsed<Node> {
        self.check(!word(self.rest()).is_empty(), "the mode, e.g. `0o640`")?;
        let bits = |digits: &str| {
            let prefixes = [("0o", 8), ("0x", 16), ("0b", 2)];
            let (radix, digits) = (prefixes.into_iter())
                .find_map(|(prefix, radix)| Some((radix, digits.strip_prefix(prefix)?)))
                .unwrap_or((10, digits));
            in_radix(digits, radix).filter(|bits| *bits <= 0o7777)
        };
        let Some(bits) = self.number(bits) else {
            let literal = word(self.rest());
            let message = format!("expected permission bits from 0o0 to 0o7777, found `{literal}`");
            return Err(self.error(self.pos, message));
        };
        self.punct(",", "`,` after the mode")?;
        Ok(Node::file_with_mode(self.contents(CONTENTS)?, bits as u32))
    }

    /// The number at the cursor as `read` takes its digits (`_` dropped),
    /// and the cursor past it if it reads.
    fn number<T>(&mut self, read: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let literal = word(self.rest());
        let value = read(&literal.replace('_', ""))?;
        self.pos += literal.len();
        Some(value)
    }

    fn skip_word(&mut self) {
        self.pos += word(self.rest()).len();
    }

    /// `name(…)` after its name: `(`, what `args` reads, an optional
    /// trailing comma and `)`.
    fn call<T>(&mut self, name: &str, args: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        self.punct("(", &format!("`(` after `{name}`"))?;
        let value = args(self)?;
        self.skip_space()?;
        self.eat(",");
        self.skip_space()?;
        self.eat_or(")", "`)`")?;
        Ok(value)
    }

    /// `token`, with any space and comments around it; else "expected `what`".
    fn punct(&mut self, token: &str, what: &str) -> Parsed<()> {
        self.skip_space()?;
        self.eat_or(token, what)?;
        self.skip_space()
    }

    /// Whether a literal starts here, and if so whether it is a byte string.
    fn literal_ahead(&self) -> Option<bool> {
        let rest = self.rest();
        (rest.starts_with('"') || rest.starts_with("b\"")).then(|| rest.starts_with('b'))
    }

    /// A file's contents, a string or a byte string literal; else "expected `what`".
    fn contents(&mut self, what: &str) -> Parsed<Vec<u8>> {
        let ahead = self.literal_ahead();
        self.check(ahead.is_some(), what)?;
        let text = self.literal(ahead == Some(true))?;
        // A byte string's characters are its bytes, each below U+0100.
        Ok(match ahead {
            Some(true) => text.chars().map(|c| c as u8).collect(),
            _ => text.into_bytes(),
        })
    }

    /// A string literal; else "expected `what`".
    fn string(&mut self, what: &str) -> Parsed<String> {
        self.check(self.peek() == Some('"'), what)?;
        self.literal(false)
    }

    /// The characters of a literal, its escapes read (in a byte string,
    /// ASCII and bytes below U+0100); at its `"` or `b"`.
    fn literal(&mut self, in_bytes: bool) -> Parsed<String> {
        let start = self.pos;
        self.pos += if in_bytes { 2 } else { 1 };
        let mut text = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => {
                    let what = if in_bytes { "byte string" } else { "string" };
                    return Err(self.error(start, format!("unterminated {what} literal")));
                }
                Some('"') => return Ok(text),
                Some('\\') => text.extend(self.escape(in_bytes)?),
                Some(c) if in_bytes && !c.is_ascii() => {
                    let message = "non-ASCII character in a byte string literal; write its bytes as `\\xNN` escapes";
                    return Err(self.error(at, message));
                }
                Some(c) => text.push(c),
            }
        }
    }

    /// The escape after a `\`: what it stands for (a byte, as a character
    /// below U+0100, in a byte string), or `None` for a line continuation.
    fn escape(&mut self, in_bytes: bool) -> Parsed<Option<char>> {
        let at = self.pos - 1;
        let c = self
            .bump()
            .ok_or_else(|| self.error(at, "unterminated escape"))?;
        let escaped = match c {
            // Rust reads `\'` in a string literal too; spec text never needs it.
            '\'' => c,
            'x' => {
                let byte = self.rest().get(..2).and_then(|hex| in_radix(hex, 16));
                let byte =
                    byte.ok_or_else(|| self.error(at, "expected two hex digits after `\\x`"))?;
                if !in_bytes && byte > 0x7f {
                    let message = "`\\x` escapes in a string literal go up to `\\x7F`; write `\\u{…}` for other characters";
                    return Err(self.error(at, message));
                }
                self.pos += 2;
                char::from(byte as u8)
            }
            'u' if in_bytes => {
                let message = "`\\u{…}` escapes are not allowed in a byte string; write its bytes as `\\xNN` escapes";
                return Err(self.error(at, message));
            }
            'u' => {
                let read = self.rest().strip_prefix('{').and_then(|rest| {
                    let end = rest.find('}')?;
                    let digits = rest[..end].replace('_', "");
                    let code = in_radix(&digits, 16).filter(|_| digits.len() <= 6)?;
                    Some((char::from_u32(u32::try_from(code).ok()?)?, end + 2))
                });
                let message =
                    "expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value";
                let (c, len) = read.ok_or_else(|| self.error(at, message))?;
                self.pos += len;
                c
            }
            '\n' | '\r' => {
                // A line continuation: the line break and the next line's
                // leading whitespace are not part of the string.
                let rest = self.rest();
                let next = rest.trim_start_matches([' ', '\t', '\n', '\r']);
                self.pos += rest.len() - next.len();
                return Ok(None);
            }
            _ => escaped_char(c).ok_or_else(|| {
                self.error(at, format!("unknown escape `\\{}`", c.escape_debug()))
            })?,
        };
        Ok(Some(escaped))
    }
}

/// `digits` as a number in `radix`: one or more digits, no sign.
fn in_radix(digits: &str, radix: u32) -> Option<u64> {
    let digits = Some(digits).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit()));
    u64::from_str_radix(digits?, radix).ok()
}

/// The identifier or number at the start of `text`.
fn word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}
