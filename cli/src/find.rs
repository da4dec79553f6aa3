//! Finding what review mode recorded: pending folders (`<folder>.pending/`
//! holding fixtree's marker) and record files (`<source>.fixtree-pending`)
//! under a root, without following symbolic links and skipping `target/`
//! and `.git/`.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use fixtree_runtime::__private::review::{
    FOLDER_SUFFIX, INLINE_SUFFIX, InlineRecord, MARKER, parse_records,
};

/// A pending snapshot folder.
pub(crate) struct PendingFolder {
    /// The snapshot folder it would replace (which may not exist yet).
    pub(crate) folder: PathBuf,
    pub(crate) pending: PathBuf,
    pub(crate) test: String,
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
}

/// Walks `root` depth first, with a stack of directories.
pub(crate) fn find(root: &Path) -> Result<Found, String> {
    let mut found = Found::default();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| at("read", &dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| at("read", &dir, &e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| at("inspect", &path, &e))?;
            let name = entry.file_name();
            if kind.is_dir() {
                let pending = stem(&name, FOLDER_SUFFIX).filter(|_| path.join(MARKER).is_file());
                if let Some(folder) = pending {
                    found.folders.push(PendingFolder {
                        folder: dir.join(folder),
                        test: test_of(&path.join(MARKER))?,
                        pending: path,
                    });
                } else if name != "target" && name != ".git" {
                    dirs.push(path);
                }
            } else if let Some(source) = stem(&name, INLINE_SUFFIX).filter(|_| kind.is_file()) {
                let text = fs::read_to_string(&path).map_err(|e| at("read", &path, &e))?;
                let records =
                    parse_records(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                found.sources.push(PendingSource {
                    source: dir.join(source),
                    records_file: path,
                    records,
                });
            }
        }
    }
    found.folders.sort_by(|a, b| a.folder.cmp(&b.folder));
    found.sources.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(found)
}

/// The name `name` is of, without `suffix`: only a UTF-8 name (fixtree
/// writes no other, and a lossy conversion would name another file), and
/// only a name of its own: an empty stem, `.` or `..` would make the
/// snapshot folder or source the directory itself or its parent.
fn stem<'a>(name: &'a OsStr, suffix: &str) -> Option<&'a str> {
    name.to_str()?
        .strip_suffix(suffix)
        .filter(|stem| !matches!(*stem, "" | "." | ".."))
}

/// The test named in a pending folder's marker.
fn test_of(marker: &Path) -> Result<String, String> {
    let text = fs::read_to_string(marker).map_err(|e| at("read", marker, &e))?;
    Ok(text
        .lines()
        .find_map(|line| line.strip_prefix("test="))
        .unwrap_or_default()
        .to_owned())
}

/// `"cannot read <path>: <why>"`.
pub(crate) fn at(op: &str, path: &Path, error: &io::Error) -> String {
    format!("cannot {op} {}: {error}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_all_suffix_names_nothing() {
        assert_eq!(
            stem(OsStr::new("snap.pending"), FOLDER_SUFFIX),
            Some("snap")
        );
        for name in [".pending", "..pending", "...pending"] {
            assert_eq!(stem(OsStr::new(name), FOLDER_SUFFIX), None, "{name}");
        }
        assert_eq!(stem(OsStr::new(".fixtree-pending"), INLINE_SUFFIX), None);
        assert_eq!(stem(OsStr::new("it.rs"), INLINE_SUFFIX), None);
    }
}
