//! Precompressed variants: gzip, brotli and zstd.

/// A content coding the build can precompress assets with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compression {
    /// gzip at level 9 with a deterministic header (no name, no mtime).
    Gzip,
    /// Zstandard at level 19.
    Zstd,
    /// Brotli at quality 11 with a large window.
    Brotli,
}

impl Compression {
    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Brotli => "br",
        }
    }

    /// The suffix of the variant file.
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
            Compression::Brotli => ".br",
        }
    }

    /// The name of the matching `assetlock::Encoding` variant, for generated code.
    pub(crate) fn runtime_name(self) -> &'static str {
        match self {
            Compression::Gzip => "Gzip",
            Compression::Zstd => "Zstd",
            Compression::Brotli => "Brotli",
        }
    }
}
