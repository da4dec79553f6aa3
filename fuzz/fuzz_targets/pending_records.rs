//! The record file of review mode and a pending folder's marker come from a
//! checkout or an archive: `parse_records` and `Marker::parse` never panic on
//! any text, every edit it returns to apply names a key (`fixtree_rules`),
//! and what parses writes (`to_text`) to text that parses back the same.

#![no_main]

use fixtree_runtime::cli::review::{Edit, Marker, parse_records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(records) = parse_records(&text) {
        for record in records {
            assert!(record.line > 0 && record.column > 0, "{record:?}");
            for edit in &record.edits {
                if let Edit::Change { path, .. } | Edit::Remove { path } | Edit::Add { path, .. } =
                    edit
                {
                    assert!(fixtree_rules::segments(path).is_ok(), "{edit:?}");
                }
            }
            let again = parse_records(&record.to_text())
                .unwrap_or_else(|e| panic!("{record:?} writes text that does not parse: {e}"));
            assert_eq!(again, [record]);
        }
    }
    if let Ok(marker) = Marker::parse(&text) {
        assert_eq!(Marker::parse(&marker.to_text()), Ok(marker));
    }
});
