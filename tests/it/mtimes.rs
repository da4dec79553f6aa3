//! Modification times in specs: `modified(time, file)` with `ago(…)` or
//! `unix_time(…)` — written by `write_to`, `write_over` and
//! `#[with_tempdir(files = …)]`, checked by `assert_tree!` and `check_tree`
//! within a second, ignored where not given, printed and parsed as spec text.

use std::error::Error;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use fixtree::spec::{ago, modified, unix_time};
use fixtree::{ExpectedTree, Node, Tree, assert_tree, check_tree, tree, with_tempdir};

type TestResult = Result<(), Box<dyn Error>>;

const HOUR: Duration = Duration::from_secs(3600);

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

/// How far apart two times are, either way.
fn apart(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).unwrap_or_else(|e| e.duration())
}

#[test]
fn write_to_and_write_over_give_each_file_its_time() -> TestResult {
    let then = unix_time(1_700_000_000);
    let dir = fixtree::tempdir()?;
    tree! {
        "old.log" => modified(then, "stale\n"),
        "bin/tool" => modified(ago(3 * HOUR), fixtree::spec::mode(0o755, "#!/bin/sh\n")),
        "fresh.txt" => "now\n",
    }
    .write_to(dir.path())?;
    // Exactly, to the second: a whole second is what every file system here keeps.
    assert_eq!(mtime(&dir.path().join("old.log")), then);
    let age = mtime(&dir.path().join("bin/tool")).elapsed()?;
    assert!(
        apart(SystemTime::now() - age, ago(3 * HOUR)) <= Duration::from_secs(2),
        "{age:?}"
    );
    assert!(mtime(&dir.path().join("fresh.txt")).elapsed()? < HOUR);
    assert_eq!(fs::read(dir.path().join("bin/tool"))?, b"#!/bin/sh\n");

    let later = unix_time(1_800_000_000);
    tree! { "old.log" => modified(later, "replaced\n") }.write_over(dir.path())?;
    assert_eq!(mtime(&dir.path().join("old.log")), later);
    assert_eq!(
        fs::read_to_string(dir.path().join("old.log"))?,
        "replaced\n"
    );
    Ok(())
}

#[with_tempdir(files = { "cache/entry" => modified(unix_time(1_600_000_000), "x") })]
fn with_tempdir_files_get_their_time(dir: &Path) {
    assert_eq!(mtime(&dir.join("cache/entry")), unix_time(1_600_000_000));
    assert_tree!(dir, { "cache/entry" => modified(unix_time(1_600_000_000), "x") });
}

#[test]
fn an_expected_time_matches_within_one_second_either_way() -> TestResult {
    let at = unix_time(1_700_000_000);
    let dir = fixtree::tempdir()?;
    tree! { "a" => modified(at, "x") }.write_to(dir.path())?;
    for near in [at, at - Duration::from_secs(1), at + Duration::from_secs(1)] {
        check_tree(dir.path(), &tree! { "a" => modified(near, "x") })?;
    }
    let far = at + Duration::from_secs(2);
    let diff = check_tree(dir.path(), &tree! { "a" => modified(far, "x") }).unwrap_err();
    assert_eq!(diff.paths().collect::<Vec<_>>(), ["a"]);
    Ok(())
}

#[test]
fn a_wrong_time_is_reported_as_dates_and_ages() -> TestResult {
    let dir = fixtree::tempdir()?;
    tree! { "old.log" => modified(unix_time(1_700_000_000), "x") }.write_to(dir.path())?;
    let expected = ExpectedTree::new().with("old.log", modified(unix_time(1_700_010_800), "x"))?;
    let text = check_tree(dir.path(), &expected).unwrap_err().to_string();
    let line = text.lines().find(|line| line.starts_with("~ ")).unwrap();
    // The ages count from now: only their shape is pinned.
    let (start, ages) = line.split_at(line.find(" (").unwrap());
    assert_eq!(start, "~ old.log  modified 2023-11-14 22:13:20 UTC");
    assert!(ages.starts_with(" (") && ages.contains(" d ago), expected 2023-11-15 01:13:20 UTC ("));
    assert!(text.starts_with("tree mismatch: "), "{text}");
    assert!(text.contains("1 changed (0 matched, 0 ignored)"), "{text}");
    Ok(())
}

