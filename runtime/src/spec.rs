//! The helpers of the spec language, in scope inside `tree!`, `assert_tree!`
//! and `#[with_tempdir(files = …)]` without an import, and the conversions
//! that decide what a value may be.
//!
//! ```
//! use fixtree::spec::*;
//! use fixtree::Tree;
//!
//! let tree = Tree::new()
//!     .with("run.sh", exec("#!/bin/sh\necho hi\n"))?
//!     .with("secret", mode(0o600, "token"))?
//!     .with("latest", symlink("run.sh"))?
//!     .with("old.log", modified(ago(std::time::Duration::from_secs(3600)), "x"))?;
//! assert_eq!(tree.len(), 4);
//! # Ok::<(), fixtree::TreeError>(())
//! ```

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::tree::mtime::{from_unix_secs, whole_second};
use crate::tree::{DEFAULT_FILE_MODE, EXEC_MODE, Node, permission_bits};
pub use crate::tree::{IntoFile, IntoNode};

/// An executable file (mode 0o755) with these bytes.
///
/// ```
/// let node = fixtree::spec::exec("#!/bin/sh\n");
/// assert!(matches!(node, fixtree::Node::File { mode: Some(0o755), .. }));
/// ```
pub fn exec(contents: impl Into<Vec<u8>>) -> Node {
    Node::file_with_mode(contents, EXEC_MODE)
}

/// A file with these bytes and exactly these permission bits. In an
/// expectation the mode is checked even when it is the default 0644.
///
/// ```
/// use fixtree::spec::mode;
///
/// let tree = fixtree::Tree::new().with("key.pem", mode(0o600, "secret"))?;
/// assert!(matches!(tree.get("key.pem"), Some(fixtree::Node::File { mode: Some(0o600), .. })));
/// # Ok::<(), fixtree::TreeError>(())
/// ```
///
/// # Panics
///
/// If `bits` are above 0o7777, the highest permission bits (setuid, setgid
/// and sticky included): a slip in the test, not a mode to mask.
#[track_caller]
pub fn mode(bits: u32, contents: impl Into<Vec<u8>>) -> WithMode {
    WithMode {
        contents: contents.into(),
        mode: permission_bits(bits, "mode(", ", …)"),
    }
}

/// A symbolic link to `target`, written as a link and never followed. No
/// link can have an empty target or one holding a NUL byte: writing such a
/// tree is an error naming the link.
///
/// ```
/// let node = fixtree::spec::symlink("../shared/config.toml");
/// assert_eq!(node, fixtree::Node::Symlink { target: "../shared/config.toml".into() });
/// ```
pub fn symlink(target: impl Into<PathBuf>) -> Node {
    Node::symlink(target)
}

/// A file with these contents (text, bytes, or [`mode(..)`](mode())) whose
/// modification time is `time`, kept to the second (rounded down): that is
/// what [`Tree::write_to`](crate::Tree::write_to) sets and spec text prints.
///
/// In an expectation the time is checked, within one second either way
/// (file systems keep times at different resolutions, FAT at two seconds);
/// a file expected without `modified` may have any time.
///
/// ```
/// use std::time::Duration;
/// use fixtree::spec::{ago, modified, mode};
///
/// let dir = fixtree::tempdir()?;
/// let tree = fixtree::tree! {
///     "old.log" => modified(ago(Duration::from_secs(3 * 3600)), "stale\n"),
///     "key.pem" => modified(ago(Duration::from_secs(60)), mode(0o600, "secret")),
/// };
/// tree.write_to(dir.path())?;
///
/// let age = std::fs::metadata(dir.path().join("old.log"))?.modified()?.elapsed()?;
/// assert!(age.as_secs().abs_diff(3 * 3600) <= 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn modified(time: SystemTime, file: impl IntoFile) -> Modified {
    let (contents, mode) = file.into_file();
    Modified {
        contents,
        mode,
        time: whole_second(time),
    }
}

/// The time `age` before now, when the value is built: `modified(ago(…), …)`.
///
/// An expectation builds its own `ago(…)` later than the fixture did, by as
/// long as the test ran: to expect the very time a fixture was given, give
/// both the same [`SystemTime`].
///
/// ```
/// use std::time::{Duration, SystemTime};
///
/// let hour_ago = fixtree::spec::ago(Duration::from_secs(3600));
/// assert!(hour_ago < SystemTime::now());
/// ```
///
/// # Panics
///
/// If the system cannot hold a time that long ago (as `SystemTime - Duration`).
pub fn ago(age: Duration) -> SystemTime {
    SystemTime::now()
        .checked_sub(age)
        .unwrap_or_else(|| panic!("fixtree: ago({age:?}) is before any time this system holds"))
}

/// The time `secs` seconds after 1970-01-01 00:00:00 UTC (before it, if
/// negative): how spec text writes a modification time, e.g.
/// `modified(unix_time(1798365600) /* 2026-12-27 10:00:00 UTC */, "x")`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// assert_eq!(fixtree::spec::unix_time(86_400), UNIX_EPOCH + Duration::from_secs(86_400));
/// ```
///
/// # Panics
///
/// If the system cannot hold that time (years far beyond ±292 billion).
pub fn unix_time(secs: i64) -> SystemTime {
    from_unix_secs(secs).unwrap_or_else(|| {
        panic!("fixtree: unix_time({secs}) is beyond any time this system holds")
    })
}

