//! `cargo fixtree review`, `accept` and `reject`, driven as cargo runs them
//! (`cargo-fixtree fixtree …`) on a small project holding pending folders
//! and inline records, with answers fed on stdin; the files checked after.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use fixtree::{Tree, tree};
use fixtree_runtime::cli::review::{Edit, InlineRecord};

const SOURCE: &str = r#"#[test]
fn first() {
    fixtree::assert_tree!(dir, {
        "a.txt" => "x\n",
    });
}

#[test]
fn second() {
    assert_tree!(dir, { "b" => contains("}") });
}

#[test]
fn snap() {
    assert_tree!(dir, from = "tests/snapshots/changed");
    assert_tree!(dir, from = "tests/snapshots/dropped");
    assert_tree!(dir, from = "tests/snapshots/fresh");
}
"#;

/// The fingerprint of the tokens of a spec's inside, as the macro computes it.
fn tokens(inside: &str) -> String {
    fixtree_rules::tokens::fingerprint(inside.parse().unwrap())
}

/// The specs of [`SOURCE`] (and of `FOUR`, `{}`) by line, as written.
fn written_spec(line: u32) -> &'static str {
    match line {
        3 => "\"a.txt\" => \"x\\n\",",
        10 => "\"b\" => contains(\"}\")",
        _ => "",
    }
}

/// A pending folder's marker, for the test `tests::snap`.
fn marker(folder: &str) -> String {
    fixtree_runtime::cli::review::Marker {
        test: "tests::snap".to_owned(),
        folder: folder.to_owned(),
        txtar: None,
    }
    .to_text()
}

/// A record of `edits` for the `assert_tree!` at `line` of [`SOURCE`].
fn record(line: u32, edits: &[Edit]) -> String {
    InlineRecord {
        line,
        column: 5,
        tokens: tokens(written_spec(line)),
        test: format!("test_at_{line}"),
        report: format!("tree mismatch: the report of line {line}\n"),
        edits: edits.to_vec(),
    }
    .to_text()
}

/// The entry at `path` becomes `value` (spec text).
fn change(path: &str, value: &str) -> Edit {
    Edit::Change {
        path: path.to_owned(),
        value: value.to_owned(),
    }
}

/// A new entry `path => value`.
fn add(path: &str, value: &str) -> Edit {
    Edit::Add {
        path: path.to_owned(),
        value: value.to_owned(),
    }
}

/// A project with three pending folders (one for a folder that does not
/// exist yet), two inline records, and look-alikes that are not fixtree's.
fn project() -> fixtree::TempDir {
    let records = record(3, &[change("a.txt", "\"y\\n\"")]) + &record(10, &[change("b", "\"z\"")]);
    let dir = fixtree::tempdir().unwrap();
    tree! {
        "Cargo.toml" => "[package]\nname = \"demo\"\n",
        "tests/snapshots" => {
            "changed" => { "a.txt" => "old\n", "same.txt" => "same\n" },
            "changed.pending" => {
                "a.txt" => "new\n",
                "same.txt" => "same\n",
                "empty/.keep" => "",
                ".fixtree-pending" => marker("tests/snapshots/changed").as_str(),
            },
            "dropped/c.txt" => "c\n",
            "dropped.pending" => {
                "c.txt" => "changed\n",
                ".fixtree-pending" => marker("tests/snapshots/dropped").as_str(),
            },
            "fresh.pending" => {
                "b.txt" => "b\n",
                ".fixtree-pending" => marker("tests/snapshots/fresh").as_str(),
            },
        },
        "tests/it.rs" => SOURCE,
        "tests/it.rs.fixtree-pending" => records.as_str(),
        // Built output and someone else's `.pending`: not fixtree's to touch.
        "target/debug/x.pending/.fixtree-pending" => marker("target/debug/x").as_str(),
        "notes.pending/todo.txt" => "mine\n",
    }
    .write_to(dir.path())
    .unwrap();
    dir
}

