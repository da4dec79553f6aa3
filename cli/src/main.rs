//! `cargo fixtree`: works on what fixtree's tests leave behind: pending
//! snapshots in the workspace, kept test directories under the base.
//!
//! Cargo runs `cargo-fixtree fixtree <command> …` for `cargo fixtree
//! <command> …`; run directly, the binary takes `<command> …`. This file
//! only dispatches: each command lives in its own module.

mod claim;
mod command;
mod find;
mod folder;
mod inline;
mod kept;
mod review;
mod source;

use std::ffi::OsString;
use std::process::ExitCode;

use command::Parsed;
use inline::Decision;
use review::Decide;

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // As a cargo subcommand, the subcommand's own name comes first.
    if args.first().is_some_and(|first| first == "fixtree") {
        args.remove(0);
    }
    match run(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("cargo fixtree: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<OsString>) -> Result<ExitCode, String> {
    let (command, options) = match command::parse(args)? {
        Parsed::Print(text) => {
            print!("{text}");
            return Ok(ExitCode::SUCCESS);
        }
        Parsed::Run(command, options) => (command, options),
    };
    match command.name {
        "review" => review::run(options.root, Decide::Ask),
        "accept" => review::run(options.root, Decide::All(Decision::Accept)),
        "reject" => review::run(options.root, Decide::All(Decision::Reject)),
        _ => {
            println!("{}", kept::run(command, &options)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}
