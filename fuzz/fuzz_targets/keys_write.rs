//! Arbitrary keys and nodes through the key rules (`Tree::with`,
//! `Tree::insert`) and `Tree::write_to` into a fresh root: nothing appears
//! outside the root (the directories around it hold exactly what they held
//! before), every accepted key ends up at its path as the node it was given,
//! the root reads back as the tree, and a refused key leaves the tree as it was.
//! Keys mix in Windows' separators and prefixes (`\`, `C:`, `\\?\`), and
//! names only Windows refuses (`NUL`, `a.`, `a:b`): no key holding a `\` or
//! starting a segment with a drive is ever accepted.

#![no_main]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use arbitrary::Arbitrary;
use fixtree::spec::IntoNode;
use fixtree::{Node, Tree};
use libfuzzer_sys::fuzz_target;

#[path = "shared/jailed.rs"]
mod jailed;
use jailed::{too_long, write_jailed};

/// A key built from parts, so that the fuzzer reaches `.`, `..`, empty
/// segments, leading slashes and Windows' separators and prefixes without
/// having to spell them; or raw text.
#[derive(Arbitrary, Debug)]
enum Key {
    Parts {
        absolute: bool,
        /// Joined by `\` rather than `/`, as a Windows path.
        backslashes: bool,
        parts: Vec<Part>,
    },
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Part {
    Name(String),
    Dot,
    DotDot,
    Empty,
    /// `c:` for a letter, with the rest of a name after it.
    Drive(u8, String),
    /// A verbatim, device or UNC prefix: `\\?\C:`, `\\.\C:`, `\\server\share`.
    Prefix(u8),
    /// A device name, with an extension: `NUL`, `com1.txt`.
    Device(u8, String),
    /// A name ending in a dot or a space, or holding a colon.
    Windows(u8, String),
}

const PREFIXES: &[&str] = &["\\\\?\\C:", "\\\\.\\C:", "\\\\localhost\\C$", "\\", "C:\\"];
const DEVICES: &[&str] = &[
    "NUL",
    "con",
    "Aux",
    "prn",
    "COM1",
    "lpt9",
    "COM\u{b9}",
    "CONOUT$",
];

impl Part {
    fn text(&self) -> String {
        match self {
            Part::Name(name) => name.clone(),
            Part::Dot => ".".to_owned(),
            Part::DotDot => "..".to_owned(),
            Part::Empty => String::new(),
            Part::Drive(letter, rest) => format!("{}:{rest}", char::from(b'a' + letter % 26)),
            Part::Prefix(which) => PREFIXES[usize::from(*which) % PREFIXES.len()].to_owned(),
            Part::Device(which, extension) => {
                let device = DEVICES[usize::from(*which) % DEVICES.len()];
                match extension.is_empty() {
                    true => device.to_owned(),
                    false => format!("{device}.{extension}"),
                }
            }
            Part::Windows(which, name) => match which % 3 {
                0 => format!("{name}."),
                1 => format!("{name} "),
                _ => format!("{name}:stream"),
            },
        }
    }
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Raw(text) => text.clone(),
            Key::Parts {
                absolute,
                backslashes,
                parts,
            } => {
                let parts: Vec<String> = parts.iter().map(Part::text).collect();
                let joined = parts.join(if *backslashes { "\\" } else { "/" });
                if *absolute {
                    format!("/{joined}")
                } else {
                    joined
                }
            }
        }
    }
}

/// Whether `key` holds what no key may on any platform: a `\`, or a
/// segment starting with a drive (`c:`).
fn names_another_place_on_windows(key: &str) -> bool {
    key.contains('\\')
        || key.split('/').any(|segment| {
            let bytes = segment.as_bytes();
            bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
        })
}

