//! A [`Config`] resolved against the environment and checked.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::Config;
use crate::cargo;
use crate::error::Diagnostic;

/// Settings after environment overrides, with paths made absolute.
#[derive(Debug)]
pub(crate) struct Settings {
    pub crate_root: PathBuf,
    pub asset_dirs: Vec<PathBuf>,
    pub url_prefix: String,
    pub excludes: GlobSet,
    pub hash_len: usize,
    pub out_dir: PathBuf,
    pub embed: bool,
}

/// Where problems with the configuration itself are reported.
const CONFIG: &str = "build.rs";

impl Settings {
    pub fn resolve(config: &Config) -> Result<Settings, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let crate_root = cargo::cargo_path("CARGO_MANIFEST_DIR")
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let out_dir = config
            .out_dir
            .clone()
            .or_else(|| cargo::cargo_path("OUT_DIR"));
        if out_dir.is_none() {
            problems.push(Diagnostic::new(
                CONFIG,
                "OUT_DIR is not set: run from a build script, or set Config::out_dir",
            ));
        }
        if config.asset_dirs.is_empty() {
            problems.push(Diagnostic::new(
                CONFIG,
                "no asset dir configured: call Config::asset_dir(\"assets\")",
            ));
        }
        if !(8..=64).contains(&config.hash_len) {
            problems.push(Diagnostic::new(
                CONFIG,
                format!("hash_len must be within 8..=64, found {}", config.hash_len),
            ));
        }
        let prefix = cargo::user_var("ASSETLOCK_URL_PREFIX");
        let (prefix, origin) = match &prefix {
            Some(p) => (p.as_str(), "ASSETLOCK_URL_PREFIX"),
            None => (config.url_prefix.as_str(), CONFIG),
        };
        let url_prefix = check_url_prefix(prefix)
            .map_err(|message| problems.push(Diagnostic::new(origin, message)))
            .unwrap_or_default();
        let excludes = build_globs(&config.excludes)
            .map_err(|d| problems.push(d))
            .unwrap_or_else(|()| GlobSet::empty());
        let asset_dirs: Vec<PathBuf> = config
            .asset_dirs
            .iter()
            .map(|dir| crate_root.join(dir))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Settings {
            crate_root,
            asset_dirs,
            url_prefix,
            excludes,
            hash_len: config.hash_len,
            out_dir: out_dir.unwrap_or_default(),
            embed: config.embed,
        })
    }

    /// How diagnostics name a path: relative to the crate root when inside it.
    pub fn display(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.crate_root).unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    }

    /// The artifact dir: `<out>/assetlock/dist`.
    pub fn dist_dir(&self) -> PathBuf {
        self.out_dir.join("assetlock").join("dist")
    }
}

fn check_url_prefix(prefix: &str) -> Result<String, String> {
    let absolute = prefix.starts_with("https://") || prefix.starts_with("http://");
    if !(prefix.starts_with('/') || absolute) {
        return Err(format!(
            "url_prefix must start with `/` or `http(s)://`, found `{prefix}`"
        ));
    }
    if prefix.contains(['?', '#', ' ', '"', '\'', '<', '>', '\\']) {
        return Err(format!(
            "url_prefix must be a plain path or URL without query, fragment, spaces or quotes, \
             found `{prefix}`"
        ));
    }
    let mut prefix = prefix.to_string();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    Ok(prefix)
}

fn build_globs(globs: &[String]) -> Result<GlobSet, Diagnostic> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = Glob::new(glob).map_err(|e| {
            Diagnostic::new(CONFIG, format!("invalid exclude glob `{glob}`")).caused_by(e)
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Diagnostic::new(CONFIG, "invalid exclude globs").caused_by(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_prefix_gets_trailing_slash() {
        assert_eq!(check_url_prefix("/static").unwrap(), "/static/");
        assert_eq!(
            check_url_prefix("https://cdn.example.com/a/").unwrap(),
            "https://cdn.example.com/a/"
        );
    }

    #[test]
    fn relative_url_prefix_is_refused() {
        assert!(check_url_prefix("assets/").is_err());
        assert!(check_url_prefix("/a?b").is_err());
    }
}
