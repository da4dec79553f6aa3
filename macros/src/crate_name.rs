//! The name the calling crate knows fixtree by: `fixtree`, or the name its
//! Cargo.toml gives it (`tempfile = { package = "fixtree", .. }`, the one-line
//! migration from tempfile), so that generated code names the right crate.
//!
//! rstest asks `proc-macro-crate` (a TOML parser: about 10 s and 8 crates on
//! a clean build, more than these macros take). Cargo.toml is read here with
//! a scan of its dependency tables instead, which is enough for the forms a
//! rename takes, and falls back to `fixtree` for anything it cannot read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `::fixtree::__private` (what generated code calls), or
/// `::<renamed>::__private`, for the crate being compiled.
pub(crate) fn private() -> TokenStream {
    let name = Ident::new(&name(), Span::call_site());
    quote!(::#name::__private)
}

/// The name, read once per crate: a proc-macro server (rust-analyzer's) may
/// expand for several crates in one process.
fn name() -> String {
    static NAMES: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return "fixtree".to_owned();
    };
    let mut names = NAMES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    names
        .entry(dir)
        .or_insert_with_key(|dir| {
            renamed(dir)
                .map(|key| key.replace('-', "_"))
                .filter(|name| is_identifier(name))
                .unwrap_or_else(|| "fixtree".to_owned())
        })
        .clone()
}

/// Whether `name` can stand in a path (so `Ident::new` cannot panic on what
/// the scan found): ASCII, as Cargo's dependency names are.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// The key of a dependency on package `fixtree` under another name, in the
/// manifest at `dir` or, for `{ workspace = true }`, its workspace's.
fn renamed(dir: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let member = Manifest::scan(&manifest);
    if member.keys.iter().any(|key| key == "fixtree") {
        return None;
    }
    if let Some(name) = member.renamed {
        return Some(name);
    }
    let workspace = dir.ancestors().skip(1).find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest
            .contains("[workspace")
            .then(|| Manifest::scan(&manifest))
    })?;
    workspace
        .renamed
        .filter(|name| member.keys.iter().any(|key| key == name))
}

/// What the dependency tables of one Cargo.toml say about fixtree.
#[derive(Debug, Default, PartialEq)]
struct Manifest {
    /// Every dependency key, in any dependency table.
    keys: Vec<String>,
    /// The key of a dependency with `package = "fixtree"`.
    renamed: Option<String>,
}

impl Manifest {
    /// Reads `[*dependencies]` tables (`name = { .. }` and `name.package = ..`
    /// lines) and `[*dependencies.name]` tables (`package = ..` lines).
    fn scan(manifest: &str) -> Manifest {
        let mut found = Manifest::default();
        // The dependency a `[*dependencies.name]` table is about, or "" in a
        // `[*dependencies]` table; `None` outside dependency tables.
        let mut table: Option<String> = None;
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let header = header.trim_start_matches('[');
                let header = header[..header.find(']').unwrap_or(header.len())].trim();
                table = dependency_table(header);
                if let Some(name) = table.as_ref().filter(|name| !name.is_empty()) {
                    found.keys.push(name.clone());
                }
                continue;
            }
            let Some(table) = &table else { continue };
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = unquote(key.trim());
            if table.is_empty() {
                let name = key.split('.').next().map(unquote).unwrap_or_default();
                found.keys.push(name.to_owned());
                let dotted_package =
                    key.strip_prefix(name).map(|rest| rest.trim()) == Some(".package");
                // The string "fixtree", or (undotted) an inline table with `package = "fixtree"`.
                if is_fixtree(value.trim()) || (!dotted_package && names_fixtree(value)) {
                    found.renamed = Some(name.to_owned());
                }
            } else if key == "package" && is_fixtree(value.trim()) {
                found.renamed = Some(table.clone());
            }
        }
        found.keys.sort();
        found.keys.dedup();
        found
    }
}

/// For a table header: `Some("")` for `dependencies`, `dev-dependencies`,
/// `build-dependencies`, `workspace.dependencies` and their `target.'..'.`
/// forms; `Some(name)` for `<those>.name`; `None` for any other table.
fn dependency_table(header: &str) -> Option<String> {
    let rest = header
        .strip_prefix("workspace.")
        .or_else(|| after_target(header))
        .unwrap_or(header);
    let (table, name) = rest.split_once('.').unwrap_or((rest, ""));
    matches!(
        table,
        "dependencies" | "dev-dependencies" | "build-dependencies"
    )
    .then(|| unquote(name.trim()).to_owned())
}

/// What follows `target.<cfg or triple>.` in a header.
fn after_target(header: &str) -> Option<&str> {
    let rest = header.strip_prefix("target.")?;
    let end = match rest.chars().next()? {
        quote @ ('\'' | '"') => rest[1..].find(quote)? + 2,
        _ => rest.find('.')?,
    };
    rest[end..].strip_prefix('.')
}

/// Whether an inline table (`{ version = "0.1", package = "fixtree" }`)
/// names the package fixtree.
fn names_fixtree(value: &str) -> bool {
    value.trim().strip_prefix('{').is_some_and(|inline| {
        inline
            .trim_end_matches('}')
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .any(|(key, value)| unquote(key.trim()) == "package" && is_fixtree(value.trim()))
    })
}

/// Whether a TOML value is the string `fixtree` (before any comment).
fn is_fixtree(value: &str) -> bool {
    let value = value.split('#').next().unwrap_or_default().trim();
    value == "\"fixtree\"" || value == "'fixtree'"
}

fn unquote(key: &str) -> &str {
    key.trim_matches(|c| c == '"' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(manifest: &str) -> Option<String> {
        Manifest::scan(manifest).renamed
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
        assert_eq!(Manifest::scan(manifest).keys, ["a", "b", "c"]);
    }
}
