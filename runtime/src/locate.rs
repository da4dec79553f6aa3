//! Where a macro's `from = "…"` is when the test runs: a snapshot folder
//! relative to the calling crate, or a txtar file (many files in one text
//! file: a path ending in `.txtar`).

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use fixtree_rules::folder::{Role, problem};

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
///
/// A folder written `./…` is in the folder of the test's source file
/// (`file!()`, found below an ancestor of the crate's directory, as review
/// mode finds it), and is checked there when the test runs, since a proc
/// macro cannot learn where the source file is on the MSRV.
#[derive(Clone, Copy, Debug)]
pub struct SnapshotFolder<'a> {
    /// As the test wrote it, e.g. `tests/snapshots/converted`.
    pub written: &'a str,
    /// `CARGO_MANIFEST_DIR` when the calling crate was compiled.
    pub manifest_dir: &'a str,
    /// `CARGO_PKG_NAME` when the calling crate was compiled.
    pub package: &'a str,
    /// The source file of the macro call, as `file!()` gives it: where a
    /// folder written `./…` is.
    pub source: &'a str,
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
    /// Relative to the crate's directory, `/`-separated: as written, or
    /// for `./…` below the source file's folder.
    pub(crate) written: Cow<'a, str>,
    pub(crate) path: PathBuf,
    pub(crate) kind: SnapshotKind,
    /// As [`SnapshotFolder::subset`].
    pub(crate) subset: bool,
    /// Whether the test process's `CARGO_MANIFEST_DIR` gave the path.
    at_run_time: bool,
}

impl<'a> SnapshotFolder<'a> {
    pub(crate) fn new(
        written: &'a str,
        source: &'a str,
        manifest_dir: &'a str,
        package: &'a str,
    ) -> Self {
        SnapshotFolder {
            written,
            manifest_dir,
            package,
            source,
            subset: false,
        }
    }

    /// Where the folder, used as `role` says, is for this test process.
    ///
    /// # Panics
    ///
    /// At the caller, for a `./…` folder that cannot be read as `role`
    /// needs (the compile-time check's text) or whose source file is not
    /// found.
    #[track_caller]
    pub(crate) fn locate(&self, role: Role) -> Located<'a> {
        let (dir, package) = run_time_crate();
        match self.locate_in(dir.clone(), package.clone(), role) {
            Ok(located) => located,
            Err(message) => panic!("fixtree: {message}"),
        }
    }

    /// [`locate`](Self::locate), given the test process's `CARGO_MANIFEST_DIR`
    /// and `CARGO_PKG_NAME`.
    fn locate_in(
        &self,
        run_dir: Option<OsString>,
        run_package: Option<OsString>,
        role: Role,
    ) -> Result<Located<'a>, String> {
        let (dir, at_run_time) = self.crate_dir(run_dir, run_package);
        let written = match self.written.strip_prefix("./") {
            None => Cow::Borrowed(self.written),
            Some(rest) => {
                let folder = source_folder(&dir, self.source).ok_or_else(|| {
                    format!(
                        "snapshot folder {:?} is beside the test's source file {}, which is not \
                         found in the crate's directory {}",
                        self.written,
                        self.source,
                        dir.display()
                    )
                })?;
                let mut segments = folder;
                segments.push(rest.to_owned());
                Cow::Owned(segments.join("/"))
            }
        };
        // Segment by segment: the platform's separator throughout.
        let path = written
            .split('/')
            .fold(dir, |path, segment| path.join(segment));
        if self.written.starts_with("./") {
            if let Some(problem) = problem(self.written, &path, role) {
                return Err(problem);
            }
        }
        Ok(Located {
            kind: SnapshotKind::of(&written),
            written,
            subset: self.subset,
            path,
            at_run_time,
        })
    }

    /// The calling crate's directory for this test process, and whether the
    /// process's `CARGO_MANIFEST_DIR` (given here) gave it.
    fn crate_dir(
        &self,
        run_dir: Option<OsString>,
        run_package: Option<OsString>,
    ) -> (PathBuf, bool) {
        let run_dir = run_dir
            .filter(|dir| !dir.is_empty())
            .filter(|_| run_package.is_none_or(|package| package.as_os_str() == self.package));
        let at_run_time = run_dir.is_some();
        let dir = run_dir.map_or_else(|| PathBuf::from(self.manifest_dir), PathBuf::from);
        (dir, at_run_time)
    }
}

