//! `assert_tree!`: its argument forms, the check of a snapshot folder, and
//! the call into the runtime.
//!
//! ```text
//! assert_tree!(dir, { "path" => value, .. })
//! assert_tree!(dir, expected)                    // a Tree, &Tree or ExpectedTree
//! assert_tree!(dir, from = "tests/snapshots/x")  // relative to CARGO_MANIFEST_DIR, found at run time
//! ```
//! each optionally followed by `, ignore = ["glob", …]`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitStr, Token, braced, bracketed, token};

use crate::errors::Errors;
use crate::spec::parse::Spec;
use crate::spec::{expand, validate};

/// Appended to every message about the arguments' shape.
const FORMS: &str = "assert_tree! takes one of
    assert_tree!(dir, { \"path\" => value, .. })
    assert_tree!(dir, expected)    (a Tree, &Tree or ExpectedTree)
    assert_tree!(dir, from = \"tests/snapshots/name\")
each optionally followed by `, ignore = [\"*.log\", \"target/**\"]`";

/// The arguments of one `assert_tree!`.
pub(crate) struct Args {
    dir: Expr,
    expected: Expected,
    ignore: Vec<LitStr>,
}

/// What the directory is compared with.
enum Expected {
    /// `{ … }`: a spec.
    Spec(Spec),
    /// Any expression converting into an `ExpectedTree`.
    Value(Box<Expr>),
    /// `from = "folder"`.
    From(LitStr),
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                format_args!("missing arguments: the directory and what it should hold; {FORMS}"),
            ));
        }
        if peek_option(input) {
            return Err(input.error(format_args!(
                "expected the directory to check first; {FORMS}"
            )));
        }
        let dir: Expr = input.parse()?;
        if input.is_empty() {
            return Err(syn::Error::new_spanned(
                &dir,
                format_args!("missing what the directory should hold, after a `,`; {FORMS}"),
            ));
        }
        let comma: Token![,] = input
            .parse()
            .map_err(|_| input.error(format_args!("expected `,` after the directory; {FORMS}")))?;
        if input.is_empty() {
            return Err(syn::Error::new_spanned(
                comma,
                format_args!("missing what the directory should hold, after this `,`; {FORMS}"),
            ));
        }

        let expected = if input.peek(token::Brace) {
            let content;
            braced!(content in input);
            Expected::Spec(content.parse()?)
        } else if peek_option(input) {
            let name: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match name.to_string().as_str() {
                "from" => Expected::From(parse_from(input)?),
                "ignore" => {
                    return Err(syn::Error::new_spanned(
                        name,
                        format_args!(
                            "`ignore` comes after what the directory should hold; {FORMS}"
                        ),
                    ));
                }
                _ => return Err(unknown_option(&name)),
            }
        } else {
            Expected::Value(input.parse()?)
        };

        let mut ignore = Vec::new();
        if !input.is_empty() {
            input.parse::<Token![,]>().map_err(|_| {
                input.error(format_args!(
                    "expected `,` or the end of the arguments; {FORMS}"
                ))
            })?;
        }
        if !input.is_empty() {
            if !peek_option(input) {
                return Err(input.error(format_args!(
                    "expected `ignore = [..]` or the end of the arguments; {FORMS}"
                )));
            }
            let name: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match name.to_string().as_str() {
                "ignore" => ignore = parse_ignore(input)?,
                "from" => {
                    return Err(syn::Error::new_spanned(
                        name,
                        format_args!(
                            "`from = ..` replaces what the directory should hold, it does not follow it; {FORMS}"
                        ),
                    ));
                }
                _ => return Err(unknown_option(&name)),
            }
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
            if !input.is_empty() {
                return Err(input.error(format_args!(
                    "unexpected tokens after `ignore = [..]`; {FORMS}"
                )));
            }
        }
        Ok(Args {
            dir,
            expected,
            ignore,
        })
    }
}

/// `name = …` (not `==` or `=>`).
fn peek_option(input: ParseStream) -> bool {
    input.peek(Ident)
        && input.peek2(Token![=])
        && !input.peek2(Token![==])
        && !input.peek2(Token![=>])
}

fn unknown_option(name: &Ident) -> syn::Error {
    syn::Error::new_spanned(name, format_args!("unknown option `{name}`; {FORMS}"))
}

/// The folder after `from =`: a string literal, checked later.
fn parse_from(input: ParseStream) -> syn::Result<LitStr> {
    if input.peek(LitStr) {
        return input.parse();
    }
    Err(input.error(
        "`from` takes a string literal: the snapshot folder, relative to CARGO_MANIFEST_DIR, \
         e.g. from = \"tests/snapshots/name\"; it is checked at compile time, so it cannot be computed",
    ))
}

