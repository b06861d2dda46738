//! Subresource Integrity: which hash function the `integrity` values use, and the value of a
//! file's bytes.

use base64::Engine;
use ring::digest::{self, Context};

/// The hash function of the Subresource Integrity values (`Asset::integrity()`, the
/// `integrity` attributes of the tag helpers, the import map's `integrity` section and
/// `manifest.json`).
///
/// Browsers accept all three and check them the same way; they differ in what the build pays.
/// SHA-256 is the hash that already names every file, so its value costs nothing more.
/// SHA-384 and SHA-512 are a second pass over every byte of the build: on a CPU with SHA-256
/// instructions but none for SHA-512, as most x86-64 machines are, that pass takes about three
/// times as long as the SHA-256.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Integrity {
    /// `sha256-<base64>`, the SHA-256 that names the file (the default).
    #[default]
    Sha256,
    /// `sha384-<base64>`, for a policy that asks for it.
    Sha384,
    /// `sha512-<base64>`.
    Sha512,
}

impl Integrity {
    /// The value for `bytes`, whose SHA-256 is `sha256`.
    pub(crate) fn of(self, bytes: &[u8], sha256: &[u8; 32]) -> String {
        match self.algorithm() {
            None => self.value(sha256),
            Some(algorithm) => self.value(digest::digest(algorithm, bytes).as_ref()),
        }
    }

    /// A hasher to feed a file's bytes one chunk at a time; `None` when the file's SHA-256
    /// gives the value. [`Integrity::finish`] turns it into the value.
    pub(crate) fn hasher(self) -> Option<Context> {
        self.algorithm().map(Context::new)
    }

    /// The value from the [`hasher`](Integrity::hasher) fed the bytes whose SHA-256 is
    /// `sha256`.
    pub(crate) fn finish(self, hasher: Option<Context>, sha256: &[u8; 32]) -> String {
        match hasher {
            Some(hasher) => self.value(hasher.finish().as_ref()),
            None => self.value(sha256),
        }
    }

    /// The algorithm of a second pass, `None` for SHA-256.
    fn algorithm(self) -> Option<&'static digest::Algorithm> {
        match self {
            Integrity::Sha256 => None,
            Integrity::Sha384 => Some(&digest::SHA384),
            Integrity::Sha512 => Some(&digest::SHA512),
        }
    }

    /// `<name>-<base64 of digest>`.
    fn value(self, digest: &[u8]) -> String {
        let name = match self {
            Integrity::Sha256 => "sha256",
            Integrity::Sha384 => "sha384",
            Integrity::Sha512 => "sha512",
        };
        let digest = base64::engine::general_purpose::STANDARD.encode(digest);
        format!("{name}-{digest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `printf '' | openssl dgst -<name> -binary | base64`.
    const EMPTY: [(Integrity, &str); 3] = [
        (
            Integrity::Sha256,
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        ),
        (
            Integrity::Sha384,
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb",
        ),
        (
            Integrity::Sha512,
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
        ),
    ];

    #[test]
    fn values_are_the_named_digest_in_base64() {
        let sha256 = crate::hash::sha256(b"");
        for (integrity, expected) in EMPTY {
            assert_eq!(integrity.of(b"", &sha256), expected);
        }
    }

    #[test]
    fn a_value_taken_chunk_by_chunk_is_the_same() {
        let bytes = b"one chunk, then another";
        let sha256 = crate::hash::sha256(bytes);
        for (integrity, _) in EMPTY {
            let mut hasher = integrity.hasher();
            for chunk in bytes.chunks(5) {
                if let Some(hasher) = &mut hasher {
                    hasher.update(chunk);
                }
            }
            assert_eq!(
                integrity.finish(hasher, &sha256),
                integrity.of(bytes, &sha256)
            );
        }
    }
}
