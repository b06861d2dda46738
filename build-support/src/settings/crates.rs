//! Assets shipped by library crates, found through `cargo metadata`.
//!
//! A library publishes asset dirs in its `Cargo.toml` (`[package.metadata.assetlock]`,
//! `assets = ["assets"]`). An app takes in those of each crate it names
//! (`Config::dependency_assets`), in every version its dependency graph holds, each mounted
//! under a namespace: `_/<crate>/`, or `_/<crate>@<version>/` for each when the graph holds
//! several versions. A library crate's own build (`Config::library`) reads its dirs from the
//! same table, so that the two cannot disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::CONFIG;
use crate::Config;
use crate::cargo;
use crate::error::Diagnostic;

/// The folder of every dependency crate's assets: an app's own files may not use it.
pub(crate) const NAMESPACE: &str = "_/";

/// One asset dir of a dependency crate, and where its files go among the app's.
#[derive(Clone, Debug)]
pub(crate) struct Mount {
    pub dir: PathBuf,
    /// The logical path its files are under: `_/ui-kit/` or `_/ui-kit@0.2.0/`.
    pub prefix: String,
}

/// A library crate's name and version: its assets' namespace in the apps that take them in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Library {
    pub name: String,
    pub version: String,
}

/// Dependency crates' assets and what a rebuild must watch for them (their dirs and the
/// lock file), from `cargo metadata`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Crates {
    pub mounts: Vec<Mount>,
    pub lock_file: Option<PathBuf>,
}

/// The mounts of the crates `config` names; a problem for a name that is no dependency, or a
/// dependency that publishes no assets. `cargo metadata` takes most of a second, so its answer
/// is kept in `out_dir` and reused while the lock file and the manifests it read are unchanged.
pub(super) fn resolve(
    config: &Config,
    crate_root: &Path,
    out_dir: Option<&Path>,
    problems: &mut Vec<Diagnostic>,
) -> Crates {
    if config.dependency_assets.is_empty() {
        return Crates::default();
    }
    let cache = out_dir.map(|dir| dir.join(CACHE));
    let key = cache_key(config, crate_root);
    if let Some(crates) = cache.as_deref().and_then(|path| cached(path, &key)) {
        return crates;
    }
    let before = problems.len();
    let crates = resolve_uncached(config, problems);
    if let (Some(path), true) = (&cache, problems.len() == before) {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(path));
        let _ = std::fs::write(path, render_cache(&key, &crates));
    }
    crates
}

/// Where the answer is kept, relative to the out dir.
const CACHE: &str = "assetlock/crates";

/// What the answer depends on beside the mounted crates' manifests: the names asked for, the
/// lock file (the first one up from the crate root) and the crate's own manifest.
fn cache_key(config: &Config, crate_root: &Path) -> String {
    let lock = crate_root
        .ancestors()
        .map(|dir| dir.join("Cargo.lock"))
        .find(|path| path.is_file());
    let stamps = [lock, Some(crate_root.join("Cargo.toml"))].map(|path| match path {
        Some(path) => format!("{}={}", path.display(), stamp(&path)),
        None => "-".to_string(),
    });
    format!(
        "{}|{}",
        config.dependency_assets.join(","),
        stamps.join("|")
    )
}

/// A file's length and modification time, as text.
fn stamp(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", meta.len())
        }
        Err(_) => "gone".to_string(),
    }
}

/// One line per field: the key, the lock file, each mount, and each mounted crate's manifest
/// with its stamp.
fn render_cache(key: &str, crates: &Crates) -> String {
    let mut out = format!("key\t{key}\n");
    if let Some(lock) = &crates.lock_file {
        out.push_str(&format!("lock\t{}\n", lock.display()));
    }
    for mount in &crates.mounts {
        out.push_str(&format!(
            "mount\t{}\t{}\n",
            mount.prefix,
            mount.dir.display()
        ));
        if let Some(manifest) = manifest_of(&mount.dir) {
            out.push_str(&format!(
                "watch\t{}\t{}\n",
                manifest.display(),
                stamp(&manifest)
            ));
        }
    }
    out
}

