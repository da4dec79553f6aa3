//! What an expected file holds ([`Contents`], [`ModeCheck`]), and reading
//! it: two contents compared whole when small, else a chunk at a time, each
//! only as far as its listed size; and bounded reads for what needs the
//! text itself.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::LineEndings;
use super::limits::WHOLE_READ;
use crate::error::{self, IoResultExt};
use crate::sys::{Dir, DirId};
use crate::tree::{as_text, to_lf};
use crate::walk::{Entry, Walk};

/// The bytes an expected file holds: given, or in a snapshot folder, where
/// they stay until compared (a chunk at a time), so that comparing with a
/// folder of any size holds its listing, not its contents.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Contents {
    Bytes(Vec<u8>),
    /// The file of that name in the directory `dir`, `len` bytes long when
    /// the folder was listed. Two are equal when they are the same file
    /// (same directory, same size), not when their bytes are.
    Stored {
        dir: Arc<StoredDir>,
        len: u64,
    },
}

impl Contents {
    /// The size in bytes.
    pub(crate) fn size(&self) -> u64 {
        match self {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::Stored { len, .. } => *len,
        }
    }
}

/// A directory of a snapshot folder, as it was listed: its path, and which
/// directory it was, so that one put in its place since (a link to
/// elsewhere) is refused rather than read.
#[derive(PartialEq, Eq)]
pub(crate) struct StoredDir {
    pub(crate) path: PathBuf,
    pub(crate) id: DirId,
    /// How many directories below the folder it is: the last components
    /// of `path`, by which a comparison walks down to it.
    pub(crate) depth: usize,
}

/// Given bytes as bytes, as they always showed; stored ones by where they are.
impl fmt::Debug for Contents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contents::Bytes(bytes) => bytes.fmt(f),
            Contents::Stored { dir, len } => f
                .debug_struct("Stored")
                .field("dir", &dir.path)
                .field("len", len)
                .finish(),
        }
    }
}

/// How much of a file's mode is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModeCheck {
    Any,
    Exact(u32),
    /// Only whether anyone may execute it: all that git keeps of a snapshot file's mode.
    Executable(bool),
}

/// How much of each side a comparison holds at a time: large enough that a
/// read costs little per byte, small enough to stay on any machine.
pub(crate) const CHUNK: usize = 64 * 1024;

/// Where a file's bytes are: in an expectation, or on disk.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    Bytes(&'a [u8]),
    /// The file `name` of the open directory `dir`, whose path is `at`, and
    /// its size when it was listed.
    File {
        dir: &'a Dir,
        at: &'a Path,
        name: &'a str,
        len: u64,
    },
}

impl<'a> Source<'a> {
    pub(crate) fn len(self) -> u64 {
        match self {
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::File { len, .. } => len,
        }
    }

    /// `result`, its error naming the file if it is one (the path spelled
    /// only then: this runs for every read).
    fn named<T>(self, result: io::Result<T>) -> io::Result<T> {
        result.map_err(|e| match self {
            Source::File { at, name, .. } => error::at(e, "read file", &at.join(name)),
            Source::Bytes(_) => e,
        })
    }

    /// The file opened, or `None` for bytes in memory.
    fn open_file(self) -> io::Result<Option<File>> {
        match self {
            Source::Bytes(_) => Ok(None),
            Source::File { dir, name, .. } => self.named(dir.open_listed(name)).map(Some),
        }
    }

