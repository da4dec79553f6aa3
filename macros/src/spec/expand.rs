//! Code generation for a checked spec.
//!
//! Each value is evaluated once, in source order, into a macro-internal local
//! (`Span::mixed_site()`, so it never meets the user's names); then the levels
//! are built from those locals. A value that calls a helper of the spec
//! language (`exec(..)`, `contains(..)`, …) is evaluated in a block that
//! imports exactly the helpers it calls, so a user's local variable named
//! like a helper still wins wherever it is used as a value.
//!
//! ```text
//! tree! { "a/b" => exec("x"), "c" => {} }
//! // becomes
//! {
//!     let value_0 = {
//!         #[allow(unused_imports)]
//!         use ::fixtree::__private::spec::exec;
//!         ::fixtree::__private::node(exec("x"))
//!     };
//!     ::fixtree::__private::tree([
//!         ("a", ::fixtree::__private::node(::fixtree::__private::tree([("b", value_0)]))),
//!         ("c", ::fixtree::__private::node(::fixtree::__private::tree([]))),
//!     ])
//! }
//! ```

use fixtree_rules::SPEC_HELPERS;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::validate::{Checked, Node, SpecDir};
use crate::target::Target;

/// The code of a checked spec, `(lets, root)`: `lets` evaluates the values,
/// `root` builds the top level from them (a `Tree` or an `ExpectedTree`).
pub(crate) fn expand(checked: &Checked, target: Target) -> (TokenStream, TokenStream) {
    // Looked up once per expansion, not once per value and level.
    let private = crate::crate_name::private();
    // The macro cannot know the target: the compiler decides, by `cfg`.
    let windows_only = checked
        .windows_only
        .iter()
        .map(syn::Error::to_compile_error);
    let convert = convert(target, &private);
    // Each value with the helpers it calls in scope.
    let values = checked.values.iter().enumerate().map(|(index, expr)| {
        let local = value_local(index);
        let mut helpers = Vec::new();
        helpers_called(expr.clone(), &mut helpers);
        let value = quote!(#convert(#expr));
        if helpers.is_empty() {
            return quote!(let #local = #value;);
        }
        quote!(let #local = { #[allow(unused_imports)] use #private::spec::{#(#helpers),*}; #value };)
    });
    let lets = quote!(#(#[cfg(windows)] #windows_only)* #(#values)*);
    (lets, level(&checked.root, target, &private))
}

/// The macro-internal local holding `values[index]`.
fn value_local(index: usize) -> Ident {
    format_ident!("value_{}", index, span = Span::mixed_site())
}

/// `node` or `expected`: what makes a value an entry of the target.
fn convert(target: Target, private: &TokenStream) -> TokenStream {
    match target {
        Target::Tree => quote!(#private::node),
        Target::Expected => quote!(#private::expected),
    }
}

/// One level: `tree([(name, node), …])` or `expected_tree([…], open)`.
fn level(level: &SpecDir, target: Target, private: &TokenStream) -> TokenStream {
    let entries = level.entries.iter().filter_map(|(name, node)| match node {
        Node::Value(index, _) => {
            let local = value_local(*index);
            Some(quote!((#name, #local)))
        }
        Node::Dir(sub, ..) => {
            let (convert, sub) = (convert(target, private), self::level(sub, target, private));
            Some(quote!((#name, #convert(#sub))))
        }
        // Removed by the layer, not made: see `validate::removed`.
        Node::Absent(_) => None,
    });
    match target {
        Target::Tree => quote!(#private::tree([#(#entries),*])),
        Target::Expected => {
            let open = level.open;
            quote!(#private::expected_tree([#(#entries),*], #open))
        }
    }
}

/// Adds to `found` the helpers called by name in `tokens` (`exec(…)`, not
/// `x.any(…)` or `path::exec(…)`), each once, spanned as the user wrote them.
fn helpers_called(tokens: TokenStream, found: &mut Vec<Ident>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => helpers_called(group.stream(), found),
            TokenTree::Ident(ident) => {
                let called = matches!(
                    tokens.get(i + 1),
                    Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis
                );
                let qualified = matches!(
                    i.checked_sub(1).and_then(|p| tokens.get(p)),
                    Some(TokenTree::Punct(p)) if p.as_char() == '.' || p.as_char() == ':'
                );
                if called
                    && !qualified
                    && SPEC_HELPERS.iter().any(|helper| ident == helper)
                    && !found.iter().any(|seen| seen == ident)
                {
                    found.push(ident.clone());
                }
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn called(source: &str) -> Vec<String> {
        let tokens: TokenStream = source.parse().unwrap();
        let mut found = Vec::new();
        helpers_called(tokens, &mut found);
        found.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn finds_helpers_called_by_name() {
        assert_eq!(called("exec(\"x\")"), ["exec"]);
        assert_eq!(called("mode(0o600, exec(\"x\"))"), ["mode", "exec"]);
        assert_eq!(called("{ let s = symlink(t); s }"), ["symlink"]);
        assert_eq!(called("any() /* twice */ ; any()"), ["any"]);
        assert_eq!(called("format!(\"{}\", contains(x))"), ["contains"]);
        assert_eq!(
            called("modified(ago(d), mode(0o600, \"x\"))"),
            ["modified", "ago", "mode"]
        );
        assert_eq!(
            called("modified(unix_time(0), \"x\")"),
            ["modified", "unix_time"]
        );
    }

    #[test]
    fn leaves_other_uses_alone() {
        assert!(called("any").is_empty(), "a local variable used as a value");
        assert!(called("exec.clone()").is_empty());
        assert!(called("v.iter().any(|x| x)").is_empty(), "a method");
        assert!(called("my::exec(\"x\")").is_empty(), "a path");
        assert!(called("matches!(x, Some(_))").is_empty(), "the std macro");
        assert!(called("execute(\"x\")").is_empty());
    }
}
