//! The code of `#[with_tempdir]`: the test function the harness calls, with
//! the function as written nested inside it.
//!
//! ```text
//! #[with_tempdir(from = "tests/fixtures/project", files = { "extra.txt" => "x" })]
//! #[tokio::test]
//! async fn builds(dir: &Path) -> Result<(), Box<dyn Error>> { body }
//! // becomes
//! #[tokio::test]
//! async fn builds() -> Result<(), Box<dyn Error>> {
//!     async fn builds(dir: &Path) -> Result<(), Box<dyn Error>> { body }
//!     let fixture = ::fixtree::__private::Fixture::new(::core::module_path!(), "builds", false);
//!     fixture.copy_from(::fixtree::__private::SnapshotFolder {
//!         written: "tests/fixtures/project",
//!         manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
//!         package: ::core::env!("CARGO_PKG_NAME"),
//!         source: ::core::file!(),
//!         subset: false,
//!     });
//!     fixture.write(&{ let value_0 = …; ::fixtree::__private::tree([("extra.txt", value_0)]) });
//!     let result = builds(
//!         <&Path as ::fixtree::FromTestDir<'_>>::from_test_dir(fixture.dir()),
//!     ).await;
//!     fixture.finish(result)
//! }
//! ```
//!
//! The test keeps the function's other parameters, with their attributes,
//! for a parametrizing attribute below to supply (`#[rstest]` with `#[case]`,
//! `#[test_case(…)]`): `fn t(#[case] n: u32, dir: &Path)` becomes
//! `fn t(#[case] n: u32) { … t(n, <dir>) … }`, and the case running names
//! the directory, at run time, from the test thread's name.
//!
//! The function stays a function, so `return`, `?` and early exits in its
//! body mean what they say. `fixture` and `result` are macro-internal
//! (`Span::mixed_site()`): neither the body nor a `files` value can see them.
//! A panic is not caught: the fixture's `Drop` sees it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Item, ItemFn, LitStr, Pat, PatType};

use super::parse::Layer;
use super::valid::{TestFn, is_should_panic, makes_tests, params};
use crate::errors::Errors;
use crate::spec::expand::expand as expand_spec;
use crate::spec::validate::{self, Checked};
use crate::target::Target;

/// The attributes a parameter of the nested function keeps: the ones rustc
/// itself reads there. Others (`#[case]`, `#[values(…)]`) are for the
/// parametrizing attribute, on the test's parameters.
const PARAMETER_ATTRIBUTES: &[&str] = &[
    "cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect",
];