    fn open(self) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match (self, self.open_file()?) {
            (_, Some(file)) => Box::new(Named { file, source: self }),
            (Source::Bytes(bytes), None) => Box::new(bytes),
            (Source::File { .. }, None) => unreachable!("a file opens as one"),
        })
    }

    /// A reader of at most `limit` bytes, and no more than the listed size.
    fn open_listed(self, limit: u64) -> io::Result<Box<dyn Read + 'a>> {
        Ok(Box::new(self.open()?.take(limit.min(self.len()))))
    }

    /// The contents as far as the listed size; an empty file is not opened.
    fn read_listed(self) -> io::Result<Cow<'a, [u8]>> {
        match self {
            Source::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Source::File { len: 0, .. } => Ok(Cow::Borrowed(&[])),
            Source::File { len, .. } => {
                let mut contents = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
                self.open_listed(len)?.read_to_end(&mut contents)?;
                Ok(Cow::Owned(contents))
            }
        }
    }

    /// The whole contents, if they are at most `cap` bytes long.
    pub(crate) fn read_up_to(self, cap: u64) -> io::Result<Option<Cow<'a, [u8]>>> {
        if self.len() > cap {
            return Ok(None);
        }
        match self {
            Source::Bytes(bytes) => Ok(Some(Cow::Borrowed(bytes))),
            Source::File { len, .. } => {
                let mut contents = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
                // One byte past the cap tells a file that grew since it was listed.
                self.open()?
                    .take(cap.saturating_add(1))
                    .read_to_end(&mut contents)?;
                Ok((contents.len() as u64 <= cap).then_some(Cow::Owned(contents)))
            }
        }
    }

    /// At most `len` bytes from `offset`.
    pub(crate) fn read_at(self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        match (self, self.open_file()?) {
            (Source::Bytes(bytes), _) => {
                let start = bytes
                    .len()
                    .min(usize::try_from(offset).unwrap_or(usize::MAX));
                Ok(bytes[start..][..len.min(bytes.len() - start)].to_vec())
            }
            (_, file) => {
                let mut file = file.expect("a file opens as one");
                self.named(file.seek(SeekFrom::Start(offset)))?;
                let mut window = Vec::with_capacity(len);
                Named { file, source: self }
                    .take(len as u64)
                    .read_to_end(&mut window)?;
                Ok(window)
            }
        }
    }

    /// The file `entry` of the directory `walk` is in, `len` bytes long.
    pub(crate) fn listed(walk: &'a Walk, entry: &'a Entry, len: u64) -> Source<'a> {
        Source::File {
            dir: walk.dir(),
            at: walk.path(),
            name: &entry.name,
            len,
        }
    }
}

/// The snapshot folder directory read from last, kept open for its next
/// file: a folder's files are opened relative to their directory, which is
/// reached by name from the one before (a walk down the folder, as on the
/// actual side), never by its path, which may be longer than the system
/// takes.
#[derive(Default)]
pub(crate) struct StoredDirs {
    last: Option<Arc<StoredDir>>,
    at: Option<Position>,
}

/// Where in a snapshot folder the walk is.
struct Position {
    folder: PathBuf,
    walk: Walk,
    /// The directories entered below `folder`, the walk's one last.
    names: Vec<String>,
}

impl StoredDirs {
    /// The directory `dir` of a snapshot folder, open: the very one that
    /// was listed, or an error.
    pub(crate) fn open(&mut self, dir: &Arc<StoredDir>) -> io::Result<&Dir> {
        let open = matches!(&self.last, Some(last) if Arc::ptr_eq(last, dir) || **last == **dir);
        if !open {
            self.last = None;
            // Dropped on an error: the walk may be anywhere then.
            let at = reach(self.at.take(), dir).map_err(|e| not_listed(dir, Some(e)))?;
            if at.walk.dir().id().at("read directory", &dir.path)? != dir.id {
                return Err(not_listed(dir, None));
            }
            self.at = Some(at);
            self.last = Some(Arc::clone(dir));
        }
        Ok(self.at.as_ref().expect("just reached").walk.dir())
    }

    /// Where the expected bytes `contents` are, the file being `name`.
    pub(crate) fn source<'a>(
        &'a mut self,
        contents: &'a Contents,
        name: &'a str,
    ) -> io::Result<Source<'a>> {
        Ok(match contents {
            Contents::Bytes(bytes) => Source::Bytes(bytes),
            Contents::Stored { dir, len } => Source::File {
                dir: self.open(dir)?,
                at: &dir.path,
                name,
                len: *len,
            },
        })
    }
}

/// The error for a directory of a snapshot folder that is no longer the one
/// listed, or no longer reached by name (`cause`) as it was listed.
fn not_listed(dir: &StoredDir, cause: Option<io::Error>) -> io::Error {
    let because = cause.map(|e| format!(" ({e})")).unwrap_or_default();
    let replaced = io::Error::other(format!(
        "it is not the directory listed when the expectation was made (moved, or replaced \
         by a link since): make the expectation again{because}"
    ));
    error::at(replaced, "read directory", &dir.path)
}

