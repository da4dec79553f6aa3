//! `cargo fixtree`, run as a user runs it: one test binary, a module per
//! subject.

mod fingerprint;
mod kept;
mod review;
