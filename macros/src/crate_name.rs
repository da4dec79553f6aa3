//! The name the calling crate knows fixtree by: `fixtree`, or the name its
//! Cargo.toml gives it (`tempfile = { package = "fixtree", .. }`, the one-line
//! migration from tempfile), so that generated code names the right crate.
//!
//! rstest asks `proc-macro-crate` (a TOML parser: about 10 s and 8 crates on
//! a clean build, more than these macros take). Here a line scan of the
//! dependency tables is enough for the forms a rename takes, and anything
//! it cannot read falls back to `fixtree`.

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `::fixtree::__private` (what generated code calls), or
/// `::<renamed>::__private`, for the crate being compiled. Read anew per
/// expansion: a Cargo.toml or two is cheap to scan beside an expansion, and a
/// proc-macro server (rust-analyzer's) may expand for several crates in one process.
pub(crate) fn private() -> TokenStream {
    let name = renamed().map(|key| key.replace('-', "_"));
    let name = name.filter(|name| is_identifier(name));
    let name = Ident::new(name.as_deref().unwrap_or("fixtree"), Span::call_site());
    quote!(::#name::__private)
}

/// Whether `name` can stand in a path (so `Ident::new` cannot panic on what
/// the scan found): ASCII, as Cargo's dependency names are.
fn is_identifier(name: &str) -> bool {
    name.is_ascii() && syn::parse_str::<Ident>(name).is_ok()
}

/// The key of a dependency on package `fixtree` under another name, in the
/// crate's manifest or, for `{ workspace = true }`, its workspace's.
fn renamed() -> Option<String> {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let (keys, renamed) = scan(&std::fs::read_to_string(dir.join("Cargo.toml")).ok()?);
    if keys.iter().any(|key| key == "fixtree") {
        return None;
    }
    renamed.or_else(|| {
        let workspace = dir.ancestors().skip(1).find_map(|dir| {
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
            manifest.contains("[workspace").then(|| scan(&manifest))
        });
        workspace?.1.filter(|name| keys.contains(name))
    })
}

/// Every dependency key of one Cargo.toml, and the key of one with
/// `package = "fixtree"`: in a `[*dependencies]` table, `key = { … }` and
/// `key.package = …` lines; in a `[*dependencies.key]` table, `package = …`.
fn scan(manifest: &str) -> (Vec<String>, Option<String>) {
    let (mut keys, mut renamed) = (Vec::new(), None);
    // The key a `[*dependencies.key]` table is about, or "" in a
    // `[*dependencies]` table; `None` outside dependency tables.
    let mut table: Option<String> = None;
    for line in manifest.lines() {
        // Without comments and blanks, so `package = 'fixtree'` reads `package='fixtree'`.
        let line: String = line
            .split('#')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_matches(['[', ']']);
            table = header
                .rsplit_once("dependencies")
                .and_then(|(_, name)| name.strip_prefix('.').or(name.is_empty().then_some("")))
                .map(|name| unquote(name).to_owned());
            keys.extend(table.clone().filter(|name| !name.is_empty()));
            continue;
        }
        let (Some(table), Some((key, _))) = (&table, line.split_once('=')) else {
            continue;
        };
        if table.is_empty() {
            keys.push(unquote(key.split('.').next().unwrap_or_default()).to_owned());
        }
        // The line's key, or the key whose table's header this line is under.
        if line.contains("package=\"fixtree\"") || line.contains("package='fixtree'") {
            renamed = keys.last().cloned();
        }
    }
    (keys, renamed)
}

fn unquote(key: &str) -> &str {
    key.trim_matches(['"', '\''])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(manifest: &str) -> Option<String> {
        scan(manifest).1
    }

    #[test]
    fn finds_each_form_of_a_rename() {
        let inline =
            "[dev-dependencies]\ntempfile = { version = \"0.1\", package = \"fixtree\" }\n";
        assert_eq!(renamed(inline).as_deref(), Some("tempfile"));
        let table = "[dev-dependencies.tempfile]\nversion = \"0.1\"\npackage = 'fixtree' # moved\n";
        assert_eq!(renamed(table).as_deref(), Some("tempfile"));
        let dotted = "[dependencies]\nft.version = \"0.1\"\nft.package = \"fixtree\"\n";
        assert_eq!(renamed(dotted).as_deref(), Some("ft"));
        let target = "[target.'cfg(unix)'.dev-dependencies]\nt = { package = \"fixtree\" }\n";
        assert_eq!(renamed(target).as_deref(), Some("t"));
        let workspace = "[workspace]\n[workspace.dependencies]\nt = { package = \"fixtree\" }\n";
        assert_eq!(renamed(workspace).as_deref(), Some("t"));
    }

    #[test]
    fn ignores_what_is_not_a_rename_of_fixtree() {
        for manifest in [
            "[dev-dependencies]\nfixtree = \"0.1\"\n",
            "[dev-dependencies]\ntempfile = { version = \"3\" }\n",
            "[dev-dependencies]\nmine = { package = \"fixtree-extra\" }\n",
            "[package]\nname = \"x\"\npackage = \"fixtree\"\n",
            "[features]\ntempfile = { package = \"fixtree\" }\n",
            "[dev-dependencies]\n# tempfile = { package = \"fixtree\" }\n",
        ] {
            assert_eq!(renamed(manifest), None, "{manifest}");
        }
    }

    #[test]
    fn a_name_that_cannot_be_a_path_is_not_used() {
        assert!(is_identifier("tempfile") && is_identifier("_t2"));
        for bad in ["", "_", "2x", "a b", "\"t\"", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn lists_every_dependency_key() {
        let manifest = "[dependencies]\na = \"1\"\nb.workspace = true\n[dev-dependencies.c]\nversion = \"1\"\n";
        assert_eq!(scan(manifest).0, ["a", "b", "c"]);
    }
}