/// A walk in the directory `dir` of a snapshot folder: from `at` if it is
/// in the same folder, up to the directory both are under and down from
/// there, else from the folder; each directory entered by name, never
/// through a link.
fn reach(at: Option<Position>, dir: &StoredDir) -> io::Result<Position> {
    let folder = dir
        .path
        .ancestors()
        .nth(dir.depth)
        .expect("a listed directory is under its folder");
    let below = dir.path.components().skip(folder.components().count());
    let names = below
        .map(|name| {
            name.as_os_str().to_str().ok_or_else(|| {
                let error = io::Error::new(io::ErrorKind::InvalidData, "its name is not UTF-8");
                error::at(error, "read directory", &dir.path)
            })
        })
        .collect::<io::Result<Vec<&str>>>()?;
    let mut at = match at {
        Some(at) if at.folder == folder => at,
        _ => Position {
            folder: folder.to_owned(),
            walk: Walk::new(folder)?,
            names: Vec::new(),
        },
    };
    let shared = at
        .names
        .iter()
        .zip(&names)
        .take_while(|(a, b)| a == *b)
        .count();
    while at.names.len() > shared {
        at.walk.leave()?;
        at.names.pop();
    }
    for name in &names[shared..] {
        at.walk.enter(name)?;
        at.names.push((*name).to_owned());
    }
    Ok(at)
}

/// An open file whose read errors name it.
struct Named<'a> {
    file: File,
    source: Source<'a>,
}

impl Read for Named<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.source.named(self.file.read(buf))
    }
}

/// Where `expected` and `actual` first differ, byte for byte; `None` when
/// they are the same file as `line_endings` says. Each is read only as far
/// as its listed size: one found shorter, changed since it was listed,
/// differs where it ends.
pub(crate) fn first_difference(
    expected: Source<'_>,
    actual: Source<'_>,
    line_endings: LineEndings,
) -> io::Result<Option<u64>> {
    if expected.len().max(actual.len()) <= WHOLE_READ {
        whole_difference(expected, actual, line_endings)
    } else {
        streamed_difference(expected, actual, line_endings)
    }
}

/// [`first_difference`] of contents read whole.
fn whole_difference(
    expected: Source<'_>,
    actual: Source<'_>,
    line_endings: LineEndings,
) -> io::Result<Option<u64>> {
    let (old, new) = (expected.read_listed()?, actual.read_listed()?);
    let same_text =
        || matches!((as_text(&old), as_text(&new)), (Some(a), Some(b)) if to_lf(a) == to_lf(b));
    let same = old == new || (line_endings == LineEndings::Any && same_text());
    Ok((!same).then(|| first_unequal(&old, &new) as u64))
}

/// [`first_difference`] of contents read a chunk at a time: by their bytes,
/// as far as the shorter goes, and then, where line endings do not count
/// and the bytes differ, as text.
fn streamed_difference(
    expected: Source<'_>,
    actual: Source<'_>,
    line_endings: LineEndings,
) -> io::Result<Option<u64>> {
    let shorter = expected.len().min(actual.len());
    let at = match streamed([expected, actual], shorter, false)? {
        None if expected.len() == actual.len() => return Ok(None),
        at => at.unwrap_or(shorter),
    };
    let any = line_endings == LineEndings::Any;
    let same_text = any && streamed([expected, actual], u64::MAX, true)?.is_none();
    Ok((!same_text).then_some(at))
}

