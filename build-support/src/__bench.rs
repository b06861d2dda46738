//! The pipeline's own stage functions, for `bench/` to time one at a time with nothing around
//! them. Hidden and not part of the API: it changes whenever the pipeline does.

use std::io;

use parcel_sourcemap::SourceMap;

use crate::Compression;

/// Whether the pipeline makes a `coding` variant of an asset of `len` bytes (before checking
/// that it is worth keeping).
pub fn attempted(coding: Compression, logical: &str, content_type: &str, len: usize) -> bool {
    crate::compress::attempted(coding, logical, content_type, len)
}

/// `bytes` compressed with `coding` at `level`, as the pipeline compresses them.
///
/// # Errors
///
/// When the encoder fails.
pub fn compress(coding: Compression, bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    crate::compress::variant::encode(coding, bytes, level)
}

/// brotli at `level` with a window of `lgwin` bits (the pipeline uses [`window_bits`]).
///
/// # Errors
///
/// When the encoder fails.
pub fn brotli_with_window(bytes: &[u8], level: u32, lgwin: i32) -> io::Result<Vec<u8>> {
    crate::compress::variant::brotli_with_window(bytes, level, lgwin)
}

/// The brotli window the pipeline uses for `len` bytes.
pub fn window_bits(len: usize) -> i32 {
    crate::compress::variant::window_bits(len)
}

/// The JS file `logical` parsed and minified as the transform does (without looking for
/// references), with its source map when `source_name` is given.
///
/// # Errors
///
/// When the file does not parse.
pub fn minify_js(
    logical: &str,
    text: &str,
    source_name: Option<String>,
) -> Result<(String, Option<String>), String> {
    crate::transform::js::minify_alone(logical, text, source_name)
}

/// A CSS transform's map chained through the input map, if any, and serialized.
///
/// # Errors
///
/// When the input map does not parse or cannot be chained.
pub fn finish_map(map: SourceMap, input: Option<&str>) -> Result<String, String> {
    crate::transform::sourcemap::finish(map, input)
}

/// A JS transform's map (JSON) chained through the input map, if any, and serialized.
///
/// # Errors
///
/// When a map does not parse or cannot be chained.
pub fn chain_map(map: &str, input: Option<&str>) -> Result<String, String> {
    crate::transform::sourcemap::chain(map, input)
}

/// The `coding` body of `target` against `dictionary`, as the pipeline makes deltas between
/// releases.
///
/// # Errors
///
/// When the encoder fails.
pub fn delta(
    coding: assetlock_contract::dictionary::DeltaCoding,
    target: &[u8],
    dictionary: &[u8],
) -> io::Result<Vec<u8>> {
    let sha256 = crate::hash::sha256(dictionary);
    crate::compress::delta::encode(coding, target, (dictionary, &sha256))
}

/// How many references the lexer of the unminified path finds in `text`, taken as a stylesheet
/// (`css`) or a script; `None` when it is unsure of the text and the pipeline would let the
/// parser read it.
pub fn scan(css: bool, text: &str) -> Option<usize> {
    let kind = if css {
        crate::discover::Kind::Css
    } else {
        crate::discover::Kind::Js
    };
    crate::transform::count_scanned(kind, text)
}