/// The manifest of the crate an asset dir belongs to: the first `Cargo.toml` up from it.
fn manifest_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|path| path.is_file())
}

/// The kept answer, when its key is `key` and no manifest it read has changed.
fn cached(path: &Path, key: &str) -> Option<Crates> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut crates = Crates::default();
    let mut keyed = false;
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["key", kept] => keyed = *kept == key,
            ["lock", lock] => crates.lock_file = Some(PathBuf::from(lock)),
            ["mount", prefix, dir] => crates.mounts.push(Mount {
                dir: PathBuf::from(dir),
                prefix: (*prefix).to_string(),
            }),
            ["watch", manifest, was] if stamp(Path::new(manifest)) == *was => {}
            _ => return None,
        }
    }
    let present = crates.mounts.iter().all(|m| m.dir.is_dir());
    (keyed && present).then_some(crates)
}

fn resolve_uncached(config: &Config, problems: &mut Vec<Diagnostic>) -> Crates {
    let metadata = match metadata(false) {
        Ok(metadata) => metadata,
        Err(problem) => {
            problems.push(problem);
            return Crates::default();
        }
    };
    let reachable = normal_dependencies(&metadata);
    let mut crates = Crates {
        mounts: Vec::new(),
        lock_file: metadata["workspace_root"]
            .as_str()
            .map(|root| Path::new(root).join("Cargo.lock")),
    };
    for name in &config.dependency_assets {
        let versions: Vec<&Value> = packages(&metadata)
            .filter(|p| p["name"] == name.as_str())
            .filter(|p| p["id"].as_str().is_some_and(|id| reachable.contains(id)))
            .collect();
        if versions.is_empty() {
            problems.push(Diagnostic::new(
                CONFIG,
                format!(
                    "Config::dependency_assets names `{name}`, which is not a dependency of \
                     this crate (build-dependencies and dev-dependencies do not count)"
                ),
            ));
            continue;
        }
        for package in &versions {
            let version = package["version"].as_str().unwrap_or_default();
            let prefix = match versions.len() {
                1 => format!("{NAMESPACE}{name}/"),
                _ => format!("{NAMESPACE}{name}@{version}/"),
            };
            match published_dirs(package) {
                Ok(dirs) => crates.mounts.extend(dirs.into_iter().map(|dir| Mount {
                    dir,
                    prefix: prefix.clone(),
                })),
                Err(why) => problems.push(Diagnostic::new(
                    CONFIG,
                    format!("Config::dependency_assets names `{name}` {version}, {why}"),
                )),
            }
        }
    }
    crates
}

