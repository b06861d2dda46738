//! The stages of a build, in order: discover ([`walk`]), answer from the [`fingerprint`] when
//! nothing changed, read ([`walk`]) or hash while streaming ([`stream`]), transform (through
//! [`Stages`], with [`bundle`]s), link ([`link`]), hash ([`graph`]), name ([`naming`]),
//! precompress ([`precompress`]), emit ([`emit`]). This module only runs them in order and
//! on the thread pool, as [`Config::try_compile`] and [`Config::compile`]: the configuration
//! is data, and running it is the pipeline's part.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::built::Built;
use crate::cache::stages::Stages;
use crate::cache::store::Cache;
use crate::config::Config;
use crate::error::{self, Diagnostic, Error};
use crate::link::{self, Entry};
use crate::settings::Settings;
use crate::transform::{Files, Input, Kind, TransformOptions, Transformed};
use crate::walk::{self, Source};
use crate::{
    Output, Stats, bundle, cargo, delta, emit, fingerprint, graph, hash, modules, naming,
    precompress, stream, templates, unoptimised,
};

impl Config {
    /// Runs the pipeline, printing nothing but `cargo::rerun-if-*` directives.
    ///
    /// # Errors
    ///
    /// Every problem of the build at once: missing asset dirs, unreadable files, escaping
    /// symlinks, non-UTF-8 names, duplicate logical paths, hashed-name collisions, invalid
    /// settings, and failures to write the outputs.
    pub fn try_compile(&self) -> Result<Output, Error> {
        let settings = Settings::resolve(self).map_err(Error::new)?;
        let identity = fingerprint::identity(self, settings.previous_releases.as_ref());
        run(&settings, identity)
    }

    /// Runs the pipeline from a build script and reports each problem as one `cargo::error=`
    /// line, so cargo prints `error: app@0.1.0: assets/css/site.css:12:3: ...` and fails the
    /// build. Never panics.
    pub fn compile(&self) {
        match self.try_compile() {
            Ok(output) => output.warnings().for_each(cargo::warning),
            Err(error) => error.diagnostics().for_each(cargo::error),
        }
    }
}

/// Runs every stage of a build whose settings have the hashed `identity` (see
/// [`fingerprint::identity`]); returns all problems of the build together.
fn run(settings: &Settings, identity: String) -> Result<Output, Error> {
    for dir in settings.asset_dirs.iter().chain(&settings.template_dirs) {
        cargo::rerun_if_changed(dir);
    }
    if let Some((dir, _)) = &settings.previous_releases {
        // The records, not the whole copy: a new release adds a record.
        let records = dir.join(assetlock_contract::layout::RELEASES);
        cargo::rerun_if_changed(if records.is_dir() { &records } else { dir });
    }
    // Every transform runs on these threads; their stack bounds how deep a file can nest.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .stack_size(crate::transform::STACK_SIZE)
        .build()
        .map_err(|e| {
            Error::new(vec![
                Diagnostic::new("build.rs", "cannot start threads").caused_by(e),
            ])
        })?;
    pool.install(|| run_stages(settings, identity))
}

