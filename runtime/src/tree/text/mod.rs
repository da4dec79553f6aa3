//! Spec text: a [`Tree`](crate::Tree) printed in the spec language of `tree!`
//! (`print`), and parsed back (`parse`).
//!
//! `Display` prints what `tree!` takes, braces included (they become the
//! macro's own), so a tree read from disk can be pasted into a test;
//! `FromStr` parses exactly that language. What both sides must agree on —
//! the escapes in literals — is here, once; the mode `exec(…)` stands for is
//! the crate's `EXEC_MODE`, as for `spec::exec`.

mod line_endings;
mod parse;
mod print;

pub use line_endings::LineEndings;
pub(crate) use line_endings::{as_text, kind, to_lf};
pub use parse::ParseTreeError;
pub use print::Size;
pub(crate) use print::{Leaf, write_spec};

use super::EXEC_MODE;

/// The characters a backslash and one letter stand for, in string and byte
/// string literals alike, and those letters, in the same order. The printer
/// writes these (in strings through `escape_debug`, which writes the same);
/// the parser reads them, and `\'` as Rust does, though spec text never
/// needs it.
const ESCAPED: &str = "\"\\\n\r\t\0";
const LETTERS: &str = "\"\\nrt0";

/// The letter that escapes `c`, if one does.
fn escape_letter(c: char) -> Option<char> {
    ESCAPED.find(c).map(|i| char::from(LETTERS.as_bytes()[i]))
}

/// The character the escape `\l` stands for, if it is one of [`ESCAPED`].
fn escaped_char(l: char) -> Option<char> {
    LETTERS.find(l).map(|i| char::from(ESCAPED.as_bytes()[i]))
}
