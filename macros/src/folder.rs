//! The compile-time check of a snapshot folder named by `from = "…"`, shared
//! by `assert_tree!` (the expected tree) and `#[with_tempdir]` (the files a
//! test starts with).
//!
//! The folder is relative to the calling crate's `CARGO_MANIFEST_DIR`; it must
//! exist when the test compiles, and is read when the test runs, so editing it
//! needs no rebuild. Where it is read is decided then too (see [`runtime`]):
//! a test may run far from where it was built.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use crate::errors::Errors;

/// What the folder is for: it shapes the messages' examples and advice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// `assert_tree!(dir, from = …)`: the tree a directory should hold; a
    /// missing one can be created empty and filled by update mode.
    Expected,
    /// `#[with_tempdir(from = …)]`: the files copied into the test's directory.
    Initial,
}

impl Use {
    fn example(self) -> &'static str {
        match self {
            Use::Expected => "tests/snapshots/name",
            Use::Initial => "tests/fixtures/name",
        }
    }

    fn holding(self) -> &'static str {
        match self {
            Use::Expected => "the expected tree",
            Use::Initial => "the files the test starts with",
        }
    }

    fn if_missing(self) -> &'static str {
        match self {
            Use::Expected => {
                "; create it — an empty one will do: `FIXTREE_UPDATE=1 cargo test` then fills it \
                 from the directory under test"
            }
            Use::Initial => "; create it, holding the files the test starts with",
        }
    }
}

/// Reports into `errors` unless `folder` names an existing directory,
/// relative to the calling crate's `CARGO_MANIFEST_DIR`. Errors are spanned
/// on the string literal.
pub(crate) fn check(folder: &LitStr, purpose: Use, errors: &mut Errors) {
    let written = folder.value();
    if written.is_empty() {
        return errors.error_spanned_by(
            folder,
            format_args!(
                "`from` names the snapshot folder: write its path relative to CARGO_MANIFEST_DIR, \
                 e.g. from = \"{}\"",
                purpose.example()
            ),
        );
    }
    if Path::new(&written).is_absolute() || written.starts_with('/') {
        return errors.error_spanned_by(
            folder,
            format_args!(
                "snapshot folder {written:?} is absolute: `from` is relative to CARGO_MANIFEST_DIR \
                 (the folder of the crate's Cargo.toml), so the test runs wherever the crate is; \
                 write the path from there"
            ),
        );
    }
    // A `.` or `..` segment could name the crate itself, or beyond it, and
    // update mode rewrites what `from` names.
    if written
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return errors.error_spanned_by(
            folder,
            format_args!(
                "snapshot folder {written:?} has a '.' or '..' segment: name the folder directly, \
                 inside the crate (e.g. from = \"{}\"), because FIXTREE_UPDATE=1 rewrites what it names",
                purpose.example()
            ),
        );
    }
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return errors.error_spanned_by(
            folder,
            "CARGO_MANIFEST_DIR is not set: `from` is relative to the crate's folder, \
             which cargo tells the compiler; build with cargo",
        );
    };
    let path = Path::new(&manifest_dir).join(&written);
    if path.is_dir() {
        return;
    }
    let message = if path.exists() {
        format!(
            "snapshot folder {written:?} is not a folder but a file; \
             `from` names a folder holding {}",
            purpose.holding()
        )
    } else {
        // The path as written, not the absolute one: the message is the same
        // on every machine (and pinned by the UI tests).
        format!(
            "snapshot folder {written:?} not found \
             (`from` is relative to CARGO_MANIFEST_DIR, the folder of the crate's Cargo.toml){}",
            purpose.if_missing()
        )
    };
    errors.error_spanned_by(folder, message);
}

/// The runtime's `SnapshotFolder` for `folder`: the path as written, and the
/// calling crate's manifest directory and package at compile time, which the
/// runtime falls back to when the test process does not name its own.
pub(crate) fn runtime(folder: &LitStr) -> TokenStream {
    quote! {
        ::fixtree::__private::SnapshotFolder {
            written: #folder,
            manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
            package: ::core::env!("CARGO_PKG_NAME"),
        }
    }
}
