//! [`Tree`]: a file tree as a value — files (bytes and an optional mode),
//! directories and symbolic links under relative names.

mod entries;
mod into_node;
pub(crate) mod mtime;
mod read;
mod text;
mod txtar;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub(crate) use entries::{Build, Entries, Event, TreeNode, tree_node};
pub use fixtree_rules::KeyError;
pub(crate) use fixtree_rules::{is_segment, segments};
pub use into_node::{IntoFile, IntoNode};
pub use read::copy_snapshot;
pub(crate) use read::read_levels;
pub use text::Size;
pub(crate) use text::{Leaf, write_spec};
pub use text::{LineEndings, ParseTreeError};
pub(crate) use text::{as_text, kind, to_lf};
pub use txtar::TxtarError;
pub(crate) use txtar::{Txtar, read_txtar};

use crate::sys;
use crate::walk::join;

/// The mode a file gets when its [`Node::File`] has none: an ordinary,
/// non-executable file.
pub const DEFAULT_FILE_MODE: u32 = 0o644;
/// The mode of every directory [`Tree::write_to`] creates.
pub const DEFAULT_DIR_MODE: u32 = 0o755;
/// The mode of an executable file: `exec(..)` in a spec, `exec` in tree text.
pub(crate) const EXEC_MODE: u32 = 0o755;

/// A file tree: names relative to a root, each a [`Node`].
///
/// Build one with the `tree!` macro or with [`Tree::insert`] (which checks
/// the same key rules and returns errors instead of compile errors), write it
/// with [`Tree::write_to`], snapshot a directory with [`Tree::read`].
/// `Display` prints it as spec text: `tree!` followed by that text gives the
/// same tree, and so does [`str::parse`].
///
/// ```
/// use fixtree::{Node, Tree};
///
/// let mut tree = Tree::new();
/// tree.insert("src/lib.rs", "pub fn f() {}")?;
/// tree.insert("run.sh", Node::file_with_mode("#!/bin/sh\n", 0o755))?;
/// tree.insert("empty", Tree::new())?;
/// assert!(tree.get("src/lib.rs").is_some());
/// assert!(tree.insert("../escape", "x").is_err());
/// # Ok::<(), fixtree::TreeError>(())
/// ```
///
/// Comparing, cloning, printing, parsing, writing and dropping a tree work
/// at any depth: none of them recurses.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Tree {
    pub(crate) entries: Entries<Node>,
}

/// Merges each tree in turn, later ones winning ([`Tree::merge`]).
///
/// ```
/// use fixtree::{Node, Tree, tree};
///
/// let mut files = Tree::new();
/// files.extend([tree! { "a.txt" => "base" }, tree! { "a.txt" => "test's own" }]);
/// assert_eq!(files.get("a.txt"), Some(&Node::file("test's own")));
/// ```
impl Extend<Tree> for Tree {
    fn extend<I: IntoIterator<Item = Tree>>(&mut self, trees: I) {
        for tree in trees {
            self.merge(tree);
        }
    }
}

/// One entry of a [`Tree`]. Equality treats a file's `mode: None` and
/// `mode: Some(DEFAULT_FILE_MODE)` as the same file, as the disk does, and
/// compares modification times to the second, as spec text prints them; a
/// file with a time is not equal to one without (the disk always has one,
/// so "no time" means "not said", which only an expectation can leave open).
///
/// ```
/// use std::time::Duration;
/// use fixtree::spec::{IntoNode, modified, unix_time};
///
/// let at = unix_time(1_798_365_600);
/// let later = at + Duration::from_millis(300);
/// assert_eq!(modified(at, "x").into_node(), modified(later, "x").into_node());
/// assert_ne!(modified(at, "x").into_node(), fixtree::Node::file("x"));
/// ```
#[derive(Clone, Debug, Eq)]
pub enum Node {
    /// A regular file. `mode: None` is an ordinary file, written
    /// [`DEFAULT_FILE_MODE`]; [`Tree::read`] records any other mode.
    /// `modified: None` leaves the time to the moment it is written;
    /// [`Tree::read`] records none (see there).
    File {
        /// The file's bytes.
        contents: Vec<u8>,
        /// The permission bits, when not the default.
        mode: Option<u32>,
        /// The modification time [`Tree::write_to`] gives it, if any; made
        /// by [`spec::modified`](crate::spec::modified).
        modified: Option<SystemTime>,
    },
    /// A directory and what it holds.
    Dir(Tree),
    /// A symbolic link, recorded and written as a link, never followed.
    Symlink {
        /// Where the link points, as stored in the link.
        target: PathBuf,
    },
}

impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        match (self, other) {
            (
                Node::File {
                    contents: a,
                    mode: ma,
                    modified: ta,
                },
                Node::File {
                    contents: b,
                    mode: mb,
                    modified: tb,
                },
            ) => {
                a == b
                    && ma.unwrap_or(DEFAULT_FILE_MODE) == mb.unwrap_or(DEFAULT_FILE_MODE)
                    && ta.map(mtime::unix_secs) == tb.map(mtime::unix_secs)
            }
            (Node::Dir(a), Node::Dir(b)) => a == b,
            (Node::Symlink { target: a }, Node::Symlink { target: b }) => a == b,
            _ => false,
        }
    }
}

tree_node!(Node, Node::Dir(tree) => tree.entries, |entries| Node::Dir(Tree { entries }));

impl Node {
    /// A file with these bytes and the default mode.
    ///
    /// ```
    /// let node = fixtree::Node::file("hello");
    /// assert_eq!(node, fixtree::Node::File { contents: b"hello".to_vec(), mode: None, modified: None });
    /// ```
    pub fn file(contents: impl Into<Vec<u8>>) -> Node {
        Node::File {
            contents: contents.into(),
            mode: None,
            modified: None,
        }
    }

    /// A file with these bytes and permission bits; [`DEFAULT_FILE_MODE`]
    /// is recorded as no mode, so equal files compare equal.
    ///
    /// ```
    /// let node = fixtree::Node::file_with_mode("#!/bin/sh\n", 0o755);
    /// assert!(matches!(node, fixtree::Node::File { mode: Some(0o755), .. }));
    /// ```
    ///
    /// # Panics
    ///
    /// If `mode` is above 0o7777, the highest permission bits (setuid,
    /// setgid and sticky included): a slip in the test, not a mode to mask.
    #[track_caller]
    pub fn file_with_mode(contents: impl Into<Vec<u8>>, mode: u32) -> Node {
        let mode = permission_bits(mode, "Node::file_with_mode(…, ", ")");
        Node::File {
            contents: contents.into(),
            mode: (mode != DEFAULT_FILE_MODE).then_some(mode),
            modified: None,
        }
    }

    /// A symbolic link to `target`. An empty target, or one holding a NUL
    /// byte, which no link can have, is refused when the tree is written,
    /// naming the link.
    ///
    /// ```
    /// let node = fixtree::Node::symlink("src/lib.rs");
    /// assert!(matches!(node, fixtree::Node::Symlink { .. }));
    /// ```
    pub fn symlink(target: impl Into<PathBuf>) -> Node {
        Node::Symlink {
            target: target.into(),
        }
    }

    /// "file", "directory" or "symlink", for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::File { .. } => "file",
            Node::Dir(_) => "directory",
            Node::Symlink { .. } => "symlink",
        }
    }
}

/// The segments of `key` under the key rules of this platform: the
/// portable ones ([`segments`]) and the system's own ([`sys::check_key`]:
/// no name its file systems cannot hold). Every key entering a tree at run
/// time passes here.
pub(crate) fn key_segments(key: &str) -> Result<Vec<&str>, KeyError> {
    let parts = segments(key)?;
    sys::check_key(key)?;
    Ok(parts)
}

/// Why no symbolic link can point to `target`, if none can: it is empty, or
/// holds a NUL byte, which ends a path for the system. Spec text with such a
/// target does not parse, and writing one is an error naming the link,
/// rather than the system's bare "No such file or directory".
pub(crate) fn target_error(target: &Path) -> Option<String> {
    let bytes = target.as_os_str().as_encoded_bytes();
    if bytes.is_empty() {
        Some("symlink target is empty: a link must point somewhere; give its target".to_owned())
    } else {
        bytes
            .contains(&0)
            .then(|| format!("symlink target {target:?} holds a NUL byte, which no link can"))
    }
}

