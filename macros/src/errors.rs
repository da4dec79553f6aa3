//! Collects every mistake of one macro call, so a single compile reports them
//! all (serde_derive's `Ctxt`): parsing and checking go on after an error, and
//! the errors are combined into one `syn::Error` at the end.

use std::fmt::Display;

use quote::ToTokens;

/// The errors found so far in one macro call.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Option<syn::Error>,
}

impl Errors {
    /// Adds an error spanned on `tokens`.
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Adds an error spanned on `tokens`, if there are any.
    pub(crate) fn error_if(&mut self, tokens: Option<impl ToTokens>, message: impl Display) {
        if let Some(tokens) = tokens {
            self.error_spanned_by(tokens, message);
        }
    }

    /// Adds an error (which may itself hold several).
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// The value of `result`, or `None` after adding its error.
    pub(crate) fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// Whether nothing went wrong so far.
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_none()
    }

    /// A `compile_error!` per error; nothing if there was none.
    pub(crate) fn into_compile_error(self) -> proc_macro2::TokenStream {
        let errors = self.errors.map(syn::Error::into_compile_error);
        errors.unwrap_or_default()
    }
}
