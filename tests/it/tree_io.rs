//! `Tree` on disk and as text: `write_to`, `read`, `Display`/`FromStr`, and
//! snapshot folders. Every file these tests make lives inside a
//! `fixtree::tempdir()`.

use std::error::Error;
use std::fs;
use std::io;
#[cfg(unix)]
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
#[cfg(unix)]
use std::{
    fs::Permissions,
    os::unix::fs::{PermissionsExt, symlink},
};

use fixtree::spec::{exec, mode, symlink as link};
use fixtree::{Node, Tree};

use crate::support;

use support::entries;
#[cfg(unix)]
use support::{Outside, Setup, is_child, mode as mode_of, run_in_child};

type TestResult = Result<(), Box<dyn Error>>;

#[cfg(unix)]
/// A tree with every kind of node: text, bytes, each kind of mode, nested
/// and empty directories, relative, absolute and dangling links.
fn every_kind() -> Result<Tree, fixtree::TreeError> {
    Tree::new()
        .with("Cargo.toml", "[package]\nname = \"demo\"\n")?
        .with("src/lib.rs", "pub fn f() {}\n")?
        .with("src/bin/cli.rs", "fn main() {}\n")?
        .with("logo.bin", &[0_u8, 0xff, 0x80, b'\n'])?
        .with("run.sh", exec("#!/bin/sh\necho hi\n"))?
        .with("secret", mode(0o600, "token"))?
        .with("shared", mode(0o640, ""))?
        .with("empty", Tree::new())?
        .with("deep/er/still", Tree::new())?
        .with("latest", link("src/lib.rs"))?
        .with("up", link("../elsewhere"))?
        .with("abs", link("/nonexistent/fixtree"))
}

#[cfg(unix)]
#[test]
fn write_to_writes_contents_modes_empty_dirs_and_symlinks_exactly() -> TestResult {
    let dir = fixtree::tempdir()?;
    let root = dir.path();
    every_kind()?.write_to(root)?;

    assert_eq!(
        entries(root),
        [
            "Cargo.toml",
            "abs",
            "deep",
            "empty",
            "latest",
            "logo.bin",
            "run.sh",
            "secret",
            "shared",
            "src",
            "up"
        ]
    );
    assert_eq!(
        fs::read(root.join("Cargo.toml"))?,
        b"[package]\nname = \"demo\"\n"
    );
    assert_eq!(fs::read(root.join("logo.bin"))?, [0, 0xff, 0x80, b'\n']);
    assert_eq!(fs::read(root.join("src/bin/cli.rs"))?, b"fn main() {}\n");
    assert_eq!(mode_of(&root.join("Cargo.toml")), 0o644);
    assert_eq!(mode_of(&root.join("run.sh")), 0o755);
    assert_eq!(mode_of(&root.join("secret")), 0o600);
    assert_eq!(mode_of(&root.join("shared")), 0o640);
    for d in [
        "src",
        "src/bin",
        "empty",
        "deep",
        "deep/er",
        "deep/er/still",
    ] {
        assert!(fs::symlink_metadata(root.join(d))?.is_dir(), "{d}");
        assert_eq!(mode_of(&root.join(d)), 0o755, "{d}");
    }
    assert!(entries(&root.join("empty")).is_empty());
    assert!(entries(&root.join("deep/er/still")).is_empty());
    for (name, target) in [
        ("latest", "src/lib.rs"),
        ("up", "../elsewhere"),
        ("abs", "/nonexistent/fixtree"),
    ] {
        assert!(fs::symlink_metadata(root.join(name))?.is_symlink());
        assert_eq!(fs::read_link(root.join(name))?, Path::new(target));
    }
    Ok(())
}

#[test]
fn write_to_merges_into_the_root_only() -> TestResult {
    let dir = fixtree::tempdir()?;
    fs::write(dir.path().join("already"), "here")?;
    Tree::new().with("a.txt", "x")?.write_to(dir.path())?;
    assert_eq!(entries(dir.path()), ["a.txt", "already"]);
    assert_eq!(fs::read_to_string(dir.path().join("already"))?, "here");
    Ok(())
}

