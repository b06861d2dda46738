//! Cargo itself, for the tests that build real crates: they build in `target/tests/e2e` of this
//! workspace with its lock file, so dependencies are compiled once and reused across runs.
#![allow(clippy::disallowed_methods)] // tests read CARGO and set up child environments

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use assetlock_test_support::workspace::root as workspace;

/// Where the crates the tests make are built.
pub fn target_dir() -> PathBuf {
    workspace().join("target/tests/e2e")
}

/// Runs `cargo <args> --offline` in `dir`, with `env` and without the variables of this
/// workspace's own build that would change the crate's; live mode is off unless `env` sets
/// `ASSETLOCK_LIVE`.
pub fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("ASSETLOCK_URL_PREFIX")
        .env_remove("RUSTFLAGS")
        // Locked, as a release is, unless a test asks for live mode in `env`.
        .env("ASSETLOCK_LIVE", "0");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}
