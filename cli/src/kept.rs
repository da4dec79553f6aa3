//! `cargo fixtree list | open | clean`: the kept test directories under
//! fixtree's base (`FIXTREE_DIR`, else `fixtree-<uid>` in the system temp
//! dir), for finding a failed test's directory and tidying up by hand. The
//! base is checked and recognised by the runtime (`kept::base`) before
//! anything in it is read or removed. They run in CI too: unlike accepting a
//! snapshot, nothing they do is lost there.
//!
//! Each directory belongs to a crate. `list` shows every crate's; `open`
//! and `clean` act on the crate of the current directory (the nearest
//! `Cargo.toml` with `[package]`; at a workspace root, every crate under
//! it), unless `--crate` or `--all-crates` says otherwise.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use fixtree_runtime::cli::kept::{self, Base, Crate, KeptDir, Size};
use fixtree_runtime::cli::review::read_regular;

use crate::command::{Command, Options};

/// Runs `list`, `open` or `clean` with `options`; what to print, or the error.
pub(crate) fn run(command: &Command, options: &Options) -> Result<String, String> {
    let text = |name| command.text(options.get(name));
    let (test, label, package) = (text("test")?, text("label")?, text("crate")?);
    let age = text("older-than")?;
    let older_than = age.map(|age| parse_age(&age).map_err(|e| command.mistake(e)));
    let older_than = older_than.transpose()?;
    if command.name() == "open" && test.is_none() {
        let needs =
            "`cargo fixtree open` needs the test's name, e.g. `cargo fixtree open converts`";
        return Err(command.mistake(needs));
    }
    let scope = match (package, options.contains_key("all-crates")) {
        (Some(_), true) => {
            return Err(command.mistake("give --crate or --all-crates, not both"));
        }
        (Some(package), false) => Scope::Package(package),
        (None, true) => Scope::All,
        (None, false) => Scope::here(options.contains_key("base")),
    };
    if matches!(scope, Scope::Outside) && command.name() != "list" {
        eprintln!(
            "note: no Cargo.toml here or above, so every crate's directories count; \
             --crate NAME picks one"
        );
    }
    // Checked as the runtime checks it, and known to be fixtree's, before
    // anything in it is read or removed.
    let base = kept::base(options.get("base").map(Path::new)).map_err(|e| e.to_string())?;
    if command.name() == "clean" {
        return clean(&base, older_than, test.as_deref(), &scope);
    }
    let dirs = kept::kept_dirs(&base)
        .map_err(|e| format!("cannot list {}: {e}", base.path().display()))?;
    match command.name() {
        "list" => Ok(list(&dirs, &base)),
        _ => {
            let test = test.as_deref().unwrap_or_default();
            open(&dirs, test, label.as_deref(), &scope, &base)
        }
    }
}

/// The most of a `Cargo.toml` read to find the crate here.
const MANIFEST_LIMIT: u64 = 1 << 20;

/// Whose directories `open` and `clean` act on.
#[derive(Debug)]
enum Scope {
    /// `--all-crates`: every crate's, and those of no crate.
    All,
    /// `--crate NAME`.
    Package(String),
    /// The crate at this directory: the nearest `Cargo.toml` has `[package]`.
    Crate(PathBuf, Elsewhere),
    /// Every crate under this directory: the nearest `Cargo.toml` has only
    /// `[workspace]`.
    Workspace(PathBuf, Elsewhere),
    /// Every crate's: no `Cargo.toml` here or above.
    Outside,
}

/// Whether the crates whose directory is not on this machine are in a
/// scope of the crates here: only in a base given with `--base`, as one
/// downloaded from CI is. In the user's own base they are deleted worktrees
/// and removed temporary crates, whose directories `--crate` or `--all-crates` take.
type Elsewhere = bool;

impl Scope {
    /// The scope of the current directory; `elsewhere`: whether `--base` was given.
    fn here(elsewhere: Elsewhere) -> Scope {
        let Ok(cwd) = std::env::current_dir() else {
            return Scope::Outside;
        };
        for dir in cwd.ancestors() {
            // Not through a link, not a fifo, not a huge file: none is a manifest of the user's.
            let Ok(manifest) = read_regular(&dir.join("Cargo.toml"), MANIFEST_LIMIT) else {
                continue;
            };
            // A comment may follow a table's header: `[package] # the app`.
            let has = |table: &str| {
                let header =
                    |line: &str| line.split('#').next().unwrap_or_default().trim() == table;
                manifest.lines().any(header)
            };
            if has("[package]") {
                return Scope::Crate(dir.to_owned(), elsewhere);
            }
            if has("[workspace]") {
                return Scope::Workspace(dir.to_owned(), elsewhere);
            }
        }
        Scope::Outside
    }

