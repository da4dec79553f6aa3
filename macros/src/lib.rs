//! Procedural macros of [fixtree](https://docs.rs/fixtree).
//!
//! Depend on `fixtree`, not on this crate: the code these macros generate names
//! only `::fixtree::__private`, so the facade is the one dependency a user needs.
//! The macros (`tree!`, `assert_tree!`, `#[with_tempdir]`) land here as they are built.
