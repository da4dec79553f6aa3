//! Settling a source file's inline records: accepted ones rewrite the
//! `{ … }` of their `assert_tree!` in the source, rejected ones are
//! dropped, and the rest stay in the record file (which goes when empty).

use std::fs;

use fixtree_runtime::__private::review::InlineRecord;

use crate::find::{PendingSource, at};
use crate::review::Decision;
use crate::source::{indented, spec_range};

/// Applies `decisions` (one per record; `None`: skipped) to `pending`.
/// Returns the records that could not be applied, each with why; they stay
/// pending.
pub(crate) fn settle(
    pending: &PendingSource,
    decisions: &[Option<Decision>],
) -> Result<Vec<String>, String> {
    let source = &pending.source;
    let mut problems = Vec::new();
    let mut keep: Vec<&InlineRecord> = Vec::new();
    let accepted: Vec<&InlineRecord> = pending
        .records
        .iter()
        .zip(decisions)
        .filter_map(|(record, decision)| match decision {
            Some(Decision::Accept) => Some(record),
            Some(Decision::Reject) => None,
            None => {
                keep.push(record);
                None
            }
        })
        .collect();
    if !accepted.is_empty() {
        let text = fs::read_to_string(source).map_err(|e| at("read", source, &e))?;
        // Every position is of the source as the tests saw it: replace from
        // the last one up, so that the earlier ones stay where they were.
        let mut edits = Vec::new();
        for record in accepted {
            match spec_range(&text, record.line, record.column) {
                Ok(range) => edits.push((range, record)),
                Err(why) => {
                    problems.push(format!(
                        "{}:{}:{}: {why}; the source changed since the test ran: run it again \
                         with FIXTREE_UPDATE=review",
                        source.display(),
                        record.line,
                        record.column
                    ));
                    keep.push(record);
                }
            }
        }
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut new = text.clone();
        for (range, record) in &edits {
            let spec = indented(&text, range, &record.spec);
            new.replace_range(range.clone(), &spec);
        }
        if new != text {
            fs::write(source, new).map_err(|e| at("write", source, &e))?;
        }
    }
    let file = &pending.records_file;
    if keep.is_empty() {
        fs::remove_file(file).map_err(|e| at("remove", file, &e))?;
    } else if keep.len() != pending.records.len() || !problems.is_empty() {
        let text: String = keep.iter().map(|record| record.to_text()).collect();
        fs::write(file, text).map_err(|e| at("write", file, &e))?;
    }
    Ok(problems)
}
