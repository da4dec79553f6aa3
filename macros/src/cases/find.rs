//! The case folders a pattern names when the test compiles, each with the
//! name of its test, checked: at least one case, each with `input/`, and no
//! two with the same test name. Every mistake is an error on the pattern.

use std::path::{Path, PathBuf};

use super::Args;
use crate::errors::Errors;
use crate::spec::validate::join;
use fixtree_rules::cases::CasePattern;
use proc_macro2::{Ident, Span};

/// The name of the test that checks the case folders when the tests run; no
/// case may take it.
pub(crate) const CHECK_TEST: &str = "__case_folders_unchanged";

/// One case folder found.
pub(crate) struct Found {
    /// Its name in the pattern's directory.
    pub(crate) name: String,
    /// Its path as written, e.g. `tests/cases/shout`.
    pub(crate) folder: String,
    /// The name of its test.
    pub(crate) test: Ident,
}

/// The case folders the pattern of `args` names under `manifest_dir`, or
/// none after reporting into `errors` why there are none or which are wrong.
pub(crate) fn cases(args: &Args, manifest_dir: &Path, errors: &mut Errors) -> Vec<Found> {
    let (pattern, input, expected) = (&args.pattern, &args.input, &args.expected);
    let (dir, found) = match find(&pattern.value(), input, manifest_dir) {
        Ok(found) => found,
        Err(message) => {
            errors.error_spanned_by(pattern, message);
            return Vec::new();
        }
    };
    let mut report = |message: String| errors.error_spanned_by(pattern, message);
    for (index, case) in found.iter().enumerate() {
        if !dir.join(&case.name).join(input).is_dir() {
            report(format!(
                "case folder {:?} has no {input}/ folder: a case holds {input}/ (the files its test \
                 starts with) and {expected}/ (what the test's directory must hold afterwards, \
                 made by `FIXTREE_UPDATE=1 cargo test` when missing); create {}/{input}, with a \
                 .keep file in it if it is to be empty (git keeps no empty folder)",
                case.folder, case.folder
            ));
        }
        if case.test == CHECK_TEST {
            report(format!(
                "case folder {:?} would make the test {CHECK_TEST}, which checks the case \
                 folders: rename the folder",
                case.folder
            ));
        }
        if let Some(first) = found[..index].iter().find(|other| other.test == case.test) {
            report(format!(
                "case folders {:?} and {:?} both make the test name `{}` (a test is named \
                 after its folder, each character that cannot be in a Rust name as `_`): \
                 rename one of them",
                first.folder, case.folder, case.test
            ));
        }
    }
    found
}

/// The pattern's directory under `manifest_dir` and the case folders in
/// it (each to hold the folder `input`), or why there are none.
fn find(written: &str, input: &str, manifest_dir: &Path) -> Result<(PathBuf, Vec<Found>), String> {
    let parsed = CasePattern::parse(written).map_err(|e| e.to_string())?;
    let dir = parsed.dir_in(manifest_dir);
    let shown_dir = match parsed.dir() {
        "" => "the crate's folder".to_owned(),
        dir => format!("{dir:?}"),
    };
    let names = parsed.list(&dir).map_err(|e| {
        let problem = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_owned(),
            _ => format!("cannot be listed ({e})"),
        };
        format!(
            "case pattern {written:?}: folder {shown_dir} {problem}; the pattern is relative \
             to CARGO_MANIFEST_DIR, the folder of the crate's Cargo.toml: create the folder, \
             holding a folder per case"
        )
    })?;
    if names.is_empty() {
        return Err(format!(
            "case pattern {written:?} matches no folder: looked in {shown_dir} for folders \
             named like {:?} (names starting with '.' are hidden); add a case: a folder holding \
             {input}/ (the files the test starts with), e.g. {}",
            parsed.glob(),
            join(parsed.dir(), &format!("first/{input}"))
        ));
    }
    let found = names
        .into_iter()
        .map(|name| Found {
            folder: join(parsed.dir(), &name),
            test: Ident::new(&test_name(&name), Span::call_site()),
            name,
        })
        .collect();
    Ok((dir, found))
}