/// With `Config::library`, the crate's name and version, and its asset dirs: the ones its
/// `Cargo.toml` publishes, which `asset_dirs` must be empty or equal to.
pub(super) fn library_dirs(
    config: &Config,
    asset_dirs: &mut Vec<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Library> {
    if !config.library {
        return None;
    }
    let (library, dirs) = library(problems)?;
    if asset_dirs.is_empty() {
        *asset_dirs = dirs;
    } else if *asset_dirs != dirs {
        problems.push(Diagnostic::new(
            CONFIG,
            "Config::library: the asset dirs differ from the ones Cargo.toml publishes \
             (`[package.metadata.assetlock]` `assets`), which apps read; leave out \
             Config::asset_dir",
        ));
    }
    Some(library)
}

/// The name, version and published asset dirs of the crate being built.
fn library(problems: &mut Vec<Diagnostic>) -> Option<(Library, Vec<PathBuf>)> {
    let metadata = metadata(true).map_err(|p| problems.push(p)).ok()?;
    let own = cargo::cargo_path("CARGO_MANIFEST_PATH")?;
    let package = packages(&metadata).find(|p| same_file(p, &own))?;
    let library = Library {
        name: package["name"].as_str()?.to_string(),
        version: package["version"].as_str()?.to_string(),
    };
    match published_dirs(package) {
        Ok(dirs) => Some((library, dirs)),
        Err(why) => {
            problems.push(Diagnostic::new(
                "Cargo.toml",
                format!(
                    "Config::library: this crate {why}: add `[package.metadata.assetlock]` with \
                     `assets = [\"assets\"]` (its asset dirs, which apps read from the published \
                     crate)"
                ),
            ));
            None
        }
    }
}

/// The asset dirs a package publishes, absolute.
fn published_dirs(package: &Value) -> Result<Vec<PathBuf>, String> {
    let table = &package["metadata"]["assetlock"]["assets"];
    let dirs: Vec<&str> = match table {
        Value::String(dir) => vec![dir.as_str()],
        Value::Array(dirs) => dirs.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if dirs.is_empty() {
        return Err(
            "which publishes no assets (no `[package.metadata.assetlock]` `assets` in \
                    its Cargo.toml)"
                .to_string(),
        );
    }
    let manifest = package["manifest_path"].as_str().unwrap_or_default();
    let root = Path::new(manifest).parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    for dir in dirs {
        let path = root.join(dir);
        if !path.is_dir() {
            return Err(format!(
                "whose published asset dir `{dir}` is not a folder of the crate ({})",
                path.display()
            ));
        }
        found.push(path);
    }
    Ok(found)
}

fn packages(metadata: &Value) -> impl Iterator<Item = &Value> {
    metadata["packages"].as_array().into_iter().flatten()
}

fn same_file(package: &Value, path: &Path) -> bool {
    let Some(manifest) = package["manifest_path"].as_str() else {
        return false;
    };
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    canonical(Path::new(manifest)) == canonical(path)
}

/// The ids of the packages the crate being built depends on, directly or not, through
/// normal dependencies (the ones whose code is in its binary).
fn normal_dependencies(metadata: &Value) -> BTreeSet<String> {
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let own = cargo::cargo_path("CARGO_MANIFEST_PATH");
    let root = packages(metadata)
        .find(|p| own.as_deref().is_some_and(|own| same_file(p, own)))
        .and_then(|p| p["id"].as_str());
    let mut seen = BTreeSet::new();
    let mut next: Vec<&str> = root.into_iter().collect();
    while let Some(id) = next.pop() {
        let deps = nodes.get(id).map(|n| &n["deps"]);
        for dep in deps.and_then(Value::as_array).into_iter().flatten() {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if let (true, Some(pkg)) = (normal, dep["pkg"].as_str())
                && seen.insert(pkg.to_string())
            {
                next.push(pkg);
            }
        }
    }
    seen
}

/// `cargo metadata` of the crate being built (`--no-deps`: its workspace only), offline:
/// whatever the build needs is downloaded already.
fn metadata(no_deps: bool) -> Result<Value, Diagnostic> {
    let cargo = cargo::cargo_var("CARGO").unwrap_or_else(|| "cargo".to_string());
    let Some(manifest) = cargo::cargo_path("CARGO_MANIFEST_PATH") else {
        return Err(Diagnostic::new(
            CONFIG,
            "assets of other crates are found through cargo: run from a build script",
        ));
    };
    let mut command = Command::new(&cargo);
    command
        .args(["metadata", "--format-version", "1", "--offline"])
        .arg("--manifest-path")
        .arg(&manifest)
        .stdin(Stdio::null());
    if no_deps {
        command.arg("--no-deps");
    } else if let Some(target) = cargo::cargo_var("TARGET") {
        command.args(["--filter-platform", &target]);
    }
    let output = command.output().map_err(|e| {
        Diagnostic::new(CONFIG, format!("cannot run `{cargo} metadata`")).caused_by(e)
    })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(Diagnostic::new(
            CONFIG,
            format!("`cargo metadata` failed: {}", said.trim()),
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        Diagnostic::new(CONFIG, "`cargo metadata` printed something else than JSON").caused_by(e)
    })
}