/// Where two contents first differ, read a chunk at a time, each up to
/// `limit` bytes and its listed size: byte for byte, or with `text`, as UTF-8
/// without NUL bytes with CRLF read as LF (anything else differs, and the
/// offset counts that text).
fn streamed(sides: [Source<'_>; 2], limit: u64, text: bool) -> io::Result<Option<u64>> {
    let mut readers = [sides[0].open_listed(limit)?, sides[1].open_listed(limit)?];
    let mut chunk = vec![0; CHUNK];
    // Each side's bytes read and not yet compared, and whether it has more.
    let mut pending = [Vec::new(), Vec::new()];
    let mut more = [true; 2];
    let (mut offset, mut cut_char) = (0, Vec::new());
    loop {
        let mut read = false;
        for side in 0..2 {
            if more[side] && pending[side].len() < CHUNK {
                let n = fill(&mut readers[side], &mut chunk)?;
                (more[side], read) = (n == CHUNK, true);
                let from = pending[side].len().saturating_sub(1);
                pending[side].extend_from_slice(&chunk[..n]);
                if text {
                    crlf_as_lf(&mut pending[side], from);
                }
            }
        }
        // A CR at the end of what was read may start a CRLF: held back.
        let ready = |side: usize| {
            let held = text && more[side] && pending[side].last() == Some(&b'\r');
            pending[side].len() - usize::from(held)
        };
        let n = ready(0).min(ready(1));
        let (a, b) = (&pending[0][..n], &pending[1][..n]);
        if a != b || (text && !still_text(&mut cut_char, a)) {
            return Ok(Some(offset + first_unequal(a, b) as u64));
        }
        offset += n as u64;
        pending.iter_mut().for_each(|side| drop(side.drain(..n)));
        if n == 0 && !read {
            // Nothing more to compare: the same if both ended here.
            let same = pending.iter().all(Vec::is_empty) && cut_char.is_empty();
            return Ok((!same).then_some(offset));
        }
    }
}

/// Reads each CRLF of `buf` from `from` on as LF.
fn crlf_as_lf(buf: &mut Vec<u8>, from: usize) {
    let mut kept = from;
    for i in from..buf.len() {
        if !(buf[i] == b'\r' && buf.get(i + 1) == Some(&b'\n')) {
            buf[kept] = buf[i];
            kept += 1;
        }
    }
    buf.truncate(kept);
}

/// Whether `bytes` go on as UTF-8 without NUL bytes after `cut_char`, the
/// start of a character cut where the bytes before them ended; keeps the
/// start of one cut at their end.
fn still_text(cut_char: &mut Vec<u8>, bytes: &[u8]) -> bool {
    cut_char.extend_from_slice(bytes);
    let whole = match std::str::from_utf8(cut_char) {
        Ok(_) => cut_char.len(),
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => return false,
    };
    cut_char.drain(..whole);
    !bytes.contains(&0)
}

/// Reads until `buf` is full or the stream ends; how much was read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Where two unequal byte strings first differ: a byte, or the end of the shorter.
fn first_unequal(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{CHUNK, LineEndings, Source, streamed_difference, whole_difference};
    use crate::sys::Dir;

    /// Where `expected` and `actual` first differ, read whole and a chunk
    /// at a time alike.
    fn both(expected: Source<'_>, actual: Source<'_>, line_endings: LineEndings) -> Option<u64> {
        let whole = whole_difference(expected, actual, line_endings).unwrap();
        let streamed = streamed_difference(expected, actual, line_endings).unwrap();
        assert_eq!(whole, streamed, "read whole and a chunk at a time alike");
        whole
    }

    fn differ(a: &[u8], b: &[u8], line_endings: LineEndings) -> Option<u64> {
        both(Source::Bytes(a), Source::Bytes(b), line_endings)
    }

    /// Where two files written with `a` and `b` first differ, read from
    /// disk a chunk at a time, each listed with its size; and the same with
    /// the expected side in memory.
    fn differ_on_disk(a: &[u8], b: &[u8], line_endings: LineEndings) -> Option<u64> {
        let dir = crate::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), a).unwrap();
        std::fs::write(dir.path().join("b"), b).unwrap();
        let opened = Dir::open(dir.path()).unwrap();
        let file = |name, len: usize| Source::File {
            dir: &opened,
            at: dir.path(),
            name,
            len: len as u64,
        };
        let on_disk = both(file("a", a.len()), file("b", b.len()), line_endings);
        let one = both(Source::Bytes(a), file("b", b.len()), line_endings);
        assert_eq!(on_disk, one, "from disk and from memory alike");
        on_disk
    }

    #[test]
    fn files_on_disk_differ_past_the_first_chunk_and_at_the_last_byte() {
        let a = vec![7u8; 2 * CHUNK + 10];
        assert_eq!(differ_on_disk(&a, &a, LineEndings::Exact), None);
        let mut past_first = a.clone();
        past_first[CHUNK + 3] = 8;
        assert_eq!(
            differ_on_disk(&a, &past_first, LineEndings::Exact),
            Some(CHUNK as u64 + 3)
        );
        let mut last = a.clone();
        *last.last_mut().unwrap() = 8;
        assert_eq!(
            differ_on_disk(&a, &last, LineEndings::Exact),
            Some(a.len() as u64 - 1)
        );
        assert_eq!(
            differ_on_disk(&a, &last, LineEndings::Any),
            Some(a.len() as u64 - 1)
        );
    }

    #[test]
    fn sizes_decide_where_they_can_and_equal_text_of_other_sizes_is_equal() {
        // Different sizes: the shorter one ends where they differ.
        let a = vec![7u8; CHUNK + 1];
        assert_eq!(
            differ_on_disk(&a, &a[..CHUNK], LineEndings::Exact),
            Some(CHUNK as u64)
        );
        assert_eq!(differ_on_disk(b"", b"x", LineEndings::Exact), Some(0));
        assert_eq!(differ_on_disk(b"", b"", LineEndings::Exact), None);
        // Same text, other sizes: equal where line endings do not count.
        let lf = "line\n".repeat(CHUNK / 4);
        let crlf = "line\r\n".repeat(CHUNK / 4);
        assert_eq!(
            differ_on_disk(lf.as_bytes(), crlf.as_bytes(), LineEndings::Any),
            None
        );
        assert_eq!(
            differ_on_disk(lf.as_bytes(), crlf.as_bytes(), LineEndings::Exact),
            Some(4)
        );
        // Same size, one byte apart, is no text match either.
        assert_eq!(
            differ_on_disk(b"a\r\n", b"a\n\n", LineEndings::Any),
            Some(1)
        );
    }

    #[test]
    fn a_file_shorter_than_listed_differs_where_it_ends_and_is_read_no_further() {
        let dir = crate::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"12345").unwrap();
        let opened = Dir::open(dir.path()).unwrap();
        let listed = |len| Source::File {
            dir: &opened,
            at: Path::new("/listed"),
            name: "f",
            len,
        };
        // Changed since it was listed as 8 bytes long: it ends at byte 5.
        let expected = Source::Bytes(b"12345678");
        assert_eq!(both(expected, listed(8), LineEndings::Exact), Some(5));
        // Listed as 3 bytes: only those 3 are compared.
        let expected = Source::Bytes(b"123");
        assert_eq!(both(expected, listed(3), LineEndings::Exact), None);
        // An error names the file, as the listing spelled its directory.
        let gone = Source::File {
            dir: &opened,
            at: Path::new("/listed"),
            name: "gone",
            len: 1,
        };
        let missing = Path::new("/listed").join("gone").display().to_string();
        for error in [
            whole_difference(Source::Bytes(b"x"), gone, LineEndings::Exact).unwrap_err(),
            streamed_difference(Source::Bytes(b"x"), gone, LineEndings::Exact).unwrap_err(),
        ] {
            assert!(error.to_string().contains(&missing), "{error}");
        }
    }

    #[test]
    fn the_first_differing_byte_across_chunks() {
        let a = vec![7u8; 3 * CHUNK];
        let mut b = a.clone();
        assert_eq!(differ(&a, &b, LineEndings::Exact), None);
        b[2 * CHUNK + 5] = 8;
        assert_eq!(
            differ(&a, &b, LineEndings::Exact),
            Some(2 * CHUNK as u64 + 5)
        );
        assert_eq!(
            differ(&a, &a[..CHUNK], LineEndings::Exact),
            Some(CHUNK as u64)
        );
    }

    #[test]
    fn crlf_is_lf_in_text_only_even_where_a_chunk_ends_between_cr_and_lf() {
        let lf = "é\n".repeat(CHUNK);
        let crlf = "é\r\n".repeat(CHUNK);
        assert_eq!(
            differ(lf.as_bytes(), crlf.as_bytes(), LineEndings::Any),
            None
        );
        // One byte more in front: a chunk (a multiple of 4 bytes) ends between a CR and its LF.
        let (lf, crlf) = (format!("x{lf}"), format!("x{crlf}"));
        assert_eq!(crlf.as_bytes()[CHUNK - 1], b'\r');
        assert_eq!(
            differ(lf.as_bytes(), crlf.as_bytes(), LineEndings::Any),
            None
        );
        assert_eq!(differ(b"a\r\n", b"a\n", LineEndings::Exact), Some(1));
        assert_eq!(differ(b"a\r", b"a\n", LineEndings::Any), Some(1));
        assert_eq!(differ(b"\0a\r\n", b"\0a\n", LineEndings::Any), Some(2));
        assert_eq!(differ(b"\xffa\r\n", b"\xffa\n", LineEndings::Any), Some(2));
    }
}