/// Expects a UTF-8 file that contains `needle`, where `[ROOT]` stands for
/// the directory being compared, as in [`matches`](matches()); `[..]` and
/// `...` are literal here.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let log = format!("started\nwrote {}/out.txt\ndone\n", dir.path().display());
/// std::fs::write(dir.path().join("log"), log)?;
/// let expected = fixtree::ExpectedTree::new()
///     .with("log", fixtree::spec::contains("wrote [ROOT]/out.txt"))?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn contains(needle: impl Into<String>) -> Matcher {
    Matcher::Contains(needle.into())
}

/// Expects a UTF-8 file that matches `pattern`: `[..]` stands for any run of
/// characters within a line, a line holding only `...` for any number
/// of lines, and `[ROOT]` for the directory being compared (the `dir` of
/// `assert_tree!(dir, …)` or [`check_tree`](crate::check_tree)), so that a
/// test can expect files that name it: logs, generated configs, saved
/// output. Everything else must be equal.
///
/// `[ROOT]` matches the directory as given (made absolute, without a
/// trailing separator) and as resolved by the system (`/private/tmp/…` for
/// `/tmp/…` on macOS; on Windows `\\?\C:\…` and `C:\…`), each also with `/`
/// for `\` where `\` is the separator; never the text `[ROOT]` itself, so
/// a placeholder the program left unexpanded fails. A report's paste-ready
/// tree prints a text file that names the directory as
/// `matches("…[ROOT]…")`, which passes pasted back.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let log = format!("log: {}/out.txt\n", dir.path().display());
/// std::fs::write(dir.path().join("run.log"), log)?;
/// let pattern = fixtree::spec::matches("log: [ROOT][..]out.txt\n");
/// let expected = fixtree::ExpectedTree::new().with("run.log", pattern)?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.3.1\"\n")?;
/// let pattern = fixtree::spec::matches("[package]\n...\nversion = \"[..]\"\n");
/// let expected = fixtree::ExpectedTree::new().with("Cargo.toml", pattern)?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn matches(pattern: impl Into<String>) -> Matcher {
    Matcher::Matches(pattern.into())
}

/// Expects an entry of any kind and content at this path.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// std::fs::create_dir(dir.path().join("cache"))?;
/// let expected = fixtree::ExpectedTree::new().with("cache", fixtree::spec::any())?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn any() -> Matcher {
    Matcher::Any
}

/// Expects nothing at this path. In a later layer of `#[with_tempdir(files
/// = [base(), { "Cargo.lock" => absent() }])]`, removes the path from the
/// layers before instead.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let expected = fixtree::ExpectedTree::new().with("tmp.lock", fixtree::spec::absent())?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn absent() -> Matcher {
    Matcher::Absent
}

/// A file with an exact mode; made by [`mode`].
///
/// ```
/// let script = fixtree::spec::mode(0o755, "#!/bin/sh\n");
/// let tree = fixtree::Tree::new().with("run.sh", script)?;
/// assert_eq!(tree.get("run.sh"), Some(&fixtree::Node::file_with_mode("#!/bin/sh\n", 0o755)));
/// # Ok::<(), fixtree::TreeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithMode {
    pub(crate) contents: Vec<u8>,
    pub(crate) mode: u32,
}

/// A file with a modification time; made by [`modified`].
///
/// ```
/// use std::time::{Duration, SystemTime};
///
/// let day_one = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400);
/// let tree = fixtree::Tree::new().with("old.log", fixtree::spec::modified(day_one, "x"))?;
/// let dir = fixtree::tempdir()?;
/// tree.write_to(dir.path())?;
/// assert_eq!(std::fs::metadata(dir.path().join("old.log"))?.modified()?, day_one);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modified {
    pub(crate) contents: Vec<u8>,
    /// The mode as given, if one was.
    pub(crate) mode: Option<u32>,
    pub(crate) time: SystemTime,
}

impl IntoFile for WithMode {
    fn into_file(self) -> (Vec<u8>, Option<u32>) {
        (self.contents, Some(self.mode))
    }
}

/// What an expectation may say of an entry besides its exact content; made
/// by [`contains`], [`matches`](matches()), [`any`] and [`absent`]. A matcher describes
/// a file without being one, so `tree!` refuses it at compile time.
///
/// ```
/// use fixtree::spec::{Matcher, contains};
///
/// assert_eq!(contains("ok"), Matcher::Contains("ok".into()));
/// let expected = fixtree::ExpectedTree::new().with("log.txt", contains("ok"))?;
/// let dir = fixtree::tempdir()?;
/// std::fs::write(dir.path().join("log.txt"), "all ok\n")?;
/// assert!(fixtree::check_tree(dir.path(), &expected).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// A UTF-8 file containing this text.
    Contains(String),
    /// A UTF-8 file matching this pattern (`[..]`, `...`, `[ROOT]`).
    Matches(String),
    /// Anything at all.
    Any,
    /// Nothing.
    Absent,
}

impl IntoNode for WithMode {
    fn into_node(self) -> Node {
        Node::file_with_mode(self.contents, self.mode)
    }
}

impl IntoNode for Modified {
    fn into_node(self) -> Node {
        Node::File {
            contents: self.contents,
            mode: self.mode.filter(|bits| *bits != DEFAULT_FILE_MODE),
            modified: Some(self.time),
        }
    }
}
