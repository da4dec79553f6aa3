//! Rust source as `cargo fixtree` reads it, tokenized by proc-macro2 with
//! span locations (as cargo-insta reads it with syn): the `{ … }` spec of
//! the `assert_tree!` at a line and column, that spec with a record's edits
//! applied entry by entry, and the snapshot folders the assertions of a
//! file name.

use std::ops::Range;
use std::path::Path;

use fixtree_rules::cases::CasePattern;
use fixtree_runtime::cli::review::Edit;
use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};

/// The most a source file scanned or rewritten may hold.
pub(crate) const SOURCE_LIMIT: u64 = 64 << 20;

/// The `{ … }` given as what the directory should hold in an
/// `assert_tree!` invocation: where it is in the text, and the fingerprint
/// of its tokens (`fixtree_rules::tokens`), as the macro computed it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Byte range of the `{ … }`, braces included.
    pub(crate) range: Range<usize>,
    /// The fingerprint of the tokens between the braces.
    pub(crate) tokens: String,
}

/// The spec of the `assert_tree!` invoked at `line`:`column` (1-based, the
/// column in characters, as `line!()` and `column!()` count).
///
/// ```text
/// fixtree::assert_tree!(dir.path(), { "a" => "x" });
///                                   ^^^^^^^^^^^^^^ this range
/// ```
pub(crate) fn spec_range(text: &str, line: u32, column: u32) -> Result<Spec, String> {
    let at = offset(text, line, column)
        .ok_or_else(|| format!("there is no line {line}, column {column}"))?;
    with_tokens(text, |stream| spec_at(text, stream, at))
        .map_err(|why| format!("the file {why}"))?
}

/// The spec of the `assert_tree!` at byte `at` of `text`, whose tokens are `stream`.
fn spec_at(text: &str, stream: TokenStream, at: usize) -> Result<Spec, String> {
    let levels = levels(stream);
    let call = calls(&levels).find(|(start, _)| start.byte_range().start == at);
    let Some((_, args)) = call else {
        let found: String = text[at..].chars().take(30).collect();
        return Err(format!("no `assert_tree!` starts there (found {found:?})"));
    };
    let args: Vec<TokenTree> = args.stream().into_iter().collect();
    let comma = args
        .iter()
        .position(|t| punct(t, ','))
        .ok_or("the invocation has no `{ … }` spec")?;
    let not_spec = "the invocation compares with a value or a folder, not a `{ … }` spec";
    let spec = match args.get(comma + 1) {
        Some(TokenTree::Group(spec)) if spec.delimiter() == Delimiter::Brace => spec,
        _ => return Err(not_spec.to_owned()),
    };
    Ok(Spec {
        range: spec.span_open().byte_range().start..spec.span_close().byte_range().end,
        tokens: fixtree_rules::tokens::fingerprint(spec.stream()),
    })
}

/// The most levels of `{ … }`, `( … )` and `[ … ]` a text read here may
/// nest: the readers of specs go down them by recursion.
const NESTING_LIMIT: usize = 256;

/// `read` applied to the tokens of `text`; `Err` (what is wrong with
/// `text`) if it does not tokenize or nests deeper than [`NESTING_LIMIT`].
/// The tokenizer keeps every text it read, per thread, until told to
/// forget them, which it is after `read`: so `read` returns no span.
fn with_tokens<T>(text: &str, read: impl FnOnce(TokenStream) -> T) -> Result<T, String> {
    let read = match text.parse::<TokenStream>() {
        Err(e) => Err(format!("does not tokenize ({e})")),
        Ok(stream) if nests_too_deep(&stream) => Err(format!(
            "nests `{{ … }}`, `( … )` or `[ … ]` more than {NESTING_LIMIT} levels deep, deeper \
             than fixtree reads"
        )),
        Ok(stream) => Ok(read(stream)),
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    read
}

/// Whether `stream` nests groups deeper than [`NESTING_LIMIT`].
fn nests_too_deep(stream: &TokenStream) -> bool {
    let mut streams = vec![(stream.clone(), 0)];
    while let Some((stream, depth)) = streams.pop() {
        for token in stream {
            if let TokenTree::Group(group) = token {
                if depth == NESTING_LIMIT {
                    return true;
                }
                streams.push((group.stream(), depth + 1));
            }
        }
    }
    false
}

/// Every `assert_tree!(…)` in `levels`, its path's first token included
/// (`::fixtree::assert_tree![…]`): where it starts, and its arguments.
fn calls(levels: &[Level]) -> impl Iterator<Item = (Span, &Group)> {
    levels.iter().flat_map(|(tokens, _)| {
        let windows = tokens.windows(3).enumerate();
        windows.filter_map(|(i, window)| {
            let [TokenTree::Ident(name), bang, TokenTree::Group(args)] = window else {
                return None;
            };
            let mut start = i;
            while start >= 2 && punct(&tokens[start - 1], ':') && punct(&tokens[start - 2], ':') {
                start -= 2;
                if start > 0 && matches!(tokens[start - 1], TokenTree::Ident(_)) {
                    start -= 1;
                }
            }
            let call = name == "assert_tree" && punct(bang, '!');
            call.then(|| (tokens[start].span(), args))
        })
    })
}

/// What the assertions of a source file name: the `from = "…"` folders of
/// its `assert_tree!`s and the patterns of its `#[cases("…")]`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) folders: Vec<String>,
    pub(crate) case_patterns: Vec<CasePatterns>,
}

/// What a `#[cases("…")]` names: its pattern, and the name of each case's
/// expected folder (`expected = "…"`, or `expected`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CasePatterns {
    pub(crate) pattern: String,
    pub(crate) expected: String,
}

impl CasePatterns {
    /// Whether `written`, a folder relative to the crate's directory, is
    /// the expected folder of one of these cases.
    pub(crate) fn names(&self, written: &str) -> bool {
        let Some((case, name)) = (written.strip_suffix(self.expected.as_str()))
            .and_then(|case| case.strip_suffix('/'))
            .and_then(|case| case.rsplit_once('/'))
        else {
            return false;
        };
        CasePattern::parse(&self.pattern)
            .is_ok_and(|pattern| pattern.dir() == case && pattern.matches(name))
    }

    /// The pattern and the `expected = "…"` option in the arguments of
    /// `#[cases(…)]`, if its first is a string.
    fn of(args: &Group) -> Option<CasePatterns> {
        let args: Vec<TokenTree> = args.stream().into_iter().collect();
        let pattern = unquote(args.first()?)?;
        let expected = args.windows(3).find_map(|option| match option {
            [TokenTree::Ident(name), eq, value] if name == "expected" && punct(eq, '=') => {
                unquote(value)
            }
            _ => None,
        });
        let expected = expected.unwrap_or_else(|| "expected".to_owned());
        Some(CasePatterns { pattern, expected })
    }
}

