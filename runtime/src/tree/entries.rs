//! [`Entries`]: the one structure under a [`Tree`](super::Tree), an
//! [`ExpectedTree`](crate::ExpectedTree) and the tree a report offers to
//! paste — names, each an entry that may be a directory of the same kind —
//! with the one insert, merge, walk, copy, comparison and drop of them all.
//! None of them recurses, so that no depth overflows a thread's stack.

use std::collections::{BTreeMap, btree_map};
use std::mem;
use std::ops::Deref;

use super::{TreeError, key_segments};

/// An entry of [`Entries`]: a directory of entries of its kind, or a leaf.
pub(crate) trait TreeNode: Sized {
    /// The directory this entry is, if it is one.
    fn as_dir(&self) -> Option<&Entries<Self>>;
    fn as_dir_mut(&mut self) -> Option<&mut Entries<Self>>;
    /// The entry that is the directory `entries`.
    fn dir(entries: Entries<Self>) -> Self;
}

/// Implements [`TreeNode`] for `$node`, whose directory `$dir` holds its
/// entries at `$entries`, and whose directory of `entries` is `$make`.
macro_rules! tree_node {
    ($node:ty, $dir:pat => $entries:expr, |$new:ident| $make:expr) => {
        impl $crate::tree::TreeNode for $node {
            fn as_dir(&self) -> Option<&$crate::tree::Entries<$node>> {
                match self {
                    $dir => Some(&$entries),
                    _ => None,
                }
            }

            fn as_dir_mut(&mut self) -> Option<&mut $crate::tree::Entries<$node>> {
                match self {
                    $dir => Some(&mut $entries),
                    _ => None,
                }
            }

            fn dir($new: $crate::tree::Entries<$node>) -> $node {
                $make
            }
        }
    };
}
pub(crate) use tree_node;

/// The entries of a directory by name, in name order, and whether entries
/// not named are allowed there: `..` in spec text, which only an
/// expectation says.
pub(crate) struct Entries<N: TreeNode> {
    pub(crate) map: BTreeMap<String, N>,
    pub(crate) open: bool,
}

impl<N: TreeNode> Deref for Entries<N> {
    type Target = BTreeMap<String, N>;

    fn deref(&self) -> &BTreeMap<String, N> {
        &self.map
    }
}

impl<N: TreeNode> Default for Entries<N> {
    fn default() -> Self {
        Entries::new(false)
    }
}

impl<N: TreeNode> Entries<N> {
    pub(crate) fn new(open: bool) -> Self {
        Entries {
            map: BTreeMap::new(),
            open,
        }
    }

