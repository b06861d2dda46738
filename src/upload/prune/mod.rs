//! `--prune --keep N --grace DURATION`: deletes what assetlock wrote and no recent release
//! uses, by the store's clock, never anything else.
//!
//! A run takes a lease ([`super::lease`]), lists the prefix, reads every release record,
//! decides ([`plan`]) and deletes: release records first, so that an interrupted prune leaves
//! unreferenced objects (deleted next time), never a record that names deleted objects. It
//! refuses a destination without a prefix unless forced, and on a local directory never
//! deletes through a symbolic link.

pub(crate) mod plan;

use std::path::Path;
use std::time::Duration;

use assetlock_contract::layout;
use futures::StreamExt;
use object_store::ObjectStoreExt;

use super::error::{Failure, describe};
use super::lease::Lease;
use super::listing::Listing;
use super::progress::Meter;
use super::release::Release;
use super::report::{self, Report};
use super::{Destination, Error, Options, Source, clock, signing};
use plan::{Current, Plan, Policy};

pub(crate) async fn prune(
    source: &Source,
    dest: &Destination,
    options: &Options,
    (keep, grace): (usize, Duration),
    report: Report,
) -> Result<Report, Error> {
    if dest.prefix().is_empty() && !options.force {
        return Err(Error::usage(format!(
            "{dest} has no key prefix: a prune there would decide over every object of the \
             bucket; give a prefix (s3://bucket/assets), or --force if the whole bucket is \
             assetlock's"
        )));
    }
    let lease = Lease::take(dest, source.build_id()).await?;
    let result = prune_under(source, dest, options, (keep, grace), report, &lease).await;
    let released = lease.release(dest).await;
    let report = result?;
    released.map(|()| report)
}

async fn prune_under(
    source: &Source,
    dest: &Destination,
    options: &Options,
    (keep, grace): (usize, Duration),
    mut report: Report,
    lease: &Lease,
) -> Result<Report, Error> {
    let listing = Listing::fetch(dest).await?;
    let now = lease.store_now(&listing).ok_or_else(|| {
        Error::prune(format!(
            "the lease {} is not listed at {dest} right after it was stored",
            lease.key
        ))
    })?;
    report.warnings.extend(clock::skew_warning(now));
    let current_record = layout::release_key(source.build_id());
    if listing.get(&current_record).is_none() {
        return Err(Error::prune(format!(
            "build {} has no release record at {dest}; upload it first (prune only runs where \
             the current build is completely uploaded)",
            source.build_id()
        )));
    }
    let trusted = source.trusted_keys()?;
    let read = read_releases(dest, &listing, options.concurrency).await?;
    let (releases, untrusted): (Vec<_>, Vec<_>) = read
        .into_iter()
        .partition(|(text, _)| signing::trusted_record(text, &trusted).is_ok());
    let releases: Vec<Release> = releases.into_iter().map(|(_, release)| release).collect();
    if let Some((_, first)) = untrusted.first() {
        report.warnings.push(format!(
            "{} release records are not signed by a key this build trusts (the first: build \
             {}): never kept as releases",
            untrusted.len(),
            first.build_id
        ));
    }
    let current = Current {
        build_id: source.build_id(),
        keys: source.manifest().keys().map(str::to_owned).collect(),
    };
    let policy = Policy { keep, grace, now };
    let Plan {
        delete,
        in_grace,
        left_alone,
        kept_builds,
    } = plan::plan(&listing, &releases, current, policy);
    report.in_grace = in_grace;
    report.left_alone = left_alone;
    report.kept_builds = kept_builds;
    let (delete, linked) = outside_links(dest, delete);
    report.left_alone += linked.len();
    if let Some(first) = linked.first() {
        report.warnings.push(format!(
            "{} keys are reached through a symbolic link under {dest} (the first: {first}); \
             left alone",
            linked.len()
        ));
    }
    if options.dry_run {
        report.deleted_bytes = delete.iter().map(|(_, size)| size).sum();
        report.deleted = delete.into_iter().map(|(key, _)| key).collect();
        return Ok(report);
    }
    delete_all(dest, options, delete, lease, report).await
}

