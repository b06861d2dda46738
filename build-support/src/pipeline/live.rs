//! Live mode's compiler: the build script, run again by a live server, compiles one
//! TypeScript, Sass or Tailwind CSS source with the build's own settings (see
//! `assetlock_contract::live`).
//!
//! The source goes through its transform as in a build, unminified. Each reference then
//! points at the live URL of what it names (its logical path, which the server compiles or
//! reads in turn) instead of a hashed name, and the source map is inlined, so that nothing
//! of the answer is a file the server would have to find.

use std::path::{Path, PathBuf};

use assetlock_contract::live::Compiled;
use assetlock_contract::url::encode_path;
use base64::Engine;

use crate::config::Config;
use crate::discover;
use crate::error::Diagnostic;
use crate::reference::{relative_path, replace_all};
use crate::settings::Settings;
use crate::transform::{self, Input, TransformOptions, Transformed};

/// Compiles `logical` for a live server and writes the [`Compiled`] to `output`. `dir`, when
/// given, replaces the asset dirs (the server's own copy of the sources).
///
/// # Errors
///
/// Only when `output` cannot be written: a failed compile is an answer too.
pub(super) fn answer(
    config: &Config,
    logical: &str,
    output: &Path,
    dir: Option<PathBuf>,
) -> std::io::Result<()> {
    // Dependency crates' assets are found through `cargo metadata`, which takes longer than
    // most compiles: only a crate's own source needs them. A reference from the app's source
    // to one of them is kept as written, which is its live URL.
    let mut config = config.clone();
    if !logical.starts_with(crate::settings::crates::NAMESPACE) {
        config.dependency_assets.clear();
    }
    let compiled = Settings::resolve(&config)
        .map_err(lines)
        .and_then(|mut settings| {
            if let Some(dir) = dir {
                settings.asset_dirs = vec![dir];
            }
            // The transforms expect the pipeline's stack, which this thread may not have.
            std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .stack_size(transform::STACK_SIZE)
                    .spawn_scoped(scope, || compile(&settings, logical))
                    .map_err(|e| e.to_string())?
                    .join()
                    .map_err(|_| format!("{logical}: the live compile panicked, a bug to report"))
            })
        })
        .unwrap_or_else(|error| Compiled {
            output: Err(error),
            inputs: Vec::new(),
            dirs: Vec::new(),
        });
    std::fs::write(output, compiled.render())
}

fn compile(settings: &Settings, logical: &str) -> Compiled {
    let (sources, _) = discover::walk::discover(settings);
    let Some(source) = sources.iter().find(|s| s.logical == logical).cloned() else {
        return Compiled {
            output: Err(format!("{logical}: not a source of this build")),
            inputs: Vec::new(),
            dirs: Vec::new(),
        };
    };
    let sized: Vec<_> = sources
        .into_iter()
        .map(|s| {
            let size = std::fs::metadata(&s.path).map_or(0, |m| m.len());
            (s, size)
        })
        .collect();
    let files = discover::walk::index_all(&sized);
    let options = TransformOptions {
        minify: false,
        ..TransformOptions::new(settings)
    };
    let input = Input::new(&source.logical, &source.display, &options, &files);
    let transformed = std::fs::read(&source.path)
        .map_err(|e| Diagnostic::new(&source.display, "cannot read").caused_by(e))
        .and_then(|bytes| transform::transform(&input, &bytes));
    let mut inputs = vec![source.path.to_string_lossy().into_owned()];
    // The CLI detects classes in every file under its working dir (the crate root), and
    // in the folders an entry names with `@source`.
    let dirs = match options.tailwind_entry(logical) {
        Some(tailwind) => std::iter::once(&tailwind.cwd)
            .chain(&tailwind.sources)
            .chain(&settings.template_dirs)
            .chain(&settings.asset_dirs)
            .map(|d| d.to_string_lossy().into_owned())
            .collect(),
        None => Vec::new(),
    };
    let output = match transformed {
        Ok(out) => {
            inputs.extend(out.reads.iter().filter_map(|(read, _)| {
                let path = Path::new(read);
                let path = if path.is_absolute() {
                    Some(path)
                } else {
                    files.path(read)
                };
                Some(path?.to_string_lossy().into_owned())
            }));
            Ok(linked(settings, logical, &files, out))
        }
        Err(problem) => Err(problem.to_string()),
    };
    Compiled {
        output,
        inputs,
        dirs,
    }
}

/// The output with every reference pointing at a live URL, and the map inlined.
fn linked(settings: &Settings, logical: &str, files: &discover::Files, out: Transformed) -> String {
    let own_map = format!("{logical}.map");
    let mut bytes = out.bytes;
    for r in &out.refs {
        let url = match &out.map {
            Some(map) if r.target == own_map => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(map);
                format!("data:application/json;base64,{encoded}")
            }
            _ if !files.contains_key(&r.target) => r.plain_url.clone(),
            _ if r.plain_url.starts_with('/') => {
                format!("{}{}", settings.mount_path(), encode_path(&r.target))
            }
            _ => match encode_path(&relative_path(logical, &r.target)) {
                up if up.starts_with("../") => up,
                here => format!("./{here}"),
            },
        };
        bytes = replace_all(&bytes, r.marker_url.as_bytes(), url.as_bytes());
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn lines(problems: Vec<Diagnostic>) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
