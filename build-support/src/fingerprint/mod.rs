//! The build's fingerprint: when nothing a build reads has changed since the last successful
//! build into the same out dir, and what that build wrote is still there, the build answers
//! from its record without reading, transforming or hashing a single asset.
//!
//! - **Inputs** (every asset, template and Sass load-path file) are stamped with their metadata: size,
//!   modification time and inode. A file whose stamp matches the record is unchanged, unread,
//!   unless it was modified within [`RACY`] of the stamping: file systems keep modification
//!   times at a coarse tick, so an edit in the same tick can keep the stamp (as git's index
//!   does, such a file is always checked by content).
//!   A file whose stamp differs (a `touch`, a checkout or an editor that rewrote the same
//!   bytes) is read and hashed, and is unchanged when its SHA-256 matches the record's; the
//!   record then takes its new stamp. A file added or removed is a change.
//! - **Identity**: the config, the `ASSETLOCK_*` and cargo variables, the version of this
//!   crate and the build script binary itself. Anything else changed is a full build.
//! - **Outputs** (the generated code, `manifest.json`, the pack and every artifact file) are
//!   stamped too: one deleted or rewritten since is a full build.
//!
//! The record (in the cache dir, one per out dir) keeps a [`digest`] of the bytes the build read,
//! so a file changed while the build ran is seen as changed by the next one. A full build
//! reuses the digest of every file whose stamp still matches, so it hashes only what changed.

mod record;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::discover::Source;
use crate::error::Diagnostic;
use crate::output::{Output, Stats};
use crate::settings::Settings;
use crate::{cargo, hash};
use assetlock_contract::layout;

use record::{Input, Record, Stamp};

/// Where the record of the build into `settings.out_dir` lives: in the cache dir, as the
/// record holds this machine's paths and times, which the out dir's files never do.
fn record_path(settings: &Settings) -> PathBuf {
    let out_dir = settings.out_dir.to_string_lossy();
    let key = hash::hex(&hash::sha256(out_dir.as_bytes()));
    settings.cache_dir.join("fingerprints").join(&key[..32])
}

/// Files modified this close to the stamping are checked by content: wider than the coarsest
/// modification-time tick of common file systems (2 s on FAT).
const RACY: Duration = Duration::from_secs(3);

/// The hashed identity of a build's settings and of the code that runs it.
pub(crate) fn identity(config: &Config, previous_releases: Option<&(PathBuf, usize)>) -> String {
    let mut hasher = hash::FieldHasher::default();
    hasher
        .field(env!("CARGO_PKG_VERSION"))
        .field(format!("{config:?}"));
    // A release uploaded since is a new dictionary: the names of the records tell.
    if let Some((dir, _)) = previous_releases {
        hasher.field(crate::discover::previous::record_names(dir).join("\n"));
    }
    for (name, value) in cargo::build_vars() {
        hasher.field(name).field(value);
    }
    // A rebuilt build script (a new version of this crate, or of the user's build.rs) is a
    // new binary: size and modification time tell.
    let exe = std::env::current_exe().ok().and_then(|p| Stamp::of(&p));
    hasher.field(format!("{exe:?}"));
    hash::hex(&hasher.finish())
}

/// The inputs of one build, stamped before any is read.
pub(crate) struct Inputs {
    /// Everything besides the input files that shapes the output, hashed: the config, the
    /// variables and this build script ([`identity`]).
    identity: String,
    /// Source files by logical path, then template files by path: (path, logical, stamp).
    files: Vec<(PathBuf, Option<String>, Option<Stamp>)>,
    /// When they were stamped, in ns since the epoch.
    stamped_at: u128,
    /// The record of the last successful build into the same out dir, read before this
    /// build removes it.
    last: Option<Record>,
}