fn run_stages(settings: &Settings, identity: String) -> Result<Output, Error> {
    let stages = Stages::new(Cache::new(
        Some(settings.cache_dir.clone()),
        settings.cache_max_bytes,
    ));
    let (sources, mut problems) = walk::discover(settings);
    let inputs = fingerprint::Inputs::stamp(settings, &sources, identity);
    if problems.is_empty()
        && let Some(output) = inputs.unchanged(settings)
    {
        return Ok(output);
    }
    // The record no longer describes the outputs once this build starts writing them.
    fingerprint::forget(settings);
    let known: BTreeSet<&str> = sources
        .iter()
        .map(|s| s.logical.as_str())
        .chain(settings.bundles.iter().map(|(name, _)| name.as_str()))
        .collect();
    problems.extend(templates::check(settings, &known));
    // Files that need no transform and no variant are hashed while streaming, never held. The
    // others are read by their transform, one at a time per thread. The sizes stamped for the
    // fingerprint decide each file's lane.
    let (streamed, transformed): (Vec<Source>, Vec<(Source, u64)>) = {
        let (mut streamed, mut transformed) = (Vec::new(), Vec::new());
        for (source, size) in sources.iter().cloned().zip(inputs.source_sizes()) {
            match size {
                Some(size) if stream::eligible(settings, &source.logical, size) => {
                    streamed.push(source)
                }
                Some(size) => transformed.push((source, size)),
                // Read (and reported) by its transform.
                None => transformed.push((source, 0)),
            }
        }
        (streamed, transformed)
    };
    let files = walk::index_all(&transformed);
    let options = TransformOptions::new(settings);
    let (mut entries, mut digests, transform_problems) =
        transform_all(settings, &options, &stages, &sources, &files);
    problems.extend(transform_problems);
    let (streamed, stream_problems) = stream_all(&streamed, settings.integrity);
    problems.extend(stream_problems);
    digests.extend(
        streamed
            .iter()
            .filter_map(|e| Some((e.logical.clone(), e.digest?))),
    );
    entries.extend(streamed);
    entries.sort_by(|a, b| a.logical.cmp(&b.logical));
    let linked = link::link(settings, entries);
    problems.extend(linked.problems);
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    let hashed = graph::hash_all(linked.nodes, settings.hash_len);
    let mut assets: Vec<Built> = linked
        .entries
        .into_par_iter()
        .zip(hashed)
        .map(|(entry, hashed)| {
            let imports = entry
                .out
                .refs
                .iter()
                .filter(|r| r.static_import)
                .map(|r| r.target.clone())
                .collect();
            Built {
                imports,
                ..naming::name(settings, entry.logical, hashed, entry.stream)
            }
        })
        .collect();
    let mut compress_problems = precompress::add_variants(settings, &stages, &mut assets);
    if let Some((dir, keep)) = &settings.previous_releases {
        match delta::read(dir, *keep, &settings.trusted_keys) {
            Ok(previous) => compress_problems.extend(delta::add_deltas(
                settings,
                &stages,
                &previous,
                &mut assets,
            )),
            Err(problems) => compress_problems.extend(problems),
        }
    }
    let mut collisions = naming::check_collisions(&assets);
    collisions.extend(naming::check_public(settings, &assets));
    collisions.extend(modules::check_aliases(settings, &assets));
    if !compress_problems.is_empty() || !collisions.is_empty() {
        return Err(Error::new([compress_problems, collisions].concat()));
    }
    let mut warnings = linked.warnings;
    warnings.extend(unoptimised::warning(settings, &stages));
    let stats = Stats {
        transformed: stages.transformed.load(Ordering::Relaxed),
        compressed: stages.compressed.load(Ordering::Relaxed),
        cache_hits: stages.cache.counters.hits.load(Ordering::Relaxed),
        cache_recovered: stages.cache.counters.recovered.load(Ordering::Relaxed),
        unchanged: false,
    };
    let output = emit::emit_all(settings, assets, warnings, stats);
    stages.cache.evict();
    if let Ok(output) = &output {
        inputs.record(settings, &digests, output);
    }
    output
}

/// Transforms every file in parallel, largest first so the slowest work starts early; each
/// file is read by its task and dropped after it. Returns the entries, the SHA-256 of each
/// file read, and the problems.
fn transform_all(
    settings: &Settings,
    options: &TransformOptions,
    stages: &Stages,
    sources: &[Source],
    files: &Files,
) -> (Vec<Entry>, BTreeMap<String, [u8; 32]>, Vec<Diagnostic>) {
    let mut order: Vec<&Source> = sources
        .iter()
        .filter(|s| files.contains_key(&s.logical))
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
                    stream::Streamed {
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
fn stream_all(sources: &[Source], integrity: crate::Integrity) -> (Vec<Entry>, Vec<Diagnostic>) {
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
