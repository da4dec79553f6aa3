//! What `assert_tree!` reads: the directory, what it should hold (a spec, a
//! value or `from = "folder"`), then its options. Every mistake goes into the
//! call's `Errors` and reading goes on after it, so that one compile reports
//! them all.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, LitStr, Token, braced, bracketed, token};

use crate::errors::Errors;
use crate::folder;
use crate::options::{self, Options};
use crate::spec::validate::{self, Checked};
use crate::target::Target;

/// Appended to every message about the arguments' shape.
const FORMS: &str = "assert_tree! takes one of
    assert_tree!(dir, { \"path\" => value, .. })
    assert_tree!(dir, expected)    (a Tree, &Tree or ExpectedTree)
    assert_tree!(dir, from = \"tests/snapshots/name\")
each optionally followed by `, ignore = [\"*.log\", \"target/**\"]`,
and `from = ..` by `, line_endings = \"exact\"` to tell CRLF from LF
and by a last `, ..` to compare only the paths the folder holds";

/// The arguments of one `assert_tree!` after the directory.
#[derive(Default)]
pub(crate) struct Args {
    /// `None` when what was written there is a mistake.
    pub(crate) expected: Option<Expected>,
    pub(crate) ignore: Option<Vec<LitStr>>,
    /// The runtime's `LineEndings` variant for `from = ..`, if given.
    pub(crate) line_endings: Option<Ident>,
    /// A last `..` after `from = ..`: only the paths the folder holds compare.
    pub(crate) subset: bool,
}

/// What the directory is compared with.
pub(crate) enum Expected {
    /// `{ … }`: a spec, checked, and the fingerprint of its tokens, which
    /// review mode records so that `cargo fixtree accept` finds this very spec.
    Spec(Checked, String),
    /// Any expression converting into an `ExpectedTree`.
    Value(Box<Expr>),
    /// `from = "folder"`.
    From(LitStr),
}

enum Key {
    From,
    Ignore,
    LineEndings,
}

const OPTIONS: Options<Key> = Options {
    noun: "option",
    names: &[
        (Key::From, "from", "from = \"tests/snapshots/name\""),
        (Key::Ignore, "ignore", "ignore = [\"*.log\", \"target/**\"]"),
        (Key::LineEndings, "line_endings", "line_endings = \"exact\""),
    ],
    forms: FORMS,
    not_an_option: |_| {
        format!("expected an option such as `ignore = [..]`, or the end of the arguments; {FORMS}")
    },
};

/// Reads the directory and the arguments after it, reporting every mistake
/// into `errors`; `None` if not even the directory could be read.
pub(crate) fn args(tokens: TokenStream, errors: &mut Errors) -> Option<(Expr, Args)> {
    let parser = |input: ParseStream| parse(input, errors);
    let result = parser.parse2(tokens);
    errors.ok(result).flatten()
}

fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<Option<(Expr, Args)>> {
    if input.is_empty() {
        let message = format!("missing arguments: the directory and what it should hold; {FORMS}");
        errors.push(syn::Error::new(Span::call_site(), message));
        return Ok(None);
    }
    if options::peek(input) {
        errors.push(input.error(format!("expected the directory to check first; {FORMS}")));
        input.parse::<TokenStream>()?;
        return Ok(None);
    }
    let (dir, mut args): (Expr, Args) = (input.parse()?, Args::default());
    if input.is_empty() {
        let message = format!("missing what the directory should hold, after a `,`; {FORMS}");
        errors.error_spanned_by(&dir, message);
        return Ok(Some((dir, args)));
    }
    let Ok(comma) = input.parse::<Token![,]>() else {
        errors.push(input.error(format!("expected `,` after the directory; {FORMS}")));
        input.parse::<TokenStream>()?;
        return Ok(Some((dir, args)));
    };
    if input.is_empty() {
        let message = format!("missing what the directory should hold, after this `,`; {FORMS}");
        errors.error_spanned_by(comma, message);
        return Ok(Some((dir, args)));
    }

    let form;
    (form, args.expected) = expected(input, errors)?;
    let separator = |input: ParseStream, errors: &mut Errors| {
        // One expression: Rust 1.85 frees `format_args!`'s temporaries at the `;`.
        options::separator(
            input,
            errors,
            format_args!("expected `,` or the end of the arguments; {FORMS}"),
        )
    };
    separator(input, errors)?;

    let mut named_options = Vec::new();
    // The `..` read, until reported if anything follows it.
    let mut dots: Option<Token![..]> = None;
    while !input.is_empty() {
        if input.peek(Token![..]) && !input.peek(Token![..=]) {
            let these: Token![..] = input.parse()?;
            subset(&these, form, dots.is_some() || args.subset, errors);
            (args.subset, dots) = (true, Some(these));
        } else {
            if let Some(dots) = dots.take().filter(|_| form == Form::From) {
                errors.error_spanned_by(
                    dots,
                    "`..` comes last, after every option: it says the snapshot folder holds \
                     only some of the directory's paths",
                );
            }
            named_options.extend(OPTIONS.parse_one(input, errors)?);
        }
        separator(input, errors)?;
    }

    for named in named_options {
        let name = &named.name;
        match named.key {
            Key::Ignore => OPTIONS.set_once(
                &mut args.ignore,
                &named,
                parse_ignore.parse2(named.value.clone()),
                "list every glob in one `ignore = [..]`",
                errors,
            ),
            Key::LineEndings if form == Form::From => OPTIONS.set_once(
                &mut args.line_endings,
                &named,
                parse_line_endings.parse2(named.value.clone()),
                "give `line_endings` once",
                errors,
            ),
            Key::LineEndings => errors.error_spanned_by(
                name,
                "`line_endings` is for a snapshot folder, `from = \"…\"`, whose line endings \
                 git may have rewritten; what the test itself spells out compares byte for byte",
            ),
            // After an option in its place, a `from` is the misplaced
            // option's mistake, already reported.
            Key::From if form == Form::Misplaced => {}
            Key::From => errors.error_spanned_by(
                name,
                format_args!(
                    "`from = ..` replaces what the directory should hold, it does not follow it; {FORMS}"
                ),
            ),
        }
    }
    Ok(Some((dir, args)))
}

/// Reports a trailing `..` (`dots`) unless it follows `from = ..` once.
fn subset(dots: &Token![..], form: Form, again: bool, errors: &mut Errors) {
    let message = match form {
        Form::From if again => "duplicate `..`: write it once, last",
        Form::From | Form::Misplaced => return,
        Form::Written => {
            "a last `..` is for `from = \"…\"` (compare only the paths the snapshot folder \
             holds); in a spec, `..` goes inside the braces, { \"path\" => value, .. }, and an \
             ExpectedTree allows other entries with .allow_others()"
        }
    };
    errors.error_spanned_by(dots, message);
}

/// What was written in the place of the expected tree, as far as the options
/// after it care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A spec or a value.
    Written,
    /// `from = "folder"`, which `line_endings` may follow.
    From,
    /// An option that belongs after it: reported, and nothing after it is
    /// held against it.
    Misplaced,
}

/// What the directory should hold: `{ … }`, `from = "folder"` or a value.
fn expected(input: ParseStream, errors: &mut Errors) -> syn::Result<(Form, Option<Expected>)> {
    if input.peek(token::Brace) {
        let content;
        braced!(content in input);
        let tokens = fixtree_rules::tokens::fingerprint(content.fork().parse()?);
        let checked = validate::check(&content.parse()?, Target::Expected, errors);
        return Ok((Form::Written, Some(Expected::Spec(checked, tokens))));
    }
    if !options::peek(input) {
        let value = errors.ok(input.parse());
        if value.is_none() {
            options::rest(input)?;
        }
        return Ok((
            Form::Written,
            value.map(|value| Expected::Value(Box::new(value))),
        ));
    }
    let Some(named) = OPTIONS.parse_one(input, errors)? else {
        return Ok((Form::Misplaced, None));
    };
    match named.key {
        Key::From => {
            let folder = errors.ok(folder::parse(&named.value, Target::Expected));
            if let Some(folder) = &folder {
                folder::check(folder, Target::Expected, errors);
            }
            Ok((Form::From, folder.map(Expected::From)))
        }
        Key::Ignore | Key::LineEndings => {
            let name = &named.name;
            errors.error_spanned_by(
                name,
                format_args!("`{name}` comes after what the directory should hold; {FORMS}"),
            );
            Ok((Form::Misplaced, None))
        }
    }
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

/// `["glob", …]` after `ignore =` (of `#[cases]` too).
pub(crate) fn parse_ignore(input: ParseStream) -> syn::Result<Vec<LitStr>> {
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
        if !content.is_empty() && content.parse::<Token![,]>().is_err() {
            return Err(content.error(format_args!("expected `,` between globs; {SHAPE}")));
        }
    }
    Ok(globs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(source: &str) -> String {
        let mut errors = Errors::default();
        args(source.parse().unwrap(), &mut errors);
        errors.into_compile_error().to_string()
    }

    #[test]
    fn every_option_mistake_in_one_pass() {
        let errors = errors_of(
            r#"dir, from = "a", bogus = 1, ignore = "x", ignore = ["y"], ignore = ["z"], from = "b", line_endings = "crlf", line_endings = "exact", line_endings = "any""#,
        );
        for message in [
            "unknown option `bogus`",
            "`ignore` takes a list of string literals",
            "duplicate option `ignore`: list every glob in one `ignore = [..]`",
            "`from = ..` replaces what the directory should hold",
            "`line_endings` is \\\"any\\\"",
            "duplicate option `line_endings`: give `line_endings` once",
        ] {
            assert!(errors.contains(message), "{message} in {errors}");
        }
    }

    #[test]
    fn a_last_dots_follows_from_only() {
        assert_eq!(errors_of(r#"dir, from = "a", ignore = ["*.log"], ..,"#), "");
        let errors = errors_of(r#"dir, from = "a", .., ignore = ["*.log"], .., .."#);
        assert!(
            errors.contains("`..` comes last, after every option"),
            "{errors}"
        );
        assert!(
            errors.contains("duplicate `..`: write it once, last"),
            "{errors}"
        );
        let spec = errors_of(r#"dir, { "a" => "x" }, .."#);
        assert!(
            spec.contains("a last `..` is for `from = \\\"…\\\"`")
                && spec.contains("in a spec, `..` goes inside the braces"),
            "{spec}"
        );
    }

    #[test]
    fn a_misplaced_option_then_the_rest() {
        let errors = errors_of(r#"dir, ignore = ["a"], from = "b", ignored = []"#);
        assert!(errors.contains("`ignore` comes after"), "{errors}");
        assert!(!errors.contains("`from = ..` replaces"), "{errors}");
        assert!(
            errors.contains("unknown option `ignored` (did you mean `ignore`?)"),
            "{errors}"
        );
    }
}
