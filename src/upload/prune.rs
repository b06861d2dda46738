//! `--prune --keep N --grace DURATION`: deletes what no recent release uses.
//!
//! Kept: every object of this build, every object referenced by the N most recently deployed
//! releases or by a release deployed within the grace period, those records and the latest
//! deploy event of each, anything else under `.assetlock/`, and anything modified more recently
//! than the grace period (by the store's last-modified time).
//!
//! A release's deploy time is the latest of its upload and its deploy events: every upload run
//! writes one (`.assetlock/deploys/<µs>-<build id>.json`), even when it uploads nothing, so a
//! rollback to an older build ranks that build as the newest, and a prune after it never
//! deletes the objects of servers still running it. Everything else under the prefix is
//! deleted, old release records included: the prefix belongs to assetlock.
//!
//! Releases within the grace period keep their objects because a content-addressed object's
//! last-modified time is its *first* upload: a build released a minute ago may share a font
//! first uploaded a year ago, and servers may be rolling out that build right now. So every
//! record that survives a prune has all its objects.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use object_store::ObjectStoreExt;

use super::error::{Failure, describe};
use super::listing::Listing;
use super::progress::Meter;
use assetlock_contract::layout;

use super::release::Release;
use super::report::{self, Report};
use super::{Destination, Error, Options, Source};

/// What a prune deletes and keeps.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Keys and sizes to delete: release records first, then objects.
    pub(crate) delete: Vec<(String, u64)>,
    /// Unreferenced objects kept because they are newer than the grace period.
    pub(crate) in_grace: usize,
    /// The builds whose objects are kept, newest release first: the newest N, those released
    /// within the grace period, and this build.
    pub(crate) kept_builds: Vec<String>,
}

/// The decision, from the listing and the parsed records alone.
pub(crate) fn plan(
    listing: &Listing,
    releases: &[Release],
    current: (&str, BTreeSet<String>),
    keep: usize,
    grace: Duration,
    now: SystemTime,
) -> Plan {
    let (current_id, current_keys) = current;
    let in_grace = |time: SystemTime| now.duration_since(time).unwrap_or_default() < grace;
    let mut newest: Vec<&Release> = releases.iter().collect();
    newest.sort_by(|a, b| (b.deployed_at, &b.build_id).cmp(&(a.deployed_at, &a.build_id)));
    let recent = newest
        .iter()
        .skip(keep)
        .take_while(|r| in_grace(r.deployed_at))
        .count();
    newest.truncate(keep + recent);

    let mut kept_builds: Vec<String> = newest.iter().map(|r| r.build_id.clone()).collect();
    if !kept_builds.iter().any(|id| id == current_id) {
        kept_builds.push(current_id.to_owned());
    }
    let mut referenced = current_keys;
    for release in &newest {
        referenced.extend(release.keys.iter().cloned());
    }
    referenced.extend(kept_builds.iter().map(|id| layout::release_key(id)));

    let mut plan = Plan {
        kept_builds,
        ..Plan::default()
    };
    // Deploy events: the latest of each kept build stays, the rest are history.
    let mut latest_events: BTreeMap<&str, &str> = BTreeMap::new();
    for key in listing.objects.keys() {
        if let Some((_, build_id)) = layout::parse_deploy_key(key)
            && plan.kept_builds.iter().any(|id| id == build_id)
        {
            latest_events.insert(build_id, key); // keys sort by time
        }
    }
    referenced.extend(latest_events.into_values().map(str::to_owned));
    let mut objects = Vec::new();
    for (key, listed) in &listing.objects {
        let managed = layout::is_release_record(key) || layout::parse_deploy_key(key).is_some();
        let unmanaged = layout::is_meta(key) && !managed;
        if referenced.contains(key) || unmanaged {
            continue;
        }
        if in_grace(listed.last_modified) {
            plan.in_grace += 1;
        } else if layout::is_release_record(key) {
            plan.delete.push((key.clone(), listed.size));
        } else {
            objects.push((key.clone(), listed.size));
        }
    }
    plan.delete.extend(objects);
    plan
}

