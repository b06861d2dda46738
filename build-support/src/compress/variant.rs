//! Precompressed variants: gzip, brotli and zstd bodies of an asset.

use std::io::{self, Write};

use super::Compression;

/// `bytes` compressed with `coding` at `level`. The output depends only on the input and the
/// level.
///
/// # Errors
///
/// When the encoder fails.
pub fn encode(coding: Compression, bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    match coding {
        Compression::Gzip => gzip(bytes, level),
        Compression::Zstd => zstd(bytes, level),
        Compression::Brotli => brotli(bytes, level),
    }
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
pub fn brotli_with_window(bytes: &[u8], level: u32, lgwin: i32) -> io::Result<Vec<u8>> {
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
pub fn window_bits(len: usize) -> i32 {
    let needed = usize::BITS - len.max(1).leading_zeros();
    (needed as i32).clamp(10, MAX_WINDOW_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let a = encode(c, text.as_bytes(), c.max_level()).unwrap();
            let b = encode(c, text.as_bytes(), c.max_level()).unwrap();
            assert_eq!(a, b, "{c:?}");
            assert!(a.len() < text.len() / 10, "{c:?}");
        }
    }
}
