//! `[ROOT]`: the directory a test compares, as its files name it. A pattern
//! says `[ROOT]` where a file holds the directory's path, a report shows the
//! path as `[ROOT]` in every diff and excerpt, and the actual tree it offers
//! to paste says `matches("…[ROOT]…")`, which passes when pasted back.

use std::fs;
use std::path::Path;

use fixtree::spec::{contains, matches};
use fixtree::{ExpectedTree, assert_tree, check_tree};

/// The paste section of the report on `dir` against an empty tree,
/// without its heading.
fn paste_of(dir: &Path) -> String {
    let report = check_tree(dir, &ExpectedTree::new())
        .unwrap_err()
        .to_string();
    let (_, section) = report
        .split_once("expected tree with what differs changed, to paste into the test (or FIXTREE_UPDATE=review, then cargo fixtree accept):\n")
        .unwrap_or_else(|| panic!("no paste section in:\n{report}"));
    section.to_owned()
}

fn root(dir: &Path) -> String {
    dir.to_str().expect("temp paths are UTF-8 here").to_owned()
}

/// A directory holding these files, with `{root}` in their text replaced
/// by its path; and that path.
fn dir_naming_itself(files: &[(&str, &str)]) -> std::io::Result<(fixtree::TempDir, String)> {
    let dir = fixtree::tempdir()?;
    let root = root(dir.path());
    for (name, text) in files {
        fs::write(dir.path().join(name), text.replace("{root}", &root))?;
    }
    Ok((dir, root))
}

const LOG: (&str, &str) = ("log.txt", "log: {root}/out.txt\nstatus: ok\n");

fn one(name: &str, value: impl fixtree::IntoExpected) -> ExpectedTree {
    ExpectedTree::new().with(name, value).unwrap()
}

#[test]
fn root_in_a_pattern_matches_the_directory_the_file_names() -> std::io::Result<()> {
    let dir = fixtree::tempdir()?;
    let log = format!("log: {}/out.txt\n", root(dir.path()));
    fs::write(dir.path().join("log.txt"), &log)?;

    assert_tree!(dir.path(), { "log.txt" => matches("log: [ROOT]/out.txt\n") });
    assert_tree!(dir.path(), { "log.txt" => contains("[ROOT]/out.txt") });
    // A pattern holding the path itself still matches, as before `[ROOT]`.
    assert_tree!(dir.path(), { "log.txt" => matches(log.as_str()) });

    let without = check_tree(dir.path(), &one("log.txt", matches("log: /out.txt\n")));
    assert_eq!(
        without.unwrap_err().paths().collect::<Vec<_>>(),
        ["log.txt"]
    );
    let elsewhere = check_tree(dir.path(), &one("log.txt", contains("[ROOT]/in.txt")));
    assert!(elsewhere.is_err());
    // `[ROOT]` is the compared directory, not any directory.
    let other = fixtree::tempdir()?;
    fs::write(other.path().join("log.txt"), &log)?;
    let other_root = check_tree(
        other.path(),
        &one("log.txt", matches("log: [ROOT]/out.txt\n")),
    );
    assert!(other_root.is_err());
    Ok(())
}

/// A directory, a symbolic link to it, and its path with links resolved;
/// the first is removed when dropped.
#[cfg(unix)]
fn linked_dir() -> std::io::Result<(fixtree::TempDir, std::path::PathBuf, std::path::PathBuf)> {
    let base = fixtree::tempdir()?;
    let real = base.path().join("real");
    fs::create_dir(&real)?;
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&real, &link)?;
    let resolved = fs::canonicalize(&real)?;
    Ok((base, link, resolved))
}

#[cfg(unix)]
#[test]
fn root_matches_the_path_as_given_and_as_resolved() -> std::io::Result<()> {
    // The case of /tmp and /private/tmp on macOS: compared through a link,
    // while the program wrote the path with the link resolved.
    let (_base, link, resolved) = linked_dir()?;
    fs::write(
        resolved.join("log.txt"),
        format!("{}/a\n{}/b\n", resolved.display(), link.display()),
    )?;

    assert_tree!(&link, { "log.txt" => matches("[ROOT]/a\n[ROOT]/b\n") });
    Ok(())
}

#[test]
fn root_matches_the_path_resolved_and_with_forward_slashes() -> std::io::Result<()> {
    // On Windows: `\\?\C:\…` as resolved, and `C:/…` as many tools write it.
    let dir = fixtree::tempdir()?;
    let resolved = fs::canonicalize(dir.path())?;
    let slashes = root(dir.path()).replace('\\', "/");
    fs::write(
        dir.path().join("paths.txt"),
        format!("{}\n{slashes}\n", resolved.display()),
    )?;

    assert_tree!(dir.path(), { "paths.txt" => matches("[ROOT]\n[ROOT]\n") });
    Ok(())
}

