//! Reading what a build wrote: `manifest.json` and the files of the artifact dir.

use std::io;
use std::path::{Path, PathBuf};

use assetlock_build::Compression;
use assetlock_build::compress;

/// One asset of a build's `manifest.json`.
#[derive(Clone, Debug)]
pub struct BuiltAsset {
    /// The logical path (`css/app.css`).
    pub logical: String,
    /// The hashed file, relative to the artifact dir.
    pub path: String,
    /// The content type the build gave it.
    pub content_type: String,
    /// Size of the identity bytes.
    pub size: u64,
    /// The variant files (`.gz`, `.br`, `.zst`), relative to the artifact dir.
    pub variants: Vec<String>,
}

/// The assets of the build in `out_dir` (`<out>/assetlock/manifest.json`), in logical order.
///
/// # Errors
///
/// When the manifest cannot be read or does not have the expected shape.
pub fn assets(out_dir: &Path) -> io::Result<Vec<BuiltAsset>> {
    let path = out_dir.join("assetlock").join("manifest.json");
    let text = std::fs::read_to_string(&path)?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(io::Error::other)?;
    let Some(assets) = json["assets"].as_object() else {
        return Err(io::Error::other(format!(
            "{}: no `assets` object",
            path.display()
        )));
    };
    let text_of = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    Ok(assets
        .iter()
        .map(|(logical, asset)| BuiltAsset {
            logical: logical.clone(),
            path: text_of(&asset["path"]),
            content_type: text_of(&asset["content_type"]),
            size: asset["size"].as_u64().unwrap_or_default(),
            variants: asset["encodings"]
                .as_object()
                .map(|e| e.values().map(|v| text_of(&v["path"])).collect())
                .unwrap_or_default(),
        })
        .collect())
}

/// `<out>/assetlock/dist`.
pub fn dist_dir(out_dir: &Path) -> PathBuf {
    out_dir.join("assetlock").join("dist")
}

/// The codings, by the names the bench's command lines use.
const CODINGS: [(Compression, &str); 3] = [
    (Compression::Gzip, "gzip"),
    (Compression::Zstd, "zstd"),
    (Compression::Brotli, "brotli"),
];

/// A coding by its command-line name: `gzip`, `zstd` or `brotli`.
pub fn parse_coding(name: &str) -> Option<Compression> {
    CODINGS.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
}

/// The identity files the pipeline compresses with `coding` (its own rule: compressible type,
/// at least 256 bytes, source maps only with gzip).
pub fn compressed_inputs(assets: &[BuiltAsset], coding: Compression) -> Vec<&BuiltAsset> {
    assets
        .iter()
        .filter(|a| {
            let len = usize::try_from(a.size).unwrap_or(usize::MAX);
            compress::attempted(coding, &a.logical, &a.content_type, len)
        })
        .collect()
}

/// Every regular file under `dir` except dotfiles, sorted, as paths relative to `dir`.
///
/// # Errors
///
/// When a directory cannot be listed.
pub fn files_under(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in std::fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(relative.join(name));
            } else if kind.is_file() {
                found.push(relative.join(name));
            }
        }
    }
    found.sort();
    Ok(found)
}