/// Asserts that `err` is "cannot `op` `path`: File exists".
fn assert_exists_error(err: &io::Error, op: &str, path: &Path) {
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists, "{err}");
    let message = err.to_string();
    let expected = format!("cannot {op} {}: ", path.display());
    assert!(
        message.starts_with(&expected) && message.contains("exists"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_a_name_is_never_written_through() -> TestResult {
    let outside = Outside::new();
    let dir = fixtree::tempdir()?;
    let root = dir.path();
    symlink(outside.path("sentinel"), root.join("b.txt"))?;
    symlink(outside.path("subdir"), root.join("d"))?;
    symlink(outside.path("not-yet"), root.join("dangling"))?;
    symlink(outside.path("sentinel"), root.join("run.sh"))?;

    let err = Tree::new()
        .with("b.txt", "evil")?
        .write_to(root)
        .unwrap_err();
    assert_exists_error(&err, "create file", &root.join("b.txt"));

    let err = Tree::new().with("d/x", "evil")?.write_to(root).unwrap_err();
    assert_exists_error(&err, "create directory", &root.join("d"));
    let err = Tree::new()
        .with("dangling", "evil")?
        .write_to(root)
        .unwrap_err();
    assert_exists_error(&err, "create file", &root.join("dangling"));
    let err = Tree::new()
        .with("run.sh", exec("evil"))?
        .write_to(root)
        .unwrap_err();
    assert_exists_error(&err, "create file", &root.join("run.sh"));
    let err = Tree::new()
        .with("d", link("/etc"))?
        .write_to(root)
        .unwrap_err();
    assert_exists_error(&err, "create symlink", &root.join("d"));

    outside.assert_untouched();
    assert!(!outside.path("not-yet").exists());
    Ok(())
}

#[test]
fn an_existing_entry_at_a_name_is_an_error_naming_the_full_path() -> TestResult {
    let dir = fixtree::tempdir()?;
    let root = dir.path();
    fs::create_dir(root.join("a"))?;
    fs::write(root.join("a/b.txt"), "old")?;
    fs::write(root.join("file"), "old")?;

    let err = Tree::new()
        .with("a/b.txt", "new")?
        .write_to(root)
        .unwrap_err();
    // The directory is not merged into: the first name taken is "a".
    assert_exists_error(&err, "create directory", &root.join("a"));
    let os_says = match cfg!(windows) {
        true => "File already exists. (os error 183)",
        false => "File exists (os error 17)",
    };
    assert_eq!(
        err.to_string(),
        format!(
            "cannot create directory {}: {os_says}",
            root.join("a").display()
        )
    );

    let err = Tree::new().with("file", "new")?.write_to(root).unwrap_err();
    assert_exists_error(&err, "create file", &root.join("file"));

    assert_eq!(fs::read_to_string(root.join("a/b.txt"))?, "old");
    assert_eq!(fs::read_to_string(root.join("file"))?, "old");
    Ok(())
}

#[test]
fn write_to_refuses_a_missing_root_or_a_file_as_root() -> TestResult {
    let dir = fixtree::tempdir()?;
    let tree = Tree::new().with("a", "x")?;
    let missing = dir.path().join("missing");
    let err = tree.write_to(&missing).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    assert!(err.to_string().contains(&missing.display().to_string()));
    fs::write(dir.path().join("file"), "")?;
    let err = tree.write_to(dir.path().join("file")).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotADirectory);
    assert!(!missing.exists());
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_directory_as_root_is_followed() -> TestResult {
    let dir = fixtree::tempdir()?;
    fs::create_dir(dir.path().join("real"))?;
    symlink("real", dir.path().join("link"))?;
    let tree = Tree::new().with("a/b", "x")?;
    tree.write_to(dir.path().join("link"))?;
    assert_eq!(fs::read_to_string(dir.path().join("real/a/b"))?, "x");
    assert_eq!(Tree::read(dir.path().join("link"))?, tree);
    Ok(())
}

#[cfg(unix)]
/// Writes nested directories and exact modes; under a umask that takes the
/// owner's write bit, directories must be made writable before they are filled.
fn assert_write_to_fills_directories() {
    let dir = fixtree::tempdir().unwrap();
    let tree = Tree::new()
        .with("a/b/c/file", mode(0o400, "read-only"))
        .unwrap()
        .with("a/run", exec("x"))
        .unwrap()
        .with("a/b/empty", Tree::new())
        .unwrap();
    tree.write_to(dir.path()).unwrap();
    for d in ["a", "a/b", "a/b/c", "a/b/empty"] {
        assert_eq!(mode_of(&dir.path().join(d)), 0o755, "{d}");
    }
    assert_eq!(mode_of(&dir.path().join("a/b/c/file")), 0o400);
    assert_eq!(mode_of(&dir.path().join("a/run")), 0o755);
    assert_eq!(Tree::read(dir.path()).unwrap(), tree);
}

#[cfg(unix)]
#[test]
fn directories_are_filled_and_modes_exact_under_umask_277_as_nobody() {
    let name = "directories_are_filled_and_modes_exact_under_umask_277_as_nobody";
    if is_child(name) {
        return assert_write_to_fills_directories();
    }
    assert_write_to_fills_directories();
    let setup = Setup {
        umask: Some(0o277),
        as_nobody: true,
        ..Setup::default()
    };
    run_in_child(name, setup);
}

#[cfg(unix)]
#[test]
fn read_refuses_a_fifo_naming_its_path() -> TestResult {
    let dir = fixtree::tempdir()?;
    fs::create_dir(dir.path().join("sub"))?;
    fs::write(dir.path().join("sub/a.txt"), "x")?;
    let fifo = dir.path().join("sub/pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status()?;
    assert!(status.success());
    let err = Tree::read(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read {}: it is a fifo, and fixtree trees hold only files, directories and symlinks",
            fifo.display()
        )
    );
    Ok(())
}

/// A name that is not UTF-8 is held by its spelling, never lossily (issue
/// 23 made `Tree::read` hold it: before, it refused it); a UTF-8 name that
/// reads as such a spelling is refused, naming its path: no key names it.
#[cfg(unix)]
#[test]
fn read_holds_a_name_that_is_not_utf8_exactly_and_refuses_one_spelled_like_it() -> TestResult {
    let dir = fixtree::tempdir()?;
    let name = std::ffi::OsStr::from_bytes(b"bad\xff");
    fs::write(dir.path().join(name), "x")?;
    let tree = Tree::read(dir.path())?;
    assert_eq!(
        tree.walk().map(|(path, _)| path).collect::<Vec<_>>(),
        [r"bad\xff"]
    );

    let spelled = dir.path().join(r"bad\xff");
    fs::write(&spelled, "y")?;
    let err = Tree::read(dir.path()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    let message = err.to_string();
    assert!(
        message.contains(&spelled.display().to_string()) && message.contains("not UTF-8"),
        "{message}"
    );
    Ok(())
}

#[test]
fn read_refuses_a_file_or_a_missing_root() -> TestResult {
    let dir = fixtree::tempdir()?;
    fs::write(dir.path().join("file"), "x")?;
    let err = Tree::read(dir.path().join("file")).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotADirectory);
    assert!(err.to_string().contains("file: not a directory"), "{err}");
    let err = Tree::read(dir.path().join("missing")).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    assert!(err.to_string().contains("missing"), "{err}");
    Ok(())
}

#[cfg(unix)]
#[test]
fn read_records_symlinks_without_following_them() -> TestResult {
    let outside = Outside::new();
    fs::write(outside.path("subdir/secret"), "outside")?;
    let dir = fixtree::tempdir()?;
    symlink(outside.path("subdir"), dir.path().join("to-dir"))?;
    symlink(outside.path("sentinel"), dir.path().join("to-file"))?;
    symlink("nowhere", dir.path().join("dangling"))?;
    symlink(".", dir.path().join("loop"))?;

    let tree = Tree::read(dir.path())?;
    let expected = Tree::new()
        .with("to-dir", link(outside.path("subdir")))?
        .with("to-file", link(outside.path("sentinel")))?
        .with("dangling", link("nowhere"))?
        .with("loop", link("."))?;
    assert_eq!(tree, expected);
    assert!(tree.walk().all(|(path, _)| !path.contains("secret")));
    Ok(())
}

#[cfg(unix)]
#[test]
fn read_write_read_gives_the_same_tree() -> TestResult {
    let tree = every_kind()?;
    let first = fixtree::tempdir()?;
    tree.write_to(first.path())?;
    let read = Tree::read(first.path())?;
    assert_eq!(read, tree);
    let second = fixtree::tempdir()?;
    read.write_to(second.path())?;
    assert_eq!(Tree::read(second.path())?, tree);
    Ok(())
}

#[test]
fn display_prints_spec_text_on_one_line_and_indented() -> TestResult {
    assert_eq!(Tree::new().to_string(), "{}");
    assert_eq!(format!("{:#}", Tree::new()), "{}");

    let simple = Tree::new()
        .with("a.txt", "x")?
        .with("src/lib.rs", "fn f() {}")?;
    assert_eq!(
        simple.to_string(),
        r#"{ "a.txt" => "x", "src" => { "lib.rs" => "fn f() {}" } }"#
    );
    assert_eq!(
        format!("{simple:#}"),
        "{\n    \"a.txt\" => \"x\",\n    \"src\" => {\n        \"lib.rs\" => \"fn f() {}\",\n    },\n}"
    );
    assert_eq!(
        format!("{simple:?}"),
        r#"Tree { "a.txt" => "x", "src" => { "lib.rs" => "fn f() {}" } }"#
    );

    let kinds = Tree::new()
        .with("bin", &[0_u8, 0xff, b'"', b'\\', b'\n', b'a', 0x7f])?
        .with("empty", Tree::new())?
        .with("key", mode(0o600, "k"))?
        .with("link", link("../t \"q\""))?
        .with("odd 'name' \u{202e}", "")?
        .with("run.sh", exec("#!/bin/sh\n"))?
        .with("sticky", mode(0o1777, b"\xc3"))?
        .with("text", "tab\there\r\n\0 it's \u{e9}\u{202e}\u{1b}\u{301}")?;
    assert_eq!(
        format!("{kinds:#}"),
        r##"{
    "bin" => b"\0\xff\"\\\na\x7f",
    "empty" => {},
    "key" => mode(0o600, "k"),
    "link" => symlink("../t \"q\""),
    "odd 'name' \u{202e}" => "",
    "run.sh" => exec("#!/bin/sh\n"),
    "sticky" => mode(0o1777, b"\xc3"),
    "text" => "tab\there\r\n\0 it's é\u{202e}\u{1b}\u{301}",
}"##
    );
    assert_eq!(kinds.to_string().parse::<Tree>()?, kinds);
    assert_eq!(format!("{kinds:#}").parse::<Tree>()?, kinds);
    Ok(())
}

#[test]
fn parse_reads_what_the_macros_take() -> TestResult {
    let text = r##"
        // a comment
        {
            "Cargo.toml" => "[package]\nname = \"demo\"\n",
            "src" => { "lib.rs" => "pub fn f() {}" },  /* nested /* comment */ */
            "src/bin/cli.rs" => "fn main() {}",
            "empty" => {},
            "logo.bin" => b"\x89PNG\r\n",
            "run.sh" => exec("#!/bin/sh\necho hi\n"),
            "key" => mode(0o6_00, b"k",),
            "decimal" => mode(420, "d"),
            "latest" => symlink("src/lib.rs"),
            "esc" => "\x41\u{1F980}\u{e9}\'\"\\ \
                      continued",
        }
    "##;
    let tree: Tree = text.parse()?;
    let expected = Tree::new()
        .with("Cargo.toml", "[package]\nname = \"demo\"\n")?
        .with("src/lib.rs", "pub fn f() {}")?
        .with("src/bin/cli.rs", "fn main() {}")?
        .with("empty", Tree::new())?
        .with("logo.bin", b"\x89PNG\r\n")?
        .with("run.sh", exec("#!/bin/sh\necho hi\n"))?
        .with("key", mode(0o600, "k"))?
        .with("decimal", "d")?
        .with("latest", link("src/lib.rs"))?
        .with("esc", "A\u{1F980}é'\"\\ continued")?;
    assert_eq!(tree, expected);
    assert_eq!(
        tree.get("decimal"),
        Some(&Node::file("d")),
        "0644 is the default"
    );
    Ok(())
}

#[test]
fn parse_errors_give_the_offset_and_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "",
            0,
            "expected `{` to open a tree, found the end of the text",
        ),
        ("x", 0, "expected `{` to open a tree, found `x`"),
        (
            "{",
            1,
            "expected a key (a string literal) or `}`, found the end of the text",
        ),
        (
            "{ a => \"x\" }",
            2,
            "expected a key (a string literal) or `}`, found `a`",
        ),
        (
            "{ \"a\" \"x\" }",
            6,
            "expected `=>` after the key, found `\"`",
        ),
        (
            "{ \"a\" => }",
            9,
            "expected a value: a string, b\"bytes\", exec(…), mode(…), modified(…), symlink(…) or { … }, found `}`",
        ),
        (
            "{ \"a\" => exce(\"x\") }",
            9,
            "expected a value: a string, b\"bytes\", exec(…), mode(…), modified(…), symlink(…) or { … }, found `exce`",
        ),
        (
            "{ \"a\" => \"x\" \"b\" => \"y\" }",
            13,
            "expected `,` or `}` after an entry, found `\"`",
        ),
        (
            "{ \"a\" => \"x\", , }",
            14,
            "expected a key (a string literal) or `}`, found `,`",
        ),
        ("{ \"a\" => \"x }", 9, "unterminated string literal"),
        ("{ \"a\" => b\"x }", 9, "unterminated byte string literal"),
        ("{ \"a\" => \"\\q\" }", 10, "unknown escape `\\q`"),
        (
            "{ \"a\" => \"\\x80\" }",
            10,
            "`\\x` escapes in a string literal go up to `\\x7F`; write `\\u{…}` for other characters",
        ),
        (
            "{ \"a\" => \"\\xZ1\" }",
            10,
            "expected two hex digits after `\\x`",
        ),
        (
            "{ \"a\" => \"\\u{D800}\" }",
            10,
            "expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value",
        ),
        (
            "{ \"a\" => \"\\u{1234567}\" }",
            10,
            "expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value",
        ),
        (
            "{ \"a\" => \"\\u41\" }",
            10,
            "expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value",
        ),
        (
            "{ \"a\" => b\"\\u{41}\" }",
            11,
            "`\\u{…}` escapes are not allowed in a byte string; write its bytes as `\\xNN` escapes",
        ),
        (
            "{ \"a\" => b\"é\" }",
            11,
            "non-ASCII character in a byte string literal; write its bytes as `\\xNN` escapes",
        ),
        (
            "{ \"a\" => exec \"x\" }",
            14,
            "expected `(` after `exec`, found `\"`",
        ),
        ("{ \"a\" => exec(\"x\" }", 18, "expected `)`, found `}`"),
        (
            "{ \"a\" => exec(x) }",
            14,
            "expected the contents: a string or byte string literal, found `x`",
        ),
        (
            "{ \"a\" => mode(\"x\") }",
            14,
            "expected the mode, e.g. `0o640`, found `\"`",
        ),
        (
            "{ \"a\" => mode(0o10000, \"x\") }",
            14,
            "expected permission bits from 0o0 to 0o7777, found `0o10000`",
        ),
        (
            "{ \"a\" => mode(0o8, \"x\") }",
            14,
            "expected permission bits from 0o0 to 0o7777, found `0o8`",
        ),
        (
            "{ \"a\" => mode(0o644 \"x\") }",
            20,
            "expected `,` after the mode, found `\"`",
        ),
        (
            "{ \"a\" => symlink(b\"x\") }",
            17,
            "expected the link's target (a string literal), found `b`",
        ),
        (
            "{ \"a\" => \"x\" } }",
            15,
            "expected the end of the text after the tree's closing `}`, found `}`",
        ),
        ("{ /* \"a\" => \"x\" }", 2, "unterminated block comment"),
        (
            "{ \"a\" => \"x\" }\n\u{7}",
            15,
            "expected the end of the text after the tree's closing `}`, found `\\u{7}`",
        ),
    ];
    for &(text, offset, message) in cases {
        let err = text.parse::<Tree>().unwrap_err();
        assert_eq!(
            (err.offset(), err.to_string()),
            (
                offset,
                format!("invalid tree spec at byte {offset}: {message}")
            ),
            "parsing {text:?}"
        );
        assert!(err.tree_error().is_none());
    }
}

