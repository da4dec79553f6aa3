//! The spec language shared by the macros: [`parse`] (syntax), [`validate`]
//! (key rules, duplicates, conflicts, merging) and [`expand`] (code).

pub(crate) mod expand;
pub(crate) mod parse;
pub(crate) mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::errors::Errors;
use crate::target::Target;
use parse::Spec;

/// `tree! { … }`: a `fixtree::Tree`, or on mistakes every error and an
/// empty tree, so code using the value still type-checks.
pub(crate) fn tree(input: TokenStream) -> TokenStream {
    let private = crate::crate_name::private();
    let mut errors = Errors::default();
    if let Some(spec) = errors.ok(syn::parse2::<Spec>(input)) {
        let checked = validate::check(&spec, Target::Tree, &mut errors);
        if errors.is_empty() {
            let (lets, root) = expand::expand(&checked, Target::Tree);
            return quote!({ #lets #root });
        }
    }
    let errors = errors.into_compile_error();
    quote!({ #errors #private::tree([]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(source: &str) -> String {
        tree(source.parse().expect("tokens")).to_string()
    }

    #[test]
    fn one_local_per_value_in_source_order_then_the_merged_levels() {
        let expanded = expand(r#""a/b" => exec("x"), "c" => {}, "a" => { "d" => name }"#);
        let expected = quote! {{
            let value_0 = {
                #[allow(unused_imports)]
                use ::fixtree::__private::spec::{exec};
                ::fixtree::__private::node(exec("x"))
            };
            let value_1 = ::fixtree::__private::node(name);
            ::fixtree::__private::tree([
                ("a", ::fixtree::__private::node(::fixtree::__private::tree([
                    ("b", value_0),
                    ("d", value_1)
                ]))),
                ("c", ::fixtree::__private::node(::fixtree::__private::tree([])))
            ])
        }};
        assert_eq!(expanded, expected.to_string());
    }

    #[test]
    fn empty() {
        assert_eq!(
            expand(""),
            quote!({ ::fixtree::__private::tree([]) }).to_string()
        );
    }

    #[test]
    fn errors_come_with_an_empty_tree() {
        let expanded = expand(r#""/a" => "x", "b" => "y", "b" => "z", .."#);
        assert!(expanded.contains("absolute key"), "{expanded}");
        assert!(expanded.contains("duplicate key"), "{expanded}");
        assert!(
            expanded.contains("only makes sense in an expectation"),
            "{expanded}"
        );
        let block: syn::Block = syn::parse_str(&expanded).expect("a block");
        let last = block.stmts.last().expect("an empty tree last");
        assert_eq!(
            quote!(#last).to_string(),
            ":: fixtree :: __private :: tree ([])"
        );
    }

    #[test]
    fn what_only_windows_refuses_is_a_compile_error_there_only() {
        let expanded = expand(r#""NUL" => "x", "d" => { "e." => "y" }, "ok" => "z""#);
        let nul =
            "key \\\"NUL\\\" has the segment \\\"NUL\\\", which Windows takes for the device NUL";
        let dot = "key \\\"e.\\\" has the segment \\\"e.\\\", ending in a dot";
        for message in [nul, dot] {
            let gated = format!("# [cfg (windows)] :: core :: compile_error ! {{ \"{message}");
            assert!(expanded.contains(&gated), "{gated} in {expanded}");
        }
        // The tree is built as usual: elsewhere these are ordinary names.
        assert!(
            expanded.contains("(\"NUL\" , value_0)") && expanded.contains("(\"e.\" , value_1)"),
            "{expanded}"
        );
        assert!(!expand(r#""a.txt" => "x""#).contains("compile_error"));
    }

    #[test]
    fn parsing_resumes_after_a_malformed_entry() {
        let expanded = expand(r#"1 => "x", "a" "b", "c" => , "/d" => "y""#);
        for message in [
            "a key is a string literal: write \\\"1\\\"",
            "expected `=>` after the key \\\"a\\\"",
            "expected a value after `=>` for the key \\\"c\\\"",
            "absolute key \\\"/d\\\"",
        ] {
            assert!(expanded.contains(message), "{message} in {expanded}");
        }
    }

    #[test]
    fn a_decimal_mode_is_an_error_saying_the_octal_one() {
        let expanded = expand(
            r#""a" => mode(755, "x"), "b" => fixtree::mode(0o755, "y"), "c" => mode(7, "z"), "d" => { "e" => mode(644u32, exec("f")) }"#,
        );
        let decimal =
            "`755` is decimal (0o1363 in octal): permission bits are octal, write `0o755`";
        assert!(expanded.contains(&format!("{decimal:?}")), "{expanded}");
        assert!(
            expanded.contains(
                "`644u32` is decimal (0o1204 in octal): permission bits are octal, write `0o644u32`"
            ),
            "{expanded}"
        );
        assert_eq!(expanded.matches("is decimal").count(), 2, "{expanded}");
        assert!(
            !expand(r#""a" => mode(0o755, "x"), "b" => mode(0x1ed, "y"), "c" => mode(0, "z")"#)
                .contains("compile_error")
        );
    }

    #[test]
    fn absent_in_a_tree_is_an_error_saying_where_it_removes() {
        let expanded = expand(r#""a" => absent(), "b" => { "c" => spec::absent() }, "d" => any()"#);
        let message = "absent() removes what an earlier layer made: \
                       use it in a later layer of files = [...]";
        assert_eq!(expanded.matches(message).count(), 2, "{expanded}");
        // Not by its name alone: a value computed by a call with arguments.
        assert!(!expand(r#""a" => absent(1)"#).contains("compile_error"));
    }
}
