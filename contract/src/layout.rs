//! Where things live: the build's outputs under `$OUT_DIR`, and what the uploader keeps
//! beside the assets under the destination's prefix.
//!
//! ```text
//! $OUT_DIR/
//!   assetlock.rs              GENERATED: the code include_manifest! includes
//!   assetlock/manifest.json   MANIFEST_JSON: the build's assets for other tools
//!   assetlock/dist/           DIST: hashed files and their variants
//!   assetlock/pack.bin        PACK: every file of dist/, one after the other (embedded builds)
//!
//! <bucket>/<prefix>/
//!   css/app.3f2a9c1b7e04d5a6.css, css/app.3f2a9c1b7e04d5a6.css.br, ...
//!   .assetlock/releases/<build id>.json     RELEASES: one record per uploaded build
//! ```
//!
//! ```
//! use assetlock_contract::layout;
//!
//! assert_eq!(layout::release_key("9c0f5e3a"), ".assetlock/releases/9c0f5e3a.json");
//! assert!(layout::is_release_record(".assetlock/releases/9c0f5e3a.json"));
//! assert!(layout::is_meta(".assetlock/anything"));
//! ```

/// The generated Rust, relative to the out dir.
pub const GENERATED: &str = "assetlock.rs";

/// The JSON manifest, relative to the out dir.
pub const MANIFEST_JSON: &str = "assetlock/manifest.json";

/// The artifact dir (hashed files and variants), relative to the out dir.
pub const DIST: &str = "assetlock/dist";

/// The pack of embedded builds, relative to the out dir and to [`GENERATED`].
pub const PACK: &str = "assetlock/pack.bin";

/// The folder of everything assetlock keeps beside the assets, relative to the prefix. No
/// hashed path can start with it: logical paths starting with a dot are never assets.
pub const META_DIR: &str = ".assetlock/";

/// The folder of release records, relative to the prefix.
pub const RELEASES: &str = ".assetlock/releases/";

/// The release record key of a build, relative to the prefix.
pub fn release_key(build_id: &str) -> String {
    format!("{RELEASES}{build_id}.json")
}

/// Whether a key (relative to the prefix) is a release record.
pub fn is_release_record(key: &str) -> bool {
    key.strip_prefix(RELEASES)
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// Whether a key (relative to the prefix) is assetlock's own bookkeeping, not an asset.
pub fn is_meta(key: &str) -> bool {
    key.starts_with(META_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_live_under_the_releases_folder() {
        assert_eq!(release_key("abc"), ".assetlock/releases/abc.json");
        assert!(is_release_record(".assetlock/releases/abc.json"));
        assert!(!is_release_record(".assetlock/releases/x/abc.json"));
        assert!(!is_release_record("css/abc.json"));
    }
}
