//! `#[with_tempdir]`: a test that runs in a fresh directory of its own,
//! filled from a snapshot folder and/or specs, kept when the test fails.
//!
//! [`parse`] reads the arguments, [`valid`] checks the function against the
//! rules of a test, and [`expand`] writes the test. A spec in `files` is the
//! one of `tree!` (parsed, checked and expanded by `crate::spec`), and
//! `from = "…"` is checked as `assert_tree!`'s is (`crate::folder`).

pub(crate) mod expand;
mod parse;
pub(crate) mod valid;

use proc_macro2::TokenStream;

use crate::errors::Errors;
use crate::folder;
use crate::spec::validate;
use crate::target::Target;
use parse::Layer;

/// The expansion of `#[with_tempdir(args)] item`.
pub(crate) fn with_tempdir(args: TokenStream, tokens: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = parse::args(args, &mut errors);
    if let Some(from) = &args.from {
        folder::check(from, Target::Tree, &mut errors);
    }
    let mut files = Vec::new();
    for (index, layer) in args.files.into_iter().flatten().enumerate() {
        files.push(match layer {
            Layer::Spec(spec) => Layer::Spec(validate::check_layer(&spec, index > 0, &mut errors)),
            Layer::Expr(expr) => Layer::Expr(expr),
        });
    }

    match valid::test_fn(tokens, valid::WITH_TEMPDIR, &mut errors) {
        Ok(test) => expand::test(test, args.from.as_ref(), &files),
        Err(fallback) => fallback,
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    fn expand(args: &str, item: &str) -> String {
        super::with_tempdir(args.parse().unwrap(), item.parse().unwrap()).to_string()
    }

    /// The tokens as syn prints them, so that `>>` and `> >`, or `///` and
    /// `#[doc]`, compare equal.
    fn normalized(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("items");
        quote!(#file).to_string()
    }

    /// The expansion of `#[with_tempdir(args)] item`, normalized.
    fn expand_items(args: &str, item: &str) -> String {
        normalized(super::with_tempdir(
            args.parse().unwrap(),
            item.parse().unwrap(),
        ))
    }

    #[test]
    fn the_example_of_the_design() {
        // `cargo test` runs this with CARGO_MANIFEST_DIR = macros/.
        let expanded = expand_items(
            r#"from = "src/spec", files = { "extra.txt" => "x" }"#,
            r#"
            /// Docs.
            #[tokio::test]
            async fn builds(dir: &Path) -> Result<(), Box<dyn Error>> {
                #![allow(unused)]
                body()?;
                Ok(())
            }
            "#,
        );
        let expected = quote! {
            #[doc = " Docs."]
            #[tokio::test]
            async fn builds() -> Result<(), Box<dyn Error>> {
                async fn builds(dir: &Path) -> Result<(), Box<dyn Error>> {
                    #![allow(unused)]
                    body()?;
                    Ok(())
                }
                let fixture = ::fixtree::__private::Fixture::new(
                    ::core::module_path!(),
                    "builds",
                    false,
                );
                fixture.copy_from(::fixtree::__private::SnapshotFolder {
                    written: "src/spec",
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    source: ::core::file!(),
                    subset: false,
                });
                fixture.write(&{
                    let value_0 = ::fixtree::__private::node("x");
                    ::fixtree::__private::tree([("extra.txt", value_0)])
                });
                let result = builds(
                    <&Path as ::fixtree::__private::FromTestDir<'_>>::from_test_dir(fixture.dir())
                ).await;
                fixture.finish(result)
            }
        };
        assert_eq!(expanded, normalized(expected));
    }

    #[test]
    fn adds_test_unless_there_and_keeps_the_other_attributes() {
        let expanded = expand_items(
            "",
            r#"
            #[ignore = "slow"]
            #[should_panic(expected = "boom")]
            #[cfg(unix)]
            pub fn bare(_: PathBuf) {}
            "#,
        );
        let expected = quote! {
            #[ignore = "slow"]
            #[should_panic(expected = "boom")]
            #[cfg(unix)]
            #[::core::prelude::v1::test]
            pub fn bare() {
                fn bare(_: PathBuf) {}
                let fixture = ::fixtree::__private::Fixture::new(
                    ::core::module_path!(),
                    "bare",
                    true,
                );
                let result = bare(
                    <PathBuf as ::fixtree::__private::FromTestDir<'_>>::from_test_dir(fixture.dir())
                );
                fixture.finish(result)
            }
        };
        assert_eq!(expanded, normalized(expected));

        let with_test = expand("", "#[test] fn t(mut dir: PathBuf) {}");
        assert_eq!(with_test.matches("# [test]").count(), 1, "{with_test}");
        // cargo's #[cargo_test] adds its own #[test]: a second would run it twice.
        let cargo_test = expand("", "#[cargo_test] fn c(dir: &Path) {}");
        assert!(
            !cargo_test.contains("prelude :: v1 :: test"),
            "{cargo_test}"
        );
        let raw = expand("", "fn r#match(dir: &Path) {}");
        // Named as libtest names it.
        assert!(raw.contains(r#"module_path ! () , "r#match" ,"#), "{raw}");
    }

    #[test]
    fn a_later_layer_removes_its_absent_paths_before_putting_its_tree() {
        let expanded = expand(
            r#"files = [base(), { "Cargo.lock" => absent(), "src" => { "old.rs" => absent(), "new.rs" => "" } }]"#,
            "fn t(dir: &Path) {}",
        );
        for part in [
            "fixture . write (& :: fixtree :: __private :: layered (& [",
            "put : :: fixtree :: __private :: layer (& (base ())) , remove : & []",
            r#"remove : & ["Cargo.lock" , "src/old.rs"]"#,
            r#"tree ([("src" , :: fixtree :: __private :: node (:: fixtree :: __private :: tree ([("new.rs" , value_0)])))])"#,
        ] {
            assert!(expanded.contains(part), "{part} in {expanded}");
        }
        assert!(!expanded.contains("absent"), "{expanded}");
    }

    #[test]
    fn on_errors_the_function_comes_back_without_its_test_attributes() {
        let expanded = expand(
            "nope = 1",
            r#"
            /// Kept.
            #[test]
            #[should_panic]
            #[ignore]
            #[allow(unused)]
            fn t(dir: &Path, extra: u8) {}
            "#,
        );
        let expected_tail = quote! {
            #[allow(dead_code)]
            #[doc = " Kept."]
            #[allow(unused)]
            fn t(dir: &Path, extra: u8) {}
        };
        assert!(expanded.contains("unknown key `nope`"), "{expanded}");
        assert!(expanded.contains("too many parameters"), "{expanded}");
        assert!(expanded.ends_with(&expected_tail.to_string()), "{expanded}");

        // An item that is not a function comes back as it is.
        let expanded = expand("", "struct S;");
        assert!(
            expanded.contains("expected a function, found a struct"),
            "{expanded}"
        );
        assert!(expanded.ends_with("struct S ;"), "{expanded}");
    }

    #[test]
    fn spec_and_folder_errors_are_reported_with_the_function_ones() {
        let expanded = expand(
            r#"from = "src/nope", files = { "/abs" => "x" }"#,
            "async fn t(dir: &Path) {}",
        );
        for message in [
            "snapshot folder \\\"src/nope\\\" not found",
            "create it, holding the files the test starts with",
            "absolute key \\\"/abs\\\"",
            "an `async fn` test needs its runtime's test attribute",
        ] {
            assert!(expanded.contains(message), "{message} in {expanded}");
        }
    }
}
