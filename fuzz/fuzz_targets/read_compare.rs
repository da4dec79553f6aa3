//! A small directory of arbitrary shape, made with std::fs (files with any
//! mode, directories, symbolic links anywhere, sockets, names that are not
//! UTF-8): `Tree::read` fails only on what a tree cannot hold, never panics,
//! and otherwise the directory always matches the tree read from it
//! (`check_tree`); that tree also survives its spec text and a `write_to`,
//! unless a name in it is one no key can spell (`a\b`, `c:x`): then the spec
//! text does not parse and `write_to` refuses it.

#![no_main]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use fixtree::{TempDir, Tree, check_tree};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Entry {
    File(Vec<u8>),
    Mode(u16, Vec<u8>),
    Dir(Vec<(Name, Entry)>),
    Symlink(String),
    /// A socket: neither file, directory nor link.
    Socket,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Text(String),
    Bytes(Vec<u8>),
}

/// What was made that `Tree::read` must refuse.
#[derive(Default)]
struct Made {
    /// A socket, which no tree holds.
    socket: bool,
    /// A UTF-8 name holding `\x`, which may read as the spelling of a name
    /// that is not UTF-8: `Tree::read` may refuse it.
    lookalike: bool,
    /// A name that is not UTF-8: held under its spelling (`caf\xe9`), or
    /// refused where the platform layer cannot spell it.
    spelled: bool,
}

const MAX_DEPTH: usize = 5;

fn jail() -> &'static TempDir {
    static JAIL: OnceLock<TempDir> = OnceLock::new();
    JAIL.get_or_init(|| fixtree::tempdir().expect("a temporary directory"))
}

/// Makes `entries` in `dir`; a name the OS refuses (empty, `..`, a slash,
/// taken already) is skipped, which only changes the shape.
fn make(dir: &Path, entries: &[(Name, Entry)], depth: usize, made: &mut Made) {
    for (name, entry) in entries {
        let (bytes, utf8) = match name {
            Name::Text(text) => (text.as_bytes(), true),
            Name::Bytes(bytes) => (bytes.as_slice(), std::str::from_utf8(bytes).is_ok()),
        };
        if bytes.is_empty()
            || bytes.contains(&b'/')
            || bytes.contains(&0)
            || bytes == b"."
            || bytes == b".."
        {
            continue;
        }
        let path = dir.join(OsStr::from_bytes(bytes));
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let created = match entry {
            Entry::File(contents) => std::fs::write(&path, contents).is_ok(),
            Entry::Mode(bits, contents) => {
                std::fs::write(&path, contents).is_ok()
                    // Owner-readable, so that a run as an ordinary user reads it back.
                    && std::fs::set_permissions(&path, PermissionsExt::from_mode(u32::from(*bits) & 0o7777 | 0o400)).is_ok()
            }
            Entry::Dir(sub) => {
                let ok = std::fs::create_dir(&path).is_ok();
                if ok && depth < MAX_DEPTH {
                    make(&path, sub, depth + 1, made);
                }
                ok
            }
            Entry::Symlink(target) => {
                !target.is_empty()
                    && !target.contains('\0')
                    && std::os::unix::fs::symlink(target, &path).is_ok()
            }
            Entry::Socket => {
                let ok = std::os::unix::net::UnixListener::bind(&path).is_ok();
                made.socket |= ok;
                ok
            }
        };
        made.spelled |= created && !utf8;
        made.lookalike |= created && utf8 && bytes.windows(2).any(|w| w == b"\\x");
    }
}

fuzz_target!(|entries: Vec<(Name, Entry)>| {
    let root = jail().path().join("case");
    std::fs::create_dir(&root).expect("create the root");
    let mut made = Made::default();
    make(&root, &entries, 1, &mut made);

    match Tree::read(&root) {
        Ok(tree) => {
            assert!(!made.socket, "read a directory holding a socket");
            if let Err(diff) = check_tree(&root, &tree) {
                panic!("a directory does not match the tree read from it:\n{diff}");
            }
            let text = tree.to_string();
            let copy = jail().path().join("copy");
            std::fs::create_dir(&copy).expect("create the copy");
            let keys = tree
                .walk()
                .all(|(path, _)| Tree::new().with(&path, "").is_ok());
            if keys {
                let parsed: Tree = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
                assert_eq!(parsed, tree, "the spec text of a read tree changed it");
                tree.write_to(&copy).expect("write the read tree");
                assert_eq!(
                    Tree::read(&copy).expect("read the copy"),
                    tree,
                    "the copy differs"
                );
            } else if made.spelled {
                // Spelled names print as comments and are written back as
                // their bytes; a name no key can spell is still refused.
                let _ = tree.write_to(&copy);
            } else {
                let e = text
                    .parse::<Tree>()
                    .expect_err("spec text spelled a name no key can");
                assert!(e.tree_error().is_some(), "not a key error: {e}\n{text}");
                tree.write_to(&copy)
                    .expect_err("wrote a name no key can spell");
            }
            std::fs::remove_dir_all(&copy).expect("remove the copy");
        }
        Err(e) => {
            assert!(
                made.socket || made.lookalike || made.spelled,
                "read failed on files, directories and links only: {e}"
            );
            // The report of an unreadable directory renders too.
            let _ = check_tree(&root, &Tree::new()).map_err(|diff| diff.to_string());
        }
    }
    std::fs::remove_dir_all(&root).expect("remove the root");
});
