//! The command line, parsed with lexopt: which command, its options
//! (`--opt VALUE` or `--opt=VALUE`; paths kept as the OS gave them, UTF-8
//! or not), and each command's help, made from one table.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Display;

use lexopt::Arg::{self, Long, Short, Value};
use lexopt::{Parser, ValueExt};

/// An option: as written in a usage line, and what it is for.
struct Opt {
    /// `--root <DIR>`: its name, then its value.
    flag: &'static str,
    help: &'static str,
}

impl Opt {
    /// `root` of `--root <DIR>`.
    fn name(&self) -> &'static str {
        self.flag[2..].split(' ').next().unwrap_or_default()
    }

    /// Whether a value follows it (`--root <DIR>`), or it is a switch (`--all-crates`).
    fn takes_value(&self) -> bool {
        self.flag.contains(' ')
    }
}

/// A command: its name, its operand if it takes one (`<TEST>`), its
/// options, and its help, whose first line is its summary.
pub(crate) struct Command {
    name: &'static str,
    operand: Option<&'static str>,
    options: &'static [Opt],
    help: &'static str,
}

const ROOT: Opt = Opt {
    flag: "--root <DIR>",
    help: "where to look for pending snapshots, target/ and .git/ left out (default: .)",
};

const BASE: Opt = Opt {
    flag: "--base <DIR>",
    help: "where to look (default: FIXTREE_DIR, else fixtree-<uid> in the temp dir); as the
tests do, only a base fixtree made (one of those two, or one holding its
CACHEDIR.TAG), yours, not a link, and (the default) of mode 0700",
};

const OLDER_THAN: Opt = Opt {
    flag: "--older-than <AGE>",
    help: "only those older than AGE: a number and a unit (s, m, h, d or w), e.g. 7d",
};

const TEST: Opt = Opt {
    flag: "--test <TEST>",
    help: "only those of TEST (its path or any part of it: converts, tests::converts)",
};

const CRATE: Opt = Opt {
    flag: "--crate <NAME>",
    help: "those of the crate whose package is NAME (default: the crate of the current
directory; at a workspace root, its crates; elsewhere, every crate)",
};

const ALL_CRATES: Opt = Opt {
    flag: "--all-crates",
    help: "those of every crate, and those an older fixtree kept outside any crate",
};

const LABEL: Opt = Opt {
    flag: "--label <LABEL>",
    help: "the directory test_dir!(\"LABEL\") made for the test, not the test's own",
};

const HELP: Opt = Opt {
    flag: "-h, --help",
    help: "print this help",
};

/// A command without an operand.
const fn command(name: &'static str, options: &'static [Opt], help: &'static str) -> Command {
    Command {
        name,
        operand: None,
        options,
        help,
    }
}

static COMMANDS: [Command; 6] = [
    command("review", &[ROOT], REVIEW),
    command("accept", &[ROOT], ACCEPT),
    command("reject", &[ROOT], REJECT),
    command("list", &[BASE], LIST),
    Command {
        operand: Some("<TEST>"),
        ..command("open", &[LABEL, CRATE, ALL_CRATES, BASE], OPEN)
    },
    command("clean", &[OLDER_THAN, TEST, CRATE, ALL_CRATES, BASE], CLEAN),
];

const REVIEW: &str =
    "show each pending snapshot as a tree diff and ask: accept, reject, skip or quit

For each pending snapshot under DIR, reads an answer from stdin: a (accept: the
pending folder replaces the snapshot folder, or the new spec the { … } of the
assert_tree!), r (reject: delete the pending snapshot), s (skip) or q (quit:
leave the rest pending). Refused when CI is set, where the change would be lost.
";

const ACCEPT: &str = "accept every pending snapshot

As review's `a` on each, without asking. Refused when CI is set.
";

const REJECT: &str = "reject every pending snapshot

As review's `r` on each, without asking. Refused when CI is set.
";

const LIST: &str = "kept test directories, newest first

Lists the kept test directories under the base, of every crate: crate, test,
age, size, path.
";

const OPEN: &str = "the newest kept directory of a test

Prints the path of TEST's newest kept directory in the crate of the current
directory: cd \"$(cargo fixtree open converts)\". TEST is the test's path or any
part of it (converts, tests::converts), or a name or path that list printed.
";

const CLEAN: &str = "remove kept test directories

Removes the kept directories of the crate of the current directory (all, or
those older than AGE, or of TEST) named as fixtree names them, never one a
running test holds; without --test, also what killed runs left behind.
";

/// What `cargo fixtree --version` says.
const VERSION: &str = concat!("cargo-fixtree ", env!("CARGO_PKG_VERSION"), "\n");

