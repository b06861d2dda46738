//! Reading the release records in the background, from start-up: a pass lists the records,
//! drops the pruned ones and reads the new ones, newest first, [`READS`] at a time, adding each
//! to the index as it arrives, so a request waits only for the record it needs. What a pass
//! read stays read when a later record fails or the bucket goes down; the next pass reads only
//! what is still missing.
//!
//! The first pass starts when the fallback is attached; the next ones when a request asks for
//! it ([`Shared::demand`]) and the refresh interval has passed since the last one started: at
//! most one LIST per interval, and none on a server no fallback request reaches.

use std::sync::{Arc, PoisonError, Weak};
use std::time::{Instant, SystemTime};

use futures::StreamExt;

use super::Shared;
use super::fetch::{self, FetchError};
use super::lookup::Lookup;
use crate::upload::catalog;

/// How many records a pass reads at once.
pub(super) const READS: usize = 32;

/// What the passes have done so far.
#[derive(Clone, Default)]
pub(super) struct Passes {
    /// When the last pass started.
    pub(super) started: Option<Instant>,
    /// When the last pass that read every listed record started.
    pub(super) complete: Option<Instant>,
    /// When the last pass that failed started, and why it failed.
    pub(super) failed: Option<(Instant, String)>,
}

impl Passes {
    pub(super) fn snapshot(&self) -> Passes {
        self.clone()
    }

    /// Whether a pass has started and not ended.
    pub(super) fn running(&self) -> bool {
        self.started.is_some_and(|at| {
            self.complete != Some(at) && self.failed.as_ref().is_none_or(|(f, _)| *f != at)
        })
    }

    /// What the records as last read say of a path they do not list.
    pub(super) fn as_they_are(&self) -> Lookup {
        match (self.complete, &self.failed) {
            (_, Some((failed, why))) if self.complete.is_none_or(|at| at < *failed) => {
                Lookup::Unavailable(why.clone())
            }
            (Some(_), _) => Lookup::Unknown,
            (None, _) => Lookup::Unavailable("release records not read yet".into()),
        }
    }
}

/// Runs passes for as long as the fallback lives.
pub(super) async fn run(shared: Weak<Shared>) {
    loop {
        let Some(strong) = shared.upgrade() else {
            return;
        };
        let demand = Arc::clone(&strong.demand);
        let next = strong
            .passes(|p| p.started)
            .map(|at| at + strong.settings.refresh_interval);
        drop(strong);
        if let Some(next) = next {
            // Wait for a request that wants fresher records, then for the interval.
            demand.notified().await;
            tokio::time::sleep_until(next.into()).await;
        }
        let Some(strong) = shared.upgrade() else {
            return;
        };
        strong.pass().await;
    }
}

impl Shared {
    /// Indexes the records of the newest catalog, before any record is read one by one: a
    /// server starting up against thousands of releases reads one object. The pass that
    /// follows drops those since pruned and reads those written since. A catalog that cannot
    /// be read (or, with trusted keys, that no trusted key signed) is passed over.
    async fn read_catalog(&self) {
        match catalog::newest(&self.dest, &self.settings.trusted).await {
            Ok(Some((key, catalog))) => {
                let records = self.index_mut(|index| {
                    for (record, assets) in catalog.records(&self.settings.trusted) {
                        index.insert_assets(record.to_owned(), assets);
                    }
                    index.records()
                });
                tracing::debug!(key, records, "assetlock fallback: catalog read");
                self.changed.send_modify(|generation| *generation += 1);
            }
            Ok(None) => {}
            Err(why) => tracing::warn!("assetlock fallback: no catalog read: {why}"),
        }
    }

    pub(super) fn passes<T>(&self, f: impl FnOnce(&mut Passes) -> T) -> T {
        f(&mut self.passes.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// One pass: LIST, drop what is gone, read what is new.
    async fn pass(&self) {
        let started = Instant::now();
        self.passes(|p| p.started = Some(started));
        let outcome = self.read_pass().await;
        self.passes(|p| match outcome {
            Ok(()) => p.complete = Some(started),
            Err(why) => {
                tracing::warn!("assetlock fallback: release records not all read: {why}");
                p.failed = Some((started, why));
            }
        });
        self.changed.send_modify(|generation| *generation += 1);
    }

    async fn read_pass(&self) -> Result<(), String> {
        if self.index(|index| index.records() == 0) {
            self.read_catalog().await;
        }
        let mut listed = fetch::list_records(&self.dest).await?;
        let gone: Vec<String> = self.index(|index| {
            let present: std::collections::HashSet<&str> =
                listed.iter().map(|(key, _)| key.as_str()).collect();
            index
                .record_keys()
                .filter(|key| !present.contains(key))
                .map(str::to_owned)
                .collect()
        });
        for key in gone {
            let dropped = self.index_mut(|index| index.remove(&key));
            self.with_cache(|cache| {
                for object in dropped.iter().flat_map(|remote| remote.objects()) {
                    cache.remove(&object.key);
                }
            });
        }
        listed.retain(|(key, _)| !self.index(|index| index.has_record(key)) && !self.ignored(key));
        // Newest first: the release a request most likely needs.
        listed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut reads = futures::stream::iter(listed)
            .map(|(key, _): (String, SystemTime)| async move {
                let record = fetch::record(&self.dest, &key, &self.settings.trusted).await;
                (key, record)
            })
            .buffer_unordered(READS);
        let mut unavailable = None;
        while let Some((key, record)) = reads.next().await {
            match record {
                Ok(record) => {
                    self.index_mut(|index| index.insert(key, &record));
                    self.changed.send_modify(|generation| *generation += 1);
                }
                Err(FetchError::Corrupt(why)) => {
                    tracing::error!(key, "assetlock fallback: release record ignored: {why}");
                    self.ignore(key);
                }
                Err(FetchError::NotFound) => {}
                Err(FetchError::Unavailable(why)) => unavailable = Some(why),
            }
        }
        let (records, assets) = self.index(|index| (index.records(), index.assets()));
        tracing::debug!(records, assets, "assetlock fallback: release records read");
        unavailable.map_or(Ok(()), Err)
    }
}
