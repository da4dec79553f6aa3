//! The command line, parsed with lexopt: which command, its options
//! (`--opt VALUE` or `--opt=VALUE`; paths kept as the OS gave them, UTF-8
//! or not), and each command's help, made from one table.

use std::ffi::OsString;
use std::fmt::Display;
use std::path::PathBuf;
use std::time::Duration;

use lexopt::Arg::{self, Long, Short, Value};
use lexopt::{Parser, ValueExt};

/// An option with a value: `--<name> <VALUE>`.
struct Opt {
    name: &'static str,
    value: &'static str,
    help: &'static str,
}

impl Opt {
    /// `--base <DIR>`.
    fn shown(&self) -> String {
        format!("--{} <{}>", self.name, self.value)
    }
}

/// A command: its name, its operand and options, and its help.
pub(crate) struct Command {
    pub(crate) name: &'static str,
    /// One line, for the list of commands.
    summary: &'static str,
    /// The placeholder of its one operand, if it takes one.
    operand: Option<&'static str>,
    options: &'static [Opt],
    /// The rest of its `--help`.
    about: &'static str,
}

const ROOT: Opt = Opt {
    name: "root",
    value: "DIR",
    help: "where to look for pending snapshots (default: the current directory);\n\
           target/ and .git/ are skipped",
};

const BASE: Opt = Opt {
    name: "base",
    value: "DIR",
    help: "where to look (default: FIXTREE_DIR, else fixtree-<uid> in the temp dir); only\n\
           a directory fixtree made: the default base, FIXTREE_DIR, or one holding the\n\
           CACHEDIR.TAG that the tests write into a FIXTREE_DIR they make. A base that is a\n\
           link, not yours, or (the default) not mode 0700 is refused, as the tests refuse it.",
};

const OLDER_THAN: Opt = Opt {
    name: "older-than",
    value: "AGE",
    help: "only those older than AGE: a number and a unit (s, m, h, d or w),\n\
           e.g. 30m, 12h, 7d, 2w",
};

const TEST: Opt = Opt {
    name: "test",
    value: "TEST",
    help: "only those of TEST (its path or any part of it: converts, tests::converts)",
};

static COMMANDS: [Command; 6] = [
    Command {
        name: "review",
        summary: "show each pending snapshot as a tree diff and ask: accept, reject, skip or quit",
        operand: None,
        options: &[ROOT],
        about: "Shows each pending snapshot under DIR as a tree diff and asks, reading a line\n\
                from stdin:\n\
                \x20   a  accept: the snapshot folder becomes the pending one, or the { … } of\n\
                \x20      the assert_tree! is rewritten with the new spec\n\
                \x20   r  reject: the pending snapshot is deleted\n\
                \x20   s  skip: it stays pending\n\
                \x20   q  quit: the rest stay pending\n\
                Refused when CI is set, where the change would be lost.",
    },
    Command {
        name: "accept",
        summary: "accept every pending snapshot",
        operand: None,
        options: &[ROOT],
        about: "Accepts every pending snapshot under DIR without asking: each snapshot folder\n\
                becomes its pending one, each { … } of an assert_tree! is rewritten with its\n\
                new spec. Refused when CI is set, where the change would be lost.",
    },
    Command {
        name: "reject",
        summary: "reject every pending snapshot",
        operand: None,
        options: &[ROOT],
        about: "Deletes every pending snapshot under DIR without asking. Refused when CI is\n\
                set, where the change would be lost.",
    },
    Command {
        name: "list",
        summary: "kept test directories, newest first",
        operand: None,
        options: &[BASE],
        about: "Lists the kept test directories under the base, newest first: test, age,\n\
                size, path.",
    },
    Command {
        name: "open",
        summary: "the newest kept directory of a test",
        operand: Some("TEST"),
        options: &[BASE],
        about: "Prints the path of TEST's newest kept directory: cd \"$(cargo fixtree open converts)\".\n\
                TEST is the test's path or any part of it: converts, tests::converts.",
    },
    Command {
        name: "clean",
        summary: "remove kept test directories",
        operand: None,
        options: &[OLDER_THAN, TEST, BASE],
        about: "Removes kept directories (all, or those older than AGE, or of TEST), never one\n\
                a running test holds; without --test, also what killed runs left behind. Only\n\
                directories named as fixtree names them are removed.",
    },
];

