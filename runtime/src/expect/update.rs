//! Update mode: `FIXTREE_UPDATE=1` rewrites a snapshot folder to match the
//! directory instead of failing. Only what differs is touched, as the
//! comparison sees it: a file whose line endings alone differ, where those
//! do not count, keeps its own (git on Windows wrote them), and a changed one
//! gets the test's bytes. Ignored entries in the folder stay; empty
//! directories get a `.keep` marker so git keeps them. A folder that does
//! not exist yet is created (its parent must exist).

use std::fs;
use std::io;
use std::path::Path;
use std::rc::Rc;

use super::LineEndings;
use super::contents::{Source, first_difference};
use super::diff::Options;
use crate::error::{IoResultExt, setting_mode};
use crate::locate::SnapshotKind;
use crate::sys::{self, remove_all};
use crate::tree::{DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, EXEC_MODE};
use crate::walk::{Entry, EntryType, KEEP_MARKER as KEEP, Walk, join, list, side_by_side};

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
        let done = if self.created { "created" } else { "updated" };
        if parts.is_empty() && !self.created {
            format!("fixtree: {what} {written} is up to date")
        } else if parts.is_empty() {
            format!("fixtree: created {what} {written}, empty")
        } else {
            format!("fixtree: {done} {what} {written}: {}", parts.join("; "))
        }
    }
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
    let mut sides = Sides {
        folder: Walk::new(folder)?,
        actual: Walk::new(actual)?,
    };
    let mut stack = Vec::new();
    let root = Level {
        prefix: String::new(),
        record: true,
    };
    push_level(&mut stack, &sides, root, options)?;
    while let Some(work) = stack.pop() {
        match work {
            Work::Pair(pair) => sync(
                *pair,
                &mut sides,
                &mut stack,
                options,
                line_endings,
                &mut changes,
            )?,
            Work::Finish(level, wanted) => {
                mark_if_empty(&sides.folder, &level, wanted, options, &mut changes)?;
                // The root, the only level without a path, was never entered.
                if !level.prefix.is_empty() {
                    sides.leave()?;
                }
            }
        }
    }
    Ok(changes)
}

/// The two walks, in step: in the folder, and in the test's directory it follows.
struct Sides {
    folder: Walk,
    actual: Walk,
}

impl Sides {
    fn enter(&mut self, name: &str) -> io::Result<()> {
        self.folder.enter(name)?;
        self.actual.enter(name)
    }

    fn leave(&mut self) -> io::Result<()> {
        self.folder.leave()?;
        self.actual.leave()
    }
}

/// A directory of the folder and the directory of the test it follows, as
/// the walks are in them.
struct Level {
    prefix: String,
    /// Whether changes here are reported: not inside a directory just added.
    record: bool,
}

/// What the walk does next, from a stack: a name of a level, or, once the
/// level's names are done, its `.keep` marker (and whether the test's
/// directory holds a `.keep` of its own there).
enum Work {
    Pair(Box<Pending>),
    Finish(Rc<Level>, bool),
}

/// One name of a level, with what the folder and the test's directory hold.
struct Pending {
    level: Rc<Level>,
    name: String,
    path: String,
    in_folder: Option<Entry>,
    wanted: Option<Entry>,
}

/// Lists both sides of `level`, which the walks are in, and stacks its names
/// in reverse, above the step that finishes it: the walk goes depth first,
/// in name order.
fn push_level(
    stack: &mut Vec<Work>,
    sides: &Sides,
    level: Level,
    options: &Options,
) -> io::Result<()> {
    let mut ignored = 0;
    // Names that are not UTF-8 cannot be written into a folder that specs name.
    let mut current = sides.folder.utf8_only(list(
        &sides.folder,
        &level.prefix,
        &options.ignore,
        &mut ignored,
    )?)?;
    // A lone `.keep` is the marker of an empty directory, not an entry.
    if ignored == 0 && current.len() == 1 && current[0].name == KEEP {
        current.clear();
    }
    let desired = sides.actual.utf8_only(list(
        &sides.actual,
        &level.prefix,
        &options.ignore,
        &mut ignored,
    )?)?;
    let level = Rc::new(level);
    let wanted_keep = desired.iter().any(|entry| entry.name == KEEP);
    stack.push(Work::Finish(Rc::clone(&level), wanted_keep));
    // The folder is the expectation the walk compares the directory with.
    let pairs: Vec<Work> = side_by_side(
        &level.prefix,
        current.iter().map(|entry| (entry.name.as_str(), entry)),
        desired.iter().map(|entry| (entry.name.as_str(), entry)),
        &options.ignore,
    )
    .map(|pair| {
        Work::Pair(Box::new(Pending {
            level: Rc::clone(&level),
            name: pair.name.to_owned(),
            path: pair.path,
            in_folder: pair.expected.cloned(),
            wanted: pair.actual.cloned(),
        }))
    })
    .collect();
    stack.extend(pairs.into_iter().rev());
    Ok(())
}

