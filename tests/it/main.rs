//! The integration tests, one binary with a module per area (one link, not
//! one per file). Apart, each a binary of its own: tests/ui.rs (trybuild),
//! tests/e2e.rs (cargo in cargo), tests/soak.rs (run by .ci/soak) and
//! tests/env_override.rs (a process-wide setting, made once).
//!
//! Slow tests are `#[ignore = "slow: …"]`, and tests needing what a machine
//! may lack `#[ignore = "needs …"]`: `.ci/run` runs them, and so does
//! `cargo test --workspace --all-targets -- --include-ignored --skip=on_purpose --skip=soak`.

mod assert_tree;
mod assert_tree_macro;
mod beside;
mod cases;
mod color;
mod deep_trees;
mod error_reports;
mod fixture;
mod hostile_sizes;
mod line_endings;
mod mtimes;
mod os_names;
mod parametrized;
mod pattern_diffs;
mod redaction;
mod relocated;
mod review;
mod security;
mod support;
mod tempfile_api;
mod test_dir;
mod test_dir_specs;
mod tree_io;
mod tree_layers;
mod tree_macro;
mod tree_roundtrip;
mod txtar;
mod with_tempdir;
