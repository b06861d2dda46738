//! Content codings: header tokens, variant file extensions and the server's preference order.

use std::fmt;

/// A content coding an asset can be stored and served in.
///
/// Variants are ordered from least to most preferred, so `Ord` is the server's preference when a
/// client accepts several codings equally: brotli, then zstd, then gzip, then the identity bytes.
/// A precompressed variant of `css/app.1234.css` is stored beside it as
/// `css/app.1234.css` + [`extension`](Encoding::extension), and keyed by its
/// [`as_str`](Encoding::as_str) token in `manifest.json`.
///
/// ```
/// use assetlock_contract::Encoding;
///
/// assert!(Encoding::Brotli > Encoding::Gzip);
/// assert_eq!(Encoding::Zstd.as_str(), "zstd");
/// assert_eq!(Encoding::Brotli.extension(), ".br");
/// assert_eq!(Encoding::from_token("x-gzip"), Some(Encoding::Gzip));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    /// The bytes as they are, with no content coding.
    Identity,
    /// gzip (RFC 1952).
    Gzip,
    /// Zstandard (RFC 8878).
    Zstd,
    /// Brotli (RFC 7932).
    Brotli,
}

impl Encoding {
    /// Every coding, least preferred first.
    pub const ALL: [Encoding; 4] = [
        Encoding::Identity,
        Encoding::Gzip,
        Encoding::Zstd,
        Encoding::Brotli,
    ];

    /// The codings a variant file can have (all but identity), least preferred first: the
    /// order variants are listed in.
    pub const VARIANTS: [Encoding; 3] = [Encoding::Gzip, Encoding::Zstd, Encoding::Brotli];

    /// The token used in `Accept-Encoding` and `Content-Encoding` headers and as the key of a
    /// variant in `manifest.json`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Zstd => "zstd",
            Encoding::Brotli => "br",
        }
    }

    /// The suffix appended to the hashed file name of a variant in this coding (`""` for
    /// identity).
    pub const fn extension(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => ".gz",
            Encoding::Zstd => ".zst",
            Encoding::Brotli => ".br",
        }
    }

    /// The name of the variant, as generated code spells it (`Encoding::Brotli`).
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Identity => "Identity",
            Encoding::Gzip => "Gzip",
            Encoding::Zstd => "Zstd",
            Encoding::Brotli => "Brotli",
        }
    }

    /// Parses a header token, case-insensitively; `x-gzip` is accepted as an alias of `gzip`.
    pub fn from_token(token: &str) -> Option<Encoding> {
        let token = token.trim();
        Encoding::ALL
            .into_iter()
            .find(|e| token.eq_ignore_ascii_case(e.as_str()))
            .or_else(|| {
                token
                    .eq_ignore_ascii_case("x-gzip")
                    .then_some(Encoding::Gzip)
            })
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for e in Encoding::ALL {
            assert_eq!(Encoding::from_token(e.as_str()), Some(e));
            assert_eq!(Encoding::from_token(&e.as_str().to_uppercase()), Some(e));
        }
        assert_eq!(Encoding::from_token("deflate"), None);
    }

    #[test]
    fn variants_are_every_coding_but_identity_in_order() {
        assert_eq!(Encoding::VARIANTS, Encoding::ALL[1..]);
        assert!(Encoding::VARIANTS.is_sorted());
    }
}
