//! A depth-first walk of a [`Tree`] as a flat sequence of [`Event`]s, kept
//! on an explicit stack: what compares, clones, prints and writes a tree, so
//! that none of them recurses and no depth overflows a thread's stack.

use std::collections::btree_map;

use super::{Node, Tree};

/// One step of [`Tree::visit`], in name order, parents before children.
#[derive(Clone, Copy)]
pub(crate) enum Event<'a> {
    /// A file or symbolic link: never a [`Node::Dir`].
    Leaf(&'a str, &'a Node),
    /// The directory `name`, whose entries follow until its [`Event::Leave`].
    Enter(&'a str, &'a Tree),
    /// The end of the directory entered last and not yet left.
    Leave(&'a Tree),
}

/// Equal sequences of events are equal trees: names, leaves, and where each
/// directory begins and ends.
impl PartialEq for Event<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Event::Leaf(a, x), Event::Leaf(b, y)) => a == b && x == y,
            (Event::Enter(a, _), Event::Enter(b, _)) => a == b,
            (Event::Leave(_), Event::Leave(_)) => true,
            _ => false,
        }
    }
}

/// The iterator of [`Tree::visit`].
pub(crate) struct Visit<'a> {
    /// The entries still to visit in each directory entered, with the tree
    /// they belong to; the tree visited is at the bottom and never left.
    open: Vec<(&'a Tree, btree_map::Iter<'a, String, Node>)>,
}

impl Tree {
    /// The entries of this tree at any depth, as events; the tree itself is
    /// neither entered nor left.
    pub(crate) fn visit(&self) -> Visit<'_> {
        Visit {
            open: vec![(self, self.entries.iter())],
        }
    }
}

impl<'a> Iterator for Visit<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let (tree, entries) = self.open.last_mut()?;
        match entries.next() {
            Some((name, Node::Dir(sub))) => {
                self.open.push((sub, sub.entries.iter()));
                Some(Event::Enter(name, sub))
            }
            Some((name, node)) => Some(Event::Leaf(name, node)),
            None => {
                let tree = *tree;
                self.open.pop();
                // The visited tree itself is not left.
                (!self.open.is_empty()).then_some(Event::Leave(tree))
            }
        }
    }
}
