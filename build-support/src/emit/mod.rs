//! Emitting: writes the outputs under the out dir (the artifact dir, the pack and the files
//! [`generate`] rendered), touching only files whose content changed.

mod mounts;

pub(crate) use mounts::live_mounts;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use assetlock_contract::layout;

use crate::error::{Diagnostic, Error};
use crate::fs;
use crate::generate::{self, codegen};
use crate::name::built::{self, Built, Content};
use crate::output::{Output, Stats};
use crate::settings::Settings;

/// Writes the artifact dir, `manifest.json`, the generated code and (when embedding) the
/// pack; returns what the build script reports.
pub(crate) fn emit_all(
    settings: &Settings,
    assets: Vec<Built>,
    warnings: Vec<Diagnostic>,
    stats: Stats,
) -> Result<Output, Error> {
    let build_id = built::build_id(&settings.url_prefix, &assets);
    let bytes = if settings.embed {
        codegen::Bytes::Embed
    } else {
        codegen::Bytes::Dist
    };
    // The files are written while the manifest and the generated code are rendered.
    let (mut problems, outputs) = rayon::join(
        || write_files(settings, &assets, bytes),
        || generate::render(settings, &build_id, &assets, bytes),
    );
    for (path, contents) in outputs {
        if let Err(e) = fs::write_if_changed(&path, &contents) {
            problems.push(write_error(&path, e));
        }
    }
    if settings.library.is_none() {
        // A crate that was a library earlier: its macros must not expand as a library's.
        let _ = std::fs::remove_file(settings.out_dir.join(layout::LIBRARY));
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

/// Writes the artifact files and, when embedding, the pack.
fn write_files(settings: &Settings, assets: &[Built], bytes: codegen::Bytes) -> Vec<Diagnostic> {
    let pack_path = settings.out_dir.join(layout::PACK);
    // The pack is one sequential write: it runs beside the artifact files, which are written
    // on the other threads.
    let (mut problems, pack) = rayon::join(
        || write_dist(settings, assets),
        || match bytes {
            codegen::Bytes::Embed => {
                fs::write_through(&pack_path, |out| codegen::write_pack(assets, out))
            }
            // A pack from an earlier embedded build would only take room.
            codegen::Bytes::Dist => {
                let _ = std::fs::remove_file(&pack_path);
                Ok(())
            }
        },
    );
    if let Err(e) = pack {
        problems.push(write_error(&pack_path, e));
    }
    problems
}

/// Writes the artifact files and removes artifacts of earlier builds, so the artifact dir
/// holds exactly this build.
pub(crate) fn write_dist(settings: &Settings, assets: &[Built]) -> Vec<Diagnostic> {
    let dist = settings.dist_dir();
    // A dir this build creates holds nothing stale.
    let existed = dist.exists();
    let files: Vec<(PathBuf, Content)> = assets
        .iter()
        .flat_map(Built::files)
        .map(|(hashed_path, content)| (dist.join(hashed_path), content))
        .collect();
    let mut problems: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(path, content)| {
            let written = match content {
                Content::Bytes(bytes) => fs::write_if_changed(path, bytes),
                Content::File(source, size) => fs::copy_if_changed(source, path, *size),
            };
            written.err().map(|e| write_error(path, e))
        })
        .collect();
    if existed {
        let wanted: HashSet<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
        if let Err(e) = remove_stale(&dist, &wanted) {
            problems.push(write_error(&dist, e));
        }
    }
    problems
}

pub(crate) fn write_error(path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path.display().to_string(), "cannot write output").caused_by(e)
}

fn remove_stale(dist: &Path, wanted: &HashSet<PathBuf>) -> io::Result<()> {
    let mut dirs = Vec::new();
    for entry in WalkDir::new(dist).min_depth(1).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if !wanted.contains(entry.path()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    for dir in dirs {
        // Only succeeds for dirs left empty.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_artifacts_and_empty_dirs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("css/app.1.css");
        let stale = dir.path().join("old/app.0.css");
        fs::write_if_changed(&keep, b"keep").unwrap();
        fs::write_if_changed(&stale, b"stale").unwrap();
        remove_stale(dir.path(), &HashSet::from([keep.clone()])).unwrap();
        assert!(keep.exists());
        assert!(!stale.exists());
        assert!(!dir.path().join("old").exists());
    }
}
