//! The unified diff of two texts, line by line, as `diff -u` prints it.
//!
//! Myers' greedy algorithm: the shortest edit script, in `O((N+M)·D)` time.
//! A report shows one such diff per file for files of at most
//! [`TEXT_BYTES`](super::super::limits::TEXT_BYTES), so this small,
//! non-generic version stands in for the `similar` crate: `similar` 3.2
//! (`std`, `text`) took 2.7 s of CPU to build and call, this module 0.4 s,
//! each measured alone in a clean debug build.
//! Past [`WORK`] steps the rest of the texts shows as replaced: a coarser
//! diff, never a wrong one, and the same in every run.

use std::collections::HashMap;

/// Lines of unchanged text around each change, as `diff -u` shows.
const CONTEXT: usize = 3;
/// Steps of the search at most (diagonals tried plus equal lines followed),
/// which also bounds what it keeps to walk back: about a tenth of a second.
const WORK: usize = 1 << 20;

/// The hunks of a unified diff from `old` to `new`, without its two file
/// headers; none if the texts are equal.
///
/// ```text
/// @@ -1,2 +1,2 @@
///  same
/// -old
/// +new
/// ```
pub(crate) fn hunks(old: &str, new: &str) -> Vec<String> {
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    // Each line as a number, equal lines the same: the search compares numbers.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |line| {
        let next = ids.len() as u32;
        *ids.entry(line).or_insert(next)
    };
    let old_ids: Vec<u32> = old.iter().map(|line| id(*line)).collect();
    let new_ids: Vec<u32> = new.iter().map(|line| id(*line)).collect();
    // Each line of the script: its marker, and how many lines of each text
    // come before it (a line only one text has: where it would be in the other).
    let (mut o, mut n) = (0, 0);
    let mut script = Vec::new();
    for marker in edits(&old_ids, &new_ids, WORK) {
        script.push((marker, o, n));
        o += usize::from(marker != '+');
        n += usize::from(marker != '-');
    }
    let changes: Vec<usize> = (0..script.len()).filter(|&i| script[i].0 != ' ').collect();
    let mut out = Vec::new();
    // Changes closer than twice the context share a hunk.
    for group in changes.chunk_by(|a, b| b - a <= 2 * CONTEXT + 1) {
        let start = group[0].saturating_sub(CONTEXT);
        let hunk = &script[start..(group[group.len() - 1] + CONTEXT + 1).min(script.len())];
        let len = |other: char| hunk.iter().filter(|line| line.0 != other).count();
        let (_, old_start, new_start) = hunk[0];
        let (old_range, new_range) = (range(old_start, len('+')), range(new_start, len('-')));
        out.push(format!("@@ -{old_range} +{new_range} @@"));
        for &(marker, o, n) in hunk {
            let line = if marker == '+' { new[n] } else { old[o] };
            let text = line.strip_suffix('\n').unwrap_or(line);
            out.push(format!("{marker}{text}"));
            if !line.ends_with('\n') {
                out.push("\\ No newline at end of file".to_owned());
            }
        }
    }
    out
}

/// `start,len` of a hunk, 1-based; an empty range names the line before it,
/// and a one-line range is its line alone.
fn range(start: usize, len: usize) -> String {
    match len {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        len => format!("{},{len}", start + 1),
    }
}

/// The edit script from `old` to `new`, a marker a line: ` ` for a line
/// both have, `-` for one only `old` has, `+` for one only `new` has, the
/// `-` of each change before its `+`. Between the lines both start and end
/// with, Myers' greedy search (1986, section 3): the furthest point reached
/// on each diagonal with d edits, for d = 0, 1, … until one is the end, each
/// row kept to walk the path back. Past `work` steps, the path to the point
/// furthest along, and the rest as replaced.
fn edits(old: &[u32], new: &[u32], mut work: usize) -> Vec<char> {
    let prefix = common(old.iter(), new.iter());
    let suffix = common(old[prefix..].iter().rev(), new[prefix..].iter().rev());
    let a = &old[prefix..old.len() - suffix];
    let b = &new[prefix..new.len() - suffix];
    let (n, m) = (a.len(), b.len());
    // trace[d][i]: the furthest x on diagonal k = 2i - d (so y = x + d - 2i);
    // `end`: the point of the last row furthest along within both texts, and its i.
    let mut trace: Vec<Vec<usize>> = Vec::new();
    let mut end = (0, 0, 0);
    while (end.0, end.1) != (n, m) && work > 0 {
        let d = trace.len();
        let mut row = Vec::with_capacity(d + 1);
        for i in 0..=d {
            let mut x = trace.last().map_or(0, |prev| edit(prev, i).2);
            let mut y = x + d - 2 * i;
            while x < n && y < m && a[x] == b[y] {
                (x, y) = (x + 1, y + 1);
                work = work.saturating_sub(1);
            }
            row.push(x);
            work = work.saturating_sub(1);
        }
        end = (0..=d)
            .map(|i| (row[i], row[i] + d - 2 * i, i))
            .filter(|&(x, y, _)| x <= n && y <= m)
            .max_by_key(|&(x, y, _)| x + y)
            .expect("some path of d edits stays within both texts");
        trace.push(row);
    }
    // Written from the end: the equal suffix, the rest past the work cap as
    // replaced, then back along the path each row's equal lines and the edit
    // before them, then the equal prefix.
    let (mut x, y, mut i) = end;
    let mut script = vec![' '; suffix];
    script.extend(vec!['+'; m - y].into_iter().chain(vec!['-'; n - x]));
    for d in (1..trace.len()).rev() {
        let (deleted, from, landed) = edit(&trace[d - 1], i);
        script.extend(vec![' '; x - landed]);
        script.push(if deleted { '-' } else { '+' });
        i -= usize::from(deleted);
        x = from;
    }
    script.extend(vec![' '; prefix + x]);
    script.reverse();
    // `-` sorts after `+`: in each run of edits, removals first.
    for run in script.chunk_by_mut(|a, b| *a != ' ' && *b != ' ') {
        run.sort_by(|a, b| b.cmp(a));
    }
    script
}

