//! Case folders: which folders a `#[cases("tests/cases/*")]` pattern names.
//! The macro lists them when the test compiles, to make one test of each, and
//! the runtime lists them again when the tests run, to notice a folder added
//! or removed since: both must read the pattern the same way.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

/// A pattern naming case folders: a directory, relative and `/`-separated,
/// then one last segment in which `*` (any run of characters) and `?` (one
/// character) are wildcards, e.g. `tests/cases/*` or `tests/golden/json-*`:
/// matched by the `glob` crate, as `assert_tree!`'s `ignore` globs are.
///
/// ```
/// use fixtree_rules::cases::CasePattern;
///
/// let pattern = CasePattern::parse("tests/cases/json-*")?;
/// assert_eq!(pattern.dir(), "tests/cases");
/// assert!(pattern.matches("json-nested"));
/// assert!(!pattern.matches("yaml-nested"));
/// # Ok::<(), fixtree_rules::cases::PatternError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasePattern<'a> {
    dir: &'a str,
    glob: &'a str,
    pattern: Pattern,
}

/// Why a pattern was refused; `Display` names the pattern, the rule and the fix.
///
/// ```
/// use fixtree_rules::cases::{CasePattern, PatternError};
///
/// let error = CasePattern::parse("tests/**/*").unwrap_err();
/// assert_eq!(error, PatternError::Recursive("tests/**/*".into()));
/// assert!(error.to_string().contains("tests/cases/*"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is empty.
    Empty,
    /// It starts with `/` or `\`, or holds a `\`.
    NotRelative(String),
    /// It has an empty, `.` or `..` segment.
    BadSegment(String),
    /// A wildcard is in a segment other than the last.
    WildcardInDir(String),
    /// It holds `**`: case folders are those of one directory.
    Recursive(String),
    /// It holds `[`, `]`, `{`, `}` or `!`.
    Unsupported(String, char),
    /// Its last segment has no wildcard: it names one folder.
    NoWildcard(String),
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const FORM: &str = "a case pattern is a folder relative to CARGO_MANIFEST_DIR, then `/*`, e.g. \"tests/cases/*\"";
        match self {
            PatternError::Empty => write!(f, "empty case pattern: {FORM}"),
            PatternError::NotRelative(p) => write!(
                f,
                "case pattern {p:?} is not a relative `/`-separated path: {FORM}, \
                 so the tests run wherever the crate is"
            ),
            PatternError::BadSegment(p) => write!(
                f,
                "case pattern {p:?} has an empty, '.' or '..' segment: name the folder directly, \
                 inside the crate, because FIXTREE_UPDATE=1 writes into the case folders; {FORM}"
            ),
            PatternError::WildcardInDir(p) => write!(
                f,
                "case pattern {p:?} has a wildcard before its last segment: the cases are the \
                 folders of one directory; {FORM}"
            ),
            PatternError::Recursive(p) => write!(
                f,
                "case pattern {p:?} holds `**`: the cases are the folders of one directory, not \
                 of a tree; {FORM}"
            ),
            PatternError::Unsupported(p, c) => write!(
                f,
                "case pattern {p:?} holds {c:?}: only `*` (any run of characters) and `?` (one \
                 character) are wildcards, in the last segment; {FORM}"
            ),
            PatternError::NoWildcard(p) => write!(
                f,
                "case pattern {p:?} has no `*` or `?`, so it names one folder, not a set of cases; \
                 {FORM}"
            ),
        }
    }
}

impl std::error::Error for PatternError {}

impl<'a> CasePattern<'a> {
    /// Reads `pattern`, or says which rule it breaks.
    ///
    /// ```
    /// use fixtree_rules::cases::{CasePattern, PatternError};
    ///
    /// assert!(CasePattern::parse("tests/cases/*").is_ok());
    /// assert_eq!(
    ///     CasePattern::parse("tests/*/input"),
    ///     Err(PatternError::WildcardInDir("tests/*/input".into()))
    /// );
    /// ```
    pub fn parse(pattern: &'a str) -> Result<CasePattern<'a>, PatternError> {
        let owned = || pattern.to_owned();
        if pattern.is_empty() {
            return Err(PatternError::Empty);
        }
        if pattern.starts_with('/') || pattern.contains('\\') || pattern.contains(':') {
            return Err(PatternError::NotRelative(owned()));
        }
        if pattern.contains("**") {
            return Err(PatternError::Recursive(owned()));
        }
        if let Some(c) = pattern.chars().find(|c| "[]{}!".contains(*c)) {
            return Err(PatternError::Unsupported(owned(), c));
        }
        let segments: Vec<&str> = pattern.split('/').collect();
        if segments.iter().any(|s| matches!(*s, "" | "." | "..")) {
            return Err(PatternError::BadSegment(owned()));
        }
        let (glob, dir) = segments.split_last().expect("split yields a segment");
        if dir.iter().any(|segment| has_wildcard(segment)) {
            return Err(PatternError::WildcardInDir(owned()));
        }
        if !has_wildcard(glob) {
            return Err(PatternError::NoWildcard(owned()));
        }
        let dir = &pattern[..pattern.len() - glob.len()];
        Ok(CasePattern {
            dir: dir.trim_end_matches('/'),
            glob,
            pattern: Pattern::new(glob).expect("`*`, `?` and plain characters are a glob"),
        })
    }

    /// The directory holding the case folders, as written (`""` for the
    /// crate's own folder).
    ///
    /// ```
    /// # use fixtree_rules::cases::CasePattern;
    /// assert_eq!(CasePattern::parse("tests/cases/*")?.dir(), "tests/cases");
    /// assert_eq!(CasePattern::parse("case-*")?.dir(), "");
    /// # Ok::<(), fixtree_rules::cases::PatternError>(())
    /// ```
    pub fn dir(&self) -> &'a str {
        self.dir
    }

