//! The `tempfile`-compatible layer as a user sees it (`NamedTempFile`, `TempDir`,
//! `Builder`, spooled and unnamed files, atomic writes): every file these tests
//! make lives inside a `fixtree::tempdir()`, so nothing is left behind in the
//! system temp dir.

use std::error::Error;
use std::fs::{self, File};
use std::io::{self, IoSlice, Read, Seek, SeekFrom, Write};
#[cfg(unix)]
use std::os::{
    fd::AsRawFd,
    unix::fs::{FileTypeExt, PermissionsExt},
};
#[cfg(unix)]
use std::path::Component;
use std::path::{Path, PathBuf};

use crate::support;

#[cfg(unix)]
use support::mode;
use support::{Setup, entries, is_child, run_in_child};

type TestResult = Result<(), Box<dyn Error>>;

/// The file name of `path` as a `&str`.
fn name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

/// A relative path that leads from the current directory to the absolute
/// `target`, through `..` up to the root: lets a test pass a relative path
/// without changing the process's current directory.
#[cfg(unix)]
fn relative_from_cwd(target: &Path) -> PathBuf {
    assert!(target.is_absolute());
    let cwd = std::env::current_dir().unwrap();
    let mut relative = PathBuf::new();
    for component in cwd.components() {
        if matches!(component, Component::Normal(_)) {
            relative.push("..");
        }
    }
    relative.push(target.strip_prefix("/").unwrap());
    assert!(relative.is_relative());
    relative
}

#[cfg(unix)]
/// Where the open `file` is, according to the kernel: for a file with no
/// name, "<dir>/#<inode> (deleted)" or "<dir>/<old name> (deleted)".
fn fd_path(file: &File) -> PathBuf {
    fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).unwrap()
}

fn read_all(mut reader: impl Read + Seek) -> Vec<u8> {
    reader.rewind().unwrap();
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).unwrap();
    bytes
}

mod spooled {
    use super::*;
    use fixtree::{SpooledData, SpooledTempFile};

