//! Finding what review mode recorded: pending folders (`<folder>.pending/`
//! holding fixtree's marker) and record files (`<source>.fixtree-pending`)
//! under a root, without following symbolic links and skipping `target/`
//! and `.git/`.

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
            let name = name.to_string_lossy();
            if kind.is_dir() {
                if let Some(folder) = name.strip_suffix(FOLDER_SUFFIX)
                    && path.join(MARKER).is_file()
                {
                    found.folders.push(PendingFolder {
                        folder: dir.join(folder),
                        test: test_of(&path.join(MARKER))?,
                        pending: path,
                    });
                } else if name != "target" && name != ".git" {
                    dirs.push(path);
                }
            } else if kind.is_file()
                && let Some(source) = name.strip_suffix(INLINE_SUFFIX)
            {
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

/// The test named in a pending folder's marker.
fn test_of(marker: &Path) -> Result<String, String> {
    let text = fs::read_to_string(marker).map_err(|e| at("read", marker, &e))?;
    Ok(text
        .lines()
        .find_map(|line| line.strip_prefix("test="))
        .unwrap_or_default()
        .to_owned())
}

/// "cannot read <path>: <why>".
pub(crate) fn at(op: &str, path: &Path, error: &io::Error) -> String {
    format!("cannot {op} {}: {error}", path.display())
}
