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
//! far from where it was built.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

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
    if written.is_empty() {
        return Some(format!(
            "`from` names the snapshot folder: write its path relative to CARGO_MANIFEST_DIR, \
             e.g. from = \"{example}\""
        ));
    }
    if Path::new(written).is_absolute() || written.starts_with('/') {
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
    if let Some(prefix) = written.split('/').find_map(fixtree_rules::drive_prefix) {
        return Some(format!(
            "snapshot folder {written:?} has the drive prefix {prefix:?}, which on Windows \
             names a path on that drive: `from` is relative to CARGO_MANIFEST_DIR on every \
             platform; drop {prefix:?}"
        ));
    }
    // A `.` or `..` segment could name the crate itself, or beyond it, and
    // update mode rewrites what `from` names.
    if written
        .split('/')
        .any(|segment| matches!(segment, "." | ".."))
    {
        return Some(format!(
            "snapshot folder {written:?} has a '.' or '..' segment: name the folder directly, \
             inside the crate (e.g. from = \"{example}\"), because FIXTREE_UPDATE=1 rewrites what it names"
        ));
    }
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Some(
            "CARGO_MANIFEST_DIR is not set: `from` is relative to the crate's folder, \
             which cargo tells the compiler; build with cargo"
                .to_owned(),
        );
    };
    problem(written, &Path::new(&manifest_dir).join(written), target)
}

/// Why `path`, which `from` names as `written`, cannot be read, if it
/// cannot: a name ending in `.txtar` must be a file (many files in one, see
/// [`fixtree_rules::is_txtar`]), any other a folder.
fn problem(written: &str, path: &Path, target: Target) -> Option<String> {
    let txtar = fixtree_rules::is_txtar(written);
    let kind = if txtar {
        "txtar file"
    } else {
        "snapshot folder"
    };
    if !path.exists() {
        if let Some(message) = parent_typo(written, path, kind) {
            return Some(message);
        }
        let parent = path.parent().filter(|parent| parent.is_dir());
        if let (Target::Expected, Some(parent)) = (target, parent) {
            let sibling = typo_of(parent, written)?;
            return Some(format!(
                "{kind} {written:?} not found, but its sibling `{sibling}` is: did you mean \
                 `{sibling}`? A missing one is created by `FIXTREE_UPDATE=1 cargo test`; if this \
                 is a new snapshot, create it empty to say so"
            ));
        }
        // The path as written, not the absolute one: the message is the same
        // on every machine (and pinned by the UI tests).
        // An expected one is missing only with its parent (else it compiles,
        // and update or review mode makes it).
        let fix = match (target, txtar) {
            (Target::Expected, _) => {
                "; its parent folder does not exist either: create that, and `FIXTREE_UPDATE=1 \
                 cargo test` (or `FIXTREE_UPDATE=review`) then makes this one from the directory \
                 under test"
            }
            (Target::Tree, false) => "; create it, holding the files the test starts with",
            (Target::Tree, true) => {
                "; create it, holding the files the test starts with, each after a `-- name --` line"
            }
        };
        return Some(format!(
            "{kind} {written:?} not found (`from` is relative to CARGO_MANIFEST_DIR, the folder \
             of the crate's Cargo.toml){fix}"
        ));
    }
    if txtar && !path.is_file() {
        return Some(format!(
            "{written:?} ends in .txtar, so `from` reads it as a txtar file (many files in one), \
             but it is a folder; rename the folder without the .txtar extension, or name a txtar file"
        ));
    }
    (!txtar && !path.is_dir()).then(|| {
        format!(
            "snapshot folder {written:?} is not a folder but a file; \
             `from` names a folder holding {}, or a txtar file ending in .txtar",
            match target {
                Target::Expected => "the expected tree",
                Target::Tree => "the files the test starts with",
            }
        )
    })
}

