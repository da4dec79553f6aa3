//! What `#[with_tempdir]` reads from its arguments: `from = "folder"` and
//! `files = …` (a spec in braces, an expression yielding a tree, or a list
//! of those, merged in order), each optional, in either order. Every mistake is
//! reported, spanned on the token at fault, and what was well formed is kept.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

use crate::errors::Errors;
use crate::folder;
use crate::options::{self, Named, Options};
use crate::spec::parse::Spec;
use crate::target::Target;

/// Appended to every message about the arguments.
const KEYS: &str = "#[with_tempdir] takes, each optional, in either order:
    from = \"tests/fixtures/name\"        a snapshot folder (relative to CARGO_MANIFEST_DIR), copied in first
    files = { \"name\" => \"content\", … }  files written on top, in the spec language of tree!
    files = shared_tree()                 or any expression yielding a fixtree::Tree (or &Tree)
    files = [shared_tree(), { … }]        or layers, merged in order: a later one wins on a path both name";

/// The arguments of one `#[with_tempdir(…)]`.
#[derive(Default)]
pub(crate) struct Args {
    /// `from = "folder"`.
    pub(crate) from: Option<LitStr>,
    /// `files = …`, as layers.
    pub(crate) files: Option<Vec<Layer<Spec>>>,
}

/// One layer of `files`: a spec in braces (`S` is the spec as parsed, then
/// as checked), or an expression yielding a tree.
pub(crate) enum Layer<S> {
    Spec(S),
    Expr(syn::Expr),
}

enum Key {
    From,
    Files,
}

const OPTIONS: Options<Key> = Options {
    noun: "key",
    names: &[
        (Key::From, "from", "from = \"tests/fixtures/name\""),
        (Key::Files, "files", "files = { \"name\" => \"content\" }"),
    ],
    forms: KEYS,
    not_an_option,
};

/// Reads the attribute's arguments, reporting every mistake into `errors`
/// and keeping what was well formed.
pub(crate) fn args(tokens: TokenStream, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| OPTIONS.parse(input, errors);
    let options = parser.parse2(tokens);
    let options = errors.ok(options).unwrap_or_default();
    let mut args = Args::default();
    for named in options {
        match named.key {
            Key::From => OPTIONS.set_once(
                &mut args.from,
                &named,
                folder::parse(&named.value, Target::Tree),
                "#[with_tempdir] copies one snapshot folder; give `from` once",
                errors,
            ),
            Key::Files => OPTIONS.set_once(
                &mut args.files,
                &named,
                files(&named),
                "give `files` once; to combine trees, list them: files = [base(), { … }]",
                errors,
            ),
        }
    }
    args
}

/// The layers of `files = …`: `{ … }` is a spec, `[a, b]` a list of layers
/// (each a spec or an expression), anything else an expression.
fn files(named: &Named<Key>) -> syn::Result<Vec<Layer<Spec>>> {
    let mut tokens = named.value.clone().into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Bracket => {
            let list = |input: ParseStream| {
                Punctuated::<TokenStream, Token![,]>::parse_terminated_with(input, options::rest)
            };
            let layers = list.parse2(group.stream())?;
            if layers.is_empty() {
                return Err(syn::Error::new_spanned(
                    &named.value,
                    "`files = []` lists no layers: list one or more, e.g. \
                     files = [shared_tree(), { \"extra.txt\" => \"x\" }], or remove `files`",
                ));
            }
            layers
                .into_iter()
                .map(|tokens| layer(tokens, group.span()))
                .collect()
        }
        _ => Ok(vec![layer(named.value.clone(), Span::call_site())?]),
    }
}

/// One layer: a spec if in braces, else an expression; `around` is where
/// an empty one was.
fn layer(tokens: TokenStream, around: Span) -> syn::Result<Layer<Spec>> {
    const FORMS: &str = "`files` takes a spec in braces, an expression yielding a tree, \
                         or a list of those: files = { \"in.csv\" => \"a,b\\n\" }";
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Brace => {
            syn::parse2(group.stream()).map(Layer::Spec)
        }
        (None, _) => Err(syn::Error::new(around, format!("empty layer; {FORMS}"))),
        (Some(TokenTree::Literal(_)), None) if syn::parse2::<LitStr>(tokens.clone()).is_ok() => {
            Err(syn::Error::new_spanned(
                &tokens,
                format!("{FORMS}, not a string; to copy a snapshot folder, write from = {tokens}"),
            ))
        }
        _ => syn::parse2(tokens).map(Layer::Expr),
    }
}

/// The message for an argument that is not `key = value`: what to write for
/// a bare folder or spec.
fn not_an_option(found: &TokenStream) -> String {
    let hint = match found.clone().into_iter().next() {
        Some(TokenTree::Literal(_)) if syn::parse2::<LitStr>(found.clone()).is_ok() => {
            format!("; to copy a snapshot folder, write from = {found}")
        }
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            "; to write files, write files = { … }".to_owned()
        }
        _ => String::new(),
    };
    format!("expected `key = value`{hint}; {KEYS}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args_of(source: &str) -> (Args, String) {
        let mut errors = Errors::default();
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
            let files = args.files.unwrap();
            assert!(matches!(files.as_slice(), [Layer::Spec(spec)] if spec.items.len() == 1));
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
