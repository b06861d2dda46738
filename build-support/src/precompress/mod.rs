//! Precompression: the variants of every asset and its deltas against earlier releases,
//! scheduled on the thread pool, computed through the cache, kept when worth serving.
//!
//! - this module: the gzip, zstd and brotli variants.
//! - [`deltas`]: the `dcz` and `dcb` deltas against the earlier releases discovery found.

pub(crate) mod deltas;

use rayon::prelude::*;

use crate::cache::stages::Stages;
use crate::compress;
use crate::error::Diagnostic;
use crate::hash;
use crate::name::built::{Built, BuiltVariant};
use crate::settings::Settings;

/// Makes the variants of every compressible asset, in parallel, largest first.
pub(crate) fn add_variants(
    settings: &Settings,
    stages: &Stages,
    assets: &mut [Built],
) -> Vec<Diagnostic> {
    let mut tasks: Vec<(usize, compress::Compression, u32)> = assets
        .iter()
        .enumerate()
        // Streamed files are never compressed (see `discover::stream::eligible`).
        .filter(|(_, a)| a.source.is_none())
        .flat_map(|(i, a)| {
            settings
                .precompress
                .iter()
                .filter(move |(c, _)| {
                    compress::attempted(*c, &a.logical, a.content_type, a.bytes.len())
                })
                .map(move |&(c, level)| (i, c, level))
        })
        .collect();
    tasks.sort_by_key(|&(i, c, _)| (std::cmp::Reverse(assets[i].bytes.len()), i, c));
    let shared: &[Built] = assets;
    // One task at a time (see transform_all): with rayon's default splitting, two threads
    // compressed brotli-11 only 1.1x faster than one; with single tasks, 2x.
    let results: Vec<_> = tasks
        .par_iter()
        .with_max_len(1)
        .map(|&(i, c, level)| {
            let asset = &shared[i];
            (i, c, stages.compress(c, level, &asset.bytes, asset.sha256))
        })
        .collect();
    let mut problems = Vec::new();
    for (i, coding, result) in results {
        let asset = &mut assets[i];
        match result {
            Ok(bytes) if compress::worth_keeping(bytes.len(), asset.bytes.len()) => {
                asset.variants.push(BuiltVariant {
                    compression: coding,
                    hashed_path: format!("{}{}", asset.hashed_path, coding.extension()),
                    sha256: hash::sha256(&bytes),
                    bytes,
                });
            }
            Ok(_) => {}
            Err(e) => problems.push(
                Diagnostic::new(
                    &asset.logical,
                    format!("{} compression failed", coding.token()),
                )
                .caused_by(e),
            ),
        }
    }
    for asset in assets.iter_mut() {
        asset.variants.sort_by_key(|v| v.compression);
    }
    problems
}
