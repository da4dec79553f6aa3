//! What `#[with_tempdir]` reads: its arguments (`from = "folder"`,
//! `files = { … }`) and the function it stands on, with every rule the
//! generated code relies on checked here, each error spanned on the token at
//! fault and all of them reported in one compile.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{AttrStyle, Attribute, FnArg, Ident, Item, ItemFn, LitStr, Pat, Safety, Token, Type};

use crate::errors::Errors;
use crate::spec::parse::Spec;

/// Appended to every message about the arguments.
pub(crate) const KEYS: &str = "#[with_tempdir] takes, each optional, in either order:
    from = \"tests/fixtures/name\"        a snapshot folder (relative to CARGO_MANIFEST_DIR), copied in first
    files = { \"name\" => \"content\", … }  files written on top, in the spec language of tree!";

/// Appended to messages about the function's shape.
const SHAPE: &str =
    "#[with_tempdir] makes a test of a function taking the test's directory as its one parameter:
    fn name(dir: &Path)    or dir: &TempDir, or dir: PathBuf
which may be `async` (below a test attribute such as #[tokio::test]) and may return () or a Result";

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

/// A function `#[with_tempdir]` can make a test of.
pub(crate) struct TestFn {
    /// The function as written; its outer attributes move to the test.
    pub(crate) item: ItemFn,
    /// The type of its one parameter.
    pub(crate) param_ty: Type,
    /// Whether a test attribute (`#[test]`, `#[tokio::test]`, …) is there.
    pub(crate) has_test_attribute: bool,
    /// Whether `#[should_panic]` is there.
    pub(crate) expect_panic: bool,
}

/// Whether `attr` makes its function a test: `#[test]` or any path ending
/// in `test` (`#[tokio::test]`, `#[async_std::test]`, `#[test_log::test]`,
/// `#[tokio::test(flavor = "multi_thread")]`, `#[::core::prelude::v1::test]`).
pub(crate) fn is_test_attribute(attr: &Attribute) -> bool {
    matches!(attr.style, AttrStyle::Outer)
        && attr
            .path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident.unraw() == "test")
}

/// Whether `attr` is `#[should_panic]` or `#[should_panic(expected = …)]`.
pub(crate) fn is_should_panic(attr: &Attribute) -> bool {
    matches!(attr.style, AttrStyle::Outer) && attr.path().is_ident("should_panic")
}

/// The item as a [`TestFn`]; otherwise every reason it cannot be one goes
/// into `errors` and the item comes back, to be emitted as written.
pub(crate) fn test_fn(item: Item, errors: &mut Errors) -> Result<TestFn, Box<Item>> {
    let item = match item {
        Item::Fn(item) => item,
        other => {
            let (what, head) = describe(&other);
            errors.error_spanned_by(
                head,
                format_args!("expected a function, found {what}; {SHAPE}"),
            );
            return Err(Box::new(other));
        }
    };
    let has_test_attribute = item.attrs.iter().any(is_test_attribute);
    let mut found = Found::default();
    check_signature(&item, has_test_attribute, &mut found);
    match found {
        Found {
            errors: found_errors,
            param_ty: Some(param_ty),
        } if found_errors.is_empty() => {
            let expect_panic = item.attrs.iter().any(is_should_panic);
            Ok(TestFn {
                item,
                param_ty,
                has_test_attribute,
                expect_panic,
            })
        }
        Found {
            errors: found_errors,
            ..
        } => {
            found_errors
                .into_iter()
                .for_each(|error| errors.push(error));
            Err(Box::new(Item::Fn(item)))
        }
    }
}

/// What [`check_signature`] found: its errors, and the parameter's type.
#[derive(Default)]
struct Found {
    errors: Vec<syn::Error>,
    param_ty: Option<Type>,
}

impl Found {
    /// An error on `tokens`.
    fn error(&mut self, tokens: impl ToTokens, message: &str) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error on `tokens`, followed by the accepted shape.
    fn error_with_shape(&mut self, tokens: impl ToTokens, message: &str) {
        self.errors.push(syn::Error::new_spanned(
            tokens,
            format_args!("{message}; {SHAPE}"),
        ));
    }
}

fn check_signature(item: &ItemFn, has_test_attribute: bool, found: &mut Found) {
    let sig = &item.sig;
    if let Some(default) = &item.modifiers.defaultness {
        found.error(
            default,
            "a test function cannot be `default fn`: remove `default`",
        );
    }
    if let Some(constness) = &sig.constness {
        found.error(
            constness,
            "a test function cannot be `const fn`: remove `const`",
        );
    }
    match &sig.safety {
        Safety::Unsafe(unsafety) => found.error(
            unsafety,
            "a test function cannot be `unsafe fn`: remove `unsafe` and put the unsafe calls \
             in `unsafe { … }` blocks",
        ),
        Safety::Safe(safe) => found.error(
            safe,
            "`safe fn` belongs in an `extern` block, not on a test function: remove `safe`",
        ),
        Safety::Default => {}
    }
    if let Some(abi) = &sig.abi {
        found.error(
            abi,
            "a test function uses the Rust ABI: remove the `extern`",
        );
    }
    if let Some(asyncness) = &sig.asyncness
        && !has_test_attribute
    {
        found.error(
            asyncness,
            "an `async fn` test needs its runtime's test attribute: add #[tokio::test] \
             (or your runtime's, e.g. #[async_std::test]) on the line below #[with_tempdir]; \
             #[with_tempdir] adds a plain #[test] only to a function that is not async",
        );
    }
    if !sig.generics.params.is_empty() {
        found.error_with_shape(
            &sig.generics,
            "a test function cannot be generic: nothing would choose the generic parameters; \
             remove the `<…>` and write the parameter's type",
        );
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        found.error_with_shape(
            where_clause,
            "a test function cannot be generic: remove the `where` clause",
        );
    }
    if let Some(variadic) = &sig.variadic {
        found.error(
            variadic,
            "a test function takes no variadic `...`: remove it",
        );
    }

    let mut typed = Vec::new();
    let mut has_receiver = false;
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(receiver) => {
                has_receiver = true;
                found.error_with_shape(
                    receiver,
                    "a test cannot be a method: move it out of the `impl` block, and take the \
                     directory as a parameter instead of `self`",
                );
            }
            FnArg::Typed(arg) => typed.push(arg),
        }
    }
    let Some((first, rest)) = typed.split_first() else {
        if !has_receiver {
            found.errors.push(syn::Error::new(
                sig.paren_token.span.join(),
                format_args!(
                    "missing the parameter for the test's directory, e.g. `dir: &Path`; {SHAPE}"
                ),
            ));
        }
        return;
    };
    match &*first.pat {
        Pat::Ident(ident) if ident.subpat.is_none() => {}
        Pat::Wild(_) => {}
        other => found.error(
            other,
            "the parameter takes a name, e.g. `dir`, or `_`, not a pattern: \
             bind the directory to a name and take it apart in the body",
        ),
    }
    if let Type::ImplTrait(_) = &*first.ty {
        found.error_with_shape(
            &first.ty,
            "the parameter takes a concrete type, not `impl Trait`",
        );
    }
    if !rest.is_empty() {
        let extra: TokenStream = rest.iter().map(ToTokens::to_token_stream).collect();
        found.error_with_shape(
            extra,
            "too many parameters: remove these, or make them locals in the body",
        );
    }
    found.param_ty = Some((*first.ty).clone());
}

