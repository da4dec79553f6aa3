//! The fixture runtime behind `#[with_tempdir]`, driven directly: where test
//! directories go, which stay, what is printed, and which base directories
//! are refused. Each scenario runs in a child process, so that it gets its own
//! environment and may fail on purpose.

use crate::support;

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use fixtree::__private::Fixture;
use support::{Setup, is_child};

const STEM: &str = "fixture.the_test";

/// Runs `name` in a child with `FIXTREE_DIR=base` (and `extra` variables);
/// returns its output without judging it.
fn run(name: &str, base: &Path, extra: &[(&str, &str)]) -> Output {
    run_with(Setup::default(), name, base, extra)
}

/// [`run`] in a child set up as `setup` asks.
fn run_with(setup: Setup, name: &str, base: &Path, extra: &[(&str, &str)]) -> Output {
    let (mut command, _staging) = support::child(name, setup);
    command
        .env("FIXTREE_DIR", base)
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN");
    for (key, value) in extra {
        command.env(key, value);
    }
    command
        .stdin(Stdio::null())
        .output()
        .expect("start the child")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The test directories of `STEM` in `base`.
fn kept(base: &Path) -> Vec<PathBuf> {
    let mut dirs = support::test_dirs(base);
    dirs.retain(|p| {
        p.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&format!("{STEM}."))
    });
    dirs.sort();
    dirs
}

/// The scenarios, selected by `FIXTREE_SCENARIO` in the child.
fn scenario() -> Result<(), &'static str> {
    let scenario = std::env::var("FIXTREE_SCENARIO").unwrap_or_default();
    if scenario == "ending-at-once" {
        return runs_ending_at_once();
    }
    // Dropped after the fixture: what "pass-out-of-files" keeps open.
    let mut open_files = Vec::new();
    let fixture = Fixture::new("fixture", "the_test", scenario == "should-panic");
    fs::write(fixture.path().join("left-behind.txt"), "evidence").unwrap();
    println!("DIR={}", fixture.path().display());
    match scenario.as_str() {
        "pass" => fixture.finish(Ok(())),
        "err" => fixture.finish(Err("failed by returning Err")),
        "panic" | "should-panic" => panic!("failed on purpose"),
        // Killed mid-test: nothing after this runs, the lock goes with the process.
        "killed" => std::process::abort(),
        // Passes, but leaves its fixture no file to open for the removal.
        "pass-out-of-files" => {
            while let Ok(file) = fs::File::open(fixture.path()) {
                open_files.push(file);
            }
            fixture.finish(Ok(()))
        }
        // Fails, then moves the working directory and fails a second test.
        "cwd-moves" => {
            let _: Result<(), _> = fixture.finish(Err("the first test failed"));
            std::env::set_current_dir(std::env::temp_dir()).unwrap();
            let second = Fixture::new("fixture", "the_test", false);
            println!("DIR={}", second.path().display());
            second.finish(Err("the second test failed"))
        }
        // Fails, after taking every permission from its own directory.
        #[cfg(unix)]
        "locked-out" => {
            fs::set_permissions(fixture.path(), fs::Permissions::from_mode(0o000)).unwrap();
            fixture.finish(Err("failed with its directory mode 000"))
        }
        other => unreachable!("unknown scenario {other:?}"),
    }
}

/// Eight threads, ten times over, each running the test at the same moment
/// and failing it at the same moment.
fn runs_ending_at_once() -> Result<(), &'static str> {
    const THREADS: usize = 8;
    let barrier = std::sync::Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..10 {
                    barrier.wait();
                    let fixture = Fixture::new("fixture", "the_test", false);
                    fs::write(fixture.path().join("left-behind.txt"), "evidence").unwrap();
                    barrier.wait();
                    let _ = fixture.finish(Err::<(), _>("failed on purpose"));
                }
            });
        }
    });
    Ok(())
}

#[test]
#[ignore = "run by the tests below in a child process"]
fn child_scenario() -> Result<(), &'static str> {
    if is_child("child_scenario") {
        return scenario();
    }
    Ok(())
}

