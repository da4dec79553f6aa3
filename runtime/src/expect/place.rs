//! Where update mode, review mode and `cargo fixtree accept` may write a
//! snapshot folder: one rule, [`check_place`], for all three, since a
//! pending folder's marker (which names the folder) may come from anyone.

use std::io;
use std::path::Path;

use super::update::refuse_links;

/// Whether `written`, a snapshot folder as an assertion writes it (relative
/// to the crate's directory), names a place fixtree may replace: relative,
/// `/`-separated, at least one segment, none empty, `.` or `..` (so never
/// the crate's directory or an ancestor), not in `.git/` or `target/`, and
/// not `src` itself. `Err` says which rule it breaks and what to write.
///
/// ```
/// use fixtree::__private::review::check_written;
///
/// assert!(check_written("tests/snapshots/converted").is_ok());
/// assert!(check_written("tests/golden/crate-with-cargo-toml").is_ok());
/// for bad in ["", "/etc", "..", "tests/../..", "a//b", ".git", ".git/hooks", "target/x", "src", "a\\b"] {
///     assert!(check_written(bad).is_err(), "{bad}");
/// }
/// ```
pub fn check_written(written: &str) -> Result<(), String> {
    const FIX: &str = "name a folder of its own below the crate's directory, e.g. \
                       from = \"tests/snapshots/name\"";
    let why = if written.is_empty() || written.starts_with('/') || written.contains('\\') {
        "it is not a relative, `/`-separated path"
    } else if written.split('/').any(|s| matches!(s, "" | "." | "..")) {
        "it has an empty, `.` or `..` segment, so it could name the crate's directory, an \
         ancestor of it or a place outside it"
    } else if matches!(written.split('/').next(), Some(".git" | "target")) {
        "it is in .git/ or target/, which belong to git and cargo"
    } else if written == "src" {
        "it is the crate's src/ folder"
    } else {
        return Ok(());
    };
    Err(format!(
        "snapshot folder {written:?} is refused: {why}; {FIX}"
    ))
}

/// [`check_written`], then that `folder` (which is `written` below the
/// crate's directory) is not reached through a symbolic link below the
/// crate's directory: its target could be anywhere. The folder may be
/// missing, to be created.
///
/// ```
/// let root = fixtree::tempdir()?;
/// std::fs::create_dir(root.path().join("tests"))?;
/// let folder = root.path().join("tests/snap");
/// fixtree::__private::review::check_place(&folder, "tests/snap")?;
/// assert!(fixtree::__private::review::check_place(&root.path().join("src"), "src").is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn check_place(folder: &Path, written: &str) -> io::Result<()> {
    check_written(written).map_err(|why| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing {}: {why}", folder.display()),
        )
    })?;
    refuse_links(folder, written)
}
