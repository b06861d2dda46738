//! What a prune deletes and keeps, decided from one listing and the records it names, by the
//! store's clock alone.
//!
//! - **Releases are ranked by the store's times**: a release was last deployed when the newest
//!   of its record and its deploy events was stored (their `LastModified`), whatever clock the
//!   machine that uploaded it had. The newest `keep`, those deployed within the grace period
//!   and the current build are kept.
//! - **Only what assetlock wrote is deleted**: the records and deploy events of dropped
//!   releases, the objects their records list, and orphans with the shape of a content-addressed
//!   name (an upload that never wrote its record) whose hash has a length the records use; all
//!   of them only when older than the grace period by the store's clock, and never a key a
//!   kept release or the current build names. Any other key under the prefix is left alone,
//!   as is everything under `.assetlock/` that is not a record, a deploy event or a lease.
//! - **Leases** of prunes that died (older than their time to live) are cleaned up, and
//!   catalogs but the two newest.
//!
//! Releases within the grace period keep their objects because a content-addressed object's
//! modification time is its *first* upload: a build released a minute ago may share a font
//! first uploaded a year ago, and servers may be rolling out that build right now.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use assetlock_contract::{layout, naming};

use super::super::lease::LEASE_TTL;
use super::super::listing::Listing;
use super::super::release::Release;

/// What a prune deletes and keeps.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Keys and sizes to delete: release records first, then the rest.
    pub(crate) delete: Vec<(String, u64)>,
    /// Objects of assetlock's that no kept release names, kept because they are newer than
    /// the grace period.
    pub(crate) in_grace: usize,
    /// Keys under the prefix that assetlock did not write: never deleted.
    pub(crate) left_alone: usize,
    /// The builds whose objects are kept, newest deploy first: the newest N, those deployed
    /// within the grace period, and this build.
    pub(crate) kept_builds: Vec<String>,
}

/// The build running the prune: its id and every key it names.
pub(crate) struct Current<'a> {
    pub(crate) build_id: &'a str,
    pub(crate) keys: BTreeSet<String>,
}

/// How many releases to keep, for how long, and the store's time now.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    pub(crate) keep: usize,
    pub(crate) grace: Duration,
    pub(crate) now: SystemTime,
}

impl Policy {
    fn in_grace(&self, time: SystemTime) -> bool {
        self.now.duration_since(time).unwrap_or_default() < self.grace
    }
}

/// The decision, from the listing and the parsed records alone.
pub(crate) fn plan(
    listing: &Listing,
    releases: &[Release],
    current: Current<'_>,
    policy: Policy,
) -> Plan {
    let deployed = deploy_times(listing, releases);
    let mut ranked = newest_first(listing, releases);
    let recent = ranked
        .iter()
        .skip(policy.keep)
        .take_while(|(_, at)| policy.in_grace(*at))
        .count();
    ranked.truncate(policy.keep + recent);

    let mut kept_builds: Vec<String> = ranked.iter().map(|(r, _)| r.build_id.clone()).collect();
    if !kept_builds.iter().any(|id| id == current.build_id) {
        kept_builds.push(current.build_id.to_owned());
    }
    // The hash lengths of this project's names: an orphan must have one of them.
    let hash_lengths: BTreeSet<usize> = releases
        .iter()
        .flat_map(|r| r.keys.iter())
        .chain(&current.keys)
        .filter_map(|key| naming::content_hash(key).map(str::len))
        .collect();
    let named: BTreeSet<&str> = releases
        .iter()
        .flat_map(|r| r.keys.iter().map(String::as_str))
        .collect();
    let mut referenced = current.keys;
    for (release, _) in &ranked {
        referenced.extend(release.keys.iter().cloned());
    }
    for id in &kept_builds {
        referenced.insert(layout::release_key(id));
        if let Some((_, Some(event))) = deployed.get(id.as_str()) {
            referenced.insert((*event).to_owned());
        }
    }

    // The two newest catalogs stay (an upload may be reading the older while writing the
    // newer); older ones are history.
    let mut catalogs: Vec<(&String, SystemTime)> = listing
        .objects
        .iter()
        .filter(|(key, _)| layout::is_catalog(key))
        .map(|(key, listed)| (key, listed.last_modified))
        .collect();
    catalogs.sort_by(|a, b| (b.1, b.0).cmp(&(a.1, a.0)));
    referenced.extend(catalogs.iter().take(2).map(|(key, _)| (*key).clone()));

    let mut plan = Plan {
        kept_builds,
        ..Plan::default()
    };
    let mut rest = Vec::new();
    for (key, listed) in &listing.objects {
        if referenced.contains(key) {
            continue;
        }
        let time = listed.last_modified;
        let ours = if layout::is_lease(key) {
            // A lease of a running prune (this one's too) is never touched.
            if time + LEASE_TTL <= policy.now {
                rest.push((key.clone(), listed.size));
            }
            continue;
        } else if layout::is_meta(key) {
            layout::is_release_record(key)
                || layout::parse_deploy_key(key).is_some()
                || layout::is_catalog(key)
        } else {
            named.contains(key.as_str())
                || naming::content_hash(key).is_some_and(|h| hash_lengths.contains(&h.len()))
        };
        if !ours {
            plan.left_alone += 1;
        } else if policy.in_grace(time) {
            plan.in_grace += 1;
        } else if layout::is_release_record(key) {
            plan.delete.push((key.clone(), listed.size));
        } else {
            rest.push((key.clone(), listed.size));
        }
    }
    plan.delete.extend(rest);
    plan
}