/// What `cargo fixtree --help` says after its lists.
const ABOUT: &str = "
Tests record pending snapshots when run with FIXTREE_UPDATE=review:
    <folder>.pending/             the new content of assert_tree!(dir, from = \"<folder>\")
    <source>.fixtree-pending      the new { … } of an assert_tree!(dir, { … }) in <source>
Accepting replaces the folder, or rewrites the { … } in the source; rejecting
deletes the pending snapshot. review, accept and reject refuse to run when CI is set.

A failed test's directory is kept under the base: FIXTREE_DIR, else fixtree-<uid>
in the temp dir. list, open and clean also run when CI is set: e.g. to find a
failed test's kept directory and upload it.
";

/// A command and what its command line gave it.
pub(crate) struct Options {
    pub(crate) command: &'static Command,
    /// `--root`: where pending snapshots are looked for.
    pub(crate) root: Option<PathBuf>,
    /// `--base`: where kept directories are looked for.
    pub(crate) base: Option<PathBuf>,
    pub(crate) older_than: Option<Duration>,
    pub(crate) test: Option<String>,
    /// The command's operand: open's TEST.
    pub(crate) operand: Option<String>,
}

/// What the command line asks for.
pub(crate) enum Parsed {
    Run(Options),
    /// Print this (a help, the version), and succeed.
    Print(String),
}

/// Parses `args` (without the program's name, nor cargo's `fixtree`).
pub(crate) fn parse(args: Vec<OsString>) -> Result<Parsed, String> {
    let mut parser = Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        None => return Err(format!("no command given\n\n{}", help().trim_end())),
        Some(Short('h') | Long("help")) => return Ok(Parsed::Print(help())),
        Some(Short('V') | Long("version")) => {
            let version = format!("cargo-fixtree {}\n", env!("CARGO_PKG_VERSION"));
            return Ok(Parsed::Print(version));
        }
        Some(Value(name)) if name == "help" => {
            return match parser.next().map_err(|e| e.to_string())? {
                None => Ok(Parsed::Print(help())),
                Some(Value(name)) => Ok(Parsed::Print(find(&name)?.help())),
                Some(other) => Err(format!("unexpected argument {:?}", shown(&other))),
            };
        }
        Some(Value(name)) => find(&name)?,
        Some(other) => {
            return Err(format!(
                "unexpected argument {:?}; give a command first (see `cargo fixtree --help`)",
                shown(&other)
            ));
        }
    };
    let mut options = Options {
        command,
        root: None,
        base: None,
        older_than: None,
        test: None,
        operand: None,
    };
    let mistake = |e: lexopt::Error| command.mistake(e);
    while let Some(arg) = parser.next().map_err(mistake)? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Print(command.help())),
            Long(name) if !command.takes(name) => return Err(command.unexpected(&arg)),
            Long("root") => {
                let dir = parser.value().map_err(mistake)?;
                command.once(&mut options.root, dir.into(), "root")?;
            }
            Long("base") => {
                let dir = parser.value().map_err(mistake)?;
                command.once(&mut options.base, dir.into(), "base")?;
            }
            Long("older-than") => {
                let age = parser.value().and_then(|v| v.string()).map_err(mistake)?;
                let age = parse_age(&age).map_err(|e| command.mistake(e))?;
                command.once(&mut options.older_than, age, "older-than")?;
            }
            Long("test") => {
                let test = parser.value().and_then(|v| v.string()).map_err(mistake)?;
                command.once(&mut options.test, test, "test")?;
            }
            Value(operand) if command.operand.is_some() && options.operand.is_none() => {
                options.operand = Some(operand.string().map_err(mistake)?);
            }
            other => return Err(command.unexpected(&other)),
        }
    }
    Ok(Parsed::Run(options))
}

/// The command named `name`.
fn find(name: &OsString) -> Result<&'static Command, String> {
    COMMANDS.iter().find(|c| *name == c.name).ok_or_else(|| {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        format!(
            "unknown command {:?}; the commands are {} (see `cargo fixtree --help`)",
            name.to_string_lossy(),
            names.join(", ")
        )
    })
}

