//! The `manifest.json` schema: written by the build, read by the macros and the uploader, and
//! stored (with its upload time) as a build's release record.
//!
//! ```
//! use assetlock_contract::manifest::{AssetJson, ManifestJson, FORMAT};
//!
//! let text = r#"{"format": 1, "build_id": "b1", "url_prefix": "/assets/", "assets": {
//!     "a.css": {"url": "/assets/a.1.css", "path": "a.1.css", "size": 1, "sha256": "00",
//!               "integrity": "sha384-x", "content_type": "text/css",
//!               "encodings": {"br": {"path": "a.1.css.br", "size": 1, "sha256": "00"}}}}}"#;
//! let manifest = ManifestJson::parse(text.as_bytes()).unwrap();
//! assert_eq!(manifest.format, FORMAT);
//! assert_eq!(manifest.keys().collect::<Vec<_>>(), ["a.1.css", "a.1.css.br"]);
//! assert_eq!(ManifestJson::parse(manifest.render().as_bytes()).unwrap(), manifest);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Encoding;
use crate::dictionary::DeltaCoding;

/// The schema version: the only `format` written and read.
pub const FORMAT: u32 = 1;

/// A build's assets: `manifest.json`, or a release record when `uploaded_at` is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestJson {
    /// The schema version, [`FORMAT`].
    pub format: u32,
    /// The build's identity, a hash of everything below it.
    pub build_id: String,
    /// The prefix of every asset URL (`/assets/` or `https://cdn.example.com/assets/`).
    pub url_prefix: String,
    /// RFC 3339 time of the upload; only in release records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_at: Option<String>,
    /// A live dev build: URLs are logical paths and the bytes come from the source tree, so
    /// nothing in it is content-addressed and nothing may be uploaded. Absent when `false`.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub live: bool,
    /// The deploy keys (`ed25519:...`) whose signed release records the build's server
    /// trusts; absent when it trusts the bucket (see [`crate::signature`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_release_keys: Vec<String>,
    /// One entry per logical path, sorted.
    pub assets: BTreeMap<String, AssetJson>,
}

/// One asset of a build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetJson {
    /// The URL pages use: the URL prefix and the percent-encoded hashed path.
    pub url: String,
    /// The hashed path, relative to the artifact dir and to the destination prefix.
    pub path: String,
    /// Size in bytes of the identity bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the identity bytes.
    pub sha256: String,
    /// The Subresource Integrity value, `sha256-<base64>` (or `sha384-`, `sha512-`, as the
    /// build chose).
    pub integrity: String,
    /// The `Content-Type` header value.
    pub content_type: String,
    /// The precompressed variants, keyed by their `Content-Encoding` token.
    #[serde(default)]
    pub encodings: BTreeMap<String, VariantJson>,
    /// Deltas against earlier releases' versions of this asset (RFC 9842), sorted by
    /// dictionary; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deltas: Vec<DeltaJson>,
    /// An image's size and variants; absent for other assets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageJson>,
}

/// What the build knows of an image: its intrinsic size, and for an image named by
/// `assetlock_build::Config::images`, its variants and placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageJson {
    /// Width in CSS pixels, as a browser shows it (EXIF orientation applied).
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
    /// The logical paths of the resized and re-encoded copies, each an asset of the same
    /// manifest with its own `image` entry ([`crate::image::variant_logical`]), sorted by
    /// format then width.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// A tiny blurred preview, a `data:` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

/// A delta of an asset against an earlier release's version of it: what a returning visitor
/// who has that version downloads instead (see [`crate::dictionary`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaJson {
    /// The `Content-Encoding` token, `dcz`.
    pub encoding: String,
    /// Lower-case hex SHA-256 of the dictionary: the earlier version's identity bytes.
    pub dictionary: String,
    /// The delta file, [`crate::dictionary::delta_path`].
    pub path: String,
    /// Size in bytes of the delta body, header included.
    pub size: u64,
    /// Lower-case hex SHA-256 of the delta body.
    pub sha256: String,
}

