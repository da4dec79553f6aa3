//! The unified diff of two texts, line by line, as `diff -u` prints it.
//!
//! Myers' algorithm in linear space (the middle snake, divide and conquer):
//! the shortest edit script, in `O((N+M)·D)` time. A report shows one such
//! diff per file for files of at most [`TEXT_BYTES`](super::super::limits::TEXT_BYTES),
//! so this small, non-generic version replaces the `similar` crate, which
//! was a sixth of fixtree's build time. Past a deadline the rest of the
//! texts shows as replaced: a coarser diff, never a wrong one.

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

/// Lines of unchanged text around each change, as `diff -u` shows.
const CONTEXT: usize = 3;

/// The lines of a unified diff from `old` to `new` (headers `--- {old_name}`
/// and `+++ {new_name}`, then hunks); none if the texts are equal. A change
/// still unresolved at `deadline` shows as replacing what remains of it.
///
/// ```text
/// --- expected/a.txt
/// +++ actual/a.txt
/// @@ -1,2 +1,2 @@
///  same
/// -old
/// +new
/// ```
pub(crate) fn unified(
    old: &str,
    new: &str,
    old_name: &str,
    new_name: &str,
    deadline: Instant,
) -> Vec<String> {
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    let (old_ids, new_ids) = interned(&old, &new);
    let chunks = diff(&old_ids, &new_ids, deadline);
    let hunks = hunks(&chunks);
    if hunks.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("--- {old_name}"), format!("+++ {new_name}")];
    for hunk in hunks {
        let (first, last) = (&hunk[0], &hunk[hunk.len() - 1]);
        out.push(format!(
            "@@ -{} +{} @@",
            range(first.old.start, last.old.end),
            range(first.new.start, last.new.end)
        ));
        for chunk in hunk {
            if chunk.equal {
                lines(&mut out, ' ', &old[chunk.old.clone()]);
            } else {
                lines(&mut out, '-', &old[chunk.old.clone()]);
                lines(&mut out, '+', &new[chunk.new.clone()]);
            }
        }
    }
    out
}

/// `start,len` of a hunk, 1-based; an empty range names the line before it,
/// and a one-line range is its line alone.
fn range(start: usize, end: usize) -> String {
    match end - start {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        len => format!("{},{len}", start + 1),
    }
}

/// Each line with its marker, and a last line without its newline said so.
fn lines(out: &mut Vec<String>, marker: char, lines: &[&str]) {
    for line in lines {
        match line.strip_suffix('\n') {
            Some(text) => out.push(format!("{marker}{text}")),
            None => {
                out.push(format!("{marker}{line}"));
                out.push("\\ No newline at end of file".to_owned());
            }
        }
    }
}

