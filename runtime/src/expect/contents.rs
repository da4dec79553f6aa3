//! What an expected file holds ([`Contents`], [`ModeCheck`]), and reading
//! it: two contents compared whole when small, else a chunk at a time, each
//! only as far as its listed size; and bounded reads for what needs the
//! text itself.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::LineEndings;
use super::limits::WHOLE_READ;
use crate::error::{self, IoResultExt};
use crate::sys::{Dir, DirId};
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
    pub(crate) fn given(&self) -> Given<'_> {
        match self {
            Contents::Bytes(bytes) => Given::Bytes(bytes),
            Contents::Stored { dir, len } => Given::Stored(dir, *len),
        }
    }
}

/// Expected bytes, borrowed from a [`Contents`] or a [`Node`](crate::Node).
#[derive(Clone, Copy)]
pub(crate) enum Given<'a> {
    Bytes(&'a [u8]),
    Stored(&'a Arc<StoredDir>, u64),
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
            Contents::Stored { dir, len } => write!(f, "Stored({:?}, {len})", dir.path),
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
const CHUNK: usize = 64 * 1024;

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

    /// At most `len` bytes from `offset`, and none past the listed size: a
    /// file is opened for each read (never through a link), its errors
    /// naming it, and one found shorter than listed reads as ended.
    pub(crate) fn read_at(self, offset: u64, len: u64) -> io::Result<Cow<'a, [u8]>> {
        let len = len.min(self.len().saturating_sub(offset));
        let (dir, at, name) = match self {
            Source::Bytes(bytes) => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                return Ok(Cow::Borrowed(&bytes[start..][..len as usize]));
            }
            Source::File { .. } if len == 0 => return Ok(Cow::Borrowed(&[])),
            Source::File { dir, at, name, .. } => (dir, at, name),
        };
        let mut read = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        (dir.open_listed(name))
            .and_then(|mut file| file.seek(SeekFrom::Start(offset)).map(|_| file))
            .and_then(|file| file.take(len).read_to_end(&mut read))
            .map_err(|e| error::at(e, "read file", &at.join(name)))?;
        Ok(Cow::Owned(read))
    }

    /// The whole contents, if they are at most `cap` bytes long.
    pub(crate) fn read_up_to(self, cap: u64) -> io::Result<Option<Cow<'a, [u8]>>> {
        (self.len() <= cap)
            .then(|| self.read_at(0, cap))
            .transpose()
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

/// A walk in the snapshot folder directory read from last, kept there for
/// its next file: a folder's files are opened relative to their directory,
/// which is reached by name from the one before (a walk down the folder,
/// as on the actual side), never by its path, which may be longer than the
/// system takes.
#[derive(Default)]
pub(crate) struct StoredDirs(Option<(Arc<StoredDir>, Walk)>);

impl StoredDirs {
    /// Where the expected bytes `contents` are, the file being `name`; a
    /// stored directory must be the very one that was listed.
    pub(crate) fn source<'a>(
        &'a mut self,
        contents: Given<'a>,
        name: &'a str,
    ) -> io::Result<Source<'a>> {
        let (dir, len) = match contents {
            Given::Bytes(bytes) => return Ok(Source::Bytes(bytes)),
            Given::Stored(dir, len) => (dir, len),
        };
        if !matches!(&self.0, Some((last, _)) if **last == **dir) {
            // Taken, and dropped on an error: the walk may be anywhere then.
            let walk = reach(self.0.take(), dir).map_err(|e| not_listed(dir, Some(e)))?;
            if walk.dir().id().at("read directory", &dir.path)? != dir.id {
                return Err(not_listed(dir, None));
            }
            self.0 = Some((Arc::clone(dir), walk));
        }
        let walk = &self.0.as_ref().expect("just reached").1;
        let (dir, at) = (walk.dir(), &dir.path);
        Ok(Source::File { dir, at, name, len })
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

/// The folder a listed directory is in, and the names leading down to it.
fn below(dir: &StoredDir) -> (&Path, Vec<String>) {
    let folder =
        (dir.path.ancestors().nth(dir.depth)).expect("a listed directory is in its folder");
    let names = dir.path.components().skip(folder.components().count());
    // Listed names are UTF-8: a lossy one would only fail to open.
    (
        folder,
        names
            .map(|name| name.as_os_str().to_string_lossy().into_owned())
            .collect(),
    )
}

