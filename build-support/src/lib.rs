//! The build-script half of [assetlock](https://docs.rs/assetlock): content-hashed assets
//! compiled into your server binary.
//!
//! # Quick start
//!
//! ```toml
//! # Cargo.toml
//! [dependencies]
//! assetlock = "0.1"
//! [build-dependencies]
//! assetlock-build = "0.1"
//!
//! # In the workspace root: cargo compiles build-script dependencies without optimisation,
//! # even in release builds, which makes minification and brotli several times slower.
//! [profile.release.build-override]
//! opt-level = 3
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     assetlock_build::Config::new()
//!         .asset_dir("assets")
//!         .compile();
//! }
//! ```
//!
//! Then `assetlock::include_manifest!()` in the crate defines `MANIFEST`, and
//! `assetlock::asset_url!("css/app.css")` is the hashed URL, checked at compile time.
//!
//! # What a build does
//!
//! 1. **Discover** every file of the asset dirs, sorted; dotfiles and [`Config::exclude`]
//!    globs are left out. A file's *logical path* is its path inside its asset dir.
//! 2. **Transform** CSS with lightningcss and JS with oxc: every `url()`, `@import`, static
//!    `import`/`export ... from`, `import("literal")`, `new URL("literal", import.meta.url)` and
//!    `sourceMappingURL` naming another asset is rewritten to that asset's hashed file, relative
//!    to the referring file, keeping `?query` and `#fragment`. Release profiles also minify
//!    (with name mangling for JS, keeping `/*!`, `@license` and `@preserve` comments) and write
//!    a source map per file, chained through the file's own map when it has one.
//! 3. **Images**: every image's size is read from its header; with the `images` feature, the
//!    images [`Config::images`] names get AVIF, WebP and fallback variants at several widths
//!    (each an asset of its own) and, if asked, a placeholder.
//! 4. **Hash** in dependency order: a file's hash covers its final bytes, so changing a font
//!    changes the hash of every stylesheet that uses it. Import cycles are hashed as one.
//! 5. **Precompress** text-like assets with gzip, zstd and brotli (best levels in release, fast
//!    ones in debug), keeping a variant only when it saves 5 % or more.
//! 6. **Emit** `$OUT_DIR/assetlock/dist/` (hashed files and variants), `manifest.json` and the
//!    generated `assetlock.rs`.
//!
//! Minification and compression results live in a persistent cache (by default
//! `target/assetlock-cache`), so a rebuild only redoes the files that changed. An entry is
//! found by its input, the settings that shape it and the versions of assetlock-build and of
//! the minifier or compressor that made it, so upgrading either never reuses old results.
//!
//! # Settings and environment
//!
//! [`Config`] holds the settings; these environment variables override them at build time,
//! and changing one rebuilds the crate:
//!
//! | variable | effect |
//! | --- | --- |
//! | `ASSETLOCK_URL_PREFIX` | prefix of every URL, e.g. `https://cdn.example.com/assets/` |
//! | `ASSETLOCK_MINIFY=0\|1` | minify or not, whatever the profile |
//! | `ASSETLOCK_PRECOMPRESS=0\|1` | no variants, or release levels in any profile |
//! | `ASSETLOCK_CACHE_DIR` | where the cache lives |
//!
//! # Errors
//!
//! Bad input never passes silently and never panics. [`Config::compile`] reports each problem
//! as one line that cargo prints as
//! `error: app@0.1.0: assets/css/site.css:12:3: Unexpected token CloseSquareBracket`, all problems
//! of a build at once; [`Config::try_compile`] returns them as an [`Error`].
//!
//! Parsers follow nesting on the stack, so nesting has limits, each reported where the file
//! goes past it: 100 levels of brackets in CSS, 10,000 in JS, and 150,000 levels of a JS
//! expression (a chain like `a+a+...` nests one level per term). A malformed input source map
//! is a warning: the file builds with a map of its own, not chained through it.
//!
//! ```no_run
//! // build.rs of a site with vendor CSS that mentions files it does not ship.
//! fn main() {
//!     assetlock_build::Config::new()
//!         .asset_dir("assets")
//!         .asset_dir("vendor")
//!         .warn_dangling("bootstrap/**")
//!         .targets("defaults, safari >= 14")
//!         .bundle("js/legacy.js", ["jquery/jquery.js", "js/plugins.js"])
//!         .compile();
//! }
//! ```
#![deny(missing_docs)]
// The examples show build scripts, where `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

// The leaves: used by the stages, importing none of them.
mod cargo;
// `bench/` times single stages through the modules the `benchmarking` feature makes public,
// as oxc does: hidden, not part of the API, changing whenever the pipeline does.
#[cfg(feature = "benchmarking")]
#[doc(hidden)]
pub mod compress;
#[cfg(not(feature = "benchmarking"))]
mod compress;
mod error;
mod fs;
mod hash;
mod integrity;
mod output;
mod reference;

// The stages, in the order a build runs through them: each imports only earlier stages and
// the leaves (`tests/architecture.rs` checks it against this same order).
// What to build: the builder, as data.
mod config;
// The config resolved against the environment.
mod settings;
// The files, their lanes, templates and earlier releases.
mod discover;
// The answer of a build that changed nothing.
mod fingerprint;
// Each file rewritten and minified, bundles joined.
#[cfg(feature = "benchmarking")]
#[doc(hidden)]
pub mod transform;
#[cfg(not(feature = "benchmarking"))]
mod transform;
// Transforms and codecs, looked up before they run.
mod cache;
// Every image's size; the variants and placeholders of the images `Config::images` names.
mod images;
// References resolved, files hashed in dependency order.
mod link;
// Hashed names, URLs and integrity values.
mod name;
// Variants and deltas.
mod precompress;
// The manifest, the generated code and the import map.
mod generate;
// The files written.
mod emit;
// The run of every stage: `Config::try_compile`.
mod pipeline;

pub use assetlock_contract::dictionary::DeltaCoding;
pub use compress::Compression;
pub use config::{Config, ImageFormat, Images, JsImports, Jsx};
pub use error::{Diagnostic, Error};
pub use integrity::Integrity;
pub use output::{Output, Stats};
