//! `[ROOT]`: the directory being compared, as a file inside it would name
//! it. Programs write the path they were given, or the one the system hands
//! back (`/private/tmp/…` for `/tmp/…` on macOS; `\\?\C:\…` or `C:/…` on
//! Windows), so `[ROOT]` stands for each of those spellings: in a
//! `matches`/`contains` pattern it matches any of them, and a report shows
//! any of them as `[ROOT]`.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::path::{Component, MAIN_SEPARATOR, Path, PathBuf};

/// What `[ROOT]` reads as in a pattern and shows as in a report.
pub(crate) const TOKEN: &str = "[ROOT]";

/// One root directory, and its spellings once asked for (which asks the
/// system: a passing comparison without `[ROOT]` never does), longest
/// first: where two start at the same place, the longer is the one meant.
#[derive(Debug, Default)]
pub(crate) struct Root {
    dir: PathBuf,
    spellings: OnceCell<Vec<String>>,
}

impl Root {
    pub(crate) fn of(dir: &Path) -> Root {
        let (dir, spellings) = (dir.to_owned(), OnceCell::new());
        Root { dir, spellings }
    }

    /// The spellings of `dir`: made absolute (as given, if it is; trailing
    /// separators and `.` segments dropped) and with links resolved; without
    /// the `\\?\` prefix a resolved Windows path has, and with `/` for `\`
    /// where `\` is the separator. Never `[ROOT]` itself: a placeholder a
    /// program left unexpanded is no path. A relative path is not a spelling: `out` would stand for every
    /// "out" in the text. A spelling that is not UTF-8 cannot appear in
    /// text and is left out; so is a file system's root, which every
    /// absolute path starts with.
    fn spellings_of(dir: &Path) -> Vec<String> {
        let given: PathBuf = dir.components().collect();
        let mut paths: Vec<PathBuf> = std::path::absolute(&given).ok().into_iter().collect();
        paths.extend(std::fs::canonicalize(&given).ok());
        let named = |path: &&PathBuf| path.components().any(|c| matches!(c, Component::Normal(_)));
        let mut spellings = Vec::new();
        for path in paths.iter().filter(named) {
            let Some(text) = path.to_str() else { continue };
            let plain = strip_verbatim(text);
            spellings.extend([text.to_owned(), plain.clone()]);
            if MAIN_SEPARATOR == '\\' {
                spellings.extend([text.replace('\\', "/"), plain.replace('\\', "/")]);
            }
        }
        spellings.retain(|spelling| !spelling.is_empty());
        spellings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        spellings.dedup();
        spellings
    }

    /// Each spelling, longest first.
    pub(crate) fn spellings(&self) -> &[String] {
        self.spellings.get_or_init(|| Root::spellings_of(&self.dir))
    }

    /// `text` with each spelling of the root replaced by `[ROOT]`.
    pub(crate) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.split(text).as_slice() {
            [whole] => Cow::Borrowed(whole),
            pieces => Cow::Owned(pieces.join(TOKEN)),
        }
    }

    /// `text` as a `matches` pattern that it matches, here and in the next
    /// run's directory: each spelling of the root as `[ROOT]`, and each
    /// `[ROOT]` it holds itself as `[..]`, which matches it (a `[ROOT]`
    /// would not).
    pub(crate) fn pattern<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let pieces = self.split(text);
        if pieces.len() == 1 && !text.contains(TOKEN) {
            return Cow::Borrowed(text);
        }
        let literal: Vec<String> = pieces.iter().map(|p| p.replace(TOKEN, "[..]")).collect();
        Cow::Owned(literal.join(TOKEN))
    }

    /// The pieces of `text` between the spellings of the root, as
    /// `str::split` gives them: the root stands between each two. Spellings
    /// are taken leftmost first and, where two start at one place, the longer.
    pub(crate) fn split<'t>(&self, text: &'t str) -> Vec<&'t str> {
        // Where each spelling is next found at or after `done`.
        let spellings = self.spellings();
        let mut next: Vec<Option<usize>> = spellings.iter().map(|s| text.find(s)).collect();
        let mut pieces = Vec::new();
        let mut done = 0;
        loop {
            // Ties go to the longer spelling, which comes first.
            let found = (0..next.len())
                .filter_map(|i| next[i].map(|at| (at, i)))
                .min();
            let Some((at, i)) = found else { break };
            pieces.push(&text[done..at]);
            done = at + spellings[i].len();
            for (spelling, at) in spellings.iter().zip(&mut next) {
                if at.is_some_and(|at| at < done) {
                    *at = text[done..].find(spelling).map(|from| done + from);
                }
            }
        }
        pieces.push(&text[done..]);
        pieces
    }

    /// Whether `text` names the root in any spelling.
    pub(crate) fn named_in(&self, text: &str) -> bool {
        self.spellings().iter().any(|s| text.contains(s.as_str()))
    }
}

/// A Windows path without its verbatim prefix: `\\?\C:\x` as `C:\x`, and
/// `\\?\UNC\server\share` as `\\server\share`; any other text as it is.
fn strip_verbatim(text: &str) -> String {
    let Some(rest) = text.strip_prefix(r"\\?\") else {
        return text.to_owned();
    };
    rest.strip_prefix(r"UNC\")
        .map_or_else(|| rest.to_owned(), |share| format!(r"\\{share}"))
}

#[cfg(test)]
mod tests {
    use std::cell::OnceCell;

    use super::{Root, strip_verbatim};

    fn root(spellings: &[&str]) -> Root {
        let spellings: Vec<String> = spellings.iter().map(|s| (*s).to_owned()).collect();
        Root {
            spellings: OnceCell::from(spellings),
            ..Root::default()
        }
    }

    #[test]
    fn the_longer_spelling_wins_where_both_start() {
        let root = root(&["/private/tmp/x", "/tmp/x"]);
        assert_eq!(
            root.redact("a /private/tmp/x/b and /tmp/x/c, /tmp/xy"),
            "a [ROOT]/b and [ROOT]/c, [ROOT]y"
        );
        assert_eq!(root.redact("nothing here"), "nothing here");
        assert!(root.named_in("at /tmp/x"));
        assert!(!root.named_in("at [ROOT]"));
        // A `[ROOT]` of the text's own is no spelling: a pattern matches it with `[..]`.
        assert_eq!(root.redact("[ROOT] at /tmp/x"), "[ROOT] at [ROOT]");
        assert_eq!(
            root.pattern("[ROOT] at /tmp/x [ROOT]"),
            "[..] at [ROOT] [..]"
        );
        assert_eq!(root.pattern("[ROOT] only"), "[..] only");
    }

    #[test]
    fn verbatim_prefixes_are_dropped() {
        assert_eq!(strip_verbatim(r"\\?\C:\x"), r"C:\x");
        assert_eq!(strip_verbatim(r"\\?\UNC\srv\share"), r"\\srv\share");
        assert_eq!(strip_verbatim("/tmp/x"), "/tmp/x");
    }

    #[test]
    fn a_relative_root_is_spelled_absolute_and_never_as_the_file_system_root() {
        let cwd = std::env::current_dir().unwrap();
        let spellings = Root::of("target/./x/".as_ref()).spellings().to_vec();
        let relative = std::path::Path::new("target").join("x");
        assert!(!spellings.contains(&relative.to_str().unwrap().to_owned()));
        assert!(spellings.contains(&cwd.join(&relative).to_str().unwrap().to_owned()));
        let root_only = Root::of(cwd.ancestors().last().unwrap())
            .spellings()
            .to_vec();
        assert!(root_only.is_empty(), "{root_only:?}");
    }
}