    /// A level of names the macros have already checked and merged.
    pub(crate) fn from_checked(entries: Vec<(&'static str, N)>, open: bool) -> Self {
        let map = entries.into_iter().map(|(k, v)| (k.to_owned(), v));
        Entries {
            map: map.collect(),
            open,
        }
    }

    /// Adds `node` at `key` under the rules of [`Tree::insert`](super::Tree::insert):
    /// missing parents become directories, a directory where one is merges
    /// into it, and a bad key, a duplicate or a path through a leaf is an
    /// error that leaves the tree unchanged.
    pub(crate) fn insert(&mut self, key: &str, node: N) -> Result<(), TreeError> {
        self.insert_segments(key, &key_segments(key)?, node)
    }

    /// [`insert`](Self::insert) at `parts`, the segments of `key` (which
    /// errors name), already checked.
    pub(crate) fn insert_segments<S: AsRef<str>>(
        &mut self,
        key: &str,
        parts: &[S],
        node: N,
    ) -> Result<(), TreeError> {
        let parts: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
        let (last, parents) = parts.split_last().expect("segments() is never empty");
        // The tree holding `node` at `key` and nothing else, to merge.
        let one = |name: &str, node| Entries {
            map: BTreeMap::from([(name.to_owned(), node)]),
            open: false,
        };
        let new = (parents.iter().rev()).fold(one(last, node), |new, part| one(part, N::dir(new)));
        // The directories merging, each with its name: a dry run that finds
        // the first name both hold that is not a directory in both.
        let mut open = vec![("", self as &Self, new.iter())];
        while let Some((_, existing, entries)) = open.last_mut() {
            let existing: &Entries<N> = existing;
            let Some((name, node)) = entries.next() else {
                open.pop();
                continue;
            };
            let depth = open.len();
            match (existing.get(name).map(N::as_dir), node.as_dir()) {
                (None, _) => {}
                (Some(Some(existing)), Some(sub)) => open.push((name, existing, sub.iter())),
                (Some(_), _) if depth < parts.len() => {
                    let prefix = parts[..depth].join("/");
                    let key = key.to_owned();
                    return Err(TreeError::NotADirectory { key, prefix });
                }
                (Some(_), _) => {
                    let mut path: Vec<&str> = open[1..].iter().map(|(name, ..)| *name).collect();
                    path.push(name);
                    return Err(TreeError::Duplicate(path.join("/")));
                }
            }
        }
        self.merge(new);
        Ok(())
    }

    /// Puts `node` under `name` in the directory at `path`, `/`-separated,
    /// which is there already.
    pub(crate) fn put_at(&mut self, path: &str, name: String, node: N) {
        let mut dir = self;
        for part in path.split('/').filter(|part| !part.is_empty()) {
            dir = (dir.map.get_mut(part).and_then(N::as_dir_mut))
                .expect("a directory is walked before its entries");
        }
        dir.map.insert(name, node);
    }

    /// Puts each entry of `new` under its name, `new` winning: two
    /// directories merge (open if either is), anything else is replaced.
    pub(crate) fn merge(&mut self, new: Entries<N>) {
        let mut merges = vec![(self, new)];
        while let Some((dir, mut new)) = merges.pop() {
            dir.open |= new.open;
            let mut into_dirs = BTreeMap::new();
            for (name, mut node) in mem::take(&mut new.map) {
                let existing_dir = dir.get(&name).is_some_and(|e| e.as_dir().is_some());
                match node.as_dir_mut() {
                    Some(sub) if existing_dir => {
                        into_dirs.insert(name, mem::take(sub));
                    }
                    _ => {
                        dir.map.insert(name, node);
                    }
                }
            }
            for (name, node) in &mut dir.map {
                if let (Some(new), Some(existing)) = (into_dirs.remove(name), node.as_dir_mut()) {
                    merges.push((existing, new));
                }
            }
        }
    }

    /// The same tree with each leaf made by `f`.
    pub(crate) fn map<M: TreeNode>(mut self, mut f: impl FnMut(N) -> M) -> Entries<M> {
        let mut copy = Build::new(self.open);
        let mut levels = vec![mem::take(&mut self.map).into_iter()];
        while let Some(level) = levels.last_mut() {
            match level.next() {
                Some((name, mut node)) => match node.as_dir_mut() {
                    Some(dir) => {
                        copy.enter(name, dir.open);
                        levels.push(mem::take(&mut dir.map).into_iter());
                    }
                    None => copy.leaf(name, f(node)),
                },
                None => {
                    levels.pop();
                    if !levels.is_empty() {
                        copy.leave();
                    }
                }
            }
        }
        copy.finish()
    }

    /// The entries at any depth, as events.
    pub(crate) fn visit(&self) -> Visit<'_, N> {
        Visit {
            open: vec![(self, self.iter())],
        }
    }
}

/// Copied leaf by leaf.
impl<N: TreeNode + Clone> Clone for Entries<N> {
    fn clone(&self) -> Self {
        let mut copy = Build::new(self.open);
        for event in self.visit() {
            match event {
                Event::Leaf(name, node) => copy.leaf(name.to_owned(), node.clone()),
                Event::Enter(name, dir) => copy.enter(name.to_owned(), dir.open),
                Event::Leave(_) => copy.leave(),
            }
        }
        copy.finish()
    }
}

