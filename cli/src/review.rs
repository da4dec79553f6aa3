//! `cargo fixtree review` (ask about each pending snapshot), `accept` and
//! `reject` (all at once).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use fixtree_runtime::cli::review::{
    InlineRecord, ci, folder_diff, read_regular, remove_stale_staging, txtar_diff, unified,
    use_color,
};

use crate::apply::{self, Decision, LeftAt};
use crate::find::{Crates, PendingFolder, PendingSource, find};
use crate::source::SOURCE_LIMIT;
use crate::terminal::printable;

/// A run of review, accept or reject: how it decides, and what it did.
#[derive(Default)]
struct Review {
    root: PathBuf,
    /// The decision on all that remain, `Some(None)` (quit) to leave them
    /// pending; `None`: ask about each.
    all: Option<Option<Decision>>,
    accepted: usize,
    rejected: usize,
    skipped: usize,
    /// What could not be done: the run fails.
    problems: Vec<String>,
}

/// Reviews (`all`: `None`), accepts or rejects what is pending under `root`
/// (default: the current directory).
pub(crate) fn run(root: Option<PathBuf>, all: Option<Decision>) -> Result<ExitCode, String> {
    if ci() {
        let lost = "CI is set: pending snapshots are not accepted or rejected in CI, where the \
                    change would be lost; run `cargo fixtree review` locally and commit the result";
        return Err(lost.to_owned());
    }
    let root = root
        .map_or_else(std::env::current_dir, Ok)
        .map_err(|e| format!("cannot read the current directory: {e}; give --root <DIR>"))?;
    let found = find(&root)?;
    let mut review = Review {
        root,
        all: all.map(Some),
        problems: found.problems,
        ..Review::default()
    };
    // What killed review runs left; one a running test holds stays.
    for dir in &found.staging {
        review
            .problems
            .extend(remove_stale_staging(dir).err().map(|e| e.to_string()));
    }
    let mut crates = Crates::default();
    for pending in &found.folders {
        // Only what fixtree's own tests recorded is shown, accepted or rejected.
        match pending.verify(&review.root, &mut crates) {
            Ok(()) => review.folder(pending)?,
            Err(problem) => review.done(None, "", Err(problem)),
        }
    }
    for pending in &found.sources {
        review.source(pending)?;
    }
    // A record file whose every record is resolved (the tests pass now) is
    // only removed.
    if found.folders.is_empty() && found.sources.iter().all(|s| s.records.is_empty()) {
        println!("no pending snapshots under {}", review.root.display());
    } else {
        let (accepted, rejected, skipped) = (review.accepted, review.rejected, review.skipped);
        println!("accepted {accepted}, rejected {rejected}, left pending {skipped}");
    }
    Ok(review.finish())
}

impl Review {
    /// The decision on the item just shown; `None` to leave it pending.
    fn decision(&mut self) -> Result<Option<Decision>, String> {
        while self.all.is_none() {
            print!("accept, reject, skip, quit? [a/r/s/q] ");
            let flushed = io::stdout().flush();
            flushed.map_err(|e| format!("cannot write: {e}"))?;
            let mut line = String::new();
            let read = io::stdin().read_line(&mut line);
            let read = read.map_err(|e| format!("cannot read the answer from stdin: {e}"))?;
            if read == 0 {
                // End of input: as good as quitting.
                println!();
                line = "q".to_owned();
            }
            match line.trim() {
                "a" | "accept" => return Ok(Some(Decision::Accept)),
                "r" | "reject" => return Ok(Some(Decision::Reject)),
                "s" | "skip" => return Ok(None),
                "q" | "quit" => self.all = Some(None),
                other => println!("{other:?} is not an answer: type a, r, s or q, then Enter"),
            }
        }
        Ok(self.all.flatten())
    }

    /// Counts `decision` on `what`, and says what was done; a problem
    /// leaves it pending.
    fn done(&mut self, decision: Option<Decision>, what: &str, done: Result<(), String>) {
        let (count, verb) = match (done, decision) {
            (Err(problem), _) => {
                self.problems.push(problem);
                (&mut self.skipped, None)
            }
            (Ok(()), Some(Decision::Accept)) => (&mut self.accepted, Some("accepted")),
            (Ok(()), Some(Decision::Reject)) => (&mut self.rejected, Some("rejected")),
            (Ok(()), None) => (&mut self.skipped, None),
        };
        *count += 1;
        if let Some(verb) = verb {
            println!("{verb} {}", printable(what));
        }
    }

    /// Says what could not be done: then the run fails.
    fn finish(self) -> ExitCode {
        for problem in &self.problems {
            eprintln!("cargo fixtree: {}", printable(problem));
        }
        // 1: failure.
        ExitCode::from(u8::from(!self.problems.is_empty()))
    }

    /// `path` from the root, for display.
    fn shown(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        relative.display().to_string()
    }

