//! `cargo fixtree list | open | clean`, run as a user runs them, on a base
//! holding directories named as fixtree names them, in the directories of
//! the crates whose tests kept them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// Runs `cargo-fixtree fixtree <args> --base <base>`, as cargo would,
/// outside any crate.
fn cargo_fixtree(base: &Path, args: &[&str]) -> Output {
    let tmp = fixtree::tempdir().unwrap();
    cargo_fixtree_at(tmp.path(), base, args)
}

/// Runs `cargo-fixtree fixtree <args> --base <base>` in `dir`.
fn cargo_fixtree_at(dir: &Path, base: &Path, args: &[&str]) -> Output {
    let tmp = fixtree::tempdir().unwrap();
    let mut with_base: Vec<&str> = args.to_vec();
    with_base.extend(["--base", base.to_str().expect("a UTF-8 path")]);
    run_in(dir, tmp.path(), &with_base, &[])
}

/// Runs `cargo-fixtree fixtree <args>` in `tmpdir`, outside any crate, with
/// it as the system temp dir (so the default base is
/// `<tmpdir>/fixtree-<uid>`), no `FIXTREE_DIR` and no `CI` unless `env`
/// sets them.
fn cargo_fixtree_in(tmpdir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run_in(tmpdir, tmpdir, args, env)
}

/// Runs `cargo-fixtree fixtree <args>` in `dir`, with `tmpdir` as the
/// system temp dir, no `FIXTREE_DIR` and no `CI` unless `env` sets them.
fn run_in(dir: &Path, tmpdir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"));
    command
        .current_dir(dir)
        .arg("fixtree")
        .args(args)
        .env("TMPDIR", tmpdir)
        .env("TEMP", tmpdir)
        .env("TMP", tmpdir)
        .env_remove("FIXTREE_DIR")
        .env_remove("CI");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run cargo-fixtree")
}

/// What the runtime writes into a base it uses that is not the default
/// one: a cache directory tag (backup tools skip the kept directories)
/// that says fixtree wrote it, by which `--base` knows the directory.
const MARKER: &str = "Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by fixtree: the directories beside it
# are test directories it made; `cargo fixtree clean` removes them.
# For information about cache directory tags see https://bford.info/cachedir/
";

/// A base directory marked as the runtime marks one (`FIXTREE_DIR`).
fn marked_base() -> fixtree::TempDir {
    let base = fixtree::tempdir().unwrap();
    fs::write(base.path().join("CACHEDIR.TAG"), MARKER).unwrap();
    base
}

/// The names in `dir`, sorted.
/// A folder of the user's own that looks like what fixtree makes:
/// `photos.2024backup`, `x.abcdefghij`, even `app.tests.t.AbCdEfGhIj`.
fn precious_folders(dir: &Path) -> Vec<PathBuf> {
    [
        "photos.2024backup",
        "x.abcdefghij",
        "app.tests.t.AbCdEfGhIj",
    ]
    .iter()
    .map(|name| {
        let folder = dir.join(name);
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("precious.jpg"), "irreplaceable").unwrap();
        folder
    })
    .collect()
}

fn assert_untouched(folders: &[PathBuf]) {
    for folder in folders {
        assert_eq!(
            fs::read_to_string(folder.join("precious.jpg"))
                .ok()
                .as_deref(),
            Some("irreplaceable"),
            "{} was touched",
            folder.display()
        );
    }
}

/// The uid of this process: the owner of what it makes.
#[cfg(unix)]
fn uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(fixtree::tempdir().unwrap().path())
        .unwrap()
        .uid()
}