/// The test function for `test`, starting from the folder `from` (if any),
/// then the layers of `files` (if any) written on top.
pub(crate) fn test(test: TestFn, from: Option<&LitStr>, files: &[Layer<Checked>]) -> TokenStream {
    let private = crate::crate_name::private();
    let TestFn { mut item, dir } = test;

    // The attributes go to the test; inner ones (`#![…]`) are still in the
    // body, which `function::item` keeps as tokens.
    let outer = std::mem::take(&mut item.attrs);
    let add_test = (!outer.iter().any(makes_tests)).then(|| quote!(#[::core::prelude::v1::test]));
    let expect_panic = outer.iter().any(is_should_panic);

    let fixture = Ident::new("fixture", Span::mixed_site());
    let (params, run) = call(&mut item, dir, &fixture, &private);

    let vis = std::mem::replace(&mut item.vis, syn::Visibility::Inherited);
    let sig = &item.sig;
    let (name, asyncness, fn_token) = (&sig.ident, &sig.asyncness, &sig.fn_token);
    let (output, generics, where_clause) = (&sig.output, &sig.generics, &sig.generics.where_clause);
    // As libtest names it: `r#match` keeps its `r#`.
    let test_name = LitStr::new(&name.to_string(), name.span());

    let copy = from.map(|from| crate::folder::runtime(from, false));
    let copy = copy.map(|folder| quote!(#fixture.copy_from(#folder);));
    let write = write_layers(files, &fixture);

    quote! {
        #(#outer)*
        #add_test
        #vis #asyncness #fn_token #name #generics (#(#params),*) #output #where_clause {
            #item
            let #fixture = #private::Fixture::new(::core::module_path!(), #test_name, #expect_panic,);
            #copy
            #write
            #run
        }
    }
}

/// The test's own parameters, and the call of the function with the
/// directory `holder` gives at `dir`, ended by `holder.finish(result)`; each
/// parameter of the function keeps only the attributes rustc reads.
pub(crate) fn call(
    item: &mut ItemFn,
    dir: usize,
    holder: &Ident,
    private: &TokenStream,
) -> (Vec<TokenStream>, TokenStream) {
    let (mut outer, mut arguments) = (Vec::new(), Vec::new());
    for (index, param) in params(item).enumerate() {
        if index == dir {
            arguments.push(directory_argument(param, holder, private));
        } else {
            let (outer_param, argument) = passed_on(param, index);
            outer.push(outer_param);
            arguments.push(argument);
        }
        retain_rustc_attributes(param);
    }
    let (name, result) = (&item.sig.ident, Ident::new("result", Span::mixed_site()));
    let await_ = item.sig.asyncness.as_ref().map(|_| quote!(.await));
    let finish = finish(&item.sig.output, holder, &result);
    let call = quote!(let #result = #name(#(#arguments),*) #await_; #finish);
    (outer, call)
}

/// `fixture.finish(result)`, spanned on the return type, so "`Outcome` is
/// not implemented for `i32`" points there (a function returning nothing
/// returns `()`, which always is).
fn finish(output: &syn::ReturnType, fixture: &Ident, result: &Ident) -> TokenStream {
    match output {
        syn::ReturnType::Type(_, ty) => {
            // All of one syntax context (mixed-site), or rustc walks the
            // argument's span back to the attribute.
            let span = Span::mixed_site().located_at(ty.span());
            let (fixture, result) = (located(fixture, span), located(result, span));
            quote_spanned!(span=> #fixture.finish(#result))
        }
        syn::ReturnType::Default => quote!(#fixture.finish(#result)),
    }
}

/// The directory argument, converted to the parameter's type: spanned on
/// the type, so "the trait `FromTestDir` is not implemented for `&str`"
/// points there.
fn directory_argument(param: &PatType, fixture: &Ident, private: &TokenStream) -> TokenStream {
    let (ty, span) = (&param.ty, param.ty.span());
    let fixture = located(fixture, span);
    quote_spanned!(span=> <#ty as #private::FromTestDir<'_>>::from_test_dir(#fixture.dir()))
}

/// Leaves `param` only the attributes rustc reads on a parameter.
pub(crate) fn retain_rustc_attributes(param: &mut PatType) {
    let read = |attr: &Attribute| PARAMETER_ATTRIBUTES.iter().any(|n| attr.path().is_ident(n));
    param.attrs.retain(read);
}

/// A parameter the test keeps for its parametrizing attribute — by its
/// name, which rstest resolves fixtures by, or, for a pattern, by a name
/// made up — with all its attributes; and the argument passing it on.
fn passed_on(param: &PatType, index: usize) -> (TokenStream, TokenStream) {
    let name = match &*param.pat {
        Pat::Ident(ident) if ident.subpat.is_none() => ident.ident.clone(),
        _ => format_ident!("__fixtree_parameter_{index}"),
    };
    let (attrs, ty) = (&param.attrs, &param.ty);
    (quote!(#(#attrs)* #name: #ty), name.into_token_stream())
}

/// Writes the layers of `files`: one as it is, several merged in order,
/// each first removing the paths of its `absent()` entries. An expression
/// layer is borrowed through `IntoLayer`, spanned on the expression, so that
/// a value of another type (a function not called) is an error there,
/// saying what to write.
fn write_layers(files: &[Layer<Checked>], fixture: &Ident) -> Option<TokenStream> {
    let private = crate::crate_name::private();
    let layers: Vec<(TokenStream, Vec<String>)> = files
        .iter()
        .map(|layer| match layer {
            Layer::Spec(checked) => {
                let (lets, root) = expand_spec(checked, Target::Tree);
                let mut removed = Vec::new();
                validate::removed(&checked.root, "", &mut removed);
                (quote!(&{ #lets #root }), removed)
            }
            Layer::Expr(expr) => {
                let tree = quote_spanned!(expr.span()=> #private::layer(&(#expr)));
                (tree, Vec::new())
            }
        })
        .collect();
    match layers.as_slice() {
        [] => None,
        // The first layer removes nothing: `absent()` there is an error.
        [(layer, _)] => Some(quote!(#fixture.write(#layer);)),
        layers => {
            let layers = layers.iter().map(
                |(put, remove)| quote!(#private::Layer { put: #put, remove: &[#(#remove),*] }),
            );
            Some(quote!(#fixture.write(&#private::layered(&[#(#layers),*]));))
        }
    }
}

/// `ident` (macro-internal: mixed-site hygiene) shown at `span`'s place.
fn located(ident: &Ident, span: Span) -> Ident {
    Ident::new(&ident.to_string(), ident.span().located_at(span))
}

/// On mistakes: every error, and the item as written so the IDE and the
/// code around it stay quiet. A function is emitted without its test
/// attributes and those of a parametrizing one (it cannot run with a
/// parameter, and the harness would say so again), its parameters with only
/// the attributes rustc reads, and allowed to be unused.
pub(crate) fn fallback(errors: Errors, item: Option<Item>, tokens: TokenStream) -> TokenStream {
    let errors = errors.into_compile_error();
    let item = match item {
        Some(Item::Fn(mut function)) => {
            function.attrs.retain(|attr| {
                !makes_tests(attr)
                    && !is_should_panic(attr)
                    && !attr.path().is_ident("ignore")
                    // rstest's `#[case(…)]` and `#[case::name(…)]`.
                    && attr.path().segments.first().is_none_or(|first| first.ident != "case")
            });
            params(&mut function).for_each(retain_rustc_attributes);
            quote!(#[allow(dead_code)] #function)
        }
        Some(other) => other.to_token_stream(),
        None => tokens,
    };
    quote!(#errors #item)
}
