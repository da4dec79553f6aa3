//! `#[cases("tests/cases/*")]`: a test per case folder, each run in a fresh
//! directory holding the case's `input/` and compared with its `expected/`.
//!
//! [`pattern`] reads the pattern, [`find`] lists and checks the case folders
//! when the test compiles, and [`expand`] writes the tests. The function is
//! checked by the rules of `#[with_tempdir]` (`with_tempdir::valid`), after
//! what `#[cases]` alone refuses: a test attribute, `async`.

mod expand;
mod find;

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Attribute, Item, ItemFn, LitStr};

use crate::errors::Errors;
use crate::with_tempdir::expand::fallback;
use crate::with_tempdir::valid::{self, CASES, is_should_panic, makes_tests};

/// The expansion of `#[cases(args)] item`.
pub(crate) fn cases(args: TokenStream, tokens: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    expand_in(args, tokens, manifest_dir)
}

/// [`cases`], with the crate's folder given: the tests give their own.
fn expand_in(args: TokenStream, tokens: TokenStream, manifest_dir: Option<PathBuf>) -> TokenStream {
    let mut errors = Errors::default();
    let pattern = pattern(args, &mut errors);
    let found = match (&pattern, &manifest_dir) {
        (Some(pattern), Some(dir)) => find::cases(pattern, dir, &mut errors),
        (Some(pattern), None) => {
            errors.error_spanned_by(
                pattern,
                "CARGO_MANIFEST_DIR is not set: the case pattern is relative to the crate's \
                 folder, which cargo tells the compiler; build with cargo",
            );
            Vec::new()
        }
        (None, _) => Vec::new(),
    };
    match (valid::test_fn(tokens, CASES, &mut errors), pattern) {
        (Ok(test), Some(pattern)) => expand::cases(test, &pattern, &found),
        (Err(fallback), _) => fallback,
        // Not reached (a missing pattern is an error, and `test_fn` is `Ok`
        // only without one), yet a macro answers with its errors, never a panic.
        (Ok(test), None) => fallback(errors, Some(Item::Fn(test.item)), TokenStream::new()),
    }
}

/// Appended to every message about the arguments.
const FORM: &str = "#[cases] takes the pattern naming the case folders, relative to CARGO_MANIFEST_DIR: \
#[cases(\"tests/cases/*\")]; each case folder holds input/ (the files the test starts with) and \
expected/ (what its directory must hold afterwards)";

/// The pattern, or `None` after reporting what is wrong with the arguments.
fn pattern(args: TokenStream, errors: &mut Errors) -> Option<LitStr> {
    let pattern = crate::options::literal(&args);
    if args.is_empty() {
        let message = format!("missing the case pattern; {FORM}");
        errors.push(syn::Error::new(Span::call_site(), message));
    } else if pattern.is_none() {
        let message = format!(
            "expected one string literal, the case pattern; it is read at compile time, \
             so it cannot be computed; {FORM}"
        );
        errors.error_spanned_by(args, message);
    }
    pattern
}