/// "a struct", and the tokens to point at (its keyword and name), for the
/// error on an item that is not a function.
fn describe(item: &Item) -> (&'static str, TokenStream) {
    match item {
        Item::Const(i) => ("a constant", keyword_and_name(&i.const_token, &i.ident)),
        Item::Enum(i) => ("an enum", keyword_and_name(&i.enum_token, &i.ident)),
        Item::ExternCrate(i) => (
            "an `extern crate`",
            keyword_and_name(&i.extern_token, &i.ident),
        ),
        Item::ForeignMod(i) => ("an `extern` block", i.abi.to_token_stream()),
        Item::Impl(i) => (
            "an `impl` block",
            keyword_and_name(&i.impl_token, &i.self_ty),
        ),
        Item::Macro(i) => ("a macro invocation", i.mac.path.to_token_stream()),
        Item::Mod(i) => ("a module", keyword_and_name(&i.mod_token, &i.ident)),
        Item::Static(i) => ("a static", keyword_and_name(&i.static_token, &i.ident)),
        Item::Struct(i) => ("a struct", keyword_and_name(&i.struct_token, &i.ident)),
        Item::Trait(i) => ("a trait", keyword_and_name(&i.trait_token, &i.ident)),
        Item::TraitAlias(i) => ("a trait alias", keyword_and_name(&i.trait_token, &i.ident)),
        Item::Type(i) => ("a type alias", keyword_and_name(&i.type_token, &i.ident)),
        Item::Union(i) => ("a union", keyword_and_name(&i.union_token, &i.ident)),
        Item::Use(i) => ("a `use` declaration", i.use_token.to_token_stream()),
        _ => ("this item", item.to_token_stream()),
    }
}

fn keyword_and_name(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
    quote!(#keyword #name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn test_attributes_are_test_or_any_path_ending_in_test() {
        let tests: [Attribute; 7] = [
            parse_quote!(#[test]),
            parse_quote!(#[tokio::test]),
            parse_quote!(#[async_std::test]),
            parse_quote!(#[test_log::test]),
            parse_quote!(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]),
            parse_quote!(#[::core::prelude::v1::test]),
            parse_quote!(#[r#test]),
        ];
        for attr in &tests {
            assert!(is_test_attribute(attr), "{}", attr.to_token_stream());
        }
    }

    #[test]
    fn other_attributes_are_not_test_attributes() {
        let others: [Attribute; 11] = [
            parse_quote!(#[ignore]),
            parse_quote!(#[should_panic(expected = "test")]),
            parse_quote!(#[tokio::main]),
            parse_quote!(#[test_case(1)]),
            parse_quote!(#[rstest]),
            parse_quote!(#[testing]),
            parse_quote!(#[test::other]),
            parse_quote!(#[cfg(test)]),
            parse_quote!(#[doc = "test"]),
            parse_quote!(#[allow(test)]),
            parse_quote!(#[cfg_attr(test, ignore)]),
        ];
        for attr in &others {
            assert!(!is_test_attribute(attr), "{}", attr.to_token_stream());
        }
    }

    #[test]
    fn should_panic_with_or_without_arguments() {
        let bare: Attribute = parse_quote!(#[should_panic]);
        let expected: Attribute = parse_quote!(#[should_panic(expected = "boom")]);
        let other: Attribute = parse_quote!(#[ignore = "should_panic"]);
        assert!(is_should_panic(&bare));
        assert!(is_should_panic(&expected));
        assert!(!is_should_panic(&other));
    }

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
