//! The security properties of the temporary files and directories, each with
//! a test that fails if the property breaks: exact modes whatever the umask,
//! planted symbolic links never written through, removal and reading that
//! never leave the tree, read-only leftovers removed (also when permission
//! bits bind, as `nobody`), unremovable entries reported, and unpredictable,
//! unique names.

use crate::support;

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::thread;

use fixtree::{Builder, NamedTempFile};
use support::entries;
#[cfg(unix)]
use {
    std::fs::Permissions,
    std::io::{BufRead, BufReader},
    std::os::unix::fs::{PermissionsExt, symlink},
    std::process::Stdio,
    std::sync::atomic::{AtomicBool, Ordering},
    std::time::{Duration, Instant},
    support::{Outside, Setup, is_child, mode, run_in_child},
};

#[cfg(unix)]
/// Every mode fixtree promises, checked under the current umask.
fn assert_exact_modes(umask: u32) {
    let dir = fixtree::tempdir().unwrap();
    assert_eq!(mode(dir.path()), 0o700, "TempDir under umask {umask:03o}");

    let named = NamedTempFile::new_in(&dir).unwrap();
    assert_eq!(
        mode(named.path()),
        0o600,
        "NamedTempFile under umask {umask:03o}"
    );

    let unnamed = fixtree::tempfile_in(&dir).unwrap();
    let unnamed_mode = unnamed.metadata().unwrap().permissions().mode() & 0o7777;
    assert_eq!(unnamed_mode, 0o600, "tempfile() under umask {umask:03o}");

    let spooled = fixtree::spooled_tempfile_in(0, &dir).into_file().unwrap();
    let spooled_mode = spooled.metadata().unwrap().permissions().mode() & 0o7777;
    assert_eq!(
        spooled_mode, 0o600,
        "rolled SpooledTempFile under umask {umask:03o}"
    );

    let wide = Builder::new()
        .permissions(Permissions::from_mode(0o644))
        .tempfile_in(&dir)
        .unwrap();
    assert_eq!(
        mode(wide.path()),
        0o644,
        "Builder::permissions(0o644) file under umask {umask:03o}"
    );
    let narrow = Builder::new()
        .permissions(Permissions::from_mode(0o750))
        .tempdir_in(&dir)
        .unwrap();
    assert_eq!(
        mode(narrow.path()),
        0o750,
        "Builder::permissions(0o750) dir under umask {umask:03o}"
    );

    // write_atomic creates new files the way fs::write does: 0o666 less the umask.
    let fresh = dir.path().join("fresh");
    fixtree::write_atomic(&fresh, "x").unwrap();
    assert_eq!(
        mode(&fresh),
        0o666 & !umask,
        "write_atomic new file under umask {umask:03o}"
    );
}

/// The umask is whatever it is when each file or directory is made: a
/// process that narrows it after its first temporary directory still gets
/// exact modes (creation is checked, never assumed). In a child: the umask
/// is the whole process's.
#[cfg(unix)]
#[test]
fn modes_stay_exact_when_the_umask_changes_after_first_use() {
    let name = "modes_stay_exact_when_the_umask_changes_after_first_use";
    if is_child(name) {
        drop(fixtree::tempdir().unwrap());
        use rustix::fs::Mode;
        let group_and_others = Mode::RWXG | Mode::RWXO;
        for (mask, umask) in [
            (group_and_others, 0o077),
            (Mode::WUSR | group_and_others, 0o277),
            (Mode::empty(), 0o000),
        ] {
            rustix::process::umask(mask);
            assert_exact_modes(umask);
        }
        return;
    }
    run_in_child(
        name,
        Setup {
            umask: Some(0o022),
            ..Setup::default()
        },
    );
}

/// A directory made in a setgid directory inherits the setgid bit on Linux:
/// fixtree's directories are still exactly 0700 (and a tree's 0755).
#[cfg(unix)]
#[test]
fn modes_are_exact_in_a_setgid_directory() {
    let parent = fixtree::tempdir().unwrap();
    fs::set_permissions(parent.path(), Permissions::from_mode(0o2700)).unwrap();
    let dir = fixtree::tempdir_in(parent.path()).unwrap();
    assert_eq!(mode(dir.path()), 0o700);
    fixtree::tree! { "sub/file.txt" => "x" }
        .write_to(dir.path())
        .unwrap();
    assert_eq!(mode(&dir.path().join("sub")), 0o755);
}

