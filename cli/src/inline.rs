//! Settling a source file's inline records: accepted ones rewrite the
//! `{ … }` of their `assert_tree!` in the source, rejected ones are
//! dropped, and the rest stay in the record file (which goes when empty).

use std::fs;

use fixtree_runtime::cli::review::{InlineRecord, read_regular};

use crate::find::{PendingSource, at as at_path};
use crate::source::{SOURCE_LIMIT, indented, line_column, offset, spec_range};

/// What is done with a pending snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Accept,
    Reject,
}

/// Applies `decisions` (one per record; `None`: skipped) to `pending`.
/// Returns, for each record, whether it was applied, or why not: then it
/// stays pending. `Err`: nothing was settled (the source could not be
/// read or written), or the source was but the record file could not be.
pub(crate) fn settle(
    pending: &PendingSource,
    decisions: &[Option<Decision>],
) -> Result<Vec<Result<(), String>>, String> {
    let source = &pending.source;
    let at =
        |record: &InlineRecord| format!("{}:{}:{}", source.display(), record.line, record.column);
    let mut records = pending.records.clone();
    let mut failed = vec![Ok(()); decisions.len()];
    let accept = |i: &usize| decisions[*i] == Some(Decision::Accept);
    let mut rewritten = false;
    if (0..decisions.len()).any(|i| accept(&i)) {
        let text = read_regular(source, SOURCE_LIMIT).map_err(|e| e.to_string())?;
        let mut edits = Vec::new();
        for index in (0..decisions.len()).filter(accept) {
            let record = &records[index];
            failed[index] = Err(match spec_range(&text, record.line, record.column) {
                Ok(spec) if spec.tokens == record.tokens => {
                    edits.push((spec.range, index));
                    continue;
                }
                Ok(_) => format!(
                    "the assert_tree! at {} is not the one test {} recorded: its spec changed \
                     since; run the test again with FIXTREE_UPDATE=review",
                    at(record),
                    record.test
                ),
                Err(why) => format!(
                    "{}: {why}; the source changed since the test ran: run it again with \
                     FIXTREE_UPDATE=review",
                    at(record)
                ),
            });
        }
        edits.sort_by_key(|(range, _)| range.start);
        // The cases of a parametrized test (or tests sharing a helper)
        // record one `assert_tree!` each: the same spec is applied once, and
        // different ones stay pending, since one `{ … }` cannot hold them all.
        let mut specs = Vec::new();
        for group in edits.chunk_by(|a, b| a.0.start == b.0.start) {
            let (range, first) = (&group[0].0, &records[group[0].1]);
            if group.iter().all(|(_, i)| records[*i].spec == first.spec) {
                specs.push((range.clone(), indented(&text, range, &first.spec)));
                continue;
            }
            let tests: Vec<&str> = group.iter().map(|(_, i)| &*records[*i].test).collect();
            for (_, index) in group {
                failed[*index] = Err(format!(
                    "{}: the tests {} recorded different specs for this one `assert_tree!`, and \
                     one `{{ … }}` cannot hold them all: give each case its own expected tree \
                     (e.g. a `from` folder per case), or reject these",
                    at(&records[*index]),
                    tests.join(", ")
                ));
            }
        }
        // From the last up, so that the earlier ranges stay where they were.
        let mut new = text.clone();
        for (range, spec) in specs.iter().rev() {
            new.replace_range(range.clone(), spec);
        }
        // Each record kept for later moves past the edits above it.
        for record in &mut records {
            if let Some(old) = offset(&text, record.line, record.column) {
                let above = specs.iter().filter(|(range, _)| range.end <= old);
                let place = above.fold(old, |at, (range, spec)| at - range.len() + spec.len());
                (record.line, record.column) = line_column(&new, place);
            }
        }
        if new != text {
            // Replaced whole, never written through a link planted meanwhile.
            fixtree_runtime::write_atomic(source, new).map_err(|e| e.to_string())?;
            rewritten = true;
        }
    }
    // Retain visits each record once, in order.
    let mut keep = decisions.iter().zip(&failed);
    records.retain(|_| keep.next().is_some_and(|(d, f)| d.is_none() || f.is_err()));
    let file = &pending.records_file;
    let written = if records.is_empty() {
        fs::remove_file(file).map_err(|e| at_path("remove", file, &e))
    } else if records != pending.records {
        let text: String = records.iter().map(InlineRecord::to_text).collect();
        fs::write(file, text).map_err(|e| at_path("write", file, &e))
    } else {
        Ok(())
    };
    written.map_err(|problem| match rewritten {
        true => format!(
            "{} was rewritten, but {problem}; take the records just accepted or rejected out \
             of it by hand",
            source.display()
        ),
        false => problem,
    })?;
    Ok(failed)
}