    #[test]
    fn exactly_max_size_stays_in_memory_and_one_more_byte_rolls() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(16, &dir);
        file.write_all(b"0123456789")?;
        file.write_all(b"abcdef")?; // 16 bytes in two writes
        assert!(!file.is_rolled());
        // Overwriting does not grow the file: still at most 16 bytes.
        file.rewind()?;
        file.write_all(b"ABCDEFGHIJKLMNOP")?;
        assert!(!file.is_rolled());
        file.write_all(b"!")?;
        assert!(file.is_rolled());
        assert_eq!(read_all(&mut file), b"ABCDEFGHIJKLMNOP!");
        Ok(())
    }

    #[test]
    fn content_and_position_survive_an_explicit_roll() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = SpooledTempFile::new_in(100, &dir);
        file.write_all(b"0123456789")?;
        file.seek(SeekFrom::Start(4))?;
        file.roll()?;
        assert!(file.is_rolled());
        assert_eq!(file.stream_position()?, 4);
        let mut rest = String::new();
        file.read_to_string(&mut rest)?;
        assert_eq!(rest, "456789");
        // Rolling again changes nothing.
        file.seek(SeekFrom::Start(2))?;
        file.roll()?;
        assert_eq!(file.stream_position()?, 2);
        assert_eq!(read_all(&mut file), b"0123456789");
        Ok(())
    }

    #[test]
    fn a_write_from_the_middle_that_passes_the_limit_rolls_at_that_position() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(10, &dir);
        file.write_all(b"0123456789")?;
        file.seek(SeekFrom::Start(4))?;
        file.write_all(b"ABCDEFG")?; // ends at 11 > 10
        assert!(file.is_rolled());
        assert_eq!(file.stream_position()?, 11);
        assert_eq!(read_all(&mut file), b"0123ABCDEFG");
        Ok(())
    }

    #[test]
    fn set_len_rolls_past_the_limit_but_not_at_it() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(10, &dir);
        file.write_all(b"abc")?;
        file.set_len(10)?;
        assert!(!file.is_rolled());
        assert_eq!(read_all(&mut file), b"abc\0\0\0\0\0\0\0");
        file.set_len(2)?;
        assert!(!file.is_rolled());
        assert_eq!(read_all(&mut file), b"ab");
        file.set_len(11)?;
        assert!(file.is_rolled());
        assert_eq!(read_all(&mut file), b"ab\0\0\0\0\0\0\0\0\0");
        match file.into_inner() {
            SpooledData::OnDisk(on_disk) => assert_eq!(on_disk.metadata()?.len(), 11),
            other => panic!("expected OnDisk, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn write_vectored_counts_every_slice() -> TestResult {
        let dir = fixtree::tempdir()?;

        // 6 + 4 = 10: at the limit, in memory.
        let mut file = fixtree::spooled_tempfile_in(10, &dir);
        let written = file.write_vectored(&[IoSlice::new(b"abcdef"), IoSlice::new(b"ghij")])?;
        assert_eq!(written, 10);
        assert!(!file.is_rolled());

        // 6 + 5 = 11: past it, though each slice alone fits.
        let mut file = fixtree::spooled_tempfile_in(10, &dir);
        let written = file.write_vectored(&[IoSlice::new(b"abcdef"), IoSlice::new(b"ghijk")])?;
        // Windows files write one slice per call.
        let on_disk = if cfg!(windows) { 6 } else { 11 };
        assert_eq!(written, on_disk);
        file.write_all(&b"abcdefghijk"[written..])?;
        assert!(file.is_rolled());
        assert_eq!(read_all(&mut file), b"abcdefghijk");
        Ok(())
    }

    #[test]
    fn into_inner_is_in_memory_before_and_on_disk_after_rolling() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(100, &dir);
        file.write_all(b"hello")?;
        file.seek(SeekFrom::Start(1))?;
        match file.into_inner() {
            SpooledData::InMemory(cursor) => {
                assert_eq!(cursor.position(), 1);
                assert_eq!(cursor.into_inner(), b"hello");
            }
            other => panic!("expected InMemory, got {other:?}"),
        }

        let mut file = fixtree::spooled_tempfile_in(100, &dir);
        file.write_all(b"hello")?;
        file.seek(SeekFrom::Start(1))?;
        file.roll()?;
        match file.into_inner() {
            SpooledData::OnDisk(mut on_disk) => {
                assert_eq!(on_disk.stream_position()?, 1);
                assert_eq!(read_all(&mut on_disk), b"hello");
            }
            other => panic!("expected OnDisk, got {other:?}"),
        }
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn into_file_of_an_in_memory_file_has_the_bytes() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(100, &dir);
        file.write_all(b"spooled bytes")?;
        file.seek(SeekFrom::Start(8))?;
        assert!(!file.is_rolled());
        let mut on_disk = file.into_file()?;
        assert_eq!(on_disk.metadata()?.len(), 13);
        assert_eq!(on_disk.stream_position()?, 8);
        assert_eq!(read_all(&mut on_disk), b"spooled bytes");
        assert!(fd_path(&on_disk).starts_with(dir.path()));
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn spooled_tempfile_in_rolls_into_dir_without_an_entry() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::spooled_tempfile_in(4, &dir);
        file.write_all(b"more than four")?;
        assert!(file.is_rolled());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        match file.into_inner() {
            SpooledData::OnDisk(on_disk) => {
                let location = fd_path(&on_disk);
                assert!(
                    location.starts_with(dir.path()),
                    "{location:?} is not in {:?}",
                    dir.path()
                );
                assert_eq!(on_disk.metadata()?.len(), 14);
            }
            other => panic!("expected OnDisk, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn a_roll_into_a_missing_dir_fails_and_keeps_the_bytes_in_memory() -> TestResult {
        let dir = fixtree::tempdir()?;
        let missing = dir.path().join("missing");
        let mut file = fixtree::spooled_tempfile_in(4, &missing);
        file.write_all(b"abcd")?;
        let err = file.write_all(b"e").unwrap_err();
        assert!(err.to_string().contains(missing.to_str().unwrap()), "{err}");
        assert!(!file.is_rolled());
        assert_eq!(read_all(&mut file), b"abcd");
        assert!(!missing.exists());
        Ok(())
    }
}

mod named_temp_file {
    use super::*;
    use fixtree::NamedTempFile;
    use std::sync::Barrier;

    #[test]
    fn persist_replaces_an_existing_file_and_returns_the_open_file() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("out.txt");
        fs::write(&target, "old content")?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"new")?;
        let temp_name = file.path().to_owned();

        let mut persisted = file.persist(&target)?;
        assert!(!temp_name.exists());
        persisted.write_all(b" and more")?;
        drop(persisted);
        assert_eq!(fs::read_to_string(&target)?, "new and more");
        assert_eq!(entries(dir.path()), ["out.txt"]);
        Ok(())
    }

    #[test]
    fn persist_into_a_missing_dir_fails_naming_it_and_gives_the_file_back() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("missing").join("out.txt");
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"kept")?;
        let temp_name = file.path().to_owned();

        let err = file.persist(&target).unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::NotFound);
        let message = err.to_string();
        assert!(message.contains(target.to_str().unwrap()), "{message}");
        let file = err.file;
        assert_eq!(file.path(), temp_name);
        assert_eq!(fs::read(file.path())?, b"kept");
        drop(file);
        assert!(!temp_name.exists());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn persist_noclobber_onto_an_existing_file_fails_and_gives_the_file_back() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("taken");
        fs::write(&target, "mine")?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"theirs")?;

        let err = file.persist_noclobber(&target).unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains(target.to_str().unwrap()), "{err}");
        assert_eq!(fs::read_to_string(&target)?, "mine");

        // The file comes back whole and can still go somewhere free.
        let file = err.file;
        assert_eq!(fs::read(file.path())?, b"theirs");
        let free = dir.path().join("free");
        file.persist_noclobber(&free)?;
        assert_eq!(fs::read_to_string(&free)?, "theirs");
        assert_eq!(entries(dir.path()), ["free", "taken"]);
        Ok(())
    }

    #[test]
    fn persist_noclobber_race_has_exactly_one_winner() -> TestResult {
        let dir = fixtree::tempdir()?;
        const ROUNDS: usize = 50;
        for round in 0..ROUNDS {
            let target = dir.path().join(format!("target-{round}"));
            let barrier = Barrier::new(2);
            let mut contenders = Vec::new();
            for content in ["first contender", "second contender"] {
                let mut file = NamedTempFile::new_in(&dir)?;
                file.write_all(content.as_bytes())?;
                contenders.push((file, content));
            }
            let results: Vec<Result<&str, io::ErrorKind>> = std::thread::scope(|scope| {
                let handles: Vec<_> = contenders
                    .into_iter()
                    .map(|(file, content)| {
                        let (barrier, target) = (&barrier, &target);
                        scope.spawn(move || {
                            barrier.wait();
                            file.persist_noclobber(target)
                                .map(|_| content)
                                .map_err(|e| e.error.kind())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let winners: Vec<&str> = results
                .iter()
                .filter_map(|r| r.as_ref().ok().copied())
                .collect();
            assert_eq!(winners.len(), 1, "round {round}: {results:?}");
            assert!(
                results.contains(&Err(io::ErrorKind::AlreadyExists)),
                "round {round}: {results:?}"
            );
            assert_eq!(fs::read_to_string(&target)?, winners[0], "round {round}");
        }
        // The losers' temporary files were removed with their errors.
        assert_eq!(entries(dir.path()).len(), ROUNDS);
        Ok(())
    }

    #[test]
    fn keep_returns_a_path_that_survives_drop() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"kept")?;
        let original = file.path().to_owned();
        let (open, path) = file.keep()?;
        assert_eq!(path, original);
        drop(open);
        assert_eq!(fs::read(&path)?, b"kept");
        fs::remove_file(&path)?;
        Ok(())
    }

    #[test]
    fn close_removes_the_file() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        let path = file.path().to_owned();
        assert!(path.is_file());
        file.close()?;
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn drop_removes_the_file() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        let path = file.path().to_owned();
        assert!(path.is_file());
        drop(file);
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn disable_cleanup_leaves_the_file_and_can_be_turned_back_off() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.disable_cleanup(true);
        let path = file.path().to_owned();
        drop(file);
        assert!(path.is_file());
        fs::remove_file(&path)?;

        let mut file = NamedTempFile::new_in(&dir)?;
        file.disable_cleanup(true);
        file.disable_cleanup(false);
        let path = file.path().to_owned();
        drop(file);
        assert!(!path.exists());
        Ok(())
    }

    // Not on Windows: Wine keeps the name of a removed file until its last
    // handle closes.
    #[cfg(not(windows))]
    #[test]
    fn into_file_removes_the_name_but_the_file_still_reads() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"payload")?;
        let path = file.path().to_owned();
        let mut open = file.into_file();
        assert!(!path.exists());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        assert_eq!(read_all(&mut open), b"payload");
        Ok(())
    }

    #[test]
    fn into_temp_path_keeps_the_file_until_drop() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"content")?;
        let path = file.into_temp_path();
        let name = path.to_path_buf();
        assert_eq!(fs::read(&path)?, b"content");
        drop(path);
        assert!(!name.exists());
        Ok(())
    }

    #[test]
    fn into_parts_and_from_parts_round_trip() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        let name = file.path().to_owned();
        let (mut open, path) = file.into_parts();
        assert_eq!(&*path, name.as_path());
        open.write_all(b"parts")?;
        assert_eq!(fs::read(&name)?, b"parts");

        let mut again = NamedTempFile::from_parts(open, path);
        assert_eq!(again.path(), name);
        again.write_all(b" joined")?;
        assert_eq!(fs::read(&name)?, b"parts joined");
        drop(again);
        assert!(!name.exists());
        Ok(())
    }

    #[test]
    fn reopen_gives_an_independent_handle_on_the_same_content() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = NamedTempFile::new_in(&dir)?;
        file.write_all(b"shared")?;
        let mut again = file.reopen()?;
        // Its own position: at the start, while `file` is at the end.
        let mut text = String::new();
        again.read_to_string(&mut text)?;
        assert_eq!(text, "shared");
        assert_eq!(file.stream_position()?, 6);

        again.write_all(b"!")?;
        file.rewind()?;
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        assert_eq!(text, "shared!");

        // Closing the second handle leaves the first one working.
        drop(again);
        file.write_all(b"?")?;
        assert_eq!(fs::read(file.path())?, b"shared!?");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn reopen_fails_once_the_name_leads_to_another_file() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        let path = file.path().to_owned();

        fs::remove_file(&path)?;
        let err = file.reopen().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);

        fs::write(&path, "someone else's")?;
        let err = file.reopen().unwrap_err();
        assert!(err.to_string().contains(path.to_str().unwrap()), "{err}");
        assert_eq!(fs::read_to_string(&path)?, "someone else's");
        Ok(())
    }

    #[test]
    fn read_write_and_seek_work_through_a_shared_reference() -> TestResult {
        fn use_as_stream(mut stream: impl Read + Write + Seek) -> io::Result<String> {
            stream.write_all(b"hello reference")?;
            stream.seek(SeekFrom::Start(6))?;
            let mut text = String::new();
            stream.read_to_string(&mut text)?;
            Ok(text)
        }

        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        assert_eq!(use_as_stream(&file)?, "reference");
        assert_eq!(fs::read(file.path())?, b"hello reference");
        // Both references share one position: that of the open file.
        (&file).seek(SeekFrom::Start(0))?;
        let mut first = [0; 5];
        (&file).read_exact(&mut first)?;
        assert_eq!(&first, b"hello");
        assert_eq!((&file).stream_position()?, 5);
        Ok(())
    }

    #[test]
    fn debug_shows_the_path() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        let debug = format!("{file:?}");
        assert!(debug.contains(&format!("{:?}", file.path())), "{debug}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_and_named_inside_dir() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = NamedTempFile::new_in(&dir)?;
        assert_eq!(file.path().parent(), Some(dir.path()));
        assert!(file.path().is_absolute());
        assert_eq!(mode(file.path()), 0o600);
        Ok(())
    }
}