#[cfg(unix)]
#[test]
fn modes_are_exact_under_umask_000() {
    if is_child("modes_are_exact_under_umask_000") {
        return assert_exact_modes(0o000);
    }
    run_in_child(
        "modes_are_exact_under_umask_000",
        Setup {
            umask: Some(0o000),
            ..Setup::default()
        },
    );
}

#[cfg(unix)]
#[test]
fn modes_are_exact_under_umask_077() {
    if is_child("modes_are_exact_under_umask_077") {
        return assert_exact_modes(0o077);
    }
    run_in_child(
        "modes_are_exact_under_umask_077",
        Setup {
            umask: Some(0o077),
            ..Setup::default()
        },
    );
}

#[cfg(unix)]
#[test]
fn modes_are_exact_under_umask_277_which_narrows_the_owner() {
    let name = "modes_are_exact_under_umask_277_which_narrows_the_owner";
    if is_child(name) {
        return assert_exact_modes(0o277);
    }
    run_in_child(
        name,
        Setup {
            umask: Some(0o277),
            ..Setup::default()
        },
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_the_name_is_never_written_through() {
    let outside = Outside::new();
    let dir = fixtree::tempdir().unwrap();
    symlink(outside.path("sentinel"), dir.path().join("to-file")).unwrap();
    symlink(outside.path("not-yet"), dir.path().join("dangling")).unwrap();
    symlink(outside.path("subdir"), dir.path().join("to-dir")).unwrap();

    for name in ["to-file", "dangling", "to-dir"] {
        let mut builder = Builder::new();
        builder.prefix(name).rand_bytes(0);
        let file = builder.tempfile_in(&dir).unwrap_err();
        assert_eq!(file.kind(), io::ErrorKind::AlreadyExists, "{name}: {file}");
        assert!(
            file.to_string().contains(name),
            "the error names the path: {file}"
        );
        let made = builder.tempdir_in(&dir).unwrap_err();
        assert_eq!(made.kind(), io::ErrorKind::AlreadyExists, "{name}: {made}");
    }
    let atomic = fixtree::write_atomic(dir.path().join("to-file"), "replaced");
    atomic.unwrap();
    assert!(
        !dir.path().join("to-file").is_symlink(),
        "write_atomic replaces the link itself"
    );
    outside.assert_untouched();
    assert!(
        !outside.path("not-yet").exists(),
        "the dangling link's target was created"
    );
}

#[cfg(unix)]
#[test]
fn removal_never_follows_a_symlink_out_of_the_tree() {
    let outside = Outside::new();
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    symlink(outside.path("sentinel"), root.join("file-link")).unwrap();
    symlink(outside.path("subdir"), root.join("dir-link")).unwrap();
    symlink(outside.dir.path(), root.join("a/b/outside-link")).unwrap();
    symlink("../../..", root.join("a/b/relative-up")).unwrap();
    let path = root.to_owned();
    dir.close().unwrap();
    assert!(!path.exists());
    outside.assert_untouched();
}

#[cfg(unix)]
#[test]
fn removal_deeper_than_its_open_directories_never_follows_a_symlink() {
    // Deep enough that removal closes the directories above and comes back to them.
    let outside = Outside::new();
    let dir = fixtree::tempdir().unwrap();
    let key = |depth: usize, name: &str| format!("{}{name}", "d/".repeat(depth));
    let mut tree = fixtree::Tree::new();
    for depth in [0, 70, 150] {
        let target = outside.dir.path();
        tree.insert(&key(depth, "link"), fixtree::spec::symlink(target))
            .unwrap();
        tree.insert(&key(depth, "up"), fixtree::spec::symlink("../../.."))
            .unwrap();
    }
    tree.write_to(dir.path()).unwrap();
    let path = dir.path().to_owned();
    dir.close().unwrap();
    assert!(!path.exists());
    outside.assert_untouched();
}

#[cfg(unix)]
#[test]
fn a_temp_dir_swapped_for_a_symlink_is_unlinked_not_followed() {
    let outside = Outside::new();
    let parent = fixtree::tempdir().unwrap();
    let dir = fixtree::tempdir_in(&parent).unwrap();
    let path = dir.path().to_owned();
    fs::rename(&path, parent.path().join("moved-away")).unwrap();
    symlink(outside.dir.path(), &path).unwrap();
    drop(dir);
    assert!(
        !path.is_symlink(),
        "the link at the temporary directory's path was removed"
    );
    outside.assert_untouched();
}

#[cfg(unix)]
#[test]
fn reading_never_follows_a_directory_swapped_for_a_symlink() {
    // Only the outside directory holds it: no read of the tree may show it.
    const SECRET: &str = "outside the tree, never to be read";
    const TRIES: usize = 2000;
    let outside = fixtree::tempdir().unwrap();
    fs::write(outside.path().join("file"), SECRET).unwrap();
    let dir = fixtree::tempdir().unwrap();
    let (sub, away) = (dir.path().join("sub"), dir.path().join("away"));
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("file"), "inside").unwrap();
    let expected = fixtree::Tree::new().with("sub/file", "inside").unwrap();
    let done = AtomicBool::new(false);
    let leaks = thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                fs::rename(&sub, &away).unwrap();
                symlink(outside.path(), &sub).unwrap();
                thread::yield_now();
                fs::remove_file(&sub).unwrap();
                fs::rename(&away, &sub).unwrap();
                thread::yield_now();
            }
        });
        let start = Instant::now();
        let mut leaks = Vec::new();
        for _ in 0..TRIES {
            if start.elapsed() > Duration::from_secs(3) {
                break;
            }
            // Errors are fine (the tree changes under the walk); a leak is not.
            if let Ok(tree) = fixtree::Tree::read(dir.path()) {
                if tree.to_string().contains(SECRET) {
                    leaks.push(format!("Tree::read: {tree}"));
                }
            }
            if let Err(diff) = fixtree::check_tree(dir.path(), &expected) {
                if diff.to_string().contains(SECRET) {
                    leaks.push(format!("check_tree: {diff}"));
                }
            }
        }
        done.store(true, Ordering::Relaxed);
        leaks
    });
    assert!(
        leaks.is_empty(),
        "{} leaks, the first: {}",
        leaks.len(),
        leaks[0]
    );
}

