//! `cargo fixtree`, run as a user runs it: one test binary, a module per
//! subject.

mod fingerprint;
mod hostile_specs;
mod kept;
mod review;
