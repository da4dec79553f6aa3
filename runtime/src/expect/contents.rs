//! File contents without holding them whole: two contents compared a chunk
//! at a time (sizes first), CRLF read as LF on the way where line endings do
//! not count; and bounded reads for what needs the text itself.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use super::LineEndings;
use crate::error::IoResultExt;
use crate::tree::listing::{Entry, Walk};

/// How much of each side a comparison holds at a time: large enough that a
/// read costs little per byte, small enough to stay on any machine.
const CHUNK: usize = 64 * 1024;

/// Where a file's bytes are: in an expectation, or on disk.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    Bytes(&'a [u8]),
    /// A file of the directory a walk is in, and its size when it was listed.
    File {
        walk: &'a Walk,
        entry: &'a Entry,
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

    fn open(self) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Source::Bytes(bytes) => Box::new(bytes),
            Source::File { walk, entry, .. } => Box::new(walk.open_file(entry)?.0),
        })
    }

    /// The whole contents, if they are at most `cap` bytes long.
    pub(crate) fn read_up_to(self, cap: u64) -> io::Result<Option<Cow<'a, [u8]>>> {
        if self.len() > cap {
            return Ok(None);
        }
        match self {
            Source::Bytes(bytes) => Ok(Some(Cow::Borrowed(bytes))),
            Source::File { entry, .. } => {
                let mut contents = Vec::new();
                // One byte past the cap tells a file that grew since it was listed.
                self.open()?
                    .take(cap.saturating_add(1))
                    .read_to_end(&mut contents)
                    .at("read file", &entry.path)?;
                Ok((contents.len() as u64 <= cap).then_some(Cow::Owned(contents)))
            }
        }
    }

    /// At most `len` bytes from `offset`.
    pub(crate) fn read_at(self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        match self {
            Source::Bytes(bytes) => {
                let start = bytes
                    .len()
                    .min(usize::try_from(offset).unwrap_or(usize::MAX));
                Ok(bytes[start..][..len.min(bytes.len() - start)].to_vec())
            }
            Source::File { walk, entry, .. } => {
                let path = &entry.path;
                let (mut file, _) = walk.open_file(entry)?;
                file.seek(SeekFrom::Start(offset)).at("read file", path)?;
                let mut window = Vec::with_capacity(len);
                file.take(len as u64)
                    .read_to_end(&mut window)
                    .at("read file", path)?;
                Ok(window)
            }
        }
    }

    fn at_path(self, result: io::Result<Option<u64>>) -> io::Result<Option<u64>> {
        match self {
            Source::File { entry, .. } => result.at("read file", &entry.path),
            Source::Bytes(_) => result,
        }
    }
}

/// Where `expected` and `actual` first differ, byte for byte; `None` when
/// they are the same file as `line_endings` says.
pub(crate) fn first_difference(
    expected: Source<'_>,
    actual: Source<'_>,
    line_endings: LineEndings,
) -> io::Result<Option<u64>> {
    let exact = if expected.len() == actual.len() {
        actual.at_path(differ_at(expected.open()?, actual.open()?, |_| {}))?
    } else {
        // Up to the shorter length only: a huge file against a small one
        // costs the small one's size.
        let shorter = expected.len().min(actual.len());
        let at = actual.at_path(differ_at(
            expected.open()?.take(shorter),
            actual.open()?.take(shorter),
            |_| {},
        ))?;
        Some(at.unwrap_or(shorter))
    };
    if exact.is_none() || line_endings == LineEndings::Exact {
        return Ok(exact);
    }
    // CRLF and LF being ASCII, two files are the same text with CRLF read as
    // LF when their LF forms are equal and that common form is text.
    let mut text = TextCheck::default();
    let lf_equal = actual
        .at_path(differ_at(
            CrlfAsLf::new(expected.open()?),
            CrlfAsLf::new(actual.open()?),
            |chunk| text.feed(chunk),
        ))?
        .is_none();
    Ok(exact.filter(|_| !(lf_equal && text.finish())))
}

/// Where two streams first differ, `None` if nowhere; `same` sees each
/// chunk both hold.
fn differ_at(
    mut a: impl Read,
    mut b: impl Read,
    mut same: impl FnMut(&[u8]),
) -> io::Result<Option<u64>> {
    let (mut left, mut right) = (vec![0; CHUNK], vec![0; CHUNK]);
    let mut offset = 0;
    loop {
        let n = fill(&mut a, &mut left)?;
        let m = fill(&mut b, &mut right)?;
        if left[..n] != right[..m] {
            let at = left[..n]
                .iter()
                .zip(&right[..m])
                .position(|(x, y)| x != y)
                .unwrap_or(n.min(m));
            return Ok(Some(offset + at as u64));
        }
        same(&left[..n]);
        if n < CHUNK {
            return Ok(None);
        }
        offset += n as u64;
    }
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

/// A stream with each CRLF read as LF.
struct CrlfAsLf<R> {
    inner: BufReader<R>,
    /// A CR at the end of what was read: whether it starts a CRLF depends
    /// on the next byte.
    held_cr: bool,
}

impl<R: Read> CrlfAsLf<R> {
    fn new(inner: R) -> Self {
        CrlfAsLf {
            inner: BufReader::with_capacity(CHUNK, inner),
            held_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfAsLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.held_cr {
                self.held_cr = false;
                if self.inner.fill_buf()?.first() != Some(&b'\n') {
                    out[n] = b'\r';
                    n += 1;
                    continue;
                }
            }
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let chunk = &buf[..buf.len().min(out.len() - n)];
            let (kept, consumed) = match chunk.iter().position(|&b| b == b'\r') {
                Some(at) => {
                    self.held_cr = true;
                    (at, at + 1)
                }
                None => (chunk.len(), chunk.len()),
            };
            out[n..n + kept].copy_from_slice(&chunk[..kept]);
            n += kept;
            self.inner.consume(consumed);
        }
        Ok(n)
    }
}

/// Whether a stream fed in pieces is text as [`as_text`](super::line_endings::as_text)
/// says: UTF-8 without NUL bytes.
struct TextCheck {
    text: bool,
    /// The start of a character cut at the end of the last piece.
    carry: Vec<u8>,
}

impl Default for TextCheck {
    fn default() -> Self {
        TextCheck {
            text: true,
            carry: Vec::new(),
        }
    }
}

impl TextCheck {
    fn feed(&mut self, mut piece: &[u8]) {
        if !self.text || piece.contains(&0) {
            self.text = false;
            return;
        }
        while !self.carry.is_empty() && !piece.is_empty() {
            self.carry.push(piece[0]);
            piece = &piece[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_some() => self.text = false,
                Err(_) => {}
            }
        }
        match std::str::from_utf8(piece) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.carry = piece[e.valid_up_to()..].to_vec(),
            Err(_) => self.text = false,
        }
    }

    fn finish(self) -> bool {
        self.text && self.carry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, LineEndings, Source, first_difference};

    fn differ(a: &[u8], b: &[u8], line_endings: LineEndings) -> Option<u64> {
        first_difference(Source::Bytes(a), Source::Bytes(b), line_endings).unwrap()
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
        assert_eq!(differ(b"a\r\n", b"a\n", LineEndings::Exact), Some(1));
        assert_eq!(differ(b"a\r", b"a\n", LineEndings::Any), Some(1));
        assert_eq!(differ(b"\0a\r\n", b"\0a\n", LineEndings::Any), Some(2));
        assert_eq!(differ(b"\xffa\r\n", b"\xffa\n", LineEndings::Any), Some(2));
    }
}
