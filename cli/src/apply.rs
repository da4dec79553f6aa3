//! What a decision does to a pending snapshot: accepting a pending folder
//! puts it in the snapshot folder's place; settling a source file's inline
//! records applies each accepted one's edits to the `{ … }` of its
//! `assert_tree!` and keeps the skipped ones in the record file (which goes
//! when empty).
//! Rejecting deletes.

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use fixtree_runtime::cli::review::{
    InlineRecord, MARKER, TXTAR_CONTENTS, TXTAR_LIMIT, read_regular, txtar_fingerprint,
};

use crate::find::{PendingFolder, PendingSource, at};
use crate::source::{Applied, Left, SOURCE_LIMIT, apply_edits, line_column, offset, spec_range};

/// What is done with a pending snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Accept,
    Reject,
}

/// An entry accepting leaves for the user, and where it is in the source
/// once the spec is rewritten.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LeftAt {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) left: Left,
}

/// What accepting `record` makes of the source `text`: the range of its
/// `{ … }`, checked to be the one the record was made against, and the
/// spec its edits make of it. `Err`: why not (it stays pending), `spot`
/// naming the record.
pub(crate) fn edited(
    text: &str,
    record: &InlineRecord,
    spot: &str,
) -> Result<(Range<usize>, Applied), String> {
    let range = match spec_range(text, record.line, record.column) {
        Ok(spec) if spec.tokens == record.tokens => spec.range,
        Ok(_) => {
            return Err(format!(
                "the assert_tree! at {spot} is not the one test {} recorded: its spec changed \
                 since; run the test again with FIXTREE_UPDATE=review",
                record.test
            ));
        }
        Err(why) => {
            return Err(format!(
                "{spot}: {why}; the source changed since the test ran: run it again with \
                 FIXTREE_UPDATE=review"
            ));
        }
    };
    let applied = apply_edits(text, &range, &record.edits)
        .map_err(|why| format!("{spot}: {why}; the record stays pending"))?;
    Ok((range, applied))
}

/// The entries of `applied`, whose spec starts at `start` of `text`, as
/// they stand there.
pub(crate) fn placed(text: &str, start: usize, applied: Applied) -> Vec<LeftAt> {
    let placed = applied.left.into_iter().map(|left| {
        let (line, column) = line_column(text, start + left.at);
        LeftAt { line, column, left }
    });
    placed.collect()
}

