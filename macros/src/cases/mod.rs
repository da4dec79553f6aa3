//! `#[cases("tests/cases/*")]`: a test per case folder, each run in a fresh
//! directory holding the case's `input/` and compared with its `expected/`;
//! options name those folders otherwise (`input = "in"`, `expected =
//! "out"`) and say what is compared (`subset`, `ignore = [..]`).
//!
//! [`args`] reads the pattern and options, [`find`] lists and checks the case folders
//! when the test compiles, and [`expand`] writes the tests. The function is
//! checked by the rules of `#[with_tempdir]` (`with_tempdir::valid`), after
//! what `#[cases]` alone refuses: a test attribute, `async`.

mod expand;
mod find;

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, FnArg, Ident, Item, ItemFn, LitStr, Pat, PatType, Token, Type};

use crate::assert_tree::parse_ignore;
use crate::errors::Errors;
use crate::options::{self, Named, Options};
use crate::with_tempdir::expand::fallback;
use crate::with_tempdir::valid::{
    self, CASES, is_parametrizing, is_plain_test, is_should_panic, is_test_attribute,
};

/// The expansion of `#[cases(args)] item`.
pub(crate) fn cases(args: TokenStream, tokens: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    expand_in(args, tokens, manifest_dir)
}

/// [`cases`], with the crate's folder given: the tests give their own.
fn expand_in(args: TokenStream, tokens: TokenStream, manifest_dir: Option<PathBuf>) -> TokenStream {
    let mut errors = Errors::default();
    let args = self::args(args, &mut errors);
    let found = match (&args, &manifest_dir) {
        (Some(args), Some(dir)) => find::cases(args, dir, &mut errors),
        (Some(args), None) => {
            errors.error_spanned_by(
                &args.pattern,
                "CARGO_MANIFEST_DIR is not set: the case pattern is relative to the crate's \
                 folder, which cargo tells the compiler; build with cargo",
            );
            Vec::new()
        }
        (None, _) => Vec::new(),
    };
    let (tokens, case) = take_case(tokens);
    match (valid::test_fn(tokens, CASES, &mut errors), args) {
        (Ok(test), Some(args)) => expand::cases(test, case, &args, &found),
        (Err(fallback), _) => fallback,
        // Not reached (a missing pattern is an error, and `test_fn` is `Ok`
        // only without one), yet a macro answers with its errors, never a panic.
        (Ok(test), None) => fallback(errors, Some(Item::Fn(test.item)), TokenStream::new()),
    }
}

/// The function in `tokens` without its parameter `name: &Case` (a
/// reference to a type named `Case`, `fixtree::Case`), which the expansion
/// passes, and that parameter with its place; the function's other rules
/// are checked without it.
fn take_case(tokens: TokenStream) -> (TokenStream, Option<(usize, PatType)>) {
    let Ok(mut item) = syn::parse2::<ItemFn>(tokens.clone()) else {
        return (tokens, None);
    };
    let is_case = |arg: &FnArg| match arg {
        FnArg::Typed(param) => {
            let named = matches!(&*param.pat, Pat::Ident(ident) if ident.subpat.is_none());
            let reference = match &*param.ty {
                Type::Reference(reference) => Some(&*reference.elem),
                _ => None,
            };
            let case = |ty: &Type| matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Case"));
            named && reference.is_some_and(case)
        }
        FnArg::Receiver(_) => false,
    };
    let Some(index) = item.sig.inputs.iter().position(is_case) else {
        return (tokens, None);
    };
    let mut inputs: Vec<FnArg> = std::mem::take(&mut item.sig.inputs).into_iter().collect();
    let FnArg::Typed(case) = inputs.remove(index) else {
        return (tokens, None);
    };
    item.sig.inputs = inputs.into_iter().collect();
    (item.into_token_stream(), Some((index, case)))
}