#[cfg(unix)]
/// Leaves files and directories that their owner cannot write, read or
/// search, the way a test under scrutiny might, then removes them.
fn assert_read_only_leftovers_are_removed() {
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    let set =
        |p: &str, m: u32| fs::set_permissions(root.join(p), Permissions::from_mode(m)).unwrap();
    fs::write(root.join("read-only"), "x").unwrap();
    fs::write(root.join("no-access"), "x").unwrap();
    fs::create_dir_all(root.join("ro-dir/ro-sub/deep")).unwrap();
    fs::write(root.join("ro-dir/file"), "x").unwrap();
    fs::write(root.join("ro-dir/ro-sub/deep/file"), "x").unwrap();
    fs::create_dir(root.join("locked")).unwrap();
    fs::write(root.join("locked/file"), "x").unwrap();
    fs::create_dir(root.join("write-only")).unwrap();
    fs::write(root.join("write-only/file"), "x").unwrap();
    set("read-only", 0o400);
    set("no-access", 0o000);
    set("ro-dir/ro-sub/deep", 0o000);
    set("ro-dir/ro-sub", 0o500);
    set("ro-dir", 0o555);
    set("locked", 0o000);
    set("write-only", 0o300);
    let path = root.to_owned();
    dir.close().expect("close removes read-only leftovers");
    assert!(!path.exists());
}

#[cfg(unix)]
#[test]
fn read_only_leftovers_are_removed() {
    assert_read_only_leftovers_are_removed();
}

#[cfg(unix)]
#[test]
fn read_only_leftovers_are_removed_as_nobody() {
    if is_child("read_only_leftovers_are_removed_as_nobody") {
        return assert_read_only_leftovers_are_removed();
    }
    let setup = Setup {
        as_nobody: true,
        ..Setup::default()
    };
    run_in_child("read_only_leftovers_are_removed_as_nobody", setup);
}

