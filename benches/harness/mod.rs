//! The comparison harness shared by the benches: candidates run interleaved,
//! round-robin (a batch of A, a batch of B, a batch of A, ...), and each is
//! reported as its median time per operation and as a ratio to the case's
//! anchor measured in the same run.
//!
//! File-system timings drift (page cache, journal commits, other processes), so
//! no candidate gets a quiet stretch of its own: every round runs one batch of
//! each, starting with a different candidate each round. Two ratios are shown:
//! the ratio of the medians, and the median of the per-round ratios (each
//! candidate against the anchor batch of the same round), which cancels drift
//! slower than a round.
//!
//! A case may also have a floor ([`Bench::case_with_floor`]): the bare system
//! calls the operation cannot do without (`mkdir` + `rmdir` for a directory),
//! measured in the same rounds; every candidate is then also shown as a ratio
//! to it, which says how much of the cost is the library's own.
//!
//! Modes:
//! - `cargo bench` passes `--bench`: full measurement.
//! - `--candidates CASE`: prints the candidates of the case named exactly
//!   CASE, one a line, `anchor`, `candidate` or `floor`, a tab, and the
//!   name; measures nothing.
//! - `--count=N --candidate=NAME CASE`: for `valgrind --tool=callgrind`
//!   (benches/callgrind.sh): runs only that candidate of the case named
//!   exactly CASE, at the full sizes, once to warm up and then N operations.
//!   Only the operation itself runs inside [`timed`], so
//!   `--toggle-collect='*harness::timed*'` counts its instructions alone, as
//!   the clock counts its time alone.
//! - anything else (`cargo test --all-targets` runs bench targets too): smoke
//!   mode, every candidate once on tiny inputs, to prove it runs; well under 2 s.
//!
//! Arguments that do not start with `-` filter cases by substring
//! (`cargo bench --bench trees -- compare`). Environment: `FIXTREE_BENCH_ROUNDS`
//! (default 31) and `FIXTREE_BENCH_BATCH_MS` (default 20), the target length of
//! one batch; an operation slower than that runs once per batch.

pub mod floor;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One way of doing a case's operation: given a number of operations, does
/// them and returns the time they took (setup and teardown that should not
/// count are left out of it by the closure).
pub type Run<'a> = Box<dyn FnMut(u64) -> Duration + 'a>;

/// What the command line asked for.
pub struct Bench {
    /// The full sizes are wanted (`--bench`, `--count`, `--candidates`);
    /// otherwise smoke-test on tiny inputs.
    pub full: bool,
    mode: Mode,
    filters: Vec<String>,
    rounds: usize,
    batch: Duration,
    printed_header: bool,
    smoke_started: Instant,
    results: Vec<Measured>,
}

enum Mode {
    Smoke,
    Measure,
    List,
    Count { ops: u64, candidate: String },
}

/// One candidate's median time per operation in a measured case.
pub struct Measured {
    pub case: String,
    pub candidate: String,
    pub ns_per_op: f64,
}

impl Bench {
    /// Reads the arguments and environment; prints where temporary files go.
    pub fn from_args(title: &str) -> Bench {
        let args: Vec<String> = std::env::args().skip(1).collect();
        // Test runners (cargo-nextest) ask a binary to list its tests first:
        // a benchmark lists none, so it is not run as a test there.
        if args.iter().any(|a| a == "--list") {
            std::process::exit(0);
        }
        let value = |flag: &str| {
            args.iter()
                .find_map(|a| a.strip_prefix(flag)?.strip_prefix('='))
                .map(str::to_owned)
        };
        let mode = if let Some(ops) = value("--count") {
            let ops = ops
                .parse()
                .unwrap_or_else(|_| panic!("--count={ops:?}: expected a whole number"));
            let candidate = value("--candidate").expect("--count needs --candidate=NAME");
            Mode::Count { ops, candidate }
        } else if args.iter().any(|a| a == "--candidates") {
            Mode::List
        } else if args.iter().any(|a| a == "--bench") {
            Mode::Measure
        } else {
            Mode::Smoke
        };
        let filters = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        let rounds = env_number("FIXTREE_BENCH_ROUNDS", 31).max(1) as usize;
        let batch = Duration::from_millis(env_number("FIXTREE_BENCH_BATCH_MS", 20).max(1));
        let bench = Bench {
            full: !matches!(mode, Mode::Smoke),
            mode,
            filters,
            rounds,
            batch,
            printed_header: false,
            smoke_started: Instant::now(),
            results: Vec::new(),
        };
        let tmp = std::env::temp_dir();
        if matches!(bench.mode, Mode::List | Mode::Count { .. }) {
            // Quiet: the caller reads the output.
        } else if bench.full {
            println!("# {title}");
            println!();
            println!(
                "TMPDIR in use: {} ({}); {} rounds, batches of ~{} ms, round-robin",
                tmp.display(),
                fs_type(&tmp),
                bench.rounds,
                bench.batch.as_millis(),
            );
            println!();
        } else {
            println!(
                "{title}: smoke mode (no --bench): each candidate once, tiny inputs, TMPDIR {}",
                tmp.display()
            );
        }
        bench
    }

