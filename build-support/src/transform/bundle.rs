//! Bundles: several assets joined into one, minified and hashed as one.

use parcel_sourcemap::SourceMap;

use crate::discover::Source;
use crate::discover::{Files, Kind};
use crate::error::Diagnostic;
use crate::reference::Ref;
use crate::settings::Settings;
use crate::transform::Entry;
use crate::transform::sourcemap;
use crate::transform::{Input, TransformOptions, Transformed};

/// Between JS parts: ends a statement a file left open, and a `//` comment on its last line.
const JS_SEPARATOR: &str = "\n;\n";

/// Builds bundle `name` from `inputs` with `transform` (the cached transform of a part).
/// `display` names each input's file for diagnostics.
pub(crate) fn build(
    options: &TransformOptions,
    files: &Files,
    name: &str,
    inputs: &[String],
    display: impl Fn(&str) -> String,
    transform: impl Fn(&Input, &[u8]) -> Result<Transformed, Diagnostic>,
) -> Result<Transformed, Vec<Diagnostic>> {
    let kind = Kind::of(name);
    let problem = |message: String| Diagnostic::new(format!("bundle `{name}`"), message);
    if !matches!(kind, Kind::Css | Kind::Js) {
        return Err(vec![problem(
            "a bundle's name must end in .js, .mjs or .css".into(),
        )]);
    }
    if let Err(rule) = assetlock_contract::layout::check_artifact_path(name) {
        return Err(vec![problem(format!(
            "name {rule}, which an asset's path may not"
        ))]);
    }
    if files.contains_key(name) {
        return Err(vec![problem(
            "is also the name of an asset; choose another name".into(),
        )]);
    }
    if inputs.is_empty() {
        return Err(vec![problem("lists no inputs".into())]);
    }
    let mut problems = Vec::new();
    let mut parts = Vec::new();
    for logical in inputs {
        let Some(bytes) = files.get(logical) else {
            problems.push(problem(format!("lists `{logical}`, which is not an asset")));
            continue;
        };
        if Kind::of(logical) != kind {
            problems.push(problem(format!(
                "lists `{logical}`, which is not a {kind:?} file"
            )));
            continue;
        }
        let display = display(logical);
        let input = Input {
            location: name,
            part: true,
            ..Input::new(logical, &display, options, files)
        };
        match transform(&input, &bytes) {
            Ok(mut part) => {
                for r in &mut part.refs {
                    r.origin = Some(display.clone());
                }
                parts.push(part);
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    join(kind, parts).map_err(|e| vec![problem(format!("source map: {e}"))])
}

/// The configured bundles, each an entry of its own, built with `transform` (the cached
/// transform of a part).
pub(crate) fn build_all(
    settings: &Settings,
    options: &TransformOptions,
    sources: &[Source],
    files: &Files,
    transform: impl Fn(&Input, &[u8]) -> Result<Transformed, Diagnostic>,
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
        match build(options, files, name, inputs, display, &transform) {
            Ok(mut out) => {
                Input::new(name, name, options, files).link_map(&mut out, Kind::of(name));
                entries.push(Entry {
                    logical: name.clone(),
                    display: format!("bundle `{name}`"),
                    out,
                    stream: None,
                    digest: None,
                });
            }
            Err(bundle_problems) => problems.extend(bundle_problems),
        }
    }
    (entries, problems)
}

/// Concatenates the parts, and their maps with the right line offsets.
fn join(kind: Kind, parts: Vec<Transformed>) -> Result<Transformed, String> {
    let separator = if kind == Kind::Css {
        "\n"
    } else {
        JS_SEPARATOR
    };
    let with_maps = parts.iter().all(|p| p.map.is_some());
    let mut out = Transformed::default();
    let mut map = SourceMap::new("/");
    let mut refs: Vec<Ref> = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.bytes.extend_from_slice(separator.as_bytes());
        }
        let line = out.bytes.iter().filter(|&&b| b == b'\n').count() as i64;
        if let (true, Some(json)) = (with_maps, &part.map) {
            let mut part_map = sourcemap::parse(json)?;
            map.add_sourcemap(&mut part_map, line)
                .map_err(|e| format!("{e:?}"))?;
        }
        out.bytes.extend_from_slice(&part.bytes);
        refs.extend(part.refs);
        out.warnings.extend(part.warnings);
        out.reads.extend(part.reads);
    }
    out.refs = refs;
    if with_maps {
        out.map = Some(sourcemap::finish(map, None)?);
    }
    Ok(out)
}
