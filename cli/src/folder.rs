//! Accepting or rejecting a pending snapshot folder.

use std::fs;
use std::io;

use fixtree_runtime::__private::review::MARKER;

use crate::find::{PendingFolder, at};

/// Puts the pending folder in the snapshot folder's place, without its
/// marker. A snapshot folder that is a symbolic link is refused, as update
/// mode refuses it: its target could be anywhere.
pub(crate) fn accept(pending: &PendingFolder) -> Result<(), String> {
    let folder = &pending.folder;
    match fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(format!(
                "refusing to replace {}: it is a symbolic link; point `from` at the folder itself",
                folder.display()
            ));
        }
        Ok(meta) if meta.is_dir() => {
            // std's removal does not follow symbolic links inside.
            fs::remove_dir_all(folder).map_err(|e| at("remove", folder, &e))?;
        }
        Ok(_) => {
            return Err(format!(
                "refusing to replace {}: it is a file, not a snapshot folder",
                folder.display()
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(at("inspect", folder, &e)),
    }
    let marker = pending.pending.join(MARKER);
    fs::remove_file(&marker).map_err(|e| at("remove", &marker, &e))?;
    fs::rename(&pending.pending, folder).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            pending.pending.display(),
            folder.display()
        )
    })
}

/// Deletes the pending folder.
pub(crate) fn reject(pending: &PendingFolder) -> Result<(), String> {
    fs::remove_dir_all(&pending.pending).map_err(|e| at("remove", &pending.pending, &e))
}