impl Inputs {
    /// Stamps every source and every file under the template dirs and the Sass load paths,
    /// for a build of the given [`identity`].
    pub(crate) fn stamp(settings: &Settings, sources: &[Source], identity: String) -> Inputs {
        let stamped_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let sources = sources
            .iter()
            .map(|s| (s.path.clone(), Some(s.logical.clone())));
        let dirs = settings
            .template_dirs
            .iter()
            .chain(&settings.sass_load_paths);
        let templates = dirs.flat_map(|dir| {
            WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| (e.into_path(), None))
        });
        let files: Vec<(PathBuf, Option<String>)> = sources.chain(templates).collect();
        // One `stat` per file, on every thread: a build that changed nothing is little else.
        let files = files
            .into_par_iter()
            .map(|(path, logical)| {
                let stamp = Stamp::of(&path);
                (path, logical, stamp)
            })
            .collect();
        let last = std::fs::read_to_string(record_path(settings))
            .ok()
            .and_then(|text| Record::parse(&text));
        Inputs {
            identity,
            files,
            stamped_at,
            last,
        }
    }

    /// The size of each source when it was stamped, in the order of the sources; `None` for
    /// one that could not be read.
    pub(crate) fn source_sizes(&self) -> impl Iterator<Item = Option<u64>> + '_ {
        self.files
            .iter()
            .filter(|(_, logical, _)| logical.is_some())
            .map(|(_, _, stamp)| stamp.as_ref().map(Stamp::size))
    }

    /// The last build's output, when neither its inputs, its identity nor its outputs have
    /// changed; `None` means build.
    pub(crate) fn unchanged(&self, settings: &Settings) -> Option<Output> {
        // The Tailwind CSS CLI scans files no stamp covers (it finds them itself): a build
        // with Tailwind entries always runs it.
        if settings.tailwind.is_some() {
            return None;
        }
        let mut record = self.last.clone()?;
        if record.identity != self.identity || record.inputs.len() != self.files.len() {
            return None;
        }
        let racy_since = record.stamped_at.saturating_sub(RACY.as_nanos());
        let mut checked = false;
        for ((path, _, stamp), input) in self.files.iter().zip(&mut record.inputs) {
            let stamp = (*stamp)?;
            if *path != input.path {
                return None;
            }
            if stamp != input.stamp || stamp.modified >= racy_since {
                let sha256 = crate::discover::stream::sha256_file(path).ok()?;
                if hash::hex(&sha256) != input.digest {
                    return None;
                }
                input.stamp = stamp;
                checked = true;
            }
        }
        if outputs(settings) != record.outputs {
            return None;
        }
        if checked {
            // Every input is as recorded as of this stamping: files modified well before it
            // are no longer racy. Best effort: without it, the next run checks them again.
            record.stamped_at = self.stamped_at;
            let _ = crate::fs::write_if_changed(&record_path(settings), record.render().as_bytes());
        }
        Some(Output {
            build_id: record.build_id,
            out_dir: settings.out_dir.clone(),
            urls: record.urls,
            warnings: record
                .warnings
                .into_iter()
                .map(Diagnostic::from_stored)
                .collect(),
            stats: Stats {
                unchanged: true,
                ..Stats::default()
            },
        })
    }

    /// Records a successful build: the SHA-256 of the bytes it read (`digests`, by logical
    /// path), reusing the last record's for files whose stamp still matches, and the stamps of
    /// what it wrote.
    pub(crate) fn record(
        &self,
        settings: &Settings,
        digests: &BTreeMap<String, [u8; 32]>,
        output: &Output,
    ) {
        let last: BTreeMap<&PathBuf, &Input> = self
            .last
            .iter()
            .flat_map(|r| &r.inputs)
            .map(|i| (&i.path, i))
            .collect();
        let mut inputs = Vec::with_capacity(self.files.len());
        for (path, logical, stamp) in &self.files {
            let Some(stamp) = *stamp else {
                // Unreadable metadata: no record, so the next build is a full one.
                forget(settings);
                return;
            };
            let racy_since = self.stamped_at.saturating_sub(RACY.as_nanos());
            let digest = match last.get(path) {
                Some(input) if input.stamp == stamp && stamp.modified < racy_since => {
                    input.digest.clone()
                }
                _ => match logical.as_ref().and_then(|l| digests.get(l)) {
                    Some(sha256) => hash::hex(sha256),
                    // A template: read now, a chunk at a time.
                    _ => match crate::discover::stream::sha256_file(path) {
                        Ok(sha256) => hash::hex(&sha256),
                        Err(_) => {
                            forget(settings);
                            return;
                        }
                    },
                },
            };
            inputs.push(Input {
                path: path.clone(),
                stamp,
                digest,
            });
        }
        let record = Record {
            identity: self.identity.clone(),
            stamped_at: self.stamped_at,
            inputs,
            outputs: outputs(settings),
            build_id: output.build_id.clone(),
            urls: output.urls.clone(),
            warnings: output.warnings.iter().map(Diagnostic::to_stored).collect(),
        };
        let text = record.render();
        if Record::parse(&text).as_ref() == Some(&record) {
            let _ = crate::fs::write_if_changed(&record_path(settings), text.as_bytes());
        } else {
            // A path this format cannot hold (a line break in a file name): no shortcut.
            forget(settings);
        }
    }
}

/// Removes the record, so the next build is a full one (after a failed build, whose outputs
/// no longer match it).
pub(crate) fn forget(settings: &Settings) {
    let _ = std::fs::remove_file(record_path(settings));
}

/// The stamps of everything a build wrote, by path relative to the out dir.
fn outputs(settings: &Settings) -> BTreeMap<String, Stamp> {
    let out = &settings.out_dir;
    let files = [layout::GENERATED, layout::MANIFEST_JSON, layout::PACK]
        .into_iter()
        .map(|f| out.join(f));
    let dist = WalkDir::new(out.join(layout::DIST))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path);
    let paths: Vec<PathBuf> = files.chain(dist).collect();
    paths
        .into_par_iter()
        .filter_map(|path| {
            let stamp = Stamp::of(&path)?;
            let relative = path.strip_prefix(out).ok()?;
            Some((relative.to_string_lossy().into_owned(), stamp))
        })
        .collect()
}

#[cfg(test)]
mod tests;