/// Appended to every message about the arguments.
const FORM: &str = "#[cases] takes the pattern naming the case folders, relative to CARGO_MANIFEST_DIR: \
#[cases(\"tests/cases/*\")]; each case folder holds input/ (the files the test starts with) and \
expected/ (what its directory must hold afterwards); options may follow: \
input = \"in\", expected = \"out\" (the names of those folders), subset (compare only the paths \
expected/ holds), ignore = [\"*.log\"] (paths not compared)";

/// What `#[cases(…)]` says: the pattern and its options.
pub(crate) struct Args {
    pub(crate) pattern: LitStr,
    /// The name of each case's input folder.
    pub(crate) input: String,
    /// The name of each case's expected folder.
    pub(crate) expected: String,
    /// Only the paths the expected folder holds are compared.
    pub(crate) subset: bool,
    pub(crate) ignore: Vec<LitStr>,
}

enum Key {
    Input,
    Expected,
    Ignore,
}

const OPTIONS: Options<Key> = Options {
    noun: "option",
    names: &[
        (Key::Input, "input", "input = \"in\""),
        (Key::Expected, "expected", "expected = \"out\""),
        (Key::Ignore, "ignore", "ignore = [\"*.log\", \"target/**\"]"),
    ],
    forms: FORM,
    not_an_option: |_| format!("expected an option such as `subset` or `ignore = [..]`; {FORM}"),
};

/// The arguments, or `None` after reporting what is wrong with them.
fn args(args: TokenStream, errors: &mut Errors) -> Option<Args> {
    if args.is_empty() {
        let message = format!("missing the case pattern; {FORM}");
        errors.push(syn::Error::new(Span::call_site(), message));
        return None;
    }
    let parser = |input: ParseStream| parse(input, errors);
    let result = parser.parse2(args);
    errors.ok(result).flatten()
}

fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<Option<Args>> {
    let first = options::rest(input)?;
    let Some(pattern) = options::literal(&first) else {
        let message = format!(
            "expected one string literal, the case pattern; it is read at compile time, \
             so it cannot be computed; {FORM}"
        );
        errors.error_spanned_by(first, message);
        input.parse::<TokenStream>()?;
        return Ok(None);
    };
    let mut args = Args {
        pattern,
        input: "input".to_owned(),
        expected: "expected".to_owned(),
        subset: false,
        ignore: Vec::new(),
    };
    input.parse::<Option<Token![,]>>()?;
    let (mut names, mut ignore) = ([None, None], None);
    while !input.is_empty() {
        // `subset`, a word alone: the one option without a value.
        let ahead = input.fork();
        let subset = (ahead.parse::<Ident>().ok())
            .filter(|word| word == "subset" && (ahead.is_empty() || ahead.peek(Token![,])));
        match subset {
            Some(word) => {
                input.parse::<Ident>()?;
                if args.subset {
                    errors.error_spanned_by(word, "duplicate option `subset`: give it once");
                }
                args.subset = true;
            }
            None => {
                if let Some(named) = OPTIONS.parse_one(input, errors)? {
                    option(&named, &mut names, &mut ignore, errors);
                }
            }
        }
        options::separator(
            input,
            errors,
            format_args!("expected `,` between options; {FORM}"),
        )?;
    }
    let [input_name, expected_name] = names;
    let value = |name: &Option<LitStr>, default: &str| {
        name.as_ref()
            .map_or_else(|| default.to_owned(), LitStr::value)
    };
    let (input, expected) = (
        value(&input_name, &args.input),
        value(&expected_name, &args.expected),
    );
    // Compared after the defaults: `input = "expected"` alone names one folder twice.
    if let (true, Some(given)) = (
        input == expected,
        expected_name.as_ref().or(input_name.as_ref()),
    ) {
        errors.error_spanned_by(
            given,
            "the input and expected folders of a case need two names: the test starts from \
             one and is compared with the other",
        );
    }
    (args.input, args.expected) = (input, expected);
    args.ignore = ignore.unwrap_or_default();
    Ok(Some(args))
}

