//! Colour in tree-mismatch reports: on where stderr is a terminal, off where
//! it is not, forced on by `CLICOLOR_FORCE`, and off whenever `NO_COLOR` is
//! set, even with `CLICOLOR_FORCE`. Each case runs one failing comparison in
//! a child process with its own environment (both are read once per process).

use crate::support;

use fixtree::assert_tree;
use support::{Setup, is_child, run_in_child};

/// The test every case runs in its child: it prints the report of one
/// mismatch between these markers, and passes.
const CHILD: &str = "child_prints_a_report";
const START: &str = "<<<report\n";
const END: &str = "\nreport>>>";

#[test]
#[ignore = "run by the tests below in a child process"]
fn child_prints_a_report() {
    if !is_child(CHILD) {
        return;
    }
    let dir = fixtree::tempdir().unwrap();
    let files = fixtree::tree! {
        "cache" => "not a dir",
        "log.txt" => "a\nb\n",
        "new.txt" => "x",
        // An excerpt: its lines are the file's, whatever they start with.
        "run.log" => "-flag\n+plus\n",
    };
    files.write_to(dir.path()).unwrap();
    let panic = std::panic::catch_unwind(|| {
        assert_tree!(dir.path(), {
            "cache" => {},
            "gone.txt" => "gone\n",
            // A removed line that reads like a diff's file header.
            "log.txt" => "a\n-- c\n",
            "run.log" => contains("done"),
        });
    })
    .expect_err("the trees differ");
    let report = panic.downcast_ref::<String>().expect("a formatted message");
    let report = report.replace(&dir.path().display().to_string(), "<root>");
    println!("{START}{report}{END}");
}

/// The report the child printed to its stdout.
fn report(stdout: &[u8]) -> String {
    let stdout = String::from_utf8_lossy(stdout).replace("\r\n", "\n");
    let (_, rest) = stdout
        .split_once(START)
        .unwrap_or_else(|| panic!("no report in:\n{stdout}"));
    let (report, _) = rest.split_once(END).expect("the report's end marker");
    report.to_owned()
}

/// The child's report, with these variables set or removed.
fn report_with(env: &'static [(&'static str, Option<&'static str>)]) -> String {
    let setup = Setup {
        env,
        ..Setup::default()
    };
    report(&run_in_child(CHILD, setup).stdout)
}

const PLAIN: &str = r#"tree mismatch: <root> vs the expected tree
1 missing, 1 unexpected, 2 changed, 1 kind changed (0 matched, 0 ignored)
! cache     expected directory, found file
- gone.txt  missing file (5 B)
~ log.txt   content differs
+ new.txt   unexpected file (1 B)
~ run.log   does not contain "done"
--- expected/log.txt
+++ actual/log.txt
@@ -1,2 +1,2 @@
 a
--- c
+b
--- actual/run.log
-flag
+plus
actual tree, to paste into the test:
{
    "cache" => "not a dir",
    "log.txt" => "a\nb\n",
    "new.txt" => "x",
    "run.log" => "-flag\n+plus\n",
}"#;

