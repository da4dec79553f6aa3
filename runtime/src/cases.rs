//! Golden cases, as `#[cases("tests/cases/*")]` runs them: each case folder
//! holds `input/`, copied into the test's directory before the test body
//! runs, and `expected/`, which the directory must match afterwards — read,
//! compared and updated (`FIXTREE_UPDATE=1`) as `assert_tree!(dir, from = …)`
//! does, and created by update mode when a new case has only its input.
//! `#[cases]` may name those folders otherwise, compare only what the
//! expected one holds (`subset`) and leave paths out (`ignore`).
//!
//! The macro lists the case folders when the test compiles, and cargo does
//! not compile a test again when a folder gains or loses a case. So the
//! generated module also holds a test, [`CaseFolders::check`], that lists
//! them again when the tests run and fails, naming each folder added or
//! removed and saying how to make cargo compile the test again.

use std::fmt::Write as _;
use std::fs;

use std::io;
use std::path::{Path, PathBuf};
use std::thread;

use fixtree_rules::cases::CasePattern;

use crate::config::{self, Update};
use crate::error::{IoResultExt, io_error};
use crate::expect::pending::read_regular;
use crate::expect::{LineEndings, assert_tree_from};
use crate::fixture::{Fixture, Outcome, TestDir, harness_name};
use crate::locate::SnapshotFolder;
use fixtree_rules::folder::Role;

/// The most [`Case::read`] reads of a file: 64 MiB.
const READ_LIMIT: u64 = 64 << 20;

/// The case a `#[cases]` test runs: a function under `#[cases]` may take
/// `case: &fixtree::Case` besides its directory, to learn the case's name or
/// read files of its own beside `input/` and `expected/` (its arguments):
/// `fn converts(dir: &Path, case: &fixtree::Case)`. Its fields are the
/// macro's: paths as written, relative to the calling crate's manifest
/// directory, which is looked up when the test runs, as [`SnapshotFolder`]s
/// are.
///
/// ```
/// # let root = fixtree::tempdir()?;
/// # std::fs::create_dir_all(root.path().join("tests/cases/shout/input"))?;
/// # std::fs::write(root.path().join("tests/cases/shout/args.txt"), "--loud\n")?;
/// # let case = fixtree::__private::Case {
/// #     folder: "tests/cases/shout", input: "tests/cases/shout/input",
/// #     expected: "tests/cases/shout/expected", manifest_dir: root.path().to_str().unwrap(),
/// #     package: "demo", source: "tests/cases.rs", subset: false, ignore: &[],
/// # };
/// // In `fn converts(dir: &Path, case: &fixtree::Case)`, for tests/cases/shout:
/// assert_eq!(case.name(), "shout");
/// assert_eq!(case.read("args.txt")?, "--loud\n");
/// assert!(case.folder().join("input").is_dir());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Case<'a> {
    #[doc(hidden)]
    /// The case folder, e.g. `tests/cases/shout`.
    pub folder: &'a str,
    #[doc(hidden)]
    /// Its `input` folder, e.g. `tests/cases/shout/input`.
    pub input: &'a str,
    #[doc(hidden)]
    /// Its `expected` folder, e.g. `tests/cases/shout/expected`.
    pub expected: &'a str,
    #[doc(hidden)]
    /// `CARGO_MANIFEST_DIR` when the calling crate was compiled.
    pub manifest_dir: &'a str,
    #[doc(hidden)]
    /// `CARGO_PKG_NAME` when the calling crate was compiled.
    pub package: &'a str,
    #[doc(hidden)]
    /// The source file holding `#[cases]` (`file!()`), for the hint to touch it.
    pub source: &'a str,
    #[doc(hidden)]
    /// Whether only the paths the expected folder holds are compared (`subset`).
    pub subset: bool,
    #[doc(hidden)]
    /// Globs of paths not compared (`ignore = [..]`).
    pub ignore: &'a [&'a str],
}