#[cfg(unix)]
#[test]
fn modes_bind_for_nobody_and_others_cannot_enter() {
    // Run unprivileged so that the bits are enforced, not just displayed.
    let name = "modes_bind_for_nobody_and_others_cannot_enter";
    if is_child(name) {
        let dir = fixtree::tempdir().unwrap();
        let file = NamedTempFile::new_in(&dir).unwrap();
        assert_eq!((mode(dir.path()), mode(file.path())), (0o700, 0o600));
        // Read-only as asked: the owner cannot open it for writing either.
        let read_only = Builder::new()
            .permissions(Permissions::from_mode(0o400))
            .tempfile_in(&dir)
            .unwrap();
        let denied = fs::OpenOptions::new()
            .write(true)
            .open(read_only.path())
            .unwrap_err();
        assert_eq!(denied.kind(), io::ErrorKind::PermissionDenied);
        return;
    }
    run_in_child(
        name,
        Setup {
            as_nobody: true,
            umask: Some(0o000),
            ..Setup::default()
        },
    );
}

#[cfg(unix)]
/// Removal that fails is reported with the path, by `close` and by `drop`.
/// Only another user's files in the tree make removal fail for its owner, so
/// the child (as `nobody`) creates the directory, root adds a directory of its
/// own inside, and the child then tries to remove everything.
fn report_unremovable(by_close: bool, name: &str) {
    if is_child(name) {
        let dir = fixtree::tempdir().unwrap();
        println!("TEMPDIR={}", dir.path().display());
        let mut line = String::new();
        io::stdin().read_line(&mut line).unwrap();
        if by_close {
            let err = dir.close().unwrap_err();
            println!("CLOSE-ERROR={err}");
        } else {
            drop(dir);
        }
        return;
    }
    assert!(
        support::is_root(),
        "{name} needs root to plant another user's files"
    );
    let setup = Setup {
        as_nobody: true,
        ..Setup::default()
    };
    let (mut command, _staging) = support::child(name, setup);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let dir = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the child stopped early"
        );
        // The harness may print "test name ... " on the same line first.
        if let Some((_, path)) = line.trim_end().split_once("TEMPDIR=") {
            break std::path::PathBuf::from(path);
        }
    };
    let foreign = dir.join("roots");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("file"), "x").unwrap();
    child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let mut rest = String::new();
    io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // Root cleans up what the child could not.
    fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success(), "child failed:\n{rest}\n{stderr}");
    let report = if by_close { rest } else { stderr };
    let unremovable = foreign.join("file").display().to_string();
    assert!(
        report.contains(&unremovable),
        "the report names {unremovable}:\n{report}"
    );
    assert!(
        report.contains("Permission denied"),
        "the report says why:\n{report}"
    );
}

#[cfg(unix)]
#[test]
#[ignore = "needs root (to plant another user's files): CI runs it"]
fn close_reports_what_it_could_not_remove() {
    report_unremovable(true, "close_reports_what_it_could_not_remove");
}

#[cfg(unix)]
#[test]
#[ignore = "needs root (to plant another user's files): CI runs it"]
fn drop_prints_what_it_could_not_remove() {
    report_unremovable(false, "drop_prints_what_it_could_not_remove");
}

