//! Static assets locked to the server binary that references them.
//!
//! assetlock compiles the map "logical path -> content-hashed URL" into your web server at build
//! time. A binary can only ever ask for the exact bytes it was built with, and those bytes live
//! under immutable, content-addressed names, so a rolling deploy never pairs old pages with new
//! assets or the other way round.
//!
//! # 1. Cargo.toml
//!
//! ```toml
//! [dependencies]
//! assetlock = { version = "0.1", features = ["axum", "upload", "fallback"] }
//!
//! [build-dependencies]
//! assetlock-build = "0.1"
//!
//! # Build scripts run in release builds too, and cargo compiles their dependencies without
//! # optimisation unless told otherwise: minifying and brotli-compressing get several times
//! # slower. Add this to the workspace root's Cargo.toml.
//! [profile.release.build-override]
//! opt-level = 3
//! ```
//!
//! # 2. build.rs
//!
//! ```no_run
//! fn main() {
//!     assetlock_build::Config::new()
//!         .asset_dir("assets") // relative to the crate root
//!         .compile(); // bad input becomes `cargo::error=` lines, never a panic
//! }
//! ```
//!
//! The build script hashes every file of `assets/`, rewrites references between CSS and JS
//! files to the hashed names, minifies and precompresses in release builds, and writes the
//! results under `$OUT_DIR`. See the `assetlock-build` crate for every option.
//!
//! # 3. `include_manifest!` and `asset_url!`
//!
//! ```ignore
//! assetlock::include_manifest!(); // defines `pub static MANIFEST: assetlock::Manifest`
//! use assetlock::asset_url;
//!
//! // A `&'static str` literal, checked at compile time: a typo does not compile.
//! const STYLESHEET: &str = asset_url!("css/app.css"); // "/assets/css/app.3f2a9c1b7e04d5a6.css"
//!
//! // Runtime lookups for paths only known at run time, and the asset's metadata.
//! let css = MANIFEST.get("css/app.css").unwrap();
//! let (url, integrity) = (css.url(), css.integrity());
//! ```
//!
//! The [`Manifest`] and [`Asset`] types in action, on the small demo build of these docs:
//!
//! ```
//! # mod demo { assetlock::__doc_manifest!(); }
//! # use demo::MANIFEST;
//! let js = MANIFEST.get("js/app.js").unwrap();
//! let tag = format!(
//!     r#"<script type="module" src="{}" integrity="{}" crossorigin="anonymous"></script>"#,
//!     js.url(),
//!     js.integrity()
//! );
//! assert!(tag.contains("/assets/js/app."));
//! ```
//!
//! # `manifest.json`
//!
//! Next to the generated code, the build writes `$OUT_DIR/assetlock/manifest.json` for tools
//! that are not written in Rust:
//!
//! ```json
//! {
//!   "format": 1,
//!   "build_id": "9c0f5e3a1b2d4c6e",
//!   "url_prefix": "/assets/",
//!   "assets": {
//!     "css/app.css": {
//!       "url": "/assets/css/app.3f2a9c1b7e04d5a6.css",
//!       "path": "css/app.3f2a9c1b7e04d5a6.css",
//!       "size": 5120,
//!       "sha256": "3f2a9c1b7e04d5a6…",
//!       "integrity": "sha256-…",
//!       "content_type": "text/css; charset=utf-8",
//!       "encodings": {
//!         "br": { "path": "css/app.3f2a9c1b7e04d5a6.css.br", "size": 1234, "sha256": "…" }
//!       }
//!     }
//!   }
//! }
//! ```
//!
//! - `format`: the schema version, `1`; a reader should refuse a version it does not know.
//! - `build_id`: [`Manifest::build_id`], a hash of everything below it.
//! - `url_prefix`: [`Manifest::url_prefix`].
//! - `assets`: one entry per logical path, sorted: [`Asset::url`], the hashed `path` relative to
//!   the artifact dir `$OUT_DIR/assetlock/dist/`, the `size` and `sha256` (hex) of the served
//!   bytes, the Subresource Integrity value, the `Content-Type`, and the precompressed variants
//!   keyed by their `Content-Encoding` token (`br`, `zstd`, `gzip`), each with its file path,
//!   size and SHA-256.
//! - `image` (images only): the `width` and `height` browsers show it at, and for an image
//!   `assetlock_build::Config::images` names, its `variants` (the logical paths of its resized
//!   AVIF, WebP and fallback copies, each an asset with its own `image` entry) and its
//!   `placeholder` (a `data:` URL); see [`Image`].
//!
//! # 5. Upload
//!
//! With the `upload` feature, a three-line binary in your app uploads exactly the assets that
//! the server binary was built with (the `upload` module has the details and the library API):
//!
//! ```ignore
//! // src/bin/upload-assets.rs
//! assetlock::include_manifest!();
//!
//! fn main() -> std::process::ExitCode {
//!     assetlock::upload::main(&MANIFEST)
//! }
//! ```
//!
//! ```text
//! cargo run --release --bin upload-assets -- s3://my-bucket/assets           # upload
//! cargo run --release --bin upload-assets -- s3://my-bucket/assets --verify  # deploy gate
//! cargo run --release --bin upload-assets -- s3://my-bucket/assets --prune --keep 3 --grace 7d
//! ```
//!
//! Objects go under their content-hashed keys with create-only PUTs, so nothing stored is ever
//! overwritten, and a re-run only uploads what is missing. The release record
//! `.assetlock/releases/<build id>.json` is written last; `--verify` exits non-zero unless
//! every object is there with the right size and headers, so run it before rolling servers.
//! Endpoint and credentials come from the standard AWS environment variables.
//!
//! # 6. Fleets
//!
//! During a rolling deploy a load balancer sends a page's asset requests to servers of either
//! release. With the `fallback` feature, each server answers for the hashed paths of every
//! release uploaded to the bucket, verified against the release records:
//!
//! ```ignore
//! use assetlock::serve::{Fallback, ServeAssets};
//!
//! let fallback = Fallback::from_url("s3://my-bucket/assets")?;
//! let app: axum::Router = ServeAssets::new(&MANIFEST).fallback(fallback).into_router();
//! ```
//!
//! Roll out in this order: upload, `--verify`, then roll the servers.
#![deny(missing_docs)]
// The examples show build scripts, where `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

mod asset;
mod dist;
mod encoding;
pub mod html;
mod image;
mod macros;
mod manifest;
#[cfg(feature = "minijinja")]
pub mod minijinja;
#[cfg(feature = "axum")]
pub mod serve;
#[cfg(feature = "upload")]
pub mod upload;

#[doc(hidden)]
pub mod __private;

pub use asset::{Asset, Delta, DeltaCoding, Variant};
#[doc(hidden)]
pub use assetlock_macros::{__asset_integrity_in, __asset_url_in};
pub use assetlock_macros::{asset_dimensions, asset_integrity, asset_url, export_asset_macros};
pub use dist::DIST_ENV;
pub use encoding::{Encoding, negotiate};
pub use image::Image;
pub use manifest::Manifest;