/// Each line as a number, equal lines the same number: the search compares
/// numbers instead of strings.
fn interned(old: &[&str], new: &[&str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |line| {
        let next = ids.len() as u32;
        *ids.entry(line).or_insert(next)
    };
    let old = old.iter().map(|line| id(*line)).collect();
    let new = new.iter().map(|line| id(*line)).collect();
    (old, new)
}

/// Lines `old` of the old text and `new` of the new: equal, or the first
/// replaced by the second (either may be empty).
#[derive(Debug, Clone, PartialEq)]
struct Chunk {
    equal: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// What is left to do, in order: a pair of ranges to diff, or a run of
/// equal lines found before diffing what lies between.
enum Task {
    Diff(Range<usize>, Range<usize>),
    Equal(Range<usize>, Range<usize>),
}

/// The edit script from `old` to `new`: equal and changed chunks in order,
/// never two changed ones in a row. A stack of tasks rather than recursion,
/// as a script of many small changes would split deeply.
fn diff(old: &[u32], new: &[u32], deadline: Instant) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let size = 2 * max_d(old.len(), new.len()) + 1;
    let (mut forward, mut backward) = (vec![0; size], vec![0; size]);
    let mut tasks = vec![Task::Diff(0..old.len(), 0..new.len())];
    while let Some(task) = tasks.pop() {
        let (mut o, mut n) = match task {
            Task::Equal(o, n) => {
                push(&mut chunks, true, o, n);
                continue;
            }
            Task::Diff(o, n) => (o, n),
        };
        let prefix = common(old[o.clone()].iter(), new[n.clone()].iter());
        push(
            &mut chunks,
            true,
            o.start..o.start + prefix,
            n.start..n.start + prefix,
        );
        (o.start, n.start) = (o.start + prefix, n.start + prefix);
        let suffix = common(old[o.clone()].iter().rev(), new[n.clone()].iter().rev());
        tasks.push(Task::Equal(o.end - suffix..o.end, n.end - suffix..n.end));
        (o.end, n.end) = (o.end - suffix, n.end - suffix);
        if o.is_empty() || n.is_empty() || Instant::now() >= deadline {
            push(&mut chunks, false, o, n);
            continue;
        }
        match middle_snake(
            &old[o.clone()],
            &new[n.clone()],
            &mut forward,
            &mut backward,
            deadline,
        ) {
            Some((x, y)) => {
                tasks.push(Task::Diff(o.start + x..o.end, n.start + y..n.end));
                tasks.push(Task::Diff(o.start..o.start + x, n.start..n.start + y));
            }
            None => push(&mut chunks, false, o, n),
        }
    }
    chunks
}

/// Appends a chunk, joined to the last one if of the same kind and empty
/// ones left out.
fn push(chunks: &mut Vec<Chunk>, equal: bool, old: Range<usize>, new: Range<usize>) {
    if old.is_empty() && new.is_empty() {
        return;
    }
    match chunks.last_mut() {
        Some(last) if last.equal == equal => {
            last.old.end = old.end;
            last.new.end = new.end;
        }
        _ => chunks.push(Chunk { equal, old, new }),
    }
}

/// How many items two sequences share at their start.
fn common<'a>(a: impl Iterator<Item = &'a u32>, b: impl Iterator<Item = &'a u32>) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

/// A point on a shortest edit path from the start of both to their ends,
/// splitting the problem in two (Myers 1986, section 4b); `None` at the
/// deadline. Both texts are non-empty; `forward` and `backward` hold at
/// least `2 max_d + 1` items.
fn middle_snake(
    old: &[u32],
    new: &[u32],
    forward: &mut [usize],
    backward: &mut [usize],
    deadline: Instant,
) -> Option<(usize, usize)> {
    let (n, m) = (old.len() as isize, new.len() as isize);
    let delta = n - m;
    let odd = delta & 1 == 1;
    // Diagonal k (-d-1..=d+1) at index k + offset.
    let offset = max_d(old.len(), new.len()) as isize;
    let at = |k: isize| (k + offset) as usize;
    forward[at(1)] = 0;
    backward[at(1)] = 0;
    for d in 0..offset {
        if Instant::now() >= deadline {
            return None;
        }
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && forward[at(k - 1)] < forward[at(k + 1)]) {
                forward[at(k + 1)] as isize
            } else {
                forward[at(k - 1)] as isize + 1
            };
            let (x0, y0) = (x, x - k);
            let mut y = y0;
            while x < n && y < m && old[x as usize] == new[y as usize] {
                (x, y) = (x + 1, y + 1);
            }
            forward[at(k)] = x as usize;
            if odd && (k - delta).abs() < d && x + backward[at(delta - k)] as isize >= n {
                return Some((x0 as usize, y0 as usize));
            }
        }
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && backward[at(k - 1)] < backward[at(k + 1)]) {
                backward[at(k + 1)] as isize
            } else {
                backward[at(k - 1)] as isize + 1
            };
            let mut y = x - k;
            while x < n && y < m && old[(n - x - 1) as usize] == new[(m - y - 1) as usize] {
                (x, y) = (x + 1, y + 1);
            }
            backward[at(k)] = x as usize;
            if !odd && (k - delta).abs() <= d && x + forward[at(delta - k)] as isize >= n {
                return Some(((n - x) as usize, (m - y) as usize));
            }
        }
    }
    unreachable!("a path of at most N + M steps always meets in the middle")
}

/// One more than the most steps either half of a search takes.
fn max_d(old: usize, new: usize) -> usize {
    (old + new).div_ceil(2) + 1
}

/// Chunks grouped into hunks: each change with up to [`CONTEXT`] equal
/// lines either side; changes closer than twice that share a hunk.
fn hunks(chunks: &[Chunk]) -> Vec<Vec<Chunk>> {
    let mut hunks = Vec::new();
    let mut hunk: Vec<Chunk> = Vec::new();
    let last = chunks.len().saturating_sub(1);
    for (i, chunk) in chunks.iter().enumerate() {
        if !chunk.equal {
            hunk.push(chunk.clone());
            continue;
        }
        let len = chunk.old.len();
        // Context after the previous change, and before the next one.
        let after = if i == 0 { 0 } else { len.min(CONTEXT) };
        let before = if i == last { 0 } else { len.min(CONTEXT) };
        if i > 0 && i < last && len <= 2 * CONTEXT {
            hunk.push(chunk.clone());
            continue;
        }
        if after > 0 {
            hunk.push(equal(chunk, 0, after));
        }
        if !hunk.is_empty() {
            hunks.push(std::mem::take(&mut hunk));
        }
        if before > 0 {
            hunk.push(equal(chunk, len - before, len));
        }
    }
    if hunk.iter().any(|chunk| !chunk.equal) {
        hunks.push(hunk);
    }
    hunks
}

