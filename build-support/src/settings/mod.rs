//! A [`Config`] resolved against the environment and checked: what every later stage reads.
//!
//! - this module: [`Settings`] and its resolution.
//! - [`tailwind`]: the Tailwind CSS CLI and its entries.
//! - [`targets`]: the browserslist query, resolved for CSS and JS.
//! - [`trust`]: the trusted deploy keys.
//! - [`variants`]: the precompressed variants and their levels.

pub(crate) mod crates;
pub(crate) mod images;
mod live;
pub(crate) mod tailwind;
mod targets;
mod trust;
mod variants;

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use assetlock_contract::signature::PublicKey;

use crate::Config;
use crate::cargo;
use crate::compress::Compression;
use crate::error::Diagnostic;

pub(crate) use targets::Targets;

/// Settings after environment overrides, with paths made absolute.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub crate_root: PathBuf,
    pub asset_dirs: Vec<PathBuf>,
    /// Dirs of runtime templates whose asset names are checked.
    pub template_dirs: Vec<PathBuf>,
    pub url_prefix: String,
    pub excludes: GlobSet,
    pub hash_len: usize,
    /// The hash function of integrity values (`Config::integrity`).
    pub integrity: crate::Integrity,
    pub out_dir: PathBuf,
    pub embed: bool,
    /// Minify CSS and JS: `ASSETLOCK_MINIFY`, else the config, else release profiles only.
    pub minify: bool,
    /// Browser targets of CSS and JS output: `Config::targets`, else browserslist `defaults`.
    pub targets: Targets,
    pub source_maps: bool,
    pub warn_only: bool,
    pub allow_dangling: GlobSet,
    /// Public files: served at their own path, not renamed (`Config::public`).
    pub public: GlobSet,
    pub warn_dangling: GlobSet,
    /// `(bundle name, input logical paths)`.
    pub bundles: Vec<(String, Vec<String>)>,
    pub inline_css_imports: bool,
    /// Absolute folders Sass looks in for what `@use` and `@import` name.
    pub sass_load_paths: Vec<PathBuf>,
    /// The Tailwind CSS CLI and the entries it builds, when there are any.
    pub tailwind: Option<tailwind::Tailwind>,
    /// How `.jsx` and `.tsx` compile their elements.
    pub jsx: Option<crate::config::Jsx>,
    /// Unminified CSS and JS go through the full parsers (`Config::parse_unminified`).
    pub parse_unminified: bool,
    /// How JS modules name each other (`Config::js_imports`).
    pub js_imports: crate::config::JsImports,
    /// Bare specifiers the import map resolves: `(name, logical path)`.
    pub import_aliases: Vec<(String, String)>,
    pub deny_non_literal_imports: bool,
    /// Where the persistent cache lives.
    pub cache_dir: PathBuf,
    pub cache_max_bytes: u64,
    /// The profile is a release profile (`PROFILE=release`).
    pub release: bool,
    /// Live dev mode: `ASSETLOCK_LIVE`, else `Config::live`, else on in dev profiles; never
    /// in release.
    pub live: bool,
    /// In a live build run by cargo: the build script, as a live server runs it again to
    /// compile a TypeScript, Sass or Tailwind CSS source on request.
    pub live_compiler: Option<assetlock_contract::live::Compiler>,
    /// Dependency crates' asset dirs, each under its namespace (`Config::dependency_assets`).
    pub crates: crates::Crates,
    /// This crate's name and version, when it is a library shipping assets
    /// (`Config::library`).
    pub library: Option<crates::Library>,
    /// Variants to make, with their levels; empty for none.
    pub precompress: Vec<(Compression, u32)>,
    /// Earlier releases to make deltas against (`ASSETLOCK_PREVIOUS_RELEASES`, else
    /// `Config::previous_releases`), and how many of the newest; never in live builds.
    pub previous_releases: Option<(PathBuf, usize)>,
    /// The codings of deltas (`Config::delta_codings`).
    pub delta_codings: Vec<assetlock_contract::dictionary::DeltaCoding>,
    /// The deploy keys whose signed releases this build trusts
    /// (`ASSETLOCK_TRUSTED_RELEASE_KEYS`, else `Config::trusted_release_keys`).
    pub trusted_keys: Vec<PublicKey>,
    /// The images that get variants (`Config::images`); none in live builds.
    pub images: Vec<images::ImageRule>,
    /// Worker threads: `Config::threads`, else cargo's `NUM_JOBS`, else one per core.
    pub threads: usize,
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
        if config.asset_dirs.is_empty() && !config.library {
            problems.push(Diagnostic::new(
                CONFIG,
                "no asset dir configured: call Config::asset_dir(\"assets\")",
            ));
        }
        if !assetlock_contract::naming::HASH_LEN.contains(&config.hash_len) {
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
        let mut globs = |list: &[String], what: &str| {
            build_globs(list, what)
                .map_err(|d| problems.push(d))
                .unwrap_or_else(|()| GlobSet::empty())
        };
        let excludes = globs(&config.excludes, "exclude");
        let allow_dangling = globs(&config.allow_dangling, "allow_dangling");
        let warn_dangling = globs(&config.warn_dangling, "warn_dangling");
        let public = globs(&config.public, "public");
        let profile = cargo::cargo_var("PROFILE");
        let release = profile.as_deref() == Some("release");
        // A dev-profile build run by cargo; called outside cargo, a build is locked.
        let dev = profile.as_deref() == Some("debug");
        // The runtime serves live only when compiled with debug assertions (nothing of live
        // mode is in a binary without them), so the build decides by the same switch: a dev
        // profile with `debug-assertions = false` is locked, as a release build is. Outside a
        // build script (a tool calling `try_compile`) there is no crate to compile: only the
        // profile decides.
        let assertions = !cargo::in_build_script() || cargo::debug_assertions();
        let live = match cargo::user_flag("ASSETLOCK_LIVE") {
            // A library's build serves nothing: the app's decides.
            Ok(_) if config.library => false,
            Ok(flag) => !release && assertions && flag.or(config.live).unwrap_or(dev),
            Err(problem) => {
                problems.push(problem);
                false
            }
        };
        let minify = match cargo::user_flag("ASSETLOCK_MINIFY") {
            Ok(flag) => flag.or(config.minify).unwrap_or(release),
            Err(problem) => {
                problems.push(problem);
                false
            }
        };
        let targets = match &config.targets {
            None => Targets::default_query(),
            Some(query) => Targets::resolve(query).unwrap_or_else(|why| {
                problems.push(Diagnostic::new(
                    CONFIG,
                    format!("invalid targets query `{query}`: {why}"),
                ));
                Targets::default()
            }),
        };
        let tailwind = tailwind::resolve(config, &crate_root, &mut problems);
        let sass_load_paths = config
            .sass_load_paths
            .iter()
            .map(|dir| crate_root.join(dir))
            .collect();
        let mut asset_dirs: Vec<PathBuf> = config
            .asset_dirs
            .iter()
            .map(|dir| crate_root.join(dir))
            .collect();
        let library = crates::library_dirs(config, &mut asset_dirs, &mut problems);
        let crates = crates::resolve(config, &crate_root, out_dir.as_deref(), &mut problems);
        // A library's own build names its assets where an app serves them (its tests have
        // no app to ask).
        let url_prefix = match &library {
            Some(library) => format!("{url_prefix}{}{}/", crates::NAMESPACE, library.name),
            None => url_prefix,
        };
        let precompress = match cargo::user_flag("ASSETLOCK_PRECOMPRESS") {
            // Live mode serves the sources as they are: variants would be stale at once.
            Ok(_) if live => Vec::new(),
            Ok(flag) => variants::resolve_precompress(config, flag, release, &mut problems),
            Err(problem) => {
                problems.push(problem);
                Vec::new()
            }
        };
        let out_dir = out_dir.unwrap_or_default();
        let cache_dir = cargo::user_var("ASSETLOCK_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| config.cache_dir.clone())
            .unwrap_or_else(|| default_cache_dir(&out_dir));
        let threads = config
            .threads
            .or_else(|| cargo::cargo_var("NUM_JOBS").and_then(|n| n.parse().ok()))
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1)
            .max(1);
        let previous_releases = cargo::user_var("ASSETLOCK_PREVIOUS_RELEASES")
            .map(PathBuf::from)
            .or_else(|| config.previous_releases.clone())
            .filter(|_| !live && config.delta_releases > 0)
            .map(|dir| (crate_root.join(dir), config.delta_releases));
        let trusted_keys = trust::trusted_keys(config, &mut problems);
        let images = images::resolve(config, live, &mut problems);
        let template_dirs = config
            .template_dirs
            .iter()
            .map(|dir| crate_root.join(dir))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Settings {
            crate_root,
            asset_dirs,
            template_dirs,
            url_prefix,
            excludes,
            hash_len: config.hash_len,
            integrity: config.integrity,
            out_dir,
            embed: config.embed.unwrap_or(!dev),
            minify,
            targets,
            source_maps: config.source_maps,
            warn_only: config.warn_only,
            allow_dangling,
            public,
            warn_dangling,
            precompress,
            threads,
            images,
            cache_dir,
            cache_max_bytes: config.cache_size,
            bundles: config.bundles.clone(),
            inline_css_imports: config.inline_css_imports,
            sass_load_paths,
            tailwind,
            jsx: config.jsx.clone(),
            parse_unminified: config.parse_unminified,
            js_imports: config.js_imports,
            import_aliases: config.import_aliases.clone(),
            deny_non_literal_imports: config.deny_non_literal_imports,
            release,
            live_compiler: live.then(|| live::compiler(config)).flatten(),
            crates,
            library,
            live,
            previous_releases,
            delta_codings: config.delta_codings.clone(),
            trusted_keys,
        })
    }

    /// How diagnostics name a path: relative to the crate root when inside it, `/`-separated,
    /// on one line (a control character in a file name shows escaped, as `\n`).
    pub fn display(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.crate_root).unwrap_or(path);
        let text = relative.to_string_lossy();
        // Elsewhere than on Windows `\` is a character of a file name, not a separator.
        let windows = std::path::MAIN_SEPARATOR == '\\';
        let mut shown = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' if windows => shown.push('/'),
                c if c.is_control() => shown.extend(c.escape_debug()),
                c => shown.push(c),
            }
        }
        shown
    }

    /// The path part of the URL prefix, where the assets are mounted (`/assets/`).
    pub fn mount_path(&self) -> &str {
        assetlock_contract::url::mount_path(&self.url_prefix)
    }

    /// The artifact dir: `<out>/assetlock/dist`.
    pub fn dist_dir(&self) -> PathBuf {
        self.out_dir.join(assetlock_contract::layout::DIST)
    }
}

