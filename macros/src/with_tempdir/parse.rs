//! What `#[with_tempdir]` reads from its arguments: `from = "folder"` and
//! `files = { … }`, each optional, in either order. Every mistake is
//! reported, spanned on the token at fault, and what was well formed is kept.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};

use crate::errors::Errors;
use crate::spec::parse::Spec;

/// Appended to every message about the arguments.
pub(crate) const KEYS: &str = "#[with_tempdir] takes, each optional, in either order:
    from = \"tests/fixtures/name\"        a snapshot folder (relative to CARGO_MANIFEST_DIR), copied in first
    files = { \"name\" => \"content\", … }  files written on top, in the spec language of tree!";

/// The arguments of one `#[with_tempdir(…)]`.
#[derive(Default)]
pub(crate) struct Args {
    /// `from = "folder"`.
    pub(crate) from: Option<LitStr>,
    /// `files = { … }`.
    pub(crate) files: Option<Spec>,
}

/// Reads the attribute's arguments, reporting every mistake into `errors`
/// and keeping what was well formed.
pub(crate) fn args(tokens: TokenStream, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| -> syn::Result<Args> {
        let mut args = Args::default();
        while !input.is_empty() {
            arg(input, &mut args, errors)?;
            if input.is_empty() {
                break;
            }
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                continue;
            }
            // `from = "a" files = { … }`: a missing comma. Go on with the
            // next `key =`, or after the next comma.
            errors.push(input.error("expected `,` here: the arguments are separated by commas"));
            if !peek_key(input) {
                let _ = rest_of_arg(input)?;
                if input.peek(Token![,]) {
                    input.parse::<Token![,]>()?;
                }
            }
        }
        Ok(args)
    };
    parser.parse2(tokens).unwrap_or_else(|error| {
        errors.push(error);
        Args::default()
    })
}

/// The keys, for [`arg`].
#[derive(Clone, Copy)]
enum Key {
    From,
    Files,
}

impl Key {
    fn example(self) -> &'static str {
        match self {
            Key::From => "from = \"tests/fixtures/name\"",
            Key::Files => "files = { \"name\" => \"content\" }",
        }
    }
}

