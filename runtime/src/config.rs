//! Every environment variable fixtree reads, parsed here and nowhere else.
//!
//! | variable | values | read |
//! |---|---|---|
//! | `FIXTREE_KEEP` | `on-failure` (default), `always`, `never` | once per process |
//! | `FIXTREE_RETAIN` | a whole number (default 3) | once per process |
//! | `FIXTREE_DIR` | a directory (default: one per user in the temp dir) | once per process |
//! | `FIXTREE_UPDATE` | `1`/`true`/`yes`/`on` (overwrite), `review` (record as pending), or `0`/`false`/`no`/`off` (default) | once per process |
//! | `CI` | set by CI services: anything but empty, `0`, `false` means CI | once per process |
//! | `NO_COLOR` | anything non-empty turns colour off (no-color.org), even where `CLICOLOR_FORCE` is set | once per process |
//! | `CLICOLOR_FORCE` | anything but empty or `0` turns colour on where stderr is not a terminal (bixense.com/clicolors) | once per process |
//! | `CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME` | set by `cargo test` and `cargo nextest run`: where snapshot folders are found | once per process |
//!
//! fixtree's own variables are strict: a value that is not one of those
//! listed is an error naming the variable, the value and what is accepted,
//! never a guess (`FIXTREE_UPDATE=no` once rewrote snapshot folders). An
//! empty value is the same as an unset one, so `FIXTREE_KEEP= cargo test`
//! restores the default. `CI`, `NO_COLOR` and `CLICOLOR_FORCE` belong to
//! other conventions and follow their readings instead.
//!
//! Each is read once per process: every test of a run sees the same setting,
//! and a test that changes the environment cannot change how the tests
//! around it keep, prune or update. (`TMPDIR`, read by
//! [`env::temp_dir`](crate::env::temp_dir), is tempfile's and is read on each call, as
//! tempfile does.)

use std::collections::HashMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// `FIXTREE_KEEP`: which test directories outlive their test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    OnFailure,
    Always,
    Never,
}

/// `FIXTREE_UPDATE`: what `assert_tree!(…, from = …)` does with a snapshot folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Update {
    /// Compare, and fail on a difference.
    Compare,
    /// Rewrite the folder to match the directory.
    Overwrite,
    /// Record what the folder (or inline spec) would become as pending,
    /// for `cargo fixtree review`, and fail.
    Review,
}

/// One of fixtree's own variables: its name, the values it accepts, and its default.
struct Setting<T: 'static> {
    name: &'static str,
    /// Completes "… is not": the values accepted, for the error.
    accepted: &'static str,
    default: T,
    parse: fn(&str) -> Option<T>,
}

impl<T: Clone> Setting<T> {
    /// The value, or what is wrong with it: the variable, the value and what is accepted.
    fn read(&self, value: Option<OsString>) -> Result<T, String> {
        let Some(value) = value else {
            return Ok(self.default.clone());
        };
        value.to_str().and_then(self.parse).ok_or_else(|| {
            format!(
                "{}={:?} is not {}; set one of those, or unset it for the default",
                self.name,
                value.to_string_lossy(),
                self.accepted
            )
        })
    }
}

impl<T: Clone + 'static> Setting<T> {
    /// The value, read from the environment the first time `cell` is asked.
    fn get(&self, cell: &'static OnceLock<Result<T, String>>) -> Result<T, String> {
        cell.get_or_init(|| self.read(var(self.name))).clone()
    }
}

const KEEP_SETTING: Setting<Keep> = Setting {
    name: "FIXTREE_KEEP",
    accepted: "one of on-failure (the default), always, never",
    default: Keep::OnFailure,
    parse: |value| match value {
        "on-failure" => Some(Keep::OnFailure),
        "always" => Some(Keep::Always),
        "never" => Some(Keep::Never),
        _ => None,
    },
};

const RETAIN: Setting<usize> = Setting {
    name: "FIXTREE_RETAIN",
    accepted: "a whole number of directories to keep per test (the default is 3)",
    default: 3,
    parse: |value| value.parse().ok(),
};