/// Brings one name of the folder in line with the test's directory.
fn sync(
    pair: Pending,
    sides: &mut Sides,
    stack: &mut Vec<Work>,
    options: &Options,
    line_endings: LineEndings,
    changes: &mut Changes,
) -> io::Result<()> {
    let Pending {
        level,
        name,
        path,
        in_folder,
        wanted,
    } = pair;
    let target = sides.folder.path().join(&name);
    let record = |list: &mut Vec<String>| {
        if level.record {
            list.push(path.clone());
        }
    };
    match (in_folder, wanted) {
        (Some(_), None) => {
            remove_all(&target)?;
            record(&mut changes.removed);
        }
        (None, Some(entry)) => {
            add(sides, &level, &entry, stack, options)?;
            record(&mut changes.added);
        }
        (Some(old), Some(new))
            if matches!((&old.found, &new.found), (EntryType::Dir, EntryType::Dir)) =>
        {
            sides.enter(&name)?;
            let child = Level {
                prefix: path,
                record: level.record,
            };
            push_level(stack, sides, child, options)?;
        }
        (Some(old), Some(new)) if same_in_snapshot(sides, &old, &new, line_endings)? => {}
        (Some(_), Some(entry)) => {
            remove_all(&target)?;
            add(sides, &level, &entry, stack, options)?;
            record(&mut changes.changed);
        }
        (None, None) => unreachable!("every name comes from one side"),
    }
    Ok(())
}

/// Copies `entry` of the test's directory into the folder, under its name,
/// in the form a snapshot folder keeps: a file streamed, executable or not;
/// a directory made and then filled by the walk, its changes not reported.
fn add(
    sides: &mut Sides,
    level: &Level,
    entry: &Entry,
    stack: &mut Vec<Work>,
    options: &Options,
) -> io::Result<()> {
    let name = entry.name.as_str();
    let target = sides.folder.path().join(name);
    let dir = sides.folder.dir();
    match &entry.found {
        EntryType::File { mode, .. } => {
            let (mut source, _) = sides.actual.open_file(entry)?;
            let mode = if mode & 0o111 != 0 {
                EXEC_MODE
            } else {
                DEFAULT_FILE_MODE
            };
            let mut file = dir.create_file(name, mode).at("create file", &target)?;
            io::copy(&mut source, &mut file).at("copy into", &target)?;
            sys::finish_file_mode(&file, mode).map_err(setting_mode(mode, &target))
        }
        EntryType::Symlink(link) => dir.symlink(link, name).at("create symlink", &target),
        EntryType::Dir => {
            let created = dir
                .create_dir(name, DEFAULT_DIR_MODE)
                .at("create directory", &target)?;
            created
                .finish_mode(DEFAULT_DIR_MODE)
                .map_err(setting_mode(DEFAULT_DIR_MODE, &target))?;
            sides.enter(name)?;
            let child = Level {
                prefix: join(&level.prefix, name),
                record: false,
            };
            push_level(stack, sides, child, options)
        }
    }
}

/// Writes or removes the `.keep` marker of the level the folder's walk is
/// in: it follows what is on disk now, ignored entries included, and is
/// there exactly when the directory would otherwise be empty.
fn mark_if_empty(
    folder: &Walk,
    level: &Level,
    wanted: bool,
    options: &Options,
    changes: &mut Changes,
) -> io::Result<()> {
    let dir = folder.dir();
    let marker = folder.path().join(KEEP);
    let names = dir.names().at("read", folder.path())?;
    let has_marker = names.iter().any(|name| name == KEEP);
    let others = names.len() > usize::from(has_marker);
    let path = join(&level.prefix, KEEP);
    if !others && !has_marker {
        let file = dir
            .create_file(KEEP, DEFAULT_FILE_MODE)
            .at("write", &marker)?;
        sys::finish_file_mode(&file, DEFAULT_FILE_MODE)
            .map_err(setting_mode(DEFAULT_FILE_MODE, &marker))?;
        if level.record {
            changes.added.push(path);
        }
    } else if others && has_marker && !wanted && !options.ignore.covers(&path) {
        dir.remove_file(KEEP).at("remove", &marker)?;
        changes.removed.push(path);
    }
    Ok(())
}

/// Whether two entries are the same as far as a snapshot folder can tell:
/// git keeps a file's bytes (its line endings as `line_endings` says) and
/// whether it is executable, nothing more.
fn same_in_snapshot(
    sides: &Sides,
    old: &Entry,
    new: &Entry,
    line_endings: LineEndings,
) -> io::Result<bool> {
    Ok(match (&old.found, &new.found) {
        (
            &EntryType::File { len, mode },
            &EntryType::File {
                len: new_len,
                mode: new_mode,
            },
        ) => {
            let old_file = Source::listed(&sides.folder, old, len);
            let new_file = Source::listed(&sides.actual, new, new_len);
            (mode & 0o111 != 0) == (new_mode & 0o111 != 0)
                && first_difference(old_file, new_file, line_endings)?.is_none()
        }
        (EntryType::Symlink(old), EntryType::Symlink(new)) => old == new,
        _ => false,
    })
}