mod temp_path {
    use super::*;
    use fixtree::{NamedTempFile, TempPath};

    fn temp_path_with(dir: &Path, content: &str) -> io::Result<TempPath> {
        let mut file = NamedTempFile::new_in(dir)?;
        file.write_all(content.as_bytes())?;
        Ok(file.into_temp_path())
    }

    #[test]
    fn persist_moves_the_file_and_replaces_the_target() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("target");
        fs::write(&target, "old")?;
        let path = temp_path_with(dir.path(), "new")?;
        let name = path.to_path_buf();
        path.persist(&target)?;
        assert!(!name.exists());
        assert_eq!(fs::read_to_string(&target)?, "new");
        assert_eq!(entries(dir.path()), ["target"]);
        Ok(())
    }

    #[test]
    fn persist_failure_gives_the_path_back() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("missing").join("target");
        let path = temp_path_with(dir.path(), "data")?;
        let name = path.to_path_buf();
        let err = path.persist(&target).unwrap_err();
        assert!(err.to_string().contains(target.to_str().unwrap()), "{err}");
        assert_eq!(&*err.path, name.as_path());
        assert!(name.is_file());
        drop(err);
        assert!(!name.exists());
        Ok(())
    }

    #[test]
    fn persist_noclobber_succeeds_onto_a_free_name() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("free");
        let path = temp_path_with(dir.path(), "data")?;
        let name = path.to_path_buf();
        path.persist_noclobber(&target)?;
        assert!(!name.exists());
        assert_eq!(fs::read_to_string(&target)?, "data");
        Ok(())
    }

    #[test]
    fn persist_noclobber_onto_an_existing_file_fails_and_keeps_both() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("taken");
        fs::write(&target, "mine")?;
        let path = temp_path_with(dir.path(), "theirs")?;
        let name = path.to_path_buf();
        let err = path.persist_noclobber(&target).unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&target)?, "mine");
        let path: TempPath = err.into();
        assert_eq!(fs::read_to_string(&path)?, "theirs");
        drop(path);
        assert!(!name.exists());
        assert_eq!(entries(dir.path()), ["taken"]);
        Ok(())
    }

    #[test]
    fn keep_leaves_the_file() -> TestResult {
        let dir = fixtree::tempdir()?;
        let path = temp_path_with(dir.path(), "kept")?;
        let name = path.to_path_buf();
        let kept = path.keep()?;
        assert_eq!(kept, name);
        assert_eq!(fs::read_to_string(&kept)?, "kept");
        fs::remove_file(kept)?;
        Ok(())
    }

    #[test]
    fn close_removes_the_file_and_reports_a_missing_one() -> TestResult {
        let dir = fixtree::tempdir()?;
        let path = temp_path_with(dir.path(), "x")?;
        let name = path.to_path_buf();
        path.close()?;
        assert!(!name.exists());

        let path = temp_path_with(dir.path(), "x")?;
        let name = path.to_path_buf();
        fs::remove_file(&name)?;
        let err = path.close().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains(name.to_str().unwrap()), "{err}");
        Ok(())
    }

    #[test]
    fn try_from_path_removes_an_existing_file_on_drop() -> TestResult {
        let dir = fixtree::tempdir()?;
        let name = dir.path().join("made-elsewhere");
        fs::write(&name, "x")?;
        let path = TempPath::try_from_path(&name)?;
        assert_eq!(&*path, name.as_path());
        assert!(name.is_file());
        drop(path);
        assert!(!name.exists());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn try_from_path_makes_a_relative_path_absolute() -> TestResult {
        let dir = fixtree::tempdir()?;
        let name = dir.path().join("relative-target");
        fs::write(&name, "x")?;
        let relative = relative_from_cwd(&name);
        let path = TempPath::try_from_path(&relative)?;
        assert!(path.is_absolute(), "{path:?}");
        assert!(path.ends_with("relative-target"));
        // It is the same file: dropping removes it.
        drop(path);
        assert!(!name.exists());
        Ok(())
    }

    /// Runs in a child process so that what `drop` prints to stderr can be checked.
    #[test]
    fn drop_of_an_already_removed_path_is_silent() -> TestResult {
        let name = "temp_path::drop_of_an_already_removed_path_is_silent";
        if is_child(name) {
            let dir = fixtree::tempdir()?;
            let path = temp_path_with(dir.path(), "x")?;
            fs::remove_file(&path)?;
            drop(path);
            drop(TempPath::try_from_path(dir.path().join("never-existed"))?);
            let inner = fixtree::tempdir_in(&dir)?;
            fs::remove_dir(inner.path())?;
            drop(inner);
            return Ok(());
        }
        let out = run_in_child(name, Setup::default());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("fixtree:"), "{stderr}");
        Ok(())
    }

    /// The control for the test above: a drop that must report, so a report
    /// is known to be visible there.
    #[test]
    fn drop_of_a_path_it_cannot_remove_reports_it() -> TestResult {
        let name = "temp_path::drop_of_a_path_it_cannot_remove_reports_it";
        if is_child(name) {
            let dir = fixtree::tempdir()?;
            // A directory cannot be removed as a file: drop must say so.
            fs::create_dir(dir.path().join("a-directory"))?;
            drop(TempPath::try_from_path(dir.path().join("a-directory"))?);
            return Ok(());
        }
        let out = run_in_child(name, Setup::default());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("fixtree: cannot remove temporary file"),
            "{stderr}"
        );
        assert!(stderr.contains("a-directory"), "{stderr}");
        Ok(())
    }
}