/// Deletes records first, then the rest, while the lease holds.
async fn delete_all(
    dest: &Destination,
    options: &Options,
    delete: Vec<(String, u64)>,
    lease: &Lease,
    mut report: Report,
) -> Result<Report, Error> {
    let (records, objects): (Vec<_>, Vec<_>) = delete
        .into_iter()
        .partition(|(key, _)| layout::is_release_record(key));
    let meter = Meter::start(options.progress, records.len() + objects.len(), "deleting");
    let mut failures = Vec::new();
    for batch in [records, objects] {
        let mut deletions = futures::stream::iter(batch)
            .map(|(key, size)| async move {
                let result = match (lease.expiring(), dest.key(&key)) {
                    (true, _) => Err("not deleted: the prune's lease is running out".to_owned()),
                    (false, Ok(path)) => match dest.store().delete(&path).await {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                        Err(e) => Err(describe(&e)),
                    },
                    (false, Err(message)) => Err(message),
                };
                (key, size, result)
            })
            .buffer_unordered(options.concurrency);
        while let Some((key, size, result)) = deletions.next().await {
            match result {
                Ok(()) => {
                    meter.step(|| format!("deleted {key} ({})", report::bytes(size)));
                    report.deleted_bytes += size;
                    report.deleted.push(key);
                }
                Err(message) => failures.push(Failure::new(key, message)),
            }
        }
        if !failures.is_empty() {
            break;
        }
    }
    meter.finish();
    report.deleted.sort();
    match failures.is_empty() {
        true => Ok(report),
        false => Err(Error::delete(failures)),
    }
}

/// Splits off the keys of a local directory that a symbolic link leads to: the listing
/// follows links, a prune never deletes through one.
fn outside_links(
    dest: &Destination,
    delete: Vec<(String, u64)>,
) -> (Vec<(String, u64)>, Vec<String>) {
    let Some(root) = dest.local_root() else {
        return (delete, Vec::new());
    };
    let (linked, direct): (Vec<_>, Vec<_>) = delete
        .into_iter()
        .partition(|(key, _)| through_link(root, key));
    (direct, linked.into_iter().map(|(key, _)| key).collect())
}

/// Whether any part of `key` under `root`, the file included, is a symbolic link (or cannot
/// be checked).
fn through_link(root: &Path, key: &str) -> bool {
    let mut path = root.to_path_buf();
    key.split('/').any(|part| {
        path.push(part);
        std::fs::symlink_metadata(&path).map_or(true, |m| m.file_type().is_symlink())
    })
}

/// Reads every release record listed, with its text (for its signature); one that cannot be
/// read, or that names another build than its key, stops the prune. One deleted since the
/// LIST is left out.
pub(crate) async fn read_releases(
    dest: &Destination,
    listing: &Listing,
    concurrency: usize,
) -> Result<Vec<(bytes::Bytes, Release)>, Error> {
    // Owned keys: a stream over borrowed ones would keep the future from being `Send`.
    let keys: Vec<String> = listing
        .objects
        .keys()
        .filter(|key| layout::is_release_record(key))
        .cloned()
        .collect();
    let mut reads = futures::stream::iter(keys)
        .map(|key| async move {
            let path = dest
                .key(&key)
                .map_err(|e| Error::prune(format!("release record {key}: {e}")))?;
            let what = || format!("reading release record {key}");
            let bytes = match dest.store().get(&path).await {
                Ok(result) => result.bytes().await,
                Err(e) => Err(e),
            };
            let bytes = match bytes {
                Ok(bytes) => bytes,
                // Deleted since the LIST by a prune running at the same time, which found the
                // release dropped: so it is.
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(Error::store(dest.service(), what(), &e)),
            };
            let release = Release::parse(&bytes)
                .map_err(|e| Error::prune(format!("release record {key} cannot be read: {e}")))?;
            match layout::release_key(&release.build_id) == key {
                true => Ok(Some((bytes, release))),
                false => Err(Error::prune(format!(
                    "release record {key} is the record of build {}",
                    release.build_id
                ))),
            }
        })
        .buffer_unordered(concurrency);
    let mut releases = Vec::new();
    while let Some(release) = reads.next().await {
        releases.extend(release?);
    }
    Ok(releases)
}