/// The directory of this crate's test directories in `base`, made by a
/// passing run in a child set up as `setup` asks.
#[cfg(unix)]
fn group_of(setup: Setup, base: &Path) -> PathBuf {
    let out = run_with(
        setup,
        "child_scenario",
        base,
        &[("FIXTREE_SCENARIO", "pass")],
    );
    assert!(out.status.success(), "{}", text(&out));
    support::group(base)
}

/// Runs the "ending-at-once" scenario in `base`, which must succeed without
/// a word of trouble; returns the crate's directory there.
fn run_ending_at_once(base: &Path) -> PathBuf {
    let out = run(
        "child_scenario",
        base,
        &[("FIXTREE_SCENARIO", "ending-at-once")],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("fixtree: cannot"), "{}", text(&out));
    support::group(base)
}

fn printed_dir(output: &Output) -> PathBuf {
    let all = text(output);
    let Some((_, line)) = all.lines().find_map(|l| l.split_once("DIR=")) else {
        panic!("the child printed no directory:\n{all}");
    };
    PathBuf::from(line)
}

#[test]
fn a_failed_test_keeps_its_directory_and_says_where() {
    for (scenario, why) in [("panic", "panicked"), ("err", "returned Err")] {
        let base = fixtree::tempdir().unwrap();
        let out = run(
            "child_scenario",
            base.path(),
            &[("FIXTREE_SCENARIO", scenario)],
        );
        assert!(!out.status.success(), "the child test {why} and so fails");
        let dir = printed_dir(&out);
        let message = format!(
            "fixtree: kept {} for failed test fixture::the_test",
            dir.display()
        );
        assert!(text(&out).contains(&message), "{why}: {}", text(&out));
        assert_eq!(
            fs::read_to_string(dir.join("left-behind.txt")).unwrap(),
            "evidence"
        );
        assert!(dir.starts_with(base.path()));
        let name = dir.file_name().unwrap().to_str().unwrap();
        let random = name
            .strip_prefix(&format!("{STEM}."))
            .expect("named <module>.<test>.<random>");
        assert_eq!(random.len(), 10);
        #[cfg(unix)]
        assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    }
}

/// Each crate's directories are in a directory of its own in the base,
/// named after its package and manifest directory, with a file naming them;
/// retention counts a crate's directories, never another's.
#[test]
fn directories_are_grouped_by_package() {
    let base = fixtree::tempdir().unwrap();
    let other = [
        ("CARGO_PKG_NAME", "other-app"),
        ("CARGO_MANIFEST_DIR", "/src/other-app"),
    ];
    let mut dirs = Vec::new();
    for crate_env in [&[][..], &other, &[]] {
        let env = [
            &[("FIXTREE_SCENARIO", "err"), ("FIXTREE_RETAIN", "1")],
            crate_env,
        ]
        .concat();
        dirs.push(printed_dir(&run("child_scenario", base.path(), &env)));
    }
    let (ours, theirs) = (dirs[2].parent().unwrap(), dirs[1].parent().unwrap());
    let name = |dir: &Path| dir.file_name().unwrap().to_str().unwrap().to_owned();
    let (our_name, their_name) = (name(ours), name(theirs));
    let hash = |name: &str, package: &str| name.strip_prefix(&format!("{package}.")).unwrap().len();
    assert_eq!(hash(&our_name, env!("CARGO_PKG_NAME")), 8, "{our_name}");
    assert_eq!(hash(&their_name, "other-app"), 8, "{their_name}");
    assert_eq!(
        fs::read_to_string(ours.join("CRATE")).unwrap(),
        format!(
            "package={}\nmanifest_dir={}\n",
            env!("CARGO_PKG_NAME"),
            std::env::var("CARGO_MANIFEST_DIR").unwrap()
        )
    );
    assert_eq!(
        fs::read_to_string(theirs.join("CRATE")).unwrap(),
        "package=other-app\nmanifest_dir=/src/other-app\n"
    );
    // FIXTREE_RETAIN=1 per crate: our second run pruned our first, not theirs.
    let mut left = kept(base.path());
    left.sort();
    let mut expected = vec![dirs[1].clone(), dirs[2].clone()];
    expected.sort();
    assert_eq!(left, expected);
}