impl<'a> Case<'a> {
    fn snapshot(&self, written: &'a str) -> SnapshotFolder<'a> {
        SnapshotFolder::new(written, self.source, self.manifest_dir, self.package)
    }

    /// The case's name: its folder's, `shout` for `tests/cases/shout`.
    ///
    /// ```
    /// # let root = fixtree::tempdir()?;
    /// # std::fs::create_dir_all(root.path().join("tests/cases/shout/input"))?;
    /// # std::fs::write(root.path().join("tests/cases/shout/args.txt"), "--loud\n")?;
    /// # let case = fixtree::__private::Case {
    /// #     folder: "tests/cases/shout", input: "tests/cases/shout/input",
    /// #     expected: "tests/cases/shout/expected", manifest_dir: root.path().to_str().unwrap(),
    /// #     package: "demo", source: "tests/cases.rs", subset: false, ignore: &[],
    /// # };
    /// assert_eq!(case.name(), "shout");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn name(&self) -> &'a str {
        self.folder.rsplit('/').next().unwrap_or(self.folder)
    }

    /// The case folder, where the test process finds it.
    ///
    /// ```
    /// # let root = fixtree::tempdir()?;
    /// # std::fs::create_dir_all(root.path().join("tests/cases/shout/input"))?;
    /// # std::fs::write(root.path().join("tests/cases/shout/args.txt"), "--loud\n")?;
    /// # let case = fixtree::__private::Case {
    /// #     folder: "tests/cases/shout", input: "tests/cases/shout/input",
    /// #     expected: "tests/cases/shout/expected", manifest_dir: root.path().to_str().unwrap(),
    /// #     package: "demo", source: "tests/cases.rs", subset: false, ignore: &[],
    /// # };
    /// assert_eq!(case.folder(), root.path().join("tests/cases/shout"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn folder(&self) -> PathBuf {
        self.snapshot(self.folder).locate(Role::Input).path
    }

    /// The text of the file `path` in the case folder (`/`-separated, below
    /// it): what the case passes to the test, beside its folders. Case
    /// folders are anyone's content, so a path reaching out of the folder, a
    /// symbolic link (the file or a directory on the way), anything but a
    /// regular file (a FIFO fails, never blocks) and a file larger than
    /// 64 MiB are errors naming the path, the rule and what to do.
    ///
    /// ```
    /// # let root = fixtree::tempdir()?;
    /// # std::fs::create_dir_all(root.path().join("tests/cases/shout/input"))?;
    /// # std::fs::write(root.path().join("tests/cases/shout/args.txt"), "--loud\n")?;
    /// # let case = fixtree::__private::Case {
    /// #     folder: "tests/cases/shout", input: "tests/cases/shout/input",
    /// #     expected: "tests/cases/shout/expected", manifest_dir: root.path().to_str().unwrap(),
    /// #     package: "demo", source: "tests/cases.rs", subset: false, ignore: &[],
    /// # };
    /// assert_eq!(case.read("args.txt")?, "--loud\n");
    /// assert!(case.read("../other/args.txt").is_err());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read(&self, path: &str) -> io::Result<String> {
        let folder = self.folder();
        let segments = fixtree_rules::segments(path).map_err(|e| {
            let folder = folder.display();
            io_error!(
                InvalidInput,
                "cannot read {path:?} in the case folder {folder}: {e}"
            )
        })?;
        let file = segments.iter().fold(folder.clone(), |file, s| file.join(s));
        // Looked at without following a link, from the case folder down: what
        // a checkout holds is checked, and a race against it would take a
        // process of the user's own, which fixtree does not guard against.
        let mut dir = folder;
        for segment in &segments[..segments.len() - 1] {
            dir.push(segment);
            if fs::symlink_metadata(&dir).at("inspect", &dir)?.is_symlink() {
                return Err(io_error!(
                    InvalidInput,
                    "cannot read {}: {} is a symbolic link; fixtree reads a case's files only \
                     inside its folder, never through a link: put the directory itself there",
                    file.display(),
                    dir.display()
                ));
            }
        }
        read_regular(&file, READ_LIMIT)
    }
}

/// One run of a case: the test's directory, filled from the case's input,
/// compared with its expected tree when the body succeeds. When the case
/// fails, its output names the case and its folders, above the line saying
/// where its directory was kept.
pub struct CaseRun<'a> {
    case: Case<'a>,
    // Dropped after `drop` has named the case: its own `Drop` says what it kept.
    fixture: Option<Fixture>,
    /// The test as the harness names it, for messages and `cargo test <name>`.
    test: String,
    failed: bool,
}

