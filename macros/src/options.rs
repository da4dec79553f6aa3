//! The `name = value` options of the macros' arguments — `#[with_tempdir]`'s
//! `from` and `files`, `assert_tree!`'s `ignore`, `line_endings` and `from` —
//! and the mistakes made the same way in each: a missing `=`, `,` or value,
//! an unknown name (with the one probably meant), a name given twice. Each is
//! reported and reading goes on after the next top-level `,`; what a value
//! means is for the macro to read.

use std::fmt::Display;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitStr, Token};

use fixtree_rules::close_to;

use crate::errors::Errors;

/// The options one macro takes, named by its own `K`.
pub(crate) struct Options<K: 'static> {
    /// What the messages call an option: "key" or "option".
    pub(crate) noun: &'static str,
    pub(crate) names: &'static [Name<K>],
    /// Appended to messages about the arguments' shape: what the macro takes.
    pub(crate) forms: &'static str,
    /// The message for an argument that is not `name = value`, given it.
    pub(crate) not_an_option: fn(&TokenStream) -> String,
}

/// One option a macro takes: its key, its name, and the option written out,
/// for messages (`from = "tests/fixtures/name"`).
pub(crate) type Name<K> = (K, &'static str, &'static str);

/// One `name = value` whose name the macro takes.
pub(crate) struct Named<K: 'static> {
    pub(crate) key: &'static K,
    /// The name as written, for spans.
    pub(crate) name: Ident,
    /// The tokens after `=`, up to the next top-level `,`; never empty.
    pub(crate) value: TokenStream,
}

impl<K> Options<K> {
    /// Reads `name = value, …` to the end of `input`, in any order.
    /// Mistakes go into `errors`; only a failure of the token stream itself
    /// is returned.
    pub(crate) fn parse(
        &self,
        input: ParseStream,
        errors: &mut Errors,
    ) -> syn::Result<Vec<Named<K>>> {
        let mut options = Vec::new();
        while !input.is_empty() {
            options.extend(self.parse_one(input, errors)?);
            separator(
                input,
                errors,
                "expected `,` here: the arguments are separated by commas",
            )?;
        }
        Ok(options)
    }

    /// Reads one `name = value`, up to the next top-level `,` or a `name =`
    /// that follows without one. `None` after a mistake, in `errors`.
    pub(crate) fn parse_one(
        &self,
        input: ParseStream,
        errors: &mut Errors,
    ) -> syn::Result<Option<Named<K>>> {
        if !input.peek(Ident::peek_any) {
            let found = rest(input)?;
            errors.error_spanned_by(&found, (self.not_an_option)(&found));
            return Ok(None);
        }
        let name = input.call(Ident::parse_any)?;
        let written = name.unraw().to_string();
        let Some((key, _, example)) = self.names.iter().find(|option| option.1 == written) else {
            let (noun, forms, suggestion) = (self.noun, self.forms, self.suggestion(&written));
            let message = format!("unknown {noun} `{name}`{suggestion}; {forms}");
            errors.error_spanned_by(&name, message);
            if peek_eq(input) {
                input.parse::<Token![=]>()?;
                value(input)?;
            } else {
                rest(input)?;
            }
            return Ok(None);
        };
        if !peek_eq(input) {
            let message = format!("expected `=` after `{name}`: {example}");
            if input.is_empty() || input.peek(Token![,]) {
                errors.error_spanned_by(&name, message);
            } else {
                errors.error_spanned_by(rest(input)?, message);
            }
            return Ok(None);
        }
        let eq: Token![=] = input.parse()?;
        let value = value(input)?;
        if value.is_empty() {
            errors.error_spanned_by(
                quote!(#name #eq),
                format_args!("missing the value of `{name}`: {example}"),
            );
            return Ok(None);
        }
        Ok(Some(Named { key, name, value }))
    }

    /// Stores the value of `named` in `slot`, or reports why it is bad; a
    /// second good one is an error on its name, with `advice`. So a bad value
    /// and a good one read as a mistake, not as a duplicate.
    pub(crate) fn set_once<T>(
        &self,
        slot: &mut Option<T>,
        named: &Named<K>,
        value: syn::Result<T>,
        advice: impl Display,
        errors: &mut Errors,
    ) {
        match errors.ok(value) {
            None => {}
            Some(_) if slot.is_some() => {
                let (name, noun) = (&named.name, self.noun);
                errors.error_spanned_by(name, format!("duplicate {noun} `{name}`: {advice}"));
            }
            value => *slot = value,
        }
    }

    /// " (did you mean `from`?)" for a typo or synonym of a name, or "".
    fn suggestion(&self, written: &str) -> String {
        self.names
            .iter()
            .find(|(_, name, _)| synonym_of(written, name) || close_to(written, name))
            .map(|(_, name, _)| format!(" (did you mean `{name}`?)"))
            .unwrap_or_default()
    }
}

/// Whether `written` is another word someone may write for `name`: only
/// `from`, the snapshot folder, has them.
fn synonym_of(written: &str, name: &str) -> bool {
    name == "from" && crate::folder::SYNONYMS.contains(&written)
}

/// Whether `name =` (not `==` or `=>`) comes next.
pub(crate) fn peek(input: ParseStream) -> bool {
    input.peek(Ident::peek_any)
        && input.peek2(Token![=])
        && !input.peek2(Token![==])
        && !input.peek2(Token![=>])
}

/// Whether `=` (not `==` or `=>`) comes next.
fn peek_eq(input: ParseStream) -> bool {
    input.peek(Token![=]) && !input.peek(Token![==]) && !input.peek(Token![=>])
}

/// Reads the `,` ending an argument, if more follow. Anything else is a
/// missing comma, reported with `message`; reading goes on with a `name =`
/// that follows, or after the next comma.
pub(crate) fn separator(
    input: ParseStream,
    errors: &mut Errors,
    message: impl Display,
) -> syn::Result<()> {
    if !input.is_empty() && !input.peek(Token![,]) {
        errors.push(input.error(message));
        if peek(input) {
            return Ok(());
        }
        rest(input)?;
    }
    input.parse::<Option<Token![,]>>()?;
    Ok(())
}

/// A value: the tokens up to the next top-level `,`, or up to a `name =`
/// that follows without a comma.
fn value(input: ParseStream) -> syn::Result<TokenStream> {
    until(input, peek)
}

/// The tokens up to the next top-level `,` (not included): what is skipped
/// after a mistake.
pub(crate) fn rest(input: ParseStream) -> syn::Result<TokenStream> {
    until(input, |_| false)
}

/// The tokens up to the next top-level `,`, or up to where `stop` says
/// after the first.
fn until(input: ParseStream, stop: fn(ParseStream) -> bool) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) && (tokens.is_empty() || !stop(input)) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    Ok(tokens)
}

/// `tokens` as one string literal without a suffix, if they are one.
pub(crate) fn literal(tokens: &TokenStream) -> Option<LitStr> {
    let literal = syn::parse2::<LitStr>(tokens.clone()).ok();
    literal.filter(|literal| literal.suffix().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos() {
        for typo in ["frm", "form", "fom", "fron", "From"] {
            assert!(close_to(typo, "from"), "{typo}");
        }
        for typo in ["file", "fils", "filez", "flies"] {
            assert!(close_to(typo, "files"), "{typo}");
        }
        for other in ["ignore", "dir", "contents", "tree"] {
            assert!(
                !close_to(other, "from") && !close_to(other, "files"),
                "{other}"
            );
        }
    }
}
