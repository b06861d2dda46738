//! Fixture crate: edge-case assets built by assetlock-build, used by integration tests.

assetlock::include_manifest!();