/// Why a [`Tree`] refused an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeError {
    /// The key breaks a rule; see [`KeyError`].
    Key(KeyError),
    /// The key is already in the tree.
    Duplicate(String),
    /// The key needs `prefix` to be a directory, but it is a file or symlink.
    NotADirectory {
        /// The key being inserted.
        key: String,
        /// The part of it that is not a directory.
        prefix: String,
    },
    /// A name given to [`Tree::insert_os`] that is not valid Unicode, on a
    /// system that names files by Unicode only (Windows).
    NotUnicode(String),
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeError::Key(e) => e.fmt(f),
            TreeError::Duplicate(key) => write!(
                f,
                "duplicate key {key:?}: each path may be given once; remove one of them"
            ),
            TreeError::NotADirectory { key, prefix } => write!(
                f,
                "key {key:?} puts an entry inside {prefix:?}, which is already a file or symlink; \
                 make {prefix:?} a directory or rename one of them"
            ),
            TreeError::NotUnicode(path) => write!(
                f,
                "{path:?} is not valid Unicode, which only Unix names a file by; \
                 name it with Unicode text here"
            ),
        }
    }
}

impl std::error::Error for TreeError {}

impl From<KeyError> for TreeError {
    fn from(e: KeyError) -> Self {
        TreeError::Key(e)
    }
}

impl Tree {
    /// An empty tree.
    ///
    /// ```
    /// assert!(fixtree::Tree::new().is_empty());
    /// ```
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Adds `node` at `key`, a relative `/`-separated path; missing parent
    /// directories are created. A directory inserted where a directory is
    /// merges into it. Errors on a bad key (see [`KeyError`]: the rules of
    /// `tree!`, so a key names the same file on every platform, and on
    /// Windows no name it cannot hold), a duplicate, or a path through a
    /// file; the tree is unchanged then.
    ///
    /// ```
    /// let mut tree = fixtree::Tree::new();
    /// tree.insert("a/b.txt", "x")?.insert("a/c.txt", "y")?;
    /// let err = tree.insert("a/b.txt/d", "z").unwrap_err();
    /// assert!(err.to_string().contains("a/b.txt"));
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn insert(&mut self, key: &str, node: impl IntoNode) -> Result<&mut Tree, TreeError> {
        self.entries.insert(key, node.into_node())?;
        Ok(self)
    }

    /// [`insert`](Tree::insert) for chaining.
    ///
    /// ```
    /// let tree = fixtree::Tree::new()
    ///     .with("Cargo.toml", "[package]\n")?
    ///     .with("src/main.rs", "fn main() {}\n")?;
    /// assert_eq!(tree.len(), 2);
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn with(mut self, key: &str, node: impl IntoNode) -> Result<Tree, TreeError> {
        self.insert(key, node)?;
        Ok(self)
    }

    /// Merges `other` into this tree, `other` winning: a file or symbolic
    /// link of `other` replaces whatever this tree has at its path (a
    /// directory included), and so does a directory of `other` where this
    /// tree has a file or link; two directories at one path merge, by the
    /// same rule. Layering a suite's shared tree under a test's own entries
    /// is `base.merge(own)`.
    ///
    /// ```
    /// use fixtree::{Node, tree};
    ///
    /// let mut files = tree! { "Cargo.toml" => "[package]\n", "src" => { "lib.rs" => "" } };
    /// files.merge(tree! { "Cargo.toml" => "[workspace]\n", "src/main.rs" => "fn main() {}\n" });
    /// assert_eq!(files.get("Cargo.toml"), Some(&Node::file("[workspace]\n")));
    /// assert!(files.get("src/lib.rs").is_some() && files.get("src/main.rs").is_some());
    /// ```
    pub fn merge(&mut self, other: Tree) -> &mut Tree {
        self.entries.merge(other.entries);
        self
    }

