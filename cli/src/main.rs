//! `cargo fixtree`: works on what fixtree's tests leave behind: pending
//! snapshots in the workspace, kept test directories under the base.
//!
//! Cargo runs `cargo-fixtree fixtree <command> …` for `cargo fixtree
//! <command> …`; run directly, the binary takes `<command> …`. This file
//! only dispatches: each command lives in its own module.

mod apply;
mod command;
mod find;
mod kept;
mod review;
mod source;
mod terminal;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use apply::Decision;

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // As a cargo subcommand, the subcommand's own name comes first.
    if args.first().is_some_and(|first| first == "fixtree") {
        args.remove(0);
    }
    run(args).unwrap_or_else(|message| {
        eprintln!("cargo fixtree: {}", terminal::printable(&message));
        ExitCode::FAILURE
    })
}

fn run(args: Vec<OsString>) -> Result<ExitCode, String> {
    let Some((command, options)) = command::parse(args)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let root = options.get("root").map(PathBuf::from);
    match command.name() {
        "review" => review::run(root, None),
        "accept" => review::run(root, Some(Decision::Accept)),
        "reject" => review::run(root, Some(Decision::Reject)),
        _ => kept::run(command, &options)
            .map(|out| println!("{}", terminal::printable(&out)))
            .map(|()| ExitCode::SUCCESS),
    }
}
