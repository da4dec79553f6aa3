//! `Txtar::parse` of arbitrary text never panics, and an error's line lies
//! inside the text; whatever parses is written into a fresh root without
//! anything appearing around it (the directories around it hold what they
//! held), reads back as its tree, and prints to text that parses back to the
//! same comment and tree, or the printing refuses naming what it cannot hold.

#![no_main]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fixtree::{TempDir, Tree, Txtar, TxtarError};
use libfuzzer_sys::fuzz_target;

/// The directory each run writes in: `outer/inner/root` inside a private
/// temporary directory, so that an escape of one or two levels lands in a
/// place this target watches.
fn jail() -> &'static TempDir {
    static JAIL: OnceLock<TempDir> = OnceLock::new();
    JAIL.get_or_init(|| fixtree::tempdir().expect("a temporary directory"))
}

/// Every path under `dir`, recursively, without following links, `root` excluded.
fn listing(dir: &Path, root: &Path, out: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("list a directory") {
        let path = entry.expect("a directory entry").path();
        if path == root {
            continue;
        }
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        out.insert(path.clone());
        if is_dir {
            listing(&path, root, out);
        }
    }
}

/// Whether some name or path is near or past what Linux takes (ENAMETOOLONG).
fn too_long(tree: &Tree) -> bool {
    tree.walk().any(|(path, _)| {
        path.rsplit('/').next().is_some_and(|name| name.len() > 255) || path.len() > 3000
    })
}

fuzz_target!(|data: &[u8]| {
    // Lossy rather than skipping non-UTF-8 input: every input reaches the parser.
    let text = String::from_utf8_lossy(data);
    let txtar = match Txtar::parse(&text) {
        Ok(txtar) => txtar,
        Err(TxtarError::Parse { line, message }) => {
            let lines = text.split_inclusive('\n').count();
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {message}"
            );
            return;
        }
        Err(e) => panic!("parsing gave a printing error: {e}"),
    };

    let jail = jail().path();
    let root = jail.join("outer/inner/root");
    std::fs::create_dir_all(&root).expect("create the root");
    let mut before = BTreeSet::new();
    listing(jail, &root, &mut before);
    let written = txtar.tree.write_to(&root);
    let mut after = BTreeSet::new();
    listing(jail, &root, &mut after);
    assert_eq!(before, after, "write_to changed something outside the root");
    if !too_long(&txtar.tree) {
        if let Err(e) = written {
            panic!("write_to failed on a parsed txtar tree: {e}");
        }
        let read = Tree::read(&root).expect("read the root back");
        assert_eq!(read, txtar.tree, "the root does not read back as the tree");
    }
    // `remove_dir_all` never follows links, and a txtar tree holds none.
    std::fs::remove_dir_all(&root).expect("remove the root");

    match txtar.print() {
        Ok(printed) => match Txtar::parse(&printed) {
            Ok(reparsed) => assert_eq!(
                reparsed, txtar,
                "round trip changed it\nprinted: {printed:?}"
            ),
            Err(e) => panic!("printed text does not parse: {e}\nprinted: {printed:?}"),
        },
        Err(TxtarError::Print { entry, .. }) => assert!(
            entry == "the comment" || txtar.tree.get(&entry).is_some(),
            "printing refused {entry:?}, which the tree does not hold"
        ),
        Err(e) => panic!("printing gave a parse error: {e}"),
    }
});
