//! `manifest.json`: the build's assets for tools that are not written in Rust.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::built::Built;
use crate::hash;

/// The schema version written as `format`.
pub(crate) const FORMAT: u32 = 1;

#[derive(Serialize)]
struct ManifestJson<'a> {
    format: u32,
    build_id: &'a str,
    url_prefix: &'a str,
    assets: BTreeMap<&'a str, AssetJson<'a>>,
}

#[derive(Serialize)]
struct AssetJson<'a> {
    url: &'a str,
    path: &'a str,
    size: usize,
    sha256: String,
    integrity: &'a str,
    content_type: &'a str,
    encodings: BTreeMap<&'a str, VariantJson<'a>>,
}

#[derive(Serialize)]
struct VariantJson<'a> {
    path: &'a str,
    size: usize,
    sha256: String,
}

/// The JSON text, pretty-printed with sorted keys so equal builds give equal bytes.
pub(crate) fn render(build_id: &str, url_prefix: &str, assets: &[Built]) -> String {
    let json = ManifestJson {
        format: FORMAT,
        build_id,
        url_prefix,
        assets: assets
            .iter()
            .map(|a| {
                let encodings = a
                    .variants
                    .iter()
                    .map(|v| {
                        let variant = VariantJson {
                            path: &v.hashed_path,
                            size: v.bytes.len(),
                            sha256: hash::hex(&v.sha256),
                        };
                        (v.compression.token(), variant)
                    })
                    .collect();
                let asset = AssetJson {
                    url: &a.url,
                    path: &a.hashed_path,
                    size: a.bytes.len(),
                    sha256: a.sha256_hex(),
                    integrity: &a.integrity,
                    content_type: a.content_type,
                    encodings,
                };
                (a.logical.as_str(), asset)
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("manifest serializes");
    text.push('\n');
    text
}