/// `["glob", …]` after `ignore =`.
fn parse_ignore(input: ParseStream) -> syn::Result<Vec<LitStr>> {
    const SHAPE: &str = "`ignore` takes a list of string literals, globs relative to the directory, \
                         e.g. ignore = [\"*.log\", \"target/**\"]";
    if !input.peek(token::Bracket) {
        return Err(input.error(SHAPE));
    }
    let content;
    bracketed!(content in input);
    let mut globs = Vec::new();
    while !content.is_empty() {
        if !content.peek(LitStr) {
            return Err(content.error(SHAPE));
        }
        globs.push(content.parse()?);
        if content.is_empty() {
            break;
        }
        content
            .parse::<Token![,]>()
            .map_err(|_| content.error(format_args!("expected `,` between globs; {SHAPE}")))?;
    }
    Ok(globs)
}

/// The expansion of `assert_tree!(…)`; on mistakes every error, and the
/// directory expression still borrowed so it stays used and type-checked.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let args = match syn::parse2::<Args>(input) {
        Ok(args) => args,
        Err(error) => {
            let error = error.into_compile_error();
            return quote!({ #error });
        }
    };
    let Args {
        dir,
        expected,
        ignore,
    } = &args;

    let mut errors = Errors::new();
    // The local is macro-internal (mixed-site) but placed on the user's
    // expression, so "`X: AsRef<Path>` is not satisfied" points there.
    let actual = format_ident!("actual", span = dir.span().resolved_at(Span::mixed_site()));
    let ignore = quote!(&[#(#ignore),*]);
    let body = match expected {
        Expected::Spec(spec) => {
            let checked = validate::check(spec, validate::Kind::Expected, &mut errors);
            let expand::Expansion { lets, root } =
                expand::expand(&checked, validate::Kind::Expected);
            quote! {
                #lets
                ::fixtree::__private::assert_tree(#actual, #root, #ignore);
            }
        }
        Expected::Value(value) => quote! {
            ::fixtree::__private::assert_tree(#actual, #value, #ignore);
        },
        Expected::From(folder) => {
            crate::folder::check(folder, crate::folder::Use::Expected, &mut errors);
            let folder = crate::folder::runtime(folder);
            quote! {
                ::fixtree::__private::assert_tree_from(#actual, #folder, #ignore);
            }
        }
    };
    if !errors.is_empty() {
        let errors = errors.into_compile_error();
        return quote!({
            #errors
            let _ = &(#dir);
        });
    }
    quote!({
        let #actual = &(#dir);
        #body
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(source: &str) -> String {
        super::expand(source.parse().expect("tokens")).to_string()
    }

    #[test]
    fn spec_form() {
        let expected = quote! {{
            let actual = &(dir);
            let value_0 = {
                #[allow(unused_imports)]
                use ::fixtree::__private::spec::{contains};
                ::fixtree::__private::expected(contains("done"))
            };
            ::fixtree::__private::assert_tree(
                actual,
                ::fixtree::__private::expected_tree([
                    ("logs", ::fixtree::__private::expected(::fixtree::__private::expected_tree(
                        [("run.log", value_0)],
                        true
                    )))
                ], false),
                &["*.tmp"]
            );
        }};
        assert_eq!(
            expand(
                r#"dir, { "logs" => { "run.log" => contains("done"), .. } }, ignore = ["*.tmp"],"#
            ),
            expected.to_string()
        );
    }

    #[test]
    fn value_form() {
        let expected = quote! {{
            let actual = &(a + b);
            ::fixtree::__private::assert_tree(actual, tree.clone(), &[]);
        }};
        assert_eq!(expand("a + b, tree.clone()"), expected.to_string());
    }

    #[test]
    fn from_form_checks_the_folder_against_cargo_manifest_dir() {
        // `cargo test` runs this with CARGO_MANIFEST_DIR = macros/.
        let expected = quote! {{
            let actual = &(dir);
            ::fixtree::__private::assert_tree_from(
                actual,
                ::fixtree::__private::SnapshotFolder {
                    written: "src/spec",
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    package: ::core::env!("CARGO_PKG_NAME"),
                },
                &[]
            );
        }};
        assert_eq!(expand(r#"dir, from = "src/spec""#), expected.to_string());

        let missing = expand(r#"dir, from = "src/nope""#);
        assert!(
            missing.contains("snapshot folder \\\"src/nope\\\" not found"),
            "{missing}"
        );
        let file = expand(r#"dir, from = "src/lib.rs""#);
        assert!(file.contains("is not a folder"), "{file}");
        let absolute = expand(r#"dir, from = "/tmp""#);
        assert!(absolute.contains("is absolute"), "{absolute}");
    }
}
