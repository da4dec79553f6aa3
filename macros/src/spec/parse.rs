//! The spec language's syntax: `"key" => value` entries separated by commas,
//! `{ … }` for a directory, `..` for "other entries allowed".
//!
//! Parsing never stops at the first mistake: a malformed entry becomes an
//! [`Item::Error`] and parsing goes on after the next `,`, so one compile shows
//! every mistake of a spec (the rules of keys are checked later, in
//! `validate`).

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Lit, LitStr, Token, braced, token};

/// The entries of one level: the macro's whole input for `tree!`, or what is
/// inside one `{ … }`.
pub(crate) struct Spec {
    /// In source order.
    pub(crate) items: Vec<Item>,
}

/// One comma-separated part of a [`Spec`].
pub(crate) enum Item {
    /// `"key" => value`.
    Entry(Entry),
    /// `..`: entries not named here are allowed (valid last, in expectations).
    Rest(Token![..]),
    /// Something that is not an entry; parsing resumed after the next `,`.
    Error(syn::Error),
}

/// `"key" => value`.
pub(crate) struct Entry {
    pub(crate) key: LitStr,
    pub(crate) value: Value,
}

/// The right-hand side of an entry.
pub(crate) enum Value {
    /// `{ … }`: a directory, with its own entries.
    Dir(Spec),
    /// Any other expression: converted into an entry at run time.
    Expr(Box<Expr>),
}

impl Parse for Spec {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            let item = match input.peek(Token![..]) {
                true => Item::Rest(input.parse()?),
                false => input.parse().map_or_else(Item::Error, Item::Entry),
            };
            if let Item::Error(_) = item {
                crate::options::rest(input)?;
            }
            // "the entry \"a\"", for a message about what follows it.
            let after = match &item {
                Item::Entry(entry) => format!("the entry {:?}", entry.key.value()),
                Item::Rest(_) => "`..`".to_owned(),
                Item::Error(_) => "this entry".to_owned(),
            };
            items.push(item);
            if input.is_empty() || input.parse::<Option<Token![,]>>()?.is_some() {
                continue;
            }
            // A missing comma: say so, then go on with what follows when it
            // can start an entry, or after the next comma.
            items.push(Item::Error(input.error(format_args!(
                "expected `,` after {after}: entries are separated by commas"
            ))));
            if !(input.peek(LitStr) || input.peek(Token![..])) {
                crate::options::rest(input)?;
                input.parse::<Option<Token![,]>>()?;
            }
        }
        Ok(Spec { items })
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = parse_key(input)?;
        let written = key.value();
        if !input.peek(Token![=>]) {
            let message = format!(
                "expected `=>` after the key {written:?}: an entry is written \"key\" => value"
            );
            return Err(if input.is_empty() {
                syn::Error::new(key.span(), message)
            } else {
                input.error(message)
            });
        }
        let arrow: Token![=>] = input.parse()?;
        let value = if input.peek(token::Brace) {
            let content;
            braced!(content in input);
            Value::Dir(content.parse()?)
        } else if input.is_empty() || input.peek(Token![,]) {
            let message = format!(
                "expected a value after `=>` for the key {written:?}: text, bytes, a helper such as exec(..), or {{ ... }} for a directory"
            );
            return Err(syn::Error::new_spanned(arrow, message));
        } else {
            let expr: Expr = input.parse()?;
            match &expr {
                // `"a" => x ..` parses as the range `x..`: a missing comma before `..`.
                Expr::Range(range) if range.start.is_some() && range.end.is_none() => {
                    let message = format!(
                        "expected `,` before `..`: the value of the key {written:?} ends before it, \
                         and `..` stands alone as the last entry"
                    );
                    // `RangeLimits` is `Copy` only with syn's `clone-impls`, which this crate does not enable.
                    #[allow(clippy::needless_borrows_for_generic_args)]
                    return Err(syn::Error::new_spanned(&range.limits, message));
                }
                _ => Value::Expr(Box::new(expr)),
            }
        };
        Ok(Entry { key, value })
    }
}

/// A key: a string literal (raw or not). Anything else is an error that
/// says how to write it.
fn parse_key(input: ParseStream) -> syn::Result<LitStr> {
    if input.peek(LitStr) {
        let key: LitStr = input.parse()?;
        if !key.suffix().is_empty() {
            let message = format!("a key takes no suffix: write {:?}", key.value());
            return Err(syn::Error::new_spanned(&key, message));
        }
        return Ok(key);
    }
    const RULE: &str = "a key is a string literal";
    let fork = input.fork();
    let error =
        |tokens: &dyn ToTokens, message: String| Err(syn::Error::new_spanned(tokens, message));
    if fork.peek(Lit) {
        let lit: Lit = fork.parse()?;
        let (not, text) = match &lit {
            Lit::ByteStr(s) => (
                ", not a byte string",
                String::from_utf8_lossy(&s.value()).into(),
            ),
            Lit::CStr(s) => (", not a C string", s.value().to_string_lossy().into()),
            Lit::Byte(b) => ("", char::from(b.value()).to_string()),
            Lit::Char(c) => ("", c.value().to_string()),
            Lit::Int(_) | Lit::Float(_) | Lit::Bool(_) => ("", lit.to_token_stream().to_string()),
            _ => return error(&lit, format!("{RULE}, e.g. \"a.txt\"")),
        };
        return error(&lit, format!("{RULE}{not}: write {text:?}"));
    }
    if fork.peek(syn::Ident::peek_any) {
        let ident = fork.call(syn::Ident::parse_any)?;
        let text = ident.unraw().to_string();
        return error(&ident, format!("{RULE}: write {text:?}"));
    }
    let braces = match input.peek(token::Brace) {
        true => "; the macro's own brackets already hold the entries, so drop these braces",
        false => "",
    };
    Err(input.error(format!("{RULE}, e.g. \"a.txt\" => \"text\"{braces}")))
}
