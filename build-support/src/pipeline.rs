//! The stages of a build, in order: discover, read, transform, link, hash, name, emit.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::built::{self, Built};
use crate::codegen;
use crate::emit;
use crate::error::{Diagnostic, Error};
use crate::graph::{self, Hashed};
use crate::link::{self, Entry};
use crate::settings::Settings;
use crate::transform::{self, Files, Input};
use crate::walk::{self, Source};
use crate::{Output, cargo, hash, manifest, mime, url};

/// Runs every stage; returns all problems of the build together.
pub(crate) fn run(settings: &Settings) -> Result<Output, Error> {
    for dir in &settings.asset_dirs {
        cargo::rerun_if_changed(dir);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| Error::new(vec![Diagnostic::new("build.rs", "cannot start threads").caused_by(e)]))?;
    pool.install(|| run_stages(settings))
}

fn run_stages(settings: &Settings) -> Result<Output, Error> {
    let (sources, mut problems) = walk::discover(settings);
    let (files, read_problems) = read_all(&sources);
    problems.extend(read_problems);
    let (entries, transform_problems) = transform_all(settings, &sources, &files);
    problems.extend(transform_problems);
    let linked = link::link(settings, entries);
    problems.extend(linked.problems);
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    let hashed = graph::hash_all(linked.nodes, settings.hash_len);
    let assets: Vec<Built> = linked
        .entries
        .into_par_iter()
        .zip(hashed)
        .map(|(entry, hashed)| finish(settings, entry.logical, hashed))
        .collect();
    let collisions = check_collisions(&assets);
    if !collisions.is_empty() {
        return Err(Error::new(collisions));
    }
    emit_all(settings, assets, linked.warnings)
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
fn transform_all(settings: &Settings, sources: &[Source], files: &Files) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut order: Vec<&Source> = sources.iter().filter(|s| files.contains_key(&s.logical)).collect();
    order.sort_by_key(|s| std::cmp::Reverse(files[&s.logical].len()));
    let results: Vec<Result<Entry, Diagnostic>> = order
        .par_iter()
        .map(|source| {
            let input = Input {
                logical: &source.logical,
                display: &source.display,
                settings,
                files,
                salt: 0,
                minify: settings.minify,
            };
            let out = transform::transform(&input, &files[&source.logical])?;
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
    entries.sort_by(|a, b| a.logical.cmp(&b.logical));
    (entries, problems)
}

/// Names and describes one asset from its final bytes.
fn finish(settings: &Settings, logical: String, hashed: Hashed) -> Built {
    let hashed_path = hash::hashed_name(&logical, &hashed.name_hash);
    Built {
        url: format!("{}{}", settings.url_prefix, url::encode_path(&hashed_path)),
        integrity: hash::integrity(&hashed.bytes),
        content_type: mime::content_type(&logical),
        logical,
        hashed_path,
        bytes: hashed.bytes,
        sha256: hashed.sha256,
        variants: Vec::new(),
    }
}

/// Two assets whose hashed files would share a path.
fn check_collisions(assets: &[Built]) -> Vec<Diagnostic> {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
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

fn emit_all(settings: &Settings, assets: Vec<Built>, warnings: Vec<Diagnostic>) -> Result<Output, Error> {
    let build_id = built::build_id(&settings.url_prefix, &assets);
    let mut problems = emit::write_dist(settings, &assets);
    let bytes = if settings.embed {
        codegen::Bytes::Embed
    } else {
        codegen::Bytes::Dist
    };
    let outputs = [
        (
            settings.out_dir.join("assetlock").join("manifest.json"),
            manifest::render(&build_id, &settings.url_prefix, &assets),
        ),
        (
            settings.out_dir.join("assetlock.rs"),
            codegen::render(&build_id, &settings.url_prefix, &assets, bytes),
        ),
    ];
    for (path, text) in outputs {
        if let Err(e) = emit::write_if_changed(&path, text.as_bytes()) {
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
    })
}
