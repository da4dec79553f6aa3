//! The parser of spec text: `FromStr` of a [`Tree`], and [`ParseTreeError`].
//!
//! A small hand-written parser; it inserts through [`Tree::insert`] so that
//! the key rules and their messages are the ones the macros give.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use super::{EXEC_MODE, escaped_char};
use crate::sys::PERMISSION_BITS;
use crate::tree::mtime::{from_unix_secs, whole_second};
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

    /// `{ "key" => value, … }`, at the `{`. Nested directories are kept on
    /// a stack, not parsed by recursion, so that any depth parses.
    fn tree(&mut self) -> Result<Tree, ParseTreeError> {
        if !self.eat("{") {
            return Err(self.expected("`{` to open a tree"));
        }
        // The directories whose `{ … }` is open, each with the tree it sits
        // in, its key and where that is, to insert it once it is closed.
        let mut open: Vec<(Tree, String, usize)> = Vec::new();
        let mut tree = Tree::new();
        loop {
            self.skip_space()?;
            let mut closed = self.eat("}");
            if !closed {
                let key_at = self.pos;
                let key = self.key()?;
                if self.eat("{") {
                    open.push((std::mem::take(&mut tree), key, key_at));
                    continue;
                }
                insert(&mut tree, &key, key_at, self.value()?)?;
                closed = self.after_entry()?;
            }
            while closed {
                let Some((mut parent, key, key_at)) = open.pop() else {
                    return Ok(tree);
                };
                insert(&mut parent, &key, key_at, Node::Dir(tree))?;
                tree = parent;
                closed = self.after_entry()?;
            }
        }
    }

    /// `"key" =>`: the key.
    fn key(&mut self) -> Result<String, ParseTreeError> {
        if self.peek() != Some('"') {
            return Err(self.expected("a key (a string literal) or `}`"));
        }
        let key = self.string()?;
        self.punct("=>", "`=>` after the key")?;
        Ok(key)
    }

    /// What follows an entry: `,` (false) or the `}` that closes its tree (true).
    fn after_entry(&mut self) -> Result<bool, ParseTreeError> {
        self.skip_space()?;
        if self.eat(",") {
            return Ok(false);
        }
        if self.eat("}") {
            return Ok(true);
        }
        Err(self.expected("`,` or `}` after an entry"))
    }

    /// A value other than a directory: a file or a symbolic link.
    fn value(&mut self) -> Result<Node, ParseTreeError> {
        let rest = self.rest();
        if rest.starts_with('"') || rest.starts_with("b\"") {
            return Ok(Node::file(self.contents()?));
        }
        let at = self.pos;
        let call = self.ident();
        let node = match call {
            "exec" => {
                self.open_call(call)?;
                Node::file_with_mode(self.contents()?, EXEC_MODE)
            }
            "mode" => return self.mode_args(),
            "modified" => {
                self.open_call(call)?;
                let time = self.unix_time()?;
                self.punct(",", "`,` after the time")?;
                let mut file = if self.rest().starts_with("mode") {
                    self.ident();
                    self.mode_args()?
                } else if self.rest().starts_with('"') || self.rest().starts_with("b\"") {
                    Node::file(self.contents()?)
                } else {
                    return Err(self.expected("the file: a string, b\"bytes\" or mode(…)"));
                };
                if let Node::File { modified, .. } = &mut file {
                    *modified = Some(whole_second(time));
                }
                file
            }
            "symlink" => {
                self.open_call(call)?;
                if self.peek() != Some('"') {
                    return Err(self.expected("the link's target (a string literal)"));
                }
                let target_at = self.pos;
                let target = self.string()?;
                if let Some(rule) = target_error(target.as_ref()) {
                    return Err(self.error(target_at, rule));
                }
                Node::symlink(target)
            }
            _ => {
                self.pos = at;
                return Err(self.expected(
                    "a value: a string, b\"bytes\", exec(…), mode(…), modified(…), symlink(…) or { … }",
                ));
            }
        };
        self.close_call()?;
        Ok(node)
    }

    /// `(0o640, <literal>)`, after `mode`.
    fn mode_args(&mut self) -> Result<Node, ParseTreeError> {
        self.open_call("mode")?;
        let bits = self.mode_bits()?;
        self.punct(",", "`,` after the mode")?;
        let contents = self.contents()?;
        self.close_call()?;
        Ok(Node::file_with_mode(contents, bits & PERMISSION_BITS))
    }

    /// `unix_time(<seconds>)`, as the printer writes a modification time.
    fn unix_time(&mut self) -> Result<SystemTime, ParseTreeError> {
        if word(self.rest()) != "unix_time" {
            return Err(self.expected("the time as `unix_time(<seconds since 1970>)`"));
        }
        self.ident();
        self.open_call("unix_time")?;
        let at = self.pos;
        let negative = self.eat("-");
        let literal = word(self.rest());
        let time = Some(literal.replace('_', ""))
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<i64>().ok())
            .and_then(|secs| from_unix_secs(if negative { -secs } else { secs }));
        let Some(time) = time else {
            let message = "expected whole seconds since 1970 that this system can hold, e.g. `unix_time(1798365600)`";
            return Err(self.error(at, message));
        };
        self.pos += literal.len();
        self.close_call()?;
        Ok(time)
    }

    fn ident(&mut self) -> &'a str {
        let ident = word(self.rest());
        self.pos += ident.len();
        ident
    }

    fn open_call(&mut self, name: &str) -> Result<(), ParseTreeError> {
        self.punct("(", &format!("`(` after `{name}`"))
    }

    /// `token`, with any space and comments around it; else "expected `what`".
    fn punct(&mut self, token: &str, what: &str) -> Result<(), ParseTreeError> {
        self.skip_space()?;
        if !self.eat(token) {
            return Err(self.expected(what));
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
            self.literal(true)
        } else if self.rest().starts_with('"') {
            self.literal(false)
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
        let bytes = self.literal(false)?;
        Ok(String::from_utf8(bytes).expect("characters and checked escapes"))
    }

    /// The bytes of a literal (UTF-8, in a string), its escapes read; at
    /// its `"` or `b"`.
    fn literal(&mut self, in_bytes: bool) -> Result<Vec<u8>, ParseTreeError> {
        let start = self.pos;
        let (opening, what) = match in_bytes {
            true => ("b\"", "byte string literal"),
            false => ("\"", "string literal"),
        };
        self.pos += opening.len();
        let mut bytes = Vec::new();
        loop {
            let at = self.pos;
            let code = match self.bump() {
                None => return Err(self.error(start, format!("unterminated {what}"))),
                Some('"') => return Ok(bytes),
                Some('\\') => match self.escape(in_bytes)? {
                    Some(code) => code,
                    None => continue,
                },
                Some(c) if in_bytes && !c.is_ascii() => {
                    let message = "non-ASCII character in a byte string literal; write its bytes as `\\xNN` escapes";
                    return Err(self.error(at, message));
                }
                Some(c) => u32::from(c),
            };
            match in_bytes {
                true => bytes.push(u8::try_from(code).expect("ASCII and checked escapes")),
                false => {
                    let c = char::from_u32(code).expect("characters and checked escapes");
                    bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
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
            // Rust reads `\'` in a string literal too; spec text never needs it.
            '\'' => u32::from(c),
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
            _ => match escaped_char(c) {
                Some(escaped) => u32::from(escaped),
                None => {
                    let message = format!("unknown escape `\\{}`", c.escape_debug());
                    return Err(self.error(at, message));
                }
            },
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

/// Inserts `node` at `key`, which is at `key_at` in the text.
fn insert(tree: &mut Tree, key: &str, key_at: usize, node: Node) -> Result<(), ParseTreeError> {
    tree.insert(key, node).map_err(|e| ParseTreeError {
        offset: key_at,
        reason: Reason::Tree(e),
    })?;
    Ok(())
}

/// The identifier or number at the start of `text`.
fn word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}
