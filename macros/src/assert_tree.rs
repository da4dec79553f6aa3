//! `assert_tree!`: its argument forms, the check of a snapshot folder, and
//! the call into the runtime.
//!
//! ```text
//! assert_tree!(dir, { "path" => value, .. })
//! assert_tree!(dir, expected)                    // a Tree, &Tree or ExpectedTree
//! assert_tree!(dir, from = "tests/snapshots/x")  // relative to CARGO_MANIFEST_DIR, found at run time
//! ```
//! each optionally followed by `, ignore = ["glob", …]`; `from` also by
//! `, line_endings = "exact"` (or `"any"`, the default).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitStr, Token, braced, bracketed, token};

use crate::errors::Errors;
use crate::spec::parse::Spec;
use crate::spec::{expand, validate};
use crate::target::Target;

/// Appended to every message about the arguments' shape.
const FORMS: &str = "assert_tree! takes one of
    assert_tree!(dir, { \"path\" => value, .. })
    assert_tree!(dir, expected)    (a Tree, &Tree or ExpectedTree)
    assert_tree!(dir, from = \"tests/snapshots/name\")
each optionally followed by `, ignore = [\"*.log\", \"target/**\"]`,
and `from = ..` by `, line_endings = \"exact\"` to tell CRLF from LF";

/// The arguments of one `assert_tree!`.
pub(crate) struct Args {
    dir: Expr,
    expected: Expected,
    ignore: Vec<LitStr>,
    /// The runtime's `LineEndings` variant for `from = ..`.
    line_endings: Ident,
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
                "ignore" | "line_endings" => {
                    return Err(syn::Error::new_spanned(
                        &name,
                        format_args!(
                            "`{name}` comes after what the directory should hold; {FORMS}"
                        ),
                    ));
                }
                _ => return Err(unknown_option(&name)),
            }
        } else {
            Expected::Value(input.parse()?)
        };

        let mut ignore = None;
        let mut line_endings = None;
        while !input.is_empty() {
            input.parse::<Token![,]>().map_err(|_| {
                input.error(format_args!(
                    "expected `,` or the end of the arguments; {FORMS}"
                ))
            })?;
            if input.is_empty() {
                break;
            }
            if !peek_option(input) {
                return Err(input.error(format_args!(
                    "expected an option such as `ignore = [..]`, or the end of the arguments; {FORMS}"
                )));
            }
            let name: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match name.to_string().as_str() {
                "ignore" => set_once(&mut ignore, &name, parse_ignore(input)?)?,
                "line_endings" if matches!(expected, Expected::From(_)) => {
                    set_once(&mut line_endings, &name, parse_line_endings(input)?)?
                }
                "line_endings" => {
                    return Err(syn::Error::new_spanned(
                        name,
                        "`line_endings` is for a snapshot folder, `from = \"…\"`, whose line endings \
                         git may have rewritten; what the test itself spells out compares byte for byte",
                    ));
                }
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
        }
        Ok(Args {
            dir,
            expected,
            ignore: ignore.unwrap_or_default(),
            line_endings: line_endings.unwrap_or_else(|| Ident::new("Any", Span::call_site())),
        })
    }
}

/// Stores an option's `value`, refusing a second one.
fn set_once<T>(slot: &mut Option<T>, name: &Ident, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            name,
            format_args!("`{name}` is given twice; give it once"),
        ));
    }
    *slot = Some(value);
    Ok(())
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

/// `"any"` or `"exact"` after `line_endings =`: the runtime's variant.
fn parse_line_endings(input: ParseStream) -> syn::Result<Ident> {
    const VALUES: &str = "`line_endings` is \"any\" (the default: CRLF and LF are the same \
                          in text files, as git on Windows may check them out either way) \
                          or \"exact\" (byte for byte)";
    let value = input
        .parse::<LitStr>()
        .map_err(|e| syn::Error::new(e.span(), VALUES))?;
    let variant = match value.value().as_str() {
        "any" => "Any",
        "exact" => "Exact",
        _ => return Err(syn::Error::new_spanned(value, VALUES)),
    };
    Ok(Ident::new(variant, value.span()))
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
        line_endings,
    } = &args;

    let mut errors = Errors::new();
    // The local is macro-internal (mixed-site) but placed on the user's
    // expression, so "`X: AsRef<Path>` is not satisfied" points there.
    let actual = format_ident!("actual", span = dir.span().resolved_at(Span::mixed_site()));
    let ignore = quote!(&[#(#ignore),*]);
    let body = match expected {
        Expected::Spec(spec) => {
            let checked = validate::check(spec, Target::Expected, &mut errors);
            let expand::Expansion { lets, root } = expand::expand(&checked, Target::Expected);
            quote! {
                #lets
                ::fixtree::__private::assert_tree(#actual, #root, #ignore);
            }
        }
        Expected::Value(value) => quote! {
            ::fixtree::__private::assert_tree(#actual, #value, #ignore);
        },
        Expected::From(folder) => {
            crate::folder::check(folder, Target::Expected, &mut errors);
            let folder = crate::folder::runtime(folder);
            quote! {
                ::fixtree::__private::assert_tree_from(
                    #actual,
                    #folder,
                    #ignore,
                    ::fixtree::__private::LineEndings::#line_endings,
                );
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
                &[],
                ::fixtree::__private::LineEndings::Any,
            );
        }};
        assert_eq!(expand(r#"dir, from = "src/spec""#), expected.to_string());
        let exact =
            expand(r#"dir, from = "src/spec", line_endings = "exact", ignore = ["*.log"],"#);
        assert!(
            exact.contains(r#"& ["*.log"] , :: fixtree :: __private :: LineEndings :: Exact ,"#),
            "{exact}"
        );

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
