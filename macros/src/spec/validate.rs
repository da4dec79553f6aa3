//! The rules of a spec that syntax alone does not give: every key follows the
//! key rules, names a path once, and never puts an entry inside a path that
//! another key gave a value; `..` ends a level of an expectation.
//!
//! Checking also merges the keys into one nested structure whose names are
//! single segments: `"src/bin/cli.rs" => …` and `"src" => { … }` become one
//! `src` directory. Every error is spanned on the key (or `..`) at fault and
//! checking goes on, so one compile reports them all.
//!
//! The rules Windows adds ([`check_windows`]) are kept apart: the macro runs
//! on the host and cannot know the target, so the expansion carries them as
//! `#[cfg(windows)] compile_error!`s, which fire only where it compiles for
//! Windows.

use std::collections::BTreeMap;
use std::fmt;

use fixtree_rules::{check_windows, segments};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Expr, ExprLit, Lit, LitInt, LitStr};

use super::parse::{Entry, Item, Spec, Value};
use crate::errors::Errors;
use crate::target::Target;

/// A checked spec: one merged level per directory, and the value expressions,
/// as tokens, in source order (the order they are evaluated in).
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) root: SpecDir,
    pub(crate) values: Vec<TokenStream>,
    /// Errors only when compiling for Windows: keys naming what Windows
    /// cannot hold as a file, each spanned on its key.
    pub(crate) windows_only: Vec<syn::Error>,
}

/// One directory: single-segment names, sorted.
#[derive(Default)]
pub(crate) struct SpecDir {
    pub(crate) entries: BTreeMap<String, Node>,
    /// Whether `..` allows other entries here.
    pub(crate) open: bool,
}

/// One name in a [`SpecDir`].
pub(crate) enum Node {
    /// `values[index]`, given by the key.
    Value(usize, KeyRef),
    /// `"path" => absent()` in a later layer of `files = [...]`: removed
    /// from the layers before.
    Absent(KeyRef),
    /// A directory, made by the key (explicitly, or as the parent of its
    /// path), and given as `{ … }` by the second key, if any key did.
    Dir(SpecDir, KeyRef, Option<KeyRef>),
}

/// A key as written, and the full path of the `{ … }` it is written in
/// (empty at the top): for messages about it.
#[derive(Clone)]
pub(crate) struct KeyRef(String, String);

/// `key "b"`, or `key "b" in "a"` inside `"a" => { … }`.
impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1.as_str() {
            "" => write!(f, "key {:?}", self.0),
            parent => write!(f, "key {:?} in {parent:?}", self.0),
        }
    }
}

/// Why `absent()` cannot be a value where a tree is made but in a later layer.
const ABSENT_FIRST: &str = "absent() removes what an earlier layer made: \
                            use it in a later layer of files = [...]";

/// Checks `spec`, reporting every mistake into `errors`.
pub(crate) fn check(spec: &Spec, target: Target, errors: &mut Errors) -> Checked {
    check_with(spec, target, false, errors)
}

/// Checks one layer of `files = [...]`, the first or a `later` one, where
/// `"path" => absent()` removes what the layers before made.
pub(crate) fn check_layer(spec: &Spec, later: bool, errors: &mut Errors) -> Checked {
    check_with(spec, Target::Tree, later, errors)
}

fn check_with(spec: &Spec, target: Target, removes: bool, errors: &mut Errors) -> Checked {
    let mut checker = Checker {
        target,
        removes,
        errors,
        out: Checked::default(),
    };
    let mut root = SpecDir::default();
    checker.level(spec, "", &mut root);
    checker.out.root = root;
    checker.out
}

/// What checking has found so far; `out.root` stays empty, the levels are
/// built apart.
struct Checker<'e> {
    target: Target,
    /// Whether `absent()` may remove a path (a later layer).
    removes: bool,
    errors: &'e mut Errors,
    out: Checked,
}