/// The releases, the most recently deployed first, with their deploy times by the store's
/// clock (equal times: the greater build id first).
pub(crate) fn newest_first<'a>(
    listing: &'a Listing,
    releases: &'a [Release],
) -> Vec<(&'a Release, SystemTime)> {
    let deployed = deploy_times(listing, releases);
    let mut ranked: Vec<(&Release, SystemTime)> = releases
        .iter()
        .map(|r| (r, deployed[r.build_id.as_str()].0))
        .collect();
    ranked.sort_by(|a, b| (b.1, &b.0.build_id).cmp(&(a.1, &a.0.build_id)));
    ranked
}

/// Each release's deploy time by the store's clock, and its latest deploy event: the newest
/// of its record's and its deploy events' modification times.
fn deploy_times<'a>(
    listing: &'a Listing,
    releases: &'a [Release],
) -> BTreeMap<&'a str, (SystemTime, Option<&'a str>)> {
    let mut latest: BTreeMap<&str, (SystemTime, &str)> = BTreeMap::new();
    for (key, listed) in &listing.objects {
        let Some((_, build_id)) = layout::parse_deploy_key(key) else {
            continue;
        };
        // Listed in key order: of equal times (a store's clock may tick in seconds), the
        // later key is the latest.
        let time = listed.last_modified;
        if latest.get(build_id).is_none_or(|&(t, _)| time >= t) {
            latest.insert(build_id, (time, key.as_str()));
        }
    }
    releases
        .iter()
        .map(|r| {
            let record = listing.get(&layout::release_key(&r.build_id));
            let stored = record.map_or(SystemTime::UNIX_EPOCH, |l| l.last_modified);
            let event = latest.get(r.build_id.as_str());
            let deployed = event.map_or(stored, |&(t, _)| t.max(stored));
            (r.build_id.as_str(), (deployed, event.map(|&(_, key)| key)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::listing::Listed;
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);
    const H1: &str = "1111111111111111";
    const H2: &str = "2222222222222222";
    const H3: &str = "3333333333333333";

    fn at(hours_ago: u64) -> SystemTime {
        now() - HOUR * hours_ago as u32
    }

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn name(stem: &str, hash: &str) -> String {
        format!("{stem}.{hash}.css")
    }

    fn release(id: &str, keys: &[&str]) -> Release {
        Release {
            build_id: id.into(),
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

    fn current(keys: &[&str]) -> Current<'static> {
        Current {
            build_id: "c",
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn policy(keep: usize, grace: Duration) -> Policy {
        Policy {
            keep,
            grace,
            now: now(),
        }
    }

    #[test]
    fn keeps_the_newest_releases_and_deletes_the_rest_with_their_records() {
        let (a, b, c) = (name("a", H1), name("b", H2), name("c", H3));
        let releases = [release("a", &[&a]), release("b", &[&b])];
        let listing = listing(&[
            (&a, 30),
            (&b, 20),
            (&c, 10),
            (".assetlock/releases/a.json", 30),
            (".assetlock/releases/b.json", 20),
            (".assetlock/releases/c.json", 10),
        ]);
        let plan = plan(&listing, &releases, current(&[&c]), policy(1, HOUR));
        assert_eq!(keys(&plan), [".assetlock/releases/a.json", a.as_str()]);
        assert_eq!(plan.kept_builds, ["b", "c"]);
    }

    #[test]
    fn releases_rank_by_the_store_time_of_their_latest_deploy_event() {
        // a stored 30 h ago, b 20 h ago, then a deployed again (a rollback) 10 h ago by a
        // machine whose clock says the event is from long before either.
        let (a, b) = (name("a", H1), name("b", H2));
        let releases = [release("a", &[&a]), release("b", &[&b])];
        let rollback = layout::deploy_key("a", 1);
        let listing = listing(&[
            (&a, 30),
            (&b, 20),
            (".assetlock/releases/a.json", 30),
            (".assetlock/releases/b.json", 20),
            (rollback.as_str(), 10),
        ]);
        let plan = plan(&listing, &releases, current(&[]), policy(1, HOUR));
        assert_eq!(keys(&plan), [".assetlock/releases/b.json", b.as_str()]);
        assert_eq!(plan.kept_builds, ["a", "c"]);
    }

    #[test]
    fn older_deploy_events_go_and_the_latest_of_a_kept_build_stays() {
        let early = layout::deploy_key("c", 9_000_000_000_000_000);
        let late = layout::deploy_key("c", 1);
        let listing = listing(&[
            (".assetlock/releases/c.json", 30),
            (early.as_str(), 30),
            (late.as_str(), 20),
        ]);
        let plan = plan(
            &listing,
            &[release("c", &[])],
            current(&[]),
            policy(1, HOUR),
        );
        assert_eq!(keys(&plan), [early.as_str()]);
    }

    #[test]
    fn never_deletes_an_object_of_the_current_build() {
        let (shared, new) = (name("shared", H1), name("new", H2));
        let releases = [release("new", &[&new])];
        let listing = listing(&[(&shared, 100), (&new, 1)]);
        let plan = plan(&listing, &releases, current(&[&shared]), policy(1, HOUR));
        assert!(keys(&plan).is_empty());
    }

    #[test]
    fn orphans_of_assetlock_shape_older_than_the_grace_period_are_deleted() {
        let (old, recent, current_key) = (name("old", H1), name("recent", H2), name("c", H3));
        let listing = listing(&[(&old, 48), (&recent, 2), (&current_key, 48)]);
        let plan = plan(
            &listing,
            &[],
            current(&[&current_key]),
            policy(1, 24 * HOUR),
        );
        assert_eq!(keys(&plan), [old.as_str()]);
        assert_eq!(plan.in_grace, 1);
    }

    #[test]
    fn files_assetlock_did_not_write_are_left_alone_however_old() {
        let current_key = name("c", H3);
        let listing = listing(&[
            ("other/backup.sql", 100),
            (".htaccess", 100),
            ("index.html", 100),
            // The shape, but a hash length no release of this project uses.
            ("vendor/lib.0123456789.js", 100),
            (".assetlock/lock", 100),
            (".assetlock/releases/x/y", 100),
        ]);
        let plan = plan(&listing, &[], current(&[&current_key]), policy(1, HOUR));
        assert!(keys(&plan).is_empty(), "{:?}", keys(&plan));
        assert_eq!(plan.left_alone, 6);
    }

    #[test]
    fn a_release_within_the_grace_period_keeps_its_old_objects() {
        let (font, c) = (name("font", H1), name("c", H3));
        let releases = [release("x", &[&font]), release("c", &[&c])];
        let listing = listing(&[
            (&font, 100),
            (".assetlock/releases/x.json", 1),
            (".assetlock/releases/c.json", 0),
        ]);
        let plan = plan(&listing, &releases, current(&[&c]), policy(1, 24 * HOUR));
        assert!(keys(&plan).is_empty());
        assert_eq!(plan.kept_builds, ["c", "x"]);
    }

    #[test]
    fn the_two_newest_catalogs_stay() {
        let catalogs: Vec<String> = (1..=3).map(|i| layout::catalog_key(i, "t")).collect();
        let listing = listing(&[
            (catalogs[0].as_str(), 30),
            (catalogs[1].as_str(), 20),
            (catalogs[2].as_str(), 10),
        ]);
        let plan = plan(&listing, &[], current(&[]), policy(1, HOUR));
        assert_eq!(keys(&plan), [catalogs[0].as_str()]);
    }

    #[test]
    fn only_leases_older_than_their_time_to_live_are_cleaned_up() {
        let stale = layout::lease_key(1, "a");
        let running = layout::lease_key(2, "b");
        let listing = listing(&[(stale.as_str(), 1), (running.as_str(), 0)]);
        let plan = plan(&listing, &[], current(&[]), policy(1, HOUR));
        assert_eq!(keys(&plan), [stale.as_str()]);
    }
}
