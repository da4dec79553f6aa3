//! `cargo fixtree`: kept test directories (`list`, `open`, `clean`).

mod kept;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Run as `cargo fixtree …`, cargo passes "fixtree" first.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|first| first == "fixtree") {
        args.remove(0);
    }
    let Some((command, rest)) = args.split_first() else {
        eprintln!("usage:\n{}", kept::USAGE);
        return ExitCode::FAILURE;
    };
    let outcome = match command.as_str() {
        "list" | "open" | "clean" => kept::run(command, rest),
        "--help" | "-h" | "help" => Ok(format!("usage:\n{}", kept::USAGE)),
        other => Err(format!(
            "unknown subcommand `{other}`; usage:\n{}",
            kept::USAGE
        )),
    };
    match outcome {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cargo fixtree: {message}");
            ExitCode::FAILURE
        }
    }
}