/// Whether this process runs as root, which can give files away.
#[cfg(unix)]
fn is_root() -> bool {
    uid() == 0
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// 64-bit FNV-1a, whose high 32 bits name a crate's directory in the base.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The directory in `base` of the test directories of crate `package` at
/// `manifest_dir`, as the runtime makes it: `<package>.<hash>`, holding the
/// file that names the crate.
fn group(base: &Path, package: &str, manifest_dir: &str) -> PathBuf {
    let hash = fnv1a(manifest_dir.as_bytes()) >> 32;
    let dir = base.join(format!("{package}.{hash:08x}"));
    if !dir.exists() {
        fs::create_dir(&dir).unwrap();
        let text = format!("package={package}\nmanifest_dir={manifest_dir}\n");
        fs::write(dir.join("CRATE"), text).unwrap();
    }
    dir
}

/// A crate of the user's, `package`: a folder holding its Cargo.toml.
fn project(package: &str) -> fixtree::TempDir {
    let dir = fixtree::tempdir().unwrap();
    let manifest = format!("[package]\nname = \"{package}\"\nversion = \"0.1.0\"\n");
    fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    dir
}

/// The directory in `base` of the crate at `project`.
fn group_of(base: &Path, package: &str, project: &Path) -> PathBuf {
    group(base, package, project.to_str().unwrap())
}

/// A kept directory `<stem>.<random>` of crate `app` in `base`, holding
/// `bytes` bytes, last changed `age` ago.
fn kept(base: &Path, stem: &str, random: &str, bytes: usize, age: Duration) -> PathBuf {
    kept_in(&group(base, "app", "/src/app"), stem, random, bytes, age)
}

/// A kept directory `<stem>.<random>` in `dir`, holding `bytes` bytes,
/// last changed `age` ago.
fn kept_in(dir: &Path, stem: &str, random: &str, bytes: usize, age: Duration) -> PathBuf {
    let dir = dir.join(format!("{stem}.{random}"));
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
    let base = marked_base();
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
        lines[0].starts_with("CRATE  TEST") && lines[0].ends_with("PATH"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("app    app.tests.parses-config") && lines[1].contains("10 B"),
        "{text}"
    );
    assert!(lines[1].ends_with(&new.display().to_string()), "{text}");
    assert!(
        lines[2].contains("3 h") && lines[2].contains("2.0 KiB"),
        "{text}"
    );
    assert!(lines[2].ends_with(&old.display().to_string()), "{text}");

    let empty = marked_base();
    let out = cargo_fixtree(empty.path(), &["list"]);
    assert!(
        stdout(&out).starts_with("no kept test directories under"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn open_prints_the_newest_directory_of_the_test() {
    let base = marked_base();
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
    let base = marked_base();
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

    let leftover = recent.with_file_name(".gone.app.tests.converts.Gone123456");
    fs::create_dir(&leftover).unwrap();
    let out = cargo_fixtree(base.path(), &["clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("removed 3 directories"),
        "{}",
        stdout(&out)
    );
    // The crate's directory, left empty, goes too.
    fixtree::assert_tree!(base.path(), { "CACHEDIR.TAG" => any() });
}

/// An empty directory made in the last minute may be a test's that starts
/// now and has not locked it yet: `clean` leaves it and says why.
#[test]
fn clean_leaves_an_empty_directory_made_just_now_and_says_why() {
    let base = marked_base();
    let fresh = group(base.path(), "app", "/src/app").join("app.tests.starting.Fresh12345");
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
    let base = marked_base();
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
#[cfg_attr(not(target_os = "linux"), ignore = "needs util-linux `flock`")]
fn clean_never_removes_a_held_directory() {
    let base = marked_base();
    let held = kept(base.path(), "app.tests.running", "Held123456", 1, 48 * HOUR);
    let mut holder = Command::new("flock")
        .arg(&held)
        .args(["sleep", "30"])
        .spawn()
        .expect("needs util-linux `flock`");
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

/// Asserts that `out` is a refusal of the base `base` giving `reason`.
fn assert_refused(out: &Output, base: &Path, reason: &str) {
    let err = stderr(out);
    assert!(
        !out.status.success(),
        "accepted {}: {}",
        base.display(),
        stdout(out)
    );
    let refusal = format!("refusing the fixtree base directory {}: ", base.display());
    assert!(err.contains(&refusal), "{err}");
    assert!(err.contains(reason), "{err}");
}

/// Another user planted the default base `$TMPDIR/fixtree-<uid>` as a link
/// into the victim's home: `list`, `open` and `clean` refuse it, as the
/// runtime does, with or without `--base`, and touch nothing there.
#[cfg(unix)]
#[test]
fn a_default_base_planted_as_a_link_is_refused_and_its_target_untouched() {
    let tmp = fixtree::tempdir().unwrap();
    let home = fixtree::tempdir().unwrap();
    let precious = precious_folders(home.path());
    let planted = tmp.path().join(format!("fixtree-{}", uid()));
    std::os::unix::fs::symlink(home.path(), &planted).unwrap();
    let given = planted.to_str().unwrap();
    for args in [
        &["list"][..],
        &["open", "t"],
        &["clean"],
        &["clean", "--base", given],
        &["list", "--base", given],
    ] {
        let out = cargo_fixtree_in(tmp.path(), args, &[]);
        assert_refused(&out, &planted, "it is a symbolic link");
        assert!(stderr(&out).contains("remove it"), "{}", stderr(&out));
    }
    assert_untouched(&precious);
}

/// `--base` at a folder fixtree did not make (no marker, neither
/// `FIXTREE_DIR` nor the default base) is refused, whatever it holds.
#[test]
fn base_at_a_folder_fixtree_did_not_make_is_refused_and_untouched() {
    let folder = fixtree::tempdir().unwrap();
    let precious = precious_folders(folder.path());
    // A cache tag of another tool (cargo's, in every target/) is not fixtree's.
    fs::write(
        folder.path().join("CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n",
    )
    .unwrap();
    for args in [&["clean"][..], &["list"], &["open", "t"]] {
        let out = cargo_fixtree(folder.path(), args);
        assert_refused(&out, folder.path(), "no CACHEDIR.TAG written by fixtree");
        assert!(
            stderr(&out).contains("FIXTREE_DIR="),
            "says how to vouch for it: {}",
            stderr(&out)
        );
    }
    assert_untouched(&precious);
}

/// A marked base holding what fixtree did not make (a user's folders, a
/// file, a link to elsewhere named as a test directory): `clean` removes
/// only fixtree's test directories and never follows the link.
#[test]
fn clean_removes_only_what_fixtree_made() {
    let base = marked_base();
    let elsewhere = fixtree::tempdir().unwrap();
    let precious = precious_folders(elsewhere.path());
    let mine = precious_folders(base.path())
        .into_iter()
        .filter(|folder| !folder.ends_with("app.tests.t.AbCdEfGhIj"))
        .collect::<Vec<_>>();
    fs::write(base.path().join("notes.txt"), "mine").unwrap();
    fs::create_dir(base.path().join("2024.photos.AbCdEfGhIj")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        elsewhere.path().join("app.tests.t.AbCdEfGhIj"),
        base.path().join("app.tests.link.AbCdEfGhIj"),
    )
    .unwrap();
    let test_dir = kept(
        base.path(),
        "app.tests.converts",
        "AbCdEfGhIj",
        1,
        48 * HOUR,
    );
    let gone = test_dir.with_file_name(".gone.app.tests.converts.Gone123456");
    fs::create_dir(&gone).unwrap();
    // Named like a crate's directory, holding what looks like a test's, but
    // no file of fixtree's names the crate: the user's.
    let lookalike = base.path().join("photos.2024abcd");
    fs::create_dir(&lookalike).unwrap();
    let in_lookalike = precious_folders(&lookalike);
    // A crate's directory whose file naming the crate is a link to one: not fixtree's.
    #[cfg(unix)]
    let linked = {
        let real = group(elsewhere.path(), "linked", "/src/linked");
        let linked = base.path().join(real.file_name().unwrap());
        fs::create_dir(&linked).unwrap();
        std::os::unix::fs::symlink(real.join("CRATE"), linked.join("CRATE")).unwrap();
        precious_folders(&linked)
    };
    let out = cargo_fixtree(base.path(), &["clean", "--all-crates"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!test_dir.exists() && !gone.exists(), "{}", stdout(&out));
    assert_untouched(&mine);
    assert_untouched(&precious);
    assert_untouched(&in_lookalike);
    #[cfg(unix)]
    assert_untouched(&linked);
    assert!(base.path().join("notes.txt").is_file());
    assert!(base.path().join("2024.photos.AbCdEfGhIj").is_dir());
    #[cfg(unix)]
    assert!(base.path().join("app.tests.link.AbCdEfGhIj").is_symlink());
}

/// The default base must be private (0700): another user could plant or
/// remove test directories in a 0755 one. Refused, and left as it is.
#[cfg(unix)]
#[test]
fn a_default_base_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = fixtree::tempdir().unwrap();
    let base = tmp.path().join(format!("fixtree-{}", uid()));
    fs::create_dir(&base).unwrap();
    fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).unwrap();
    let precious = precious_folders(&base);
    for args in [&["clean"][..], &["list"], &["open", "t"]] {
        let out = cargo_fixtree_in(tmp.path(), args, &[]);
        assert_refused(&out, &base, "its mode is 0o755, not 0o700");
        assert!(
            stderr(&out).contains(&format!("chmod 700 {}", base.display())),
            "{}",
            stderr(&out)
        );
    }
    assert_untouched(&precious);
}

/// A base another user owns is refused, default or given. As root, the
/// default base is given to `nobody`; otherwise `--base /`, which root owns,
/// takes its place: the refusal is checked either way, never skipped.
#[cfg(unix)]
#[test]
fn a_base_owned_by_another_user_is_refused() {
    let tmp = fixtree::tempdir().unwrap();
    if is_root() {
        let base = tmp.path().join("fixtree-0");
        fs::create_dir(&base).unwrap();
        let precious = precious_folders(&base);
        std::os::unix::fs::chown(&base, Some(65534), Some(65534)).unwrap();
        let given = base.to_str().unwrap();
        for args in [&["clean"][..], &["list"], &["clean", "--base", given]] {
            let out = cargo_fixtree_in(tmp.path(), args, &[]);
            assert_refused(&out, &base, "it belongs to uid 65534, not to you (uid 0)");
        }
        assert_untouched(&precious);
    } else {
        let out = cargo_fixtree_in(tmp.path(), &["clean", "--base", "/"], &[]);
        let reason = format!("it belongs to uid 0, not to you (uid {})", uid());
        assert_refused(&out, Path::new("/"), &reason);
    }
}

/// With no base yet (a green run removes the default one), `list` says so,
/// and nothing makes one.
#[test]
fn list_without_a_base_says_there_is_none_and_makes_none() {
    let tmp = fixtree::tempdir().unwrap();
    let out = cargo_fixtree_in(tmp.path(), &["list"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("no kept test directories: there is no base directory "),
        "{}",
        stdout(&out)
    );
    let out = cargo_fixtree_in(tmp.path(), &["clean"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    fixtree::assert_tree!(tmp.path(), {});
}

/// The variable that makes the child run of [`child_test_in_a_chosen_base`]
/// do its work.
const CHILD: &str = "FIXTREE_CLI_TEST_CHILD";

/// In a child process of [`a_base_tests_used_is_accepted_by_base_later`]
/// only: makes a test directory as a test does, kept.
#[test]
#[ignore = "run by `a_base_tests_used_is_accepted_by_base_later` in a child process"]
fn child_test_in_a_chosen_base() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let dir = fixtree::test_dir!("kept");
    fs::write(dir.path().join("out.txt"), "evidence").unwrap();
}

/// A base the tests used as `FIXTREE_DIR` is accepted by `--base` later,
/// without `FIXTREE_DIR`: the runtime marked it when it made it. (The
/// marker is the one [`marked_base`] writes.)
#[test]
fn a_base_tests_used_is_accepted_by_base_later() {
    let parent = fixtree::tempdir().unwrap();
    let base = parent.path().join("base");
    let run = Command::new(std::env::current_exe().unwrap())
        .args([
            "kept::child_test_in_a_chosen_base",
            "--exact",
            "--include-ignored",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env("FIXTREE_DIR", &base)
        .env("FIXTREE_KEEP", "always")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        fs::read_to_string(base.join("CACHEDIR.TAG")).unwrap(),
        MARKER
    );
    let out = cargo_fixtree(&base, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("child_test_in_a_chosen_base-kept"),
        "{}",
        stdout(&out)
    );
    let out = cargo_fixtree(&base, &["clean"]);
    assert!(
        stdout(&out).starts_with("removed 1 directory"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    fixtree::assert_tree!(&base, { "CACHEDIR.TAG" => any() });
    // FIXTREE_DIR is the user's own setting: trusted as it is, as by the
    // runtime, with or without --base naming it.
    let unmarked = fixtree::tempdir().unwrap();
    let chosen = unmarked.path().to_str().unwrap();
    for args in [&["list"][..], &["list", "--base", chosen]] {
        let out = cargo_fixtree_in(unmarked.path(), args, &[("FIXTREE_DIR", chosen)]);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

/// `review`, `accept` and `reject` refuse to run in CI, where an accepted
/// change would be lost; `list`, `open` and `clean` run, e.g. to find a
/// failed test's kept directory and upload it.
#[test]
fn list_open_and_clean_run_in_ci() {
    let base = marked_base();
    let dir = kept(base.path(), "app.tests.converts", "AbCdEfGhIj", 1, HOUR);
    let tmp = fixtree::tempdir().unwrap();
    let given = base.path().to_str().unwrap();
    let ci = [("CI", "true")];
    let out = cargo_fixtree_in(tmp.path(), &["open", "converts", "--base", given], &ci);
    assert_eq!(
        stdout(&out).trim_end(),
        dir.display().to_string(),
        "{}",
        stderr(&out)
    );
    let out = cargo_fixtree_in(tmp.path(), &["list", "--base", given], &ci);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cargo_fixtree_in(tmp.path(), &["clean", "--base", given], &ci);
    assert!(out.status.success() && !dir.exists(), "{}", stderr(&out));
    let out = cargo_fixtree_in(tmp.path(), &["accept", "--root", given], &ci);
    assert!(stderr(&out).contains("CI is set"), "{}", stderr(&out));
}

/// `--base=DIR` is `--base DIR`, and so for every option.
#[test]
fn an_option_and_its_value_may_be_one_argument() {
    let base = marked_base();
    let dir = kept(base.path(), "app.tests.converts", "AbCdEfGhIj", 1, HOUR);
    let tmp = fixtree::tempdir().unwrap();
    let given = base.path().to_str().unwrap();
    let joined = format!("--base={given}");
    let apart = cargo_fixtree_in(tmp.path(), &["open", "converts", "--base", given], &[]);
    assert!(apart.status.success(), "{}", stderr(&apart));
    let out = cargo_fixtree_in(tmp.path(), &["open", "converts", &joined], &[]);
    assert_eq!(stdout(&out), stdout(&apart), "{}", stderr(&out));
    let args = ["clean", "--older-than=1m", "--test=converts", &joined];
    let out = cargo_fixtree_in(tmp.path(), &args, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("removed 1 directory"),
        "{}",
        stdout(&out)
    );
    assert!(!dir.exists());
}

/// What `open` printed, or its error.
fn opened(out: &Output) -> Result<String, String> {
    match out.status.success() {
        true => Ok(stdout(out).trim_end().to_owned()),
        false => Err(stderr(out)),
    }
}

/// Two crates, `alpha` and `beta`, in one workspace, each with
/// `it.tests.converts` kept (beta's newer), and beta's `-config` one newest.
struct TwoCrates {
    workspace: fixtree::TempDir,
    base: fixtree::TempDir,
    alpha: PathBuf,
    beta: PathBuf,
    alphas: PathBuf,
    betas: PathBuf,
    betas_config: PathBuf,
}

fn two_crates() -> TwoCrates {
    let workspace = fixtree::tempdir().unwrap();
    let root = workspace.path();
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"alpha\", \"beta\"]\n",
    )
    .unwrap();
    let base = marked_base();
    let member = |name: &str| {
        let dir = root.join(name);
        fs::create_dir_all(dir.join("src")).unwrap();
        let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
        fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        (group_of(base.path(), name, &dir), dir)
    };
    let ((alpha_group, alpha), (beta_group, beta)) = (member("alpha"), member("beta"));
    let stem = "it.tests.converts";
    let alphas = kept_in(&alpha_group, stem, "Alpha12345", 1, 2 * HOUR);
    let betas = kept_in(&beta_group, stem, "Beta123456", 1, HOUR);
    let config = "it.tests.converts-config";
    let betas_config = kept_in(&beta_group, config, "Config1234", 1, Duration::ZERO);
    TwoCrates {
        workspace,
        base,
        alpha,
        beta,
        alphas,
        betas,
        betas_config,
    }
}

#[test]
fn list_shows_the_crate_of_each_directory() {
    let crates = two_crates();
    let base = crates.base.path();
    let legacy = kept_in(base, "it.tests.old", "Legacy1234", 1, 3 * HOUR);
    // Another crate named alpha elsewhere: its directory is shown too.
    let other_alpha = project("alpha");
    let elsewhere = group_of(base, "alpha", other_alpha.path());
    kept_in(&elsewhere, "it.tests.x", "Elsewhere1", 1, 4 * HOUR);
    let out = cargo_fixtree_at(&crates.alpha, base, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<(&str, &str)> = text
        .lines()
        .skip(1)
        .map(|line| {
            (
                line.split("  ").next().unwrap(),
                line.rsplit(' ').next().unwrap(),
            )
        })
        .collect();
    let alpha = format!("alpha ({})", crates.alpha.display());
    let other = format!("alpha ({})", other_alpha.path().display());
    let paths: Vec<String> = [&crates.betas_config, &crates.betas, &crates.alphas, &legacy]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let expected = [
        ("beta", paths[0].as_str()),
        ("beta", &paths[1]),
        (&alpha, &paths[2]),
        ("?", &paths[3]),
    ];
    assert_eq!(&rows[..4], expected, "{text}");
    assert!(rows[4].0.starts_with(&other), "{text}");
    assert!(text.starts_with("CRATE"), "{text}");
}

/// A base downloaded from CI: its crate's directory was the runner's.
#[test]
fn open_in_a_crate_finds_a_directory_kept_on_another_machine() {
    let base = marked_base();
    let app = project("app");
    let runner = group(base.path(), "app", "/home/runner/work/app/app-not-here");
    let kept = kept_in(&runner, "it.tests.converts", "Runner1234", 1, HOUR);
    let out = cargo_fixtree_at(app.path(), base.path(), &["open", "converts"]);
    assert_eq!(opened(&out), Ok(kept.display().to_string()));
}

#[test]
fn open_in_a_crate_never_returns_another_crates_directory() {
    let crates = two_crates();
    let base = crates.base.path();
    let show = |p: &Path| Ok(p.display().to_string());
    // In each crate, and below its root: its own, though the other's is newer.
    for (dir, own) in [
        (crates.alpha.clone(), &crates.alphas),
        (crates.alpha.join("src"), &crates.alphas),
        (crates.beta.clone(), &crates.betas),
    ] {
        let out = cargo_fixtree_at(&dir, base, &["open", "converts"]);
        assert_eq!(opened(&out), show(own), "in {}", dir.display());
    }
    let out = cargo_fixtree_at(
        &crates.alpha,
        base,
        &["open", "converts", "--crate", "beta"],
    );
    assert_eq!(opened(&out), show(&crates.betas));
    // At the workspace root, or with --all-crates, the name is the two crates' test.
    let root = crates.workspace.path();
    for (dir, args) in [
        (root, &["open", "converts"][..]),
        (&crates.alpha, &["open", "converts", "--all-crates"]),
    ] {
        let err = opened(&cargo_fixtree_at(dir, base, args)).unwrap_err();
        assert!(
            err.contains(
                "`converts` matches the directories of it.tests.converts (crate alpha) and \
                 it.tests.converts (crate beta): give more of the test's path, or --crate"
            ),
            "{args:?}: {err}"
        );
    }
    let out = cargo_fixtree_at(&crates.alpha, base, &["open", "parses"]);
    assert!(
        opened(&out).unwrap_err().contains(&format!(
            "no kept directory of test `parses` of the crate at {}",
            crates.alpha.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn open_returns_the_tests_own_directory_not_a_labelled_one() {
    let crates = two_crates();
    let (base, beta) = (crates.base.path(), &crates.beta);
    let show = |p: &Path| Ok(p.display().to_string());
    let out = cargo_fixtree_at(beta, base, &["open", "converts"]);
    assert_eq!(opened(&out), show(&crates.betas));
    let out = cargo_fixtree_at(beta, base, &["open", "converts", "--label", "config"]);
    assert_eq!(opened(&out), show(&crates.betas_config));
    let out = cargo_fixtree_at(beta, base, &["open", "converts", "--label", "home"]);
    assert!(
        opened(&out)
            .unwrap_err()
            .contains("no kept directory of test `converts` labelled home"),
        "{}",
        stderr(&out)
    );
    // Only a labelled one left: the error names the label to ask for.
    fs::remove_dir_all(&crates.betas).unwrap();
    let out = cargo_fixtree_at(beta, base, &["open", "converts"]);
    assert!(
        opened(&out)
            .unwrap_err()
            .contains("it has directories labelled config: add --label"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn open_accepts_a_path_or_stem_list_printed() {
    let crates = two_crates();
    let base = crates.base.path();
    let show = |p: &Path| Ok(p.display().to_string());
    let path = crates.betas.display().to_string();
    for (wanted, expected) in [
        (path.as_str(), &crates.betas),
        ("it.tests.converts-config", &crates.betas_config),
        ("it.tests.converts", &crates.betas),
    ] {
        let out = cargo_fixtree_at(&crates.beta, base, &["open", wanted]);
        assert_eq!(opened(&out), show(expected), "{wanted}");
    }
    // A path list printed is the answer wherever it is asked for; a name,
    // in the crate it is asked in.
    let out = cargo_fixtree_at(&crates.alpha, base, &["open", &path]);
    assert_eq!(opened(&out), show(&crates.betas));
    let out = cargo_fixtree_at(&crates.alpha, base, &["open", "it.tests.converts"]);
    assert_eq!(opened(&out), show(&crates.alphas));
    let out = cargo_fixtree_at(&crates.alpha, base, &["open", "it.tests.converts-config"]);
    assert!(opened(&out).is_err(), "{}", stdout(&out));
}

#[test]
fn clean_in_a_crate_leaves_other_crates_and_legacy_directories() {
    let crates = two_crates();
    let base = crates.base.path();
    let legacy = kept_in(base, "it.tests.old", "Legacy1234", 1, 3 * HOUR);
    let legacy_gone = base.join(".gone.it.tests.old.Gone123456");
    fs::create_dir(&legacy_gone).unwrap();
    let betas_gone = crates
        .betas
        .with_file_name(".gone.it.tests.converts.Gone123456");
    fs::create_dir(&betas_gone).unwrap();
    let out = cargo_fixtree_at(&crates.alpha, base, &["clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!(
            "removed 1 directory of the crate at {}",
            crates.alpha.display()
        )),
        "{}",
        stdout(&out)
    );
    assert!(!crates.alphas.exists() && !crates.alphas.parent().unwrap().exists());
    for kept in [
        &crates.betas,
        &crates.betas_config,
        &betas_gone,
        &legacy,
        &legacy_gone,
    ] {
        assert!(kept.exists(), "{}", kept.display());
    }
    let out = cargo_fixtree_at(&crates.alpha, base, &["clean", "--all-crates"]);
    assert!(
        stdout(&out).starts_with("removed 5 directories"),
        "{}",
        stdout(&out)
    );
    fixtree::assert_tree!(base, { "CACHEDIR.TAG" => any() });
}

/// The options that pick crates and labels are in the help.
#[test]
fn open_and_clean_say_how_to_pick_a_crate_and_a_label() {
    let base = marked_base();
    let out = cargo_fixtree(base.path(), &["open", "--help"]);
    let help = stdout(&out);
    for words in [
        "Usage: cargo fixtree open <TEST> [--label <LABEL>] [--crate <NAME>] [--all-crates] [--base <DIR>]",
        "in the crate of the current",
        "or a name or path that list printed",
        "the directory test_dir!(\"LABEL\") made for the test, not the test's own",
        "those of every crate, and those an older fixtree kept outside any crate",
    ] {
        assert!(help.contains(words), "{words}: {help}");
    }
    let out = cargo_fixtree(base.path(), &["clean", "--all-crates=yes"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let out = cargo_fixtree(base.path(), &["clean", "--crate", "a", "--all-crates"]);
    assert!(
        stderr(&out).contains("give --crate or --all-crates, not both"),
        "{}",
        stderr(&out)
    );
}

/// A worktree deleted since its tests ran: its crate's directory is not on
/// this machine, and in the user's own base that is no base from CI.
#[test]
fn clean_in_a_crate_leaves_directories_of_a_crate_that_is_gone() {
    let base = marked_base();
    let app = project("app");
    let own = kept_in(
        &group_of(base.path(), "app", app.path()),
        "it.tests.converts",
        "Own1234567",
        1,
        HOUR,
    );
    let gone = project("app");
    let gones = kept_in(
        &group_of(base.path(), "app", gone.path()),
        "it.tests.converts",
        "Gone123456",
        1,
        2 * HOUR,
    );
    drop(gone);
    let tmp = fixtree::tempdir().unwrap();
    let chosen = [("FIXTREE_DIR", base.path().to_str().unwrap())];
    let out = run_in(app.path(), tmp.path(), &["clean"], &chosen);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!own.exists() && gones.exists(), "{}", stdout(&out));
    let out = run_in(app.path(), tmp.path(), &["open", "converts"], &chosen);
    assert!(opened(&out).is_err(), "{}", stdout(&out));
    // Given --base, as a base downloaded from CI is, or --all-crates, they count.
    let out = cargo_fixtree_at(app.path(), base.path(), &["open", "converts"]);
    assert_eq!(opened(&out), Ok(gones.display().to_string()));
    let out = run_in(app.path(), tmp.path(), &["clean", "--all-crates"], &chosen);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!gones.exists(), "{}", stdout(&out));
}

/// Only the crates cleaned lose their emptied directories.
#[test]
fn clean_in_a_crate_leaves_another_crates_empty_directory() {
    let base = marked_base();
    let (app, other) = (project("app"), project("other"));
    let own = kept_in(
        &group_of(base.path(), "app", app.path()),
        "it.tests.converts",
        "Own1234567",
        1,
        HOUR,
    );
    let others = group_of(base.path(), "other", other.path());
    let out = cargo_fixtree_at(app.path(), base.path(), &["clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!own.parent().unwrap().exists(), "{}", stdout(&out));
    assert!(others.join("CRATE").is_file(), "{}", stdout(&out));
}

/// A comment may follow the header of the manifest's `[package]`.
#[test]
fn the_crate_here_has_a_package_header_with_a_comment() {
    let base = marked_base();
    let app = fixtree::tempdir().unwrap();
    let manifest = "[package] # the app\nname = \"app\"\nversion = \"0.1.0\"\n";
    fs::write(app.path().join("Cargo.toml"), manifest).unwrap();
    let other = project("other");
    let own = kept_in(
        &group_of(base.path(), "app", app.path()),
        "it.tests.converts",
        "Own1234567",
        1,
        2 * HOUR,
    );
    kept_in(
        &group_of(base.path(), "other", other.path()),
        "it.tests.converts",
        "Other12345",
        1,
        HOUR,
    );
    let out = cargo_fixtree_at(app.path(), base.path(), &["open", "converts"]);
    assert_eq!(opened(&out), Ok(own.display().to_string()));
}

/// A `Cargo.toml` that is a link is no manifest: finding the crate here
/// does not follow it.
#[cfg(unix)]
#[test]
fn a_cargo_toml_that_is_a_link_is_not_followed() {
    let base = marked_base();
    let app = project("app");
    let dir = fixtree::tempdir().unwrap();
    std::os::unix::fs::symlink(app.path().join("Cargo.toml"), dir.path().join("Cargo.toml"))
        .unwrap();
    let out = cargo_fixtree_at(dir.path(), base.path(), &["clean"]);
    assert!(
        stderr(&out).contains("note: no Cargo.toml here or above"),
        "{}",
        stderr(&out)
    );
}

/// A `Cargo.toml` that is a fifo is no manifest: finding the crate here
/// reads nothing from it, and so waits for no writer.
#[cfg(unix)]
#[test]
fn a_cargo_toml_that_is_a_fifo_blocks_nothing() {
    let base = marked_base();
    let dir = fixtree::tempdir().unwrap();
    let fifo = dir.path().join("Cargo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let tmp = fixtree::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-fixtree"))
        .current_dir(dir.path())
        .args(["fixtree", "list", "--base", base.path().to_str().unwrap()])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("cargo fixtree list blocked on a Cargo.toml that is a fifo");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
