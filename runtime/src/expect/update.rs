//! Update mode: `FIXTREE_UPDATE=1` rewrites a snapshot folder to match the
//! directory instead of failing. Only what differs is touched, as the
//! comparison sees it: a file whose line endings alone differ, where those
//! do not count, keeps its own (git on Windows wrote them), and a changed one
//! gets the test's bytes. Ignored entries in the folder stay; empty
//! directories get a `.keep` marker so git keeps them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::LineEndings;
use super::compare::Options;
use super::contents::{Source, first_difference};
use super::listing::{Entry, Kind, list, open_file};
use super::walk::{join, side_by_side};
use crate::error::IoResultExt;
use crate::sys::{self, Dir, remove_all};
use crate::tree::{DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, EXEC_MODE, KEEP_MARKER as KEEP};

/// What an update changed, by path.
#[derive(Default)]
pub(crate) struct Changes {
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
}

impl Changes {
    /// "updated tests/snap: added a; changed b; removed c", or "… is up to date".
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
        if parts.is_empty() {
            format!("fixtree: snapshot folder {written} is up to date")
        } else {
            format!(
                "fixtree: updated snapshot folder {written}: {}",
                parts.join("; ")
            )
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
    refuse_unlikely_folder(folder, written)?;
    let mut changes = Changes::default();
    let mut stack = Vec::new();
    let root = Level {
        folder: folder.to_owned(),
        actual: actual.to_owned(),
        prefix: String::new(),
        record: true,
    };
    push_level(&mut stack, root, options)?;
    while let Some(work) = stack.pop() {
        match work {
            Work::Pair(pair) => sync(*pair, &mut stack, options, line_endings, &mut changes)?,
            Work::Finish(level, wanted) => mark_if_empty(&level, wanted, options, &mut changes)?,
        }
    }
    Ok(changes)
}

/// A directory of the folder and the directory of the test it follows.
struct Level {
    folder: PathBuf,
    actual: PathBuf,
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

/// Lists both sides of `level` and stacks its names in reverse, above the
/// step that finishes it: the walk goes depth first, in name order.
fn push_level(stack: &mut Vec<Work>, level: Level, options: &Options) -> io::Result<()> {
    let mut ignored = 0;
    let mut current = list(&level.folder, &level.prefix, &options.ignore, &mut ignored)?;
    // A lone `.keep` is the marker of an empty directory, not an entry.
    if ignored == 0 && current.len() == 1 && current[0].name == KEEP {
        current.clear();
    }
    let desired = list(&level.actual, &level.prefix, &options.ignore, &mut ignored)?;
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
    let target = level.folder.join(&name);
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
            add(&level, &name, &entry, stack, options)?;
            record(&mut changes.added);
        }
        (Some(old), Some(new)) if matches!((&old.kind, &new.kind), (Kind::Dir, Kind::Dir)) => {
            let child = Level {
                folder: target,
                actual: new.path,
                prefix: path,
                record: level.record,
            };
            push_level(stack, child, options)?;
        }
        (Some(old), Some(new)) if same_in_snapshot(&old, &new, line_endings)? => {}
        (Some(_), Some(entry)) => {
            remove_all(&target)?;
            add(&level, &name, &entry, stack, options)?;
            record(&mut changes.changed);
        }
        (None, None) => unreachable!("every name comes from one side"),
    }
    Ok(())
}

