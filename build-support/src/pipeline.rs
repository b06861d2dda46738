//! The stages of a build, in order: discover, read, hash, emit.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::built::{self, Built};
use crate::codegen;
use crate::emit;
use crate::error::{Diagnostic, Error};
use crate::settings::Settings;
use crate::walk::{self, Source};
use crate::{Output, cargo, hash, manifest, mime, url};

/// Runs every stage; returns all problems of the build together.
pub(crate) fn run(settings: &Settings) -> Result<Output, Error> {
    for dir in &settings.asset_dirs {
        cargo::rerun_if_changed(dir);
    }
    let (sources, mut problems) = walk::discover(settings);
    let (files, read_problems) = read_all(sources);
    problems.extend(read_problems);
    let assets = files
        .into_iter()
        .map(|(source, bytes)| finish(settings, source, bytes))
        .collect::<Vec<_>>();
    problems.extend(check_collisions(&assets));
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    emit_all(settings, assets)
}

fn read_all(sources: Vec<Source>) -> (Vec<(Source, Vec<u8>)>, Vec<Diagnostic>) {
    let results: Vec<_> = sources
        .into_par_iter()
        .map(|source| match std::fs::read(&source.path) {
            Ok(bytes) => Ok((source, bytes)),
            Err(e) => Err(Diagnostic::new(&source.display, "cannot read file").caused_by(e)),
        })
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    (files, problems)
}

/// Names and describes one asset from its final bytes.
fn finish(settings: &Settings, source: Source, bytes: Vec<u8>) -> Built {
    let sha256 = hash::sha256(&bytes);
    let hex = hash::hex(&sha256);
    let hashed_path = hash::hashed_name(&source.logical, &hex[..settings.hash_len]);
    Built {
        url: format!("{}{}", settings.url_prefix, url::encode_path(&hashed_path)),
        integrity: hash::integrity(&bytes),
        content_type: mime::content_type(&source.logical),
        logical: source.logical,
        hashed_path,
        bytes,
        sha256,
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

fn emit_all(settings: &Settings, assets: Vec<Built>) -> Result<Output, Error> {
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
        warnings: Vec::new(),
    })
}