/// A precompressed variant of an asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantJson {
    /// The variant file: the asset's hashed path and the coding's extension.
    pub path: String,
    /// Size in bytes of the encoded bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the encoded bytes.
    pub sha256: String,
}

impl ManifestJson {
    /// Parses and checks a manifest or release record: the format is [`FORMAT`], the build id
    /// is safe in an object key, every path stays inside the prefix and every coding is known.
    ///
    /// # Errors
    ///
    /// A message saying what is wrong.
    pub fn parse(text: &[u8]) -> Result<ManifestJson, String> {
        let manifest: ManifestJson = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        manifest.check()?;
        Ok(manifest)
    }

    /// Checks a manifest made otherwise than by [`ManifestJson::parse`] (the uploader makes one
    /// from the manifest compiled into its binary) by the same rules.
    ///
    /// # Errors
    ///
    /// A message saying what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "manifest format {} is not supported (this version reads format {FORMAT})",
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
            for delta in &asset.deltas {
                if DeltaCoding::from_token(&delta.encoding).is_none() {
                    return Err(format!(
                        "{logical}: unknown delta coding `{}`",
                        delta.encoding
                    ));
                }
                if delta.dictionary.len() != 64
                    || !delta.dictionary.bytes().all(|b| b.is_ascii_hexdigit())
                {
                    return Err(format!(
                        "{logical}: delta dictionary `{}` is not a SHA-256",
                        delta.dictionary
                    ));
                }
                check_path(logical, &delta.path)?;
            }
            let variants = asset.image.iter().flat_map(|image| &image.variants);
            if let Some(missing) = variants.into_iter().find(|v| !self.assets.contains_key(*v)) {
                return Err(format!(
                    "{logical}: image variant `{}` is not an asset of the manifest",
                    missing.escape_debug()
                ));
            }
        }
        Ok(())
    }

    /// Every object key of the build, identity files, variants and deltas, relative to the
    /// prefix.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.assets.values().flat_map(|asset| {
            std::iter::once(asset.path.as_str())
                .chain(asset.encodings.values().map(|v| v.path.as_str()))
                .chain(asset.deltas.iter().map(|d| d.path.as_str()))
        })
    }

    /// Pretty JSON with sorted keys and a final newline: equal builds give equal bytes.
    pub fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("JSON of strings and numbers");
        text.push('\n');
        text
    }
}

impl AssetJson {
    /// The variants with their codings, least preferred first; unknown tokens are skipped
    /// (a parsed manifest has none).
    pub fn variants(&self) -> impl Iterator<Item = (Encoding, &VariantJson)> {
        let mut variants: Vec<_> = self
            .encodings
            .iter()
            .filter_map(|(token, v)| Some((Encoding::from_token(token)?, v)))
            .collect();
        variants.sort_by_key(|&(e, _)| e);
        variants.into_iter()
    }

    /// The first listed delta against the dictionary whose SHA-256 is `dictionary`
    /// (lower-case hex), in a known coding.
    pub fn delta(&self, dictionary: &str) -> Option<(DeltaCoding, &DeltaJson)> {
        self.deltas.iter().find_map(|d| {
            let coding = DeltaCoding::from_token(&d.encoding)?;
            (d.dictionary == dictionary).then_some((coding, d))
        })
    }
}

