//! [`SpooledTempFile`]: in memory until it grows past a limit, then on disk.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::{tempfile, tempfile_in};

/// Where a [`SpooledTempFile`] keeps its bytes.
///
/// ```
/// let file = fixtree::spooled_tempfile(1024);
/// assert!(matches!(file.into_inner(), fixtree::SpooledData::InMemory(_)));
/// ```
#[derive(Debug)]
pub enum SpooledData {
    /// Still in memory: the bytes and the position.
    InMemory(Cursor<Vec<u8>>),
    /// Rolled over to an unnamed file on disk.
    OnDisk(File),
}

/// A temporary file that stays in memory while it holds at most `max_size`
/// bytes and moves to an unnamed file on disk ([`tempfile()`](crate::tempfile()))
/// when a write or `set_len` would take it past that.
///
/// ```
/// use std::io::Write;
///
/// let mut file = fixtree::SpooledTempFile::new(8);
/// file.write_all(b"12345678")?;
/// assert!(!file.is_rolled()); // exactly at the limit: still in memory
/// file.write_all(b"9")?;
/// assert!(file.is_rolled());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct SpooledTempFile {
    max_size: usize,
    dir: Option<PathBuf>,
    inner: SpooledData,
}

/// Creates a [`SpooledTempFile`] that rolls over past `max_size` bytes.
///
/// ```
/// let file = fixtree::spooled_tempfile(4096);
/// assert!(!file.is_rolled());
/// ```
pub fn spooled_tempfile(max_size: usize) -> SpooledTempFile {
    SpooledTempFile::new(max_size)
}

/// Creates a [`SpooledTempFile`] that rolls over into `dir`. The directory is
/// only used, and so only checked, at rollover.
///
/// ```
/// let dir = fixtree::tempdir()?;
/// let mut file = fixtree::spooled_tempfile_in(0, &dir);
/// file.roll()?;
/// assert!(file.is_rolled());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn spooled_tempfile_in<P: AsRef<Path>>(max_size: usize, dir: P) -> SpooledTempFile {
    SpooledTempFile::new_in(max_size, dir)
}

impl SpooledTempFile {
    /// Creates a spooled file that rolls over into
    /// [`env::temp_dir()`](crate::env::temp_dir) past `max_size` bytes.
    ///
    /// ```
    /// let file = fixtree::SpooledTempFile::new(1 << 20);
    /// assert!(!file.is_rolled());
    /// ```
    #[must_use]
    pub fn new(max_size: usize) -> SpooledTempFile {
        SpooledTempFile {
            max_size,
            dir: None,
            inner: SpooledData::InMemory(Cursor::new(Vec::new())),
        }
    }

    /// Creates a spooled file that rolls over into `dir` past `max_size` bytes.
    ///
    /// ```
    /// let dir = fixtree::tempdir()?;
    /// let file = fixtree::SpooledTempFile::new_in(1 << 20, &dir);
    /// assert!(!file.is_rolled());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn new_in<P: AsRef<Path>>(max_size: usize, dir: P) -> SpooledTempFile {
        SpooledTempFile {
            dir: Some(dir.as_ref().to_owned()),
            ..SpooledTempFile::new(max_size)
        }
    }

    /// Whether the bytes are on disk.
    ///
    /// ```
    /// let mut file = fixtree::spooled_tempfile(10);
    /// assert!(!file.is_rolled());
    /// file.roll()?;
    /// assert!(file.is_rolled());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn is_rolled(&self) -> bool {
        matches!(self.inner, SpooledData::OnDisk(_))
    }

    /// Moves the bytes to disk now, keeping the position; does nothing if
    /// they are there already.
    ///
    /// ```
    /// use std::io::{Read, Seek, Write};
    ///
    /// let mut file = fixtree::spooled_tempfile(100);
    /// file.write_all(b"kept")?;
    /// file.roll()?;
    /// file.rewind()?;
    /// let mut text = String::new();
    /// file.read_to_string(&mut text)?;
    /// assert_eq!(text, "kept");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn roll(&mut self) -> io::Result<()> {
        if let SpooledData::InMemory(cursor) = &self.inner {
            self.inner = SpooledData::OnDisk(spill(cursor, self.dir.as_deref())?);
        }
        Ok(())
    }

    /// Truncates or extends to `size` bytes, rolling over if that is past the limit.
    ///
    /// ```
    /// let mut file = fixtree::spooled_tempfile(10);
    /// file.set_len(10)?;
    /// assert!(!file.is_rolled());
    /// file.set_len(11)?;
    /// assert!(file.is_rolled());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_len(&mut self, size: u64) -> io::Result<()> {
        if size > self.max_size as u64 {
            self.roll()?;
        }
        match &mut self.inner {
            SpooledData::InMemory(cursor) => {
                // Below max_size, which is a usize: the cast cannot truncate.
                cursor.get_mut().resize(size as usize, 0);
                Ok(())
            }
            SpooledData::OnDisk(file) => file.set_len(size),
        }
    }

    /// The bytes, in memory or on disk.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut file = fixtree::spooled_tempfile(100);
    /// file.write_all(b"abc")?;
    /// match file.into_inner() {
    ///     fixtree::SpooledData::InMemory(cursor) => assert_eq!(cursor.into_inner(), b"abc"),
    ///     fixtree::SpooledData::OnDisk(_) => unreachable!(),
    /// }
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn into_inner(self) -> SpooledData {
        self.inner
    }

    /// An unnamed file on disk with the bytes, rolling over first if needed.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut file = fixtree::spooled_tempfile(100);
    /// file.write_all(b"abc")?;
    /// let on_disk = file.into_file()?;
    /// assert_eq!(on_disk.metadata()?.len(), 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_file(self) -> io::Result<File> {
        match self.inner {
            SpooledData::InMemory(cursor) => spill(&cursor, self.dir.as_deref()),
            SpooledData::OnDisk(file) => Ok(file),
        }
    }

    /// Where the bytes are, rolled over first if writing `room` more bytes
    /// at the position would take them past the limit.
    fn file(&mut self, room: Option<usize>) -> io::Result<&mut dyn Io> {
        if let (Some(len), SpooledData::InMemory(cursor)) = (room, &self.inner) {
            if cursor.position().saturating_add(len as u64) > self.max_size as u64 {
                self.roll()?;
            }
        }
        Ok(match &mut self.inner {
            SpooledData::InMemory(cursor) => cursor,
            SpooledData::OnDisk(file) => file,
        })
    }
}

/// Either home of the bytes: memory or an unnamed file.
trait Io: Read + Write + Seek {}
impl<T: Read + Write + Seek> Io for T {}

forward_io!(SpooledTempFile, |this, room| this.file(room)?, |e, _op| e);

/// Copies the in-memory bytes into a new unnamed file, at the same position.
fn spill(cursor: &Cursor<Vec<u8>>, dir: Option<&Path>) -> io::Result<File> {
    let mut file = match dir {
        Some(dir) => tempfile_in(dir)?,
        None => tempfile()?,
    };
    file.write_all(cursor.get_ref())?;
    file.seek(SeekFrom::Start(cursor.position()))?;
    Ok(file)
}
