//! A depth-first walk of a [`Tree`], or of any [`Nested`] tree, as a flat
//! sequence of [`Event`]s, kept on an explicit stack: what compares, clones,
//! prints and writes a tree, so that none of them recurses and no depth
//! overflows a thread's stack.

use std::collections::btree_map;

use super::{Node, Tree};

/// A tree of named entries, some of which are trees of the same kind: a
/// [`Tree`], an expected tree, the tree a report offers to paste. One walk
/// and one printer serve them all.
pub(crate) trait Nested: Sized {
    /// What a name stands for: a directory or a leaf.
    type Entry;

    /// The entries directly in this directory, in name order.
    fn level(&self) -> btree_map::Iter<'_, String, Self::Entry>;

    /// The directory `entry` is, if it is one.
    fn as_dir(entry: &Self::Entry) -> Option<&Self>;

    /// Whether entries not named are allowed here: `..` in spec text. Only
    /// an expectation says so; a tree on disk is what it is.
    fn allows_others(&self) -> bool {
        false
    }
}

impl Nested for Tree {
    type Entry = Node;

    fn level(&self) -> btree_map::Iter<'_, String, Node> {
        self.entries.iter()
    }

    fn as_dir(entry: &Node) -> Option<&Tree> {
        match entry {
            Node::Dir(sub) => Some(sub),
            _ => None,
        }
    }
}

/// One step of a [`Visit`], in name order, parents before children.
pub(crate) enum Event<'a, T: Nested> {
    /// An entry that is not a directory.
    Leaf(&'a str, &'a T::Entry),
    /// The directory `name`, whose entries follow until its [`Event::Leave`].
    Enter(&'a str, &'a T),
    /// The end of the directory entered last and not yet left.
    Leave(&'a T),
}

/// Equal sequences of events are equal trees: names, leaves, and where each
/// directory begins and ends, and whether it allows others.
impl<T: Nested<Entry: PartialEq>> PartialEq for Event<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Event::Leaf(a, x), Event::Leaf(b, y)) => a == b && x == y,
            (Event::Enter(a, x), Event::Enter(b, y)) => {
                a == b && x.allows_others() == y.allows_others()
            }
            (Event::Leave(_), Event::Leave(_)) => true,
            _ => false,
        }
    }
}

/// Whether two trees are equal, compared without recursion.
pub(crate) fn equal<T: Nested<Entry: PartialEq>>(a: &T, b: &T) -> bool {
    a.allows_others() == b.allows_others() && Visit::new(a).eq(Visit::new(b))
}

/// The entries of a tree at any depth, as events; the tree itself is
/// neither entered nor left.
pub(crate) struct Visit<'a, T: Nested> {
    /// The entries still to visit in each directory entered, with the tree
    /// they belong to; the tree visited is at the bottom and never left.
    open: Vec<(&'a T, btree_map::Iter<'a, String, T::Entry>)>,
}

impl<'a, T: Nested> Visit<'a, T> {
    pub(crate) fn new(tree: &'a T) -> Self {
        Visit {
            open: vec![(tree, tree.level())],
        }
    }
}

impl Tree {
    /// [`Visit::new`] of this tree.
    pub(crate) fn visit(&self) -> Visit<'_, Tree> {
        Visit::new(self)
    }
}

impl<'a, T: Nested> Iterator for Visit<'a, T> {
    type Item = Event<'a, T>;

    fn next(&mut self) -> Option<Event<'a, T>> {
        let (tree, entries) = self.open.last_mut()?;
        match entries.next() {
            Some((name, entry)) => match T::as_dir(entry) {
                Some(sub) => {
                    self.open.push((sub, sub.level()));
                    Some(Event::Enter(name, sub))
                }
                None => Some(Event::Leaf(name, entry)),
            },
            None => {
                let tree = *tree;
                self.open.pop();
                // The visited tree itself is not left.
                (!self.open.is_empty()).then_some(Event::Leave(tree))
            }
        }
    }
}
