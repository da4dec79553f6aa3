//! Errors that say which operation failed on which path.
//!
//! Every `io::Error` fixtree returns names the path and the operation; the
//! [`io::ErrorKind`] of the underlying error is kept so callers can still match on it.
//!
//! A wrapper here displays its cause ("cannot create X: No such file or
//! directory"), because most code prints an `io::Error` with `{}` alone; so,
//! following std's guideline (display the source or return it, not both),
//! `source()` skips the displayed cause and returns the cause's own source.
//! Reports that walk the chain (anyhow's `{:#}`, eyre) then say each cause once.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An `io::Error` of the kind `$kind` (an `io::ErrorKind` variant) saying
/// the formatted message.
macro_rules! io_error {
    ($kind:ident, $($message:tt)+) => {
        std::io::Error::new(std::io::ErrorKind::$kind, format!($($message)+))
    };
}
pub(crate) use io_error;

#[derive(Debug)]
struct PathError {
    op: Cow<'static, str>,
    path: PathBuf,
    source: io::Error,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let PathError { op, path, source } = self;
        write!(f, "cannot {op} {}: {source}", path.display())
    }
}

impl Error for PathError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        // The cause is displayed: its own source is next.
        self.source.source()
    }
}

/// Wraps `source` so that it reads "cannot `op` `path`: `source`".
pub(crate) fn at(source: io::Error, op: impl Into<Cow<'static, str>>, path: &Path) -> io::Error {
    io::Error::new(
        source.kind(),
        PathError {
            op: op.into(),
            path: path.to_owned(),
            source,
        },
    )
}

/// The error of setting `mode` on `path`, made only when there is one (a
/// message built up front would cost an allocation per file written).
pub(crate) fn setting_mode(mode: u32, path: &Path) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| at(e, format!("set mode 0o{mode:03o} on"), path)
}

/// [`at`] for results.
pub(crate) trait IoResultExt<T> {
    fn at(self, op: impl Into<Cow<'static, str>>, path: &Path) -> io::Result<T>;
}

impl<T> IoResultExt<T> for io::Result<T> {
    fn at(self, op: impl Into<Cow<'static, str>>, path: &Path) -> io::Result<T> {
        self.map_err(|e| at(e, op, path))
    }
}

/// Reports an error that a destructor cannot return: losing it would hide
/// files left behind, and panicking in `drop` could abort a failing test.
/// Straight to the process's stderr, past the test harness's capture
/// (which `eprintln!` goes into): a passing test's captured output is
/// thrown away, and this must be seen.
pub(crate) fn report_from_drop(error: &io::Error) {
    let _ = writeln!(io::stderr(), "fixtree: {error}");
}