/// A run killed in its first test leaves its directory in a group that
/// names the crate, for `cargo fixtree`.
#[test]
fn a_killed_runs_directory_is_in_a_group_naming_its_crate() {
    let base = fixtree::tempdir().unwrap();
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "killed")],
    );
    assert!(!out.status.success());
    let group = printed_dir(&out).parent().unwrap().to_owned();
    let text = fs::read_to_string(group.join("CRATE")).unwrap();
    assert!(
        text.starts_with(&format!("package={}\n", env!("CARGO_PKG_NAME"))),
        "{text}"
    );
}

/// Eighty directories of eight threads of one process: one crate's
/// directory, and nothing else in the base. (Whether it is made once is not
/// observed: in a `FIXTREE_DIR` base a crate's directory is never removed.)
#[test]
fn eighty_directories_of_eight_threads_share_one_crates_directory() {
    let base = fixtree::tempdir().unwrap();
    let group = run_ending_at_once(base.path());
    assert_eq!(
        support::entries(base.path()),
        [group.file_name().unwrap().to_str().unwrap()]
    );
}

#[test]
fn a_passing_test_leaves_nothing_behind() {
    for scenario in ["pass", "should-panic"] {
        let base = fixtree::tempdir().unwrap();
        let out = run(
            "child_scenario",
            base.path(),
            &[("FIXTREE_SCENARIO", scenario)],
        );
        // A should_panic test that panics passes; the harness here does not know, so judge by disk.
        assert!(
            !text(&out).contains("fixtree: kept"),
            "{scenario}: {}",
            text(&out)
        );
        assert!(
            kept(base.path()).is_empty(),
            "{scenario}: {:?}",
            kept(base.path())
        );
    }
}

#[test]
fn keep_policy_always_and_never() {
    let base = fixtree::tempdir().unwrap();
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass"), ("FIXTREE_KEEP", "always")],
    );
    assert!(
        text(&out).contains("(FIXTREE_KEEP=always) fixture::the_test"),
        "{}",
        text(&out)
    );
    assert_eq!(kept(base.path()).len(), 1);

    let base = fixtree::tempdir().unwrap();
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "panic"), ("FIXTREE_KEEP", "never")],
    );
    assert!(!out.status.success());
    assert!(kept(base.path()).is_empty());

    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass"), ("FIXTREE_KEEP", "sometimes")],
    );
    assert!(
        text(&out).contains("FIXTREE_KEEP=\"sometimes\" is not one of on-failure"),
        "{}",
        text(&out)
    );
}

#[test]
fn seven_failing_runs_leave_the_newest_three() {
    let base = fixtree::tempdir().unwrap();
    let mut dirs = Vec::new();
    for _ in 0..7 {
        let out = run(
            "child_scenario",
            base.path(),
            &[("FIXTREE_SCENARIO", "panic")],
        );
        dirs.push(printed_dir(&out));
        // Distinct modification times order the runs.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut newest: Vec<PathBuf> = dirs[4..].to_vec();
    newest.sort();
    assert_eq!(kept(base.path()), newest);

    // A passing run keeps nothing, and prunes nothing within retention.
    run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass")],
    );
    assert_eq!(kept(base.path()), newest);

    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "panic"), ("FIXTREE_RETAIN", "1")],
    );
    assert_eq!(kept(base.path()), [printed_dir(&out)]);

    // No room for even one: the failure's directory goes, and the older one too.
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "panic"), ("FIXTREE_RETAIN", "0")],
    );
    assert!(!text(&out).contains("fixtree: kept"), "{}", text(&out));
    assert_eq!(kept(base.path()), [] as [PathBuf; 0]);
}

