//! The builder a build script configures.

use std::path::PathBuf;

use crate::error::Error;
use crate::{Output, cargo, pipeline, settings::Settings};

/// What to build and how: the entry point of a build script.
///
/// ```no_run
/// // build.rs
/// fn main() {
///     assetlock_build::Config::new()
///         .asset_dir("assets")
///         .exclude("**/*.psd")
///         .compile();
/// }
/// ```
///
/// Every setting has a default that suits a web app: `url_prefix("/assets/")`, 16 hex chars of
/// hash, bytes embedded in the binary, minification and brotli/zstd precompression in release
/// profiles only.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) asset_dirs: Vec<PathBuf>,
    pub(crate) url_prefix: String,
    pub(crate) excludes: Vec<String>,
    pub(crate) hash_len: usize,
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) embed: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            asset_dirs: Vec::new(),
            url_prefix: "/assets/".to_string(),
            excludes: Vec::new(),
            hash_len: 16,
            out_dir: None,
            embed: true,
        }
    }
}

impl Config {
    /// A configuration with the defaults and no asset dir yet.
    pub fn new() -> Config {
        Config::default()
    }

    /// Adds a directory of assets, relative to the crate root (`CARGO_MANIFEST_DIR`).
    ///
    /// Several dirs may be added; a file's logical path is its path relative to its dir, and
    /// two dirs providing the same logical path is an error naming both files.
    pub fn asset_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.asset_dirs.push(dir.into());
        self
    }

    /// The prefix of every asset URL (default `/assets/`): a path for assets served by the app,
    /// or a full URL such as `https://cdn.example.com/assets/` for a CDN. A missing trailing `/`
    /// is added.
    ///
    /// The environment variable `ASSETLOCK_URL_PREFIX`, read at build time, overrides it, so a
    /// deployment can point the same code at its CDN.
    pub fn url_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.url_prefix = prefix.into();
        self
    }

    /// Leaves out files whose logical path matches a glob (`**/*.psd`, `drafts/**`). Dotfiles
    /// and dot-directories are always left out.
    pub fn exclude(&mut self, glob: impl Into<String>) -> &mut Self {
        self.excludes.push(glob.into());
        self
    }

    /// How many hex characters of the SHA-256 go into hashed names: 8 to 64, default 16.
    pub fn hash_len(&mut self, len: usize) -> &mut Self {
        self.hash_len = len;
        self
    }

    /// Where to write the outputs instead of `$OUT_DIR`; for tests and tools.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to compile the asset bytes into the binary (default `true`).
    ///
    /// With `false`, the bytes stay in the artifact dir `$OUT_DIR/assetlock/dist` and the
    /// binary reads them from `ASSETLOCK_DIST` at run time (by default, that same dir). Use it
    /// when assets are served only by a CDN and the binary should stay small.
    pub fn embed(&mut self, embed: bool) -> &mut Self {
        self.embed = embed;
        self
    }

    /// Runs the pipeline, printing nothing but `cargo::rerun-if-*` directives.
    ///
    /// # Errors
    ///
    /// Every problem of the build at once: missing asset dirs, unreadable files, escaping
    /// symlinks, non-UTF-8 names, duplicate logical paths, hashed-name collisions, invalid
    /// settings, and failures to write the outputs.
    pub fn try_compile(&self) -> Result<Output, Error> {
        let settings = Settings::resolve(self).map_err(Error::new)?;
        pipeline::run(&settings)
    }

    /// Runs the pipeline from a build script and reports each problem as one `cargo::error=`
    /// line, so cargo prints `error: app@0.1.0: assets/css/site.css:12:3: ...` and fails the
    /// build. Never panics.
    pub fn compile(&self) {
        match self.try_compile() {
            Ok(output) => output.warnings().for_each(cargo::warning),
            Err(error) => error.diagnostics().for_each(cargo::error),
        }
    }
}
