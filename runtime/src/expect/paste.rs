//! The actual tree a report offers to paste into the test: the directory's
//! first entries, depth first, small files with their contents and larger
//! ones as `any()` with their size — never read.

use std::fmt::{self, Write};
use std::io;
use std::path::Path;

use super::contents::Source;
use super::describe::size;
use super::ignore::Ignore;
use super::limits::{SPEC_ENTRIES, SPEC_FILE_BYTES};
use super::walk::{join, list};
use crate::tree::listing::{Entry, EntryType, Walk};
use crate::tree::{Node, Tree, write_spec};

/// The first [`SPEC_ENTRIES`] entries of `dir` as a tree, and how many
/// more there are. A file over [`SPEC_FILE_BYTES`] stands in it as a link
/// whose target starts with a NUL, which no real link's can: [`write_paste`]
/// prints it as `any()` with the file's size, as the printer would print
/// the file itself had it been read.
pub(crate) fn paste_tree(dir: &Path, ignore: &Ignore) -> io::Result<(Tree, usize)> {
    let mut tree = Tree::new();
    let (mut kept, mut left_out, mut ignored) = (0, 0, 0);
    // Entries in reverse name order per level, so that popping walks depth
    // first; `None` after a directory's entries: back up from it.
    let mut stack: Vec<Option<(Entry, String)>> = Vec::new();
    let mut push_level = |stack: &mut Vec<Option<(Entry, String)>>, walk: &Walk, prefix: &str| {
        let level = list(walk, prefix, ignore, &mut ignored)?;
        stack.extend(level.into_iter().rev().map(|entry| {
            let path = join(prefix, &entry.name);
            Some((entry, path))
        }));
        io::Result::Ok(())
    };
    let mut walk = Walk::new(dir)?;
    push_level(&mut stack, &walk, "")?;
    while let Some(step) = stack.pop() {
        let Some((entry, path)) = step else {
            walk.leave()?;
            continue;
        };
        if let EntryType::Dir = entry.found {
            walk.enter(&entry.name)?;
            stack.push(None);
            push_level(&mut stack, &walk, &path)?;
        }
        if kept == SPEC_ENTRIES {
            left_out += 1;
            continue;
        }
        kept += 1;
        let node = match entry.found {
            EntryType::Dir => Node::Dir(Tree::new()),
            EntryType::Symlink(target) => Node::symlink(target),
            EntryType::File { len, mode } => match (Source::File {
                walk: &walk,
                entry: &entry,
                len,
            })
            .read_up_to(SPEC_FILE_BYTES)?
            {
                Some(contents) => Node::file_with_mode(contents.into_owned(), mode),
                None => Node::symlink(format!("{STAND_IN}{len}")),
            },
        };
        tree.insert(&path, node)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    }
    Ok((tree, left_out))
}

/// The start of a stand-in link's target; its size follows.
const STAND_IN: &str = "\0";

/// Writes `tree` from [`paste_tree`] as pretty spec text.
pub(crate) fn write_paste(tree: &Tree, out: &mut String) -> fmt::Result {
    let mut spec = String::new();
    write_spec(tree, &mut spec, true, Some(SPEC_FILE_BYTES as usize))?;
    // The printer escapes the NUL, and quotes in contents and names, so
    // this opening is a stand-in's and nothing else's.
    let opening = "symlink(\"\\0";
    let mut rest = spec.as_str();
    while let Some(at) = rest.find(opening) {
        out.push_str(&rest[..at]);
        rest = &rest[at + opening.len()..];
        let end = rest.find("\")").expect("a stand-in's literal ends");
        let len: u64 = rest[..end].parse().expect("a stand-in holds a size");
        write!(out, "any() /* {}, not shown */", size(len))?;
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Ok(())
}
