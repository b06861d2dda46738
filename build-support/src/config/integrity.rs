//! The hash function of the Subresource Integrity values.

use super::Config;
use crate::integrity::Integrity;

impl Config {
    /// The hash function of the Subresource Integrity values (default [`Integrity::Sha256`]).
    ///
    /// ```no_run
    /// // build.rs: a security policy asks for SHA-384 in `integrity` attributes.
    /// fn main() {
    ///     assetlock_build::Config::new()
    ///         .asset_dir("assets")
    ///         .integrity(assetlock_build::Integrity::Sha384)
    ///         .compile();
    /// }
    /// ```
    pub fn integrity(&mut self, integrity: Integrity) -> &mut Self {
        self.integrity = integrity;
        self
    }
}
