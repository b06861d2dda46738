//! What the pipeline's stages cost when the same libraries are called directly, one file at a
//! time on one thread, with nothing around them: no cache, no scheduling, no file I/O (inputs
//! are read before the clock starts). Their sum divided by the thread count is the floor a
//! parallel build of the same files could reach.
//!
//! JS minification, source-map chaining, the variant rule and the compressors are the
//! pipeline's own functions (feature `benchmarking`); the CSS stage calls lightningcss as
//! `build-support/src/transform/css/mod.rs` does (parse, URL visit, minify, print with a
//! source map). Also timed: SHA-256 of every output file (it gives the integrity values
//! too), and gzip 9, zstd 19 and brotli 11 of every output the pipeline compresses with each.

use std::convert::Infallible;
use std::io;
use std::path::Path;

use assetlock_build::Compression;
use assetlock_build::compress::variant;
use assetlock_build::transform::{js, sourcemap};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::values::url::Url;
use lightningcss::visitor::{Visit, VisitTypes, Visitor};
use parcel_sourcemap::SourceMap;
use sha2::{Digest, Sha256};

use crate::built::{self, BuiltAsset};
use crate::timing::timed;

/// Files, input bytes and single-threaded seconds of one stage.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stage {
    /// Files the stage processed.
    pub files: usize,
    /// Bytes it read.
    pub bytes: u64,
    /// Seconds it took on one thread.
    pub seconds: f64,
}

impl Stage {
    fn add(&mut self, bytes: usize, seconds: f64) {
        self.files += 1;
        self.bytes += bytes as u64;
        self.seconds += seconds;
    }
}

/// The stages, in pipeline order.
#[derive(Clone, Debug, Default)]
pub struct Costs {
    /// `(name, stage)` pairs.
    pub stages: Vec<(&'static str, Stage)>,
}

impl Costs {
    /// The sum of all stages' seconds.
    pub fn total(&self) -> f64 {
        self.stages.iter().map(|(_, s)| s.seconds).sum()
    }
}

/// Measures every stage over the sources in `asset_dir` and the outputs of the release build
/// of them in `out_dir` (whose artifact dir holds the minified files to compress).
///
/// # Errors
///
/// When a file cannot be read, or a file the pipeline accepted fails to parse here.
pub fn measure(asset_dir: &Path, out_dir: &Path, source_maps: bool) -> io::Result<Costs> {
    let mut css = Stage::default();
    let mut js = Stage::default();
    let mut maps = Stage::default();
    for relative in built::files_under(asset_dir)? {
        let name = relative.to_string_lossy().replace('\\', "/");
        let kind = match name.rsplit_once('.').map(|(_, e)| e) {
            Some("css") => Kind::Css,
            Some("js" | "mjs") => Kind::Js,
            _ => continue,
        };
        let path = asset_dir.join(&relative);
        let text = std::fs::read_to_string(&path)?;
        let input_map = input_map(&path, &text);
        let file_name = name.rsplit('/').next().unwrap_or(&name).to_string();
        let (map, seconds) = match kind {
            Kind::Css => timed(|| minify_css(&file_name, &text, source_maps)),
            Kind::Js => timed(|| minify_js(&name, &file_name, &text, source_maps)),
        };
        let map = map.map_err(|e| io::Error::other(format!("{name}: {e}")))?;
        match kind {
            Kind::Css => css.add(text.len(), seconds),
            Kind::Js => js.add(text.len(), seconds),
        }
        if let Some(map) = map {
            let (json, seconds) = timed(|| finish_map(map, input_map.as_deref()));
            let json = json.map_err(|e| io::Error::other(format!("{name}: source map: {e}")))?;
            maps.add(json.len(), seconds);
        }
    }
    let assets = built::assets(out_dir)?;
    let dist = built::dist_dir(out_dir);
    let hashes = hash_stage(&dist, &assets)?;
    let mut costs = Costs {
        stages: vec![
            ("CSS transform (lightningcss)", css),
            ("JS transform (oxc)", js),
            ("source maps (parcel_sourcemap)", maps),
            ("SHA-256", hashes),
        ],
    };
    costs.stages.extend(compress_stages(&dist, &assets)?);
    Ok(costs)
}

#[derive(Clone, Copy)]
enum Kind {
    Css,
    Js,
}

/// The map the file links to with a `sourceMappingURL` comment, when it exists beside it.
fn input_map(path: &Path, text: &str) -> Option<String> {
    let at = text.rfind("sourceMappingURL=")?;
    let url = text[at + "sourceMappingURL=".len()..]
        .split(|c: char| c.is_whitespace() || c == '*')
        .next()?;
    if url.is_empty() || url.contains(':') {
        return None;
    }
    std::fs::read_to_string(path.parent()?.join(url)).ok()
}

/// A transform's source map, as the transform leaves it.
enum OutputMap {
    /// lightningcss fills a `SourceMap` while printing.
    Css(SourceMap),
    /// oxc's codegen returns JSON.
    Js(String),
}

/// lightningcss as `build-support/src/transform/css/mod.rs` calls it; returns the source map.
fn minify_css(file_name: &str, text: &str, source_maps: bool) -> Result<Option<OutputMap>, String> {
    let options = ParserOptions {
        filename: file_name.to_string(),
        ..ParserOptions::default()
    };
    let mut sheet = StyleSheet::parse(text, options).map_err(|e| e.to_string())?;
    let _ = sheet.visit(&mut UrlCounter(0));
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| e.to_string())?;
    let mut map = source_maps.then(|| {
        let mut map = SourceMap::new("/");
        let index = map.add_source(file_name);
        let _ = map.set_source_content(index as usize, text);
        map
    });
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            source_map: map.as_mut(),
            ..PrinterOptions::default()
        })
        .map_err(|e| e.to_string())?;
    std::hint::black_box(printed.code);
    Ok(map.map(OutputMap::Css))
}

