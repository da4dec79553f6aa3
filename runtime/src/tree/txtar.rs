//! Txtar: many files in one text file, in the layout of Go's
//! `golang.org/x/tools/txtar`, so that one case or one expected result is one
//! reviewable file — and one that can hold what a folder in git cannot: a
//! `.git/` directory, or a `.gitignore` that would hide its own siblings.
//!
//! The layout and what it holds are documented on [`Tree::from_txtar`].

use std::fmt;
use std::io;
use std::path::Path;

use super::{DEFAULT_FILE_MODE, Node, Tree, TreeError};
use crate::error::IoResultExt;
use crate::sys;

/// What a txtar file holds: its comment (the text before the first header)
/// and the tree its entries make.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Txtar {
    /// The text before the first header, ending in a line break unless empty.
    pub(crate) comment: String,
    pub(crate) tree: Tree,
}

/// Why text is not a txtar file fixtree reads, or why a tree cannot be
/// printed as one. `Display` names the line or the entry, the rule and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxtarError {
    /// The text does not read.
    Parse {
        /// The line, counted from 1.
        line: usize,
        /// Why, and what to do.
        message: String,
    },
    /// An entry of the tree has no txtar form.
    Print {
        /// The entry's `/`-separated path, or `the comment`.
        entry: String,
        /// Why, and what to do.
        message: String,
    },
}

impl fmt::Display for TxtarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TxtarError::Parse { line, message } => write!(f, "line {line}: {message}"),
            TxtarError::Print { entry, message } => write!(f, "{entry}: {message}"),
        }
    }
}

impl std::error::Error for TxtarError {}

/// The words a header may end with, in parentheses.
const EXEC: &str = "exec";
const NO_FINAL_NEWLINE: &str = "no final newline";
const MARKS: [&str; 2] = [EXEC, NO_FINAL_NEWLINE];

/// A header line, read: the entry it opens.
#[derive(Debug, Default, PartialEq, Eq)]
struct Header<'a> {
    /// The key, without a directory's trailing `/`.
    name: &'a str,
    dir: bool,
    exec: bool,
    no_final_newline: bool,
}

