//! `matches(pattern)` against arbitrary text, through `check_tree` on a
//! one-file directory: never panics, stays fast on pathological patterns
//! (run with libFuzzer's `-timeout`), agrees with a plain reference matcher
//! written from the documented rules, and a mismatch report renders.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use fixtree::spec::matches;
use fixtree::{ExpectedTree, TempDir, check_tree};
use libfuzzer_sys::fuzz_target;

/// One directory for the whole run: a fresh one per input would measure mkdir.
fn dir() -> &'static TempDir {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    DIR.get_or_init(|| fixtree::tempdir().expect("a temporary directory"))
}

// The input is the pattern, a NUL byte, then the file's bytes: plain text,
// so that seeds are written by hand and crashes read as they are.
fuzz_target!(|data: &[u8]| {
    let (pattern, text) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let pattern = String::from_utf8_lossy(pattern);
    let file: PathBuf = dir().path().join("out.txt");
    std::fs::write(&file, text).expect("write the file");
    let expected = ExpectedTree::new()
        .with("out.txt", matches(pattern.as_ref()))
        .expect("a valid key");
    let result = check_tree(dir().path(), &expected);
    if let Err(diff) = &result {
        // The report normalizes the text by the pattern and diffs the two.
        let _ = diff.to_string();
    }
    // The reference is quadratic in the sizes; past this it would dominate the run.
    if pattern.len() * text.len() <= 1 << 20 {
        // A file that is not UTF-8 matches no pattern.
        // `[ROOT]` stands for the directory compared, which no input spells.
        let spelled = pattern.replace("[ROOT]", &dir().path().display().to_string());
        let want = std::str::from_utf8(text).is_ok_and(|text| reference(&spelled, text));
        assert_eq!(
            result.is_ok(),
            want,
            "matches({pattern:?}) on {:?}: reference says {want}",
            String::from_utf8_lossy(text)
        );
    }
});

/// The documented rules, by dynamic programming over whole positions, for a
/// pattern with `[ROOT]` spelled out: lines
/// split at '\n'; a line that is exactly "..." spans any number of lines;
/// in other lines "[..]" spans any run of characters within the line.
fn reference(pattern: &str, text: &str) -> bool {
    let p: Vec<&str> = pattern.split('\n').collect();
    let t: Vec<&str> = text.split('\n').collect();
    // ok[i][j]: pattern lines i.. match text lines j..
    let mut ok = vec![vec![false; t.len() + 1]; p.len() + 1];
    ok[p.len()][t.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=t.len()).rev() {
            ok[i][j] = if p[i] == "..." {
                ok[i + 1][j] || (j < t.len() && ok[i][j + 1])
            } else {
                j < t.len() && ok[i + 1][j + 1] && line(p[i], t[j])
            };
        }
    }
    ok[0][0]
}

/// One line against a pattern line, by bytes: `fits[k][s]` says parts k..
/// match `line[s..]`, the first part anchored at the start, the last at the end.
fn line(pattern: &str, line: &str) -> bool {
    let parts: Vec<&[u8]> = pattern.split("[..]").map(str::as_bytes).collect();
    let line = line.as_bytes();
    let n = line.len();
    let last = parts.len() - 1;
    let mut next = vec![false; n + 1];
    // A lone part (no wildcard) must be the whole line.
    for (k, part) in parts.iter().enumerate().rev() {
        let mut fits = vec![false; n + 2];
        for s in (0..=n).rev() {
            let here = line[s..].starts_with(part)
                && if k == last {
                    s + part.len() == n
                } else {
                    next[s + part.len()]
                };
            // Past the first part a wildcard precedes this one, so it may start later.
            fits[s] = here || (k > 0 && fits[s + 1]);
        }
        next = fits[..=n].to_vec();
    }
    next[0]
}
