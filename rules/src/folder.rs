//! Whether the snapshot folder a macro's `from = "…"` names can be read:
//! checked by the macros when the test compiles and, for a folder beside the
//! test's source file (`from = "./…"`, which a proc macro cannot find on the
//! MSRV), by the runtime when it runs, with the same text.

use std::path::Path;

/// What a folder named by `from = "…"` is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// What the directory is compared with (`assert_tree!`): it may be
    /// missing, since update and review mode make it, but not its parent.
    Expected,
    /// What the test's directory starts with (`#[with_tempdir]`): it must exist.
    Input,
}

/// Why `path`, which `from` names as `written`, cannot be read, if it
/// cannot: a name ending in `.txtar` must be a file (many files in one, see
/// [`is_txtar`](crate::is_txtar)), any other a folder. A missing one with a
/// name within two letters of a folder beside it is taken for a typo of it.
///
/// ```
/// use fixtree_rules::folder::{Role, problem};
///
/// let crate_dir = fixtree::tempdir()?;
/// std::fs::create_dir_all(crate_dir.path().join("tests/snapshots"))?;
/// let written = "tests/snapshot/out";
/// let path = crate_dir.path().join(written);
/// assert_eq!(
///     problem(written, &path, Role::Input).as_deref(),
///     Some("snapshot folder \"tests/snapshot/out\" not found: no folder tests/snapshot, \
///           but tests/snapshots is: did you mean \"tests/snapshots/out\"?")
/// );
/// assert_eq!(problem("tests/snapshots", &crate_dir.path().join("tests/snapshots"), Role::Input), None);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn problem(written: &str, path: &Path, role: Role) -> Option<String> {
    let txtar = crate::is_txtar(written);
    let kind = if txtar {
        "txtar file"
    } else {
        "snapshot folder"
    };
    if !path.exists() {
        if let Some(message) = parent_typo(written, path, kind) {
            return Some(message);
        }
        let parent = path.parent().filter(|parent| parent.is_dir());
        if let (Role::Expected, Some(parent)) = (role, parent) {
            let sibling = typo_of(parent, written)?;
            return Some(format!(
                "{kind} {written:?} not found, but its sibling `{sibling}` is: did you mean \
                 `{sibling}`? A missing one is created by `FIXTREE_UPDATE=1 cargo test`; if this \
                 is a new snapshot, create it empty to say so"
            ));
        }
        // The path as written, not the absolute one: the message is the same
        // on every machine (and pinned by the UI tests).
        // An expected one is missing only with its parent (else it compiles,
        // and update or review mode makes it).
        let fix = match (role, txtar) {
            (Role::Expected, _) => {
                "; its parent folder does not exist either: create that, and `FIXTREE_UPDATE=1 \
                 cargo test` (or `FIXTREE_UPDATE=review`) then makes this one from the directory \
                 under test"
            }
            (Role::Input, false) => "; create it, holding the files the test starts with",
            (Role::Input, true) => {
                "; create it, holding the files the test starts with, each after a `-- name --` line"
            }
        };
        let base = match written.starts_with("./") {
            true => "a `./` path is relative to the folder of the test's source file",
            false => {
                "`from` is relative to CARGO_MANIFEST_DIR, the folder of the crate's Cargo.toml"
            }
        };
        return Some(format!("{kind} {written:?} not found ({base}){fix}"));
    }
    if txtar && !path.is_file() {
        return Some(format!(
            "{written:?} ends in .txtar, so `from` reads it as a txtar file (many files in one), \
             but it is a folder; rename the folder without the .txtar extension, or name a txtar file"
        ));
    }
    (!txtar && !path.is_dir()).then(|| {
        format!(
            "snapshot folder {written:?} is not a folder but a file; \
             `from` names a folder holding {}, or a txtar file ending in .txtar",
            match role {
                Role::Expected => "the expected tree",
                Role::Input => "the files the test starts with",
            }
        )
    })
}

/// The first sibling by name beside the missing `written`, in `parent`,
/// whose name is within two letters of its last segment.
fn typo_of(parent: &Path, written: &str) -> Option<String> {
    let name = written.rsplit('/').next().unwrap_or(written);
    std::fs::read_dir(parent)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        // A pending folder is review mode's, not one a test names.
        .filter(|sibling| !sibling.ends_with(".pending"))
        .filter(|sibling| crate::close_to(name, sibling))
        .min()
}

