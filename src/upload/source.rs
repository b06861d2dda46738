//! Where the build's assets come from: the binary's own `MANIFEST`, or a `manifest.json` and
//! its artifact dir.

use std::path::{Path, PathBuf};

use assetlock_contract::layout;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::Error;
use super::manifest_json::{self, ManifestJson};
use assetlock_contract::dictionary::DeltaCoding;

use crate::{Asset, Delta, Encoding, Manifest, Variant};

/// The build to upload, verify or prune against: the binary's own assets, or the output of
/// a build on disk.
///
/// ```ignore
/// assetlock::include_manifest!();
/// let source = assetlock::upload::Source::from(&MANIFEST);
/// ```
///
/// ```no_run
/// use assetlock::upload::Source;
///
/// let source = Source::from_manifest_json("out/assetlock/manifest.json", "out/assetlock/dist")?;
/// println!("build {}", source.build_id());
/// # Ok::<(), assetlock::upload::Error>(())
/// ```
#[derive(Debug)]
pub struct Source {
    manifest: ManifestJson,
    files: Files,
}

#[derive(Debug)]
enum Files {
    /// The bytes come from the compiled-in manifest.
    Static(&'static Manifest),
    /// The bytes come from the artifact dir next to `manifest.json`.
    Dist(PathBuf),
}

/// One object to store: an identity file or a variant.
#[derive(Clone, Debug)]
pub(crate) struct Object {
    /// The hashed path: the key relative to the destination prefix.
    pub(crate) key: String,
    pub(crate) size: u64,
    pub(crate) sha256: String,
    /// The original's Content-Type, also for variants and deltas.
    pub(crate) content_type: String,
    /// The `Content-Encoding` token of variants and deltas; `None` for identity files.
    pub(crate) content_encoding: Option<&'static str>,
    body: Body,
}

#[derive(Clone, Debug)]
enum Body {
    Asset(&'static Asset),
    Variant(&'static Variant),
    Delta(&'static Delta),
    File(PathBuf),
}

impl Source {
    /// The assets compiled into this binary, without its public files.
    pub fn from_manifest(manifest: &'static Manifest) -> Source {
        Source {
            manifest: manifest_json::from_manifest(manifest),
            files: Files::Static(manifest),
        }
    }

    /// The assets a build wrote: its `manifest.json` and its artifact dir (`dist/`), as
    /// `assetlock_build::Output::{manifest_path, dist_dir}` give them; public files left out.
    ///
    /// # Errors
    ///
    /// The manifest cannot be read, is not JSON, is not format 1, or names a path outside the
    /// artifact dir. Artifact files are read (and checked against their SHA-256) only when
    /// uploaded.
    pub fn from_manifest_json(
        manifest_path: impl AsRef<Path>,
        dist_dir: impl Into<PathBuf>,
    ) -> Result<Source, Error> {
        let path = manifest_path.as_ref();
        let text = std::fs::read(path).map_err(|e| Error::manifest(path, e))?;
        let mut manifest = ManifestJson::parse(&text).map_err(|e| Error::manifest(path, e))?;
        // Public files keep their name as their URL stays; the bucket holds only
        // content-addressed, create-only keys, so they are never uploaded or recorded.
        manifest
            .assets
            .retain(|logical, asset| !layout::is_public(logical, &asset.path));
        Ok(Source {
            manifest,
            files: Files::Dist(dist_dir.into()),
        })
    }

    /// A build on disk whose manifest was made in memory, as a compiled-in one is: unchecked.
    #[cfg(test)]
    pub(crate) fn unchecked(manifest: ManifestJson, dist_dir: PathBuf) -> Source {
        Source {
            manifest,
            files: Files::Dist(dist_dir),
        }
    }

    /// The build's id; its release record is `.assetlock/releases/<build id>.json`.
    pub fn build_id(&self) -> &str {
        &self.manifest.build_id
    }

    pub(crate) fn manifest(&self) -> &ManifestJson {
        &self.manifest
    }

    /// The warning for source maps left out of a run: the assets' comments point at them.
    pub(crate) fn maps_left_out(&self, include_maps: bool) -> Option<String> {
        let maps = self.manifest.assets.keys().filter(|l| is_map(l)).count();
        (!include_maps && maps > 0).then(|| {
            format!(
                "{maps} source maps left out (--no-maps): the sourceMappingURL comments of the \
                 assets point at them, so developer tools get 404s; build with \
                 Config::source_maps(false) to drop maps and comments"
            )
        })
    }

    /// The objects to store, sorted by key; source maps only with `include_maps`.
    pub(crate) fn objects(&self, include_maps: bool) -> Vec<Object> {
        let mut objects = match self.files {
            Files::Static(manifest) => static_objects(manifest, include_maps),
            Files::Dist(ref dir) => self.dist_objects(dir, include_maps),
        };
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        objects
    }

    fn dist_objects(&self, dir: &Path, include_maps: bool) -> Vec<Object> {
        let mut objects = Vec::new();
        for (logical, asset) in &self.manifest.assets {
            if !include_maps && is_map(logical) {
                continue;
            }
            let variants = asset.encodings.iter().filter_map(|(token, v)| {
                let coding = Encoding::from_token(token)?.as_str();
                Some((Some(coding), &v.path, v.size, &v.sha256))
            });
            let deltas = asset.deltas.iter().filter_map(|d| {
                let coding = DeltaCoding::from_token(&d.encoding)?.as_str();
                Some((Some(coding), &d.path, d.size, &d.sha256))
            });
            let identity = (None, &asset.path, asset.size, &asset.sha256);
            let files = std::iter::once(identity).chain(variants).chain(deltas);
            for (content_encoding, key, size, sha256) in files {
                objects.push(Object {
                    key: key.clone(),
                    size,
                    sha256: sha256.clone(),
                    content_type: asset.content_type.clone(),
                    content_encoding,
                    body: Body::File(dir.join(key)),
                });
            }
        }
        objects
    }
}

impl From<&'static Manifest> for Source {
    fn from(manifest: &'static Manifest) -> Source {
        Source::from_manifest(manifest)
    }
}

fn static_objects(manifest: &'static Manifest, include_maps: bool) -> Vec<Object> {
    let mut objects = Vec::new();
    for asset in manifest.iter().filter(|a| !a.is_public()) {
        if !include_maps && is_map(asset.logical_path()) {
            continue;
        }
        objects.push(Object {
            key: asset.hashed_path().to_owned(),
            size: asset.size(),
            sha256: asset.sha256().to_owned(),
            content_type: asset.content_type().to_owned(),
            content_encoding: None,
            body: Body::Asset(asset),
        });
        for variant in asset.variants() {
            objects.push(Object {
                key: variant.hashed_path().to_owned(),
                size: variant.size(),
                sha256: variant.sha256().to_owned(),
                content_type: asset.content_type().to_owned(),
                content_encoding: Some(variant.encoding().as_str()),
                body: Body::Variant(variant),
            });
        }
        for delta in asset.deltas() {
            objects.push(Object {
                key: delta.hashed_path().to_owned(),
                size: delta.size(),
                sha256: delta.sha256().to_owned(),
                content_type: asset.content_type().to_owned(),
                content_encoding: Some(delta.coding().as_str()),
                body: Body::Delta(delta),
            });
        }
    }
    objects
}

/// Source maps are assets whose logical path ends in `.map`.
fn is_map(logical: &str) -> bool {
    logical.ends_with(".map")
}

impl Object {
    /// The bytes to store, checked against the manifest's size and SHA-256: a wrong byte
    /// under an immutable key could never be fixed.
    pub(crate) async fn load(&self) -> Result<Bytes, String> {
        let bytes = match &self.body {
            Body::Asset(asset) => Bytes::from_static(asset.bytes().map_err(|e| e.to_string())?),
            Body::Variant(variant) => {
                Bytes::from_static(variant.bytes().map_err(|e| e.to_string())?)
            }
            Body::Delta(delta) => Bytes::from_static(delta.bytes().map_err(|e| e.to_string())?),
            Body::File(path) => {
                let bytes = tokio::fs::read(path)
                    .await
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                self.check(path, &bytes)?;
                Bytes::from(bytes)
            }
        };
        Ok(bytes)
    }

    fn check(&self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        let sha256 = crate::dist::hex(&Sha256::digest(bytes));
        if bytes.len() as u64 != self.size || sha256 != self.sha256 {
            return Err(format!(
                "{} is not the file manifest.json describes (expected {} bytes with sha256 {}, \
                 found {} bytes with sha256 {sha256}); refusing to upload it",
                path.display(),
                self.size,
                self.sha256,
                bytes.len()
            ));
        }
        Ok(())
    }
}
