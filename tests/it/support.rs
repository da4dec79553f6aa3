//! Re-running one test of this test binary in a child process: with its own
//! environment and, on Unix, under another umask, as the unprivileged user
//! `nobody`, or with a file-size or open-files limit. And the trees and snapshot folders
//! the tree tests start from.
//!
//! The umask and resource limits are per process, so a test that changed them
//! in place would change them for every test running beside it. And this
//! machine's tests run as root, which ignores permission bits: a permission
//! test that never runs unprivileged proves nothing.
//!
//! A child that cannot be set up fails the test that asked for it: a test
//! this machine cannot run is `#[ignore = "needs …"]`, never a silent pass.

#![allow(dead_code)] // tests/soak.rs uses its own part of this module

use std::fs;
use std::io;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const CHILD_ENV: &str = "FIXTREE_TEST_CHILD";
const NOBODY: u32 = 65534;

/// How the child process is set up.
#[derive(Clone, Copy, Default)]
pub struct Setup {
    pub umask: Option<u32>,
    pub as_nobody: bool,
    /// `ulimit -f` (in the shell's blocks), with SIGXFSZ ignored so that a
    /// write past it fails with EFBIG instead of killing the process.
    pub file_size_limit: Option<u32>,
    /// `ulimit -n`: how many files the child may have open.
    pub open_files_limit: Option<u32>,
    /// Let the test harness capture the child's output, as in a plain
    /// `cargo test`, where a passing test's output is thrown away.
    pub captured: bool,
    /// Variables to set (`Some`) or remove (`None`) in the child.
    pub env: &'static [(&'static str, Option<&'static str>)],
}

/// True in the child process started for test `name`.
pub fn is_child(name: &str) -> bool {
    std::env::var(CHILD_ENV).is_ok_and(|v| v == name)
}

#[cfg(unix)]
pub fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(not(unix))]
pub fn is_root() -> bool {
    false
}

/// Holds the test directory `dir` as a running test does, until dropped:
/// with `flock`, as the runtime locks it on Unix (std's `File::lock` is the
/// same call but needs Rust 1.89, above fixtree's MSRV).
#[cfg(unix)]
pub fn hold(dir: &Path) -> fs::File {
    let handle = fs::File::open(dir).unwrap();
    rustix::fs::flock(&handle, rustix::fs::FlockOperation::LockExclusive).unwrap();
    handle
}

/// The harness's name of test `name`, given as its path within the calling
/// file: each file of tests/it is a module of the binary, named by its stem.
#[track_caller]
pub fn test_name(name: &str) -> String {
    let file = Path::new(std::panic::Location::caller().file());
    let module = file.file_stem().and_then(|stem| stem.to_str()).unwrap();
    format!("{module}::{name}")
}

/// A child process that runs only test `name` (its path within the calling
/// file; ignored or not) of this binary, set up as asked, with its own TMPDIR.
/// Keep the returned [`Staging`] alive while it runs. Panics where this
/// machine cannot run it that way.
#[track_caller]
pub fn child(name: &str, setup: Setup) -> (Command, Staging) {
    let staging = Staging::new(setup.as_nobody && is_root()).expect("stage the child");
    let shell = setup.umask.is_some()
        || setup.file_size_limit.is_some()
        || setup.open_files_limit.is_some()
        || setup.as_nobody;
    assert!(
        !shell || cfg!(unix),
        "{name}: umask, ulimit and nobody need a Unix system"
    );
    let mut script = String::new();
    if let Some(mask) = setup.umask {
        script += &format!("umask {mask:03o}; ");
    }
    if let Some(blocks) = setup.file_size_limit {
        // An ignored signal stays ignored across exec.
        script += &format!("trap '' XFSZ; ulimit -f {blocks}; ");
    }
    if let Some(files) = setup.open_files_limit {
        script += &format!("ulimit -n {files}; ");
    }
    script += r#"exec "$0" "$@""#;
    let mut command = if setup.as_nobody && is_root() {
        assert!(
            Command::new("setpriv").arg("--version").output().is_ok(),
            "{name} needs setpriv (util-linux) to run as nobody"
        );
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid",
            &NOBODY.to_string(),
            "--regid",
            &NOBODY.to_string(),
        ]);
        c.args(["--clear-groups", "--", "sh", "-c", &script]);
        c.arg(&staging.exe);
        c
    } else if shell {
        let mut c = Command::new("sh");
        c.args(["-c", &script]);
        c.arg(&staging.exe);
        c
    } else {
        Command::new(&staging.exe)
    };
    command
        .args([
            &test_name(name),
            "--exact",
            "--include-ignored",
            "--test-threads=1",
        ])
        .args((!setup.captured).then_some("--nocapture"))
        .env(CHILD_ENV, name)
        .env("TMPDIR", &staging.tmp)
        .env_remove("RUST_TEST_THREADS");
    for (name, value) in setup.env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    (command, staging)
}