/// Applies `decisions` (one per record; `None`: skipped) to `pending`.
/// Returns, for each record, what was left for the user if it was
/// applied, or why not: then it stays pending. `Err`: nothing was settled
/// (the source could not be read or written), or the source was but the
/// record file could not be.
pub(crate) fn settle(
    pending: &PendingSource,
    decisions: &[Option<Decision>],
) -> Result<Vec<Result<Vec<LeftAt>, String>>, String> {
    let source = &pending.source;
    let spot =
        |record: &InlineRecord| format!("{}:{}:{}", source.display(), record.line, record.column);
    let mut records = pending.records.clone();
    let mut failed: Vec<Result<Vec<LeftAt>, String>> =
        (0..decisions.len()).map(|_| Ok(Vec::new())).collect();
    let accept = |i: &usize| decisions[*i] == Some(Decision::Accept);
    let mut rewritten = false;
    if (0..decisions.len()).any(|i| accept(&i)) {
        let text = read_regular(source, SOURCE_LIMIT).map_err(|e| e.to_string())?;
        let mut edits = Vec::new();
        for index in (0..decisions.len()).filter(accept) {
            match edited(&text, &records[index], &spot(&records[index])) {
                Ok((range, applied)) => edits.push((range, applied, index)),
                Err(why) => failed[index] = Err(why),
            }
        }
        edits.sort_by_key(|(range, ..)| range.start);
        // The cases of a parametrized test (or tests sharing a helper)
        // record one `assert_tree!` each: the same edits are applied once,
        // and different ones stay pending, since one `{ … }` cannot hold
        // them all.
        let mut specs = Vec::new();
        let mut edits = edits.into_iter().peekable();
        while let Some((range, applied, first)) = edits.next() {
            let mut group = vec![first];
            while let Some((_, _, index)) = edits.next_if(|(next, ..)| next.start == range.start) {
                group.push(index);
            }
            if group
                .iter()
                .all(|i| records[*i].edits == records[first].edits)
            {
                specs.push((range, applied, first));
                continue;
            }
            let tests: Vec<&str> = group.iter().map(|i| &*records[*i].test).collect();
            for index in &group {
                failed[*index] = Err(format!(
                    "{}: the tests {} recorded different specs for this one `assert_tree!`, and \
                     one `{{ … }}` cannot hold them all: give each case its own expected tree \
                     (e.g. a `from` folder per case), or reject these",
                    spot(&records[*index]),
                    tests.join(", ")
                ));
            }
        }
        // From the last up, so that the earlier ranges stay where they were.
        let mut new = text.clone();
        for (range, applied, _) in specs.iter().rev() {
            new.replace_range(range.clone(), &applied.spec);
        }
        // Where the byte at `old` of the text is in the new one: inside a
        // rewritten spec (a record made elsewhere), at that spec's start.
        let moved = |old: usize| {
            let inside = specs
                .iter()
                .find(|(range, ..)| range.start < old && old < range.end);
            let old = inside.map_or(old, |(range, ..)| range.start);
            let above = specs.iter().filter(|(range, ..)| range.end <= old);
            above.fold(old, |at, (range, applied, _)| {
                at - range.len() + applied.spec.len()
            })
        };
        // Each record kept for later moves past the edits above it.
        for record in &mut records {
            if let Some(old) = offset(&text, record.line, record.column) {
                (record.line, record.column) = line_column(&new, moved(old));
            }
        }
        let starts: Vec<usize> = specs.iter().map(|(range, ..)| moved(range.start)).collect();
        for ((_, applied, index), start) in specs.into_iter().zip(starts) {
            failed[index] = Ok(placed(&new, start, applied));
        }
        if new != text {
            // Replaced whole, never written through a link planted meanwhile.
            fixtree_runtime::write_atomic(source, new).map_err(|e| e.to_string())?;
            rewritten = true;
        }
    }
    // Retain visits each record once, in order.
    let mut keep = decisions.iter().zip(&failed);
    records.retain(|_| keep.next().is_some_and(|(d, f)| d.is_none() || f.is_err()));
    let file = &pending.records_file;
    let written = if records.is_empty() {
        fs::remove_file(file).map_err(|e| at("remove", file, &e))
    } else if records != pending.records {
        let text: String = records.iter().map(InlineRecord::to_text).collect();
        fixtree_runtime::write_atomic(file, text).map_err(|e| at("write", file, &e))
    } else {
        Ok(())
    };
    written.map_err(|problem| match rewritten {
        true => format!(
            "{} was rewritten, but {problem}; take the records just accepted or rejected out \
             of it by hand",
            source.display()
        ),
        false => problem,
    })?;
    Ok(failed)
}

/// Puts the pending folder in the snapshot folder's place, without its
/// marker; `Ok(Some(note))` when that was done but something was left
/// behind. The old snapshot folder is moved aside first and removed last,
/// so a step that fails puts it back and loses nothing. A snapshot folder
/// that is a symbolic link is refused, as update mode refuses it: its
/// target could be anywhere.
pub(crate) fn accept(pending: &PendingFolder, root: &Path) -> Result<Option<String>, String> {
    accept_with(pending, root, &|from, to| fs::rename(from, to))
}

