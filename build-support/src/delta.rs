//! Deltas between releases (RFC 9842): each text asset that changed since one of the newest
//! earlier releases gets a `dcz` body per earlier version, the zstd compression of its new
//! bytes with the old bytes as a raw dictionary, behind the contract's frame header. A
//! returning visitor whose browser kept the old version downloads that instead of the asset.

mod previous;

use assetlock_contract::dictionary::{self, DeltaCoding};
use rayon::prelude::*;

use crate::built::{Built, BuiltDelta};
use crate::cache::stages::Stages;
use crate::error::Diagnostic;
use crate::hash;
use crate::settings::Settings;

pub(crate) use previous::{Previous, Version, read, record_names};

/// The zstd level of deltas: the bodies are small and made once per release pair.
pub(crate) const LEVEL: u32 = 19;

/// The largest window browsers must accept for `dcz` (RFC 9842 §5.2: 8 MiB, or more for
/// larger dictionaries); deltas never ask for more.
const MAX_WINDOW_LOG: u32 = 23;

/// The `dcz` body of `target` with `dictionary` (and its SHA-256) as raw content dictionary.
pub(crate) fn encode(
    level: u32,
    target: &[u8],
    (dictionary, dictionary_sha256): (&[u8], &[u8; 32]),
) -> std::io::Result<Vec<u8>> {
    use zstd::zstd_safe::{CCtx, CParameter};
    let failed = |code| std::io::Error::other(zstd::zstd_safe::get_error_name(code));
    let span = (dictionary.len() + target.len()).max(1) as u64;
    let window_log = (u64::BITS - (span - 1).leading_zeros()).clamp(10, MAX_WINDOW_LOG);
    let mut context = CCtx::create();
    context
        .set_parameter(CParameter::CompressionLevel(level as i32))
        .map_err(failed)?;
    context
        .set_parameter(CParameter::WindowLog(window_log))
        .map_err(failed)?;
    context
        .set_pledged_src_size(Some(target.len() as u64))
        .map_err(failed)?;
    // A prefix is always raw content, never parsed as a trained dictionary.
    context.ref_prefix(dictionary).map_err(failed)?;
    let mut frame = Vec::with_capacity(zstd::zstd_safe::compress_bound(target.len()));
    context.compress2(&mut frame, target).map_err(failed)?;
    let mut out = dictionary::frame_header(DeltaCoding::Dcz, dictionary_sha256);
    out.extend_from_slice(&frame);
    Ok(out)
}

/// Adds to every asset that has precompressed variants (compressible text; source maps aside)
/// a delta against
/// each earlier version of it that differs, in parallel, largest first. A delta is kept only
/// when it is smaller than the asset's smallest variant. An earlier version whose file is
/// missing or differs from its record is an error naming the file.
pub(crate) fn add_deltas(
    settings: &Settings,
    stages: &Stages,
    previous: &Previous,
    assets: &mut [Built],
) -> Vec<Diagnostic> {
    let tasks: Vec<(usize, &Version)> = assets
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
    let shared: &[Built] = assets;
    let results: Vec<_> = tasks
        .par_iter()
        .with_max_len(1)
        .map(|&(i, version)| (i, make(stages, &shared[i], version)))
        .collect();
    let mut problems = Vec::new();
    for (i, result) in results {
        let asset = &mut assets[i];
        match result {
            Ok(delta) => {
                let smallest = asset.variants.iter().map(|v| v.bytes.len()).min();
                if smallest.is_none_or(|s| delta.bytes.len() < s) {
                    asset.deltas.push(delta);
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    for asset in assets.iter_mut() {
        asset.deltas.sort_by_key(|d| d.dictionary);
    }
    problems
}

/// The delta of one asset against one earlier version, read and checked first.
fn make(stages: &Stages, asset: &Built, version: &Version) -> Result<BuiltDelta, Diagnostic> {
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
    let bytes = stages
        .delta(LEVEL, (&asset.bytes, asset.sha256), (&old, old_sha256))
        .map_err(|e| Diagnostic::new(&asset.logical, "dcz delta failed").caused_by(e))?;
    Ok(BuiltDelta {
        coding: DeltaCoding::Dcz,
        hashed_path: dictionary::delta_path(&asset.hashed_path, &version.sha256, DeltaCoding::Dcz),
        sha256: hash::sha256(&bytes),
        dictionary: old_sha256,
        bytes,
    })
}
