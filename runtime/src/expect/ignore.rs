//! Ignore globs: the paths a comparison and an update leave out.

use glob::{MatchOptions, Pattern};

use crate::walk::Skip;

/// The `ignore = [...]` globs of an assertion, ready to match paths.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// Leaves out what these globs match too. Globs are relative to the root:
    /// `*` and `?` stay within a path segment, `**` crosses them, and a glob
    /// without `/` matches a name at any depth, as in `.gitignore`.
    /// A bad glob is an error naming it and saying what is wrong.
    pub(crate) fn add(&mut self, globs: impl IntoIterator<Item: AsRef<str>>) -> Result<(), String> {
        let patterns = &mut self.patterns;
        for glob in globs {
            // `target/`, as in .gitignore: the directory, named without its slash.
            let glob = match glob.as_ref().trim_end_matches('/') {
                "" => glob.as_ref(),
                trimmed => trimmed,
            };
            let parse = |text: &str| {
                Pattern::new(text).map_err(|e| format!("ignore pattern {glob:?}: {e}"))
            };
            patterns.push(parse(glob)?);
            if !glob.contains('/') {
                patterns.push(parse(&format!("**/{glob}"))?);
            }
            // `target/**` names everything in target: the directory itself goes too.
            if let Some(dir) = glob.strip_suffix("/**") {
                patterns.push(parse(dir)?);
            }
        }
        Ok(())
    }

    /// Whether `path`, `/`-separated and relative to the root, is left out.
    pub(crate) fn covers(&self, path: &str) -> bool {
        let options = MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        self.patterns
            .iter()
            .any(|pattern| pattern.matches_with(path, options))
    }
}

/// A walk leaves out what the globs cover.
impl Skip for Ignore {
    fn skips(&self, path: &str) -> bool {
        self.covers(path)
    }
}

#[cfg(test)]
mod tests {
    use super::Ignore;

    fn ignores(globs: &[&str], path: &str) -> bool {
        let mut ignore = Ignore::default();
        ignore.add(globs).unwrap();
        ignore.covers(path)
    }

    #[test]
    fn a_glob_without_a_slash_matches_a_name_at_any_depth() {
        assert!(ignores(&["*.log"], "run.log"));
        assert!(ignores(&["*.log"], "a/b/run.log"));
        assert!(!ignores(&["*.log"], "run.log.txt"));
    }

    #[test]
    fn star_stays_within_a_segment_and_double_star_crosses() {
        assert!(ignores(&["src/*.rs"], "src/lib.rs"));
        assert!(!ignores(&["src/*.rs"], "src/bin/cli.rs"));
        assert!(ignores(&["src/**/*.rs"], "src/bin/cli.rs"));
        assert!(ignores(&["target/**"], "target"));
        assert!(ignores(&["target/**"], "target/debug/build"));
        assert!(!ignores(&["target/**"], "targets"));
        assert!(ignores(&["target/"], "target"));
        assert!(ignores(&["logs/"], "a/logs"));
    }

    #[test]
    fn a_bad_glob_is_an_error_naming_it() {
        let err = Ignore::default().add(["["]).err().unwrap();
        assert!(err.starts_with("ignore pattern \"[\": "), "{err}");
    }
}