/// `cargo fixtree <args> --root <root>`, outside CI, with `input` on stdin.
fn cargo_fixtree(root: &Path, args: &[&str], input: &str, ci: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"));
    command
        .arg("fixtree")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if ci {
        command.env("CI", "true");
    } else {
        command.env_remove("CI");
    }
    let mut child = command.spawn().expect("start cargo-fixtree");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Writes `content` at `path` under `root`, making its directories.
fn put(root: &Path, path: &str, content: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `text` holds `part`, showing all of it if not; paths in
/// `part` are written with `/`, which Windows shows as `\`.
#[track_caller]
fn holds(text: &str, part: &str) {
    let slashed = |text: &str| match cfg!(windows) {
        true => text.replace('\\', "/"),
        false => text.to_owned(),
    };
    assert!(
        slashed(text).contains(&slashed(part)),
        "{part:?} is not in:\n{text}"
    );
}

#[test]
fn review_asks_about_each_and_does_what_was_answered() {
    let project = project();
    let root = project.path();
    let snapshots = root.join("tests/snapshots");
    // changed: accept (after a wrong answer); dropped: reject; fresh: skip;
    // the inline records: accept, reject.
    let out = cargo_fixtree(root, &["review"], "a\nx\nr\ns\na\nr\n", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));

    // Each shown as a diff first.
    holds(&stdout, "changed snapshot folder");
    holds(&stdout, "~ a.txt");
    holds(&stdout, "+ empty");
    assert!(!stdout.contains(".fixtree-pending"), "{stdout}");
    holds(&stdout, "\"x\" is not an answer");
    holds(&stdout, "new snapshot folder");
    holds(&stdout, "tree mismatch: the report of line 3");
    holds(&stdout, "accepted 2, rejected 2, left pending 1");

    assert_eq!(
        Tree::read(snapshots.join("changed")).unwrap(),
        tree! { "a.txt" => "new\n", "same.txt" => "same\n", "empty/.keep" => "" }
    );
    assert_eq!(
        Tree::read(snapshots.join("dropped")).unwrap(),
        tree! { "c.txt" => "c\n" }
    );
    assert!(!snapshots.join("changed.pending").exists());
    assert!(!snapshots.join("dropped.pending").exists());
    assert!(snapshots.join("fresh.pending/b.txt").exists());
    assert!(!snapshots.join("fresh").exists());

    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    let expected = SOURCE.replace(r#""a.txt" => "x\n","#, r#""a.txt" => "y\n","#);
    assert_eq!(source, expected);
    assert!(!root.join("tests/it.rs.fixtree-pending").exists());

    assert!(
        root.join("target/debug/x.pending/.fixtree-pending")
            .exists()
    );
    assert!(root.join("notes.pending/todo.txt").exists());
}

#[test]
fn quitting_leaves_the_rest_pending_and_accept_then_takes_them_all() {
    let project = project();
    let root = project.path();
    let out = cargo_fixtree(root, &["review"], "q\n", false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("accepted 0, rejected 0, left pending 5"));
    assert_eq!(
        fs::read_to_string(root.join("tests/it.rs")).unwrap(),
        SOURCE,
        "nothing applied"
    );

    let out = cargo_fixtree(root, &["accept"], "", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(&stdout, "accepted 5, rejected 0, left pending 0");
    let snapshots = root.join("tests/snapshots");
    assert_eq!(
        Tree::read(snapshots.join("fresh")).unwrap(),
        tree! { "b.txt" => "b\n" }
    );
    // Both specs, the later one first so the earlier stays where it was.
    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    assert!(
        source.contains("        \"a.txt\" => \"y\\n\",\n    });"),
        "{source}"
    );
    holds(&source, "assert_tree!(dir, { \"b\" => \"z\" });");

    let out = cargo_fixtree(root, &["review"], "", false);
    assert!(text(&out.stdout).contains("no pending snapshots under"));
}

#[test]
fn reject_deletes_every_pending_snapshot_and_changes_nothing_else() {
    let project = project();
    let root = project.path();
    let before_source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    let out = cargo_fixtree(root, &["reject"], "", false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let snapshots = root.join("tests/snapshots");
    assert_eq!(
        Tree::read(&snapshots).unwrap(),
        tree! {
            "changed" => { "a.txt" => "old\n", "same.txt" => "same\n" },
            "dropped/c.txt" => "c\n",
        }
    );
    assert_eq!(
        fs::read_to_string(root.join("tests/it.rs")).unwrap(),
        before_source
    );
    assert!(!root.join("tests/it.rs.fixtree-pending").exists());
}

#[test]
fn ci_refuses_and_nothing_changes() {
    let project = project();
    let root = project.path();
    let before = Tree::read(root).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", true);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    holds(
        &stderr,
        "cargo fixtree: CI is set: pending snapshots are not accepted or rejected in CI",
    );
    assert_eq!(Tree::read(root).unwrap(), before);
}

#[test]
fn a_record_whose_source_moved_on_stays_pending_with_the_reason() {
    let project = project();
    let root = project.path();
    let moved = format!("// a line added since the test ran\n{SOURCE}");
    fs::write(root.join("tests/it.rs"), &moved).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("it.rs:3:5: no `assert_tree!` starts there")
            && stderr.contains(
                "the source changed since the test ran: run it again with FIXTREE_UPDATE=review"
            ),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("accepted 3, rejected 0, left pending 2"));
    assert_eq!(fs::read_to_string(root.join("tests/it.rs")).unwrap(), moved);
    let left = fs::read_to_string(root.join("tests/it.rs.fixtree-pending")).unwrap();
    assert_eq!(
        fixtree_runtime::cli::review::parse_records(&left)
            .unwrap()
            .len(),
        2
    );
    // Not said to be accepted either: the three folders, then the summary.
    let stdout = text(&out.stdout);
    let accepted: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("accepted "))
        .collect();
    assert_eq!(accepted.len(), 4, "{stdout}");
    assert!(accepted[2].ends_with("fresh"), "{stdout}");
    assert!(!stdout.contains("it.rs:"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_snapshot_folder_is_not_replaced() {
    let project = project();
    let root = project.path();
    let snapshots = root.join("tests/snapshots");
    let elsewhere = fixtree::tempdir().unwrap();
    fs::write(elsewhere.path().join("c.txt"), "c\n").unwrap();
    fs::remove_dir_all(snapshots.join("dropped")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), snapshots.join("dropped")).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    holds(
        &stderr,
        "dropped is a symbolic link; point `from` at the folder itself",
    );
    assert_eq!(
        Tree::read(elsewhere.path()).unwrap(),
        tree! { "c.txt" => "c\n" }
    );
    assert!(snapshots.join("dropped.pending/c.txt").exists());
}

#[test]
fn help_and_mistakes() {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["fixtree", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("review    show each pending snapshot"));
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["fixtree", "reveiw"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr)
            .contains("unknown command \"reveiw\"; the commands are review, accept, reject"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["review", "--rot", "x"])
        .output()
        .unwrap();
    assert!(
        text(&out.stderr)
            .contains("unexpected argument \"--rot\"; the options are --root <DIR> and --help"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn names_that_are_only_the_suffix_are_not_snapshots_and_nothing_else_goes() {
    let project = project();
    let root = project.path();
    // `folder = dir.join("")` would be the directory itself: the project.
    let marker = "test=tests::snap\n";
    for (path, content) in [
        (".pending/.fixtree-pending", marker),
        ("tests/.fixtree-pending", &record(3, &[])),
        ("tests/...pending/.fixtree-pending", marker),
    ] {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(&stdout, "accepted 5, rejected 0, left pending 0");
    assert!(root.join("Cargo.toml").is_file());
    assert!(root.join(".pending/.fixtree-pending").is_file());
    assert!(root.join("tests/.fixtree-pending").is_file());
    assert!(root.join("tests/...pending/.fixtree-pending").is_file());
    assert!(root.join("tests/snapshots/fresh/b.txt").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn a_pending_folder_with_a_name_that_is_not_utf8_is_left_alone() {
    use std::os::unix::ffi::OsStrExt;
    let dir = fixtree::tempdir().unwrap();
    let pending = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"snap\xff.pending"));
    fs::create_dir(&pending).unwrap();
    fs::write(pending.join(".fixtree-pending"), "test=t\n").unwrap();
    let out = cargo_fixtree(dir.path(), &["accept"], "", false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no pending snapshots"));
    assert!(pending.join(".fixtree-pending").is_file());
    assert!(!dir.path().join("snap\u{fffd}").exists());
}

/// Four `assert_tree!`s, on lines 2 to 5.
const FOUR: &str = "fn t() {
    assert_tree!(a, {});
    assert_tree!(b, {});
    assert_tree!(c, {});
    assert_tree!(d, {});
}
";

#[test]
fn a_skipped_record_follows_its_assert_when_an_earlier_one_grows() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let grown = add("a", "{\n    \"x\" => \"1\",\n}");
    let records = record(2, &[grown]) + &record(5, &[add("d", "\"4\"")]);
    tree! { "t.rs" => FOUR, "t.rs.fixtree-pending" => records.as_str() }
        .write_to(root)
        .unwrap();
    let out = cargo_fixtree(root, &["review"], "a\ns\n", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(&stdout, "accepted t.rs:2:5");
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(&stdout, "accepted t.rs:9:5");
    assert_eq!(
        fs::read_to_string(root.join("t.rs")).unwrap(),
        "fn t() {
    assert_tree!(a, {
        \"a\" => {
            \"x\" => \"1\",
        },
    });
    assert_tree!(b, {});
    assert_tree!(c, {});
    assert_tree!(d, { \"d\" => \"4\" });
}
"
    );
    assert!(!root.join("t.rs.fixtree-pending").exists());
}

/// A record is anyone's: what it holds is shown, and the terminal obeys none of it.
#[test]
fn review_shows_a_records_control_characters_and_never_prints_them() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let clear = "\u{1b}[2J\u{1b}]0;owned\u{7}";
    let record = InlineRecord {
        line: 2,
        column: 5,
        tokens: tokens(""),
        test: format!("t{clear}"),
        report: format!("tree mismatch {clear}\n"),
        edits: vec![Edit::Manual {
            path: "a".to_owned(),
            reason: format!("why{clear}"),
        }],
    };
    let source = "fn t() {\n    assert_tree!(d, {});\n}\n";
    tree! { "t.rs" => source, "t.rs.fixtree-pending" => record.to_text().as_str() }
        .write_to(root)
        .unwrap();
    let out = cargo_fixtree(root, &["review"], "s\n", false);
    let shown = text(&out.stdout) + &text(&out.stderr);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    holds(&shown, "tree mismatch \u{fffd}[2J\u{fffd}]0;owned\u{fffd}");
}

/// A record whose spot lies inside a spec another record rewrites (made
/// elsewhere, or garbled) stays pending, moved to that spec's start.
#[test]
fn a_record_inside_a_rewritten_spec_moves_to_its_start() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let inside = "\"a\" => \"xxxxxxxxxxxxxx\", \"b\" => \"éééééééééééé\"";
    let source = format!("fn t() {{\n    assert_tree!(d, {{ {inside} }});\n}}\n");
    let at = |column: u32, edits: Vec<Edit>, spec: &str| InlineRecord {
        line: 2,
        column,
        tokens: tokens(spec),
        test: format!("t{column}"),
        report: "tree mismatch\n".to_owned(),
        edits,
    };
    let remove = Edit::Remove {
        path: "a".to_owned(),
    };
    // Column 50 is in the run of 'é', two bytes each: past the new spec's end.
    let records = at(5, vec![remove], inside).to_text() + &at(50, Vec::new(), "").to_text();
    tree! { "t.rs" => source.as_str(), "t.rs.fixtree-pending" => records.as_str() }
        .write_to(root)
        .unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    holds(&stdout, "accepted t.rs:2:5");
    assert_eq!(
        fs::read_to_string(root.join("t.rs")).unwrap(),
        "fn t() {\n    assert_tree!(d, { \"b\" => \"éééééééééééé\" });\n}\n",
        "{stderr}"
    );
    let left = fs::read_to_string(root.join("t.rs.fixtree-pending")).unwrap();
    assert!(left.contains("line=2 column=21 "), "{left}{stderr}");
}

#[test]
fn a_source_that_cannot_be_read_is_a_problem_and_the_rest_goes_on() {
    let project = project();
    let root = project.path();
    // Sorted before tests/it.rs, and its source is gone.
    fs::write(root.join("tests/a_gone.rs.fixtree-pending"), record(3, &[])).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success());
    assert!(
        stderr.contains("cannot read") && stderr.contains("a_gone.rs"),
        "{stderr}"
    );
    holds(&stdout, "accepted 5, rejected 0, left pending 1");
    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    holds(&source, "\"b\" => \"z\"");
    assert!(root.join("tests/a_gone.rs.fixtree-pending").exists());
}

#[test]
fn a_record_file_with_every_record_resolved_is_removed() {
    let dir = fixtree::tempdir().unwrap();
    let file = dir.path().join("t.rs.fixtree-pending");
    fs::write(&file, record(2, &[]) + "fixtree-resolved line=2 column=5\n").unwrap();
    let out = cargo_fixtree(dir.path(), &["review"], "", false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no pending snapshots"));
    assert!(!file.exists());
}

#[test]
fn help_says_which_commands_take_root_and_which_base() {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .args(["fixtree", "help"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    for usage in [
        "    cargo fixtree review [--root <DIR>]\n",
        "    cargo fixtree accept [--root <DIR>]\n",
        "    cargo fixtree reject [--root <DIR>]\n",
        "    cargo fixtree list [--base <DIR>]\n",
        "    cargo fixtree open <TEST> [--label <LABEL>] [--crate <NAME>] [--all-crates] [--base <DIR>]\n",
        "    cargo fixtree clean [--older-than <AGE>] [--test <TEST>] [--crate <NAME>] [--all-crates] [--base <DIR>]\n",
    ] {
        assert!(stdout.contains(usage), "{usage}: {stdout}");
    }
}

/// The cases of a parametrized test record one `assert_tree!` each: the
/// same spec is applied once, different ones stay pending with the reason.
#[test]
fn cases_recording_one_assert_apply_once_or_stay_pending_when_they_differ() {
    let case = |line: u32, test: &str, key: &str, value: &str| {
        InlineRecord {
            line,
            column: 5,
            tokens: tokens(""),
            test: test.to_owned(),
            report: "tree mismatch\n".to_owned(),
            edits: vec![add(key, &format!("{value:?}"))],
        }
        .to_text()
    };
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let records = [
        case(2, "t::case_1", "a", "same"),
        case(2, "t::case_2", "a", "same"),
        case(3, "t::case_1", "b", "one"),
        case(3, "t::case_2", "b", "two"),
    ]
    .concat();
    tree! { "t.rs" => FOUR, "t.rs.fixtree-pending" => records.as_str() }
        .write_to(root)
        .unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stdout = text(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the tests t::case_1, t::case_2 recorded different specs"),
        "{stdout}{stderr}"
    );
    let source = fs::read_to_string(root.join("t.rs")).unwrap();
    holds(&source, "assert_tree!(a, { \"a\" => \"same\" });");
    holds(&source, "assert_tree!(b, {});");
    let left = fs::read_to_string(root.join("t.rs.fixtree-pending")).unwrap();
    assert_eq!(
        left.matches("fixtree-pending-2 line=3").count(),
        2,
        "{left}"
    );
}

/// What `accept` may touch is what a test's assertion names: pending
/// folders planted beside `.git`, `src` or a workspace member, or naming a
/// folder no assertion names, are refused and left, and so is what they
/// would replace.
#[test]
fn accept_refuses_pending_folders_no_assertion_recorded() {
    let project = project();
    let root = project.path();
    for (path, content) in [
        (".git/HEAD", "ref: refs/heads/main\n".to_owned()),
        (".git/objects/ab", "history".to_owned()),
        ("src/lib.rs", "pub fn f() {}\n".to_owned()),
        (
            "member/Cargo.toml",
            "[package]\nname = \"member\"\n".to_owned(),
        ),
        ("member/src/lib.rs", String::new()),
        (".git.pending/.fixtree-pending", marker(".git")),
        ("src.pending/.fixtree-pending", marker("src")),
        (
            "member.pending/Cargo.toml",
            "[package]\nname = \"evil\"\n".to_owned(),
        ),
        ("member.pending/.fixtree-pending", marker("member")),
        // Named by no assertion, or claiming another place than its own.
        (
            "tests/snapshots/unnamed.pending/.fixtree-pending",
            marker("tests/snapshots/unnamed"),
        ),
        (
            "tests/snapshots/elsewhere.pending/.fixtree-pending",
            marker("tests/snapshots/changed"),
        ),
        // The marker of an older fixtree, or of none.
        (
            "tests/snapshots/old.pending/.fixtree-pending",
            "test=t\n".to_owned(),
        ),
    ] {
        put(root, path, &content);
    }
    let before = |path: &str| Tree::read(root.join(path)).unwrap();
    let (git, src, member) = (before(".git"), before("src"), before("member"));
    let out = cargo_fixtree(root, &["accept"], "", false);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "{stdout}{stderr}");
    for (pending, why) in [
        (".git.pending", "it is in .git/ or target/"),
        ("src.pending", "it is the crate's src/ folder"),
        ("member.pending", "no assertion in the sources of the crate"),
        (
            "unnamed.pending",
            "no assertion in the sources of the crate",
        ),
        (
            "elsewhere.pending",
            "which is not where the pending folder is",
        ),
        ("old.pending", "not a fixtree marker"),
    ] {
        let line = stderr
            .lines()
            .find(|line| line.contains(&format!("{pending}:")))
            .unwrap_or_else(|| panic!("{pending} not refused: {stderr}"));
        assert!(line.contains("refusing") && line.contains(why), "{line}");
        assert!(
            !stdout.contains(&format!("accepted {}", &pending[..pending.len() - 8])),
            "{stdout}"
        );
    }
    assert_eq!(before(".git"), git);
    assert_eq!(before("src"), src);
    assert_eq!(before("member"), member);
    for pending in [
        ".git.pending",
        "src.pending",
        "member.pending",
        "tests/snapshots/old.pending",
    ] {
        assert!(
            root.join(pending).join(".fixtree-pending").is_file(),
            "{pending}"
        );
    }
    // The folders its tests did record are accepted all the same.
    holds(&stdout, "accepted 5, rejected 0, left pending 6");
    // Reject leaves them too.
    let out = cargo_fixtree(root, &["reject"], "", false);
    assert!(!out.status.success());
    assert!(root.join("src.pending/.fixtree-pending").is_file());
}

/// A golden fixture may itself be a crate or a repository: its folder is
/// accepted whatever it holds.
#[test]
fn a_folder_holding_a_cargo_toml_and_a_git_dir_is_accepted() {
    let project = project();
    let root = project.path();
    let snapshots = root.join("tests/snapshots");
    put(
        &snapshots,
        "changed.pending/Cargo.toml",
        "[package]\nname = \"golden\"\n",
    );
    put(
        &snapshots,
        "changed.pending/.git/HEAD",
        "ref: refs/heads/main\n",
    );
    put(
        &snapshots,
        "changed/Cargo.toml",
        "[package]\nname = \"old\"\n",
    );
    let out = cargo_fixtree(root, &["accept"], "", false);
    // Paths as Windows shows them too.
    let stdout = text(&out.stdout).replace('\\', "/");
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(&stdout, "accepted tests/snapshots/changed\n");
    assert_eq!(
        fs::read_to_string(snapshots.join("changed/Cargo.toml")).unwrap(),
        "[package]\nname = \"golden\"\n"
    );
    assert!(snapshots.join("changed/.git/HEAD").is_file());
}

/// A record applies only to the spec it was made against: another one now
/// at its line and column is left alone, with the reason.
#[test]
fn a_record_made_against_another_spec_is_refused() {
    let project = project();
    let root = project.path();
    let other = SOURCE.replace(r#""a.txt" => "x\n","#, r#""other.txt" => "o\n","#);
    fs::write(root.join("tests/it.rs"), &other).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("the assert_tree! at ")
            && stderr.contains("it.rs:3:5 is not the one test test_at_3 recorded: its spec changed since; run the test again with FIXTREE_UPDATE=review"),
        "{stderr}"
    );
    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    holds(&source, r#""other.txt" => "o\n","#);
    holds(&source, r#"{ "b" => "z" }"#);
}

/// A garbled record (line 0) is refused naming its file, never a panic,
/// and other record files are applied all the same.
#[test]
fn a_record_at_line_zero_is_refused_as_garbled() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let garbled = record(3, &[]).replacen("line=3", "line=0", 1);
    let valid = record(2, &[add("a", "\"1\"")]);
    tree! {
        "t.rs" => FOUR,
        "t.rs.fixtree-pending" => garbled.as_str(),
        "u.rs" => FOUR,
        "u.rs.fixtree-pending" => valid.as_str(),
    }
    .write_to(root)
    .unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    holds(&stderr, "\"0\" is not a line or column");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fs::read_to_string(root.join("t.rs")).unwrap(), FOUR);
    assert!(root.join("t.rs.fixtree-pending").is_file());
    // The other record file is not held up by it.
    let other = fs::read_to_string(root.join("u.rs")).unwrap();
    holds(&other, "assert_tree!(a, { \"a\" => \"1\" });");
}

/// The source is read and written only as a regular file: not through a
/// link (the file it points at is left alone), and a fifo does not hang.
#[cfg(unix)]
#[test]
fn accept_never_writes_through_a_linked_source_or_blocks_on_a_fifo() {
    let project = project();
    let root = project.path();
    let outside = fixtree::tempdir().unwrap();
    let target = outside.path().join("it.rs");
    fs::write(&target, SOURCE).unwrap();
    fs::remove_file(root.join("tests/it.rs")).unwrap();
    std::os::unix::fs::symlink(&target, root.join("tests/it.rs")).unwrap();
    let status = Command::new("mkfifo")
        .arg(root.join("tests/fifo.rs"))
        .status()
        .unwrap();
    assert!(status.success());
    fs::write(root.join("tests/fifo.rs.fixtree-pending"), record(3, &[])).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("it.rs") && stderr.contains("it is a symbolic link, not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fifo.rs") && stderr.contains("it is a fifo, not a regular file"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), SOURCE);
    assert!(
        fs::symlink_metadata(root.join("tests/it.rs"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A `#[cases]` expected folder is named by its pattern: a case it matches
/// is accepted, a folder beside the cases that it does not match is refused.
#[test]
fn a_case_folder_named_by_a_cases_pattern_is_accepted_and_no_other() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let case_marker = |folder: &str| {
        fixtree_runtime::cli::review::Marker {
            test: "cases::shout".to_owned(),
            folder: folder.to_owned(),
            txtar: None,
        }
        .to_text()
    };
    put(root, "Cargo.toml", "[package]\nname = \"demo\"\n");
    put(
        root,
        "tests/golden.rs",
        "#[fixtree::cases(\"tests/cases/json-*\")]\nfn case(dir: &Path) {}\n",
    );
    put(root, "tests/cases/json-a/expected/out.txt", "old\n");
    put(root, "tests/cases/json-a/expected.pending/out.txt", "new\n");
    put(
        root,
        "tests/cases/json-a/expected.pending/.fixtree-pending",
        &case_marker("tests/cases/json-a/expected"),
    );
    put(root, "tests/cases/yaml-b/expected/out.txt", "old\n");
    put(root, "tests/cases/yaml-b/expected.pending/out.txt", "new\n");
    put(
        root,
        "tests/cases/yaml-b/expected.pending/.fixtree-pending",
        &case_marker("tests/cases/yaml-b/expected"),
    );
    let out = cargo_fixtree(root, &["accept"], "", false);
    // Paths as Windows shows them too.
    let (stdout, stderr) = (
        text(&out.stdout).replace('\\', "/"),
        text(&out.stderr).replace('\\', "/"),
    );
    assert!(!out.status.success());
    holds(&stdout, "accepted tests/cases/json-a/expected");
    assert_eq!(
        fs::read_to_string(root.join("tests/cases/json-a/expected/out.txt")).unwrap(),
        "new\n"
    );
    holds(
        &stderr,
        "yaml-b/expected.pending: no assertion in the sources",
    );
    assert_eq!(
        fs::read_to_string(root.join("tests/cases/yaml-b/expected/out.txt")).unwrap(),
        "old\n"
    );
}

/// `cargo-fixtree fixtree <args>`, outside CI.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .arg("fixtree")
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap()
}

/// Every command answers `--help`, `-h` and `cargo fixtree help <command>`
/// on stdout with its own usage and options, and succeeds.
#[test]
fn every_command_answers_help_with_its_usage_and_options() {
    for (command, options) in [
        ("review", &["--root <DIR>"][..]),
        ("accept", &["--root <DIR>"]),
        ("reject", &["--root <DIR>"]),
        ("list", &["--base <DIR>"]),
        ("open", &["<TEST>", "--base <DIR>"]),
        (
            "clean",
            &["--older-than <AGE>", "--test <TEST>", "--base <DIR>"],
        ),
    ] {
        for asked in [[command, "--help"], [command, "-h"], ["help", command]] {
            let out = run(&asked);
            let help = text(&out.stdout);
            assert!(out.status.success(), "{asked:?}: {}", text(&out.stderr));
            assert!(
                help.contains(&format!("Usage: cargo fixtree {command} ")),
                "{asked:?}: {help}"
            );
            for option in options {
                assert!(help.contains(option), "{asked:?} names {option}: {help}");
            }
        }
    }
}

/// An argument a command does not take is named, with the command's
/// options and usage; an option of another command is named as such.
#[test]
fn an_unknown_option_is_named_with_the_commands_usage() {
    for (args, words) in [
        (
            &["list", "--frob"][..],
            "unexpected argument \"--frob\"; the options are --base <DIR> and --help",
        ),
        (
            &["list", "--frob"],
            "Usage: cargo fixtree list [--base <DIR>]",
        ),
        (
            &["review", "--base", "x"],
            "unexpected argument \"--base\": it is an option of `cargo fixtree list`; \
             `cargo fixtree review` takes only --root <DIR> and --help",
        ),
        (&["clean", "-x"], "unexpected argument \"-x\""),
        (
            &["clean", "--test"],
            "Usage: cargo fixtree clean [--older-than <AGE>]",
        ),
        (
            &["accept", "--root", "a", "--root=b"],
            "--root is given twice",
        ),
    ] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(words),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// `--root` keeps a path that is not UTF-8 as the OS gave it, given as
/// `--root=DIR` or `--root DIR`.
#[cfg(unix)]
#[test]
fn a_root_that_is_not_utf8_is_kept() {
    use std::ffi::{OsStr, OsString};
    use std::os::unix::ffi::OsStrExt;

    let dir = fixtree::tempdir().unwrap();
    let root = dir.path().join(OsStr::from_bytes(b"project-\xff"));
    fs::create_dir(&root).unwrap();
    let mut joined = OsString::from("--root=");
    joined.push(&root);
    for args in [
        &[OsStr::new("reject"), &joined][..],
        &[OsStr::new("reject"), OsStr::new("--root"), root.as_os_str()],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("no pending snapshots under"));
    }
}

/// A source that cannot be read is the reason given, not "no assertion
/// names it": what it holds is unknown, so nothing is accepted.
#[test]
fn a_crate_whose_sources_cannot_be_read_says_so_and_accepts_nothing() {
    let project = project();
    let root = project.path();
    // Past the CLI's limit on a source file (sparse: no disk used).
    let big = fs::File::create(root.join("tests/big.rs")).unwrap();
    big.set_len(65 << 20).unwrap();
    let out = cargo_fixtree(root, &["accept"], "", false);
    let stderr = text(&out.stderr).replace('\\', "/");
    assert!(!out.status.success(), "{stderr}");
    holds(&stderr, "the sources of the crate at ");
    holds(&stderr, "tests/big.rs: it is larger than 67108864 bytes");
    assert!(!stderr.contains("no assertion in the sources"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("tests/snapshots/changed/a.txt")).unwrap(),
        "old\n"
    );
}

/// The issue's spec: a matcher that holds, a comment, a failing matcher,
/// `..` at the top (the build's `target/` and a logo are allowed), the
/// keys in the user's order.
const SITE: &str = r#"#[test]
fn builds_the_site() {
    let dir = build();
    fixtree::assert_tree!(dir.path(), {
        "site" => {
            "index.html" => "<h1>Home</h1>\n",
            "about.html" => "<h1>About</h1>\n",
        },
        // the build's own summary: any text
        "report.txt" => any(),
        "build.log" => contains("done"),
        "sitemap.xml" => "<urlset/>\n",
        ..
    });
}
"#;

/// A project with [`SITE`] as `tests/it.rs` and a record of `edits` for
/// its `assert_tree!` (line 4).
fn site(edits: &[Edit]) -> fixtree::TempDir {
    let written = &SITE[SITE.find("\"site\"").unwrap()..SITE.find("    });").unwrap()];
    let record = InlineRecord {
        line: 4,
        column: 5,
        tokens: tokens(written),
        test: "builds_the_site".to_owned(),
        report: "tree mismatch: the site's report\n".to_owned(),
        edits: edits.to_vec(),
    };
    let dir = fixtree::tempdir().unwrap();
    tree! {
        "Cargo.toml" => "[package]\nname = \"site\"\n",
        "tests/it.rs" => SITE,
        "tests/it.rs.fixtree-pending" => record.to_text().as_str(),
    }
    .write_to(dir.path())
    .unwrap();
    dir
}

/// What review mode records for [`SITE`] when the build changed the about
/// page, made a contact page, left out the sitemap and logged no "done".
fn site_edits() -> Vec<Edit> {
    vec![
        Edit::Manual {
            path: "build.log".to_owned(),
            reason: "does not contain \"done\" (a matcher is not rewritten)".to_owned(),
        },
        change("site/about.html", "\"<h1>About us</h1>\\n\""),
        add("site/contact.html", "\"<h1>Contact</h1>\\n\""),
        Edit::Remove {
            path: "sitemap.xml".to_owned(),
        },
    ]
}

/// [`site`] after a successful `cargo fixtree accept`, and what it said.
fn accepted(edits: &[Edit]) -> (fixtree::TempDir, String) {
    let project = site(edits);
    let out = cargo_fixtree(project.path(), &["accept"], "", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    (project, stdout)
}

#[test]
fn accept_changes_only_the_failing_entries() {
    let (project, stdout) = accepted(&site_edits()[1..]);
    let root = project.path();
    holds(&stdout, "accepted tests/it.rs:4:5\n");
    let expected = SITE
        .replace("<h1>About</h1>", "<h1>About us</h1>")
        .replace(
            "        },\n        // the",
            "            \"contact.html\" => \"<h1>Contact</h1>\\n\",\n        },\n        // the",
        )
        .replace("        \"sitemap.xml\" => \"<urlset/>\\n\",\n", "");
    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    assert_eq!(source, expected);
    // What held, `..`, the comment and the order are the user's still.
    for kept in [
        "\"report.txt\" => any(),",
        "        ..\n",
        "// the build's own summary",
        "\"index.html\" => \"<h1>Home</h1>\\n\",\n            \"about.html\"",
    ] {
        holds(&source, kept);
    }
    assert!(
        !source.contains("target") && !source.contains("logo"),
        "{source}"
    );
    assert!(!root.join("tests/it.rs.fixtree-pending").exists());
}

#[test]
fn a_failing_matcher_is_left_for_the_user_and_said() {
    let (project, stdout) = accepted(&site_edits());
    let root = project.path();
    holds(
        &stdout,
        "accepted tests/it.rs:4:5, 1 entry left for you\nleft for you: tests/it.rs:12:9 \
         \"build.log\" => contains(\"done\"): does not contain \"done\" (a matcher is not \
         rewritten)\n",
    );
    let source = fs::read_to_string(root.join("tests/it.rs")).unwrap();
    assert_eq!(
        source.lines().nth(11),
        Some("        \"build.log\" => contains(\"done\"),")
    );
    assert!(!root.join("tests/it.rs.fixtree-pending").exists());

    // Only a matcher failing: nothing to rewrite, still accepted and said.
    let (project, stdout) = accepted(&site_edits()[..1]);
    let root = project.path();
    holds(&stdout, "accepted tests/it.rs:4:5, 1 entry left for you\n");
    holds(&stdout, "left for you: tests/it.rs:11:9 \"build.log\"");
    assert_eq!(fs::read_to_string(root.join("tests/it.rs")).unwrap(), SITE);
    assert!(!root.join("tests/it.rs.fixtree-pending").exists());
}

/// A record an older fixtree made holds a whole spec, which accept no
/// longer writes: it is refused, saying how to record it again.
#[test]
fn a_v1_record_is_refused_with_how_to_record_again() {
    let project = site(&[]);
    let root = project.path();
    let (report, spec) = ("tree mismatch\n", "{\n    \"site\" => {},\n}");
    let v1 = format!(
        "fixtree-pending line=4 column=5 tokens={} report={} spec={} test=builds_the_site\n\
         {report}{spec}\n",
        tokens("\"site\" => {},"),
        report.len(),
        spec.len(),
    );
    fs::write(root.join("tests/it.rs.fixtree-pending"), &v1).unwrap();
    for command in ["accept", "review"] {
        let out = cargo_fixtree(root, &[command], "", false);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        holds(&stderr, "it.rs.fixtree-pending");
        holds(&stderr, "older fixtree");
        holds(
            &stderr,
            "delete the record file and run the test again with FIXTREE_UPDATE=review",
        );
        // Said once: not also the fix for a garbled record, which would not do.
        assert_eq!(
            stderr.matches("FIXTREE_UPDATE=review").count(),
            1,
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(root.join("tests/it.rs")).unwrap(), SITE);
        assert_eq!(
            fs::read_to_string(root.join("tests/it.rs.fixtree-pending")).unwrap(),
            v1
        );
    }
}

#[test]
fn review_shows_a_diff_of_the_spec_not_a_new_spec() {
    let project = site(&site_edits());
    let root = project.path();
    let out = cargo_fixtree(root, &["review"], "s\n", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    holds(
        &stdout,
        "inline spec at tests/it.rs:4:5 (test builds_the_site)
tree mismatch: the site's report
--- tests/it.rs:4:5 as written
+++ tests/it.rs:4:5 accepted
@@ -1,11 +1,11 @@
 {
         \"site\" => {
             \"index.html\" => \"<h1>Home</h1>\\n\",
-            \"about.html\" => \"<h1>About</h1>\\n\",
+            \"about.html\" => \"<h1>About us</h1>\\n\",
+            \"contact.html\" => \"<h1>Contact</h1>\\n\",
         },
         // the build's own summary: any text
         \"report.txt\" => any(),
         \"build.log\" => contains(\"done\"),
-        \"sitemap.xml\" => \"<urlset/>\\n\",
         ..
     }
left for you: tests/it.rs:12:9 \"build.log\" => contains(\"done\"): does not contain \"done\" (a matcher is not rewritten)
accept, reject, skip, quit? [a/r/s/q] ",
    );
    assert!(!stdout.contains("new spec"), "{stdout}");
    holds(&stdout, "accepted 0, rejected 0, left pending 1");
    assert_eq!(fs::read_to_string(root.join("tests/it.rs")).unwrap(), SITE);
}

/// A record may be anyone's: accept writes spec text (literals, spec
/// helpers, `{ … }`) into a source, never code a record carries.
#[test]
fn a_record_carrying_code_is_refused_and_the_source_left_alone() {
    let code = "std::process::Command::new(\"sh\").output().unwrap().stdout";
    for edit in [change("site/about.html", code), add("site/x.html", code)] {
        let project = site(&[edit]);
        let root = project.path();
        let out = cargo_fixtree(root, &["accept"], "", false);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        holds(&stderr, "it.rs:4:5: the record holds the value");
        holds(
            &stderr,
            "which is not spec text (literals, spec helpers, `{ … }`)",
        );
        holds(&text(&out.stdout), "accepted 0, rejected 0, left pending 1");
        assert_eq!(fs::read_to_string(root.join("tests/it.rs")).unwrap(), SITE);
        assert!(root.join("tests/it.rs.fixtree-pending").is_file());
    }
}

/// A crate asserting against `tests/snap.txtar` (holding `old`, if any),
/// with the record review mode makes of it: `contents` and the marker.
fn txtar_project(old: Option<&str>, contents: &str) -> fixtree::TempDir {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    put(root, "Cargo.toml", "[package]\nname = \"demo\"\n");
    put(
        root,
        "tests/it.rs",
        "#[test]\nfn t() {\n    assert_tree!(dir, from = \"tests/snap.txtar\");\n}\n",
    );
    let file = root.join("tests/snap.txtar");
    if let Some(old) = old {
        put(root, "tests/snap.txtar", old);
    }
    let marker = fixtree_runtime::cli::review::Marker {
        test: "tests::t".to_owned(),
        folder: "tests/snap.txtar".to_owned(),
        txtar: Some(fixtree_runtime::cli::review::txtar_fingerprint(&file).unwrap()),
    };
    put(root, "tests/snap.txtar.pending/contents.txtar", contents);
    put(
        root,
        "tests/snap.txtar.pending/.fixtree-pending",
        &marker.to_text(),
    );
    dir
}

#[test]
fn a_pending_txtar_file_is_reviewed_as_a_diff_and_accepted_over_the_file() {
    let project = txtar_project(
        Some("a note\n-- a.txt --\nold\n"),
        "a note\n-- a.txt --\nnew\n",
    );
    let root = project.path();
    let out = cargo_fixtree(root, &["review"], "a\n", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    holds(
        &stdout,
        "changed txtar file tests/snap.txtar (test tests::t)\n",
    );
    holds(
        &stdout,
        "@@ -1,3 +1,3 @@\n a note\n -- a.txt --\n-old\n+new\n",
    );
    holds(&stdout, "accepted 1, rejected 0, left pending 0");
    assert_eq!(
        fs::read_to_string(root.join("tests/snap.txtar")).unwrap(),
        "a note\n-- a.txt --\nnew\n"
    );
    assert!(!root.join("tests/snap.txtar.pending").exists());

    // A new file: shown whole, and made.
    let project = txtar_project(None, "-- a.txt --\nnew\n");
    let root = project.path();
    let out = cargo_fixtree(root, &["review"], "a\n", false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    holds(&stdout, "new txtar file tests/snap.txtar (test tests::t)\n");
    holds(&stdout, "@@ -0,0 +1,2 @@\n+-- a.txt --\n+new\n");
    assert_eq!(
        fs::read_to_string(root.join("tests/snap.txtar")).unwrap(),
        "-- a.txt --\nnew\n"
    );
}

#[test]
fn reject_removes_a_pending_txtar_record_and_leaves_the_file() {
    let project = txtar_project(Some("-- a.txt --\nold\n"), "-- a.txt --\nnew\n");
    let root = project.path();
    let out = cargo_fixtree(root, &["reject"], "", false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    holds(&text(&out.stdout), "rejected tests/snap.txtar");
    assert_eq!(
        fs::read_to_string(root.join("tests/snap.txtar")).unwrap(),
        "-- a.txt --\nold\n"
    );
    assert!(!root.join("tests/snap.txtar.pending").exists());
}

#[test]
fn a_txtar_file_changed_since_it_was_recorded_is_not_overwritten() {
    let project = txtar_project(Some("-- a.txt --\nold\n"), "-- a.txt --\nnew\n");
    let root = project.path();
    put(root, "tests/snap.txtar", "-- a.txt --\nedited by hand\n");
    let out = cargo_fixtree(root, &["accept"], "", false);
    assert!(!out.status.success());
    holds(
        &text(&out.stderr),
        "snap.txtar: it changed since the test recorded",
    );
    assert_eq!(
        fs::read_to_string(root.join("tests/snap.txtar")).unwrap(),
        "-- a.txt --\nedited by hand\n"
    );
    assert!(
        root.join("tests/snap.txtar.pending/contents.txtar")
            .exists()
    );
}

/// A pending txtar record may be anyone's: a contents file that is a link
/// or too large, a txtar file that is a link, a marker naming a file
/// elsewhere or of the other kind: each is refused, and nothing changes.
#[cfg(unix)]
#[test]
fn hostile_pending_txtar_records_are_refused() {
    use std::os::unix::fs::symlink;

    let old = "-- a.txt --\nold\n";
    let elsewhere = fixtree::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txtar");
    fs::write(&secret, "-- secret --\nkept\n").unwrap();
    let pending = "tests/snap.txtar.pending";
    // What is refused, and how the record is spoilt.
    type Case<'a> = (&'a str, &'a dyn Fn(&Path));
    let cases: [Case; 6] = [
        ("it is not txtar a test can read", &|root| {
            put(
                root,
                &format!("{pending}/contents.txtar"),
                "-- ../up.txt --\nx\n",
            );
        }),
        ("cannot read", &|root| {
            let contents = root.join(pending).join("contents.txtar");
            fs::remove_file(&contents).unwrap();
            symlink(&secret, &contents).unwrap();
        }),
        ("it is larger than 67108864 bytes", &|root| {
            let contents = fs::File::create(root.join(pending).join("contents.txtar")).unwrap();
            contents.set_len((64 << 20) + 1).unwrap();
        }),
        (
            "is a symbolic link; point `from` at the file itself",
            &|root| {
                let file = root.join("tests/snap.txtar");
                fs::remove_file(&file).unwrap();
                symlink(&secret, &file).unwrap();
            },
        ),
        ("is not where the pending folder is", &|root| {
            let marker = fs::read_to_string(root.join(pending).join(".fixtree-pending")).unwrap();
            let marker = marker.replace("folder=tests/snap.txtar", "folder=../snap.txtar");
            put(root, &format!("{pending}/.fixtree-pending"), &marker);
        }),
        ("its marker says kind=folder", &|root| {
            let marker = fs::read_to_string(root.join(pending).join(".fixtree-pending")).unwrap();
            let (folder, _) = marker.split_once("kind=txtar").unwrap();
            put(root, &format!("{pending}/.fixtree-pending"), folder);
        }),
    ];
    for (refused, spoil) in cases {
        let project = txtar_project(Some(old), "-- a.txt --\nnew\n");
        let root = project.path();
        spoil(root);
        let out = cargo_fixtree(root, &["accept"], "", false);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{refused}: {stderr}");
        holds(&stderr, refused);
        assert_eq!(
            fs::read_to_string(&secret).unwrap(),
            "-- secret --\nkept\n",
            "{refused}"
        );
        let file = root.join("tests/snap.txtar");
        if !file.symlink_metadata().unwrap().is_symlink() {
            assert_eq!(fs::read_to_string(&file).unwrap(), old, "{refused}");
        }
        assert!(root.join(pending).exists(), "{refused}");
    }
}
