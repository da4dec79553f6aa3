//! Snapshot folders: directories checked into a repository as fixtures or
//! expected results, read and copied with their `.keep` markers set aside.
//!
//! Git keeps no empty directories, so a snapshot folder holds a file named
//! `.keep` in a directory that is meant to be empty. Such a marker is part of
//! the repository, not of the tree: it is neither copied nor compared.
//!
//! A macro's `from = "…"` names a folder relative to the calling crate, or
//! a txtar file (many files in one text file: a path ending in `.txtar`);
//! [`SnapshotFolder::locate`] finds it when the test runs.

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::read::{node, read_levels};
use super::{Tree, Txtar};
use crate::error::IoResultExt;

/// Reads the snapshot folder `dir` as [`Tree::read`] does, then drops every
/// `.keep` file that is the only entry of its directory (the root included),
/// leaving that directory empty. A `.keep` beside other entries is an
/// ordinary file and stays.
///
/// ```
/// let folder = fixtree::tempdir()?;
/// std::fs::create_dir(folder.path().join("empty"))?;
/// std::fs::write(folder.path().join("empty/.keep"), "")?;
/// std::fs::write(folder.path().join("a.txt"), "x")?;
///
/// let tree = fixtree::read_snapshot(folder.path())?;
/// assert_eq!(tree, fixtree::Tree::new().with("a.txt", "x")?.with("empty", fixtree::Tree::new())?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_snapshot(dir: impl AsRef<Path>) -> io::Result<Tree> {
    read_levels(dir.as_ref(), None, true, node)
}

/// Copies the snapshot folder `from` into `to`, an existing directory:
/// [`read_snapshot`], then [`Tree::write_to`]. File modes, empty directories
/// and symbolic links (as links) are kept; lone `.keep` markers are not
/// copied. Entries already in `to` are never replaced: a name that is taken
/// is an error naming its path.
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
///
/// let folder = fixtree::tempdir()?;
/// std::fs::write(folder.path().join("run.sh"), "#!/bin/sh\n")?;
/// std::fs::set_permissions(folder.path().join("run.sh"), std::fs::Permissions::from_mode(0o755))?;
/// std::fs::create_dir_all(folder.path().join("out/logs"))?;
/// std::fs::write(folder.path().join("out/logs/.keep"), "")?;
///
/// let dir = fixtree::tempdir()?;
/// fixtree::copy_snapshot(folder.path(), dir.path())?;
/// let mode = std::fs::metadata(dir.path().join("run.sh"))?.permissions().mode();
/// assert_eq!(mode & 0o777, 0o755);
/// assert_eq!(std::fs::read_dir(dir.path().join("out/logs"))?.count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn copy_snapshot(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    read_snapshot(from)?.write_to(to)
}

/// A snapshot folder as a macro's `from = "…"` names it: the path as
/// written, relative to the calling crate's manifest directory, and that
/// directory and package as cargo told the compiler.
///
/// The build's manifest directory is where the crate *was*: a test built by
/// `cargo nextest archive` runs on another machine, or in another checkout,
/// where that path may not exist. So the folder is looked up when the test
/// runs, in the test process's `CARGO_MANIFEST_DIR` — cargo test and nextest
/// set it, nextest remapped by `--workspace-remap` — and in the build's only
/// where the process has none, or has another package's: a test helper
/// crate's `from = "…"` names that crate's folders, not those of the crate
/// whose tests call it.
#[derive(Clone, Copy, Debug)]
pub struct SnapshotFolder<'a> {
    /// As the test wrote it, e.g. `tests/snapshots/converted`.
    pub written: &'a str,
    /// `CARGO_MANIFEST_DIR` when the calling crate was compiled.
    pub manifest_dir: &'a str,
    /// `CARGO_PKG_NAME` when the calling crate was compiled.
    pub package: &'a str,
}

/// What a `from = "…"` path names, by its name: a txtar file if it ends
/// in `.txtar` ([`fixtree_rules::is_txtar`], as the macros decide), else a
/// snapshot folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SnapshotKind {
    Folder,
    Txtar,
}

impl SnapshotKind {
    pub(crate) fn of(written: &str) -> SnapshotKind {
        if fixtree_rules::is_txtar(written) {
            SnapshotKind::Txtar
        } else {
            SnapshotKind::Folder
        }
    }

