//! Update mode: `FIXTREE_UPDATE=1` rewrites a snapshot folder to match the
//! directory instead of failing. It applies the comparison's own diff, so
//! only what differs is touched: a file whose line endings alone differ,
//! where those do not count, keeps its own (git on Windows wrote them), and
//! a changed one gets the test's bytes. Ignored entries in the folder stay;
//! a directory emptied or added empty gets a `.keep` marker so git keeps it.
//! A folder that does not exist yet is created (its parent must exist).
//! In a subset comparison (`..`) nothing is unexpected, so an existing
//! folder gains no file: what it holds is rewritten or removed, and a file
//! the test made a directory becomes an empty one. (A folder made now is
//! compared whole: the caller clears `subset` for it.)

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::compare::compare;
use super::diff::{DiffKind, Difference, Options};
use super::ignore::Ignore;
use super::pending::remove_stale;
use super::{ExpectedTree, LineEndings};
use crate::error::{IoResultExt, setting_mode};
use crate::locate::SnapshotKind;
use crate::sys;
use crate::tree::{DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, EXEC_MODE};
use crate::walk::{DepthFirst, Entry, EntryType, Event, KEEP_MARKER as KEEP, Walk, join};

/// What an update changed, by path.
#[derive(Default)]
pub(crate) struct Changes {
    /// Whether the folder or file itself was made.
    pub(super) created: bool,
    pub(super) added: Vec<String>,
    pub(super) changed: Vec<String>,
    pub(super) removed: Vec<String>,
}

impl Changes {
    /// "updated snapshot folder tests/snap: added a; changed b; removed c",
    /// or "… is up to date"; "txtar file" for a txtar file.
    pub(crate) fn report(&self, written: &str) -> String {
        let parts: Vec<String> = [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ]
        .iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(what, paths)| format!("{what} {}", paths.join(", ")))
        .collect();
        let what = SnapshotKind::of(written).noun();
        match (parts.is_empty(), self.created) {
            (true, false) => format!("fixtree: {what} {written} is up to date"),
            (true, true) => format!("fixtree: created {what} {written}, empty"),
            (false, created) => {
                let done = if created { "created" } else { "updated" };
                format!("fixtree: {done} {what} {written}: {}", parts.join("; "))
            }
        }
    }

    /// Notes `difference` as the change that applying it makes.
    pub(super) fn record(&mut self, difference: &Difference) {
        let paths = match difference.kind {
            DiffKind::Missing => &mut self.removed,
            DiffKind::Unexpected => &mut self.added,
            _ => &mut self.changed,
        };
        paths.push(difference.path.clone());
    }
}

/// What differs between `actual` and the snapshot `expected`, as the
/// assertion compares them; a directory that cannot be read is the error.
pub(super) fn differences(
    actual: &Path,
    expected: &ExpectedTree,
    options: &Options,
) -> io::Result<Vec<Difference>> {
    let Err(diff) = compare(actual, expected, options) else {
        return Ok(Vec::new());
    };
    let diff = *diff.inner;
    diff.error.map_or(Ok(diff.differences), Err)
}

/// Makes `folder` hold what `actual` holds, ignored entries aside, line
/// endings compared as `line_endings` says. `folder` is `written` (its
/// `/`-separated segments) under the crate's manifest directory.
pub(crate) fn update_snapshot(
    actual: &Path,
    folder: &Path,
    written: &str,
    options: &Options,
    line_endings: LineEndings,
) -> io::Result<Changes> {
    // Whatever it holds (a golden fixture may be a crate): the place decides.
    super::place::check_place(folder, written)?;
    let mut changes = Changes::default();
    if fs::symlink_metadata(folder).is_err() {
        fs::create_dir(folder).at("create snapshot folder", folder)?;
        changes.created = true;
    }
    let expected = ExpectedTree::from_snapshot(folder)?.line_endings(line_endings);
    let differences = differences(actual, &expected, options)?;
    let mut update = Update {
        folder: Walk::new(folder)?,
        actual: Walk::new(actual)?,
        at: Vec::new(),
        ignore: &options.ignore,
        subset: options.subset,
        changes,
    };
    for difference in &differences {
        let segments: Vec<&str> = difference.path.split('/').collect();
        let (name, parent) = segments.split_last().expect("a path has a name");
        update.go(parent)?;
        // What is there goes; for an unexpected entry, only a lone `.keep`
        // (which the comparison does not see) can be.
        remove_stale(&update.folder.path().join(name))?;
        if difference.kind != DiffKind::Missing {
            update.add(name, &difference.path)?;
        }
        update.changes.record(difference);
    }
    update.go(&[])?;
    update.mark()?;
    Ok(update.changes)
}

/// Two walks in step, in a directory of the folder and the one of the test
/// it follows: only where the diff leads.
struct Update<'a> {
    folder: Walk,
    actual: Walk,
    /// The names of the directory both walks are in, from the root.
    at: Vec<String>,
    ignore: &'a Ignore,
    /// Whether only what the folder holds is compared, and so kept.
    subset: bool,
    changes: Changes,
}

