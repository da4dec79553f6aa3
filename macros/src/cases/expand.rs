//! The code of `#[cases("tests/cases/*")]`: the function, made to run one
//! case, and a module named after it holding a test per case folder and the
//! test that checks the folders.
//!
//! ```text
//! #[cases("tests/cases/*")]
//! fn converts(dir: &Path) { body }
//! // becomes, with folders tests/cases/shout and tests/cases/empty
//! fn converts(case: ::fixtree::__private::Case<'static>) {
//!     fn converts(dir: &Path) { body }
//!     let run = ::fixtree::__private::CaseRun::start(case, ::core::module_path!(), "converts");
//!     let result = converts(<&Path as ::fixtree::__private::FromTestDir<'_>>::from_test_dir(run.dir()));
//!     run.finish(result)
//! }
//! #[cfg(test)]
//! mod converts {
//!     #[test]
//!     fn empty() -> impl ::std::process::Termination {
//!         super::converts(::fixtree::__private::Case { folder: "tests/cases/empty", … })
//!     }
//!     #[test]
//!     fn shout() -> impl ::std::process::Termination { … }
//!     #[test]
//!     fn __case_folders_unchanged() {
//!         ::fixtree::__private::CaseFolders { pattern: "tests/cases/*", compiled: &["empty", "shout"], … }.check()
//!     }
//! }
//! ```
//!
//! A function and a module of one name live side by side (values and types
//! are apart), so the harness names each case `converts::shout`, and the
//! thread running it, which names the test's directory, is named so too.
//! The function stays in the scope it was written in: its body and types
//! mean what they say there. A case's test returns whatever the function
//! returns, as an `impl Termination`, since the module cannot always name
//! the function's types; an async one, run by the function's own test
//! attribute (`#[tokio::test]`), which binds it to a variable, names the
//! type as written, through the module's `use super::*`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use quote::quote;
use syn::{Attribute, FnArg, Ident, LitStr, PatType};

use super::Args;
use super::find::{CHECK_TEST, Found};
use crate::with_tempdir::expand::call;
use crate::with_tempdir::valid::{TestFn, is_test_attribute};

/// The function, run once per case of `found`, and the module of their tests.
/// `case` is the function's `&Case` parameter and its place, if it takes one.
pub(crate) fn cases(
    test: TestFn,
    case: Option<(usize, PatType)>,
    args: &Args,
    found: &[Found],
) -> TokenStream {
    let (pattern, subset, globs) = (&args.pattern, args.subset, &args.ignore);
    let private = crate::crate_name::private();
    let TestFn {
        mut item, mut dir, ..
    } = test;

    // `#[ignore]` and a test attribute are for each case's test (`#[test]`
    // by default), `#[cfg]` for the module too; the other outer attributes
    // stay with the function, inner ones with its body.
    let for_each = |attr: &Attribute| attr.path().is_ident("ignore") || is_test_attribute(attr);
    let (each, outer): (Vec<Attribute>, Vec<Attribute>) = std::mem::take(&mut item.attrs)
        .into_iter()
        .partition(for_each);
    let plain = quote!(#[::core::prelude::v1::test]);
    let test = (!each.iter().any(is_test_attribute)).then_some(plain);
    let cfg = outer.iter().filter(|attr| attr.path().is_ident("cfg"));

    let [run, case_arg] = ["run", "case"].map(|name| Ident::new(name, Span::mixed_site()));
    // The case running, by the parameter's own name, before the function is called with it.
    let bind_case = case.map(|(index, param)| {
        let name = param.pat.to_token_stream();
        item.sig.inputs.insert(index, FnArg::Typed(param));
        dir += usize::from(index <= dir);
        quote!(let #name = #run.case();)
    });
    // The directory and the case: valid::test_fn refused others.
    let (_, call) = call(&mut item, dir, &run, &private);

    let vis = std::mem::replace(&mut item.vis, syn::Visibility::Inherited);
    let (name, output, asyncness) = (&item.sig.ident, &item.sig.output, &item.sig.asyncness);
    let await_ = asyncness.as_ref().map(|_| quote!(.await));
    // An async test attribute binds the result to a variable, where `impl
    // Trait` cannot be: it gets the function's own type, named through the
    // module's `use super::*`.
    let returns = match asyncness {
        Some(_) => quote!(#output),
        None => quote!(-> impl ::std::process::Termination),
    };
    let function = LitStr::new(&name.to_string(), name.span());

    let tests = found.iter().map(|found| {
        let Found {
            test: case_test,
            folder,
            ..
        } = found;
        let (input, expected) = (
            format!("{folder}/{}", args.input),
            format!("{folder}/{}", args.expected),
        );
        quote! {
            #test
            #(#each)*
            #[allow(non_snake_case)]
            #asyncness fn #case_test() #returns {
                super::#name(#private::Case {
                    folder: #folder,
                    input: #input,
                    expected: #expected,
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    source: ::core::file!(),
                    subset: #subset,
                    ignore: &[#(#globs),*],
                }) #await_
            }
        }
    });
    let compiled = found.iter().map(|found| &found.name);
    // Fails when a case folder was added or removed since the test was
    // compiled: cargo does not notice.
    let check = Ident::new(CHECK_TEST, Span::call_site());

    quote! {
        #(#outer)*
        // Its tests, in the module, exist only under cfg(test).
        #[cfg_attr(not(test), allow(dead_code))]
        #vis #asyncness fn #name(#case_arg: #private::Case<'static>) #output {
            #item
            let #run = #private::CaseRun::start(#case_arg, ::core::module_path!(), #function);
            #bind_case
            #call
        }

        #(#cfg)*
        #[cfg(test)]
        #vis mod #name {
            // A test attribute the function names by an import resolves here too.
            #[allow(unused_imports)]
            use super::*;

            #(#tests)*

            #[::core::prelude::v1::test]
            fn #check() {
                #private::CaseFolders {
                    pattern: #pattern,
                    compiled: &[#(#compiled),*],
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    source: ::core::file!(),
                }
                .check()
            }
        }
    }
}
