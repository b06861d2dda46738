//! The contract between [assetlock](https://docs.rs/assetlock)'s build script
//! (`assetlock-build`) and its runtime (`assetlock`, its macros and its uploader).
//!
//! Everything both sides must agree on is defined here once:
//!
//! - [`Encoding`]: the content codings, their header tokens, file extensions and preference order;
//! - [`path_key`]: the hash that keys the generated lookup tables;
//! - [`layout`]: where the build writes its outputs and where the uploader keeps its records;
//! - [`mime`]: content types by extension;
//! - [`naming`]: how a hashed path is made, and how a key of that shape is recognised;
//! - [`url`]: how hashed paths become URLs and how URLs map back to paths;
//! - [`dictionary`]: compression-dictionary deltas between releases (RFC 9842);
//! - [`image`]: how the variants of an image are named;
//! - [`live`]: how a live dev server has the build script compile a source on request;
//! - [`manifest`] (feature `json`): the `manifest.json` and release-record schema;
//! - [`signature`] (feature `json`): signed release records and deploy events;
//! - [`unknown_asset`]: the error for a name the build does not have, with a suggestion.
//!
//! Applications do not need this crate directly: `assetlock` re-exports what they use.
//!
//! ```
//! use assetlock_contract::{Encoding, layout, path_key, url};
//!
//! assert_eq!(Encoding::Brotli.extension(), ".br");
//! assert_eq!(layout::MANIFEST_JSON, "assetlock/manifest.json");
//! assert_eq!(url::encode_path("img/a b.png"), "img/a%20b.png");
//! assert_eq!(path_key("a"), 0xaf63_dc4c_8601_ec8c);
//! ```
#![deny(missing_docs)]

pub mod dictionary;
mod encoding;
pub mod image;
mod key;
pub mod layout;
pub mod live;
#[cfg(feature = "json")]
pub mod manifest;
pub mod mime;
pub mod naming;
#[cfg(feature = "json")]
pub mod signature;
mod unknown;
pub mod url;

pub use encoding::Encoding;
pub use key::path_key;
pub use unknown::unknown_asset;