/// `<target dir>/assetlock-cache` when `out_dir` is cargo's `<target>/<profile>/build/<pkg>/out`,
/// so the cache outlives build-script reruns, profile switches and new `OUT_DIR`s; otherwise a
/// folder in the out dir.
fn default_cache_dir(out_dir: &Path) -> PathBuf {
    let mut ancestors = out_dir.ancestors();
    let build = ancestors.nth(2);
    match (build, ancestors.nth(1)) {
        (Some(build), Some(target)) if build.file_name().is_some_and(|n| n == "build") => {
            target.join("assetlock-cache")
        }
        _ => out_dir.join("assetlock-cache"),
    }
}

fn check_url_prefix(prefix: &str) -> Result<String, String> {
    let absolute = prefix.starts_with("https://") || prefix.starts_with("http://");
    if !(prefix.starts_with('/') || absolute) {
        return Err(format!(
            "url_prefix must start with `/` or `http(s)://`, found `{prefix}`"
        ));
    }
    // With `&` too, no asset URL ever holds a character an HTML attribute must escape (hashed
    // paths are percent-encoded), so tags write URLs as they are.
    if prefix.contains(['?', '#', ' ', '"', '\'', '<', '>', '\\', '&']) {
        return Err(format!(
            "url_prefix must be a plain path or URL without query, fragment, spaces, quotes or \
             `&`, found `{prefix}`"
        ));
    }
    let mut prefix = prefix.to_string();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    Ok(prefix)
}

fn build_globs(globs: &[String], what: &str) -> Result<GlobSet, Diagnostic> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = Glob::new(glob).map_err(|e| {
            Diagnostic::new(CONFIG, format!("invalid {what} glob `{glob}`")).caused_by(e)
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Diagnostic::new(CONFIG, format!("invalid {what} globs")).caused_by(e))
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
    fn url_prefix_never_holds_what_an_html_attribute_escapes() {
        for bad in ["/a&b/", "/a\"b/", "/a'b/", "/a<b/", "/a>b/"] {
            assert!(check_url_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cache_defaults_to_the_target_dir() {
        let out = Path::new("/p/target/release/build/app-0123/out");
        assert_eq!(
            default_cache_dir(out),
            Path::new("/p/target/assetlock-cache")
        );
        let custom = Path::new("/tmp/x/out");
        assert_eq!(
            default_cache_dir(custom),
            Path::new("/tmp/x/out/assetlock-cache")
        );
    }

    #[test]
    fn relative_url_prefix_is_refused() {
        assert!(check_url_prefix("assets/").is_err());
        assert!(check_url_prefix("/a?b").is_err());
    }
}
