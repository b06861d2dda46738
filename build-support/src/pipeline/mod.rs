//! The pipeline: the stages of a build, run in order, as [`Config::try_compile`] and
//! [`Config::compile`] (the configuration is data; running it is this module's part).
//!
//! Resolve the [`settings`](crate::settings), [`discover`] the files, answer from the
//! [`fingerprint`] when nothing changed, then send each file down one of two [`lanes`]: read
//! and [`transform`](crate::transform)ed through the [`cache`](crate::cache), or hashed while
//! streaming. Read every image's size and make the variants of the named ones ([`images`]).
//! Then [`link`], hash ([`link::graph`]), [`name`], [`precompress`] (variants and
//! deltas), check the names, [`generate`](crate::generate) and [`emit`]. This module only runs
//! them in order and on the thread pool; [`unoptimised`] is the hint a slow build gets.

mod lanes;
mod live;
mod unoptimised;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::cache::stages::Stages;
use crate::cache::store::Cache;
use crate::config::Config;
use crate::discover::{self, Source};
use crate::error::{Diagnostic, Error};
use crate::generate::modules;
use crate::name::built::Built;
use crate::output::{Output, Stats};
use crate::settings::Settings;
use crate::transform::TransformOptions;
use crate::{cargo, emit, fingerprint, images, link, name, precompress};

impl Config {
    /// Runs the pipeline, printing nothing but `cargo::rerun-if-*` directives.
    ///
    /// # Errors
    ///
    /// Every problem of the build at once: missing asset dirs, unreadable files, escaping
    /// symlinks, non-UTF-8 names, duplicate logical paths, hashed-name collisions, invalid
    /// settings, and failures to write the outputs.
    ///
    /// # Live mode
    ///
    /// A server in live dev mode runs the build script again to compile one TypeScript, Sass
    /// or Tailwind CSS source when a page asks for it (`assetlock_contract::live`). This call
    /// then compiles that source, writes the answer for the server and ends the process: the
    /// rest of the build script does not run.
    pub fn try_compile(&self) -> Result<Output, Error> {
        if let Some((logical, output, dir)) = cargo::live_request() {
            let code = match live::answer(self, &logical, &output, dir) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("cannot write {}: {e}", output.display());
                    1
                }
            };
            std::process::exit(code);
        }
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
    let tailwind_sources = settings.tailwind.iter().flat_map(|t| &t.sources);
    for dir in settings.sass_load_paths.iter().chain(tailwind_sources) {
        cargo::rerun_if_changed(dir);
    }
    // Dependency crates' assets, and the lock file, which changes when one of them does.
    let mounted = settings.crates.mounts.iter().map(|m| &m.dir);
    for path in mounted.chain(&settings.crates.lock_file) {
        cargo::rerun_if_changed(path);
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
    let (sources, mut problems) = discover::walk::discover(settings);
    let locked;
    let live_off = compiled_sources_lock(settings, &sources);
    let settings = match &live_off {
        Some(_) => {
            locked = Settings {
                live: false,
                ..settings.clone()
            };
            &locked
        }
        None => settings,
    };
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
    problems.extend(discover::templates::check(settings, &known));
    problems.extend(tailwind_entries_checked(settings, &known));
    // Files that need no transform and no variant are hashed while streaming, never held. The
    // others are read by their transform, one at a time per thread. The sizes stamped for the
    // fingerprint decide each file's lane.
    let (streamed, transformed): (Vec<Source>, Vec<(Source, u64)>) = {
        let (mut streamed, mut transformed) = (Vec::new(), Vec::new());
        for (source, size) in sources.iter().cloned().zip(inputs.source_sizes()) {
            match size {
                Some(size) if discover::stream::eligible(settings, &source.logical, size) => {
                    streamed.push(source)
                }
                Some(size) => transformed.push((source, size)),
                // Read (and reported) by its transform.
                None => transformed.push((source, 0)),
            }
        }
        (streamed, transformed)
    };
    let files = discover::walk::index_all(&transformed);
    let options = TransformOptions::new(settings);
    let (mut entries, mut digests, transform_problems) =
        lanes::transform_all(settings, &options, &stages, &sources, &files);
    problems.extend(transform_problems);
    let (streamed, stream_problems) = lanes::stream_all(&streamed, settings.integrity);
    problems.extend(stream_problems);
    digests.extend(
        streamed
            .iter()
            .filter_map(|e| Some((e.logical.clone(), e.digest?))),
    );
    entries.extend(streamed);
    let mut images = images::run(settings, &stages, &sources);
    problems.append(&mut images.problems);
    entries.append(&mut images.entries);
    entries.sort_by(|a, b| a.logical.cmp(&b.logical));
    // Sources that were read but gave no entry: their transform failed, and said so.
    let produced: BTreeSet<String> = entries.iter().map(|e| e.logical.clone()).collect();
    let failed: BTreeSet<&str> = (files.logicals())
        .filter(|l| !produced.contains(*l) && !discover::is_partial(l))
        .collect();
    let linked = link::link(settings, entries, &failed);
    problems.extend(linked.problems);
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    let hashed = link::graph::hash_all(linked.nodes, settings.hash_len);
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
                image: images.meta.get(&entry.logical).cloned(),
                ..name::name(settings, entry.logical, hashed, entry.stream)
            }
        })
        .collect();
    let mut compress_problems = precompress::add_variants(settings, &stages, &mut assets);
    if let Some((dir, keep)) = &settings.previous_releases {
        match discover::previous::read(dir, *keep, &settings.trusted_keys) {
            Ok(previous) => compress_problems.extend(precompress::deltas::add_deltas(
                settings,
                &stages,
                &previous,
                &mut assets,
            )),
            Err(problems) => compress_problems.extend(problems),
        }
    }
    let mut collisions = name::check_collisions(&assets);
    collisions.extend(name::check_public(settings, &assets));
    collisions.extend(modules::check_aliases(settings, &assets));
    if !compress_problems.is_empty() || !collisions.is_empty() {
        return Err(Error::new([compress_problems, collisions].concat()));
    }
    if settings.live {
        name::live::unlock(settings, &mut assets);
        emit::live_mounts(settings, &sources);
    }
    let mut warnings = linked.warnings;
    warnings.append(&mut images.warnings);
    warnings.extend(live_off);
    warnings.extend(unoptimised::warning(settings, &stages));
    let stats = Stats {
        transformed: stages.transformed.load(Ordering::Relaxed),
        compressed: stages.compressed.load(Ordering::Relaxed),
        cache_hits: stages.cache.counters.hits.load(Ordering::Relaxed),
        cache_recovered: stages.cache.counters.recovered.load(Ordering::Relaxed),
        images_encoded: images.encoded,
        unchanged: false,
    };
    let output = emit::emit_all(settings, assets, warnings, stats);
    stages.cache.evict();
    if let Ok(output) = &output {
        inputs.record(settings, &digests, output);
    }
    output
}

