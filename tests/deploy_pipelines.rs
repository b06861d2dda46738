//! Deploy pipelines as production runs them, against a real S3 server in the test process: a
//! machine whose clock is days off, and several pipelines uploading, verifying and pruning
//! at the same time, with a watcher that checks without pause that no verified release loses
//! an object while it is one of the newest deploys, and that nothing assetlock did not write is
//! ever deleted.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use assetlock::upload::{Options, Source, run};
use futures::TryStreamExt;
use support::pipeline::{self, Step};
use support::quiet;
use support::s3::{PREFIX, S3Server};
use support::synthetic::{self, Release};

#[test]
#[ignore = "run by the tests of this file, in a child process"]
fn pipeline_child() {
    pipeline::child();
}

/// A synthetic release written to its own directory: (release, dir, manifest, dist).
struct OnDisk {
    release: Release,
    _dir: tempfile::TempDir,
    manifest: std::path::PathBuf,
    dist: std::path::PathBuf,
}

fn on_disk(release: Release) -> OnDisk {
    let dir = tempfile::tempdir().unwrap();
    let (manifest, dist) = release.write(dir.path());
    OnDisk {
        release,
        _dir: dir,
        manifest,
        dist,
    }
}

impl OnDisk {
    fn source(&self) -> Source {
        Source::from_manifest_json(&self.manifest, &self.dist).unwrap()
    }

    /// Every key the release needs: its objects and its record.
    fn keys(&self) -> BTreeSet<String> {
        let mut keys: BTreeSet<String> = self
            .release
            .objects
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        keys.insert(format!(
            ".assetlock/releases/{}.json",
            self.release.build_id
        ));
        keys
    }
}

/// Every key under the prefix with the store's modification time.
async fn listing(store: &dyn ObjectStore) -> BTreeMap<String, SystemTime> {
    let prefix = Path::from(PREFIX);
    let listed: Vec<_> = store.list(Some(&prefix)).try_collect().await.unwrap();
    listed
        .into_iter()
        .map(|meta| {
            let key = meta.location.as_ref()[PREFIX.len() + 1..].to_owned();
            (key, SystemTime::from(meta.last_modified))
        })
        .collect()
}

