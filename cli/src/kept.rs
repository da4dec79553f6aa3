//! `cargo fixtree list | open | clean`: the kept test directories under
//! fixtree's base (`FIXTREE_DIR`, else `fixtree-<uid>` in the system temp
//! dir), for finding a failed test's directory and tidying up by hand. The
//! base is checked and recognised by the runtime (`kept::base`) before
//! anything in it is read or removed. They run in CI too: unlike accepting a
//! snapshot, nothing they do is lost there.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use fixtree_runtime::cli::kept::{self, Base, KeptDir};

/// The usage of these subcommands, for `--help`.
pub const USAGE: &str = "    cargo fixtree list [--base DIR]
        kept test directories, newest first: test, age, size, path
    cargo fixtree open TEST [--base DIR]
        the path of TEST's newest kept directory: cd \"$(cargo fixtree open converts)\"
    cargo fixtree clean [--older-than AGE] [--test TEST] [--base DIR]
        removes kept directories (all, or those older than AGE, e.g. 30m, 12h, 7d, 2w,
        or of TEST), never one a running test holds; without --test, also what killed
        runs left behind. Only directories named as fixtree names them are removed.
    --base DIR
        where to look (default: FIXTREE_DIR, else fixtree-<uid> in the temp dir); only
        a directory fixtree made: the default base, FIXTREE_DIR, or one holding the
        CACHEDIR.TAG that the tests write into a FIXTREE_DIR they make. A base that is a
        link, not yours, or (the default) not mode 0700 is refused, as the tests refuse it.
    These three also run when CI is set: e.g. to find a failed test's kept directory
    and upload it.";

/// Runs `list`, `open` or `clean` with `args`; what to print, or the error.
pub fn run(command: &str, args: &[String]) -> Result<String, String> {
    let options = Options::parse(args)?;
    // Checked as the runtime checks it, and known to be fixtree's, before
    // anything in it is read or removed.
    let base = kept::base(options.base.as_deref()).map_err(|e| e.to_string())?;
    let dirs = kept::kept_dirs(&base)
        .map_err(|e| format!("cannot list {}: {e}", base.path().display()))?;
    match command {
        "list" => {
            options.refuse_filters("list")?;
            Ok(list(&dirs, &base))
        }
        "open" => {
            let test = options.positional.as_deref().ok_or(format!(
                "`cargo fixtree open` needs the test's name, e.g. `cargo fixtree open converts`\n{USAGE}"
            ))?;
            open(&dirs, test, &base)
        }
        "clean" => clean(&base, &options),
        other => Err(format!("unknown subcommand `{other}`")),
    }
}

/// Where there is no base (a green run removes the default one): said so.
fn no_base(base: &Base) -> String {
    format!("there is no base directory {}", base.path().display())
}

/// The options of the three subcommands.
#[derive(Default)]
struct Options {
    base: Option<PathBuf>,
    older_than: Option<Duration>,
    test: Option<String>,
    positional: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("`{name}` needs a value\n{USAGE}"))
            };
            match arg.as_str() {
                "--base" => options.base = Some(value("--base")?.into()),
                "--older-than" => options.older_than = Some(parse_age(&value("--older-than")?)?),
                "--test" => options.test = Some(value("--test")?),
                flag if flag.starts_with('-') => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"));
                }
                _ if options.positional.is_none() => options.positional = Some(arg.clone()),
                extra => return Err(format!("unexpected argument `{extra}`\n{USAGE}")),
            }
        }
        Ok(options)
    }

    fn refuse_filters(&self, command: &str) -> Result<(), String> {
        if self.older_than.is_some() || self.test.is_some() || self.positional.is_some() {
            return Err(format!(
                "`cargo fixtree {command}` takes only --base\n{USAGE}"
            ));
        }
        Ok(())
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
        let size = dir.size().map_or_else(|_| "?".to_owned(), size_text);
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
    if let Some(extra) = &options.positional {
        return Err(format!(
            "unexpected argument `{extra}`; to pick a test, write --test {extra}\n{USAGE}"
        ));
    }
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

fn size_text(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
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

    #[test]
    fn sizes_and_ages_read_at_a_glance() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1536), "1.5 KiB");
        assert_eq!(size_text(3 * 1_048_576), "3.0 MiB");
        let hour_ago = SystemTime::now() - Duration::from_secs(3 * 3600 + 5);
        assert_eq!(age_text(hour_ago), "3 h");
    }
}