impl Named {
    /// Adds the folders and case patterns the assertions in `text` name; a
    /// file that does not tokenize names none. The file is in `folder`
    /// (relative to the crate's directory), where a `from = "./…"` starts.
    pub(crate) fn add(&mut self, text: &str, folder: &Path) {
        let Ok(stream) = text.parse() else {
            return;
        };
        let levels = levels(stream);
        for (_, args) in calls(&levels) {
            let args: Vec<TokenTree> = args.stream().into_iter().collect();
            for (i, key) in args.iter().enumerate() {
                if matches!(key, TokenTree::Ident(key) if key == "from")
                    && args.get(i + 1).is_some_and(|eq| punct(eq, '='))
                {
                    let written = args.get(i + 2).and_then(unquote);
                    self.folders
                        .extend(written.and_then(|w| crate_relative(folder, w)));
                }
            }
        }
        // `cases("…")` in an attribute.
        for (tokens, _) in levels.iter().filter(|(_, attribute)| *attribute) {
            for pair in tokens.windows(2) {
                if let [TokenTree::Ident(name), TokenTree::Group(args)] = pair {
                    if name == "cases" && args.delimiter() == Delimiter::Parenthesis {
                        self.case_patterns.extend(CasePatterns::of(args));
                    }
                }
            }
        }
    }
}

/// `written`, a `from` folder, relative to the crate's directory, as the
/// runtime resolves it: a `./` path is in `folder`, the source file's (none
/// if that is not UTF-8, as `file!()` always is).
fn crate_relative(folder: &Path, written: String) -> Option<String> {
    let Some(rest) = written.strip_prefix("./") else {
        return Some(written);
    };
    let segments = folder.components().map(|c| c.as_os_str().to_str());
    let mut segments = segments.collect::<Option<Vec<&str>>>()?;
    segments.push(rest);
    Some(segments.join("/"))
}

/// Whether `token` is the punctuation `c`.
fn punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// The tokens of a group, and whether it is an attribute's `#[…]`.
type Level = (Vec<TokenTree>, bool);

/// The tokens of `stream` and of every group in it, a level each.
fn levels(stream: TokenStream) -> Vec<Level> {
    let (mut levels, mut streams) = (Vec::new(), vec![(stream, false)]);
    while let Some((stream, attribute)) = streams.pop() {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token {
                let hash = i > 0 && punct(&tokens[i - 1], '#');
                let attribute = hash && group.delimiter() == Delimiter::Bracket;
                streams.push((group.stream(), attribute));
            }
        }
        levels.push((tokens, attribute));
    }
    levels
}

/// The value of a string literal, `"…"` (its escapes read as the runtime's
/// spec text reads them) or a raw `r#"…"#`; `None` for anything else.
fn unquote(token: &TokenTree) -> Option<String> {
    let TokenTree::Literal(literal) = token else {
        return None;
    };
    let literal = literal.to_string();
    if let Some(raw) = literal.strip_prefix('r') {
        let inner = raw.trim_matches('#').strip_prefix('"')?.strip_suffix('"')?;
        return Some(inner.to_owned());
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(inner.to_owned());
    }
    // One literal token cannot reach out of its quotes into the spec around it.
    let tree: fixtree_runtime::Tree = format!("{{ \"k\" => {literal} }}").parse().ok()?;
    match tree.get("k")? {
        fixtree_runtime::Node::File { contents, .. } => String::from_utf8(contents.clone()).ok(),
        _ => None,
    }
}

/// `spec` (unindented spec text) as it is to stand at `range` of `text`:
/// every line after the first indented as the line the range starts on,
/// and ended as that line is (CRLF in a file git checked out so).
fn indented(text: &str, range: &Range<usize>, spec: &str) -> String {
    let (indent, newline) = line_style(text, range.start);
    reindent(spec, indent, newline)
}

/// The indentation of the line `at` is on, and how that line ends.
fn line_style(text: &str, at: usize) -> (&str, &'static str) {
    let line = text[line_start(text, at)..]
        .split('\n')
        .next()
        .unwrap_or_default();
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    (indent, if line.ends_with('\r') { "\r\n" } else { "\n" })
}

/// `spec` with every line after the first indented by `indent`, and ended by `newline`.
fn reindent(spec: &str, indent: &str, newline: &str) -> String {
    spec.trim_end().replace('\n', &format!("{newline}{indent}"))
}

/// Where the line `at` is on starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte offset of `line`:`column` (as [`spec_range`] counts them);
/// `None` where there is no such place, a line or column 0 included.
pub(crate) fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let index = line.checked_sub(1)? as usize;
    // Within the line: a column past its end is no place in it.
    let rest = text.split('\n').nth(index)?;
    let line_start: usize = text.split('\n').take(index).map(|l| l.len() + 1).sum();
    let (in_line, _) = rest.char_indices().nth(column.checked_sub(1)? as usize)?;
    Some(line_start + in_line)
}

/// The line and column of the byte offset `offset`: [`offset`] reversed.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let count = |n: usize| u32::try_from(n + 1).unwrap_or(u32::MAX);
    let column = before[line_start..].chars().count();
    (count(before.matches('\n').count()), count(column))
}

/// One `{ … }` level of a spec as written: its items in order, with the
/// byte ranges in the source of each.
#[derive(Debug)]
struct SpecLevel {
    /// Where its `{` is.
    open: usize,
    /// Where its `}` is.
    close: usize,
    items: Vec<Item>,
}

/// One comma-separated part of a level.
#[derive(Debug)]
struct Item {
    /// From its first byte through its trailing comma, if it has one.
    range: Range<usize>,
    /// Where it ends, before that comma.
    end: usize,
    /// `None`: it is `..`.
    entry: Option<Entry>,
}

/// `"key" => value`.
#[derive(Debug)]
struct Entry {
    /// The key as the macro reads it; `None` for a literal this reader
    /// does not, which no edit then finds.
    key: Option<String>,
    value: Value,
}

/// An entry's value, or a helper's argument, as written.
#[derive(Debug)]
enum Value {
    Dir(SpecLevel),
    Literal(Range<usize>),
    /// `name(args…)`.
    Call {
        name: String,
        args: Vec<Value>,
        range: Range<usize>,
    },
    /// Any other expression: a variable, `include_bytes!(…)`, a method call.
    Other(Range<usize>),
}

impl Value {
    fn range(&self) -> Range<usize> {
        match self {
            Value::Dir(level) => level.open..level.close + 1,
            Value::Literal(range) | Value::Other(range) | Value::Call { range, .. } => {
                range.clone()
            }
        }
    }

    /// Reads `tokens`, at `base` in the source; a `{ … }` is a level where
    /// `dir`, an expression elsewhere.
    fn read(tokens: &[TokenTree], base: usize, dir: bool) -> Result<Value, String> {
        let range = at(tokens.first(), base).start..at(tokens.last(), base).end;
        Ok(match tokens {
            [TokenTree::Group(group)] if dir && group.delimiter() == Delimiter::Brace => {
                Value::Dir(SpecLevel::read(group, base)?)
            }
            [TokenTree::Literal(_)] => Value::Literal(range),
            [TokenTree::Ident(name), TokenTree::Group(args)]
                if args.delimiter() == Delimiter::Parenthesis =>
            {
                let tokens: Vec<TokenTree> = args.stream().into_iter().collect();
                let parts = tokens.split(|t| punct(t, ',')).filter(|p| !p.is_empty());
                Value::Call {
                    name: name.to_string(),
                    args: parts
                        .map(|p| Value::read(p, base, false))
                        .collect::<Result<_, _>>()?,
                    range,
                }
            }
            _ => Value::Other(range),
        })
    }

