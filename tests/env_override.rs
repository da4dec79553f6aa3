//! `env::override_temp_dir` is process-wide and can be set once, so it has a
//! test binary of its own with a single test.

use std::fs;
#[cfg(unix)]
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn override_temp_dir_redirects_every_default_and_is_set_once() -> std::io::Result<()> {
    // Made before the override, so it lives in the system temp dir and holds
    // (and finally removes) the overriding directory.
    let holder = fixtree::tempdir()?;
    assert!(holder.path().starts_with(std::env::temp_dir()));
    let dir = holder.path().join("override");
    fs::create_dir(&dir)?;
    assert_ne!(fixtree::env::temp_dir(), dir);

    assert_eq!(fixtree::env::override_temp_dir(&dir), Ok(()));
    assert_eq!(fixtree::env::temp_dir(), dir);

    let named = fixtree::NamedTempFile::new()?;
    assert_eq!(named.path().parent(), Some(dir.as_path()));

    let temp_dir = fixtree::TempDir::new()?;
    assert_eq!(temp_dir.path().parent(), Some(dir.as_path()));
    assert_eq!(entries(&dir), {
        let mut expected = vec![named.path().to_owned(), temp_dir.path().to_owned()];
        expected.sort();
        expected
    });

    // A file with no name: nothing appears, but the kernel places it in `dir`.
    let unnamed = fixtree::tempfile()?;
    #[cfg(unix)]
    {
        assert_eq!(entries(&dir).len(), 2);
        let location = fs::read_link(format!("/proc/self/fd/{}", unnamed.as_raw_fd()))?;
        assert!(location.starts_with(&dir), "{location:?} is not in {dir:?}");
    }
    // Windows: a delete-on-close file, in `dir` until its handle closes.
    #[cfg(windows)]
    assert_eq!(entries(&dir).len(), 3);

    // Set once: a second call changes nothing and says what is set.
    let other = holder.path().join("other");
    fs::create_dir(&other)?;
    assert_eq!(fixtree::env::override_temp_dir(&other), Err(dir.clone()));
    assert_eq!(fixtree::env::temp_dir(), dir);
    assert_eq!(fixtree::env::override_temp_dir(&dir), Err(dir.clone()));

    drop((named, temp_dir, unnamed));
    assert!(entries(&dir).is_empty());
    Ok(())
}
