//! The builder a build script configures: the settings and their setters, as plain data.
//! Running a build is an `impl Config` of the pipeline; this module imports only leaves.
//!
//! - this module: [`Config`], its defaults and the setters of what to build and where.
//! - [`deltas`], [`images`], [`integrity`], [`modules`], [`transforms`], [`trust`]: the setters of one
//!   concern each, with their enums.

mod crates;
mod deltas;
mod images;
mod integrity;
mod jsx;
mod modules;
mod transforms;
mod trust;

use std::collections::BTreeMap;
use std::path::PathBuf;

use assetlock_contract::dictionary::DeltaCoding;

use crate::compress::Compression;
use crate::integrity::Integrity;

pub use images::{ImageFormat, Images};
pub use jsx::Jsx;
pub use modules::JsImports;

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
/// hash; in release profiles, bytes embedded in the binary, minification and brotli/zstd
/// precompression; in dev profiles, live mode ([`Config::live`]) instead.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) asset_dirs: Vec<PathBuf>,
    pub(crate) template_dirs: Vec<PathBuf>,
    pub(crate) url_prefix: String,
    pub(crate) excludes: Vec<String>,
    pub(crate) hash_len: usize,
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) embed: Option<bool>,
    pub(crate) minify: Option<bool>,
    pub(crate) targets: Option<String>,
    pub(crate) source_maps: bool,
    pub(crate) warn_only: bool,
    pub(crate) allow_dangling: Vec<String>,
    pub(crate) public: Vec<String>,
    pub(crate) warn_dangling: Vec<String>,
    pub(crate) threads: Option<usize>,
    pub(crate) precompress: Vec<Compression>,
    pub(crate) levels: BTreeMap<Compression, u32>,
    pub(crate) cache_dir: Option<PathBuf>,
    pub(crate) cache_size: u64,
    pub(crate) bundles: Vec<(String, Vec<String>)>,
    pub(crate) inline_css_imports: bool,
    pub(crate) sass_load_paths: Vec<PathBuf>,
    pub(crate) tailwind_entries: Vec<String>,
    pub(crate) tailwind_cli: Option<PathBuf>,
    pub(crate) jsx: Option<Jsx>,
    pub(crate) parse_unminified: bool,
    pub(crate) js_imports: JsImports,
    pub(crate) import_aliases: Vec<(String, String)>,
    pub(crate) deny_non_literal_imports: bool,
    pub(crate) live: Option<bool>,
    pub(crate) previous_releases: Option<PathBuf>,
    pub(crate) delta_releases: usize,
    pub(crate) delta_codings: Vec<DeltaCoding>,
    pub(crate) integrity: Integrity,
    pub(crate) trusted_release_keys: Vec<String>,
    pub(crate) library: bool,
    pub(crate) dependency_assets: Vec<String>,
    pub(crate) images: Vec<Images>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            asset_dirs: Vec::new(),
            template_dirs: Vec::new(),
            url_prefix: "/assets/".to_string(),
            excludes: Vec::new(),
            hash_len: 16,
            out_dir: None,
            embed: None,
            live: None,
            minify: None,
            targets: None,
            source_maps: true,
            warn_only: false,
            allow_dangling: Vec::new(),
            public: Vec::new(),
            warn_dangling: Vec::new(),
            threads: None,
            precompress: Compression::ALL.to_vec(),
            levels: BTreeMap::new(),
            cache_dir: None,
            cache_size: 1 << 30,
            bundles: Vec::new(),
            inline_css_imports: false,
            sass_load_paths: Vec::new(),
            tailwind_entries: Vec::new(),
            tailwind_cli: None,
            jsx: None,
            parse_unminified: false,
            js_imports: JsImports::Rewrite,
            import_aliases: Vec::new(),
            deny_non_literal_imports: false,
            previous_releases: None,
            delta_releases: 3,
            delta_codings: vec![DeltaCoding::Dcz],
            integrity: Integrity::Sha256,
            trusted_release_keys: Vec::new(),
            library: false,
            dependency_assets: Vec::new(),
            images: Vec::new(),
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

    /// Adds a directory of runtime templates (minijinja, or any engine with Jinja syntax),
    /// relative to the crate root, whose asset names the build checks.
    ///
    /// Every literal name a template passes to the functions `assetlock::minijinja` registers
    /// (`asset_url`, `asset_integrity`, `stylesheet`, `module_script`, `script`,
    /// `modulepreload`, `preload`), as `asset_url("css/app.css")` or `"css/app.css" |
    /// asset_url`, must be an asset of this build: an unknown name fails the build with
    /// `template:line:col: no asset named ...; did you mean ...?`, as `asset_url!` does in
    /// Rust code. Names computed at run time cannot be checked before rendering.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     assetlock_build::Config::new()
    ///         .asset_dir("assets")
    ///         .templates("templates")
    ///         .compile();
    /// }
    /// ```
    pub fn templates(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.template_dirs.push(dir.into());
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

    /// Whether to compile the asset bytes into the binary (default: yes, except in cargo's dev
    /// profiles).
    ///
    /// Dev profiles (`PROFILE=debug`) do not embed by default: a rebuild after an asset edit
    /// then does not push every asset through rustc and the linker again.
    ///
    /// With `false`, the bytes stay in the artifact dir `$OUT_DIR/assetlock/dist` and the
    /// binary reads them from `ASSETLOCK_DIST` at run time (by default, that same dir). Use it
    /// when assets are served only by a CDN and the binary should stay small.
    pub fn embed(&mut self, embed: bool) -> &mut Self {
        self.embed = Some(embed);
        self
    }

    /// Live dev mode (default: on in cargo's dev profiles, `PROFILE=debug`). The server reads
    /// each asset's current bytes from the source tree at its logical URL
    /// (`/assets/css/app.css`), with `Cache-Control: no-cache`, an ETag of the current bytes
    /// and no `integrity`, so an edit shows on the next request without a rebuild or a
    /// restart. `ASSETLOCK_LIVE=0|1` at build time overrides it. Release profiles are always
    /// locked, whatever either says.
    ///
    /// Turn it off for a dev build that must behave as a release does (hashed URLs,
    /// integrity, `immutable`): a crate whose tests check those, or a binary that uploads its
    /// assets, which `upload-assets` refuses to do from a live build.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .live(false)
    ///     .compile();
    /// ```
    pub fn live(&mut self, live: bool) -> &mut Self {
        self.live = Some(live);
        self
    }

    /// Whether to minify CSS (lightningcss) and JS (oxc, with name mangling). By default release
    /// profiles minify and debug profiles do not (references are rewritten and hashed either
    /// way, so URLs behave the same). `ASSETLOCK_MINIFY=0|1` overrides both.
    pub fn minify(&mut self, minify: bool) -> &mut Self {
        self.minify = Some(minify);
        self
    }

    /// Browser targets, as a browserslist query (`"> 0.5%, last 2 versions"`); default
    /// `"defaults"` (browserslist's own: `> 0.5%, last 2 versions, Firefox ESR, not dead`).
    ///
    /// - CSS: lightningcss adds the vendor prefixes these browsers need and lowers syntax they
    ///   lack (nesting, `oklch()`, logical properties, ...) in minified builds; unminified
    ///   stylesheets are kept as written unless
    ///   [`parse_unminified`](Config::parse_unminified) says otherwise.
    /// - JS: the minifier never rewrites code into syntax these browsers lack (it would turn
    ///   `a = a || b` into `a ||= b`, or `a == null ? b : a` into `a ?? b`, only where every
    ///   target has it). Syntax the source already uses is kept as written: JS is not lowered,
    ///   so write (or vendor) JS the targets run.
    ///
    /// ```no_run
    /// // build.rs of a site that must still run on older Safari.
    /// fn main() {
    ///     assetlock_build::Config::new()
    ///         .asset_dir("assets")
    ///         .targets("defaults, safari >= 13")
    ///         .compile();
    /// }
    /// ```
    pub fn targets(&mut self, query: impl Into<String>) -> &mut Self {
        self.targets = Some(query.into());
        self
    }

    /// Whether minified files get a source map, published as `<logical path>.map` and linked
    /// with a `sourceMappingURL` comment (default `true`). An input map the file already links
    /// to is chained, so the new map points at the original sources.
    pub fn source_maps(&mut self, source_maps: bool) -> &mut Self {
        self.source_maps = source_maps;
        self
    }

    /// Ships a CSS or JS file that does not parse as it is, with a warning, instead of failing
    /// the build (default `false`).
    pub fn warn_only(&mut self, warn_only: bool) -> &mut Self {
        self.warn_only = warn_only;
        self
    }

    /// Lets files matching the glob reference assets that do not exist; the reference is kept
    /// as written. By default such a dangling reference is an error naming file, line and
    /// column. For vendor CSS that mentions files it does not ship.
    pub fn allow_dangling(&mut self, referrer_glob: impl Into<String>) -> &mut Self {
        self.allow_dangling.push(referrer_glob.into());
        self
    }

    /// Makes the files matching the glob (logical paths, e.g. `"favicon.ico"`, `"robots.txt"`,
    /// `"sw.js"`, `"*.webmanifest"`) public files: served at their own path from the site
    /// root (`/favicon.ico`), not renamed, with `Cache-Control: no-cache` and a strong ETag
    /// (a revalidation costs a 304), never `immutable`.
    ///
    /// Their bytes are shipped as they are (not minified or rewritten) and precompressed like
    /// other assets. `upload-assets` leaves them out: the bucket keeps only content-addressed,
    /// create-only keys, so the app serves its public files itself. A reference from another
    /// asset to a public file must use its root URL (`/favicon.ico`); a relative one is an
    /// error.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     assetlock_build::Config::new()
    ///         .asset_dir("assets")
    ///         .public("favicon.ico")
    ///         .public("robots.txt")
    ///         .compile();
    /// }
    /// ```
    pub fn public(&mut self, glob: impl Into<String>) -> &mut Self {
        self.public.push(glob.into());
        self
    }

    /// Like [`allow_dangling`](Config::allow_dangling), but each dangling reference is a
    /// warning.
    pub fn warn_dangling(&mut self, referrer_glob: impl Into<String>) -> &mut Self {
        self.warn_dangling.push(referrer_glob.into());
        self
    }

    /// Which precompressed variants to make (default: gzip, zstd and brotli). Only
    /// compressible types (text, JSON, SVG, wasm, ttf/otf, ...) of at least 256 bytes get
    /// variants, and a variant is kept only when it is at most 95 % of the original. Source
    /// maps get the gzip variant only: developer tools alone fetch them, and brotli at quality
    /// 11 over them would double a release build's compression time.
    ///
    /// Release profiles use each coding's best level ([`compression_level`] overrides it);
    /// debug profiles use fast levels so rebuilds stay quick. `ASSETLOCK_PRECOMPRESS=0` turns
    /// variants off, `=1` forces the release levels in any profile.
    ///
    /// [`compression_level`]: Config::compression_level
    pub fn precompress(&mut self, codings: impl IntoIterator<Item = Compression>) -> &mut Self {
        self.precompress = codings.into_iter().collect();
        self
    }

    /// The level release builds use for a coding: gzip 1-9 (default 9), zstd 1-22 (default
    /// 19), brotli 0-11 (default 11).
    pub fn compression_level(&mut self, coding: Compression, level: u32) -> &mut Self {
        self.levels.insert(coding, level);
        self
    }

    /// Adds a bundle: one asset named `name` (a logical path ending in `.js` or `.css`) made of
    /// the listed assets joined in order, then minified and hashed as one, like Django
    /// Compressor's `{% compress %}`.
    ///
    /// JS inputs are joined as classic scripts (with a `;` between them, so a file ending
    /// without one cannot run into the next); an input with `import`/`export` is an error. CSS
    /// inputs keep their `url()`s working: each is rewritten relative to the bundle's location.
    /// A CSS input with `@import` needs [`inline_css_imports`](Config::inline_css_imports).
    /// The inputs stay available as assets of their own.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .bundle("js/vendor.js", ["vendor/jquery.js", "vendor/plugin.js"])
    ///     .bundle("css/all.css", ["css/reset.css", "css/site.css"])
    ///     .compile();
    /// ```
    pub fn bundle<I, S>(&mut self, name: impl Into<String>, inputs: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let inputs = inputs.into_iter().map(Into::into).collect();
        self.bundles.push((name.into(), inputs));
        self
    }

    /// Where to keep the persistent cache of minified and compressed results (default:
    /// `assetlock-cache` in cargo's target dir). `ASSETLOCK_CACHE_DIR` overrides it.
    pub fn cache_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// The most bytes the cache may hold (default 1 GiB); least recently used entries are
    /// removed after each build until it fits.
    pub fn cache_size(&mut self, bytes: u64) -> &mut Self {
        self.cache_size = bytes;
        self
    }

    /// How many threads transform and compress files (default: cargo's `NUM_JOBS`, else one
    /// per core). The output is the same for any thread count.
    pub fn threads(&mut self, threads: usize) -> &mut Self {
        self.threads = Some(threads);
        self
    }
}