    /// The last segment, with its wildcards.
    ///
    /// ```
    /// # use fixtree_rules::cases::CasePattern;
    /// assert_eq!(CasePattern::parse("tests/cases/json-?")?.glob(), "json-?");
    /// # Ok::<(), fixtree_rules::cases::PatternError>(())
    /// ```
    pub fn glob(&self) -> &'a str {
        self.glob
    }

    /// The path of [`dir`](Self::dir) under `root`, segment by segment.
    ///
    /// ```
    /// # use fixtree_rules::cases::CasePattern;
    /// use std::path::Path;
    ///
    /// let pattern = CasePattern::parse("tests/cases/*")?;
    /// assert_eq!(pattern.dir_in(Path::new("crate")), Path::new("crate").join("tests").join("cases"));
    /// # Ok::<(), fixtree_rules::cases::PatternError>(())
    /// ```
    pub fn dir_in(&self, root: &Path) -> PathBuf {
        self.dir
            .split('/')
            .filter(|segment| !segment.is_empty())
            .fold(root.to_owned(), |path, segment| path.join(segment))
    }

    /// Whether a folder named `name` is a case. As in a shell, a name
    /// starting with `.` is hidden unless the glob starts with `.` too.
    ///
    /// ```
    /// # use fixtree_rules::cases::CasePattern;
    /// let pattern = CasePattern::parse("tests/cases/*")?;
    /// assert!(pattern.matches("upper"));
    /// assert!(!pattern.matches(".hidden"));
    /// # Ok::<(), fixtree_rules::cases::PatternError>(())
    /// ```
    pub fn matches(&self, name: &str) -> bool {
        let options = MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        self.pattern.matches_with(name, options)
    }

    /// The names of the case folders in `dir`, the pattern's
    /// [`dir`](Self::dir) as found on disk, sorted: the directories (or links
    /// to directories) whose UTF-8 names match. Files are not cases.
    ///
    /// ```
    /// # use fixtree_rules::cases::CasePattern;
    /// let root = fixtree::tempdir()?;
    /// for name in ["b-case", "a-case", "other"] {
    ///     std::fs::create_dir(root.path().join(name))?;
    /// }
    /// std::fs::write(root.path().join("c-case"), "a file is not a case")?;
    /// let pattern = CasePattern::parse("cases/*-case").unwrap();
    /// assert_eq!(pattern.list(root.path())?, ["a-case", "b-case"]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let name = entry?.file_name().into_string().ok();
            names.extend(name.filter(|name| self.matches(name) && dir.join(name).is_dir()));
        }
        names.sort();
        Ok(names)
    }
}

fn has_wildcard(segment: &str) -> bool {
    segment.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_within_the_last_segment() {
        let pattern = CasePattern::parse("tests/cases/*").unwrap();
        assert_eq!((pattern.dir(), pattern.glob()), ("tests/cases", "*"));
        for name in ["a", "upper-ascii", "01_x"] {
            assert!(pattern.matches(name), "{name}");
        }
        assert!(!pattern.matches(".hidden"));
        // `?` is one character, not one byte.
        assert!(CasePattern::parse("tests/caf?").unwrap().matches("café"));
        let some = CasePattern::parse("cases/j?on-*.d").unwrap();
        assert!(some.matches("json-a.d") && some.matches("jxon-.d"));
        assert!(!some.matches("json-a.dd") && !some.matches("jon-a.d"));
        let top = CasePattern::parse("case-*").unwrap();
        assert_eq!(top.dir(), "");
        assert_eq!(top.dir_in(Path::new("root")), Path::new("root"));
    }

    #[test]
    fn bad_patterns_name_the_rule() {
        let cases = [
            ("", PatternError::Empty),
            ("/abs/*", PatternError::NotRelative("/abs/*".into())),
            ("C:/x/*", PatternError::NotRelative("C:/x/*".into())),
            ("a\\*", PatternError::NotRelative("a\\*".into())),
            ("a//*", PatternError::BadSegment("a//*".into())),
            ("../*", PatternError::BadSegment("../*".into())),
            ("a/*/", PatternError::BadSegment("a/*/".into())),
            ("a/*/b", PatternError::WildcardInDir("a/*/b".into())),
            ("a/**", PatternError::Recursive("a/**".into())),
            ("a/[ab]", PatternError::Unsupported("a/[ab]".into(), '[')),
            ("a/b", PatternError::NoWildcard("a/b".into())),
        ];
        for (pattern, error) in cases {
            assert_eq!(CasePattern::parse(pattern), Err(error), "{pattern}");
        }
        let message = PatternError::NoWildcard("tests/one".into()).to_string();
        assert!(message.contains("\"tests/one\" has no `*`"), "{message}");
    }

    #[test]
    fn lists_matching_folders_sorted_not_files() {
        let root = std::env::temp_dir().join(format!("fixtree-rules-cases-{}", std::process::id()));
        let dir = root.join("t").join("cases");
        for name in ["b", "a", ".hidden"] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
        }
        std::fs::write(dir.join("file"), "").unwrap();
        let pattern = CasePattern::parse("t/cases/*").unwrap();
        let listed = pattern.list(&pattern.dir_in(&root));
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(listed.unwrap(), ["a", "b"]);
    }
}
