//! The codecs, with deterministic bytes: what a coding makes of an asset, and which assets get
//! a variant. A leaf: it imports no stage of the build.
//!
//! - this module: the codings of variants, and which files get one.
//! - [`variant`]: gzip, zstd and brotli bodies of an asset.
//! - [`delta`]: `dcz` and `dcb` bodies of an asset against an earlier version of it, which
//!   serves as a raw dictionary (RFC 9842).

pub mod delta;
pub mod variant;

use assetlock_contract::Encoding;

/// A content coding the build can precompress assets with.
///
/// ```
/// use assetlock_build::{Compression, Config};
///
/// Config::new()
///     .asset_dir("assets")
///     .precompress([Compression::Brotli, Compression::Gzip])
///     .compression_level(Compression::Brotli, 9);
/// assert_eq!(Compression::Brotli.token(), "br");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compression {
    /// gzip (deflate), level 9 by default, with a deterministic header: no name, no mtime.
    Gzip,
    /// Zstandard, level 19 by default.
    Zstd,
    /// Brotli, quality 11 by default, with the largest window browsers decode (16 MiB) or the
    /// smallest one that holds the whole file.
    Brotli,
}

/// Files smaller than this are not worth a variant: headers and round trips dominate.
pub(crate) const MIN_SIZE: usize = 256;

/// A variant is kept only when it saves at least 5 %.
const MAX_RATIO: f64 = 0.95;

impl Compression {
    /// Every coding, least preferred first (the order variants are listed in).
    pub const ALL: [Compression; 3] = [Compression::Gzip, Compression::Zstd, Compression::Brotli];

    /// The runtime's name for this coding, which fixes its token, extension and order.
    pub fn encoding(self) -> Encoding {
        match self {
            Compression::Gzip => Encoding::Gzip,
            Compression::Zstd => Encoding::Zstd,
            Compression::Brotli => Encoding::Brotli,
        }
    }

    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        self.encoding().as_str()
    }

    /// The suffix of the variant file.
    pub fn extension(self) -> &'static str {
        self.encoding().extension()
    }

    /// The best level: what release builds use unless configured otherwise.
    pub fn max_level(self) -> u32 {
        match self {
            Compression::Gzip => 9,
            Compression::Zstd => 19,
            Compression::Brotli => 11,
        }
    }

    /// The level debug builds use: fast, so the edit-build loop stays quick while the server
    /// still negotiates real variants.
    pub(crate) fn fast_level(self) -> u32 {
        1
    }

    /// The valid levels.
    pub(crate) fn levels(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Compression::Gzip => 1..=9,
            Compression::Zstd => 1..=22,
            Compression::Brotli => 0..=11,
        }
    }
}

/// Whether a content type is worth compressing: text and uncompressed binary formats, not
/// images, archives, audio, video or woff/woff2 fonts, which are compressed already.
pub(crate) fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/ld+json"
                | "application/manifest+json"
                | "application/xml"
                | "application/wasm"
                | "application/vnd.ms-fontobject"
                | "image/svg+xml"
                | "image/x-icon"
                | "image/bmp"
                | "font/ttf"
                | "font/otf"
                | "model/gltf+json"
        )
}

/// Whether the pipeline makes a `coding` variant of an asset (before checking it is worth
/// keeping): a compressible type, at least [`MIN_SIZE`] bytes, and for source maps gzip only.
pub fn attempted(coding: Compression, logical: &str, content_type: &str, len: usize) -> bool {
    compressible(content_type)
        && len >= MIN_SIZE
        && (!logical.ends_with(".map") || for_source_maps(coding))
}

/// Whether source maps get a variant in this coding. Only gzip: maps are fetched by developer
/// tools alone, and brotli-11 over them was most of a release build's compression time.
pub(crate) fn for_source_maps(coding: Compression) -> bool {
    coding == Compression::Gzip
}

/// Whether a variant of `variant_len` bytes is worth keeping beside `identity_len` bytes.
pub(crate) fn worth_keeping(variant_len: usize, identity_len: usize) -> bool {
    (variant_len as f64) <= (identity_len as f64) * MAX_RATIO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_uncompressed_fonts_are_compressible() {
        for t in [
            "text/css; charset=utf-8",
            "text/javascript; charset=utf-8",
            "image/svg+xml",
            "font/ttf",
            "application/json",
            "application/wasm",
        ] {
            assert!(compressible(t), "{t}");
        }
    }

    #[test]
    fn compressed_formats_are_not() {
        for t in [
            "font/woff2",
            "font/woff",
            "image/png",
            "image/jpeg",
            "application/zip",
            "application/octet-stream",
        ] {
            assert!(!compressible(t), "{t}");
        }
    }

    #[test]
    fn keep_rule_needs_five_percent() {
        assert!(worth_keeping(95, 100));
        assert!(!worth_keeping(96, 100));
    }
}
