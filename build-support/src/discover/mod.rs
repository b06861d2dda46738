//! Discovery: what a build reads, found before anything is read.
//!
//! - [`walk`]: the files of the asset dirs, sorted, with their logical paths.
//! - [`files`]: the index of the files transforms read, read only when asked for.
//! - [`kind`]: which transform a file gets, from its name.
//! - [`stream`]: the streaming lane, for files no transform reads and no coding compresses:
//!   which files take it, and their hashes, one chunk at a time.
//! - [`templates`]: the asset names runtime templates use.
//! - [`previous`]: the earlier releases deltas are made against.

mod files;
mod kind;
pub(crate) mod previous;
pub(crate) mod stream;
pub(crate) mod templates;
pub(crate) mod walk;

pub(crate) use files::Files;
pub(crate) use kind::{Kind, is_partial};
pub(crate) use stream::Streamed;
pub(crate) use walk::Source;