/// One `key = value`, up to (not including) the next top-level `,`. Errors
/// go into `errors`; only a failure of the token stream itself is returned.
fn arg(input: ParseStream, args: &mut Args, errors: &mut Errors) -> syn::Result<()> {
    if !input.peek(Ident::peek_any) {
        let found = rest_of_arg(input)?;
        let hint = match found.clone().into_iter().next() {
            Some(TokenTree::Literal(_)) if syn::parse2::<LitStr>(found.clone()).is_ok() => {
                format!("; to copy a snapshot folder, write from = {found}")
            }
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                "; to write files, write files = { … }".to_owned()
            }
            _ => String::new(),
        };
        errors.error_spanned_by(found, format_args!("expected `key = value`{hint}; {KEYS}"));
        return Ok(());
    }
    let name = input.call(Ident::parse_any)?;
    let key = match name.unraw().to_string().as_str() {
        "from" => Key::From,
        "files" => Key::Files,
        other => {
            let hint = match other {
                "folder" | "dir" | "path" | "snapshot" | "fixture" | "copy" => {
                    " (did you mean `from`?)"
                }
                _ if close_to(other, "from") => " (did you mean `from`?)",
                _ if close_to(other, "files") => " (did you mean `files`?)",
                _ => "",
            };
            errors.error_spanned_by(&name, format_args!("unknown key `{name}`{hint}; {KEYS}"));
            if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                let _ = value_tokens(input)?;
            } else {
                let _ = rest_of_arg(input)?;
            }
            return Ok(());
        }
    };

    if !input.peek(Token![=]) || input.peek(Token![==]) || input.peek(Token![=>]) {
        let message = format!("expected `=` after `{name}`: {}", key.example());
        if input.is_empty() || input.peek(Token![,]) {
            errors.error_spanned_by(&name, message);
        } else {
            errors.error_spanned_by(rest_of_arg(input)?, message);
        }
        return Ok(());
    }
    let eq: Token![=] = input.parse()?;
    let value = value_tokens(input)?;
    if value.is_empty() {
        errors.error_spanned_by(
            quote!(#name #eq),
            format_args!("missing the value of `{name}`: {}", key.example()),
        );
        return Ok(());
    }

    let duplicate = match key {
        Key::From => args.from.is_some(),
        Key::Files => args.files.is_some(),
    };
    if duplicate {
        let advice = match key {
            Key::From => "#[with_tempdir] copies one snapshot folder; give `from` once",
            Key::Files => "write all the files in one `files = { … }`",
        };
        errors.error_spanned_by(&name, format_args!("duplicate key `{name}`: {advice}"));
        return Ok(());
    }

    match key {
        Key::From => match syn::parse2::<LitStr>(value.clone()) {
            Ok(folder) if folder.suffix().is_empty() => args.from = Some(folder),
            _ => errors.error_spanned_by(
                value,
                "`from` takes a string literal: the snapshot folder, relative to CARGO_MANIFEST_DIR, \
                 e.g. from = \"tests/fixtures/name\"; it is checked at compile time, so it cannot be computed",
            ),
        },
        Key::Files => {
            let mut tokens = value.clone().into_iter();
            match (tokens.next(), tokens.next()) {
                (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Brace => {
                    match syn::parse2::<Spec>(group.stream()) {
                        Ok(spec) => args.files = Some(spec),
                        Err(error) => errors.push(error),
                    }
                }
                _ => errors.error_spanned_by(
                    value,
                    "`files` takes a spec in braces, as tree! does: \
                     files = { \"in.csv\" => \"a,b\\n\", \"src\" => { \"lib.rs\" => \"\" } }",
                ),
            }
        }
    }
    Ok(())
}

/// Whether `written` is a typo of `key`: at most two letters changed,
/// added or removed (Levenshtein distance).
fn close_to(written: &str, key: &str) -> bool {
    let written: Vec<char> = written.chars().collect();
    let mut previous: Vec<usize> = (0..=written.len()).collect();
    for (i, k) in key.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, w) in written.iter().enumerate() {
            let substitute = previous[j] + usize::from(*w != k);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[written.len()] <= 2
}

/// Whether `key =` (not `==` or `=>`) comes next.
fn peek_key(input: ParseStream) -> bool {
    input.peek(Ident::peek_any)
        && input.peek2(Token![=])
        && !input.peek2(Token![==])
        && !input.peek2(Token![=>])
}

/// A value: the tokens up to the next top-level `,`, or up to a `key =`
/// that follows without a comma.
fn value_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) && (tokens.is_empty() || !peek_key(input)) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    Ok(tokens)
}

/// The tokens up to the next top-level `,` (not included).
fn rest_of_arg(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_the_keys() {
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

    fn args_of(source: &str) -> (Args, String) {
        let mut errors = Errors::new();
        let args = args(source.parse().unwrap(), &mut errors);
        (args, errors.into_compile_error().to_string())
    }

    #[test]
    fn arguments_in_either_order() {
        for source in [
            r#"from = "a", files = { "b" => "c" }"#,
            r#"files = { "b" => "c" }, from = "a","#,
        ] {
            let (args, errors) = args_of(source);
            assert!(errors.is_empty(), "{errors}");
            assert_eq!(args.from.unwrap().value(), "a");
            assert_eq!(args.files.unwrap().items.len(), 1);
        }
        let (args, errors) = args_of("");
        assert!(errors.is_empty() && args.from.is_none() && args.files.is_none());
    }

    #[test]
    fn every_argument_mistake_in_one_pass() {
        let (args, errors) = args_of(
            r#"frm = "a", from = 1, files = "x", from = "ok", from = "again", "bare", files { }, files = { "k" => "v" } from = "x""#,
        );
        for message in [
            "unknown key `frm` (did you mean `from`?)",
            "`files` takes a spec in braces",
            "duplicate key `from`",
            "to copy a snapshot folder, write from = \\\"bare\\\"",
            "expected `=` after `files`",
            "expected `,` here",
            "`from` takes a string literal",
        ] {
            assert!(errors.contains(message), "{message} in {errors}");
        }
        // What was well formed is kept.
        assert_eq!(args.from.unwrap().value(), "ok");
        assert!(args.files.is_some());
    }
}
