//! The diff of a failing `matches(…)`: lines the pattern matched, `...` and
//! whole-line `[..]` included, are context, and only what differs is marked;
//! a failing pattern or needle written as a glob or a regex is told what
//! fixtree's wildcards are.

use fixtree::spec::{Matcher, contains, matches};
use fixtree::{ExpectedTree, Tree};
use proptest::prelude::*;

use crate::support::{dir_with, report};

/// The report on a directory holding `out.log` with `text`, expected to
/// be as `want` says.
fn report_on(text: &str, want: Matcher) -> String {
    let dir = dir_with(&Tree::new().with("out.log", text).unwrap());
    report(
        dir.path(),
        &ExpectedTree::new().with("out.log", want).unwrap(),
    )
}

/// What the report says of `out.log`, on its line in the tree view.
fn said(report: &str) -> &str {
    let line = report
        .lines()
        .find(|line| line.starts_with("~ out.log"))
        .unwrap();
    line.trim_start_matches("~ out.log  ")
}

#[test]
fn an_ellipsis_is_context_and_one_changed_line_is_one_minus_one_plus() {
    let modules: String = (1..=10)
        .map(|i| format!("compiled module_{i}.rs\n"))
        .collect();
    let text = format!("build started\n{modules}build finished: 1 error\n");
    let pattern = matches("build started\n...\nbuild finished: 0 errors\n");
    assert_eq!(report_on(&text, pattern), PIN_ELLIPSIS);
}

/// Before: `-...`, `-build finished: 0 errors` and eleven `+` lines.
const PIN_ELLIPSIS: &str = r#"tree mismatch: <root> vs the expected tree
1 changed (0 matched, 0 ignored)
~ out.log  does not match the pattern
--- pattern/out.log
+++ actual/out.log
@@ -1,3 +1,3 @@
 build started
 ...
-build finished: 0 errors
+build finished: 1 error
actual tree, to paste into the test:
{
    "out.log" => "build started\ncompiled module_1.rs\ncompiled module_2.rs\ncompiled module_3.rs\ncompiled module_4.rs\ncompiled module_5.rs\ncompiled module_6.rs\ncompiled module_7.rs\ncompiled module_8.rs\ncompiled module_9.rs\ncompiled module_10.rs\nbuild finished: 1 error\n",
}"#;

#[test]
fn a_whole_line_wildcard_shows_no_extra_line_and_no_false_no_newline() {
    let report = report_on("first\nsecond\nLAST\n", matches("first\n[..]\nlast\n"));
    let (_, diff) = report.split_once("+++ actual/out.log\n").unwrap();
    let (diff, _) = diff.split_once("actual tree").unwrap();
    // Before: `-first`, `-last`, three `+[..]` and "\ No newline at end of file".
    assert_eq!(diff, "@@ -1,3 +1,3 @@\n first\n [..]\n-last\n+LAST\n");
}

#[test]
fn a_glob_or_regex_in_a_failing_pattern_names_the_real_wildcards() {
    let real = "does not match the pattern (patterns are not globs or regexes: [..] matches \
                any text within a line, a line of ... any number of lines)";
    for pattern in [
        "version = *\n",
        "id: \\d+\n",
        "(?i)error\n",
        "^done\n",
        "a\ndone$\n",
        "x.*y",
    ] {
        assert_eq!(
            said(&report_on("version = 0.3.1\n", matches(pattern))),
            real,
            "{pattern:?}"
        );
    }
    let literal = "(contains(…) is literal text; for wildcards use matches(…) with [..])";
    for needle in ["error: .*", "error: [..]", "\\w+ failed"] {
        let report = report_on("error: disk full\n", contains(needle));
        assert_eq!(
            said(&report),
            format!("does not contain {needle:?} {literal}")
        );
    }
}

#[test]
fn no_hint_when_the_pattern_has_no_such_syntax() {
    let report = report_on("version = 0.3.1\n", matches("version = [..].9\n"));
    assert_eq!(said(&report), "does not match the pattern");
    let report = report_on("error: disk full\n", contains("warning"));
    assert_eq!(said(&report), "does not contain \"warning\"");
}

/// Lines of patterns and texts: literal, empty, with wildcards.
const LINES: &[&str] = &["a", "b", "ab", "", "[..]", "a[..]", "...", "x y"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the pattern and the text, a pattern that fails shows a diff
    /// with a line marked as differing, and one that passes passes.
    #[test]
    fn a_failing_pattern_always_shows_a_line_that_differs(
        pattern in prop::collection::vec(prop::sample::select(LINES), 1..8),
        text in prop::collection::vec(prop::sample::select(&LINES[..4]), 1..10),
    ) {
        let (pattern, text) = (pattern.join("\n"), text.join("\n"));
        let dir = dir_with(&Tree::new().with("out.log", text.as_str()).unwrap());
        let expected = ExpectedTree::new().with("out.log", matches(pattern.as_str())).unwrap();
        if let Err(diff) = fixtree::check_tree(dir.path(), &expected) {
            let report = diff.to_string();
            let (_, diff) = report.split_once("+++ actual/out.log\n").expect(&report);
            prop_assert!(diff.lines().any(|line| line.starts_with(['-', '+'])), "{}", report);
        }
    }
}