/// Visits every URL, as the pipeline's reference rewriter does.
struct UrlCounter(usize);

impl<'i> Visitor<'i> for UrlCounter {
    type Error = Infallible;

    fn visit_types(&self) -> VisitTypes {
        VisitTypes::all()
    }

    fn visit_url(&mut self, _url: &mut Url<'i>) -> Result<(), Infallible> {
        self.0 += 1;
        Ok(())
    }
}

/// oxc as the pipeline calls it (`assetlock_build::transform::js::minify_alone`); returns the map.
fn minify_js(
    logical: &str,
    file_name: &str,
    text: &str,
    source_maps: bool,
) -> Result<Option<OutputMap>, String> {
    let (code, map) = js::minify_alone(logical, text, source_maps.then(|| file_name.to_string()))?;
    std::hint::black_box(code);
    Ok(map.map(OutputMap::Js))
}

/// Chains a transform's map through the input map, if any, and serializes it, with the
/// pipeline's own functions.
fn finish_map(output: OutputMap, input: Option<&str>) -> Result<String, String> {
    match output {
        OutputMap::Css(map) => sourcemap::finish(map, input),
        OutputMap::Js(json) => sourcemap::chain(&json, input),
    }
}

/// SHA-256 of every file of the artifact dir.
fn hash_stage(dist: &Path, assets: &[BuiltAsset]) -> io::Result<Stage> {
    let mut stage = Stage::default();
    for asset in assets {
        let bytes = std::fs::read(dist.join(&asset.path))?;
        let (_, seconds) = timed(|| std::hint::black_box(Sha256::digest(&bytes)));
        stage.add(bytes.len(), seconds);
        for variant in &asset.variants {
            let bytes = std::fs::read(dist.join(variant))?;
            let (_, seconds) = timed(|| std::hint::black_box(Sha256::digest(&bytes)));
            stage.add(bytes.len(), seconds);
        }
    }
    Ok(stage)
}

/// gzip 9, zstd 19 and brotli 11 of every output the pipeline compresses with each.
fn compress_stages(dist: &Path, assets: &[BuiltAsset]) -> io::Result<Vec<(&'static str, Stage)>> {
    let mut out = Vec::new();
    for coding in Compression::ALL {
        let mut stage = Stage::default();
        for asset in built::compressed_inputs(assets, coding) {
            let bytes = std::fs::read(dist.join(&asset.path))?;
            let level = coding.max_level();
            let (compressed, seconds) = timed(|| variant::encode(coding, &bytes, level));
            std::hint::black_box(compressed?);
            stage.add(bytes.len(), seconds);
        }
        let name = match coding {
            Compression::Gzip => "gzip -9 (flate2)",
            Compression::Zstd => "zstd -19 (zstd)",
            Compression::Brotli => "brotli -q 11 (brotli)",
        };
        out.push((name, stage));
    }
    Ok(out)
}