/// [`accept`], moving folders with `rename` (a test makes it fail).
fn accept_with(
    pending: &PendingFolder,
    root: &Path,
    rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
) -> Result<Option<String>, String> {
    let (folder, from) = (&pending.folder, &pending.pending);
    check_place(pending, root)?;
    if let Some(was) = pending
        .marker
        .as_ref()
        .ok()
        .and_then(|m| m.txtar.as_deref())
    {
        return accept_txtar(pending, was);
    }
    let mv = |from: &Path, to: &Path| {
        let (shown_from, shown_to) = (from.display(), to.display());
        rename(from, to).map_err(|e| format!("cannot move {shown_from} to {shown_to}: {e}"))
    };
    let shown = folder.display();
    let refuse = |why: &str| Err(format!("refusing to replace {shown}: {why}"));
    let old = match fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return refuse("it is a symbolic link; point `from` at the folder itself");
        }
        Ok(meta) if meta.is_dir() => Some(aside(folder)),
        Ok(_) => return refuse("it is a file, not a snapshot folder"),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(at("inspect", folder, &e)),
    };
    old.as_deref().map_or(Ok(()), |old| mv(folder, old))?;
    // Into place without the marker; each step that fails is undone.
    let marker = folder.join(MARKER);
    let placed = mv(from, folder).and_then(|()| {
        let Err(e) = fs::remove_file(&marker) else {
            return Ok(());
        };
        let problem = at("remove", &marker, &e);
        Err(match mv(folder, from) {
            Ok(()) => problem,
            Err(e) => format!("{problem}; and {e}"),
        })
    });
    if let Err(problem) = placed {
        if let Err(e) = old.as_deref().map_or(Ok(()), |old| mv(old, folder)) {
            return Err(format!(
                "{problem}; the old snapshot folder stays aside: {e}"
            ));
        }
        return Err(problem);
    }
    // std's removal does not follow symbolic links inside.
    Ok(old.and_then(|old| {
        let e = fs::remove_dir_all(&old).err()?;
        let problem = at("remove the old snapshot folder", &old, &e);
        Some(format!("accepted {shown}, but {problem}; delete it"))
    }))
}

/// Writes the pending txtar file over the txtar file, if that is still as
/// it was when the test recorded it (`was`, its fingerprint), then removes
/// the pending folder. Written as a new file renamed into place, so that a
/// link put there since is replaced, never written through; each file is
/// read only as a regular file, up to a bound.
fn accept_txtar(pending: &PendingFolder, was: &str) -> Result<Option<String>, String> {
    let (file, from) = (&pending.folder, &pending.pending);
    let shown = file.display();
    let text = read_regular(&from.join(TXTAR_CONTENTS), TXTAR_LIMIT).map_err(|e| e.to_string())?;
    // A record is anyone's: what no test could read back never replaces a good file.
    if let Err(e) = fixtree_runtime::Tree::from_txtar(&text) {
        return Err(format!(
            "refusing to replace {shown} with {}: it is not txtar a test can read ({e}); \
             reject this record and run the test again with FIXTREE_UPDATE=review",
            from.join(TXTAR_CONTENTS).display()
        ));
    }
    let now = txtar_fingerprint(file).map_err(|e| format!("refusing to replace {shown}: {e}"))?;
    if now != was {
        return Err(format!(
            "refusing to replace {shown}: it changed since the test recorded {}; run the test \
             again with FIXTREE_UPDATE=review, or reject this record",
            from.display()
        ));
    }
    fixtree_runtime::write_atomic(file, text).map_err(|e| at("write", file, &e))?;
    Ok(fs::remove_dir_all(from).err().map(|e| {
        let problem = at("remove", from, &e);
        format!("accepted {shown}, but {problem}; delete it")
    }))
}

/// Refuses a snapshot folder that is not the pending folder's sibling, or
/// that holds the root: replacing it would remove what review was run on.
fn check_place(pending: &PendingFolder, root: &Path) -> Result<(), String> {
    let folder = &pending.folder;
    if folder.file_name().is_none()
        || folder.parent() != pending.pending.parent()
        || root.starts_with(folder)
    {
        return Err(format!(
            "refusing to replace {} with {}: a snapshot folder is the pending folder's sibling, \
             inside {}; remove or rename the pending folder",
            folder.display(),
            pending.pending.display(),
            root.display()
        ));
    }
    Ok(())
}

/// A free sibling name for the old snapshot folder: `<folder>.fixtree-old.<n>`.
fn aside(folder: &Path) -> PathBuf {
    let name = |n: u32| {
        let mut name = folder.file_name().unwrap_or_default().to_owned();
        name.push(format!(".fixtree-old.{n}"));
        folder.with_file_name(name)
    };
    // A name that cannot be inspected is tried: the move says why it fails.
    let n = (0..u32::MAX).find(|n| fs::symlink_metadata(name(*n)).is_err());
    name(n.unwrap_or(u32::MAX))
}

