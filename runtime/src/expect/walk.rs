//! The walk comparison and update mode share: one directory level of the
//! expectation and of the directory side by side, by name, ignored paths
//! left out. Each caller decides where to descend.

use std::io;

use super::ignore::Ignore;
use crate::tree::listing::{Entry, Walk};

/// The entries of the directory `walk` is in, whose path from the root is
/// `prefix`, in name order, less those `ignore` covers, which are counted
/// into `ignored` and never inspected: an ignored fifo is no error.
pub(crate) fn list(
    walk: &Walk,
    prefix: &str,
    ignore: &Ignore,
    ignored: &mut usize,
) -> io::Result<Vec<Entry>> {
    if ignore.is_empty() {
        return walk.list(|_| false);
    }
    walk.list(|name| {
        let covered = ignore.covers(&join(prefix, name));
        *ignored += usize::from(covered);
        covered
    })
}

/// One name at a level, with what each side holds under it; never neither.
pub(crate) struct Pair<'a, E, A> {
    pub(crate) name: &'a str,
    /// `/`-separated, relative to the root.
    pub(crate) path: String,
    pub(crate) expected: Option<E>,
    pub(crate) actual: Option<A>,
}

/// The entries of one level on both sides, each name once, in name order.
/// `expected` and `actual` must be in name order themselves, as the entries
/// of a tree are; `prefix` is the level's path.
pub(crate) fn side_by_side<'a, E, A>(
    prefix: &'a str,
    expected: impl Iterator<Item = (&'a str, E)>,
    actual: impl Iterator<Item = (&'a str, A)>,
    ignore: &'a Ignore,
) -> impl Iterator<Item = Pair<'a, E, A>> {
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
                name,
                expected: expected.next_if(|(n, _)| *n == name).map(|(_, e)| e),
                actual: actual.next_if(|(n, _)| *n == name).map(|(_, a)| a),
                path,
            };
            if !ignore.covers(&pair.path) {
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
    use super::{Ignore, side_by_side};

    #[test]
    fn each_name_comes_once_in_order_with_what_each_side_holds() {
        let ignore = Ignore::new(&["*.log".to_owned()]).unwrap();
        let expected = [("a", 1), ("c", 3), ("d.log", 4)];
        let actual = [("b", 'b'), ("c", 'c'), ("e", 'e')];
        let pairs: Vec<_> = side_by_side("dir", expected.into_iter(), actual.into_iter(), &ignore)
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