/// Whether `id` is safe to put in an object key.
pub fn is_build_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A hashed path must stay inside the prefix and be one key everywhere: the contract's rule,
/// [`crate::layout::check_artifact_path`], which the build applies to every logical path.
fn check_path(logical: &str, path: &str) -> Result<(), String> {
    crate::layout::check_artifact_path(path).map_err(|rule| {
        // Escaped: a record read from a bucket must not write a line of its own into a log.
        let path = path.escape_debug();
        format!("{logical}: `{path}` is not a relative artifact path: it {rule}")
    })
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
    fn refuses_a_path_that_leaves_the_prefix_or_names_the_records() {
        for path in ["../a.css", "/a.css", ".assetlock/releases/x.json"] {
            let error = ManifestJson::parse(manifest(path, 1).as_bytes()).unwrap_err();
            assert!(error.contains("not a relative artifact path"), "{error}");
        }
    }

    #[test]
    fn a_refused_path_is_named_escaped_with_the_rule_it_breaks() {
        let text =
            manifest("a.1234.css", 1).replace(r#""path": "a.1234.css""#, r#""path": "a\n.css""#);
        let error = ManifestJson::parse(text.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            r"a.css: `a\n.css` is not a relative artifact path: it contains a control character"
        );
    }

    #[test]
    fn deltas_are_keys_and_are_checked() {
        let sha = "a".repeat(64);
        let text = format!(
            r#"{{"format": 1, "build_id": "b", "url_prefix": "/", "assets": {{"a": {{
            "url": "/a.1", "path": "a.1", "size": 9, "sha256": "00", "integrity": "x",
            "content_type": "text/plain", "deltas": [
              {{"encoding": "dcz", "dictionary": "{sha}", "path": "a.1.aaaa.dcz", "size": 1,
                "sha256": "01"}}]}}}}}}"#
        );
        let manifest = ManifestJson::parse(text.as_bytes()).unwrap();
        assert_eq!(manifest.keys().collect::<Vec<_>>(), ["a.1", "a.1.aaaa.dcz"]);
        assert!(manifest.assets["a"].delta(&sha).is_some());
        assert!(manifest.assets["a"].delta(&"b".repeat(64)).is_none());
        for (from, to) in [
            ("dcz", "zz"),
            (sha.as_str(), "abc"),
            ("a.1.aaaa.dcz", "../x"),
        ] {
            let error = ManifestJson::parse(text.replacen(from, to, 1).as_bytes()).unwrap_err();
            assert!(error.starts_with("a: "), "{error}");
        }
    }

    #[test]
    fn image_variants_are_assets_of_the_manifest() {
        let asset = |path: &str, image: &str| {
            format!(
                r#""url": "/{path}", "path": "{path}", "size": 9, "sha256": "00",
                "integrity": "x", "content_type": "image/png", "image": {image}"#
            )
        };
        let text = format!(
            r#"{{"format": 1, "build_id": "b", "url_prefix": "/", "assets": {{
            "a.png": {{{}}}, "a.png@8w.avif": {{{}}}}}}}"#,
            asset(
                "a.1.png",
                r#"{"width": 16, "height": 9, "variants": ["a.png@8w.avif"]}"#
            ),
            asset("a.png@8w.2.avif", r#"{"width": 8, "height": 5}"#),
        );
        let manifest = ManifestJson::parse(text.as_bytes()).unwrap();
        let image = manifest.assets["a.png"].image.as_ref().unwrap();
        assert_eq!((image.width, image.height), (16, 9));
        let error = ManifestJson::parse(text.replace("@8w.avif\"]", "@9w.avif\"]").as_bytes());
        assert_eq!(
            error.unwrap_err(),
            "a.png: image variant `a.png@9w.avif` is not an asset of the manifest"
        );
    }

    #[test]
    fn build_ids_are_key_safe() {
        assert!(is_build_id("a9b861545db20e64"));
        assert!(!is_build_id("../x"));
        assert!(!is_build_id(""));
    }

    #[test]
    fn variants_come_in_preference_order() {
        let text = r#"{"format": 1, "build_id": "b", "url_prefix": "/", "assets": {"a": {
            "url": "/a.1", "path": "a.1", "size": 9, "sha256": "00", "integrity": "x",
            "content_type": "text/plain", "encodings": {
              "zstd": {"path": "a.1.zst", "size": 1, "sha256": "01"},
              "br": {"path": "a.1.br", "size": 1, "sha256": "02"},
              "gzip": {"path": "a.1.gz", "size": 1, "sha256": "03"}}}}}"#;
        let manifest = ManifestJson::parse(text.as_bytes()).unwrap();
        let codings: Vec<_> = manifest.assets["a"].variants().map(|(e, _)| e).collect();
        assert_eq!(codings, Encoding::VARIANTS);
    }
}
