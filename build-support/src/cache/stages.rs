//! The pipeline's cached stages: transforms and compression through the persistent cache.

use std::sync::atomic::{AtomicUsize, Ordering};

use assetlock_contract::dictionary::DeltaCoding;
use serde::{Deserialize, Serialize};

use crate::cache::key;
use crate::cache::store::Cache;
use crate::compress::{Compression, delta, variant};
use crate::discover::Kind;
use crate::error::{Diagnostic, StoredDiagnostic};
use crate::hash;
use crate::reference::Ref;
use crate::transform::{self, Input, Transformed};

/// The cache and how much work it saved or did.
pub(crate) struct Stages {
    pub cache: Cache,
    pub transformed: AtomicUsize,
    pub compressed: AtomicUsize,
    /// Input bytes of transforms and compressions actually computed.
    pub heavy_bytes: AtomicUsize,
}

impl Stages {
    pub fn new(cache: Cache) -> Stages {
        Stages {
            cache,
            transformed: AtomicUsize::new(0),
            compressed: AtomicUsize::new(0),
            heavy_bytes: AtomicUsize::new(0),
        }
    }

    /// [`transform::transform`], from the cache when the file, its options and every other
    /// file it read are unchanged. Failures are not cached.
    pub fn transform(&self, input: &Input, bytes: &[u8]) -> Result<Transformed, Diagnostic> {
        self.transform_hashed(input, bytes, hash::sha256(bytes))
            .map(|out| out.filled(bytes))
    }

    /// [`Stages::transform`] for bytes whose SHA-256 the caller has already. A file kept as
    /// written that comes out as read is returned without its bytes, marked `as_read`
    /// ([`transform::transform_kept`]): the caller holds them.
    pub fn transform_hashed(
        &self,
        input: &Input,
        bytes: &[u8],
        sha256: [u8; 32],
    ) -> Result<Transformed, Diagnostic> {
        let kind = Kind::of(input.logical);
        if kind == Kind::Other {
            return transform::transform(input, bytes);
        }
        // A scan of a file kept as written is as cheap as reading its result back, and
        // storing it would write the tree a second time. A Tailwind entry's output depends on
        // every file its CLI scans, which no key covers.
        if input.options.as_written(kind) || input.options.tailwind_entry(input.logical).is_some() {
            self.transformed.fetch_add(1, Ordering::Relaxed);
            return transform::transform_kept(input, bytes);
        }
        let key = key::transform(input, sha256);
        let mut computed = None;
        let stored = self.cache.get_or_compute(key, || {
            let out = transform::transform(input, bytes)?;
            self.transformed.fetch_add(1, Ordering::Relaxed);
            self.heavy_bytes.fetch_add(bytes.len(), Ordering::Relaxed);
            let encoded = encode(&out);
            computed = Some(out);
            Ok::<_, Diagnostic>(encoded)
        })?;
        if let Some(out) = computed {
            return Ok(out);
        }
        match decode(&stored) {
            Some(out) if reads_unchanged(input, &out) => Ok(out),
            // Stale (an input map changed) or unreadable: compute afresh.
            _ => {
                self.transformed.fetch_add(1, Ordering::Relaxed);
                transform::transform(input, bytes)
            }
        }
    }

    /// Compresses `bytes` (whose SHA-256 is `sha256`), from the cache when possible.
    pub fn compress(
        &self,
        coding: Compression,
        level: u32,
        bytes: &[u8],
        sha256: [u8; 32],
    ) -> std::io::Result<Vec<u8>> {
        let key = key::compress(coding, level, sha256);
        self.cache.get_or_compute(key, || {
            self.compressed.fetch_add(1, Ordering::Relaxed);
            self.heavy_bytes.fetch_add(bytes.len(), Ordering::Relaxed);
            variant::encode(coding, bytes, level)
        })
    }
}

impl Stages {
    /// The `coding` delta of `target` against `dictionary` (with their SHA-256), from the
    /// cache when possible.
    pub fn delta(
        &self,
        coding: DeltaCoding,
        (target, target_sha256): (&[u8], [u8; 32]),
        (dictionary, dictionary_sha256): (&[u8], [u8; 32]),
    ) -> std::io::Result<Vec<u8>> {
        let key = key::delta(coding, target_sha256, dictionary_sha256);
        self.cache.get_or_compute(key, || {
            self.compressed.fetch_add(1, Ordering::Relaxed);
            self.heavy_bytes.fetch_add(target.len(), Ordering::Relaxed);
            delta::encode(coding, target, (dictionary, &dictionary_sha256))
        })
    }
}

/// Whether every file the transform read is as it read it: an asset, or a file outside the
/// assets named by its absolute path (a Sass load path).
fn reads_unchanged(input: &Input, out: &Transformed) -> bool {
    out.reads.iter().all(|(path, sha)| {
        let now = match std::path::Path::new(path).is_absolute() {
            true => std::fs::read(path).ok().map(|bytes| hash::sha256(&bytes)),
            false => input.files.get(path).as_deref().map(hash::sha256),
        };
        now == *sha
    })
}

/// A transform result as stored: a JSON header line, then the output bytes.
#[derive(Serialize, Deserialize)]
struct Stored {
    refs: Vec<Ref>,
    map: Option<String>,
    warnings: Vec<StoredDiagnostic>,
    reads: Vec<(String, Option<[u8; 32]>)>,
}

fn encode(out: &Transformed) -> Vec<u8> {
    let stored = Stored {
        refs: out.refs.clone(),
        map: out.map.clone(),
        warnings: out.warnings.iter().map(Diagnostic::to_stored).collect(),
        reads: out.reads.clone(),
    };
    let mut bytes = serde_json::to_vec(&stored).unwrap_or_default();
    bytes.push(b'\n');
    bytes.extend_from_slice(&out.bytes);
    bytes
}

fn decode(bytes: &[u8]) -> Option<Transformed> {
    let split = bytes.iter().position(|&b| b == b'\n')?;
    let stored: Stored = serde_json::from_slice(&bytes[..split]).ok()?;
    Some(Transformed {
        bytes: bytes[split + 1..].to_vec(),
        refs: stored.refs,
        map: stored.map,
        warnings: stored
            .warnings
            .into_iter()
            .map(Diagnostic::from_stored)
            .collect(),
        reads: stored.reads,
        as_read: false,
    })
}