/// `cargo fixtree --help`.
fn help() -> String {
    let mut help =
        "cargo fixtree: review the snapshots that fixtree's tests recorded as pending,\n\
                    and find or clean the directories it kept for failed tests\n\nUsage:\n"
            .to_owned();
    for command in &COMMANDS {
        help += &format!("    {}\n", command.usage());
    }
    help += "    cargo fixtree help [<COMMAND>] | --help | --version\n\nCommands:\n";
    for command in &COMMANDS {
        help += &format!("    {:<10}{}\n", command.name, command.summary);
    }
    help += "    help      print this help, or a command's: cargo fixtree help <COMMAND>\n";
    help + ABOUT
}

/// An argument as written: `-x`, `--name`, or the value.
fn shown(arg: &Arg) -> String {
    match arg {
        Short(c) => format!("-{c}"),
        Long(name) => format!("--{name}"),
        Value(value) => value.to_string_lossy().into_owned(),
    }
}

impl Command {
    fn takes(&self, option: &str) -> bool {
        self.options.iter().any(|o| o.name == option)
    }

    /// `cargo fixtree open <TEST> [--base <DIR>]`.
    fn usage(&self) -> String {
        let mut usage = format!("cargo fixtree {}", self.name);
        if let Some(operand) = self.operand {
            usage += &format!(" <{operand}>");
        }
        for o in self.options {
            usage += &format!(" [{}]", o.shown());
        }
        usage
    }

    /// `cargo fixtree <command> --help`.
    fn help(&self) -> String {
        let mut help = format!(
            "cargo fixtree {}: {}\n\nUsage: {}\n\n{}\n",
            self.name,
            self.summary,
            self.usage(),
            self.about
        );
        help += "\nOptions:\n";
        let options = self.options.iter().map(|o| (o.shown(), o.help));
        for (flag, text) in options.chain([("-h, --help".to_owned(), "print this help")]) {
            help += &format!("    {flag}\n");
            for line in text.lines() {
                help += &format!("        {line}\n");
            }
        }
        help
    }

    /// A mistake on the command line, followed by the command's usage.
    pub(crate) fn mistake(&self, message: impl Display) -> String {
        format!(
            "{message}\n\nUsage: {}\n(`cargo fixtree {} --help` says more)",
            self.usage(),
            self.name
        )
    }

    /// `arg`, which this command does not take; an option of another
    /// command is named as such.
    fn unexpected(&self, arg: &Arg) -> String {
        let options: Vec<String> = self.options.iter().map(Opt::shown).collect();
        let takes = format!("{} and --help", options.join(", "));
        let elsewhere = match arg {
            Long(name) => COMMANDS.iter().find(|c| c.takes(name)),
            _ => None,
        };
        let shown = shown(arg);
        let message = match (elsewhere, arg) {
            (Some(other), _) => format!(
                "unexpected argument {shown:?}: it is an option of `cargo fixtree {}`; \
                 `cargo fixtree {}` takes only {takes}",
                other.name, self.name
            ),
            (None, Value(_)) if self.takes("test") => {
                format!("unexpected argument {shown:?}; to pick a test, write --test {shown}")
            }
            (None, _) => format!("unexpected argument {shown:?}; the options are {takes}"),
        };
        self.mistake(message)
    }

    /// Sets `slot` to `value`, refusing an option given twice.
    fn once<T>(&self, slot: &mut Option<T>, value: T, name: &str) -> Result<(), String> {
        match slot.replace(value) {
            Some(_) => Err(self.mistake(format!("--{name} is given twice; give it once"))),
            None => Ok(()),
        }
    }
}

/// `30s`, `10m`, `12h`, `7d`, `2w`.
fn parse_age(text: &str) -> Result<Duration, String> {
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if seconds > 0 => Ok(Duration::from_secs(n.saturating_mul(seconds))),
        _ => Err(format!(
            "`--older-than {text}`: write a number and a unit, s, m, h, d or w, e.g. 7d"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_a_number_and_a_unit() {
        assert_eq!(parse_age("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_age("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_age("2w"), Ok(Duration::from_secs(14 * 86_400)));
        for bad in ["", "7", "d", "7y", "-1d", "1.5h"] {
            assert!(parse_age(bad).unwrap_err().contains("e.g. 7d"), "{bad}");
        }
    }
}