    /// [`merge`](Tree::merge) by value: this tree with `other` on top,
    /// `other` winning.
    ///
    /// ```
    /// use fixtree::{Node, tree};
    ///
    /// let base = tree! { "Cargo.toml" => "[package]\n", "src/lib.rs" => "" };
    /// let files = base.merged(tree! { "Cargo.toml" => "[workspace]\n" });
    /// assert_eq!(files.get("Cargo.toml"), Some(&Node::file("[workspace]\n")));
    /// assert!(files.get("src/lib.rs").is_some());
    /// ```
    pub fn merged(mut self, other: Tree) -> Tree {
        self.merge(other);
        self
    }

    /// The trees merged in order, each on top of those before it, later
    /// ones winning ([`merge`](Tree::merge)): a suite's layers, by value.
    ///
    /// ```
    /// use fixtree::{Node, Tree, tree};
    ///
    /// let files = Tree::layered([
    ///     tree! { "a.txt" => "base", "b.txt" => "base" },
    ///     tree! { "b.txt" => "suite" },
    ///     tree! { "c.txt" => "test's own" },
    /// ]);
    /// assert_eq!(files.get("a.txt"), Some(&Node::file("base")));
    /// assert_eq!(files.get("b.txt"), Some(&Node::file("suite")));
    /// assert_eq!(files.len(), 3);
    /// ```
    pub fn layered(trees: impl IntoIterator<Item = Tree>) -> Tree {
        let mut layered = Tree::new();
        layered.extend(trees);
        layered
    }