mod temp_dir {
    use super::*;
    use fixtree::TempDir;

    #[test]
    fn keep_leaves_the_directory() -> TestResult {
        let outer = fixtree::tempdir()?;
        let dir = fixtree::tempdir_in(&outer)?;
        fs::write(dir.path().join("inside"), "x")?;
        let original = dir.path().to_owned();
        let kept = dir.keep();
        assert_eq!(kept, original);
        assert!(kept.join("inside").is_file());
        fs::remove_dir_all(&kept)?;
        Ok(())
    }

    #[test]
    fn close_removes_nested_content() -> TestResult {
        let outer = fixtree::tempdir()?;
        let dir = fixtree::tempdir_in(&outer)?;
        let path = dir.path().to_owned();
        fs::create_dir_all(path.join("a/b/c"))?;
        fs::write(path.join("a/b/c/deep.txt"), "deep")?;
        fs::write(path.join("a/shallow.txt"), "shallow")?;
        fs::create_dir(path.join("empty"))?;
        dir.close()?;
        assert!(!path.exists());
        assert_eq!(entries(outer.path()), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn drop_removes_nested_content() -> TestResult {
        let outer = fixtree::tempdir()?;
        let dir = fixtree::tempdir_in(&outer)?;
        let path = dir.path().to_owned();
        fs::create_dir_all(path.join("x/y"))?;
        fs::write(path.join("x/y/file"), "f")?;
        drop(dir);
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn close_of_a_directory_already_removed_is_not_found() -> TestResult {
        let outer = fixtree::tempdir()?;
        let dir = fixtree::tempdir_in(&outer)?;
        let path = dir.path().to_owned();
        fs::remove_dir(&path)?;
        let err = dir.close().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        assert!(err.to_string().contains(path.to_str().unwrap()), "{err}");
        Ok(())
    }

    #[test]
    fn disable_cleanup_leaves_the_directory_and_can_be_turned_back_off() -> TestResult {
        let outer = fixtree::tempdir()?;
        let mut dir = fixtree::tempdir_in(&outer)?;
        dir.disable_cleanup(true);
        let path = dir.path().to_owned();
        drop(dir);
        assert!(path.is_dir());
        fs::remove_dir(&path)?;

        let mut dir = fixtree::tempdir_in(&outer)?;
        dir.disable_cleanup(true);
        dir.disable_cleanup(false);
        let path = dir.path().to_owned();
        drop(dir);
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn with_prefix_in_and_with_suffix_in_name_the_directory() -> TestResult {
        let outer = fixtree::tempdir()?;
        let prefixed = TempDir::with_prefix_in("build-", &outer)?;
        assert_eq!(prefixed.path().parent(), Some(outer.path()));
        let n = name(prefixed.path());
        assert!(n.starts_with("build-"), "{n}");
        assert_eq!(n.len(), "build-".len() + 10, "{n}");

        let suffixed = TempDir::with_suffix_in(".d", &outer)?;
        assert_eq!(suffixed.path().parent(), Some(outer.path()));
        let n = name(suffixed.path());
        assert!(n.starts_with(".tmp") && n.ends_with(".d"), "{n}");
        assert_eq!(n.len(), ".tmp".len() + 10 + ".d".len(), "{n}");
        assert!(prefixed.path().is_dir() && suffixed.path().is_dir());
        Ok(())
    }

    #[test]
    fn as_ref_path_is_the_directory() -> TestResult {
        fn as_path<P: AsRef<Path>>(p: &P) -> &Path {
            p.as_ref()
        }
        let outer = fixtree::tempdir()?;
        assert_eq!(as_path(&outer), outer.path());
        // Usable wherever a path is expected.
        let inner = fixtree::tempdir_in(&outer)?;
        assert_eq!(inner.path().parent(), Some(outer.path()));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn path_is_absolute_when_tempdir_in_gets_a_relative_dir() -> TestResult {
        let outer = fixtree::tempdir()?;
        let relative = relative_from_cwd(outer.path());
        let dir = fixtree::tempdir_in(&relative)?;
        assert!(dir.path().is_absolute(), "{:?}", dir.path());
        assert!(dir.path().is_dir());
        // It is in `outer`, whatever the spelling.
        let created = entries(outer.path());
        assert_eq!(created, [name(dir.path())]);
        drop(dir);
        assert_eq!(entries(outer.path()), Vec::<String>::new());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn new_directories_are_private() -> TestResult {
        let outer = fixtree::tempdir()?;
        let dir = fixtree::tempdir_in(&outer)?;
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(outer.path()), 0o700);
        Ok(())
    }
}

mod builder {
    use super::*;
    use fixtree::Builder;
    #[cfg(unix)]
    use std::{
        fs::Permissions,
        os::unix::net::{UnixListener, UnixStream},
    };

    fn assert_name(name: &str, prefix: &str, rand: usize, suffix: &str) {
        assert_eq!(name.len(), prefix.len() + rand + suffix.len(), "{name}");
        assert!(name.starts_with(prefix), "{name}");
        assert!(name.ends_with(suffix), "{name}");
        let random = &name[prefix.len()..prefix.len() + rand];
        assert!(
            random.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{name}: {random:?} is not alphanumeric"
        );
    }

    #[test]
    fn prefix_suffix_and_rand_bytes_shape_the_name() -> TestResult {
        let dir = fixtree::tempdir()?;
        for rand in [1, 5, 10, 32] {
            let file = Builder::new()
                .prefix("pre-")
                .suffix(".post")
                .rand_bytes(rand)
                .tempfile_in(&dir)?;
            assert_name(name(file.path()), "pre-", rand, ".post");
            let sub = Builder::new()
                .prefix("d-")
                .suffix(".dir")
                .rand_bytes(rand)
                .tempdir_in(&dir)?;
            assert_name(name(sub.path()), "d-", rand, ".dir");
        }
        Ok(())
    }

    #[test]
    fn default_names_are_tmp_and_ten_random_characters() -> TestResult {
        let dir = fixtree::tempdir()?;
        assert_name(name(dir.path()), ".tmp", 10, "");
        let a = fixtree::NamedTempFile::new_in(&dir)?;
        let b = Builder::new().tempfile_in(&dir)?;
        let c = Builder::new().tempdir_in(&dir)?;
        for path in [a.path(), b.path(), c.path()] {
            assert_name(name(path), ".tmp", 10, "");
        }
        assert_ne!(a.path(), b.path());
        Ok(())
    }

    #[test]
    fn rand_bytes_zero_gives_the_exact_name_once() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = Builder::new()
            .prefix("exact")
            .suffix(".txt")
            .rand_bytes(0)
            .tempfile_in(&dir)?;
        assert_eq!(file.path(), dir.path().join("exact.txt"));
        file.write_all(b"first")?;

        let err = Builder::new()
            .prefix("exact")
            .suffix(".txt")
            .rand_bytes(0)
            .tempfile_in(&dir)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("exact.txt"), "{err}");
        assert_eq!(fs::read(file.path())?, b"first");

        let sub = Builder::new()
            .prefix("exact-dir")
            .rand_bytes(0)
            .tempdir_in(&dir)?;
        assert_eq!(sub.path(), dir.path().join("exact-dir"));
        let err = Builder::new()
            .prefix("exact-dir")
            .rand_bytes(0)
            .tempdir_in(&dir)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        Ok(())
    }

    #[test]
    fn append_writes_at_the_end_after_a_rewind() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = Builder::new().append(true).tempfile_in(&dir)?;
        file.write_all(b"ab")?;
        file.rewind()?;
        file.write_all(b"cd")?;
        assert_eq!(fs::read(file.path())?, b"abcd");

        let mut plain = Builder::new().append(false).tempfile_in(&dir)?;
        plain.write_all(b"ab")?;
        plain.rewind()?;
        plain.write_all(b"cd")?;
        assert_eq!(fs::read(plain.path())?, b"cd");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_applied_exactly() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = Builder::new()
            .permissions(Permissions::from_mode(0o640))
            .tempfile_in(&dir)?;
        assert_eq!(mode(file.path()), 0o640);
        let sub = Builder::new()
            .permissions(Permissions::from_mode(0o750))
            .tempdir_in(&dir)?;
        assert_eq!(mode(sub.path()), 0o750);
        // Bits a typical umask (022) would clear are kept too.
        let wide = Builder::new()
            .permissions(Permissions::from_mode(0o666))
            .tempfile_in(&dir)?;
        assert_eq!(mode(wide.path()), 0o666);
        // The defaults.
        assert_eq!(mode(Builder::new().tempfile_in(&dir)?.path()), 0o600);
        assert_eq!(mode(Builder::new().tempdir_in(&dir)?.path()), 0o700);
        Ok(())
    }

    #[test]
    fn disable_cleanup_leaves_files_and_directories() -> TestResult {
        let dir = fixtree::tempdir()?;
        let file = Builder::new().disable_cleanup(true).tempfile_in(&dir)?;
        let file_path = file.path().to_owned();
        drop(file);
        assert!(file_path.is_file());

        let sub = Builder::new().disable_cleanup(true).tempdir_in(&dir)?;
        let sub_path = sub.path().to_owned();
        drop(sub);
        assert!(sub_path.is_dir());

        fs::remove_file(file_path)?;
        fs::remove_dir(sub_path)?;
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn make_in_binds_a_socket_that_is_removed_on_drop() -> TestResult {
        let dir = fixtree::tempdir()?;
        let socket = Builder::new()
            .suffix(".sock")
            .make_in(&dir, |path| UnixListener::bind(path))?;
        let path = socket.path().to_owned();
        assert_eq!(path.parent(), Some(dir.path()));
        assert!(name(&path).ends_with(".sock"));
        assert!(fs::symlink_metadata(&path)?.file_type().is_socket());
        let _client = UnixStream::connect(&path)?;
        let (_server, _) = socket.as_file().accept()?;
        drop(socket);
        assert!(fs::symlink_metadata(&path).is_err());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn make_in_retries_already_exists_with_a_new_path_each_time() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut tried: Vec<PathBuf> = Vec::new();
        let made = Builder::new().make_in(&dir, |path| {
            tried.push(path.to_owned());
            if tried.len() <= 3 {
                Err(io::Error::from(io::ErrorKind::AlreadyExists))
            } else {
                File::create_new(path)
            }
        })?;
        assert_eq!(tried.len(), 4, "{tried:?}");
        let mut distinct = tried.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "a path was tried twice: {tried:?}");
        assert!(tried.iter().all(|p| p.parent() == Some(dir.path())));
        assert_eq!(made.path(), tried[3]);
        assert!(made.path().is_file());
        Ok(())
    }

    #[test]
    fn make_in_does_not_retry_other_errors() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut calls = 0;
        let err = Builder::new()
            .make_in(&dir, |_| -> io::Result<()> {
                calls += 1;
                Err(io::Error::from(io::ErrorKind::PermissionDenied))
            })
            .unwrap_err();
        assert_eq!(calls, 1);
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn make_in_with_rand_bytes_zero_tries_only_once() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut calls = 0;
        let err = Builder::new()
            .prefix("only")
            .rand_bytes(0)
            .make_in(&dir, |_| -> io::Result<()> {
                calls += 1;
                Err(io::Error::from(io::ErrorKind::AlreadyExists))
            })
            .unwrap_err();
        assert_eq!(calls, 1);
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        Ok(())
    }
}

mod errors {
    use super::*;

