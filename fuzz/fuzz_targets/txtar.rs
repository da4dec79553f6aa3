//! `Tree::from_txtar` of arbitrary text never panics, and an error's line
//! lies inside the text; whatever parses is written into a fresh root without
//! anything appearing around it (the directories around it hold what they
//! held), reads back as its tree, and prints to text that parses back to the
//! same tree, or the printing refuses naming what it cannot hold.

#![no_main]

use fixtree::{Tree, TxtarError};
use libfuzzer_sys::fuzz_target;

#[path = "shared/jailed.rs"]
mod jailed;
use jailed::{too_long, write_jailed};

fuzz_target!(|data: &[u8]| {
    // Lossy rather than skipping non-UTF-8 input: every input reaches the parser.
    let text = String::from_utf8_lossy(data);
    let tree = match Tree::from_txtar(&text) {
        Ok(tree) => tree,
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

    let (root, written) = write_jailed(&tree);
    if !too_long(&tree) {
        if let Err(e) = written {
            panic!("write_to failed on a parsed txtar tree: {e}");
        }
        let read = Tree::read(&root).expect("read the root back");
        assert_eq!(read, tree, "the root does not read back as the tree");
    }
    // `remove_dir_all` never follows links, and a txtar tree holds none.
    std::fs::remove_dir_all(&root).expect("remove the root");

    match tree.to_txtar() {
        Ok(printed) => match Tree::from_txtar(&printed) {
            Ok(reparsed) => assert_eq!(
                reparsed, tree,
                "round trip changed it\nprinted: {printed:?}"
            ),
            Err(e) => panic!("printed text does not parse: {e}\nprinted: {printed:?}"),
        },
        Err(TxtarError::Print { entry, .. }) => assert!(
            tree.get(&entry).is_some(),
            "printing refused {entry:?}, which the tree does not hold"
        ),
        Err(e) => panic!("printing gave a parse error: {e}"),
    }
});