    /// "snapshot folder" or "txtar file", for messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            SnapshotKind::Folder => "snapshot folder",
            SnapshotKind::Txtar => "txtar file",
        }
    }
}

/// A [`SnapshotFolder`] with the path it was looked up at, for reading and
/// for messages: it shows as the folder as written, then where that was.
pub(crate) struct Located<'a> {
    pub(crate) written: &'a str,
    pub(crate) path: PathBuf,
    pub(crate) kind: SnapshotKind,
    /// Whether the test process's `CARGO_MANIFEST_DIR` gave the path.
    at_run_time: bool,
}

impl<'a> SnapshotFolder<'a> {
    /// Where the folder is for this test process.
    pub(crate) fn locate(&self) -> Located<'a> {
        let (dir, package) = crate::config::run_time_crate();
        self.locate_in(dir.clone(), package.clone())
    }

    /// [`locate`](Self::locate), given the test process's `CARGO_MANIFEST_DIR`
    /// and `CARGO_PKG_NAME`.
    fn locate_in(&self, run_dir: Option<OsString>, run_package: Option<OsString>) -> Located<'a> {
        let run_dir = run_dir
            .filter(|dir| !dir.is_empty())
            .filter(|_| run_package.is_none_or(|package| package.as_os_str() == self.package));
        let at_run_time = run_dir.is_some();
        let dir = run_dir.map_or_else(|| PathBuf::from(self.manifest_dir), PathBuf::from);
        Located {
            written: self.written,
            kind: SnapshotKind::of(self.written),
            // Segment by segment: the platform's separator throughout.
            path: self
                .written
                .split('/')
                .fold(dir, |path, segment| path.join(segment)),
            at_run_time,
        }
    }
}

impl Located<'_> {
    /// The tree the folder or txtar file holds: a folder's lone `.keep`
    /// markers dropped ([`read_snapshot`]); a txtar file's comment set aside.
    pub(crate) fn read(&self) -> io::Result<Tree> {
        match self.kind {
            SnapshotKind::Folder => read_snapshot(&self.path),
            SnapshotKind::Txtar => read_txtar(&self.path).map(|txtar| txtar.tree),
        }
    }
}

/// Reads and parses the txtar file at `path`; an error names the path and
/// the line.
pub(crate) fn read_txtar(path: &Path) -> io::Result<Txtar> {
    let bytes = std::fs::read(path).at("read txtar file", path)?;
    Txtar::parse_bytes(&bytes)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = if self.at_run_time {
            "the test process's CARGO_MANIFEST_DIR"
        } else {
            "the CARGO_MANIFEST_DIR the test was built with"
        };
        write!(
            f,
            "{} (looked up at {}, in {base})",
            self.written,
            self.path.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::Path;

    use super::SnapshotFolder;

    const FOLDER: SnapshotFolder<'static> = SnapshotFolder {
        written: "tests/snap",
        manifest_dir: "/build/demo",
        package: "demo",
    };

    /// The folder as located with the test process's variables, shown.
    fn located(run_dir: Option<&str>, run_package: Option<&str>) -> String {
        FOLDER
            .locate_in(run_dir.map(OsString::from), run_package.map(OsString::from))
            .to_string()
    }

    #[test]
    fn the_test_process_manifest_dir_comes_first() {
        let path = Path::new("/run/demo").join("tests").join("snap");
        let run = format!(
            "tests/snap (looked up at {}, in the test process's CARGO_MANIFEST_DIR)",
            path.display()
        );
        assert_eq!(located(Some("/run/demo"), Some("demo")), run);
        assert_eq!(located(Some("/run/demo"), None), run);
    }

    #[test]
    fn the_build_manifest_dir_without_one_or_for_another_package() {
        let path = Path::new("/build/demo").join("tests").join("snap");
        let build = format!(
            "tests/snap (looked up at {}, in the CARGO_MANIFEST_DIR the test was built with)",
            path.display()
        );
        assert_eq!(located(None, None), build);
        assert_eq!(located(Some(""), Some("demo")), build);
        assert_eq!(located(Some("/run/app"), Some("app")), build);
    }
}
