//! What `cargo fixtree` uses of the runtime, behind the hidden feature
//! `cli` (which only the CLI enables): review mode's records, and the kept
//! test directories. Not a public interface: it changes with the CLI, which
//! pins this crate's exact version.

pub use crate::fixture::kept;

/// What `cargo fixtree review` reads and shows of review mode's records.
pub mod review {
    use std::io;
    use std::path::Path;

    use crate::walk::{DepthFirst, EntryType, Event, Walk};

    pub use crate::expect::pending::{
        Edit, FOLDER_SUFFIX, INLINE_SUFFIX, InlineRecord, MARKER, Marker, TXTAR_CONTENTS,
        TXTAR_LIMIT, folder_diff, parse_records, read_regular, remove_stale_staging, txtar_diff,
        txtar_fingerprint,
    };
    pub use crate::expect::place::{check_place, check_written};

    /// Goes through the directories and regular files below `root` whose
    /// names are UTF-8, depth first and in name order, never through a
    /// link and past special files: `visit(dir, name, is_dir)` answers, for
    /// a directory, whether to go into it. Stops at the first directory
    /// that cannot be read.
    ///
    /// ```no_run
    /// let mut sources = Vec::new();
    /// fixtree_runtime::cli::review::search(".".as_ref(), &mut |dir, name, is_dir| {
    ///     if name.ends_with(".rs") && !is_dir {
    ///         sources.push(dir.join(name));
    ///     }
    ///     name != "target"
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn search(root: &Path, visit: &mut dyn FnMut(&Path, &str, bool) -> bool) -> io::Result<()> {
        let mut walk = Walk::new(root)?.lenient();
        let mut events = DepthFirst::new(&mut walk, "", &|_: &str| false)?;
        while let Some(event) = events.next()? {
            let (entry, is_dir) = match event {
                Event::Enter(entry) => (entry, true),
                Event::Leaf(entry) => (entry, false),
                Event::Leave => continue,
            };
            // Only a directory with a UTF-8 name is entered.
            let file = entry.utf8 && matches!(entry.found, EntryType::File { .. });
            let into = (is_dir || file) && visit(events.walk().path(), &entry.name, is_dir);
            if is_dir && !into {
                events.over();
            }
        }
        Ok(())
    }

    /// The hunks of the unified diff from `old` to `new` (no file headers,
    /// none if they are equal), as the reports show a file's diff.
    ///
    /// ```
    /// let diff = fixtree_runtime::cli::review::unified("a\nb\n", "a\nc\n");
    /// assert_eq!(diff, ["@@ -1,2 +1,2 @@", " a", "-b", "+c"]);
    /// ```
    pub fn unified(old: &str, new: &str) -> Vec<String> {
        crate::expect::describe::line_diff::hunks(old, new)
    }

    /// Whether this is a CI run, where nothing is to be rewritten: read as
    /// the test runtime reads `CI`.
    pub fn ci() -> bool {
        crate::config::ci()
    }

    /// Whether to colour output to a stream that `is_terminal` or not, as
    /// reports are: never with `NO_COLOR`, always with `CLICOLOR_FORCE`.
    pub fn use_color(is_terminal: bool) -> bool {
        crate::config::color(is_terminal)
    }
}