/// For a missing `written` (at `path`) whose first missing segment is a
/// parent folder: the message naming the folder within two letters of it
/// beside it, if there is one. A leading `./` is where the path starts.
fn parent_typo(written: &str, path: &Path, kind: &str) -> Option<String> {
    let (lead, relative) = match written.strip_prefix("./") {
        Some(rest) => ("./", rest),
        None => ("", written),
    };
    let segments: Vec<&str> = relative.split('/').filter(|s| !s.is_empty()).collect();
    let (_, parents) = segments.split_last()?;
    let mut dir = path.ancestors().nth(segments.len())?.to_path_buf();
    for (index, segment) in parents.iter().enumerate() {
        let next = dir.join(segment);
        if next.is_dir() {
            dir = next;
            continue;
        }
        let sibling = typo_of(&dir, segment).filter(|sibling| dir.join(sibling).is_dir())?;
        let missing = segments[..=index].join("/");
        let found = [&segments[..index], &[sibling.as_str()]].concat().join("/");
        let meant = [&[found.as_str()], &segments[index + 1..]]
            .concat()
            .join("/");
        return Some(format!(
            "{kind} {written:?} not found: no folder {lead}{missing}, but {lead}{found} is: \
             did you mean \"{lead}{meant}\"?"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Role, problem};

    #[test]
    fn a_txtar_path_must_be_a_file_and_any_other_a_folder() {
        let dir = fixtree::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cases.txtar")).unwrap();
        std::fs::write(dir.path().join("case.txtar"), "-- a --\n").unwrap();
        let check = |written: &str| problem(written, &dir.path().join(written), Role::Input);

        assert_eq!(check("case.txtar"), None);
        assert_eq!(check("."), None);
        let folder = check("cases.txtar").unwrap();
        assert!(
            folder.starts_with("\"cases.txtar\" ends in .txtar, so `from` reads it as a txtar file")
                && folder.ends_with("but it is a folder; rename the folder without the .txtar extension, or name a txtar file"),
            "{folder}"
        );
        let missing = check("missing.txtar").unwrap();
        assert!(
            missing.starts_with("txtar file \"missing.txtar\" not found"),
            "{missing}"
        );
        std::fs::write(dir.path().join("notes"), "").unwrap();
        let file = check("notes").unwrap();
        assert!(file.ends_with("or a txtar file ending in .txtar"), "{file}");
    }

    #[test]
    fn a_typo_in_a_parent_folder_names_the_folder_meant() {
        let dir = fixtree::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tests/snapshots")).unwrap();
        for role in [Role::Expected, Role::Input] {
            let written = "tests/snapshot/out";
            let message = problem(written, &dir.path().join(written), role).unwrap();
            assert_eq!(
                message,
                "snapshot folder \"tests/snapshot/out\" not found: no folder tests/snapshot, \
                 but tests/snapshots is: did you mean \"tests/snapshots/out\"?"
            );
        }
        let deeper = "tests/snapshot/a/b.txtar";
        let message = problem(deeper, &dir.path().join(deeper), Role::Input).unwrap();
        assert_eq!(
            message,
            "txtar file \"tests/snapshot/a/b.txtar\" not found: no folder tests/snapshot, \
             but tests/snapshots is: did you mean \"tests/snapshots/a/b.txtar\"?"
        );
        // No folder close to the missing one: the plain message.
        let far = "tests/elsewhere/out";
        let message = problem(far, &dir.path().join(far), Role::Input).unwrap();
        assert!(
            message.contains("not found (`from` is relative"),
            "{message}"
        );
    }

    #[test]
    fn a_path_beside_the_source_file_says_so() {
        let dir = fixtree::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("cases/add")).unwrap();
        let beside = |written: &str| {
            let relative = written.strip_prefix("./").unwrap();
            problem(written, &dir.path().join(relative), Role::Expected)
        };
        assert_eq!(beside("./cases/add"), None);
        assert_eq!(beside("./cases/new"), None);
        assert_eq!(
            beside("./case/add").unwrap(),
            "snapshot folder \"./case/add\" not found: no folder ./case, but ./cases is: \
             did you mean \"./cases/add\"?"
        );
        let missing = beside("./other/add").unwrap();
        assert!(
            missing.contains(
                "not found (a `./` path is relative to the folder of the test's source file)"
            ),
            "{missing}"
        );
    }
}
