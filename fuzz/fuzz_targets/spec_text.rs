//! `FromStr` of arbitrary spec text never panics, and an error's offset lies
//! inside the text; whatever parses prints (`{}` and `{:#}`) to text that
//! parses back to an equal tree and prints the same again.

#![no_main]

use fixtree::Tree;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lossy rather than skipping non-UTF-8 input: every input reaches the parser.
    let text = String::from_utf8_lossy(data);
    let tree = match text.parse::<Tree>() {
        Ok(tree) => tree,
        Err(e) => {
            assert!(
                e.offset() <= text.len(),
                "offset {} past the end: {e}",
                e.offset()
            );
            assert!(
                text.is_char_boundary(e.offset()),
                "offset inside a character: {e}"
            );
            let _ = e.to_string();
            return;
        }
    };
    for printed in [tree.to_string(), format!("{tree:#}")] {
        let reparsed = match printed.parse::<Tree>() {
            Ok(reparsed) => reparsed,
            Err(e) => {
                panic!("printed text does not parse: {e}\ninput: {text:?}\nprinted: {printed:?}")
            }
        };
        assert_eq!(
            reparsed, tree,
            "round trip changed the tree\nprinted: {printed:?}"
        );
        assert_eq!(
            reparsed.to_string(),
            tree.to_string(),
            "printing is not stable"
        );
    }
});
