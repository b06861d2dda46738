//! `manifest.json` (format 1) as data: read from a file, or rendered from a compiled-in
//! [`Manifest`]; the release record is the same document plus its upload time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Encoding, Manifest};

/// The only `format` this uploader reads and writes.
pub(crate) const FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ManifestJson {
    pub(crate) format: u32,
    pub(crate) build_id: String,
    pub(crate) url_prefix: String,
    /// RFC 3339; only in release records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) uploaded_at: Option<String>,
    pub(crate) assets: BTreeMap<String, AssetJson>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AssetJson {
    pub(crate) url: String,
    pub(crate) path: String,
    pub(crate) size: u64,
    pub(crate) sha256: String,
    pub(crate) integrity: String,
    pub(crate) content_type: String,
    #[serde(default)]
    pub(crate) encodings: BTreeMap<String, VariantJson>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct VariantJson {
    pub(crate) path: String,
    pub(crate) size: u64,
    pub(crate) sha256: String,
}

impl ManifestJson {
    /// Parses and checks a manifest or release record.
    pub(crate) fn parse(text: &[u8]) -> Result<ManifestJson, String> {
        let manifest: ManifestJson = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "manifest format {} is not supported (this uploader reads format {FORMAT})",
                self.format
            ));
        }
        if !is_build_id(&self.build_id) {
            return Err(format!(
                "build_id `{}` is not a build id (letters, digits, `-` and `_` only)",
                self.build_id
            ));
        }
        for (logical, asset) in &self.assets {
            check_path(logical, &asset.path)?;
            for (token, variant) in &asset.encodings {
                match Encoding::from_token(token) {
                    Some(Encoding::Identity) | None => {
                        return Err(format!("{logical}: unknown content coding `{token}`"));
                    }
                    Some(_) => check_path(logical, &variant.path)?,
                }
            }
        }
        Ok(())
    }

    /// The document for a compiled-in manifest: the same JSON the build wrote.
    pub(crate) fn from_manifest(manifest: &Manifest) -> ManifestJson {
        let assets = manifest
            .iter()
            .map(|asset| {
                let encodings = asset
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
                };
                (asset.logical_path().to_owned(), json)
            })
            .collect();
        ManifestJson {
            format: FORMAT,
            build_id: manifest.build_id().to_owned(),
            url_prefix: manifest.url_prefix().to_owned(),
            uploaded_at: None,
            assets,
        }
    }

    /// Every object key of the build, identity files and variants, relative to the prefix.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.assets.values().flat_map(|asset| {
            std::iter::once(asset.path.as_str())
                .chain(asset.encodings.values().map(|v| v.path.as_str()))
        })
    }

    /// Pretty JSON with a final newline, as the build writes it.
    pub(crate) fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("JSON of strings and numbers");
        text.push('\n');
        text
    }
}

/// Whether `id` is safe to put in an object key.
pub(crate) fn is_build_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A hashed path must stay inside the prefix: relative, no `.`/`..`/empty segments.
fn check_path(logical: &str, path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.chars().any(|c| c.is_control())
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(format!(
            "{logical}: `{path}` is not a relative artifact path"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(path: &str, format: u32) -> String {
        format!(
            r#"{{"format": {format}, "build_id": "abc", "url_prefix": "/assets/", "assets": {{
                "a.css": {{"url": "/assets/{path}", "path": "{path}", "size": 1, "sha256": "00",
                "integrity": "sha384-x", "content_type": "text/css", "encodings": {{}} }} }} }}"#
        )
    }

    #[test]
    fn parses_a_format_1_manifest() {
        let parsed = ManifestJson::parse(manifest("a.1234.css", 1).as_bytes()).unwrap();
        assert_eq!(parsed.keys().collect::<Vec<_>>(), ["a.1234.css"]);
    }

    #[test]
    fn refuses_an_unknown_format() {
        let error = ManifestJson::parse(manifest("a.1234.css", 2).as_bytes()).unwrap_err();
        assert!(error.contains("format 2 is not supported"), "{error}");
    }

    #[test]
    fn refuses_a_path_that_leaves_the_prefix() {
        let error = ManifestJson::parse(manifest("../a.css", 1).as_bytes()).unwrap_err();
        assert!(error.contains("not a relative artifact path"), "{error}");
    }

    #[test]
    fn build_ids_are_key_safe() {
        assert!(is_build_id("a9b861545db20e64"));
        assert!(!is_build_id("../x"));
        assert!(!is_build_id(""));
    }
}
