//! The options every command takes, parsed by hand: there are few, and a
//! command-line parser would be most of the build.

use std::ffi::OsString;
use std::path::PathBuf;

/// What a command works on.
pub(crate) struct Common {
    /// Where pending snapshots are looked for.
    pub(crate) root: PathBuf,
    /// `--help` was given: the command prints its help instead.
    pub(crate) help: bool,
}

/// `--root <DIR>` (or `--root=<DIR>`) and `-h`/`--help`; anything else is
/// an error naming it.
pub(crate) fn common(args: &[OsString]) -> Result<Common, String> {
    let mut root = None;
    let mut help = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "-h" || text == "--help" {
            help = true;
        } else if text == "--root" {
            let dir = args
                .next()
                .ok_or("--root takes a directory: --root <DIR>")?;
            set_root(&mut root, PathBuf::from(dir))?;
        } else if let Some(dir) = text.strip_prefix("--root=") {
            set_root(&mut root, PathBuf::from(dir))?;
        } else {
            return Err(format!(
                "unexpected argument {text:?}; the options are --root <DIR> and --help"
            ));
        }
    }
    let root = match root {
        Some(root) => root,
        None => std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}; give --root <DIR>"))?,
    };
    Ok(Common { root, help })
}

fn set_root(root: &mut Option<PathBuf>, dir: PathBuf) -> Result<(), String> {
    if root.replace(dir).is_some() {
        return Err("--root is given twice; give one directory".to_owned());
    }
    Ok(())
}
