//! The stages of a build, in order: discover, read, transform, link, hash, name, emit.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use assetlock_contract::url::encode_path;
use assetlock_contract::{layout, path_key};
use rayon::prelude::*;

use crate::built::{self, Built, BuiltVariant};
use crate::bundle;
use crate::cache::stages::Stages;
use crate::cache::store::Cache;
use crate::codegen;
use crate::compress;
use crate::emit;
use crate::error::{Diagnostic, Error};
use crate::graph::{self, Hashed};
use crate::link::{self, Entry};
use crate::settings::Settings;
use crate::transform::{Files, Input, Kind};
use crate::walk::{self, Source};
use crate::{Output, Stats, cargo, hash, manifest, mime};

/// Runs every stage; returns all problems of the build together.
pub(crate) fn run(settings: &Settings) -> Result<Output, Error> {
    for dir in &settings.asset_dirs {
        cargo::rerun_if_changed(dir);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| {
            Error::new(vec![
                Diagnostic::new("build.rs", "cannot start threads").caused_by(e),
            ])
        })?;
    pool.install(|| run_stages(settings))
}

fn run_stages(settings: &Settings) -> Result<Output, Error> {
    let stages = Stages::new(Cache::new(
        Some(settings.cache_dir.clone()),
        settings.cache_max_bytes,
    ));
    let (sources, mut problems) = walk::discover(settings);
    let (files, read_problems) = read_all(&sources);
    problems.extend(read_problems);
    let (entries, transform_problems) = transform_all(settings, &stages, &sources, &files);
    problems.extend(transform_problems);
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
        .map(|(entry, hashed)| finish(settings, entry.logical, hashed))
        .collect();
    let compress_problems = compress_all(settings, &stages, &mut assets);
    let collisions = check_collisions(&assets);
    if !compress_problems.is_empty() || !collisions.is_empty() {
        return Err(Error::new([compress_problems, collisions].concat()));
    }
    let mut warnings = linked.warnings;
    warnings.extend(unoptimised_warning(settings, &stages));
    let stats = Stats {
        transformed: stages.transformed.load(Ordering::Relaxed),
        compressed: stages.compressed.load(Ordering::Relaxed),
        cache_hits: stages.cache.counters.hits.load(Ordering::Relaxed),
        cache_recovered: stages.cache.counters.recovered.load(Ordering::Relaxed),
    };
    let output = emit_all(settings, assets, warnings, stats);
    stages.cache.evict();
    output
}

