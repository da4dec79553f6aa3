//! `cargo fixtree accept` finds the `{ … }` to rewrite at a record's line
//! and column, and the folders assertions name, in source files that may be
//! anything: on any text and position, it never panics, and a spec it finds
//! is a `{ … }` on character boundaries inside the text. The edits of a
//! record (anyone's) applied to any spec never panic, give a `{ … }` to
//! stand in its place and nothing else, and leave each entry left for the
//! user at a place in it.

#![no_main]

use fixtree_runtime::cli::review::Edit;
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
    edits: Vec<(u8, String, String)>,
}

fuzz_target!(|input: Input| {
    let Input {
        line,
        column,
        text,
        edits,
    } = input;
    let (line, column) = (u32::from(line), u32::from(column));
    let edits: Vec<Edit> = edits
        .into_iter()
        .map(|(kind, path, value)| match kind % 4 {
            0 => Edit::Change { path, value },
            1 => Edit::Remove { path },
            2 => Edit::Add { path, value },
            _ => Edit::Manual {
                path,
                reason: value,
            },
        })
        .collect();
    match source::spec_range(&text, line, column) {
        Ok(spec) => {
            let found = text
                .get(spec.range.clone())
                .expect("a range on char boundaries");
            assert!(found.starts_with('{') && found.ends_with('}'), "{found:?}");
            assert_eq!(spec.tokens.len(), 16);
            apply(&text, &spec.range, &edits);
        }
        Err(why) => assert!(!why.is_empty()),
    }
    // The text as the inside of a spec, where edits find entries more often.
    let wrapped = format!("assert_tree!(d, {{{text}}});\n");
    if let Ok(spec) = source::spec_range(&wrapped, 1, 1) {
        apply(&wrapped, &spec.range, &edits);
    }
    if let Some(at) = source::offset(&text, line, column) {
        assert!(text.is_char_boundary(at));
        assert_eq!(source::line_column(&text, at), (line, column));
    }
    // As if the text were tests/it.rs: `./` folders resolve beside it.
    source::Named::default().add(&text, std::path::Path::new("tests"));
    // The tokenizer remembers every text it read, per thread: forget them.
    proc_macro2::extra::invalidate_current_thread_spans();
});

/// Applies `edits` to the spec at `range` of `text`, checking what comes back.
fn apply(text: &str, range: &std::ops::Range<usize>, edits: &[Edit]) {
    let written = &text[range.clone()];
    // No edits: the spec as it is, if it reads at all.
    if let Ok(same) = source::apply_edits(text, range, &[]) {
        assert_eq!(same.spec, written);
    }
    let Ok(applied) = source::apply_edits(text, range, edits) else {
        return;
    };
    let spec = &applied.spec;
    assert!(spec.starts_with('{') && spec.ends_with('}'), "{spec:?}");
    let new = format!("{}{spec}{}", &text[..range.start], &text[range.end..]);
    for left in &applied.left {
        assert!(spec.is_char_boundary(left.at) && left.at < spec.len());
        let _ = source::line_column(&new, range.start + left.at);
    }
}