    /// Whether the filters let `case` run: a substring of its name, or, to
    /// list or count, its whole name.
    pub fn wants(&self, case: &str) -> bool {
        match self.mode {
            Mode::List | Mode::Count { .. } => self.filters.iter().any(|f| case == f),
            Mode::Smoke | Mode::Measure => {
                self.filters.is_empty() || self.filters.iter().any(|f| case.contains(f.as_str()))
            }
        }
    }

    /// The medians measured so far, in the order measured.
    pub fn results(&self) -> &[Measured] {
        &self.results
    }

    /// Runs one case: `candidates[0]` is the anchor the others are compared to.
    pub fn case(&mut self, case: &str, candidates: Vec<(&str, Run<'_>)>) {
        self.run_case(case, candidates, false);
    }

    /// Runs one case with its floor, the bare system calls, as one more
    /// candidate, measured in the same rounds: every candidate is also shown
    /// as a ratio to it.
    pub fn case_with_floor<'n, 'r>(
        &mut self,
        case: &str,
        mut candidates: Vec<(&'n str, Run<'r>)>,
        floor: (&'n str, Run<'r>),
    ) {
        candidates.push(floor);
        self.run_case(case, candidates, true);
    }

    fn run_case(&mut self, case: &str, mut candidates: Vec<(&str, Run<'_>)>, floored: bool) {
        assert!(!candidates.is_empty(), "a case needs an anchor");
        if !self.wants(case) {
            return;
        }
        match &self.mode {
            Mode::Measure => {}
            Mode::List => {
                for (c, (name, _)) in candidates.iter().enumerate() {
                    let role = match c {
                        0 => "anchor",
                        c if floored && c == candidates.len() - 1 => "floor",
                        _ => "candidate",
                    };
                    println!("{role}\t{name}");
                }
                return;
            }
            Mode::Count { ops, candidate } => {
                let Some((_, run)) = candidates.iter_mut().find(|(name, _)| name == candidate)
                else {
                    panic!("case {case:?} has no candidate {candidate:?}");
                };
                run(1);
                if *ops > 0 {
                    run(*ops);
                }
                return;
            }
            Mode::Smoke => {
                let started = Instant::now();
                for (_, run) in &mut candidates {
                    run(1);
                }
                println!(
                    "smoke: {case}: {} candidates ok ({:.1} ms)",
                    candidates.len(),
                    started.elapsed().as_secs_f64() * 1e3
                );
                return;
            }
        }

        // Warm-up (caches, lazy statics, first directory creations), then
        // one operation count for every candidate, sized on the slowest.
        let mut slowest = Duration::ZERO;
        for (_, run) in &mut candidates {
            run(1);
            slowest = slowest.max(probe(run.as_mut()));
        }
        let iters = (self.batch.as_nanos() / slowest.as_nanos().max(1)).max(1) as u64;

        let k = candidates.len();
        let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(self.rounds); k];
        for round in 0..self.rounds {
            for j in 0..k {
                let c = (round + j) % k;
                let elapsed = (candidates[c].1)(iters);
                samples[c].push(elapsed.as_nanos() as f64 / iters as f64);
            }
        }

        self.header();
        let anchor = median(&samples[0]);
        let floor = floored.then(|| median(&samples[k - 1]));
        for (c, (name, _)) in candidates.iter().enumerate() {
            let m = median(&samples[c]);
            let paired: Vec<f64> = samples[c]
                .iter()
                .zip(&samples[0])
                .map(|(x, a)| x / a)
                .collect();
            let (p25, p75) = (quantile(&samples[c], 0.25), quantile(&samples[c], 0.75));
            let label = match (c, floor) {
                (0, _) => format!("{name} (anchor)"),
                (c, Some(_)) if c == k - 1 => format!("{name} (floor)"),
                _ => (*name).to_owned(),
            };
            let to_floor = floor.map_or_else(String::new, |f| format!("{:.2}", m / f));
            println!(
                "| {case} | {label} | {} | {:.2} | {:.2} | {to_floor} | ±{:.0}% | {}×{} |",
                group(m),
                m / anchor,
                median(&paired),
                (p75 - p25) / 2.0 / m * 100.0,
                self.rounds,
                iters,
            );
            self.results.push(Measured {
                case: case.to_owned(),
                candidate: (*name).to_owned(),
                ns_per_op: m,
            });
        }
    }

    fn header(&mut self) {
        if self.printed_header {
            return;
        }
        self.printed_header = true;
        println!(
            "| case | candidate | median ns/op | ratio to anchor | paired ratio | ratio to floor | IQR/2 | rounds×ops |"
        );
        println!("|---|---|---:|---:|---:|---:|---:|---:|");
    }

    /// Prints the closing line; in smoke mode, how long it took.
    pub fn finish(&self) {
        match self.mode {
            Mode::List | Mode::Count { .. } => {}
            Mode::Measure => {
                println!();
                println!(
                    "ratio = median / anchor's median; paired ratio = median over rounds of \
                     (batch / anchor's batch in the same round); ratio to floor = median / \
                     the floor's median (the bare system calls); IQR/2 = half the \
                     interquartile range, relative to the median."
                );
            }
            Mode::Smoke => {
                println!(
                    "smoke: done in {:.0} ms (run with `cargo bench` to measure)",
                    self.smoke_started.elapsed().as_secs_f64() * 1e3
                );
            }
        }
    }
}

/// Times `iters` runs of `op`, all of it counted.
pub fn each(iters: u64, mut op: impl FnMut()) -> Duration {
    let mut op = |()| op();
    let start = Instant::now();
    for _ in 0..iters {
        timed(&mut op, ());
    }
    start.elapsed()
}

/// Where the measured operation runs: callgrind counts the instructions
/// inside this function only (`--toggle-collect='*harness::timed*'`), so it
/// must stay a function of its own.
#[inline(never)]
pub fn timed<S, T>(op: &mut impl FnMut(S) -> T, state: S) -> T {
    op(state)
}

/// Times `iters` runs of `op` with an untimed `setup` before and `teardown`
/// after each: only `op` counts. `op` takes what `setup` made (so it may drop
/// it inside the timed part) and hands `teardown` what is left to clean up.
pub fn each_with<S, T>(
    iters: u64,
    mut setup: impl FnMut() -> S,
    mut op: impl FnMut(S) -> T,
    mut teardown: impl FnMut(T),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let state = setup();
        let start = Instant::now();
        let out = timed(&mut op, state);
        total += start.elapsed();
        teardown(out);
    }
    total
}

