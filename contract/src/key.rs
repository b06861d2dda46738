//! The key of the generated lookup tables.

/// The 64-bit FNV-1a hash of a path: the key of the generated perfect-hash maps.
///
/// Integer keys instead of string keys keep the generated code cheap to compile; a lookup then
/// compares the path itself, and the build refuses two paths with the same key.
///
/// ```
/// use assetlock_contract::path_key;
///
/// assert_eq!(path_key(""), 0xcbf2_9ce4_8422_2325);
/// assert_eq!(path_key("css/app.css"), 0xb7e1_86f6_c6ff_7c6d);
/// ```
pub const fn path_key(path: &str) -> u64 {
    let bytes = path.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_key_is_fnv1a_64() {
        assert_eq!(path_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(path_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(path_key("css/app.css"), 0xb7e1_86f6_c6ff_7c6d);
    }
}