    const MISSING: &str = "/nonexistent-fixtree-dir";

    fn assert_names_missing(err: io::Error) {
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        // Made absolute first: `Z:\nonexistent-fixtree-dir` on Windows.
        assert!(err.to_string().contains(&MISSING[1..]), "{err}");
    }

    #[test]
    fn creation_in_a_missing_dir_names_it() {
        assert!(!Path::new(MISSING).exists());
        assert_names_missing(fixtree::tempdir_in(MISSING).unwrap_err());
        assert_names_missing(fixtree::tempfile_in(MISSING).unwrap_err());
        assert_names_missing(fixtree::NamedTempFile::new_in(MISSING).unwrap_err());
        assert_names_missing(fixtree::Builder::new().tempfile_in(MISSING).unwrap_err());
        assert_names_missing(fixtree::TempDir::with_prefix_in("p", MISSING).unwrap_err());
    }
}

#[cfg(unix)]
mod unnamed {
    use super::*;

    #[test]
    fn tempfile_in_leaves_no_entry_and_holds_data() -> TestResult {
        let dir = fixtree::tempdir()?;
        let mut file = fixtree::tempfile_in(&dir)?;
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        assert!(fd_path(&file).starts_with(dir.path()));
        file.write_all(b"unnamed")?;
        assert_eq!(read_all(&mut file), b"unnamed");
        assert_eq!(file.metadata()?.permissions().mode() & 0o7777, 0o600);
        Ok(())
    }
}

mod write_atomic {
    use super::*;

