//! What `cargo fixtree` uses of the runtime, behind the hidden feature
//! `cli` (which only the CLI enables): review mode's records, and the kept
//! test directories. Not a public interface: it changes with the CLI, which
//! pins this crate's exact version.

pub use crate::fixture::kept;

/// What `cargo fixtree review` reads and shows of review mode's records.
pub mod review {
    pub use crate::expect::pending::{
        FOLDER_SUFFIX, INLINE_SUFFIX, InlineRecord, MARKER, Marker, folder_diff, parse_records,
        read_regular, remove_stale_staging,
    };
    pub use crate::expect::place::{check_place, check_written};

    /// Whether this is a CI run, where nothing is to be rewritten: read as
    /// the test runtime reads `CI`.
    pub fn ci() -> bool {
        crate::config::ci()
    }

    /// Whether to colour output to a stream that `is_terminal` or not, as
    /// reports are: never with `NO_COLOR`, always with `CLICOLOR_FORCE`.
    pub fn use_color(is_terminal: bool) -> bool {
        crate::config::color().allows(is_terminal)
    }
}
