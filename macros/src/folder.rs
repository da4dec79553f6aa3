//! The `from = "…"` option of `assert_tree!` (the expected tree) and
//! `#[with_tempdir]` (the files a test starts with): its value, the
//! compile-time check of the snapshot folder it names, and the runtime's view
//! of that folder.
//!
//! The folder — or txtar file, a path ending in `.txtar` — is relative to
//! the calling crate's `CARGO_MANIFEST_DIR`, and read when the test runs, so
//! editing it needs no rebuild. An input one (`#[with_tempdir]`) must exist
//! when the test compiles. An expected one (`assert_tree!`) may be missing,
//! so that a new snapshot needs no manual step — update or review mode makes
//! it — but its parent must exist, and a missing name within two letters of
//! a sibling's is taken for a typo of it. For both, a missing parent folder
//! within two letters of a folder beside it is taken for a typo of that one.
//! Where it is read is decided then too (see [`runtime`]): a test may run
//! far from where it was built. A path written `./…` is relative to the
//! test's source file instead, which a proc macro cannot find on the MSRV:
//! the runtime checks that one, by the same rules ([`problem`]), when the
//! test runs.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use fixtree_rules::folder::{Role, problem};

use crate::errors::Errors;
use crate::target::Target;

/// Words someone may write for `from`.
pub(crate) const SYNONYMS: &[&str] = &["folder", "dir", "path", "snapshot", "fixture", "copy"];

/// The folder written after `from =`: a string literal, since the folder is
/// checked at compile time.
pub(crate) fn parse(value: &TokenStream, target: Target) -> syn::Result<LitStr> {
    let example = example(target);
    let at_run_time = match target {
        Target::Expected => {
            "to compare with a folder chosen at run time, \
             use check_tree(dir, &ExpectedTree::from_snapshot(path)?)"
        }
        Target::Tree => {
            "to start from a folder chosen at run time, \
             copy it in the body with fixtree::copy_snapshot(path, dir)"
        }
    };
    let message = format!(
        "`from` takes a string literal: the snapshot folder, relative to CARGO_MANIFEST_DIR, \
         e.g. from = \"{example}\", checked at compile time; {at_run_time}"
    );
    crate::options::literal(value).ok_or_else(|| syn::Error::new_spanned(value, message))
}

/// A folder path to show in examples.
fn example(target: Target) -> &'static str {
    match target {
        Target::Expected => "tests/snapshots/name",
        Target::Tree => "tests/fixtures/name",
    }
}

/// Reports into `errors` unless `folder` names an existing directory,
/// relative to the calling crate's `CARGO_MANIFEST_DIR`. Errors are spanned
/// on the string literal.
pub(crate) fn check(folder: &LitStr, target: Target, errors: &mut Errors) {
    if let Some(message) = misnamed(&folder.value(), target) {
        errors.error_spanned_by(folder, message);
    }
}

/// What is wrong with `written`, if anything.
fn misnamed(written: &str, target: Target) -> Option<String> {
    let example = example(target);
    let (beside, rest) = match written.strip_prefix("./") {
        Some(rest) => (true, rest),
        None => (false, written),
    };
    if rest.is_empty() {
        return Some(format!(
            "`from` names the snapshot folder: write its path relative to CARGO_MANIFEST_DIR, \
             e.g. from = \"{example}\""
        ));
    }
    if Path::new(rest).is_absolute() || rest.starts_with('/') {
        return Some(format!(
            "snapshot folder {written:?} is absolute: `from` is relative to CARGO_MANIFEST_DIR \
             (the folder of the crate's Cargo.toml), so the test runs wherever the crate is; \
             write the path from there"
        ));
    }
    // On Windows a '\' separates names and a drive prefix names another
    // drive: the same `from` would name another folder there.
    if written.contains('\\') {
        return Some(format!(
            "snapshot folder {written:?} holds a '\\': `from` is '/'-separated on every \
             platform; write {:?}",
            written.replace('\\', "/")
        ));
    }
    if let Some(prefix) = rest.split('/').find_map(fixtree_rules::drive_prefix) {
        return Some(format!(
            "snapshot folder {written:?} has the drive prefix {prefix:?}, which on Windows \
             names a path on that drive: `from` is relative to CARGO_MANIFEST_DIR on every \
             platform; drop {prefix:?}"
        ));
    }
    // A `.` or `..` segment could name the crate itself, or beyond it, and
    // update mode rewrites what `from` names; only a leading `./` is allowed.
    if rest.split('/').any(|segment| matches!(segment, "." | "..")) {
        return Some(format!(
            "snapshot folder {written:?} has a '.' or '..' segment: name the folder directly, \
             inside the crate (e.g. from = \"{example}\"), because FIXTREE_UPDATE=1 rewrites what it names"
        ));
    }
    // Beside the source file, which a proc macro cannot find on the MSRV
    // (no `Span::local_file`): the runtime checks it, with the same text.
    if beside {
        return None;
    }
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Some(
            "CARGO_MANIFEST_DIR is not set: `from` is relative to the crate's folder, \
             which cargo tells the compiler; build with cargo"
                .to_owned(),
        );
    };
    let role = match target {
        Target::Expected => Role::Expected,
        Target::Tree => Role::Input,
    };
    problem(written, &Path::new(&manifest_dir).join(written), role)
}

/// The runtime's `SnapshotFolder` for `folder`: the path as written, and the
/// calling crate's manifest directory and package at compile time, which the
/// runtime falls back to when the test process does not name its own;
/// `subset` for a comparison with only what it holds.
pub(crate) fn runtime(folder: &LitStr, subset: bool) -> TokenStream {
    let private = crate::crate_name::private();
    quote! {
        #private::SnapshotFolder {
            written: #folder,
            manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
            package: ::core::env!("CARGO_PKG_NAME"),
            source: ::core::file!(),
            subset: #subset,
        }
    }
}
