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
/// Returns, for each record, why it could not be applied, if it could not:
/// it stays pending. `Err`: nothing was settled (the source could not be
/// read or written), or the source was but the record file could not be.
pub(crate) fn settle(
    pending: &PendingSource,
    decisions: &[Option<Decision>],
) -> Result<Vec<Option<String>>, String> {
    let source = &pending.source;
    let at =
        |record: &InlineRecord| format!("{}:{}:{}", source.display(), record.line, record.column);
    let mut failed = vec![None; decisions.len()];
    let mut keep: Vec<InlineRecord> = Vec::new();
    let mut accepted = Vec::new();
    for (index, (record, decision)) in pending.records.iter().zip(decisions).enumerate() {
        match decision {
            Some(Decision::Accept) => accepted.push((index, record)),
            Some(Decision::Reject) => {}
            None => keep.push(record.clone()),
        }
    }
    let mut rewritten = false;
    if !accepted.is_empty() {
        let text = read_regular(source, SOURCE_LIMIT).map_err(|e| e.to_string())?;
        let mut edits = Vec::new();
        for (index, record) in accepted {
            let problem = match spec_range(&text, record.line, record.column) {
                Ok(spec) if spec.tokens == record.tokens => {
                    edits.push((spec.range, index, record));
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
            };
            failed[index] = Some(problem);
            keep.push(record.clone());
        }
        // Every position is of the source as the tests saw it: replace from
        // the last one up, so that the earlier ones stay where they were,
        // and move each record kept for later past the edits above it, so
        // that it still points at its own `assert_tree!`.
        edits.sort_by_key(|(range, ..)| std::cmp::Reverse(range.start));
        // The cases of a parametrized test (or tests sharing a helper)
        // record one `assert_tree!` each: the same spec is applied once, and
        // different ones stay pending, since one `{ … }` cannot hold them all.
        let mut unique = Vec::new();
        for group in edits.chunk_by(|a, b| a.0.start == b.0.start) {
            let (range, _, first) = &group[0];
            if group.iter().all(|(_, _, record)| record.spec == first.spec) {
                unique.push((range.clone(), *first));
                continue;
            }
            let tests: Vec<&str> = group.iter().map(|(_, _, r)| r.test.as_str()).collect();
            for (_, index, record) in group {
                failed[*index] = Some(format!(
                    "{}: the tests {} recorded different specs for this one `assert_tree!`, and \
                     one `{{ … }}` cannot hold them all: give each case its own expected tree \
                     (e.g. a `from` folder per case), or reject these",
                    at(record),
                    tests.join(", ")
                ));
                keep.push((*record).clone());
            }
        }
        let mut places: Vec<Option<usize>> = keep
            .iter()
            .map(|record| offset(&text, record.line, record.column))
            .collect();
        let mut new = text.clone();
        for (range, record) in &unique {
            let spec = indented(&text, range, &record.spec);
            new.replace_range(range.clone(), &spec);
            for place in places.iter_mut().flatten() {
                if *place >= range.end {
                    *place = *place - range.end + range.start + spec.len();
                }
            }
        }
        for (record, place) in keep.iter_mut().zip(places) {
            if let Some(place) = place {
                (record.line, record.column) = line_column(&new, place);
            }
        }
        if new != text {
            // Replaced whole, never written through a link planted meanwhile.
            fixtree_runtime::write_atomic(source, new).map_err(|e| e.to_string())?;
            rewritten = true;
        }
    }
    let file = &pending.records_file;
    let written = if keep.is_empty() {
        fs::remove_file(file).map_err(|e| at_path("remove", file, &e))
    } else if keep != pending.records {
        let text: String = keep.iter().map(|record| record.to_text()).collect();
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
