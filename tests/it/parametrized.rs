//! `#[with_tempdir]` above `#[rstest]` and `#[test_case]`: the directory is
//! one parameter, the others stay with the parametrizing attribute, and
//! each case gets its own directory, named after the case and kept when
//! that case fails. The order below them is a compile error
//! (tests/ui/with_tempdir_below_*.rs).

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};

use fixtree::{FromTestDir, TestDir, assert_tree, test_dir, with_tempdir};
use rstest::{fixture, rstest};
use support::{is_child, stem};
use test_case::test_case;

#[with_tempdir(files = { "in.txt" => "input" })]
#[rstest]
#[case::small(1)]
#[case::large(1000)]
fn rstest_cases_each_get_their_own_directory(#[case] n: u32, dir: &Path) {
    assert_eq!(
        stem(dir),
        format!(
            "it.parametrized.rstest_cases_each_get_their_own_directory.case_{}",
            if n == 1 { "1_small" } else { "2_large" }
        )
    );
    fs::write(dir.join("out.txt"), n.to_string()).unwrap();
    // Nothing from the other case: each directory is fresh.
    assert_tree!(dir, { "in.txt" => "input", "out.txt" => n.to_string() });
}

#[with_tempdir]
#[rstest]
fn rstest_values_make_a_directory_per_combination(
    #[values("a", "b")] name: &str,
    #[values(1, 2)] n: u8,
    dir: PathBuf,
) {
    let expected = format!(
        "it.parametrized.rstest_values_make_a_directory_per_combination.name_{}___{name}__.n_{n}_{n}",
        if name == "a" { 1 } else { 2 }
    );
    assert_eq!(stem(&dir), expected);
}

#[fixture]
fn greeting() -> String {
    "hello".to_owned()
}

#[with_tempdir(files = { "greeting.txt" => "hello" })]
#[rstest]
fn rstest_fixtures_still_come_from_rstest(greeting: String, dir: &Path) {
    assert_eq!(
        fs::read_to_string(dir.join("greeting.txt")).unwrap(),
        greeting
    );
}

#[with_tempdir]
#[rstest]
#[case(2, 4)]
#[case(3, 9)]
#[tokio::test]
async fn rstest_async_cases(#[case] n: u64, #[case] square: u64, dir: &Path) {
    let square_of = async { n * n }.await;
    fs::write(dir.join("n"), square_of.to_string()).unwrap();
    assert_tree!(dir, { "n" => square.to_string() });
}

#[with_tempdir(files = { "a.txt" => "x" })]
#[test_case(1 ; "one")]
#[test_case(2 ; "two")]
fn test_case_cases_each_get_their_own_directory(n: u32, dir: &Path) {
    let case = if n == 1 { "one" } else { "two" };
    assert!(
        stem(dir).starts_with("it.parametrized.test_case_cases_each_get_their_own_directory.")
            && stem(dir).ends_with(case),
        "{}",
        dir.display()
    );
    assert_tree!(dir, { "a.txt" => "x" });
}

#[with_tempdir]
#[test_case("x", 1)]
#[should_panic(expected = "case failed on purpose")]
fn test_case_with_should_panic(text: &str, n: usize, dir: &Path) {
    fs::write(dir.join("t"), text.repeat(n)).unwrap();
    panic!("case failed on purpose");
}

/// A suite's helper type, built from the test's directory.
struct Project {
    root: PathBuf,
    config_home: TestDir,
}

impl FromTestDir<'_> for Project {
    fn from_test_dir(dir: &TestDir) -> Project {
        Project {
            root: dir.path().to_owned(),
            config_home: test_dir!("config"),
        }
    }
}

#[with_tempdir(files = { "Cargo.toml" => "[package]\n" })]
fn a_helper_type_is_the_parameter(project: Project) {
    assert!(project.root.join("Cargo.toml").is_file());
    assert_eq!(
        stem(project.config_home.path()),
        "it.parametrized.a_helper_type_is_the_parameter-config"
    );
}

#[with_tempdir]
#[rstest]
#[case::first(1)]
fn the_marker_picks_the_directory_among_parameters(
    #[case] n: u8,
    #[dir] project: Project,
    #[values(PathBuf::from("x"))] other: PathBuf,
) {
    assert_eq!((n, other), (1, PathBuf::from("x")));
    assert!(project.root.is_dir() && project.config_home.path().is_dir());
}

/// Fails in the child process only, after filling its directory and a
/// second one.
#[with_tempdir]
#[rstest]
#[case::first(1)]
#[case::second(2)]
#[ignore = "run by `a_failing_case_keeps_its_directories_named_after_the_case` in a child process"]
fn failing_rstest_case(#[case] n: u32, dir: &Path) -> Result<(), String> {
    fails_in_child(n, dir, "failing_rstest_case::case_2_second")
}

/// [`failing_rstest_case`] with test_case.
#[with_tempdir]
#[test_case(1 ; "first")]
#[test_case(2 ; "second")]
#[ignore = "run by `a_failing_case_keeps_its_directories_named_after_the_case` in a child process"]
fn failing_test_case(n: u32, dir: &Path) -> Result<(), String> {
    fails_in_child(n, dir, "failing_test_case::test_case_2_second")
}

fn fails_in_child(n: u32, dir: &Path, case: &str) -> Result<(), String> {
    fs::write(dir.join("n.txt"), n.to_string()).unwrap();
    let config = test_dir!("config");
    fs::write(config.path().join("app.toml"), "[app]\n").unwrap();
    if is_child(case) {
        return Err(format!("case {n} failed on purpose"));
    }
    Ok(())
}

#[test]
fn a_failing_case_keeps_its_directories_named_after_the_case() {
    for (case, n) in [
        ("failing_rstest_case::case_2_second", "2"),
        ("failing_test_case::test_case_2_second", "2"),
    ] {
        let failed = support::run_failing(case);
        let (kept, stderr) = (&failed.kept, &failed.stderr);
        let [dir, config] = kept.as_slice() else {
            panic!("{case}: expected the test's and its config directory: {kept:?}");
        };
        let test = format!("it.parametrized.{}", case.replace("::", "."));
        assert_eq!(stem(dir), test);
        assert_eq!(stem(config), format!("{test}-config"));
        assert_tree!(dir, { "n.txt" => n });
        assert_tree!(config, { "app.toml" => "[app]\n" });
        // The test's own directory first, the other marked with what made it.
        let message = format!(
            "fixtree: kept {} for failed test it::parametrized::{case}\n\
             fixtree: also kept {} (test_dir!(\"config\")) for failed test it::parametrized::{case}\n",
            dir.display(),
            config.display()
        );
        assert!(stderr.contains(&message), "{message}\nnot in\n{stderr}");
    }
}