    #[cfg(unix)]
    /// The process's umask, read without changing it.
    fn umask() -> Option<u32> {
        let status = fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("Umask:"))?;
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
    }

    #[test]
    fn creates_then_replaces_the_content() -> TestResult {
        let dir = fixtree::tempdir()?;
        let path = dir.path().join("config.toml");
        fixtree::write_atomic(&path, "version = 1\n")?;
        assert_eq!(fs::read_to_string(&path)?, "version = 1\n");
        fixtree::write_atomic(&path, b"v2")?;
        assert_eq!(fs::read(&path)?, b"v2");
        fixtree::write_atomic(&path, "")?;
        assert_eq!(fs::read(&path)?, b"");
        Ok(())
    }

    #[test]
    fn leaves_exactly_one_entry() -> TestResult {
        let dir = fixtree::tempdir()?;
        let path = dir.path().join("only");
        for round in 0..3 {
            fixtree::write_atomic(&path, format!("round {round}"))?;
        }
        assert_eq!(entries(dir.path()), ["only"]);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn keeps_an_existing_files_mode() -> TestResult {
        let dir = fixtree::tempdir()?;
        let path = dir.path().join("shared");
        fs::write(&path, "old")?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640))?;
        fixtree::write_atomic(&path, "new")?;
        assert_eq!(mode(&path), 0o640);
        assert_eq!(fs::read_to_string(&path)?, "new");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_0666_less_the_umask() -> TestResult {
        let Some(umask) = umask() else {
            return Ok(()); // no /proc: nothing to compare with
        };
        let dir = fixtree::tempdir()?;
        let path = dir.path().join("new");
        fixtree::write_atomic(&path, "x")?;
        assert_eq!(mode(&path), 0o666 & !umask);
        Ok(())
    }

