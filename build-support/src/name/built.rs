//! The result of the pipeline for one asset: final bytes, names and precompressed variants.

use crate::compress::Compression;
use crate::hash;

/// An asset ready to be written: what manifest.json and the generated code describe.
#[derive(Debug)]
pub(crate) struct Built {
    pub logical: String,
    pub hashed_path: String,
    pub url: String,
    /// The identity bytes; empty when they stay in `source`.
    pub bytes: Vec<u8>,
    /// A file of the streaming lane ([`crate::discover::stream`]): the identity bytes are this
    /// file's, never read into memory.
    pub source: Option<std::path::PathBuf>,
    /// Size in bytes of the identity bytes.
    pub size: u64,
    pub sha256: [u8; 32],
    pub integrity: String,
    pub content_type: &'static str,
    /// Kept variants, least preferred coding first.
    pub variants: Vec<BuiltVariant>,
    /// Deltas against earlier releases' versions, sorted by dictionary.
    pub deltas: Vec<BuiltDelta>,
    /// Logical paths of the JS modules this one imports statically.
    pub imports: Vec<String>,
    /// An image's size, variants and placeholder ([`crate::images`]).
    pub image: Option<crate::images::ImageMeta>,
}

/// The bytes of one artifact file: in memory, or a source file of the streaming lane with its
/// size.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Content<'a> {
    Bytes(&'a [u8]),
    File(&'a std::path::Path, u64),
}

impl Content<'_> {
    /// How many bytes the file holds.
    pub fn len(self) -> u64 {
        match self {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::File(_, size) => size,
        }
    }
}

/// A precompressed copy of a [`Built`] asset.
#[derive(Debug)]
pub(crate) struct BuiltVariant {
    pub compression: Compression,
    pub hashed_path: String,
    pub bytes: Vec<u8>,
    pub sha256: [u8; 32],
}

/// A delta of a [`Built`] asset against an earlier release's version, made by the precompress
/// stage (`precompress/deltas.rs`).
#[derive(Debug)]
pub(crate) struct BuiltDelta {
    pub coding: assetlock_contract::dictionary::DeltaCoding,
    /// SHA-256 of the dictionary: the earlier version's bytes.
    pub dictionary: [u8; 32],
    pub hashed_path: String,
    /// The body, frame header included.
    pub bytes: Vec<u8>,
    pub sha256: [u8; 32],
}

impl Built {
    pub fn sha256_hex(&self) -> String {
        hash::hex(&self.sha256)
    }

    /// Every file this asset puts in the artifact dir: `(hashed path, content)`.
    pub fn files(&self) -> impl Iterator<Item = (&str, Content<'_>)> {
        let identity = match &self.source {
            Some(path) => Content::File(path, self.size),
            None => Content::Bytes(&self.bytes),
        };
        let variants = self
            .variants
            .iter()
            .map(|v| (v.hashed_path.as_str(), Content::Bytes(&v.bytes)));
        let deltas = self
            .deltas
            .iter()
            .map(|d| (d.hashed_path.as_str(), Content::Bytes(&d.bytes)));
        std::iter::once((self.hashed_path.as_str(), identity))
            .chain(variants)
            .chain(deltas)
    }
}

/// The build's identity: a hash of the URL prefix and every asset's names and content.
pub(crate) fn build_id(url_prefix: &str, assets: &[Built]) -> String {
    let mut hasher = hash::FieldHasher::default();
    hasher.field(url_prefix);
    for asset in assets {
        hasher
            .field(&asset.logical)
            .field(&asset.hashed_path)
            .field(asset.sha256)
            .field(asset.content_type);
        for v in &asset.variants {
            hasher.field(v.compression.token()).field(v.sha256);
        }
        for d in &asset.deltas {
            hasher
                .field(d.coding.as_str())
                .field(d.dictionary)
                .field(d.sha256);
        }
    }
    hash::hex(&hasher.finish()[..8])
}