impl<'a> CaseRun<'a> {
    /// Creates the directory of the case running (named after the test
    /// thread, `function::case`, in `module`) and copies the case's input
    /// into it.
    #[track_caller]
    pub fn start(case: Case<'a>, module: &str, function: &str) -> CaseRun<'a> {
        let run = CaseRun {
            case,
            fixture: Some(Fixture::new(module, function, false)),
            test: harness_name().unwrap_or_default(),
            failed: false,
        };
        let input = case.snapshot(case.input).locate(Role::Input);
        if !input.path.is_dir() {
            panic!(
                "fixtree: case {} has no input folder {input}: the case folder was removed or \
                 renamed after the test was compiled; run `touch {}` so that cargo compiles the \
                 cases again",
                run.test, case.source
            );
        }
        run.fixture().copy_from(case.snapshot(case.input));
        run
    }

    /// The case running.
    pub fn case(&self) -> &Case<'a> {
        &self.case
    }

    /// The test's directory.
    pub fn dir(&self) -> &TestDir {
        self.fixture().dir()
    }

    fn fixture(&self) -> &Fixture {
        self.fixture.as_ref().expect("present until finish")
    }

    /// Compares the directory with the case's expected tree, unless the body
    /// failed (returned `Err`), and hands the body's result back.
    #[track_caller]
    pub fn finish<R: Outcome>(mut self, result: R) -> R {
        self.failed = result.is_failure();
        if !self.failed {
            self.compare();
        }
        let fixture = self.fixture.take().expect("present until finish");
        drop(self);
        fixture.finish(result)
    }

    #[track_caller]
    fn compare(&self) {
        let expected = SnapshotFolder {
            subset: self.case.subset,
            ..self.case.snapshot(self.case.expected)
        };
        let located = expected.locate(Role::Expected);
        // Update mode creates a missing expected folder, and review mode
        // records it as pending, as for any `assert_tree!(dir, from = …)`.
        let update = match config::update() {
            Ok(update) => update,
            Err(e) => panic!("fixtree: {e}"),
        };
        if update == Update::Compare && fs::symlink_metadata(&located.path).is_err() {
            panic!(
                "fixtree: case {test} has no expected folder {located}; create it from what \
                 the test leaves with `FIXTREE_UPDATE=1 cargo test {test}` (or record it for \
                 review with `FIXTREE_UPDATE=review`), review it and commit it",
                test = self.test
            );
        }
        assert_tree_from(
            self.fixture().path(),
            expected,
            self.case.ignore,
            LineEndings::Any,
        );
    }
}

impl Drop for CaseRun<'_> {
    fn drop(&mut self) {
        if self.failed || thread::panicking() {
            let (input, expected) = (self.case.input, self.case.expected);
            eprintln!(
                "fixtree: case {} failed ({})\n    input:    {input}\n    expected: {expected}",
                self.test, self.case.folder
            );
        }
    }
}

/// The case folders a pattern matched when the test was compiled, to check
/// against those it matches when the tests run.
#[derive(Clone, Copy, Debug)]
pub struct CaseFolders<'a> {
    /// The pattern, as written in `#[cases("…")]`.
    pub pattern: &'a str,
    /// The names of the case folders found at compile time, sorted.
    pub compiled: &'a [&'a str],
    /// `CARGO_MANIFEST_DIR` when the calling crate was compiled.
    pub manifest_dir: &'a str,
    /// `CARGO_PKG_NAME` when the calling crate was compiled.
    pub package: &'a str,
    /// The source file holding `#[cases]` (`file!()`).
    pub source: &'a str,
}

