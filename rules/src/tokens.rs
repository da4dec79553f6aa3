//! The fingerprint of an `assert_tree!` spec's tokens: the macro computes it
//! when the test compiles, review mode records it, and `cargo fixtree
//! accept` computes it again over the source, to apply a record only to the
//! spec it was made against.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a 64 of `tokens` as 16 lowercase hex digits: each token's text as
/// written (identifiers, punctuation, literals), group delimiters, and a
/// separator after each token; `None`-delimited groups (what a
/// `macro_rules!` fragment arrives in) are transparent, so spacing,
/// comments and line breaks do not count.
///
/// ```
/// use fixtree_rules::tokens::fingerprint;
///
/// let one: proc_macro2::TokenStream = r#""a" => "x", "b" => { .. }"#.parse().unwrap();
/// let spaced: proc_macro2::TokenStream = "\"a\"=>\"x\" , /* c */ \"b\" => {..}".parse().unwrap();
/// let other: proc_macro2::TokenStream = r#""a" => "y""#.parse().unwrap();
/// assert_eq!(fingerprint(one.clone()), fingerprint(spaced));
/// assert_ne!(fingerprint(one), fingerprint(other));
/// assert_eq!(fingerprint(proc_macro2::TokenStream::new()).len(), 16);
/// ```
pub fn fingerprint(tokens: TokenStream) -> String {
    let mut hash = OFFSET;
    feed(&mut hash, tokens);
    format!("{hash:016x}")
}

fn feed(hash: &mut u64, tokens: TokenStream) {
    let add = |hash: &mut u64, bytes: &[u8]| {
        for byte in bytes.iter().chain([&0xff]) {
            *hash ^= u64::from(*byte);
            *hash = hash.wrapping_mul(PRIME);
        }
    };
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => (b"(", b")"),
                    Delimiter::Brace => (b"{", b"}"),
                    Delimiter::Bracket => (b"[", b"]"),
                    Delimiter::None => {
                        feed(hash, group.stream());
                        continue;
                    }
                };
                add(hash, open);
                feed(hash, group.stream());
                add(hash, close);
            }
            // An ident, a punct or a literal: its text.
            other => add(hash, other.to_string().as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> String {
        fingerprint(text.parse().unwrap())
    }

    #[test]
    fn none_groups_are_transparent_and_delimiters_count() {
        let inner: TokenStream = "\"a\" => \"x\"".parse().unwrap();
        let wrapped = TokenStream::from(TokenTree::Group(proc_macro2::Group::new(
            Delimiter::None,
            inner.clone(),
        )));
        assert_eq!(fingerprint(inner), fingerprint(wrapped));
        assert_ne!(of("(a)"), of("[a]"));
        assert_ne!(of("ab"), of("a b"));
        assert_ne!(of("\"a\""), of("r\"a\""));
    }
}
