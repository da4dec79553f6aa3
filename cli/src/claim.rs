//! Checking what a pending folder's marker claims before anything is
//! replaced or deleted: the marker may have arrived with a checkout or an
//! archive, so only a folder an assertion of its crate names, in a place
//! update mode itself would write, is fixtree's to accept.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use fixtree_rules::cases::CasePattern;
use fixtree_runtime::cli::review::{FOLDER_SUFFIX, check_place, read_regular, search};

use crate::find::PendingFolder;
use crate::source::{Named, SOURCE_LIMIT};

/// What the crates seen so far name, by crate directory: each is scanned once.
pub(crate) type Crates = HashMap<PathBuf, Named>;

/// Checks the claim of the pending folder `pending` (found under `root`):
/// `Err` names the folder and the check it fails.
pub(crate) fn verify(
    pending: &PendingFolder,
    root: &Path,
    crates: &mut Crates,
) -> Result<(), String> {
    claim(pending, root, crates).map_err(|why| {
        format!(
            "refusing {}: {why}; it is left as it is: if fixtree's tests wrote it, run them again \
             with FIXTREE_UPDATE=review, else delete it by hand",
            pending.pending.display()
        )
    })
}

/// [`verify`]; `Err`: why the claim is refused.
fn claim(pending: &PendingFolder, root: &Path, crates: &mut Crates) -> Result<(), String> {
    let marker = pending.marker.as_ref().map_err(String::clone)?;
    let written = marker.folder.as_str();
    // The marker must name this very folder, its last segments where it is.
    let mut ancestors = pending.folder.ancestors();
    let mut here = || ancestors.next().and_then(|dir| dir.file_name()?.to_str());
    if !written.rsplit('/').all(|segment| here() == Some(segment)) {
        return Err(format!(
            "its marker names the folder {written:?}, which is not where the pending folder is \
             (a pending folder is `<folder>{FOLDER_SUFFIX}` beside the folder)"
        ));
    }
    let crate_dir = ancestors
        .next()
        .ok_or_else(|| format!("{written:?} goes above the file system's root"))?;
    let shown = crate_dir.display();
    if !crate_dir.starts_with(root) {
        return Err(format!(
            "the crate it names, {shown}, is outside {}",
            root.display()
        ));
    }
    if !fs::symlink_metadata(crate_dir.join("Cargo.toml")).is_ok_and(|meta| meta.is_file()) {
        return Err(format!(
            "its marker names the folder {written:?} of a crate at {shown}, but there is no \
             Cargo.toml file there"
        ));
    }
    check_place(&pending.folder, written).map_err(|e| e.to_string())?;
    let named = crates
        .entry(crate_dir.to_owned())
        .or_insert_with(|| scan(crate_dir));
    if !names(named, written) {
        return Err(format!(
            "no assertion in the sources of the crate at {shown} names {written:?}: no \
             `assert_tree!(…, from = {written:?})` and no `#[cases(…)]` whose expected folder it is"
        ));
    }
    Ok(())
}

/// Whether `named` holds an assertion of the folder `written`.
fn names(named: &Named, written: &str) -> bool {
    if named.folders.iter().any(|folder| folder == written) {
        return true;
    }
    let Some((case, name)) = written
        .strip_suffix("/expected")
        .and_then(|case| case.rsplit_once('/'))
    else {
        return false;
    };
    named.case_patterns.iter().any(|pattern| {
        CasePattern::parse(pattern)
            .is_ok_and(|pattern| pattern.dir() == case && pattern.matches(name))
    })
}

/// What the `.rs` files of the crate at `dir` name: its own only, so not
/// in `target/`, `.git/` or a directory holding a crate of its own; never
/// through a link. What cannot be read names nothing.
fn scan(dir: &Path) -> Named {
    let mut all = Named::default();
    let _ = search(dir, &mut |at, name, is_dir| {
        let path = at.join(name);
        if is_dir {
            let other_crate = path.join("Cargo.toml").symlink_metadata().is_ok();
            return name != "target" && name != ".git" && !other_crate;
        }
        if name.ends_with(".rs") {
            all.add(&read_regular(&path, SOURCE_LIMIT).unwrap_or_default());
        }
        false
    });
    all
}
