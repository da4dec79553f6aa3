//! Random trees survive the disk (`write_to` then `read`) and the text
//! (`Display` then `parse`, one-line and indented) unchanged.

use std::collections::BTreeMap;
use std::time::Duration;

use fixtree::spec::unix_time;
use fixtree::{Node, Tree};
use proptest::prelude::*;

/// Characters of names: what needs quoting or escaping in spec text, and
/// what is not ASCII; never '/', '\\' or NUL, which no key holds.
const NAME_CHARS: &[char] = &[
    'a', 'z', 'A', '0', '9', ' ', '.', '-', '_', '"', '\'', '{', '}', '=', '>', ',', '#', '*',
    '\t', '\n', 'é', 'ß', '日', '🦀',
];

/// Characters of text contents: escapes of every kind, multi-byte
/// characters, a bidirectional override and a combining mark.
const TEXT_CHARS: &[char] = &[
    'a', 'Z', ' ', '"', '\'', '\\', '/', '{', '}', '#', '\n', '\r', '\t', '\0', '\u{7}', '\u{1b}',
    '\u{7f}', 'é', '日', '🦀', '\u{202e}', '\u{301}', '\u{feff}',
];

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NAME_CHARS), 1..8)
        .prop_map(String::from_iter)
        // Not `.` or `..`, nor (on Windows) what its file systems cannot hold.
        .prop_filter("a name is a key on this platform", |n| {
            Tree::new().with(n, "").is_ok()
        })
}

/// Files, with a modification time half of the time if `times`.
fn file(times: bool) -> impl Strategy<Value = Node> {
    let text = prop::collection::vec(prop::sample::select(TEXT_CHARS), 0..40)
        .prop_map(|chars| String::from_iter(chars).into_bytes());
    let bytes = prop::collection::vec(any::<u8>(), 0..64);
    let mode = prop::sample::select(vec![None, Some(0o755), Some(0o600), Some(0o640)]);
    // From 1901 to 2514, to the nanosecond: equality and spec text keep
    // whole seconds, rounded down, before the epoch too.
    let time = (-(1_i64 << 31)..(1 << 34), 0..1_000_000_000_u32)
        .prop_map(|(secs, nanos)| unix_time(secs) + Duration::from_nanos(nanos.into()));
    let modified = prop::option::of(time).prop_map(move |time| time.filter(|_| times));
    (prop_oneof![text, bytes], mode, modified).prop_map(|(contents, mode, modified)| Node::File {
        contents,
        mode,
        modified,
    })
}

fn symlink() -> impl Strategy<Value = Node> {
    let segment = prop_oneof![name(), Just(".".to_owned()), Just("..".to_owned())];
    prop::collection::vec(segment, 1..4).prop_map(|segments| Node::symlink(segments.join("/")))
}

fn tree_of(entries: BTreeMap<String, Node>) -> Tree {
    let mut tree = Tree::new();
    for (name, node) in entries {
        tree.insert(&name, node)
            .expect("a generated name is one segment");
    }
    tree
}

/// Trees up to three directories deep, empty directories included; files
/// have modification times if `times` (which `Tree::read` does not record).
fn tree(times: bool) -> impl Strategy<Value = Tree> {
    let node = prop_oneof![3 => file(times), 1 => symlink()].prop_recursive(3, 48, 5, |inner| {
        prop::collection::btree_map(name(), inner, 0..5).prop_map(|e| Node::Dir(tree_of(e)))
    });
    prop::collection::btree_map(name(), node, 0..6).prop_map(tree_of)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[cfg(unix)]

    #[test]
    fn a_written_tree_reads_back_the_same(tree in tree(false)) {
        let dir = fixtree::tempdir().unwrap();
        tree.write_to(dir.path()).unwrap();
        prop_assert_eq!(Tree::read(dir.path()).unwrap(), tree);
    }

    #[test]
    fn a_printed_tree_parses_back_the_same(tree in tree(true)) {
        let one_line = tree.to_string();
        prop_assert!(!one_line.contains('\n'), "{}", one_line);
        prop_assert_eq!(one_line.parse::<Tree>().unwrap(), tree.clone());
        prop_assert_eq!(format!("{tree:#}").parse::<Tree>().unwrap(), tree);
    }
}
