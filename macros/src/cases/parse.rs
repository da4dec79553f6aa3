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
    let pattern = crate::options::literal(&args);
    if args.is_empty() {
        let message = format!("missing the case pattern; {FORM}");
        errors.push(syn::Error::new(Span::call_site(), message));
    } else if pattern.is_none() {
        let message = format!(
            "expected one string literal, the case pattern; it is read at compile time, \
             so it cannot be computed; {FORM}"
        );
        errors.error_spanned_by(args, message);
    }
    pattern
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