/// Runs test `name` in a child set up as asked and asserts that it passed.
#[track_caller]
pub fn run_in_child(name: &str, setup: Setup) -> Output {
    let (mut command, _staging) = child(name, setup);
    let output = command
        .stdin(Stdio::null())
        .output()
        .expect("start the child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child test {name} failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    output
}

/// The name of the test directory `dir` without its random part,
/// checking that the part is the ten characters fixtree draws.
pub fn stem(dir: &Path) -> String {
    let name = dir.file_name().unwrap().to_str().unwrap();
    let (stem, random) = name.rsplit_once('.').unwrap();
    assert_eq!(random.len(), 10, "{name}");
    stem.to_owned()
}

/// A test of this binary that fails on purpose in a child, with a base of
/// its own: what it kept there and printed.
pub struct Failed {
    /// The test's directories, the shortest name (its own) first.
    pub kept: Vec<PathBuf>,
    pub stderr: String,
    // Dropped last: removes what the child kept.
    _base: fixtree::TempDir,
}

/// Runs test `name` in a child, with its own `FIXTREE_DIR`, asserts that it
/// failed, and returns what it kept.
#[track_caller]
pub fn run_failing(name: &str) -> Failed {
    let base = fixtree::tempdir().unwrap();
    let (mut command, _staging) = child(name, Setup::default());
    let out = command
        .env("FIXTREE_DIR", base.path())
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN")
        .stdin(Stdio::null())
        .output()
        .expect("start the child test");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{name} should have failed: {stderr}");
    let mut kept = test_dirs(base.path());
    kept.sort_by_key(|path| path.as_os_str().len());
    Failed {
        kept,
        stderr,
        _base: base,
    }
}

/// Runs test `name` in a child in update mode (`FIXTREE_UPDATE=1`, outside
/// CI): what it printed to stderr, where update mode reports.
#[track_caller]
pub fn run_in_update_mode(name: &str) -> String {
    let setup = Setup {
        env: &[("FIXTREE_UPDATE", Some("1")), ("CI", None)],
        ..Setup::default()
    };
    let out = run_in_child(name, setup);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The test binary and a TMPDIR that the child's user can reach: for
/// `nobody`, a link to the binary outside the build directory, which may sit
/// under a home that `nobody` cannot enter.
pub struct Staging {
    pub exe: PathBuf,
    pub tmp: PathBuf,
    // Dropped last: removes the copy and whatever the child left behind.
    _dir: fixtree::TempDir,
}

impl Staging {
    fn new(for_nobody: bool) -> io::Result<Self> {
        let base = if for_nobody {
            Path::new("/tmp").to_owned()
        } else {
            std::env::temp_dir()
        };
        let mut builder = fixtree::Builder::new();
        builder.prefix("fixtree-test-child-");
        #[cfg(unix)]
        builder.permissions(fs::Permissions::from_mode(0o755));
        let dir = builder.tempdir_in(base)?;
        let current = std::env::current_exe()?;
        let exe = if for_nobody {
            let exe = dir.path().join("test-binary");
            // A hard link, not a copy: a file open for writing while other
            // tests fork and exec makes exec fail with ETXTBSY.
            if fs::hard_link(&current, &exe).is_err() {
                fs::copy(&current, &exe)?;
            }
            // Whatever the umask the build ran under, nobody must run it.
            #[cfg(unix)]
            fs::set_permissions(&exe, fs::Permissions::from_mode(0o755))?;
            exe
        } else {
            current
        };
        let tmp = dir.path().join("tmp");
        fs::create_dir(&tmp)?;
        #[cfg(unix)]
        if for_nobody {
            std::os::unix::fs::chown(&tmp, Some(NOBODY), Some(NOBODY))?;
        }
        Ok(Staging {
            exe,
            tmp,
            _dir: dir,
        })
    }
}

/// The permission bits of `path`, not following a symbolic link.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path)
        .expect("stat")
        .permissions()
        .mode()
        & 0o7777
}

fn permissions(path: &Path) -> fs::Permissions {
    fs::symlink_metadata(path).expect("stat").permissions()
}

/// The directory of this crate's test directories in `base`
/// (`<package>.<hash>`), the only directory there.
pub fn group(base: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = fs::read_dir(base)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    match <[PathBuf; 1]>::try_from(dirs) {
        Ok([group]) => group,
        Err(dirs) => panic!("not one crate's directory in the base: {dirs:?}"),
    }
}

/// The test directories in `base`, in its crate's directory: all there
/// but the file naming the crate. None if there is none.
pub fn test_dirs(base: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(base) else {
        return Vec::new();
    };
    let groups = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir());
    let in_groups = groups.flat_map(|group| fs::read_dir(group).expect("read_dir"));
    in_groups
        .map(|e| e.expect("entry").path())
        .filter(|path| path.file_name() != Some("CRATE".as_ref()))
        .collect()
}

