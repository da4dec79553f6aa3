//! `cargo fixtree list | open | clean`: the kept test directories under
//! fixtree's base (`FIXTREE_DIR`, else `fixtree-<uid>` in the system temp
//! dir), for finding a failed test's directory and tidying up by hand. The
//! base is checked and recognised by the runtime (`kept::base`) before
//! anything in it is read or removed. They run in CI too: unlike accepting a
//! snapshot, nothing they do is lost there.

use std::time::SystemTime;

use fixtree_runtime::cli::kept::{self, Base, KeptDir, Size};

use crate::command::{Command, Options};

/// Runs `list`, `open` or `clean` with `options`; what to print, or the error.
pub(crate) fn run(command: &Command, options: &Options) -> Result<String, String> {
    // Checked as the runtime checks it, and known to be fixtree's, before
    // anything in it is read or removed.
    let base = kept::base(options.base.as_deref()).map_err(|e| e.to_string())?;
    let dirs = kept::kept_dirs(&base)
        .map_err(|e| format!("cannot list {}: {e}", base.path().display()))?;
    match command.name {
        "list" => Ok(list(&dirs, &base)),
        "open" => {
            let test = options.operand.as_deref().ok_or_else(|| {
                command.mistake(
                    "`cargo fixtree open` needs the test's name, e.g. `cargo fixtree open converts`",
                )
            })?;
            open(&dirs, test, &base)
        }
        _ => clean(&base, options),
    }
}

/// Where there is no base (a green run removes the default one): said so.
fn no_base(base: &Base) -> String {
    format!("there is no base directory {}", base.path().display())
}

fn list(dirs: &[KeptDir], base: &Base) -> String {
    if !base.exists() {
        return format!("no kept test directories: {}", no_base(base));
    }
    if dirs.is_empty() {
        return format!("no kept test directories under {}", base.path().display());
    }
    let width = dirs.iter().map(|d| d.stem.len()).max().unwrap_or(0).min(60);
    let mut out = format!("{:<width$}  {:>8}  {:>9}  PATH\n", "TEST", "AGE", "SIZE");
    for dir in dirs {
        let size = dir
            .size()
            .map_or_else(|_| "?".to_owned(), |b| Size(b).to_string());
        out += &format!(
            "{:<width$}  {:>8}  {:>9}  {}\n",
            dir.stem,
            age_text(dir.modified),
            size,
            dir.path.display()
        );
    }
    out.trim_end().to_owned()
}

fn open(dirs: &[KeptDir], test: &str, base: &Base) -> Result<String, String> {
    // Newest first: the first is the latest run's.
    match dirs.iter().find(|dir| dir.is_of(test)) {
        Some(dir) => Ok(dir.path.display().to_string()),
        None if !base.exists() => Err(format!(
            "no kept directory of test `{test}`: {}",
            no_base(base)
        )),
        None => Err(format!(
            "no kept directory of test `{test}` under {} ({}); `cargo fixtree list` shows them all",
            base.path().display(),
            match dirs.len() {
                0 => "there are none".to_owned(),
                n => format!("{n} of other tests"),
            }
        )),
    }
}

fn clean(base: &Base, options: &Options) -> Result<String, String> {
    let now = SystemTime::now();
    let select = |dir: &KeptDir| {
        let old_enough = options.older_than.is_none_or(|age| {
            now.duration_since(dir.modified)
                .is_ok_and(|elapsed| elapsed >= age)
        });
        let of_test = options.test.as_deref().is_none_or(|test| dir.is_of(test));
        old_enough && of_test
    };
    let cleaned = kept::clean(base, select, options.test.is_none())
        .map_err(|e| format!("cannot clean {}: {e}", base.path().display()))?;
    let mut out = format!(
        "removed {} director{} under {}",
        cleaned.removed.len(),
        if cleaned.removed.len() == 1 {
            "y"
        } else {
            "ies"
        },
        base.path().display()
    );
    if !base.exists() {
        out = format!("removed 0 directories: {}", no_base(base));
    }
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
        Ok(out)
    } else {
        let errors: Vec<String> = cleaned.failed.iter().map(|e| e.to_string()).collect();
        Err(format!("{out}\ncould not remove:\n{}", errors.join("\n")))
    }
}

fn age_text(modified: SystemTime) -> String {
    let seconds = SystemTime::now()
        .duration_since(modified)
        .map_or(0, |age| age.as_secs());
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        3600..86_400 => format!("{} h", seconds / 3600),
        _ => format!("{} d", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn ages_read_at_a_glance() {
        let hour_ago = SystemTime::now() - Duration::from_secs(3 * 3600 + 5);
        assert_eq!(age_text(hour_ago), "3 h");
    }
}