pub(crate) async fn prune(
    source: &Source,
    dest: &Destination,
    options: &Options,
    (keep, grace): (usize, Duration),
    mut report: Report,
) -> Result<Report, Error> {
    let listing = Listing::fetch(dest).await?;
    let current_record = layout::release_key(source.build_id());
    if listing.get(&current_record).is_none() {
        return Err(Error::prune(format!(
            "build {} has no release record at {dest}; upload it first (prune only runs where \
             the current build is completely uploaded)",
            source.build_id()
        )));
    }
    let mut releases = read_releases(dest, &listing, options.concurrency).await?;
    add_deploys(&mut releases, &listing);
    let current_keys = source.manifest().keys().map(str::to_owned).collect();
    let current = (source.build_id(), current_keys);
    let plan = plan(&listing, &releases, current, keep, grace, SystemTime::now());
    report.in_grace = plan.in_grace;
    report.kept_builds = plan.kept_builds;
    if options.dry_run {
        report.deleted_bytes = plan.delete.iter().map(|(_, size)| size).sum();
        report.deleted = plan.delete.into_iter().map(|(key, _)| key).collect();
        return Ok(report);
    }

    // Records go first: an interrupted prune leaves unreferenced objects (deleted next time),
    // never a record that names deleted objects.
    let (records, objects): (Vec<_>, Vec<_>) = plan
        .delete
        .into_iter()
        .partition(|(key, _)| layout::is_release_record(key));
    let meter = Meter::start(options.progress, records.len() + objects.len(), "deleting");
    let mut failures = Vec::new();
    for batch in [records, objects] {
        let mut deletions = futures::stream::iter(batch)
            .map(|(key, size)| async move {
                let result = match dest.key(&key) {
                    Ok(path) => dest.store().delete(&path).await.map_err(|e| describe(&e)),
                    Err(message) => Err(message),
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

/// Moves each release's deploy time to its latest deploy event, as listed.
fn add_deploys(releases: &mut [Release], listing: &Listing) {
    let mut latest: BTreeMap<&str, u64> = BTreeMap::new();
    for (micros, build_id) in listing
        .objects
        .keys()
        .filter_map(|k| layout::parse_deploy_key(k))
    {
        let entry = latest.entry(build_id).or_default();
        *entry = (*entry).max(micros);
    }
    for release in releases {
        if let Some(&micros) = latest.get(release.build_id.as_str()) {
            let at = SystemTime::UNIX_EPOCH + Duration::from_micros(micros);
            release.deployed_at = release.deployed_at.max(at);
        }
    }
}

/// Reads every release record under the prefix; one that cannot be read stops the prune.
async fn read_releases(
    dest: &Destination,
    listing: &Listing,
    concurrency: usize,
) -> Result<Vec<Release>, Error> {
    let keys = listing
        .objects
        .keys()
        .filter(|key| layout::is_release_record(key));
    let mut reads = futures::stream::iter(keys)
        .map(|key| async move {
            let path = dest
                .key(key)
                .map_err(|e| Error::prune(format!("release record {key}: {e}")))?;
            let what = || format!("reading release record {key}");
            let result = dest.store().get(&path).await;
            let bytes = match result {
                Ok(result) => result.bytes().await.map_err(|e| Error::store(what(), &e))?,
                Err(e) => return Err(Error::store(what(), &e)),
            };
            Release::parse(&bytes)
                .map_err(|e| Error::prune(format!("release record {key} cannot be read: {e}")))
        })
        .buffer_unordered(concurrency);
    let mut releases = Vec::new();
    while let Some(release) = reads.next().await {
        releases.push(release?);
    }
    Ok(releases)
}

#[cfg(test)]
mod tests {
    use super::super::listing::Listed;
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn at(hours_ago: u64) -> SystemTime {
        now() - HOUR * hours_ago as u32
    }

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn release(id: &str, hours_ago: u64, keys: &[&str]) -> Release {
        Release {
            build_id: id.into(),
            uploaded_at: at(hours_ago),
            deployed_at: at(hours_ago),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn listing(objects: &[(&str, u64)]) -> Listing {
        let objects = objects.iter().map(|&(key, hours_ago)| {
            let listed = Listed {
                size: 1,
                last_modified: at(hours_ago),
            };
            (key.to_owned(), listed)
        });
        Listing {
            objects: objects.collect(),
        }
    }

    fn keys(plan: &Plan) -> Vec<&str> {
        plan.delete.iter().map(|(k, _)| k.as_str()).collect()
    }

    fn current(keys: &[&str]) -> (&'static str, BTreeSet<String>) {
        ("c", keys.iter().map(|k| k.to_string()).collect())
    }

    #[test]
    fn keeps_the_newest_releases_and_deletes_the_rest_with_their_records() {
        let releases = [release("a", 30, &["a.css"]), release("b", 20, &["b.css"])];
        let listing = listing(&[
            ("a.css", 30),
            ("b.css", 20),
            ("c.css", 10),
            (".assetlock/releases/a.json", 30),
            (".assetlock/releases/b.json", 20),
            (".assetlock/releases/c.json", 10),
        ]);
        let plan = plan(&listing, &releases, current(&["c.css"]), 1, HOUR, now());
        assert_eq!(keys(&plan), [".assetlock/releases/a.json", "a.css"]);
        assert_eq!(plan.kept_builds, ["b", "c"]);
    }

    #[test]
    fn releases_rank_by_their_latest_deploy_event() {
        // a uploaded 30 h ago, b 20 h ago, then a deployed again (a rollback) 10 h ago.
        let mut releases = [release("a", 30, &["a.css"]), release("b", 20, &["b.css"])];
        let micros = |t: SystemTime| {
            t.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_micros()
        };
        let rollback = layout::deploy_key("a", micros(at(10)) as u64);
        let listing = listing(&[
            ("a.css", 30),
            ("b.css", 20),
            (".assetlock/releases/a.json", 30),
            (".assetlock/releases/b.json", 20),
            (rollback.as_str(), 10),
        ]);
        add_deploys(&mut releases, &listing);
        let plan = plan(&listing, &releases, current(&[]), 1, HOUR, now());
        assert_eq!(keys(&plan), [".assetlock/releases/b.json", "b.css"]);
        assert_eq!(plan.kept_builds, ["a", "c"]);
    }

    #[test]
    fn never_deletes_an_object_of_the_current_build() {
        let releases = [release("new", 1, &["new.css"])];
        let listing = listing(&[("shared.css", 100), ("new.css", 1)]);
        let plan = plan(
            &listing,
            &releases,
            current(&["shared.css"]),
            1,
            HOUR,
            now(),
        );
        assert!(keys(&plan).is_empty());
    }

    #[test]
    fn objects_newer_than_the_grace_period_are_kept() {
        let listing = listing(&[("old.css", 48), ("recent.css", 2)]);
        let plan = plan(&listing, &[], current(&[]), 1, 24 * HOUR, now());
        assert_eq!(keys(&plan), ["old.css"]);
        assert_eq!(plan.in_grace, 1);
    }

    #[test]
    fn a_release_within_the_grace_period_keeps_its_old_objects() {
        let releases = [
            release("x", 1, &["font.woff2"]),
            release("c", 0, &["c.css"]),
        ];
        let listing = listing(&[("font.woff2", 100), (".assetlock/releases/x.json", 1)]);
        let plan = plan(
            &listing,
            &releases,
            current(&["c.css"]),
            1,
            24 * HOUR,
            now(),
        );
        assert!(keys(&plan).is_empty());
        assert_eq!(plan.kept_builds, ["c", "x"]);
    }

    #[test]
    fn other_files_under_the_assetlock_folder_are_left_alone() {
        let listing = listing(&[(".assetlock/lock", 100), (".assetlock/releases/x/y", 100)]);
        let plan = plan(&listing, &[], current(&[]), 1, HOUR, now());
        assert!(keys(&plan).is_empty());
    }
}