/// What `cargo fixtree --help` says after its lists.
const ABOUT: &str = "
Tests run with FIXTREE_UPDATE=review record pending snapshots, which accepting
puts in place and rejecting deletes:
    <folder>.pending/             the new content of assert_tree!(dir, from = \"<folder>\")
    <source>.fixtree-pending      the new { … } of an assert_tree!(dir, { … }) in <source>

A failed test's directory is kept under the base: FIXTREE_DIR, else fixtree-<uid>
in the temp dir. Unlike review, accept and reject, list, open and clean run in CI.
";

/// The value of each option given, by name, as the OS gave it; open's TEST
/// is `test`, as clean's `--test`.
pub(crate) type Options = BTreeMap<&'static str, OsString>;

/// The key of the operand in [`Options`].
const OPERAND: &str = "test";

/// Parses `args` (without the program's name, nor cargo's `fixtree`):
/// the command to run, or `None` once a help or the version is printed.
pub(crate) fn parse(args: Vec<OsString>) -> Result<Option<(&'static Command, Options)>, String> {
    let print = |text: &str| {
        print!("{text}");
        Ok(None)
    };
    let mut parser = Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        None => return Err(format!("no command given\n\n{}", help().trim_end())),
        Some(Short('h') | Long("help")) => return print(&help()),
        Some(Short('V') | Long("version")) => return print(VERSION),
        Some(Value(name)) if name == "help" => match parser.next().map_err(|e| e.to_string())? {
            Some(Value(name)) => return print(&find(&name)?.help()),
            _ => return print(&help()),
        },
        Some(Value(name)) => find(&name)?,
        Some(other) => return Err(format!("unexpected argument {:?}", shown(&other))),
    };
    let mut options = Options::new();
    let mistake = |e: lexopt::Error| command.mistake(e);
    while let Some(arg) = parser.next().map_err(mistake)? {
        let (name, value) = match arg {
            Short('h') | Long("help") => return print(&command.help()),
            Long(long) => match command.opt(long) {
                Some(opt) if opt.takes_value() => (opt.name(), parser.value().map_err(mistake)?),
                Some(opt) => (opt.name(), OsString::new()),
                None => return Err(command.unexpected(&Long(long))),
            },
            Value(operand) if command.operand.is_some() && !options.contains_key(OPERAND) => {
                (OPERAND, operand)
            }
            other => return Err(command.unexpected(&other)),
        };
        if options.insert(name, value).is_some() {
            return Err(command.mistake(format!("--{name} is given twice; give it once")));
        }
    }
    Ok(Some((command, options)))
}

/// The command named `name`.
fn find(name: &OsString) -> Result<&'static Command, String> {
    COMMANDS.iter().find(|c| *name == c.name()).ok_or_else(|| {
        let names: Vec<&str> = COMMANDS.iter().map(Command::name).collect();
        format!(
            "unknown command {:?}; the commands are {} (see `cargo fixtree --help`)",
            name.to_string_lossy(),
            names.join(", ")
        )
    })
}

/// `cargo fixtree --help`.
fn help() -> String {
    let mut help = "cargo fixtree: review the snapshots that fixtree's tests recorded as pending,
and find or clean the directories it kept for failed tests\n\nUsage:\n"
        .to_owned();
    for command in &COMMANDS {
        help += &format!("    {}\n", command.usage());
    }
    help += "    cargo fixtree help [<COMMAND>] | --help | --version\n\nCommands:\n";
    for command in &COMMANDS {
        help += &format!("    {:<10}{}\n", command.name(), command.summary());
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
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    fn summary(&self) -> &str {
        self.help.lines().next().unwrap_or_default()
    }

    /// The option `--<name>`, if this command takes it.
    fn opt(&self, name: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.name() == name)
    }

    /// `cargo fixtree open <TEST> [--base <DIR>]`.
    fn usage(&self) -> String {
        let operand = self.operand.map(|o| format!(" {o}")).unwrap_or_default();
        let options: String = self
            .options
            .iter()
            .map(|o| format!(" [{}]", o.flag))
            .collect();
        format!("cargo fixtree {}{operand}{options}", self.name)
    }

    /// `cargo fixtree <command> --help`.
    fn help(&self) -> String {
        let about = self.help.split_once('\n').map_or("", |(_, about)| about);
        let (name, summary, usage) = (self.name, self.summary(), self.usage());
        let mut help =
            format!("cargo fixtree {name}: {summary}\n\nUsage: {usage}\n{about}\nOptions:\n");
        for opt in self.options.iter().chain([&HELP]) {
            let what = opt.help.replace('\n', "\n        ");
            help += &format!("    {}\n        {what}\n", opt.flag);
        }
        help
    }

    /// A mistake on the command line, followed by the command's usage.
    pub(crate) fn mistake(&self, message: impl Display) -> String {
        format!(
            "{message}\n\nUsage: {}\n(`cargo fixtree {} --help` says more)",
            self.usage(),
            self.name()
        )
    }

    /// `arg`, which this command does not take; an option of another
    /// command is named as such.
    fn unexpected(&self, arg: &Arg) -> String {
        let flags: Vec<&str> = self.options.iter().map(|o| o.flag).collect();
        let takes = format!("{} and --help", flags.join(", "));
        let elsewhere = match arg {
            Long(name) => COMMANDS.iter().find(|c| c.opt(name).is_some()),
            _ => None,
        };
        let shown = shown(arg);
        let message = match (elsewhere, arg) {
            (Some(other), _) => format!(
                "unexpected argument {shown:?}: it is an option of `cargo fixtree {}`; \
                 `cargo fixtree {}` takes only {takes}",
                other.name(),
                self.name()
            ),
            (None, Value(_)) if self.opt("test").is_some() => {
                format!("unexpected argument {shown:?}; to pick a test, write --test {shown}")
            }
            (None, _) => format!("unexpected argument {shown:?}; the options are {takes}"),
        };
        self.mistake(message)
    }

    /// `value` as text, or the mistake.
    pub(crate) fn text(&self, value: Option<&OsString>) -> Result<Option<String>, String> {
        let text = |value: &OsString| value.clone().string().map_err(|e| self.mistake(e));
        value.map(text).transpose()
    }
}
