//! The deploy keys a server trusts: release records signed by one of them are served from the
//! bucket by the fleet fallback, pruned as releases, and used as dictionaries for deltas.

use super::Config;

impl Config {
    /// The public deploy keys (`ed25519:...`, as `upload-assets --new-signing-key` prints them)
    /// whose signed release records this build trusts, compiled into the binary. More than
    /// one lets keys rotate: trust the old and the new, sign with the new, then drop the old.
    /// `ASSETLOCK_TRUSTED_RELEASE_KEYS` (keys separated by commas or spaces) overrides it.
    ///
    /// With keys, the fleet fallback serves another release's assets only if its record is
    /// signed by one of them (see `assetlock::serve::Fallback`), `upload-assets` signs with
    /// the deploy key it is given and refuses to upload without one, prune keeps only signed
    /// releases, and deltas are made only against signed earlier releases. Without keys,
    /// whoever can write to the bucket decides what the fallback serves.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .trusted_release_keys(["ed25519:WfJaAlTu5EPDTg0kCba5Br0S8fZZC7s-rUCXiUHy99M"])
    ///     .compile();
    /// ```
    pub fn trusted_release_keys<I, S>(&mut self, keys: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.trusted_release_keys = keys.into_iter().map(Into::into).collect();
        self
    }
}