    /// Whether it is written out in literals and spec helpers, so that
    /// replacing it loses nothing the user wrote but the content.
    fn written_out(&self) -> bool {
        match self {
            Value::Literal(_) => true,
            Value::Dir(level) => level.items.iter().all(|item| {
                let entry = item.entry.as_ref();
                entry.is_none_or(|entry| entry.value.written_out())
            }),
            Value::Call { name, args, .. } => {
                fixtree_rules::SPEC_HELPERS.contains(&name.as_str())
                    && args.iter().all(Value::written_out)
            }
            Value::Other(_) => false,
        }
    }

    /// Its arguments, if it calls the helper `name` with `count` of them.
    fn helper(&self, name: &str, count: usize) -> Option<&[Value]> {
        match self {
            Value::Call {
                name: called, args, ..
            } if called == name && args.len() == count => Some(args),
            _ => None,
        }
    }
}

/// The byte range at `base` of `token` (empty at `base` for none).
fn at(token: Option<&TokenTree>, base: usize) -> Range<usize> {
    let range = token.map_or(0..0, |t| t.span().byte_range());
    range.start + base..range.end + base
}

impl SpecLevel {
    /// The spec `text`, one `{ … }` at `base` in the source.
    fn read_all(text: &str, base: usize) -> Result<SpecLevel, String> {
        let read = |stream: TokenStream| match &stream.into_iter().collect::<Vec<_>>()[..] {
            [TokenTree::Group(group)] if group.delimiter() == Delimiter::Brace => {
                SpecLevel::read(group, base)
            }
            _ => Err("the spec is not one `{ … }`".to_owned()),
        };
        with_tokens(text, read).map_err(|why| format!("the spec {why}"))?
    }

    /// The level inside `group`, a `{ … }` at `base` in the source.
    fn read(group: &Group, base: usize) -> Result<SpecLevel, String> {
        let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
        let mut items = Vec::new();
        let mut rest = &tokens[..];
        while !rest.is_empty() {
            let part_end = rest
                .iter()
                .position(|t| punct(t, ','))
                .unwrap_or(rest.len());
            let (part, comma) = (&rest[..part_end], rest.get(part_end));
            rest = rest.get(part_end + 1..).unwrap_or_default();
            let entry = match part {
                [a, b] if punct(a, '.') && punct(b, '.') => None,
                [key @ TokenTree::Literal(_), eq, gt, value @ ..]
                    if punct(eq, '=') && punct(gt, '>') && !value.is_empty() =>
                {
                    let value = Value::read(value, base, true)?;
                    Some(Entry {
                        key: unquote(key),
                        value,
                    })
                }
                _ => {
                    let written = part.iter().map(ToString::to_string).collect::<Vec<_>>();
                    return Err(format!(
                        "`{}` is neither `\"key\" => value` nor `..`",
                        one_line(&written.join(" "))
                    ));
                }
            };
            let end = at(part.last(), base).end;
            let through = comma.map_or(end, |comma| at(Some(comma), base).end);
            let start = at(part.first(), base).start;
            items.push(Item {
                range: start..through,
                end,
                entry,
            });
        }
        Ok(SpecLevel {
            open: group.span_open().byte_range().start + base,
            close: group.span_close().byte_range().start + base,
            items,
        })
    }

    /// The items of this level and of the levels below it whose key path
    /// is `path` (`exact`) or below it: (level, index, exact).
    fn resolve<'a>(&'a self, path: &[&str], found: &mut Vec<(&'a SpecLevel, usize, bool)>) {
        for (index, item) in self.items.iter().enumerate() {
            let Some(Entry {
                key: Some(key),
                value,
            }) = &item.entry
            else {
                continue;
            };
            let key: Vec<&str> = key.split('/').collect();
            if key.starts_with(path) {
                found.push((self, index, key.len() == path.len()));
            } else if let (true, Value::Dir(level)) = (path.starts_with(&key), value) {
                level.resolve(&path[key.len()..], found);
            }
        }
    }

    /// The deepest level that covers `parent`, and how many of its
    /// segments the keys down to it take; `Err`: the entry on the way whose
    /// value is no `{ … }` (a file, an expression), and the segments
    /// through its key.
    fn deepest(&self, parent: &[&str]) -> Result<(&SpecLevel, usize), (&Item, usize)> {
        for item in &self.items {
            let Some(Entry {
                key: Some(key),
                value,
            }) = &item.entry
            else {
                continue;
            };
            let key: Vec<&str> = key.split('/').collect();
            if !parent.starts_with(&key) {
                continue;
            }
            let Value::Dir(level) = value else {
                return Err((item, key.len()));
            };
            return match level.deepest(&parent[key.len()..]) {
                Ok((level, taken)) => Ok((level, key.len() + taken)),
                Err((item, taken)) => Err((item, key.len() + taken)),
            };
        }
        Ok((self, 0))
    }
}

/// A spec after a record's edits.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Applied {
    /// The `{ … }` as it is to stand in place of the old one.
    pub(crate) spec: String,
    /// What fixtree left to the user, in the order of the edits.
    pub(crate) left: Vec<Left>,
}

/// An entry fixtree does not rewrite.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Left {
    /// Byte offset in the new spec of the entry (of the spec itself for a
    /// path it does not name).
    pub(crate) at: usize,
    /// The entry as written, `"log" => contains("done")`, or the path.
    pub(crate) entry: String,
    /// Why, and what to do.
    pub(crate) reason: String,
}

/// A piece of the source and what replaces it.
type Patch = (Range<usize>, String);

