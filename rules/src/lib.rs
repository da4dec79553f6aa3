//! The rules of fixtree that hold both at compile time and at run time, in one
//! place: `fixtree-macros` checks them on a key's span and `fixtree-runtime`
//! returns them as errors, so a runtime-built tree is as safe as a macro-built
//! one (nothing can name a path outside the root), and the two cannot drift.
//!
//! Dependency-free, because the proc-macro crate builds it for the host; the
//! `tokens` feature (the macros and the CLI) adds proc-macro2 for [`tokens`].

#![warn(missing_docs)]

use std::fmt;

pub mod cases;
pub mod folder;
#[cfg(feature = "tokens")]
pub mod tokens;

/// Why a key was refused; `Display` names the key, the rule and the fix.
///
/// ```
/// # use fixtree_rules::KeyError;
/// let error = KeyError::Absolute("/etc/passwd".into());
/// assert_eq!(
///     error.to_string(),
///     "absolute key \"/etc/passwd\": keys are relative to the root; drop the leading '/'"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is the empty string.
    Empty,
    /// The key starts with `/`.
    Absolute(String),
    /// The key has an empty segment (`a//b`, or a trailing `/`).
    EmptySegment(String),
    /// The key has a `.` or `..` segment.
    DotSegment(String),
    /// The key holds a NUL byte.
    Nul(String),
    /// The key holds a `\`, which separates names on Windows (and starts
    /// its UNC and device paths, `\\server\share`, `\\?\C:\`).
    Backslash(String),
    /// A segment of the key starts with a drive prefix (`C:`), which on
    /// Windows names a path on that drive, wherever the root is.
    Drive(String),
    /// Windows only: a segment is a device name (`CON`, `NUL`, `COM1`, …),
    /// whatever its case or extension.
    ReservedName {
        /// The key as given.
        key: String,
        /// The segment that names the device.
        segment: String,
        /// The device, in capitals: `NUL`.
        device: &'static str,
    },
    /// Windows only: a segment ends in a dot or a space, which Windows
    /// drops from a file name.
    TrailingDotOrSpace {
        /// The key as given.
        key: String,
        /// The segment that ends so.
        segment: String,
    },
    /// Windows only: the key holds one of `<>:"|?*` or a control character,
    /// which no Windows file name can (`a:b` would name a stream of `a`).
    WindowsCharacter {
        /// The key as given.
        key: String,
        /// The first such character.
        character: char,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str(
                "empty key: a key names a file or directory relative to the root; write its name, e.g. \"a.txt\"",
            ),
            KeyError::Absolute(key) => write!(
                f,
                "absolute key {key:?}: keys are relative to the root; drop the leading '/'"
            ),
            KeyError::EmptySegment(key) => write!(
                f,
                "key {key:?} has an empty segment: remove the doubled or trailing '/'"
            ),
            KeyError::DotSegment(key) => write!(
                f,
                "key {key:?} has a '.' or '..' segment: name the path directly, without '.' or '..', so it stays inside the root"
            ),
            KeyError::Nul(key) => write!(f, "key {key:?} holds a NUL byte, which no file name can"),
            KeyError::Backslash(key) => {
                write!(
                    f,
                    "key {key:?} holds a '\\': keys are '/'-separated on every platform; "
                )?;
                // The same key with '/' is the fix only where it is a valid key itself.
                let slashed = key.replace('\\', "/");
                match segments(&slashed) {
                    Ok(_) => write!(f, "write {slashed:?}"),
                    Err(_) => f.write_str(
                        "separate names with '/', and name a path inside the root (no '..', drive or leading '/')",
                    ),
                }
            }
            KeyError::Drive(key) => {
                let prefix = key.split('/').find_map(drive_prefix).unwrap_or(":");
                write!(
                    f,
                    "key {key:?} has a segment starting with the drive prefix {prefix:?}, which on Windows \
                     names a path on that drive: keys are relative to the root on every platform; \
                     drop {prefix:?} or rename the segment"
                )
            }
            KeyError::ReservedName {
                key,
                segment,
                device,
            } => write!(
                f,
                "key {key:?} has the segment {segment:?}, which Windows takes for the device {device} \
                 (whatever the case or extension), not a file: rename it"
            ),
            KeyError::TrailingDotOrSpace { key, segment } => {
                let what = if segment.ends_with('.') { "dot" } else { "space" };
                write!(
                    f,
                    "key {key:?} has the segment {segment:?}, ending in a {what}, which Windows drops \
                     from a file name: remove the trailing {what}"
                )
            }
            KeyError::WindowsCharacter { key, character } => write!(
                f,
                "key {key:?} holds {character:?}, which no file name on Windows can: rename it \
                 without any of <>:\"|?* and control characters"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Splits a key into its `/`-separated segments, or says which rule it
/// breaks. These rules hold on every platform, so that a key names the same
/// file everywhere; [`check_windows`] adds the names Windows cannot hold.
///
/// ```
/// use fixtree_rules::{KeyError, segments};
///
/// assert_eq!(segments("src/main.rs"), Ok(vec!["src", "main.rs"]));
/// assert_eq!(segments("../up"), Err(KeyError::DotSegment("../up".into())));
/// assert_eq!(segments("a\\b"), Err(KeyError::Backslash("a\\b".into())));
/// assert_eq!(segments("C:/x"), Err(KeyError::Drive("C:/x".into())));
/// ```
pub fn segments(key: &str) -> Result<Vec<&str>, KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    // The first rule broken, in this order, names the error.
    let parts: Vec<&str> = key.split('/').collect();
    let any = |rule: fn(&str) -> bool| parts.iter().any(|p| rule(p));
    let rules = [
        (key.contains('\0'), KeyError::Nul as fn(_) -> _),
        (key.starts_with('/'), KeyError::Absolute),
        (key.contains('\\'), KeyError::Backslash),
        (any(str::is_empty), KeyError::EmptySegment),
        (any(|p| p == "." || p == ".."), KeyError::DotSegment),
        (any(|p| drive_prefix(p).is_some()), KeyError::Drive),
    ];
    match rules.into_iter().find(|(broken, _)| *broken) {
        Some((_, error)) => Err(error(key.to_owned())),
        None => Ok(parts),
    }
}

/// Whether `name` is one path segment as [`segments`] accepts it: not
/// empty, no `/`, `\` or NUL, not `.` or `..`, no drive prefix. Allocates
/// nothing: the runtime checks every name of a tree it writes.
///
/// ```
/// use fixtree_rules::is_segment;
///
/// assert!(is_segment("main.rs"));
/// assert!(!is_segment("src/main.rs") && !is_segment("..") && !is_segment(""));
/// assert!(!is_segment("a\\b") && !is_segment("C:x"));
/// ```
pub fn is_segment(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && drive_prefix(name).is_none()
}

/// The drive prefix (`C:`) a segment starts with, if it does: a letter and
/// a colon, which Windows (and `Path::join` there) reads as a drive, so
/// that no path joined with it stays under the directory it is joined to.
///
/// ```
/// assert_eq!(fixtree_rules::drive_prefix("c:x"), Some("c:"));
/// assert_eq!(fixtree_rules::drive_prefix("ab:c"), None);
/// ```
pub fn drive_prefix(segment: &str) -> Option<&str> {
    let prefix = segment.get(..2)?;
    let bytes = prefix.as_bytes();
    (bytes[0].is_ascii_alphabetic() && bytes[1] == b':').then_some(prefix)
}

/// Checks the rules a key follows on Windows beyond [`segments`]': no
/// segment names a device (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
/// `LPT0`–`LPT9`, with `¹²³` too, `CONIN$`, `CONOUT$`; whatever the case
/// or extension: `nul.txt`), ends in a dot or a space, or holds one of
/// `<>:"|?*` or a control character. Windows either cannot hold such a
/// name as a file or takes it for something else.
///
/// The runtime applies it on Windows only, and the macros' error for it
/// is compiled in on Windows only: elsewhere these are ordinary names.
/// `key` is one [`segments`] accepted.
///
/// ```
/// use fixtree_rules::{KeyError, check_windows};
///
/// assert_eq!(check_windows("src/main.rs"), Ok(()));
/// assert_eq!(
///     check_windows("logs/nul.txt"),
///     Err(KeyError::ReservedName { key: "logs/nul.txt".into(), segment: "nul.txt".into(), device: "NUL" })
/// );
/// assert!(check_windows("ab:c").is_err() && check_windows("notes.").is_err());
/// ```
pub fn check_windows(key: &str) -> Result<(), KeyError> {
    // `<>:"|?*` and the control characters 1–31 (NUL is refused everywhere).
    let forbidden = |c: &char| "<>:\"|?*".contains(*c) || ('\u{1}'..='\u{1f}').contains(c);
    if let Some(character) = key.chars().find(forbidden) {
        return Err(KeyError::WindowsCharacter {
            key: key.to_owned(),
            character,
        });
    }
    for segment in key.split('/') {
        if segment.ends_with(['.', ' ']) {
            return Err(KeyError::TrailingDotOrSpace {
                key: key.to_owned(),
                segment: segment.to_owned(),
            });
        }
        if let Some(device) = reserved_device(segment) {
            return Err(KeyError::ReservedName {
                key: key.to_owned(),
                segment: segment.to_owned(),
                device,
            });
        }
    }
    Ok(())
}

/// The device names Windows resolves in any directory.
// The digits include the superscripts ¹²³ (U+00B9, U+00B2, U+00B3).
const DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// The device a segment names on Windows, if it names one: its part before
/// the first dot, less trailing spaces, is a device name in any case.
fn reserved_device(segment: &str) -> Option<&'static str> {
    let stem = segment.split('.').next().unwrap_or(segment);
    let stem = stem.trim_end_matches(' ');
    DEVICES
        .iter()
        .find(|d| stem.eq_ignore_ascii_case(d))
        .copied()
}