/// The source file `file` (as `file!()` gives it) of the crate built in
/// `manifest_dir` as `package`, on disk: found as a snapshot folder is, so a
/// relocated test finds its own checkout.
pub(crate) fn source_file(file: &str, manifest_dir: &str, package: &str) -> Option<PathBuf> {
    let (dir, package_now) = run_time_crate();
    let folder = SnapshotFolder::new("", file, manifest_dir, package);
    let (dir, _) = folder.crate_dir(dir.clone(), package_now.clone());
    find_source(&dir, file)
}

/// `file!()` is relative to the workspace root, an ancestor of the crate's
/// directory `dir` (or absolute): the file there.
fn find_source(dir: &Path, file: &str) -> Option<PathBuf> {
    let file = Path::new(file);
    if file.is_absolute() {
        return Some(file.to_owned());
    }
    dir.ancestors()
        .map(|ancestor| ancestor.join(file))
        .find(|path| path.is_file())
}

/// The segments of the folder of the source file `file`, relative to the
/// crate's directory `dir`; `None` if it is not found there.
fn source_folder(dir: &Path, file: &str) -> Option<Vec<String>> {
    let source = find_source(dir, file)?;
    let folder = source.parent()?.strip_prefix(dir).ok()?;
    let segments = folder
        .components()
        .map(|c| c.as_os_str().to_str().map(str::to_owned));
    segments.collect()
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

    use super::{Role, SnapshotFolder};

    const FOLDER: SnapshotFolder<'static> = SnapshotFolder {
        written: "tests/snap",
        manifest_dir: "/build/demo",
        package: "demo",
        source: "tests/it.rs",
        subset: false,
    };

    /// The folder as located with the test process's variables, shown.
    fn located(run_dir: Option<&str>, run_package: Option<&str>) -> String {
        let (run_dir, run_package) = (run_dir.map(OsString::from), run_package.map(OsString::from));
        FOLDER
            .locate_in(run_dir, run_package, Role::Expected)
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_folder_beside_the_source_file_is_named_from_the_crate() {
        let workspace = crate::tempdir().unwrap();
        let krate = workspace.path().join("demo");
        std::fs::create_dir_all(krate.join("tests/it/cases/add")).unwrap();
        std::fs::write(krate.join("tests/it/main.rs"), "").unwrap();
        let manifest_dir = krate.to_str().unwrap();
        // `file!()` is relative to the workspace's root, above the crate.
        let folder = |written| SnapshotFolder {
            written,
            source: "demo/tests/it/main.rs",
            manifest_dir,
            ..FOLDER
        };
        let locate = |written| folder(written).locate_in(None, None, Role::Expected);
        let add = locate("./cases/add").unwrap();
        assert_eq!(add.written, "tests/it/cases/add");
        assert_eq!(add.path, krate.join("tests/it/cases/add"));
        let message = locate("./case/add").err().unwrap();
        assert!(
            message.contains("did you mean \"./cases/add\"?"),
            "{message}"
        );
        let elsewhere = SnapshotFolder {
            source: "other/main.rs",
            ..folder("./cases/add")
        };
        let message = elsewhere.locate_in(None, None, Role::Input).err().unwrap();
        assert!(
            message.starts_with(
                "snapshot folder \"./cases/add\" is beside the test's source file other/main.rs, \
                 which is not found in the crate's directory"
            ),
            "{message}"
        );
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