impl Checker<'_> {
    /// Adds the items of `spec`, written inside the directory `parent`, to `level`.
    fn level(&mut self, spec: &Spec, parent: &str, level: &mut SpecDir) {
        let last = spec.items.len().saturating_sub(1);
        for (i, item) in spec.items.iter().enumerate() {
            match item {
                Item::Error(error) => self.errors.push(error.clone()),
                Item::Rest(dots) => match self.target {
                    Target::Tree => self.errors.error_spanned_by(
                        dots,
                        "`..` (other entries allowed) only makes sense in an expectation, in assert_tree!; \
                         tree! builds exactly the entries it names: remove the `..`",
                    ),
                    Target::Expected if i != last => {
                        let level_name = match parent {
                            "" => "the spec".to_owned(),
                            _ => format!("{parent:?} => {{ ... }}"),
                        };
                        let message = format!("`..` must be the last entry of {level_name}: move it to the end");
                        self.errors.error_spanned_by(dots, message);
                    }
                    Target::Expected => level.open = true,
                },
                Item::Entry(entry) => self.entry(entry, parent, level),
            }
        }
    }

    fn entry(&mut self, entry: &Entry, parent: &str, level: &mut SpecDir) {
        // `absent()` where a tree is made: a removal, if anything.
        let removal = match &entry.value {
            Value::Expr(expr) if self.target == Target::Tree && is_absent(expr) => {
                if !self.removes {
                    self.errors.error_spanned_by(expr, ABSENT_FIRST);
                }
                true
            }
            Value::Expr(expr) => {
                decimal_modes(expr, self.errors);
                false
            }
            Value::Dir(_) => false,
        };
        let key = KeyRef(entry.key.value(), parent.to_owned());
        let written = key.0.clone();
        let parts = match segments(&written) {
            Ok(parts) => parts,
            Err(error) => {
                self.errors.error_spanned_by(&entry.key, error);
                return self.detached(entry, &join(parent, &written));
            }
        };
        if let Err(error) = check_windows(&written) {
            self.out
                .windows_only
                .push(syn::Error::new_spanned(&entry.key, error));
        }
        let (last, parents) = parts.split_last().expect("segments() is never empty");

        let mut dir = level;
        let mut path = parent.to_owned();
        for part in parents {
            path = join(&path, part);
            let node = dir
                .entries
                .entry((*part).to_owned())
                .or_insert_with(|| Node::Dir(SpecDir::default(), key.clone(), None));
            match node {
                Node::Dir(level, ..) => dir = level,
                Node::Absent(earlier) => {
                    self.errors
                        .error_spanned_by(&entry.key, removed_here(&key, earlier, &path));
                    return self.detached(entry, &join(parent, &written));
                }
                Node::Value(_, earlier) => {
                    let message = format!(
                        "{key} puts an entry inside {path:?}, but {earlier} above gives {path:?} a value, \
                         not a {{ ... }} directory; make {path:?} a directory ({:?} => {{ ... }}) \
                         or rename one of them",
                        earlier.0,
                    );
                    self.errors.error_spanned_by(&entry.key, message);
                    return self.detached(entry, &join(parent, &written));
                }
            }
        }

        let path = join(&path, last);
        let conflict = match (dir.entries.get_mut(*last), &entry.value) {
            (None, Value::Expr(_)) if removal => {
                dir.entries.insert((*last).to_owned(), Node::Absent(key));
                return;
            }
            (None, Value::Expr(expr)) => {
                dir.entries
                    .insert((*last).to_owned(), Node::Value(self.out.values.len(), key));
                let value = self.value(expr);
                return self.out.values.push(value);
            }
            (None, Value::Dir(spec)) => {
                let mut level = SpecDir::default();
                self.level(spec, &path, &mut level);
                let node = Node::Dir(level, key.clone(), Some(key));
                dir.entries.insert((*last).to_owned(), node);
                return;
            }
            // A directory so far only implied by a longer key: merge.
            (Some(Node::Dir(level, _, explicit @ None)), Value::Dir(spec)) => {
                *explicit = Some(key);
                return self.level(spec, &path, level);
            }
            (Some(Node::Value(_, earlier) | Node::Absent(earlier)), Value::Expr(_))
            | (Some(Node::Dir(_, _, Some(earlier))), Value::Dir(_)) => {
                duplicate(&key, earlier, &path)
            }
            (Some(Node::Absent(earlier)), Value::Dir(_)) => removed_here(&key, earlier, &path),
            (Some(Node::Value(_, earlier)), Value::Dir(_)) => format!(
                "{key} makes {path:?} a directory, but {earlier} above gives {path:?} a value; \
                 give {path:?} once, as a value or as a {{ ... }} directory"
            ),
            (Some(Node::Dir(_, made_by, _)), Value::Expr(_)) => format!(
                "{key} gives {path:?} a value, but {made_by} above made {path:?} a directory; \
                 give {path:?} once, as a value or as a {{ ... }} directory"
            ),
        };
        self.errors.error_spanned_by(&entry.key, conflict);
        self.detached(entry, &path);
    }

    /// The code of the value `expr`: `folder("…")`, where a tree is made, is
    /// checked as `from = "…"` is and read when the test runs.
    fn value(&mut self, expr: &Expr) -> TokenStream {
        let Some(folder) = folder_value(expr) else {
            return expr.to_token_stream();
        };
        if self.target != Target::Tree {
            self.errors.error_spanned_by(
                expr,
                "folder(\"…\") fills a directory a test starts with; to compare with a folder, \
                 write `assert_tree!(dir, from = \"…\", ..)` (the `..` compares only what it holds)",
            );
            return expr.to_token_stream();
        }
        crate::folder::check(folder, Target::Tree, self.errors);
        let (private, folder) = (
            crate::crate_name::private(),
            crate::folder::runtime(folder, false),
        );
        quote!(#private::snapshot_tree(#folder))
    }

    /// Checks what is inside an entry that could not be placed, so its
    /// mistakes are reported too.
    fn detached(&mut self, entry: &Entry, path: &str) {
        if let Value::Dir(spec) = &entry.value {
            self.level(spec, path, &mut SpecDir::default());
        }
    }
}