/// Link targets no system can make, with the rule that refuses them.
const UNWRITABLE_TARGETS: [(&str, &str); 2] = [
    (
        "a\0b",
        r#"symlink target "a\0b" holds a NUL byte, which no link can"#,
    ),
    (
        "",
        "symlink target is empty: a link must point somewhere; give its target",
    ),
];

#[test]
fn parse_refuses_a_symlink_target_no_link_can_have() {
    for (target, rule) in UNWRITABLE_TARGETS {
        let err = format!("{{ \"link\" => symlink({target:?}) }}")
            .parse::<Tree>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("invalid tree spec at byte 20: {rule}")
        );
    }
}

#[test]
fn write_to_refuses_a_symlink_target_no_link_can_have_naming_the_link() -> TestResult {
    for (target, rule) in UNWRITABLE_TARGETS {
        let dir = fixtree::tempdir()?;
        let tree = Tree::new().with("sub/link", link(target))?;
        let err = tree.write_to(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let path = dir.path().join("sub").join("link");
        assert_eq!(
            err.to_string(),
            format!("cannot create symlink {}: {rule}", path.display())
        );
        assert!(fs::symlink_metadata(path).is_err());
    }
    Ok(())
}

#[test]
fn parse_refuses_bad_keys_with_the_key_rules() {
    for (text, key_error) in [
        (
            "{ \"../x\" => \"\" }",
            fixtree::KeyError::DotSegment("../x".into()),
        ),
        (
            "{ \"/abs\" => \"\" }",
            fixtree::KeyError::Absolute("/abs".into()),
        ),
        (
            "{ \"a//b\" => \"\" }",
            fixtree::KeyError::EmptySegment("a//b".into()),
        ),
        ("{ \"\" => \"\" }", fixtree::KeyError::Empty),
        ("{ \"a\\0\" => \"\" }", fixtree::KeyError::Nul("a\0".into())),
    ] {
        let err = text.parse::<Tree>().unwrap_err();
        assert_eq!(err.offset(), 2, "{text}");
        assert_eq!(
            err.to_string(),
            format!("invalid tree spec at byte 2: {key_error}")
        );
        assert_eq!(err.tree_error(), Some(&fixtree::TreeError::Key(key_error)));
    }
    let err = "{ \"a\" => \"x\", \"s\" => { \"a\" => \"\", \"a\" => \"\" } }"
        .parse::<Tree>()
        .unwrap_err();
    assert_eq!(err.offset(), 34);
    assert_eq!(
        err.tree_error(),
        Some(&fixtree::TreeError::Duplicate("a".into()))
    );
    let err = "{ \"a\" => \"x\", \"a/b\" => \"y\" }"
        .parse::<Tree>()
        .unwrap_err();
    assert_eq!(err.offset(), 14);
    assert!(
        err.to_string()
            .contains("\"a/b\" puts an entry inside \"a\""),
        "{err}"
    );
}

#[test]
fn expected_tree_with_merges_directories_by_the_rules_of_tree_insert() -> TestResult {
    use fixtree::{ExpectedTree, TreeError};

    let expected = ExpectedTree::new().with("a/b.txt", "x")?;
    // A directory merges into one, its `..` too.
    let open = ExpectedTree::new().with("c.txt", "y")?.allow_others();
    let merged = expected.clone().with("a", open)?;
    let a = ExpectedTree::new().with("b.txt", "x")?.with("c.txt", "y")?;
    assert_eq!(merged, ExpectedTree::new().with("a", a.allow_others())?);
    // A file given twice, at any depth of the merge, and a path through a
    // file are refused, naming the path.
    let again = ExpectedTree::new().with("b.txt", "z")?;
    let duplicate = TreeError::Duplicate("a/b.txt".into());
    assert_eq!(expected.clone().with("a", again), Err(duplicate.clone()));
    assert_eq!(expected.clone().with("a/b.txt", "z"), Err(duplicate));
    let through = TreeError::NotADirectory {
        key: "a/b.txt/c".into(),
        prefix: "a/b.txt".into(),
    };
    assert_eq!(expected.with("a/b.txt/c", "z"), Err(through));
    Ok(())
}

#[cfg(unix)]
#[test]
fn read_snapshot_drops_lone_keep_markers_only() -> TestResult {
    let folder = fixtree::tempdir()?;
    Tree::new()
        .with("empty/.keep", "")?
        .with("deep/er/.keep", "")?
        .with("beside/.keep", "")?
        .with("beside/file", "x")?
        .with("moded/.keep", mode(0o600, "any content"))?
        .with("dir-named-keep/.keep/inner", "x")?
        .with("link-named-keep/.keep", link("elsewhere"))?
        .write_to(folder.path())?;

    let tree = Tree::read_snapshot(folder.path())?;
    let expected = Tree::new()
        .with("empty", Tree::new())?
        .with("deep/er", Tree::new())?
        .with("beside/.keep", "")?
        .with("beside/file", "x")?
        .with("moded", Tree::new())?
        .with("dir-named-keep/.keep/inner", "x")?
        .with("link-named-keep/.keep", link("elsewhere"))?;
    assert_eq!(tree, expected);

    let only_marker = fixtree::tempdir()?;
    fs::write(only_marker.path().join(".keep"), "")?;
    assert_eq!(Tree::read_snapshot(only_marker.path())?, Tree::new());
    Ok(())
}

#[cfg(unix)]
#[test]
fn copy_snapshot_keeps_modes_empty_dirs_and_symlinks() -> TestResult {
    let folder = fixtree::tempdir()?;
    let from = folder.path();
    fs::write(from.join("run.sh"), "#!/bin/sh\n")?;
    fs::set_permissions(from.join("run.sh"), Permissions::from_mode(0o755))?;
    fs::write(from.join("secret"), "token")?;
    fs::set_permissions(from.join("secret"), Permissions::from_mode(0o600))?;
    fs::create_dir(from.join("empty"))?;
    fs::create_dir_all(from.join("kept/logs"))?;
    fs::write(from.join("kept/logs/.keep"), "")?;
    symlink("run.sh", from.join("latest"))?;

    let dir = fixtree::tempdir()?;
    let to = dir.path();
    fixtree::copy_snapshot(from, to)?;
    assert_eq!(entries(to), ["empty", "kept", "latest", "run.sh", "secret"]);
    assert_eq!(mode_of(&to.join("run.sh")), 0o755);
    assert_eq!(mode_of(&to.join("secret")), 0o600);
    assert_eq!(fs::read_to_string(to.join("secret"))?, "token");
    assert!(entries(&to.join("empty")).is_empty());
    assert!(entries(&to.join("kept/logs")).is_empty());
    assert!(fs::symlink_metadata(to.join("latest"))?.is_symlink());
    assert_eq!(fs::read_link(to.join("latest"))?, Path::new("run.sh"));

    // Copying again finds every name taken.
    let err = fixtree::copy_snapshot(from, to).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    let err = fixtree::copy_snapshot(from.join("missing"), to).unwrap_err();
    assert!(
        err.to_string()
            .contains(&from.join("missing").display().to_string())
    );
    Ok(())
}

#[test]
fn a_hand_built_default_mode_is_the_same_file_and_round_trips() -> Result<(), Box<dyn Error>> {
    let explicit = Tree::new().with(
        "a",
        Node::File {
            contents: b"x".to_vec(),
            mode: Some(0o644),
            modified: None,
        },
    )?;
    let plain = Tree::new().with("a", "x")?;
    assert_eq!(explicit, plain);
    assert_eq!(explicit.to_string(), plain.to_string());
    assert_eq!(explicit.to_string().parse::<Tree>()?, explicit);
    assert_ne!(Tree::new().with("a", mode(0o600, "x"))?, plain);
    Ok(())
}

/// A directory `outer/inner/root` in a fresh temporary directory: a key that
/// climbs one or two levels out of `root` lands where the test looks.
struct Jail {
    dir: fixtree::TempDir,
}

impl Jail {
    fn new() -> Jail {
        let dir = fixtree::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("outer/inner/root")).expect("mkdir");
        Jail { dir }
    }

    fn root(&self) -> std::path::PathBuf {
        self.dir.path().join("outer/inner/root")
    }

    /// What is in and around the root besides the directories leading to it.
    fn problems(&self) -> Vec<String> {
        let dir = self.dir.path();
        let mut problems = Vec::new();
        for (path, only) in [
            (dir.to_owned(), &["outer"][..]),
            (dir.join("outer"), &["inner"]),
            (dir.join("outer/inner"), &["root"]),
            (self.root(), &[]),
        ] {
            let found = entries(&path);
            if found != only {
                problems.push(format!("{} holds {found:?}", path.display()));
            }
        }
        problems
    }
}