/// The `{ … }` at `range` of `source` with `edits` applied: only the entries
/// they name change (a value's literal only, inside `exec`, `mode` and
/// `modified`); other entries, `..`, the order, comments and formatting
/// stay. What cannot be done faithfully (a failing matcher, an expression)
/// is left for the user. `Err` (the spec stays as it is): the spec cannot
/// be read, two edits touch the same text, an added key breaks the key
/// rules, or the result would not tokenize.
pub(crate) fn apply_edits(
    source: &str,
    range: &Range<usize>,
    edits: &[Edit],
) -> Result<Applied, String> {
    let written = source
        .get(range.clone())
        .ok_or("the record's `{ … }` is not in the source")?;
    let root = SpecLevel::read_all(written, range.start)?;
    let (mut patches, mut left, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for edit in edits {
        let (Edit::Change { path, .. }
        | Edit::Remove { path }
        | Edit::Add { path, .. }
        | Edit::Manual { path, .. }) = edit;
        let segments: Vec<&str> = path.split('/').collect();
        let mut found = Vec::new();
        root.resolve(&segments, &mut found);
        let exact = found.iter().find(|(_, _, exact)| *exact);
        let item = exact.map(|(level, index, _)| &level.items[*index]);
        let mut leave = |item: Option<&Item>, reason: String| {
            left.push(match item {
                Some(item) => (
                    item.range.start,
                    one_line(&source[item.range.start..item.end]),
                    reason,
                ),
                None => (range.start, format!("{path:?}"), reason),
            });
        };
        match edit {
            Edit::Manual { reason, .. } => leave(item, reason.clone()),
            Edit::Change { value, .. } => {
                let entry = item.and_then(|item| item.entry.as_ref());
                match entry
                    .map(|entry| change(source, &entry.value, value))
                    .transpose()?
                {
                    Some(Some(patch)) => patches.push(patch),
                    Some(None) => leave(
                        item,
                        format!(
                            "an expression is not rewritten: make it {}",
                            one_line(value)
                        ),
                    ),
                    None => leave(
                        item,
                        format!(
                            "not found in the spec as written: make it {}",
                            one_line(value)
                        ),
                    ),
                }
            }
            Edit::Remove { .. } if found.is_empty() => {
                leave(
                    item,
                    "not found in the spec as written: remove it by hand".to_owned(),
                );
            }
            Edit::Remove { .. } => removed.extend(found.iter().map(|(l, i, _)| (*l, *i))),
            Edit::Add { .. } if exact.is_some() => {
                leave(
                    item,
                    "already in the spec: fixtree adds no second entry for it".to_owned(),
                );
            }
            Edit::Add { value, .. } => {
                // Its tokens only: a `// comment` after them would swallow what follows.
                let value = &value[spec_text(value)?.range()];
                match root.deepest(&segments[..segments.len() - 1]) {
                    Ok((level, taken)) => {
                        patches.extend(add(source, level, &segments[taken..], value)?);
                    }
                    Err((under, taken)) => leave(
                        Some(under),
                        format!(
                            "not a `{{ … }}` in the spec as written: add {:?} => {} to it by hand",
                            segments[taken..].join("/"),
                            one_line(value)
                        ),
                    ),
                }
            }
        }
    }
    patches.extend(removals(source, &mut removed));
    patches.sort_by_key(|(range, _)| (range.start, range.end));
    if let Some(pair) = patches
        .windows(2)
        .find(|pair| pair[0].0.end > pair[1].0.start)
    {
        let (first, second) = (&source[pair[0].0.clone()], &source[pair[1].0.clone()]);
        return Err(format!(
            "two edits of the record touch the same text ({:?} and {:?}): edit the spec by hand",
            one_line(first),
            one_line(second)
        ));
    }
    let mut spec = written.to_owned();
    for (at, text) in patches.iter().rev() {
        spec.replace_range(at.start - range.start..at.end - range.start, text);
    }
    if let Err(e) = SpecLevel::read_all(&spec, 0) {
        return Err(format!(
            "the edited spec would not read back ({e}): edit it by hand"
        ));
    }
    let left = left.into_iter().map(|(at, entry, reason)| Left {
        at: moved(&patches, at) - range.start,
        entry,
        reason,
    });
    Ok(Applied {
        spec,
        left: left.collect(),
    })
}

/// Where the byte at `at` of the source is once `patches` (sorted, apart)
/// are applied; one inside a patch goes to its start.
fn moved(patches: &[Patch], at: usize) -> usize {
    let mut new = at;
    for (range, text) in patches {
        if range.end <= at {
            new = new - range.len() + text.len();
        } else if range.start < at {
            new -= at - range.start;
        }
    }
    new
}

/// The patch that makes `value` (written in `source`) the recorded
/// `recorded`: inside `modified(T, …)`, and inside `exec(…)` or `mode(M, …)`
/// when `recorded` calls the same with the same mode, only the literal
/// changes; a `value` without `exec` or `mode` gets none. `None`: `value`
/// is an expression, which is not rewritten.
fn change(source: &str, value: &Value, recorded: &str) -> Result<Option<Patch>, String> {
    let new = spec_text(recorded)?;
    let mode = |args: &[Value], text: &str| mode_bits(&text[args[0].range()]);
    let (mut old, mut new) = (value, &new);
    loop {
        if let Some(args) = old.helper("modified", 2) {
            old = &args[1];
            new = new.helper("modified", 2).map_or(new, |args| &args[1]);
        } else if let (Some(a), Some(b)) = (old.helper("exec", 1), new.helper("exec", 1)) {
            (old, new) = (&a[0], &b[0]);
        } else if let (Some(a), Some(b)) = (old.helper("mode", 2), new.helper("mode", 2)) {
            if mode(a, source).is_none() || mode(a, source) != mode(b, recorded) {
                break;
            }
            (old, new) = (&a[1], &b[1]);
        } else {
            break;
        }
    }
    // No check of modes the user did not write: only what the helpers hold.
    if old.helper("exec", 1).is_none() && old.helper("mode", 2).is_none() {
        loop {
            match (new.helper("exec", 1), new.helper("mode", 2)) {
                (Some(args), _) => new = &args[0],
                (_, Some(args)) => new = &args[1],
                _ => break,
            }
        }
    }
    let range = old.range();
    Ok(old.written_out().then(|| {
        (
            range.clone(),
            indented(source, &range, &recorded[new.range()]),
        )
    }))
}

/// A value a record carries, read as spec text: literals, spec helpers and
/// `{ … }` only, never an expression (a record may be anyone's).
fn spec_text(value: &str) -> Result<Value, String> {
    let not = |why: String| {
        format!(
            "the record holds the value {:?}, which {why}: run the test again with \
             FIXTREE_UPDATE=review",
            one_line(value)
        )
    };
    let read = |tokens: TokenStream| Value::read(&tokens.into_iter().collect::<Vec<_>>(), 0, true);
    let read = with_tokens(value, read)
        .and_then(std::convert::identity)
        .map_err(not)?;
    match read.written_out() {
        true => Ok(read),
        false => Err(not(
            "is not spec text (literals, spec helpers, `{ … }`)".to_owned()
        )),
    }
}

/// The permission bits a `mode` literal stands for (`0o640`, `416`).
fn mode_bits(literal: &str) -> Option<u32> {
    let digits = literal.replace('_', "");
    let digits = digits.trim_end_matches("u32");
    match digits.strip_prefix("0o") {
        Some(octal) => u32::from_str_radix(octal, 8).ok(),
        None => digits.parse().ok(),
    }
}

/// The patches that add `key => value` (`key` the path below `level`,
/// `value` checked spec text) to `level`: before `..`, at its sorted place
/// if the keys are sorted, else last; on a line of its own with the
/// previous entry's indentation, or inline in a level written on one line.
fn add(source: &str, level: &SpecLevel, key: &[&str], value: &str) -> Result<Vec<Patch>, String> {
    let key = key.join("/");
    let refused =
        |e: fixtree_rules::KeyError| format!("the record adds an entry that is not a key: {e}");
    fixtree_rules::segments(&key).map_err(refused)?;
    fixtree_rules::check_windows(&key).map_err(refused)?;
    let items = &level.items;
    // The entries before `..` (valid last only).
    let last = items
        .iter()
        .position(|item| item.entry.is_none())
        .unwrap_or(items.len());
    let keys: Vec<Option<&str>> = items[..last]
        .iter()
        .filter_map(|item| Some(item.entry.as_ref()?.key.as_deref()))
        .collect();
    let sorted = keys
        .windows(2)
        .all(|pair| pair[0].is_some() && pair[0] <= pair[1]);
    let later = keys.iter().position(|k| sorted && *k > Some(key.as_str()));
    let place = later.unwrap_or(last);
    let inside = &source[level.open + 1..level.close];
    let insert = |at: usize, text: String| vec![(at..at, text)];
    if !inside.contains('\n') && !value.contains('\n') {
        let entry = format!("{key:?} => {value}");
        return Ok(match (items.get(place), items.last()) {
            (Some(next), _) => insert(next.range.start, format!("{entry}, ")),
            (None, Some(last)) if last.range.end > last.end => {
                insert(last.range.end, format!(" {entry},"))
            }
            (None, Some(last)) => insert(last.end, format!(", {entry}")),
            (None, None) if inside.trim().is_empty() => {
                vec![(level.open + 1..level.close, format!(" {entry} "))]
            }
            (None, None) => insert(level.close, format!("{entry} ")),
        });
    }
    let newline = if inside.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let indent = match (
        place.checked_sub(1).and_then(|i| items.get(i)),
        items.get(place),
    ) {
        (Some(item), _) | (None, Some(item)) => line_style(source, item.range.start).0.to_owned(),
        (None, None) => format!("{}    ", line_style(source, level.close).0),
    };
    let entry = format!("{key:?} => {}", reindent(value, &indent, newline));
    let line = format!("{indent}{entry},{newline}");
    let starts_line = |at: usize| source[line_start(source, at)..at].trim().is_empty();
    Ok(match (items.get(place), items.last()) {
        (Some(next), _) if starts_line(next.range.start) => {
            insert(line_start(source, next.range.start), line)
        }
        (Some(next), _) => insert(next.range.start, format!("{entry}, ")),
        (None, Some(last)) => {
            let comma = if last.range.end > last.end { "" } else { "," };
            match line_after(source, last.range.end) {
                Some(next) => {
                    let mut patches = insert(next, line);
                    patches
                        .extend((!comma.is_empty()).then(|| (last.end..last.end, ",".to_owned())));
                    patches
                }
                None => insert(last.range.end, format!("{comma} {entry},")),
            }
        }
        (None, None) if inside.trim().is_empty() => {
            let close = line_style(source, level.close).0;
            vec![(
                level.open + 1..level.close,
                format!("{newline}{line}{close}"),
            )]
        }
        (None, None) if starts_line(level.close) => insert(line_start(source, level.close), line),
        (None, None) => insert(level.close, format!("{entry} ")),
    })
}

/// Where the next line starts, if what is left of the line after `at` is
/// blank or a `//` comment.
fn line_after(source: &str, at: usize) -> Option<usize> {
    let rest = &source[at..];
    let end = rest.find('\n')?;
    let tail = rest[..end].trim();
    (tail.is_empty() || tail.starts_with("//")).then_some(at + end + 1)
}

/// The patches that remove the `removed` items (level, index; in any order,
/// repeats allowed): an entry alone on its lines goes with them (a comment
/// above it stays), one sharing a line with its comma and the spaces after;
/// a level left with nothing but space becomes `{}`.
fn removals(source: &str, removed: &mut Vec<(&SpecLevel, usize)>) -> Vec<Patch> {
    removed.sort_by_key(|(level, index)| (level.open, *index));
    removed.dedup_by_key(|(level, index)| (level.open, *index));
    let mut patches = Vec::new();
    for group in removed.chunk_by(|a, b| a.0.open == b.0.open) {
        let level = group[0].0;
        let items = &level.items;
        let starts = items
            .iter()
            .map(|item| item.range.start)
            .chain([level.close]);
        let ends = std::iter::once(level.open + 1).chain(items.iter().map(|item| item.range.end));
        let blank = ends
            .zip(starts)
            .all(|(from, to)| source[from..to].trim().is_empty());
        if group.len() == items.len() && blank {
            patches.push((level.open + 1..level.close, String::new()));
            continue;
        }
        let own_line = |item: &Item| {
            let start = line_start(source, item.range.start);
            let blank = source[start..item.range.start].trim().is_empty();
            line_after(source, item.range.end)
                .filter(|_| blank)
                .map(|end| start..end)
        };
        let mut inline = Vec::new();
        for &(_, index) in group {
            match own_line(&items[index]) {
                Some(lines) => patches.push((lines, String::new())),
                None => inline.push(index),
            }
        }
        for run in inline.chunk_by(|a, b| *b == a + 1) {
            let (first, last) = (&items[run[0]], &items[run[run.len() - 1]]);
            let range = if last.range.end > last.end {
                let after = &source[last.range.end..];
                let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
                let mut start = first.range.start;
                if after[spaces..].starts_with(['\r', '\n']) {
                    start = source[..start].trim_end_matches([' ', '\t']).len();
                }
                start..last.range.end + spaces
            } else if let Some(previous) = run[0].checked_sub(1) {
                items[previous].end..last.end
            } else {
                first.range.start..last.end
            };
            patches.push((range, String::new()));
        }
    }
    patches
}

/// `text` on one line for a message: its first line, cut at 80 characters,
/// control characters (a record may be anyone's) shown as `\u{fffd}`.
fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim_end();
    let shown = line.chars().take(80);
    let mut shown: String = shown
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if line.len() < text.trim_end().len() || line.chars().nth(80).is_some() {
        shown.push_str(" …");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_at(text: &str, line: u32, column: u32) -> Result<&str, String> {
        spec_range(text, line, column).map(|spec| &text[spec.range])
    }

    #[test]
    fn finds_the_spec_past_literals_comments_and_nested_brackets() {
        let text = "fn t() {\n    let s = \"é\";\n    fixtree::assert_tree!(dirs[0].join(\"}\"), /* { */ {\n        \"a\" => \"}{\",\n        \"b\" => { r#\"}\"\"# => b'}', 'x' => '\\'' },\n        // }\n        \"c\" => br\"}\",\n    }, ignore = [\"*.log\"]);\n}\n";
        assert_eq!(
            spec_at(text, 3, 5).unwrap(),
            "{\n        \"a\" => \"}{\",\n        \"b\" => { r#\"}\"\"# => b'}', 'x' => '\\'' },\n        // }\n        \"c\" => br\"}\",\n    }"
        );
    }

    #[test]
    fn columns_count_characters_and_paths_may_be_short() {
        let text = "/* é */ assert_tree!(d, {})";
        assert_eq!(spec_at(text, 1, 9).unwrap(), "{}");
        let wrong = spec_at(text, 1, 8).unwrap_err();
        assert!(wrong.contains("no `assert_tree!` starts there"), "{wrong}");
        let rooted = "fn f() { ::fixtree::assert_tree!(d, {}) }";
        assert_eq!(spec_at(rooted, 1, 10).unwrap(), "{}");
    }

    #[test]
    fn refuses_other_forms() {
        let from = spec_at("assert_tree!(d, from = \"x\")", 1, 1).unwrap_err();
        assert!(from.contains("not a `{ … }` spec"), "{from}");
        let short = spec_at("assert_tree!(d)", 1, 1).unwrap_err();
        assert!(short.contains("has no `{ … }` spec"), "{short}");
        assert!(
            spec_at("x", 4, 1)
                .unwrap_err()
                .contains("there is no line 4")
        );
        for (line, column) in [(0, 1), (1, 0), (0, 0)] {
            assert!(spec_at("assert_tree!(d, {})", line, column).is_err());
        }
        let unlexable = spec_at("assert_tree!(d, {\"a\" => \"x)", 1, 1).unwrap_err();
        assert!(unlexable.contains("tokenize"), "{unlexable}");
    }

    #[test]
    fn the_fingerprint_is_the_macros() {
        let text = "assert_tree!(d, {\n    \"a\" => \"x\", // note\n})";
        let tokens: TokenStream = "\"a\" => \"x\",".parse().unwrap();
        assert_eq!(
            spec_range(text, 1, 1).unwrap().tokens,
            fixtree_rules::tokens::fingerprint(tokens)
        );
    }

    #[test]
    fn line_column_reverses_offset() {
        let text = "a\n é x\n\nz";
        for (line, column) in [(1, 1), (2, 1), (2, 2), (2, 4), (4, 1)] {
            let at = offset(text, line, column).unwrap();
            assert_eq!(line_column(text, at), (line, column));
        }
        assert_eq!(offset(text, 0, 1), None);
        assert_eq!(offset(text, 1, 2), None, "past the end of line 1");
        assert_eq!(offset(text, 1, 0), None);
    }

    #[test]
    fn indents_like_the_line_it_starts_on() {
        let text = "    assert_tree!(d, {});";
        let range = spec_range(text, 1, 5).unwrap().range;
        assert_eq!(
            indented(text, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\n        \"a\" => \"x\",\n    }"
        );
        let crlf = "\tassert_tree!(d, {});\r\n";
        let range = spec_range(crlf, 1, 2).unwrap().range;
        assert_eq!(
            indented(crlf, &range, "{\n    \"a\" => \"x\",\n}"),
            "{\r\n\t    \"a\" => \"x\",\r\n\t}"
        );
    }

    #[test]
    fn names_the_folders_and_case_patterns_of_assertions() {
        let text = r##"
            #[fixtree::cases("tests/cases/*")]
            fn case(dir: &Path) {}
            fn t() {
                assert_tree!(dir, from = "tests/snap", ignore = ["*.log"]);
                fixtree::assert_tree!(dir, from = r#"tests/raw"#);
                with_tempdir_like!(from = "tests/not_an_assertion");
                assert_tree!(dir, { "from" => "x" });
            }
        "##;
        let mut named = Named::default();
        named.add(text, Path::new(""));
        assert_eq!(
            named,
            Named {
                folders: vec!["tests/snap".into(), "tests/raw".into()],
                case_patterns: vec![CasePatterns {
                    pattern: "tests/cases/*".into(),
                    expected: "expected".into(),
                }],
            }
        );
    }

    #[test]
    fn a_case_folder_is_named_by_its_pattern_and_expected_name() {
        let mut named = Named::default();
        named.add(
            r#"#[cases("tests/cmd/*", input = "in", expected = "out", subset)] fn t(d: &Path) {}"#,
            Path::new(""),
        );
        let [cases] = named.case_patterns.as_slice() else {
            panic!("{named:?}");
        };
        assert!(cases.names("tests/cmd/add/out"));
        for other in [
            "tests/cmd/add/expected",
            "tests/cmd/add/in",
            "tests/other/add/out",
            "out",
        ] {
            assert!(!cases.names(other), "{other}");
        }
    }

    #[test]
    fn a_folder_beside_the_source_file_is_named_from_the_crate() {
        let text = r#"
            fn t() {
                assert_tree!(dir, from = "./cases/add", ..);
                assert_tree!(dir, from = "tests/snap");
            }
        "#;
        let mut named = Named::default();
        named.add(text, Path::new("tests/it/golden"));
        assert_eq!(named.folders, ["tests/it/golden/cases/add", "tests/snap"]);
        let mut at_the_root = Named::default();
        at_the_root.add(text, Path::new(""));
        assert_eq!(at_the_root.folders, ["cases/add", "tests/snap"]);
    }

    fn changed(path: &str, value: &str) -> Edit {
        Edit::Change {
            path: path.into(),
            value: value.into(),
        }
    }

    fn removed(path: &str) -> Edit {
        Edit::Remove { path: path.into() }
    }

    fn added(path: &str, value: &str) -> Edit {
        Edit::Add {
            path: path.into(),
            value: value.into(),
        }
    }

    /// `text`, an `assert_tree!` at 1:1, with `edits` applied; and what was
    /// left for the user, as "line:column entry: reason" in the new text.
    fn edited(text: &str, edits: &[Edit]) -> (String, Vec<String>) {
        let range = spec_range(text, 1, 1).unwrap().range;
        let applied = apply_edits(text, &range, edits).unwrap();
        let mut new = text.to_owned();
        new.replace_range(range.clone(), &applied.spec);
        let left = applied.left.iter().map(|left| {
            let (line, column) = line_column(&new, range.start + left.at);
            format!("{line}:{column} {}: {}", left.entry, left.reason)
        });
        let left = left.collect();
        (new, left)
    }

    /// [`edited`], where nothing is left for the user.
    fn all_edited(text: &str, edits: &[Edit]) -> String {
        let (new, left) = edited(text, edits);
        assert_eq!(left, Vec::<String>::new());
        new
    }

    #[test]
    fn spec_level_reads_path_keys_nested_levels_rest_and_comments() {
        let text = r##"assert_tree!(d, {
    // "hidden" => "a comment",
    "src/bin/cli.rs" => "fn main() {}",
    "logs" => { "run.log" => contains("done"), .. },
    r#"raw"# => exec("x"),
    "caf\u{e9}" => include_bytes!("logo.png"),
    ..
})"##;
        let range = spec_range(text, 1, 1).unwrap().range;
        let stream: TokenStream = text[range.clone()].parse().unwrap();
        let Some(TokenTree::Group(group)) = stream.into_iter().next() else {
            panic!("a group");
        };
        let level = SpecLevel::read(&group, range.start).unwrap();
        let keys: Vec<Option<&str>> = level
            .items
            .iter()
            .map(|item| item.entry.as_ref().and_then(|e| e.key.as_deref()))
            .collect();
        let keys_written = [
            Some("src/bin/cli.rs"),
            Some("logs"),
            Some("raw"),
            Some("café"),
            None,
        ];
        assert_eq!(keys, keys_written);
        let values: Vec<&str> = level.items[..4]
            .iter()
            .map(|item| &text[item.entry.as_ref().unwrap().value.range()])
            .collect();
        assert_eq!(
            values,
            [
                "\"fn main() {}\"",
                "{ \"run.log\" => contains(\"done\"), .. }",
                "exec(\"x\")",
                "include_bytes!(\"logo.png\")"
            ]
        );
        assert_eq!(
            &text[level.items[1].range.clone()],
            "\"logs\" => { \"run.log\" => contains(\"done\"), .. },"
        );
        assert_eq!(&text[level.items[4].range.clone()], "..");
        let found = |path: &str| {
            let mut found = Vec::new();
            level.resolve(&path.split('/').collect::<Vec<_>>(), &mut found);
            let found = found.iter().map(|(level, index, exact)| {
                (
                    &text[level.items[*index].range.start..level.items[*index].end],
                    *exact,
                )
            });
            found.collect::<Vec<_>>()
        };
        assert_eq!(
            found("src/bin/cli.rs"),
            [("\"src/bin/cli.rs\" => \"fn main() {}\"", true)]
        );
        assert_eq!(
            found("src"),
            [("\"src/bin/cli.rs\" => \"fn main() {}\"", false)]
        );
        assert_eq!(
            found("logs/run.log"),
            [("\"run.log\" => contains(\"done\")", true)]
        );
        assert_eq!(found("hidden"), []);
        assert_eq!(found("raw/x"), []);
        let (deepest, taken) = level.deepest(&["logs", "new"]).unwrap();
        assert_eq!(
            (deepest.open, taken),
            (text.find("{ \"run.log\"").unwrap(), 1)
        );
    }

    /// The issue's spec: only what failed changes.
    const WRITTEN: &str = r#"assert_tree!(dir, {
    "report.txt" => any(),
    // the summary
    "summary.txt" => "ok\n",
    "b.txt"  =>  "1",   // odd spacing
    "a.txt" => "1",
    "one" => { "x" => "1", "y" => "2" },
    ..
});
"#;

    #[test]
    fn edits_keep_order_comments_formatting_and_dots() {
        let edits = [
            changed("summary.txt", "\"fail\\n\""),
            changed("one/y", "\"3\""),
            removed("a.txt"),
            added("c.txt", "\"new\""),
            added("one/z", "\"4\""),
        ];
        let expected = r#"assert_tree!(dir, {
    "report.txt" => any(),
    // the summary
    "summary.txt" => "fail\n",
    "b.txt"  =>  "1",   // odd spacing
    "one" => { "x" => "1", "y" => "3", "z" => "4" },
    "c.txt" => "new",
    ..
});
"#;
        assert_eq!(all_edited(WRITTEN, &edits), expected);
        let crlf = WRITTEN.replace('\n', "\r\n");
        assert_eq!(all_edited(&crlf, &edits), expected.replace('\n', "\r\n"));
        assert_eq!(all_edited(WRITTEN, &[]), WRITTEN);
    }

    #[test]
    fn add_goes_before_dots_and_at_the_sorted_place() {
        let sorted = "assert_tree!(d, {\n    \"a\" => \"1\",\n    \"c\" => \"3\",\n    \"sub\" => {\n        \"x\" => \"1\",\n    },\n    ..\n})";
        let edits = [
            added("b", "\"2\""),
            added("d", "{\n    \"e\" => \"5\",\n}"),
            added("sub/y/deep", "\"6\""),
            added("z", "\"26\""),
        ];
        assert_eq!(
            all_edited(sorted, &edits),
            "assert_tree!(d, {\n    \"a\" => \"1\",\n    \"b\" => \"2\",\n    \"c\" => \"3\",\n    \"d\" => {\n        \"e\" => \"5\",\n    },\n    \"sub\" => {\n        \"x\" => \"1\",\n        \"y/deep\" => \"6\",\n    },\n    \"z\" => \"26\",\n    ..\n})"
        );
        // One line stays one line; an empty level takes its first entry.
        let inline = "assert_tree!(d, { \"b\" => \"2\", \"e\" => {} })";
        let edits = [
            added("a", "\"1\""),
            added("c", "\"3\""),
            added("e/f", "\"6\""),
        ];
        assert_eq!(
            all_edited(inline, &edits),
            "assert_tree!(d, { \"a\" => \"1\", \"b\" => \"2\", \"c\" => \"3\", \"e\" => { \"f\" => \"6\" } })"
        );
        // Unsorted keys: at the end, after a last entry without a comma.
        let unsorted = "assert_tree!(d, {\n    \"b\" => \"2\",\n    \"a\" => \"1\"\n})";
        assert_eq!(
            all_edited(unsorted, &[added("c", "\"3\"")]),
            "assert_tree!(d, {\n    \"b\" => \"2\",\n    \"a\" => \"1\",\n    \"c\" => \"3\",\n})"
        );
        let empty = "assert_tree!(d, {\n})";
        assert_eq!(
            all_edited(empty, &[added("a", "\"1\"")]),
            "assert_tree!(d, {\n    \"a\" => \"1\",\n})"
        );
        // A directory on lines of its own opens an empty level written on one.
        let empty = "    assert_tree!(d, {});";
        let dir = [added("a", "{\n    \"x\" => \"1\",\n}")];
        let range = spec_range(empty, 1, 5).unwrap().range;
        let spec = apply_edits(empty, &range, &dir).unwrap().spec;
        assert_eq!(
            spec,
            "{\n        \"a\" => {\n            \"x\" => \"1\",\n        },\n    }"
        );
    }

    #[test]
    fn remove_takes_its_line_and_comma_and_leaves_the_comment_above() {
        let text = "assert_tree!(d, {\n    // about b\n    \"b\" => \"2\", // gone with it\n    \"src/x\" => \"1\",\n    \"src\" => { \"y\" => \"2\" },\n    \"a\" => \"1\",\n})";
        assert_eq!(
            all_edited(text, &[removed("b"), removed("src")]),
            "assert_tree!(d, {\n    // about b\n    \"a\" => \"1\",\n})"
        );
        let inline = "assert_tree!(d, { \"a\" => \"1\", \"b\" => \"2\", \"c\" => \"3\" })";
        let cases = [
            (vec![removed("b")], "{ \"a\" => \"1\", \"c\" => \"3\" }"),
            (vec![removed("c")], "{ \"a\" => \"1\", \"b\" => \"2\" }"),
            (vec![removed("b"), removed("c")], "{ \"a\" => \"1\" }"),
            (vec![removed("a"), removed("b")], "{ \"c\" => \"3\" }"),
            (vec![removed("a"), removed("b"), removed("c")], "{}"),
        ];
        for (edits, spec) in cases {
            assert_eq!(
                all_edited(inline, &edits),
                format!("assert_tree!(d, {spec})")
            );
        }
        let dots = "assert_tree!(d, {\n    \"a\" => \"1\",\n    ..\n})";
        assert_eq!(
            all_edited(dots, &[removed("a")]),
            "assert_tree!(d, {\n    ..\n})"
        );
        let first_inline = "assert_tree!(d, { \"a\" => \"1\",\n    \"b\" => \"2\",\n})";
        assert_eq!(
            all_edited(first_inline, &[removed("a")]),
            "assert_tree!(d, {\n    \"b\" => \"2\",\n})"
        );
    }

    #[test]
    fn change_replaces_only_the_literal_inside_exec_mode_modified() {
        let text = r#"assert_tree!(d, {
    "run.sh" => exec("old"),
    "key" => mode(0o600, exec("old")),
    "other" => mode(0o600, "old"),
    "fresh" => modified(ago(Duration::from_secs(60)), "old"),
    "kind" => "a file",
    "plain" => "old",
    "plain_too" => "old",
})"#;
        let edits = [
            changed("run.sh", "exec(\"new\")"),
            changed("key", "mode(0o0600, exec(\"new\"))"),
            changed("other", "mode(0o640, \"new\")"),
            changed("fresh", "\"new\""),
            changed("kind", "{\n    \"x\" => \"1\",\n}"),
            changed("plain", "exec(\"new\")"),
            changed("plain_too", "mode(0o600, exec(\"new\"))"),
        ];
        assert_eq!(
            all_edited(text, &edits),
            r#"assert_tree!(d, {
    "run.sh" => exec("new"),
    "key" => mode(0o600, exec("new")),
    "other" => mode(0o640, "new"),
    "fresh" => modified(ago(Duration::from_secs(60)), "new"),
    "kind" => {
        "x" => "1",
    },
    "plain" => "new",
    "plain_too" => "new",
})"#,
            "no mode check the user did not write"
        );
    }

    #[test]
    fn an_expression_value_is_left_for_the_user() {
        let text = r#"assert_tree!(d, {
    "a" => "1",
    "log" => contains("done"),
    "logo.png" => include_bytes!("logo.png"),
    "run.sh" => exec(SCRIPT),
})"#;
        let edits = [
            added("0.txt", "\"new\""),
            changed("logo.png", "b\"\\x89PNG\""),
            changed("run.sh", "exec(\"x\")"),
            Edit::Manual {
                path: "log".into(),
                reason: "does not contain \"done\" (a matcher is not rewritten)".into(),
            },
            changed("gone/x", "\"1\""),
            changed("a", "\"2\""),
        ];
        let (new, left) = edited(text, &edits);
        assert_eq!(
            new,
            text.replace(
                "    \"a\" => \"1\",",
                "    \"0.txt\" => \"new\",\n    \"a\" => \"2\","
            )
        );
        // Where each is once the others are applied.
        assert_eq!(
            left,
            [
                "5:5 \"logo.png\" => include_bytes!(\"logo.png\"): an expression is not rewritten: make it b\"\\x89PNG\"",
                "6:5 \"run.sh\" => exec(SCRIPT): an expression is not rewritten: make it exec(\"x\")",
                "4:5 \"log\" => contains(\"done\"): does not contain \"done\" (a matcher is not rewritten)",
                "1:17 \"gone/x\": not found in the spec as written: make it \"1\"",
            ]
        );
        // Shown on one line, and no escape sequence reaches the terminal.
        assert_eq!(one_line("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb …");
        assert_eq!(one_line(&"x".repeat(81)), format!("{} …", "x".repeat(80)));
    }

    #[test]
    fn edits_that_cannot_apply_faithfully_leave_the_spec_as_it_is() {
        let text = "assert_tree!(d, { \"a\" => \"1\", \"b\" => { \"c\" => \"2\" } })";
        let range = spec_range(text, 1, 1).unwrap().range;
        let refused = |edits: &[Edit]| apply_edits(text, &range, edits).unwrap_err();
        let overlap = refused(&[removed("b"), changed("b/c", "\"3\"")]);
        assert!(
            overlap.contains("two edits of the record touch the same text"),
            "{overlap}"
        );
        let key = refused(&[added("../x", "\"1\"")]);
        assert!(key.contains("not a key") && key.contains("'..'"), "{key}");
        let windows = refused(&[added("nul.txt", "\"1\"")]);
        assert!(windows.contains("device NUL"), "{windows}");
        let broken = refused(&[changed("a", "\"1")]);
        assert!(broken.contains("does not tokenize"), "{broken}");
        let unbalanced = refused(&[added("x", "}{")]);
        assert!(unbalanced.contains("does not tokenize"), "{unbalanced}");
        // A record may be anyone's: what it writes is spec text, never code.
        for value in [
            "std::fs::read(\"/etc/passwd\").unwrap()",
            "\"1\", \"b\" => x",
            "{ \"a\" => f() }",
            "",
        ] {
            let code = refused(&[changed("a", value)]);
            assert!(code.contains("is not spec text"), "{code}");
            assert_eq!(code, refused(&[added("x", value)]));
        }
        assert!(apply_edits(text, &(1..4), &[]).is_err());
        assert!(apply_edits(text, &(0..999), &[]).is_err());
    }

    #[test]
    fn specs_and_record_values_nested_too_deep_are_refused_not_overflowed() {
        let deep = |n: usize| format!("{}\"x\"{}", "{ \"a\" => ".repeat(n), " }".repeat(n));
        let text = "assert_tree!(d, { \"a\" => \"1\" })";
        let range = spec_range(text, 1, 1).unwrap().range;
        // A record's value of 8,000 levels: 88 KB.
        for edit in [changed("a", &deep(8000)), added("b", &deep(8000))] {
            let refused = apply_edits(text, &range, &[edit]).unwrap_err();
            assert!(
                refused.starts_with("the record holds the value \"{ \\\"a\\\" => {")
                    && refused.ends_with(
                        " …\", which nests `{ … }`, `( … )` or `[ … ]` more than 256 levels \
                         deep, deeper than fixtree reads: run the test again with \
                         FIXTREE_UPDATE=review"
                    ),
                "{refused}"
            );
        }
        let source = format!("assert_tree!(d, {});", deep(8000));
        let refused = spec_range(&source, 1, 1).unwrap_err();
        assert!(
            refused.starts_with(
                "the file nests `{ … }`, `( … )` or `[ … ]` more than 256 levels deep"
            ),
            "{refused}"
        );
        // As deep as the limit, with the spec's own level, is read.
        let edited = all_edited(text, &[changed("a", &deep(255))]);
        assert_eq!(
            edited,
            format!("assert_tree!(d, {{ \"a\" => {} }})", deep(255))
        );
    }

    #[test]
    fn an_added_value_ending_in_a_comment_keeps_the_comma_after_it() {
        let text = "assert_tree!(d, { \"a\" => \"1\", \"c\" => \"3\" })";
        assert_eq!(
            all_edited(text, &[added("b", "\"x\" // c")]),
            "assert_tree!(d, { \"a\" => \"1\", \"b\" => \"x\", \"c\" => \"3\" })"
        );
        let lines = "assert_tree!(d, {\n    \"a\" => \"1\",\n    \"c\" => \"3\",\n})";
        assert_eq!(
            all_edited(lines, &[added("b", "{\n    \"x\" => \"1\", // x\n} // c")]),
            "assert_tree!(d, {\n    \"a\" => \"1\",\n    \"b\" => {\n        \"x\" => \"1\", // x\n    },\n    \"c\" => \"3\",\n})"
        );
    }

    #[test]
    fn an_add_under_a_value_that_is_no_level_is_left_for_the_user() {
        let text = "assert_tree!(d, { \"sub\" => sub_tree, \"top.txt\" => \"x\" })";
        let (new, left) = edited(
            text,
            &[added("sub/b.txt", "\"2\""), added("top.txt/c", "\"3\"")],
        );
        assert_eq!(new, text);
        assert_eq!(
            left,
            [
                "1:19 \"sub\" => sub_tree: not a `{ … }` in the spec as written: add \"b.txt\" => \"2\" to it by hand",
                "1:38 \"top.txt\" => \"x\": not a `{ … }` in the spec as written: add \"c\" => \"3\" to it by hand",
            ]
        );
    }

    #[test]
    fn the_tokenizer_forgets_each_text_it_read() {
        let text = format!("{}assert_tree!(d, {{ \"a\" => \"1\" }});", " ".repeat(1000));
        let range = spec_range(&text, 1, 1001).unwrap().range;
        apply_edits(&text, &range, &[changed("a", "\"2\"")]).unwrap();
        // Texts are laid end to end: the next one starts at 1 only if none is kept.
        let next: TokenStream = "x".parse().unwrap();
        let span = next.into_iter().next().unwrap().span();
        assert_eq!(format!("{span:?}"), "bytes(1..2)");
    }
}