impl CaseFolders<'_> {
    /// Panics, naming each case folder added or removed since the test was
    /// compiled, unless the folders are the same.
    #[track_caller]
    pub fn check(&self) {
        if let Err(message) = self.unchanged() {
            panic!("{message}");
        }
    }

    /// `Ok` when the pattern matches the folders it matched at compile time;
    /// else what changed, and how to make cargo compile the test again.
    ///
    /// ```
    /// use fixtree::__private::CaseFolders;
    ///
    /// let root = fixtree::tempdir()?;
    /// std::fs::create_dir_all(root.path().join("cases/old"))?;
    /// let folders = CaseFolders {
    ///     pattern: "cases/*",
    ///     compiled: &["old"],
    ///     manifest_dir: root.path().to_str().unwrap(),
    ///     package: "not-this-process's",
    ///     source: "tests/cases.rs",
    /// };
    /// assert!(folders.unchanged().is_ok());
    /// std::fs::create_dir(root.path().join("cases/new"))?;
    /// let message = folders.unchanged().unwrap_err();
    /// assert!(message.contains("added:   cases/new"), "{message}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unchanged(&self) -> Result<(), String> {
        let pattern = CasePattern::parse(self.pattern)
            .map_err(|e| format!("fixtree: {e} (checked when the test was compiled)"))?;
        // Located as a snapshot folder is, the pattern's last segment as is.
        let folder =
            SnapshotFolder::new(self.pattern, self.source, self.manifest_dir, self.package);
        let located = folder.locate(Role::Input);
        let dir = located.path.parent().unwrap_or(Path::new(""));
        let mut touch = format!(
            "cargo compiles a test again when its source changes, not when a folder gains or \
             loses a case: run `touch {}` (the file holding #[cases(\"{}\")]), then test again",
            self.source, self.pattern
        );
        if !pattern.dir().is_empty() {
            let _ = write!(
                touch,
                "; to have cargo do it, give the crate a build.rs printing \
                 `cargo::rerun-if-changed={}`",
                pattern.dir()
            );
        }
        let found = pattern.list(dir).map_err(|e| {
            format!("fixtree: cannot list the case folders {located}: {e}; if they moved, {touch}")
        })?;
        let in_dir = |name: &str| match pattern.dir() {
            "" => name.to_owned(),
            dir => format!("{dir}/{name}"),
        };
        let added = found
            .iter()
            .filter(|name| !self.compiled.contains(&name.as_str()))
            .map(|name| format!("    added:   {} (no test runs it yet)\n", in_dir(name)));
        let removed = self
            .compiled
            .iter()
            .filter(|name| !found.iter().any(|found| found == *name))
            .map(|name| {
                format!(
                    "    removed: {} (its test fails: its folder is gone)\n",
                    in_dir(name)
                )
            });
        let changes: String = added.chain(removed).collect();
        if changes.is_empty() {
            return Ok(());
        }
        Err(format!(
            "fixtree: the case folders {located} changed since the test was compiled:\n{changes}{touch}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders<'a>(root: &'a Path, compiled: &'a [&'a str]) -> CaseFolders<'a> {
        CaseFolders {
            pattern: "t/cases/*",
            compiled,
            manifest_dir: root.to_str().unwrap(),
            // Another package than this process's: looked up under `root`.
            package: "a-test-helper",
            source: "tests/cases.rs",
        }
    }

    #[test]
    fn reports_added_and_removed_folders_and_how_to_recompile() {
        let root = crate::tempdir().unwrap();
        for name in ["kept", "new", ".hidden"] {
            fs::create_dir_all(root.path().join("t/cases").join(name)).unwrap();
        }
        fs::write(root.path().join("t/cases/notes.txt"), "").unwrap();
        assert_eq!(folders(root.path(), &["kept", "new"]).unchanged(), Ok(()));

        let message = folders(root.path(), &["gone", "kept"])
            .unchanged()
            .unwrap_err();
        for part in [
            "fixtree: the case folders t/cases/* (looked up at ",
            "changed since the test was compiled:\n",
            "    added:   t/cases/new (no test runs it yet)\n",
            "    removed: t/cases/gone (its test fails: its folder is gone)\n",
            "run `touch tests/cases.rs` (the file holding #[cases(\"t/cases/*\")]), then test again; \
             to have cargo do it, give the crate a build.rs printing \
             `cargo::rerun-if-changed=t/cases`",
        ] {
            assert!(message.contains(part), "{part:?} not in:\n{message}");
        }
        assert!(!message.contains("hidden") && !message.contains("notes"));
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let root = crate::tempdir().unwrap();
        let message = folders(root.path(), &["a"]).unchanged().unwrap_err();
        assert!(
            message.starts_with("fixtree: cannot list the case folders t/cases/* (looked up at "),
            "{message}"
        );
        assert!(message.contains("run `touch tests/cases.rs`"), "{message}");
    }
}
