//! zstd variants of a large file at release levels: frames a browser decodes, whose window is
//! at most the 8 MiB RFC 9659 requires of HTTP decoders. Levels apply only in a release
//! profile, so this test sets the environment cargo gives a release build script; it is the
//! only test of its binary, so nothing else reads the environment meanwhile.

mod support;

use std::io::Read;

use assetlock_build::Compression;
use support::{Site, bytes, manifest};

/// Above 8 MiB: zstd shrinks the window to the input's size, so a smaller file never asks for
/// more than 8 MiB at any level.
const LEN: usize = (8 << 20) + (512 << 10);

/// What a browser does with a `Content-Encoding: zstd` body: decode it with a window of at
/// most 2^23 bytes, refusing a frame that asks for more.
fn decode_as_a_browser(encoded: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut decoder = zstd::stream::Decoder::new(encoded)?;
    decoder.window_log_max(23)?;
    let mut decoded = Vec::new();
    decoder.read_to_end(&mut decoded)?;
    Ok(decoded)
}

#[test]
fn zstd_variants_of_a_large_file_decode_within_an_8_mib_window_at_every_level() {
    // SAFETY: this binary's only test, and the library reads the environment on this thread
    // before its thread pool starts.
    unsafe {
        std::env::set_var("PROFILE", "release");
        std::env::set_var("OPT_LEVEL", "3");
    }
    // A stylesheet of 1 MiB repeated, as a large generated one is: levels 19 and 22 take 2 s
    // each on it in a debug build, and 20 s on 8.5 MiB without repeats.
    let css = support::generated_css(1 << 20, 1).repeat(LEN.div_ceil(1 << 20))[..LEN].to_owned();
    let site = Site::new(&[("big.css", &css)]);
    // 19 is the default and the highest level whose window stays within 8 MiB by itself; 22
    // asks for 128 MiB unless capped.
    for level in [19, 22] {
        let started = std::time::Instant::now();
        let output = site
            .config()
            .minify(false)
            .precompress([Compression::Zstd])
            .compression_level(Compression::Zstd, level)
            .try_compile()
            .unwrap();
        eprintln!("level {level}: {:.1?}", started.elapsed());
        let variant = &manifest(&output)["assets"]["big.css"]["encodings"]["zstd"];
        let path = variant["path"].as_str().expect("a zstd variant");
        let encoded = std::fs::read(output.dist_dir().join(path)).unwrap();
        let decoded = decode_as_a_browser(&encoded)
            .unwrap_or_else(|e| panic!("level {level}: a browser refuses the variant: {e}"));
        assert!(decoded == bytes(&output, "big.css"), "level {level}");
    }
}