/// What each way a key enters a tree at run time did with `key` for a file:
/// `Tree::with`, `Tree::insert`, spec text, a txtar header,
/// `ExpectedTree::with`. The tree made, or the error's text.
fn enter_every_way(key: &str) -> Vec<(&'static str, Result<Tree, String>)> {
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let mut inserted = Tree::new();
    let insert = inserted.insert(key, "x").map(|_| ()).map_err(|e| text(&e));
    let mut ways = vec![
        (
            "Tree::with",
            Tree::new().with(key, "x").map_err(|e| text(&e)),
        ),
        ("Tree::insert", insert.map(|()| inserted)),
        (
            "FromStr",
            format!("{{ {key:?} => \"x\" }}")
                .parse::<Tree>()
                .map_err(|e| text(&e)),
        ),
        (
            "ExpectedTree::with",
            fixtree::ExpectedTree::new()
                .with(key, "x")
                .map(|_| Tree::new())
                .map_err(|e| text(&e)),
        ),
    ];
    // A txtar header trims its name and ends at a line break.
    if key.trim() == key && !key.contains(['\n', '\r']) {
        let txtar = Tree::from_txtar(&format!("-- {key} --\nx\n")).map_err(|e| text(&e));
        ways.push(("txtar", txtar));
    }
    ways
}

