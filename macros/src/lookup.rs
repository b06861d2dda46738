//! Reads the URL table that `assetlock-build` wrote to `$OUT_DIR` and answers lookups.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use assetlock_contract::unknown_asset;

/// What the macros can expand to for one asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Url,
    Integrity,
    /// `width,height` of an image; empty for another asset.
    Dimensions,
}

/// Logical path -> (URL, integrity, dimensions), as read from one `manifest.json`.
type Table = HashMap<String, [String; 3]>;

/// A table is cached per file, keyed by its size and mtime, so a long-lived proc-macro server
/// (rust-analyzer) notices a rebuilt manifest while one rustc process reads it once.
type Stamp = (u64, Option<SystemTime>);

/// Tables read so far, by manifest path.
type Cache = HashMap<PathBuf, (Stamp, Arc<Table>)>;

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

/// The `field` of asset `logical` in this crate's manifest, or the message of the compile
/// error to report.
pub fn find(logical: &str, field: Field) -> Result<String, String> {
    lookup(&*table()?, logical, field)
}

/// The `field` of asset `logical` in the manifest at `path` (another crate's, exported by
/// `export_asset_macros!`).
pub fn find_in(path: &Path, logical: &str, field: Field) -> Result<String, String> {
    let table = cached(path, || {
        format!(
            "the assetlock manifest this macro was exported with is gone ({}): rebuild the \
             crate that owns the assets",
            path.display()
        )
    })?;
    lookup(&table, logical, field)
}

/// This crate's manifest path: `$OUT_DIR/assetlock/manifest.json`.
pub fn own_manifest() -> Result<PathBuf, String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        "asset_url! needs the table that assetlock-build writes: this crate has no build \
         script; add a build.rs that runs `assetlock_build::Config::new().asset_dir(\"assets\").compile()`"
            .to_string()
    })?;
    Ok(Path::new(&out_dir).join(layout::MANIFEST_JSON))
}

/// The name and version of this crate when its build is a library's (`Config::library`): its
/// assets' URLs are then the app's, found at run time.
pub fn library() -> Option<(String, String)> {
    let out_dir = std::env::var_os("OUT_DIR")?;
    let text = std::fs::read_to_string(Path::new(&out_dir).join(layout::LIBRARY)).ok()?;
    let mut lines = text.lines();
    Some((lines.next()?.to_string(), lines.next()?.to_string()))
}

fn lookup(table: &Table, logical: &str, field: Field) -> Result<String, String> {
    if let Some(entry) = table.get(logical) {
        return Ok(entry[field as usize].clone());
    }
    Err(unknown_asset(logical, table.keys().map(String::as_str)))
}

fn table() -> Result<Arc<Table>, String> {
    let path = own_manifest()?;
    let missing = || {
        format!(
            "asset_url! found no assetlock manifest in this crate's OUT_DIR: does build.rs run \
             `assetlock_build::Config::new().asset_dir(\"assets\").compile()`? (looked for {})",
            path.display()
        )
    };
    cached(&path, missing)
}

/// The table of the manifest at `path`, read once per size and mtime.
fn cached(path: &Path, missing: impl FnOnce() -> String) -> Result<Arc<Table>, String> {
    let meta = std::fs::metadata(path).map_err(|_| missing())?;
    let stamp = (meta.len(), meta.modified().ok());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some((cached, table)) = cache.get(path)
        && *cached == stamp
    {
        return Ok(table.clone());
    }
    let table = Arc::new(read(path)?);
    cache.insert(path.to_path_buf(), (stamp, table.clone()));
    Ok(table)
}

fn read(path: &Path) -> Result<Table, String> {
    let bad = |why: String| format!("asset_url!: cannot read {}: {why}", path.display());
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let manifest = ManifestJson::parse(&text).map_err(bad)?;
    Ok(manifest
        .assets
        .into_iter()
        .map(|(logical, asset)| {
            let dimensions = (asset.image)
                .map(|i| format!("{},{}", i.width, i.height))
                .unwrap_or_default();
            (logical, [asset.url, asset.integrity, dimensions])
        })
        .collect())
}
