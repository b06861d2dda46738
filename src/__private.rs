//! Items that generated code names. Not part of the public API.

pub use crate::dist::Contents;
pub use phf;
