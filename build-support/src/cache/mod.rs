//! The persistent cache and the pipeline stages that go through it.
//!
//! - [`store`]: the on-disk, content-addressed store of results, bounded by size.
//! - [`key`]: what a cached result depends on.
//! - [`stages`]: transforms and compression, looked up in the store before they are computed.

pub(crate) mod key;
pub(crate) mod stages;
pub(crate) mod store;
