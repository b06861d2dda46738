//! What the tests of every crate of this workspace share, written once: whether a tool a test
//! needs is there (and, in strict mode, a failure when it is not), the workspace and its
//! corpus, tree copies, loopback servers, a WebDriver client for headless Chromium, and
//! independent decoders of compression-dictionary deltas.
//!
//! A dev-dependency of the crates that test with it; never published.
//!
//! ```no_run
//! use assetlock_test_support::{tools, workspace};
//!
//! if !tools::available("zstd", tools::program("zstd"), "apt-get install zstd") {
//!     return; // skipped, with a message; a failure in strict mode
//! }
//! let corpus = workspace::root().join("bench/corpus");
//! # let _ = corpus;
//! ```

#[cfg(feature = "actix")]
mod actix;
pub mod decode;
pub mod loopback;
pub mod tools;
pub mod tree;
pub mod webdriver;
pub mod workspace;

#[cfg(feature = "actix")]
pub use actix::actix_server;
