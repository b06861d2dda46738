//! `--pull-releases DIR --keep N`: what a delta build needs from any destination, copied into
//! a local directory for `ASSETLOCK_PREVIOUS_RELEASES`.
//!
//! The newest N release records (ranked as prune ranks them, by the store's clock; with trusted
//! keys, only records one of them signed), laid out as in the bucket
//! (`DIR/.assetlock/releases/<build id>.json`), and their text assets, the ones with
//! precompressed variants that deltas are made for (source maps aside), at their hashed paths.
//! Each object is checked against its record's size and SHA-256 before it is kept, and written
//! under a temporary name first, so a file in `DIR` is always whole and right. A re-run fetches
//! only what is missing.

use std::path::{Path, PathBuf};

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use futures::StreamExt;
use object_store::ObjectStoreExt;
use sha2::{Digest, Sha256};

use super::error::{Failure, describe};
use super::listing::Listing;
use super::prune::{plan, read_releases};
use super::report::Report;
use super::{Destination, Error, Options, Source, signing};

/// A file to have in the directory: its key, and the size and SHA-256 it must have.
struct Wanted {
    key: String,
    size: u64,
    sha256: Option<String>,
    /// The record's own bytes: written as read, nothing to fetch.
    text: Option<bytes::Bytes>,
}

pub(crate) async fn pull(
    source: &Source,
    dest: &Destination,
    options: &Options,
    (dir, keep): (&Path, usize),
    mut report: Report,
) -> Result<Report, Error> {
    let listing = Listing::fetch(dest).await?;
    let trusted = source.trusted_keys()?;
    let read = read_releases(dest, &listing, options.concurrency).await?;
    let (texts, releases): (Vec<_>, Vec<_>) = read
        .into_iter()
        .filter(|(text, _)| signing::trusted_record(text, &trusted).is_ok())
        .unzip();
    let ranked = plan::newest_first(&listing, &releases);
    let mut wanted = Vec::new();
    for (release, _) in ranked.into_iter().take(keep) {
        let index = releases.iter().position(|r| r.build_id == release.build_id);
        let Some(text) = index.map(|i| texts[i].clone()) else {
            continue;
        };
        let record = ManifestJson::parse(&text).map_err(Error::prune)?;
        for (logical, asset) in &record.assets {
            if asset.encodings.is_empty() || logical.ends_with(".map") {
                continue;
            }
            wanted.push(Wanted {
                key: asset.path.clone(),
                size: asset.size,
                sha256: Some(asset.sha256.clone()),
                text: None,
            });
        }
        wanted.push(Wanted {
            key: layout::release_key(&record.build_id),
            size: text.len() as u64,
            sha256: None,
            text: Some(text),
        });
        report.kept_builds.push(record.build_id);
    }
    let mut fetches = futures::stream::iter(wanted)
        .map(|file| async move {
            let result = have(dest, dir, &file).await;
            (file, result)
        })
        .buffer_unordered(options.concurrency);
    let mut failures = Vec::new();
    while let Some((file, result)) = fetches.next().await {
        match result {
            Ok(true) => {
                report.uploaded_bytes += file.size;
                report.uploaded.push(file.key);
            }
            Ok(false) => report.skipped += 1,
            Err(message) => failures.push(Failure::new(file.key, message)),
        }
    }
    report.uploaded.sort();
    match failures.is_empty() {
        true => Ok(report),
        false => {
            let total = failures.len() + report.uploaded.len() + report.skipped;
            Err(Error::pull(failures, total))
        }
    }
}

/// Makes sure `file` is in `dir`, whole and right; whether it had to be fetched.
async fn have(dest: &Destination, dir: &Path, file: &Wanted) -> Result<bool, String> {
    let target = dir.join(&file.key);
    if let Ok(existing) = tokio::fs::read(&target).await
        && matches(file, &existing)
    {
        return Ok(false);
    }
    let bytes = match &file.text {
        Some(text) => text.clone(),
        None => {
            let path = dest.key(&file.key)?;
            let result = dest.store().get(&path).await.map_err(|e| describe(&e))?;
            result.bytes().await.map_err(|e| describe(&e))?
        }
    };
    if !matches(file, &bytes) {
        return Err(format!(
            "{} bytes that are not what its release record says; not kept",
            bytes.len()
        ));
    }
    write_whole(&target, &bytes)
        .await
        .map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(true)
}

fn matches(file: &Wanted, bytes: &[u8]) -> bool {
    let sha256 = || crate::dist::hex(&Sha256::digest(bytes));
    bytes.len() as u64 == file.size && file.sha256.as_ref().is_none_or(|s| *s == sha256())
}

/// Writes `bytes` under a temporary name beside `target`, then renames it into place.
async fn write_whole(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    tokio::fs::create_dir_all(parent).await?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temporary: PathBuf = parent.join(format!(".{name}.{}", std::process::id()));
    tokio::fs::write(&temporary, bytes).await?;
    tokio::fs::rename(&temporary, target).await
}
