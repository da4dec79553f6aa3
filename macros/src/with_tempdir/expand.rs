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
//!     });
//!     fixture.write({ let value_0 = …; ::fixtree::__private::tree([("extra.txt", value_0)]) });
//!     let result = builds(
//!         <&Path as ::fixtree::__private::FromFixture<'_>>::from_fixture(&fixture),
//!     ).await;
//!     fixture.finish(result)
//! }
//! ```
//!
//! The function stays a function, so `return`, `?` and early exits in its
//! body mean what they say. `fixture` and `result` are macro-internal
//! (`Span::mixed_site()`): neither the body nor a `files` value can see them.
//! A panic is not caught: the fixture's `Drop` sees it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Item, LitStr};

use super::valid::{TestFn, is_should_panic, is_test_attribute};
use crate::errors::Errors;
use crate::spec::expand::{Expansion, expand as expand_spec};
use crate::spec::validate::Checked;
use crate::target::Target;

/// The test function for `test`, starting from the folder `from` (if any),
/// then the spec `files` (if any) written on top.
pub(crate) fn test(test: TestFn, from: Option<&LitStr>, files: Option<&Checked>) -> TokenStream {
    let private = crate::crate_name::private();
    let TestFn {
        mut item,
        param_ty,
        has_test_attribute,
        expect_panic,
    } = test;

    // The outer attributes go to the test; inner ones (`#![…]` in the body)
    // stay with the body.
    let (outer, inner): (Vec<Attribute>, Vec<Attribute>) = item
        .attrs
        .drain(..)
        .partition(|attr| matches!(attr.style, syn::AttrStyle::Outer));
    item.attrs = inner;
    let add_test = (!has_test_attribute).then(|| quote!(#[::core::prelude::v1::test]));

    let vis = std::mem::replace(&mut item.vis, syn::Visibility::Inherited);
    let sig = &item.sig;
    let name = &sig.ident;
    let asyncness = &sig.asyncness;
    let fn_token = &sig.fn_token;
    let output = &sig.output;
    // As libtest names it: `r#match` keeps its `r#`.
    let test_name = LitStr::new(&name.to_string(), name.span());

    let fixture = Ident::new("fixture", Span::mixed_site());
    let result = Ident::new("result", Span::mixed_site());

    let copy = from.map(|folder| {
        let folder = crate::folder::runtime(folder);
        quote!(#fixture.copy_from(#folder);)
    });
    let write = files.map(|checked| {
        let Expansion { lets, root } = expand_spec(checked, Target::Tree);
        quote!(#fixture.write({ #lets #root });)
    });
    // Spanned on the parameter's type, so "the trait `FromFixture` is not
    // implemented for `&str`" points there.
    let argument = {
        let span = param_ty.span();
        let fixture = located(&fixture, span);
        quote_spanned! {span=>
            <#param_ty as #private::FromFixture<'_>>::from_fixture(&#fixture)
        }
    };
    let await_ = asyncness.map(|_| quote!(.await));
    // Spanned on the return type, so "`Outcome` is not implemented for
    // `i32`" points there (a function returning nothing returns `()`, which
    // always is).
    let finish = match output {
        syn::ReturnType::Type(_, ty) => {
            // All of one syntax context (mixed-site), or rustc walks the
            // argument's span back to the attribute.
            let span = Span::mixed_site().located_at(ty.span());
            let (fixture, result) = (located(&fixture, span), located(&result, span));
            quote_spanned!(span=> #fixture.finish(#result))
        }
        syn::ReturnType::Default => quote!(#fixture.finish(#result)),
    };

    quote! {
        #(#outer)*
        #add_test
        #vis #asyncness #fn_token #name() #output {
            #item
            let #fixture = #private::Fixture::new(
                ::core::module_path!(),
                #test_name,
                #expect_panic,
            );
            #copy
            #write
            let #result = #name(#argument) #await_;
            #finish
        }
    }
}

/// `ident` (macro-internal: mixed-site hygiene) shown at `span`'s place.
fn located(ident: &Ident, span: Span) -> Ident {
    Ident::new(&ident.to_string(), ident.span().located_at(span))
}

/// On mistakes: every error, and the item as written so the IDE and the
/// code around it stay quiet. A function is emitted without its test
/// attributes (it cannot run with a parameter, and the harness would say so
/// again) and allowed to be unused.
pub(crate) fn fallback(errors: Errors, item: Option<Item>, tokens: TokenStream) -> TokenStream {
    let errors = errors.into_compile_error();
    let item = match item {
        Some(Item::Fn(mut function)) => {
            function.attrs.retain(|attr| {
                !is_test_attribute(attr)
                    && !is_should_panic(attr)
                    && !attr.path().is_ident("ignore")
            });
            quote! {
                #[allow(dead_code)]
                #function
            }
        }
        Some(other) => other.to_token_stream(),
        None => tokens,
    };
    quote! {
        #errors
        #item
    }
}