/// Whether a macro's `from = "…"` path names a txtar file (many files in
/// one text file) rather than a snapshot folder: its last segment ends in
/// `.txtar` after a name. The macros check it to decide that the path must be
/// a file, and the runtime to read it as one.
///
/// ```
/// assert!(fixtree_rules::is_txtar("tests/fixtures/project.txtar"));
/// assert!(!fixtree_rules::is_txtar("tests/fixtures/project"));
/// assert!(!fixtree_rules::is_txtar("tests/.txtar"));
/// ```
pub fn is_txtar(from: &str) -> bool {
    let name = from.rsplit('/').next().unwrap_or(from);
    name.len() > ".txtar".len() && name.ends_with(".txtar")
}

/// Whether `written` is a typo of `name`: at most two letters changed,
/// added or removed (Levenshtein distance). Mistakes in a macro's option
/// names and in a snapshot folder's path are suggested by it.
///
/// ```
/// assert!(fixtree_rules::close_to("form", "from"));
/// assert!(!fixtree_rules::close_to("ignore", "from"));
/// ```
pub fn close_to(written: &str, name: &str) -> bool {
    let written: Vec<char> = written.chars().collect();
    let mut previous: Vec<usize> = (0..=written.len()).collect();
    for (i, k) in name.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, w) in written.iter().enumerate() {
            let substitute = previous[j] + usize::from(*w != k);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[written.len()] <= 2
}