impl Update<'_> {
    /// Moves both walks to the directory `to`, the `.keep` rule applied to
    /// each they leave: the diff touched what is in it.
    fn go(&mut self, to: &[&str]) -> io::Result<()> {
        let common = self.at.iter().zip(to).take_while(|(a, b)| a == *b).count();
        while self.at.len() > common {
            self.mark()?;
            self.folder.leave()?;
            self.actual.leave()?;
            self.at.pop();
        }
        for name in &to[common..] {
            self.folder.enter(name)?;
            self.actual.enter(name)?;
            self.at.push((*name).to_owned());
        }
        Ok(())
    }

    /// The `.keep` rule for the directory both walks are in, noting the
    /// change: a marker if it is empty now; none beside other entries,
    /// unless the test's directory holds one there too.
    fn mark(&mut self) -> io::Result<()> {
        let path = join(&self.at.join("/"), KEEP);
        let Some(names) = keep_if_empty(&self.folder)? else {
            self.changes.added.push(path);
            return Ok(());
        };
        if names.len() > 1
            && names.iter().any(|name| name == KEEP)
            && !self.ignore.covers(&path)
            && self.actual.dir().entry_type(KEEP.as_ref()).is_err()
        {
            let marker = self.folder.path().join(KEEP);
            self.folder.dir().remove_file(KEEP).at("remove", &marker)?;
            self.changes.removed.push(path);
        }
        Ok(())
    }

    /// Copies `name` of the test's directory, at `path`, into the folder;
    /// a directory with everything below it but what is ignored (nothing
    /// in a subset comparison), its own changes not noted.
    fn add(&mut self, name: &str, path: &str) -> io::Result<()> {
        let (utf8, found) = match self.actual.dir().entry_type(name.as_ref()) {
            Ok(found) => (true, found),
            // Listed by the comparison, not there by that name: it is not UTF-8.
            Err(e) if e.kind() == io::ErrorKind::NotFound => (false, EntryType::Dir),
            Err(e) => return Err(e).at("read", &self.actual.path().join(name)),
        };
        let entry = Entry {
            name: name.to_owned(),
            utf8,
            found,
        };
        put(&self.folder, &self.actual, &entry)?;
        if !matches!(entry.found, EntryType::Dir) {
            return Ok(());
        }
        self.folder.enter(name)?;
        if self.subset {
            keep_if_empty(&self.folder)?;
            return self.folder.leave();
        }
        self.actual.enter(name)?;
        let mut below = DepthFirst::new(&mut self.actual, path, self.ignore)?;
        while let Some(event) = below.next()? {
            match event {
                Event::Enter(entry) => {
                    put(&self.folder, below.walk(), &entry)?;
                    self.folder.enter(&entry.name)?;
                }
                Event::Leaf(entry) => put(&self.folder, below.walk(), &entry)?,
                Event::Leave => {
                    keep_if_empty(&self.folder)?;
                    self.folder.leave()?;
                }
            }
        }
        keep_if_empty(&self.folder)?;
        self.folder.leave()?;
        self.actual.leave()
    }
}

/// Writes `entry` of the directory `actual` is in into the one `folder` is
/// in, as a snapshot folder keeps it: a file streamed, executable or not; a
/// link as it is, never followed; a directory empty.
fn put(folder: &Walk, actual: &Walk, entry: &Entry) -> io::Result<()> {
    actual.utf8(entry)?;
    let (dir, name) = (folder.dir(), entry.name.as_str());
    let target = folder.path().join(name);
    match &entry.found {
        EntryType::File { mode, .. } => {
            let (mut source, _) = actual.open_file(entry)?;
            let exec = mode & 0o111 != 0;
            let mode = if exec { EXEC_MODE } else { DEFAULT_FILE_MODE };
            create_file(folder, name, mode, &mut source)
        }
        EntryType::Symlink(link) => dir.symlink(link, name).at("create symlink", &target),
        EntryType::Dir => dir
            .create_dir(name, DEFAULT_DIR_MODE)
            .at("create directory", &target)?
            .finish_mode(DEFAULT_DIR_MODE)
            .map_err(setting_mode(DEFAULT_DIR_MODE, &target)),
    }
}

/// Writes a `.keep` marker into the directory `folder` is in if it is
/// empty (ignored entries count), so that git keeps it: `None` if it did,
/// else the names the directory holds.
fn keep_if_empty(folder: &Walk) -> io::Result<Option<Vec<OsString>>> {
    let names = folder.dir().names().at("read", folder.path())?;
    if names.is_empty() {
        create_file(folder, KEEP, DEFAULT_FILE_MODE, &mut io::empty())?;
        return Ok(None);
    }
    Ok(Some(names))
}

/// Creates the file `name` in the directory `folder` is in, never through a
/// link, filled from `source`, with `mode` once filled.
fn create_file(folder: &Walk, name: &str, mode: u32, source: &mut dyn Read) -> io::Result<()> {
    let target = folder.path().join(name);
    let mut file = folder
        .dir()
        .create_file(name, mode)
        .at("create file", &target)?;
    io::copy(source, &mut file).at("copy into", &target)?;
    sys::set_file_mode(&file, mode).map_err(setting_mode(mode, &target))
}
