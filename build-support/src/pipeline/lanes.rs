//! The two lanes a file takes: read whole and transformed (through the cache, bundles
//! included), or hashed one chunk at a time while streaming, never held.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::cache::stages::Stages;
use crate::discover::stream::{self, Streamed};
use crate::discover::{self, Files, Kind, Source};
use crate::error::{self, Diagnostic};
use crate::hash;
use crate::integrity::Integrity;
use crate::settings::Settings;
use crate::transform::{Entry, Input, TransformOptions, Transformed, bundle};

/// Transforms every file in parallel, largest first so the slowest work starts early; each
/// file is read by its task and dropped after it. Returns the entries, the SHA-256 of each
/// file read, and the problems.
pub(super) fn transform_all(
    settings: &Settings,
    options: &TransformOptions,
    stages: &Stages,
    sources: &[Source],
    files: &Files,
) -> (Vec<Entry>, BTreeMap<String, [u8; 32]>, Vec<Diagnostic>) {
    // A Sass partial is read by the entries that use it, through `files`.
    let mut order: Vec<&Source> = sources
        .iter()
        .filter(|s| files.contains_key(&s.logical) && !discover::is_partial(&s.logical))
        .collect();
    order.sort_by_key(|s| std::cmp::Reverse(files.size(&s.logical)));
    // One file per task: rayon would otherwise split the largest-first list into halves, and
    // one thread would get every large file.
    let results: Vec<Result<(Entry, [u8; 32]), Diagnostic>> = order
        .par_iter()
        .with_max_len(1)
        .map(|source| {
            let bytes = files
                .read(&source.logical)
                .unwrap_or_else(|| Ok(Default::default()))
                .map_err(|e| Diagnostic::new(&source.display, "cannot read file").caused_by(e))?;
            let digest = hash::sha256(&bytes);
            let (mut out, unchanged) = if settings.public.is_match(&source.logical)
                || Kind::of(&source.logical) == Kind::Other
            {
                // Shipped as read (a source map, a public file).
                (Transformed::default(), true)
            } else {
                let input = Input::new(&source.logical, &source.display, options, files);
                // The digest the fingerprint records keys the cache too: hashed once.
                let out = stages.transform_hashed(&input, &bytes, digest)?;
                // Most files without references come out as they went in: their digest stands.
                let unchanged = out.refs.is_empty() && (out.as_read || out.bytes == *bytes);
                (out, unchanged)
            };
            let size = bytes.len() as u64;
            // Output that is the file as read and gets no compressed variant is not held: it
            // is copied from its source, as a file of the streaming lane is.
            let stream =
                (unchanged && !stream::compressed(settings, &source.logical, size)).then(|| {
                    Streamed {
                        path: source.path.clone(),
                        size,
                        sha256: digest,
                        integrity: settings.integrity.of(&bytes, &digest),
                    }
                });
            let as_read = std::mem::take(&mut out.as_read);
            if stream.is_some() {
                out.bytes = Vec::new();
            } else if unchanged || as_read {
                // The bytes move on, uncopied.
                out.bytes = bytes.into_owned();
            }
            let entry = Entry {
                logical: source.logical.clone(),
                display: source.display.clone(),
                out,
                stream,
                digest: unchanged.then_some(digest),
            };
            Ok((entry, digest))
        })
        .collect();
    let (read, mut problems) = error::split(results);
    let mut digests = BTreeMap::new();
    let mut entries = Vec::with_capacity(read.len());
    for (entry, digest) in read {
        digests.insert(entry.logical.clone(), digest);
        entries.push(entry);
    }
    let (bundles, bundle_problems) =
        bundle::build_all(settings, options, sources, files, |input, bytes| {
            stages.transform(input, bytes)
        });
    entries.extend(bundles);
    problems.extend(bundle_problems);
    entries.sort_by(|a, b| a.logical.cmp(&b.logical));
    (entries, digests, problems)
}

/// Hashes every file of the streaming lane in parallel, one chunk at a time.
pub(super) fn stream_all(
    sources: &[Source],
    integrity: Integrity,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let results: Vec<Result<Entry, Diagnostic>> = sources
        .par_iter()
        .with_max_len(1)
        .map(|source| {
            let streamed = stream::hash_file(&source.path, integrity)
                .map_err(|e| Diagnostic::new(&source.display, "cannot read file").caused_by(e))?;
            Ok(Entry {
                logical: source.logical.clone(),
                display: source.display.clone(),
                out: Default::default(),
                digest: Some(streamed.sha256),
                stream: Some(streamed),
            })
        })
        .collect();
    error::split(results)
}
