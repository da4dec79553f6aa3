//! The one walk down a directory on disk, under reading a tree, comparing,
//! updating a snapshot folder and pasting: names in order, each with its
//! [`EntryType`] (size and mode of a file), no contents read.
//!
//! A [`Walk`] holds the directories from its root down to the one listed,
//! each opened relative to its parent's descriptor and never through a
//! symbolic link, so a directory swapped for a link mid-walk cannot lead it
//! out of the tree, and no path grows longer than the system takes; only a
//! bounded number of descriptors stay open, whatever the depth.
//! [`DepthFirst`] goes through everything below one directory, a step at a
//! time, with a stack instead of recursion, so that no nesting depth
//! overflows a test thread's stack; a search ([`Walk::lenient`]) passes
//! over special files, and over any directory it is told to. A walk of
//! two sides in step (the comparison) goes a level at a time with [`list`] and
//! [`side_by_side`] instead, deciding where to descend.

use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{IoResultExt, at, io_error};
pub(crate) use crate::sys::EntryType;
use crate::sys::{self, Dir, DirStack};

/// The name of the file that stands for an empty directory in a snapshot
/// folder: git keeps no empty directories.
pub(crate) const KEEP_MARKER: &str = ".keep";

/// What a walk leaves out, given the `/`-separated path of an entry below
/// its root: an assertion's ignore globs, or any closure.
pub(crate) trait Skip {
    fn skips(&self, path: &str) -> bool;
}

impl<F: Fn(&str) -> bool> Skip for F {
    fn skips(&self, path: &str) -> bool {
        self(path)
    }
}

/// One entry of a level.
#[derive(Clone)]
pub(crate) struct Entry {
    /// The name: unless `utf8`, its key spelling (`caf\xe9.log`, see
    /// [`sys::spell`]) where the system has one, else lossily (U+FFFD).
    pub(crate) name: String,
    /// Whether the name on disk is `name` exactly. One that is not can be
    /// ignored, allowed by `..` or reported, but never named by spec text;
    /// only if [`named`](Entry::named), a tree holds it, and it is entered
    /// and opened by its spelling.
    pub(crate) utf8: bool,
    pub(crate) found: EntryType,
}

impl Entry {
    /// Whether `name` names the entry exactly: its name, or the spelling
    /// of one that is not UTF-8, which [`Tree::insert_os`](crate::Tree::insert_os) gives too.
    pub(crate) fn named(&self) -> bool {
        self.utf8 || sys::unspell(&self.name).is_some()
    }
}

/// A walk down a directory: the directory it is in, and that directory's
/// path, for messages.
pub(crate) struct Walk {
    dirs: DirStack,
    path: PathBuf,
    /// Whether [`list`] leaves out an entry whose type cannot be read.
    lenient: bool,
}

impl Walk {
    /// A walk in `root`, which may be a symbolic link to a directory: the
    /// caller chose it. Links below it are never followed.
    pub(crate) fn new(root: &Path) -> io::Result<Walk> {
        let dir = Dir::open(root).at("read directory", root)?;
        Ok(Walk {
            dirs: DirStack::new(dir),
            path: root.to_owned(),
            lenient: false,
        })
    }

    /// This walk, for a search rather than a tree: an entry whose type
    /// cannot be read (a fifo, a socket, one gone since listed) is left
    /// out, not an error.
    #[cfg(feature = "cli")]
    pub(crate) fn lenient(mut self) -> Walk {
        self.lenient = true;
        self
    }

    /// The path of the directory the walk is in.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The directory the walk is in, to write into.
    pub(crate) fn dir(&self) -> &Dir {
        self.dirs.current()
    }

    /// Goes down into the directory `name`, refusing a symbolic link there.
    pub(crate) fn enter(&mut self, name: &str) -> io::Result<()> {
        let path = self.path.join(name);
        let dir = self.dir().open_dir(name).at("read directory", &path)?;
        self.dirs.enter(dir).at("read directory", &path)?;
        self.path = path;
        Ok(())
    }

    /// Goes back up from the directory entered last.
    pub(crate) fn leave(&mut self) -> io::Result<()> {
        self.dirs.leave().at("return from directory", &self.path)?;
        self.path.pop();
        Ok(())
    }

