//! Reading what a build wrote: `manifest.json` and the files of the artifact dir.

use std::io;
use std::path::{Path, PathBuf};

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

/// Files smaller than this get no variants (as in the pipeline).
pub const MIN_COMPRESS_SIZE: u64 = 256;

/// The pipeline's rule for which content types get precompressed variants (kept in step with
/// `build-support/src/compress.rs`).
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/ld+json"
                | "application/manifest+json"
                | "application/xml"
                | "application/wasm"
                | "application/vnd.ms-fontobject"
                | "image/svg+xml"
                | "image/x-icon"
                | "image/bmp"
                | "font/ttf"
                | "font/otf"
                | "model/gltf+json"
        )
}

/// A coding the pipeline precompresses with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// gzip, level 9 in release.
    Gzip,
    /// zstd, level 19 in release.
    Zstd,
    /// brotli, quality 11 in release.
    Brotli,
}

impl Coding {
    /// Every coding.
    pub const ALL: [Coding; 3] = [Coding::Gzip, Coding::Zstd, Coding::Brotli];

    /// `gzip`, `zstd` or `brotli`.
    pub fn name(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Zstd => "zstd",
            Coding::Brotli => "brotli",
        }
    }

    /// Parses [`Coding::name`].
    pub fn parse(name: &str) -> Option<Coding> {
        Coding::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The identity files the pipeline compresses with `coding`: compressible type, at least 256
/// bytes, and source maps only with gzip (they are fetched by developer tools alone).
pub fn compressed_inputs(assets: &[BuiltAsset], coding: Coding) -> Vec<&BuiltAsset> {
    assets
        .iter()
        .filter(|a| compressible(&a.content_type) && a.size >= MIN_COMPRESS_SIZE)
        .filter(|a| coding == Coding::Gzip || !a.logical.ends_with(".map"))
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