/// The helpers of `fixtree::spec`, which a value in `tree!`, `assert_tree!`
/// or `#[with_tempdir(files = …)]` may call without an import: the macros
/// import exactly these, and tests/it/tree_macro.rs calls each so, without
/// importing it.
///
/// ```
/// assert!(fixtree_rules::SPEC_HELPERS.contains(&"exec"));
/// ```
pub const SPEC_HELPERS: &[&str] = &[
    "exec",
    "mode",
    "symlink",
    "modified",
    "ago",
    "unix_time",
    "contains",
    "matches",
    "any",
    "absent",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_segment_agrees_with_segments() {
        for name in [
            "a", "main.rs", ".hidden", "...", "a b", "", ".", "..", "a/b", "/a", "a/", "a\0b",
            "a\\b", "\\", "C:", "c:x", "ab:c", "1:x", "é:x", "a:",
        ] {
            let one = matches!(segments(name).as_deref(), Ok([_]));
            assert_eq!(is_segment(name), one, "{name:?}");
        }
    }

    #[test]
    fn accepts_relative_paths() {
        let ok: &[(&str, &[&str])] = &[
            ("a", &["a"]),
            ("a.txt", &["a.txt"]),
            ("a/b/c.rs", &["a", "b", "c.rs"]),
            (".hidden", &[".hidden"]),
            ("...", &["..."]),
            ("a..b", &["a..b"]),
            ("..a/b.", &["..a", "b."]),
            (" ", &[" "]),
            ("dir with space/é.txt", &["dir with space", "é.txt"]),
            // Only a letter and a colon make a drive; other colons are Windows' business.
            ("ab:c/1:x/é:x/:x", &["ab:c", "1:x", "é:x", ":x"]),
            // Names Windows alone cannot hold pass the portable rules.
            (
                "CON/nul.txt/a./b /a<b",
                &["CON", "nul.txt", "a.", "b ", "a<b"],
            ),
        ];
        for (key, parts) in ok {
            assert_eq!(segments(key).as_deref(), Ok(*parts), "{key:?}");
        }
    }

    #[test]
    fn refuses_each_rule() {
        use KeyError::*;
        let bad = [
            ("", Empty),
            ("/", Absolute("/".into())),
            ("/a", Absolute("/a".into())),
            ("/etc/passwd", Absolute("/etc/passwd".into())),
            ("a//b", EmptySegment("a//b".into())),
            ("a/", EmptySegment("a/".into())),
            ("a/b/", EmptySegment("a/b/".into())),
            (".", DotSegment(".".into())),
            ("..", DotSegment("..".into())),
            ("./a", DotSegment("./a".into())),
            ("a/.", DotSegment("a/.".into())),
            ("a/./b", DotSegment("a/./b".into())),
            ("../a", DotSegment("../a".into())),
            ("a/../../b", DotSegment("a/../../b".into())),
            ("a\0b", Nul("a\0b".into())),
            ("\0", Nul("\0".into())),
            // NUL is reported before the other rules, absolute before empty segments.
            ("/a\0", Nul("/a\0".into())),
            ("//a", Absolute("//a".into())),
            ("a//..", EmptySegment("a//..".into())),
            ("a\\b", Backslash("a\\b".into())),
            ("..\\..\\x", Backslash("..\\..\\x".into())),
            ("\\x", Backslash("\\x".into())),
            ("a\\", Backslash("a\\".into())),
            ("\\\\?\\C:\\x", Backslash("\\\\?\\C:\\x".into())),
            ("\\\\.\\C:\\x", Backslash("\\\\.\\C:\\x".into())),
            (
                "\\\\server\\share\\x",
                Backslash("\\\\server\\share\\x".into()),
            ),
            ("C:\\x", Backslash("C:\\x".into())),
            ("C:/x", Drive("C:/x".into())),
            ("C:x", Drive("C:x".into())),
            ("C:", Drive("C:".into())),
            ("z:", Drive("z:".into())),
            ("a/c:x", Drive("a/c:x".into())),
            ("a/b/Q:", Drive("a/b/Q:".into())),
            // A backslash is reported before '/'-rules, dot segments before drives.
            ("/a\\b", Absolute("/a\\b".into())),
            ("a\\b//c", Backslash("a\\b//c".into())),
            ("../C:", DotSegment("../C:".into())),
        ];
        for (key, error) in bad {
            assert_eq!(segments(key), Err(error), "{key:?}");
        }
    }

    // The wording is public: compile errors and `fixtree::KeyError` both show it.
    #[test]
    fn messages_name_the_key_the_rule_and_the_fix() {
        let cases = [
            (
                "",
                "empty key: a key names a file or directory relative to the root; write its name, e.g. \"a.txt\"",
            ),
            (
                "/a",
                "absolute key \"/a\": keys are relative to the root; drop the leading '/'",
            ),
            (
                "a//b",
                "key \"a//b\" has an empty segment: remove the doubled or trailing '/'",
            ),
            (
                "a/../b",
                "key \"a/../b\" has a '.' or '..' segment: name the path directly, without '.' or '..', so it stays inside the root",
            ),
            (
                "a\0",
                "key \"a\\0\" holds a NUL byte, which no file name can",
            ),
            (
                "a\\b",
                "key \"a\\\\b\" holds a '\\': keys are '/'-separated on every platform; write \"a/b\"",
            ),
            (
                "..\\..\\x",
                "key \"..\\\\..\\\\x\" holds a '\\': keys are '/'-separated on every platform; \
                 separate names with '/', and name a path inside the root (no '..', drive or leading '/')",
            ),
            (
                "a/C:x",
                "key \"a/C:x\" has a segment starting with the drive prefix \"C:\", which on Windows \
                 names a path on that drive: keys are relative to the root on every platform; \
                 drop \"C:\" or rename the segment",
            ),
        ];
        for (key, message) in cases {
            assert_eq!(segments(key).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn windows_refuses_devices_trailing_dots_and_spaces_and_its_characters() {
        let device = |key: &str, segment: &str, device| KeyError::ReservedName {
            key: key.into(),
            segment: segment.into(),
            device,
        };
        let trailing = |key: &str, segment: &str| KeyError::TrailingDotOrSpace {
            key: key.into(),
            segment: segment.into(),
        };
        let character = |key: &str, character| KeyError::WindowsCharacter {
            key: key.into(),
            character,
        };
        let bad = [
            ("CON", device("CON", "CON", "CON")),
            ("con", device("con", "con", "CON")),
            ("a/Nul", device("a/Nul", "Nul", "NUL")),
            ("nul.txt", device("nul.txt", "nul.txt", "NUL")),
            ("NUL.tar.gz", device("NUL.tar.gz", "NUL.tar.gz", "NUL")),
            ("NUL .txt", device("NUL .txt", "NUL .txt", "NUL")),
            ("prn/x", device("prn/x", "prn", "PRN")),
            ("aux.c", device("aux.c", "aux.c", "AUX")),
            ("COM1", device("COM1", "COM1", "COM1")),
            ("com9.log", device("com9.log", "com9.log", "COM9")),
            ("COM0", device("COM0", "COM0", "COM0")),
            ("LPT1", device("LPT1", "LPT1", "LPT1")),
            ("d/lpt9.x", device("d/lpt9.x", "lpt9.x", "LPT9")),
            ("COM\u{b9}", device("COM\u{b9}", "COM\u{b9}", "COM\u{b9}")),
            (
                "lpt\u{b3}.txt",
                device("lpt\u{b3}.txt", "lpt\u{b3}.txt", "LPT\u{b3}"),
            ),
            ("CONIN$", device("CONIN$", "CONIN$", "CONIN$")),
            (
                "conout$.txt",
                device("conout$.txt", "conout$.txt", "CONOUT$"),
            ),
            ("a.", trailing("a.", "a.")),
            ("...", trailing("...", "...")),
            ("dir./x", trailing("dir./x", "dir.")),
            ("a ", trailing("a ", "a ")),
            ("x/b /c", trailing("x/b /c", "b ")),
            ("CON.", trailing("CON.", "CON.")),
            ("a<b", character("a<b", '<')),
            ("a>b", character("a>b", '>')),
            ("ab:c", character("ab:c", ':')),
            ("a\"b", character("a\"b", '"')),
            ("a|b", character("a|b", '|')),
            ("a?b", character("a?b", '?')),
            ("a*b", character("a*b", '*')),
            ("a\u{1}b", character("a\u{1}b", '\u{1}')),
            ("a/\tb", character("a/\tb", '\t')),
            ("a\u{1f}", character("a\u{1f}", '\u{1f}')),
            // A character is reported before the segment rules.
            ("NUL:.", character("NUL:.", ':')),
        ];
        for (key, error) in bad {
            assert_eq!(segments(key).map(|_| ()), Ok(()), "{key:?} is portable");
            assert_eq!(check_windows(key), Err(error), "{key:?}");
        }
    }

    #[test]
    fn windows_accepts_names_near_the_reserved_ones() {
        for key in [
            "a",
            "src/main.rs",
            ".hidden",
            ".a/.b",
            "CONSOLE",
            "NULL.txt",
            "COM10",
            "LPT",
            "COM",
            "xCON",
            "con_.txt",
            "a.b.c",
            "a b",
            " a",
            "COM\u{b4}",
            "é/ü.txt",
            "a\u{7f}",
            "..a",
        ] {
            assert_eq!(check_windows(key), Ok(()), "{key:?}");
        }
    }

    #[test]
    fn windows_messages_name_the_key_the_rule_and_the_fix() {
        let cases = [
            (
                "logs/nul.txt",
                "key \"logs/nul.txt\" has the segment \"nul.txt\", which Windows takes for the device NUL \
                 (whatever the case or extension), not a file: rename it",
            ),
            (
                "notes./a",
                "key \"notes./a\" has the segment \"notes.\", ending in a dot, which Windows drops \
                 from a file name: remove the trailing dot",
            ),
            (
                "a ",
                "key \"a \" has the segment \"a \", ending in a space, which Windows drops \
                 from a file name: remove the trailing space",
            ),
            (
                "ab:c",
                "key \"ab:c\" holds ':', which no file name on Windows can: rename it \
                 without any of <>:\"|?* and control characters",
            ),
            (
                "a\u{1}",
                "key \"a\\u{1}\" holds '\\u{1}', which no file name on Windows can: rename it \
                 without any of <>:\"|?* and control characters",
            ),
        ];
        for (key, message) in cases {
            assert_eq!(check_windows(key).unwrap_err().to_string(), message);
        }
    }
}
