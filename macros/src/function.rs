//! The item under `#[with_tempdir]` or `#[cases]`, read without its body.
//!
//! The attributes look at the function's attributes and signature only; the
//! body goes back out as written. Parsing it into statements and printing
//! those back was a third of what `#[with_tempdir]` cost each test at compile
//! time (proc macros run unoptimized in a debug build), and rustc reports a
//! mistake in the body better than syn would.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Block, FnModifiers, Item, ItemFn, Signature, Stmt, Visibility, braced};

/// The item in `tokens`: a function with its body kept as tokens, or, for
/// anything else, the item as syn reads it (the caller says what is wrong).
pub(crate) fn item(tokens: TokenStream) -> syn::Result<Item> {
    function
        .parse2(tokens.clone())
        .map(Item::Fn)
        .or_else(|_| syn::parse2(tokens))
}

/// `attributes visibility signature { body }`, the body unparsed: its inner
/// attributes (`#![…]`) stay in it.
fn function(input: ParseStream) -> syn::Result<ItemFn> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let sig: Signature = input.parse()?;
    let body;
    let brace_token = braced!(body in input);
    let body: TokenStream = body.parse()?;
    Ok(ItemFn {
        attrs,
        vis,
        modifiers: FnModifiers::default(),
        sig,
        block: Box::new(Block {
            brace_token,
            stmts: vec![Stmt::Item(Item::Verbatim(body))],
        }),
    })
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;

    #[test]
    fn a_function_prints_back_as_written() {
        let tokens = quote! {
            #[test]
            pub async unsafe fn f<T: Clone>(dir: &Path, x: T) -> io::Result<()> where T: Send {
                #![allow(unused)]
                let x = { 1 + };
                Ok(())
            }
        };
        let Ok(Item::Fn(function)) = item(tokens.clone()) else {
            panic!("not read as a function");
        };
        assert_eq!(function.sig.ident, "f");
        assert_eq!(function.attrs.len(), 1);
        assert_eq!(function.into_token_stream().to_string(), tokens.to_string());
    }

    #[test]
    fn other_items_are_read_whole() {
        let tokens = quote!(
            struct S {
                a: u8,
            }
        );
        assert!(matches!(item(tokens), Ok(Item::Struct(_))));
        assert!(
            item(quote!(
                fn f() {}
                fn g() {}
            ))
            .is_err()
        );
    }
}