/// The names in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A sentinel outside the directory under test: files and a directory with
/// known content and modes, which nothing fixtree does may change.
pub struct Outside {
    pub dir: fixtree::TempDir,
    permissions: Vec<fs::Permissions>,
}

impl Outside {
    const FILES: [&'static str; 2] = ["sentinel", "subdir/sentinel"];

    pub fn new() -> Self {
        let dir = fixtree::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("subdir")).expect("mkdir");
        for name in Self::FILES {
            fs::write(dir.path().join(name), "untouched").expect("write");
        }
        let permissions = Self::FILES
            .iter()
            .map(|name| permissions(&dir.path().join(name)))
            .collect();
        Outside { dir, permissions }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn assert_untouched(&self) {
        assert_eq!(entries(self.dir.path()), ["sentinel", "subdir"]);
        assert_eq!(entries(&self.path("subdir")), ["sentinel"]);
        for (name, before) in Self::FILES.iter().zip(&self.permissions) {
            assert_eq!(
                fs::read_to_string(self.path(name)).expect("read"),
                "untouched",
                "{name}"
            );
            assert_eq!(permissions(&self.path(name)), *before, "the mode of {name}");
        }
    }
}

/// A directory holding `tree`.
pub fn dir_with(tree: &fixtree::Tree) -> fixtree::TempDir {
    let dir = fixtree::tempdir().expect("tempdir");
    tree.write_to(dir.path()).expect("write_to");
    dir
}

/// The report of `check_tree`, with the temporary root replaced by `<root>`.
pub fn report(dir: &Path, expected: &fixtree::ExpectedTree) -> String {
    let diff = fixtree::check_tree(dir, expected).expect_err("a mismatch");
    diff.to_string()
        .replace(&dir.display().to_string(), "<root>")
}

/// The snapshot folder `written` of the crate at `root`, named as by a
/// macro in another package than this test's: so it is looked up under
/// `root`, whatever this process's CARGO_MANIFEST_DIR.
pub fn folder<'a>(root: &'a Path, written: &'a str) -> fixtree::__private::SnapshotFolder<'a> {
    fixtree::__private::SnapshotFolder {
        written,
        manifest_dir: root.to_str().expect("a UTF-8 path"),
        package: "a-test-helper",
        source: file!(),
        subset: false,
    }
}
