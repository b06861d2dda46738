//! The one place that reads environment variables and prints `cargo::` directives.
//!
//! Every variable a build depends on is read here, and every `ASSETLOCK_*` read emits its
//! `cargo::rerun-if-env-changed` line, so a changed setting always rebuilds the crate.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use crate::error::Diagnostic;

/// A variable cargo sets for build scripts (`OUT_DIR`, `PROFILE`, ...): no rerun directive.
pub(crate) fn cargo_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A variable cargo sets that holds a path.
pub(crate) fn cargo_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).map(PathBuf::from)
}

/// A user setting (`ASSETLOCK_*`): read, and tell cargo to rerun when it changes.
pub(crate) fn user_var(name: &str) -> Option<String> {
    directive(&format!("rerun-if-env-changed={name}"));
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The first file named `program` in the folders of `PATH`.
pub(crate) fn program_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A boolean user setting: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
pub(crate) fn user_flag(name: &str) -> Result<Option<bool>, Diagnostic> {
    let Some(value) = user_var(name) else {
        return Ok(None);
    };
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(Some(true)),
        "0" | "false" | "no" | "off" => Ok(Some(false)),
        _ => Err(Diagnostic::new(
            name,
            format!("expected 0 or 1, found `{value}`"),
        )),
    }
}

/// Every variable a build's output can depend on, sorted: the `ASSETLOCK_*` settings and the
/// cargo variables settings are resolved from. Part of the build's fingerprint.
pub(crate) fn build_vars() -> Vec<(String, String)> {
    const CARGO_VARS: &[&str] = &[
        "PROFILE",
        "OUT_DIR",
        "CARGO_MANIFEST_DIR",
        "NUM_JOBS",
        "CARGO_CFG_DEBUG_ASSERTIONS",
    ];
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(name, value)| {
            let name = name.into_string().ok()?;
            let wanted = name.starts_with("ASSETLOCK_") || CARGO_VARS.contains(&name.as_str());
            wanted.then(|| (name, value.to_string_lossy().into_owned()))
        })
        .collect();
    vars.sort();
    vars
}

/// This build script's program and what to run it again with: the variables cargo set for it
/// (but its jobserver, which is gone by then) and the `ASSETLOCK_*` settings. `None` when this
/// process is not a build script run by cargo.
pub(crate) fn build_script() -> Option<(PathBuf, Vec<(String, String)>)> {
    const CARGO_VARS: &[&str] = &[
        "OUT_DIR",
        "TARGET",
        "HOST",
        "NUM_JOBS",
        "OPT_LEVEL",
        "DEBUG",
        "PROFILE",
        "RUSTDOC",
    ];
    const PREFIXES: &[&str] = &["CARGO", "DEP_", "RUSTC", "ASSETLOCK_"];
    let program = std::env::current_exe().ok()?;
    let named = program.file_name()?.to_string_lossy().into_owned();
    if !in_build_script() || !named.starts_with("build-script-") {
        return None;
    }
    let live = [
        assetlock_contract::live::COMPILE,
        assetlock_contract::live::OUTPUT,
        assetlock_contract::live::DIR,
    ];
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(name, value)| {
            let name = name.into_string().ok()?;
            let wanted =
                CARGO_VARS.contains(&name.as_str()) || PREFIXES.iter().any(|p| name.starts_with(p));
            let unwanted = name == "CARGO_MAKEFLAGS" || live.contains(&name.as_str());
            if !wanted || unwanted {
                return None;
            }
            Some((name, value.into_string().ok()?))
        })
        .collect();
    vars.sort();
    Some((program, vars))
}

/// A live server's request to compile one source (see `assetlock_contract::live`): its
/// logical path, the file to write the result to, and the folder that replaces the asset dirs.
pub(crate) fn live_request() -> Option<(String, PathBuf, Option<PathBuf>)> {
    use assetlock_contract::live;
    let logical = std::env::var(live::COMPILE).ok()?;
    let output = std::env::var_os(live::OUTPUT).map(PathBuf::from)?;
    Some((
        logical,
        output,
        std::env::var_os(live::DIR).map(PathBuf::from),
    ))
}

/// Whether the crate the build script belongs to is compiled with debug assertions
/// (`CARGO_CFG_DEBUG_ASSERTIONS`, which cargo sets from the profile being built, not from how
/// the script itself was compiled).
pub(crate) fn debug_assertions() -> bool {
    std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some()
}

/// Whether this process is a build script run by cargo (cargo sets `TARGET` only there).
pub(crate) fn in_build_script() -> bool {
    std::env::var_os("TARGET").is_some() && std::env::var_os("OUT_DIR").is_some()
}

/// Asks cargo to rerun the build script when anything under `path` changes (recursive for a
/// directory).
pub(crate) fn rerun_if_changed(path: &Path) {
    directive(&format!("rerun-if-changed={}", path.display()));
}

/// Reports a problem; cargo fails the build after the script returns.
pub(crate) fn error(diagnostic: &Diagnostic) {
    for line in diagnostic.to_string().lines() {
        directive(&format!("error={line}"));
    }
}

/// Reports a warning, shown on this build and replayed by cargo while the script is fresh.
pub(crate) fn warning(diagnostic: &Diagnostic) {
    for line in diagnostic.to_string().lines() {
        directive(&format!("warning={line}"));
    }
}

fn directive(line: &str) {
    if in_build_script() {
        println!("cargo::{line}");
    }
}
