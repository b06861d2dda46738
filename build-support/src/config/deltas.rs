//! The settings of deltas between releases (RFC 9842), which the precompress stage makes
//! (`precompress/deltas.rs`).

use std::path::PathBuf;

use assetlock_contract::dictionary::DeltaCoding;

use super::Config;

impl Config {
    /// Where the earlier releases are, to make deltas against (RFC 9842 compression
    /// dictionaries): a `file://` destination of `upload-assets`, or a copy of the bucket
    /// prefix with its `.assetlock/releases/` records and their objects. Relative to the crate
    /// root; `ASSETLOCK_PREVIOUS_RELEASES` overrides it. Default: none, no deltas.
    ///
    /// Each text asset (one with precompressed variants; source maps aside) that differs from
    /// its version in one of the [`delta_releases`](Config::delta_releases) newest records gets
    /// a delta against that version in each of the [`delta_codings`](Config::delta_codings)
    /// (default `dcz`: zstd with the old bytes as a raw dictionary). Deltas are written
    /// beside their asset, listed in `manifest.json` (so `upload-assets` stores them and the
    /// release record lists them) and served to browsers that announce the old version in
    /// `Available-Dictionary`. Each old object is checked against its record's SHA-256 first;
    /// a delta is kept only when it is smaller than the asset's smallest variant.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .previous_releases("../releases")
    ///     .delta_releases(3)
    ///     .compile();
    /// ```
    pub fn previous_releases(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.previous_releases = Some(dir.into());
        self
    }

    /// How many of the newest earlier releases deltas are made against (default 3; 0 makes
    /// none). A visitor who last came before those downloads the asset as usual.
    pub fn delta_releases(&mut self, releases: usize) -> &mut Self {
        self.delta_releases = releases;
        self
    }

    /// The codings deltas are made in (default `dcz` only). With both, each changed asset gets
    /// one delta per coding and earlier version, and the server sends the smallest one the
    /// browser accepts. `dcb` (brotli at quality 11 with a 16 MiB window) is skipped for a
    /// dictionary and file larger than that window together.
    ///
    /// ```no_run
    /// use assetlock_build::{Config, DeltaCoding};
    ///
    /// Config::new()
    ///     .asset_dir("assets")
    ///     .delta_codings([DeltaCoding::Dcz, DeltaCoding::Dcb])
    ///     .compile();
    /// ```
    pub fn delta_codings(&mut self, codings: impl IntoIterator<Item = DeltaCoding>) -> &mut Self {
        self.delta_codings = codings.into_iter().collect();
        self
    }
}
