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
}

/// Logical path -> (URL, integrity), as read from one `manifest.json`.
type Table = HashMap<String, [String; 2]>;

/// A table is cached per file, keyed by its size and mtime, so a long-lived proc-macro server
/// (rust-analyzer) notices a rebuilt manifest while one rustc process reads it once.
type Stamp = (u64, Option<SystemTime>);

/// Tables read so far, by manifest path.
type Cache = HashMap<PathBuf, (Stamp, Arc<Table>)>;

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

/// The `field` of asset `logical`, or the message of the compile error to report.
pub fn find(logical: &str, field: Field) -> Result<String, String> {
    let table = table()?;
    if let Some(entry) = table.get(logical) {
        return Ok(entry[field as usize].clone());
    }
    Err(unknown_asset(logical, table.keys().map(String::as_str)))
}

fn table() -> Result<Arc<Table>, String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        "asset_url! needs the table that assetlock-build writes: this crate has no build \
         script; add a build.rs that runs `assetlock_build::Config::new().asset_dir(\"assets\").compile()`"
            .to_string()
    })?;
    let path = Path::new(&out_dir).join(layout::MANIFEST_JSON);
    let meta = std::fs::metadata(&path).map_err(|_| {
        format!(
            "asset_url! found no assetlock manifest in this crate's OUT_DIR: does build.rs run \
             `assetlock_build::Config::new().asset_dir(\"assets\").compile()`? (looked for {})",
            path.display()
        )
    })?;
    let stamp = (meta.len(), meta.modified().ok());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some((cached, table)) = cache.get(&path)
        && *cached == stamp
    {
        return Ok(table.clone());
    }
    let table = Arc::new(read(&path)?);
    cache.insert(path, (stamp, table.clone()));
    Ok(table)
}

fn read(path: &Path) -> Result<Table, String> {
    let bad = |why: String| format!("asset_url!: cannot read {}: {why}", path.display());
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let manifest = ManifestJson::parse(&text).map_err(bad)?;
    Ok(manifest
        .assets
        .into_iter()
        .map(|(logical, asset)| (logical, [asset.url, asset.integrity]))
        .collect())
}
