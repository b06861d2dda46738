//! Content hashes and hashed file names.
//!
//! SHA-256 comes from `ring`, whose digest loops are assembly: a build script's
//! dependencies are compiled without optimisation in dev profiles, where a Rust
//! implementation hashes several times slower, and a rerun hashes every output.

use ring::digest::{self, Context, SHA256};

/// SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(digest::digest(&SHA256, bytes).as_ref());
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Feeds length-prefixed fields to a SHA-256 hasher, so field boundaries cannot be confused.
pub(crate) struct FieldHasher(Context);

impl Default for FieldHasher {
    fn default() -> FieldHasher {
        FieldHasher(Context::new(&SHA256))
    }
}

impl FieldHasher {
    pub fn field(&mut self, bytes: impl AsRef<[u8]>) -> &mut Self {
        let bytes = bytes.as_ref();
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn finish(self) -> [u8; 32] {
        let mut out = [0; 32];
        out.copy_from_slice(self.0.finish().as_ref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_sha256() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn field_hasher_separates_fields() {
        let mut a = FieldHasher::default();
        a.field("ab").field("c");
        let mut b = FieldHasher::default();
        b.field("a").field("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
