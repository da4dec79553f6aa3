//! Finding what review mode recorded: pending folders (`<folder>.pending/`
//! holding fixtree's marker) and record files (`<source>.fixtree-pending`)
//! under a root, on the runtime's walker: never through a symbolic link,
//! `target/` and `.git/` skipped. Then checking what a pending folder's
//! marker claims before anything is replaced or deleted: the marker may have
//! arrived with a checkout or an archive, so only a folder an assertion of
//! its crate names, in a place update mode itself would write, is fixtree's
//! to accept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::{fs, io};

use fixtree_runtime::cli::review::{
    FOLDER_SUFFIX, INLINE_SUFFIX, InlineRecord, MARKER, Marker, check_place, parse_records,
    read_regular, search,
};

use crate::source::{Named, SOURCE_LIMIT};

/// The most a marker or record file may hold.
const MARKER_LIMIT: u64 = 64 * 1024;
const RECORDS_LIMIT: u64 = 1 << 30;

/// A pending snapshot folder: a `<folder>.pending` directory holding a marker.
pub(crate) struct PendingFolder {
    /// The snapshot folder it would replace (which may not exist yet).
    pub(crate) folder: PathBuf,
    pub(crate) pending: PathBuf,
    /// What its marker claims, or why it cannot be read: [`verify`](PendingFolder::verify)
    /// checks it before anything is done.
    pub(crate) marker: Result<Marker, String>,
}

/// A source file's record file and its pending records.
pub(crate) struct PendingSource {
    pub(crate) source: PathBuf,
    pub(crate) records_file: PathBuf,
    pub(crate) records: Vec<InlineRecord>,
}

/// Everything pending under a root, each list in path order.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) folders: Vec<PendingFolder>,
    pub(crate) sources: Vec<PendingSource>,
    /// Directories holding staging folders (`.fixtree-pending.<random>`),
    /// which a killed review run may have left.
    pub(crate) staging: Vec<PathBuf>,
    /// Record files refused: unreadable or garbled.
    pub(crate) problems: Vec<String>,
}

/// Everything pending under `root`, `target/` and `.git/` left out.
pub(crate) fn find(root: &Path) -> Result<Found, String> {
    let mut found = Found::default();
    search(root, &mut |dir, name, is_dir| {
        let path = dir.join(name);
        if !is_dir {
            if let Some(source) = stem(name, INLINE_SUFFIX).filter(|s| s.ends_with(".rs")) {
                // One unreadable or garbled record file is refused, not the rest.
                match records_of(&path) {
                    Ok(records) => found.sources.push(PendingSource {
                        source: dir.join(source),
                        records_file: path,
                        records,
                    }),
                    Err(problem) => found.problems.push(problem),
                }
            }
        } else if name.starts_with(".fixtree-pending.") {
            found.staging.push(dir.to_owned());
        } else if let Some(folder) = stem(name, FOLDER_SUFFIX)
            // Whatever is at the marker's name, a link included: checked later.
            .filter(|_| path.join(MARKER).symlink_metadata().is_ok())
        {
            found.folders.push(PendingFolder {
                folder: dir.join(folder),
                marker: marker_of(&path.join(MARKER)),
                pending: path,
            });
        } else {
            return name != "target" && name != ".git";
        }
        false
    })
    .map_err(|e| e.to_string())?;
    found.staging.dedup();
    found.folders.sort_by(|a, b| a.folder.cmp(&b.folder));
    found.sources.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(found)
}

/// The records of the record file at `path`, or why it is refused.
fn records_of(path: &Path) -> Result<Vec<InlineRecord>, String> {
    let text = read_regular(path, RECORDS_LIMIT).map_err(|e| e.to_string())?;
    parse_records(&text).map_err(|e| {
        // A record of another fixtree says itself what to do.
        let versioned = e.contains("by an older fixtree") || e.contains("by a newer fixtree");
        let fix = match versioned {
            true => "",
            false => {
                "; it is left as it is: run the tests again with FIXTREE_UPDATE=review, \
                      or delete it"
            }
        };
        format!("refusing {}: {e}{fix}", path.display())
    })
}

/// The name `name` is of, without `suffix`: only a name of its own: an
/// empty stem, `.` or `..` would make the snapshot folder or source the
/// directory itself or its parent.
fn stem<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    name.strip_suffix(suffix)
        .filter(|stem| !matches!(*stem, "" | "." | ".."))
}