const UPDATE: Setting<Update> = Setting {
    name: "FIXTREE_UPDATE",
    accepted: "one of 1, true, yes, on (rewrite snapshot folders), review (record changes as \
               pending, for `cargo fixtree review`) or 0, false, no, off (compare, the default)",
    default: Update::Compare,
    parse: |value| match value {
        "1" | "true" | "yes" | "on" => Some(Update::Overwrite),
        "review" => Some(Update::Review),
        "0" | "false" | "no" | "off" => Some(Update::Compare),
        _ => None,
    },
};

/// Which test directories outlive their test.
pub(crate) fn keep() -> Result<Keep, String> {
    static CELL: OnceLock<Result<Keep, String>> = OnceLock::new();
    KEEP_SETTING.get(&CELL)
}

/// How many kept directories of one test survive.
pub(crate) fn retain() -> Result<usize, String> {
    static CELL: OnceLock<Result<usize, String>> = OnceLock::new();
    RETAIN.get(&CELL)
}

/// What `assert_tree!(…, from = …)` does with a snapshot folder.
pub(crate) fn update() -> Result<Update, String> {
    static CELL: OnceLock<Result<Update, String>> = OnceLock::new();
    UPDATE.get(&CELL)
}

/// `FIXTREE_DIR`: the base of test directories, if the user chose one, made
/// absolute when first read: a test that changes the working directory
/// must not move the base of the tests after it. Any path is accepted here;
/// the fixture checks the directory itself.
pub(crate) fn base_dir() -> Option<io::Result<PathBuf>> {
    static DIR: OnceLock<Option<Result<PathBuf, String>>> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        var("FIXTREE_DIR").map(|dir| {
            std::path::absolute(&dir).map_err(|e| {
                format!(
                    "FIXTREE_DIR={:?} is relative, and the working directory it is relative to is unknown: {e}",
                    dir.to_string_lossy()
                )
            })
        })
    });
    dir.clone().map(|dir| dir.map_err(io::Error::other))
}

/// Whether this is a CI run. Read as insta and most tools read it, since
/// CI services set it to many values (`true`, `1`, `woodpecker`, …): set,
/// and not empty, `0` or `false`.
pub(crate) fn ci() -> bool {
    static CI: OnceLock<bool> = OnceLock::new();
    *CI.get_or_init(|| var("CI").is_some_and(|v| !matches!(v.to_str(), Some("0" | "false"))))
}

/// Whether to colour what goes to a stream that `is_terminal` or not.
/// `NO_COLOR` (set and not empty, as no-color.org says) wins over
/// `CLICOLOR_FORCE` (set and not empty or `0`, as bixense.com/clicolors
/// says): turning colour off is the safe choice.
pub(crate) fn color(is_terminal: bool) -> bool {
    static FORCED: OnceLock<Option<bool>> = OnceLock::new();
    let forced = FORCED.get_or_init(|| forced_color(var("NO_COLOR"), var("CLICOLOR_FORCE")));
    forced.unwrap_or(is_terminal)
}

/// Colour on or off as the variables say, `None` where they leave it to the terminal.
fn forced_color(no_color: Option<OsString>, force: Option<OsString>) -> Option<bool> {
    match (no_color, force) {
        (Some(_), _) => Some(false),
        (None, Some(force)) if force != "0" => Some(true),
        _ => None,
    }
}

/// The test process's `CARGO_MANIFEST_DIR` and `CARGO_PKG_NAME`, as cargo
/// and nextest set them (possibly for a checkout other than the one the test
/// was compiled in: see `SnapshotFolder::locate`).
pub(crate) fn run_time_crate() -> &'static (Option<OsString>, Option<OsString>) {
    static CRATE: OnceLock<(Option<OsString>, Option<OsString>)> = OnceLock::new();
    CRATE.get_or_init(|| (var("CARGO_MANIFEST_DIR"), var("CARGO_PKG_NAME")))
}