    /// Whether the directories of `krate` (`None`: kept outside any crate by
    /// an older fixtree) are in scope. Directories are compared as the
    /// same directory on disk, not as text; a crate whose directory is not
    /// on this machine is in a scope of the crates here as [`Elsewhere`] says.
    fn holds(&self, krate: Option<&Crate>) -> bool {
        let Some(krate) = krate else {
            return matches!(self, Scope::All);
        };
        let manifest_dir = fs::canonicalize(&krate.manifest_dir).ok();
        let here = |dir: &Path, elsewhere: &Elsewhere, fits: &dyn Fn(&Path, &Path) -> bool| {
            match &manifest_dir {
                None => *elsewhere,
                Some(m) => fs::canonicalize(dir).is_ok_and(|d| fits(m, &d)),
            }
        };
        match self {
            Scope::All | Scope::Outside => true,
            Scope::Package(package) => krate.package == *package,
            Scope::Crate(dir, elsewhere) => here(dir, elsewhere, &|m, d| m == d),
            Scope::Workspace(root, elsewhere) => here(root, elsewhere, &|m, r| m.starts_with(r)),
        }
    }

    /// What the scope is, for messages: ` in crate app`.
    fn describe(&self) -> String {
        match self {
            Scope::All | Scope::Outside => String::new(),
            Scope::Package(package) => format!(" of crate {package}"),
            Scope::Crate(dir, _) => format!(" of the crate at {}", dir.display()),
            Scope::Workspace(root, _) => format!(" of the crates under {}", root.display()),
        }
    }
}

/// `what` under the base, or `what` and that there is no base (a green run
/// removes the default one).
fn under(base: &Base, what: &str) -> String {
    let path = base.path().display();
    match base.exists() {
        true => format!("{what} under {path}"),
        false => format!("{what}: there is no base directory {path}"),
    }
}

fn list(dirs: &[KeptDir], base: &Base) -> String {
    if dirs.is_empty() {
        return under(base, "no kept test directories");
    }
    let crates: Vec<String> = dirs.iter().map(|dir| crate_name(dir, dirs)).collect();
    let crate_width = crates.iter().map(String::len).max().unwrap_or(0).max(5);
    let width = dirs.iter().map(|d| d.stem.len()).max().unwrap_or(0).min(60);
    let mut out = format!(
        "{:<crate_width$}  {:<width$}  {:>8}  {:>9}  PATH\n",
        "CRATE", "TEST", "AGE", "SIZE"
    );
    for (dir, krate) in dirs.iter().zip(&crates) {
        let size = dir.size().map_or("?".to_owned(), |b| Size(b).to_string());
        let (stem, age, path) = (&dir.stem, age_text(dir.modified), dir.path.display());
        out += &format!("{krate:<crate_width$}  {stem:<width$}  {age:>8}  {size:>9}  {path}\n");
    }
    out.trim_end().to_owned()
}

/// The crate of `dir` as `list` shows it: its package, with its manifest
/// directory if another crate among `dirs` has the same name; `?` for one
/// of no crate.
fn crate_name(dir: &KeptDir, dirs: &[KeptDir]) -> String {
    let Some(krate) = &dir.krate else {
        return "?".to_owned();
    };
    let namesake = |other: &KeptDir| {
        other
            .krate
            .as_ref()
            .is_some_and(|o| o.package == krate.package && o != krate)
    };
    match dirs.iter().any(namesake) {
        true => format!("{} ({})", krate.package, krate.manifest_dir.display()),
        false => krate.package.clone(),
    }
}

