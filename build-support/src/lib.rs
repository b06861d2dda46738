//! The build-script half of [assetlock](https://docs.rs/assetlock).
//!
//! Call it from `build.rs`; it hashes every file of your asset dirs, rewrites references
//! between them, minifies and precompresses in release builds, and writes the artifact dir,
//! `manifest.json` and the generated code that `assetlock::include_manifest!()` includes.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     assetlock_build::Config::new()
//!         .asset_dir("assets")
//!         .compile();
//! }
//! ```
#![deny(missing_docs)]
// The examples show build scripts, where `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

mod built;
mod bundle;
mod cache;
mod cached;
mod cargo;
mod codegen;
mod compress;
mod config;
mod css;
mod emit;
mod error;
mod graph;
mod hash;
mod js;
mod link;
mod manifest;
mod mime;
mod output;
mod pipeline;
mod position;
mod refs;
mod settings;
mod sourcemap;
mod transform;
mod url;
mod walk;

pub use compress::Compression;
pub use config::Config;
pub use error::{Diagnostic, Error};
pub use output::{Output, Stats};
