//! `manifest.json`: the build's assets for tools that are not written in Rust, in the
//! contract's schema.

use assetlock_contract::manifest::{AssetJson, DeltaJson, FORMAT, ManifestJson, VariantJson};

use crate::built::Built;
use crate::hash;

/// The JSON text, pretty-printed with sorted keys so equal builds give equal bytes.
/// `live` marks a live dev build, which no uploader accepts.
pub(crate) fn render(build_id: &str, url_prefix: &str, assets: &[Built], live: bool) -> String {
    let assets = assets
        .iter()
        .map(|a| {
            let encodings = a
                .variants
                .iter()
                .map(|v| {
                    let variant = VariantJson {
                        path: v.hashed_path.clone(),
                        size: v.bytes.len() as u64,
                        sha256: hash::hex(&v.sha256),
                    };
                    (v.compression.token().to_owned(), variant)
                })
                .collect();
            let asset = AssetJson {
                url: a.url.clone(),
                path: a.hashed_path.clone(),
                size: a.size,
                sha256: a.sha256_hex(),
                integrity: a.integrity.clone(),
                content_type: a.content_type.to_owned(),
                encodings,
                deltas: a
                    .deltas
                    .iter()
                    .map(|d| DeltaJson {
                        encoding: d.coding.as_str().to_owned(),
                        dictionary: hash::hex(&d.dictionary),
                        path: d.hashed_path.clone(),
                        size: d.bytes.len() as u64,
                        sha256: hash::hex(&d.sha256),
                    })
                    .collect(),
            };
            (a.logical.clone(), asset)
        })
        .collect();
    ManifestJson {
        format: FORMAT,
        build_id: build_id.to_owned(),
        url_prefix: url_prefix.to_owned(),
        uploaded_at: None,
        live,
        assets,
    }
    .render()
}