/// Makes the variants of every compressible asset, in parallel, largest first.
fn compress_all(settings: &Settings, stages: &Stages, assets: &mut [Built]) -> Vec<Diagnostic> {
    let mut tasks: Vec<(usize, compress::Compression, u32)> = assets
        .iter()
        .enumerate()
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

/// Input bytes of heavy work below which the unoptimised-build hint is not worth showing.
const HEAVY_BYTES: usize = 1 << 20;

/// In a release build whose build script links this crate unoptimised (cargo's default for
/// build dependencies), a hint with the exact lines to add, shown only when the build did heavy
/// uncached work, so a warm rebuild does not repeat it.
fn unoptimised_warning(settings: &Settings, stages: &Stages) -> Option<Diagnostic> {
    let opt_level = env!("ASSETLOCK_BUILD_OPT_LEVEL");
    let heavy = stages.heavy_bytes.load(Ordering::Relaxed);
    unoptimised_hint(opt_level, settings.release, heavy)
}

fn unoptimised_hint(opt_level: &str, release: bool, heavy: usize) -> Option<Diagnostic> {
    (opt_level == "0" && release && heavy >= HEAVY_BYTES).then(|| {
        Diagnostic::new(
            "Cargo.toml",
            format!(
                "assetlock-build was compiled without optimisation (cargo's default for build \
                 dependencies), so minifying and compressing {} MB ran several times slower \
                 than it needs to; add `[profile.release.build-override]` with `opt-level = 3` \
                 to the workspace Cargo.toml",
                heavy >> 20
            ),
        )
    })
}

fn read_all(sources: &[Source]) -> (Files, Vec<Diagnostic>) {
    let results: Vec<_> = sources
        .par_iter()
        .map(|source| {
            std::fs::read(&source.path)
                .map(|bytes| (source.logical.clone(), bytes))
                .map_err(|e| Diagnostic::new(&source.display, "cannot read file").caused_by(e))
        })
        .collect();
    let mut files = Files::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok((logical, bytes)) => {
                files.insert(logical, bytes);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (files, problems)
}

/// Transforms every file in parallel, largest first so the slowest work starts early.
fn transform_all(
    settings: &Settings,
    stages: &Stages,
    sources: &[Source],
    files: &Files,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut order: Vec<&Source> = sources
        .iter()
        .filter(|s| files.contains_key(&s.logical))
        .collect();
    order.sort_by_key(|s| std::cmp::Reverse(files[&s.logical].len()));
    // One file per task: rayon would otherwise split the largest-first list into halves, and
    // one thread would get every large file.
    let results: Vec<Result<Entry, Diagnostic>> = order
        .par_iter()
        .with_max_len(1)
        .map(|source| {
            let input = Input::new(&source.logical, &source.display, settings, files);
            let out = stages.transform(&input, &files[&source.logical])?;
            Ok(Entry {
                logical: source.logical.clone(),
                display: source.display.clone(),
                out,
            })
        })
        .collect();
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    }
    let (bundles, bundle_problems) = build_bundles(settings, stages, sources, files);
    entries.extend(bundles);
    problems.extend(bundle_problems);
    entries.sort_by(|a, b| a.logical.cmp(&b.logical));
    (entries, problems)
}

/// The configured bundles, each an entry of its own.
fn build_bundles(
    settings: &Settings,
    stages: &Stages,
    sources: &[Source],
    files: &Files,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let display = |logical: &str| {
        sources
            .iter()
            .find(|s| s.logical == logical)
            .map_or_else(|| logical.to_string(), |s| s.display.clone())
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut problems = Vec::new();
    for (name, inputs) in &settings.bundles {
        if entries.iter().any(|e| &e.logical == name) {
            problems.push(Diagnostic::new(
                format!("bundle `{name}`"),
                "is configured twice",
            ));
            continue;
        }
        let transform = |input: &Input, bytes: &[u8]| stages.transform(input, bytes);
        match bundle::build(settings, files, name, inputs, display, transform) {
            Ok(mut out) => {
                Input::new(name, name, settings, files).link_map(&mut out, Kind::of(name));
                entries.push(Entry {
                    logical: name.clone(),
                    display: format!("bundle `{name}`"),
                    out,
                });
            }
            Err(bundle_problems) => problems.extend(bundle_problems),
        }
    }
    (entries, problems)
}

/// Names and describes one asset from its final bytes.
fn finish(settings: &Settings, logical: String, hashed: Hashed) -> Built {
    let hashed_path = hash::hashed_name(&logical, &hashed.name_hash);
    Built {
        url: format!("{}{}", settings.url_prefix, encode_path(&hashed_path)),
        integrity: hash::integrity(&hashed.bytes),
        content_type: mime::content_type(&logical),
        logical,
        hashed_path,
        bytes: hashed.bytes,
        sha256: hashed.sha256,
        variants: Vec::new(),
    }
}

/// Two assets whose hashed files would share a path, or whose paths share a key of the
/// generated maps.
fn check_collisions(assets: &[Built]) -> Vec<Diagnostic> {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    let mut keys: HashMap<u64, &str> = HashMap::new();
    let mut problems = Vec::new();
    for asset in assets.iter().filter(|a| !codegen::fits(a)) {
        problems.push(Diagnostic::new(
            &asset.logical,
            format!(
                "path too long: an asset's paths and URL may take {} bytes",
                codegen::MAX_TEXT
            ),
        ));
    }
    for asset in assets {
        for path in [&asset.logical, &asset.hashed_path] {
            match keys.insert(path_key(path), path) {
                Some(other) if other != path.as_str() => problems.push(Diagnostic::new(
                    &asset.logical,
                    format!("`{path}` and `{other}` have the same 64-bit path key; rename one"),
                )),
                _ => {}
            }
        }
    }
    for asset in assets {
        for (path, _) in asset.files() {
            if let Some(other) = owners.insert(path, &asset.logical) {
                problems.push(Diagnostic::new(
                    &asset.logical,
                    format!(
                        "hashed name `{path}` collides with the output of `{other}`; rename \
                         one of them or raise hash_len"
                    ),
                ));
            }
        }
    }
    problems
}

fn emit_all(
    settings: &Settings,
    assets: Vec<Built>,
    warnings: Vec<Diagnostic>,
    stats: Stats,
) -> Result<Output, Error> {
    let build_id = built::build_id(&settings.url_prefix, &assets);
    let mut problems = emit::write_dist(settings, &assets);
    let bytes = if settings.embed {
        codegen::Bytes::Embed
    } else {
        codegen::Bytes::Dist
    };
    let pack_path = settings.out_dir.join(layout::PACK);
    let pack = match bytes {
        codegen::Bytes::Embed => codegen::pack(&assets),
        // A pack from an earlier embedded build would only take room.
        codegen::Bytes::Dist => {
            let _ = std::fs::remove_file(&pack_path);
            Vec::new()
        }
    };
    let outputs = [
        (
            settings.out_dir.join(layout::MANIFEST_JSON),
            manifest::render(&build_id, &settings.url_prefix, &assets).into_bytes(),
        ),
        (
            settings.out_dir.join(layout::GENERATED),
            codegen::render(&build_id, &settings.url_prefix, &assets, bytes).into_bytes(),
        ),
        (pack_path, pack),
    ];
    for (path, contents) in outputs {
        if matches!(bytes, codegen::Bytes::Dist) && path.ends_with(layout::PACK) {
            continue;
        }
        if let Err(e) = emit::write_if_changed(&path, &contents) {
            problems.push(emit::write_error(&path, e));
        }
    }
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    Ok(Output {
        build_id,
        out_dir: settings.out_dir.clone(),
        urls: assets.into_iter().map(|a| (a.logical, a.url)).collect(),
        warnings,
        stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_only_for_unoptimised_release_builds_with_heavy_uncached_work() {
        assert!(unoptimised_hint("0", true, 5 << 20).is_some());
        assert!(unoptimised_hint("3", true, 5 << 20).is_none(), "optimised");
        assert!(
            unoptimised_hint("0", false, 5 << 20).is_none(),
            "debug profile"
        );
        assert!(unoptimised_hint("0", true, 1000).is_none(), "warm cache");
        let hint = unoptimised_hint("0", true, 5 << 20).unwrap().to_string();
        assert!(
            hint.contains("[profile.release.build-override]") && hint.contains("opt-level = 3")
        );
    }

    #[test]
    fn colliding_hashed_paths_are_reported() {
        let built = |logical: &str| Built {
            logical: logical.to_string(),
            hashed_path: "same.0123.css".to_string(),
            url: String::new(),
            bytes: Vec::new(),
            sha256: [0; 32],
            integrity: String::new(),
            content_type: "text/css",
            variants: Vec::new(),
        };
        let problems = check_collisions(&[built("a.css"), built("b.css")]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("collides with the output of `a.css`")
        );
    }
}
