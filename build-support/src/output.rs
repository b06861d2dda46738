//! What a successful build reports back.

use std::path::{Path, PathBuf};

use assetlock_contract::layout;

use crate::error::Diagnostic;

/// The result of a successful [`Config::try_compile`](crate::Config::try_compile).
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::create_dir(dir.path().join("assets")).unwrap();
/// # std::fs::write(dir.path().join("assets/app.css"), "body { color: red }").unwrap();
/// let output = assetlock_build::Config::new()
///     .asset_dir(dir.path().join("assets"))
///     .out_dir(dir.path().join("out"))
///     .try_compile()
///     .unwrap();
/// let url = output.url("app.css").unwrap();
/// assert!(url.starts_with("/assets/app.") && url.ends_with(".css"));
/// assert!(output.manifest_path().exists());
/// ```
#[derive(Debug)]
pub struct Output {
    pub(crate) build_id: String,
    pub(crate) out_dir: PathBuf,
    pub(crate) urls: Vec<(String, String)>,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) stats: Stats,
}

/// How much work a build did and how much the cache saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// CSS and JS files transformed, not taken from the cache: parsed, rewritten and (in
    /// release) minified, or scanned and rewritten as written. Files kept as written are never
    /// cached, as scanning one costs about what reading its entry back would.
    pub transformed: usize,
    /// Variants compressed, not taken from the cache.
    pub compressed: usize,
    /// Results taken from the cache.
    pub cache_hits: usize,
    /// Corrupt or truncated cache entries found, dropped and recomputed.
    pub cache_recovered: usize,
    /// Images whose variants were decoded and encoded, not taken from the cache
    /// (`Config::images`).
    pub images_encoded: usize,
    /// Nothing the build reads had changed since the last build into the same out dir: it
    /// answered from its fingerprint, without reading or hashing an asset.
    pub unchanged: bool,
}

impl Output {
    /// The build's identity, as `MANIFEST.build_id()` reports it at run time.
    pub fn build_id(&self) -> &str {
        &self.build_id
    }

    /// `<out>/assetlock/manifest.json`.
    pub fn manifest_path(&self) -> PathBuf {
        self.out_dir.join(layout::MANIFEST_JSON)
    }

    /// `<out>/assetlock/dist`: the hashed files and their variants.
    pub fn dist_dir(&self) -> PathBuf {
        self.out_dir.join(layout::DIST)
    }

    /// `<out>/assetlock.rs`: the generated code `include_manifest!` includes.
    pub fn code_path(&self) -> PathBuf {
        self.out_dir.join(layout::GENERATED)
    }

    /// The out dir the build wrote to.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The URL of a logical path.
    pub fn url(&self, logical: &str) -> Option<&str> {
        self.urls
            .binary_search_by(|(l, _)| l.as_str().cmp(logical))
            .ok()
            .map(|i| self.urls[i].1.as_str())
    }

    /// Work done and saved by the cache.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Warnings: problems that did not stop the build.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.warnings.iter()
    }
}