/// The build a deploy event's or a release record's key names. A release was last deployed
/// when the newer of them was stored, as prune ranks releases: an upload that stores a record
/// again (after a concurrent prune) is deploying that release anew.
fn deployed_build(key: &str) -> Option<&str> {
    if let Some(name) = key.strip_prefix(".assetlock/deploys/") {
        return Some(name.strip_suffix(".json")?.split_once('-')?.1);
    }
    key.strip_prefix(".assetlock/releases/")?
        .strip_suffix(".json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_uploaded_from_a_clock_three_days_slow_is_still_the_newest() {
    if !pipeline::faketime_installed() {
        return;
    }
    let s3 = S3Server::start_any_clock().await;
    let dest = s3.destination(PREFIX);
    let (one, two) = (
        on_disk(synthetic::release(1, 2)),
        on_disk(synthetic::release(2, 2)),
    );
    run(&one.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let files = (two.manifest.as_path(), two.dist.as_path());
    let (ok, output) = pipeline::run_in_child(&s3.endpoint, files, Step::Upload, Some("-3d"));
    assert!(ok, "{output}");
    assert!(output.contains("behind the store's"), "{output}");
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // Release 1's pipeline prunes, keeping one release, with a grace period of a second.
    let prune = quiet(Options::prune(1, Duration::from_secs(1)));
    let report = run(&one.source(), &dest, &prune).await.unwrap();
    assert_eq!(report.kept_builds()[0], two.release.build_id, "{report}");
    let stored = listing(s3.store().as_ref()).await;
    for key in two.keys() {
        assert!(stored.contains_key(&key), "{key} was deleted: {report}");
    }
    run(&two.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

/// What the pipelines tell the watcher.
#[derive(Default)]
struct Log {
    /// Releases whose `--verify` passed: build id -> keys.
    verified: BTreeMap<String, BTreeSet<String>>,
    /// Violations seen.
    violations: Vec<String>,
    /// Every deploy event and record seen: build id -> the latest store time.
    deploys: BTreeMap<String, SystemTime>,
    /// Objects a concurrent prune deleted and an upload stored again.
    repaired: usize,
    /// What each prune in this process deleted, to explain a violation.
    prunes: Vec<String>,
    /// Releases pruned by another pipeline before their own verify or prune ran.
    pruned_away: Vec<String>,
    done: usize,
}

/// Keys of others under the prefix: never to be deleted.
const FOREIGN: &[&str] = &[
    "other/backup.sql",
    ".htaccess",
    "index.html",
    "vendor/lib.0123abcd.js",
    ".assetlock/notes.txt",
];

const PIPELINES: usize = 4;
const RELEASES: usize = 20;
const KEEP: usize = 3;

/// One pipeline: `RELEASES` deploys of upload, verify, prune, in this process or (with an
/// `offset`) in a child process under `faketime`.
async fn pipeline(s3: Arc<S3Server>, p: usize, offset: Option<&'static str>, log: Arc<Mutex<Log>>) {
    let dest = s3.destination(PREFIX);
    for r in 0..RELEASES {
        tokio::time::sleep(pause(p, r)).await;
        let build = on_disk(synthetic::release(p * 1000 + r, 3));
        let steps = [
            Step::Upload,
            Step::Verify,
            Step::Prune {
                keep: KEEP,
                grace: Duration::ZERO,
            },
        ];
        for step in steps {
            let (ok, output) = match offset {
                Some(offset) => {
                    let (s3, manifest, dist) =
                        (Arc::clone(&s3), build.manifest.clone(), build.dist.clone());
                    tokio::task::spawn_blocking(move || {
                        pipeline::run_in_child(&s3.endpoint, (&manifest, &dist), step, Some(offset))
                    })
                    .await
                    .unwrap()
                }
                None => match run(&build.source(), &dest, &step.options()).await {
                    Ok(report) => {
                        let repaired = report.repaired().len();
                        let mut log = log.lock().unwrap();
                        log.repaired += repaired;
                        if !report.deleted().is_empty() {
                            log.prunes.push(format!(
                                "pipeline {p} release {r}: kept {:?}, deleted {:?}",
                                report.kept_builds(),
                                report.deleted()
                            ));
                        }
                        (true, report.to_string())
                    }
                    Err(error) => (false, error.to_string()),
                },
            };
            // The other pipelines may deploy three releases while this one is between its
            // steps: its release is then pruned, and its verify fails (the gate works) or its
            // prune refuses to run. The watcher checks that it had fallen out of the newest
            // deploys by then.
            let pruned_away =
                output.contains("missing") || output.contains("has no release record");
            if !ok && !matches!(step, Step::Upload) && pruned_away {
                let id = build.release.build_id.clone();
                log.lock().unwrap().pruned_away.push(id);
                break;
            }
            assert!(ok, "pipeline {p}, release {r}, {step:?}: {output}");
            if offset.is_some() && output.contains("stored") && output.contains("again") {
                log.lock().unwrap().repaired += 1;
            }
            if let Step::Verify = step {
                let id = build.release.build_id.clone();
                log.lock().unwrap().verified.insert(id, build.keys());
            }
        }
    }
    log.lock().unwrap().done += 1;
}

/// A pause between two deploys of pipeline `p`, different for each: pipelines drift apart.
fn pause(p: usize, r: usize) -> Duration {
    Duration::from_millis(50 + ((p * 7 + r * 13) % 10) as u64 * 30)
}

/// Checks, until every pipeline is done, that each verified release keeps all its keys while
/// fewer than `KEEP` other builds were deployed after it (a record or deploy event of theirs
/// stored later, as prune ranks releases), and that no foreign key goes.
async fn watch(store: Arc<dyn ObjectStore>, log: Arc<Mutex<Log>>) -> usize {
    let mut polls = 0;
    loop {
        let finished = log.lock().unwrap().done == PIPELINES;
        let stored = listing(store.as_ref()).await;
        polls += 1;
        check(&stored, &mut log.lock().unwrap());
        if finished {
            return polls;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// How many other builds were deployed after `build` (deployed at `at`), in prune's order:
/// by store time, then (for equal times) by build id.
fn newer_deploys(deploys: &BTreeMap<String, SystemTime>, build: &str, at: SystemTime) -> usize {
    deploys
        .iter()
        .filter(|(other, other_at)| (**other_at, other.as_str()) > (at, build))
        .count()
}

/// One look at the bucket (see [`watch`]).
fn check(stored: &BTreeMap<String, SystemTime>, log: &mut Log) {
    {
        for (key, &at) in stored {
            if let Some(build) = deployed_build(key) {
                let latest = log.deploys.entry(build.to_owned()).or_insert(at);
                *latest = (*latest).max(at);
            }
        }
        for key in FOREIGN {
            if !stored.contains_key(*key) {
                log.violations
                    .push(format!("foreign key {key} was deleted"));
            }
        }
        let mut found = Vec::new();
        for (build, keys) in &log.verified {
            let missing: Vec<&String> = keys.iter().filter(|k| !stored.contains_key(*k)).collect();
            if missing.is_empty() {
                continue;
            }
            let deployed = log.deploys.get(build).copied();
            let newer = deployed.map_or(usize::MAX, |at| newer_deploys(&log.deploys, build, at));
            if newer < KEEP {
                found.push(format!(
                    "{build} (verified, {newer} newer deploys) lost {missing:?}"
                ));
            }
        }
        log.violations.extend(found);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_pipelines_at_once_one_three_days_slow_never_lose_a_verified_release() {
    let slow = pipeline::faketime_installed().then_some("-3d");
    let s3 = Arc::new(S3Server::start_any_clock().await);
    let store = s3.store();
    for key in FOREIGN {
        let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
        store
            .put(&path, PutPayload::from_static(b"not assetlock's"))
            .await
            .unwrap();
    }
    let log = Arc::new(Mutex::new(Log::default()));
    let watcher = tokio::spawn(watch(Arc::clone(&store), Arc::clone(&log)));
    let pipelines = (0..PIPELINES).map(|p| {
        let offset = if p == PIPELINES - 1 { slow } else { None };
        tokio::spawn(pipeline(Arc::clone(&s3), p, offset, Arc::clone(&log)))
    });
    for pipeline in futures::future::join_all(pipelines).await {
        pipeline.unwrap();
    }
    let polls = watcher.await.unwrap();

    let log = log.lock().unwrap();
    eprintln!(
        "{} releases verified, {polls} watcher polls, {} objects stored again after a \
         concurrent prune, {} releases pruned away before their own verify or prune",
        log.verified.len(),
        log.repaired,
        log.pruned_away.len()
    );
    let ended: BTreeSet<&String> = log.verified.keys().chain(&log.pruned_away).collect();
    assert_eq!(ended.len(), PIPELINES * RELEASES);
    for build in &log.pruned_away {
        let newer = newer_deploys(&log.deploys, build, log.deploys[build]);
        assert!(
            newer >= KEEP,
            "{build} was pruned with {newer} newer deploys"
        );
    }
    if !log.violations.is_empty() {
        let mut deploys: Vec<_> = log.deploys.iter().collect();
        deploys.sort_by_key(|(_, at)| **at);
        eprintln!(
            "prunes: {:#?}\ndeploys, oldest first: {deploys:#?}",
            log.prunes
        );
    }
    assert!(log.violations.is_empty(), "{:#?}", log.violations);
    // The newest deploys are whole at the end.
    let stored = futures::executor::block_on(listing(store.as_ref()));
    let mut newest: Vec<(&String, &SystemTime)> = log.deploys.iter().collect();
    newest.sort_by(|a, b| b.1.cmp(a.1));
    for (build, _) in newest.iter().take(KEEP) {
        for key in &log.verified[*build] {
            assert!(stored.contains_key(key), "{build}: {key}");
        }
    }
}