/// Reports, and takes off, what a function under `#[cases]` cannot have:
/// test attributes (each case gets its own `#[test]`), `#[should_panic]`
/// (a case passes when its directory matches), and `async`.
pub(crate) fn refuse(function: &mut ItemFn, errors: &mut Errors) {
    let refused = |attr: &Attribute| makes_tests(attr) || is_should_panic(attr);
    for attr in function.attrs.iter().filter(|attr| refused(attr)) {
        let message = if is_should_panic(attr) {
            "#[cases] cannot take #[should_panic]: a case passes when the test's directory \
             matches the case's expected/ folder; remove it"
        } else {
            "#[cases] makes a #[test] of each case folder itself: remove this attribute"
        };
        errors.error_spanned_by(attr.to_token_stream(), message);
    }
    function.attrs.retain(|attr| !refused(attr));
    errors.error_if(
        function.sig.asyncness.take(),
        "#[cases] runs each case as a plain #[test]: remove `async`, and run the async code \
         in the body with your runtime (e.g. tokio's `Runtime::block_on`)",
    );
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::errors::Errors;

    /// The expansion in a crate at `root`, as syn prints it.
    fn expand(root: &Path, args: &str, item: &str) -> String {
        let tokens = super::expand_in(
            args.parse().unwrap(),
            item.parse().unwrap(),
            Some(root.to_owned()),
        );
        normalized(tokens)
    }

    fn normalized(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("items");
        quote!(#file).to_string()
    }

    fn crate_with(folders: &[&str]) -> fixtree::TempDir {
        let root = fixtree::tempdir().unwrap();
        for folder in folders {
            std::fs::create_dir_all(root.path().join(folder)).unwrap();
        }
        root
    }

    #[test]
    fn a_test_per_case_and_one_checking_the_folders() {
        let root = crate_with(&["t/cases/shout/input", "t/cases/01-empty/input"]);
        let expanded = expand(
            root.path(),
            r#""t/cases/*""#,
            r#"
            /// Docs.
            #[ignore = "slow"]
            fn converts(dir: &Path) -> Result<(), Error> {
                #![allow(unused)]
                body()
            }
            "#,
        );
        let case = |test: &str, folder: &str| {
            let test = syn::Ident::new(test, proc_macro2::Span::call_site());
            let input = format!("{folder}/input");
            let expected = format!("{folder}/expected");
            quote! {
                #[::core::prelude::v1::test]
                #[ignore = "slow"]
                #[allow(non_snake_case)]
                fn #test() -> impl ::std::process::Termination {
                    super::converts(::fixtree::__private::Case {
                        folder: #folder,
                        input: #input,
                        expected: #expected,
                        manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                        package: ::core::env!("CARGO_PKG_NAME"),
                        source: ::core::file!(),
                    })
                }
            }
        };
        let (empty, shout) = (
            case("case_01_empty", "t/cases/01-empty"),
            case("shout", "t/cases/shout"),
        );
        let expected = quote! {
            #[doc = " Docs."]
            #[cfg_attr(not(test), allow(dead_code))]
            fn converts(case: ::fixtree::__private::Case<'static>) -> Result<(), Error> {
                fn converts(dir: &Path) -> Result<(), Error> {
                    #![allow(unused)]
                    body()
                }
                let run = ::fixtree::__private::CaseRun::start(case, ::core::module_path!(), "converts");
                let result = converts(
                    <&Path as ::fixtree::__private::FromTestDir<'_>>::from_test_dir(run.dir())
                );
                run.finish(result)
            }
            #[cfg(test)]
            mod converts {
                #empty
                #shout
                #[::core::prelude::v1::test]
                fn __case_folders_unchanged() {
                    ::fixtree::__private::CaseFolders {
                        pattern: "t/cases/*",
                        compiled: &["01-empty", "shout"],
                        manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                        package: ::core::env!("CARGO_PKG_NAME"),
                        source: ::core::file!(),
                    }
                    .check()
                }
            }
        };
        assert_eq!(expanded, normalized(expected));
    }

    #[test]
    fn refuses_test_attributes_async_and_other_parameters_in_one_compile() {
        let root = crate_with(&["t/a/input"]);
        let expanded = expand(
            root.path(),
            r#""t/*""#,
            "#[test] #[should_panic] async fn t(dir: &Path, n: u8) {}",
        );
        for message in [
            "#[cases] makes a #[test] of each case folder itself: remove this attribute",
            "#[cases] cannot take #[should_panic]",
            "remove `async`",
            "too many parameters: each case passes only the directory",
        ] {
            assert!(expanded.contains(message), "{message} in {expanded}");
        }
        // The function comes back, without its test attributes, and no test.
        assert!(
            expanded.ends_with("fn t (dir : & Path , n : u8) { }"),
            "{expanded}"
        );
        assert!(!expanded.contains("mod t"), "{expanded}");
    }

    fn read(args: &str) -> (Option<String>, String) {
        let mut errors = Errors::default();
        let pattern = super::pattern(args.parse().unwrap(), &mut errors);
        (
            pattern.map(|p| p.value()),
            errors.into_compile_error().to_string(),
        )
    }

    #[test]
    fn one_string_literal() {
        assert_eq!(
            read(r#""tests/cases/*""#).0.as_deref(),
            Some("tests/cases/*")
        );
        for bad in ["", "PATTERN", r#""a/*", "b/*""#, r#"pattern = "a/*""#] {
            let (pattern, errors) = read(bad);
            assert!(pattern.is_none(), "{bad}");
            assert!(
                errors.contains("#[cases(\\\"tests/cases/*\\\")]"),
                "{errors}"
            );
        }
    }
}