/// The test name of a case folder: its name with every character that
/// cannot be in a Rust identifier as `_`, `case_` before a leading digit,
/// and `_` after a keyword. ASCII only, so that names stay easy to type in
/// `cargo test <name>`.
fn test_name(folder: &str) -> String {
    let mut name: String = folder
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "case_");
    }
    if syn::parse_str::<Ident>(&name).is_err() {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_test_names() {
        for (folder, name) in [
            ("shout", "shout"),
            ("upper-ascii", "upper_ascii"),
            ("CamelCase", "CamelCase"),
            ("01 empty.d", "case_01_empty_d"),
            ("match", "match_"),
            ("self", "self_"),
            ("é", "__"),
            ("-", "__"),
        ] {
            assert_eq!(test_name(folder), name, "{folder}");
        }
    }

    /// The errors of `cases` for `args` (the attribute's) in a crate holding `folders`.
    fn errors_for(args: &str, folders: &[&str]) -> (Vec<String>, String) {
        let root = fixtree::tempdir().unwrap();
        for folder in folders {
            std::fs::create_dir_all(root.path().join(folder)).unwrap();
        }
        let mut errors = Errors::default();
        let args = super::super::args(format!("{args:?}").parse().unwrap(), &mut errors);
        let found = cases(&args.unwrap(), root.path(), &mut errors);
        let names = found.iter().map(|case| case.test.to_string()).collect();
        (names, errors.into_compile_error().to_string())
    }

    #[test]
    fn finds_each_case_folder() {
        let (names, errors) = errors_for(
            "t/cases/*",
            &["t/cases/b-1/input", "t/cases/a/input", "t/cases/.x/input"],
        );
        assert_eq!(names, ["a", "b_1"]);
        assert_eq!(errors, "");
    }

    #[test]
    fn a_case_without_input_is_an_error_naming_it() {
        let (_, errors) = errors_for("t/*", &["t/ok/input", "t/bare/expected"]);
        assert!(
            errors.contains("case folder \\\"t/bare\\\" has no input/ folder")
                && errors.contains("create t/bare/input"),
            "{errors}"
        );
        assert!(!errors.contains("t/ok"), "{errors}");
        let mut errors = Errors::default();
        let args = super::super::args(r#""t/*", input = "in""#.parse().unwrap(), &mut errors);
        let root = fixtree::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("t/bare/input")).unwrap();
        cases(&args.unwrap(), root.path(), &mut errors);
        let errors = errors.into_compile_error().to_string();
        assert!(
            errors.contains("case folder \\\"t/bare\\\" has no in/ folder"),
            "{errors}"
        );
    }

    #[test]
    fn two_folders_of_one_test_name_are_an_error_naming_both() {
        let (_, errors) = errors_for(
            "t/*",
            &[
                "t/a-b/input",
                "t/a_b/input",
                "t/__case_folders_unchanged/input",
            ],
        );
        assert!(
            errors.contains(
                "case folders \\\"t/a-b\\\" and \\\"t/a_b\\\" both make the test name `a_b`"
            ),
            "{errors}"
        );
        assert!(errors.contains("which checks the case folders"), "{errors}");
    }

    #[test]
    fn no_match_and_no_folder_are_errors_naming_the_pattern() {
        let (_, errors) = errors_for("t/*", &["t"]);
        assert!(
            errors.contains("case pattern \\\"t/*\\\" matches no folder: looked in \\\"t\\\""),
            "{errors}"
        );
        let (_, errors) = errors_for("nowhere/*", &[]);
        assert!(
            errors.contains("case pattern \\\"nowhere/*\\\": folder \\\"nowhere\\\" not found"),
            "{errors}"
        );
    }
}