/// What the marker at `path` claims: read only as a regular file.
fn marker_of(path: &Path) -> Result<Marker, String> {
    let text = read_regular(path, MARKER_LIMIT).map_err(|e| e.to_string())?;
    Marker::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `"cannot read <path>: <why>"`.
pub(crate) fn at(op: &str, path: &Path, error: &io::Error) -> String {
    format!("cannot {op} {}: {error}", path.display())
}

/// What the crates seen so far name, by crate directory: each is scanned once.
pub(crate) type Crates = HashMap<PathBuf, Result<Named, String>>;

impl PendingFolder {
    /// Checks the claim of this pending folder (found under `root`): `Err`
    /// names the folder and the check it fails.
    pub(crate) fn verify(&self, root: &Path, crates: &mut Crates) -> Result<(), String> {
        self.claim(root, crates).map_err(|why| {
        format!(
            "refusing {}: {why}; it is left as it is: if fixtree's tests wrote it, run them again \
             with FIXTREE_UPDATE=review, else delete it by hand",
            self.pending.display()
        )
    })
    }

    /// [`verify`](Self::verify); `Err`: why the claim is refused.
    fn claim(&self, root: &Path, crates: &mut Crates) -> Result<(), String> {
        let marker = self.marker.as_ref().map_err(String::clone)?;
        let written = marker.folder.as_str();
        if marker.txtar.is_some() != fixtree_rules::is_txtar(written) {
            return Err(format!(
                "its marker says kind={} but names {written:?}: a txtar file's record says \
                 kind=txtar and names a `.txtar` file, a folder's does neither",
                if marker.txtar.is_some() {
                    "txtar"
                } else {
                    "folder"
                }
            ));
        }
        // The marker must name this very folder, its last segments where it is.
        let mut ancestors = self.folder.ancestors();
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
        check_place(&self.folder, written).map_err(|e| e.to_string())?;
        let named = crates
            .entry(crate_dir.to_owned())
            .or_insert_with(|| scan(crate_dir))
            .as_ref()
            .map_err(|why| format!("the sources of the crate at {shown} cannot be read: {why}"))?;
        if !names(named, written) {
            return Err(format!(
                "no assertion in the sources of the crate at {shown} names {written:?}: no \
             `assert_tree!(…, from = {written:?})` and no `#[cases(…)]` whose expected folder it is"
            ));
        }
        Ok(())
    }
}

/// Whether `named` holds an assertion of the folder `written`.
fn names(named: &Named, written: &str) -> bool {
    named.folders.iter().any(|folder| folder == written)
        || named.case_patterns.iter().any(|cases| cases.names(written))
}

/// What the `.rs` files of the crate at `dir` name: its own only, so not
/// in `target/`, `.git/` or a directory holding a crate of its own; never
/// through a link. A source or directory that cannot be read is an error,
/// not a file that names nothing: the refusal then says why.
fn scan(dir: &Path) -> Result<Named, String> {
    let mut all = Named::default();
    let mut unread = None;
    let searched = search(dir, &mut |at, name, is_dir| {
        let path = at.join(name);
        if is_dir {
            let other_crate = path.join("Cargo.toml").symlink_metadata().is_ok();
            return name != "target" && name != ".git" && !other_crate;
        }
        if name.ends_with(".rs") && unread.is_none() {
            match read_regular(&path, SOURCE_LIMIT) {
                Ok(text) => all.add(&text, at.strip_prefix(dir).unwrap_or(at)),
                Err(e) => unread = Some(e.to_string()),
            }
        }
        false
    });
    match (searched, unread) {
        (Err(e), _) => Err(e.to_string()),
        (Ok(()), Some(why)) => Err(why),
        (Ok(()), None) => Ok(all),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_all_suffix_names_nothing() {
        assert_eq!(stem("snap.pending", FOLDER_SUFFIX), Some("snap"));
        for name in [".pending", "..pending", "...pending"] {
            assert_eq!(stem(name, FOLDER_SUFFIX), None, "{name}");
        }
        assert_eq!(stem(".fixtree-pending", INLINE_SUFFIX), None);
        assert_eq!(stem("it.rs", INLINE_SUFFIX), None);
    }
}
