//! The delta encoders (RFC 9842): the new bytes compressed with the old ones as a raw
//! dictionary, behind the contract's frame header.

use std::io;

use assetlock_contract::dictionary::{self, DeltaCoding};

/// The zstd level of `dcz` deltas: the bodies are small and made once per release pair.
pub(crate) const DCZ_LEVEL: u32 = 19;

/// The brotli quality of `dcb` deltas.
pub(crate) const DCB_QUALITY: u32 = 11;

/// The largest window a `dcz` delta against a dictionary of `dictionary` bytes asks for.
///
/// RFC 9842 §5.2 has clients that accept `dcz` decode windows up to the larger of 8 MB and
/// 1.25 times the dictionary's size, 128 MB at most, and has a delta's window stay within
/// that limit (a decoder may refuse a larger one). MB are 2^20 bytes, as in zstd's format and
/// in RFC 9659, whose 8 MB is window log 23. The encoder's windows are powers of two, so this
/// is the largest power of two within the limit: 23 (8 MiB) up to a dictionary of 12.8 MiB,
/// then up to 27 (128 MiB).
///
/// The frame states its window for the client: this one when the file is larger, else the
/// file's size (a single-segment frame). zstd keeps the whole dictionary in reach until the
/// input passes the window, and none of it after, so a larger window lets more of a large
/// file use its old version: for a one-line edit of a 13 MiB stylesheet, 8 MiB gave a delta of
/// 913 KB (its last 5 MiB compressed alone), and the 16 MiB allowed gave one of 1.2 KB.
fn max_dcz_window_log(dictionary: usize) -> u32 {
    let dictionary = dictionary as u64;
    let limit = (dictionary + dictionary / 4).clamp(8 << 20, 128 << 20);
    u64::BITS - 1 - limit.leading_zeros()
}

/// The window of `dcb` deltas: the largest RFC 9842 §5.1 allows (16 MiB).
const DCB_WINDOW_LOG: i32 = 24;

/// The level a coding's deltas are made at: part of their cache key.
pub(crate) fn level(coding: DeltaCoding) -> u32 {
    match coding {
        DeltaCoding::Dcz => DCZ_LEVEL,
        DeltaCoding::Dcb => DCB_QUALITY,
    }
}

/// Whether a `coding` delta can reach every byte of a dictionary of `dictionary` bytes while
/// encoding `target` bytes: brotli sees the dictionary only inside its window.
pub(crate) fn fits(coding: DeltaCoding, dictionary: usize, target: usize) -> bool {
    match coding {
        DeltaCoding::Dcz => true,
        DeltaCoding::Dcb => dictionary + target <= (1 << DCB_WINDOW_LOG) - 16,
    }
}

/// The `coding` body of `target` with `dictionary` (whose SHA-256 is given) as raw dictionary.
///
/// # Errors
///
/// When the encoder fails, or `dcb` cannot reach the whole dictionary.
pub fn encode(
    coding: DeltaCoding,
    target: &[u8],
    (dictionary, dictionary_sha256): (&[u8], &[u8; 32]),
) -> io::Result<Vec<u8>> {
    let mut out = dictionary::frame_header(coding, dictionary_sha256);
    match coding {
        DeltaCoding::Dcz => dcz(target, dictionary, &mut out)?,
        DeltaCoding::Dcb => dcb(target, dictionary, &mut out)?,
    }
    Ok(out)
}

fn dcz(target: &[u8], dictionary: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    use zstd::zstd_safe::{CCtx, CParameter};
    let failed = |code| io::Error::other(zstd::zstd_safe::get_error_name(code));
    let span = (dictionary.len() + target.len()).max(1) as u64;
    let window_log =
        (u64::BITS - (span - 1).leading_zeros()).clamp(10, max_dcz_window_log(dictionary.len()));
    let mut context = CCtx::create();
    context
        .set_parameter(CParameter::CompressionLevel(DCZ_LEVEL as i32))
        .map_err(failed)?;
    context
        .set_parameter(CParameter::WindowLog(window_log))
        .map_err(failed)?;
    context
        .set_pledged_src_size(Some(target.len() as u64))
        .map_err(failed)?;
    // A prefix is always raw content, never parsed as a trained dictionary.
    context.ref_prefix(dictionary).map_err(failed)?;
    let mut frame = Vec::with_capacity(zstd::zstd_safe::compress_bound(target.len()));
    context.compress2(&mut frame, target).map_err(failed)?;
    out.extend_from_slice(&frame);
    Ok(())
}

fn dcb(target: &[u8], dictionary: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    use brotli::enc::{BrotliEncoderParams, StandardAlloc};
    use brotli::{InputReferenceMut, IoReaderWrapper, IoWriterWrapper, interface};
    if !fits(DeltaCoding::Dcb, dictionary.len(), target.len()) {
        return Err(io::Error::other(
            "dictionary and file together exceed brotli's 16 MiB window",
        ));
    }
    let params = BrotliEncoderParams {
        quality: DCB_QUALITY as i32,
        lgwin: DCB_WINDOW_LOG,
        size_hint: target.len(),
        ..BrotliEncoderParams::default()
    };
    let mut ignore_metablocks = |_: &mut interface::PredictionModeContextMap<InputReferenceMut>,
                                 _: &mut [interface::StaticCommand],
                                 _: interface::InputPair,
                                 _: &mut StandardAlloc| ();
    let (mut input, mut output) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    brotli::BrotliCompressCustomIoCustomDict(
        &mut IoReaderWrapper(&mut &target[..]),
        &mut IoWriterWrapper(out),
        &mut input,
        &mut output,
        &params,
        StandardAlloc::default(),
        &mut ignore_metablocks,
        dictionary,
        io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected end of input"),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcz_windows_grow_with_the_dictionary_as_rfc_9842_allows() {
        const MIB: usize = 1 << 20;
        assert_eq!(max_dcz_window_log(0), 23);
        assert_eq!(max_dcz_window_log(12 * MIB), 23, "15 MiB allowed");
        assert_eq!(max_dcz_window_log(13 * MIB), 24, "16.25 MiB allowed");
        assert_eq!(max_dcz_window_log(100 * MIB), 26, "125 MiB allowed");
        assert_eq!(max_dcz_window_log(1 << 40), 27, "never above 128 MiB");
    }
}
