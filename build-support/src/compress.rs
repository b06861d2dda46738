//! Precompressed variants: gzip, brotli and zstd, with deterministic bytes.

use std::io::{self, Write};

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

    /// Compresses `bytes` at `level`. The output depends only on the input and the level.
    pub(crate) fn compress(self, bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
        match self {
            Compression::Gzip => gzip(bytes, level),
            Compression::Zstd => zstd(bytes, level),
            Compression::Brotli => brotli(bytes, level),
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
pub(crate) fn attempted(
    coding: Compression,
    logical: &str,
    content_type: &str,
    len: usize,
) -> bool {
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

fn gzip(bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::new(level),
        );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The largest window browsers decode for `Content-Encoding: zstd`: RFC 9659 makes zstd's
/// recommended 8 MiB a requirement for HTTP, and browsers refuse a frame that asks for more.
const MAX_ZSTD_WINDOW_LOG: u32 = 23;

/// The highest level whose window never exceeds [`MAX_ZSTD_WINDOW_LOG`]: zstd 1.5.7's level
/// table (`lib/compress/clevels.h`, inputs above 256 KiB) asks for window logs up to 23
/// through level 19, then 25, 26 and 27 at levels 20, 21 and 22.
const HIGHEST_LEVEL_WITHIN_WINDOW: u32 = 19;

/// zstd at `level`, in a frame browsers decode. zstd shrinks the window to the input's size,
/// so only an input above 8 MiB at a level above 19 asks for more; it alone gets the window
/// capped (with no other parameter changed), every other input gets the plain call's bytes.
fn zstd(bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    if level <= HIGHEST_LEVEL_WITHIN_WINDOW || bytes.len() <= 1 << MAX_ZSTD_WINDOW_LOG {
        return zstd::bulk::compress(bytes, level as i32);
    }
    let mut compressor = zstd::bulk::Compressor::new(level as i32)?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::WindowLog(MAX_ZSTD_WINDOW_LOG))?;
    compressor.compress(bytes)
}

/// The largest window RFC 7932 decoders (every browser) accept.
const MAX_WINDOW_BITS: i32 = 24;

fn brotli(bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    brotli_with_window(bytes, level, window_bits(bytes.len()))
}

/// brotli at `level` with a window of `lgwin` bits.
pub(crate) fn brotli_with_window(bytes: &[u8], level: u32, lgwin: i32) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: level as i32,
        lgwin,
        size_hint: bytes.len(),
        ..brotli::enc::BrotliEncoderParams::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// The smallest window that holds the whole input, within what decoders accept. A window
/// larger than the input compresses no better, but at quality 11 the encoder's hash tables
/// grow with it: tens of megabytes of zeroed memory per file for nothing.
pub(crate) fn window_bits(len: usize) -> i32 {
    let needed = usize::BITS - len.max(1).leading_zeros();
    (needed as i32).clamp(10, MAX_WINDOW_BITS)
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
    fn window_fits_the_input() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1000), 10);
        assert_eq!(window_bits(30_000), 15);
        assert_eq!(window_bits(1 << 20), 21);
        assert_eq!(window_bits(100 << 20), 24);
    }

    #[test]
    fn gzip_header_has_no_mtime_or_name() {
        let out = gzip(b"hello hello hello hello", 9).unwrap();
        assert_eq!(&out[..4], &[0x1f, 0x8b, 8, 0], "no FNAME flag");
        assert_eq!(&out[4..8], &[0, 0, 0, 0], "mtime zero");
        assert_eq!(out[9], 255, "unknown OS");
    }

    #[test]
    fn compression_is_deterministic() {
        let text = "body { color: red; background: blue; } ".repeat(200);
        for c in Compression::ALL {
            let a = c.compress(text.as_bytes(), c.max_level()).unwrap();
            let b = c.compress(text.as_bytes(), c.max_level()).unwrap();
            assert_eq!(a, b, "{c:?}");
            assert!(a.len() < text.len() / 10, "{c:?}");
        }
    }

    #[test]
    fn keep_rule_needs_five_percent() {
        assert!(worth_keeping(95, 100));
        assert!(!worth_keeping(96, 100));
    }
}
