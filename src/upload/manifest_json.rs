//! The contract's `manifest.json` types, and the document of a compiled-in [`Manifest`].

use std::collections::BTreeMap;

pub(crate) use assetlock_contract::manifest::{
    AssetJson, DeltaJson, ImageJson, ManifestJson, VariantJson,
};

use crate::Manifest;

/// The document for a compiled-in manifest: the same JSON the build wrote, without the public
/// files (the bucket never holds them).
pub(crate) fn from_manifest(manifest: &Manifest) -> ManifestJson {
    let assets = manifest
        .iter()
        .filter(|asset| !asset.is_public())
        .map(|asset| {
            let encodings: BTreeMap<_, _> = asset
                .variants()
                .iter()
                .map(|v| {
                    let variant = VariantJson {
                        path: v.hashed_path().to_owned(),
                        size: v.size(),
                        sha256: v.sha256().to_owned(),
                    };
                    (v.encoding().as_str().to_owned(), variant)
                })
                .collect();
            let json = AssetJson {
                url: asset.url().to_owned(),
                path: asset.hashed_path().to_owned(),
                size: asset.size(),
                sha256: asset.sha256().to_owned(),
                integrity: asset.integrity().to_owned(),
                content_type: asset.content_type().to_owned(),
                encodings,
                deltas: asset
                    .deltas()
                    .iter()
                    .map(|d| DeltaJson {
                        encoding: d.coding().as_str().to_owned(),
                        dictionary: d.dictionary().to_owned(),
                        path: d.hashed_path().to_owned(),
                        size: d.size(),
                        sha256: d.sha256().to_owned(),
                    })
                    .collect(),
                image: asset.image().map(|image| ImageJson {
                    width: image.width(),
                    height: image.height(),
                    variants: (image.variants().iter())
                        .map(|v| v.logical_path().to_owned())
                        .collect(),
                    placeholder: image.placeholder().map(str::to_owned),
                }),
            };
            (asset.logical_path().to_owned(), json)
        })
        .collect();
    ManifestJson {
        format: assetlock_contract::manifest::FORMAT,
        build_id: manifest.build_id().to_owned(),
        url_prefix: manifest.url_prefix().to_owned(),
        uploaded_at: None,
        // Whether the build made a live manifest, whatever this binary was compiled with.
        live: manifest.built_live(),
        trusted_release_keys: manifest
            .trusted_release_keys()
            .iter()
            .map(|key| (*key).to_owned())
            .collect(),
        assets,
    }
}
