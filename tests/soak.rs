//! A bounded soak of test directories, run by `.ci/soak`: two processes of
//! eight threads each create, fill, fail or pass, and so prune, the
//! directories of the same few tests in one `FIXTREE_DIR`, for
//! `SOAK_SECONDS` (default 30, at most 55). It fails on a directory shared
//! by two fixtures or pruned while in use (its files are checked before it
//! is let go), on any error fixtree prints, and on anything left at the end
//! beyond what retention keeps: at most `FIXTREE_RETAIN` directories per
//! test, and no hidden leftovers.

#[path = "it/support.rs"]
mod support;

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use fixtree::__private::Fixture;
use support::entries;

/// Set in a worker process: how many seconds to run for.
const WORKER: &str = "FIXTREE_SOAK_WORKER";
const PROCESSES: usize = 2;
const THREADS: usize = 8;
const RETAIN: usize = 3;
const NAMES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
/// What each directory holds while its test runs.
const FILES: [&str; 3] = ["a.txt", "b.txt", "token"];

#[test]
#[ignore = "a soak of about 30 s: run by .ci/soak"]
fn soak() {
    if let Ok(seconds) = std::env::var(WORKER) {
        let ops = work(Duration::from_secs(seconds.parse().expect("whole seconds")));
        println!("SOAK-OPS={ops}");
        return;
    }
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .map(|s| s.parse().expect("SOAK_SECONDS: whole seconds"))
        .unwrap_or(30)
        .clamp(1, 55);
    let base = fixtree::tempdir().unwrap();
    let started = Instant::now();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args(["soak", "--exact", "--ignored", "--nocapture"])
                .env(WORKER, seconds.to_string())
                .env("FIXTREE_DIR", base.path())
                .env("FIXTREE_RETAIN", RETAIN.to_string())
                .env_remove("FIXTREE_KEEP")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a worker")
        })
        .collect();
    let mut ops = 0;
    for worker in workers {
        let out = worker.wait_with_output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "a worker failed:\n{stdout}\n{stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("fixtree:") && !l.starts_with("fixtree: kept "))
            .collect();
        assert!(
            errors.is_empty(),
            "fixtree reported errors:\n{}",
            errors.join("\n")
        );
        let count = stdout.lines().find_map(|l| l.strip_prefix("SOAK-OPS="));
        ops += count.expect("the worker's count").parse::<usize>().unwrap();
    }
    let elapsed = started.elapsed();
    assert_left_within_retention(base.path());
    println!(
        "soak: {ops} fixture directories in {:.1} s ({PROCESSES} processes × {THREADS} threads, {} tests, FIXTREE_RETAIN={RETAIN})",
        elapsed.as_secs_f64(),
        NAMES.len()
    );
}

/// One worker process: its threads run the tests until `length` is up;
/// returns how many runs they made.
fn work(length: Duration) -> usize {
    let deadline = Instant::now() + length;
    thread::scope(|scope| {
        let threads: Vec<_> = (0..THREADS)
            .map(|thread| scope.spawn(move || run_tests(thread, deadline)))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).sum()
    })
}

fn run_tests(thread: usize, deadline: Instant) -> usize {
    let mut runs = 0;
    // A cheap spread over names, outcomes and pauses; no randomness needed.
    let mut state = ((std::process::id() as usize) ^ (thread << 16)) | 1;
    while Instant::now() < deadline {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let fixture = Fixture::new("soak", NAMES[state % NAMES.len()], false);
        let token = format!("{}.{thread}.{runs}", std::process::id());
        for name in FILES {
            fs::write(fixture.path().join(name), &token).unwrap();
        }
        thread::sleep(Duration::from_micros((state % 500) as u64));
        // Still whole and still ours: no other fixture got this directory,
        // and no run pruned it while it was in use.
        assert_eq!(
            entries(fixture.path()),
            FILES,
            "{}",
            fixture.path().display()
        );
        let token_now = fs::read_to_string(fixture.path().join("token")).unwrap();
        assert_eq!(token_now, token, "{}", fixture.path().display());
        let outcome = if state % 2 == 0 {
            Err("failed on purpose")
        } else {
            Ok(())
        };
        let _ = fixture.finish(outcome);
        runs += 1;
    }
    runs
}

/// At most `RETAIN` directories of each test, in the crate's directory,
/// and nothing else.
fn assert_left_within_retention(base: &Path) {
    let group = support::group(base);
    let group_name = group.file_name().unwrap().to_string_lossy();
    assert_eq!(entries(base), [group_name], "left in the base");
    let mut per_test: HashMap<String, usize> = HashMap::new();
    for name in entries(&group).into_iter().filter(|name| name != "CRATE") {
        let stem = name.rsplit_once('.').map(|(stem, _)| stem.to_owned());
        let test = stem.filter(|s| s.starts_with("soak.") && !name.starts_with('.'));
        let test = test.unwrap_or_else(|| panic!("left in the base: {name}"));
        *per_test.entry(test).or_default() += 1;
    }
    let over: Vec<_> = per_test.iter().filter(|(_, n)| **n > RETAIN).collect();
    assert!(
        over.is_empty(),
        "more than FIXTREE_RETAIN={RETAIN} left: {over:?}"
    );
}