/// The first sibling by name beside the missing `written`, in `parent`,
/// whose name is within two letters of its last segment.
fn typo_of(parent: &Path, written: &str) -> Option<String> {
    let name = written.rsplit('/').next().unwrap_or(written);
    std::fs::read_dir(parent)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        // A pending folder is review mode's, not one a test names.
        .filter(|sibling| !sibling.ends_with(".pending"))
        .filter(|sibling| crate::options::close_to(name, sibling))
        .min()
}

/// For a missing `written` (at `path`) whose first missing segment is a
/// parent folder: the message naming the folder within two letters of it
/// beside it, if there is one.
fn parent_typo(written: &str, path: &Path, kind: &str) -> Option<String> {
    let segments: Vec<&str> = written.split('/').filter(|s| !s.is_empty()).collect();
    let (_, parents) = segments.split_last()?;
    let mut dir = path.ancestors().nth(segments.len())?.to_path_buf();
    for (index, segment) in parents.iter().enumerate() {
        let next = dir.join(segment);
        if next.is_dir() {
            dir = next;
            continue;
        }
        let sibling = typo_of(&dir, segment).filter(|sibling| dir.join(sibling).is_dir())?;
        let missing = segments[..=index].join("/");
        let found = [&segments[..index], &[sibling.as_str()]].concat().join("/");
        let meant = [&[found.as_str()], &segments[index + 1..]]
            .concat()
            .join("/");
        return Some(format!(
            "{kind} {written:?} not found: no folder {missing}, but {found} is: \
             did you mean {meant:?}?"
        ));
    }
    None
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
            subset: #subset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::target::Target;

    /// trybuild's crate has no folder to name, so the UI tests cannot pin
    /// what a found path gives: these do, in a directory of their own.
    #[test]
    fn a_txtar_path_must_be_a_file_and_any_other_a_folder() {
        let dir = fixtree::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cases.txtar")).unwrap();
        std::fs::write(dir.path().join("case.txtar"), "-- a --\n").unwrap();
        let check = |written: &str| problem(written, &dir.path().join(written), Target::Tree);

        assert_eq!(check("case.txtar"), None);
        assert_eq!(check("."), None);
        let folder = check("cases.txtar").unwrap();
        assert!(
            folder.starts_with("\"cases.txtar\" ends in .txtar, so `from` reads it as a txtar file")
                && folder.ends_with("but it is a folder; rename the folder without the .txtar extension, or name a txtar file"),
            "{folder}"
        );
        let missing = check("missing.txtar").unwrap();
        assert!(
            missing.starts_with("txtar file \"missing.txtar\" not found"),
            "{missing}"
        );
        std::fs::write(dir.path().join("notes"), "").unwrap();
        let file = check("notes").unwrap();
        assert!(file.ends_with("or a txtar file ending in .txtar"), "{file}");
    }

    #[test]
    fn a_typo_in_a_parent_folder_names_the_folder_meant() {
        let dir = fixtree::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tests/snapshots")).unwrap();
        for target in [Target::Expected, Target::Tree] {
            let written = "tests/snapshot/out";
            let message = problem(written, &dir.path().join(written), target).unwrap();
            assert_eq!(
                message,
                "snapshot folder \"tests/snapshot/out\" not found: no folder tests/snapshot, \
                 but tests/snapshots is: did you mean \"tests/snapshots/out\"?"
            );
        }
        let deeper = "tests/snapshot/a/b.txtar";
        let message = problem(deeper, &dir.path().join(deeper), Target::Tree).unwrap();
        assert_eq!(
            message,
            "txtar file \"tests/snapshot/a/b.txtar\" not found: no folder tests/snapshot, \
             but tests/snapshots is: did you mean \"tests/snapshots/a/b.txtar\"?"
        );
        // No folder close to the missing one: today's message.
        let far = "tests/elsewhere/out";
        let message = problem(far, &dir.path().join(far), Target::Tree).unwrap();
        assert!(
            message.contains("not found (`from` is relative"),
            "{message}"
        );
    }
}