/// `cargo test -p <package> --test <target> <test>`, the command that runs
/// `test` (empty: the crate's tests) again, from the test's source file
/// `caller` (`file!()`); a part the test process cannot know for sure is
/// left out, not guessed.
pub(crate) fn test_command(caller: &str, test: &str) -> String {
    let (manifest_dir, package) = run_time_crate();
    let package = package.as_ref().and_then(|package| package.to_str());
    // Worked out once per source file: every assertion's report names it.
    static TARGETS: OnceLock<Mutex<HashMap<String, Option<String>>>> = OnceLock::new();
    let target = (manifest_dir.as_ref().zip(package))
        .filter(|_| !test.is_empty())
        .and_then(|(dir, package)| {
            let mut targets = TARGETS.get_or_init(Mutex::default).lock();
            let targets = targets.as_deref_mut().ok()?;
            let found = targets.entry(caller.to_owned());
            found
                .or_insert_with(|| target_flag(Path::new(dir), package, caller))
                .clone()
        });
    let parts = [
        package.map(|package| format!("-p {package}")),
        target,
        Some(test.to_owned()).filter(|test| !test.is_empty()),
    ];
    parts
        .into_iter()
        .flatten()
        .fold("cargo test".to_owned(), |command, part| {
            command + " " + &part
        })
}

/// The flag that selects the target whose source is `caller`
/// (`--test it`, `--lib`), when the test binary's name agrees with it.
fn target_flag(manifest_dir: &Path, package: &str, caller: &str) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    // Cargo names a test binary `<crate>-<16 hex digits>`.
    let (krate, hash) = exe.file_stem()?.to_str()?.rsplit_once('-')?;
    if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // `file!()` is relative to the workspace root, an ancestor of the crate's directory.
    let caller = Path::new(caller);
    let file = match caller.is_absolute() {
        true => caller.strip_prefix(manifest_dir).ok()?,
        false => manifest_dir.ancestors().find_map(|root| {
            let within = manifest_dir.strip_prefix(root).ok()?;
            caller
                .strip_prefix(within)
                .ok()
                .filter(|_| root.join(caller).is_file())
        })?,
    };
    let segments: Vec<&str> = file.iter().map(|s| s.to_str()).collect::<Option<_>>()?;
    let has = |path: &str| manifest_dir.join(path).is_file();
    target_of(
        &segments,
        krate,
        package,
        has("src/lib.rs"),
        has("src/main.rs"),
    )
}

/// [`target_flag`] for the source file whose path in the package is
/// `segments`, in a test binary of the crate `krate`: cargo's own layout
/// only (a `[[test]]` elsewhere is not known).
fn target_of(
    segments: &[&str],
    krate: &str,
    package: &str,
    has_lib: bool,
    has_main: bool,
) -> Option<String> {
    let is_crate = |target: &str| target.replace('-', "_") == krate;
    // `tests/it.rs` or `tests/it/…` is the target `it`.
    fn named<'a>(rest: &[&'a str]) -> Option<&'a str> {
        match rest {
            [file] => file.strip_suffix(".rs"),
            [dir, _, ..] => Some(dir),
            [] => None,
        }
    }
    let (flag, target) = match segments {
        ["tests", rest @ ..] => ("--test", named(rest)?),
        ["benches", rest @ ..] => ("--bench", named(rest)?),
        ["examples", rest @ ..] => ("--example", named(rest)?),
        ["src", "bin", rest @ ..] => ("--bin", named(rest)?),
        ["src", rest @ ..] => {
            let lib = rest == ["lib.rs"] || (has_lib && !has_main && rest != ["main.rs"]);
            let bin = rest == ["main.rs"] || (has_main && !has_lib);
            return match (lib, bin) {
                (true, false) => is_crate(package).then(|| "--lib".to_owned()),
                (false, true) => is_crate(package).then(|| format!("--bin {package}")),
                // A module that the library and the binary may both hold.
                _ => None,
            };
        }
        _ => return None,
    };
    is_crate(target).then(|| format!("{flag} {target}"))
}

