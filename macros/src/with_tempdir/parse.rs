//! What `#[with_tempdir]` reads from its arguments: `from = "folder"` and
//! `files = { … }`, each optional, in either order. Every mistake is
//! reported, spanned on the token at fault, and what was well formed is kept.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::LitStr;
use syn::parse::{ParseStream, Parser};

use crate::errors::Errors;
use crate::folder;
use crate::options::{Name, Named, Options};
use crate::spec::parse::Spec;
use crate::target::Target;

/// Appended to every message about the arguments.
const KEYS: &str = "#[with_tempdir] takes, each optional, in either order:
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

#[derive(Clone, Copy)]
enum Key {
    From,
    Files,
}

const OPTIONS: Options<Key> = Options {
    noun: "key",
    names: &[
        Name {
            key: Key::From,
            name: "from",
            example: "from = \"tests/fixtures/name\"",
            synonyms: folder::SYNONYMS,
        },
        Name {
            key: Key::Files,
            name: "files",
            example: "files = { \"name\" => \"content\" }",
            synonyms: &[],
        },
    ],
    forms: KEYS,
    not_an_option,
};

/// Reads the attribute's arguments, reporting every mistake into `errors`
/// and keeping what was well formed.
pub(crate) fn args(tokens: TokenStream, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| OPTIONS.parse(input, errors);
    let options = parser.parse2(tokens).unwrap_or_else(|error| {
        errors.push(error);
        Vec::new()
    });
    let mut args = Args::default();
    for named in options {
        match named.option.key {
            Key::From => match folder::parse(&named.value, Target::Tree) {
                Ok(from) => OPTIONS.set_once(
                    &mut args.from,
                    &named,
                    from,
                    "#[with_tempdir] copies one snapshot folder; give `from` once",
                    errors,
                ),
                Err(error) => errors.push(error),
            },
            Key::Files => match files(&named) {
                Ok(spec) => OPTIONS.set_once(
                    &mut args.files,
                    &named,
                    spec,
                    "write all the files in one `files = { … }`",
                    errors,
                ),
                Err(error) => errors.push(error),
            },
        }
    }
    args
}

/// The spec of `files = { … }`.
fn files(named: &Named<Key>) -> syn::Result<Spec> {
    let mut tokens = named.value.clone().into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Brace => {
            syn::parse2(group.stream())
        }
        _ => Err(syn::Error::new_spanned(
            &named.value,
            "`files` takes a spec in braces, as tree! does: \
             files = { \"in.csv\" => \"a,b\\n\", \"src\" => { \"lib.rs\" => \"\" } }",
        )),
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
