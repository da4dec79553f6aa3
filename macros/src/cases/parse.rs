//! What `#[cases(…)]` reads from its arguments: one string literal, the
//! pattern naming the case folders.

use proc_macro2::{Span, TokenStream};
use syn::LitStr;

use crate::errors::Errors;

/// Appended to every message about the arguments.
const FORM: &str = "#[cases] takes the pattern naming the case folders, relative to CARGO_MANIFEST_DIR: \
#[cases(\"tests/cases/*\")]; each case folder holds input/ (the files the test starts with) and \
expected/ (what its directory must hold afterwards)";

/// The pattern, or `None` after reporting what is wrong with the arguments.
pub(crate) fn pattern(args: TokenStream, errors: &mut Errors) -> Option<LitStr> {
    if args.is_empty() {
        errors.push(syn::Error::new(
            Span::call_site(),
            format_args!("missing the case pattern; {FORM}"),
        ));
        return None;
    }
    match syn::parse2::<LitStr>(args.clone()) {
        Ok(pattern) if pattern.suffix().is_empty() => Some(pattern),
        _ => {
            errors.error_spanned_by(
                args,
                format_args!(
                    "expected one string literal, the case pattern; it is read at compile time, \
                     so it cannot be computed; {FORM}"
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(args: &str) -> (Option<String>, String) {
        let mut errors = Errors::default();
        let pattern = pattern(args.parse().unwrap(), &mut errors);
        (
            pattern.map(|p| p.value()),
            errors.into_compile_error().to_string(),
        )
    }

    #[test]
    fn one_string_literal() {
        assert_eq!(
            read(r#""tests/cases/*""#).0.as_deref(),
            Some("tests/cases/*")
        );
        for bad in ["", "PATTERN", r#""a/*", "b/*""#, r#"pattern = "a/*""#] {
            let (pattern, errors) = read(bad);
            assert!(pattern.is_none(), "{bad}");
            assert!(
                errors.contains("#[cases(\\\"tests/cases/*\\\")]"),
                "{errors}"
            );
        }
    }
}