/// Lines `from..to` of an equal chunk.
fn equal(chunk: &Chunk, from: usize, to: usize) -> Chunk {
    Chunk {
        equal: true,
        old: chunk.old.start + from..chunk.old.start + to,
        new: chunk.new.start + from..chunk.new.start + to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn diff_of(old: &str, new: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        unified(old, new, "a", "b", deadline).join("\n")
    }

    /// Lines `from` to `to`: `"L1\nL2\n…"`.
    fn numbered(from: usize, to: usize) -> String {
        (from..=to).map(|i| format!("L{i}\n")).collect()
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff_of("a\nb\n", "a\nb\n"), "");
        assert_eq!(diff_of("", ""), "");
    }

    #[test]
    fn a_changed_line_shows_with_three_lines_of_context() {
        let old = numbered(1, 9);
        let new = old.replace("L5\n", "five\n");
        assert_eq!(
            diff_of(&old, &new),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n L2\n L3\n L4\n-L5\n+five\n L6\n L7\n L8"
        );
    }

    #[test]
    fn changes_far_apart_are_separate_hunks_and_near_ones_share_one() {
        let old = numbered(1, 20);
        let far = old.replace("L2\n", "two\n").replace("L19\n", "nineteen\n");
        assert_eq!(
            diff_of(&old, &far),
            "--- a\n+++ b\n@@ -1,5 +1,5 @@\n L1\n-L2\n+two\n L3\n L4\n L5\n\
             @@ -16,5 +16,5 @@\n L16\n L17\n L18\n-L19\n+nineteen\n L20"
        );
        // Six equal lines between two changes: one hunk.
        let near = old.replace("L2\n", "two\n").replace("L9\n", "nine\n");
        assert!(diff_of(&old, &near).matches("@@ -").count() == 1);
        let apart = old.replace("L2\n", "two\n").replace("L10\n", "ten\n");
        assert!(diff_of(&old, &apart).matches("@@ -").count() == 2);
    }

    #[test]
    fn insertions_and_deletions_name_empty_ranges_by_the_line_before() {
        assert_eq!(diff_of("", "a\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+a");
        assert_eq!(
            diff_of("a\nb\n", ""),
            "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b"
        );
        assert_eq!(
            diff_of("a\nc\n", "a\nb\nc\n"),
            "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n+b\n c"
        );
    }

    #[test]
    fn a_missing_final_newline_is_said() {
        assert_eq!(
            diff_of("a\n", "a"),
            "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file"
        );
        assert_eq!(
            diff_of("x\na", "y\na"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n a\n\\ No newline at end of file"
        );
    }

    #[test]
    fn removals_come_before_additions_in_a_change() {
        assert_eq!(
            diff_of("a\nb\nc\n", "x\nb\ny\n"),
            "--- a\n+++ b\n@@ -1,3 +1,3 @@\n-a\n+x\n b\n-c\n+y"
        );
        assert_eq!(
            diff_of("a\nb\n", "c\nd\n"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d"
        );
    }

    #[test]
    fn the_diff_is_a_shortest_one() {
        // Every line of `new` but the moved one is kept.
        let old = numbered(1, 8);
        let new = format!("L8\n{}", numbered(1, 7));
        let diff = diff_of(&old, &new);
        let changed = diff
            .lines()
            .skip(2)
            .filter(|l| l.starts_with(['-', '+']))
            .count();
        assert_eq!(changed, 2, "{diff}");
    }

    /// Applying the hunks to `old` gives `new`, for texts of every small shape.
    #[test]
    fn the_diff_turns_old_into_new() {
        let words = ["a\n", "b\n", "c\n", "a"];
        let texts: Vec<String> = (0..5_u32.pow(4))
            .map(|n| {
                (0..4)
                    .filter_map(|i| words.get((n / 5_u32.pow(i) % 5) as usize).copied())
                    .collect()
            })
            .collect();
        for old in &texts {
            for new in texts.iter().step_by(7) {
                assert_eq!(&apply(old, &diff_of(old, new)), new, "{old:?} -> {new:?}");
            }
        }
    }

    /// `old` with a diff's hunks applied (context checked).
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut at = 0;
        let lines: Vec<&str> = diff.lines().skip(2).collect();
        for (i, line) in lines.iter().enumerate() {
            let newline = if lines.get(i + 1) == Some(&"\\ No newline at end of file") {
                ""
            } else {
                "\n"
            };
            if let Some(header) = line.strip_prefix("@@ -") {
                let start: usize = header.split([',', ' ']).next().unwrap().parse().unwrap();
                let start = if header.split(' ').next().unwrap().ends_with(",0") {
                    start
                } else {
                    start - 1
                };
                out.extend(old[at..start].iter().copied());
                at = start;
            } else if let Some(text) = line.strip_prefix(' ') {
                assert_eq!(old[at], format!("{text}{newline}"));
                out.push_str(old[at]);
                at += 1;
            } else if let Some(text) = line.strip_prefix('-') {
                assert_eq!(old[at], format!("{text}{newline}"));
                at += 1;
            } else if let Some(text) = line.strip_prefix('+') {
                out.push_str(&format!("{text}{newline}"));
            }
        }
        out.extend(old[at..].iter().copied());
        out
    }

    #[test]
    fn past_the_deadline_the_rest_shows_as_replaced() {
        let old = numbered(1, 5);
        let new = numbered(1, 5).replace("L2\n", "x\n").replace("L4\n", "y\n");
        let lines = unified(&old, &new, "a", "b", Instant::now());
        assert_eq!(
            lines.join("\n"),
            "--- a\n+++ b\n@@ -1,5 +1,5 @@\n L1\n-L2\n-L3\n-L4\n+x\n+L3\n+y\n L5"
        );
    }
}