/// A walk in the directory `dir` of a snapshot folder: from `at` if it is
/// in the same folder, up to the directory both are under and down from
/// there, else from the folder; each directory entered by name, never
/// through a link.
fn reach(at: Option<(Arc<StoredDir>, Walk)>, dir: &StoredDir) -> io::Result<Walk> {
    let (folder, names) = below(dir);
    let (mut walk, now) = match at {
        Some((last, walk)) if below(&last).0 == folder => (walk, below(&last).1),
        _ => (Walk::new(folder)?, Vec::new()),
    };
    let shared = now.iter().zip(&names).take_while(|(a, b)| a == b).count();
    for _ in shared..now.len() {
        walk.leave()?;
    }
    for name in &names[shared..] {
        walk.enter(name)?;
    }
    Ok(walk)
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
    if expected.len().max(actual.len()) > WHOLE_READ {
        return streamed_difference(expected, actual, line_endings);
    }
    // Small enough to read whole: one read of each file, compared in memory.
    let (old, new) = (
        expected.read_at(0, WHOLE_READ)?,
        actual.read_at(0, WHOLE_READ)?,
    );
    streamed_difference(Source::Bytes(&old), Source::Bytes(&new), line_endings)
}

/// [`first_difference`] of contents read a chunk at a time: by their bytes,
/// and then, where line endings do not count and the bytes differ, as text.
fn streamed_difference(
    expected: Source<'_>,
    actual: Source<'_>,
    line_endings: LineEndings,
) -> io::Result<Option<u64>> {
    let Some(at) = streamed([expected, actual], false)? else {
        return Ok(None);
    };
    let any = line_endings == LineEndings::Any;
    Ok((!any || streamed([expected, actual], true)?.is_some()).then_some(at))
}

/// Where two contents first differ, read a chunk at a time, each up to its
/// listed size: byte for byte, or with `text`, as UTF-8 without NUL bytes
/// with CRLF read as LF (anything else differs, and the offset counts that
/// text).
fn streamed(sides: [Source<'_>; 2], text: bool) -> io::Result<Option<u64>> {
    // Where each side ends (sooner if it turns out shorter than listed),
    // how much of it was read, and what was read and not yet compared.
    let mut ends = sides.map(Source::len);
    let mut read = [0; 2];
    let mut pending = [Vec::new(), Vec::new()];
    let (mut offset, mut cut_char) = (0, Vec::new());
    loop {
        let mut reading = false;
        for side in 0..2 {
            if read[side] < ends[side] && pending[side].len() < CHUNK {
                let chunk = sides[side].read_at(read[side], CHUNK as u64)?;
                read[side] += chunk.len() as u64;
                if chunk.len() < CHUNK {
                    ends[side] = read[side];
                }
                let from = pending[side].len().saturating_sub(1);
                pending[side].extend_from_slice(&chunk);
                if text {
                    crlf_as_lf(&mut pending[side], from);
                }
                reading = true;
            }
        }
        // A CR at the end of what was read may start a CRLF: held back.
        let ready = |side: usize| {
            let held = text && read[side] < ends[side] && pending[side].last() == Some(&b'\r');
            pending[side].len() - usize::from(held)
        };
        let n = ready(0).min(ready(1));
        let (a, b) = (&pending[0][..n], &pending[1][..n]);
        if a != b || (text && !still_text(&mut cut_char, a)) {
            return Ok(Some(offset + first_unequal(a, b) as u64));
        }
        offset += n as u64;
        pending.iter_mut().for_each(|side| drop(side.drain(..n)));
        if n == 0 && !reading {
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

    use super::{CHUNK, LineEndings, Source, first_difference, streamed_difference};
    use crate::sys::Dir;

    /// Where `expected` and `actual` first differ, read whole and a chunk
    /// at a time alike.
    fn both(expected: Source<'_>, actual: Source<'_>, line_endings: LineEndings) -> Option<u64> {
        let whole = first_difference(expected, actual, line_endings).unwrap();
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
            first_difference(Source::Bytes(b"x"), gone, LineEndings::Exact).unwrap_err(),
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
