//! The command line, parsed with lexopt: which command, its options
//! (`--opt VALUE` or `--opt=VALUE`; paths kept as the OS gave them, UTF-8
//! or not), and each command's help, made from one table.

use std::ffi::OsString;
use std::fmt::Display;

use lexopt::Arg::{self, Long, Short, Value};
use lexopt::{Parser, ValueExt};

/// An option with a value: its flag (`--root <DIR>`) on the first line,
/// then what it is for.
type Opt = &'static str;

/// A command: its name, with its operand if it takes one (`open <TEST>`),
/// its options, and its help, whose first line is its summary.
pub(crate) struct Command(&'static str, &'static [Opt], &'static str);

const ROOT: Opt = "--root <DIR>
where to look for pending snapshots (default: the current directory);
target/ and .git/ are skipped";

const BASE: Opt = "--base <DIR>
where to look (default: FIXTREE_DIR, else fixtree-<uid> in the temp dir); only
a directory fixtree made: the default base, FIXTREE_DIR, or one holding the
CACHEDIR.TAG that the tests write into a FIXTREE_DIR they make. A base that is a
link, not yours, or (the default) not mode 0700 is refused, as the tests refuse it.";

const OLDER_THAN: Opt = "--older-than <AGE>
only those older than AGE: a number and a unit (s, m, h, d or w), e.g. 7d";

const TEST: Opt = "--test <TEST>
only those of TEST (its path or any part of it: converts, tests::converts)";

static COMMANDS: [Command; 6] = [
    Command("review", &[ROOT], REVIEW),
    Command("accept", &[ROOT], ACCEPT),
    Command("reject", &[ROOT], REJECT),
    Command("list", &[BASE], LIST),
    Command("open <TEST>", &[BASE], OPEN),
    Command("clean", &[OLDER_THAN, TEST, BASE], CLEAN),
];

/// The flag of `opt` (`--root <DIR>`), and what it is for.
fn flag(opt: Opt) -> (&'static str, &'static str) {
    opt.split_once('\n').unwrap_or((opt, ""))
}

/// `root` of `--root <DIR>`.
fn opt_name(opt: Opt) -> &'static str {
    opt[2..].split(' ').next().unwrap_or_default()
}

const REVIEW: &str =
    "show each pending snapshot as a tree diff and ask: accept, reject, skip or quit

Shows each pending snapshot under DIR as a tree diff and asks, reading a line
from stdin:
    a  accept: the snapshot folder becomes the pending one, or the { … } of
       the assert_tree! is rewritten with the new spec
    r  reject: the pending snapshot is deleted
    s  skip: it stays pending
    q  quit: the rest stay pending
Refused when CI is set, where the change would be lost.
";

const ACCEPT: &str = "accept every pending snapshot

Accepts every pending snapshot under DIR without asking, as review's `a` does.
Refused when CI is set, where the change would be lost.
";

const REJECT: &str = "reject every pending snapshot

Deletes every pending snapshot under DIR without asking.
Refused when CI is set, where the change would be lost.
";

const LIST: &str = "kept test directories, newest first

Lists the kept test directories under the base: test, age, size, path.
";

const OPEN: &str = "the newest kept directory of a test

Prints the path of TEST's newest kept directory: cd \"$(cargo fixtree open converts)\".
TEST is the test's path or any part of it: converts, tests::converts.
";

const CLEAN: &str = "remove kept test directories

Removes kept directories (all, or those older than AGE, or of TEST), never one
a running test holds; without --test, also what killed runs left behind. Only
directories named as fixtree names them are removed.
";

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

/// What the command line gave a command: the options' values and the
/// operand (open's TEST), as the OS gave them.
#[derive(Default)]
pub(crate) struct Options {
    values: Vec<(&'static str, OsString)>,
    pub(crate) operand: Option<OsString>,
}

impl Options {
    /// The value of `--<name>`.
    pub(crate) fn get(&self, name: &str) -> Option<&OsString> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value)
    }
}

/// Parses `args` (without the program's name, nor cargo's `fixtree`):
/// the command to run, or `None` once a help or the version is printed.
pub(crate) fn parse(args: Vec<OsString>) -> Result<Option<(&'static Command, Options)>, String> {
    let print = |text: String| {
        print!("{text}");
        Ok(None)
    };
    let mut parser = Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        None => return Err(format!("no command given\n\n{}", help().trim_end())),
        Some(Short('h') | Long("help")) => return print(help()),
        Some(Short('V') | Long("version")) => {
            let version = format!("cargo-fixtree {}\n", env!("CARGO_PKG_VERSION"));
            return print(version);
        }
        Some(Value(name)) if name == "help" => match parser.next().map_err(|e| e.to_string())? {
            Some(Value(name)) => return print(find(&name)?.help()),
            _ => return print(help()),
        },
        Some(Value(name)) => find(&name)?,
        Some(other) => return Err(format!("unexpected argument {:?}", shown(&other))),
    };
    let mut options = Options::default();
    let mistake = |e: lexopt::Error| command.mistake(e);
    while let Some(arg) = parser.next().map_err(mistake)? {
        let opt = match arg {
            Short('h') | Long("help") => return print(command.help()),
            Long(name) => command.1.iter().find(|o| opt_name(o) == name),
            Value(operand) if command.0.contains(' ') && options.operand.is_none() => {
                options.operand = Some(operand);
                continue;
            }
            _ => None,
        };
        let Some(opt) = opt else {
            return Err(command.unexpected(&arg));
        };
        let value = parser.value().map_err(mistake)?;
        if options.get(opt_name(opt)).is_some() {
            let twice = format!("--{} is given twice; give it once", opt_name(opt));
            return Err(command.mistake(twice));
        }
        options.values.push((opt_name(opt), value));
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
        self.0.split(' ').next().unwrap_or_default()
    }

    fn summary(&self) -> &str {
        self.2.lines().next().unwrap_or_default()
    }

    fn takes(&self, name: &str) -> bool {
        self.1.iter().any(|o| opt_name(o) == name)
    }

    /// `cargo fixtree open <TEST> [--base <DIR>]`.
    fn usage(&self) -> String {
        let options: String = self.1.iter().map(|o| format!(" [{}]", flag(o).0)).collect();
        format!("cargo fixtree {}{options}", self.0)
    }

    /// `cargo fixtree <command> --help`.
    fn help(&self) -> String {
        let about = self.2.split_once('\n').map_or("", |(_, about)| about);
        let (name, summary, usage) = (self.name(), self.summary(), self.usage());
        let mut help =
            format!("cargo fixtree {name}: {summary}\n\nUsage: {usage}\n{about}\nOptions:\n");
        for opt in self.1.iter().chain(&["-h, --help\nprint this help"]) {
            let (flag, what) = flag(opt);
            help += &format!("    {flag}\n        {}\n", what.replace('\n', "\n        "));
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
        let flags: Vec<&str> = self.1.iter().map(|o| flag(o).0).collect();
        let takes = format!("{} and --help", flags.join(", "));
        let elsewhere = match arg {
            Long(name) => COMMANDS.iter().find(|c| c.takes(name)),
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
            (None, Value(_)) if self.takes("test") => {
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