/// A directory for one case's inputs under the temporary directory in use,
/// made and removed with std alone so no candidate's code is involved.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let mut n = 0u32;
        loop {
            let path = std::env::temp_dir()
                .join(format!("fixtree-bench-{tag}-{}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Scratch(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => panic!("cannot create {}: {e}", path.display()),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The time of one operation: batches of doubling size until one lasts 2 ms
/// (or one operation takes longer than that).
fn probe(run: &mut dyn FnMut(u64) -> Duration) -> Duration {
    let mut iters = 1u64;
    loop {
        let elapsed = run(iters);
        if elapsed >= Duration::from_millis(2) || iters >= 1 << 20 {
            return elapsed / iters as u32;
        }
        iters *= 2;
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?}: expected a whole number")),
        Err(_) => default,
    }
}

fn median(xs: &[f64]) -> f64 {
    quantile(xs, 0.5)
}

/// Linear interpolation between the closest ranks.
fn quantile(xs: &[f64], q: f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// `1234567.8` as `1 234 568`.
fn group(ns: f64) -> String {
    let digits = format!("{:.0}", ns);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The file-system type of the mount holding `path` (Linux: /proc/self/mounts).
fn fs_type(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return "file system unknown".into();
    };
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            let point = point.replace("\\040", " ");
            path.starts_with(&point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max()
        .map_or_else(|| "file system unknown".into(), |(_, kind)| kind)
}

/// A candidate whose whole operation is timed.
pub fn run<'a>(mut op: impl FnMut() + 'a) -> Run<'a> {
    Box::new(move |iters| each(iters, &mut op))
}
