//! `cargo fixtree list | open | clean`, run as a user runs them, on a base
//! holding directories named as fixtree names them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// Runs `cargo-fixtree fixtree <args> --base <base>`, as cargo would.
fn cargo_fixtree(base: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .arg("fixtree")
        .args(args)
        .arg("--base")
        .arg(base)
        .output()
        .expect("run cargo-fixtree")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A kept directory `<stem>.<random>` in `base`, holding `bytes` bytes,
/// last changed `age` ago.
fn kept(base: &Path, stem: &str, random: &str, bytes: usize, age: Duration) -> PathBuf {
    let dir = base.join(format!("{stem}.{random}"));
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("out.txt"), vec![b'x'; bytes]).unwrap();
    open_for_times(&dir)
        .set_modified(SystemTime::now() - age)
        .unwrap();
    dir
}

/// The directory `dir`, opened so that its times can be set: on Windows a
/// directory opens only with backup semantics, and needs the right to write
/// its attributes.
fn open_for_times(dir: &Path) -> fs::File {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_WRITE_ATTRIBUTES: u32 = 0x100;
        const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
        fs::OpenOptions::new()
            .access_mode(FILE_WRITE_ATTRIBUTES)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(dir)
            .unwrap()
    }
    #[cfg(not(windows))]
    fs::File::open(dir).unwrap()
}

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn list_shows_test_age_size_and_path_newest_first() {
    let base = fixtree::tempdir().unwrap();
    let old = kept(
        base.path(),
        "app.tests.converts",
        "OldOldOld1",
        2048,
        3 * HOUR,
    );
    let new = kept(
        base.path(),
        "app.tests.parses-config",
        "NewNewNew1",
        10,
        Duration::ZERO,
    );
    fs::create_dir(base.path().join("not-fixtrees")).unwrap();
    let out = cargo_fixtree(base.path(), &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("TEST") && lines[0].ends_with("PATH"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("app.tests.parses-config") && lines[1].contains("10 B"),
        "{text}"
    );
    assert!(lines[1].ends_with(&new.display().to_string()), "{text}");
    assert!(
        lines[2].contains("3 h") && lines[2].contains("2.0 KiB"),
        "{text}"
    );
    assert!(lines[2].ends_with(&old.display().to_string()), "{text}");

    let empty = fixtree::tempdir().unwrap();
    let out = cargo_fixtree(empty.path(), &["list"]);
    assert!(
        stdout(&out).starts_with("no kept test directories under"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn open_prints_the_newest_directory_of_the_test() {
    let base = fixtree::tempdir().unwrap();
    kept(base.path(), "app.tests.converts", "OldOldOld1", 1, 2 * HOUR);
    let newest = kept(base.path(), "app.tests.converts", "NewNewNew1", 1, HOUR);
    kept(
        base.path(),
        "app.tests.other",
        "Other12345",
        1,
        Duration::ZERO,
    );
    for name in ["converts", "tests::converts", "app.tests.converts"] {
        let out = cargo_fixtree(base.path(), &["open", name]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            stdout(&out).trim_end(),
            newest.display().to_string(),
            "{name}"
        );
    }
    let out = cargo_fixtree(base.path(), &["open", "missing"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no kept directory of test `missing`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn clean_removes_what_is_selected_and_leftovers() {
    let base = fixtree::tempdir().unwrap();
    let old = kept(
        base.path(),
        "app.tests.converts",
        "OldOldOld1",
        1,
        48 * HOUR,
    );
    let recent = kept(base.path(), "app.tests.converts", "NewNewNew1", 1, HOUR);
    let other = kept(base.path(), "app.tests.other", "Other12345", 1, 48 * HOUR);
    let out = cargo_fixtree(
        base.path(),
        &["clean", "--older-than", "1d", "--test", "converts"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("removed 1 directory"),
        "{}",
        stdout(&out)
    );
    assert!(!old.exists() && recent.exists() && other.exists());

    let leftover = base.path().join(".gone.app.tests.converts.Gone123456");
    fs::create_dir(&leftover).unwrap();
    let out = cargo_fixtree(base.path(), &["clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("removed 3 directories"),
        "{}",
        stdout(&out)
    );
    assert_eq!(fs::read_dir(base.path()).unwrap().count(), 0);
}

/// An empty directory made in the last minute may be a test's that starts
/// now and has not locked it yet: `clean` leaves it and says why.
#[test]
fn clean_leaves_an_empty_directory_made_just_now_and_says_why() {
    let base = fixtree::tempdir().unwrap();
    let fresh = base.path().join("app.tests.starting.Fresh12345");
    fs::create_dir(&fresh).unwrap();
    let out = cargo_fixtree(base.path(), &["clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fresh.is_dir());
    let expected = format!(
        "left {}: empty and made less than a minute ago, maybe by a test starting now; clean again in a minute",
        fresh.display()
    );
    assert!(stdout(&out).contains(&expected), "{}", stdout(&out));
}

#[test]
fn bad_arguments_say_what_to_write() {
    let base = fixtree::tempdir().unwrap();
    for (args, words) in [
        (&["clean", "--older-than", "7y"][..], "e.g. 7d"),
        (&["open"][..], "needs the test's name"),
        (&["list", "--test", "x"][..], "takes only --base"),
        (&["clean", "converts"][..], "write --test converts"),
        (&["frob"][..], "unknown command \"frob\""),
    ] {
        let out = cargo_fixtree(base.path(), args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
    }
}

/// A directory a running test holds (here `flock`, as fixtree locks) is
/// never removed.
#[cfg(unix)]
#[test]
fn clean_never_removes_a_held_directory() {
    let base = fixtree::tempdir().unwrap();
    let held = kept(base.path(), "app.tests.running", "Held123456", 1, 48 * HOUR);
    let Ok(mut holder) = Command::new("flock")
        .arg(&held)
        .args(["sleep", "30"])
        .spawn()
    else {
        eprintln!("skipped: no flock command");
        return;
    };
    // Until flock holds it: a non-blocking try fails.
    for _ in 0..100 {
        let free = Command::new("flock")
            .args(["-n"])
            .arg(&held)
            .arg("true")
            .status();
        if free.is_ok_and(|status| !status.success()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = cargo_fixtree(base.path(), &["clean"]);
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(held.exists(), "removed a held directory");
    assert!(
        stdout(&out).contains("a running test holds it"),
        "{}",
        stdout(&out)
    );
}