    /// Opens the regular file `entry` of the directory the walk is in, with
    /// its metadata. An entry swapped since the listing for a link or a fifo
    /// is neither followed nor left hanging the read.
    pub(crate) fn open_file(&self, entry: &Entry) -> io::Result<(File, Metadata)> {
        self.dir()
            .open_file(&entry.name)
            .map_err(|e| self.error_at(e, "read file", entry))
    }

    /// `error`, naming the path of `entry` of the directory the walk is in:
    /// spelled only for an error, as everything read goes through the
    /// walk's descriptors.
    pub(crate) fn error_at(&self, error: io::Error, op: &'static str, entry: &Entry) -> io::Error {
        at(error, op, &self.path.join(&entry.name))
    }

    /// An error naming `entry` of the directory the walk is in if its name
    /// is not UTF-8: for what must hold every entry under its name as it
    /// is (a snapshot folder being rewritten).
    pub(crate) fn utf8(&self, entry: &Entry) -> io::Result<()> {
        self.not_utf8_unless(entry.utf8, entry)
    }

    /// The same error unless `entry` is [`named`](Entry::named): for a
    /// [`Tree`](crate::Tree), whose keys spell what is not UTF-8.
    pub(crate) fn named(&self, entry: &Entry) -> io::Result<()> {
        self.not_utf8_unless(entry.named(), entry)
    }

    fn not_utf8_unless(&self, held: bool, entry: &Entry) -> io::Result<()> {
        if held {
            return Ok(());
        }
        let error = io_error!(
            InvalidData,
            "its name is not UTF-8, and the names in a tree are strings"
        );
        Err(self.error_at(error, "read", entry))
    }
}

/// The entries of the directory `walk` is in, whose path from the root is
/// `prefix`, in name order, less those `skip` leaves out (asked with their
/// path, a name that is not UTF-8 as [`Entry::name`] has it), which are
/// counted into `skipped` and never inspected: a skipped fifo is no error,
/// nor a skipped name that is not UTF-8. A UTF-8 name that reads as the
/// spelling of another ([`sys::unspell`]) is an error: a key would name that other.
pub(crate) fn list(
    walk: &Walk,
    prefix: &str,
    skip: &dyn Skip,
    skipped: &mut usize,
) -> io::Result<Vec<Entry>> {
    let dir = walk.dir();
    // `prefix/`, then each name in turn: no allocation per entry.
    let mut path = join(prefix, "");
    let in_dir = path.len();
    let mut entries = Vec::new();
    for on_disk in dir.names().at("read directory", &walk.path)? {
        let (name, utf8) = match on_disk.to_str() {
            Some(name) => (name.to_owned(), true),
            None => {
                let lossy = || on_disk.to_string_lossy().into_owned();
                (sys::spell(&on_disk).unwrap_or_else(lossy), false)
            }
        };
        path.truncate(in_dir);
        path.push_str(&name);
        if skip.skips(&path) {
            *skipped += 1;
            continue;
        }
        if utf8 && sys::unspell(&name).is_some() {
            if walk.lenient {
                continue;
            }
            let error = io_error!(
                InvalidData,
                "its name reads as the `\\xNN` spelling of a name that is not UTF-8, \
                 which a key of that text names: rename it, or leave it out"
            );
            return Err(at(error, "read", &walk.path.join(&on_disk)));
        }
        let found = match dir.entry_type(&on_disk) {
            Ok(found) => found,
            Err(_) if walk.lenient => continue,
            Err(e) => return Err(at(e, "read", &walk.path.join(&on_disk))),
        };
        entries.push(Entry { name, utf8, found });
    }
    entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// One step of a [`DepthFirst`] walk: in name order, a directory before
/// its entries, as a tree's own visit goes through a tree in
/// memory.
pub(crate) enum Event {
    /// A directory, which the walk goes into next: its entries follow, then
    /// its [`Event::Leave`].
    Enter(Entry),
    /// Any other entry: a file, a symbolic link (never followed), or a
    /// directory whose name is not UTF-8, never entered (its name on disk
    /// is not the one listed) unless the walk is [`spelled`](DepthFirst::spelled).
    Leaf(Entry),
    /// The end of the directory entered last.
    Leave,
}

/// What a [`DepthFirst`] walk does next.
enum Next {
    Entry(Entry),
    /// Go into the directory of this name, just seen.
    Into(String),
    Leave,
}

/// Everything below the directory a [`Walk`] is in, depth first and in name
/// order, less what `skip` leaves out: one [`Event`] at a time, the walk in
/// the directory of the event's entry, so that the caller reads or opens
/// it there. What is still to come is a stack, not recursion; once done,
/// the walk is back where it began.
pub(crate) struct DepthFirst<'w> {
    walk: &'w mut Walk,
    skip: &'w dyn Skip,
    /// The `/`-separated path of the directory the walk is in.
    prefix: String,
    /// The steps still to take, the next last.
    stack: Vec<Next>,
    /// Whether a directory entered may be one named by its spelling.
    spelled: bool,
}