#[derive(Arbitrary, Debug)]
enum FuzzNode {
    File(Vec<u8>),
    /// Permission bits, kept to 0o777 with the owner's read and write, so
    /// that a run as an ordinary user can read every file back.
    Mode(u16, Vec<u8>),
    Exec(Vec<u8>),
    Symlink(Key),
    Dir(Vec<(Key, FuzzNode)>),
}

/// Nesting past this is cut: it only lengthens paths towards PATH_MAX.
const MAX_DEPTH: usize = 6;

impl FuzzNode {
    fn node(&self, depth: usize) -> Node {
        match self {
            FuzzNode::File(contents) => Node::file(contents.as_slice()),
            FuzzNode::Mode(bits, contents) => {
                fixtree::spec::mode(u32::from(*bits) & 0o777 | 0o600, contents.as_slice())
                    .into_node()
            }
            FuzzNode::Exec(contents) => fixtree::spec::exec(contents.as_slice()),
            // No link target can hold a NUL; write_to's error for one is not what this checks.
            FuzzNode::Symlink(target) => fixtree::spec::symlink(target.text().replace('\0', "")),
            FuzzNode::Dir(entries) => {
                let mut tree = Tree::new();
                if depth < MAX_DEPTH {
                    for (key, node) in entries {
                        // Refused keys are checked at the top level; here they drop out.
                        let _ = tree.insert(&key.text(), node.node(depth + 1));
                    }
                }
                Node::Dir(tree)
            }
        }
    }
}

fuzz_target!(|entries: Vec<(Key, FuzzNode)>| {
    let mut tree = Tree::new();
    let mut accepted = Vec::new();
    for (key, node) in &entries {
        let key = key.text();
        let node = node.node(1);
        let before = tree.clone();
        match tree.insert(&key, node.clone()) {
            Ok(_) => {
                assert!(
                    !names_another_place_on_windows(&key),
                    "{key:?} was accepted, but names another place on Windows"
                );
                accepted.push((key, node));
            }
            Err(_) => assert!(tree == before, "a refused key {key:?} changed the tree"),
        }
    }

    let (root, written) = write_jailed(&tree);

    // The key rules do not bound a name's length; the file system does, and
    // paths past PATH_MAX cannot be checked by path. No link can point to an
    // empty target: `write_to` refuses it, naming the rule.
    if !too_long(&tree) {
        if empty_target(&tree) {
            let e = written.expect_err("write_to made a link to an empty target");
            assert!(e.to_string().contains("symlink target is empty"), "{e}");
        } else {
            if let Err(e) = written {
                panic!("write_to failed on a tree of valid keys: {e}");
            }
            for (key, node) in &accepted {
                check_at(&root.join(key), node, key);
            }
            let read = Tree::read(&root).expect("read the root back");
            assert_eq!(read, tree, "the root does not read back as the tree");
        }
    }
    // `remove_dir_all` never follows the links it meets.
    std::fs::remove_dir_all(&root).expect("remove the root");
});

fn empty_target(tree: &Tree) -> bool {
    tree.walk()
        .any(|(_, node)| matches!(node, Node::Symlink { target } if target.as_os_str().is_empty()))
}

fn check_at(path: &Path, node: &Node, key: &str) {
    let meta = std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("accepted key {key:?} is not on disk: {e}"));
    match node {
        Node::File { contents, mode, .. } => {
            assert!(meta.is_file(), "{key:?} should be a file");
            assert_eq!(
                &std::fs::read(path).expect("read"),
                contents,
                "{key:?} contents"
            );
            let want = mode.unwrap_or(fixtree::DEFAULT_FILE_MODE);
            assert_eq!(meta.permissions().mode() & 0o7777, want, "{key:?} mode");
        }
        Node::Dir(_) => assert!(meta.is_dir(), "{key:?} should be a directory"),
        Node::Symlink { target } => {
            assert!(meta.file_type().is_symlink(), "{key:?} should be a symlink");
            assert_eq!(
                &std::fs::read_link(path).expect("read_link"),
                target,
                "{key:?} target"
            );
        }
    }
}
