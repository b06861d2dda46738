//! Fixture crate: edge-case assets built by assetlock-build, used by integration tests.

assetlock::include_manifest!();

/// Deploy keys of the signed-release tests (fixed seeds, for tests only).
pub mod keys;

/// The same site, built to trust release records signed by deploy key A or B.
pub mod trusts_a_b {
    include!(concat!(env!("OUT_DIR"), "/trusts-a-b/assetlock.rs"));
}

/// The same site, built to trust release records signed by deploy key B only.
pub mod trusts_b {
    include!(concat!(env!("OUT_DIR"), "/trusts-b/assetlock.rs"));
}