impl<'w> DepthFirst<'w> {
    /// The walk below the directory `walk` is in, whose path from the root
    /// (where `skip` asks from) is `prefix`.
    pub(crate) fn new(walk: &'w mut Walk, prefix: &str, skip: &'w dyn Skip) -> io::Result<Self> {
        let mut walk = DepthFirst {
            walk,
            skip,
            prefix: prefix.to_owned(),
            stack: Vec::new(),
            spelled: false,
        };
        walk.push_level()?;
        Ok(walk)
    }

    /// This walk, entering also a directory whose name is not UTF-8 where
    /// its spelling names it ([`Entry::named`]): for a [`Tree`](crate::Tree).
    pub(crate) fn spelled(mut self) -> Self {
        self.spelled = true;
        self
    }

    /// Leaves out everything below the directory of the [`Event::Enter`]
    /// just returned, its [`Event::Leave`] included: the walk goes over it.
    #[cfg(feature = "cli")]
    pub(crate) fn over(&mut self) {
        if matches!(self.stack.last(), Some(Next::Into(_))) {
            self.stack.pop();
        }
    }

    /// The next step, or `None` once everything has been seen.
    pub(crate) fn next(&mut self) -> io::Result<Option<Event>> {
        loop {
            let event = match self.stack.pop() {
                None => return Ok(None),
                Some(Next::Entry(entry)) if self.enters(&entry) => {
                    self.stack.push(Next::Into(entry.name.clone()));
                    Event::Enter(entry)
                }
                Some(Next::Entry(entry)) => Event::Leaf(entry),
                Some(Next::Into(name)) => {
                    self.walk.enter(&name)?;
                    self.prefix = join(&self.prefix, &name);
                    self.stack.push(Next::Leave);
                    self.push_level()?;
                    continue;
                }
                Some(Next::Leave) => {
                    self.walk.leave()?;
                    // Names hold no `/`: the last one goes.
                    let parent = self.prefix.rfind('/').unwrap_or(0);
                    self.prefix.truncate(parent);
                    Event::Leave
                }
            };
            return Ok(Some(event));
        }
    }

    /// Whether `entry` is a directory this walk goes into.
    fn enters(&self, entry: &Entry) -> bool {
        let named = entry.utf8 || (self.spelled && entry.named());
        named && matches!(entry.found, EntryType::Dir)
    }

    /// The walk, in the directory of the last event's entry.
    pub(crate) fn walk(&self) -> &Walk {
        self.walk
    }

    /// The `/`-separated path of that directory from the root, `""` there.
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Stacks the entries of the directory the walk is in, the first last.
    fn push_level(&mut self) -> io::Result<()> {
        // What is skipped goes uncounted: no caller asks how much.
        let level = list(self.walk, &self.prefix, self.skip, &mut 0)?;
        self.stack.extend(level.into_iter().rev().map(Next::Entry));
        Ok(())
    }
}

/// One name at a level, with what each side holds under it; never neither.
pub(crate) struct Pair<E, A> {
    /// `/`-separated, relative to the root.
    pub(crate) path: String,
    pub(crate) expected: Option<E>,
    pub(crate) actual: Option<A>,
}

