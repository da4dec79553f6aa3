//! `cargo fixtree review` (ask about each pending snapshot), `accept` and
//! `reject` (all at once).

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use fixtree_runtime::cli::review::{
    InlineRecord, ci, folder_diff, remove_stale_staging, use_color,
};

use crate::claim::{Crates, verify};
use crate::find::{PendingFolder, PendingSource, at, find};
use crate::folder;
use crate::inline::{self, Decision};

/// What to do with each pending snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decide {
    Ask,
    All(Decision),
}

/// What was done, for the summary.
#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    skipped: usize,
    problems: Vec<String>,
}

impl Tally {
    fn count(&mut self, decision: Option<Decision>) {
        match decision {
            Some(Decision::Accept) => self.accepted += 1,
            Some(Decision::Reject) => self.rejected += 1,
            None => self.skipped += 1,
        }
    }

    /// Failure when anything could not be done.
    fn exit_code(&self) -> ExitCode {
        if self.problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

/// The user's answers, or the one decision for all.
struct Asker<'a> {
    decide: Decide,
    input: Box<dyn BufRead + 'a>,
    quit: bool,
}

impl Asker<'_> {
    /// The decision on the item just shown; `None` to leave it pending.
    fn decision(&mut self) -> Result<Option<Decision>, String> {
        if self.quit {
            return Ok(None);
        }
        if let Decide::All(decision) = self.decide {
            return Ok(Some(decision));
        }
        loop {
            print!("accept, reject, skip, quit? [a/r/s/q] ");
            io::stdout()
                .flush()
                .map_err(|e| format!("cannot write: {e}"))?;
            let mut line = String::new();
            let read = self
                .input
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the answer from stdin: {e}"))?;
            match line.trim() {
                _ if read == 0 => {
                    // End of input: as good as quitting.
                    println!();
                    self.quit = true;
                    return Ok(None);
                }
                "a" | "accept" => return Ok(Some(Decision::Accept)),
                "r" | "reject" => return Ok(Some(Decision::Reject)),
                "s" | "skip" => return Ok(None),
                "q" | "quit" => {
                    self.quit = true;
                    return Ok(None);
                }
                other => println!("{other:?} is not an answer: type a, r, s or q, then Enter"),
            }
        }
    }
}

/// Reviews, accepts or rejects what is pending under `root` (default: the
/// current directory).
pub(crate) fn run(root: Option<PathBuf>, decide: Decide) -> Result<ExitCode, String> {
    if ci() {
        return Err(
            "CI is set: pending snapshots are not accepted or rejected in CI, where the change \
             would be lost; run `cargo fixtree review` locally and commit the result"
                .to_owned(),
        );
    }
    let root = &match root {
        Some(root) => root,
        None => std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}; give --root <DIR>"))?,
    };
    let mut found = find(root)?;
    let mut tally = Tally {
        problems: std::mem::take(&mut found.problems),
        ..Tally::default()
    };
    // What killed review runs left; one a running test holds stays.
    for dir in &found.staging {
        if let Err(e) = remove_stale_staging(dir) {
            tally.problems.push(e.to_string());
        }
    }
    // A record file whose every record is resolved (the tests pass now) is
    // only clutter.
    found.sources.retain(|source| {
        if !source.records.is_empty() {
            return true;
        }
        let file = &source.records_file;
        if let Err(e) = std::fs::remove_file(file) {
            tally.problems.push(at("remove", file, &e));
        }
        false
    });
    if found.folders.is_empty() && found.sources.is_empty() {
        println!("no pending snapshots under {}", root.display());
        for problem in &tally.problems {
            eprintln!("cargo fixtree: {problem}");
        }
        return Ok(tally.exit_code());
    }
    let color = use_color(io::stdout().is_terminal());
    let stdin = io::stdin();
    let mut asker = Asker {
        decide,
        input: Box::new(stdin.lock()),
        quit: false,
    };
    let mut crates = Crates::default();
    for pending in &found.folders {
        // Only what fixtree's own tests recorded is shown, accepted or rejected.
        if let Err(problem) = verify(pending, root, &mut crates) {
            tally.skipped += 1;
            tally.problems.push(problem);
            continue;
        }
        review_folder(root, pending, color, &mut asker, &mut tally)?;
    }
    for pending in &found.sources {
        review_source(root, pending, &mut asker, &mut tally)?;
    }
    println!(
        "accepted {}, rejected {}, left pending {}",
        tally.accepted, tally.rejected, tally.skipped
    );
    for problem in &tally.problems {
        eprintln!("cargo fixtree: {problem}");
    }
    Ok(tally.exit_code())
}

fn review_folder(
    root: &Path,
    pending: &PendingFolder,
    color: bool,
    asker: &mut Asker,
    tally: &mut Tally,
) -> Result<(), String> {
    let name = relative(root, &pending.folder);
    if asker.decide == Decide::Ask && !asker.quit {
        let state = if pending.folder.exists() {
            "changed"
        } else {
            "new"
        };
        println!("\n{state} snapshot folder {name} (test {})", pending.test());
        match folder_diff(&pending.folder, &pending.pending, color) {
            Ok(Some(report)) => println!("{report}"),
            Ok(None) => println!("no difference: accepting only removes the pending folder"),
            Err(e) => println!("cannot compare it: {e}"),
        }
    }
    let decision = asker.decision()?;
    let done = match decision {
        Some(Decision::Accept) => folder::accept(pending, root),
        Some(Decision::Reject) => folder::reject(pending).map(|()| None),
        None => Ok(None),
    };
    match done {
        Ok(left_behind) => {
            tally.count(decision);
            if let Some(decision) = decision {
                println!("{} {name}", past(decision));
            }
            tally.problems.extend(left_behind);
        }
        Err(problem) => {
            tally.skipped += 1;
            tally.problems.push(problem);
        }
    }
    Ok(())
}

fn review_source(
    root: &Path,
    pending: &PendingSource,
    asker: &mut Asker,
    tally: &mut Tally,
) -> Result<(), String> {
    let name = relative(root, &pending.source);
    let mut decisions = Vec::new();
    for record in &pending.records {
        if asker.decide == Decide::Ask && !asker.quit {
            println!(
                "\ninline spec at {} (test {})",
                place(&name, record),
                record.test
            );
            println!("{}", record.report.trim_end());
            println!("new spec:\n{}", record.spec);
        }
        decisions.push(asker.decision()?);
    }
    let failed = match inline::settle(pending, &decisions) {
        Ok(failed) => failed,
        Err(problem) => {
            // Counted as left pending; the message says if the source was
            // rewritten all the same.
            tally.skipped += decisions.len();
            tally.problems.push(problem);
            return Ok(());
        }
    };
    for (index, (record, decision)) in pending.records.iter().zip(&decisions).enumerate() {
        if let Some(problem) = failed.iter().find(|(i, _)| *i == index).map(|(_, p)| p) {
            // It could not be applied: it stays pending, and is counted so.
            tally.skipped += 1;
            tally.problems.push(problem.clone());
            continue;
        }
        tally.count(*decision);
        if let Some(decision) = decision {
            println!("{} {}", past(*decision), place(&name, record));
        }
    }
    Ok(())
}

/// `<source>:<line>:<column>` of an inline record.
fn place(name: &str, record: &InlineRecord) -> String {
    format!("{name}:{}:{}", record.line, record.column)
}

fn past(decision: Decision) -> &'static str {
    match decision {
        Decision::Accept => "accepted",
        Decision::Reject => "rejected",
    }
}

/// `path` from `root`, for display.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