#[test]
fn a_killed_run_is_kept_like_a_failure_and_any_later_run_prunes_beyond_retain() {
    let base = fixtree::tempdir().unwrap();
    let failed: Vec<PathBuf> = (0..3)
        .map(|_| {
            let out = run(
                "child_scenario",
                base.path(),
                &[("FIXTREE_SCENARIO", "err")],
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
            printed_dir(&out)
        })
        .collect();
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "killed")],
    );
    assert!(!out.status.success());
    let killed = printed_dir(&out);
    assert_eq!(kept(base.path()).len(), 4, "a killed run is evidence too");

    // A green run leaves the newest three: the killed run's and two failures'.
    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut newest = vec![failed[1].clone(), failed[2].clone(), killed];
    newest.sort();
    assert_eq!(kept(base.path()), newest);
}

#[test]
fn runs_ending_at_once_keep_no_more_than_retain() {
    let base = fixtree::tempdir().unwrap();
    let group = run_ending_at_once(base.path());
    let mut left = support::entries(&group);
    // Beside the file naming the crate.
    left.retain(|name| name != "CRATE");
    assert!(left.len() <= 3, "more than FIXTREE_RETAIN left: {left:?}");
    assert!(left.iter().all(|name| name.starts_with(STEM)), "{left:?}");
}

#[cfg(unix)]
#[test]
fn a_passing_tests_cleanup_failure_is_printed_and_the_next_run_removes_it() {
    let base = fixtree::tempdir().unwrap();
    let setup = Setup {
        open_files_limit: Some(64),
        captured: true,
        ..Setup::default()
    };
    let out = run_with(
        setup,
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass-out-of-files")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fixtree: cannot") && stderr.contains("Too many open files"),
        "a failed removal went unreported:\n{}",
        text(&out)
    );
    assert_eq!(support::test_dirs(base.path()).len(), 1);

    let out = run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "pass")],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(support::test_dirs(base.path()), [] as [PathBuf; 0]);
}

#[cfg(unix)]
#[test]
fn empty_directories_are_pruned_once_old_never_a_live_or_maybe_unlocked_one() {
    let base = fixtree::tempdir().unwrap();
    let group = group_of(Setup::default(), base.path());
    let dir = |random: &str| group.join(format!("{STEM}.{random}"));
    let (stale, young, held) = (dir("Stale00001"), dir("Young00001"), dir("Held000001"));
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for dir in [&stale, &young, &held] {
        fs::create_dir(dir).unwrap();
    }
    for dir in [&stale, &held] {
        fs::File::open(dir)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
    // Locked, as a live run locks its directory.
    let lock = support::hold(&held);
    // None is to be retained: each one goes unless something protects it.
    let retain_none = [("FIXTREE_SCENARIO", "pass"), ("FIXTREE_RETAIN", "0")];
    let out = run("child_scenario", base.path(), &retain_none);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!stale.exists(), "an old empty directory stayed");
    assert!(held.exists(), "a live run's directory was removed");
    assert!(
        young.exists(),
        "an empty directory maybe between creation and lock was removed"
    );
    drop(lock);
    run("child_scenario", base.path(), &retain_none);
    assert!(!held.exists(), "once released, it goes too");
}

#[cfg(unix)]
fn as_nobody() -> Setup {
    Setup {
        as_nobody: true,
        ..Setup::default()
    }
}

/// Makes `nobody` (when we are root) the owner of `paths`, the first of
/// which is a base directory in /tmp, where `nobody` can reach it.
#[cfg(unix)]
fn give_to_nobody(paths: &[&Path]) {
    if support::is_root() {
        for path in paths {
            std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        }
    }
}