/// Deletes the pending folder.
pub(crate) fn reject(pending: &PendingFolder) -> Result<(), String> {
    fs::remove_dir_all(&pending.pending).map_err(|e| at("remove", &pending.pending, &e))
}

#[cfg(test)]
mod tests {
    use fixtree_runtime::cli::review::Marker;

    use super::*;

    /// A snapshot folder `snap` with an old file, and `snap.pending` with a
    /// new one and the marker.
    fn setup(root: &Path) -> PendingFolder {
        let folder = root.join("snap");
        let pending = root.join("snap.pending");
        fs::create_dir_all(&folder).unwrap();
        fs::create_dir_all(&pending).unwrap();
        fs::write(folder.join("a.txt"), "old\n").unwrap();
        fs::write(pending.join("a.txt"), "new\n").unwrap();
        let marker = Marker {
            txtar: None,
            test: "t".to_owned(),
            folder: "snap".to_owned(),
        };
        fs::write(pending.join(MARKER), marker.to_text()).unwrap();
        PendingFolder {
            folder,
            pending,
            marker: Ok(marker),
        }
    }

    #[test]
    fn a_failed_move_into_place_puts_the_old_snapshot_back() {
        let dir = fixtree::tempdir().unwrap();
        let pending = setup(dir.path());
        let failing = |from: &Path, to: &Path| {
            if from == pending.pending {
                Err(io::Error::other("disk on fire"))
            } else {
                fs::rename(from, to)
            }
        };
        let problem = accept_with(&pending, dir.path(), &failing).unwrap_err();
        assert!(
            problem.contains("cannot move") && problem.contains("disk on fire"),
            "{problem}"
        );
        assert_eq!(
            fs::read_to_string(pending.folder.join("a.txt")).unwrap(),
            "old\n"
        );
        assert!(pending.pending.join(MARKER).is_file());
        fixtree::assert_tree!(dir.path(), {
            "snap" => { "a.txt" => "old\n" },
            "snap.pending" => { "a.txt" => "new\n", ".fixtree-pending" => any() },
        });
    }

    #[test]
    fn a_marker_that_cannot_be_removed_leaves_both_folders_as_they_were() {
        let dir = fixtree::tempdir().unwrap();
        let pending = setup(dir.path());
        // A directory where the marker file should be: removing it fails.
        let marker = pending.pending.join(MARKER);
        fs::remove_file(&marker).unwrap();
        fs::create_dir(&marker).unwrap();
        let problem = accept(&pending, dir.path()).unwrap_err();
        assert!(problem.contains("cannot remove"), "{problem}");
        assert_eq!(
            fs::read_to_string(pending.folder.join("a.txt")).unwrap(),
            "old\n"
        );
        fixtree::assert_tree!(dir.path(), {
            "snap" => { "a.txt" => "old\n" },
            "snap.pending" => { "a.txt" => "new\n", ".fixtree-pending" => {} },
        });
    }

    #[test]
    fn accepting_replaces_the_folder_and_leaves_nothing_aside() {
        let dir = fixtree::tempdir().unwrap();
        let pending = setup(dir.path());
        // A leftover of an earlier run keeps its name.
        fs::create_dir(dir.path().join("snap.fixtree-old.0")).unwrap();
        assert_eq!(accept(&pending, dir.path()).unwrap(), None);
        fixtree::assert_tree!(dir.path(), {
            "snap" => { "a.txt" => "new\n" },
            "snap.fixtree-old.0" => {},
        });
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_sibling_or_holds_the_root() {
        let dir = fixtree::tempdir().unwrap();
        let root = dir.path().join("project");
        let mut pending = setup(&root);
        pending.folder = root.clone();
        let problem = accept(&pending, &root).unwrap_err();
        assert!(
            problem.contains(&format!("refusing to replace {}", root.display())),
            "{problem}"
        );
        pending.folder = root.join("snap.pending/..");
        assert!(accept(&pending, &root).is_err());
        fixtree::assert_tree!(&root, { "snap" => { .. }, "snap.pending" => { .. } });
    }
}