/// Live mode serves sources as they are, which a browser cannot use when they are TypeScript,
/// Sass or a Tailwind entry. A server compiles them by running the build script again; a live
/// build with such a source and no build script to run (a tool calling `try_compile`) is built
/// locked instead, and says so.
fn compiled_sources_lock(settings: &Settings, sources: &[Source]) -> Option<Diagnostic> {
    if settings.live_compiler.is_some() {
        return None;
    }
    let tailwind = settings.tailwind.as_ref().and_then(|t| t.entries.first());
    let compiled = sources.iter().map(|s| &s.logical).find(|logical| {
        let kind = discover::Kind::of(logical);
        matches!(kind, discover::Kind::Ts | discover::Kind::Sass)
    });
    let source = compiled.or(tailwind)?;
    settings.live.then(|| {
        Diagnostic::new(
            source,
            "live mode is off for this build: TypeScript, Sass and Tailwind CSS are compiled in \
             live mode by running the build script again, and this build is not run by cargo \
             as one",
        )
    })
}

/// Each Tailwind entry must be a stylesheet of the build: one that is not would be silently
/// left out.
fn tailwind_entries_checked(settings: &Settings, known: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let entries = settings.tailwind.iter().flat_map(|t| &t.entries);
    entries
        .filter_map(|entry| {
            let why = if !known.contains(entry.as_str()) {
                "is not an asset of this build"
            } else if discover::Kind::of(entry) != discover::Kind::Css {
                "is not a stylesheet (`.css`)"
            } else {
                return None;
            };
            let message = format!("Config::tailwind names `{entry}`, which {why}");
            Some(Diagnostic::new("build.rs", message))
        })
        .collect()
}