/// Runs a failing test as `nobody` with FIXTREE_RETAIN=1: its tidy must
/// remove every older directory of the test, without a word.
#[cfg(unix)]
fn assert_nobody_prunes_all_but_the_newest(base: &Path) {
    let out = run_with(
        as_nobody(),
        "child_scenario",
        base,
        &[("FIXTREE_SCENARIO", "err"), ("FIXTREE_RETAIN", "1")],
    );
    assert!(!text(&out).contains("fixtree: cannot"), "{}", text(&out));
    assert_eq!(kept(base), [printed_dir(&out)]);
}

#[cfg(unix)]
#[test]
fn a_directory_its_test_locked_itself_out_of_is_pruned_as_nobody() {
    let base = fixtree::Builder::new().tempdir_in("/tmp").unwrap();
    give_to_nobody(&[base.path()]);
    let out = run_with(
        as_nobody(),
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "locked-out")],
    );
    assert!(text(&out).contains("its mode was 0o000"), "{}", text(&out));
    let locked_out = printed_dir(&out);
    assert_eq!(fs::metadata(&locked_out).unwrap().mode() & 0o777, 0o700);
    assert_nobody_prunes_all_but_the_newest(base.path());
}

/// A run killed while its directory was mode 000 (so its fixture never gave
/// the owner access back) leaves a directory no one can list: the next run of
/// the test gets in, as its owner may, and prunes it without a word.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_of_a_killed_run_is_pruned_as_nobody() {
    let base = fixtree::Builder::new().tempdir_in("/tmp").unwrap();
    give_to_nobody(&[base.path()]);
    let group = group_of(as_nobody(), base.path());
    let killed = group.join(format!("{STEM}.Killed0000"));
    fs::create_dir(&killed).unwrap();
    fs::write(killed.join("output.txt"), "half written").unwrap();
    give_to_nobody(&[&killed, &killed.join("output.txt")]);
    fs::set_permissions(&killed, fs::Permissions::from_mode(0o000)).unwrap();
    assert_nobody_prunes_all_but_the_newest(base.path());
}

#[cfg(unix)]
#[test]
fn a_directory_held_by_a_running_test_is_never_pruned() {
    let base = fixtree::tempdir().unwrap();
    // An older kept directory, then one "in use": locked as a running test locks it.
    let held = group_of(Setup::default(), base.path()).join(format!("{STEM}.HeldHeld42"));
    fs::create_dir(&held).unwrap();
    fs::write(held.join("output.txt"), "written by the running test").unwrap();
    let lock = support::hold(&held);
    for _ in 0..3 {
        run(
            "child_scenario",
            base.path(),
            &[("FIXTREE_SCENARIO", "panic"), ("FIXTREE_RETAIN", "1")],
        );
    }
    assert!(held.is_dir(), "a locked directory was pruned");
    assert_eq!(kept(base.path()).len(), 2, "the held one and the newest");
    drop(lock);
    run(
        "child_scenario",
        base.path(),
        &[("FIXTREE_SCENARIO", "panic"), ("FIXTREE_RETAIN", "1")],
    );
    assert!(!held.exists(), "once released, it is pruned like any other");
}

/// A relative `FIXTREE_DIR` is resolved once: a test that changes the
/// working directory does not move the base of the tests after it.
#[test]
fn a_relative_base_stays_where_it_was_when_a_test_moves_away() {
    let work = fixtree::tempdir().unwrap();
    let base = work.path().join("base");
    fs::create_dir(&base).unwrap();
    let (mut command, _staging) = support::child("child_scenario", Setup::default());
    let out = command
        .current_dir(work.path())
        .env("FIXTREE_DIR", "base")
        .env("FIXTREE_SCENARIO", "cwd-moves")
        .env_remove("FIXTREE_KEEP")
        .env_remove("FIXTREE_RETAIN")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(kept(&base).len(), 2, "{}", text(&out));
}