/// The folder of `folder("…")`, called by that name alone with a string literal.
fn folder_value(expr: &Expr) -> Option<&LitStr> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let one = matches!(&*call.func, Expr::Path(func) if func.path.is_ident("folder"));
    match call.args.first().filter(|_| one && call.args.len() == 1)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(folder),
            ..
        }) => Some(folder),
        _ => None,
    }
}

/// Whether `expr` is `absent()`, by any path.
fn is_absent(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if call.args.is_empty() && matches!(&*call.func,
        Expr::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "absent")))
}

/// The paths the `absent()` entries of a checked layer remove,
/// `/`-separated, in name order.
pub(crate) fn removed(level: &SpecDir, parent: &str, paths: &mut Vec<String>) {
    for (name, node) in &level.entries {
        match node {
            Node::Absent(_) => paths.push(join(parent, name)),
            Node::Dir(sub, ..) => removed(sub, &join(parent, name), paths),
            Node::Value(..) => {}
        }
    }
}

/// Reports each `mode(755, …)` in `expr` (a call by any path ending in
/// `mode`) whose first argument is an integer literal written in decimal
/// and above 7: permission bits are octal, and `755` is `0o1363`.
fn decimal_modes(expr: &Expr, errors: &mut Errors) {
    match expr {
        Expr::Call(call) => {
            let is_mode = matches!(&*call.func, Expr::Path(path)
                if path.path.segments.last().is_some_and(|last| last.ident == "mode"));
            if let (
                true,
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(int), ..
                })),
            ) = (is_mode, call.args.first())
            {
                if let Some(message) = decimal_mode(int) {
                    errors.error_spanned_by(int, message);
                }
            }
            decimal_modes(&call.func, errors);
            call.args.iter().for_each(|arg| decimal_modes(arg, errors));
        }
        Expr::MethodCall(call) => {
            decimal_modes(&call.receiver, errors);
            call.args.iter().for_each(|arg| decimal_modes(arg, errors));
        }
        Expr::Paren(inner) => decimal_modes(&inner.expr, errors),
        Expr::Group(inner) => decimal_modes(&inner.expr, errors),
        Expr::Reference(inner) => decimal_modes(&inner.expr, errors),
        _ => {}
    }
}

/// The message for `int`, the bits of a `mode(…)`, if it is written in
/// decimal (no `0o`, `0x` or `0b` prefix) and above 7.
fn decimal_mode(int: &LitInt) -> Option<String> {
    let written = int.to_string();
    let prefixed = ["0o", "0x", "0b"]
        .iter()
        .any(|prefix| written.starts_with(prefix));
    let digits = int.base10_digits();
    let octal = match digits.parse::<u128>() {
        Ok(value) if value <= 7 => return None,
        Ok(value) => format!("{value:#o}"),
        Err(_) => "too large".to_owned(),
    };
    if prefixed {
        return None;
    }
    let fix = match digits.contains(['8', '9']) {
        false => format!("write `0o{digits}{}`", int.suffix()),
        true => "with digits 0 to 7, e.g. `0o755`".to_owned(),
    };
    Some(format!(
        "`{written}` is decimal ({octal} in octal): permission bits are octal, {fix}"
    ))
}

/// The message for a key putting entries in `path`, which `earlier` removes.
fn removed_here(key: &KeyRef, earlier: &KeyRef, path: &str) -> String {
    format!(
        "{key} puts entries in {path:?}, but {earlier} above removes {path:?} with absent(); \
         a layer removes a path or fills it, not both: remove one of them"
    )
}

/// The message for a path given twice, on the later key.
fn duplicate(key: &KeyRef, earlier: &KeyRef, path: &str) -> String {
    let full = match (key.1.as_str(), earlier.1.as_str()) {
        ("", "") => String::new(),
        _ => format!(" ({path:?})"),
    };
    format!(
        "duplicate {key}: {earlier} above gives the same path{full}; \
         each path may be given once, remove one of them"
    )
}

/// `name` inside `parent`, a `/`-separated path (empty: the top).
pub(crate) fn join(parent: &str, name: &str) -> String {
    match parent {
        "" => name.to_owned(),
        _ => format!("{parent}/{name}"),
    }
}