    #[test]
    fn a_missing_directory_fails_naming_it_and_creates_nothing() -> TestResult {
        let dir = fixtree::tempdir()?;
        let missing = dir.path().join("missing");
        let path = missing.join("file.txt");
        let err = fixtree::write_atomic(&path, "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        assert!(err.to_string().contains(missing.to_str().unwrap()), "{err}");
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn a_path_with_no_file_name_is_invalid_input() -> TestResult {
        let err = fixtree::write_atomic("/", "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains('/'), "{err}");

        let dir = fixtree::tempdir()?;
        let dot_dot = dir.path().join("..");
        let err = fixtree::write_atomic(&dot_dot, "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains(dot_dot.to_str().unwrap()), "{err}");
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_replaced_not_written_through() -> TestResult {
        let dir = fixtree::tempdir()?;
        let target = dir.path().join("target");
        fs::write(&target, "original")?;
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644))?;
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link)?;

        fixtree::write_atomic(&link, "replacement")?;
        let meta = fs::symlink_metadata(&link)?;
        assert!(meta.file_type().is_file(), "{:?}", meta.file_type());
        assert_eq!(fs::read_to_string(&link)?, "replacement");
        assert_eq!(fs::read_to_string(&target)?, "original");
        assert_eq!(mode(&target), 0o644);
        assert_eq!(entries(dir.path()), ["link", "target"]);
        Ok(())
    }

    #[cfg(unix)]
    /// A write that fails half way (the file-size limit is hit after the
    /// first kilobytes) leaves the old content and no temporary file.
    #[test]
    fn a_write_failing_half_way_leaves_the_target_and_no_temporary_file() -> TestResult {
        let name = "write_atomic::a_write_failing_half_way_leaves_the_target_and_no_temporary_file";
        if is_child(name) {
            let dir = fixtree::tempdir()?;
            let path = dir.path().join("target.bin");
            fs::write(&path, "old")?;
            let err = fixtree::write_atomic(&path, vec![7u8; 1 << 20]).unwrap_err();
            assert_eq!(err.raw_os_error(), None, "wrapped with the path: {err}");
            assert!(err.to_string().contains("File too large"), "{err}");
            assert!(err.to_string().contains("target.bin"), "{err}");
            assert_eq!(fs::read(&path)?, b"old");
            assert_eq!(entries(dir.path()), ["target.bin"]);
            return Ok(());
        }
        run_in_child(
            name,
            Setup {
                file_size_limit: Some(64),
                ..Setup::default()
            },
        );
        Ok(())
    }
}
