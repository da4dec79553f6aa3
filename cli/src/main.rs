//! `cargo fixtree`: works on what fixtree's tests leave behind: pending
//! snapshots in the workspace, kept test directories under the base.
//!
//! Cargo runs `cargo-fixtree fixtree <command> …` for `cargo fixtree
//! <command> …`; run directly, the binary takes `<command> …`. This file
//! only dispatches: each command lives in its own module.

mod args;
mod claim;
mod find;
mod folder;
mod inline;
mod kept;
mod review;
mod source;

use std::ffi::OsString;
use std::process::ExitCode;

const HELP: &str = "\
cargo fixtree: review the snapshots that fixtree's tests recorded as pending,
and find or clean the directories it kept for failed tests

USAGE:
    cargo fixtree review|accept|reject [--root <DIR>]
    cargo fixtree list|open|clean [OPTIONS]    (options below)
    cargo fixtree help|--help|--version

COMMANDS:
    review    show each pending snapshot as a tree diff and ask: accept, reject, skip or quit
    accept    accept every pending snapshot
    reject    reject every pending snapshot
    list      kept test directories, newest first
    open      the newest kept directory of a test
    clean     remove kept test directories
    help      print this help

OPTIONS of review, accept and reject:
    --root <DIR>    where to look for pending snapshots (default: the current directory);
                    target/ and .git/ are skipped
    -h, --help      print the command's help
OPTIONS of list, open and clean: --base <DIR> and more, see below

Tests record pending snapshots when run with FIXTREE_UPDATE=review:
    <folder>.pending/             the new content of assert_tree!(dir, from = \"<folder>\")
    <source>.fixtree-pending      the new { … } of an assert_tree!(dir, { … }) in <source>
Accepting replaces the folder, or rewrites the { … } in the source; rejecting
deletes the pending snapshot. review, accept and reject refuse to run when CI is set.

Kept test directories (under FIXTREE_DIR, else fixtree-<uid> in the temp dir):
";

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // As a cargo subcommand, the subcommand's own name comes first.
    if args.first().is_some_and(|first| first == "fixtree") {
        args.remove(0);
    }
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("cargo fixtree: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[OsString]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{HELP}{}", kept::USAGE);
        return Ok(ExitCode::FAILURE);
    };
    match command.to_str() {
        Some("review") => review::run(rest, review::Decide::Ask),
        Some("accept") => review::run(rest, review::Decide::All(review::Decision::Accept)),
        Some("reject") => review::run(rest, review::Decide::All(review::Decision::Reject)),
        Some(command @ ("list" | "open" | "clean")) => {
            let rest: Vec<String> = rest
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let text = kept::run(command, &rest)?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Some("help" | "-h" | "--help") => {
            println!("{HELP}{}", kept::USAGE);
            Ok(ExitCode::SUCCESS)
        }
        Some("-V" | "--version") => {
            println!("cargo-fixtree {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!(
            "unknown command {:?}; the commands are review, accept, reject, list, open, clean (see `cargo fixtree --help`)",
            command.to_string_lossy()
        )),
    }
}