/// Asserts that every way refuses each key with its rule's message, and
/// that nothing was written in or around the root, nor where the key names
/// from the working directory (on Windows: `C:\…`, `\\?\C:\…`).
fn assert_refused_everywhere(cases: &[(String, String)]) {
    let jail = Jail::new();
    let mut failures = Vec::new();
    for (key, rule) in cases {
        for (way, result) in enter_every_way(key) {
            let expected = match way {
                "FromStr" => format!("invalid tree spec at byte 2: {rule}"),
                "txtar" => format!("line 1: {rule}; fix the name in the header"),
                _ => rule.clone(),
            };
            match result {
                Ok(tree) => {
                    let written = tree.write_to(jail.root()).map_err(|e| e.to_string());
                    failures.push(format!("{way} took {key:?} (write_to: {written:?})"));
                }
                Err(message) if message != expected => {
                    failures.push(format!(
                        "{way} refused {key:?} with\n  {message}\nnot\n  {expected}"
                    ));
                }
                Err(_) => {}
            }
        }
    }
    failures.extend(jail.problems());
    for (key, _) in cases {
        let path = Path::new(key);
        if fs::symlink_metadata(path).is_ok() {
            failures.push(format!("{key:?} exists from the working directory"));
            let _ = fs::remove_file(path);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The message of a key holding a `\`, with its fix.
fn backslash_rule(key: &str, fix: &str) -> String {
    format!("key {key:?} holds a '\\': keys are '/'-separated on every platform; {fix}")
}

/// The fix of a key holding a `\` where '/' alone would not make it a key.
const BACKSLASH_FIX: &str =
    "separate names with '/', and name a path inside the root (no '..', drive or leading '/')";

/// The message of a key with a drive prefix.
fn drive_rule(key: &str, prefix: &str) -> String {
    format!(
        "key {key:?} has a segment starting with the drive prefix {prefix:?}, which on Windows \
         names a path on that drive: keys are relative to the root on every platform; \
         drop {prefix:?} or rename the segment"
    )
}

// On Windows each of these keys wrote above the root, or on a drive's root,
// before the rules refused them everywhere.
#[test]
fn backslashes_and_drive_prefixes_are_refused_every_way_and_nothing_escapes() {
    let m = format!("fixtree-escape-{}", std::process::id());
    let cases: Vec<(String, String)> = [
        ("a\\b".to_owned(), "write \"a/b\"".to_owned()),
        (
            "src\\bin\\cli.rs".to_owned(),
            "write \"src/bin/cli.rs\"".to_owned(),
        ),
        (format!("..\\..\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("..\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("a\\..\\..\\..\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("C:\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("\\\\?\\C:\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("\\\\.\\C:\\{m}"), BACKSLASH_FIX.to_owned()),
        (format!("\\\\localhost\\C$\\{m}"), BACKSLASH_FIX.to_owned()),
    ]
    .into_iter()
    .map(|(key, fix)| {
        let rule = backslash_rule(&key, &fix);
        (key, rule)
    })
    .chain(
        [
            (format!("C:/{m}"), "C:"),
            (format!("C:{m}"), "C:"),
            (format!("z:{m}"), "z:"),
            (format!("a/c:{m}"), "c:"),
        ]
        .into_iter()
        .map(|(key, prefix)| {
            let rule = drive_rule(&key, prefix);
            (key, rule)
        }),
    )
    .collect();
    assert_refused_everywhere(&cases);
}

#[cfg(unix)]
#[test]
fn a_name_read_from_disk_that_no_key_can_give_is_not_written() -> TestResult {
    let from = fixtree::tempdir()?;
    fs::create_dir(from.path().join("sub"))?;
    fs::write(from.path().join("sub/a\\b"), "x")?;
    let tree = Tree::read(from.path())?;
    let jail = Jail::new();
    let err = tree.write_to(jail.root()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        format!(
            "cannot create {}: {}",
            jail.root().join("sub").join("a\\b").display(),
            backslash_rule("a\\b", "write \"a/b\"")
        )
    );
    assert_eq!(entries(&jail.root()), ["sub"]);
    assert_eq!(entries(&jail.root().join("sub")), Vec::<String>::new());
    Ok(())
}

/// Names Windows cannot hold as files, or takes for devices, each with the
/// message of its rule there.
fn windows_only_cases() -> Vec<(String, String)> {
    let device = |key: &str, segment: &str, device: &str| {
        format!(
            "key {key:?} has the segment {segment:?}, which Windows takes for the device {device} \
             (whatever the case or extension), not a file: rename it"
        )
    };
    let trailing = |key: &str, segment: &str, what: &str| {
        format!(
            "key {key:?} has the segment {segment:?}, ending in a {what}, which Windows drops \
             from a file name: remove the trailing {what}"
        )
    };
    let character = |key: &str, character: char| {
        format!(
            "key {key:?} holds {character:?}, which no file name on Windows can: rename it \
             without any of <>:\"|?* and control characters"
        )
    };
    let mut cases = Vec::new();
    for (key, segment, name) in [
        ("CON", "CON", "CON"),
        ("nul.txt", "nul.txt", "NUL"),
        ("a/Aux", "Aux", "AUX"),
        ("prn.log", "prn.log", "PRN"),
        ("a/COM1", "COM1", "COM1"),
        ("com9.tar.gz", "com9.tar.gz", "COM9"),
        ("lpt1", "lpt1", "LPT1"),
        ("LPT9.x", "LPT9.x", "LPT9"),
        ("COM\u{b9}", "COM\u{b9}", "COM\u{b9}"),
        ("CONOUT$", "CONOUT$", "CONOUT$"),
    ] {
        cases.push((key.to_owned(), device(key, segment, name)));
    }
    for (key, segment, what) in [
        ("a.", "a.", "dot"),
        ("dir./x", "dir.", "dot"),
        ("x/b ", "b ", "space"),
        ("d /x", "d ", "space"),
    ] {
        cases.push((key.to_owned(), trailing(key, segment, what)));
    }
    for (key, c) in [
        ("ab:c", ':'),
        ("a/bc:stream", ':'),
        ("a<b", '<'),
        ("a>b", '>'),
        ("a\"b", '"'),
        ("a|b", '|'),
        ("a?b", '?'),
        ("a*b", '*'),
        ("a\u{1}b", '\u{1}'),
        ("a\u{1f}b", '\u{1f}'),
    ] {
        cases.push((key.to_owned(), character(key, c)));
    }
    cases
}

#[cfg(windows)]
#[test]
fn on_windows_devices_trailing_dots_and_spaces_and_its_characters_are_refused() {
    assert_refused_everywhere(&windows_only_cases());
}

#[cfg(not(windows))]
#[test]
fn elsewhere_names_only_windows_refuses_are_ordinary_files() -> TestResult {
    let dir = fixtree::tempdir()?;
    let mut tree = Tree::new();
    for (key, _) in windows_only_cases() {
        tree.insert(&key, key.as_str())?;
    }
    tree.write_to(dir.path())?;
    for (key, _) in windows_only_cases() {
        assert_eq!(fs::read_to_string(dir.path().join(&key))?, key);
    }
    assert_eq!(Tree::read(dir.path())?, tree);
    Ok(())
}

/// Bits above 0o7777 are a slip in the test, never masked into a mode.
#[test]
#[should_panic(expected = "fixtree: mode(0o10000, …): permission bits go up to 0o7777")]
fn a_mode_above_0o7777_panics() {
    let _ = mode(0o10000, "x");
}

#[test]
#[should_panic(
    expected = "fixtree: Node::file_with_mode(…, 0o100644): permission bits go up to 0o7777"
)]
fn a_node_mode_above_0o7777_panics() {
    // A whole st_mode, file type bits included.
    let _ = Node::file_with_mode("x", 0o100644);
}

#[test]
fn the_highest_permission_bits_are_a_mode() {
    assert!(matches!(
        Node::file_with_mode("x", 0o7777),
        Node::File {
            mode: Some(0o7777),
            ..
        }
    ));
    let tree = Tree::new().with("x", mode(0o7777, "x")).unwrap();
    assert_eq!(tree.get("x"), Some(&Node::file_with_mode("x", 0o7777)));
}
