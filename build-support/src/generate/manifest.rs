//! `manifest.json`: the build's assets for tools that are not written in Rust, in the
//! contract's schema.

use assetlock_contract::manifest::{
    AssetJson, DeltaJson, FORMAT, ImageJson, ManifestJson, VariantJson,
};

use crate::hash;
use crate::name::built::Built;
use crate::settings::Settings;

/// The JSON text, pretty-printed with sorted keys so equal builds give equal bytes. A live dev
/// build is marked so, and no uploader accepts it.
pub(crate) fn render(settings: &Settings, build_id: &str, assets: &[Built]) -> String {
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
                image: a.image.as_ref().map(|image| ImageJson {
                    width: image.width,
                    height: image.height,
                    variants: image.variants.clone(),
                    placeholder: image.placeholder.clone(),
                }),
            };
            (a.logical.clone(), asset)
        })
        .collect();
    ManifestJson {
        format: FORMAT,
        build_id: build_id.to_owned(),
        url_prefix: settings.url_prefix.clone(),
        uploaded_at: None,
        live: settings.live,
        trusted_release_keys: settings
            .trusted_keys
            .iter()
            .map(|k| k.to_string())
            .collect(),
        assets,
    }
    .render()
}