/// A base chosen with `FIXTREE_DIR` that fixtree makes gets a cache
/// directory tag naming fixtree, by which `cargo fixtree --base` knows it
/// later; a directory the user made does not (backup tools would skip what
/// else is in it), nor does the default base (a green run removes it, see
/// `the_default_shared_base_must_be_private_and_ours`).
#[test]
fn a_chosen_base_fixtree_makes_is_marked_and_no_other() {
    let parent = fixtree::tempdir().unwrap();
    let base = parent.path().join("base");
    for _ in 0..2 {
        let out = run("child_scenario", &base, &[("FIXTREE_SCENARIO", "err")]);
        assert!(!out.status.success(), "{}", text(&out));
    }
    let tag = fs::read_to_string(base.join("CACHEDIR.TAG")).unwrap();
    assert!(
        tag.starts_with(
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by fixtree"
        ),
        "{tag}"
    );
    assert_eq!(kept(&base).len(), 2);

    let yours = fixtree::tempdir().unwrap();
    let out = run(
        "child_scenario",
        yours.path(),
        &[("FIXTREE_SCENARIO", "err")],
    );
    assert_eq!(kept(yours.path()).len(), 1, "{}", text(&out));
    assert!(!yours.path().join("CACHEDIR.TAG").exists());
}

/// A base that fixtree must refuse, and the words the refusal must hold.
#[cfg(unix)]
fn assert_refused(base: &Path, extra: &[(&str, &str)], words: &str) {
    let out = run(
        "child_scenario",
        base,
        &[&[("FIXTREE_SCENARIO", "pass")], extra].concat(),
    );
    let all = text(&out);
    assert!(!out.status.success(), "accepted a hostile base: {all}");
    assert!(all.contains("refusing the fixtree base directory"), "{all}");
    assert!(all.contains(words), "{all}");
}

#[cfg(unix)]
#[test]
fn hostile_base_directories_are_refused() {
    let outside = fixtree::tempdir().unwrap();
    let link = outside.path().join("link");
    symlink(outside.path(), &link).unwrap();
    assert_refused(&link, &[], "symbolic link");
    assert!(
        !fs::read_dir(outside.path())
            .unwrap()
            .any(|e| e.unwrap().file_name() != "link")
    );

    let writable = outside.path().join("writable");
    fs::create_dir(&writable).unwrap();
    fs::set_permissions(&writable, fs::Permissions::from_mode(0o777)).unwrap();
    assert_refused(&writable, &[], "lets others write in it");

    let file = outside.path().join("file");
    fs::write(&file, "").unwrap();
    assert_refused(&file, &[], "not a directory");
}

#[cfg(unix)]
#[test]
fn the_default_shared_base_must_be_private_and_ours() {
    let tmp = fixtree::tempdir().unwrap();
    let uid = fs::metadata("/proc/self").unwrap().uid();
    let base = tmp.path().join(format!("fixtree-{uid}"));
    fs::create_dir(&base).unwrap();
    fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).unwrap();
    let tmpdir = tmp.path().to_str().unwrap();
    // No FIXTREE_DIR: the default under TMPDIR.
    let with_default = |extra: &[(&str, &str)]| {
        let (mut command, _staging) = support::child("child_scenario", Setup::default());
        command
            .env_remove("FIXTREE_DIR")
            .env("TMPDIR", tmpdir)
            .env("FIXTREE_SCENARIO", "pass");
        for (k, v) in extra {
            command.env(k, v);
        }
        command.stdin(Stdio::null()).output().unwrap()
    };
    let out = with_default(&[]);
    assert!(
        text(&out).contains("its mode is 0o755, not 0o700"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains(&format!("chmod 700 {}", base.display())),
        "{}",
        text(&out)
    );

    fs::set_permissions(&base, fs::Permissions::from_mode(0o700)).unwrap();
    let out = with_default(&[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !base.exists(),
        "a green run leaves nothing, not even the empty base"
    );

    if support::is_root() {
        fs::create_dir(&base).unwrap();
        fs::set_permissions(&base, fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(&base, Some(65534), Some(65534)).unwrap();
        let out = with_default(&[]);
        assert!(
            text(&out).contains("it belongs to uid 65534, not to you (uid 0)"),
            "{}",
            text(&out)
        );
    }
}