#[test]
fn a_report_shows_the_root_as_root_in_every_diff() -> std::io::Result<()> {
    let (dir, root) = dir_naming_itself(&[LOG, ("wrote.txt", "wrote {root}/out.txt\n")])?;
    let expected = ExpectedTree::new()
        .with("log.txt", matches("log: [ROOT]/out.txt\nstatus: failed\n"))
        .unwrap()
        .with("wrote.txt", "wrote out.txt\n")
        .unwrap();

    let report = check_tree(dir.path(), &expected).unwrap_err().to_string();

    let diffs = report
        .split_once("--- pattern/log.txt\n")
        .and_then(|(_, rest)| rest.split_once("expected tree with what differs changed"))
        .map(|(diffs, _)| diffs)
        .unwrap_or_else(|| panic!("no diffs in:\n{report}"));
    assert_eq!(
        diffs,
        "+++ actual/log.txt\n\
         @@ -1,2 +1,2 @@\n \
         log: [ROOT]/out.txt\n\
         -status: failed\n\
         +status: ok\n\
         --- expected/wrote.txt\n\
         +++ actual/wrote.txt\n\
         @@ -1 +1 @@\n\
         -wrote out.txt\n\
         +wrote [ROOT]/out.txt\n",
        "{report}"
    );
    // The first line names the directory, for the user to look into; no other does.
    assert!(
        report.starts_with(&format!("tree mismatch: {root} vs ")),
        "{report}"
    );
    assert_eq!(report.matches(root.as_str()).count(), 1, "{report}");
    Ok(())
}

#[test]
fn contains_shows_the_file_with_root_when_it_fails() -> std::io::Result<()> {
    let dir = fixtree::tempdir()?;
    fs::write(
        dir.path().join("log.txt"),
        format!("{}/a\n", root(dir.path())),
    )?;
    let diff = check_tree(dir.path(), &one("log.txt", contains("[ROOT]/b"))).unwrap_err();
    let report = diff.to_string();
    assert!(
        report.contains("~ log.txt  does not contain \"[ROOT]/b\"\n--- actual/log.txt\n[ROOT]/a\n"),
        "{report}"
    );
    Ok(())
}

#[test]
fn the_paste_section_says_root_and_passes_pasted_back() -> std::io::Result<()> {
    let (dir, _) = dir_naming_itself(&[
        LOG,
        // What `matches` reads as wildcards, each of which matches itself;
        // a `[ROOT]` of the file's own goes in as `[..]`.
        ("odd.txt", "[..] in {root}\n...\n[ROOT]\n"),
        ("own.txt", "[ROOT] without the path\n"),
        ("plain.txt", "no path here\n"),
    ])?;

    assert_eq!(
        paste_of(dir.path()),
        r#"{
    "log.txt" => matches("log: [ROOT]/out.txt\nstatus: ok\n"),
    "odd.txt" => matches("[..] in [ROOT]\n...\n[..]\n"),
    "own.txt" => "[ROOT] without the path\n",
    "plain.txt" => "no path here\n",
}"#
    );
    // The section above, pasted into the test.
    assert_tree!(dir.path(), {
        "log.txt" => matches("log: [ROOT]/out.txt\nstatus: ok\n"),
        "odd.txt" => matches("[..] in [ROOT]\n...\n[..]\n"),
        "own.txt" => "[ROOT] without the path\n",
        "plain.txt" => "no path here\n",
    });
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_mode_the_pattern_cannot_check_is_said_in_a_comment() -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;

    let dir = fixtree::tempdir()?;
    let path = dir.path().join("run.sh");
    fs::write(&path, format!("cd {}\n", root(dir.path())))?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755))?;

    assert_eq!(
        paste_of(dir.path()),
        r#"{
    "run.sh" => matches("cd [ROOT]\n") /* mode 0o755, not checked by matches */,
}"#
    );
    assert_tree!(dir.path(), {
        "run.sh" => matches("cd [ROOT]\n") /* mode 0o755, not checked by matches */,
    });
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_difference_only_in_how_the_root_is_spelled_shows_both_paths() -> std::io::Result<()> {
    let (_base, link, resolved) = linked_dir()?;
    fs::write(resolved.join("at.txt"), format!("{}\n", resolved.display()))?;

    let expected = one("at.txt", format!("{}\n", link.display()));
    let report = check_tree(&link, &expected).unwrap_err().to_string();

    assert!(
        report.contains(&format!("-{}\n+{}\n", link.display(), resolved.display())),
        "{report}"
    );
    Ok(())
}

#[test]
fn root_is_never_its_own_literal_text() -> std::io::Result<()> {
    // A placeholder the program under test never expanded.
    let (unexpanded, _) = dir_naming_itself(&[("log.txt", "[ROOT]/out.txt\n")])?;
    for matcher in [matches("[ROOT]/out.txt\n"), contains("[ROOT]")] {
        let report = check_tree(unexpanded.path(), &one("log.txt", matcher))
            .unwrap_err()
            .to_string();
        assert!(
            report.contains("the file holds the text [ROOT] itself"),
            "{report}"
        );
    }
    // The path itself passes both.
    let (expanded, _) = dir_naming_itself(&[("log.txt", "{root}/out.txt\n")])?;
    assert_tree!(expanded.path(), { "log.txt" => matches("[ROOT]/out.txt\n") });
    assert_tree!(expanded.path(), { "log.txt" => contains("[ROOT]") });
    Ok(())
}