impl<'a> Header<'a> {
    /// `line` (with or without its line break) as a header, if it is one:
    /// `-- ` then a name that is not blank, then ` --`.
    fn read(line: &'a str) -> Option<Header<'a>> {
        let inner = chomp(line).strip_prefix("-- ")?.strip_suffix(" --")?.trim();
        let inner = Some(inner).filter(|inner| !inner.is_empty())?;
        let (name, words) = annotations(inner).unwrap_or((inner, Vec::new()));
        let dir = name.ends_with('/');
        let name = name.strip_suffix('/').unwrap_or(name);
        Some(Header {
            name,
            dir,
            exec: words.contains(&EXEC),
            no_final_newline: words.contains(&NO_FINAL_NEWLINE),
        })
    }

    /// The header line, line break included.
    fn line(&self) -> String {
        let marks = [(self.exec, EXEC), (self.no_final_newline, NO_FINAL_NEWLINE)];
        let words: Vec<&str> = marks.iter().filter(|m| m.0).map(|m| m.1).collect();
        let marks = Some(words.join(", ")).filter(|w| !w.is_empty());
        let marks = marks.map_or(String::new(), |words| format!(" ({words})"));
        let slash = if self.dir { "/" } else { "" };
        format!("-- {}{slash}{marks} --\n", self.name)
    }
}

/// `line` without its line break, LF or CRLF.
fn chomp(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// `name (word, word)` as the name and the words, if every word is one fixtree knows.
fn annotations(inner: &str) -> Option<(&str, Vec<&str>)> {
    let (name, words) = inner.strip_suffix(')')?.rsplit_once(" (")?;
    let words: Vec<&str> = words.split(',').map(str::trim).collect();
    let known = words.iter().all(|word| MARKS.contains(word));
    known.then(|| (name.trim_end(), words))
}

/// Adds the entry of `header`, which is on line `line`, holding `content`.
fn add(tree: &mut Tree, header: Header<'_>, line: usize, content: &str) -> Result<(), TxtarError> {
    let error = |line, message| TxtarError::Parse { line, message };
    let node = if header.dir {
        let name = header.name;
        if header.exec || header.no_final_newline {
            let message = format!(
                "directory {name:?} is marked (exec) or (no final newline), which only a file can \
                 be; remove the marks, or the '/' to make it a file"
            );
            return Err(error(line, message));
        }
        if !content.is_empty() {
            let message = format!(
                "text under directory header {:?} (line {line}): a header ending in '/' makes an \
                 empty directory and takes no content; remove the text, or the '/' to make it a file",
                header.line().trim_end()
            );
            return Err(error(line + 1, message));
        }
        Node::Dir(Tree::new())
    } else {
        let mut contents = String::new();
        push_lines(&mut contents, content);
        if header.no_final_newline {
            contents.truncate(chomp(&contents).len());
        }
        // Executable is all of a mode that git keeps: the x bits.
        let exec_bits = if header.exec { 0o111 } else { 0 };
        Node::file_with_mode(contents, DEFAULT_FILE_MODE | exec_bits)
    };
    tree.insert(header.name, node).map(drop).map_err(|e| {
        let fix = match e {
            TreeError::Key(_) => "; fix the name in the header",
            _ => "",
        };
        error(line, format!("{e}{fix}"))
    })
}

/// Appends `text`, and a line break if it has text and does not end in one.
fn push_lines(out: &mut String, text: &str) {
    out.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
}

impl Txtar {
    /// Reads txtar text ([`Tree::from_txtar`]), its comment kept.
    pub(crate) fn parse(text: &str) -> Result<Txtar, TxtarError> {
        let mut txtar = Txtar::default();
        // The entry open (its header and line) and where its content begins;
        // before the first, the comment.
        let (mut open, mut start, mut at) = (None, 0, 0);
        let mut comment = text;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            if line.contains('\0') {
                return Err(TxtarError::Parse {
                    line: index + 1,
                    message: "a NUL byte: a txtar file holds text only; keep binary files in a \
                              snapshot folder"
                        .to_owned(),
                });
            }
            if let Some(header) = Header::read(line) {
                match open.replace((header, index + 1)) {
                    Some((done, line)) => add(&mut txtar.tree, done, line, &text[start..at])?,
                    None => comment = &text[..at],
                }
                start = at + line.len();
            }
            at += line.len();
        }
        if let Some((done, line)) = open {
            add(&mut txtar.tree, done, line, &text[start..])?;
        }
        push_lines(&mut txtar.comment, comment);
        Ok(txtar)
    }

    /// The txtar text, the comment first ([`Tree::to_txtar`]).
    pub(crate) fn print(&self) -> Result<String, TxtarError> {
        print(&self.comment, &self.tree)
    }
}

/// Reads and parses the txtar file at `path`; an error names the line,
/// and bytes that are not UTF-8 are one.
pub(crate) fn read_txtar(path: &Path) -> io::Result<Txtar> {
    let bytes = std::fs::read(path).at("read txtar file", path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| TxtarError::Parse {
        line: bytes[..e.valid_up_to()].split(|&b| b == b'\n').count(),
        message: "bytes that are not UTF-8: a txtar file holds text only; keep binary \
                  files in a snapshot folder"
            .to_owned(),
    });
    let txtar = text.and_then(Txtar::parse);
    txtar.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}

fn print(comment: &str, tree: &Tree) -> Result<String, TxtarError> {
    let mut out = String::new();
    push_text(&mut out, comment).map_err(|(number, line)| TxtarError::Print {
        entry: "the comment".to_owned(),
        message: format!(
            "line {number}, {line:?}, reads as a txtar header ('-- name --'), which would start \
             a file; reword it"
        ),
    })?;
    for (path, node) in tree.walk() {
        let refuse = |message: &str| TxtarError::Print {
            entry: path.clone(),
            message: message.to_owned(),
        };
        let text = match node {
            _ if sys::is_spelled(&path) => Err(
                "a name that is not UTF-8 (Tree::insert_os), which a txtar header cannot hold; \
                 write the tree to a directory instead",
            ),
            Node::Dir(sub) if sub.is_empty() => Ok(""),
            Node::Dir(_) => continue,
            Node::Symlink { .. } => Err(
                "a symbolic link, which a txtar file cannot hold; keep it in a snapshot folder, \
                 or leave it out of the comparison with ignore = [..]",
            ),
            Node::File { contents, .. } => match super::as_text(contents) {
                None => Err(
                    "a binary file (not UTF-8 text, or holding a NUL byte): a txtar file holds \
                     text only; keep binary files in a snapshot folder",
                ),
                Some(text) if text.ends_with('\r') => Err(
                    "ends in a carriage return without a line feed, which a txtar file cannot \
                     tell from a CRLF line ending; keep it in a snapshot folder",
                ),
                Some(text) => Ok(text),
            },
        };
        let content = text.map_err(refuse)?;
        let header = Header {
            name: &path,
            dir: matches!(node, Node::Dir(_)),
            exec: matches!(node, Node::File { mode: Some(bits), .. } if bits & 0o111 != 0),
            no_final_newline: !content.is_empty() && !content.ends_with('\n'),
        };
        let line = header.line();
        if line.trim_end_matches('\n').contains(['\n', '\r'])
            || Header::read(&line).as_ref() != Some(&header)
        {
            return Err(refuse(
                "a name that a txtar header cannot hold as it is (it has surrounding spaces, a line \
                 break, or ends like a mark such as \" (exec)\"); rename it, or keep it in a \
                 snapshot folder",
            ));
        }
        out.push_str(&line);
        push_text(&mut out, content).map_err(|(number, line)| {
            refuse(&format!(
                "line {number} of the file, {line:?}, reads as a txtar header ('-- name --'), \
                 which a txtar file cannot hold inside a file; keep it in a snapshot folder"
            ))
        })?;
    }
    Ok(out)
}

/// Appends `text`, with a line break at the end if it has none, unless a
/// line of it reads as a header: then that line's number and the line.
fn push_text<'a>(out: &mut String, text: &'a str) -> Result<(), (usize, &'a str)> {
    let mut lines = text.split_inclusive('\n').enumerate();
    if let Some((index, line)) = lines.find(|(_, line)| Header::read(line).is_some()) {
        return Err((index + 1, line.trim_end_matches(['\n', '\r'])));
    }
    push_lines(out, text);
    Ok(())
}

