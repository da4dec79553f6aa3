//! The function `#[with_tempdir]` stands on, checked against every rule the
//! generated test relies on: a plain, non-generic function taking the
//! directory as its one parameter. Each broken rule is an error on the token
//! at fault, and all of them are reported in one compile.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::{AttrStyle, Attribute, FnArg, Item, ItemFn, Pat, Safety, Type};

use crate::errors::Errors;

/// Appended to messages about the function's shape.
const SHAPE: &str =
    "#[with_tempdir] makes a test of a function taking the test's directory as its one parameter:
    fn name(dir: &Path)    or dir: &TempDir, or dir: PathBuf
which may be `async` (below a test attribute such as #[tokio::test]) and may return () or a Result";

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

/// The item as a [`TestFn`], its rules checked into `errors`; an item that
/// is not a function, or has no parameter, comes back to be emitted as written.
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
    let Some(param_ty) = check_signature(&item, has_test_attribute, errors) else {
        return Err(Box::new(Item::Fn(item)));
    };
    let expect_panic = item.attrs.iter().any(is_should_panic);
    Ok(TestFn {
        item,
        param_ty,
        has_test_attribute,
        expect_panic,
    })
}

/// Reports every rule the signature breaks; the type of its first
/// parameter, if it has one.
fn check_signature(item: &ItemFn, has_test_attribute: bool, errors: &mut Errors) -> Option<Type> {
    let sig = &item.sig;
    if let Some(default) = &item.modifiers.defaultness {
        errors.error_spanned_by(
            default,
            "a test function cannot be `default fn`: remove `default`",
        );
    }
    if let Some(constness) = &sig.constness {
        errors.error_spanned_by(
            constness,
            "a test function cannot be `const fn`: remove `const`",
        );
    }
    match &sig.safety {
        Safety::Unsafe(unsafety) => errors.error_spanned_by(
            unsafety,
            "a test function cannot be `unsafe fn`: remove `unsafe` and put the unsafe calls \
             in `unsafe { … }` blocks",
        ),
        Safety::Safe(safe) => errors.error_spanned_by(
            safe,
            "`safe fn` belongs in an `extern` block, not on a test function: remove `safe`",
        ),
        Safety::Default => {}
    }
    if let Some(abi) = &sig.abi {
        errors.error_spanned_by(
            abi,
            "a test function uses the Rust ABI: remove the `extern`",
        );
    }
    if let Some(asyncness) = &sig.asyncness
        && !has_test_attribute
    {
        errors.error_spanned_by(
            asyncness,
            "an `async fn` test needs its runtime's test attribute: add #[tokio::test] \
             (or your runtime's, e.g. #[async_std::test]) on the line below #[with_tempdir]; \
             #[with_tempdir] adds a plain #[test] only to a function that is not async",
        );
    }
    if !sig.generics.params.is_empty() {
        errors.error_spanned_by(
            &sig.generics,
            format_args!(
                "a test function cannot be generic: nothing would choose the generic parameters; \
             remove the `<…>` and write the parameter's type; {SHAPE}"
            ),
        );
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        errors.error_spanned_by(
            where_clause,
            format_args!("a test function cannot be generic: remove the `where` clause; {SHAPE}"),
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.error_spanned_by(
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
                errors.error_spanned_by(
                    receiver,
                    format_args!(
                        "a test cannot be a method: move it out of the `impl` block, and take the \
                     directory as a parameter instead of `self`; {SHAPE}"
                    ),
                );
            }
            FnArg::Typed(arg) => typed.push(arg),
        }
    }
    let Some((first, rest)) = typed.split_first() else {
        if !has_receiver {
            errors.push(syn::Error::new(
                sig.paren_token.span.join(),
                format_args!(
                    "missing the parameter for the test's directory, e.g. `dir: &Path`; {SHAPE}"
                ),
            ));
        }
        return None;
    };
    match &*first.pat {
        Pat::Ident(ident) if ident.subpat.is_none() => {}
        Pat::Wild(_) => {}
        other => errors.error_spanned_by(
            other,
            "the parameter takes a name, e.g. `dir`, or `_`, not a pattern: \
             bind the directory to a name and take it apart in the body",
        ),
    }
    if let Type::ImplTrait(_) = &*first.ty {
        errors.error_spanned_by(
            &first.ty,
            format_args!("the parameter takes a concrete type, not `impl Trait`; {SHAPE}"),
        );
    }
    if !rest.is_empty() {
        let extra: TokenStream = rest.iter().map(ToTokens::to_token_stream).collect();
        errors.error_spanned_by(
            extra,
            format_args!(
                "too many parameters: remove these, or make them locals in the body; {SHAPE}"
            ),
        );
    }
    Some((*first.ty).clone())
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
}