#[test]
fn eight_threads_creating_250_each_never_collide() {
    let dir = fixtree::tempdir().unwrap();
    let made: Vec<Vec<String>> = thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    (0..250)
                        .map(|i| {
                            let path = if i % 2 == 0 {
                                NamedTempFile::new_in(&dir).unwrap().keep().unwrap().1
                            } else {
                                fixtree::tempdir_in(&dir).unwrap().keep()
                            };
                            path.file_name().unwrap().to_string_lossy().into_owned()
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let names: HashSet<String> = made.into_iter().flatten().collect();
    assert_eq!(names.len(), 2000, "every creation got its own name");
    assert_eq!(entries(dir.path()).len(), 2000);
}

#[test]
fn default_names_carry_10_random_alphanumerics() {
    let dir = fixtree::tempdir().unwrap();
    let mut seen = HashSet::new();
    for _ in 0..100 {
        let file = NamedTempFile::new_in(&dir).unwrap();
        let name = file
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let random = name.strip_prefix(".tmp").expect("default prefix .tmp");
        assert_eq!(random.len(), 10, "{name}");
        assert!(random.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
        assert!(seen.insert(random.to_owned()), "a name came twice: {name}");
    }
}

#[test]
fn exhausted_names_end_in_an_error_naming_the_directory() {
    let dir = fixtree::tempdir().unwrap();
    for c in ('a'..='z').chain('A'..='Z').chain('0'..='9') {
        fs::write(dir.path().join(format!("x{c}")), "").unwrap();
    }
    // 62 names, or 36 where names ignore case (Windows, macOS).
    let taken = entries(dir.path()).len();
    let err = Builder::new()
        .prefix("x")
        .rand_bytes(1)
        .tempfile_in(&dir)
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("1024"),
        "says how often it tried: {message}"
    );
    assert_eq!(
        entries(dir.path()).len(),
        taken,
        "nothing was replaced or added"
    );
}

#[cfg(unix)]
#[test]
fn an_unnamed_file_leaves_no_directory_entry() {
    let dir = fixtree::tempdir().unwrap();
    let mut file = fixtree::tempfile_in(&dir).unwrap();
    file.write_all(b"bytes").unwrap();
    assert_eq!(file.metadata().unwrap().len(), 5);
    assert!(
        entries(dir.path()).is_empty(),
        "an entry appeared: {:?}",
        entries(dir.path())
    );
}

#[test]
fn errors_name_the_path_and_the_operation() {
    let missing = Path::new("/nonexistent-fixtree-parent").join("dir");
    for err in [
        fixtree::tempdir_in(&missing).unwrap_err(),
        NamedTempFile::new_in(&missing).unwrap_err(),
        fixtree::tempfile_in(&missing).unwrap_err(),
    ] {
        let message = err.to_string();
        assert!(message.contains("nonexistent-fixtree-parent"), "{message}");
        assert!(message.starts_with("cannot "), "{message}");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}

#[test]
fn an_unnamed_file_is_gone_once_closed() {
    let dir = fixtree::tempdir().unwrap();
    let mut file = fixtree::tempfile_in(&dir).unwrap();
    file.write_all(b"bytes").unwrap();
    drop(file);
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn read_only_files_and_directories_are_removed() {
    // The portable part of read_only_leftovers_are_removed: on Windows the
    // read-only attribute, on Unix every write bit taken away.
    let dir = fixtree::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("ro-dir/sub")).unwrap();
    fs::write(root.join("ro-dir/sub/file"), "x").unwrap();
    fs::write(root.join("read-only"), "x").unwrap();
    for path in ["read-only", "ro-dir/sub/file", "ro-dir/sub", "ro-dir"] {
        let mut permissions = fs::metadata(root.join(path)).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(root.join(path), permissions).unwrap();
    }
    let path = root.to_owned();
    dir.close().expect("close removes read-only leftovers");
    assert!(!path.exists());
}

/// A snapshot folder is listed when the expectation is made and its files
/// read when compared: a directory of it replaced meanwhile by a link to
/// elsewhere is refused, never read through.
#[cfg(unix)]
#[test]
fn a_snapshot_directory_swapped_for_a_link_after_listing_is_never_read_through() {
    let folder = fixtree::tempdir().unwrap();
    let outside = fixtree::tempdir().unwrap();
    fs::create_dir(folder.path().join("sub")).unwrap();
    fs::write(folder.path().join("sub/file.txt"), "listed\n").unwrap();
    fs::write(outside.path().join("file.txt"), "SECRET\n").unwrap();
    let expected = fixtree::ExpectedTree::from_snapshot(folder.path()).unwrap();
    fs::rename(folder.path().join("sub"), folder.path().join("moved")).unwrap();
    symlink(outside.path(), folder.path().join("sub")).unwrap();

    let actual = fixtree::tempdir().unwrap();
    fs::create_dir(actual.path().join("sub")).unwrap();
    fs::write(actual.path().join("sub/file.txt"), "actual\n").unwrap();
    let diff = fixtree::check_tree(actual.path(), &expected).unwrap_err();
    let report = diff.to_string();
    assert!(!report.contains("SECRET"), "{report}");
    assert!(
        report.contains("not the directory listed when the expectation was made"),
        "{report}"
    );
}

/// A directory its owner may enter but not list is made with that mode:
/// mkdir gives it, and it is never opened to check. As `nobody`: root lists
/// anything.
#[cfg(unix)]
#[test]
fn a_directory_its_owner_may_enter_but_not_list_is_made_with_that_mode() {
    let name = "a_directory_its_owner_may_enter_but_not_list_is_made_with_that_mode";
    if is_child(name) {
        let unlisted = Builder::new()
            .permissions(Permissions::from_mode(0o300))
            .tempdir()
            .unwrap();
        assert_eq!(mode(unlisted.path()), 0o300);
        unlisted.close().unwrap();
        return;
    }
    run_in_child(
        name,
        Setup {
            as_nobody: true,
            ..Setup::default()
        },
    );
}
