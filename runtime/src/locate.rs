//! Where a macro's `from = "…"` is when the test runs: a snapshot folder
//! relative to the calling crate, or a txtar file (many files in one text
//! file: a path ending in `.txtar`).

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::config::run_time_crate;
use crate::tree::{Tree, read_txtar};

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
    /// Whether only the paths the folder holds are compared with it
    /// (`assert_tree!(dir, from = "…", ..)`).
    pub subset: bool,
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
        match fixtree_rules::is_txtar(written) {
            true => SnapshotKind::Txtar,
            false => SnapshotKind::Folder,
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
    /// As [`SnapshotFolder::subset`].
    pub(crate) subset: bool,
    /// Whether the test process's `CARGO_MANIFEST_DIR` gave the path.
    at_run_time: bool,
}

impl<'a> SnapshotFolder<'a> {
    pub(crate) fn new(written: &'a str, manifest_dir: &'a str, package: &'a str) -> Self {
        SnapshotFolder {
            written,
            manifest_dir,
            package,
            subset: false,
        }
    }

    /// Where the folder is for this test process.
    pub(crate) fn locate(&self) -> Located<'a> {
        let (dir, package) = run_time_crate();
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
            subset: self.subset,
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
    /// markers dropped ([`Tree::read_snapshot`]); a txtar file's comment set aside.
    pub(crate) fn read(&self) -> io::Result<Tree> {
        match self.kind {
            SnapshotKind::Folder => Tree::read_snapshot(&self.path),
            SnapshotKind::Txtar => read_txtar(&self.path).map(|txtar| txtar.tree),
        }
    }
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
        subset: false,
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