/// Reads `named` into its slot: the folder names (input, expected) or the
/// ignore globs.
fn option(
    named: &Named<Key>,
    names: &mut [Option<LitStr>; 2],
    ignore: &mut Option<Vec<LitStr>>,
    errors: &mut Errors,
) {
    let (slot, advice) = match named.key {
        Key::Input => (&mut names[0], "give the input folder's name once"),
        Key::Expected => (&mut names[1], "give the expected folder's name once"),
        Key::Ignore => {
            let globs = parse_ignore.parse2(named.value.clone());
            let advice = "list every glob in one `ignore = [..]`";
            return OPTIONS.set_once(ignore, named, globs, advice, errors);
        }
    };
    let name = folder_name.parse2(named.value.clone());
    OPTIONS.set_once(slot, named, name, advice, errors);
}

/// The name after `input =` or `expected =`: one folder name, in each case folder.
fn folder_name(input: ParseStream) -> syn::Result<LitStr> {
    const SHAPE: &str = "`input` and `expected` each name a folder in every case folder: one \
                         name, a string literal, e.g. input = \"in\", expected = \"out\"";
    let name: LitStr = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), SHAPE))?;
    if !fixtree_rules::is_segment(&name.value()) || !input.is_empty() {
        return Err(syn::Error::new_spanned(name, SHAPE));
    }
    Ok(name)
}