/// Equal sequences of events are equal trees.
impl<N: TreeNode + PartialEq> PartialEq for Entries<N> {
    fn eq(&self, other: &Self) -> bool {
        self.open == other.open && self.visit().eq(other.visit())
    }
}

impl<N: TreeNode + Eq> Eq for Entries<N> {}

/// Dropping the entries as they are would drop each directory inside the
/// drop of its parent, one stack frame per level: they are taken out and
/// dropped one by one instead, each once it is empty.
impl<N: TreeNode> Drop for Entries<N> {
    fn drop(&mut self) {
        let mut maps = vec![mem::take(&mut self.map)];
        while let Some(map) = maps.pop() {
            for mut node in map.into_values() {
                if let Some(dir) = node.as_dir_mut() {
                    maps.push(mem::take(&mut dir.map));
                }
            }
        }
    }
}

/// A tree made an entry at a time, depth first, as a [`Visit`] or a walk on
/// disk goes: the directories open, innermost last, each with its name.
pub(crate) struct Build<N: TreeNode>(Vec<(String, Entries<N>)>);

impl<N: TreeNode> Build<N> {
    pub(crate) fn new(open: bool) -> Self {
        Build(vec![(String::new(), Entries::new(open))])
    }

    pub(crate) fn enter(&mut self, name: String, open: bool) {
        self.0.push((name, Entries::new(open)));
    }

    pub(crate) fn leaf(&mut self, name: String, node: N) {
        self.top().map.insert(name, node);
    }

    /// Ends the directory entered last, putting it into its parent.
    pub(crate) fn leave(&mut self) {
        let (name, dir) = self.0.pop().expect("a directory was entered");
        self.leaf(name, N::dir(dir));
    }

    /// The directory entered last and not yet left.
    pub(crate) fn top(&mut self) -> &mut Entries<N> {
        &mut self.0.last_mut().expect("the root stays open").1
    }

    pub(crate) fn finish(mut self) -> Entries<N> {
        self.0.pop().expect("the root stays open").1
    }
}

/// One step of a [`Visit`], in name order, parents before children.
pub(crate) enum Event<'a, N: TreeNode> {
    /// An entry that is not a directory.
    Leaf(&'a str, &'a N),
    /// The directory `name`, whose entries follow until its [`Event::Leave`].
    Enter(&'a str, &'a Entries<N>),
    /// The end of the directory entered last and not yet left.
    Leave(&'a Entries<N>),
}

/// Equal events: the same name and leaf, or the same name and `..` of a
/// directory (whose entries are events of their own).
impl<N: TreeNode + PartialEq> PartialEq for Event<'_, N> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Event::Leaf(a, x), Event::Leaf(b, y)) => a == b && x == y,
            (Event::Enter(a, x), Event::Enter(b, y)) => a == b && x.open == y.open,
            (Event::Leave(_), Event::Leave(_)) => true,
            _ => false,
        }
    }
}

/// The entries of a tree at any depth, as events, kept on an explicit
/// stack; the tree itself is neither entered nor left.
pub(crate) struct Visit<'a, N: TreeNode> {
    /// The entries still to visit in each directory entered, with the
    /// directory; the tree visited is at the bottom and never left.
    open: Vec<(&'a Entries<N>, btree_map::Iter<'a, String, N>)>,
}

impl<'a, N: TreeNode> Iterator for Visit<'a, N> {
    type Item = Event<'a, N>;

    fn next(&mut self) -> Option<Event<'a, N>> {
        let (dir, entries) = self.open.last_mut()?;
        match entries.next() {
            Some((name, entry)) => match entry.as_dir() {
                Some(sub) => {
                    self.open.push((sub, sub.iter()));
                    Some(Event::Enter(name, sub))
                }
                None => Some(Event::Leaf(name, entry)),
            },
            None => {
                let dir = *dir;
                self.open.pop();
                (!self.open.is_empty()).then_some(Event::Leave(dir))
            }
        }
    }
}