/// Copies `entry` of the test's directory into the folder as `name`, in
/// the form a snapshot folder keeps: a file streamed, executable or not; a
/// directory made and then filled by the walk, its changes not reported.
fn add(
    level: &Level,
    name: &str,
    entry: &Entry,
    stack: &mut Vec<Work>,
    options: &Options,
) -> io::Result<()> {
    let folder = &level.folder;
    let target = folder.join(name);
    let dir = Dir::open(folder).at("open directory", folder)?;
    match &entry.kind {
        Kind::File { mode, .. } => {
            let (mut source, _) = open_file(&entry.path)?;
            let mut file = dir.create_file(name).at("create file", &target)?;
            io::copy(&mut source, &mut file).at("copy into", &target)?;
            let mode = if mode & 0o111 != 0 {
                EXEC_MODE
            } else {
                DEFAULT_FILE_MODE
            };
            sys::set_file_mode(&file, mode).at(format!("set mode {mode:o} on"), &target)
        }
        Kind::Symlink(link) => dir.symlink(link, name).at("create symlink", &target),
        Kind::Dir => {
            let created = dir.create_dir(name).at("create directory", &target)?;
            created
                .set_mode(DEFAULT_DIR_MODE)
                .at(format!("set mode {DEFAULT_DIR_MODE:o} on"), &target)?;
            let child = Level {
                folder: target,
                actual: entry.path.clone(),
                prefix: join(&level.prefix, name),
                record: false,
            };
            push_level(stack, child, options)
        }
    }
}

/// Writes or removes the level's `.keep` marker: it follows what is on disk
/// now, ignored entries included, and is there exactly when the directory
/// would otherwise be empty.
fn mark_if_empty(
    level: &Level,
    wanted: bool,
    options: &Options,
    changes: &mut Changes,
) -> io::Result<()> {
    let dir = &level.folder;
    let marker = dir.join(KEEP);
    let others = fs::read_dir(dir)
        .at("read", dir)?
        .filter_map(Result::ok)
        .any(|entry| entry.file_name() != KEEP);
    let has_marker = marker.symlink_metadata().is_ok();
    let path = join(&level.prefix, KEEP);
    if !others && !has_marker {
        fs::write(&marker, "").at("write", &marker)?;
        if level.record {
            changes.added.push(path);
        }
    } else if others && has_marker && !wanted && !options.ignore.covers(&path) {
        fs::remove_file(&marker).at("remove", &marker)?;
        changes.removed.push(path);
    }
    Ok(())
}

/// Refuses to rewrite what cannot be a snapshot folder: one reached through
/// a symbolic link below the crate's manifest directory (the folder itself
/// or a parent on the way: its target could be anywhere), or the root of a
/// crate or repository.
fn refuse_unlikely_folder(folder: &Path, written: &str) -> io::Result<()> {
    let refuse = |why: &str| {
        let message = format!("refusing to update {}: {why}", folder.display());
        Err(io::Error::new(io::ErrorKind::InvalidInput, message))
    };
    let segments: Vec<&str> = written.split('/').collect();
    let base = folder
        .ancestors()
        .nth(segments.len())
        .expect("the folder is its written segments under the manifest directory");
    let mut on_the_way = base.to_owned();
    for segment in segments {
        on_the_way.push(segment);
        let meta = fs::symlink_metadata(&on_the_way).at("inspect snapshot folder", &on_the_way)?;
        if meta.file_type().is_symlink() {
            return refuse(&format!(
                "{} is a symbolic link; point `from` at the folder itself",
                on_the_way.display()
            ));
        }
    }
    if ["Cargo.toml", ".git"]
        .iter()
        .any(|name| folder.join(name).symlink_metadata().is_ok())
    {
        return refuse(
            "it holds a Cargo.toml or .git, so it is a crate or repository, not a snapshot folder",
        );
    }
    Ok(())
}

/// Whether two entries are the same as far as a snapshot folder can tell:
/// git keeps a file's bytes (its line endings as `line_endings` says) and
/// whether it is executable, nothing more.
fn same_in_snapshot(old: &Entry, new: &Entry, line_endings: LineEndings) -> io::Result<bool> {
    Ok(match (&old.kind, &new.kind) {
        (
            &Kind::File { len, mode },
            &Kind::File {
                len: new_len,
                mode: new_mode,
            },
        ) => {
            let old_file = Source::File {
                path: &old.path,
                len,
            };
            let new_file = Source::File {
                path: &new.path,
                len: new_len,
            };
            (mode & 0o111 != 0) == (new_mode & 0o111 != 0)
                && first_difference(old_file, new_file, line_endings)?.is_none()
        }
        (Kind::Symlink(old), Kind::Symlink(new)) => old == new,
        _ => false,
    })
}
