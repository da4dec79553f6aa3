//! `cargo fixtree accept` finds the `{ … }` to rewrite at a record's line
//! and column, and the folders assertions name, in source files that may be
//! anything: on any text and position, it never panics, and a spec it finds
//! is a `{ … }` on character boundaries inside the text.

#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

// The CLI's own module, compiled in: the CLI is a binary crate.
#[allow(dead_code)]
#[path = "../../cli/src/source.rs"]
mod source;

#[derive(Arbitrary, Debug)]
struct Input {
    line: u8,
    column: u8,
    text: String,
}

fuzz_target!(|input: Input| {
    let Input { line, column, text } = input;
    let (line, column) = (u32::from(line), u32::from(column));
    match source::spec_range(&text, line, column) {
        Ok(spec) => {
            let found = text
                .get(spec.range.clone())
                .expect("a range on char boundaries");
            assert!(found.starts_with('{') && found.ends_with('}'), "{found:?}");
            assert_eq!(spec.tokens.len(), 16);
            let _ = source::indented(&text, &spec.range, "{\n    \"a\" => \"x\",\n}");
        }
        Err(why) => assert!(!why.is_empty()),
    }
    if let Some(at) = source::offset(&text, line, column) {
        assert!(text.is_char_boundary(at));
        assert_eq!(source::line_column(&text, at), (line, column));
    }
    source::Named::default().add(&text);
    // The tokenizer remembers every text it read, per thread: forget them.
    proc_macro2::extra::invalidate_current_thread_spans();
});