    fn folder(&mut self, pending: &PendingFolder) -> Result<(), String> {
        let name = self.shown(&pending.folder);
        if self.all.is_none() {
            let new = !pending.folder.exists();
            let state = if new { "new" } else { "changed" };
            let marker = pending.marker.as_ref().ok();
            let test = marker.map_or("?", |marker| &marker.test);
            let txtar = marker.is_some_and(|marker| marker.txtar.is_some());
            let noun = if txtar {
                "txtar file"
            } else {
                "snapshot folder"
            };
            let title = format!("\n{state} {noun} {name} (test {test})");
            println!("{}", printable(&title));
            let color = use_color(io::stdout().is_terminal());
            let diff = match txtar {
                true => txtar_diff(&pending.folder, &pending.pending),
                false => folder_diff(&pending.folder, &pending.pending, color),
            };
            match diff {
                Ok(Some(report)) => println!("{}", printable(&report)),
                Ok(None) => println!("no difference: accepting only removes the pending folder"),
                Err(e) => println!("cannot compare it: {}", printable(&e.to_string())),
            }
        }
        let decision = self.decision()?;
        let done = match decision {
            Some(Decision::Accept) => {
                apply::accept(pending, &self.root).map(|left| self.problems.extend(left))
            }
            Some(Decision::Reject) => apply::reject(pending),
            None => Ok(()),
        };
        self.done(decision, &name, done);
        Ok(())
    }

    fn source(&mut self, pending: &PendingSource) -> Result<(), String> {
        let name = self.shown(&pending.source);
        let place = |record: &InlineRecord| format!("{name}:{}:{}", record.line, record.column);
        // The source as it is now, to show what accepting would change.
        let text = self
            .all
            .is_none()
            .then(|| read_regular(&pending.source, SOURCE_LIMIT).map_err(|e| e.to_string()));
        let mut decisions = Vec::new();
        for record in &pending.records {
            if let (None, Some(text)) = (self.all, &text) {
                let title = format!("\ninline spec at {} (test {})", place(record), record.test);
                println!("{}", printable(&title));
                println!("{}", printable(record.report.trim_end()));
                show_change(text, record, &name);
            }
            decisions.push(self.decision()?);
        }
        match apply::settle(pending, &decisions) {
            // One that could not be applied stays pending, and is counted so.
            Ok(done) => {
                let records = pending.records.iter().zip(decisions).zip(done);
                for ((record, decision), done) in records {
                    let left = done.as_ref().map_or(0, Vec::len);
                    let what = match left {
                        0 => place(record),
                        1 => format!("{}, 1 entry left for you", place(record)),
                        n => format!("{}, {n} entries left for you", place(record)),
                    };
                    let lines: Vec<String> =
                        done.iter().flatten().map(|l| left_line(&name, l)).collect();
                    self.done(decision, &what, done.map(drop));
                    for line in lines {
                        println!("{}", printable(&line));
                    }
                }
            }
            // All left pending; the message says if the source was
            // rewritten all the same.
            Err(problem) => {
                self.skipped += decisions.len();
                self.problems.push(problem);
            }
        }
        Ok(())
    }
}

/// What accepting `record` would change in the source `text` (or why it
/// cannot be read): a diff of its spec, then what it leaves for the user.
fn show_change(text: &Result<String, String>, record: &InlineRecord, name: &str) {
    let spot = format!("{name}:{}:{}", record.line, record.column);
    let edited = text.as_ref().map_err(Clone::clone).and_then(|text| {
        let (range, applied) = apply::edited(text, record, &spot)?;
        Ok((text, range, applied))
    });
    let (text, range, applied) = match edited {
        Ok(edited) => edited,
        Err(why) => return println!("accepting it cannot be shown: {}", printable(&why)),
    };
    // Whole lines, without the `\r` of a file that ends them so.
    let lf = |text: &str| text.replace("\r\n", "\n") + "\n";
    let diff = unified(&lf(&text[range.clone()]), &lf(&applied.spec));
    if diff.is_empty() {
        println!("accepting it changes nothing in the spec");
    } else {
        println!(
            "{}",
            printable(&format!("--- {spot} as written\n+++ {spot} accepted"))
        );
        for line in diff {
            println!("{}", printable(&line));
        }
    }
    let new = format!(
        "{}{}{}",
        &text[..range.start],
        applied.spec,
        &text[range.end..]
    );
    for left in apply::placed(&new, range.start, applied) {
        println!("{}", printable(&left_line(name, &left)));
    }
}

/// `left for you: tests/it.rs:14:9 "log" => contains("done"): why`.
fn left_line(name: &str, left: &LeftAt) -> String {
    let LeftAt { line, column, left } = left;
    format!(
        "left for you: {name}:{line}:{column} {}: {}",
        left.entry, left.reason
    )
}