/// The entries of one level on both sides, each name once, in name order,
/// less those `skip` leaves out. `expected` and `actual` must be in name
/// order themselves, as the entries of a tree and a listing are; `prefix`
/// is the level's path.
pub(crate) fn side_by_side<'a, E, A>(
    prefix: &'a str,
    expected: impl Iterator<Item = (&'a str, E)>,
    actual: impl Iterator<Item = (&'a str, A)>,
    skip: &'a dyn Skip,
) -> impl Iterator<Item = Pair<E, A>> {
    let mut expected = expected.peekable();
    let mut actual = actual.peekable();
    std::iter::from_fn(move || {
        loop {
            let name = match (expected.peek(), actual.peek()) {
                (Some((e, _)), Some((a, _))) => (*e).min(*a),
                (Some((name, _)), None) | (None, Some((name, _))) => *name,
                (None, None) => return None,
            };
            let path = join(prefix, name);
            let pair = Pair {
                expected: expected.next_if(|(n, _)| *n == name).map(|(_, e)| e),
                actual: actual.next_if(|(n, _)| *n == name).map(|(_, a)| a),
                path,
            };
            if !skip.skips(&pair.path) {
                return Some(pair);
            }
        }
    })
}

/// `prefix/name`, or `name` at the root.
pub(crate) fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        return name.to_owned();
    }
    // One allocation of the right size: this runs for every entry.
    let mut path = String::with_capacity(prefix.len() + 1 + name.len());
    path.push_str(prefix);
    path.push('/');
    path.push_str(name);
    path
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::{DepthFirst, Event, Skip, Walk, side_by_side};
    use crate::{TempDir, Tree};

    /// A directory holding the tree of spec text `spec`.
    fn dir_of(spec: &str) -> TempDir {
        let dir = crate::tempdir().unwrap();
        let tree: Tree = spec.parse().unwrap();
        tree.write_to(dir.path()).unwrap();
        dir
    }

    /// Every event of a walk of `root`, as `+dir`, `name` and `-`, each
    /// after the path the walk is at then.
    fn events(root: &Path, skip: &dyn Skip) -> std::io::Result<Vec<String>> {
        let mut walk = Walk::new(root)?;
        let mut events = DepthFirst::new(&mut walk, "", skip)?;
        let mut seen = Vec::new();
        while let Some(event) = events.next()? {
            let step = match event {
                Event::Enter(entry) => format!("+{}", entry.name),
                Event::Leaf(entry) => entry.name,
                Event::Leave => "-".to_owned(),
            };
            seen.push(format!("{}:{step}", events.prefix()));
        }
        drop(events);
        assert_eq!(walk.path(), root, "the walk is back where it began");
        Ok(seen)
    }

    #[test]
    fn entries_come_in_name_order_each_directory_before_its_own() {
        let dir = dir_of(r#"{ "b/z" => "", "a.txt" => "", "b/c/d" => "", "e" => {} }"#);
        let seen = events(dir.path(), &|_: &str| false).unwrap();
        let expected = [
            ":a.txt", ":+b", "b:+c", "b/c:d", "b:-", "b:z", ":-", ":+e", ":-",
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn what_is_skipped_is_asked_by_path_and_never_entered() {
        let dir = dir_of(r#"{ "a/skipped/x" => "", "a/kept.log" => "", "a/kept" => "" }"#);
        let asked = std::cell::RefCell::new(Vec::new());
        let skip = |path: &str| {
            asked.borrow_mut().push(path.to_owned());
            path == "a/skipped" || path.ends_with(".log")
        };
        let seen = events(dir.path(), &skip).unwrap();
        assert_eq!(seen, [":+a", "a:kept", ":-"]);
        asked.borrow_mut().sort();
        assert_eq!(*asked.borrow(), ["a", "a/kept", "a/kept.log", "a/skipped"]);
    }

    #[test]
    fn a_walk_deeper_than_the_descriptors_kept_open_goes_down_and_back() {
        const DEPTH: usize = 300;
        let deepest = "d/".repeat(DEPTH);
        let dir = dir_of(&format!(r#"{{ "{deepest}f" => "", "z" => "" }}"#));
        let seen = events(dir.path(), &|_: &str| false).unwrap();
        assert_eq!(seen.len(), 2 * DEPTH + 2);
        assert_eq!(seen[DEPTH], format!("{}:f", deepest.trim_end_matches('/')));
        assert_eq!(seen[2 * DEPTH + 1], ":z");
    }

    #[test]
    fn an_error_names_the_path_of_a_directory_that_is_no_longer_one() {
        let dir = dir_of(r#"{ "a/b/file" => "" }"#);
        let mut walk = Walk::new(dir.path()).unwrap();
        let mut events = DepthFirst::new(&mut walk, "", &|_: &str| false).unwrap();
        assert!(matches!(events.next().unwrap(), Some(Event::Enter(_))));
        assert!(matches!(events.next().unwrap(), Some(Event::Enter(_))));
        // Between its listing and its entering, `a/b` becomes a file.
        let b = dir.path().join("a").join("b");
        fs::rename(&b, dir.path().join("elsewhere")).unwrap();
        fs::write(&b, "").unwrap();
        let error = events.next().err().expect("a file is not entered");
        assert!(
            error.to_string().contains(&b.display().to_string()),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_a_leaf_and_a_directory_swapped_for_one_is_not_entered() {
        let dir = dir_of(r#"{ "real/x" => "", "link" => symlink("real"), "swapped/y" => "" }"#);
        let seen = events(dir.path(), &|_: &str| false).unwrap();
        assert_eq!(
            seen,
            [
                ":link",
                ":+real",
                "real:x",
                ":-",
                ":+swapped",
                "swapped:y",
                ":-"
            ]
        );

        let mut walk = Walk::new(dir.path()).unwrap();
        let mut events = DepthFirst::new(&mut walk, "", &|_: &str| false).unwrap();
        while !matches!(events.next().unwrap(), Some(Event::Enter(entry)) if entry.name == "swapped")
        {
        }
        let swapped = dir.path().join("swapped");
        fs::remove_dir_all(&swapped).unwrap();
        std::os::unix::fs::symlink("real", &swapped).unwrap();
        let error = events.next().err().expect("a link is not entered");
        assert!(
            error.to_string().contains(&swapped.display().to_string()),
            "{error}"
        );
    }

    #[cfg(feature = "cli")]
    #[test]
    fn a_search_goes_over_a_directory_when_told_and_leaves_out_a_fifo() {
        let dir = dir_of(r#"{ "a/x" => "", "b/y" => "", "c" => "" }"#);
        #[cfg(unix)]
        {
            let fifo = std::process::Command::new("mkfifo")
                .arg(dir.path().join("b/fifo"))
                .status();
            assert!(fifo.unwrap().success());
        }
        let mut walk = Walk::new(dir.path()).unwrap().lenient();
        let mut events = DepthFirst::new(&mut walk, "", &|_: &str| false).unwrap();
        let mut seen = Vec::new();
        while let Some(event) = events.next().unwrap() {
            match event {
                Event::Enter(entry) if entry.name == "a" => events.over(),
                Event::Enter(entry) | Event::Leaf(entry) => seen.push(entry.name),
                Event::Leave => seen.push("-".to_owned()),
            }
        }
        assert_eq!(seen, ["b", "y", "-", "c"]);
    }

    #[test]
    fn each_name_comes_once_in_order_with_what_each_side_holds() {
        let skip = |path: &str| path.ends_with(".log");
        let expected = [("a", 1), ("c", 3), ("d.log", 4)];
        let actual = [("b", 'b'), ("c", 'c'), ("e", 'e')];
        let pairs: Vec<_> = side_by_side("dir", expected.into_iter(), actual.into_iter(), &skip)
            .map(|pair| (pair.path, pair.expected, pair.actual))
            .collect();
        assert_eq!(
            pairs,
            [
                ("dir/a".to_owned(), Some(1), None),
                ("dir/b".to_owned(), None, Some('b')),
                ("dir/c".to_owned(), Some(3), Some('c')),
                ("dir/e".to_owned(), None, Some('e')),
            ]
        );
    }
}
