//! Deltas between releases (RFC 9842): each text asset that changed since one of the newest
//! earlier releases gets, per earlier version and per configured coding, a body compressed
//! with the old bytes as a raw dictionary (`dcz`: zstd, `dcb`: brotli), behind the contract's
//! frame header. A returning visitor whose browser kept the old version downloads that instead
//! of the asset.

use assetlock_contract::dictionary::{self, DeltaCoding};
use rayon::prelude::*;

use crate::cache::stages::Stages;
use crate::compress::delta;
use crate::discover::previous::{Previous, Version};
use crate::error::Diagnostic;
use crate::hash;
use crate::name::built::{Built, BuiltDelta};
use crate::settings::Settings;

/// Adds to every asset that has precompressed variants (compressible text; source maps aside)
/// a delta in each configured coding against each earlier version of it that differs, in
/// parallel, largest asset first; each earlier version is read and checked once. A delta is
/// kept only when it is smaller than the asset's smallest variant. An earlier version whose
/// file is missing or differs from its record is an error naming the file.
pub(crate) fn add_deltas(
    settings: &Settings,
    stages: &Stages,
    previous: &Previous,
    assets: &mut [Built],
) -> Vec<Diagnostic> {
    let mut tasks: Vec<(usize, &Version)> = assets
        .iter()
        .enumerate()
        .filter(|(_, a)| a.source.is_none() && !a.variants.is_empty())
        // Public files keep their URL; developer tools alone fetch source maps.
        .filter(|(_, a)| !settings.public.is_match(&a.logical) && !a.logical.ends_with(".map"))
        .flat_map(|(i, a)| {
            let sha = a.sha256_hex();
            previous
                .versions
                .get(&a.logical)
                .into_iter()
                .flatten()
                .filter(move |v| v.sha256 != sha)
                .map(move |v| (i, v))
        })
        .collect();
    tasks.sort_by_key(|&(i, _)| std::cmp::Reverse(assets[i].bytes.len()));
    let shared: &[Built] = assets;
    let codings = &settings.delta_codings;
    let results: Vec<_> = tasks
        .par_iter()
        .with_max_len(1)
        .map(|&(i, version)| (i, make(stages, &shared[i], version, codings)))
        .collect();
    let mut problems = Vec::new();
    for (i, result) in results {
        let asset = &mut assets[i];
        match result {
            Ok(deltas) => {
                let smallest = asset.variants.iter().map(|v| v.bytes.len()).min();
                let worth = |d: &BuiltDelta| smallest.is_none_or(|s| d.bytes.len() < s);
                asset.deltas.extend(deltas.into_iter().filter(worth));
            }
            Err(problem) => problems.push(problem),
        }
    }
    for asset in assets.iter_mut() {
        asset.deltas.sort_by_key(|d| (d.dictionary, d.coding));
    }
    problems
}

/// The deltas of one asset against one earlier version, in each of `codings` that can reach
/// the whole version; the version is read and checked against its record first.
fn make(
    stages: &Stages,
    asset: &Built,
    version: &Version,
    codings: &[DeltaCoding],
) -> Result<Vec<BuiltDelta>, Diagnostic> {
    let display = version.path.display().to_string();
    let old = std::fs::read(&version.path).map_err(|e| {
        Diagnostic::new(&display, "cannot read an earlier release's object").caused_by(e)
    })?;
    let old_sha256 = hash::sha256(&old);
    if old.len() as u64 != version.size || hash::hex(&old_sha256) != version.sha256 {
        return Err(Diagnostic::new(
            &display,
            format!(
                "is not the object its release record describes (expected {} bytes with \
                 sha256 {}, found {} bytes with sha256 {}); no delta is made against it",
                version.size,
                version.sha256,
                old.len(),
                hash::hex(&old_sha256)
            ),
        ));
    }
    let fitting = codings
        .iter()
        .filter(|&&c| delta::fits(c, old.len(), asset.bytes.len()));
    fitting
        .map(|&coding| {
            let bytes = stages
                .delta(coding, (&asset.bytes, asset.sha256), (&old, old_sha256))
                .map_err(|e| {
                    Diagnostic::new(&asset.logical, format!("{coding} delta failed")).caused_by(e)
                })?;
            Ok(BuiltDelta {
                coding,
                hashed_path: dictionary::delta_path(&asset.hashed_path, &version.sha256, coding),
                sha256: hash::sha256(&bytes),
                dictionary: old_sha256,
                bytes,
            })
        })
        .collect()
}