/// The newest directory that `wanted` names: a path `list` printed,
/// wherever it is; else, in `scope`, a name `list` printed, or a test's path,
/// whose own directory (or, with `label`, the one `test_dir!(label)` made)
/// is the answer, unless the name is that of two tests.
fn open(
    dirs: &[KeptDir],
    wanted: &str,
    label: Option<&str>,
    scope: &Scope,
    base: &Base,
) -> Result<String, String> {
    // A path list printed is the answer wherever it is asked for.
    if let Ok(wanted) = fs::canonicalize(wanted) {
        let same = |dir: &&KeptDir| fs::canonicalize(&dir.path).is_ok_and(|d| d == wanted);
        if let Some(dir) = dirs.iter().find(same) {
            return Ok(dir.path.display().to_string());
        }
    }
    let in_scope: Vec<&KeptDir> = dirs
        .iter()
        .filter(|dir| scope.holds(dir.krate.as_ref()))
        .collect();
    let of_test: Vec<&KeptDir> = in_scope
        .iter()
        .copied()
        .filter(|dir| dir.is_of(wanted))
        .collect();
    // A name list printed, else the test's own directories (or labelled ones).
    let by_name = in_scope.iter().copied().filter(|dir| dir.stem == wanted);
    let mut matching: Vec<&KeptDir> = by_name.collect();
    if matching.is_empty() {
        matching = (of_test.iter().copied())
            .filter(|dir| dir.label() == label)
            .collect();
    }
    let tests: BTreeSet<(String, &str)> = matching
        .iter()
        .map(|dir| (crate_name(dir, dirs), dir.test()))
        .collect();
    if tests.len() > 1 {
        let names: Vec<String> = tests
            .iter()
            .map(|(krate, test)| format!("{test} (crate {krate})"))
            .collect();
        return Err(format!(
            "`{wanted}` matches the directories of {}: give more of the test's path, or --crate",
            names.join(" and ")
        ));
    }
    if let Some(dir) = matching.first() {
        return Ok(dir.path.display().to_string());
    }
    let whose = match label {
        Some(label) => format!("test `{wanted}` labelled {label}"),
        None => format!("test `{wanted}`"),
    };
    let mut message = under(
        base,
        &format!("no kept directory of {whose}{}", scope.describe()),
    );
    if base.exists() {
        let labels: BTreeSet<&str> = of_test.iter().filter_map(|dir| dir.label()).collect();
        let others = match (labels.is_empty(), in_scope.len(), dirs.len()) {
            (false, ..) => {
                let labels: Vec<&str> = labels.into_iter().collect();
                format!(
                    "it has directories labelled {}: add --label",
                    labels.join(", ")
                )
            }
            (true, _, 0) => "there are none".to_owned(),
            (true, 0, n) => format!("{n} of other crates: --all-crates looks at every crate"),
            (true, n, _) => format!("{n} of other tests"),
        };
        message += &format!(" ({others}); `cargo fixtree list` shows them all");
    }
    Err(message)
}

fn clean(
    base: &Base,
    older_than: Option<Duration>,
    test: Option<&str>,
    scope: &Scope,
) -> Result<String, String> {
    let select = |dir: &KeptDir| {
        let old = older_than.is_none_or(|age| dir.modified.elapsed().is_ok_and(|e| e >= age));
        old && scope.holds(dir.krate.as_ref()) && test.is_none_or(|test| dir.is_of(test))
    };
    let leftovers = |krate: Option<&Crate>| test.is_none() && scope.holds(krate);
    let cleaned = kept::clean(base, select, leftovers)
        .map_err(|e| format!("cannot clean {}: {e}", base.path().display()))?;
    let n = cleaned.removed.len();
    let mut out = under(
        base,
        &format!(
            "removed {n} director{}{}",
            if n == 1 { "y" } else { "ies" },
            scope.describe()
        ),
    );
    for path in &cleaned.held {
        out += &format!("\nleft {}: a running test holds it", path.display());
    }
    for path in &cleaned.young {
        out += &format!(
            "\nleft {}: empty and made less than a minute ago, maybe by a test starting now; clean again in a minute",
            path.display()
        );
    }
    if cleaned.failed.is_empty() {
        return Ok(out);
    }
    let errors: Vec<String> = cleaned.failed.iter().map(|e| e.to_string()).collect();
    Err(format!("{out}\ncould not remove:\n{}", errors.join("\n")))
}

fn age_text(modified: SystemTime) -> String {
    let seconds = modified.elapsed().map_or(0, |age| age.as_secs());
    let units = [("d", 86_400), ("h", 3600), ("min", 60)];
    let (unit, size) = units
        .into_iter()
        .find(|(_, size)| seconds >= *size)
        .unwrap_or(("s", 1));
    format!("{} {unit}", seconds / size)
}

/// `30s`, `10m`, `12h`, `7d`, `2w`.
fn parse_age(text: &str) -> Result<Duration, String> {
    let digits = text.find(|c: char| !c.is_ascii_digit());
    let (number, unit) = text.split_at(digits.unwrap_or(text.len()));
    let seconds = match unit {
        "s" => Some(1),
        "m" => Some(60),
        "h" => Some(3600),
        "d" => Some(86_400),
        "w" => Some(7 * 86_400),
        _ => None,
    };
    match (number.parse::<u64>(), seconds) {
        (Ok(n), Some(seconds)) => Ok(Duration::from_secs(n.saturating_mul(seconds))),
        _ => Err(format!(
            "`--older-than {text}`: write a number and a unit, s, m, h, d or w, e.g. 7d"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_at_a_glance() {
        let hour_ago = SystemTime::now() - Duration::from_secs(3 * 3600 + 5);
        assert_eq!(age_text(hour_ago), "3 h");
    }

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
