//! The function `#[with_tempdir]` stands on, checked against every rule the
//! generated test relies on: a plain function taking the test's directory
//! as a parameter, and other parameters only when a parametrizing attribute
//! (`#[rstest]`, `#[test_case]`, …) below supplies them. Each broken rule is
//! an error on the token at fault, and all of them are reported in one compile.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::{AttrStyle, Attribute, FnArg, Item, ItemFn, Pat, PatType, Safety, Type};

use super::expand::fallback;
use crate::errors::Errors;

/// The attribute whose function is checked: the rules are the same, the
/// messages say what each attribute makes of the function.
pub(crate) struct Maker {
    name: &'static str,
    /// Appended to messages about the function's shape.
    shape: &'static str,
    /// Completes "missing the parameter for the test's directory, e.g. `dir: &Path`."
    when_missing: &'static str,
    /// Completes "too many parameters: ".
    pub(crate) too_many: &'static str,
    /// Reports, and takes off, what this attribute alone refuses.
    refuse: fn(&mut ItemFn, &mut Errors),
}

pub(crate) const WITH_TEMPDIR: &Maker = &Maker {
    name: "#[with_tempdir]",
    shape: "#[with_tempdir] makes a test of a function taking the test's directory as a parameter:
    fn name(dir: &Path)    or dir: PathBuf, dir: &TestDir, dir: &TempDir, or #[dir] env: YourType (FromTestDir)
which may be `async` (below a test attribute such as #[tokio::test]) and may return () or a Result;
with #[rstest] or #[test_case(…)] below #[with_tempdir], it may take their parameters too",
    when_missing: " Below #[rstest] or #[test_case(…)], #[with_tempdir] sees each case they \
                   generate, which takes no parameters: put #[with_tempdir] above them.",
    too_many: "a #[test] takes none besides the directory; remove these, \
               make them locals in the body, or let #[rstest] or #[test_case(…)] (below \
               #[with_tempdir]) supply them; for more directories, call \
               fixtree::test_dir!(\"label\") in the body",
    refuse: |_, _| {},
};

pub(crate) const CASES: &Maker = &Maker {
    name: "#[cases]",
    shape: "#[cases(\"tests/cases/*\")] runs a function once per case folder, taking the test's directory \
as a parameter:
    fn name(dir: &Path)    or dir: PathBuf, dir: &TestDir, dir: &TempDir, or #[dir] env: YourType (FromTestDir)
which may return () or a Result",
    when_missing: "",
    too_many: "each case passes only the directory, and the case to a `case: &fixtree::Case` \
               parameter; remove these, or make them locals in the body",
    refuse: crate::cases::refuse,
};

/// The types the directory parameter is known by, when unmarked: `&Path`,
/// `PathBuf`, `&TestDir`, `&TempDir`, by their last path segment.
const DIR_TYPES: &[&str] = &["Path", "PathBuf", "TestDir", "TempDir"];

/// A function `#[with_tempdir]` can make a test of.
pub(crate) struct TestFn {
    /// The function as written; its outer attributes move to the test, and
    /// the `#[dir]` marker is gone.
    pub(crate) item: ItemFn,
    /// Which of its parameters is the test's directory.
    pub(crate) dir: usize,
}

/// Whether `attr` is a test attribute or a parametrizing one (see below):
/// where one is, none is to be added.
pub(crate) fn makes_tests(attr: &Attribute) -> bool {
    is_test_attribute(attr) || is_parametrizing(attr)
}

/// Whether `attr` makes its function a test: one whose last path segment
/// ends in `test`, as editors assume (`#[test]`, `#[tokio::test]`,
/// `#[test_log::test]`, `#[cargo_test]`, `#[::core::prelude::v1::test]`);
/// `#[rstest]` is one too, and parametrizing besides.
pub(crate) fn is_test_attribute(attr: &Attribute) -> bool {
    last_segment_is(attr, |name| name.ends_with("test"))
}

/// Whether `attr` makes a test per case, supplying its parameters:
/// `#[rstest]`, `#[test_case(…)]`, `#[test_matrix(…)]`, by any path.
pub(crate) fn is_parametrizing(attr: &Attribute) -> bool {
    last_segment_is(attr, |name| {
        ["rstest", "test_case", "test_matrix"].contains(&name)
    })
}

/// Whether `attr` is the plain `#[test]` (by any path to it), which takes
/// no parameters.
pub(crate) fn is_plain_test(attr: &Attribute) -> bool {
    let segments = &attr.path().segments;
    let first = &segments[0].ident;
    last_segment_is(attr, |name| name == "test")
        && (segments.len() == 1 || first == "core" || first == "std")
}

/// Whether `attr` is an outer attribute whose last path segment, without
/// its `r#`, is a `name`.
fn last_segment_is(attr: &Attribute, name: impl Fn(&str) -> bool) -> bool {
    let last = attr.path().segments.last();
    let named = last.is_some_and(|last| name(&last.ident.unraw().to_string()));
    matches!(attr.style, AttrStyle::Outer) && named
}

/// Whether `attr` is `#[should_panic]` or `#[should_panic(expected = …)]`.
pub(crate) fn is_should_panic(attr: &Attribute) -> bool {
    matches!(attr.style, AttrStyle::Outer) && attr.path().is_ident("should_panic")
}

/// The function in `tokens` as a [`TestFn`], its rules checked into
/// `errors`; after any mistake, what to emit instead: the errors and the
/// item (see [`fallback`]).
pub(crate) fn test_fn(
    tokens: TokenStream,
    maker: &Maker,
    errors: &mut Errors,
) -> Result<TestFn, TokenStream> {
    let fallback =
        |errors: &mut Errors, item| Err(fallback(std::mem::take(errors), item, tokens.clone()));
    let mut item = match errors.ok(crate::function::item(tokens.clone())) {
        Some(Item::Fn(item)) => item,
        Some(other) => {
            let (what, head) = describe(&other);
            let message = format!("expected a function, found {what}; {}", maker.shape);
            errors.error_spanned_by(head, message);
            return fallback(errors, Some(other));
        }
        None => return fallback(errors, None),
    };
    (maker.refuse)(&mut item, errors);
    let twice = |attr: &&Attribute| last_segment_is(attr, |name| name == "with_tempdir");
    if let Some(again) = item
        .attrs
        .iter()
        .find(twice)
        .filter(|_| maker.name == WITH_TEMPDIR.name)
    {
        errors.error_spanned_by(
            again,
            "#[with_tempdir] is given twice: remove this one (for a second directory, \
             call fixtree::test_dir!(\"label\") in the body)",
        );
        // The function as written, without the second copy to expand.
        item.attrs.retain(|attr| !twice(&attr));
        return fallback(errors, Some(Item::Fn(item)));
    }
    // Parameters besides the directory need someone to supply them.
    // A test attribute of a crate's own (`tokio::test`) may; `#[cargo_test]` and `#[test]` do not.
    let qualified = |a: &Attribute| a.path().segments.len() > 1 && !is_plain_test(a);
    let supplier = |a: &Attribute| is_parametrizing(a) || is_test_attribute(a) && qualified(a);
    let others_supplied = item.attrs.iter().any(supplier);
    check_qualifiers(&item, maker, errors);
    match directory_parameter(&mut item, others_supplied, maker, errors) {
        Some(dir) if errors.is_empty() => Ok(TestFn { item, dir }),
        _ => fallback(errors, Some(Item::Fn(item))),
    }
}

/// Reports every rule the function's qualifiers and generics break.
fn check_qualifiers(item: &ItemFn, maker: &Maker, errors: &mut Errors) {
    let (shape, sig) = (maker.shape, &item.sig);
    errors.error_if(
        item.modifiers.defaultness.as_ref(),
        "a test function cannot be `default fn`: remove `default`",
    );
    errors.error_if(
        sig.constness.as_ref(),
        "a test function cannot be `const fn`: remove `const`",
    );
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
    errors.error_if(
        sig.abi.as_ref(),
        "a test function uses the Rust ABI: remove the `extern`",
    );
    errors.error_if(
        sig.asyncness
            .as_ref()
            .filter(|_| !item.attrs.iter().any(makes_tests)),
        "an `async fn` test needs its runtime's test attribute: add #[tokio::test] \
         (or your runtime's, e.g. #[async_std::test]) on the line below #[with_tempdir]; \
         #[with_tempdir] adds a plain #[test] only to a function that is not async",
    );
    // A parametrizing attribute may choose generic parameters (rstest's
    // `impl Trait` cases); nothing else would.
    if item.attrs.iter().any(is_parametrizing) {
        return;
    }
    let generic = format!(
        "a test function cannot be generic: nothing would choose the generic parameters; \
         remove the `<…>` and write the parameter's type; {shape}"
    );
    let generics = (!sig.generics.params.is_empty()).then_some(&sig.generics);
    errors.error_if(generics, generic);
    errors.error_if(
        sig.generics.where_clause.as_ref(),
        format_args!("a test function cannot be generic: remove the `where` clause; {shape}"),
    );
}

/// Finds the directory parameter — the one marked `#[dir]` (the marker is
/// removed), else the only one, else the only one of a type in
/// [`DIR_TYPES`] — and reports every rule the parameters break.
fn directory_parameter(
    item: &mut ItemFn,
    others_supplied: bool,
    maker: &Maker,
    errors: &mut Errors,
) -> Option<usize> {
    let (shape, sig) = (maker.shape, &item.sig);
    errors.error_if(
        sig.variadic.as_ref(),
        "a test function takes no variadic `...`: remove it",
    );
    let method = format!(
        "a test cannot be a method: move it out of the `impl` block, and take the \
         directory as a parameter instead of `self`; {shape}"
    );
    errors.error_if(sig.receiver(), method);
    let (has_receiver, parens) = (sig.receiver().is_some(), sig.paren_token.span.join());
    let mut typed: Vec<&mut PatType> = params(item).collect();
    let mut marked = Vec::new();
    for (index, param) in typed.iter_mut().enumerate() {
        let (markers, others): (Vec<_>, _) = param
            .attrs
            .drain(..)
            .partition(|attr| attr.path().is_ident("dir")); // the marker
        param.attrs = others;
        for marker in &markers {
            if !matches!(marker.meta, syn::Meta::Path(_)) {
                errors.error_spanned_by(marker, "the marker is `#[dir]`, with no arguments");
            }
        }
        marked.extend(markers.into_iter().next().map(|marker| (index, marker)));
    }
    let known: Vec<usize> = (0..typed.len())
        .filter(|&i| is_dir_type(&typed[i].ty))
        .collect();
    let dir = match (marked.as_slice(), typed.len(), known.as_slice()) {
        ([(index, _)], ..) => *index,
        ([_, (_, second), ..], ..) => {
            errors.error_spanned_by(
                second,
                "only one parameter is the test's directory: remove this #[dir], or the other",
            );
            return None;
        }
        ([], 0, _) if has_receiver => return None,
        ([], 0, _) => {
            let when_missing = maker.when_missing;
            let message = format!(
                "missing the parameter for the test's directory, e.g. `dir: &Path`.{when_missing} {shape}"
            );
            errors.push(syn::Error::new(parens, message));
            return None;
        }
        ([], 1, _) => 0,
        ([], _, [index]) => *index,
        ([], _, [_, second, ..]) => {
            errors.error_spanned_by(
                &*typed[*second],
                "two parameters could be the test's directory: mark the one it is \
                 with #[dir], e.g. `#[dir] dir: &Path`; for more directories, call \
                 fixtree::test_dir!(\"label\") in the body",
            );
            return None;
        }
        ([], _, []) => {
            let all: TokenStream = typed.iter().map(|p| p.to_token_stream()).collect();
            let message = format!(
                "which parameter is the test's directory? none has a type \
                 {} knows (&Path, PathBuf, &TestDir, &TempDir): mark it \
                 with #[dir], e.g. `#[dir] env: TestEnv`; {shape}",
                maker.name
            );
            errors.error_spanned_by(all, message);
            return None;
        }
    };
    let param = &typed[dir];
    match &*param.pat {
        Pat::Ident(syn::PatIdent { subpat: None, .. }) | Pat::Wild(_) => {}
        other => errors.error_spanned_by(
            other,
            "the directory parameter takes a name, e.g. `dir`, or `_`, not a pattern: \
             bind the directory to a name and take it apart in the body",
        ),
    }
    errors.error_if(
        matches!(*param.ty, Type::ImplTrait(_)).then_some(&param.ty),
        format_args!("the directory parameter takes a concrete type, not `impl Trait`; {shape}"),
    );
    if !others_supplied && typed.len() > 1 {
        let extra = typed.iter().enumerate().filter(|(index, _)| *index != dir);
        let extra: TokenStream = extra.map(|(_, param)| param.to_token_stream()).collect();
        let message = format!("too many parameters: {}; {shape}", maker.too_many);
        errors.error_spanned_by(extra, message);
    }
    Some(dir)
}

/// The function's parameters but `self`.
pub(crate) fn params(item: &mut ItemFn) -> impl Iterator<Item = &mut PatType> {
    item.sig.inputs.iter_mut().filter_map(|arg| match arg {
        FnArg::Typed(param) => Some(param),
        FnArg::Receiver(_) => None,
    })
}

/// Whether `ty` is one of [`DIR_TYPES`], or a reference to one.
fn is_dir_type(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    matches!(ty, Type::Path(path) if path.qself.is_none()
    && path.path.segments.last().is_some_and(|last| {
        last.arguments.is_none() && DIR_TYPES.iter().any(|name| last.ident == name)
    }))
}

/// "a struct", and the tokens to point at (its keyword and name), for the
/// error on an item that is not a function.
fn describe(item: &Item) -> (&'static str, TokenStream) {
    match item {
        Item::Const(i) => ("a constant", head(&i.const_token, &i.ident)),
        Item::Enum(i) => ("an enum", head(&i.enum_token, &i.ident)),
        Item::ExternCrate(i) => ("an `extern crate`", head(&i.extern_token, &i.ident)),
        Item::ForeignMod(i) => ("an `extern` block", i.abi.to_token_stream()),
        Item::Impl(i) => ("an `impl` block", head(&i.impl_token, &i.self_ty)),
        Item::Macro(i) => ("a macro invocation", i.mac.path.to_token_stream()),
        Item::Mod(i) => ("a module", head(&i.mod_token, &i.ident)),
        Item::Static(i) => ("a static", head(&i.static_token, &i.ident)),
        Item::Struct(i) => ("a struct", head(&i.struct_token, &i.ident)),
        Item::Trait(i) => ("a trait", head(&i.trait_token, &i.ident)),
        Item::TraitAlias(i) => ("a trait alias", head(&i.trait_token, &i.ident)),
        Item::Type(i) => ("a type alias", head(&i.type_token, &i.ident)),
        Item::Union(i) => ("a union", head(&i.union_token, &i.ident)),
        Item::Use(i) => ("a `use` declaration", i.use_token.to_token_stream()),
        _ => ("this item", item.to_token_stream()),
    }
}

fn head(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
    quote!(#keyword #name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn test_attributes_are_those_whose_last_segment_ends_in_test() {
        let tests: [Attribute; 10] = [
            parse_quote!(#[test]),
            parse_quote!(#[tokio::test]),
            parse_quote!(#[async_std::test]),
            parse_quote!(#[test_log::test]),
            parse_quote!(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]),
            parse_quote!(#[::core::prelude::v1::test]),
            parse_quote!(#[r#test]),
            // Issue 23: cargo's own, which adds its #[test] itself.
            parse_quote!(#[cargo_test]),
            parse_quote!(#[cargo_test_support::cargo_test(requires_git)]),
            // Parametrizing too (`is_parametrizing`), which changes nothing.
            parse_quote!(#[rstest]),
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
            parse_quote!(#[testing]),
            parse_quote!(#[test_attributes]),
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