/// [`PLAIN`] as a terminal shows it.
const COLORED: &str = "tree mismatch: <root> vs the expected tree
1 missing, 1 unexpected, 2 changed, 1 kind changed (0 matched, 0 ignored)
\x1b[35m! cache     expected directory, found file\x1b[0m
\x1b[31m- gone.txt  missing file (5 B)\x1b[0m
\x1b[33m~ log.txt   content differs\x1b[0m
\x1b[32m+ new.txt   unexpected file (1 B)\x1b[0m
\x1b[33m~ run.log   does not contain \"done\"\x1b[0m
\x1b[1m--- expected/log.txt\x1b[0m
\x1b[1m+++ actual/log.txt\x1b[0m
\x1b[36m@@ -1,2 +1,2 @@\x1b[0m
 a
\x1b[31m--- c\x1b[0m
\x1b[32m+b\x1b[0m
\x1b[1m--- actual/run.log\x1b[0m
-flag
+plus
actual tree, to paste into the test:";

#[test]
fn not_a_terminal_means_no_colour() {
    let env = &[("NO_COLOR", None), ("CLICOLOR_FORCE", None)];
    let report = report_with(env);
    assert_eq!(report, PLAIN);
}

#[test]
fn clicolor_force_colours_what_is_not_a_terminal() {
    let env = &[("NO_COLOR", None), ("CLICOLOR_FORCE", Some("1"))];
    let report = report_with(env);
    assert!(report.starts_with(COLORED), "{report:?}");
    // The paste section is for copying: never coloured.
    let (_, paste) = report.split_once("to paste into the test:").unwrap();
    assert!(!paste.contains('\x1b'), "{report:?}");
}

#[test]
fn clicolor_force_zero_forces_nothing() {
    let env = &[("NO_COLOR", None), ("CLICOLOR_FORCE", Some("0"))];
    let report = report_with(env);
    assert_eq!(report, PLAIN);
}

#[test]
fn no_color_wins_over_clicolor_force() {
    let env = &[("NO_COLOR", Some("1")), ("CLICOLOR_FORCE", Some("1"))];
    let report = report_with(env);
    assert_eq!(report, PLAIN);
}

/// Colour on a real terminal: the child under a pseudo-terminal.
#[cfg(unix)]
mod terminal {
    use std::process::{Command, Stdio};

    use super::{CHILD, COLORED, PLAIN, Setup, report, support};

    /// The child under a pseudo-terminal, through util-linux `script`: its
    /// report.
    fn report_on_a_terminal(env: &'static [(&'static str, Option<&'static str>)]) -> String {
        let works = Command::new("script")
            .args(["-qec", "true", "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|out| out.status.success());
        assert!(
            works,
            "needs util-linux `script` to run the child under a pseudo-terminal"
        );
        let setup = Setup {
            env,
            ..Setup::default()
        };
        let (child, _staging) = support::child(CHILD, setup);
        let quote =
            |arg: &std::ffi::OsStr| format!("'{}'", arg.to_str().unwrap().replace('\'', r"'\''"));
        let line: Vec<String> = std::iter::once(child.get_program())
            .chain(child.get_args())
            .map(quote)
            .collect();
        let mut script = Command::new("script");
        script.args(["-qec", &line.join(" "), "/dev/null"]);
        // The child's environment, set on `script`, which passes it on.
        for (name, value) in child.get_envs() {
            match value {
                Some(value) => script.env(name, value),
                None => script.env_remove(name),
            };
        }
        let out = script.stdin(Stdio::null()).output().expect("start script");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        report(&out.stdout)
    }

    #[test]
    #[cfg_attr(not(target_os = "linux"), ignore = "needs util-linux `script`")]
    fn a_terminal_gets_colour() {
        let report = report_on_a_terminal(&[("NO_COLOR", None), ("CLICOLOR_FORCE", None)]);
        assert!(report.starts_with(COLORED), "{report:?}");
    }

    #[test]
    #[cfg_attr(not(target_os = "linux"), ignore = "needs util-linux `script`")]
    fn no_color_turns_a_terminal_plain() {
        let report = report_on_a_terminal(&[("NO_COLOR", Some("1")), ("CLICOLOR_FORCE", None)]);
        assert_eq!(report, PLAIN);
    }
}

/// In review, a new file's text is coloured as lines a diff adds, whatever
/// they start with: its two headers bold, each line green.
#[test]
fn a_new_file_s_text_is_coloured_as_lines_added() {
    let root = fixtree::tempdir().unwrap();
    let pending = root.path().join("snap.pending");
    std::fs::create_dir(&pending).unwrap();
    let marker = "fixtree-pending-folder 1\ntest=t\nfolder=snap\n";
    let files = fixtree::tree! { "a.txt" => "-one\n", ".fixtree-pending" => marker };
    files.write_to(&pending).unwrap();
    let folder = root.path().join("snap");
    let report = fixtree_runtime::cli::review::folder_diff(&folder, &pending, true)
        .unwrap()
        .expect("a new folder differs");
    let excerpt = "\x1b[1m--- /dev/null\x1b[0m\n\x1b[1m+++ new/a.txt\x1b[0m\n\x1b[32m+-one\x1b[0m";
    assert!(report.ends_with(excerpt), "{report:?}");
}