/// Reports, and takes off, what a function under `#[cases]` cannot have:
/// `#[test]` alone (each case gets its own), a parametrizing attribute,
/// `#[should_panic]` (a case passes when its directory matches), and
/// `async` without a test attribute to run it. Another test attribute
/// (`#[tokio::test]`, `#[cargo_test]`: see [`is_test_attribute`]) is each
/// case's instead of `#[test]`, with a `#[test]` beside it kept for those
/// that register none; then the directory is the only parameter.
pub(crate) fn refuse(function: &mut ItemFn, errors: &mut Errors) {
    // Beside one that registers no test itself (`#[traced_test]`), `#[test]` is each case's.
    let other = (function.attrs.iter()).any(|attr| is_test_attribute(attr) && !is_plain_test(attr));
    let refused = |attr: &Attribute| {
        (is_plain_test(attr) && !other) || is_parametrizing(attr) || is_should_panic(attr)
    };
    for attr in function.attrs.iter().filter(|attr| refused(attr)) {
        let message = if is_should_panic(attr) {
            "#[cases] cannot take #[should_panic]: a case passes when the test's directory \
             matches the case's expected/ folder; remove it"
        } else {
            "#[cases] makes a #[test] of each case folder itself: remove this attribute \
             (a test attribute of another name, such as #[tokio::test], is used for each case)"
        };
        errors.error_spanned_by(attr.to_token_stream(), message);
    }
    function.attrs.retain(|attr| !refused(attr));
    if !function.attrs.iter().any(is_test_attribute) {
        errors.error_if(
            function.sig.asyncness.take(),
            "#[cases] runs each case as a plain #[test]: remove `async`, or add your runtime's \
             test attribute (e.g. #[tokio::test]) under #[cases] to run each case with it",
        );
    } else if function.sig.inputs.len() > 1 {
        // Nothing supplies more parameters than the directory to a case.
        let inputs = &function.sig.inputs;
        let message = format!("too many parameters: {}", CASES.too_many);
        errors.error_spanned_by(inputs, message);
    }
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
                        subset: false,
                        ignore: &[],
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
                #[allow(unused_imports)]
                use super::*;
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
    fn another_test_attribute_runs_each_case() {
        let root = crate_with(&["t/a/input"]);
        let expanded = expand(
            root.path(),
            r#""t/*""#,
            "#[tokio::test] #[ignore] async fn t(dir: &Path) {}",
        );
        let case = "# [tokio :: test] # [ignore] # [allow (non_snake_case)] async fn a () {";
        assert!(expanded.contains(case), "{expanded}");
        assert!(expanded.contains("}) . await"), "{expanded}");
        assert!(
            expanded.contains("async fn t (case : :: fixtree :: __private :: Case < 'static >)"),
            "{expanded}"
        );
        // One that registers no test (`#[traced_test]`) keeps the `#[test]` beside it.
        let traced = expand(
            root.path(),
            r#""t/*""#,
            "#[traced_test] #[test] fn t(dir: &Path) {}",
        );
        let case = "# [traced_test] # [test] # [allow (non_snake_case)] fn a ()";
        assert!(
            traced.contains(case) && !traced.contains("remove this"),
            "{traced}"
        );
        let cargo = expand(root.path(), r#""t/*""#, "#[cargo_test] fn t(dir: &Path) {}");
        let case = "# [cargo_test] # [allow (non_snake_case)] fn a ()";
        assert!(
            cargo.contains(case) && !cargo.contains("remove this"),
            "{cargo}"
        );
        let case = expand(
            root.path(),
            r#""t/*""#,
            "fn t(c: &fixtree::Case, dir: &Path) {}",
        );
        assert!(
            case.contains("fn t (c : & fixtree :: Case , dir : & Path) { }")
                && case.contains("let c = run . case () ;")
                && case.contains("let result = t (c ,"),
            "{case}"
        );
        let by_value = expand(
            root.path(),
            r#""t/*""#,
            "fn t(dir: &Path, c: fixtree::Case) {}",
        );
        assert!(by_value.contains("too many parameters"), "{by_value}");
        let extra = expand(
            root.path(),
            r#""t/*""#,
            "#[cargo_test] fn t(dir: &Path, n: u8) {}",
        );
        assert!(
            extra.contains("too many parameters: each case passes only the directory"),
            "{extra}"
        );
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
        let args = super::args(args.parse().unwrap(), &mut errors);
        (
            args.map(|args| args.pattern.value()),
            errors.into_compile_error().to_string(),
        )
    }

    #[test]
    fn options_name_the_folders_and_what_is_compared() {
        let mut errors = Errors::default();
        let source = r#""t/*", input = "in", expected = "out", subset, ignore = ["*.log"],"#;
        let args = super::args(source.parse().unwrap(), &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!((args.input.as_str(), args.expected.as_str()), ("in", "out"));
        assert!(args.subset);
        assert_eq!(args.ignore.len(), 1);
        for (bad, message) in [
            (
                r#""t/*", input = "a/b""#,
                "each name a folder in every case folder: one",
            ),
            (
                r#""t/*", expected = out"#,
                "each name a folder in every case folder: one",
            ),
            (r#""t/*", input = "x", expected = "x""#, "need two names"),
            (r#""t/*", input = "expected""#, "need two names"),
            (r#""t/*", expected = "input""#, "need two names"),
            (r#""t/*", subset, subset"#, "duplicate option `subset`"),
            (r#""t/*", subsets"#, "unknown option `subsets`"),
            (
                r#""t/*", inputs = "in""#,
                "unknown option `inputs` (did you mean `input`?)",
            ),
            (
                r#""t/*", ignore = "*.log""#,
                "`ignore` takes a list of string literals",
            ),
        ] {
            let (_, errors) = read(bad);
            assert!(errors.contains(message), "{bad}: {message} in {errors}");
        }
    }

    #[test]
    fn one_string_literal() {
        assert_eq!(
            read(r#""tests/cases/*""#).0.as_deref(),
            Some("tests/cases/*")
        );
        for bad in ["", "PATTERN", r#""a/*", "b/*""#, r#"pattern = "a/*""#] {
            let (pattern, errors) = read(bad);
            // A second literal is a mistake after the pattern, in the options.
            assert_eq!(pattern.is_some(), bad.starts_with('"'), "{bad}");
            assert!(
                errors.contains("#[cases(\\\"tests/cases/*\\\")]"),
                "{errors}"
            );
        }
    }
}
