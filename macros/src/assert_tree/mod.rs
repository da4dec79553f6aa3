//! `assert_tree!`: a directory compared with what it should hold.
//!
//! ```text
//! assert_tree!(dir, { "path" => value, .. })
//! assert_tree!(dir, expected)                    // a Tree, &Tree or ExpectedTree
//! assert_tree!(dir, from = "tests/snapshots/x")  // relative to CARGO_MANIFEST_DIR, found at run time
//! ```
//! each optionally followed by `, ignore = ["glob", …]`; `from` also by
//! `, line_endings = "exact"` (or `"any"`, the default) and by a last `, ..`
//! (only the paths the folder holds are compared).
//!
//! [`parse`] reads the arguments, checking a spec (`crate::spec::validate`)
//! or a folder (`crate::folder`) as it reads it, so that one compile reports
//! every mistake in source order; [`expand`] writes the call into the runtime.

mod expand;
mod parse;

pub(crate) use parse::parse_ignore;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The expansion of `assert_tree!(…)`.
pub(crate) fn assert_tree(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let Some((dir, args)) = parse::args(input, &mut errors) else {
        return expand::fallback(errors, None);
    };
    match &args.expected {
        Some(expected) if errors.is_empty() => expand::assert_tree(&dir, expected, &args),
        _ => expand::fallback(errors, Some(&dir)),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn expand(source: &str) -> String {
        super::assert_tree(source.parse().expect("tokens")).to_string()
    }

    #[test]
    fn spec_form() {
        let tokens = fixtree_rules::tokens::fingerprint(
            r#""logs" => { "run.log" => contains("done"), .. }"#
                .parse()
                .unwrap(),
        );
        let expected = quote! {{
            let actual = &(dir);
            let value_0 = {
                #[allow(unused_imports)]
                use ::fixtree::__private::spec::{contains};
                ::fixtree::__private::expected(contains("done"))
            };
            ::fixtree::__private::assert_tree_inline(
                actual,
                ::fixtree::__private::expected_tree([
                    ("logs", ::fixtree::__private::expected(::fixtree::__private::expected_tree(
                        [("run.log", value_0)],
                        true
                    )))
                ], false),
                &["*.tmp"],
                ::fixtree::__private::SourceSpot {
                    file: ::core::file!(),
                    line: ::core::line!(),
                    column: ::core::column!(),
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    tokens: #tokens,
                }
            );
        }};
        assert_eq!(
            expand(
                r#"dir, { "logs" => { "run.log" => contains("done"), .. } }, ignore = ["*.tmp"],"#
            ),
            expected.to_string()
        );
    }

    #[test]
    fn value_form() {
        let expected = quote! {{
            let actual = &(a + b);
            ::fixtree::__private::assert_tree(actual, tree.clone(), &[]);
        }};
        assert_eq!(expand("a + b, tree.clone()"), expected.to_string());
    }

    #[test]
    fn from_form_checks_the_folder_against_cargo_manifest_dir() {
        // `cargo test` runs this with CARGO_MANIFEST_DIR = macros/.
        let expected = quote! {{
            let actual = &(dir);
            ::fixtree::__private::assert_tree_from(
                actual,
                ::fixtree::__private::SnapshotFolder {
                    written: "src/spec",
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    source: ::core::file!(),
                    subset: false,
                },
                &[],
                ::fixtree::__private::LineEndings::Any,
            );
        }};
        assert_eq!(expand(r#"dir, from = "src/spec""#), expected.to_string());
        let exact =
            expand(r#"dir, from = "src/spec", line_endings = "exact", ignore = ["*.log"],"#);
        assert!(
            exact.contains(r#"& ["*.log"] , :: fixtree :: __private :: LineEndings :: Exact ,"#),
            "{exact}"
        );
        let subset = expand(r#"dir, from = "src/spec", ignore = ["*.log"], .."#);
        assert!(
            subset.contains("subset : true") && !exact.contains("subset : true"),
            "{subset}"
        );

        // A new snapshot: created at run time, once its parent exists.
        let new = expand(r#"dir, from = "src/new_snapshot""#);
        assert!(new.contains("assert_tree_from"), "{new}");
        let missing = expand(r#"dir, from = "src/nope/deeper""#);
        assert!(
            missing.contains("snapshot folder \\\"src/nope/deeper\\\" not found")
                && missing.contains("its parent folder does not exist either"),
            "{missing}"
        );
        let typo = expand(r#"dir, from = "src/spc""#);
        assert!(
            typo.contains("did you mean `spec`?") && !typo.contains("assert_tree_from"),
            "{typo}"
        );
        let file = expand(r#"dir, from = "src/lib.rs""#);
        assert!(file.contains("is not a folder"), "{file}");
        let absolute = expand(r#"dir, from = "/tmp""#);
        assert!(absolute.contains("is absolute"), "{absolute}");
    }
}