#[test]
fn assert_tree_panics_with_the_time_that_differs() -> TestResult {
    let dir = fixtree::tempdir()?;
    tree! { "report.csv" => "id\n" }.write_to(dir.path())?;
    let panic = std::panic::catch_unwind(|| {
        assert_tree!(dir, { "report.csv" => modified(ago(3 * HOUR), "id\n") });
    })
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    let line = message
        .lines()
        .find(|l| l.starts_with("~ report.csv"))
        .unwrap();
    // Written just now: "now", or a second ago where the report comes a
    // moment after a second's turn (seen under Wine, which is slow).
    let just_now = [" (now), expected ", " (1 s ago), expected "];
    assert!(just_now.iter().any(|age| line.contains(age)), "{line}");
    assert!(line.ends_with(" UTC (3 h ago)"), "{line}");
    Ok(())
}

#[test]
fn an_expectation_without_a_time_accepts_any_time() -> TestResult {
    let dir = fixtree::tempdir()?;
    let written = tree! { "a" => modified(unix_time(0), "x"), "b" => "y" };
    written.write_to(dir.path())?;
    assert_tree!(dir, { "a" => "x", "b" => "y" });
    // Nor does a tree read from disk hold times to compare.
    let read = Tree::read(dir.path())?;
    assert!(matches!(
        read.get("a"),
        Some(Node::File { modified: None, .. })
    ));
    check_tree(dir.path(), &read)?;
    // A contents mismatch is still one: the time is no excuse.
    let diff = check_tree(
        dir.path(),
        &tree! { "a" => modified(unix_time(0), "z"), "b" => "y" },
    );
    assert!(
        diff.unwrap_err()
            .to_string()
            .contains("~ a  content differs")
    );
    Ok(())
}

#[test]
fn a_tree_with_times_prints_as_spec_text_that_parses_and_compiles_back() -> TestResult {
    let tree = tree! {
        "a.txt" => modified(unix_time(1_798_365_600), "x\n"),
        "run.sh" => modified(unix_time(-1), mode(0o755, "#!")),
    };
    let text = r##"{ "a.txt" => modified(unix_time(1798365600) /* 2026-12-27 10:00:00 UTC */, "x\n"), "run.sh" => modified(unix_time(-1) /* 1969-12-31 23:59:59 UTC */, mode(0o755, "#!")) }"##;
    assert_eq!(tree.to_string(), text);
    assert_eq!(text.parse::<Tree>()?, tree);
    assert_eq!(format!("{tree:#}").parse::<Tree>()?, tree);
    // The text pasted into `tree!`, as a report invites.
    let pasted = tree! { "a.txt" => modified(unix_time(1798365600) /* 2026-12-27 10:00:00 UTC */, "x\n"), "run.sh" => modified(unix_time(-1) /* 1969-12-31 23:59:59 UTC */, mode(0o755, "#!")) };
    assert_eq!(pasted, tree);
    Ok(())
}

#[test]
fn times_are_equal_to_the_second_and_a_set_time_is_not_an_unset_one() {
    let at = unix_time(1_700_000_000);
    let with = |time| tree! { "a" => modified(time, "x") };
    assert_eq!(with(at), with(at + Duration::from_millis(999)));
    assert_ne!(with(at), with(at + Duration::from_secs(1)));
    assert_ne!(with(at), tree! { "a" => "x" });
    // Kept to the second, rounded down, in the node itself.
    let node = fixtree::spec::IntoNode::into_node(modified(at + Duration::from_millis(999), "x"));
    assert!(matches!(node, Node::File { modified: Some(t), .. } if t == at));
}

#[test]
fn bad_times_in_spec_text_say_how_to_write_one() {
    let cases = [
        (
            r#"{ "a" => modified(unix_time(12x), "x") }"#,
            "invalid tree spec at byte 28: expected whole seconds since 1970 that this system can hold, e.g. `unix_time(1798365600)`",
        ),
        (
            r#"{ "a" => modified(1798365600, "x") }"#,
            "invalid tree spec at byte 18: expected the time as `unix_time(<seconds since 1970>)`, found `1798365600`",
        ),
        (
            r#"{ "a" => modified(unix_time(0), exec("x")) }"#,
            "invalid tree spec at byte 32: expected the file: a string, b\"bytes\" or mode(…), found `exec`",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(
            text.parse::<Tree>().unwrap_err().to_string(),
            message,
            "{text}"
        );
    }
}
