//! Where update mode, review mode and `cargo fixtree accept` may write a
//! snapshot folder: one rule, [`check_place`], for all three, since a
//! pending folder's marker (which names the folder) may come from anyone.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::{IoResultExt, io_error};
use crate::locate::SnapshotKind;

/// Whether `written`, a snapshot folder as an assertion writes it (relative
/// to the crate's directory), names a place fixtree may replace: a key by
/// the key rules (relative, `/`-separated, no empty, `.` or `..` segment, so
/// never the crate's directory or an ancestor), not in `.git/` or `target/`,
/// and not `src` itself. `Err` says which rule it breaks and what to write.
///
/// ```
/// use fixtree_runtime::cli::review::check_written;
///
/// assert!(check_written("tests/snapshots/converted").is_ok());
/// assert!(check_written("tests/golden/crate-with-cargo-toml").is_ok());
/// for bad in ["", "/etc", "..", "tests/../..", "a//b", ".git", ".git/hooks", "target/x", "src", "a\\b"] {
///     assert!(check_written(bad).is_err(), "{bad}");
/// }
/// ```
pub fn check_written(written: &str) -> Result<(), String> {
    // The key rules keep it relative and below the crate on every platform.
    let segments = fixtree_rules::segments(written)
        .map_err(|e| format!("snapshot folder {written:?} is refused: {e}"))?;
    let why = match segments.as_slice() {
        [".git" | "target", ..] => "it is in .git/ or target/, which belong to git and cargo",
        ["src"] => "it is the crate's src/ folder",
        _ => return Ok(()),
    };
    Err(format!(
        "snapshot folder {written:?} is refused: {why}; name a folder of its own below the \
         crate's directory, e.g. from = \"tests/snapshots/name\""
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
/// fixtree_runtime::cli::review::check_place(&folder, "tests/snap")?;
/// assert!(fixtree_runtime::cli::review::check_place(&root.path().join("src"), "src").is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn check_place(folder: &Path, written: &str) -> io::Result<()> {
    check_written(written)
        .map_err(|why| io_error!(InvalidInput, "refusing {}: {why}", folder.display()))?;
    // Nor may it, or a directory on the way there, be a link.
    let depth = written.split('/').count();
    let on_the_way: Vec<&Path> = folder.ancestors().take(depth).collect();
    for step in on_the_way.into_iter().rev() {
        let meta = match fs::symlink_metadata(step) {
            // A new snapshot: nothing there to be a link.
            Err(e) if step == folder && e.kind() == io::ErrorKind::NotFound => return Ok(()),
            meta => meta.at("inspect snapshot folder", step)?,
        };
        if meta.file_type().is_symlink() {
            return Err(io_error!(
                InvalidInput,
                "refusing to update {}: {} is a symbolic link; point `from` at the {} itself",
                folder.display(),
                step.display(),
                match SnapshotKind::of(written) {
                    SnapshotKind::Folder => "folder",
                    SnapshotKind::Txtar => "file",
                }
            ));
        }
    }
    Ok(())
}
