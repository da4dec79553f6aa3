//! The code of `assert_tree!`: the directory borrowed once, the expected
//! tree built, and one call into the runtime.
//!
//! ```text
//! assert_tree!(dir, { "a" => contains("x") }, ignore = ["*.log"])
//! // becomes
//! {
//!     let actual = &(dir);
//!     let value_0 = { use ::fixtree::__private::spec::{contains}; ::fixtree::__private::expected(contains("x")) };
//!     ::fixtree::__private::assert_tree_inline(
//!         actual,
//!         ::fixtree::__private::expected_tree([("a", value_0)], false),
//!         &["*.log"],
//!         ::fixtree::__private::SourceSpot { file: file!(), line: line!(), column: column!(), … },
//!     );
//! }
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Expr;
use syn::spanned::Spanned;

use super::parse::{Args, Expected};

use crate::errors::Errors;
use crate::folder;
use crate::spec::expand::expand as expand_spec;
use crate::target::Target;

/// The assertion of `dir` against `compared`, leaving out `ignore`.
pub(crate) fn assert_tree(dir: &Expr, expected: &Expected, args: &Args) -> TokenStream {
    let private = crate::crate_name::private();
    // The local is macro-internal (mixed-site) but placed on the user's
    // expression, so "`X: AsRef<Path>` is not satisfied" points there.
    let actual = format_ident!("actual", span = dir.span().resolved_at(Span::mixed_site()));
    let ignore = args.ignore.iter().flatten();
    let ignore = quote!(&[#(#ignore),*]);
    let body = match expected {
        Expected::Spec(checked, tokens) => {
            let (lets, root) = expand_spec(checked, Target::Expected);
            // `line!()` and `column!()` in a macro's expansion give where
            // the macro was invoked: where review mode's record points.
            quote! {
                #lets
                #private::assert_tree_inline(#actual, #root, #ignore, #private::SourceSpot {
                    file: ::core::file!(),
                    line: ::core::line!(),
                    column: ::core::column!(),
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                    tokens: #tokens,
                });
            }
        }
        Expected::Value(value) => quote!(#private::assert_tree(#actual, #value, #ignore);),
        Expected::From(from) => {
            let from = folder::runtime(from, args.subset);
            let line_endings = args.line_endings.as_ref();
            let line_endings = line_endings.map_or_else(|| quote!(Any), |ident| quote!(#ident));
            let line_endings = quote!(#private::LineEndings::#line_endings);
            quote!(#private::assert_tree_from(#actual, #from, #ignore, #line_endings,);)
        }
    };
    quote!({ let #actual = &(#dir); #body })
}

/// On mistakes: every error, and the directory expression (if it was read)
/// still borrowed, so it stays used and type-checked.
pub(crate) fn fallback(errors: Errors, dir: Option<&Expr>) -> TokenStream {
    let errors = errors.into_compile_error();
    let dir = dir.map(|dir| quote!(let _ = &(#dir);));
    quote!({ #errors #dir })
}