    /// Takes the node at `key`, a `/`-separated path, out of the tree (a
    /// directory with all it holds), or `None` if the tree has nothing
    /// there. A later layer's `"path" => absent()` in `#[with_tempdir(files
    /// = [...])]` removes this way.
    ///
    /// ```
    /// use fixtree::{Node, tree};
    ///
    /// let mut files = tree! { "Cargo.lock" => "", "src" => { "lib.rs" => "" } };
    /// assert_eq!(files.remove("Cargo.lock"), Some(Node::file("")));
    /// assert!(files.remove("src/lib.rs").is_some());
    /// assert_eq!(files.remove("src/lib.rs"), None);
    /// assert_eq!(files, tree! { "src" => {} });
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let parts = segments(key).ok()?;
        let (last, parents) = parts.split_last()?;
        let dir = (parents.iter()).try_fold(&mut self.entries, |dir, part| {
            dir.map.get_mut(*part)?.as_dir_mut()
        })?;
        dir.map.remove(*last)
    }

    /// Builds a level from names the `tree!` macro has already checked and merged.
    pub(crate) fn from_checked(entries: Vec<(&'static str, Node)>) -> Tree {
        let entries = Entries::from_checked(entries, false);
        Tree { entries }
    }

    /// The node at `key`, a `/`-separated path.
    ///
    /// ```
    /// let tree = fixtree::Tree::new().with("a/b.txt", "x")?;
    /// assert_eq!(tree.get("a/b.txt"), Some(&fixtree::Node::file("x")));
    /// assert!(matches!(tree.get("a"), Some(fixtree::Node::Dir(_))));
    /// assert_eq!(tree.get("a/missing"), None);
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&Node> {
        let parts = segments(key).ok()?;
        let (last, parents) = parts.split_last()?;
        let dir = (parents.iter()).try_fold(&self.entries, |dir, part| dir.get(*part)?.as_dir())?;
        dir.get(*last)
    }

    /// The entries directly in this directory, sorted by name.
    ///
    /// ```
    /// let tree = fixtree::Tree::new().with("b", "")?.with("a/x", "")?;
    /// let names: Vec<&str> = tree.entries().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many entries are directly in this directory.
    ///
    /// ```
    /// assert_eq!(fixtree::Tree::new().with("a/b/c", "")?.len(), 1);
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether this directory holds nothing.
    ///
    /// ```
    /// assert!(fixtree::Tree::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry at any depth, as (`/`-separated path, node), parents
    /// before their children, sorted.
    ///
    /// ```
    /// let tree = fixtree::Tree::new().with("a/b.txt", "x")?.with("c", "y")?;
    /// let paths: Vec<String> = tree.walk().map(|(path, _)| path).collect();
    /// assert_eq!(paths, ["a", "a/b.txt", "c"]);
    /// # Ok::<(), fixtree::TreeError>(())
    /// ```
    pub fn walk(&self) -> impl Iterator<Item = (String, &Node)> {
        // Each directory's entries go on the stack, last first, once it is walked.
        let (mut stack, mut dir) = (Vec::new(), Some((String::new(), &self.entries)));
        std::iter::from_fn(move || {
            if let Some((path, entries)) = dir.take() {
                stack.extend(entries.iter().rev().map(|(k, v)| (join(&path, k), v)));
            }
            let (path, node) = stack.pop()?;
            dir = node.as_dir().map(|entries| (path.clone(), entries));
            Some((path, node))
        })
    }

    /// [`insert`](Tree::insert) at `path`, a name as the system holds it:
    /// on Unix any bytes but `/` and NUL, so also one that is not UTF-8,
    /// which no `&str` key or spec text can give. Such a name is held under
    /// its spelling, each byte that is not UTF-8 as `\xNN` (`caf\xe9.log`;
    /// no other key holds a `\`), and is written, read ([`Tree::read`]) and
    /// compared as those very bytes; `Display` shows it as a
    /// `/* not UTF-8: caf\xe9.log */` comment, and `to_txtar` refuses it.
    /// The key rules are those of `insert`, checked on the name as it
    /// reads (U+FFFD for what is not UTF-8).
    ///
    /// ```
    /// use std::path::Path;
    /// use fixtree::Tree;
    ///
    /// let mut tree = Tree::new();
    /// // A UTF-8 name is inserted as `insert` would.
    /// tree.insert_os(Path::new("logs/out.txt"), "done\n")?;
    /// #[cfg(unix)]
    /// {
    ///     use std::os::unix::ffi::OsStrExt;
    ///     let latin1 = Path::new(std::ffi::OsStr::from_bytes(b"logs/caf\xe9.log"));
    ///     tree.insert_os(latin1, "x")?;
    ///     assert!(tree.walk().any(|(path, _)| path == r"logs/caf\xe9.log"));
    ///
    ///     let dir = fixtree::tempdir()?;
    ///     tree.write_to(dir.path())?;
    ///     assert_eq!(std::fs::read(dir.path().join(latin1))?, b"x");
    ///     assert_eq!(Tree::read(dir.path())?, tree);
    ///     fixtree::check_tree(dir.path(), &tree)?;
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// On Windows a `path` that is not valid Unicode is an error
    /// ([`TreeError::NotUnicode`]): only Unix names a file by bytes that are
    /// not UTF-8.
    pub fn insert_os(&mut self, path: &Path, node: impl IntoNode) -> Result<&mut Tree, TreeError> {
        // The path's own separators: `\` as well as `/` on Windows.
        let names: Vec<&std::ffi::OsStr> = path.iter().collect();
        let lossy: Vec<String> = names
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        if path.to_str().is_some() {
            return self.insert(&lossy.join("/"), node);
        }
        key_segments(&lossy.join("/"))?;
        let parts = (names.iter())
            .map(|name| {
                name.to_str()
                    .map(str::to_owned)
                    .or_else(|| sys::spell(name))
            })
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| TreeError::NotUnicode(path.to_string_lossy().into_owned()))?;
        self.entries
            .insert_segments(&parts.join("/"), &parts, node.into_node())?;
        Ok(self)
    }
}

/// `bits`, or a panic at the caller if they are above 0o7777: the call is
/// named by what comes `before` and `after` the bits, as the user wrote it.
#[track_caller]
pub(crate) fn permission_bits(bits: u32, before: &str, after: &str) -> u32 {
    if bits & !sys::PERMISSION_BITS != 0 {
        panic!(
            "fixtree: {before}0o{bits:o}{after}: permission bits go up to 0o{:o}",
            sys::PERMISSION_BITS
        );
    }
    bits
}
