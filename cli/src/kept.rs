//! `cargo fixtree list | open | clean`: the kept test directories under
//! fixtree's base (`FIXTREE_DIR`, else `fixtree-<uid>` in the system temp
//! dir), for finding a failed test's directory and tidying up by hand. The
//! base is checked and recognised by the runtime (`kept::base`) before
//! anything in it is read or removed. They run in CI too: unlike accepting a
//! snapshot, nothing they do is lost there.

use std::path::Path;
use std::time::{Duration, SystemTime};

use fixtree_runtime::cli::kept::{self, Base, KeptDir, Size};

use crate::command::{Command, Options};

/// Runs `list`, `open` or `clean` with `options`; what to print, or the error.
pub(crate) fn run(command: &Command, options: &Options) -> Result<String, String> {
    let test = command.text(options.get("test"))?;
    let age = command.text(options.get("older-than"))?;
    let older_than = age.map(|age| parse_age(&age).map_err(|e| command.mistake(e)));
    let older_than = older_than.transpose()?;
    if command.name() == "open" && test.is_none() {
        let needs =
            "`cargo fixtree open` needs the test's name, e.g. `cargo fixtree open converts`";
        return Err(command.mistake(needs));
    }
    // Checked as the runtime checks it, and known to be fixtree's, before
    // anything in it is read or removed.
    let base = kept::base(options.get("base").map(Path::new)).map_err(|e| e.to_string())?;
    let dirs = kept::kept_dirs(&base)
        .map_err(|e| format!("cannot list {}: {e}", base.path().display()))?;
    match command.name() {
        "list" => Ok(list(&dirs, &base)),
        "open" => open(&dirs, test.as_deref().unwrap_or_default(), &base),
        _ => clean(&base, older_than, test.as_deref()),
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
    let width = dirs.iter().map(|d| d.stem.len()).max().unwrap_or(0).min(60);
    let mut out = format!("{:<width$}  {:>8}  {:>9}  PATH\n", "TEST", "AGE", "SIZE");
    for dir in dirs {
        let size = dir.size().map_or("?".to_owned(), |b| Size(b).to_string());
        let (stem, age, path) = (&dir.stem, age_text(dir.modified), dir.path.display());
        out += &format!("{stem:<width$}  {age:>8}  {size:>9}  {path}\n");
    }
    out.trim_end().to_owned()
}

fn open(dirs: &[KeptDir], test: &str, base: &Base) -> Result<String, String> {
    // Newest first: the first is the latest run's.
    if let Some(dir) = dirs.iter().find(|dir| dir.is_of(test)) {
        return Ok(dir.path.display().to_string());
    }
    let mut message = under(base, &format!("no kept directory of test `{test}`"));
    if base.exists() {
        let others = match dirs.len() {
            0 => "there are none".to_owned(),
            n => format!("{n} of other tests"),
        };
        message += &format!(" ({others}); `cargo fixtree list` shows them all");
    }
    Err(message)
}

fn clean(base: &Base, older_than: Option<Duration>, test: Option<&str>) -> Result<String, String> {
    let select = |dir: &KeptDir| {
        let old = older_than.is_none_or(|age| dir.modified.elapsed().is_ok_and(|e| e >= age));
        old && test.is_none_or(|test| dir.is_of(test))
    };
    let cleaned = kept::clean(base, select, |_| test.is_none())
        .map_err(|e| format!("cannot clean {}: {e}", base.path().display()))?;
    let n = cleaned.removed.len();
    let mut out = under(
        base,
        &format!("removed {n} director{}", if n == 1 { "y" } else { "ies" }),
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
