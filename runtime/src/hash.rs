//! A small, stable hash for names and reports (not for security).

/// 64-bit FNV-1a: the same for the same bytes on every machine and Rust
/// version, unlike `std`'s hashers, so names and reports are reproducible.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