impl Tree {
    /// The tree of txtar text, in the layout of Go's `golang.org/x/tools/txtar`:
    /// many files in one text file, so that one case or one expected result
    /// is one reviewable file — and one that can hold what a folder in git
    /// cannot: a `.git/` directory, or a `.gitignore` that would hide its
    /// own siblings.
    ///
    /// The layout, as Go's: an optional comment, then entries, each a header line
    /// `-- NAME --` (the name trimmed of surrounding spaces) followed by the
    /// file's lines up to the next header; a last line without a line break gets
    /// one. Where Go stops, fixtree adds, in the header only:
    ///
    /// - `-- empty/ --`: a trailing `/` makes an (empty) directory; it takes no
    ///   content lines.
    /// - `-- run.sh (exec) --`: an executable file (all of a mode that git keeps).
    /// - `-- out.txt (no final newline) --`: the file's last line break is the
    ///   layout's, not the file's. Both may be given: `(exec, no final newline)`.
    ///   A parenthesized suffix holding other words is part of the name.
    /// - A header line may end in CRLF, so a file git checked out with CRLF
    ///   line endings still reads; its contents keep their CRLFs, which
    ///   `assert_tree!(dir, from = "….txtar")` takes as LF, as it does a snapshot
    ///   folder's, unless `line_endings = "exact"`.
    ///
    /// A `.keep` file is an ordinary file here (`-- empty/ --` is the empty
    /// directory), and no mode but the executable bit, nor any time, is kept.
    ///
    /// Names follow the key rules of specs (no `.` or `..` segment, not
    /// absolute, no `\` or drive prefix, and on Windows no name it cannot hold):
    /// a txtar file never writes outside the directory it fills.
    /// Contents are text (UTF-8 without NUL bytes). Symbolic links, binary files,
    /// and a content line that itself reads as a header cannot be held: printing
    /// such a tree is an error naming the entry.
    ///
    /// The comment, the text before the first header, is set aside (update
    /// mode keeps it). Errors name the line: a name that breaks the key rules
    /// (e.g. `../x`), a path given twice or through a file, text under a
    /// directory header, or a NUL byte.
    ///
    /// ```
    /// let tree = fixtree::Tree::from_txtar(
    ///     "A repository with an ignore file.\n-- .gitignore --\n*\n-- .git/config --\n[core]\n-- empty/ --\n-- run.sh (exec) --\n#!/bin/sh\n",
    /// )?;
    /// assert_eq!(tree, fixtree::tree! {
    ///     ".gitignore" => "*\n",
    ///     ".git/config" => "[core]\n",
    ///     "empty" => {},
    ///     "run.sh" => exec("#!/bin/sh\n"),
    /// });
    ///
    /// let err = fixtree::Tree::from_txtar("-- a.txt --\nx\n-- ../b.txt --\ny\n").unwrap_err();
    /// assert_eq!(err, fixtree::TxtarError::Parse {
    ///     line: 3,
    ///     message: "key \"../b.txt\" has a '.' or '..' segment: name the path directly, \
    ///               without '.' or '..', so it stays inside the root; fix the name in the header".into(),
    /// });
    /// # Ok::<(), fixtree::TxtarError>(())
    /// ```
    pub fn from_txtar(text: &str) -> Result<Tree, TxtarError> {
        Txtar::parse(text).map(|txtar| txtar.tree)
    }

