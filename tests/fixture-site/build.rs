#![allow(clippy::disallowed_methods)] // a build script reads its own environment

use std::path::Path;

use assetlock_build::DeltaCoding;

include!("src/keys.rs");

fn main() {
    // Locked in every profile: its tests check what a release serves (hashed URLs, integrity,
    // `immutable`), in the dev profile the tests build in.
    assetlock_build::Config::new()
        .asset_dir("assets")
        .public("robots.txt")
        .live(false)
        // An earlier release whose `css/large.css` differed by one line: the build makes a
        // delta against it, which the dictionary tests serve.
        .previous_releases("releases")
        .delta_codings([DeltaCoding::Dcz, DeltaCoding::Dcb])
        .compile();

    // The same site built to trust deploy keys: A and B (during a rotation), then B alone.
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for (dir, keys) in [
        ("trusts-a-b", &[KEY_A.1, KEY_B.1][..]),
        ("trusts-b", &[KEY_B.1]),
    ] {
        assetlock_build::Config::new()
            .asset_dir("assets")
            .public("robots.txt")
            .live(false)
            .out_dir(Path::new(&out).join(dir))
            .trusted_release_keys(keys.iter().copied())
            .compile();
    }
}