/// The d-th edit onto diagonal i of row d, from `prev` (row d - 1): a
/// deletion from the diagonal below (index i - 1) or an insertion from the
/// one above (index i), whichever reached further; whether it deletes, and
/// x before and after it.
fn edit(prev: &[usize], i: usize) -> (bool, usize, usize) {
    if i == prev.len() || (i > 0 && prev[i - 1] >= prev[i]) {
        (true, prev[i - 1], prev[i - 1] + 1)
    } else {
        (false, prev[i], prev[i])
    }
}

/// How many items two sequences share at their start.
fn common<'a>(a: impl Iterator<Item = &'a u32>, b: impl Iterator<Item = &'a u32>) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diff with headers `--- a` and `+++ b`.
    fn diff_of(old: &str, new: &str) -> String {
        let hunks = hunks(old, new);
        if hunks.is_empty() {
            return String::new();
        }
        format!("--- a\n+++ b\n{}", hunks.join("\n"))
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

    /// Applying the hunks to `old` gives `new`, changing no more lines than
    /// need be, for texts of every small shape.
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
                let diff = diff_of(old, new);
                assert_eq!(&apply(old, &diff), new, "{old:?} -> {new:?}");
                let changed = diff.lines().filter(|l| l.starts_with(['-', '+'])).count();
                assert_eq!(
                    changed,
                    fewest_changes(old, new) + 2 * usize::from(old != new)
                );
            }
        }
    }

    /// Lines a shortest diff changes: those outside a longest common subsequence.
    fn fewest_changes(old: &str, new: &str) -> usize {
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let b: Vec<&str> = new.split_inclusive('\n').collect();
        let mut lcs = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 0..a.len() {
            for j in 0..b.len() {
                lcs[i + 1][j + 1] = if a[i] == b[j] {
                    lcs[i][j] + 1
                } else {
                    lcs[i][j + 1].max(lcs[i + 1][j])
                };
            }
        }
        a.len() + b.len() - 2 * lcs[a.len()][b.len()]
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
    fn past_the_work_cap_the_path_so_far_then_the_rest_as_replaced() {
        let ids = |text: &str| text.bytes().map(u32::from).collect::<Vec<_>>();
        let edits =
            |old: &str, new: &str, work| String::from_iter(edits(&ids(old), &ids(new), work));
        // Equal at both ends; with no work at all, all between is replaced.
        assert_eq!(edits("a123z", "ax2yz", 0), " ---+++ ");
        // With a little, the first change is found and the rest replaced.
        assert_eq!(edits("a1234567z", "ax234567yz", 4), " -+      + ");
    }

    #[test]
    fn two_texts_of_a_mebibyte_with_no_line_in_common_cost_no_more_than_the_work_cap() {
        // Uncapped, D would reach 2 · 131,072 and the trace kept D²/2 words:
        // hours and hundreds of GiB. Capped: the path so far, then the rest.
        const LINES: usize = 1 << 17;
        let text = |side: char| {
            (0..LINES)
                .map(|i| format!("{side}{i:06}\n"))
                .collect::<String>()
        };
        let (old, new) = (text('a'), text('b'));
        assert_eq!(old.len(), 1 << 20);
        let started = std::time::Instant::now();
        let diff = hunks(&old, &new);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        assert_eq!(diff[0], format!("@@ -1,{LINES} +1,{LINES} @@"));
        assert_eq!(diff.len(), 1 + 2 * LINES);
        assert_eq!((&*diff[1], &*diff[1 + LINES]), ("-a000000", "+b000000"));
    }
}