    /// The tree as txtar text ([`from_txtar`](Tree::from_txtar) reads it
    /// back): each file and empty directory in path order. Only whether a
    /// file is executable is kept of its mode, as git keeps it; modification
    /// times are not kept.
    ///
    /// Errors name the entry that has no txtar form: a symbolic link, a
    /// binary file (not UTF-8, or holding a NUL byte), a content line that
    /// reads as a header, a name a header cannot hold (surrounding spaces,
    /// a line break, a suffix like ` (exec)`, or a name that is not UTF-8,
    /// which only [`insert_os`](Tree::insert_os) and [`Tree::read`] give).
    ///
    /// ```
    /// let tree = fixtree::tree! {
    ///     "run.sh" => exec("#!/bin/sh\n"),
    ///     "out.txt" => "no line break",
    ///     "logs" => {},
    /// };
    /// let text = tree.to_txtar()?;
    /// assert_eq!(text, "-- logs/ --\n-- out.txt (no final newline) --\nno line break\n-- run.sh (exec) --\n#!/bin/sh\n");
    /// assert_eq!(fixtree::Tree::from_txtar(&text)?, tree);
    ///
    /// let err = fixtree::tree! { "notes.md" => "-- a --\n" }.to_txtar().unwrap_err();
    /// assert!(err.to_string().starts_with("notes.md: line 1 of the file, \"-- a --\", reads as a txtar header"));
    /// assert!(fixtree::tree! { "latest" => symlink("a") }.to_txtar().is_err());
    /// # Ok::<(), fixtree::TxtarError>(())
    /// ```
    pub fn to_txtar(&self) -> Result<String, TxtarError> {
        print("", self)
    }
}

#[cfg(test)]
mod tests {
    use super::{Header, Txtar};

    #[test]
    fn headers_as_go_reads_them_plus_marks() {
        let read = |line| Header::read(line).map(|h| (h.name, h.dir, h.exec, h.no_final_newline));
        assert_eq!(read("--   a b  --\n"), Some(("a b", false, false, false)));
        assert_eq!(read("-- a --\r\n"), Some(("a", false, false, false)));
        assert_eq!(read("-- d/ --"), Some(("d", true, false, false)));
        assert_eq!(
            read("-- x (no final newline , exec) --"),
            Some(("x", false, true, true))
        );
        assert_eq!(
            read("-- x (draft) --"),
            Some(("x (draft)", false, false, false))
        );
        assert_eq!(read("--  --"), None);
        assert_eq!(read("-- --"), None);
        assert_eq!(read("-- a -- x"), None);
        assert_eq!(read(" -- a --"), None);
    }

    #[test]
    fn a_last_line_without_a_break_gets_one_and_crlf_headers_read() {
        let txtar = Txtar::parse("note\r\n-- a --\r\nx\r\n-- b --\ny").unwrap();
        assert_eq!(txtar.comment, "note\r\n");
        assert_eq!(txtar.tree.get("a"), Some(&crate::Node::file("x\r\n")));
        assert_eq!(txtar.tree.get("b"), Some(&crate::Node::file("y\n")));
    }

    #[test]
    fn no_final_newline_drops_a_crlf_too() {
        let tree = crate::Tree::from_txtar("-- a (no final newline) --\r\nx\r\n").unwrap();
        assert_eq!(tree.get("a"), Some(&crate::Node::file("x")));
    }

    #[test]
    fn the_comment_is_kept_apart_given_a_line_break_and_never_read_as_a_header() {
        let txtar = Txtar::parse("no files").unwrap();
        assert_eq!(
            (txtar.comment.as_str(), txtar.tree.len()),
            ("no files\n", 0)
        );
        let comment = Txtar {
            comment: "-- looks like a header --\n".to_owned(),
            tree: crate::Tree::new(),
        };
        assert_eq!(
            comment.print().unwrap_err().to_string(),
            "the comment: line 1, \"-- looks like a header --\", reads as a txtar header \
             ('-- name --'), which would start a file; reword it"
        );
    }

    #[test]
    fn non_utf8_bytes_name_their_line() {
        let dir = crate::tempdir().unwrap();
        let path = dir.path().join("case.txtar");
        std::fs::write(&path, b"-- a --\nok\n\xff\n").unwrap();
        let err = super::read_txtar(&path).unwrap_err();
        assert_eq!(err.to_string().split(':').next(), Some("line 3"));
    }
}