/// The variable's value; `None` if unset or empty, which mean the same.
fn var(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: Clone>(setting: &Setting<T>, value: Option<&str>) -> Result<T, String> {
        setting.read(value.map(OsString::from))
    }

    #[test]
    fn unset_means_the_default() {
        assert_eq!(read(&KEEP_SETTING, None), Ok(Keep::OnFailure));
        assert_eq!(read(&RETAIN, None), Ok(3));
        assert_eq!(read(&UPDATE, None), Ok(Update::Compare));
    }

    #[test]
    fn update_is_on_only_when_asked_for() {
        for on in ["1", "true", "yes", "on"] {
            assert_eq!(read(&UPDATE, Some(on)), Ok(Update::Overwrite), "{on}");
        }
        for off in ["0", "false", "no", "off"] {
            assert_eq!(read(&UPDATE, Some(off)), Ok(Update::Compare), "{off}");
        }
        assert_eq!(read(&UPDATE, Some("review")), Ok(Update::Review));
        for bad in ["2", "TRUE", "y", " 1", "overwrite", "Review", "pending"] {
            assert!(read(&UPDATE, Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_value_names_the_variable_the_value_and_the_choices() {
        assert_eq!(
            read(&KEEP_SETTING, Some("sometimes"))
                .unwrap_err()
                .to_string(),
            "FIXTREE_KEEP=\"sometimes\" is not one of on-failure (the default), always, never; \
             set one of those, or unset it for the default"
        );
        assert_eq!(read(&RETAIN, Some("7")), Ok(7));
        assert!(read(&RETAIN, Some("-1")).is_err());
        assert_eq!(read(&KEEP_SETTING, Some("never")), Ok(Keep::Never));
    }

    #[test]
    fn the_target_flag_is_the_one_cargo_layout_gives_the_source_or_none() {
        let target = |path: &str, krate: &str, lib: bool, main: bool| {
            let segments: Vec<&str> = path.split('/').collect();
            target_of(&segments, krate, "my-app", lib, main)
        };
        let flag = |path, krate| target(path, krate, true, true);
        assert_eq!(flag("tests/it/review.rs", "it"), Some("--test it".into()));
        assert_eq!(
            flag("tests/cli-run.rs", "cli_run"),
            Some("--test cli-run".into())
        );
        assert_eq!(
            flag("benches/speed.rs", "speed"),
            Some("--bench speed".into())
        );
        assert_eq!(
            flag("examples/demo/main.rs", "demo"),
            Some("--example demo".into())
        );
        assert_eq!(flag("src/bin/tool.rs", "tool"), Some("--bin tool".into()));
        assert_eq!(flag("src/lib.rs", "my_app"), Some("--lib".into()));
        assert_eq!(flag("src/main.rs", "my_app"), Some("--bin my-app".into()));
        assert_eq!(
            target("src/a/b.rs", "my_app", true, false),
            Some("--lib".into())
        );
        assert_eq!(
            target("src/a.rs", "my_app", false, true),
            Some("--bin my-app".into())
        );
        // Cannot be known: a module of both, a helper shared by test
        // targets, a library named otherwise, a `[[test]]` elsewhere.
        assert_eq!(flag("src/a.rs", "my_app"), None);
        assert_eq!(flag("tests/common/mod.rs", "it"), None);
        assert_eq!(flag("src/lib.rs", "renamed"), None);
        assert_eq!(flag("checks/it.rs", "it"), None);
    }

    #[test]
    fn no_color_wins_over_clicolor_force_and_force_zero_is_not_forced() {
        let color = |no: Option<&str>, force: Option<&str>| {
            forced_color(no.map(OsString::from), force.map(OsString::from))
        };
        assert_eq!(color(None, None), None);
        assert_eq!(color(None, Some("1")), Some(true));
        assert_eq!(color(None, Some("yes")), Some(true));
        assert_eq!(color(None, Some("0")), None);
        assert_eq!(color(Some("1"), None), Some(false));
        assert_eq!(color(Some("1"), Some("1")), Some(false));
    }
}
